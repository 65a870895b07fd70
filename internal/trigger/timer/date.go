package timer

import (
	"errors"
	"fmt"
	"strings"
	"time"
)

// Date is a core.st2.DateTimer: it fires once, at At.
type Date struct {
	At       time.Time
	Location *time.Location // the timezone parameter (or the default)
}

// Next implements Timer.
func (d *Date) Next(after time.Time) (time.Time, bool) {
	if d.At.After(after) {
		return d.At, true
	}
	return time.Time{}, false
}

// ParseDateTime reads a DateTimer's date the way StackStorm ends up
// reading it (dateutil's parser, then APScheduler's DateTrigger), for the
// ISO 8601 forms: "2024-03-10", "2024-03-10 02:30", "2024-03-10T02:30:00",
// with an optional fraction of a second (kept to the microsecond) and an
// optional zone: "Z", "UTC", "GMT", "+05:30", "+0530" or "+05", which may
// follow a space. A date with a zone is that instant and loc is ignored;
// one without is a reading in loc, where a reading that happens twice is
// the first of the two and one that never happens is moved later by the
// length of the gap (Python's fold=0). dateutil's free-form formats
// ("Dec 31 2014 11pm") are refused.
func ParseDateTime(s string, loc *time.Location) (time.Time, error) {
	if loc == nil {
		loc = time.UTC
	}
	p := &dateScanner{s: strings.TrimSpace(s)}
	var w wall
	var nanos int
	w.year = p.num(4, 4)
	if !p.lit('-') {
		return time.Time{}, fmt.Errorf("%q is not an ISO 8601 date", s)
	}
	w.month = p.num(1, 2)
	if !p.lit('-') {
		return time.Time{}, fmt.Errorf("%q is not an ISO 8601 date", s)
	}
	w.day = p.num(1, 2)
	zoneOff, hasZone := 0, false
	if p.err == nil && !p.done() && (p.peek() == 'T' || p.peek() == 't' || p.peek() == ' ') {
		p.i++
		w.hour = p.num(1, 2)
		if !p.lit(':') {
			p.fail()
		}
		w.minute = p.num(1, 2)
		if p.lit(':') {
			w.second = p.num(1, 2)
			if p.lit('.') || p.lit(',') {
				nanos = p.fraction()
			}
		}
	}
	if p.err == nil && !p.done() {
		zoneOff, hasZone = p.zone()
	}
	if p.err != nil || !p.done() {
		return time.Time{}, fmt.Errorf("%q is not an ISO 8601 date and time", s)
	}
	if w.year < 1 || w.month < 1 || w.month > 12 || w.day < 1 || w.day > daysIn(w.year, w.month) ||
		w.hour > 23 || w.minute > 59 || w.second > 59 {
		return time.Time{}, fmt.Errorf("%q: date or time out of range", s)
	}
	if hasZone {
		return time.Unix(w.unix()-int64(zoneOff), int64(nanos)).In(time.FixedZone("", zoneOff)), nil
	}
	return localize(w, loc).Add(time.Duration(nanos)), nil
}

type dateScanner struct {
	s   string
	i   int
	err error
}

var errDateSyntax = errors.New("syntax")

func (p *dateScanner) fail()      { p.err = errDateSyntax }
func (p *dateScanner) done() bool { return p.i >= len(p.s) }
func (p *dateScanner) peek() byte { return p.s[p.i] }

func (p *dateScanner) lit(c byte) bool {
	if p.err == nil && !p.done() && p.s[p.i] == c {
		p.i++
		return true
	}
	return false
}

// num reads between lo and hi ASCII digits.
func (p *dateScanner) num(lo, hi int) int {
	if p.err != nil {
		return 0
	}
	v, n := 0, 0
	for n < hi && !p.done() && p.peek() >= '0' && p.peek() <= '9' {
		v = v*10 + int(p.peek()-'0')
		p.i++
		n++
	}
	if n < lo {
		p.fail()
	}
	return v
}

// fraction reads a fraction of a second, truncated to microseconds as
// Python's datetime keeps it, returned in nanoseconds.
func (p *dateScanner) fraction() int {
	v, n := 0, 0
	for !p.done() && p.peek() >= '0' && p.peek() <= '9' {
		if n < 6 {
			v = v*10 + int(p.peek()-'0')
		}
		p.i++
		n++
	}
	if n == 0 {
		p.fail()
	}
	for ; n < 6; n++ {
		v *= 10
	}
	return v * 1000
}

// zone reads a zone designator; off is in seconds east of UTC.
func (p *dateScanner) zone() (off int, ok bool) {
	if p.peek() == ' ' {
		p.i++
	}
	rest := p.s[p.i:]
	for _, name := range []string{"Z", "UTC", "GMT"} {
		if strings.EqualFold(rest, name) {
			p.i = len(p.s)
			return 0, true
		}
	}
	if p.done() || (p.peek() != '+' && p.peek() != '-') {
		p.fail()
		return 0, false
	}
	sign := 1
	if p.peek() == '-' {
		sign = -1
	}
	p.i++
	h := p.num(2, 2)
	m := 0
	if !p.done() {
		p.lit(':')
		m = p.num(2, 2)
	}
	if h > 23 || m > 59 {
		p.fail()
	}
	return sign * (h*3600 + m*60), p.err == nil
}
