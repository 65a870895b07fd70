package jinja

import (
	"context"
	"errors"
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/st2go/st2go/internal/expr"
)

// Orquesta's Jinja evaluator (orquesta/expressions/jinja.py) finds
// expressions with regular expressions, evaluates "{{ }}" ones alone as
// bare expressions (keeping their type) and renders text with "{% %}"
// blocks as a whole template; a string result is evaluated again.

var (
	orqExprRe  = regexp.MustCompile(`\{\{.*?\}\}`)
	orqBlockRe = regexp.MustCompile(`\{%.*?%\}`)
	orqRawRe   = regexp.MustCompile(`\{% raw %\}.*?\{% endraw %\}`)

	orqRef        = `[\]\[a-zA-Z0-9_'".()]*`
	orqCtxVarRe   = regexp.MustCompile(`\bctx\(['"]?` + orqRef + `['"]?\)\.?` + orqRef)
	orqVarExtract = []*regexp.Regexp{
		regexp.MustCompile(`\bctx\(([a-zA-Z0-9_-]+)\)`),
		regexp.MustCompile(`\bctx\('([a-zA-Z0-9_-]+)'\)`),
		regexp.MustCompile(`\bctx\("([a-zA-Z0-9_-]+)"\)`),
	}
	orqDotVarRe = regexp.MustCompile(`\bctx\(\)\.([a-zA-Z0-9_-]+)`)
)

// OrquestaEvaluator evaluates Jinja as Orquesta does; it implements
// expr.Evaluator.
type OrquestaEvaluator struct {
	// Env is the engine; nil means Orquesta.
	Env *Environment
}

var _ expr.Evaluator = OrquestaEvaluator{}

func (o OrquestaEvaluator) env() *Environment {
	if o.Env == nil {
		return Orquesta
	}
	return o.Env
}

// Lang is "jinja".
func (OrquestaEvaluator) Lang() string { return "jinja" }

// HasExpressions reports whether text holds "{{ ... }}" or "{% ... %}"
// on one line.
func (OrquestaEvaluator) HasExpressions(text string) bool {
	return orqExprRe.MatchString(text) || orqBlockRe.MatchString(text)
}

// stripDelimiter is Orquesta's expr.strip("{{}}").strip(): braces
// removed from both ends, then whitespace.
func stripDelimiter(s string) string {
	return strings.TrimSpace(strings.Trim(s, "{}"))
}

// UnresolvedError is Orquesta's error for expressions whose value is
// undefined.
type UnresolvedError struct {
	Exprs []string
}

func (e *UnresolvedError) Error() string {
	return "There are unresolved variables: " + strings.Join(e.Exprs, ", ")
}

// OrquestaMessage renders an evaluation error as Orquesta words it
// ("Unable to evaluate expression '{{ 1/0 }}'. ZeroDivisionError:
// division by zero").
func OrquestaMessage(err error) string {
	var ue *UnresolvedError
	if errors.As(err, &ue) {
		return ue.Error()
	}
	var xe *expr.Error
	if errors.As(err, &xe) {
		cause := xe.Err
		var inner *expr.Error
		if errors.As(cause, &inner) && inner != xe {
			return fmt.Sprintf("Unable to evaluate expression '%s'. JinjaEvaluationException: %s", xe.Expr, OrquestaMessage(inner))
		}
		return fmt.Sprintf("Unable to evaluate expression '%s'. %s", xe.Expr, causeText(cause))
	}
	var pe *expr.PyError
	if errors.As(err, &pe) {
		return pe.Msg
	}
	return err.Error()
}

func causeText(err error) string {
	var pe *expr.PyError
	if errors.As(err, &pe) {
		return pe.Error()
	}
	var se *SyntaxError
	if errors.As(err, &se) {
		if se.Line > 0 {
			return fmt.Sprintf("%s\n  line %d", se.Error(), se.Line)
		}
		return se.Error()
	}
	var le *expr.LimitError
	if errors.As(err, &le) {
		return "LimitError: " + le.Error()
	}
	return "Exception: " + err.Error()
}

// orquestaVar resolves the internal variables Orquesta's contextualize
// puts beside the functions.
func orquestaVar(xenv *expr.Env, name string) (any, bool) {
	switch name {
	case "__vars":
		if xenv.Vars != nil {
			return xenv.Vars, true
		}
		return expr.NewDict(0), true
	case "__state":
		return nil, true
	case "__current_task":
		if t := xenv.Task; t != nil {
			return expr.DictOf("id", t.ID, "route", int64(t.Route), "result", t.Result), true
		}
		return nil, true
	case "__current_item":
		return xenv.Item, true
	}
	return nil, false
}

// analysis is what Orquesta's regular expressions find in a text.
type analysis struct {
	exprs    []string
	hasBlock bool
	raws     []string
}

var (
	analyses  sync.Map // text → *analysis
	analysesN atomic.Int64
)

func analyze(text string) *analysis {
	if a, ok := analyses.Load(text); ok {
		return a.(*analysis)
	}
	a := &analysis{
		exprs:    orqExprRe.FindAllString(text, -1),
		hasBlock: orqBlockRe.MatchString(text),
		raws:     orqRawRe.FindAllString(text, -1),
	}
	if analysesN.Add(1) > maxCached {
		analyses.Clear()
		analysesN.Store(0)
	}
	analyses.Store(text, a)
	return a
}

// Evaluate evaluates text as Orquesta's Jinja evaluator does.
func (o OrquestaEvaluator) Evaluate(ctx context.Context, text string, xenv *expr.Env, lim expr.Limits) (any, error) {
	if xenv == nil {
		xenv = &expr.Env{}
	}
	e := o.env()
	b := expr.NewBudget(ctx, lim)
	raws := analyze(text).raws
	for i, r := range raws {
		text = strings.ReplaceAll(text, r, "{"+strconv.Itoa(i)+"}")
	}
	var vars *expr.Dict
	out, err := o.expand(ctx, e, text, vars, xenv, b, lim)
	if err != nil {
		return nil, err
	}
	s, isStr := out.(string)
	if !isStr {
		return out, nil
	}
	if left := analyze(s).exprs; len(left) > 0 {
		left = append([]string(nil), left...)
		for i := range left {
			left[i] = stripDelimiter(left[i])
		}
		return nil, &expr.Error{Lang: "jinja", Expr: text, Pos: -1, Err: &UnresolvedError{Exprs: left}}
	}
	if len(raws) > 0 {
		for i, r := range raws {
			s = strings.ReplaceAll(s, "{"+strconv.Itoa(i)+"}", r)
		}
		t, err := e.Parse(s)
		if err != nil {
			return nil, err
		}
		st := &state{env: e, b: b, xenv: xenv, ctx: vars, orq: true}
		var w strings.Builder
		if err := st.render(newScope(nil), t.body, &w); err != nil {
			return nil, wrapErr(s, err)
		}
		return w.String(), nil
	}
	return s, nil
}

func (o OrquestaEvaluator) expand(ctx context.Context, e *Environment, text string, vars *expr.Dict, xenv *expr.Env, b *expr.Budget, lim expr.Limits) (any, error) {
	if err := b.Enter(); err != nil {
		return nil, &expr.Error{Lang: "jinja", Expr: text, Pos: -1, Err: err}
	}
	defer b.Leave()
	an := analyze(text)
	exprs := an.exprs
	if an.hasBlock {
		t, err := e.Parse(text)
		if err != nil {
			return nil, err
		}
		st := &state{env: e, b: b, xenv: xenv, ctx: vars, orq: true}
		var w strings.Builder
		if err := st.render(newScope(nil), t.body, &w); err != nil {
			return nil, wrapErr(text, err)
		}
		return o.expand(ctx, e, w.String(), vars, xenv, b, lim)
	}
	var output any = text
	for _, ex := range exprs {
		x, err := e.ParseExpression(stripDelimiter(ex))
		if err != nil {
			return nil, relabel(err, ex)
		}
		st := &state{env: e, b: b, xenv: xenv, ctx: vars, orq: true}
		res, err := st.eval(nil, x.root)
		if err != nil {
			return nil, relabel(wrapErr(x.src, err), ex)
		}
		if g, ok := res.(*generator); ok {
			res = append([]any{}, g.items...)
		}
		if s, ok := res.(string); ok {
			if res, err = o.expand(ctx, e, s, vars, xenv, b, lim); err != nil {
				return nil, &expr.Error{Lang: "jinja", Expr: ex, Pos: -1, Err: err}
			}
		}
		if u, ok := res.(*Undefined); ok && u.strict {
			continue
		}
		cur, _ := output.(string)
		if len(exprs) > 1 || len(cur) > len(ex) {
			str, err := st.str(res)
			if err != nil {
				return nil, relabel(wrapErr(x.src, err), ex)
			}
			output = strings.ReplaceAll(cur, ex, str)
		} else {
			output = res
		}
	}
	return output, nil
}

// relabel makes an error name the "{{ ... }}" text Orquesta reports.
func relabel(err error, exprText string) error {
	var xe *expr.Error
	if errors.As(err, &xe) {
		c := *xe
		c.Expr = exprText
		if c.Pos >= 0 {
			c.Pos += strings.Index(exprText, stripDelimiter(exprText))
		}
		return &c
	}
	return &expr.Error{Lang: "jinja", Expr: exprText, Pos: -1, Err: err}
}

// Validate reports syntax errors as Orquesta's inspection does: the
// whole text as a template, then each "{{ }}" as an expression.
func (o OrquestaEvaluator) Validate(text string) []expr.ValidationError {
	e := o.env()
	var errs []expr.ValidationError
	if _, err := e.Parse(text); err != nil {
		errs = append(errs, expr.ValidationError{Type: "jinja", Expression: text, Message: syntaxMessage(err)})
	}
	for _, ex := range orqExprRe.FindAllString(text, -1) {
		dup := false
		for _, v := range errs {
			if v.Expression == ex {
				dup = true
			}
		}
		if dup {
			continue
		}
		if _, err := e.ParseExpression(stripDelimiter(ex)); err != nil {
			errs = append(errs, expr.ValidationError{Type: "jinja", Expression: ex, Message: syntaxMessage(err)})
		}
	}
	return errs
}

func syntaxMessage(err error) string {
	var se *SyntaxError
	if errors.As(err, &se) {
		return se.Msg
	}
	return err.Error()
}

// ExtractVars returns the workflow variables the "{{ }}" expressions read
// through ctx().
func (OrquestaEvaluator) ExtractVars(text string) []string {
	var out []string
	for _, ex := range orqExprRe.FindAllString(text, -1) {
		for _, ref := range orqCtxVarRe.FindAllString(stripDelimiter(ex), -1) {
			ref = strings.TrimSpace(ref)
			if m := orqDotVarRe.FindStringSubmatchIndex(ref); m != nil {
				name := ref[m[2]:m[3]]
				if m[3] >= len(ref) || ref[m[3]] != '(' {
					out = append(out, name)
				}
			}
			for _, re := range orqVarExtract {
				if m := re.FindStringSubmatch(ref); m != nil {
					out = append(out, m[1])
				}
			}
		}
	}
	return out
}
