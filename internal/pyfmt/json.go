package pyfmt

import (
	"encoding/json"
	"reflect"
	"sort"
	"strings"
)

// JSON renders v as Python's json.dumps(v, indent=indent,
// sort_keys=sortKeys) does, with ensure_ascii on. indent < 0 means
// indent=None: one line, items separated by ", ". Otherwise every item is
// on its own line, indented by indent spaces per level, and items end in
// ",". Go maps always print with sorted keys; an [OrderedMap] keeps its
// order unless sortKeys is set. A value the package does not know
// (a struct, say) prints as encoding/json marshals it.
func (p Printer) JSON(v any, indent int, sortKeys bool) string {
	w := jsonWriter{p: p, indent: indent, sortKeys: sortKeys}
	w.write(v, 0)
	return w.b.String()
}

type jsonWriter struct {
	p        Printer
	b        strings.Builder
	indent   int
	sortKeys bool
}

func (w *jsonWriter) write(v any, level int) {
	switch x := v.(type) {
	case nil:
		w.b.WriteString("null")
		return
	case bool:
		if x {
			w.b.WriteString("true")
		} else {
			w.b.WriteString("false")
		}
		return
	case string:
		writeJSONString(&w.b, x)
		return
	case []any:
		w.list(len(x), func(i int) any { return x[i] }, level)
		return
	case map[string]any:
		keys := sortedKeys(x)
		w.object(keys, func(i int) any { return x[keys[i]] }, level)
		return
	case OrderedMap:
		keys := x.Keys()
		if w.sortKeys {
			keys = append([]string(nil), keys...)
			sort.Strings(keys)
		}
		w.object(keys, func(i int) any { e, _ := x.Get(keys[i]); return e }, level)
		return
	case json.Marshaler:
		w.marshal(v)
		return
	}
	if s, ok := w.p.number(v, true); ok {
		w.b.WriteString(s)
		return
	}
	rv := reflect.ValueOf(v)
	switch rv.Kind() {
	case reflect.Slice, reflect.Array:
		w.list(rv.Len(), func(i int) any { return rv.Index(i).Interface() }, level)
	case reflect.Map:
		mk := sortedMapKeys(rv)
		keys := make([]string, len(mk))
		for i, k := range mk {
			keys[i] = w.key(k.Interface())
		}
		w.object(keys, func(i int) any { return rv.MapIndex(mk[i]).Interface() }, level)
	case reflect.Pointer, reflect.Interface:
		if rv.IsNil() {
			w.b.WriteString("null")
			return
		}
		w.write(rv.Elem().Interface(), level)
	default:
		w.marshal(v)
	}
}

// key is the object key json.dumps makes of a dict key: strings as they
// are, None, booleans and numbers as their JSON text.
func (w *jsonWriter) key(k any) string {
	if s, ok := k.(string); ok {
		return s
	}
	if s, ok := w.p.number(k, true); ok {
		return s
	}
	switch x := k.(type) {
	case nil:
		return "null"
	case bool:
		if x {
			return "true"
		}
		return "false"
	}
	return w.p.Str(k)
}

func (w *jsonWriter) marshal(v any) {
	data, _ := json.Marshal(v)
	w.b.Write(data)
}

func (w *jsonWriter) list(n int, item func(int) any, level int) {
	if n == 0 {
		w.b.WriteString("[]")
		return
	}
	w.b.WriteByte('[')
	for i := 0; i < n; i++ {
		w.separate(i, level+1)
		w.write(item(i), level+1)
	}
	w.newline(level)
	w.b.WriteByte(']')
}

func (w *jsonWriter) object(keys []string, value func(int) any, level int) {
	if len(keys) == 0 {
		w.b.WriteString("{}")
		return
	}
	w.b.WriteByte('{')
	for i, k := range keys {
		w.separate(i, level+1)
		writeJSONString(&w.b, k)
		w.b.WriteString(": ")
		w.write(value(i), level+1)
	}
	w.newline(level)
	w.b.WriteByte('}')
}

// separate starts item i of a list or object at the given level.
func (w *jsonWriter) separate(i, level int) {
	if i > 0 {
		w.b.WriteByte(',')
		if w.indent < 0 {
			w.b.WriteByte(' ')
		}
	}
	w.newline(level)
}

// newline breaks the line and indents it to level, when indenting.
func (w *jsonWriter) newline(level int) {
	if w.indent < 0 {
		return
	}
	w.b.WriteByte('\n')
	w.b.WriteString(strings.Repeat(" ", w.indent*level))
}
