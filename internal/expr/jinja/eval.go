package jinja

import (
	"context"
	"errors"
	"strings"

	"github.com/st2go/st2go/internal/expr"
)

// scope is one frame of template variables; lookups walk to the parent.
type scope struct {
	vars   map[string]any
	parent *scope
}

func newScope(parent *scope) *scope { return &scope{parent: parent} }

func (s *scope) lookup(name string) (any, *scope, bool) {
	for f := s; f != nil; f = f.parent {
		if v, ok := f.vars[name]; ok {
			return v, f, true
		}
	}
	return nil, nil, false
}

func (s *scope) set(name string, v any) {
	if s.vars == nil {
		s.vars = make(map[string]any, 4)
	}
	s.vars[name] = v
}

// state is one evaluation: the environment, limits, the template
// context and the caller's expression environment.
type state struct {
	env    *Environment
	b      *expr.Budget
	xenv   *expr.Env
	ctx    *expr.Dict // template context variables
	extra  map[string]any
	orq    bool // Orquesta's variables (__vars, __current_task, ...)
	outLen int64
}

// evalError carries the position of the node that failed.
type evalError struct {
	pos int
	err error
}

func (e *evalError) Error() string { return e.err.Error() }
func (e *evalError) Unwrap() error { return e.err }

func (st *state) fail(n node, err error) error {
	if err == nil {
		return nil
	}
	var ee *evalError
	if errors.As(err, &ee) {
		return err
	}
	return &evalError{pos: n.position(), err: err}
}

func (st *state) undefinedName(name string) *Undefined {
	return &Undefined{name: name, strict: st.env.strict}
}

func (st *state) undefinedAttr(obj, name any) *Undefined {
	return &Undefined{name: name, obj: obj, hasObj: true, strict: st.env.strict}
}

// lookupName resolves a variable: local frames, then the template
// context, then the environment's globals.
func (st *state) lookupName(sc *scope, name string) any {
	if v, _, ok := sc.lookup(name); ok {
		return v
	}
	if v, ok := st.extra[name]; ok {
		return v
	}
	if st.orq && strings.HasPrefix(name, "__") {
		if v, ok := orquestaVar(st.xenv, name); ok {
			return v
		}
	}
	if v, ok := st.ctx.Get(name); ok {
		return v
	}
	if v, ok := st.env.globals[name]; ok {
		return v
	}
	return st.undefinedName(name)
}

// check fails on a strict undefined value (any use of it but defined
// tests and the default filter).
func (st *state) check(v any) error {
	if u, ok := v.(*Undefined); ok && u.strict {
		return u.err()
	}
	return nil
}

func (st *state) truth(v any) (bool, error) {
	if err := st.check(v); err != nil {
		return false, err
	}
	return expr.Truthy(v), nil
}

// str is Python's str() with undefined checks.
func (st *state) str(v any) (string, error) {
	switch x := v.(type) {
	case string:
		return x, nil
	case *Undefined:
		if x.strict {
			return "", x.err()
		}
		return "", nil
	}
	if err := st.checkNested(v, 0); err != nil {
		return "", err
	}
	return expr.Str(v), nil
}

// checkNested fails on a strict undefined inside a list or dict about to
// be rendered (Python's repr of it would raise).
func (st *state) checkNested(v any, depth int) error {
	if depth > 50 {
		return nil
	}
	switch x := v.(type) {
	case []any:
		for _, e := range x {
			if err := st.checkNested(e, depth+1); err != nil {
				return err
			}
		}
	case expr.Tuple:
		for _, e := range x {
			if err := st.checkNested(e, depth+1); err != nil {
				return err
			}
		}
	case *expr.Dict:
		_, vals := x.KeyValues()
		for _, e := range vals {
			if err := st.checkNested(e, depth+1); err != nil {
				return err
			}
		}
	}
	return nil
}

// iterate is Python's iteration with undefined checks.
func (st *state) iterate(v any) ([]any, error) {
	if u, ok := v.(*Undefined); ok {
		if u.strict {
			return nil, u.err()
		}
		return nil, nil
	}
	return expr.Iterate(v)
}

func (st *state) step() error { return st.b.Step(1) }

// eval evaluates an expression node.
func (st *state) eval(sc *scope, n node) (any, error) {
	if err := st.step(); err != nil {
		return nil, err
	}
	v, err := st.evalNode(sc, n)
	if err != nil {
		return nil, st.fail(n, err)
	}
	return v, nil
}

func (st *state) evalNode(sc *scope, n node) (any, error) {
	switch x := n.(type) {
	case *constNode:
		return x.val, nil
	case *nameNode:
		return st.lookupName(sc, x.name), nil
	case *getattrNode:
		obj, err := st.eval(sc, x.x)
		if err != nil {
			return nil, err
		}
		if u, ok := obj.(*Undefined); ok {
			return nil, st.fail(x.x, u.err())
		}
		return st.getattr(obj, x.attr)
	case *getitemNode:
		obj, err := st.eval(sc, x.x)
		if err != nil {
			return nil, err
		}
		if u, ok := obj.(*Undefined); ok {
			return nil, st.fail(x.x, u.err())
		}
		if sl, ok := x.key.(*sliceNode); ok {
			return st.slice(sc, obj, sl)
		}
		key, err := st.eval(sc, x.key)
		if err != nil {
			return nil, err
		}
		return st.getitem(obj, key)
	case *callNode:
		return st.evalCall(sc, x)
	case *filterNode:
		var v any
		if x.x != nil {
			var err error
			if v, err = st.eval(sc, x.x); err != nil {
				return nil, err
			}
		}
		return st.applyFilter(sc, x, v)
	case *testNode:
		v, err := st.eval(sc, x.x)
		if err != nil {
			return nil, err
		}
		return st.applyTest(sc, x, v)
	case *binNode:
		return st.evalBin(sc, x)
	case *unaryNode:
		v, err := st.eval(sc, x.x)
		if err != nil {
			return nil, err
		}
		switch x.op {
		case "not":
			t, err := st.truth(v)
			return !t, err
		case "-":
			if u, ok := v.(*Undefined); ok {
				return nil, u.err()
			}
			return expr.Neg(v)
		default:
			if u, ok := v.(*Undefined); ok {
				return nil, u.err()
			}
			return expr.Pos(v)
		}
	case *andNode:
		l, err := st.eval(sc, x.l)
		if err != nil {
			return nil, err
		}
		t, err := st.truth(l)
		if err != nil || !t {
			return l, err
		}
		return st.eval(sc, x.r)
	case *orNode:
		l, err := st.eval(sc, x.l)
		if err != nil {
			return nil, err
		}
		t, err := st.truth(l)
		if err != nil || t {
			return l, err
		}
		return st.eval(sc, x.r)
	case *compareNode:
		return st.evalCompare(sc, x)
	case *condNode:
		test, err := st.eval(sc, x.test)
		if err != nil {
			return nil, err
		}
		t, err := st.truth(test)
		if err != nil {
			return nil, err
		}
		if t {
			return st.eval(sc, x.then)
		}
		if x.els == nil {
			// Jinja makes a plain (lenient) Undefined here whatever the
			// environment's undefined is.
			return &Undefined{hint: "the inline if-expression evaluated to false and no else section was defined."}, nil
		}
		return st.eval(sc, x.els)
	case *listNode:
		out := make([]any, len(x.items))
		for i, it := range x.items {
			v, err := st.eval(sc, it)
			if err != nil {
				return nil, err
			}
			out[i] = v
		}
		return out, nil
	case *tupleNode:
		out := make(expr.Tuple, len(x.items))
		for i, it := range x.items {
			v, err := st.eval(sc, it)
			if err != nil {
				return nil, err
			}
			out[i] = v
		}
		return out, nil
	case *dictNode:
		d := expr.NewDict(len(x.keys))
		for i, kn := range x.keys {
			k, err := st.eval(sc, kn)
			if err != nil {
				return nil, err
			}
			v, err := st.eval(sc, x.vals[i])
			if err != nil {
				return nil, err
			}
			if err := st.check(k); err != nil {
				return nil, err
			}
			if err := d.SetKey(k, v); err != nil {
				return nil, err
			}
		}
		return d, nil
	case *sliceNode:
		return nil, expr.TypeErrorf("slice outside of a subscript")
	case *nsRefNode:
		return nil, expr.TypeErrorf("namespace reference outside of an assignment")
	}
	return nil, expr.TypeErrorf("cannot evaluate %T", n)
}

func (st *state) slice(sc *scope, obj any, sl *sliceNode) (any, error) {
	var parts [3]any
	for i, p := range []node{sl.start, sl.stop, sl.step} {
		if p == nil {
			continue
		}
		v, err := st.eval(sc, p)
		if err != nil {
			return nil, err
		}
		if err := st.check(v); err != nil {
			return nil, err
		}
		parts[i] = v
	}
	if u, ok := obj.(*Undefined); ok {
		return nil, u.err()
	}
	switch obj.(type) {
	case string, []any, expr.Tuple:
		return expr.Slice(obj, parts[0], parts[1], parts[2])
	}
	if it, ok := obj.(expr.Iterable); ok {
		items, err := it.PyIter()
		if err != nil {
			return nil, err
		}
		if _, isRange := obj.(*rangeValue); isRange {
			return expr.Slice(items, parts[0], parts[1], parts[2])
		}
	}
	return st.undefinedAttr(obj, expr.Repr(parts)), nil
}

func (st *state) evalBin(sc *scope, x *binNode) (any, error) {
	l, err := st.eval(sc, x.l)
	if err != nil {
		return nil, err
	}
	r, err := st.eval(sc, x.r)
	if err != nil {
		return nil, err
	}
	if x.op == "~" {
		ls, err := st.str(l)
		if err != nil {
			return nil, err
		}
		rs, err := st.str(r)
		if err != nil {
			return nil, err
		}
		if err := st.b.CheckSize(int64(len(ls) + len(rs))); err != nil {
			return nil, err
		}
		return ls + rs, nil
	}
	if u, ok := l.(*Undefined); ok {
		return nil, u.err()
	}
	if u, ok := r.(*Undefined); ok {
		return nil, u.err()
	}
	if x.op == "%" {
		if s, ok := l.(string); ok {
			if err := st.checkNested(r, 0); err != nil {
				return nil, err
			}
			out, err := expr.PercentFormat(s, r)
			if err == nil {
				err = st.b.CheckSize(int64(len(out)))
			}
			return out, err
		}
	}
	return expr.Arith(expr.Op(x.op), l, r, st.b)
}

func (st *state) evalCompare(sc *scope, x *compareNode) (any, error) {
	left, err := st.eval(sc, x.first)
	if err != nil {
		return nil, err
	}
	for _, op := range x.ops {
		right, err := st.eval(sc, op.x)
		if err != nil {
			return nil, err
		}
		ok, err := st.compare(op.op, left, right)
		if err != nil {
			return nil, err
		}
		if !ok {
			return false, nil
		}
		left = right
	}
	return true, nil
}

func (st *state) compare(op string, l, r any) (bool, error) {
	if err := st.check(l); err != nil {
		return false, err
	}
	if err := st.check(r); err != nil {
		return false, err
	}
	switch op {
	case "in", "notin":
		in, err := contains(r, l)
		if err != nil {
			return false, err
		}
		return in == (op == "in"), nil
	}
	_, lu := l.(*Undefined)
	_, ru := r.(*Undefined)
	if lu || ru {
		switch op {
		case "eq":
			return lu && ru, nil
		case "ne":
			return !(lu && ru), nil
		}
		if lu {
			return false, l.(*Undefined).err()
		}
		return false, r.(*Undefined).err()
	}
	return expr.CompareOp(pyCompareOp(op), l, r)
}

// pyCompareOp maps a compare node's operator to Python's spelling.
func pyCompareOp(op string) string {
	switch op {
	case "eq":
		return "=="
	case "ne":
		return "!="
	case "lt":
		return "<"
	case "lteq":
		return "<="
	case "gt":
		return ">"
	}
	return ">="
}

// contains is Python's "item in container", iterating the model's
// lazy values.
func contains(container, item any) (bool, error) {
	switch c := container.(type) {
	case *dictView:
		if c.kind == "keys" {
			return expr.Contains(c.d, item)
		}
	case *generator:
		return expr.Contains(expr.Tuple(c.items), item)
	}
	return expr.Contains(container, item)
}

// evalArgs evaluates call arguments, spreading *args and **kwargs.
func (st *state) evalArgs(sc *scope, ca callArgs) ([]any, []expr.NamedArg, error) {
	args := make([]any, 0, len(ca.args))
	for _, a := range ca.args {
		v, err := st.eval(sc, a)
		if err != nil {
			return nil, nil, err
		}
		args = append(args, v)
	}
	var kw []expr.NamedArg
	for _, k := range ca.kwargs {
		v, err := st.eval(sc, k.val)
		if err != nil {
			return nil, nil, err
		}
		kw = append(kw, expr.NamedArg{Name: k.name, Value: v})
	}
	if ca.dynArgs != nil {
		v, err := st.eval(sc, ca.dynArgs)
		if err != nil {
			return nil, nil, err
		}
		items, err := st.iterate(v)
		if err != nil {
			return nil, nil, err
		}
		args = append(args, items...)
	}
	if ca.dynKwargs != nil {
		v, err := st.eval(sc, ca.dynKwargs)
		if err != nil {
			return nil, nil, err
		}
		d, ok := v.(*expr.Dict)
		if !ok {
			return nil, nil, expr.TypeErrorf("argument after ** must be a mapping, not %s", expr.TypeName(v))
		}
		var kerr error
		d.Range(func(k, v any) bool {
			s, ok := k.(string)
			if !ok {
				kerr = expr.TypeErrorf("keywords must be strings")
				return false
			}
			kw = append(kw, expr.NamedArg{Name: s, Value: v})
			return true
		})
		if kerr != nil {
			return nil, nil, kerr
		}
	}
	return args, kw, nil
}

func (st *state) evalCall(sc *scope, x *callNode) (any, error) {
	fn, err := st.eval(sc, x.fn)
	if err != nil {
		return nil, err
	}
	args, kw, err := st.evalArgs(sc, x.callArgs)
	if err != nil {
		return nil, err
	}
	if m, ok := fn.(*boundMethod); ok {
		res, newRecv, err := st.callMethod(m, args, kw)
		if err != nil {
			return nil, err
		}
		if newRecv != nil {
			st.writeBack(sc, x.fn, newRecv)
		}
		return res, nil
	}
	return st.callValue(fn, args, kw)
}

// writeBack stores a list a mutating method (append, ...) changed back
// where the receiver came from, so l.append(x) is seen through l as in
// Python.
func (st *state) writeBack(sc *scope, fnNode node, newRecv []any) {
	ga, ok := fnNode.(*getattrNode)
	if !ok {
		return
	}
	switch recv := ga.x.(type) {
	case *nameNode:
		if _, f, ok := sc.lookup(recv.name); ok {
			f.set(recv.name, newRecv)
			return
		}
		if _, ok := st.extra[recv.name]; ok {
			st.extra[recv.name] = newRecv
			return
		}
		if st.ctx.Has(recv.name) {
			st.ctx.Set(recv.name, newRecv)
		}
	case *getattrNode:
		if owner, err := st.evalNode(sc, recv.x); err == nil {
			if d, ok := owner.(*expr.Dict); ok && d.Has(recv.attr) {
				d.Set(recv.attr, newRecv)
			} else if ns, ok := owner.(*namespace); ok {
				ns.d.Set(recv.attr, newRecv)
			}
		}
	case *getitemNode:
		owner, err := st.evalNode(sc, recv.x)
		if err != nil {
			return
		}
		key, err := st.evalNode(sc, recv.key)
		if err != nil {
			return
		}
		switch o := owner.(type) {
		case *expr.Dict:
			_ = o.SetKey(key, newRecv)
		case []any:
			if i, ok := key.(int64); ok {
				if i < 0 {
					i += int64(len(o))
				}
				if i >= 0 && i < int64(len(o)) {
					o[i] = newRecv
				}
			}
		}
	}
}

func (st *state) callValue(fn any, args []any, kw []expr.NamedArg) (any, error) {
	switch f := fn.(type) {
	case *Undefined:
		return nil, f.err()
	case *macro:
		return st.callMacro(f, args, kw, nil)
	case *boundMethod:
		res, _, err := st.callMethod(f, args, kw)
		return res, err
	case callable:
		return f.call(st, args, kw)
	}
	return nil, expr.TypeErrorf("'%s' object is not callable", expr.TypeName(fn))
}

// callSpec calls a registry function.
func (st *state) callSpec(spec *expr.FuncSpec, args []any, kw []expr.NamedArg) (any, error) {
	for _, a := range args {
		if err := st.check(a); err != nil {
			if !acceptsUndefined(spec.Name) {
				return nil, err
			}
		}
	}
	return spec.Invoke(st.b, st.xenv, args, kw)
}

// acceptsUndefined lists registry functions that take any value
// without looking at it as a string (Python passes the Undefined
// object through).
func acceptsUndefined(name string) bool {
	return name == "use_none"
}

// render runs statements, writing output to w.
func (st *state) render(sc *scope, body []node, w *strings.Builder) error {
	for _, n := range body {
		if err := st.exec(sc, n, w); err != nil {
			return err
		}
	}
	return nil
}

func (st *state) write(w *strings.Builder, s string) error {
	st.outLen += int64(len(s))
	if err := st.b.CheckSize(st.outLen); err != nil {
		return err
	}
	w.WriteString(s)
	return nil
}

func (st *state) exec(sc *scope, n node, w *strings.Builder) error {
	if err := st.step(); err != nil {
		return err
	}
	switch x := n.(type) {
	case *outputNode:
		for _, it := range x.items {
			if d, ok := it.(*dataNode); ok {
				if err := st.write(w, d.text); err != nil {
					return err
				}
				continue
			}
			v, err := st.eval(sc, it)
			if err != nil {
				return err
			}
			s, err := st.str(v)
			if err != nil {
				return st.fail(it, err)
			}
			if err := st.write(w, s); err != nil {
				return err
			}
		}
		return nil
	case *ifNode:
		clauses := append([]elifClause{{x.test, x.body}}, x.elifs...)
		for _, c := range clauses {
			v, err := st.eval(sc, c.test)
			if err != nil {
				return err
			}
			t, err := st.truth(v)
			if err != nil {
				return st.fail(c.test, err)
			}
			if t {
				return st.render(sc, c.body, w)
			}
		}
		return st.render(sc, x.els, w)
	case *forNode:
		return st.execFor(sc, x, w)
	case *assignNode:
		v, err := st.eval(sc, x.val)
		if err != nil {
			return err
		}
		return st.fail(x, st.assign(sc, x.target, v))
	case *assignBlockNode:
		var b strings.Builder
		if err := st.render(newScope(sc), x.body, &b); err != nil {
			return err
		}
		var v any = b.String()
		if x.filter != nil {
			var err error
			if v, err = st.applyFilterChain(sc, x.filter, v); err != nil {
				return st.fail(x.filter, err)
			}
		}
		return st.fail(x, st.assign(sc, x.target, v))
	case *macroNode:
		sc.set(x.name, st.newMacro(sc, x.name, x.args, x.defaults, x.body))
		return nil
	case *callBlockNode:
		caller := st.newMacro(sc, "caller", x.args, x.defaults, x.body)
		fn, err := st.eval(sc, x.call.fn)
		if err != nil {
			return err
		}
		args, kw, err := st.evalArgs(sc, x.call.callArgs)
		if err != nil {
			return err
		}
		var res any
		if m, ok := fn.(*macro); ok {
			res, err = st.callMacro(m, args, kw, caller)
		} else {
			kw = append(kw, expr.NamedArg{Name: "caller", Value: caller})
			res, err = st.callValue(fn, args, kw)
		}
		if err != nil {
			return st.fail(x, err)
		}
		s, err := st.str(res)
		if err != nil {
			return st.fail(x, err)
		}
		return st.write(w, s)
	case *filterBlockNode:
		var b strings.Builder
		if err := st.render(newScope(sc), x.body, &b); err != nil {
			return err
		}
		v, err := st.applyFilterChain(sc, x.filter, b.String())
		if err != nil {
			return st.fail(x.filter, err)
		}
		s, err := st.str(v)
		if err != nil {
			return st.fail(x, err)
		}
		return st.write(w, s)
	case *withNode:
		inner := newScope(sc)
		for i, t := range x.targets {
			v, err := st.eval(sc, x.vals[i])
			if err != nil {
				return err
			}
			if err := st.assign(inner, t, v); err != nil {
				return st.fail(t, err)
			}
		}
		return st.render(inner, x.body, w)
	case *blockNode:
		return st.render(newScope(sc), x.body, w)
	case *unsupportedNode:
		return st.fail(x, expr.TypeErrorf("no loader for this environment specified ('%s' needs other templates)", x.what))
	}
	return st.fail(n, expr.TypeErrorf("cannot execute %T", n))
}

// applyFilterChain applies the filters of a filter block or block set
// ("{% filter a | b %}") to v, innermost first.
func (st *state) applyFilterChain(sc *scope, f *filterNode, v any) (any, error) {
	if inner, ok := f.x.(*filterNode); ok {
		var err error
		if v, err = st.applyFilterChain(sc, inner, v); err != nil {
			return nil, err
		}
	}
	return st.applyFilter(sc, f, v)
}

// assign binds a set/for target.
func (st *state) assign(sc *scope, target node, v any) error {
	switch t := target.(type) {
	case *nameNode:
		sc.set(t.name, v)
		return nil
	case *tupleNode:
		items, err := st.iterate(v)
		if err != nil {
			return err
		}
		if len(items) < len(t.items) {
			return expr.ValueErrorf("not enough values to unpack (expected %d, got %d)", len(t.items), len(items))
		}
		if len(items) > len(t.items) {
			return expr.ValueErrorf("too many values to unpack (expected %d)", len(t.items))
		}
		for i, it := range t.items {
			if err := st.assign(sc, it, items[i]); err != nil {
				return err
			}
		}
		return nil
	case *nsRefNode:
		ns, ok := st.lookupName(sc, t.name).(*namespace)
		if !ok {
			return &expr.PyError{Type: "TemplateRuntimeError", Msg: "cannot assign attribute on non-namespace object"}
		}
		ns.d.Set(t.attr, v)
		return nil
	}
	return expr.TypeErrorf("cannot assign to %T", target)
}

func (st *state) execFor(sc *scope, x *forNode, w *strings.Builder) error {
	iterable, err := st.eval(sc, x.iter)
	if err != nil {
		return err
	}
	var run func(iterable any, depth int, w *strings.Builder) error
	run = func(iterable any, depth int, w *strings.Builder) error {
		if err := st.b.Enter(); err != nil {
			return err
		}
		defer st.b.Leave()
		items, err := st.iterate(iterable)
		if err != nil {
			return st.fail(x.iter, err)
		}
		if x.cond != nil {
			var kept []any
			for _, it := range items {
				inner := newScope(sc)
				if err := st.assign(inner, x.target, it); err != nil {
					return st.fail(x.target, err)
				}
				v, err := st.eval(inner, x.cond)
				if err != nil {
					return err
				}
				t, err := st.truth(v)
				if err != nil {
					return st.fail(x.cond, err)
				}
				if t {
					kept = append(kept, it)
				}
			}
			items = kept
		}
		if len(items) == 0 {
			return st.render(sc, x.els, w)
		}
		loop := &loopContext{items: items, depth0: depth}
		if x.recursive {
			loop.recurse = func(st *state, it any) (string, error) {
				var b strings.Builder
				if err := run(it, depth+1, &b); err != nil {
					return "", err
				}
				return b.String(), nil
			}
		}
		for i, it := range items {
			if err := st.step(); err != nil {
				return err
			}
			loop.index0 = i
			inner := newScope(sc)
			if err := st.assign(inner, x.target, it); err != nil {
				return st.fail(x.target, err)
			}
			inner.set("loop", loop)
			if err := st.render(inner, x.body, w); err != nil {
				return err
			}
		}
		return nil
	}
	return run(iterable, 0, w)
}

func (st *state) newMacro(sc *scope, name string, args []string, defaults []node, body []node) *macro {
	m := &macro{name: name, args: args, defaults: defaults, body: body, scope: sc}
	walkNames(body, func(n string) {
		switch n {
		case "varargs":
			m.varargs = true
		case "kwargs":
			m.kwargs = true
		case "caller":
			m.hasCaller = true
		}
	})
	return m
}

func (st *state) callMacro(m *macro, args []any, kw []expr.NamedArg, caller *macro) (any, error) {
	if err := st.b.Enter(); err != nil {
		return nil, err
	}
	defer st.b.Leave()
	sc := newScope(m.scope)
	if len(args) > len(m.args) && !m.varargs {
		return nil, expr.TypeErrorf("macro '%s' takes not more than %d argument(s)", m.name, len(m.args))
	}
	set := make([]bool, len(m.args))
	for i, a := range args {
		if i < len(m.args) {
			sc.set(m.args[i], a)
			set[i] = true
		}
	}
	extra := expr.NewDict(0)
	for _, k := range kw {
		found := false
		for i, name := range m.args {
			if name == k.Name {
				if set[i] {
					return nil, expr.TypeErrorf("macro '%s' got multiple values for argument '%s'", m.name, k.Name)
				}
				sc.set(name, k.Value)
				set[i] = true
				found = true
			}
		}
		if found {
			continue
		}
		if k.Name == "caller" && m.hasCaller {
			if c, ok := k.Value.(*macro); ok {
				caller = c
				continue
			}
		}
		if !m.kwargs {
			return nil, expr.TypeErrorf("macro '%s' takes no keyword argument '%s'", m.name, k.Name)
		}
		extra.Set(k.Name, k.Value)
	}
	firstDefault := len(m.args) - len(m.defaults)
	for i, name := range m.args {
		if set[i] {
			continue
		}
		if i >= firstDefault {
			v, err := st.eval(sc, m.defaults[i-firstDefault])
			if err != nil {
				return nil, err
			}
			sc.set(name, v)
			continue
		}
		sc.set(name, &Undefined{hint: "parameter '" + name + "' was not provided", strict: st.env.strict})
	}
	var varargs expr.Tuple
	if len(args) > len(m.args) {
		varargs = expr.Tuple(append([]any(nil), args[len(m.args):]...))
	}
	if varargs == nil {
		varargs = expr.Tuple{}
	}
	sc.set("varargs", varargs)
	sc.set("kwargs", extra)
	if caller != nil {
		sc.set("caller", caller)
	}
	var b strings.Builder
	if err := st.render(sc, m.body, &b); err != nil {
		return nil, err
	}
	return b.String(), nil
}

// walkNames calls f with every variable name the statements read.
func walkNames(body []node, f func(string)) {
	var walk func(n node)
	walkArgs := func(ca callArgs) {
		for _, a := range ca.args {
			walk(a)
		}
		for _, k := range ca.kwargs {
			walk(k.val)
		}
		if ca.dynArgs != nil {
			walk(ca.dynArgs)
		}
		if ca.dynKwargs != nil {
			walk(ca.dynKwargs)
		}
	}
	walkAll := func(ns []node) {
		for _, n := range ns {
			walk(n)
		}
	}
	walk = func(n node) {
		switch x := n.(type) {
		case nil:
		case *nameNode:
			f(x.name)
		case *getattrNode:
			walk(x.x)
		case *getitemNode:
			walk(x.x)
			walk(x.key)
		case *sliceNode:
			walk(x.start)
			walk(x.stop)
			walk(x.step)
		case *callNode:
			walk(x.fn)
			walkArgs(x.callArgs)
		case *filterNode:
			walk(x.x)
			walkArgs(x.callArgs)
		case *testNode:
			walk(x.x)
			walkArgs(x.callArgs)
		case *binNode:
			walk(x.l)
			walk(x.r)
		case *unaryNode:
			walk(x.x)
		case *andNode:
			walk(x.l)
			walk(x.r)
		case *orNode:
			walk(x.l)
			walk(x.r)
		case *compareNode:
			walk(x.first)
			for _, o := range x.ops {
				walk(o.x)
			}
		case *condNode:
			walk(x.test)
			walk(x.then)
			walk(x.els)
		case *listNode:
			walkAll(x.items)
		case *tupleNode:
			walkAll(x.items)
		case *dictNode:
			walkAll(x.keys)
			walkAll(x.vals)
		case *outputNode:
			walkAll(x.items)
		case *ifNode:
			walk(x.test)
			walkAll(x.body)
			for _, e := range x.elifs {
				walk(e.test)
				walkAll(e.body)
			}
			walkAll(x.els)
		case *forNode:
			walk(x.iter)
			walk(x.cond)
			walkAll(x.body)
			walkAll(x.els)
		case *assignNode:
			walk(x.val)
		case *assignBlockNode:
			walkAll(x.body)
		case *callBlockNode:
			walk(x.call)
			walkAll(x.body)
		case *filterBlockNode:
			walkAll(x.body)
		case *withNode:
			walkAll(x.vals)
			walkAll(x.body)
		case *blockNode:
			walkAll(x.body)
		case *macroNode:
			// A nested macro's names are its own.
		}
	}
	walkAll(body)
}

// ctxBudget builds the budget for an evaluation.
func newState(ctx context.Context, env *Environment, lim expr.Limits, vars *expr.Dict, xenv *expr.Env) *state {
	if xenv == nil {
		xenv = &expr.Env{}
	}
	return &state{env: env, b: expr.NewBudget(ctx, lim), xenv: xenv, ctx: vars}
}
