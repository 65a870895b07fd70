package yaql

import (
	"github.com/st2go/st2go/internal/expr"
)

// This file is yaql's function resolution (yaql/language/runner.py and
// specs.py): a call names a function; the candidates are the overloads
// registered under that name that can be called the way it was written
// (as a function, or as a method on a receiver); an overload matches
// when the arguments fit its parameters, first by count and constant
// types before evaluation, then by the types of the evaluated values.
// Overloads live in layers; the first layer with a match wins and two
// matches in one layer are ambiguous. The error classes (Unknown
// function, No function ... matches) are the ones yaql raises.

// ptype is a parameter type, after yaql's yaqltypes.
type ptype uint8

const (
	tAny          ptype = iota // untyped (PythonType(object))
	tString                    // yaqltypes.String
	tInt                       // PythonType(int): bools pass, as in Python
	tInteger                   // yaqltypes.Integer: no bools
	tNumber                    // yaqltypes.Number
	tBool                      // PythonType(bool)
	tIterable                  // yaqltypes.Iterable
	tIterNoSet                 // Iterable that is not a set
	tIterator                  // collections.abc.Iterator
	tSequence                  // yaqltypes.Sequence
	tMapping                   // collections.abc.Mapping
	tSet                       // collections.abc.Set
	tRegex                     // a compiled regex
	tNone                      // type(None)
	tContext                   // a yaql context (let/with result)
	tOrdering                  // orderBy() result
	tRuleValue                 // an evaluated mapping rule (utils.MappingRule)
	tDateTime                  // datetime
	tTimespan                  // timedelta
	tLambda                    // yaqltypes.Lambda(): lazy
	tLambdaMethod              // Lambda(method=True): lazy, must be a call
	tLambdaCtx                 // Lambda(with_context=True): lazy
	tLazyRule                  // yaqltypes.MappingRule: lazy
	tExpression                // yaqltypes.YaqlExpression: lazy
	tKeyword                   // yaqltypes.Keyword(): a bare identifier
	tKeywordRaw                // Keyword(expand=False)
)

func (t ptype) lazy() bool {
	switch t {
	case tLambda, tLambdaMethod, tLambdaCtx, tLazyRule, tExpression:
		return true
	}
	return false
}

// noDefault marks a required parameter; noValue is yaql's NO_VALUE (an
// omitted optional argument that the function tests for).
type marker struct{ name string }

var (
	noDefault = &marker{"<NoDefault>"}
	noValue   = &marker{"<NoValue>"}
)

type param struct {
	name     string
	typ      ptype
	nullable bool
	def      any
}

// fnImpl runs an overload: a holds the positional parameters in order
// (defaults filled in), then any extra arguments for a variadic one;
// c.kw holds keyword-only and extra keyword arguments.
type fnImpl func(c *call, a []any) (any, error)

type overload struct {
	name     string
	method   bool
	function bool
	noKwargs bool
	params   []param
	varargs  *param
	kwonly   []param
	varkw    *param
	fallback bool // registered in the parent layer (yaql's system fallbacks)
	fn       fnImpl
}

// args and lazy markers of one candidate after mapping.
type mapping struct {
	ov   *overload
	pos  []*param
	kw   map[string]*param
	lazy []bool
	lkw  map[string]bool
}

// checkArg is yaql's SmartType.check. v is an unevaluated node before
// evaluation, or a value (or a kept constant / lazy node) after.
func checkArg(p *param, v any) bool {
	switch p.typ {
	case tLambda, tLambdaCtx:
		return true
	case tLambdaMethod:
		if n, ok := v.(node); ok {
			c, isCall := n.(*callNode)
			return isCall && c.usesReceiver
		}
		return true
	case tLazyRule:
		_, ok := v.(*mappingNode)
		return ok
	case tExpression:
		_, ok := v.(node)
		return ok
	case tKeyword, tKeywordRaw:
		c, ok := v.(*constNode)
		return ok && c.keyword
	}
	if c, ok := v.(*constNode); ok {
		v = c.val
	}
	if v == nil {
		return p.nullable
	}
	if _, ok := v.(node); ok {
		return true // checked again once evaluated
	}
	if v == noValue {
		return true
	}
	switch p.typ {
	case tAny:
		return true
	case tString:
		return isString(v)
	case tInt:
		return isInt(v)
	case tInteger:
		return isInteger(v)
	case tNumber:
		return isNumber(v)
	case tBool:
		_, ok := v.(bool)
		return ok
	case tIterable:
		return isIterable(v)
	case tIterNoSet:
		return isIterable(v) && !isSet(v)
	case tIterator:
		return isIterator(v)
	case tSequence:
		return isSequence(v)
	case tMapping:
		return isMapping(v)
	case tSet:
		return isSet(v)
	case tRegex:
		_, ok := v.(*regexValue)
		return ok
	case tNone:
		return false
	case tContext:
		_, ok := v.(*scopeValue)
		return ok
	case tOrdering:
		_, ok := v.(*ordering)
		return ok
	case tRuleValue:
		_, ok := v.(*mappingRule)
		return ok
	case tDateTime:
		_, ok := v.(*dateTime)
		return ok
	case tTimespan:
		_, ok := v.(*timespan)
		return ok
	}
	return false
}

// mapArgs is yaql's FunctionDefinition.map_args: it fits the written
// arguments (nodes, or values for a receiver or a delegate call) to the
// overload's parameters, or returns nil.
func mapArgs(ov *overload, args []any, kw map[string]any) *mapping {
	m := &mapping{ov: ov, pos: make([]*param, len(args))}
	if ov.varargs != nil {
		for i := range m.pos {
			m.pos[i] = ov.varargs
		}
	}
	var used map[string]bool
	for i := range ov.params {
		p := &ov.params[i]
		switch {
		case i < len(args) && !isNoValue(args[i]):
			if _, ok := kw[p.name]; ok {
				return nil
			}
			m.pos[i] = p
		case hasKey(kw, p.name):
			if m.kw == nil {
				m.kw = map[string]*param{}
			}
			m.kw[p.name] = p
			if used == nil {
				used = map[string]bool{}
			}
			used[p.name] = true
		case p.def == noDefault:
			return nil
		case i < len(args):
			m.pos[i] = p
		}
	}
	for i := range ov.kwonly {
		p := &ov.kwonly[i]
		if hasKey(kw, p.name) {
			if m.kw == nil {
				m.kw = map[string]*param{}
			}
			m.kw[p.name] = p
			if used == nil {
				used = map[string]bool{}
			}
			used[p.name] = true
		} else if p.def == noDefault {
			return nil
		}
	}
	for k := range kw {
		if used[k] {
			continue
		}
		if ov.varkw == nil {
			return nil
		}
		if m.kw == nil {
			m.kw = map[string]*param{}
		}
		m.kw[k] = ov.varkw
	}
	for i, p := range m.pos {
		if p == nil {
			return nil
		}
		v := args[i]
		if isNoValue(v) {
			v = p.def
		}
		if !checkArg(p, v) {
			return nil
		}
	}
	for k, p := range m.kw {
		if p == ov.varkw && !checkArg(p, kw[k]) {
			return nil
		}
	}
	m.lazy = make([]bool, len(args))
	for i, p := range m.pos {
		m.lazy[i] = p.typ.lazy()
	}
	for k, p := range m.kw {
		if p.typ.lazy() {
			if m.lkw == nil {
				m.lkw = map[string]bool{}
			}
			m.lkw[k] = true
		}
	}
	return m
}

func hasKey(m map[string]any, k string) bool {
	_, ok := m[k]
	return ok
}

func isNoValue(v any) bool {
	if v == noValue {
		return true
	}
	_, ok := v.(*noValueNode)
	return ok
}

func sameLazy(a, b *mapping) bool {
	if len(a.lazy) != len(b.lazy) || len(a.lkw) != len(b.lkw) {
		return false
	}
	for i := range a.lazy {
		if a.lazy[i] != b.lazy[i] {
			return false
		}
	}
	for k := range a.lkw {
		if !b.lkw[k] {
			return false
		}
	}
	return true
}

// bind is yaql's get_delegate: it checks the evaluated arguments and
// converts them to what the implementation receives, or reports false.
func (c *call) bind(ov *overload, args []any, kw map[string]any) ([]any, map[string]any, bool) {
	out := make([]any, len(ov.params), len(ov.params)+len(args))
	var kwOut map[string]any
	taken := 0
	for i := range ov.params {
		p := &ov.params[i]
		var v any
		switch {
		case i < len(args) && !isNoValue(args[i]):
			if hasKey(kw, p.name) {
				return nil, nil, false
			}
			v = args[i]
		case hasKey(kw, p.name):
			v = kw[p.name]
			taken++
		case p.def != noDefault:
			v = p.def
		default:
			return nil, nil, false
		}
		if !checkArg(p, v) {
			return nil, nil, false
		}
		out[i] = c.convert(p, v)
	}
	for i := range ov.kwonly {
		p := &ov.kwonly[i]
		var v any
		switch {
		case hasKey(kw, p.name):
			v = kw[p.name]
			taken++
		case p.def != noDefault:
			v = p.def
		default:
			return nil, nil, false
		}
		if !checkArg(p, v) {
			return nil, nil, false
		}
		if kwOut == nil {
			kwOut = map[string]any{}
		}
		kwOut[p.name] = c.convert(p, v)
	}
	if len(args) > len(ov.params) {
		if ov.varargs == nil {
			return nil, nil, false
		}
		for _, v := range args[len(ov.params):] {
			if isNoValue(v) {
				v = ov.varargs.def
				if v == noDefault {
					return nil, nil, false
				}
			}
			if !checkArg(ov.varargs, v) {
				return nil, nil, false
			}
			out = append(out, c.convert(ov.varargs, v))
		}
	}
	if len(kw) > taken {
		for k, v := range kw {
			if ov.isNamed(k) {
				continue
			}
			if ov.varkw == nil || !checkArg(ov.varkw, v) {
				return nil, nil, false
			}
			if kwOut == nil {
				kwOut = map[string]any{}
			}
			kwOut[k] = c.convert(ov.varkw, v)
		}
	}
	return out, kwOut, true
}

func (ov *overload) isNamed(k string) bool {
	for i := range ov.params {
		if ov.params[i].name == k {
			return true
		}
	}
	for i := range ov.kwonly {
		if ov.kwonly[i].name == k {
			return true
		}
	}
	return false
}

// convert turns a checked argument into what an implementation gets:
// lambdas for lazy parameters, plain values otherwise.
func (c *call) convert(p *param, v any) any {
	switch p.typ {
	case tLambda, tLambdaMethod, tLambdaCtx:
		l := &lambda{ev: c.ev, scope: c.scope, method: p.typ == tLambdaMethod, withContext: p.typ == tLambdaCtx}
		if n, ok := v.(node); ok {
			l.n = n
		} else {
			if v == nil {
				return nil
			}
			l.val = v
		}
		return l
	case tLazyRule:
		m := v.(*mappingNode)
		return &lazyRule{
			src: &lambda{ev: c.ev, scope: c.scope, n: m.src, direct: true, recv: c.recv, hasRecv: c.hasRecv},
			dst: &lambda{ev: c.ev, scope: c.scope, n: m.dst, direct: true, recv: c.recv, hasRecv: c.hasRecv},
		}
	case tExpression, tKeywordRaw:
		return v
	}
	if k, ok := v.(*constNode); ok {
		return k.val
	}
	return v
}

// invoke calls the function name with args (nodes to evaluate in s, or
// values), as a method of recv when hasRecv.
func (ev *evaluator) invoke(name string, args []any, recv any, hasRecv bool, s *scope) (any, error) {
	if err := ev.budget.Step(1); err != nil {
		return nil, err
	}
	layers := ev.lib.candidates(name, hasRecv)
	if layers == nil {
		if hasRecv {
			return nil, pyErr(classNoMethod, "Unknown method \"%s\" for receiver %s", name, pyStr(recv))
		}
		return nil, pyErr(classNoFunction, "Unknown function \"%s\"", name)
	}
	if hasRecv {
		args = append([]any{recv}, args...)
	}
	notFound := func() error {
		if hasRecv {
			return pyErr(classNoMatchMethod, "No method \"%s\" for receiver %s matches supplied arguments", name, pyStr(recv))
		}
		return pyErr(classNoMatchFunction, "No function \"%s\" matches supplied arguments", name)
	}
	ambiguous := func() error {
		if hasRecv {
			return pyErr(classAmbiguousMethod, "Ambiguous method \"%s\" for receiver %s", name, pyStr(recv))
		}
		return pyErr(classAmbiguousFunc, "Ambiguous function \"%s\"", name)
	}
	// translate_args: "name => value" arguments become keyword
	// arguments unless the function takes mapping rules itself.
	noKw := layers[0][0].noKwargs
	var kw map[string]any
	for _, layer := range layers {
		for _, ov := range layer {
			if ov.noKwargs != noKw {
				return nil, ambiguous()
			}
		}
	}
	if !noKw {
		var pos []any
		for i, a := range args {
			m, ok := a.(*mappingNode)
			if !ok {
				if pos != nil {
					pos = append(pos, a)
				}
				continue
			}
			if pos == nil {
				pos = append(make([]any, 0, len(args)), args[:i]...)
			}
			k, ok := m.src.(*constNode)
			if !ok || !k.keyword {
				return nil, pyErr(classMappingTranslate, "Cannot convert mapping to keyword argument")
			}
			if kw == nil {
				kw = map[string]any{}
			}
			kw[k.val.(string)] = m.dst
		}
		if pos != nil {
			args = pos
		}
	}
	var mapped [][]*mapping
	var lazyRef *mapping
	for _, layer := range layers {
		var ms []*mapping
		for _, ov := range layer {
			m := mapArgs(ov, args, kw)
			if m == nil {
				continue
			}
			if lazyRef == nil {
				lazyRef = m
			} else if !sameLazy(lazyRef, m) {
				return nil, ambiguous()
			}
			ms = append(ms, m)
		}
		if ms != nil {
			mapped = append(mapped, ms)
		}
	}
	if mapped == nil {
		return nil, notFound()
	}
	// Evaluate the arguments that are not lazy. Constants stay nodes:
	// keyword parameters need to see them.
	var evArgs []any
	for i, a := range args {
		n, ok := a.(node)
		if !ok || lazyRef.lazy[i] {
			continue
		}
		switch n.(type) {
		case *constNode, *noValueNode:
			continue
		}
		if evArgs == nil {
			evArgs = make([]any, len(args))
			copy(evArgs, args)
		}
		v, err := ev.eval(n, nil, false, s)
		if err != nil {
			return nil, err
		}
		evArgs[i] = v
	}
	if evArgs != nil {
		args = evArgs
	}
	if kw != nil {
		evKw := make(map[string]any, len(kw))
		for k, a := range kw {
			n := a.(node)
			if lazyRef.lkw[k] {
				evKw[k] = n
				continue
			}
			if _, ok := n.(*constNode); ok {
				evKw[k] = n
				continue
			}
			v, err := ev.eval(n, nil, false, s)
			if err != nil {
				return nil, err
			}
			evKw[k] = v
		}
		kw = evKw
	}
	c := &call{ev: ev, scope: s.child(), recv: recv, hasRecv: hasRecv, name: name}
	for _, ms := range mapped {
		var win *overload
		var winArgs []any
		var winKw map[string]any
		var winMap *mapping
		for _, m := range ms {
			a, k, ok := c.bind(m.ov, args, kw)
			if !ok {
				continue
			}
			if win != nil {
				if isSpecialization(winMap, m) {
					continue
				}
				if !isSpecialization(m, winMap) {
					return nil, ambiguous()
				}
			}
			win, winArgs, winKw, winMap = m.ov, a, k, m
		}
		if win != nil {
			c.kw = winKw
			c.ov = win
			return win.fn(c, winArgs)
		}
	}
	return nil, notFound()
}

// isSpecialization is yaql's _is_specialization_of for the parameter
// types used by the library: a more specific type wins over tAny.
func isSpecialization(a, b *mapping) bool {
	res := false
	for i := range a.pos {
		if i >= len(b.pos) {
			break
		}
		x, y := a.pos[i].typ, b.pos[i].typ
		if specializes(y, x) {
			return false
		}
		if specializes(x, y) {
			res = true
		}
	}
	return res
}

func specializes(x, y ptype) bool {
	if x == y {
		return false
	}
	switch y {
	case tAny:
		return x != tAny && !x.lazy()
	case tIterable:
		return x == tSequence || x == tIterator || x == tSet || x == tIterNoSet
	case tIterNoSet:
		return x == tSequence || x == tIterator
	case tNumber:
		return x == tInteger
	}
	return false
}

// delegate calls a function by name with values, as yaql's Delegate
// injections do (e.g. min() calling #operator_>).
func (c *call) delegate(name string, args ...any) (any, error) {
	return c.ev.invoke(name, args, nil, false, c.scope)
}

// delegateMethod calls a method by name on recv with values.
func (c *call) delegateMethod(name string, recv any, args ...any) (any, error) {
	return c.ev.invoke(name, args, recv, true, c.scope)
}

var _ expr.Object = (*lambda)(nil)
