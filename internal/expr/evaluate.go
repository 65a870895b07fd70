package expr

import (
	"context"
	"sort"
)

// Evaluator is one expression language as Orquesta drives it
// (orquesta.expressions.base.Evaluator): the yaql and jinja packages each
// provide one.
type Evaluator interface {
	// Lang is the language name Orquesta reports: "yaql" or "jinja".
	Lang() string
	// HasExpressions reports whether text holds an expression of this
	// language.
	HasExpressions(text string) bool
	// Evaluate evaluates text as Orquesta does: one expression alone
	// keeps its type, text around or between expressions makes a string.
	Evaluate(ctx context.Context, text string, env *Env, lim Limits) (any, error)
	// Validate parses text and reports its syntax errors.
	Validate(text string) []ValidationError
	// ExtractVars returns the workflow variables text reads through ctx()
	// (duplicates allowed).
	ExtractVars(text string) []string
}

// ValidationError is one error Orquesta's inspection reports for an
// expression. Type is the language, "" when the text mixes languages.
type ValidationError struct {
	Type       string
	Expression string
	Message    string
}

// VarRef is a variable an expression reads: the language, the whole
// statement and the variable name.
type VarRef struct {
	Lang, Statement, Name string
}

// EvaluateAny is Orquesta's expressions.evaluate: strings are evaluated
// by the first evaluator (in the order given; Orquesta's is yaql, jinja)
// that finds an expression in them, so a string mixing languages is
// evaluated only as the first; dict keys and values and list items are
// evaluated recursively; other values are returned as they are.
func EvaluateAny(ctx context.Context, statement any, env *Env, lim Limits, evs ...Evaluator) (any, error) {
	switch s := statement.(type) {
	case string:
		for _, ev := range evs {
			if ev.HasExpressions(s) {
				return ev.Evaluate(ctx, s, env, lim)
			}
		}
		return s, nil
	case []any:
		out := make([]any, len(s))
		for i, e := range s {
			v, err := EvaluateAny(ctx, e, env, lim, evs...)
			if err != nil {
				return nil, err
			}
			out[i] = v
		}
		return out, nil
	case *Dict:
		out := NewDict(s.Len())
		for i, k := range s.keys {
			nk, err := EvaluateAny(ctx, k, env, lim, evs...)
			if err != nil {
				return nil, err
			}
			nv, err := EvaluateAny(ctx, s.vals[i], env, lim, evs...)
			if err != nil {
				return nil, err
			}
			if err := out.SetKey(nk, nv); err != nil {
				return nil, err
			}
		}
		return out, nil
	}
	return statement, nil
}

// ValidateAny is Orquesta's expressions.validate: every string is
// validated by the one evaluator that finds expressions in it; a string
// with expressions of several languages is an error.
func ValidateAny(statement any, evs ...Evaluator) []ValidationError {
	var errs []ValidationError
	switch s := statement.(type) {
	case string:
		var found []Evaluator
		for _, ev := range evs {
			if ev.HasExpressions(s) {
				found = append(found, ev)
			}
		}
		switch len(found) {
		case 0:
		case 1:
			errs = append(errs, found[0].Validate(s)...)
		default:
			errs = append(errs, ValidationError{Expression: s, Message: "Expression with multiple types is not supported."})
		}
	case []any:
		for _, e := range s {
			errs = append(errs, ValidateAny(e, evs...)...)
		}
	case *Dict:
		for i, k := range s.keys {
			errs = append(errs, ValidateAny(k, evs...)...)
			errs = append(errs, ValidateAny(s.vals[i], evs...)...)
		}
	}
	return errs
}

// ExtractVarsAny is Orquesta's expressions.extract_vars: the variables
// every string in statement reads, without duplicates, sorted by name.
func ExtractVarsAny(statement any, evs ...Evaluator) []VarRef {
	seen := map[VarRef]bool{}
	var walk func(v any)
	walk = func(v any) {
		switch s := v.(type) {
		case string:
			for _, ev := range evs {
				for _, name := range ev.ExtractVars(s) {
					if name != "" {
						seen[VarRef{Lang: ev.Lang(), Statement: s, Name: name}] = true
					}
				}
			}
		case []any:
			for _, e := range s {
				walk(e)
			}
		case *Dict:
			for i, k := range s.keys {
				walk(k)
				walk(s.vals[i])
			}
		}
	}
	walk(statement)
	out := make([]VarRef, 0, len(seen))
	for r := range seen {
		out = append(out, r)
	}
	sort.Slice(out, func(i, j int) bool {
		a, b := out[i], out[j]
		if a.Name != b.Name {
			return a.Name < b.Name
		}
		if a.Lang != b.Lang {
			return a.Lang > b.Lang // yaql before jinja, Orquesta's order
		}
		return a.Statement < b.Statement
	})
	return out
}
