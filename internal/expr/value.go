package expr

import (
	"encoding/json"
	"fmt"
	"math"
	"math/big"
	"reflect"
	"sort"
	"strconv"
	"strings"
	"unicode/utf8"
)

// Object is a value of a type the model does not know itself (Jinja's
// Undefined and macros, YAQL's datetimes, ...). Optional interfaces add
// behaviour: [Stringer] (str()), [Truther] (truth), [Equaler] (==),
// [Orderer] (<), [Hashable] (dict key), [Lener] (len()), [Iterable].
type Object interface {
	// TypeName is Python's type(v).__name__.
	TypeName() string
	// Repr is Python's repr(v).
	Repr() string
}

// Stringer is an Object with its own str() (default: its Repr).
type Stringer interface{ PyStr() string }

// Truther is an Object with its own truth value (default: true).
type Truther interface{ Truth() bool }

// Equaler is an Object that can compare itself to other values for ==.
type Equaler interface{ PyEqual(other any) bool }

// Orderer is an Object that supports ordering: it returns -1, 0 or 1, or
// ok false when the values are not orderable.
type Orderer interface {
	PyCompare(other any) (c int, ok bool)
}

// Lener is an Object with a length.
type Lener interface{ PyLen() int }

// Iterable is an Object that can be iterated.
type Iterable interface{ PyIter() ([]any, error) }

// TypeName is the name of v's Python type: "NoneType", "bool", "int",
// "float", "str", "list", "tuple", "dict", "set", or an Object's own.
func TypeName(v any) string {
	switch x := v.(type) {
	case nil:
		return "NoneType"
	case bool:
		return "bool"
	case int64, int, *big.Int:
		return "int"
	case float64:
		return "float"
	case string:
		return "str"
	case []any:
		return "list"
	case Tuple:
		return "tuple"
	case *Dict:
		return "dict"
	case *Set:
		return "set"
	case Object:
		return x.TypeName()
	}
	return fmt.Sprintf("%T", v)
}

// Truthy is Python's bool(v): None, False, 0, 0.0, "" and empty
// collections are false.
func Truthy(v any) bool {
	switch x := v.(type) {
	case nil:
		return false
	case bool:
		return x
	case int64:
		return x != 0
	case int:
		return x != 0
	case float64:
		return x != 0
	case *big.Int:
		return x.Sign() != 0
	case string:
		return x != ""
	case []any:
		return len(x) > 0
	case Tuple:
		return len(x) > 0
	case *Dict:
		return x.Len() > 0
	case *Set:
		return x.Len() > 0
	case Truther:
		return x.Truth()
	case Lener:
		return x.PyLen() > 0
	}
	return true
}

// numKind classifies a numeric value: 0 not a number, 1 int (int64,
// bool), 2 big int, 3 float.
func numKind(v any) int {
	switch v.(type) {
	case int64, bool, int:
		return 1
	case *big.Int:
		return 2
	case float64:
		return 3
	}
	return 0
}

func asInt64(v any) int64 {
	switch x := v.(type) {
	case int64:
		return x
	case int:
		return int64(x)
	case bool:
		if x {
			return 1
		}
	}
	return 0
}

func asBig(v any) *big.Int {
	if x, ok := v.(*big.Int); ok {
		return x
	}
	return big.NewInt(asInt64(v))
}

func asFloat(v any) float64 {
	switch x := v.(type) {
	case float64:
		return x
	case *big.Int:
		f, _ := new(big.Float).SetInt(x).Float64()
		return f
	}
	return float64(asInt64(v))
}

// normInt returns an int64 when b fits, else b.
func normInt(b *big.Int) any {
	if b.IsInt64() {
		return b.Int64()
	}
	return b
}

// numCompare compares two numbers exactly (ints against floats too);
// ok is false when either is NaN.
func numCompare(a, b any) (c int, ok bool) {
	ka, kb := numKind(a), numKind(b)
	if ka == 1 && kb == 1 {
		x, y := asInt64(a), asInt64(b)
		switch {
		case x < y:
			return -1, true
		case x > y:
			return 1, true
		}
		return 0, true
	}
	if ka != 3 && kb != 3 {
		return asBig(a).Cmp(asBig(b)), true
	}
	// At least one float: compare exactly through big.Float.
	fa, fb := asFloat(a), asFloat(b)
	if math.IsNaN(fa) || math.IsNaN(fb) {
		return 0, false
	}
	if ka == 3 && kb == 3 {
		switch {
		case fa < fb:
			return -1, true
		case fa > fb:
			return 1, true
		}
		return 0, true
	}
	if math.IsInf(fa, 0) || math.IsInf(fb, 0) {
		switch {
		case fa < fb:
			return -1, true
		case fa > fb:
			return 1, true
		}
		return 0, true
	}
	ba, bb := new(big.Float), new(big.Float)
	if ka == 3 {
		ba.SetFloat64(fa)
	} else {
		ba.SetInt(asBig(a))
	}
	if kb == 3 {
		bb.SetFloat64(fb)
	} else {
		bb.SetInt(asBig(b))
	}
	return ba.Cmp(bb), true
}

// Equal is Python's a == b: numbers by value across int, float and bool;
// lists, tuples, dicts (order-insensitive) and sets by content; a list is
// never equal to a tuple.
func Equal(a, b any) bool {
	if numKind(a) != 0 && numKind(b) != 0 {
		c, ok := numCompare(a, b)
		return ok && c == 0
	}
	switch x := a.(type) {
	case nil:
		return b == nil
	case string:
		y, ok := b.(string)
		return ok && x == y
	case []any:
		y, ok := b.([]any)
		return ok && seqEqual(x, y)
	case Tuple:
		y, ok := b.(Tuple)
		return ok && seqEqual(x, y)
	case *Dict:
		y, ok := b.(*Dict)
		if !ok || x.Len() != y.Len() {
			return false
		}
		if x == y {
			return true
		}
		for i, k := range x.keys {
			w, found, _ := y.Lookup(k)
			if !found || !Equal(x.vals[i], w) {
				return false
			}
		}
		return true
	case *Set:
		y, ok := b.(*Set)
		if !ok || x.Len() != y.Len() {
			return false
		}
		for _, e := range x.elems {
			if !y.Contains(e) {
				return false
			}
		}
		return true
	case Equaler:
		return x.PyEqual(b)
	}
	if y, ok := b.(Equaler); ok {
		return y.PyEqual(a)
	}
	return a == b
}

func seqEqual(x, y []any) bool {
	if len(x) != len(y) {
		return false
	}
	for i := range x {
		if !Equal(x[i], y[i]) {
			return false
		}
	}
	return true
}

// Compare orders a and b as Python 3's sorted() does: -1, 0 or 1. Numbers
// compare with numbers, strings with strings (by code point), lists with
// lists and tuples with tuples (lexicographically); anything else is a
// TypeError such as "'<' not supported between instances of 'str' and
// 'int'". NaN compares equal to everything, as sorting it in Python
// leaves it in place.
func Compare(a, b any) (int, error) {
	if numKind(a) != 0 && numKind(b) != 0 {
		c, _ := numCompare(a, b)
		return c, nil
	}
	switch x := a.(type) {
	case string:
		if y, ok := b.(string); ok {
			return strings.Compare(x, y), nil
		}
	case []any:
		if y, ok := b.([]any); ok {
			return seqCompare(x, y)
		}
	case Tuple:
		if y, ok := b.(Tuple); ok {
			return seqCompare(x, y)
		}
	case Orderer:
		if c, ok := x.PyCompare(b); ok {
			return c, nil
		}
	}
	if y, ok := b.(Orderer); ok {
		if c, ok := y.PyCompare(a); ok {
			return -c, nil
		}
	}
	return 0, TypeErrorf("'<' not supported between instances of '%s' and '%s'", TypeName(a), TypeName(b))
}

func seqCompare(x, y []any) (int, error) {
	for i := 0; i < len(x) && i < len(y); i++ {
		if Equal(x[i], y[i]) {
			continue
		}
		return Compare(x[i], y[i])
	}
	switch {
	case len(x) < len(y):
		return -1, nil
	case len(x) > len(y):
		return 1, nil
	}
	return 0, nil
}

// CompareOp evaluates a rich comparison, op one of "==", "!=", "<", "<=",
// ">", ">=", with Python's results for NaN (every ordering false) and
// sets (subset ordering) and Python's TypeError for unorderable operands.
func CompareOp(op string, a, b any) (bool, error) {
	switch op {
	case "==":
		return Equal(a, b), nil
	case "!=":
		return !Equal(a, b), nil
	}
	if numKind(a) != 0 && numKind(b) != 0 {
		c, ok := numCompare(a, b)
		if !ok {
			return false, nil
		}
		return cmpResult(op, c), nil
	}
	if x, ok := a.(*Set); ok {
		if y, ok := b.(*Set); ok {
			sub := func(p, q *Set) bool {
				for _, e := range p.elems {
					if !q.Contains(e) {
						return false
					}
				}
				return true
			}
			switch op {
			case "<":
				return x.Len() < y.Len() && sub(x, y), nil
			case "<=":
				return sub(x, y), nil
			case ">":
				return x.Len() > y.Len() && sub(y, x), nil
			case ">=":
				return sub(y, x), nil
			}
		}
	}
	c, err := Compare(a, b)
	if err != nil {
		return false, TypeErrorf("'%s' not supported between instances of '%s' and '%s'", op, TypeName(a), TypeName(b))
	}
	return cmpResult(op, c), nil
}

func cmpResult(op string, c int) bool {
	switch op {
	case "<":
		return c < 0
	case "<=":
		return c <= 0
	case ">":
		return c > 0
	case ">=":
		return c >= 0
	}
	return false
}

// Contains is Python's "item in container": substring for strings (the
// item must be a str), element for lists, tuples and sets, key for
// dicts.
func Contains(container, item any) (bool, error) {
	switch c := container.(type) {
	case string:
		s, ok := item.(string)
		if !ok {
			return false, TypeErrorf("'in <string>' requires string as left operand, not %s", TypeName(item))
		}
		return strings.Contains(c, s), nil
	case []any:
		return seqContains(c, item), nil
	case Tuple:
		return seqContains(c, item), nil
	case *Dict:
		_, found, err := c.Lookup(item)
		if err != nil {
			return false, err
		}
		return found, nil
	case *Set:
		if _, err := hashKey(item); err != nil {
			return false, err
		}
		return c.Contains(item), nil
	case Iterable:
		elems, err := c.PyIter()
		if err != nil {
			return false, err
		}
		return seqContains(elems, item), nil
	}
	return false, TypeErrorf("argument of type '%s' is not iterable", TypeName(container))
}

func seqContains(s []any, item any) bool {
	for _, e := range s {
		if Equal(e, item) {
			return true
		}
	}
	return false
}

// Len is Python's len(v): characters (code points) of a str, entries of
// collections; a TypeError for other values.
func Len(v any) (int, error) {
	switch x := v.(type) {
	case string:
		return utf8.RuneCountInString(x), nil
	case []any:
		return len(x), nil
	case Tuple:
		return len(x), nil
	case *Dict:
		return x.Len(), nil
	case *Set:
		return x.Len(), nil
	case Lener:
		return x.PyLen(), nil
	}
	return 0, TypeErrorf("object of type '%s' has no len()", TypeName(v))
}

// Iterate returns the items a Python for loop sees: list and tuple
// elements, the characters of a str, a dict's keys, a set's elements. The
// slice may be the value's own: do not modify it.
func Iterate(v any) ([]any, error) {
	switch x := v.(type) {
	case []any:
		return x, nil
	case Tuple:
		return x, nil
	case string:
		out := make([]any, 0, len(x))
		for _, r := range x {
			out = append(out, string(r))
		}
		return out, nil
	case *Dict:
		return x.keys, nil
	case *Set:
		return x.elems, nil
	case Iterable:
		return x.PyIter()
	}
	return nil, TypeErrorf("'%s' object is not iterable", TypeName(v))
}

// Items returns a dict's entries as (key, value) tuples, as
// dict.items() does.
func Items(d *Dict) []any {
	out := make([]any, d.Len())
	for i := range out {
		out[i] = Tuple{d.keys[i], d.vals[i]}
	}
	return out
}

// ToInt is Python's int(v): floats truncate, strings are parsed as
// decimal integers (surrounding whitespace and "_" separators allowed),
// bools are 0 or 1. Other values are a TypeError, bad strings a
// ValueError.
func ToInt(v any) (any, error) {
	switch x := v.(type) {
	case int64, *big.Int:
		return x, nil
	case int:
		return int64(x), nil
	case bool:
		return asInt64(x), nil
	case float64:
		if math.IsNaN(x) {
			return nil, ValueErrorf("cannot convert float NaN to integer")
		}
		if math.IsInf(x, 0) {
			return nil, Errorf("OverflowError", "cannot convert float infinity to integer")
		}
		t := math.Trunc(x)
		if t >= -(1<<63) && t < 1<<63 {
			return int64(t), nil
		}
		bi, _ := new(big.Float).SetFloat64(t).Int(nil)
		return bi, nil
	case string:
		if n, ok := parsePyInt(x); ok {
			return n, nil
		}
		return nil, ValueErrorf("invalid literal for int() with base 10: %s", Repr(x))
	}
	return nil, TypeErrorf("int() argument must be a string, a bytes-like object or a real number, not '%s'", TypeName(v))
}

// ToInt64 converts v like [ToInt] and requires the result to fit an
// int64.
func ToInt64(v any) (int64, error) {
	n, err := ToInt(v)
	if err != nil {
		return 0, err
	}
	i, ok := n.(int64)
	if !ok {
		return 0, Errorf("OverflowError", "Python int too large to convert to C int")
	}
	return i, nil
}

// parsePyInt parses a Python int literal as int() accepts it.
func parsePyInt(s string) (any, bool) {
	s = strings.TrimSpace(s)
	if s == "" {
		return nil, false
	}
	if strings.Contains(s, "_") {
		if strings.HasPrefix(s, "_") || strings.HasSuffix(s, "_") || strings.Contains(s, "__") {
			return nil, false
		}
		s = strings.ReplaceAll(s, "_", "")
	}
	body := strings.TrimLeft(s, "+-")
	if len(s)-len(body) > 1 || body == "" {
		return nil, false
	}
	for _, r := range body {
		if r < '0' || r > '9' {
			return nil, false
		}
	}
	if n, err := strconv.ParseInt(s, 10, 64); err == nil {
		return n, true
	}
	b, ok := new(big.Int).SetString(strings.TrimPrefix(s, "+"), 10)
	if !ok {
		return nil, false
	}
	return normInt(b), true
}

// ToFloat is Python's float(v): numbers and bools convert, strings are
// parsed ("1e3", " 2.5 ", "inf", "nan"); others are a TypeError, bad
// strings a ValueError.
func ToFloat(v any) (float64, error) {
	switch x := v.(type) {
	case float64:
		return x, nil
	case int64, int, bool, *big.Int:
		return asFloat(x), nil
	case string:
		if f, ok := parsePyFloat(x); ok {
			return f, nil
		}
		return 0, ValueErrorf("could not convert string to float: %s", Repr(x))
	}
	return 0, TypeErrorf("float() argument must be a string or a real number, not '%s'", TypeName(v))
}

func parsePyFloat(s string) (float64, bool) {
	s = strings.TrimSpace(s)
	low := strings.ToLower(strings.TrimLeft(s, "+-"))
	switch low {
	case "inf", "infinity":
		if strings.HasPrefix(s, "-") {
			return math.Inf(-1), true
		}
		return math.Inf(1), true
	case "nan":
		return math.NaN(), true
	}
	if strings.ContainsAny(low, "xpn") || low == "" {
		return 0, false
	}
	if strings.Contains(s, "_") {
		s = strings.ReplaceAll(s, "_", "")
	}
	f, err := strconv.ParseFloat(s, 64)
	if err != nil {
		if ne, ok := err.(*strconv.NumError); ok && ne.Err == strconv.ErrRange {
			return f, true
		}
		return 0, false
	}
	return f, true
}

// IsNumber reports whether v is an int or a float (bools excluded).
func IsNumber(v any) bool {
	switch v.(type) {
	case int64, int, float64, *big.Int:
		return true
	}
	return false
}

// IsInt reports whether v is a Python int (bools excluded).
func IsInt(v any) bool {
	switch v.(type) {
	case int64, int, *big.Int:
		return true
	}
	return false
}

// FromGo converts a Go value into the model: Go integers become int64
// (or *big.Int), float32 float64, json.Number an int or a float as
// json.loads would make it, map[string]any a Dict (keys sorted, as Go
// maps have no order), other maps, slices and arrays dicts and lists,
// pointers their targets. Values already in the model pass through
// (their contents are converted too). Other types are an error.
func FromGo(v any) (any, error) {
	switch x := v.(type) {
	case nil, bool, int64, float64, string, *big.Int:
		return x, nil
	case int:
		return int64(x), nil
	case json.Number:
		return numberFromJSON(string(x))
	case []any:
		out := make([]any, len(x))
		for i, e := range x {
			c, err := FromGo(e)
			if err != nil {
				return nil, err
			}
			out[i] = c
		}
		return out, nil
	case Tuple:
		out := make(Tuple, len(x))
		for i, e := range x {
			c, err := FromGo(e)
			if err != nil {
				return nil, err
			}
			out[i] = c
		}
		return out, nil
	case *Dict:
		out := NewDict(x.Len())
		for i, k := range x.keys {
			c, err := FromGo(x.vals[i])
			if err != nil {
				return nil, err
			}
			h, _ := hashKey(k)
			out.put(h, k, c)
		}
		return out, nil
	case map[string]any:
		keys := make([]string, 0, len(x))
		for k := range x {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		out := NewDict(len(x))
		for _, k := range keys {
			c, err := FromGo(x[k])
			if err != nil {
				return nil, err
			}
			out.Set(k, c)
		}
		return out, nil
	case *Set, Object:
		return x, nil
	}
	rv := reflect.ValueOf(v)
	switch {
	case rv.CanInt():
		return rv.Int(), nil
	case rv.CanUint():
		u := rv.Uint()
		if u <= math.MaxInt64 {
			return int64(u), nil
		}
		return new(big.Int).SetUint64(u), nil
	case rv.CanFloat():
		return rv.Float(), nil
	}
	switch rv.Kind() {
	case reflect.String:
		return rv.String(), nil
	case reflect.Bool:
		return rv.Bool(), nil
	case reflect.Slice, reflect.Array:
		if rv.Kind() == reflect.Slice && rv.IsNil() {
			return []any{}, nil
		}
		out := make([]any, rv.Len())
		for i := range out {
			c, err := FromGo(rv.Index(i).Interface())
			if err != nil {
				return nil, err
			}
			out[i] = c
		}
		return out, nil
	case reflect.Map:
		keys := rv.MapKeys()
		sort.Slice(keys, func(i, j int) bool { return fmt.Sprint(keys[i]) < fmt.Sprint(keys[j]) })
		out := NewDict(len(keys))
		for _, k := range keys {
			ck, err := FromGo(k.Interface())
			if err != nil {
				return nil, err
			}
			cv, err := FromGo(rv.MapIndex(k).Interface())
			if err != nil {
				return nil, err
			}
			if err := out.SetKey(ck, cv); err != nil {
				return nil, err
			}
		}
		return out, nil
	case reflect.Pointer, reflect.Interface:
		if rv.IsNil() {
			return nil, nil
		}
		return FromGo(rv.Elem().Interface())
	}
	return nil, fmt.Errorf("converting %T to an expression value: unsupported type", v)
}

// ToGo converts a model value into plain Go for encoding/json and
// friends: dicts become map[string]any (keys as json.dumps writes them;
// key order is lost), tuples and sets []any, big ints json.Number.
// Objects become their str().
func ToGo(v any) any {
	switch x := v.(type) {
	case []any:
		out := make([]any, len(x))
		for i, e := range x {
			out[i] = ToGo(e)
		}
		return out
	case Tuple:
		return ToGo([]any(x))
	case *Set:
		return ToGo(x.elems)
	case *Dict:
		out := make(map[string]any, x.Len())
		for i, k := range x.keys {
			ks, ok := k.(string)
			if !ok {
				ks = jsonKey(k)
			}
			out[ks] = ToGo(x.vals[i])
		}
		return out
	case *big.Int:
		return json.Number(x.String())
	case Object:
		return Str(x)
	}
	return v
}
