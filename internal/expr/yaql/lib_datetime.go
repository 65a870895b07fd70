package yaql

import (
	"encoding/json"
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/st2go/st2go/internal/expr"
)

// dateTime is Python's timezone-aware datetime.datetime as yaql builds
// it (naive values get UTC).
type dateTime struct{ t time.Time }

func (d *dateTime) TypeName() string { return "datetime" }

func (d *dateTime) Repr() string {
	t := d.t
	parts := []string{strconv.Itoa(t.Year()), strconv.Itoa(int(t.Month())), strconv.Itoa(t.Day()), strconv.Itoa(t.Hour()), strconv.Itoa(t.Minute())}
	if t.Second() != 0 || t.Nanosecond() != 0 {
		parts = append(parts, strconv.Itoa(t.Second()))
	}
	if t.Nanosecond() != 0 {
		parts = append(parts, strconv.Itoa(t.Nanosecond()/1000))
	}
	_, off := t.Zone()
	tz := "tzutc()"
	if off != 0 {
		tz = fmt.Sprintf("tzoffset(None, %d)", off)
	}
	return "datetime.datetime(" + strings.Join(parts, ", ") + ", tzinfo=" + tz + ")"
}

// PyStr is str(datetime): "2020-02-01 00:00:00+00:00".
func (d *dateTime) PyStr() string { return d.iso(" ") }

func (d *dateTime) iso(sep string) string {
	t := d.t
	s := t.Format("2006-01-02" + sep + "15:04:05")
	if us := t.Nanosecond() / 1000; us != 0 {
		s += fmt.Sprintf(".%06d", us)
	}
	_, off := t.Zone()
	sign := "+"
	if off < 0 {
		sign, off = "-", -off
	}
	s += fmt.Sprintf("%s%02d:%02d", sign, off/3600, off/60%60)
	if off%60 != 0 {
		s += fmt.Sprintf(":%02d", off%60)
	}
	return s
}

// MarshalJSON renders the datetime as ISO 8601, as the oracle does.
func (d *dateTime) MarshalJSON() ([]byte, error) { return json.Marshal(d.iso("T")) }

func (d *dateTime) PyEqual(o any) bool {
	x, ok := o.(*dateTime)
	return ok && x.t.Equal(d.t)
}

func (d *dateTime) PyCompare(o any) (int, bool) {
	x, ok := o.(*dateTime)
	if !ok {
		return 0, false
	}
	return d.t.Compare(x.t), true
}

func (d *dateTime) HashKey() string { return "dt:" + strconv.FormatInt(d.t.UnixMicro(), 10) }

// timespan is Python's datetime.timedelta, in microseconds.
type timespan struct{ us int64 }

func (t *timespan) TypeName() string { return "timedelta" }

func (t *timespan) Repr() string {
	days, secs, us := t.parts()
	var parts []string
	if days != 0 {
		parts = append(parts, fmt.Sprintf("days=%d", days))
	}
	if secs != 0 {
		parts = append(parts, fmt.Sprintf("seconds=%d", secs))
	}
	if us != 0 {
		parts = append(parts, fmt.Sprintf("microseconds=%d", us))
	}
	if len(parts) == 0 {
		return "datetime.timedelta(0)"
	}
	return "datetime.timedelta(" + strings.Join(parts, ", ") + ")"
}

func (t *timespan) parts() (days, secs, us int64) {
	days = floorDiv(t.us, 86400_000_000)
	rest := t.us - days*86400_000_000
	return days, rest / 1_000_000, rest % 1_000_000
}

// PyStr is str(timedelta): "1 day, 2:00:00".
func (t *timespan) PyStr() string {
	days, secs, us := t.parts()
	s := fmt.Sprintf("%d:%02d:%02d", secs/3600, secs/60%60, secs%60)
	if us != 0 {
		s += fmt.Sprintf(".%06d", us)
	}
	if days != 0 {
		plural := "s"
		if days == 1 || days == -1 {
			plural = ""
		}
		s = fmt.Sprintf("%d day%s, %s", days, plural, s)
	}
	return s
}

func (t *timespan) PyEqual(o any) bool {
	x, ok := o.(*timespan)
	return ok && x.us == t.us
}

func (t *timespan) PyCompare(o any) (int, bool) {
	x, ok := o.(*timespan)
	if !ok {
		return 0, false
	}
	switch {
	case t.us < x.us:
		return -1, true
	case t.us > x.us:
		return 1, true
	}
	return 0, true
}

func (t *timespan) Truth() bool     { return t.us != 0 }
func (t *timespan) HashKey() string { return "td:" + strconv.FormatInt(t.us, 10) }

func floorDiv(a, b int64) int64 {
	q := a / b
	if (a%b != 0) && ((a < 0) != (b < 0)) {
		q--
	}
	return q
}

func zoneFor(offset *timespan) *time.Location {
	if offset == nil || offset.us == 0 {
		return time.UTC
	}
	return time.FixedZone("", int(offset.us/1_000_000))
}

// registerDateTime: yaql/standard_library/date_time.py (the parts that
// do not depend on the local clock's zone database).
func registerDateTime(l *library) {
	zero := &timespan{}
	l.fn("datetime", ps(req("year", tInt), req("month", tInt), req("day", tInt), opt("hour", tInt, int64(0), false), opt("minute", tInt, int64(0), false), opt("second", tInt, int64(0), false), opt("microsecond", tInt, int64(0), false), opt("offset", tTimespan, zero, false)), func(c *call, a []any) (any, error) {
		y, mo, d, h, mi, s, us := toInt(a[0]), toInt(a[1]), toInt(a[2]), toInt(a[3]), toInt(a[4]), toInt(a[5]), toInt(a[6])
		if y < 1 || y > 9999 {
			return nil, pyErr(classValueError, "year %d is out of range", y)
		}
		if mo < 1 || mo > 12 {
			return nil, pyErr(classValueError, "month must be in 1..12")
		}
		if d < 1 || d > daysIn(y, mo) {
			return nil, pyErr(classValueError, "day is out of range for month")
		}
		if h < 0 || h > 23 {
			return nil, pyErr(classValueError, "hour must be in 0..23")
		}
		if mi < 0 || mi > 59 {
			return nil, pyErr(classValueError, "minute must be in 0..59")
		}
		if s < 0 || s > 59 {
			return nil, pyErr(classValueError, "second must be in 0..59")
		}
		if us < 0 || us > 999999 {
			return nil, pyErr(classValueError, "microsecond must be in 0..999999")
		}
		return &dateTime{t: time.Date(y, time.Month(mo), d, h, mi, s, us*1000, zoneFor(a[7].(*timespan)))}, nil
	})
	l.fn("datetime", ps(req("timestamp", tNumber), opt("offset", tTimespan, zero, false)), func(c *call, a []any) (any, error) {
		f, _ := expr.ToFloat(a[0])
		sec, frac := math.Modf(f)
		t := time.Unix(int64(sec), int64(math.Round(frac*1e6))*1000)
		return &dateTime{t: t.In(zoneFor(a[1].(*timespan)))}, nil
	})
	l.fn("datetime", ps(req("string", tString), opt("format", tString, nil, true)), func(c *call, a []any) (any, error) {
		t, err := parseDateTime(a[0].(string), a[1])
		if err != nil {
			return nil, err
		}
		return &dateTime{t: t}, nil
	})
	l.fn("timespan", ps(opt("days", tInt, int64(0), false), opt("hours", tInt, int64(0), false), opt("minutes", tInt, int64(0), false), opt("seconds", tInteger, int64(0), false), opt("milliseconds", tInteger, int64(0), false), opt("microseconds", tInteger, int64(0), false)), func(c *call, a []any) (any, error) {
		us := int64(toInt(a[0]))*86400_000_000 + int64(toInt(a[1]))*3600_000_000 + int64(toInt(a[2]))*60_000_000 +
			int64(toInt(a[3]))*1_000_000 + int64(toInt(a[4]))*1000 + int64(toInt(a[5]))
		return &timespan{us: us}, nil
	})
	tsProp := func(name string, div float64) {
		l.fn("#property#"+name, ps(req("obj", tTimespan)), func(c *call, a []any) (any, error) {
			us := a[0].(*timespan).us
			if div == 1 {
				return us, nil
			}
			return float64(us) / div, nil
		})
	}
	tsProp("microseconds", 1)
	tsProp("milliseconds", 1e3)
	tsProp("seconds", 1e6)
	tsProp("minutes", 6e7)
	tsProp("hours", 3.6e9)
	tsProp("days", 8.64e10)
	dtProp := func(name string, f func(t time.Time) any) {
		l.fn("#property#"+name, ps(req("obj", tDateTime)), func(c *call, a []any) (any, error) {
			return f(a[0].(*dateTime).t), nil
		})
	}
	dtProp("year", func(t time.Time) any { return int64(t.Year()) })
	dtProp("month", func(t time.Time) any { return int64(t.Month()) })
	dtProp("day", func(t time.Time) any { return int64(t.Day()) })
	dtProp("hour", func(t time.Time) any { return int64(t.Hour()) })
	dtProp("minute", func(t time.Time) any { return int64(t.Minute()) })
	dtProp("second", func(t time.Time) any { return int64(t.Second()) })
	dtProp("microsecond", func(t time.Time) any { return int64(t.Nanosecond() / 1000) })
	dtProp("weekday", func(t time.Time) any { return int64((t.Weekday() + 6) % 7) })
	dtProp("date", func(t time.Time) any {
		return &dateTime{t: time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, t.Location())}
	})
	dtProp("time", func(t time.Time) any {
		d := time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, t.Location())
		return &timespan{us: t.Sub(d).Microseconds()}
	})
	dtProp("utc", func(t time.Time) any { return &dateTime{t: t.UTC()} })
	dtProp("offset", func(t time.Time) any {
		_, off := t.Zone()
		return &timespan{us: int64(off) * 1_000_000}
	})
	dtProp("timestamp", func(t time.Time) any { return float64(t.UnixMicro()) / 1e6 })
	l.fn("now", ps(opt("offset", tTimespan, zero, false)), func(c *call, a []any) (any, error) {
		return &dateTime{t: time.Now().In(zoneFor(a[0].(*timespan))).Truncate(time.Microsecond)}, nil
	})
	l.fn("localtz", nil, func(c *call, a []any) (any, error) {
		_, off := time.Now().Zone()
		return &timespan{us: int64(off) * 1_000_000}, nil
	})
	l.fn("utctz", nil, func(c *call, a []any) (any, error) { return &timespan{}, nil })
	dt := func(v any) time.Time { return v.(*dateTime).t }
	ts := func(v any) int64 { return v.(*timespan).us }
	add := func(t time.Time, us int64) (any, error) {
		r := t.Add(time.Duration(us) * time.Microsecond)
		if r.Year() < 1 || r.Year() > 9999 {
			return nil, pyErr("OverflowError", "date value out of range")
		}
		return &dateTime{t: r}, nil
	}
	l.fn("#operator_+", ps(req("dt", tDateTime), req("ts", tTimespan)), func(c *call, a []any) (any, error) { return add(dt(a[0]), ts(a[1])) })
	l.fn("#operator_+", ps(req("ts", tTimespan), req("dt", tDateTime)), func(c *call, a []any) (any, error) { return add(dt(a[1]), ts(a[0])) })
	l.fn("#operator_-", ps(req("dt", tDateTime), req("ts", tTimespan)), func(c *call, a []any) (any, error) { return add(dt(a[0]), -ts(a[1])) })
	l.fn("#operator_-", ps(req("dt1", tDateTime), req("dt2", tDateTime)), func(c *call, a []any) (any, error) {
		return &timespan{us: dt(a[0]).Sub(dt(a[1])).Microseconds()}, nil
	})
	l.fn("#operator_+", ps(req("ts1", tTimespan), req("ts2", tTimespan)), func(c *call, a []any) (any, error) { return &timespan{us: ts(a[0]) + ts(a[1])}, nil })
	l.fn("#operator_-", ps(req("ts1", tTimespan), req("ts2", tTimespan)), func(c *call, a []any) (any, error) { return &timespan{us: ts(a[0]) - ts(a[1])}, nil })
	for _, op := range []string{">", ">=", "<", "<="} {
		op := op
		l.fn("#operator_"+op, ps(req("dt1", tDateTime), req("dt2", tDateTime)), func(c *call, a []any) (any, error) {
			return cmpResult(op, dt(a[0]).Compare(dt(a[1]))), nil
		})
		l.fn("#operator_"+op, ps(req("ts1", tTimespan), req("ts2", tTimespan)), func(c *call, a []any) (any, error) {
			x, _ := a[0].(*timespan).PyCompare(a[1])
			return cmpResult(op, x), nil
		})
	}
	scale := func(t, n any) (any, error) {
		f, _ := expr.ToFloat(n)
		if isInteger(n) {
			return &timespan{us: ts(t) * int64(toInt(n))}, nil
		}
		return &timespan{us: int64(math.RoundToEven(float64(ts(t)) * f))}, nil
	}
	l.fn("#operator_*", ps(req("ts", tTimespan), req("n", tNumber)), func(c *call, a []any) (any, error) { return scale(a[0], a[1]) })
	l.fn("#operator_*", ps(req("n", tNumber), req("ts", tTimespan)), func(c *call, a []any) (any, error) { return scale(a[1], a[0]) })
	l.fn("#operator_/", ps(req("ts1", tTimespan), req("ts2", tTimespan)), func(c *call, a []any) (any, error) {
		if ts(a[1]) == 0 {
			return nil, pyErr(classZeroDivision, "float division by zero")
		}
		return float64(ts(a[0])) / float64(ts(a[1])), nil
	})
	l.fn("#operator_/", ps(req("ts", tTimespan), req("n", tNumber)), func(c *call, a []any) (any, error) {
		f, _ := expr.ToFloat(a[1])
		if f == 0 {
			return nil, pyErr(classZeroDivision, "division by zero")
		}
		return &timespan{us: int64(math.RoundToEven(float64(ts(a[0])) / f))}, nil
	})
	l.fn("#unary_operator_-", ps(req("ts", tTimespan)), func(c *call, a []any) (any, error) { return &timespan{us: -ts(a[0])}, nil })
	l.fn("#unary_operator_+", ps(req("ts", tTimespan)), func(c *call, a []any) (any, error) { return a[0], nil })
	l.meth("format", ps(req("dt", tDateTime), req("format", tString)), func(c *call, a []any) (any, error) {
		return strftime(dt(a[0]), a[1].(string)), nil
	})
	l.meth("replace", ps(req("dt", tDateTime), opt("year", tInt, nil, true), opt("month", tInt, nil, true), opt("day", tInt, nil, true), opt("hour", tInt, nil, true), opt("minute", tInt, nil, true), opt("second", tInt, nil, true), opt("microsecond", tInt, nil, true), opt("offset", tTimespan, nil, true)), func(c *call, a []any) (any, error) {
		t := dt(a[0])
		get := func(i, cur int) int {
			if a[i] == nil {
				return cur
			}
			return toInt(a[i])
		}
		loc := t.Location()
		if a[8] != nil {
			loc = zoneFor(a[8].(*timespan))
		}
		return &dateTime{t: time.Date(get(1, t.Year()), time.Month(get(2, int(t.Month()))), get(3, t.Day()), get(4, t.Hour()), get(5, t.Minute()), get(6, t.Second()), get(7, t.Nanosecond()/1000)*1000, loc)}, nil
	})
	l.fn("isDatetime", ps(reqN("value", tAny)), func(c *call, a []any) (any, error) { _, ok := a[0].(*dateTime); return ok, nil })
	l.fn("isTimespan", ps(reqN("value", tAny)), func(c *call, a []any) (any, error) { _, ok := a[0].(*timespan); return ok, nil })
}

func cmpResult(op string, c int) bool {
	switch op {
	case "<":
		return c < 0
	case "<=":
		return c <= 0
	case ">":
		return c > 0
	}
	return c >= 0
}

func daysIn(y, m int) int {
	return time.Date(y, time.Month(m)+1, 0, 0, 0, 0, 0, time.UTC).Day()
}

// parseDateTime parses what dateutil's parser accepts in practice (ISO
// 8601 and common variants), or strptime with a format.
func parseDateTime(s string, format any) (time.Time, error) {
	if f, ok := format.(string); ok && f != "" {
		layout := strptimeLayout(f)
		t, err := time.Parse(layout, s)
		if err != nil {
			return time.Time{}, pyErr(classValueError, "time data %s does not match format %s", expr.Repr(s), expr.Repr(f))
		}
		return t, nil
	}
	layouts := []string{
		time.RFC3339Nano, "2006-01-02T15:04:05.999999999", "2006-01-02T15:04:05Z0700", "2006-01-02 15:04:05.999999999Z07:00",
		"2006-01-02 15:04:05.999999999", "2006-01-02T15:04", "2006-01-02 15:04", "2006-01-02", "2006/01/02", "01/02/2006",
		"2006-01-02 15:04:05Z0700", time.RFC1123Z, time.RFC1123, time.RFC850, time.ANSIC, "Jan 2 2006", "January 2 2006", "2 Jan 2006",
	}
	for _, l := range layouts {
		if t, err := time.Parse(l, strings.TrimSpace(s)); err == nil {
			return t, nil
		}
	}
	return time.Time{}, pyErr("ParserError", "Unknown string format: %s", s)
}

var strftimeMap = map[byte]string{
	'Y': "2006", 'm': "01", 'd': "02", 'H': "15", 'M': "04", 'S': "05", 'y': "06",
	'b': "Jan", 'B': "January", 'a': "Mon", 'A': "Monday", 'p': "PM", 'I': "03", 'z': "-0700", 'Z': "MST",
	'f': "000000",
}

func strptimeLayout(f string) string {
	var b strings.Builder
	for i := 0; i < len(f); i++ {
		if f[i] == '%' && i+1 < len(f) {
			if l, ok := strftimeMap[f[i+1]]; ok {
				b.WriteString(l)
				i++
				continue
			}
		}
		b.WriteByte(f[i])
	}
	return b.String()
}

// strftime formats t with Python's (C's) directives.
func strftime(t time.Time, f string) string {
	var b strings.Builder
	for i := 0; i < len(f); i++ {
		if f[i] != '%' || i+1 >= len(f) {
			b.WriteByte(f[i])
			continue
		}
		i++
		switch f[i] {
		case '%':
			b.WriteByte('%')
		case 'f':
			fmt.Fprintf(&b, "%06d", t.Nanosecond()/1000)
		case 'j':
			fmt.Fprintf(&b, "%03d", t.YearDay())
		case 'w':
			fmt.Fprintf(&b, "%d", int(t.Weekday()))
		case 'z':
			_, off := t.Zone()
			sign := "+"
			if off < 0 {
				sign, off = "-", -off
			}
			fmt.Fprintf(&b, "%s%02d%02d", sign, off/3600, off/60%60)
		case 'Z':
			if name, off := t.Zone(); off == 0 {
				b.WriteString("UTC")
			} else {
				b.WriteString(name)
			}
		default:
			if l, ok := strftimeMap[f[i]]; ok {
				b.WriteString(t.Format(l))
			} else {
				b.WriteByte('%')
				b.WriteByte(f[i])
			}
		}
	}
	return b.String()
}
