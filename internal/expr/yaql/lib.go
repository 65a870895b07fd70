package yaql

import (
	"sort"
)

// library is the set of functions an engine resolves calls against: the
// YAQL standard library plus the expression functions of an
// expr.Registry. It is built once and read concurrently.
type library struct {
	funcs map[string][]*overload
	// per name: layers of function-style and method-style candidates.
	fnLayers map[string][][]*overload
	mLayers  map[string][][]*overload
	// stdOps: and, or and '.' have only the standard library's
	// overloads, so the evaluator may take its shortcuts for them.
	stdOps  bool
	stdDots int
}

func newLibrary() *library {
	return &library{funcs: map[string][]*overload{}}
}

// markStd records how many '.' overloads the standard library has.
func (l *library) markStd() { l.stdDots = len(l.funcs["#operator_."]) }

func (l *library) add(ov *overload) {
	if !ov.method {
		ov.function = true
	} else if !ov.function {
		ov.function = false
	}
	l.funcs[ov.name] = append(l.funcs[ov.name], ov)
}

// remove drops every overload of name (used to mirror yaql 3's removal
// of string format()).
func (l *library) remove(name string) { delete(l.funcs, name) }

// seal computes the candidate layers; call it after the last add.
func (l *library) seal() {
	l.stdOps = len(l.funcs["#operator_and"]) == 1 && len(l.funcs["#operator_or"]) == 1 && len(l.funcs["#operator_."]) == l.stdDots
	l.fnLayers = map[string][][]*overload{}
	l.mLayers = map[string][][]*overload{}
	for name, ovs := range l.funcs {
		for _, ov := range ovs {
			for i := range ov.params {
				ov.hasLazy = ov.hasLazy || ov.params[i].typ.lazy()
			}
			for i := range ov.kwonly {
				ov.hasLazy = ov.hasLazy || ov.kwonly[i].typ.lazy()
			}
			if ov.varargs != nil && ov.varargs.typ.lazy() {
				ov.hasLazy = true
			}
			if ov.varkw != nil {
				ov.hasLazy = true
			}
		}
		var fnMain, fnFall, mMain, mFall []*overload
		for _, ov := range ovs {
			if ov.function {
				if ov.fallback {
					fnFall = append(fnFall, ov)
				} else {
					fnMain = append(fnMain, ov)
				}
			}
			if ov.method {
				if ov.fallback {
					mFall = append(mFall, ov)
				} else {
					mMain = append(mMain, ov)
				}
			}
		}
		if layers := nonEmpty(fnMain, fnFall); layers != nil {
			l.fnLayers[name] = layers
		}
		if layers := nonEmpty(mMain, mFall); layers != nil {
			l.mLayers[name] = layers
		}
	}
}

func nonEmpty(ls ...[]*overload) [][]*overload {
	var out [][]*overload
	for _, l := range ls {
		if len(l) > 0 {
			out = append(out, l)
		}
	}
	return out
}

// candidates returns the layers of overloads callable as a function
// (method false) or a method, or nil when there is none.
func (l *library) candidates(name string, method bool) [][]*overload {
	if method {
		return l.mLayers[name]
	}
	return l.fnLayers[name]
}

// names returns the callable names, sorted (for documentation).
func (l *library) names() []string {
	out := make([]string, 0, len(l.funcs))
	for n := range l.funcs {
		out = append(out, n)
	}
	sort.Strings(out)
	return out
}

// Parameter constructors. req is required and not nullable, reqN is
// required and nullable, opt has a default.
func req(name string, t ptype) param { return param{name: name, typ: t, def: noDefault} }
func reqN(name string, t ptype) param {
	return param{name: name, typ: t, nullable: true, def: noDefault}
}
func opt(name string, t ptype, def any, nullable bool) param {
	return param{name: name, typ: t, def: def, nullable: nullable}
}

func ps(p ...param) []param { return p }

func vp(p param) *param { return &p }

// fn registers a function-only overload.
func (l *library) fn(name string, params []param, impl fnImpl) *overload {
	ov := &overload{name: name, params: params, fn: impl, function: true}
	l.funcs[name] = append(l.funcs[name], ov)
	return ov
}

// meth registers a method-only overload (the receiver is params[0]).
func (l *library) meth(name string, params []param, impl fnImpl) *overload {
	ov := &overload{name: name, params: params, fn: impl, method: true}
	l.funcs[name] = append(l.funcs[name], ov)
	return ov
}

// ext registers an extension method: callable both ways.
func (l *library) ext(name string, params []param, impl fnImpl) *overload {
	ov := &overload{name: name, params: params, fn: impl, method: true, function: true}
	l.funcs[name] = append(l.funcs[name], ov)
	return ov
}

func (ov *overload) variadic(p param) *overload { ov.varargs = &p; return ov }
func (ov *overload) noKw() *overload            { ov.noKwargs = true; return ov }
func (ov *overload) keywords(p ...param) *overload {
	ov.kwonly = append(ov.kwonly, p...)
	return ov
}
func (ov *overload) anyKw() *overload {
	ov.varkw = &param{name: "**", typ: tAny, nullable: true}
	return ov
}
func (ov *overload) fall() *overload { ov.fallback = true; return ov }

// scoped marks a function that writes variables into its context.
func (ov *overload) scoped() *overload { ov.ownScope = true; return ov }
