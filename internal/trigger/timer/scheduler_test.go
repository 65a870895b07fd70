package timer

import (
	"context"
	"slices"
	"sort"
	"sync"
	"testing"
	"testing/synctest"
	"time"
)

// fakeClock is a Clock that moves only when the test sets it. Used inside
// a synctest bubble, synctest.Wait tells when Run is idle again.
type fakeClock struct {
	mu      sync.Mutex
	now     time.Time
	waiters []fakeWaiter
}

type fakeWaiter struct {
	at time.Time
	ch chan time.Time
}

func newFakeClock(now time.Time) *fakeClock { return &fakeClock{now: now} }

func (c *fakeClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *fakeClock) After(d time.Duration) <-chan time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	ch := make(chan time.Time, 1)
	if d <= 0 {
		ch <- c.now
		return ch
	}
	c.waiters = append(c.waiters, fakeWaiter{at: c.now.Add(d), ch: ch})
	return ch
}

// set moves the clock to t and wakes the waiters that are due.
func (c *fakeClock) set(t time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = t
	kept := c.waiters[:0]
	for _, w := range c.waiters {
		if w.at.After(t) {
			kept = append(kept, w)
			continue
		}
		w.ch <- t
	}
	c.waiters = kept
}

// earliest is the earliest waiter's time.
func (c *fakeClock) earliest() (time.Time, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	var min time.Time
	for _, w := range c.waiters {
		if min.IsZero() || w.at.Before(min) {
			min = w.at
		}
	}
	return min, !min.IsZero()
}

// harness runs a Scheduler on a fake clock inside a synctest bubble and
// records its firings.
type harness struct {
	t      *testing.T
	clock  *fakeClock
	s      *Scheduler
	mu     sync.Mutex
	fired  []firing
	onFire func(id string, at time.Time)
}

func startHarness(t *testing.T, now time.Time, opts Options) *harness {
	t.Helper()
	h := &harness{t: t, clock: newFakeClock(now)}
	opts.Clock = h.clock
	h.s = NewScheduler(opts)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() {
		done <- h.s.Run(ctx, func(id string, at time.Time) {
			h.mu.Lock()
			h.fired = append(h.fired, firing{id: id, at: at})
			h.mu.Unlock()
			if h.onFire != nil {
				h.onFire(id, at)
			}
		})
	}()
	t.Cleanup(func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("Run returned %v", err)
		}
	})
	synctest.Wait()
	return h
}

// runUntil lets the clock run to t, stopping at every time the scheduler
// waits for, as a real clock would.
func (h *harness) runUntil(t time.Time) {
	for {
		synctest.Wait()
		next, ok := h.clock.earliest()
		if !ok || next.After(t) {
			break
		}
		h.clock.set(next)
	}
	h.clock.set(t)
	synctest.Wait()
}

// jump moves the clock to t in one step, as after the process was paused.
func (h *harness) jump(t time.Time) {
	synctest.Wait()
	h.clock.set(t)
	synctest.Wait()
}

// take returns and forgets the firings so far, as "id@time" strings.
func (h *harness) take() []string {
	h.mu.Lock()
	defer h.mu.Unlock()
	var out []string
	for _, f := range h.fired {
		out = append(out, f.id+"@"+utcString(f.at))
	}
	h.fired = nil
	return out
}

var t0 = time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)

func at(d time.Duration) string { return utcString(t0.Add(d)) }

func mustInterval(t *testing.T, unit string, delta int64) *Interval {
	t.Helper()
	iv, err := NewInterval(unit, delta, time.UTC)
	if err != nil {
		t.Fatal(err)
	}
	return iv
}

func mustCron(t *testing.T, fields map[string]string, loc *time.Location) *Cron {
	t.Helper()
	c, err := NewCron(fields, loc)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func mustLoc(t *testing.T, name string) *time.Location {
	t.Helper()
	loc, err := LoadLocation(name)
	if err != nil {
		t.Fatal(err)
	}
	return loc
}

// The real clock inside a synctest bubble: time is virtual, so 35 seconds
// of timers take no wall-clock time.
func TestSchedulerSystemClockFiresEachTime(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		start := time.Now()
		s := NewScheduler(Options{})
		s.Add("every10s", mustInterval(t, "seconds", 10))
		s.Add("cron5s", mustCron(t, map[string]string{"second": "*/5"}, time.UTC))
		var mu sync.Mutex
		var got []string
		ctx, cancel := context.WithCancel(context.Background())
		done := make(chan error)
		go func() {
			done <- s.Run(ctx, func(id string, at time.Time) {
				mu.Lock()
				got = append(got, id+"+"+at.Sub(start).String())
				mu.Unlock()
			})
		}()
		time.Sleep(21 * time.Second)
		s.Remove("cron5s")
		time.Sleep(10 * time.Second)
		cancel()
		if err := <-done; err != nil {
			t.Fatalf("Run: %v", err)
		}
		mu.Lock()
		defer mu.Unlock()
		// synctest's clock starts on a whole second, which matches */5:
		// a cron timer fires at the second it is added if that second
		// matches (APScheduler's first fire time is at or after now).
		// Fires due together go in id order.
		want := []string{"cron5s+0s", "cron5s+5s", "cron5s+10s", "every10s+10s", "cron5s+15s", "cron5s+20s", "every10s+20s", "every10s+30s"}
		if !slices.Equal(got, want) {
			t.Fatalf("fired %v\nwant  %v", got, want)
		}
	})
}

func TestSchedulerIntervalAnchoredAtAdd(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		h := startHarness(t, t0.Add(250*time.Millisecond), Options{})
		h.s.Add("iv", mustInterval(t, "seconds", 30))
		if next, _ := h.s.NextFire("iv"); !next.Equal(t0.Add(30250 * time.Millisecond)) {
			t.Fatalf("first fire %v", next)
		}
		h.runUntil(t0.Add(95 * time.Second))
		want := []string{"iv@" + at(30250*time.Millisecond), "iv@" + at(60250*time.Millisecond), "iv@" + at(90250*time.Millisecond)}
		if got := h.take(); !slices.Equal(got, want) {
			t.Fatalf("fired %v, want %v", got, want)
		}
	})
}

// After a pause the fire times that piled up coalesce into one, which
// fires only if it is at most a second old (APScheduler's coalesce=True,
// misfire_grace_time=1, as StackStorm leaves them).
func TestSchedulerCoalescesAndMisfires(t *testing.T) {
	cases := []struct {
		name  string
		grace time.Duration
		pause time.Duration // from t0; the interval fires at 10s, 20s, ...
		want  []string      // firings at the end of the pause
		next  time.Duration // the fire time after the pause
	}{
		{"pause ends on a fire time: once", 0, time.Hour, []string{"iv@" + at(time.Hour)}, time.Hour + 10*time.Second},
		{"pause ends within the grace: once, for the latest time", 0, time.Hour + 800*time.Millisecond, []string{"iv@" + at(time.Hour)}, time.Hour + 10*time.Second},
		{"pause ends past the grace: missed", 0, time.Hour + 5*time.Second, nil, time.Hour + 10*time.Second},
		{"no grace limit: once, for the latest time", -1, time.Hour + 5*time.Second, []string{"iv@" + at(time.Hour)}, time.Hour + 10*time.Second},
		{"a wider grace", 6 * time.Second, time.Hour + 5*time.Second, []string{"iv@" + at(time.Hour)}, time.Hour + 10*time.Second},
		{"short pause past the grace", 0, 11500 * time.Millisecond, nil, 20 * time.Second},
		{"short pause within the grace", 0, 10500 * time.Millisecond, []string{"iv@" + at(10*time.Second)}, 20 * time.Second},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				h := startHarness(t, t0, Options{MisfireGrace: c.grace})
				h.s.Add("iv", mustInterval(t, "seconds", 10))
				h.jump(t0.Add(c.pause))
				if got := h.take(); !slices.Equal(got, c.want) {
					t.Errorf("fired %v, want %v", got, c.want)
				}
				if next, _ := h.s.NextFire("iv"); !next.Equal(t0.Add(c.next)) {
					t.Errorf("next fire %v, want %v", next, t0.Add(c.next))
				}
				h.runUntil(t0.Add(c.next))
				if got, want := h.take(), []string{"iv@" + at(c.next)}; !slices.Equal(got, want) {
					t.Errorf("after the pause fired %v, want %v", got, want)
				}
			})
		})
	}
}

func TestSchedulerCronAfterPause(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		h := startHarness(t, t0.Add(time.Millisecond), Options{})
		h.s.Add("5s", mustCron(t, map[string]string{"second": "*/5"}, time.UTC))
		h.s.Add("daily", mustCron(t, map[string]string{"hour": "0"}, time.UTC))
		// A week's pause ending half a second after a 5-second mark.
		h.jump(t0.Add(7*24*time.Hour + 500*time.Millisecond))
		want := []string{"5s@" + at(7*24*time.Hour), "daily@" + at(7*24*time.Hour)}
		if got := h.take(); !slices.Equal(got, want) {
			t.Fatalf("fired %v, want %v", got, want)
		}
	})
}

// A slow fire callback delays what comes after it; those timers then
// coalesce instead of firing in a burst.
func TestSchedulerSlowFireCoalesces(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		h := startHarness(t, t0, Options{})
		h.onFire = func(id string, at time.Time) {
			if id == "slow" {
				h.clock.set(h.clock.Now().Add(4*time.Second + 500*time.Millisecond))
			}
		}
		h.s.Add("slow", mustCron(t, map[string]string{"second": "10"}, time.UTC))
		h.s.Add("tick", mustCron(t, map[string]string{"second": "*"}, time.UTC))
		h.runUntil(t0.Add(16 * time.Second))
		want := []string{"tick@" + at(0)}
		for s := 1; s < 10; s++ {
			want = append(want, "tick@"+at(time.Duration(s)*time.Second))
		}
		// At 10s "slow" fires first (ties go by id) and takes 4.5s, so the
		// tick of 10s is 4.5s late: missed. At 14.5s the ticks of 11..14s
		// coalesce into 14s, half a second late: fired.
		want = append(want, "slow@"+at(10*time.Second), "tick@"+at(14*time.Second), "tick@"+at(15*time.Second), "tick@"+at(16*time.Second))
		if got := h.take(); !slices.Equal(got, want) {
			t.Fatalf("fired %v\nwant  %v", got, want)
		}
	})
}

func TestSchedulerDateTimer(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		h := startHarness(t, t0, Options{})
		past := &Date{At: t0.Add(-time.Second)}
		if h.s.Add("past", past) {
			t.Error("a date in the past was scheduled")
		}
		if !h.s.Add("now", &Date{At: t0}) {
			t.Error("a date equal to now was not scheduled")
		}
		h.s.Add("later", &Date{At: t0.Add(time.Hour)})
		h.runUntil(t0.Add(48 * time.Hour))
		want := []string{"now@" + at(0), "later@" + at(time.Hour)}
		if got := h.take(); !slices.Equal(got, want) {
			t.Fatalf("fired %v, want %v", got, want)
		}
		if n := h.s.Len(); n != 0 {
			t.Errorf("%d timers left after the dates fired", n)
		}
	})
}

func TestSchedulerAddReplaceRemove(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		h := startHarness(t, t0, Options{})
		h.s.Add("a", mustInterval(t, "hours", 1))
		synctest.Wait()
		// Added while Run waits for an hour: Run must wake up for it.
		h.s.Add("b", mustInterval(t, "seconds", 10))
		h.runUntil(t0.Add(10 * time.Second))
		if got, want := h.take(), []string{"b@" + at(10*time.Second)}; !slices.Equal(got, want) {
			t.Fatalf("fired %v, want %v", got, want)
		}
		// Replacing re-anchors; removing stops it.
		h.s.Add("b", mustInterval(t, "seconds", 3))
		h.runUntil(t0.Add(16 * time.Second))
		h.s.Remove("b")
		h.s.Remove("missing")
		h.runUntil(t0.Add(time.Hour))
		want := []string{"b@" + at(13*time.Second), "b@" + at(16*time.Second), "a@" + at(time.Hour)}
		if got := h.take(); !slices.Equal(got, want) {
			t.Fatalf("fired %v, want %v", got, want)
		}
		if _, ok := h.s.NextFire("b"); ok {
			t.Error("removed timer still scheduled")
		}
	})
}

func TestSchedulerSimultaneousFiresInIDOrder(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		h := startHarness(t, t0.Add(time.Second), Options{})
		ids := []string{"c", "a", "d", "b"}
		for _, id := range ids {
			h.s.Add(id, mustCron(t, map[string]string{"minute": "*"}, time.UTC))
		}
		h.runUntil(t0.Add(time.Minute))
		got := h.take()
		want := slices.Clone(ids)
		sort.Strings(want)
		for i := range want {
			want[i] += "@" + at(time.Minute)
		}
		if !slices.Equal(got, want) {
			t.Fatalf("fired %v, want %v", got, want)
		}
	})
}

func TestSchedulerRunStopsOnCancel(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		s := NewScheduler(Options{Clock: newFakeClock(t0)})
		ctx, cancel := context.WithCancel(context.Background())
		done := make(chan error)
		go func() { done <- s.Run(ctx, func(string, time.Time) {}) }()
		synctest.Wait()
		cancel()
		if err := <-done; err != nil {
			t.Fatalf("Run returned %v", err)
		}
	})
}
