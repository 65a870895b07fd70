package pack

import (
	"encoding/json"
	"fmt"
	"reflect"
	"sort"

	"github.com/st2go/st2go/internal/model"
)

// overridable are the attributes an action may change on a runner
// parameter it redeclares (StackStorm's RUNNER_PARAM_OVERRIDABLE_ATTRS).
var overridable = map[string]bool{
	"default": true, "description": true, "enum": true, "immutable": true, "required": true,
}

// RunnerParams returns the parameters of a runner type, and false when no
// runner of that name is known.
type RunnerParams func(runnerType string) (model.Params, bool)

// CheckRunners checks each action against its runner, as StackStorm's
// action validator does at registration: the runner must exist; a
// redeclared runner parameter may change only default, description, enum,
// immutable and required; a runner parameter that is immutable in the
// runner may not be redeclared immutable; and an action's own immutable
// parameter needs a default. Actions that fail are removed from
// l.Actions; the errors name their files and lines.
//
// A runner parameter's default is taken to exist, because the model
// cannot tell "default: null" from no default.
//
// For the actions it keeps, CheckRunners adds to l.Warnings every name a
// parameter default's template reads that is neither a parameter of the
// action or its runner nor a context variable.
func (l *Loaded) CheckRunners(runners RunnerParams) []error {
	var errs []error
	kept := l.Actions[:0]
	for _, a := range l.Actions {
		aerrs := l.checkRunner(a, runners)
		if len(aerrs) > 0 {
			errs = append(errs, aerrs...)
			continue
		}
		kept = append(kept, a)
		rparams, _ := runners(a.RunnerType)
		l.Warnings = append(l.Warnings, referenceWarnings(a, l.metaOf(a), rparams)...)
	}
	for i := len(kept); i < len(l.Actions); i++ {
		l.Actions[i] = nil
	}
	l.Actions = kept
	return errs
}

func (l *Loaded) checkRunner(a *model.Action, runners RunnerParams) []error {
	meta := l.metaOf(a)
	at := func(line int, format string, args ...any) error {
		return &Error{File: meta.file, Line: line, Err: fmt.Errorf(format, args...)}
	}
	rparams, ok := runners(a.RunnerType)
	if !ok {
		return []error{at(meta.runnerLine, "runner type %q is not registered", a.RunnerType)}
	}
	var errs []error
	names := make([]string, 0, len(a.Parameters))
	for name := range a.Parameters {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		pm := meta.params[name]
		if pm == nil {
			pm = &paramMeta{attrs: attrsOf(a.Parameters[name])}
		}
		rp, isRunnerParam := rparams[name]
		_, immutable := pm.attrs["immutable"]
		if !isRunnerParam {
			if _, hasDefault := pm.attrs["default"]; immutable && !hasDefault {
				errs = append(errs, at(pm.line, "parameter %q is immutable and needs a default", name))
			}
			continue
		}
		runnerAttrs := attrsOf(rp)
		attrNames := make([]string, 0, len(pm.attrs))
		for attr := range pm.attrs {
			attrNames = append(attrNames, attr)
		}
		sort.Strings(attrNames)
		for _, attr := range attrNames {
			if overridable[attr] || sameJSON(pm.attrs[attr], runnerAttrs[attr]) {
				continue
			}
			errs = append(errs, at(pm.line,
				"parameter %q: attribute %q of runner parameter cannot be overridden (runner %q)", name, attr, a.RunnerType))
		}
		if immutable && rp.Immutable {
			errs = append(errs, at(pm.line,
				"parameter %q is immutable in runner %q and cannot be redeclared immutable", name, a.RunnerType))
		}
	}
	return errs
}

// metaOf returns what Load recorded about an action's file, or an empty
// record naming its metadata file for an action Load did not read.
func (l *Loaded) metaOf(a *model.Action) *actionMeta {
	if meta := l.meta[a.Name]; meta != nil {
		return meta
	}
	return &actionMeta{file: a.MetadataFile, params: map[string]*paramMeta{}}
}

// attrsOf returns a spec's attributes as the JSON object the API shows.
func attrsOf(p *model.ParamSpec) map[string]any {
	m := map[string]any{}
	if p == nil {
		return m
	}
	b, err := json.Marshal(p)
	if err != nil {
		return m
	}
	_ = json.Unmarshal(b, &m)
	return m
}

// sameJSON compares two values as JSON, so 1 and 1.0 are equal. false
// equals an absent value, because runner definitions omit false flags.
func sameJSON(a, b any) bool {
	norm := func(v any) any {
		if v == nil || v == false {
			return nil
		}
		raw, err := json.Marshal(v)
		if err != nil {
			return v
		}
		var out any
		_ = json.Unmarshal(raw, &out)
		return out
	}
	return reflect.DeepEqual(norm(a), norm(b))
}
