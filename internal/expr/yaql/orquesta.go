package yaql

import (
	"context"
	"errors"
	"fmt"
	"regexp"
	"sort"
	"strings"

	"github.com/st2go/st2go/internal/expr"
)

// This file is Orquesta's YAQL evaluator facade
// (orquesta/expressions/yql.py): strings holding <% ... %> expressions.

// findExprs finds what Orquesta's regex "<%.*?%>" finds: "<%", the
// shortest run of characters other than a newline, "%>".
func findExprs(text string) [][2]int {
	var out [][2]int
	i := 0
	for {
		j := strings.Index(text[i:], "<%")
		if j < 0 {
			return out
		}
		start := i + j
		k := strings.Index(text[start+2:], "%>")
		if k < 0 {
			return out
		}
		end := start + 2 + k + 2
		if strings.IndexByte(text[start:end], '\n') >= 0 {
			i = start + 1
			continue
		}
		out = append(out, [2]int{start, end})
		i = end
	}
}

func findAll(text string) []string {
	locs := findExprs(text)
	out := make([]string, len(locs))
	for i, l := range locs {
		out[i] = text[l[0]:l[1]]
	}
	return out
}

// maxRecursion bounds re-evaluation of results that are themselves
// expressions (Python would hit its recursion limit).
const maxRecursion = 64

// HasExpressions reports whether text holds a <% %> expression.
func HasExpressions(text string) bool { return len(findExprs(text)) > 0 }

// stripDelimiter is Orquesta's expr.strip("<%>").strip(): it removes
// any run of '<', '%' and '>' at both ends, then whitespace.
func stripDelimiter(s string) string {
	return strings.TrimSpace(strings.Trim(s, "<%>"))
}

// Evaluate evaluates a string the way Orquesta's YAQL evaluator does:
// text without <% %> is returned unchanged; a string that is exactly one
// expression gives the expression's value (of any type); otherwise every
// expression is replaced by Python's str() of its value. A result that
// is a string holding expressions is evaluated again. Errors are
// *expr.Error values whose cause is an *EvaluationError worded as
// Orquesta's YaqlEvaluationException.
// lim bounds each expression's evaluation (zero fields: expr's
// defaults).
func (e *Engine) Evaluate(ctx context.Context, text string, env *expr.Env, lim expr.Limits) (any, error) {
	t := e.template(text)
	if len(t.locs) == 0 {
		return text, nil
	}
	return e.evaluateText(ctx, text, t, env, expr.NewBudget(ctx, lim), 0)
}

// template is a string's expressions, located and parsed once.
type template struct {
	locs  [][2]int
	exprs []*Expr
	errs  []error
}

// template returns the cached template of text.
func (e *Engine) template(text string) *template {
	if v, ok := e.locs.Load(text); ok {
		return v.(*template)
	}
	t := &template{locs: findExprs(text)}
	for _, l := range t.locs {
		x, err := e.Parse(stripDelimiter(text[l[0]:l[1]]))
		t.exprs = append(t.exprs, x)
		t.errs = append(t.errs, err)
	}
	e.mu.Lock()
	if e.nLocs < 4096 {
		e.nLocs++
		e.locs.Store(text, t)
	}
	e.mu.Unlock()
	return t
}

// Lang is "yaql".
func (e *Engine) Lang() string { return "yaql" }

// HasExpressions reports whether text holds a <% %> expression.
func (e *Engine) HasExpressions(text string) bool { return HasExpressions(text) }

// ExtractVars is [ExtractVars].
func (e *Engine) ExtractVars(text string) []string { return ExtractVars(text) }

var _ expr.Evaluator = (*Engine)(nil)

func (e *Engine) evaluateText(ctx context.Context, text string, t *template, env *expr.Env, budget *expr.Budget, depth int) (any, error) {
	locs := t.locs
	if len(locs) == 0 {
		return text, nil
	}
	var output any = text
	for i, loc := range locs {
		raw := text[loc[0]:loc[1]]
		result, err := e.evalOne(ctx, t.exprs[i], t.errs[i], env, budget, depth)
		if err != nil {
			return nil, &expr.Error{Lang: "yaql", Expr: text, Pos: loc[0] + errPos(raw, err), Err: orquestaError(raw, err)}
		}
		out, _ := output.(string)
		// raw is part of out on the first round, so comparing bytes
		// compares Python's character counts.
		if len(locs) > 1 || len(out) > len(raw) {
			output = strings.ReplaceAll(out, raw, expr.Str(result))
		} else {
			output = result
		}
	}
	return output, nil
}

// evalOne evaluates one "<% ... %>" and re-evaluates string results.
func (e *Engine) evalOne(ctx context.Context, x *Expr, perr error, env *expr.Env, budget *expr.Budget, depth int) (any, error) {
	if perr != nil {
		return nil, perr
	}
	result, err := x.evalBudget(ctx, env, nil, budget)
	if err != nil {
		return nil, wrapErr(x.src, err)
	}
	if s, ok := result.(string); ok && HasExpressions(s) {
		if depth >= maxRecursion {
			return nil, &expr.PyError{Type: "RecursionError", Msg: "maximum recursion depth exceeded"}
		}
		r, err := e.evaluateText(ctx, s, e.template(s), env, budget, depth+1)
		if err != nil {
			var xe *expr.Error
			if errors.As(err, &xe) {
				var ee *EvaluationError
				if errors.As(xe.Err, &ee) {
					return nil, &expr.PyError{Type: "YaqlEvaluationException", Msg: ee.Msg}
				}
			}
			return nil, err
		}
		return r, nil
	}
	return result, nil
}

// errPos is the byte offset of an error inside its "<% ... %>".
func errPos(raw string, err error) int {
	var xe *expr.Error
	if errors.As(err, &xe) && xe.Pos >= 0 {
		inner := stripDelimiter(raw)
		return strings.Index(raw, inner) + xe.Pos
	}
	return 0
}

// orquestaError words an error as Orquesta's YaqlEvaluationException.
func orquestaError(raw string, err error) error {
	cause := err
	var xe *expr.Error
	if errors.As(err, &xe) {
		cause = xe.Err
	}
	var pe *expr.PyError
	if !errors.As(cause, &pe) {
		var le *expr.LimitError
		if errors.As(cause, &le) {
			pe = &expr.PyError{Type: "LimitError", Msg: le.Error()}
		} else if errors.Is(cause, context.Canceled) || errors.Is(cause, context.DeadlineExceeded) {
			pe = &expr.PyError{Type: "Cancelled", Msg: cause.Error()}
		} else {
			pe = &expr.PyError{Type: "Exception", Msg: cause.Error()}
		}
	}
	var msg string
	switch {
	case pe.Type == classKeyError:
		msg = fmt.Sprintf("Unable to resolve key '%s' in expression '%s' from context.", strings.Trim(pe.Msg, "'"), raw)
	case strippedClass(pe.Type):
		msg = fmt.Sprintf("Unable to evaluate expression '%s'. %s: %s", raw, pyClassName(pe.Type), strings.Trim(pe.Msg, "'"))
	default:
		msg = fmt.Sprintf("Unable to evaluate expression '%s'. %s: %s", raw, pyClassName(pe.Type), pe.Msg)
	}
	return &EvaluationError{Msg: msg, Cause: err}
}

// pyClassName is e.__class__.__name__ for a class named with its module
// (re.error prints as "error").
func pyClassName(class string) string {
	if i := strings.LastIndexByte(class, '.'); i >= 0 {
		return class[i+1:]
	}
	return class
}

// Validate parses every <% %> expression of text and reports the syntax
// errors as Orquesta's validate() does.
func (e *Engine) Validate(text string) []expr.ValidationError {
	var out []expr.ValidationError
	for _, raw := range findAll(text) {
		if _, err := e.Parse(stripDelimiter(raw)); err != nil {
			msg := err.Error()
			var pe *expr.PyError
			if errors.As(err, &pe) {
				msg = pe.Msg
			}
			out = append(out, expr.ValidationError{Type: "yaql", Expression: raw, Message: msg})
		}
	}
	return out
}

var (
	ctxRefPattern = regexp.MustCompile(`\bctx\(['"]?[\]\[a-zA-Z0-9_'"\.()]*['"]?\)\.?[\]\[a-zA-Z0-9_'"\.()]*`)
	varExtracts   = []*regexp.Regexp{
		regexp.MustCompile(`\bctx\(\)\.([a-zA-Z0-9_-]+)(\b|$)`),
		regexp.MustCompile(`\bctx\(([a-zA-Z0-9_-]+)\)`),
		regexp.MustCompile(`\bctx\('([a-zA-Z0-9_-]+)'\)`),
		regexp.MustCompile(`\bctx\("([a-zA-Z0-9_-]+)"\)`),
	}
)

// ExtractVars returns the workflow variables text reads through ctx(),
// sorted and without duplicates, as Orquesta's extract_vars() finds them
// (by pattern, not by parsing).
func ExtractVars(text string) []string {
	seen := map[string]bool{}
	for _, raw := range findAll(text) {
		inner := strings.TrimSpace(strings.Trim(raw, "<%>"))
		for _, ref := range ctxRefPattern.FindAllString(inner, -1) {
			ref = strings.TrimSpace(ref)
			if seen[ref] {
				continue
			}
			seen[ref] = true
		}
	}
	var out []string
	done := map[string]bool{}
	refs := make([]string, 0, len(seen))
	for r := range seen {
		refs = append(refs, r)
	}
	sort.Strings(refs)
	for _, ref := range refs {
		for i, re := range varExtracts {
			m := re.FindStringSubmatchIndex(ref)
			if m == nil {
				continue
			}
			name := ref[m[2]:m[3]]
			if i == 0 {
				// Orquesta's pattern refuses a name followed by "(".
				end := m[3]
				if end < len(ref) && ref[end] == '(' {
					continue
				}
			}
			if !done[name] {
				done[name] = true
				out = append(out, name)
			}
		}
	}
	sort.Strings(out)
	return out
}
