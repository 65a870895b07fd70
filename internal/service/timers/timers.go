// Package timers is st2go's st2timersengine: it schedules every trigger
// of the types core.st2.IntervalTimer, DateTimer and CronTimer (the ones
// rules create) and dispatches a trigger instance each time one fires.
// The set of timer triggers is read from the store and kept in step with
// it, so rules added or removed take effect without a restart.
//
// Only one timers engine may run against a store, or timers fire twice
// (StackStorm has the same rule); the embedded mode runs exactly one.
package timers

import (
	"context"
	"encoding/json"
	"log/slog"
	"sync"
	"time"

	"github.com/st2go/st2go/internal/bus"
	"github.com/st2go/st2go/internal/model"
	"github.com/st2go/st2go/internal/store"
	"github.com/st2go/st2go/internal/trigger"
	"github.com/st2go/st2go/internal/trigger/timer"
)

// Options configure the engine.
type Options struct {
	Store store.Backend
	Bus   bus.Backend
	// Location is the timezone of timers without one ([timersengine] local_timezone).
	Location *time.Location
	// Rescan is how often the trigger list is re-read (default 1s).
	Rescan time.Duration
	Clock  timer.Clock
	Logger *slog.Logger
}

// Engine is the timers engine.
type Engine struct {
	opts  Options
	log   *slog.Logger
	sched *timer.Scheduler
	mu    sync.Mutex // guards known and refs
	// known maps trigger ref → the JSON of its parameters, to notice changes.
	known map[string]string
	refs  map[string]*model.Trigger
}

// New returns an engine.
func New(opts Options) *Engine {
	if opts.Rescan <= 0 {
		opts.Rescan = time.Second
	}
	if opts.Location == nil {
		opts.Location = time.UTC
	}
	l := opts.Logger
	if l == nil {
		l = slog.New(slog.DiscardHandler)
	}
	l = l.With("component", "timersengine")
	return &Engine{opts: opts, log: l, sched: timer.NewScheduler(timer.Options{Clock: opts.Clock, Logger: l}),
		known: map[string]string{}, refs: map[string]*model.Trigger{}}
}

// Run schedules timers and fires them until ctx ends.
func (e *Engine) Run(ctx context.Context) error {
	e.sync(ctx)
	go func() {
		t := time.NewTicker(e.opts.Rescan)
		defer t.Stop()
		for {
			select {
			case <-ctx.Done():
				return
			case <-t.C:
				e.sync(ctx)
			}
		}
	}()
	return e.sched.Run(ctx, func(ref string, _ time.Time) { e.fire(ctx, ref) })
}

// sync adds, replaces and removes timers to match the store.
func (e *Engine) sync(ctx context.Context) {
	all, err := e.opts.Store.Triggers().List(ctx)
	if err != nil {
		e.log.Error("listing timer triggers", "err", err)
		return
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	seen := map[string]bool{}
	for _, t := range all {
		if !timer.IsTimerType(t.Type) {
			continue
		}
		seen[t.Ref] = true
		params, _ := json.Marshal(t.Parameters)
		if e.known[t.Ref] == string(params) {
			continue
		}
		tm, err := timer.Parse(t.Type, t.Parameters, e.opts.Location)
		if err != nil {
			e.log.Warn("timer trigger not scheduled", "trigger", t.Ref, "err", err)
			e.known[t.Ref] = string(params)
			continue
		}
		e.sched.Add(t.Ref, tm)
		e.known[t.Ref] = string(params)
		e.refs[t.Ref] = t
	}
	for ref := range e.known {
		if !seen[ref] {
			e.sched.Remove(ref)
			delete(e.known, ref)
			delete(e.refs, ref)
		}
	}
}

func (e *Engine) fire(ctx context.Context, ref string) {
	e.mu.Lock()
	t := e.refs[ref]
	e.mu.Unlock()
	if t == nil {
		return
	}
	body, err := json.Marshal(trigger.Dispatch{
		Trigger:      map[string]any{"type": t.Type, "parameters": t.Parameters, "ref": t.Ref},
		Payload:      timer.Payload(time.Now()),
		TraceContext: map[string]any{"trace_tag": timer.TraceTag(t.Type, t.Name)},
	})
	if err == nil {
		err = e.opts.Bus.Publish(ctx, bus.ExchangeTriggerDispatch, "trigger_instance", body)
	}
	if err != nil {
		e.log.Error("dispatching a timer trigger", "trigger", ref, "err", err)
	}
}

// Timers returns the timer triggers being scheduled (for /timers).
func (e *Engine) Timers() []*model.Trigger {
	e.mu.Lock()
	defer e.mu.Unlock()
	out := make([]*model.Trigger, 0, len(e.refs))
	for _, t := range e.refs {
		out = append(out, t)
	}
	return out
}
