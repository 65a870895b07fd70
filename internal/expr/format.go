package expr

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"math/big"
	"sort"
	"strconv"
	"strings"

	"github.com/st2go/st2go/internal/pyfmt"
)

// Str is Python's str(v): strings as they are, floats and everything else
// as their repr, an Object through its PyStr when it has one.
func Str(v any) string {
	switch x := v.(type) {
	case string:
		return x
	case int64:
		return strconv.FormatInt(x, 10)
	case bool:
		if x {
			return "True"
		}
		return "False"
	case nil:
		return "None"
	case Stringer:
		return x.PyStr()
	}
	return Repr(v)
}

// Repr is Python's repr(v): 'quoted' strings, True, None, 1.0, [1, 2],
// (1,), {'a': 1}, {1, 2} and set().
func Repr(v any) string {
	var b strings.Builder
	writeRepr(&b, v, 0)
	return b.String()
}

// maxReprDepth stops rendering of values nested deeper than any sane
// document (Python would raise RecursionError).
const maxReprDepth = 500

func writeRepr(b *strings.Builder, v any, depth int) {
	if depth > maxReprDepth {
		b.WriteString("...")
		return
	}
	switch x := v.(type) {
	case nil:
		b.WriteString("None")
	case bool:
		if x {
			b.WriteString("True")
		} else {
			b.WriteString("False")
		}
	case int64:
		b.WriteString(strconv.FormatInt(x, 10))
	case int:
		b.WriteString(strconv.Itoa(x))
	case *big.Int:
		b.WriteString(x.String())
	case float64:
		b.WriteString(pyfmt.Float(x))
	case string:
		b.WriteString(pyfmt.Repr(x))
	case []any:
		b.WriteByte('[')
		for i, e := range x {
			if i > 0 {
				b.WriteString(", ")
			}
			writeRepr(b, e, depth+1)
		}
		b.WriteByte(']')
	case Tuple:
		b.WriteByte('(')
		for i, e := range x {
			if i > 0 {
				b.WriteString(", ")
			}
			writeRepr(b, e, depth+1)
		}
		if len(x) == 1 {
			b.WriteByte(',')
		}
		b.WriteByte(')')
	case *Dict:
		b.WriteByte('{')
		for i, k := range x.keys {
			if i > 0 {
				b.WriteString(", ")
			}
			writeRepr(b, k, depth+1)
			b.WriteString(": ")
			writeRepr(b, x.vals[i], depth+1)
		}
		b.WriteByte('}')
	case *Set:
		if x.Len() == 0 {
			b.WriteString("set()")
			return
		}
		b.WriteByte('{')
		for i, e := range x.elems {
			if i > 0 {
				b.WriteString(", ")
			}
			writeRepr(b, e, depth+1)
		}
		b.WriteByte('}')
	case Object:
		b.WriteString(x.Repr())
	default:
		b.WriteString(pyfmt.Repr(v))
	}
}

// JSONOptions are the json.dumps options StackStorm's templates use.
type JSONOptions struct {
	// Indent is nil for one line, else the indentation per level (an int
	// number of spaces, or a str used as is), as json.dumps' indent.
	Indent any
	// SortKeys sorts object keys (by their string form).
	SortKeys bool
	// ItemSep and KeySep are json.dumps' separators; empty means the
	// default: ", " and ": " on one line, "," and ": " when indenting.
	ItemSep, KeySep string
	// ASCII escapes every non-ASCII character (json.dumps'
	// ensure_ascii, its default); otherwise they are written as UTF-8.
	ASCII bool
	// HTMLSafe escapes <, >, & and ' as \u003c ... (Jinja's tojson).
	HTMLSafe bool
}

// ToJSON is Python's json.dumps(v) with default options: one line, ", "
// and ": " separators, insertion key order, ensure_ascii.
func ToJSON(v any) (string, error) {
	return ToJSONWith(v, JSONOptions{ASCII: true})
}

// ToJSONWith is Python's json.dumps(v, **options). Tuples are arrays;
// dict keys that are None, bools or numbers become their JSON text; a
// set, an Object or a tuple key is a TypeError, as in Python. NaN and
// infinities are written as NaN, Infinity and -Infinity.
func ToJSONWith(v any, o JSONOptions) (string, error) {
	w := jsonWriter{o: o}
	switch ind := o.Indent.(type) {
	case nil:
		w.indent = ""
		w.pretty = false
	case int64:
		w.pretty = true
		if ind > 0 {
			w.indent = strings.Repeat(" ", int(min(ind, 1000)))
		}
	case int:
		w.pretty = true
		if ind > 0 {
			w.indent = strings.Repeat(" ", min(ind, 1000))
		}
	case string:
		w.pretty = true
		w.indent = ind
	default:
		return "", TypeErrorf("indent must be None, an int or a str, not '%s'", TypeName(o.Indent))
	}
	w.itemSep, w.keySep = o.ItemSep, o.KeySep
	if w.itemSep == "" {
		w.itemSep = ", "
		if w.pretty {
			w.itemSep = ","
		}
	}
	if w.keySep == "" {
		w.keySep = ": "
	}
	if err := w.write(v, 0); err != nil {
		return "", err
	}
	return w.b.String(), nil
}

type jsonWriter struct {
	o               JSONOptions
	b               strings.Builder
	pretty          bool
	indent          string
	itemSep, keySep string
}

func (w *jsonWriter) newline(level int) {
	if !w.pretty {
		return
	}
	w.b.WriteByte('\n')
	for i := 0; i < level; i++ {
		w.b.WriteString(w.indent)
	}
}

func (w *jsonWriter) write(v any, level int) error {
	if level > maxReprDepth {
		return Errorf("RecursionError", "maximum recursion depth exceeded while encoding a JSON object")
	}
	switch x := v.(type) {
	case nil:
		w.b.WriteString("null")
	case bool:
		if x {
			w.b.WriteString("true")
		} else {
			w.b.WriteString("false")
		}
	case int64:
		w.b.WriteString(strconv.FormatInt(x, 10))
	case int:
		w.b.WriteString(strconv.Itoa(x))
	case *big.Int:
		w.b.WriteString(x.String())
	case float64:
		w.b.WriteString(floatJSON(x))
	case string:
		w.str(x)
	case []any:
		return w.list(x, level)
	case Tuple:
		return w.list(x, level)
	case *Dict:
		return w.dict(x, level)
	default:
		return TypeErrorf("Object of type %s is not JSON serializable", TypeName(v))
	}
	return nil
}

func (w *jsonWriter) list(x []any, level int) error {
	if len(x) == 0 {
		w.b.WriteString("[]")
		return nil
	}
	w.b.WriteByte('[')
	for i, e := range x {
		if i > 0 {
			w.b.WriteString(w.itemSep)
		}
		w.newline(level + 1)
		if err := w.write(e, level+1); err != nil {
			return err
		}
	}
	w.newline(level)
	w.b.WriteByte(']')
	return nil
}

func (w *jsonWriter) dict(d *Dict, level int) error {
	if d.Len() == 0 {
		w.b.WriteString("{}")
		return nil
	}
	type entry struct {
		k string
		v any
	}
	entries := make([]entry, d.Len())
	for i, k := range d.keys {
		var ks string
		switch kk := k.(type) {
		case string:
			ks = kk
		case nil, bool, int64, int, float64, *big.Int:
			ks = jsonKey(kk)
		default:
			return TypeErrorf("keys must be str, int, float, bool or None, not %s", TypeName(k))
		}
		entries[i] = entry{ks, d.vals[i]}
	}
	if w.o.SortKeys {
		if d.nonStr > 0 {
			// Python refuses to sort mixed key types.
			for _, k := range d.keys[1:] {
				if _, err := Compare(d.keys[0], k); err != nil {
					return err
				}
			}
		}
		sort.SliceStable(entries, func(i, j int) bool { return entries[i].k < entries[j].k })
	}
	w.b.WriteByte('{')
	for i, e := range entries {
		if i > 0 {
			w.b.WriteString(w.itemSep)
		}
		w.newline(level + 1)
		w.str(e.k)
		w.b.WriteString(w.keySep)
		if err := w.write(e.v, level+1); err != nil {
			return err
		}
	}
	w.newline(level)
	w.b.WriteByte('}')
	return nil
}

func (w *jsonWriter) str(s string) {
	pyfmt.WriteJSONString(&w.b, s, w.o.ASCII, w.o.HTMLSafe)
}

// floatJSON is json.dumps' float: repr, with NaN, Infinity, -Infinity.
func floatJSON(f float64) string {
	switch {
	case math.IsNaN(f):
		return "NaN"
	case math.IsInf(f, 1):
		return "Infinity"
	case math.IsInf(f, -1):
		return "-Infinity"
	}
	return pyfmt.Float(f)
}

// FromJSON decodes one JSON document into the model as Python's
// json.loads does: objects become Dicts in document order (a repeated key
// keeps its first position and last value), integers int64 (or *big.Int),
// numbers with a fraction or exponent float64. Text after the document
// is an error.
func FromJSON(data []byte) (any, error) {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	v, err := decodeJSON(dec, 0)
	if err != nil {
		return nil, err
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		return nil, errors.New("decoding JSON: extra data after the document")
	}
	return v, nil
}

const maxJSONDepth = 1000

func decodeJSON(dec *json.Decoder, depth int) (any, error) {
	if depth > maxJSONDepth {
		return nil, errors.New("decoding JSON: document nested too deeply")
	}
	tok, err := dec.Token()
	if err != nil {
		if errors.Is(err, io.EOF) {
			return nil, errors.New("decoding JSON: unexpected end of input")
		}
		return nil, fmt.Errorf("decoding JSON: %w", err)
	}
	switch t := tok.(type) {
	case json.Delim:
		switch t {
		case '{':
			d := NewDict(4)
			for dec.More() {
				kt, err := dec.Token()
				if err != nil {
					return nil, fmt.Errorf("decoding JSON: %w", err)
				}
				k, ok := kt.(string)
				if !ok {
					return nil, errors.New("decoding JSON: object key is not a string")
				}
				v, err := decodeJSON(dec, depth+1)
				if err != nil {
					return nil, err
				}
				d.Set(k, v)
			}
			if _, err := dec.Token(); err != nil {
				return nil, fmt.Errorf("decoding JSON: %w", err)
			}
			return d, nil
		case '[':
			l := make([]any, 0, 4)
			for dec.More() {
				v, err := decodeJSON(dec, depth+1)
				if err != nil {
					return nil, err
				}
				l = append(l, v)
			}
			if _, err := dec.Token(); err != nil {
				return nil, fmt.Errorf("decoding JSON: %w", err)
			}
			return l, nil
		}
		return nil, fmt.Errorf("decoding JSON: unexpected %q", t)
	case json.Number:
		return numberFromJSON(string(t))
	}
	return tok, nil // nil, bool, string
}

// numberFromJSON makes the int or float json.loads makes of a literal.
func numberFromJSON(s string) (any, error) {
	if !strings.ContainsAny(s, ".eE") {
		if n, err := strconv.ParseInt(s, 10, 64); err == nil {
			return n, nil
		}
		if b, ok := new(big.Int).SetString(s, 10); ok {
			return normInt(b), nil
		}
		return nil, fmt.Errorf("decoding JSON: bad number %q", s)
	}
	f, err := strconv.ParseFloat(s, 64)
	if err != nil && !math.IsInf(f, 0) {
		return nil, fmt.Errorf("decoding JSON: bad number %q", s)
	}
	return f, nil
}

// MarshalJSON encodes the dict in its key order (json.dumps' compact
// form without spaces), so encoding/json callers keep the order.
func (d *Dict) MarshalJSON() ([]byte, error) {
	s, err := ToJSONWith(d, JSONOptions{ItemSep: ",", KeySep: ":"})
	if err != nil {
		return nil, err
	}
	return []byte(s), nil
}

// UnmarshalJSON decodes a JSON object keeping key order and the int/float
// distinction.
func (d *Dict) UnmarshalJSON(data []byte) error {
	v, err := FromJSON(data)
	if err != nil {
		return err
	}
	src, ok := v.(*Dict)
	if !ok {
		return fmt.Errorf("decoding JSON: %s is not an object", TypeName(v))
	}
	*d = *src
	return nil
}

var _ pyfmt.OrderedMap = (*Dict)(nil)
