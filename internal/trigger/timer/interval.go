package timer

import (
	"errors"
	"fmt"
	"time"
)

// Timer is a schedule: Next returns the first fire time strictly after the
// given instant, in the timer's zone, or false when the timer will not
// fire again.
type Timer interface {
	Next(after time.Time) (time.Time, bool)
}

var unitLength = map[string]time.Duration{
	"weeks":   7 * 24 * time.Hour,
	"days":    24 * time.Hour,
	"hours":   time.Hour,
	"minutes": time.Minute,
	"seconds": time.Second,
}

// Interval is a core.st2.IntervalTimer: it fires every Every, counted in
// elapsed time (a day is 24 hours, across DST changes too), from Start
// (APScheduler's IntervalTrigger).
type Interval struct {
	Unit  string // weeks, days, hours, minutes or seconds
	Delta int64
	Every time.Duration
	// Start is the first fire time. Zero means not yet anchored: Next
	// then counts from the instant it is given, and a Scheduler anchors
	// the timer at the time it is added plus Every, as APScheduler does.
	Start    time.Time
	Location *time.Location
}

// NewInterval returns an unanchored interval of delta units. A delta of 0
// means one second, as in APScheduler; a negative delta is refused (it
// hangs APScheduler's scheduler loop).
func NewInterval(unit string, delta int64, loc *time.Location) (*Interval, error) {
	if loc == nil {
		loc = time.UTC
	}
	length, ok := unitLength[unit]
	if !ok {
		return nil, &ParamError{Param: "unit", Err: fmt.Errorf("%q is not one of weeks, days, hours, minutes, seconds", unit)}
	}
	if delta < 0 {
		return nil, &ParamError{Param: "delta", Err: errors.New("must not be negative")}
	}
	if delta > int64(1<<63-1)/int64(length) {
		return nil, &ParamError{Param: "delta", Err: fmt.Errorf("%d %s is too long an interval", delta, unit)}
	}
	every := time.Duration(delta) * length
	if every == 0 {
		every = time.Second
	}
	return &Interval{Unit: unit, Delta: delta, Every: every, Location: loc}, nil
}

// Next implements Timer.
func (iv *Interval) Next(after time.Time) (time.Time, bool) {
	loc := iv.Location
	if loc == nil {
		loc = time.UTC
	}
	every := iv.Every
	if every <= 0 {
		every = time.Second
	}
	if iv.Start.IsZero() {
		return after.Add(every).In(loc), true
	}
	if after.Before(iv.Start) {
		return iv.Start.In(loc), true
	}
	n := after.Sub(iv.Start) / every
	return iv.Start.Add((n + 1) * every).In(loc), true
}

// anchor implements anchorer: an unanchored interval added at now first
// fires at now + Every.
func (iv *Interval) anchor(now time.Time) Timer {
	if !iv.Start.IsZero() {
		return iv
	}
	c := *iv
	c.Start = now.Add(iv.Every)
	return &c
}

// anchorer is implemented by timers whose schedule depends on when they
// are added to a Scheduler.
type anchorer interface {
	anchor(now time.Time) Timer
}
