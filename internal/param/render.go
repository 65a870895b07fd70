package param

import (
	"context"
	"errors"
	"fmt"
	"math"
	"sort"
	"strings"

	"github.com/st2go/st2go/internal/expr"
	"github.com/st2go/st2go/internal/expr/jinja"
	"github.com/st2go/st2go/internal/pyfmt"
)

// Templates are parsed and rendered by StackStorm's own Jinja environment
// (jinja.ST2: sandboxed, StrictUndefined, trim_blocks, lstrip_blocks,
// StackStorm's filters). This file adapts it to parameter values: Go
// values in, Go values out, and errors as this package reports them.

// ErrUnsupported is wrapped by every *UnsupportedError.
//
// Deprecated: the full Jinja engine renders every construct StackStorm's
// environment accepts, so nothing returns it any more; it is kept so code
// that tests for it still compiles.
var ErrUnsupported = errors.New("full Jinja support is not built yet")

// UnsupportedError reported a construct the earlier, smaller renderer did
// not handle.
//
// Deprecated: nothing returns it any more (see ErrUnsupported).
type UnsupportedError struct {
	Construct string
}

func (e *UnsupportedError) Error() string {
	return fmt.Sprintf("unsupported template construct %q (%v)", e.Construct, ErrUnsupported)
}

func (e *UnsupportedError) Unwrap() error { return ErrUnsupported }

// SyntaxError reports text that has a Jinja start marker but ends inside
// the tag, comment or raw block it opens ("echo {{ x", "${#a[@]} {{ n }}",
// where "{#" opens a comment). Such text is not a template: parameters
// use it as it is, as StackStorm does with text Jinja cannot parse.
type SyntaxError struct {
	// Msg is Jinja's message.
	Msg string
	// Err is the engine's error (an *expr.Error naming the position).
	Err error
}

func (e *SyntaxError) Error() string { return "template syntax error: " + e.Msg }

func (e *SyntaxError) Unwrap() error { return e.Err }

// TemplateError reports a template that cannot be parsed or rendered: any
// Jinja syntax error other than a *SyntaxError ("{{.Name}}": unexpected
// '.'), or a failure while rendering (a filter's error, a type error, a
// datastore that cannot be read).
type TemplateError struct {
	// Msg is Jinja's message, as StackStorm reports it.
	Msg string
	// Err is the engine's error (an *expr.Error naming the position).
	Err error
}

func (e *TemplateError) Error() string { return e.Msg }

func (e *TemplateError) Unwrap() error { return e.Err }

// UndefinedError reports a lookup of something that does not exist, with
// the message Jinja's StrictUndefined gives ("'x' is undefined", "'dict
// object' has no attribute 'k'").
type UndefinedError struct {
	Msg string
	// Err is the engine's error (an *expr.Error naming the position).
	Err error
}

func (e *UndefinedError) Error() string { return e.Msg }

func (e *UndefinedError) Unwrap() error { return e.Err }

// IsTemplate reports whether s contains a Jinja start marker, StackStorm's
// cheap test (is_jinja_expression) for "this value needs rendering".
func IsTemplate(s string) bool {
	return strings.Contains(s, "{{") || strings.Contains(s, "{%")
}

// Template is a parsed template.
type Template struct {
	t *jinja.Template
}

// Parse parses a template with StackStorm's Jinja environment. Text that
// ends inside an open tag is a *SyntaxError (it is not a template); any
// other syntax error is a *TemplateError.
func Parse(src string) (*Template, error) {
	t, err := jinja.ST2.Parse(src)
	if err != nil {
		return nil, parseError(err)
	}
	return &Template{t: t}, nil
}

// unterminated are the beginnings of Jinja's messages for text that ends
// inside a tag, comment or raw block.
var unterminated = []string{
	"unexpected end of template, expected 'end of",
	"Missing end of comment tag",
	"Missing end of raw directive",
}

func parseError(err error) error {
	var se *jinja.SyntaxError
	if errors.As(err, &se) {
		for _, p := range unterminated {
			if strings.HasPrefix(se.Msg, p) {
				return &SyntaxError{Msg: se.Msg, Err: err}
			}
		}
	}
	return templateError(err)
}

// templateError turns an engine error into an *UndefinedError or a
// *TemplateError whose message is Python's str() of the exception, as
// StackStorm puts it in "Failed to render parameter" messages.
func templateError(err error) error {
	var se *jinja.SyntaxError
	if errors.As(err, &se) {
		return &TemplateError{Msg: se.Msg, Err: err}
	}
	var pe *expr.PyError
	if errors.As(err, &pe) {
		if pe.Type == "UndefinedError" {
			return &UndefinedError{Msg: pe.Msg, Err: err}
		}
		msg := pe.Msg
		if msg == "" {
			msg = pe.Type
		}
		return &TemplateError{Msg: msg, Err: err}
	}
	var xe *expr.Error
	if errors.As(err, &xe) && xe.Err != nil {
		return &TemplateError{Msg: xe.Err.Error(), Err: err}
	}
	return &TemplateError{Msg: err.Error(), Err: err}
}

// Refs returns the top-level names the template reads from its context
// (Jinja's meta.find_undeclared_variables), in order of first use.
func (t *Template) Refs() []string {
	return t.t.UndeclaredVariables()
}

// Render renders the template to text with vars (plain Go values) as its
// context; values print as Python's str() prints them. No datastore is
// available (st2kv lookups need RenderLive or RenderFinal).
func (t *Template) Render(vars map[string]any) (string, error) {
	d, err := exprVars(vars)
	if err != nil {
		return "", err
	}
	return t.render(d, nil)
}

func (t *Template) render(vars *expr.Dict, xenv *expr.Env) (string, error) {
	s, err := t.t.Render(context.Background(), vars, xenv)
	if err != nil {
		return "", templateError(err)
	}
	return s, nil
}

// Value renders the template keeping the type of the value when the
// template is exactly one {{ expression }}; otherwise it returns Render's
// text. The value comes back as plain Go: dicts as map[string]any, lists
// as []any, integers as int.
func (t *Template) Value(vars map[string]any) (any, error) {
	d, err := exprVars(vars)
	if err != nil {
		return nil, err
	}
	v, err := t.t.Eval(context.Background(), d, nil)
	if err != nil {
		return nil, templateError(err)
	}
	return goValue(v), nil
}

func exprVars(vars map[string]any) (*expr.Dict, error) {
	d := expr.NewDict(len(vars))
	for _, k := range sortedKeys(vars) {
		v, err := exprValue(vars[k])
		if err != nil {
			return nil, err
		}
		d.Set(k, v)
	}
	return d, nil
}

// exprValue converts a parameter value into the template value model.
// Values reach this package decoded by encoding/json or YAML, where a JSON
// integer may have become a float64 (stored executions), so integral
// floats become integers: 5 renders as "5", never "5.0".
func exprValue(v any) (any, error) {
	switch x := v.(type) {
	case float64:
		if x == math.Trunc(x) && math.Abs(x) < 1<<53 {
			return int64(x), nil
		}
		return x, nil
	case map[string]any:
		keys := make([]string, 0, len(x))
		for k := range x {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		d := expr.NewDict(len(x))
		for _, k := range keys {
			e, err := exprValue(x[k])
			if err != nil {
				return nil, err
			}
			d.Set(k, e)
		}
		return d, nil
	case []any:
		out := make([]any, len(x))
		for i, e := range x {
			c, err := exprValue(e)
			if err != nil {
				return nil, err
			}
			out[i] = c
		}
		return out, nil
	}
	return expr.FromGo(v)
}

// goValue converts a template value back into plain Go, integers as int
// like the rest of this package.
func goValue(v any) any {
	return intify(expr.ToGo(v))
}

func intify(v any) any {
	switch x := v.(type) {
	case int64:
		return int(x)
	case []any:
		for i, e := range x {
			x[i] = intify(e)
		}
	case map[string]any:
		for k, e := range x {
			x[k] = intify(e)
		}
	}
	return v
}

// py prints values as Python would, for error messages. Values reach this
// package decoded by encoding/json or YAML into any, where a JSON integer
// may be a float64, so integral floats print as integers ("5", not "5.0").
var py = pyfmt.Printer{IntegralFloatsAsInts: true}
