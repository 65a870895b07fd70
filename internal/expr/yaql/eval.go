package yaql

import (
	"github.com/st2go/st2go/internal/expr"
)

// scope is a yaql data context: variables ($1, $name) looked up through
// the parent chain. Every function call and lambda invocation gets a
// child scope, as yaql creates child contexts.
type scope struct {
	parent *scope
	names  []string
	vals   []any
}

func (s *scope) child() *scope { return &scope{parent: s} }

// normName is yaql's Context._normalize_name: "x" -> "$x", "$" -> "$1".
func normName(name string) string {
	if len(name) == 0 || name[0] != '$' {
		name = "$" + name
	}
	if name == "$" {
		return "$1"
	}
	return name
}

func (s *scope) set(name string, v any) {
	name = normName(name)
	for i, n := range s.names {
		if n == name {
			s.vals[i] = v
			return
		}
	}
	s.names = append(s.names, name)
	s.vals = append(s.vals, v)
}

// get looks a normalised name up; missing variables are None in yaql.
func (s *scope) get(name string) (any, bool) {
	for p := s; p != nil; p = p.parent {
		for i := len(p.names) - 1; i >= 0; i-- {
			if p.names[i] == name {
				return p.vals[i], true
			}
		}
	}
	return nil, false
}

// evaluator holds what one evaluation needs.
type evaluator struct {
	lib    *library
	budget *expr.Budget
	env    *expr.Env
	// free holds call records for reuse.
	free    []*call
	freeBuf [8]*call
}

// call is the state of one function invocation, handed to the
// implementation: the child scope it runs in, the receiver of a method
// call, keyword arguments, and a way back into the engine.
type call struct {
	ev      *evaluator
	scope   *scope
	recv    any
	hasRecv bool
	name    string
	kw      map[string]any
	ov      *overload
	// argBuf holds the bound arguments of small calls.
	argBuf [4]any
}

func (c *call) step() error { return c.ev.budget.Step(1) }

func (c *call) checkSize(n int64) error { return c.ev.budget.CheckSize(n) }

// lambda is a lazily evaluated argument (yaqltypes.Lambda): calling it
// evaluates the expression in a fresh child scope where $1, $2, ... are
// the call's arguments ($ is $1).
type lambda struct {
	ev          *evaluator
	scope       *scope
	n           node
	val         any // a plain value passed where a lambda was expected
	method      bool
	withContext bool
	// direct lambdas (mapping rule parts) evaluate in scope itself with
	// the caller's receiver.
	direct  bool
	recv    any
	hasRecv bool
}

func (l *lambda) TypeName() string { return "function" }
func (l *lambda) Repr() string     { return "<function>" }

// call invokes a plain lambda with positional arguments.
func (l *lambda) call(c *call, args ...any) (any, error) {
	if l.n == nil {
		return l.val, nil
	}
	if l.direct {
		return l.ev.eval(l.n, l.recv, l.hasRecv, l.scope)
	}
	if l.method {
		if len(args) == 1 {
			return l.ev.eval(l.n, args[0], true, l.scope)
		}
		s := l.scope.child()
		publish(s, args[1:])
		return l.ev.eval(l.n, args[0], true, s)
	}
	if len(args) == 0 {
		// Nothing to publish: the expression sees the same variables
		// in the lambda's scope (functions that set variables make a
		// child scope of their own).
		return l.ev.eval(l.n, nil, false, l.scope)
	}
	s := l.scope.child()
	publish(s, args)
	return l.ev.eval(l.n, nil, false, s)
}

// callIn invokes a with_context lambda in the given scope.
func (l *lambda) callIn(s *scope, args ...any) (any, error) {
	if l.n == nil {
		return l.val, nil
	}
	publish(s, args)
	return l.ev.eval(l.n, nil, false, s)
}

// call1 is call with one argument, the common case.
func (l *lambda) call1(v any) (any, error) {
	if l.n == nil {
		return l.val, nil
	}
	s := &scope{parent: l.scope, names: []string{"$1"}, vals: []any{v}}
	return l.ev.eval(l.n, nil, false, s)
}

func publish(s *scope, args []any) {
	for i, a := range args {
		s.set("$"+itoa(i+1), a)
	}
}

func itoa(i int) string {
	if i < 10 {
		return string(rune('0' + i))
	}
	var b [20]byte
	n := len(b)
	for i > 0 {
		n--
		b[n] = byte('0' + i%10)
		i /= 10
	}
	return string(b[n:])
}

// eval evaluates a node. recv is the receiver when the node is the
// right side of '.'.
func (ev *evaluator) eval(n node, recv any, hasRecv bool, s *scope) (any, error) {
	switch x := n.(type) {
	case *constNode:
		return x.val, nil
	case *dollarNode:
		if err := ev.budget.Step(1); err != nil {
			return nil, err
		}
		return ev.lookup(x.name, s)
	case *wrapNode:
		return ev.eval(x.x, recv, hasRecv, s)
	case *mappingNode:
		src, err := ev.eval(x.src, nil, false, s)
		if err != nil {
			return nil, err
		}
		dst, err := ev.eval(x.dst, nil, false, s)
		if err != nil {
			return nil, err
		}
		return &mappingRule{src: src, dst: dst}, nil
	case *noValueNode:
		return noValue, nil
	case *callNode:
		if x.kind == callBinary && ev.lib.stdOps {
			if v, done, err := ev.fastBinary(x, s); done {
				return v, err
			}
		}
		if err := ev.budget.Enter(); err != nil {
			return nil, at(x.pos, err)
		}
		method := hasRecv && x.usesReceiver
		var layers [][]*overload
		if x.lib == ev.lib {
			layers = x.fnLayers
			if method {
				layers = x.mLayers
			}
		} else {
			layers = ev.lib.candidates(x.name, method)
		}
		v, err := ev.invokeLayers(layers, x.name, x.anyArgs, recv, method, s)
		ev.budget.Leave()
		if err != nil {
			return nil, at(x.pos, err)
		}
		return v, nil
	}
	return nil, pyErr(classTypeError, "unknown node %T", n)
}

// at attaches a position to an error that has none yet.
func at(pos int, err error) error {
	if _, ok := err.(*posError); ok {
		return err
	}
	return &posError{pos: pos, err: err}
}

// fastBinary evaluates "and", "or" and "dict.key" directly. It gives
// the result the library's overloads give (the lambdas of and/or take no
// arguments, so they see the same variables), skipping resolution;
// anything else takes the general path with the operand evaluated once.
func (ev *evaluator) fastBinary(x *callNode, s *scope) (any, bool, error) {
	switch x.op {
	case "and", "or":
		if err := ev.budget.Step(1); err != nil {
			return nil, true, at(x.pos, err)
		}
		if err := ev.budget.Enter(); err != nil {
			return nil, true, at(x.pos, err)
		}
		defer ev.budget.Leave()
		left, err := ev.eval(x.args[0], nil, false, s)
		if err != nil {
			return nil, true, err
		}
		if expr.Truthy(left) == (x.op == "or") {
			return left, true, nil
		}
		v, err := ev.eval(x.args[1], nil, false, s)
		return v, true, err
	case ".":
		k, ok := x.args[1].(*constNode)
		if !ok || !k.keyword {
			return nil, false, nil
		}
		if err := ev.budget.Enter(); err != nil {
			return nil, true, at(x.pos, err)
		}
		defer ev.budget.Leave()
		recv, err := ev.eval(x.args[0], nil, false, s)
		if err != nil {
			return nil, true, err
		}
		if d, ok := recv.(*expr.Dict); ok {
			if err := ev.budget.Step(1); err != nil {
				return nil, true, at(x.pos, err)
			}
			v, err := dictLookup(d, k.val)
			if err != nil {
				return nil, true, at(x.pos, err)
			}
			return v, true, nil
		}
		v, err := ev.invokeLayers(x.fnLayersOf(ev.lib), x.name, []any{recv, k}, nil, false, s)
		if err != nil {
			return nil, true, at(x.pos, err)
		}
		return v, true, nil
	}
	return nil, false, nil
}

// fnLayersOf returns the function candidates of the call in lib.
func (x *callNode) fnLayersOf(lib *library) [][]*overload {
	if x.lib == lib {
		return x.fnLayers
	}
	return lib.candidates(x.name, false)
}
