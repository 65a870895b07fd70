package timer

import (
	"context"
	"log/slog"
	"sort"
	"sync"
	"time"
)

// Clock is the time source of a Scheduler; tests substitute one they
// control.
type Clock interface {
	Now() time.Time
	After(d time.Duration) <-chan time.Time
}

// SystemClock returns the clock of the time package.
func SystemClock() Clock { return systemClock{} }

type systemClock struct{}

func (systemClock) Now() time.Time                         { return time.Now() }
func (systemClock) After(d time.Duration) <-chan time.Time { return time.After(d) }

// DefaultMisfireGrace is how late a firing may still happen: APScheduler's
// default misfire_grace_time of one second, which StackStorm keeps.
const DefaultMisfireGrace = time.Second

// Options configure a Scheduler.
type Options struct {
	Clock Clock // nil: SystemClock
	// MisfireGrace is how late a fire time may be and still fire; 0 means
	// DefaultMisfireGrace, negative means no limit.
	MisfireGrace time.Duration
	Logger       *slog.Logger
}

// Scheduler fires timers at their times, as StackStorm's timers engine
// drives APScheduler (one job per trigger, default job options):
//
//   - Coalescing: when fire times have piled up (the process was paused,
//     the clock jumped, fire was slow), only the latest of them is
//     considered, so a timer fires at most once per wake-up.
//   - Misfires: that latest fire time fires only if it is at most
//     MisfireGrace old; otherwise it is logged as missed. With the default
//     one second, after a long pause a timer fires once if one of its
//     times fell within the last second, else not at all until its next
//     time.
//   - A date timer whose date has passed when it is added is not
//     scheduled; a timer with no fire time left is dropped.
//
// Add and Remove may be called at any time, from any goroutine, before or
// during Run.
type Scheduler struct {
	clock Clock
	grace time.Duration
	log   *slog.Logger

	mu      sync.Mutex
	entries map[string]*entry
	wake    chan struct{} // capacity 1: "the schedule changed"
}

type entry struct {
	id    string
	timer Timer
	next  time.Time
}

// NewScheduler returns an empty scheduler.
func NewScheduler(opts Options) *Scheduler {
	if opts.Clock == nil {
		opts.Clock = SystemClock()
	}
	if opts.MisfireGrace == 0 {
		opts.MisfireGrace = DefaultMisfireGrace
	}
	l := opts.Logger
	if l == nil {
		l = slog.New(slog.DiscardHandler)
	}
	return &Scheduler{
		clock:   opts.Clock,
		grace:   opts.MisfireGrace,
		log:     l.With("component", "timers"),
		entries: map[string]*entry{},
		wake:    make(chan struct{}, 1),
	}
}

// Add schedules t under id, replacing any timer with that id. Its first
// fire time is computed now: the first at or after the clock's time (an
// interval without a start starts one interval from now). It reports
// whether the timer was scheduled; a timer with no fire time left, such as
// a date in the past, is not.
func (s *Scheduler) Add(id string, t Timer) bool {
	now := s.clock.Now()
	if a, ok := t.(anchorer); ok {
		t = a.anchor(now)
	}
	next, ok := t.Next(now.Add(-time.Nanosecond))
	s.mu.Lock()
	delete(s.entries, id)
	if ok {
		s.entries[id] = &entry{id: id, timer: t, next: next}
	}
	s.mu.Unlock()
	s.poke()
	if !ok {
		s.log.Warn("not scheduling timer: it has no fire time left", "timer", id)
		return false
	}
	s.log.Info("timer scheduled", "timer", id, "next", next)
	return true
}

// Remove unschedules the timer with the given id, if any.
func (s *Scheduler) Remove(id string) {
	s.mu.Lock()
	_, found := s.entries[id]
	delete(s.entries, id)
	s.mu.Unlock()
	if found {
		s.poke()
	} else {
		s.log.Info("timer to remove not found", "timer", id)
	}
}

// NextFire returns the time the timer with the given id fires next.
func (s *Scheduler) NextFire(id string) (time.Time, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if e, ok := s.entries[id]; ok {
		return e.next, true
	}
	return time.Time{}, false
}

// Len is the number of scheduled timers.
func (s *Scheduler) Len() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.entries)
}

func (s *Scheduler) poke() {
	select {
	case s.wake <- struct{}{}:
	default:
	}
}

// Run fires timers until ctx ends, then returns nil. fire is called from
// Run's goroutine, one call at a time, with the timer's id and the fire
// time it stands for (the scheduled time, not the clock's time); a slow
// fire delays the timers after it, which then coalesce and may misfire.
func (s *Scheduler) Run(ctx context.Context, fire func(id string, at time.Time)) error {
	for {
		now := s.clock.Now()
		due, wait := s.collect(now)
		for _, f := range due {
			if ctx.Err() != nil {
				return nil
			}
			// APScheduler's executor checks the grace when the job
			// starts; here that is after the fires before this one.
			if late := s.clock.Now().Sub(f.at); s.grace >= 0 && late > s.grace {
				s.log.Warn("timer fire time missed", "timer", f.id, "scheduled", f.at, "late_by", late)
				continue
			}
			fire(f.id, f.at)
		}
		if len(due) > 0 {
			continue
		}
		var timeout <-chan time.Time
		if wait >= 0 {
			timeout = s.clock.After(wait)
		}
		select {
		case <-ctx.Done():
			return nil
		case <-s.wake:
		case <-timeout:
		}
	}
}

type firing struct {
	id string
	at time.Time
}

// collect advances every due timer past now and returns the firings to
// make, ordered by fire time then id, and how long to wait for the next
// fire time (negative: no timers).
func (s *Scheduler) collect(now time.Time) ([]firing, time.Duration) {
	s.mu.Lock()
	defer s.mu.Unlock()
	var due []firing
	for id, e := range s.entries {
		if e.next.After(now) {
			continue
		}
		last, fires := s.latestRun(e, now)
		if fires {
			due = append(due, firing{id: id, at: last})
		} else {
			s.log.Warn("timer fire time missed", "timer", id, "scheduled", last, "late_by", now.Sub(last))
		}
		next, ok := e.timer.Next(now)
		if !ok {
			delete(s.entries, id)
			continue
		}
		e.next = next
	}
	sort.Slice(due, func(i, j int) bool {
		if !due[i].at.Equal(due[j].at) {
			return due[i].at.Before(due[j].at)
		}
		return due[i].id < due[j].id
	})
	wait := time.Duration(-1)
	for _, e := range s.entries {
		if d := max(e.next.Sub(now), 0); wait < 0 || d < wait {
			wait = d
		}
	}
	return due, wait
}

// latestRun returns the latest fire time of a due entry at or before now
// (APScheduler coalesces to it) and whether it is within the misfire
// grace time. Fire times older than the grace cannot fire, so with a
// grace the search starts at now - grace instead of walking every missed
// time since e.next.
func (s *Scheduler) latestRun(e *entry, now time.Time) (time.Time, bool) {
	last := e.next
	if s.grace >= 0 {
		if floor := now.Add(-s.grace); last.Before(floor) {
			r, ok := e.timer.Next(floor.Add(-time.Nanosecond))
			if !ok || r.After(now) {
				// The latest missed time is before the floor; report the
				// one the entry was waiting for.
				return last, false
			}
			last = r
		}
	}
	for {
		r, ok := e.timer.Next(last)
		if !ok || r.After(now) {
			break
		}
		last = r
	}
	return last, s.grace < 0 || now.Sub(last) <= s.grace
}
