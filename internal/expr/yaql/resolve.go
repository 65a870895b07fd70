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
	// hasLazy: some parameter takes a lambda (set by seal).
	hasLazy bool
	// ownScope: the function writes variables into its context (let,
	// with, unpack), so it gets a child scope of its own.
	ownScope bool
	fn       fnImpl
}

// mapping is one candidate that fits the written arguments; kw maps
// keyword argument names to the parameters that take them.
type mapping struct {
	ov *overload
	kw map[string]*param
}

// paramAt is the parameter that takes positional argument i.
func (ov *overload) paramAt(i int) *param {
	if i < len(ov.params) {
		return &ov.params[i]
	}
	return ov.varargs
}

// lazyAt reports whether the overload takes positional argument i
// unevaluated.
func (ov *overload) lazyAt(i int) bool {
	if i < len(ov.params) {
		return ov.params[i].typ.lazy()
	}
	return ov.varargs != nil && ov.varargs.typ.lazy()
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
// overload's parameters and checks what can be checked before
// evaluation (constants), or reports false.
func mapArgs(ov *overload, args []any, kw map[string]any) (map[string]*param, bool) {
	if len(args) > len(ov.params) && ov.varargs == nil {
		return nil, false
	}
	var kwp map[string]*param
	for i := range ov.params {
		p := &ov.params[i]
		switch {
		case i < len(args) && !isNoValue(args[i]):
			if len(kw) > 0 && hasKey(kw, p.name) {
				return nil, false
			}
			if !checkArg(p, args[i]) {
				return nil, false
			}
		case len(kw) > 0 && hasKey(kw, p.name):
			if kwp == nil {
				kwp = map[string]*param{}
			}
			kwp[p.name] = p
		case p.def == noDefault:
			return nil, false
		case i < len(args):
			if !checkArg(p, p.def) {
				return nil, false
			}
		}
	}
	for i := len(ov.params); i < len(args); i++ {
		v := args[i]
		if isNoValue(v) {
			v = ov.varargs.def
		}
		if !checkArg(ov.varargs, v) {
			return nil, false
		}
	}
	for i := range ov.kwonly {
		p := &ov.kwonly[i]
		if hasKey(kw, p.name) {
			if kwp == nil {
				kwp = map[string]*param{}
			}
			kwp[p.name] = p
		} else if p.def == noDefault {
			return nil, false
		}
	}
	for k, v := range kw {
		if _, ok := kwp[k]; ok {
			continue
		}
		if ov.varkw == nil || !checkArg(ov.varkw, v) {
			return nil, false
		}
		if kwp == nil {
			kwp = map[string]*param{}
		}
		kwp[k] = ov.varkw
	}
	return kwp, true
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

func sameLazy(a, b *mapping, nargs int) bool {
	for i := 0; i < nargs; i++ {
		if a.ov.lazyAt(i) != b.ov.lazyAt(i) {
			return false
		}
	}
	if len(a.kw) != len(b.kw) {
		return false
	}
	for k, p := range a.kw {
		q, ok := b.kw[k]
		if !ok || p.typ.lazy() != q.typ.lazy() {
			return false
		}
	}
	return true
}

// bind is yaql's get_delegate: it checks the evaluated arguments and
// converts them to what the implementation receives, or reports false.
func (c *call) bind(ov *overload, args []any, kw map[string]any, dry bool) ([]any, map[string]any, bool) {
	var out []any
	if dry {
		// only check
	} else if need := max(len(ov.params), len(args)); need <= len(c.argBuf) {
		out = c.argBuf[:len(ov.params):need]
		clear(c.argBuf[:])
	} else {
		out = make([]any, len(ov.params), need)
	}
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
		if !dry {
			out[i] = c.convert(p, v)
		}
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
		if dry {
			continue
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
			if !dry {
				out = append(out, c.convert(ov.varargs, v))
			}
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
			if dry {
				continue
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
	return ev.invokeLayers(ev.lib.candidates(name, hasRecv), name, args, recv, hasRecv, s)
}

func (ev *evaluator) invokeLayers(layers [][]*overload, name string, args []any, recv any, hasRecv bool, s *scope) (any, error) {
	if err := ev.budget.Step(1); err != nil {
		return nil, err
	}
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
	// The candidates that fit, layer by layer, in a buffer that stays
	// on the stack for the usual handful.
	var buf [12]mapping
	found := buf[:]
	n := 0
	var layerEnd [4]int
	nLayers := 0
	for li, layer := range layers {
		for _, ov := range layer {
			kwp, ok := mapArgs(ov, args, kw)
			if !ok {
				continue
			}
			m := mapping{ov: ov, kw: kwp}
			if n > 0 && !sameLazy(&found[0], &m, len(args)) {
				return nil, ambiguous()
			}
			if n == len(found) {
				bigger := make([]mapping, 2*n)
				copy(bigger, found)
				found = bigger
			}
			found[n] = m
			n++
		}
		if li < len(layerEnd) && (nLayers == 0 && n > 0 || nLayers > 0 && n > layerEnd[nLayers-1]) {
			layerEnd[nLayers] = n
			nLayers++
		}
	}
	if n == 0 {
		return nil, notFound()
	}
	lazyRef := &found[0]
	// Evaluate the arguments that are not lazy. Constants stay nodes:
	// keyword parameters need to see them.
	var evArgs []any
	var evBuf [4]any
	for i, a := range args {
		n, ok := a.(node)
		if !ok || lazyRef.ov.lazyAt(i) {
			continue
		}
		switch n.(type) {
		case *constNode, *noValueNode:
			continue
		}
		if evArgs == nil {
			if len(args) <= len(evBuf) {
				evArgs = evBuf[:len(args)]
			} else {
				evArgs = make([]any, len(args))
			}
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
			if p := lazyRef.kw[k]; p != nil && p.typ.lazy() {
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
	c := ev.newCall(s, recv, hasRecv, name)
	start := 0
	for li := 0; li < nLayers; li++ {
		ms := found[start:layerEnd[li]]
		start = layerEnd[li]
		var winMap *mapping
		for i := range ms {
			m := &ms[i]
			if len(ms) > 1 {
				if _, _, ok := c.bind(m.ov, args, kw, true); !ok {
					continue
				}
			}
			if winMap != nil {
				if isSpecialization(winMap, m, len(args)) {
					continue
				}
				if !isSpecialization(m, winMap, len(args)) {
					return nil, ambiguous()
				}
			}
			winMap = m
		}
		if winMap != nil {
			win := winMap.ov
			if win.ownScope {
				c.scope = s.child()
			}
			a, k, ok := c.bind(win, args, kw, false)
			if !ok {
				if len(ms) > 1 {
					return nil, notFound()
				}
				continue
			}
			c.kw = k
			c.ov = win
			v, err := win.fn(c, a)
			if !win.hasLazy {
				switch v.(type) {
				case *iterator, *memoIter, *ordering:
				default:
					ev.freeCall(c)
				}
			}
			return v, err
		}
	}
	return nil, notFound()
}

// isSpecialization is yaql's _is_specialization_of for the parameter
// types used by the library: a more specific type wins over tAny.
func isSpecialization(a, b *mapping, nargs int) bool {
	res := false
	for i := 0; i < nargs; i++ {
		pa, pb := a.ov.paramAt(i), b.ov.paramAt(i)
		if pa == nil || pb == nil {
			break
		}
		x, y := pa.typ, pb.typ
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

// newCall takes a call record from the evaluator's free list.
func (ev *evaluator) newCall(s *scope, recv any, hasRecv bool, name string) *call {
	if n := len(ev.free); n > 0 {
		c := ev.free[n-1]
		ev.free = ev.free[:n-1]
		*c = call{ev: ev, scope: s, recv: recv, hasRecv: hasRecv, name: name}
		return c
	}
	return &call{ev: ev, scope: s, recv: recv, hasRecv: hasRecv, name: name}
}

// freeCall returns a call record whose function kept no reference to
// it (no lambdas, no lazy result).
func (ev *evaluator) freeCall(c *call) {
	if len(ev.free) < cap(ev.free) {
		ev.free = append(ev.free, c)
	}
}
