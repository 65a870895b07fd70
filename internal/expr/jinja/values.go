package jinja

import (
	"context"
	"fmt"

	"github.com/st2go/st2go/internal/expr"
)

// Undefined is the value of a missing variable, attribute or item
// (Jinja's Undefined / StrictUndefined). Strict undefined values fail on
// every use but the defined tests and the default filter; lenient ones
// render as "" and iterate as empty.
type Undefined struct {
	name   any  // the missing name or key
	obj    any  // the object it was looked up on
	hasObj bool // whether obj is set (nil is None)
	hint   string
	strict bool
}

// IsUndefined reports whether v is an Undefined.
func IsUndefined(v any) bool {
	_, ok := v.(*Undefined)
	return ok
}

// TypeName implements expr.Object.
func (u *Undefined) TypeName() string {
	if u.strict {
		return "StrictUndefined"
	}
	return "Undefined"
}

// Repr implements expr.Object.
func (u *Undefined) Repr() string { return "Undefined" }

// PyStr renders a lenient undefined as "".
func (u *Undefined) PyStr() string { return "" }

// Truth is false (strict undefined values are checked before).
func (u *Undefined) Truth() bool { return false }

// PyLen is 0.
func (u *Undefined) PyLen() int { return 0 }

// PyIter is empty.
func (u *Undefined) PyIter() ([]any, error) { return nil, nil }

// PyEqual is Jinja's Undefined.__eq__: equal to another undefined.
func (u *Undefined) PyEqual(o any) bool {
	_, ok := o.(*Undefined)
	return ok
}

// message is Jinja's text for the UndefinedError this value raises.
func (u *Undefined) message() string {
	if u.hint != "" {
		return u.hint
	}
	if !u.hasObj {
		return fmt.Sprintf("%s is undefined", expr.Repr(u.name))
	}
	if _, ok := u.name.(string); !ok {
		return fmt.Sprintf("%s has no element %s", objectTypeRepr(u.obj), expr.Repr(u.name))
	}
	return fmt.Sprintf("%s has no attribute %s", expr.Repr(objectTypeRepr(u.obj)), expr.Repr(u.name))
}

// err is the UndefinedError of using this value.
func (u *Undefined) err() error {
	return &expr.PyError{Type: "UndefinedError", Msg: u.message()}
}

// objectTypeRepr is Jinja's object_type_repr: "dict object", "None".
func objectTypeRepr(v any) string {
	if v == nil {
		return "None"
	}
	return expr.TypeName(v) + " object"
}

// callable is a value templates can call.
type callable interface {
	call(st *state, args []any, kw []expr.NamedArg) (any, error)
}

// attrHolder is a value with attributes (loop, namespace, cycler...).
type attrHolder interface {
	attr(st *state, name string) (any, bool, error)
}

// Attributer lets values from outside the engine (such as StackStorm's
// st2kv.system lookups) expose attributes to templates: Attr returns the
// attribute's value and whether it exists.
type Attributer interface {
	expr.Object
	Attr(ctx context.Context, name string) (any, bool, error)
}

// funcValue wraps a registry function so templates can call it.
type funcValue struct {
	spec *expr.FuncSpec
}

func (f *funcValue) TypeName() string { return "function" }
func (f *funcValue) Repr() string     { return "<function " + f.spec.Name + ">" }
func (f *funcValue) call(st *state, args []any, kw []expr.NamedArg) (any, error) {
	return st.callSpec(f.spec, args, kw)
}

// builtinFunc is one of Jinja's global functions (range, dict, ...).
type builtinFunc struct {
	name string
	fn   func(st *state, args []any, kw []expr.NamedArg) (any, error)
}

func (f *builtinFunc) TypeName() string { return "function" }
func (f *builtinFunc) Repr() string     { return "<function " + f.name + ">" }
func (f *builtinFunc) call(st *state, args []any, kw []expr.NamedArg) (any, error) {
	return f.fn(st, args, kw)
}

// boundMethod is a Python method of a str, list or dict value.
type boundMethod struct {
	recv any
	name string
}

func (m *boundMethod) TypeName() string { return "builtin_function_or_method" }
func (m *boundMethod) Repr() string {
	return fmt.Sprintf("<built-in method %s of %s object>", m.name, expr.TypeName(m.recv))
}

// rangeValue is Python's range object.
type rangeValue struct {
	start, stop, step int64
}

func (r *rangeValue) TypeName() string { return "range" }
func (r *rangeValue) Repr() string {
	if r.step == 1 {
		return fmt.Sprintf("range(%d, %d)", r.start, r.stop)
	}
	return fmt.Sprintf("range(%d, %d, %d)", r.start, r.stop, r.step)
}
func (r *rangeValue) PyLen() int {
	var n int64
	if r.step > 0 && r.stop > r.start {
		n = (r.stop - r.start + r.step - 1) / r.step
	} else if r.step < 0 && r.stop < r.start {
		n = (r.start - r.stop - r.step - 1) / -r.step
	}
	return int(n)
}
func (r *rangeValue) PyIter() ([]any, error) {
	n := r.PyLen()
	out := make([]any, n)
	for i := range out {
		out[i] = r.start + int64(i)*r.step
	}
	return out, nil
}
func (r *rangeValue) PyEqual(o any) bool {
	x, ok := o.(*rangeValue)
	if !ok {
		return false
	}
	a, _ := r.PyIter()
	b, _ := x.PyIter()
	return expr.Equal(a, b)
}

// dictView is dict.keys(), .values() or .items().
type dictView struct {
	d    *expr.Dict
	kind string // keys, values, items
}

func (v *dictView) TypeName() string { return "dict_" + v.kind }
func (v *dictView) Repr() string {
	items, _ := v.PyIter()
	return "dict_" + v.kind + "(" + expr.Repr(items) + ")"
}
func (v *dictView) PyLen() int { return v.d.Len() }
func (v *dictView) PyIter() ([]any, error) {
	keys, vals := v.d.KeyValues()
	switch v.kind {
	case "keys":
		return append([]any(nil), keys...), nil
	case "values":
		return append([]any(nil), vals...), nil
	}
	return expr.Items(v.d), nil
}

// generator is the lazy result of map, select, reject... (a Python
// generator): it renders as one, iterates once as its items, and the
// Orquesta evaluator turns it into a list.
type generator struct {
	items []any
	name  string
}

func (g *generator) TypeName() string       { return "generator" }
func (g *generator) Repr() string           { return "<generator object " + g.name + ">" }
func (g *generator) PyIter() ([]any, error) { return g.items, nil }

// namespace is the object namespace() makes: attributes set with
// {% set ns.attr = ... %}.
type namespace struct {
	d *expr.Dict
}

func (n *namespace) TypeName() string { return "Namespace" }
func (n *namespace) Repr() string     { return "<Namespace " + expr.Repr(n.d) + ">" }
func (n *namespace) attr(st *state, name string) (any, bool, error) {
	v, ok := n.d.Get(name)
	return v, ok, nil
}

// cycler is Jinja's cycler(*items).
type cycler struct {
	items []any
	pos   int
}

func (c *cycler) TypeName() string { return "Cycler" }
func (c *cycler) Repr() string     { return "<jinja2.utils.Cycler object>" }
func (c *cycler) attr(st *state, name string) (any, bool, error) {
	switch name {
	case "current":
		return c.items[c.pos], true, nil
	case "next", "reset":
		return &builtinFunc{name: name, fn: func(st *state, args []any, kw []expr.NamedArg) (any, error) {
			if name == "reset" {
				c.pos = 0
				return nil, nil
			}
			v := c.items[c.pos]
			c.pos = (c.pos + 1) % len(c.items)
			return v, nil
		}}, true, nil
	}
	return nil, false, nil
}

// joiner is Jinja's joiner(sep): "" on the first call, sep afterwards.
type joiner struct {
	sep  string
	used bool
}

func (j *joiner) TypeName() string { return "Joiner" }
func (j *joiner) Repr() string     { return "<jinja2.utils.Joiner object>" }
func (j *joiner) call(st *state, args []any, kw []expr.NamedArg) (any, error) {
	if !j.used {
		j.used = true
		return "", nil
	}
	return j.sep, nil
}

// loopContext is the loop variable of a for loop.
type loopContext struct {
	items     []any
	index0    int
	depth0    int
	recurse   func(st *state, it any) (string, error) // nil unless recursive
	lastValue any
	hasLast   bool
}

func (l *loopContext) TypeName() string { return "LoopContext" }
func (l *loopContext) Repr() string {
	return fmt.Sprintf("<LoopContext %d/%d>", l.index0+1, len(l.items))
}
func (l *loopContext) attr(st *state, name string) (any, bool, error) {
	n := len(l.items)
	switch name {
	case "index":
		return int64(l.index0 + 1), true, nil
	case "index0":
		return int64(l.index0), true, nil
	case "revindex":
		return int64(n - l.index0), true, nil
	case "revindex0":
		return int64(n - l.index0 - 1), true, nil
	case "first":
		return l.index0 == 0, true, nil
	case "last":
		return l.index0 == n-1, true, nil
	case "length":
		return int64(n), true, nil
	case "depth":
		return int64(l.depth0 + 1), true, nil
	case "depth0":
		return int64(l.depth0), true, nil
	case "previtem":
		if l.index0 == 0 {
			return &Undefined{hint: "there is no previous item", strict: st.env.strict}, true, nil
		}
		return l.items[l.index0-1], true, nil
	case "nextitem":
		if l.index0 >= n-1 {
			return &Undefined{hint: "there is no next item", strict: st.env.strict}, true, nil
		}
		return l.items[l.index0+1], true, nil
	case "cycle":
		return &builtinFunc{name: "cycle", fn: func(st *state, args []any, kw []expr.NamedArg) (any, error) {
			if len(args) == 0 {
				return nil, expr.TypeErrorf("no items for cycling given")
			}
			return args[l.index0%len(args)], nil
		}}, true, nil
	case "changed":
		return &builtinFunc{name: "changed", fn: func(st *state, args []any, kw []expr.NamedArg) (any, error) {
			v := expr.Tuple(args)
			if l.hasLast && expr.Equal(l.lastValue, v) {
				return false, nil
			}
			l.lastValue, l.hasLast = v, true
			return true, nil
		}}, true, nil
	}
	return nil, false, nil
}

func (l *loopContext) call(st *state, args []any, kw []expr.NamedArg) (any, error) {
	if l.recurse == nil {
		return nil, expr.TypeErrorf("The loop must have the 'recursive' marker to be called recursively.")
	}
	if len(args) != 1 {
		return nil, expr.TypeErrorf("loop() takes exactly 1 argument")
	}
	return l.recurse(st, args[0])
}

// macro is a {% macro %} (or the caller of a call block).
type macro struct {
	name      string
	args      []string
	defaults  []node
	body      []node
	scope     *scope
	varargs   bool // the body reads varargs
	kwargs    bool // the body reads kwargs
	hasCaller bool // the body reads caller
	caller    *macro
}

func (m *macro) TypeName() string { return "Macro" }
func (m *macro) Repr() string {
	if m.name == "caller" {
		return "<Macro 'caller'>"
	}
	return fmt.Sprintf("<Macro '%s'>", m.name)
}
