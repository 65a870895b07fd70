// Package pyfmt renders JSON-like Go values the way Python prints them:
// str(), repr() and json.dumps() of None, bool, int, float, str, list and
// dict. StackStorm is a Python program, and users see (and scripts match)
// what Python makes of parameter values, script arguments, error messages
// and CLI output, so st2go reproduces those renderings byte for byte.
//
// Values may be nil, bool, any Go integer or float, json.Number, string,
// []any, map[string]any, any other slice, array or map, a pointer to one of
// those, or an [OrderedMap] (a JSON object that keeps its key order, such
// as the CLI's decoded objects). Go maps have no order, so their keys print
// sorted; an OrderedMap prints in its own order.
//
// encoding/json decodes every number into float64 when it has no
// json.Number to use, so an integer and a float literal look alike. A
// [Printer] with IntegralFloatsAsInts set prints such values as integers
// ("5", not "5.0"); the package-level functions print floats exactly as
// Python does. json.Number values always print as the int or float
// Python's json.loads would have made of them.
//
// The package imports only the standard library; any package may import it.
package pyfmt

import (
	"encoding/json"
	"fmt"
	"reflect"
	"sort"
	"strconv"
	"strings"
)

// OrderedMap is a JSON object that remembers the order of its keys. Keys
// returns them in order; Get returns the value of one.
type OrderedMap interface {
	Keys() []string
	Get(key string) (any, bool)
}

// Printer renders values; its zero value prints as Python does.
type Printer struct {
	// IntegralFloatsAsInts prints a float64 or float32 that has no
	// fraction and is below 1e16 in magnitude as an integer ("5", not
	// "5.0"). Set it for values decoded by encoding/json into any, where
	// JSON integers (far more common than literals such as 5.0) became
	// float64.
	IntegralFloatsAsInts bool
}

// Str renders v as Python's str() does with the zero [Printer].
func Str(v any) string { return Printer{}.Str(v) }

// Repr renders v as Python's repr() does with the zero [Printer].
func Repr(v any) string { return Printer{}.Repr(v) }

// JSON renders v as Python's json.dumps(v, indent=indent,
// sort_keys=sortKeys) does with the zero [Printer]; see [Printer.JSON].
func JSON(v any, indent int, sortKeys bool) string { return Printer{}.JSON(v, indent, sortKeys) }

// Str renders v as Python's str() does: a string as it is, anything else
// as its repr.
func (p Printer) Str(v any) string {
	if s, ok := v.(string); ok {
		return s
	}
	return p.Repr(v)
}

// Repr renders v as Python's repr() does (strings quoted).
func (p Printer) Repr(v any) string {
	var b strings.Builder
	p.writeRepr(&b, v)
	return b.String()
}

func (p Printer) writeRepr(b *strings.Builder, v any) {
	switch x := v.(type) {
	case nil:
		b.WriteString("None")
		return
	case string:
		writeQuoted(b, x)
		return
	case bool:
		if x {
			b.WriteString("True")
		} else {
			b.WriteString("False")
		}
		return
	case []any:
		b.WriteByte('[')
		for i, e := range x {
			if i > 0 {
				b.WriteString(", ")
			}
			p.writeRepr(b, e)
		}
		b.WriteByte(']')
		return
	case map[string]any:
		b.WriteByte('{')
		for i, k := range sortedKeys(x) {
			if i > 0 {
				b.WriteString(", ")
			}
			writeQuoted(b, k)
			b.WriteString(": ")
			p.writeRepr(b, x[k])
		}
		b.WriteByte('}')
		return
	case OrderedMap:
		b.WriteByte('{')
		for i, k := range x.Keys() {
			if i > 0 {
				b.WriteString(", ")
			}
			writeQuoted(b, k)
			b.WriteString(": ")
			e, _ := x.Get(k)
			p.writeRepr(b, e)
		}
		b.WriteByte('}')
		return
	}
	if s, ok := p.number(v, false); ok {
		b.WriteString(s)
		return
	}
	rv := reflect.ValueOf(v)
	switch rv.Kind() {
	case reflect.Slice, reflect.Array:
		b.WriteByte('[')
		for i := 0; i < rv.Len(); i++ {
			if i > 0 {
				b.WriteString(", ")
			}
			p.writeRepr(b, rv.Index(i).Interface())
		}
		b.WriteByte(']')
	case reflect.Map:
		b.WriteByte('{')
		for i, k := range sortedMapKeys(rv) {
			if i > 0 {
				b.WriteString(", ")
			}
			p.writeRepr(b, k.Interface())
			b.WriteString(": ")
			p.writeRepr(b, rv.MapIndex(k).Interface())
		}
		b.WriteByte('}')
	case reflect.Pointer, reflect.Interface:
		if rv.IsNil() {
			b.WriteString("None")
			return
		}
		p.writeRepr(b, rv.Elem().Interface())
	default:
		fmt.Fprint(b, v)
	}
}

// number renders v when it is a number of any Go type or a json.Number.
// forJSON selects json.dumps' spelling of infinities and NaN.
func (p Printer) number(v any, forJSON bool) (string, bool) {
	switch x := v.(type) {
	case json.Number:
		return number(x, forJSON), true
	case float64:
		return p.float(x, forJSON), true
	case float32:
		return p.float(float64(x), forJSON), true
	case int:
		return strconv.Itoa(x), true
	case int64:
		return strconv.FormatInt(x, 10), true
	}
	rv := reflect.ValueOf(v)
	switch {
	case rv.CanInt():
		return strconv.FormatInt(rv.Int(), 10), true
	case rv.CanUint():
		return strconv.FormatUint(rv.Uint(), 10), true
	case rv.CanFloat():
		return p.float(rv.Float(), forJSON), true
	}
	return "", false
}

func (p Printer) float(f float64, forJSON bool) string {
	if p.IntegralFloatsAsInts && isSmallInteger(f) {
		return strconv.FormatInt(int64(f), 10)
	}
	return floatRepr(f, forJSON)
}

// TypeName is the name of v's Python type (type(v).__name__) as error
// messages print it: "NoneType", "str", "bool", "int", "float", "list",
// "dict". A json.Number is an int or a float as its literal says; a Go type
// with no Python counterpart prints as its Go type.
func TypeName(v any) string {
	switch x := v.(type) {
	case nil:
		return "NoneType"
	case string:
		return "str"
	case bool:
		return "bool"
	case json.Number:
		if IsFloat(x) {
			return "float"
		}
		return "int"
	case []any:
		return "list"
	case map[string]any, OrderedMap:
		return "dict"
	}
	switch reflect.ValueOf(v).Kind() {
	case reflect.Slice, reflect.Array:
		return "list"
	case reflect.Map:
		return "dict"
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
		return "int"
	case reflect.Float32, reflect.Float64:
		return "float"
	}
	return fmt.Sprintf("%T", v)
}

func sortedKeys(m map[string]any) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// sortedMapKeys orders the keys of any map by their printed form.
func sortedMapKeys(rv reflect.Value) []reflect.Value {
	keys := rv.MapKeys()
	sort.Slice(keys, func(i, j int) bool { return fmt.Sprint(keys[i]) < fmt.Sprint(keys[j]) })
	return keys
}
