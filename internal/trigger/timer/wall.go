package timer

import "time"

// wall is a wall-clock reading with no zone attached (Python's naive
// datetime), to the second. Cron fields are matched against walls; zones
// come in only when a wall is turned into an instant.
type wall struct {
	year, month, day, hour, minute, second int
}

// wallOf returns the reading of unix seconds taken as UTC; with an offset
// added first it is the reading in a zone with that offset.
func wallOf(unix int64) wall {
	t := time.Unix(unix, 0).UTC()
	return wall{t.Year(), int(t.Month()), t.Day(), t.Hour(), t.Minute(), t.Second()}
}

// unix is the inverse of wallOf: the reading's seconds as if it were UTC.
func (w wall) unix() int64 {
	return time.Date(w.year, time.Month(w.month), w.day, w.hour, w.minute, w.second, 0, time.UTC).Unix()
}

// weekday is the day of the week with Monday = 0, as Python's weekday().
func (w wall) weekday() int {
	return (int(time.Date(w.year, time.Month(w.month), w.day, 0, 0, 0, 0, time.UTC).Weekday()) + 6) % 7
}

// isoWeek is the ISO 8601 week number, as Python's isocalendar()[1].
func (w wall) isoWeek() int {
	_, wk := time.Date(w.year, time.Month(w.month), w.day, 0, 0, 0, 0, time.UTC).ISOWeek()
	return wk
}

// daysIn is the number of days in a month.
func daysIn(year, month int) int {
	return time.Date(year, time.Month(month)+1, 0, 0, 0, 0, 0, time.UTC).Day()
}

// firstWeekday is the weekday (Monday = 0) of the first day of a month.
func firstWeekday(year, month int) int {
	return wall{year: year, month: month, day: 1}.weekday()
}

// offsetAt is the zone offset in seconds in effect at unix seconds u.
func offsetAt(loc *time.Location, u int64) int64 {
	_, off := time.Unix(u, 0).In(loc).Zone()
	return int64(off)
}

// localize turns a wall reading in loc into an instant the way Python does
// for a datetime with fold=0 (what APScheduler gets when it attaches a
// zoneinfo zone to a naive datetime): a reading that happens twice (fall
// back) is the first of the two; a reading that never happens (spring
// forward) is taken with the offset in effect before the transition, which
// lands it later by the length of the gap (02:30 becomes 03:30 in
// America/Los_Angeles).
//
// Go's time.Date leaves both cases unspecified, hence this function.
func localize(w wall, loc *time.Location) time.Time {
	local := w.unix()
	// Offsets a day either side cover any single transition near w.
	before := offsetAt(loc, local-86400)
	after := offsetAt(loc, local+86400)
	if before == after {
		off := offsetAt(loc, local-before)
		return time.Unix(local-off, 0).In(loc)
	}
	if offsetAt(loc, local-before) == before {
		return time.Unix(local-before, 0).In(loc) // exists, or first of two
	}
	if offsetAt(loc, local-after) == after {
		return time.Unix(local-after, 0).In(loc) // exists only after the transition
	}
	return time.Unix(local-before, 0).In(loc) // in a gap
}
