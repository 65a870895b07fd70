package yaql

import (
	"context"
	"errors"
	"strings"
	"sync"

	"github.com/st2go/st2go/internal/expr"
)

// Options configure an [Engine].
type Options struct {
	// Registry supplies the Orquesta and StackStorm functions (those in
	// expr.ScopeOrquesta). Nil means expr.Default.
	Registry *expr.Registry
	// Functions, when set, restricts the registry functions to these
	// names (Orquesta alone, without StackStorm's, registers only
	// completed, ctx, failed, item, json, result, succeeded,
	// task_status and zip).
	Functions []string
	// Limits bound every evaluation; zero fields take expr's defaults.
	Limits expr.Limits
}

// Engine evaluates YAQL expressions with the YAQL standard library and
// the functions of an expr.Registry. An Engine is safe for concurrent
// use.
type Engine struct {
	lib    *library
	limits expr.Limits
	cache  sync.Map // expression text -> *Expr
	nCache int64
	locs   sync.Map // template text -> *template
	nLocs  int64
	mu     sync.Mutex
}

// New builds an engine.
func New(o Options) *Engine {
	reg := o.Registry
	if reg == nil {
		reg = expr.Default
	}
	l := newLibrary()
	registerStdlib(l)
	l.markStd()
	only := map[string]bool{}
	for _, n := range o.Functions {
		only[n] = true
	}
	for _, spec := range reg.InScope(expr.ScopeOrquesta) {
		if len(only) > 0 && !only[spec.Name] {
			continue
		}
		registerSpec(l, spec)
	}
	l.seal()
	return &Engine{lib: l, limits: o.Limits}
}

// registerStdlib registers the YAQL standard library as yaql's
// create_context() does in Orquesta's engine (no delegates, sets on).
func registerStdlib(l *library) {
	registerSystem(l)
	registerCommon(l)
	registerBoolean(l)
	registerStrings(l)
	registerMath(l)
	registerCollections(l)
	registerQueries(l)
	registerRegex(l)
	registerBranching(l)
	registerDateTime(l)
}

// emptyRoot is the root scope of evaluations with $ unbound.
var emptyRoot = &scope{}

var (
	defaultOnce   sync.Once
	defaultEngine *Engine
)

// Default is the engine with every function of expr.Default.
func Default() *Engine {
	defaultOnce.Do(func() { defaultEngine = New(Options{}) })
	return defaultEngine
}

// Expr is a parsed YAQL expression (the text between <% and %>).
type Expr struct {
	src  string
	root node
	eng  *Engine
}

// Parse parses a YAQL expression with the default engine.
func Parse(src string) (*Expr, error) { return Default().Parse(src) }

// Parse parses a YAQL expression (without the <% %> delimiters). A
// syntax error is an *expr.Error whose cause is a *expr.PyError of class
// YaqlGrammarException or YaqlLexicalException, worded as yaql words it.
func (e *Engine) Parse(src string) (*Expr, error) {
	if v, ok := e.cache.Load(src); ok {
		return v.(*Expr), nil
	}
	root, err := parse(src)
	if err != nil {
		return nil, wrapErr(src, err)
	}
	e.resolve(root)
	x := &Expr{src: src, root: root, eng: e}
	e.mu.Lock()
	if e.nCache < 4096 {
		e.nCache++
		e.cache.Store(src, x)
	}
	e.mu.Unlock()
	return x, nil
}

// resolve attaches the engine's candidates to every call node.
func (e *Engine) resolve(n node) {
	switch x := n.(type) {
	case *callNode:
		x.fnLayers = e.lib.candidates(x.name, false)
		x.mLayers = e.lib.candidates(x.name, true)
		x.lib = e.lib
		for _, a := range x.args {
			e.resolve(a)
		}
	case *wrapNode:
		e.resolve(x.x)
	case *mappingNode:
		e.resolve(x.src)
		e.resolve(x.dst)
	}
}

// String renders the expression back as YAQL text, fully parenthesised.
func (x *Expr) String() string { return x.root.String() }

// Source is the text the expression was parsed from.
func (x *Expr) Source() string { return x.src }

// Eval evaluates the expression against env (the Orquesta context: ctx()
// reads env.Vars) and returns the result converted as yaql's output
// conversion does: lists for tuples and lazy sequences, *expr.Dict for
// mappings, *expr.Set for sets. $ is not bound, as in Orquesta. Errors are
// *expr.Error values naming the expression and the position; the cause
// is a *expr.PyError with yaql's (or Python's) exception class.
func (x *Expr) Eval(ctx context.Context, env *expr.Env) (any, error) {
	v, err := x.eval(ctx, env, nil, x.eng.limits)
	if err != nil {
		return nil, wrapErr(x.src, err)
	}
	return v, nil
}

// EvalWith is Eval with $ bound to data (yaql's evaluate(data=...)),
// converted to yaql's input form.
func (x *Expr) EvalWith(ctx context.Context, env *expr.Env, data any) (any, error) {
	root := &scope{}
	root.set("$", toInput(data))
	v, err := x.eval(ctx, env, root, x.eng.limits)
	if err != nil {
		return nil, wrapErr(x.src, err)
	}
	return v, nil
}

// EvalLimits is Eval under the given limits instead of the engine's.
func (x *Expr) EvalLimits(ctx context.Context, env *expr.Env, lim expr.Limits) (any, error) {
	v, err := x.eval(ctx, env, nil, lim)
	if err != nil {
		return nil, wrapErr(x.src, err)
	}
	return v, nil
}

func (x *Expr) eval(ctx context.Context, env *expr.Env, root *scope, lim expr.Limits) (any, error) {
	return x.evalBudget(ctx, env, root, expr.NewBudget(ctx, lim))
}

// evalBudget evaluates under an existing budget (one per Orquesta
// string, shared by its expressions).
func (x *Expr) evalBudget(ctx context.Context, env *expr.Env, root *scope, budget *expr.Budget) (any, error) {
	if env == nil {
		env = &expr.Env{}
	}
	if env.Vars == nil {
		cp := *env
		cp.Vars = expr.NewDict(0)
		env = &cp
	}
	if root == nil {
		// Nothing writes into the root scope (functions that set
		// variables get a child scope), so evaluations can share one.
		root = emptyRoot
	}
	ev := &evaluator{lib: x.eng.lib, budget: budget, env: env}
	ev.free = ev.freeBuf[:0]
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	v, err := ev.eval(x.root, nil, false, root)
	if err != nil {
		return nil, err
	}
	switch v.(type) {
	case nil, bool, int64, float64, string:
		return v, nil
	}
	c := &call{ev: ev, scope: root}
	return c.finalize(v, 0)
}

// lookup reads a $variable; unknown ones are None as in yaql.
func (ev *evaluator) lookup(name string, s *scope) (any, error) {
	v, _ := s.get(name)
	return v, nil
}

// wrapErr turns an internal error into an *expr.Error.
func wrapErr(src string, err error) error {
	var xe *expr.Error
	if errors.As(err, &xe) {
		return err
	}
	pos := -1
	var pe *posError
	if errors.As(err, &pe) {
		pos = byteOffset(src, pe.pos)
		err = pe.err
	}
	return &expr.Error{Lang: "yaql", Expr: src, Pos: pos, Err: err}
}

// byteOffset converts a character index of s into a byte offset.
func byteOffset(s string, chars int) int {
	i := 0
	for b := range s {
		if i == chars {
			return b
		}
		i++
	}
	return len(s)
}

// finalize is yaql's convert_output_data: mappings become dicts, tuples
// and lazy sequences lists, sets stay sets.
func (c *call) finalize(v any, depth int) (any, error) {
	if depth > 0 && depth%64 == 0 {
		if err := c.ev.budget.Step(1); err != nil {
			return nil, err
		}
	}
	if depth > 10000 {
		return nil, &expr.LimitError{Limit: "depth", Max: 10000}
	}
	switch x := v.(type) {
	case nil, bool, int64, float64, string:
		return v, nil
	case *expr.Dict:
		out := expr.NewDict(x.Len())
		var err error
		x.Range(func(k, val any) bool {
			var ck, cv any
			if ck, err = c.finalize(k, depth+1); err != nil {
				return false
			}
			if cv, err = c.finalize(val, depth+1); err != nil {
				return false
			}
			err = out.SetKey(ck, cv)
			return err == nil
		})
		if err != nil {
			return nil, err
		}
		return out, nil
	case *expr.Set, *dictView:
		if dv, ok := x.(*dictView); ok && dv.kind == "values" {
			break
		}
		elems, err := c.collect(x)
		if err != nil {
			return nil, err
		}
		out, _ := expr.NewSet()
		for _, e := range elems {
			ce, err := c.finalize(e, depth+1)
			if err != nil {
				return nil, err
			}
			if err := out.Add(ce); err != nil {
				return nil, err
			}
		}
		return out, nil
	case []any, expr.Tuple:
	case *iterator, *memoIter, *ordering:
	default:
		return v, nil
	}
	elems, err := c.collect(v)
	if err != nil {
		return nil, err
	}
	out := make([]any, len(elems))
	for i, e := range elems {
		if out[i], err = c.finalize(e, depth+1); err != nil {
			return nil, err
		}
	}
	if err := c.checkSize(int64(len(out))); err != nil {
		return nil, err
	}
	return out, nil
}

// toInput is yaql's convert_input_data: lists become tuples (dicts are
// kept: the evaluator treats every dict as yaql's FrozenDict).
func toInput(v any) any {
	switch x := v.(type) {
	case []any:
		out := make(expr.Tuple, len(x))
		for i, e := range x {
			out[i] = toInput(e)
		}
		return out
	case expr.Tuple:
		out := make(expr.Tuple, len(x))
		for i, e := range x {
			out[i] = toInput(e)
		}
		return out
	case *expr.Dict:
		if !hasList(x, 0) {
			return x
		}
		out := expr.NewDict(x.Len())
		x.Range(func(k, val any) bool {
			_ = out.SetKey(k, toInput(val))
			return true
		})
		return out
	}
	return v
}

// hasList reports whether a dict holds a list anywhere (so that toInput
// can skip copying dicts that need no conversion).
func hasList(d *expr.Dict, depth int) bool {
	if depth > 100 {
		return true
	}
	found := false
	d.Range(func(_, v any) bool {
		switch x := v.(type) {
		case []any, expr.Tuple:
			found = true
		case *expr.Dict:
			found = hasList(x, depth+1)
		}
		return !found
	})
	return found
}

// contextFuncs read workflow data that Orquesta hands to yaql converted
// (lists as tuples).
var contextFuncs = map[string]bool{"ctx": true, "item": true, "result": true, "task": true}

// registerSpec makes a registry function callable from YAQL. Like a
// plain Python function registered in yaql, its parameters are untyped
// and nullable, it is a function (not a method), and "name => value"
// arguments are keyword arguments.
func registerSpec(l *library, spec *expr.FuncSpec) {
	var params []param
	n := len(spec.Params)
	if spec.MaxArgs > n {
		n = spec.MaxArgs
	}
	for i := 0; i < n; i++ {
		name := "arg" + itoa(i)
		if i < len(spec.Params) {
			name = spec.Params[i].Name
		}
		if i < spec.MinArgs {
			params = append(params, reqN(name, tAny))
		} else {
			params = append(params, opt(name, tAny, noValue, true))
		}
	}
	convertResult := contextFuncs[spec.Name]
	ov := l.fn(spec.Name, params, func(c *call, a []any) (any, error) {
		// Positional arguments up to the last one given; keyword-only
		// ones by name.
		last := -1
		for i, v := range a {
			if v != noValue {
				last = i
			}
		}
		args := a[:last+1]
		for i, v := range args {
			if v == noValue {
				v = nil
				if i < len(spec.Params) {
					v = spec.Params[i].Default
				}
			}
			mv, err := c.materialize(v)
			if err != nil {
				return nil, err
			}
			args[i] = mv
		}
		var kw []expr.NamedArg
		for _, p := range spec.Keywords {
			if v, ok := c.kw[p.Name]; ok {
				mv, err := c.materialize(v)
				if err != nil {
					return nil, err
				}
				kw = append(kw, expr.NamedArg{Name: p.Name, Value: mv})
			}
		}
		var v any
		var err error
		if len(spec.Keywords) == 0 {
			// Arguments already fit the spec: call it directly, filling
			// in defaults as Bind does.
			given := len(args)
			if len(args) < len(spec.Params) {
				full := make([]any, len(spec.Params))
				copy(full, args)
				for i := len(args); i < len(spec.Params); i++ {
					full[i] = spec.Params[i].Default
				}
				args = full
			}
			if err := c.ev.budget.Step(1); err != nil {
				return nil, err
			}
			v, err = spec.Fn(&expr.Call{Ctx: c.ev.budget.Context(), Env: c.ev.env, Budget: c.ev.budget, Spec: spec, Args: args, Given: given})
		} else {
			v, err = spec.Invoke(c.ev.budget, c.ev.env, args, kw)
		}
		if err != nil {
			return nil, err
		}
		if convertResult {
			v = toInput(v)
		}
		return v, nil
	})
	if spec.MaxArgs < 0 {
		ov.variadic(reqN("args", tAny))
	}
	for _, k := range spec.Keywords {
		ov.keywords(opt(k.Name, tAny, k.Default, true))
	}
}

// materialize turns lazy values into lists before they leave the
// engine.
func (c *call) materialize(v any) (any, error) {
	switch v.(type) {
	case *iterator, *memoIter, *ordering, *dictView:
		items, err := c.collect(v)
		if err != nil {
			return nil, err
		}
		return append([]any(nil), items...), nil
	}
	return v, nil
}

// EvaluationError is Orquesta's YaqlEvaluationException: Msg is the
// message Orquesta reports ("Unable to evaluate expression '<% ... %>'.
// NoMatchingFunctionException: ..."), Cause the underlying error.
type EvaluationError struct {
	Msg   string
	Cause error
}

func (e *EvaluationError) Error() string { return e.Msg }
func (e *EvaluationError) Unwrap() error { return e.Cause }

// strippedClasses are the exception classes whose message Orquesta
// strips of surrounding quotes (yaql's own, ValueError and TypeError and
// their subclasses).
func strippedClass(class string) bool {
	switch class {
	case classTypeError, classValueError, "JSONDecodeError", "UnicodeDecodeError", "ParserError":
		return true
	}
	return strings.HasSuffix(class, "Exception") && class != "ExpressionEvaluationException" && class != "YaqlEvaluationException"
}

var _ = strings.TrimSpace
