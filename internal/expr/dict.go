package expr

import (
	"math"
	"math/big"
	"strconv"
	"strings"
)

// Dict is Python's dict: keys keep their insertion order, any hashable
// value (None, bool, int, float, str, tuple) is a key, and keys that are
// equal in Python (1, 1.0 and True) are the same key. The zero value is
// an empty dict ready to use. A Dict is not safe for concurrent writes.
type Dict struct {
	keys  []any
	vals  []any
	index map[hkey]int
	// nonStr counts keys that are not strings, so the string fast paths
	// can skip the JSON-text fallback of Get.
	nonStr int
}

// hkey is the hash identity of a dict key: Python-equal keys map to the
// same hkey.
type hkey struct {
	kind uint8
	n    int64
	f    float64
	s    string
}

const (
	hNone uint8 = iota
	hInt
	hFloat
	hBig
	hStr
	hTuple
)

// NewDict returns an empty dict with room for n entries.
func NewDict(n int) *Dict {
	return &Dict{keys: make([]any, 0, n), vals: make([]any, 0, n), index: make(map[hkey]int, n)}
}

// DictOf builds a dict from alternating string keys and values; it is a
// convenience for tests and examples and panics on an odd count or a
// non-string key.
func DictOf(kv ...any) *Dict {
	if len(kv)%2 != 0 {
		panic("expr.DictOf: odd number of arguments")
	}
	d := NewDict(len(kv) / 2)
	for i := 0; i < len(kv); i += 2 {
		d.Set(kv[i].(string), kv[i+1])
	}
	return d
}

// hashKey computes k's identity, or a TypeError for an unhashable key.
func hashKey(k any) (hkey, error) {
	switch x := k.(type) {
	case nil:
		return hkey{kind: hNone}, nil
	case string:
		return hkey{kind: hStr, s: x}, nil
	case bool:
		if x {
			return hkey{kind: hInt, n: 1}, nil
		}
		return hkey{kind: hInt}, nil
	case int64:
		return hkey{kind: hInt, n: x}, nil
	case int:
		return hkey{kind: hInt, n: int64(x)}, nil
	case float64:
		if x == math.Trunc(x) && !math.IsInf(x, 0) {
			if x >= -(1<<63) && x < 1<<63 {
				return hkey{kind: hInt, n: int64(x)}, nil
			}
			bf, _ := new(big.Float).SetFloat64(x).Int(nil)
			return hkey{kind: hBig, s: bf.String()}, nil
		}
		if math.IsNaN(x) {
			// NaN is never equal to itself; Python finds it only by
			// identity. Every NaN gets its own slot here.
			return hkey{kind: hFloat, f: x, s: strconv.FormatUint(math.Float64bits(x), 16)}, nil
		}
		return hkey{kind: hFloat, f: x}, nil
	case *big.Int:
		if x.IsInt64() {
			return hkey{kind: hInt, n: x.Int64()}, nil
		}
		return hkey{kind: hBig, s: x.String()}, nil
	case Tuple:
		var b strings.Builder
		for _, e := range x {
			h, err := hashKey(e)
			if err != nil {
				return hkey{}, err
			}
			b.WriteByte(h.kind)
			b.WriteString(strconv.FormatInt(h.n, 10))
			b.WriteByte(':')
			b.WriteString(strconv.FormatUint(math.Float64bits(h.f), 16))
			b.WriteByte(':')
			b.WriteString(strconv.Itoa(len(h.s)))
			b.WriteByte(':')
			b.WriteString(h.s)
		}
		return hkey{kind: hTuple, s: b.String()}, nil
	case Hashable:
		return hkey{kind: hTuple + 1, s: x.HashKey()}, nil
	}
	return hkey{}, TypeErrorf("unhashable type: '%s'", TypeName(k))
}

// Hashable is implemented by an [Object] that may be a dict key or set
// element; HashKey must be equal for equal objects.
type Hashable interface {
	HashKey() string
}

// Len is the number of entries.
func (d *Dict) Len() int {
	if d == nil {
		return 0
	}
	return len(d.keys)
}

// Set stores v under the string key k, keeping the position of an
// existing key.
func (d *Dict) Set(k string, v any) {
	d.put(hkey{kind: hStr, s: k}, k, v)
}

// SetKey stores v under any hashable key k; an unhashable key is a
// TypeError.
func (d *Dict) SetKey(k, v any) error {
	h, err := hashKey(k)
	if err != nil {
		return err
	}
	d.put(h, k, v)
	return nil
}

func (d *Dict) put(h hkey, k, v any) {
	if d.index == nil {
		d.index = make(map[hkey]int)
	}
	if i, ok := d.index[h]; ok {
		d.vals[i] = v
		return
	}
	d.index[h] = len(d.keys)
	d.keys = append(d.keys, k)
	d.vals = append(d.vals, v)
	if _, ok := k.(string); !ok {
		d.nonStr++
	}
}

// Lookup finds the value of any key; found is false for a missing key,
// err a TypeError for an unhashable one.
func (d *Dict) Lookup(k any) (v any, found bool, err error) {
	h, err := hashKey(k)
	if err != nil {
		return nil, false, err
	}
	if d == nil {
		return nil, false, nil
	}
	if i, ok := d.index[h]; ok {
		return d.vals[i], true, nil
	}
	return nil, false, nil
}

// Get finds the value of a string key. For a key that is no string, Get
// also accepts the text json.dumps makes of it ("1" for 1, "true" for
// True), which makes Dict a [pyfmt.OrderedMap] whose Keys and Get agree.
func (d *Dict) Get(k string) (any, bool) {
	if d == nil {
		return nil, false
	}
	if i, ok := d.index[hkey{kind: hStr, s: k}]; ok {
		return d.vals[i], true
	}
	if d.nonStr > 0 {
		for i, key := range d.keys {
			if _, isStr := key.(string); !isStr && jsonKey(key) == k {
				return d.vals[i], true
			}
		}
	}
	return nil, false
}

// Has reports whether the string key k is present.
func (d *Dict) Has(k string) bool {
	if d == nil {
		return false
	}
	_, ok := d.index[hkey{kind: hStr, s: k}]
	return ok
}

// Delete removes key k (any hashable value) and reports whether it was
// present; the order of the other keys is kept.
func (d *Dict) Delete(k any) (bool, error) {
	h, err := hashKey(k)
	if err != nil || d == nil {
		return false, err
	}
	i, ok := d.index[h]
	if !ok {
		return false, nil
	}
	if _, isStr := d.keys[i].(string); !isStr {
		d.nonStr--
	}
	delete(d.index, h)
	d.keys = append(d.keys[:i], d.keys[i+1:]...)
	d.vals = append(d.vals[:i], d.vals[i+1:]...)
	for j := i; j < len(d.keys); j++ {
		hj, _ := hashKey(d.keys[j])
		d.index[hj] = j
	}
	return true, nil
}

// Keys returns the keys as strings, in order: string keys as they are,
// others as json.dumps writes them. It makes Dict a [pyfmt.OrderedMap];
// use [Dict.KeyValues] or [Dict.Range] for the real keys.
func (d *Dict) Keys() []string {
	if d == nil {
		return nil
	}
	out := make([]string, len(d.keys))
	for i, k := range d.keys {
		if s, ok := k.(string); ok {
			out[i] = s
		} else {
			out[i] = jsonKey(k)
		}
	}
	return out
}

// KeyValues returns the keys (as they were set) and values, in order.
// The slices are the dict's own: do not modify them.
func (d *Dict) KeyValues() (keys, values []any) {
	if d == nil {
		return nil, nil
	}
	return d.keys, d.vals
}

// Range calls f for every entry in order until f returns false.
func (d *Dict) Range(f func(k, v any) bool) {
	if d == nil {
		return
	}
	for i, k := range d.keys {
		if !f(k, d.vals[i]) {
			return
		}
	}
}

// Copy returns a shallow copy.
func (d *Dict) Copy() *Dict {
	n := NewDict(d.Len())
	if d == nil {
		return n
	}
	n.keys = append(n.keys, d.keys...)
	n.vals = append(n.vals, d.vals...)
	for h, i := range d.index {
		n.index[h] = i
	}
	n.nonStr = d.nonStr
	return n
}

// jsonKey is the object key json.dumps makes of a non-string dict key.
func jsonKey(k any) string {
	switch x := k.(type) {
	case nil:
		return "null"
	case bool:
		if x {
			return "true"
		}
		return "false"
	case float64:
		return floatJSON(x)
	}
	return Repr(k)
}

// Set is Python's set. Elements keep their insertion order (Python's
// order follows hashes and is not reproduced). The zero value is empty.
type Set struct {
	elems []any
	index map[hkey]int
}

// NewSet returns a set of the given elements; an unhashable element is a
// TypeError.
func NewSet(elems ...any) (*Set, error) {
	s := &Set{index: make(map[hkey]int, len(elems))}
	for _, e := range elems {
		if err := s.Add(e); err != nil {
			return nil, err
		}
	}
	return s, nil
}

// Add inserts e; an unhashable element is a TypeError.
func (s *Set) Add(e any) error {
	h, err := hashKey(e)
	if err != nil {
		return err
	}
	if s.index == nil {
		s.index = make(map[hkey]int)
	}
	if _, ok := s.index[h]; ok {
		return nil
	}
	s.index[h] = len(s.elems)
	s.elems = append(s.elems, e)
	return nil
}

// Contains reports whether e is an element (false for an unhashable e).
func (s *Set) Contains(e any) bool {
	h, err := hashKey(e)
	if err != nil || s == nil {
		return false
	}
	_, ok := s.index[h]
	return ok
}

// Len is the number of elements.
func (s *Set) Len() int {
	if s == nil {
		return 0
	}
	return len(s.elems)
}

// Elems returns the elements in insertion order; do not modify the slice.
func (s *Set) Elems() []any {
	if s == nil {
		return nil
	}
	return s.elems
}

// Tuple is Python's tuple: an immutable sequence, rendered with
// parentheses, never equal to a list.
type Tuple []any
