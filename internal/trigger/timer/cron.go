package timer

import (
	"fmt"
	"sort"
	"strings"
	"time"
)

// Cron is a core.st2.CronTimer: it fires at every second whose wall-clock
// reading in its zone matches all eight fields (APScheduler's CronTrigger).
//
// Daylight saving time, as APScheduler 3.11 does it:
//   - A reading that happens twice (fall back) matches twice: 01:30 fires
//     at 01:30 PDT and again at 01:30 PST; "*/30" minutes keeps its
//     30-minute pace through the repeated hour.
//   - Readings that never happen (spring forward) fire at most once per
//     transition: at the first matching skipped reading, moved later by the
//     length of the gap (a daily 02:30 fires at 03:30 PDT on the day
//     America/Los_Angeles springs forward), unless that instant is a fire
//     time anyway. A search that starts inside the gap does not look back
//     into it.
//
// Where APScheduler skips a valid fire time (its field arithmetic crosses
// the transition in UTC: a daily 00:00 job in America/Los_Angeles misses
// the day after spring forward; a daily job at the hour a zone springs
// forward at midnight misses that day), Cron does not skip it.
type Cron struct {
	loc    *time.Location
	fields [numFields]*cronField
}

// NewCron compiles cron fields keyed by their parameter names
// (see CronFieldNames) with values in APScheduler's expression syntax, for the
// zone loc (nil means UTC). As in APScheduler, fields less significant than
// the least significant one given default to their minimum (day 1, hour
// 0, ...; week and day_of_week to "*") and the others to "*"; no fields at
// all means every second.
func NewCron(fields map[string]string, loc *time.Location) (*Cron, error) {
	if loc == nil {
		loc = time.UTC
	}
	var unknown []string
	for name := range fields {
		if fieldByName(name) < 0 {
			unknown = append(unknown, name)
		}
	}
	if len(unknown) > 0 {
		sort.Strings(unknown)
		return nil, &ParamError{Param: unknown[0], Err: errUnknownParam}
	}
	c := &Cron{loc: loc}
	remaining := len(fields)
	useDefaults := false
	for f := fieldYear; f < numFields; f++ {
		name := fieldNames[f]
		value, given := fields[name]
		if given {
			remaining--
			useDefaults = remaining == 0
			cf, err := compileField(f, value)
			if err != nil {
				return nil, &ParamError{Param: name, Err: err}
			}
			c.fields[f] = cf
			continue
		}
		def := "*"
		if useDefaults {
			def = fieldDefault[f]
		}
		cf, err := compileField(f, def)
		if err != nil {
			panic(fmt.Sprintf("timer: default for cron field %s: %v", name, err))
		}
		cf.explicit = false
		c.fields[f] = cf
	}
	return c, nil
}

func fieldByName(name string) field {
	for i, n := range fieldNames {
		if n == name {
			return field(i)
		}
	}
	return -1
}

// Location is the zone the fields are matched in.
func (c *Cron) Location() *time.Location { return c.loc }

// String shows the given fields in APScheduler's canonical form, e.g.
// cron[day_of_week='mon-fri', hour='9'].
func (c *Cron) String() string {
	var parts []string
	for f := fieldYear; f < numFields; f++ {
		if c.fields[f].explicit {
			parts = append(parts, fmt.Sprintf("%s='%s'", fieldNames[f], c.fields[f]))
		}
	}
	return "cron[" + strings.Join(parts, ", ") + "]"
}

// Fields returns every field's expression in canonical form, defaults
// included, keyed by parameter name.
func (c *Cron) Fields() map[string]string {
	m := make(map[string]string, numFields)
	for f := fieldYear; f < numFields; f++ {
		m[fieldNames[f]] = c.fields[f].String()
	}
	return m
}

// maxSegments bounds the walk over zone periods in Next: two transitions a
// year for well over ten thousand years.
const maxSegments = 40000

const twoDays = 2 * 86400

// Next returns the first fire time strictly after the given instant
// (fire times are whole seconds), in the timer's zone; false when there is
// none (the year field has run out, or the fields can never match, such
// as day 30 of February).
func (c *Cron) Next(after time.Time) (time.Time, bool) {
	t := after.Unix() + 1
	// The search walks the zone's periods of constant offset: within one,
	// readings rise with time, so the first matching reading at or after
	// the current one is the first fire time in it, if it falls before the
	// period ends. Entering a period that starts with a gap, the skipped
	// readings get their one chance.
	fromBefore := false
	for range maxSegments {
		at := time.Unix(t, 0).In(c.loc)
		_, o := at.Zone()
		off := int64(o)
		start, end := at.ZoneBounds()
		var best int64
		found := false
		if fromBefore && !start.IsZero() {
			s := start.Unix()
			if prev := offsetAt(c.loc, s-1); off > prev {
				if w, ok := c.nextWall(wallOf(s + prev)); ok && w.unix() < s+off {
					best, found = w.unix()-prev, true
				}
			}
		}
		w, ok := c.nextWall(wallOf(t + off))
		cand := w.unix() - off
		if ok && (end.IsZero() || cand < end.Unix()) && (!found || cand < best) {
			best, found = cand, true
		}
		if found {
			return time.Unix(best, 0).In(c.loc), true
		}
		if end.IsZero() {
			return time.Time{}, false
		}
		switch {
		case !ok:
			// Nothing at or after this reading; a later period can only
			// read earlier by less than two days.
			if _, again := c.nextWall(wallOf(t + off - twoDays)); !again {
				return time.Time{}, false
			}
			t, fromBefore = end.Unix(), true
		case cand-twoDays > end.Unix():
			// No reading between here and two days before the candidate
			// matches: jump (offsets differ by less than two days).
			t, fromBefore = cand-twoDays, false
		default:
			t, fromBefore = end.Unix(), true
		}
	}
	return time.Time{}, false
}

// nextWall returns the first reading at or after w that matches every
// field: APScheduler's CronTrigger.get_next_fire_time search, on readings
// alone.
func (c *Cron) nextWall(w wall) (wall, bool) {
	i := 0
	for i >= 0 && i < int(numFields) {
		f := field(i)
		cur := f.value(w)
		next, ok := c.fields[f].next(f, w)
		switch {
		case !ok:
			w, i = increment(w, i-1)
		case next > cur && f.real():
			w = setField(w, i, next)
			i++
		case next > cur:
			w, i = increment(w, i)
		default:
			i++
		}
	}
	return w, i >= 0
}

// increment advances field number i (week and day_of_week advance the day)
// by one, carrying into more significant fields, and resets the less
// significant ones to their minimum; it returns the number of the field
// actually advanced, negative when the year has run out.
func increment(w wall, i int) (wall, int) {
	var vals [numFields]int
	for j := 0; j < int(numFields); {
		f := field(j)
		if !f.real() {
			if j == i {
				i--
				j--
			} else {
				j++
			}
			continue
		}
		switch {
		case j < i:
			vals[j] = f.value(w)
			j++
		case j > i:
			vals[j] = f.min()
			j++
		default:
			if v := f.value(w); v == f.max(w) {
				i--
				j--
				if i < 0 {
					return w, -1
				}
			} else {
				vals[j] = v + 1
				j++
			}
		}
	}
	if i < 0 {
		return w, -1
	}
	return wall{vals[fieldYear], vals[fieldMonth], vals[fieldDay], vals[fieldHour], vals[fieldMinute], vals[fieldSecond]}, i
}

// setField sets field number i to v and the less significant fields to
// their minimum.
func setField(w wall, i int, v int) wall {
	vals := [numFields]int{w.year, w.month, w.day, 0, 0, w.hour, w.minute, w.second}
	vals[i] = v
	for j := i + 1; j < int(numFields); j++ {
		vals[j] = field(j).min()
	}
	return wall{vals[fieldYear], vals[fieldMonth], vals[fieldDay], vals[fieldHour], vals[fieldMinute], vals[fieldSecond]}
}
