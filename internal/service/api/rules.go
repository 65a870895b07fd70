package api

import (
	"context"
	"errors"
	"io"
	"net/http"
	"strings"

	"github.com/st2go/st2go/internal/content"
	"github.com/st2go/st2go/internal/model"
	"github.com/st2go/st2go/internal/rules"
	"github.com/st2go/st2go/internal/store"
)

func (a *API) rulesChanged(ctx context.Context) {
	if a.opts.RulesChanged != nil {
		a.opts.RulesChanged(ctx)
	}
}

func (a *API) loadRule(sr *model.StoredDoc) (*rules.Rule, error) {
	r, err := rules.ParseRuleJSON(sr.Doc, rules.Options{})
	if err != nil {
		return nil, err
	}
	r.ID = sr.ID
	return r, nil
}

func (a *API) findRule(r *http.Request) (*rules.Rule, error) {
	ref := r.PathValue("ref")
	sr, err := a.opts.Store.Rules().Get(r.Context(), ref)
	if errors.Is(err, store.ErrNotFound) {
		return nil, notFound("Resource with a reference or id \"%s\" not found", ref)
	}
	if err != nil {
		return nil, err
	}
	return a.loadRule(sr)
}

func (a *API) listRules(r *http.Request) (*response, error) {
	p, err := parseList(r)
	if err != nil {
		return nil, err
	}
	stored, err := a.opts.Store.Rules().List(r.Context())
	if err != nil {
		return nil, err
	}
	q := r.URL.Query()
	out := []*rules.Rule{}
	for _, sr := range stored {
		rule, err := a.loadRule(sr)
		if err != nil {
			continue
		}
		switch {
		case q.Get("pack") != "" && rule.Pack != q.Get("pack"):
		case q.Get("name") != "" && rule.Name != q.Get("name"):
		case q.Get("action") != "" && rule.Action.Ref != q.Get("action"):
		case q.Get("trigger") != "" && rule.Trigger.Type != q.Get("trigger") && rule.Trigger.Ref != q.Get("trigger"):
		case q.Get("enabled") != "" && rule.Enabled != queryBool(r, "enabled"):
		default:
			out = append(out, rule)
		}
	}
	return listResponse(page(out, p), len(out), p)
}

func (a *API) getRule(r *http.Request) (*response, error) {
	rule, err := a.findRule(r)
	if err != nil {
		return nil, err
	}
	return ok(rule)
}

// parseRuleBody reads a rule document, reporting every problem as a 400.
// The bytes go to the rules package as they are: criteria are evaluated
// in the order written, which a Go map would lose.
func parseRuleBody(r *http.Request) (*rules.Rule, error) {
	b, err := io.ReadAll(io.LimitReader(r.Body, 16<<20))
	if err != nil {
		return nil, badRequest("reading the request body: %v", err)
	}
	rule, err := rules.ParseRuleJSON(b, rules.Options{})
	if err != nil {
		return nil, badRequest("%s", strings.TrimSpace(err.Error()))
	}
	return rule, nil
}

func (a *API) createRule(r *http.Request) (*response, error) {
	rule, err := parseRuleBody(r)
	if err != nil {
		return nil, err
	}
	if _, err := a.opts.Store.Rules().Get(r.Context(), rule.Ref); err == nil {
		return nil, &apiError{status: http.StatusConflict, msg: "Tried to save duplicate unique keys (rule with ref \"" + rule.Ref + "\" already exists)"}
	}
	rule.ID = model.NewID()
	if err := content.StoreRule(r.Context(), a.opts.Store, rule); err != nil {
		return nil, badRequest("%s", err.Error())
	}
	a.rulesChanged(r.Context())
	return created(rule)
}

func (a *API) updateRule(r *http.Request) (*response, error) {
	old, err := a.findRule(r)
	if err != nil {
		return nil, err
	}
	rule, err := parseRuleBody(r)
	if err != nil {
		return nil, err
	}
	if rule.Ref != old.Ref {
		if err := a.opts.Store.Rules().Delete(r.Context(), old.Ref); err != nil {
			return nil, err
		}
	}
	rule.ID = old.ID
	if err := content.StoreRule(r.Context(), a.opts.Store, rule); err != nil {
		return nil, badRequest("%s", err.Error())
	}
	a.rulesChanged(r.Context())
	return ok(rule)
}

func (a *API) deleteRule(r *http.Request) (*response, error) {
	rule, err := a.findRule(r)
	if err != nil {
		return nil, err
	}
	if err := a.opts.Store.Rules().Delete(r.Context(), rule.Ref); err != nil {
		return nil, err
	}
	a.rulesChanged(r.Context())
	return &response{status: http.StatusNoContent, raw: []byte{}}, nil
}

var ruleTypes = []map[string]any{
	{"id": "5f00000000000000000000a1", "name": "standard", "description": "standard rule that is always applicable.", "enabled": true, "parameters": map[string]any{}},
	{"id": "5f00000000000000000000a2", "name": "backstop", "description": "Rule that applies when no other rule has matched for a specific Trigger.", "enabled": true, "parameters": map[string]any{}},
}

func (a *API) listRuleTypes(*http.Request) (*response, error) { return ok(ruleTypes) }

func (a *API) getRuleType(r *http.Request) (*response, error) {
	for _, t := range ruleTypes {
		if t["id"] == r.PathValue("id") || t["name"] == r.PathValue("id") {
			return ok(t)
		}
	}
	return nil, notFound("Resource with a id \"%s\" not found", r.PathValue("id"))
}

func (a *API) listRuleEnforcements(r *http.Request) (*response, error) {
	p, err := parseList(r)
	if err != nil {
		return nil, err
	}
	all, err := a.opts.Store.RuleEnforcements().List(r.Context())
	if err != nil {
		return nil, err
	}
	q := r.URL.Query()
	var after, before *model.Time
	for name, dst := range map[string]**model.Time{"enforced_at_gt": &after, "enforced_at_lt": &before} {
		if v := q.Get(name); v != "" {
			t, err := model.ParseTime(v)
			if err != nil {
				return nil, badRequest("Invalid %s \"%s\": %v", name, v, err)
			}
			*dst = &t
		}
	}
	out := []*model.RuleEnforcement{}
	for _, e := range all {
		switch {
		case q.Get("rule_ref") != "" && e.Rule.Ref != q.Get("rule_ref"):
		case q.Get("rule_id") != "" && e.Rule.ID != q.Get("rule_id"):
		case q.Get("execution") != "" && e.ExecutionID != q.Get("execution"):
		case q.Get("trigger_instance") != "" && e.TriggerInstanceID != q.Get("trigger_instance"):
		case after != nil && !e.EnforcedAt.After(after.Time):
		case before != nil && !e.EnforcedAt.Before(before.Time):
		default:
			out = append(out, e)
		}
	}
	return listResponse(page(out, p), len(out), p)
}

func (a *API) getRuleEnforcement(r *http.Request) (*response, error) {
	id := r.PathValue("id")
	e, err := a.opts.Store.RuleEnforcements().Get(r.Context(), id)
	if errors.Is(err, store.ErrNotFound) {
		return nil, notFound("Resource with a id \"%s\" not found", id)
	}
	if err != nil {
		return nil, err
	}
	return ok(e)
}
