package rulesengine

import (
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"sync"

	"github.com/st2go/st2go/internal/execution"
	"github.com/st2go/st2go/internal/expr"
	"github.com/st2go/st2go/internal/expr/jinja"
	"github.com/st2go/st2go/internal/model"
	"github.com/st2go/st2go/internal/rules"
	"github.com/st2go/st2go/internal/store"
)

// EnforcerOptions configure a RuleEnforcer.
type EnforcerOptions struct {
	Store      store.Backend
	Executions *execution.Service
	// SystemUser is [system_user] user: rule-triggered executions run as it.
	SystemUser string
	// Datastore serves st2kv.system lookups in criteria patterns; nil: none.
	Datastore expr.Datastore
	Logger    *slog.Logger
}

// RuleEnforcer matches trigger instances against the stored rules (kept in
// an index by trigger, so unrelated rules cost nothing) and runs the
// matched rules' actions, recording a rule enforcement for each.
type RuleEnforcer struct {
	opts EnforcerOptions
	log  *slog.Logger
	ev   *rules.Evaluator

	mu    sync.RWMutex
	index *rules.Index
	// parsed caches rules by ref with the document they were parsed
	// from, so a reload parses only what changed (guarded by reloadMu).
	reloadMu sync.Mutex
	parsed   map[string]parsedRule
}

type parsedRule struct {
	doc  string
	rule *rules.Rule
}

// NewEnforcer returns an enforcer with an empty index; call Reload.
func NewEnforcer(opts EnforcerOptions) *RuleEnforcer {
	l := opts.Logger
	if l == nil {
		l = slog.New(slog.DiscardHandler)
	}
	idx, _ := rules.NewIndex()
	e := &RuleEnforcer{opts: opts, log: l.With("component", "rulesengine"), index: idx, parsed: map[string]parsedRule{}}
	e.ev = &rules.Evaluator{Render: e.renderPattern}
	return e
}

// renderPattern renders a criteria pattern with StackStorm's Jinja
// environment; besides the payload (trigger) it sees the system datastore
// as st2kv.system and, as StackStorm keeps for old rules, as system.
func (e *RuleEnforcer) renderPattern(template string, vars map[string]any) (string, error) {
	v, err := expr.FromGo(vars)
	if err != nil {
		return "", err
	}
	d, _ := v.(*expr.Dict)
	if e.opts.Datastore != nil {
		sys := jinja.NewKVLookup(e.opts.Datastore, "system", "")
		d.Set("system", sys)
		d.Set("st2kv", expr.DictOf("system", sys))
	}
	return jinja.ST2.Render(context.Background(), template, d, &expr.Env{Datastore: e.opts.Datastore})
}

// Reload rebuilds the index from the store. Call it after rules change.
func (e *RuleEnforcer) Reload(ctx context.Context) error {
	e.reloadMu.Lock()
	defer e.reloadMu.Unlock()
	stored, err := e.opts.Store.Rules().List(ctx)
	if err != nil {
		return fmt.Errorf("loading rules: %w", err)
	}
	var list []*rules.Rule
	next := make(map[string]parsedRule, len(stored))
	for _, sr := range stored {
		if p, ok := e.parsed[sr.Ref]; ok && p.doc == string(sr.Doc) {
			next[sr.Ref] = p
			list = append(list, p.rule)
			continue
		}
		r, err := rules.ParseRuleJSON(sr.Doc, rules.Options{})
		if err != nil {
			e.log.Warn("stored rule not loaded", "rule", sr.Ref, "err", err)
			continue
		}
		r.ID = sr.ID
		next[sr.Ref] = parsedRule{doc: string(sr.Doc), rule: r}
		list = append(list, r)
	}
	e.parsed = next
	idx, err := rules.NewIndex(list...)
	if err != nil {
		return fmt.Errorf("indexing rules: %w", err)
	}
	e.mu.Lock()
	e.index = idx
	e.mu.Unlock()
	return nil
}

// Plan implements Enforcer.
func (e *RuleEnforcer) Plan(ctx context.Context, ti *model.TriggerInstance, triggerType string, params map[string]any) (func(context.Context) error, error) {
	e.mu.RLock()
	idx := e.index
	e.mu.RUnlock()
	evs, err := idx.Match(triggerType, params, ti.Payload, e.ev)
	if err != nil {
		return nil, err
	}
	var work []func(context.Context)
	for _, ev := range evs {
		if ev.Skipped {
			continue
		}
		for _, ce := range ev.Result.Errors {
			reason := ce.FailureReason(ev.Rule.Ref, ti.ID)
			work = append(work, func(ctx context.Context) { e.record(ctx, ev.Rule, ti, "", reason) })
		}
		if ev.Result.Matched {
			work = append(work, func(ctx context.Context) { e.enforce(ctx, ev.Rule, ti) })
		} else if ev.Result.Miss != nil && e.log.Enabled(ctx, slog.LevelDebug) {
			e.log.Debug("rule did not match", "rule", ev.Rule.Ref, "trigger_instance", ti.ID, "why", ev.Result.Miss.String())
		}
	}
	if len(work) == 0 {
		return nil, nil
	}
	return func(ctx context.Context) error {
		for _, w := range work {
			w(ctx)
		}
		return nil
	}, nil
}

// enforce requests the rule's action and records the enforcement.
func (e *RuleEnforcer) enforce(ctx context.Context, r *rules.Rule, ti *model.TriggerInstance) {
	execCtx := map[string]any{
		"trigger_instance": map[string]any{"id": ti.ID, "name": nil},
		"rule":             map[string]any{"id": r.ID, "name": r.Name},
		"user":             e.opts.SystemUser,
	}
	ex, err := e.opts.Executions.Create(ctx, execution.Request{
		Action: r.Action.Ref, Parameters: copyParams(r.Action.Parameters), Context: execCtx, User: e.opts.SystemUser,
		Extra: map[string]any{"trigger": ti.Payload},
	})
	if err != nil {
		e.record(ctx, r, ti, "", err.Error())
		return
	}
	e.record(ctx, r, ti, ex.ID, "")
}

func (e *RuleEnforcer) record(ctx context.Context, r *rules.Rule, ti *model.TriggerInstance, executionID, failure string) {
	re := &model.RuleEnforcement{ID: model.NewID(), Rule: model.RuleRef{ID: r.ID, Ref: r.Ref, UID: r.UID},
		TriggerInstanceID: ti.ID, ExecutionID: executionID, FailureReason: failure, EnforcedAt: model.Now(),
		Status: model.EnforcementSucceeded}
	if failure != "" {
		re.Status = model.EnforcementFailed
		e.log.Warn("rule enforcement failed", "rule", r.Ref, "trigger_instance", ti.ID, "reason", failure)
	}
	if err := e.opts.Store.RuleEnforcements().Create(ctx, re); err != nil {
		e.log.Error("recording a rule enforcement", "rule", r.Ref, "err", err)
	}
}

// copyParams deep-copies the rule's parameters so rendering never changes the indexed rule.
func copyParams(p map[string]any) map[string]any {
	if p == nil {
		return map[string]any{}
	}
	b, _ := json.Marshal(p)
	var out map[string]any
	json.Unmarshal(b, &out)
	return out
}
