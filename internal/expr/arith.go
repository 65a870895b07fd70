package expr

import (
	"math"
	"math/big"
	"math/bits"
	"strings"
)

// Op is a binary arithmetic operator.
type Op string

// The arithmetic operators of Python (and so of Jinja).
const (
	OpAdd      Op = "+"
	OpSub      Op = "-"
	OpMul      Op = "*"
	OpDiv      Op = "/"
	OpFloorDiv Op = "//"
	OpMod      Op = "%"
	OpPow      Op = "**"
)

// Arith applies a Python binary operator: int arithmetic without
// overflow (results grow into *big.Int), true division always a float,
// floor division and modulo rounding towards negative infinity, str and
// list concatenation and repetition, and str % args formatting. Bad
// operand types are a TypeError, division by zero a ZeroDivisionError.
// b (may be nil) bounds the size of repeated strings and lists and of
// powers.
func Arith(op Op, x, y any, b *Budget) (any, error) {
	kx, ky := numKind(x), numKind(y)
	if kx != 0 && ky != 0 {
		return numArith(op, x, y, kx, ky, b)
	}
	switch op {
	case OpAdd:
		switch a := x.(type) {
		case string:
			if c, ok := y.(string); ok {
				if err := b.CheckSize(int64(len(a) + len(c))); err != nil {
					return nil, err
				}
				return a + c, nil
			}
			return nil, TypeErrorf("can only concatenate str (not \"%s\") to str", TypeName(y))
		case []any:
			if c, ok := y.([]any); ok {
				out := make([]any, 0, len(a)+len(c))
				return append(append(out, a...), c...), nil
			}
			return nil, TypeErrorf("can only concatenate list (not \"%s\") to list", TypeName(y))
		case Tuple:
			if c, ok := y.(Tuple); ok {
				out := make(Tuple, 0, len(a)+len(c))
				return append(append(out, a...), c...), nil
			}
			return nil, TypeErrorf("can only concatenate tuple (not \"%s\") to tuple", TypeName(y))
		}
	case OpMul:
		if kx == 1 || kx == 2 {
			x, y, ky = y, x, kx
		}
		if ky == 1 || ky == 2 {
			n := int64(0)
			if ky == 1 {
				n = asInt64(y)
			} else if asBig(y).Sign() > 0 {
				n = math.MaxInt64
			}
			if n < 0 {
				n = 0
			}
			switch a := x.(type) {
			case string:
				if err := checkRepeat(b, int64(len(a)), n); err != nil {
					return nil, err
				}
				return strings.Repeat(a, int(n)), nil
			case []any:
				if err := checkRepeat(b, int64(len(a)), n); err != nil {
					return nil, err
				}
				return repeat(a, int(n)), nil
			case Tuple:
				if err := checkRepeat(b, int64(len(a)), n); err != nil {
					return nil, err
				}
				return Tuple(repeat(a, int(n))), nil
			}
		}
	case OpMod:
		if s, ok := x.(string); ok {
			return PercentFormat(s, y)
		}
	}
	return nil, TypeErrorf("unsupported operand type(s) for %s: '%s' and '%s'", op, TypeName(x), TypeName(y))
}

func checkRepeat(b *Budget, size, n int64) error {
	if size == 0 || n == 0 {
		return nil
	}
	if n > math.MaxInt32 || size*n > math.MaxInt32 {
		if b == nil {
			return Errorf("MemoryError", "")
		}
		return b.CheckSize(math.MaxInt64)
	}
	return b.CheckSize(size * n)
}

func repeat(a []any, n int) []any {
	out := make([]any, 0, len(a)*n)
	for i := 0; i < n; i++ {
		out = append(out, a...)
	}
	return out
}

func numArith(op Op, x, y any, kx, ky int, b *Budget) (any, error) {
	if kx == 3 || ky == 3 {
		return floatArith(op, asFloat(x), asFloat(y))
	}
	if kx == 1 && ky == 1 {
		a, c := asInt64(x), asInt64(y)
		switch op {
		case OpAdd:
			if s := a + c; (s > a) == (c > 0) {
				return s, nil
			}
		case OpSub:
			if s := a - c; (s < a) == (c > 0) {
				return s, nil
			}
		case OpMul:
			if a == 0 || c == 0 {
				return int64(0), nil
			}
			hi, lo := bits.Mul64(uint64(abs64(a)), uint64(abs64(c)))
			if hi == 0 && lo <= math.MaxInt64 && a != math.MinInt64 && c != math.MinInt64 {
				if (a < 0) != (c < 0) {
					return -int64(lo), nil
				}
				return int64(lo), nil
			}
		case OpDiv:
			if c == 0 {
				return nil, Errorf("ZeroDivisionError", "division by zero")
			}
			if abs64(a) < 1<<53 && abs64(c) < 1<<53 {
				return float64(a) / float64(c), nil
			}
		case OpFloorDiv:
			if c == 0 {
				return nil, Errorf("ZeroDivisionError", "integer division or modulo by zero")
			}
			if !(a == math.MinInt64 && c == -1) {
				q := a / c
				if (a%c != 0) && ((a < 0) != (c < 0)) {
					q--
				}
				return q, nil
			}
		case OpMod:
			if c == 0 {
				return nil, Errorf("ZeroDivisionError", "integer division or modulo by zero")
			}
			if c == -1 {
				return int64(0), nil
			}
			m := a % c
			if m != 0 && ((m < 0) != (c < 0)) {
				m += c
			}
			return m, nil
		case OpPow:
			if c < 0 {
				return floatArith(op, float64(a), float64(c))
			}
			r, ok := powInt64(a, c)
			if ok {
				return r, nil
			}
		}
	}
	return bigArith(op, asBig(x), asBig(y), b)
}

func abs64(a int64) int64 {
	if a < 0 {
		return -a
	}
	return a
}

func powInt64(a, e int64) (int64, bool) {
	r := int64(1)
	for e > 0 {
		if e&1 == 1 {
			hi, lo := bits.Mul64(uint64(abs64(r)), uint64(abs64(a)))
			if hi != 0 || lo > math.MaxInt64 || a == math.MinInt64 {
				return 0, false
			}
			neg := (r < 0) != (a < 0)
			r = int64(lo)
			if neg {
				r = -r
			}
		}
		e >>= 1
		if e > 0 {
			hi, lo := bits.Mul64(uint64(abs64(a)), uint64(abs64(a)))
			if hi != 0 || lo > math.MaxInt64 || a == math.MinInt64 {
				return 0, false
			}
			a = int64(lo)
		}
	}
	return r, true
}

func bigArith(op Op, a, c *big.Int, b *Budget) (any, error) {
	z := new(big.Int)
	switch op {
	case OpAdd:
		return normInt(z.Add(a, c)), nil
	case OpSub:
		return normInt(z.Sub(a, c)), nil
	case OpMul:
		if err := b.CheckSize(int64(a.BitLen()+c.BitLen()) / 8); err != nil {
			return nil, err
		}
		return normInt(z.Mul(a, c)), nil
	case OpDiv:
		if c.Sign() == 0 {
			return nil, Errorf("ZeroDivisionError", "division by zero")
		}
		f, _ := new(big.Rat).SetFrac(a, c).Float64()
		if math.IsInf(f, 0) {
			return nil, Errorf("OverflowError", "integer division result too large for a float")
		}
		return f, nil
	case OpFloorDiv, OpMod:
		if c.Sign() == 0 {
			return nil, Errorf("ZeroDivisionError", "integer division or modulo by zero")
		}
		q, m := new(big.Int), new(big.Int)
		q.DivMod(a, c, m) // Euclidean: m >= 0
		if m.Sign() != 0 && c.Sign() < 0 {
			// Python's floor division: the remainder takes the divisor's sign.
			q.Add(q, big.NewInt(1))
			m.Add(m, c)
		}
		if op == OpFloorDiv {
			return normInt(q), nil
		}
		return normInt(m), nil
	case OpPow:
		if c.Sign() < 0 {
			fa, _ := new(big.Float).SetInt(a).Float64()
			fc, _ := new(big.Float).SetInt(c).Float64()
			return floatArith(op, fa, fc)
		}
		if !c.IsInt64() || int64(a.BitLen())*c.Int64() > 8*1<<20 && a.BitLen() > 1 {
			if b == nil {
				return nil, Errorf("MemoryError", "")
			}
			return nil, b.CheckSize(math.MaxInt64)
		}
		if err := b.CheckSize(int64(a.BitLen()) * c.Int64() / 8); err != nil {
			return nil, err
		}
		return normInt(z.Exp(a, c, nil)), nil
	}
	return nil, TypeErrorf("unsupported operand type(s) for %s: 'int' and 'int'", op)
}

func floatArith(op Op, a, c float64) (any, error) {
	switch op {
	case OpAdd:
		return a + c, nil
	case OpSub:
		return a - c, nil
	case OpMul:
		return a * c, nil
	case OpDiv:
		if c == 0 {
			return nil, Errorf("ZeroDivisionError", "float division by zero")
		}
		return a / c, nil
	case OpFloorDiv:
		if c == 0 {
			return nil, Errorf("ZeroDivisionError", "float floor division by zero")
		}
		return pyFloorDiv(a, c), nil
	case OpMod:
		if c == 0 {
			return nil, Errorf("ZeroDivisionError", "float modulo")
		}
		return pyFloatMod(a, c), nil
	case OpPow:
		if a == 0 && c < 0 {
			return nil, Errorf("ZeroDivisionError", "0.0 cannot be raised to a negative power")
		}
		if a < 0 && c != math.Trunc(c) {
			return nil, ValueErrorf("math domain error") // Python returns a complex number
		}
		r := pyPow(a, c)
		if math.IsInf(r, 0) && !math.IsInf(a, 0) && !math.IsInf(c, 0) {
			return nil, Errorf("OverflowError", "(34, 'Numerical result out of range')")
		}
		return r, nil
	}
	return nil, TypeErrorf("unsupported operand type(s) for %s: 'float' and 'float'", op)
}

func pyFloatMod(a, c float64) float64 {
	m := math.Mod(a, c)
	if m != 0 {
		if (c < 0) != (m < 0) {
			m += c
		}
	} else {
		m = math.Copysign(0, c)
	}
	return m
}

func pyFloorDiv(a, c float64) float64 {
	m := math.Mod(a, c)
	div := (a - m) / c
	if m != 0 && (c < 0) != (m < 0) {
		div--
	}
	if div == 0 {
		return math.Copysign(0, a/c)
	}
	f := math.Floor(div)
	if div-f > 0.5 {
		f++
	}
	return f
}

// Neg is Python's unary minus.
func Neg(x any) (any, error) {
	switch a := x.(type) {
	case int64:
		if a == math.MinInt64 {
			return new(big.Int).Neg(big.NewInt(a)), nil
		}
		return -a, nil
	case bool:
		return -asInt64(a), nil
	case int:
		return -int64(a), nil
	case *big.Int:
		return normInt(new(big.Int).Neg(a)), nil
	case float64:
		return -a, nil
	}
	return nil, TypeErrorf("bad operand type for unary -: '%s'", TypeName(x))
}

// Pos is Python's unary plus.
func Pos(x any) (any, error) {
	switch a := x.(type) {
	case int64, *big.Int, float64:
		return a, nil
	case bool:
		return asInt64(a), nil
	case int:
		return int64(a), nil
	}
	return nil, TypeErrorf("bad operand type for unary +: '%s'", TypeName(x))
}

// pyPow is C's pow as Python uses it. Go's math.Pow can be off by an
// ulp; small integer and half exponents are computed exactly enough to
// round correctly, as glibc does.
func pyPow(a, c float64) float64 {
	if a == 0 || math.IsInf(a, 0) || math.IsNaN(a) || math.IsInf(c, 0) || math.IsNaN(c) {
		return math.Pow(a, c)
	}
	const prec = 256
	switch {
	case c == math.Trunc(c) && math.Abs(c) <= 64:
		n := int(math.Abs(c))
		base := new(big.Float).SetPrec(prec).SetFloat64(a)
		r := new(big.Float).SetPrec(prec).SetFloat64(1)
		for i := 0; i < n; i++ {
			r.Mul(r, base)
		}
		if c < 0 {
			r.Quo(new(big.Float).SetPrec(prec).SetFloat64(1), r)
		}
		f, _ := r.Float64()
		return f
	case (c == 0.5 || c == -0.5) && a > 0:
		s := new(big.Float).SetPrec(prec).SetFloat64(a)
		s.Sqrt(s)
		if c < 0 {
			s.Quo(new(big.Float).SetPrec(prec).SetFloat64(1), s)
		}
		f, _ := s.Float64()
		return f
	}
	return math.Pow(a, c)
}
