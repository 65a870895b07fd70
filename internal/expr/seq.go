package expr

import (
	"math/big"
)

// SliceIndices are the positions a Python slice [start:stop:step]
// selects from a sequence of length n; start, stop and step are None or
// ints. A zero step is a ValueError.
func SliceIndices(n int, start, stop, step any) ([]int, error) {
	st := int64(1)
	if step != nil {
		s, err := sliceInt(step)
		if err != nil {
			return nil, err
		}
		if s == 0 {
			return nil, ValueErrorf("slice step cannot be zero")
		}
		st = s
	}
	ln := int64(n)
	var lo, hi int64
	if st > 0 {
		lo, hi = 0, ln
	} else {
		lo, hi = ln-1, -1
	}
	adjust := func(v any, def int64) (int64, error) {
		if v == nil {
			return def, nil
		}
		i, err := sliceInt(v)
		if err != nil {
			return 0, err
		}
		if i < 0 {
			i += ln
			if i < 0 {
				if st < 0 {
					return -1, nil
				}
				return 0, nil
			}
		} else if i >= ln {
			if st < 0 {
				return ln - 1, nil
			}
			return ln, nil
		}
		return i, nil
	}
	var err error
	if lo, err = adjust(start, lo); err != nil {
		return nil, err
	}
	if hi, err = adjust(stop, hi); err != nil {
		return nil, err
	}
	var out []int
	if st > 0 {
		for i := lo; i < hi; i += st {
			out = append(out, int(i))
		}
	} else {
		for i := lo; i > hi; i += st {
			out = append(out, int(i))
		}
	}
	return out, nil
}

func sliceInt(v any) (int64, error) {
	switch x := v.(type) {
	case int64:
		return x, nil
	case bool:
		return asInt64(x), nil
	case int:
		return int64(x), nil
	case *big.Int:
		if x.Sign() < 0 {
			return -1 << 62, nil
		}
		return 1 << 62, nil
	}
	return 0, TypeErrorf("slice indices must be integers or None or have an __index__ method")
}

// Slice is Python's v[start:stop:step] for str (by characters), list and
// tuple.
func Slice(v, start, stop, step any) (any, error) {
	switch x := v.(type) {
	case string:
		rs := []rune(x)
		idx, err := SliceIndices(len(rs), start, stop, step)
		if err != nil {
			return nil, err
		}
		out := make([]rune, len(idx))
		for i, j := range idx {
			out[i] = rs[j]
		}
		return string(out), nil
	case []any:
		idx, err := SliceIndices(len(x), start, stop, step)
		if err != nil {
			return nil, err
		}
		out := make([]any, len(idx))
		for i, j := range idx {
			out[i] = x[j]
		}
		return out, nil
	case Tuple:
		idx, err := SliceIndices(len(x), start, stop, step)
		if err != nil {
			return nil, err
		}
		out := make(Tuple, len(idx))
		for i, j := range idx {
			out[i] = x[j]
		}
		return out, nil
	}
	return nil, TypeErrorf("'%s' object is not subscriptable", TypeName(v))
}

// GetItem is Python's v[key]: an int index (negative from the end) into
// str, list and tuple, a key lookup in a dict. Errors are Python's
// IndexError, KeyError and TypeError.
func GetItem(v, key any) (any, error) {
	switch x := v.(type) {
	case *Dict:
		r, found, err := x.Lookup(key)
		if err != nil {
			return nil, err
		}
		if !found {
			return nil, &PyError{Type: "KeyError", Msg: Repr(key)}
		}
		return r, nil
	case []any:
		i, err := seqIndex(key, len(x), "list")
		if err != nil {
			return nil, err
		}
		return x[i], nil
	case Tuple:
		i, err := seqIndex(key, len(x), "tuple")
		if err != nil {
			return nil, err
		}
		return x[i], nil
	case string:
		if _, ok := key.(string); ok {
			return nil, TypeErrorf("string indices must be integers, not 'str'")
		}
		rs := []rune(x)
		i, err := seqIndex(key, len(rs), "string")
		if err != nil {
			return nil, err
		}
		return string(rs[i]), nil
	}
	return nil, TypeErrorf("'%s' object is not subscriptable", TypeName(v))
}

func seqIndex(key any, n int, what string) (int, error) {
	var i int64
	switch k := key.(type) {
	case int64:
		i = k
	case bool:
		i = asInt64(k)
	case int:
		i = int64(k)
	case *big.Int:
		return 0, &PyError{Type: "IndexError", Msg: "cannot fit 'int' into an index-sized integer"}
	default:
		return 0, TypeErrorf("%s indices must be integers or slices, not %s", what, TypeName(key))
	}
	if i < 0 {
		i += int64(n)
	}
	if i < 0 || i >= int64(n) {
		return 0, &PyError{Type: "IndexError", Msg: what + " index out of range"}
	}
	return int(i), nil
}
