package pack

import (
	"errors"
	"fmt"
	"sort"

	"github.com/st2go/st2go/internal/model"
	"github.com/st2go/st2go/internal/param"
)

// Parameter defaults are templates StackStorm renders only when an action
// runs, and it registers an action whatever its templates hold. The checks
// here find at registration what would otherwise surface one run at a
// time; they produce warnings, never errors, so the action still loads.
// They go through param's Parse and Refs, so they accept exactly what the
// renderer in use accepts.

// contextNames are the variables templates may read besides parameters
// (StackStorm's action_context, config_context and st2kv).
var contextNames = map[string]bool{"action_context": true, "config_context": true, "st2kv": true}

// defaultTemplate is one template inside a parameter default.
type defaultTemplate struct {
	src string
	// inside is set when the template is an item or key of a list or map
	// default rather than the whole default.
	inside bool
}

// defaultTemplates returns the templates in a default, as param finds
// them: the default itself when it is a string, or the strings and keys
// inside a list or map (map keys in order), in order.
func defaultTemplates(v any) []defaultTemplate {
	var out []defaultTemplate
	var walk func(v any, inside bool)
	walk = func(v any, inside bool) {
		switch x := v.(type) {
		case string:
			if param.IsTemplate(x) {
				out = append(out, defaultTemplate{src: x, inside: inside})
			}
		case []any:
			for _, e := range x {
				walk(e, true)
			}
		case map[string]any:
			keys := make([]string, 0, len(x))
			for k := range x {
				keys = append(keys, k)
			}
			sort.Strings(keys)
			for _, k := range keys {
				walk(k, true)
				walk(x[k], true)
			}
		}
	}
	walk(v, false)
	return out
}

// paramsInFileOrder returns an action's parameter names in the order they
// appear in its file (by name where the lines are unknown or equal).
func paramsInFileOrder(a *model.Action, meta *actionMeta) []string {
	names := make([]string, 0, len(a.Parameters))
	for name := range a.Parameters {
		names = append(names, name)
	}
	sort.Slice(names, func(i, j int) bool {
		if li, lj := paramLine(meta, names[i]), paramLine(meta, names[j]); li != lj {
			return li < lj
		}
		return names[i] < names[j]
	})
	return names
}

// paramLine is the line of a parameter's name, or 0.
func paramLine(meta *actionMeta, name string) int {
	if pm := meta.params[name]; pm != nil {
		return pm.keyLine
	}
	return 0
}

// templateWarnings parses every template in the action's parameter
// defaults and reports each one that does not parse, located at the line
// of its parameter.
func templateWarnings(a *model.Action, meta *actionMeta) []error {
	var warns []error
	for _, name := range paramsInFileOrder(a, meta) {
		spec := a.Parameters[name]
		if spec == nil {
			continue
		}
		for _, dt := range defaultTemplates(spec.Default) {
			_, err := param.Parse(dt.src)
			if err == nil {
				continue
			}
			what := "default"
			if dt.inside {
				what = fmt.Sprintf("default item %q", dt.src)
			}
			var se *param.SyntaxError
			if errors.As(err, &se) {
				err = fmt.Errorf("parameter %q: %s: %w; it is not a template, so it will be used as it is", name, what, err)
			} else {
				err = fmt.Errorf("parameter %q: %s: %w", name, what, err)
			}
			warns = append(warns, &Error{File: meta.file, Line: paramLine(meta, name), Err: err})
		}
	}
	return warns
}

// referenceWarnings reports every name the templates in the action's
// parameter defaults read that nothing will define when the action runs:
// not one of its parameters, nor one of its runner's, nor a context
// variable. Templates that do not parse were reported by templateWarnings.
func referenceWarnings(a *model.Action, meta *actionMeta, runnerParams model.Params) []error {
	var warns []error
	for _, name := range paramsInFileOrder(a, meta) {
		spec := a.Parameters[name]
		if spec == nil {
			continue
		}
		reported := map[string]bool{}
		for _, dt := range defaultTemplates(spec.Default) {
			t, err := param.Parse(dt.src)
			if err != nil {
				continue
			}
			for _, ref := range t.Refs() {
				_, inAction := a.Parameters[ref]
				_, inRunner := runnerParams[ref]
				if inAction || inRunner || contextNames[ref] || reported[ref] {
					continue
				}
				reported[ref] = true
				warns = append(warns, &Error{File: meta.file, Line: paramLine(meta, name), Err: fmt.Errorf(
					"parameter %q: default refers to %q, which is not a parameter of the action or of runner %q, "+
						"nor action_context, config_context or st2kv", name, ref, a.RunnerType)})
			}
		}
	}
	return warns
}
