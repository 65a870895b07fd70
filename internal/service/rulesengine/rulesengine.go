// Package rulesengine is st2go's st2rulesengine: it takes trigger
// instances off st2.trigger_instances_dispatch, records each one
// (pending → processing → processed | processing_failed), and hands it to
// the rule matcher, whose matches become executions.
package rulesengine

import (
	"context"
	"encoding/json"
	"log/slog"
	"strings"

	"github.com/st2go/st2go/internal/bus"
	"github.com/st2go/st2go/internal/model"
	"github.com/st2go/st2go/internal/store"
	"github.com/st2go/st2go/internal/trigger"
)

// Queue is the work queue the rules engines share.
const Queue = "st2.trigger_instances_dispatch.rules_engine"

// Enforcer matches trigger instances against the rules of their trigger.
// Plan returns the work the matched rules need (nil when none matches),
// run once the instance is recorded; nil Enforcer means no rules at all.
type Enforcer interface {
	Plan(ctx context.Context, ti *model.TriggerInstance, triggerType string, triggerParams map[string]any) (enforce func(context.Context) error, err error)
}

// Options configure the engine.
type Options struct {
	Store    store.Backend
	Bus      bus.Backend
	Enforcer Enforcer
	// ValidatePayload is [system] validate_trigger_payload: instances of
	// pack-defined trigger types whose payload does not match the type's
	// payload_schema are dropped (with a warning), as StackStorm does.
	ValidatePayload bool
	Logger          *slog.Logger
	Workers         int
}

// Engine is the rules engine service.
type Engine struct {
	opts Options
	log  *slog.Logger
}

// New returns an engine.
func New(opts Options) *Engine {
	if opts.Workers <= 0 {
		opts.Workers = 16
	}
	l := opts.Logger
	if l == nil {
		l = slog.New(slog.DiscardHandler)
	}
	return &Engine{opts: opts, log: l.With("component", "rulesengine")}
}

// Run consumes trigger instances until ctx ends.
func (e *Engine) Run(ctx context.Context) error {
	return bus.Serve(ctx, e.opts.Bus, bus.Bind(Queue, bus.ExchangeTriggerDispatch, "#"), e.opts.Workers, e.handle)
}

func (e *Engine) handle(ctx context.Context, body []byte) {
	var msg trigger.Dispatch
	if err := json.Unmarshal(body, &msg); err != nil {
		e.log.Error("decoding a trigger instance", "err", err)
		return
	}
	ref, typ, params := e.resolve(ctx, msg.Trigger)
	params = integral(params).(map[string]any)
	if ref == "" {
		e.log.Warn("trigger instance for an unknown trigger dropped", "trigger", msg.Trigger)
		return
	}
	payload := msg.Payload
	if payload == nil {
		payload = map[string]any{}
	}
	if e.opts.ValidatePayload && !strings.HasPrefix(typ, "core.") {
		if tt, err := e.opts.Store.TriggerTypes().Get(ctx, typ); err == nil {
			if err := trigger.ValidatePayload(tt.PayloadSchema, payload); err != nil {
				e.log.Warn("trigger instance dropped", "trigger", ref, "err", err)
				return
			}
		}
	}
	ti := &model.TriggerInstance{ID: model.NewID(), Trigger: ref, Payload: payload,
		OccurrenceTime: model.Now(), Status: model.TriggerInstanceProcessing}
	var enforce func(context.Context) error
	if e.opts.Enforcer != nil {
		var err error
		if enforce, err = e.opts.Enforcer.Plan(ctx, ti, typ, params); err != nil {
			e.log.Error("matching rules", "trigger", ref, "err", err)
			ti.Status = model.TriggerInstanceProcessingFailed
		}
	}
	// An instance no rule wants is recorded once, already processed: most
	// instances (every execution's action trigger) are of that kind.
	if enforce == nil && ti.Status == model.TriggerInstanceProcessing {
		ti.Status = model.TriggerInstanceProcessed
	}
	if err := e.opts.Store.TriggerInstances().Create(ctx, ti); err != nil {
		e.log.Error("recording a trigger instance", "trigger", ref, "err", err)
		return
	}
	if enforce == nil {
		return
	}
	status := model.TriggerInstanceProcessed
	if err := enforce(ctx); err != nil {
		e.log.Error("processing a trigger instance", "trigger_instance", ti.ID, "err", err)
		status = model.TriggerInstanceProcessingFailed
	}
	e.setStatus(ctx, ti.ID, status)
}

func (e *Engine) setStatus(ctx context.Context, id, status string) {
	if err := e.opts.Store.TriggerInstances().SetStatus(ctx, id, status); err != nil {
		e.log.Error("updating a trigger instance", "trigger_instance", id, "err", err)
	}
}

// resolve finds the trigger of a dispatch: a ref (a trigger, or a trigger
// type without parameters) or {type, parameters[, ref]}.
func (e *Engine) resolve(ctx context.Context, t any) (ref, typ string, params map[string]any) {
	switch x := t.(type) {
	case string:
		if tr, err := e.opts.Store.Triggers().Get(ctx, x); err == nil {
			return tr.Ref, tr.Type, tr.Parameters
		}
		if tt, err := e.opts.Store.TriggerTypes().Get(ctx, x); err == nil {
			return tt.Ref, tt.Ref, nil
		}
	case map[string]any:
		typ, _ := x["type"].(string)
		params, _ := x["parameters"].(map[string]any)
		if r, _ := x["ref"].(string); r != "" {
			return r, typ, params
		}
		return typ, typ, params
	}
	return "", "", nil
}

// integral turns whole float64 numbers (how JSON decoding reads every
// number) back into int64, so trigger parameters compare equal to the ones
// a rule declared (a timer's delta: 1, not 1.0).
func integral(v any) any {
	switch x := v.(type) {
	case float64:
		if x == float64(int64(x)) {
			return int64(x)
		}
	case map[string]any:
		out := make(map[string]any, len(x))
		for k, e := range x {
			out[k] = integral(e)
		}
		return out
	case []any:
		out := make([]any, len(x))
		for i, e := range x {
			out[i] = integral(e)
		}
		return out
	}
	return v
}
