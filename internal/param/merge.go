package param

import (
	"fmt"
	"reflect"
	"sort"

	"github.com/st2go/st2go/internal/model"
)

// OverrideError reports an action parameter that redeclares a runner
// parameter's attribute other than default, description, enum, immutable or
// required with a different value.
type OverrideError struct {
	// Action is the action's ref; callers that know it set it so the
	// message reads as StackStorm's.
	Action string
	Param  string
	Attr   string
}

func (e *OverrideError) Error() string {
	if e.Action == "" {
		return fmt.Sprintf("The attribute %q for the runner parameter %q cannot be overridden.", e.Attr, e.Param)
	}
	return fmt.Sprintf("The attribute %q for the runner parameter %q in action %q cannot be overridden.", e.Attr, e.Param, e.Action)
}

// Merge returns the parameter schema an action's executions are validated
// against: the runner's parameters, deep-merged with the action's (an action
// may pin a runner parameter's default, description, enum, immutable or
// required; nested maps such as object defaults merge key by key).
//
// Redeclaring any other attribute with a different value is an
// *OverrideError. Because ParamSpec holds required and immutable as plain
// booleans, an action can turn them on but not off.
//
// The result shares nothing with its inputs.
func Merge(runnerParams, actionParams model.Params) (model.Params, error) {
	out := make(model.Params, len(runnerParams)+len(actionParams))
	for name, spec := range runnerParams {
		out[name] = cloneSpec(spec)
	}
	names := make([]string, 0, len(actionParams))
	for name := range actionParams {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		a := actionParams[name]
		r, isRunner := runnerParams[name]
		if !isRunner || r == nil {
			out[name] = cloneSpec(a)
			continue
		}
		if a == nil {
			continue
		}
		if attr := lockedAttrChanged(r, a); attr != "" {
			return nil, &OverrideError{Param: name, Attr: attr}
		}
		out[name] = mergeSpec(r, a)
	}
	return out, nil
}

// lockedAttrChanged returns the first attribute an action may not override
// that it declares with a value different from the runner's.
func lockedAttrChanged(r, a *model.ParamSpec) string {
	switch {
	case a.Type != nil && !reflect.DeepEqual(a.Type, r.Type):
		return "type"
	case a.Secret && !r.Secret:
		return "secret"
	case a.Position != nil && (r.Position == nil || *a.Position != *r.Position):
		return "position"
	case a.Items != nil && !reflect.DeepEqual(a.Items, r.Items):
		return "items"
	case a.Properties != nil && !reflect.DeepEqual(a.Properties, r.Properties):
		return "properties"
	case a.AdditionalProperties != nil && !reflect.DeepEqual(a.AdditionalProperties, r.AdditionalProperties):
		return "additionalProperties"
	case a.Minimum != nil && (r.Minimum == nil || *a.Minimum != *r.Minimum):
		return "minimum"
	case a.Maximum != nil && (r.Maximum == nil || *a.Maximum != *r.Maximum):
		return "maximum"
	case a.MinLength != nil && (r.MinLength == nil || *a.MinLength != *r.MinLength):
		return "minLength"
	case a.MaxLength != nil && (r.MaxLength == nil || *a.MaxLength != *r.MaxLength):
		return "maxLength"
	case a.Pattern != "" && a.Pattern != r.Pattern:
		return "pattern"
	case a.Format != "" && a.Format != r.Format:
		return "format"
	}
	keys := make([]string, 0, len(a.Extra))
	for k := range a.Extra {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		if !reflect.DeepEqual(a.Extra[k], r.Extra[k]) {
			return k
		}
	}
	return ""
}

// mergeSpec deep-merges a over r (StackStorm's deep_update).
func mergeSpec(r, a *model.ParamSpec) *model.ParamSpec {
	m := cloneSpec(r)
	if a.Description != "" {
		m.Description = a.Description
	}
	if a.Default != nil {
		m.Default = deepUpdate(m.Default, a.Default)
	}
	m.Required = m.Required || a.Required
	m.Immutable = m.Immutable || a.Immutable
	if a.Enum != nil {
		m.Enum = cloneValue(a.Enum).([]any)
	}
	// The locked attributes are equal or unset in r; take a's when set.
	if a.Type != nil {
		m.Type = cloneValue(a.Type)
	}
	m.Secret = m.Secret || a.Secret
	if a.Position != nil {
		p := *a.Position
		m.Position = &p
	}
	for k, v := range a.Extra {
		if m.Extra == nil {
			m.Extra = map[string]any{}
		}
		m.Extra[k] = deepUpdate(m.Extra[k], v)
	}
	return m
}

// deepUpdate merges maps key by key; anything else replaces.
func deepUpdate(dst, src any) any {
	sm, ok := src.(map[string]any)
	if !ok {
		return cloneValue(src)
	}
	dm, ok := dst.(map[string]any)
	if !ok {
		dm = map[string]any{}
	}
	for k, v := range sm {
		dm[k] = deepUpdate(dm[k], v)
	}
	return dm
}

// cloneSpec deep-copies a spec.
func cloneSpec(s *model.ParamSpec) *model.ParamSpec {
	if s == nil {
		return &model.ParamSpec{}
	}
	c := *s
	c.Type = cloneValue(s.Type)
	c.Default = cloneValue(s.Default)
	if s.Enum != nil {
		c.Enum = cloneValue(s.Enum).([]any)
	}
	if s.Items != nil {
		c.Items = cloneValue(s.Items).(map[string]any)
	}
	if s.Properties != nil {
		c.Properties = cloneValue(s.Properties).(map[string]any)
	}
	c.AdditionalProperties = cloneValue(s.AdditionalProperties)
	if s.Extra != nil {
		c.Extra = cloneValue(s.Extra).(map[string]any)
	}
	for _, p := range []**float64{&c.Minimum, &c.Maximum} {
		if *p != nil {
			v := **p
			*p = &v
		}
	}
	for _, p := range []**int{&c.Position, &c.MinLength, &c.MaxLength} {
		if *p != nil {
			v := **p
			*p = &v
		}
	}
	return &c
}

// cloneValue deep-copies the maps and slices of a decoded JSON/YAML value.
func cloneValue(v any) any {
	switch x := v.(type) {
	case map[string]any:
		m := make(map[string]any, len(x))
		for k, e := range x {
			m[k] = cloneValue(e)
		}
		return m
	case []any:
		s := make([]any, len(x))
		for i, e := range x {
			s[i] = cloneValue(e)
		}
		return s
	}
	return v
}
