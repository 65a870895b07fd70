// Package notifier is st2go's st2notifier: when an execution ends in one
// of the [action_sensor] emit_when statuses, it dispatches a
// core.st2.generic.actiontrigger trigger instance for the rules engine.
// (Notify routes and post-run policies will hook in here.)
package notifier

import (
	"context"
	"encoding/json"
	"log/slog"
	"slices"

	"github.com/st2go/st2go/internal/bus"
	"github.com/st2go/st2go/internal/model"
	"github.com/st2go/st2go/internal/trigger"
)

// Queue is the work queue the notifiers share.
const Queue = "st2.notifiers.execution.work"

// Options configure the notifier.
type Options struct {
	Bus bus.Backend
	// Enable is [action_sensor] enable; EmitWhen its emit_when statuses.
	Enable   bool
	EmitWhen []string
	Logger   *slog.Logger
}

// Notifier is the notifier service.
type Notifier struct {
	opts Options
	log  *slog.Logger
}

// New returns a notifier.
func New(opts Options) *Notifier {
	l := opts.Logger
	if l == nil {
		l = slog.New(slog.DiscardHandler)
	}
	return &Notifier{opts: opts, log: l.With("component", "notifier")}
}

// Run consumes execution updates until ctx ends.
func (n *Notifier) Run(ctx context.Context) error {
	return bus.Serve(ctx, n.opts.Bus, bus.Bind(Queue, bus.ExchangeExecution, "update"), 1, n.handle)
}

// pythonTime is how str() of a UTC datetime reads, as StackStorm's payload has it.
const pythonTime = "2006-01-02 15:04:05.000000+00:00"

func (n *Notifier) handle(ctx context.Context, body []byte) {
	if !n.opts.Enable {
		return
	}
	// The announcement already has secrets masked, as StackStorm's payload does.
	var e model.Execution
	if err := json.Unmarshal(body, &e); err != nil {
		n.log.Error("decoding an execution update", "err", err)
		return
	}
	if !e.Status.Completed() || !slices.Contains(n.opts.EmitWhen, string(e.Status)) || e.Action == nil {
		return
	}
	var result any
	if len(e.Result) > 0 {
		json.Unmarshal(e.Result, &result)
	}
	payload := map[string]any{
		"execution_id": e.ID, "status": e.Status, "start_timestamp": e.StartTimestamp.UTC().Format(pythonTime),
		"action_name": e.Action.Ref, "action_ref": e.Action.Ref, "runner_ref": e.Action.RunnerType,
		"parameters": e.Parameters, "result": result,
	}
	if payload["parameters"] == nil {
		payload["parameters"] = map[string]any{}
	}
	msg, err := json.Marshal(trigger.Dispatch{Trigger: trigger.ActionTrigger, Payload: payload})
	if err == nil {
		err = n.opts.Bus.Publish(ctx, bus.ExchangeTriggerDispatch, "trigger_instance", msg)
	}
	if err != nil {
		n.log.Error("dispatching the action trigger", "execution", e.ID, "err", err)
	}
}
