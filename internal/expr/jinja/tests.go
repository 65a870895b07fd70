package jinja

import (
	"reflect"

	"github.com/st2go/st2go/internal/expr"
)

// builtinTests returns Jinja's built-in tests.
func builtinTests() map[string]*builtin {
	t := map[string]*builtin{}
	add := func(name string, min int, params []expr.Param, undefinedOK bool, fn func(st *state, c *expr.Call) (any, error)) *builtin {
		b := &builtin{spec: filterSpec(name, min, params...), fn: fn, undefinedOK: undefinedOK}
		t[name] = b
		return b
	}
	is := func(name string, f func(v any) bool) {
		add(name, 0, nil, true, func(st *state, c *expr.Call) (any, error) { return f(c.Args[0]), nil })
	}
	parity := func(name string, want int64) {
		add(name, 0, nil, false, func(st *state, c *expr.Call) (any, error) {
			m, err := expr.Arith(expr.OpMod, c.Args[0], int64(2), nil)
			if err != nil {
				return nil, err
			}
			return expr.Equal(m, want), nil
		})
	}
	parity("odd", 1)
	parity("even", 0)
	add("divisibleby", 1, []expr.Param{{Name: "num"}}, false, func(st *state, c *expr.Call) (any, error) {
		m, err := expr.Arith(expr.OpMod, c.Args[0], c.Args[1], nil)
		if err != nil {
			return nil, err
		}
		return expr.Equal(m, int64(0)), nil
	})
	is("defined", func(v any) bool { return !IsUndefined(v) })
	is("undefined", IsUndefined)
	is("none", func(v any) bool { return v == nil })
	is("boolean", func(v any) bool { _, ok := v.(bool); return ok })
	is("false", func(v any) bool { b, ok := v.(bool); return ok && !b })
	is("true", func(v any) bool { b, ok := v.(bool); return ok && b })
	is("integer", expr.IsInt)
	is("float", func(v any) bool { _, ok := v.(float64); return ok })
	is("string", func(v any) bool { _, ok := v.(string); return ok })
	is("mapping", func(v any) bool { _, ok := v.(*expr.Dict); return ok })
	is("number", func(v any) bool {
		_, isBool := v.(bool)
		return expr.IsNumber(v) || isBool
	})
	is("escaped", func(v any) bool { return false })
	is("callable", func(v any) bool {
		switch v.(type) {
		case callable, *macro, *boundMethod:
			return true
		}
		return false
	})
	add("sequence", 0, nil, false, func(st *state, c *expr.Call) (any, error) {
		switch c.Args[0].(type) {
		case string, []any, expr.Tuple, *expr.Dict, *rangeValue:
			return true, nil
		}
		return false, nil
	})
	add("iterable", 0, nil, false, func(st *state, c *expr.Call) (any, error) {
		switch c.Args[0].(type) {
		case string, []any, expr.Tuple, *expr.Dict, *expr.Set, expr.Iterable:
			return true, nil
		}
		return false, nil
	})
	add("lower", 0, nil, false, func(st *state, c *expr.Call) (any, error) {
		s, err := st.str(c.Args[0])
		return pyIsCased(s, false), err
	})
	add("upper", 0, nil, false, func(st *state, c *expr.Call) (any, error) {
		s, err := st.str(c.Args[0])
		return pyIsCased(s, true), err
	})
	add("sameas", 1, []expr.Param{{Name: "other"}}, true, func(st *state, c *expr.Call) (any, error) {
		return sameAs(c.Args[0], c.Args[1]), nil
	})
	add("in", 1, []expr.Param{{Name: "seq"}}, false, func(st *state, c *expr.Call) (any, error) {
		return contains(c.Args[1], c.Args[0])
	})
	add("filter", 0, nil, true, func(st *state, c *expr.Call) (any, error) {
		name, ok := c.Args[0].(string)
		if !ok {
			return false, nil
		}
		_, f1 := st.env.filters[name]
		_, f2 := st.env.funcFilters[name]
		return f1 || f2, nil
	})
	add("test", 0, nil, true, func(st *state, c *expr.Call) (any, error) {
		name, ok := c.Args[0].(string)
		if !ok {
			return false, nil
		}
		_, found := st.env.tests[name]
		return found, nil
	})
	cmp := func(op string, names ...string) {
		for _, name := range names {
			add(name, 1, []expr.Param{{Name: "other"}}, false, func(st *state, c *expr.Call) (any, error) {
				return st.compare(op, c.Args[0], c.Args[1])
			})
		}
	}
	cmp("eq", "==", "eq", "equalto")
	cmp("ne", "!=", "ne")
	cmp("gt", ">", "gt", "greaterthan")
	cmp("gteq", ">=", "ge")
	cmp("lt", "<", "lt", "lessthan")
	cmp("lteq", "<=", "le")
	return t
}

// sameAs approximates Python's "is": singletons and small ints by value,
// containers by identity.
func sameAs(a, b any) bool {
	switch x := a.(type) {
	case nil:
		return b == nil
	case bool:
		y, ok := b.(bool)
		return ok && x == y
	case int64:
		y, ok := b.(int64)
		return ok && x == y && x >= -5 && x <= 256
	case string:
		y, ok := b.(string)
		return ok && x == y
	case []any:
		y, ok := b.([]any)
		return ok && len(x) == len(y) && (len(x) == 0 || &x[0] == &y[0])
	case *expr.Dict, *macro, *namespace:
		return reflect.ValueOf(a).Pointer() == reflect.ValueOf(b).Pointer() && reflect.TypeOf(a) == reflect.TypeOf(b)
	}
	return false
}
