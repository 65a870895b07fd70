package rules

import (
	"fmt"

	"github.com/st2go/st2go/internal/expr"
	"github.com/st2go/st2go/internal/model"
)

// Rule types: a backstop rule fires only when no standard rule matched
// the trigger instance.
const (
	TypeStandard = "standard"
	TypeBackstop = "backstop"
)

// DefaultPack is the pack of a rule that names none.
const DefaultPack = "default"

// Rule is a rule in the JSON shape of StackStorm's RuleAPI.
type Rule struct {
	ID          string      `json:"id,omitempty"`
	UID         string      `json:"uid"`
	Ref         string      `json:"ref"`
	Name        string      `json:"name"`
	Pack        string      `json:"pack"`
	Description string      `json:"description,omitempty"`
	Enabled     bool        `json:"enabled"`
	Trigger     TriggerSpec `json:"trigger"`
	Criteria    Criteria    `json:"criteria"`
	Action      ActionSpec  `json:"action"`
	Type        TypeSpec    `json:"type"`
	Tags        []model.Tag `json:"tags"`
	// Context is free-form and stored as given.
	Context map[string]any `json:"context"`
	// MetadataFile is the rule's file relative to its pack directory
	// ("rules/x.yaml"), or "" for a rule created through the API.
	MetadataFile string `json:"metadata_file"`

	// Warnings are problems found while loading that StackStorm accepts
	// silently but that probably make the rule misbehave (a criteria key
	// given twice, a criteria path outside "trigger", an unknown rule
	// type). They are not part of the API shape.
	Warnings []string `json:"-"`
}

// TriggerSpec is the trigger a rule listens to: a trigger type and, for
// parameterised trigger types (webhooks, timers), its parameters.
type TriggerSpec struct {
	Type string `json:"type"`
	// Ref is the reference of the trigger object StackStorm creates for
	// the rule ("<pack>.<uuid>" for a parameterised trigger, else the
	// type's ref); the store fills it in.
	Ref         string         `json:"ref,omitempty"`
	Parameters  map[string]any `json:"parameters"`
	Description string         `json:"description,omitempty"`
}

// ActionSpec is the action a rule runs, with parameters that are Jinja
// templates rendered with the trigger payload.
type ActionSpec struct {
	Ref         string         `json:"ref"`
	Parameters  map[string]any `json:"parameters"`
	Description string         `json:"description,omitempty"`
}

// TypeSpec is the rule's type: standard or backstop.
type TypeSpec struct {
	Ref        string         `json:"ref"`
	Parameters map[string]any `json:"parameters"`
}

// IsBackstop reports whether the rule is a backstop rule.
func (r *Rule) IsBackstop() bool { return r.Type.Ref == TypeBackstop }

// setDerived fills in the fields StackStorm computes: ref and uid.
func (r *Rule) setDerived() {
	r.Ref = r.Pack + "." + r.Name
	r.UID = "rule:" + r.Pack + ":" + r.Name
}

// TriggerKey identifies the trigger a rule listens to: the trigger type
// and its parameters. Rules with the same key share StackStorm's trigger
// object, and a trigger instance of that trigger is matched against them
// all.
func (r *Rule) TriggerKey() (string, error) {
	return TriggerKey(r.Trigger.Type, r.Trigger.Parameters)
}

// TriggerKey identifies a trigger by its type and parameters: the type
// ref alone when there are no parameters, else the type ref and the
// parameters as JSON with sorted keys.
func TriggerKey(triggerType string, params map[string]any) (string, error) {
	if len(params) == 0 {
		return triggerType, nil
	}
	v, err := expr.FromGo(params)
	if err != nil {
		return "", fmt.Errorf("reading trigger parameters: %w", err)
	}
	s, err := expr.ToJSONWith(v, expr.JSONOptions{SortKeys: true, ItemSep: ",", KeySep: ":"})
	if err != nil {
		return "", fmt.Errorf("encoding trigger parameters: %w", err)
	}
	return triggerType + " " + s, nil
}
