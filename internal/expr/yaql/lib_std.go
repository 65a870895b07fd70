package yaql

import (
	"math"
	"math/big"
	"math/rand/v2"
	"strconv"

	"github.com/st2go/st2go/internal/expr"
)

// registerSystem: yaql/standard_library/system.py (delegates off, as in
// Orquesta's engine).
func registerSystem(l *library) {
	l.fn("#operator_.", ps(reqN("receiver", tAny), req("expr", tLambdaMethod)), func(c *call, a []any) (any, error) {
		return a[1].(*lambda).call(c, a[0])
	})
	l.fn("#operator_?.", ps(reqN("receiver", tAny), req("expr", tExpression)), func(c *call, a []any) (any, error) {
		if a[0] == nil {
			return nil, nil
		}
		return c.ev.invoke("#operator_.", []any{a[0], a[1]}, nil, false, c.scope)
	})
	l.fn("#operator_.", ps(reqN("obj", tAny), req("name", tKeyword)), func(c *call, a []any) (any, error) {
		return c.delegate("#property#"+a[1].(string), a[0])
	}).fall()
	l.fn("#operator_->", ps(req("left", tContext), req("right", tLambdaCtx)), func(c *call, a []any) (any, error) {
		return a[1].(*lambda).callIn(a[0].(*scopeValue).s)
	})
	l.fn("let", nil, func(c *call, a []any) (any, error) {
		for i, v := range a {
			c.scope.set(itoa(i+1), v)
		}
		for k, v := range c.kw {
			c.scope.set(k, v)
		}
		return &scopeValue{s: c.scope}, nil
	}).variadic(reqN("args", tAny)).anyKw().scoped()
	l.fn("with", nil, func(c *call, a []any) (any, error) {
		for i, v := range a {
			c.scope.set(itoa(i+1), v)
		}
		return &scopeValue{s: c.scope}, nil
	}).variadic(reqN("args", tAny)).scoped()
	l.meth("unpack", ps(req("sequence", tIterable)), func(c *call, a []any) (any, error) {
		names := a[1:]
		it, err := c.iterate(a[0])
		if err != nil {
			return nil, err
		}
		var got []any
		for len(names) == 0 || len(got) <= len(names) {
			v, ok, err := it.Next()
			if err != nil {
				return nil, err
			}
			if !ok {
				break
			}
			got = append(got, v)
		}
		if len(names) > 0 && len(got) != len(names) {
			return nil, pyErr(classValueError, "Cannot unpack %d elements into %d", len(got), len(names))
		}
		for i, v := range got {
			if len(names) > 0 {
				c.scope.set(names[i].(string), v)
			} else {
				c.scope.set(itoa(i+1), v)
			}
		}
		return &scopeValue{s: c.scope}, nil
	}).variadic(req("args", tString)).scoped()
	l.meth("assert", ps(reqN("obj", tAny), req("condition", tLambda), opt("message", tString, "Assertion failed", false)), func(c *call, a []any) (any, error) {
		obj := a[0]
		if it, ok := obj.(*iterator); ok {
			obj = &memoIter{src: it}
		}
		ok, err := a[1].(*lambda).call1(obj)
		if err != nil {
			return nil, err
		}
		if !expr.Truthy(ok) {
			return nil, pyErr("AssertionError", "%s", a[2].(string))
		}
		return obj, nil
	})
}

// registerCommon: yaql/standard_library/common.py.
func registerCommon(l *library) {
	l.fn("*equal", ps(reqN("left", tAny), reqN("right", tAny)), func(c *call, a []any) (any, error) {
		return pyEqual(a[0], a[1]), nil
	})
	l.fn("*not_equal", ps(reqN("left", tAny), reqN("right", tAny)), func(c *call, a []any) (any, error) {
		return !pyEqual(a[0], a[1]), nil
	})
	// Comparisons with null: null is less than anything else.
	nullCmp := []struct {
		op                           string
		leftNull, rightNull, bothNul bool
	}{
		{"<", false, true, false},
		{"<=", false, true, true},
		{">", true, false, false},
		{">=", true, false, true},
	}
	for _, nc := range nullCmp {
		nc := nc
		l.fn("#operator_"+nc.op, ps(req("left", tAny), reqN("right", tNone)), func(c *call, a []any) (any, error) {
			return nc.leftNull, nil
		})
		l.fn("#operator_"+nc.op, ps(reqN("left", tNone), req("right", tAny)), func(c *call, a []any) (any, error) {
			return nc.rightNull, nil
		})
		l.fn("#operator_"+nc.op, ps(reqN("left", tNone), reqN("right", tNone)), func(c *call, a []any) (any, error) {
			return nc.bothNul, nil
		})
	}
}

// pyEqual is Python's == as yaql sees values: lazy sequences are equal
// only to themselves.
func pyEqual(a, b any) bool {
	switch a.(type) {
	case *iterator, *memoIter, *ordering, *lambda, *scopeValue:
		return a == b
	case *dictView:
		return dictViewEqual(a.(*dictView), b)
	}
	switch b.(type) {
	case *iterator, *memoIter, *ordering, *lambda, *scopeValue:
		return false
	case *dictView:
		return dictViewEqual(b.(*dictView), a)
	}
	return expr.Equal(a, b)
}

func dictViewEqual(v *dictView, o any) bool {
	if v.kind == "values" {
		return v == o
	}
	set, err := expr.NewSet(v.elems()...)
	if err != nil {
		return false
	}
	switch x := o.(type) {
	case *dictView:
		if x.kind == "values" {
			return false
		}
		other, err := expr.NewSet(x.elems()...)
		return err == nil && expr.Equal(set, other)
	case *expr.Set:
		return expr.Equal(set, x)
	}
	return false
}

// registerBoolean: yaql/standard_library/boolean.py.
func registerBoolean(l *library) {
	l.fn("#operator_and", ps(req("left", tLambda), req("right", tLambda)), func(c *call, a []any) (any, error) {
		left, err := a[0].(*lambda).call(c)
		if err != nil || !expr.Truthy(left) {
			return left, err
		}
		return a[1].(*lambda).call(c)
	})
	l.fn("#operator_or", ps(req("left", tLambda), req("right", tLambda)), func(c *call, a []any) (any, error) {
		left, err := a[0].(*lambda).call(c)
		if err != nil || expr.Truthy(left) {
			return left, err
		}
		return a[1].(*lambda).call(c)
	})
	l.fn("#unary_operator_not", ps(reqN("arg", tAny)), func(c *call, a []any) (any, error) {
		return !expr.Truthy(a[0]), nil
	})
	l.fn("bool", ps(reqN("value", tAny)), func(c *call, a []any) (any, error) {
		return expr.Truthy(a[0]), nil
	})
	l.fn("isBoolean", ps(reqN("value", tAny)), func(c *call, a []any) (any, error) {
		_, ok := a[0].(bool)
		return ok, nil
	})
}

// registerBranching: yaql/standard_library/branching.py.
func registerBranching(l *library) {
	l.fn("switch", nil, func(c *call, a []any) (any, error) {
		for _, r := range a {
			rule := r.(*lazyRule)
			ok, err := rule.src.call(c)
			if err != nil {
				return nil, err
			}
			if expr.Truthy(ok) {
				return rule.dst.call(c)
			}
		}
		return nil, nil
	}).variadic(req("args", tLazyRule)).noKw()
	l.fn("selectCase", nil, func(c *call, a []any) (any, error) {
		for i, f := range a {
			v, err := f.(*lambda).call(c)
			if err != nil {
				return nil, err
			}
			if expr.Truthy(v) {
				return int64(i), nil
			}
		}
		return int64(len(a)), nil
	}).variadic(req("args", tLambda))
	l.fn("selectAllCases", nil, func(c *call, a []any) (any, error) {
		i := 0
		return newIter("generator", func() (any, bool, error) {
			for i < len(a) {
				i++
				v, err := a[i-1].(*lambda).call(c)
				if err != nil {
					return nil, false, err
				}
				if expr.Truthy(v) {
					return int64(i - 1), true, nil
				}
			}
			return nil, false, nil
		}), nil
	}).variadic(req("args", tLambda))
	l.fn("examine", nil, func(c *call, a []any) (any, error) {
		i := 0
		return newIter("generator", func() (any, bool, error) {
			if i >= len(a) {
				return nil, false, nil
			}
			i++
			v, err := a[i-1].(*lambda).call(c)
			if err != nil {
				return nil, false, err
			}
			return expr.Truthy(v), true, nil
		}), nil
	}).variadic(req("args", tLambda))
	l.meth("switchCase", ps(req("case", tInt)), func(c *call, a []any) (any, error) {
		cases := a[1:]
		n := toInt(a[0])
		if n >= 0 && n < len(cases) {
			return cases[n].(*lambda).call(c)
		}
		if len(cases) == 0 {
			return nil, nil
		}
		return cases[len(cases)-1].(*lambda).call(c)
	}).variadic(req("args", tLambda))
	l.fn("coalesce", nil, func(c *call, a []any) (any, error) {
		for _, f := range a {
			v, err := f.(*lambda).call(c)
			if err != nil {
				return nil, err
			}
			if v != nil {
				return v, nil
			}
		}
		return nil, nil
	}).variadic(req("args", tLambda))
}

// registerMath: yaql/standard_library/math.py.
func registerMath(l *library) {
	arith := func(name string, op expr.Op) {
		l.fn(name, ps(req("left", tNumber), req("right", tNumber)), func(c *call, a []any) (any, error) {
			return expr.Arith(op, a[0], a[1], c.ev.budget)
		})
	}
	arith("#operator_+", expr.OpAdd)
	arith("#operator_-", expr.OpSub)
	arith("#operator_*", expr.OpMul)
	l.fn("#operator_mod", ps(req("left", tNumber), req("right", tNumber)), func(c *call, a []any) (any, error) {
		if isInteger(a[0]) && isInteger(a[1]) && toBig(a[1]).Sign() == 0 {
			return nil, pyErr(classZeroDivision, "integer modulo by zero")
		}
		return expr.Arith(expr.OpMod, a[0], a[1], c.ev.budget)
	})
	l.fn("#operator_/", ps(req("left", tNumber), req("right", tNumber)), func(c *call, a []any) (any, error) {
		if isInteger(a[0]) && isInteger(a[1]) {
			return expr.Arith(expr.OpFloorDiv, a[0], a[1], c.ev.budget)
		}
		return expr.Arith(expr.OpDiv, a[0], a[1], c.ev.budget)
	})
	l.fn("#unary_operator_+", ps(req("op", tNumber)), func(c *call, a []any) (any, error) {
		return expr.Pos(a[0])
	})
	l.fn("#unary_operator_-", ps(req("op", tNumber)), func(c *call, a []any) (any, error) {
		return expr.Neg(a[0])
	})
	for _, op := range []string{">", ">=", "<", "<="} {
		op := op
		l.fn("#operator_"+op, ps(req("left", tNumber), req("right", tNumber)), func(c *call, a []any) (any, error) {
			return expr.CompareOp(op, a[0], a[1])
		})
	}
	l.fn("abs", ps(req("op", tNumber)), func(c *call, a []any) (any, error) {
		if f, ok := a[0].(float64); ok {
			return math.Abs(f), nil
		}
		if expr.Truthy(mustCmp("<", a[0], int64(0))) {
			return expr.Neg(a[0])
		}
		return a[0], nil
	})
	l.fn("int", ps(reqN("value", tAny)), func(c *call, a []any) (any, error) {
		if a[0] == nil {
			return int64(0), nil
		}
		return expr.ToInt(a[0])
	})
	l.fn("float", ps(reqN("value", tAny)), func(c *call, a []any) (any, error) {
		if a[0] == nil {
			return 0.0, nil
		}
		return expr.ToFloat(a[0])
	})
	l.fn("random", nil, func(c *call, a []any) (any, error) { return rand.Float64(), nil })
	l.fn("random", ps(reqN("from", tAny), reqN("to", tAny)), func(c *call, a []any) (any, error) {
		lo, hi := toInt(a[0]), toInt(a[1])
		if hi < lo {
			return nil, pyErr(classValueError, "empty range for randrange() (%d, %d, %d)", lo, hi+1, hi+1-lo)
		}
		return int64(lo + rand.IntN(hi-lo+1)), nil
	})
	bit := func(name string, f func(x, y *big.Int) *big.Int) {
		l.fn(name, ps(req("left", tInt), req("right", tInt)), func(c *call, a []any) (any, error) {
			return normBig(f(toBig(a[0]), toBig(a[1]))), nil
		})
	}
	bit("bitwiseAnd", func(x, y *big.Int) *big.Int { return new(big.Int).And(x, y) })
	bit("bitwiseOr", func(x, y *big.Int) *big.Int { return new(big.Int).Or(x, y) })
	bit("bitwiseXor", func(x, y *big.Int) *big.Int { return new(big.Int).Xor(x, y) })
	l.fn("bitwiseNot", ps(req("arg", tInt)), func(c *call, a []any) (any, error) {
		return normBig(new(big.Int).Not(toBig(a[0]))), nil
	})
	l.fn("shiftBitsRight", ps(req("value", tInt), req("bitsNumber", tInt)), func(c *call, a []any) (any, error) {
		n := toInt(a[1])
		if n < 0 {
			return nil, pyErr(classValueError, "negative shift count")
		}
		return normBig(new(big.Int).Rsh(toBig(a[0]), uint(n))), nil
	})
	l.fn("shiftBitsLeft", ps(req("value", tInt), req("bitsNumber", tInt)), func(c *call, a []any) (any, error) {
		n := toInt(a[1])
		if n < 0 {
			return nil, pyErr(classValueError, "negative shift count")
		}
		if err := c.checkSize(int64(n) / 8); err != nil {
			return nil, err
		}
		return normBig(new(big.Int).Lsh(toBig(a[0]), uint(n))), nil
	})
	l.fn("max", ps(reqN("a", tAny), reqN("b", tAny)), func(c *call, a []any) (any, error) {
		gt, err := c.delegate("#operator_>", a[1], a[0])
		if err != nil {
			return nil, err
		}
		if expr.Truthy(gt) {
			return a[1], nil
		}
		return a[0], nil
	})
	l.fn("min", ps(reqN("a", tAny), reqN("b", tAny)), func(c *call, a []any) (any, error) {
		gt, err := c.delegate("#operator_>", a[1], a[0])
		if err != nil {
			return nil, err
		}
		if expr.Truthy(gt) {
			return a[0], nil
		}
		return a[1], nil
	})
	l.fn("pow", ps(req("a", tNumber), req("b", tNumber), opt("c", tNumber, nil, true)), func(c *call, a []any) (any, error) {
		if a[2] == nil {
			return expr.Arith(expr.OpPow, a[0], a[1], c.ev.budget)
		}
		if !isInteger(a[0]) || !isInteger(a[1]) || !isInteger(a[2]) {
			return nil, pyErr(classTypeError, "pow() 3rd argument not allowed unless all arguments are integers")
		}
		m := toBig(a[2])
		if m.Sign() == 0 {
			return nil, pyErr(classValueError, "pow() 3rd argument cannot be 0")
		}
		e := toBig(a[1])
		if e.Sign() < 0 {
			return nil, pyErr(classValueError, "base is not invertible for the given modulus")
		}
		r := new(big.Int).Exp(toBig(a[0]), e, new(big.Int).Abs(m))
		if m.Sign() < 0 && r.Sign() != 0 {
			r.Add(r, m)
		}
		return normBig(r), nil
	})
	l.fn("sign", ps(req("num", tNumber)), func(c *call, a []any) (any, error) {
		switch {
		case expr.Truthy(mustCmp(">", a[0], int64(0))):
			return int64(1), nil
		case expr.Truthy(mustCmp("<", a[0], int64(0))):
			return int64(-1), nil
		}
		return int64(0), nil
	})
	l.fn("round", ps(req("number", tNumber), opt("ndigits", tInt, int64(0), false)), func(c *call, a []any) (any, error) {
		return pyRound(a[0], toInt(a[1]))
	})
	l.fn("isInteger", ps(reqN("value", tAny)), func(c *call, a []any) (any, error) {
		return isInteger(a[0]), nil
	})
	l.fn("isNumber", ps(reqN("value", tAny)), func(c *call, a []any) (any, error) {
		return isNumber(a[0]), nil
	})
}

func mustCmp(op string, a, b any) bool {
	r, _ := expr.CompareOp(op, a, b)
	return r
}

func toBig(v any) *big.Int {
	switch x := v.(type) {
	case int64:
		return big.NewInt(x)
	case *big.Int:
		return x
	case bool:
		if x {
			return big.NewInt(1)
		}
		return big.NewInt(0)
	}
	return big.NewInt(0)
}

func normBig(b *big.Int) any {
	if b.IsInt64() {
		return b.Int64()
	}
	return b
}

// pyRound is Python's round(number, ndigits) with ndigits given: a float
// stays a float, rounded half to even on its exact value.
func pyRound(x any, nd int) (any, error) {
	switch v := x.(type) {
	case float64:
		if math.IsInf(v, 0) || math.IsNaN(v) {
			return v, nil
		}
		if nd >= 0 {
			if nd > 300 {
				return v, nil
			}
			s := strconv.FormatFloat(v, 'f', nd, 64)
			f, _ := strconv.ParseFloat(s, 64)
			return f, nil
		}
		p := math.Pow(10, float64(-nd))
		return math.RoundToEven(v/p) * p, nil
	case int64, *big.Int:
		if nd >= 0 {
			return x, nil
		}
		p := new(big.Int).Exp(big.NewInt(10), big.NewInt(int64(-nd)), nil)
		n := toBig(x)
		q, r := new(big.Int).DivMod(n, p, new(big.Int))
		twice := new(big.Int).Mul(r, big.NewInt(2))
		switch twice.Cmp(p) {
		case 1:
			q.Add(q, big.NewInt(1))
		case 0:
			if q.Bit(0) == 1 {
				q.Add(q, big.NewInt(1))
			}
		}
		return normBig(q.Mul(q, p)), nil
	}
	return x, nil
}
