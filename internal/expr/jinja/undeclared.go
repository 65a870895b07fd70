package jinja

import "sort"

// UndeclaredVariables returns the names the template reads from its
// context, in order of first use: Jinja's meta.find_undeclared_variables,
// which StackStorm's parameter renderer uses to order parameters by what
// their templates read.
//
// It follows Jinja's own analysis (idtracking.py and the frames of its
// code generator): a name counts when a frame reads it before anything in
// that frame or an enclosing one assigns it. So "{% set x = 1 %}{{ x }}"
// reads nothing, "{{ x }}{% set x = 1 %}" reads x; loop targets, loop,
// macro and call arguments (with caller, varargs, kwargs) and with
// targets are local; a name assigned inside an if branch counts as read
// (Jinja resolves it from the context when the branch is not taken);
// blocks see only the context. The environment's globals (range, dict,
// namespace, ...) are not counted.
func (t *Template) UndeclaredVariables() []string {
	a := &undeclared{env: t.env, first: map[string]int{}}
	root := newSymbols(nil)
	root.param("self")
	a.frame(root, t.body)
	names := make([]string, 0, len(a.first))
	for n := range a.first {
		names = append(names, n)
	}
	sort.Slice(names, func(i, j int) bool {
		if pi, pj := a.first[names[i]], a.first[names[j]]; pi != pj {
			return pi < pj
		}
		return names[i] < names[j]
	})
	return names
}

// symbols is one frame's symbol table (Jinja's Symbols): the names it has
// a reference for, the names it assigns, and the names it resolves from
// the context with the position of the first read.
type symbols struct {
	parent  *symbols
	refs    map[string]bool
	stores  map[string]int
	resolve map[string]int
}

func newSymbols(parent *symbols) *symbols {
	return &symbols{parent: parent, refs: map[string]bool{}, stores: map[string]int{}, resolve: map[string]int{}}
}

func (s *symbols) find(name string) bool {
	for f := s; f != nil; f = f.parent {
		if f.refs[name] {
			return true
		}
	}
	return false
}

func (s *symbols) copy() *symbols {
	c := newSymbols(s.parent)
	for k, v := range s.refs {
		c.refs[k] = v
	}
	for k, v := range s.stores {
		c.stores[k] = v
	}
	for k, v := range s.resolve {
		c.resolve[k] = v
	}
	return c
}

func (s *symbols) load(name string, pos int) {
	if !s.find(name) {
		s.refs[name] = true
		s.resolve[name] = pos
	}
}

func (s *symbols) store(name string, pos int) {
	if _, ok := s.stores[name]; !ok {
		s.stores[name] = pos
	}
	s.refs[name] = true
}

// param declares a parameter; it replaces a resolution of the same name
// in this frame, as Jinja's declare_parameter does.
func (s *symbols) param(name string) {
	s.stores[name] = -1
	s.refs[name] = true
	delete(s.resolve, name)
}

// branchUpdate merges the frames of an if statement's branches: a name
// some branch assigns that the frame did not assign before is resolved
// from the context, unless an enclosing frame has it.
func (s *symbols) branchUpdate(branches []*symbols) {
	newStores := map[string]int{}
	for _, b := range branches {
		for name, pos := range b.stores {
			if _, had := s.stores[name]; !had {
				if p, ok := newStores[name]; !ok || pos < p {
					newStores[name] = pos
				}
			}
		}
	}
	for _, b := range branches {
		for k := range b.refs {
			s.refs[k] = true
		}
		for k, v := range b.resolve {
			if p, ok := s.resolve[k]; !ok || v < p {
				s.resolve[k] = v
			}
		}
		for k, v := range b.stores {
			if _, ok := s.stores[k]; !ok {
				s.stores[k] = v
			}
		}
	}
	for name, pos := range newStores {
		if s.parent != nil && s.parent.find(name) {
			continue
		}
		if p, ok := s.resolve[name]; !ok || pos < p {
			s.resolve[name] = pos
		}
	}
}

type undeclared struct {
	env   *Environment
	first map[string]int
}

// frame analyses the statements of one frame, records what it resolves
// from the context, then analyses the frames nested in it.
func (a *undeclared) frame(s *symbols, body []node) {
	for _, n := range body {
		a.sym(s, n)
	}
	a.record(s)
	a.nested(s, body)
}

// record adds the frame's context reads to the result.
func (a *undeclared) record(s *symbols) {
	for name, pos := range s.resolve {
		if _, global := a.env.globals[name]; global {
			continue
		}
		if p, ok := a.first[name]; !ok || pos < p {
			a.first[name] = pos
		}
	}
}

// sym is Jinja's FrameSymbolVisitor: it visits what a statement reads and
// assigns in the current frame, stopping at statements with frames of
// their own.
func (a *undeclared) sym(s *symbols, n node) {
	switch x := n.(type) {
	case nil, *constNode, *dataNode, *breakNode, *continueNode, *unsupportedNode, *blockNode:
	case *nameNode:
		s.load(x.name, x.pos)
	case *nsRefNode:
		s.load(x.name, x.pos)
	case *getattrNode:
		a.sym(s, x.x)
	case *getitemNode:
		a.sym(s, x.x)
		a.sym(s, x.key)
	case *sliceNode:
		a.sym(s, x.start)
		a.sym(s, x.stop)
		a.sym(s, x.step)
	case *callNode:
		a.sym(s, x.fn)
		a.args(s, x.callArgs)
	case *filterNode:
		a.sym(s, x.x)
		a.args(s, x.callArgs)
	case *testNode:
		a.sym(s, x.x)
		a.args(s, x.callArgs)
	case *binNode:
		a.sym(s, x.l)
		a.sym(s, x.r)
	case *unaryNode:
		a.sym(s, x.x)
	case *andNode:
		a.sym(s, x.l)
		a.sym(s, x.r)
	case *orNode:
		a.sym(s, x.l)
		a.sym(s, x.r)
	case *compareNode:
		a.sym(s, x.first)
		for _, o := range x.ops {
			a.sym(s, o.x)
		}
	case *condNode:
		a.sym(s, x.test)
		a.sym(s, x.then)
		a.sym(s, x.els)
	case *listNode:
		a.syms(s, x.items)
	case *tupleNode:
		a.syms(s, x.items)
	case *dictNode:
		for i := range x.keys {
			a.sym(s, x.keys[i])
			a.sym(s, x.vals[i])
		}
	case *outputNode:
		a.syms(s, x.items)
	case *doNode:
		a.sym(s, x.x)
	case *ifNode:
		a.ifSym(s, x.test, x.body, x.elifs, x.els)
	case *forNode:
		a.sym(s, x.iter)
	case *assignNode:
		a.sym(s, x.val)
		a.target(s, x.target, false)
	case *assignBlockNode:
		a.target(s, x.target, false)
	case *macroNode:
		s.store(x.name, x.pos)
	case *callBlockNode:
		a.sym(s, x.call)
	case *filterBlockNode:
		a.sym(s, x.filter)
	case *withNode:
		a.syms(s, x.vals)
	}
}

func (a *undeclared) syms(s *symbols, ns []node) {
	for _, n := range ns {
		a.sym(s, n)
	}
}

func (a *undeclared) args(s *symbols, ca callArgs) {
	a.syms(s, ca.args)
	for _, k := range ca.kwargs {
		a.sym(s, k.val)
	}
	a.sym(s, ca.dynArgs)
	a.sym(s, ca.dynKwargs)
}

// target visits an assignment target: names are assigned (or declared
// as parameters), a namespace attribute reads the namespace.
func (a *undeclared) target(s *symbols, n node, asParam bool) {
	switch x := n.(type) {
	case *nameNode:
		if asParam {
			s.param(x.name)
		} else {
			s.store(x.name, x.pos)
		}
	case *tupleNode:
		for _, it := range x.items {
			a.target(s, it, asParam)
		}
	case *nsRefNode:
		s.load(x.name, x.pos)
	default:
		a.sym(s, n)
	}
}

// ifSym visits an if statement as Jinja does: the test in the frame, each
// of the three branches (body, the elif chain, else) in a copy of it,
// then merges the copies.
func (a *undeclared) ifSym(s *symbols, test node, body []node, elifs []elifClause, els []node) {
	a.sym(s, test)
	branch := func(visit func(c *symbols)) *symbols {
		c := s.copy()
		visit(c)
		return c
	}
	bodySyms := branch(func(c *symbols) { a.syms(c, body) })
	elifSyms := branch(func(c *symbols) {
		for _, e := range elifs {
			a.ifSym(c, e.test, e.body, nil, nil)
		}
	})
	elseSyms := branch(func(c *symbols) { a.syms(c, els) })
	s.branchUpdate([]*symbols{bodySyms, elifSyms, elseSyms})
}

// nested analyses the frames that the statements of a frame open, as
// Jinja's code generator does once the frame itself is analysed.
func (a *undeclared) nested(s *symbols, body []node) {
	for _, n := range body {
		switch x := n.(type) {
		case *ifNode:
			a.nested(s, x.body)
			for _, e := range x.elifs {
				a.nested(s, e.body)
			}
			a.nested(s, x.els)
		case *forNode:
			loop := newSymbols(s)
			loop.param("loop")
			a.target(loop, x.target, true)
			a.frame(loop, x.body)
			if x.cond != nil {
				test := newSymbols(s)
				a.target(test, x.target, true)
				a.sym(test, x.cond)
				a.record(test)
			}
			if len(x.els) > 0 {
				a.frame(newSymbols(s), x.els)
			}
		case *macroNode:
			a.macro(s, x.args, x.defaults, x.body)
		case *callBlockNode:
			a.macro(s, x.args, x.defaults, x.body)
		case *filterBlockNode:
			f := newSymbols(s)
			a.syms(f, x.body)
			a.sym(f, x.filter)
			a.record(f)
			a.nested(f, x.body)
		case *withNode:
			w := newSymbols(s)
			for _, t := range x.targets {
				a.target(w, t, true)
			}
			a.frame(w, x.body)
		case *assignBlockNode:
			b := newSymbols(s)
			a.syms(b, x.body)
			if x.filter != nil {
				a.sym(b, x.filter)
			}
			a.record(b)
			a.nested(b, x.body)
		case *blockNode:
			// A block is rendered on its own, with the context only.
			b := newSymbols(nil)
			b.param("self")
			b.param("super")
			a.frame(b, x.body)
		}
	}
}

// macro analyses a macro's (or call block's) frame: arguments, then
// defaults and body; caller, varargs and kwargs are its own.
func (a *undeclared) macro(s *symbols, args []string, defaults, body []node) {
	m := newSymbols(s)
	for _, arg := range args {
		m.param(arg)
	}
	a.syms(m, defaults)
	a.syms(m, body)
	for _, special := range []string{"caller", "varargs", "kwargs"} {
		m.param(special)
	}
	a.record(m)
	a.nested(m, body)
}
