// Package scheduler is st2go's st2scheduler: it takes executions in status
// requested, holds delayed ones until their delay has passed, and moves them
// to scheduled so an action runner picks them up. Policies (concurrency)
// will hook in here. It consumes st2.actionrunner.req.
package scheduler

import (
	"context"
	"errors"
	"log/slog"
	"time"

	"github.com/st2go/st2go/internal/bus"
	"github.com/st2go/st2go/internal/execution"
	"github.com/st2go/st2go/internal/model"
	"github.com/st2go/st2go/internal/store"
)

// Options configure the scheduler.
type Options struct {
	Store      store.Backend
	Bus        bus.Backend
	Executions *execution.Service
	Logger     *slog.Logger
	// Workers is how many requests are handled at once ([scheduler] pool_size).
	Workers int
}

// Scheduler is the scheduling service.
type Scheduler struct {
	opts Options
	log  *slog.Logger
}

// New returns a scheduler.
func New(opts Options) *Scheduler {
	if opts.Workers <= 0 {
		opts.Workers = 10
	}
	l := opts.Logger
	if l == nil {
		l = slog.New(slog.DiscardHandler)
	}
	return &Scheduler{opts: opts, log: l.With("component", "scheduler")}
}

// Run consumes requests until ctx ends.
func (s *Scheduler) Run(ctx context.Context) error {
	q := bus.Bind(bus.QueueSchedulerRequests, bus.ExchangeLiveActionStatus, string(model.StatusRequested), string(model.StatusDelayed))
	return bus.Serve(ctx, s.opts.Bus, q, s.opts.Workers, func(ctx context.Context, body []byte) { s.handle(ctx, string(body)) })
}

func (s *Scheduler) handle(ctx context.Context, id string) {
	e, err := s.opts.Store.Executions().Get(ctx, id)
	if err != nil {
		s.log.Error("reading requested execution", "execution", id, "err", err)
		return
	}
	switch e.Status {
	case model.StatusRequested, model.StatusDelayed:
	default:
		return // already handled (a duplicate delivery)
	}
	if e.Delay > 0 {
		due := e.StartTimestamp.Add(time.Duration(e.Delay) * time.Millisecond)
		if wait := time.Until(due); wait > 0 {
			if e.Status == model.StatusRequested {
				if _, err := s.opts.Executions.Transition(ctx, id, model.StatusDelayed, nil); err != nil {
					s.log.Error("delaying execution", "execution", id, "err", err)
					return
				}
			}
			go s.after(ctx, wait, id)
			return
		}
	}
	if _, err := s.opts.Executions.Transition(ctx, id, model.StatusScheduled, nil); err != nil && !errors.Is(err, model.ErrInvalidTransition) {
		s.log.Error("scheduling execution", "execution", id, "err", err)
	}
}

func (s *Scheduler) after(ctx context.Context, wait time.Duration, id string) {
	t := time.NewTimer(wait)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return // the execution stays delayed in the store; Recover picks it up on start
	case <-t.C:
	}
	if _, err := s.opts.Executions.Transition(ctx, id, model.StatusScheduled, nil); err != nil && !errors.Is(err, model.ErrInvalidTransition) {
		s.log.Error("scheduling delayed execution", "execution", id, "err", err)
	}
}
