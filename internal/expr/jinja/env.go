package jinja

import (
	"context"
	"errors"
	"math/rand/v2"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/st2go/st2go/internal/expr"
)

// Config selects how an Environment behaves.
type Config struct {
	// Lenient uses Jinja's default Undefined (renders as "", iterates as
	// empty) instead of StrictUndefined (every use is an error), which
	// both StackStorm and Orquesta configure.
	Lenient bool
	// TrimBlocks removes the first newline after a block tag;
	// LStripBlocks strips whitespace before a block tag at the start of a
	// line. StackStorm and Orquesta set both.
	TrimBlocks, LStripBlocks bool
	// KeepTrailingNewline keeps a template's final newline (Jinja drops
	// it by default).
	KeepTrailingNewline bool
	// Registry provides StackStorm's and Orquesta's functions; nil means
	// expr.Default.
	Registry *expr.Registry
	// Scope picks the registry functions: expr.ScopeST2 exposes them as
	// filters (st2's own Jinja environment); expr.ScopeOrquesta as filters
	// and global functions (Orquesta's).
	Scope expr.Scope
	// Limits bound each evaluation; zero fields take expr's defaults.
	Limits expr.Limits
}

// Environment is a configured Jinja engine; it is safe for concurrent
// use and caches parsed templates.
type Environment struct {
	cfg         Config
	strict      bool
	filters     map[string]*builtin
	tests       map[string]*builtin
	funcFilters map[string]*expr.FuncSpec
	globals     map[string]any
	templates   sync.Map // source → *Template
	exprs       sync.Map // source → *Expression
	cacheN      atomic.Int64
}

// maxCached bounds the parse cache.
const maxCached = 4096

// New returns an environment.
func New(cfg Config) *Environment {
	if cfg.Registry == nil {
		cfg.Registry = expr.Default
	}
	e := &Environment{
		cfg:         cfg,
		strict:      !cfg.Lenient,
		filters:     builtinFilters(),
		tests:       builtinTests(),
		funcFilters: map[string]*expr.FuncSpec{},
		globals:     map[string]any{},
	}
	for _, spec := range cfg.Registry.InScope(cfg.Scope) {
		e.funcFilters[spec.Name] = spec
		if cfg.Scope&expr.ScopeOrquesta != 0 {
			e.globals[spec.Name] = &funcValue{spec: spec}
		}
	}
	for name, fn := range globalFuncs() {
		if _, taken := e.globals[name]; !taken {
			e.globals[name] = &builtinFunc{name: name, fn: fn}
		}
	}
	return e
}

// ST2 is StackStorm's own Jinja environment (action parameters, rules,
// notifications, aliases, pack configs): sandboxed, StrictUndefined,
// trim_blocks and lstrip_blocks, StackStorm's functions as filters.
var ST2 = New(Config{TrimBlocks: true, LStripBlocks: true, Scope: expr.ScopeST2})

// Orquesta is the environment Orquesta's Jinja evaluator uses:
// sandboxed, StrictUndefined, trim_blocks and lstrip_blocks, Orquesta's
// and StackStorm's functions as both globals and filters.
var Orquesta = New(Config{TrimBlocks: true, LStripBlocks: true, Scope: expr.ScopeOrquesta})

// Template is a parsed template.
type Template struct {
	env  *Environment
	src  string
	body []node
}

// Expression is a parsed bare expression (Jinja's compile_expression).
type Expression struct {
	env  *Environment
	src  string
	root node
}

// store caches a parsed value; a full cache starts over (templates in
// use are parsed again and come back).
func (e *Environment) store(m *sync.Map, key string, v any) {
	if e.cacheN.Add(1) > maxCached {
		e.templates.Clear()
		e.exprs.Clear()
		e.cacheN.Store(0)
	}
	m.Store(key, v)
}

// Parse parses a template. Errors are *expr.Error wrapping a
// *SyntaxError.
func (e *Environment) Parse(src string) (*Template, error) {
	if t, ok := e.templates.Load(src); ok {
		return t.(*Template), nil
	}
	norm := normalizeNewlines(src, e.cfg.KeepTrailingNewline)
	body, err := parseTemplate(lex(norm, e.cfg.TrimBlocks, e.cfg.LStripBlocks))
	if err != nil {
		return nil, wrapErr(src, err)
	}
	t := &Template{env: e, src: src, body: body}
	e.store(&e.templates, src, t)
	return t, nil
}

// ParseExpression parses a bare expression such as "ctx('x') + 1".
func (e *Environment) ParseExpression(src string) (*Expression, error) {
	if x, ok := e.exprs.Load(src); ok {
		return x.(*Expression), nil
	}
	root, err := parseExpressionTokens(lexExpression(normalizeNewlines(src, true)))
	if err != nil {
		return nil, wrapErr(src, err)
	}
	x := &Expression{env: e, src: src, root: root}
	e.store(&e.exprs, src, x)
	return x, nil
}

// wrapErr turns an engine error into an *expr.Error naming the source and
// position.
func wrapErr(src string, err error) error {
	if err == nil {
		return nil
	}
	var xe *expr.Error
	if errors.As(err, &xe) {
		return err
	}
	pos := -1
	var se *SyntaxError
	var ee *evalError
	switch {
	case errors.As(err, &se):
		pos = se.Pos
	case errors.As(err, &ee):
		pos = ee.pos
		err = ee.err
	}
	if pos > len(src) {
		pos = len(src)
	}
	return &expr.Error{Lang: "jinja", Expr: src, Pos: pos, Err: err}
}

// Render renders the template to text with vars as its context. xenv
// gives registry functions their environment (datastore, workflow
// context); nil is empty.
func (t *Template) Render(ctx context.Context, vars *expr.Dict, xenv *expr.Env) (string, error) {
	st := newState(ctx, t.env, t.env.cfg.Limits, vars, xenv)
	var b strings.Builder
	if err := st.render(newScope(nil), t.body, &b); err != nil {
		return "", wrapErr(t.src, err)
	}
	return b.String(), nil
}

// Eval renders the template but keeps the type of a template that is
// exactly one expression ("{{ x }}" gives x itself, a list stays a
// list); any other template renders to a string.
func (t *Template) Eval(ctx context.Context, vars *expr.Dict, xenv *expr.Env) (any, error) {
	if n := t.single(); n != nil {
		st := newState(ctx, t.env, t.env.cfg.Limits, vars, xenv)
		v, err := st.eval(newScope(nil), n)
		if err == nil {
			err = st.check(v)
		}
		if err != nil {
			return nil, wrapErr(t.src, err)
		}
		if g, ok := v.(*generator); ok {
			return g.items, nil
		}
		return v, nil
	}
	return t.Render(ctx, vars, xenv)
}

// single returns the expression of a template that is exactly one
// {{ expression }}.
func (t *Template) single() node {
	if len(t.body) != 1 {
		return nil
	}
	out, ok := t.body[0].(*outputNode)
	if !ok || len(out.items) != 1 {
		return nil
	}
	if _, isData := out.items[0].(*dataNode); isData {
		return nil
	}
	return out.items[0]
}

// Eval evaluates the expression. The result may be an Undefined (see
// IsUndefined) when it names something missing: the caller decides
// whether that is an error, as Orquesta does.
func (x *Expression) Eval(ctx context.Context, vars *expr.Dict, xenv *expr.Env) (any, error) {
	return x.evalWith(ctx, vars, xenv, nil, x.env.cfg.Limits)
}

func (x *Expression) evalWith(ctx context.Context, vars *expr.Dict, xenv *expr.Env, extra map[string]any, lim expr.Limits) (any, error) {
	st := newState(ctx, x.env, lim, vars, xenv)
	st.extra = extra
	v, err := st.eval(newScope(nil), x.root)
	if err != nil {
		return nil, wrapErr(x.src, err)
	}
	return v, nil
}

// Render parses and renders src in environment e.
func (e *Environment) Render(ctx context.Context, src string, vars *expr.Dict, xenv *expr.Env) (string, error) {
	t, err := e.Parse(src)
	if err != nil {
		return "", err
	}
	return t.Render(ctx, vars, xenv)
}

// Eval parses src and evaluates it keeping the type of a single
// expression (see Template.Eval).
func (e *Environment) Eval(ctx context.Context, src string, vars *expr.Dict, xenv *expr.Env) (any, error) {
	t, err := e.Parse(src)
	if err != nil {
		return nil, err
	}
	return t.Eval(ctx, vars, xenv)
}

// maxRange is the sandbox's limit on range() (Jinja's MAX_RANGE).
const maxRange = 100000

// globalFuncs are Jinja's default globals.
func globalFuncs() map[string]func(st *state, args []any, kw []expr.NamedArg) (any, error) {
	return map[string]func(st *state, args []any, kw []expr.NamedArg) (any, error){
		"range": func(st *state, args []any, kw []expr.NamedArg) (any, error) {
			if len(kw) > 0 {
				return nil, expr.TypeErrorf("range() takes no keyword arguments")
			}
			var nums []int64
			for _, a := range args {
				if err := st.check(a); err != nil {
					return nil, err
				}
				n, ok := a.(int64)
				if b, isBool := a.(bool); isBool {
					n, ok = map[bool]int64{true: 1}[b], true
				}
				if !ok {
					return nil, expr.TypeErrorf("'%s' object cannot be interpreted as an integer", expr.TypeName(a))
				}
				nums = append(nums, n)
			}
			r := &rangeValue{step: 1}
			switch len(nums) {
			case 1:
				r.stop = nums[0]
			case 2:
				r.start, r.stop = nums[0], nums[1]
			case 3:
				r.start, r.stop, r.step = nums[0], nums[1], nums[2]
				if r.step == 0 {
					return nil, expr.ValueErrorf("range() arg 3 must not be zero")
				}
			default:
				return nil, expr.TypeErrorf("range expected at most 3 arguments, got %d", len(nums))
			}
			if r.PyLen() > maxRange {
				return nil, &expr.PyError{Type: "OverflowError", Msg: "Range too big. The sandbox blocks ranges larger than MAX_RANGE (100000)."}
			}
			return r, nil
		},
		"dict": func(st *state, args []any, kw []expr.NamedArg) (any, error) {
			d := expr.NewDict(len(kw))
			if len(args) > 1 {
				return nil, expr.TypeErrorf("dict expected at most 1 argument, got %d", len(args))
			}
			if len(args) == 1 {
				if err := updateDict(d, args[0]); err != nil {
					return nil, err
				}
			}
			for _, k := range kw {
				d.Set(k.Name, k.Value)
			}
			return d, nil
		},
		"namespace": func(st *state, args []any, kw []expr.NamedArg) (any, error) {
			d := expr.NewDict(len(kw))
			for _, a := range args {
				if err := updateDict(d, a); err != nil {
					return nil, err
				}
			}
			for _, k := range kw {
				d.Set(k.Name, k.Value)
			}
			return &namespace{d: d}, nil
		},
		"cycler": func(st *state, args []any, kw []expr.NamedArg) (any, error) {
			if len(args) == 0 {
				return nil, expr.TypeErrorf("at least one item has to be provided")
			}
			return &cycler{items: append([]any(nil), args...)}, nil
		},
		"joiner": func(st *state, args []any, kw []expr.NamedArg) (any, error) {
			sep := ", "
			if len(args) > 0 {
				sep = expr.Str(args[0])
			}
			for _, k := range kw {
				if k.Name == "sep" {
					sep = expr.Str(k.Value)
				}
			}
			return &joiner{sep: sep}, nil
		},
		"lipsum": func(st *state, args []any, kw []expr.NamedArg) (any, error) {
			return lipsum(), nil
		},
	}
}

var lipsumWords = strings.Fields("lorem ipsum dolor sit amet consectetur adipiscing elit sed do eiusmod tempor incididunt ut labore et dolore magna aliqua")

// lipsum generates a paragraph of lorem ipsum (Jinja's is random too).
func lipsum() string {
	var paras []string
	for p := 0; p < 5; p++ {
		n := 20 + rand.IntN(80)
		words := make([]string, n)
		for i := range words {
			words[i] = lipsumWords[rand.IntN(len(lipsumWords))]
		}
		words[0] = titleWord(words[0])
		paras = append(paras, "<p>"+strings.Join(words, " ")+".</p>")
	}
	return strings.Join(paras, "\n\n")
}
