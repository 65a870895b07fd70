package yaql

import (
	"fmt"
	"math"
	"math/big"
	"sort"
	"strconv"
	"strings"

	"github.com/st2go/st2go/internal/expr"
)

// Values inside the evaluator are expr's model (nil, bool, int64,
// *big.Int, float64, string, []any for a Python list, expr.Tuple,
// *expr.Dict, *expr.Set) plus the lazy and engine-only kinds below.
// Input sequences are tuples, as yaql converts its input data; function
// results that are Python lists stay []any. Final results are converted
// back to plain lists and dicts by finalize.

// iterator is a single-pass lazy sequence, like a Python iterator
// (map, filter, generators): iterating it twice yields nothing the
// second time.
type iterator struct {
	next func() (any, bool, error)
	name string // Python type name: map, filter, generator, ...
	done bool
}

func (it *iterator) TypeName() string { return it.name }
func (it *iterator) Repr() string     { return "<" + it.name + " object>" }

// Next returns the next element; ok is false when the iterator is
// exhausted.
func (it *iterator) Next() (any, bool, error) {
	if it.done {
		return nil, false, nil
	}
	v, ok, err := it.next()
	if err != nil || !ok {
		it.done = true
	}
	return v, ok, err
}

func newIter(name string, next func() (any, bool, error)) *iterator {
	return &iterator{next: next, name: name}
}

// memoIter is yaql's memorize(): an iterator that remembers what it
// produced, so that iterating it again replays the elements.
type memoIter struct {
	src  *iterator
	seen []any
}

func (m *memoIter) TypeName() string { return "RememberingIterator" }
func (m *memoIter) Repr() string     { return "<RememberingIterator object>" }

func (m *memoIter) iter() *iterator {
	i := 0
	return newIter("RememberingIterator", func() (any, bool, error) {
		if i < len(m.seen) {
			i++
			return m.seen[i-1], true, nil
		}
		v, ok, err := m.src.Next()
		if err != nil || !ok {
			return nil, false, err
		}
		m.seen = append(m.seen, v)
		i++
		return v, true, nil
	})
}

// ordering is the result of orderBy(): a re-iterable collection sorted
// on first use; thenBy() adds keys before that.
type ordering struct {
	src    any
	keys   []orderKey
	sorted []any
	c      *call
}

type orderKey struct {
	sel       *lambda
	ascending bool
}

func (o *ordering) TypeName() string { return "OrderingIterable" }
func (o *ordering) Repr() string     { return "<OrderingIterable object>" }

// dictView is what dict.keys(), .values() and .items() return.
type dictView struct {
	d    *expr.Dict
	kind string // "keys", "values", "items"
}

func (v *dictView) TypeName() string { return "dict_" + v.kind }

// Repr is the repr of the views of yaql's FrozenDict (the
// collections.abc mixins): KeysView({'a': 1}).
func (v *dictView) Repr() string {
	return strings.ToUpper(v.kind[:1]) + v.kind[1:] + "View(" + expr.Repr(v.d) + ")"
}
func (v *dictView) PyLen() int { return v.d.Len() }

func (v *dictView) elems() []any {
	keys, vals := v.d.KeyValues()
	switch v.kind {
	case "keys":
		return keys
	case "values":
		return vals
	}
	out := make([]any, len(keys))
	for i := range keys {
		out[i] = expr.Tuple{keys[i], vals[i]}
	}
	return out
}

// PyIter makes views usable by expr's helpers.
func (v *dictView) PyIter() ([]any, error) { return v.elems(), nil }

// mappingRule is an evaluated "a => b" argument (yaql utils.MappingRule).
type mappingRule struct {
	src, dst any
}

func (m *mappingRule) TypeName() string { return "MappingRule" }
func (m *mappingRule) Repr() string     { return "<MappingRule object>" }

// lazyRule is a mapping argument passed unevaluated (yaqltypes.MappingRule):
// switch() evaluates the source and then, maybe, the destination.
type lazyRule struct {
	src, dst *lambda
}

func (m *lazyRule) TypeName() string { return "MappingRule" }
func (m *lazyRule) Repr() string     { return "<MappingRule object>" }

// scopeValue is a yaql context passed around as a value: let() and
// with() return one, and "->" evaluates its right side in it.
type scopeValue struct{ s *scope }

func (s *scopeValue) TypeName() string { return "Context" }
func (s *scopeValue) Repr() string     { return "<yaql.language.contexts.Context object>" }

// regexValue is a compiled regular expression (yaql regex()).
type regexValue struct {
	re      *pyRegexp
	pattern string
	flags   int
}

func (r *regexValue) TypeName() string { return "Pattern" }
func (r *regexValue) Repr() string {
	return "re.compile(" + expr.Repr(r.pattern) + ")"
}
func (r *regexValue) PyEqual(o any) bool {
	x, ok := o.(*regexValue)
	return ok && x.pattern == r.pattern && x.flags == r.flags
}
func (r *regexValue) HashKey() string { return "re:" + strconv.Itoa(r.flags) + ":" + r.pattern }

// pyStr is Python's str(v) for evaluator values.
func pyStr(v any) string {
	switch x := v.(type) {
	case *iterator, *memoIter, *ordering, *mappingRule, *lazyRule, *scopeValue, *dictView:
		return x.(expr.Object).Repr()
	case *expr.Set:
		// yaql's sets are frozensets.
		if x.Len() == 0 {
			return "frozenset()"
		}
		return "frozenset(" + expr.Repr(x) + ")"
	}
	return expr.Str(v)
}

// Type tests with yaql's meaning.

// isString is isinstance(v, str).
func isString(v any) bool { _, ok := v.(string); return ok }

// isMapping is isinstance(v, collections.abc.Mapping).
func isMapping(v any) bool { _, ok := v.(*expr.Dict); return ok }

// isSequence is yaql's is_sequence: a list or tuple (not a string).
func isSequence(v any) bool {
	switch v.(type) {
	case []any, expr.Tuple:
		return true
	}
	return false
}

// isSet is isinstance(v, collections.abc.Set): sets and the keys and
// items views of a dict.
func isSet(v any) bool {
	switch x := v.(type) {
	case *expr.Set:
		return true
	case *dictView:
		return x.kind != "values"
	}
	return false
}

// isIterator is isinstance(v, collections.abc.Iterator).
func isIterator(v any) bool {
	switch v.(type) {
	case *iterator, *memoIter:
		return true
	}
	return false
}

// isIterable is yaql's is_iterable: iterable and neither a string nor a
// mapping.
func isIterable(v any) bool {
	switch v.(type) {
	case []any, expr.Tuple, *expr.Set, *iterator, *memoIter, *ordering, *dictView:
		return true
	}
	return false
}

// isInt is isinstance(v, int): bools are ints in Python.
func isInt(v any) bool {
	switch v.(type) {
	case int64, *big.Int, bool:
		return true
	}
	return false
}

// isInteger is yaql's Integer type: an int that is not a bool.
func isInteger(v any) bool {
	switch v.(type) {
	case int64, *big.Int:
		return true
	}
	return false
}

// isNumber is yaql's Number type: int or float, not bool.
func isNumber(v any) bool {
	switch v.(type) {
	case int64, *big.Int, float64:
		return true
	}
	return false
}

// toInt converts a Python int (incl. bool) to int; big values saturate.
func toInt(v any) int {
	switch x := v.(type) {
	case int64:
		if x > math.MaxInt32*1024 {
			return math.MaxInt32 * 1024
		}
		if x < -math.MaxInt32*1024 {
			return -math.MaxInt32 * 1024
		}
		return int(x)
	case bool:
		if x {
			return 1
		}
		return 0
	case *big.Int:
		if x.Sign() < 0 {
			return -math.MaxInt32 * 1024
		}
		return math.MaxInt32 * 1024
	}
	return 0
}

// iterate returns an iterator over an iterable value. Sequences, sets
// and views are iterated without copying.
func (c *call) iterate(v any) (*iterator, error) {
	switch x := v.(type) {
	case *iterator:
		return x, nil
	case *memoIter:
		return x.iter(), nil
	case *ordering:
		elems, err := c.sortOrdering(x)
		if err != nil {
			return nil, err
		}
		return sliceIter("list_iterator", elems), nil
	case []any:
		return sliceIter("list_iterator", x), nil
	case expr.Tuple:
		return sliceIter("tuple_iterator", x), nil
	case *expr.Set:
		return sliceIter("set_iterator", x.Elems()), nil
	case *dictView:
		return sliceIter("dict_iterator", x.elems()), nil
	case *expr.Dict:
		keys, _ := x.KeyValues()
		return sliceIter("dict_keyiterator", keys), nil
	case string:
		rs := []rune(x)
		i := 0
		return newIter("str_iterator", func() (any, bool, error) {
			if i >= len(rs) {
				return nil, false, nil
			}
			i++
			return string(rs[i-1]), true, nil
		}), nil
	}
	return nil, pyErr(classTypeError, "'%s' object is not iterable", expr.TypeName(v))
}

func sliceIter(name string, s []any) *iterator {
	i := 0
	return newIter(name, func() (any, bool, error) {
		if i >= len(s) {
			return nil, false, nil
		}
		i++
		return s[i-1], true, nil
	})
}

// collect drains an iterable into a slice (a copy when it is lazy; the
// value's own slice for a list or tuple).
func (c *call) collect(v any) ([]any, error) {
	switch x := v.(type) {
	case []any:
		return x, nil
	case expr.Tuple:
		return x, nil
	}
	it, err := c.iterate(v)
	if err != nil {
		return nil, err
	}
	var out []any
	for {
		e, ok, err := it.Next()
		if err != nil {
			return nil, err
		}
		if !ok {
			return out, nil
		}
		if err := c.step(); err != nil {
			return nil, err
		}
		out = append(out, e)
		if len(out)&1023 == 0 {
			if err := c.checkSize(int64(len(out))); err != nil {
				return nil, err
			}
		}
	}
}

// sortOrdering sorts an orderBy() result on first use.
func (c *call) sortOrdering(o *ordering) ([]any, error) {
	if o.sorted != nil {
		return o.sorted, nil
	}
	src, err := c.collect(o.src)
	if err != nil {
		return nil, err
	}
	elems := append([]any(nil), src...)
	var sortErr error
	cmp := func(a, b any) int {
		for _, k := range o.keys {
			x, err := k.sel.call(c, a)
			if err != nil {
				sortErr = err
				return 0
			}
			y, err := k.sel.call(c, b)
			if err != nil {
				sortErr = err
				return 0
			}
			r := 0
			lt, err := c.delegate("#operator_<", x, y)
			if err != nil {
				sortErr = err
				return 0
			}
			if expr.Truthy(lt) {
				r = -1
			} else {
				gt, err := c.delegate("#operator_>", x, y)
				if err != nil {
					sortErr = err
					return 0
				}
				if expr.Truthy(gt) {
					r = 1
				}
			}
			if r == 0 {
				continue
			}
			if !k.ascending {
				r = -r
			}
			return r
		}
		return 0
	}
	sort.SliceStable(elems, func(i, j int) bool {
		if sortErr != nil {
			return false
		}
		return cmp(elems[i], elems[j]) < 0
	})
	if sortErr != nil {
		return nil, sortErr
	}
	o.sorted = elems
	return elems, nil
}

// hashOf is a key for Python hashing as yaql sees values: dicts coming
// from input data are frozen (hashable) in yaql, so they hash here too.
func hashOf(v any) (string, error) {
	var b strings.Builder
	if err := writeHash(&b, v); err != nil {
		return "", err
	}
	return b.String(), nil
}

func writeHash(b *strings.Builder, v any) error {
	switch x := v.(type) {
	case nil:
		b.WriteString("N")
	case bool:
		if x {
			b.WriteString("i1;")
		} else {
			b.WriteString("i0;")
		}
	case int64:
		b.WriteString("i" + strconv.FormatInt(x, 10) + ";")
	case *big.Int:
		b.WriteString("i" + x.String() + ";")
	case float64:
		if x == math.Trunc(x) && !math.IsInf(x, 0) && math.Abs(x) < 1e18 {
			b.WriteString("i" + strconv.FormatInt(int64(x), 10) + ";")
		} else {
			b.WriteString("f" + strconv.FormatFloat(x, 'g', -1, 64) + ";")
		}
	case string:
		b.WriteString("s" + strconv.Itoa(len(x)) + ":" + x)
	case expr.Tuple:
		b.WriteString("(")
		for _, e := range x {
			if err := writeHash(b, e); err != nil {
				return err
			}
		}
		b.WriteString(")")
	case *expr.Dict:
		// Order-insensitive: sort the entry hashes.
		var parts []string
		var herr error
		x.Range(func(k, val any) bool {
			var eb strings.Builder
			if err := writeHash(&eb, k); err != nil {
				herr = err
				return false
			}
			if err := writeHash(&eb, val); err != nil {
				herr = err
				return false
			}
			parts = append(parts, eb.String())
			return true
		})
		if herr != nil {
			return herr
		}
		sort.Strings(parts)
		b.WriteString("{" + strings.Join(parts, ",") + "}")
	case *expr.Set:
		var parts []string
		for _, e := range x.Elems() {
			h, err := hashOf(e)
			if err != nil {
				return err
			}
			parts = append(parts, h)
		}
		sort.Strings(parts)
		b.WriteString("S{" + strings.Join(parts, ",") + "}")
	case expr.Hashable:
		b.WriteString("o" + x.HashKey() + ";")
	case []any:
		return pyErr(classTypeError, "unhashable type: 'list'")
	default:
		b.WriteString(fmt.Sprintf("p%p;", v))
	}
	return nil
}
