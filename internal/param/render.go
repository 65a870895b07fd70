package param

import (
	"errors"
	"fmt"
	"reflect"
	"strconv"
	"strings"

	"github.com/st2go/st2go/internal/pyfmt"
)

// This file is the stop-gap template renderer. It supports exactly:
//
//	literal text
//	{{ name }}  {{ name.attr.sub }}  {{ name['key'] }}  {{ name[0] }}  {{ name.0 }}
//
// with any whitespace inside the braces. Statements ({% %}), comments
// ({# #}), whitespace control ({{- -}}), filters, operators, literals, tests
// and calls are reported as *UnsupportedError. Text that Jinja itself could
// not parse (an opening "{{" with no closing "}}") is a *SyntaxError; the
// parameter code then treats the value as plain text, as StackStorm does.
//
// Like Jinja with its default settings, the template's line endings are
// normalised to "\n" and one trailing newline is dropped.

// ErrUnsupported is wrapped by every *UnsupportedError.
var ErrUnsupported = errors.New("full Jinja support is not built yet")

// UnsupportedError reports a Jinja construct the small renderer does not handle.
type UnsupportedError struct {
	Construct string
}

func (e *UnsupportedError) Error() string {
	return fmt.Sprintf("unsupported template construct %q (%v)", e.Construct, ErrUnsupported)
}

func (e *UnsupportedError) Unwrap() error { return ErrUnsupported }

// SyntaxError reports text Jinja would refuse to parse.
type SyntaxError struct {
	Msg string
}

func (e *SyntaxError) Error() string { return "template syntax error: " + e.Msg }

// UndefinedError reports a lookup of something that does not exist, with
// the message Jinja's StrictUndefined gives.
type UndefinedError struct {
	Msg string
}

func (e *UndefinedError) Error() string { return e.Msg }

// IsTemplate reports whether s contains a Jinja start marker, StackStorm's
// cheap test (is_jinja_expression) for "this value needs rendering".
func IsTemplate(s string) bool {
	return strings.Contains(s, "{{") || strings.Contains(s, "{%")
}

// Template is a parsed template.
type Template struct {
	parts []part
}

type part struct {
	text string
	expr *expr // nil for literal text
}

type expr struct {
	root  string
	steps []step
}

type step struct {
	key   string
	index int
	isInt bool // [0] or .0
	attr  bool // .name (attribute lookup first) rather than ['name']
}

// Parse parses a template.
func Parse(src string) (*Template, error) {
	src = normaliseNewlines(src)
	t := &Template{}
	for len(src) > 0 {
		i := indexMarker(src)
		if i < 0 {
			t.parts = append(t.parts, part{text: src})
			break
		}
		if i > 0 {
			t.parts = append(t.parts, part{text: src[:i]})
		}
		src = src[i:]
		switch src[:2] {
		case "{#":
			if !strings.Contains(src[2:], "#}") {
				return nil, &SyntaxError{Msg: "missing end of comment tag"}
			}
			return nil, &UnsupportedError{Construct: "{#"}
		case "{%":
			end := strings.Index(src[2:], "%}")
			if end < 0 {
				return nil, &SyntaxError{Msg: "unexpected end of template, expected '%}'"}
			}
			fields := strings.Fields(strings.Trim(src[2:2+end], "-+"))
			construct := "{%"
			if len(fields) > 0 {
				construct += " " + fields[0]
			}
			return nil, &UnsupportedError{Construct: construct}
		default: // "{{"
			e, rest, err := parseExpr(src[2:])
			if err != nil {
				return nil, err
			}
			t.parts = append(t.parts, part{expr: e})
			src = rest
		}
	}
	return t, nil
}

func normaliseNewlines(s string) string {
	if strings.IndexByte(s, '\r') >= 0 {
		s = strings.ReplaceAll(s, "\r\n", "\n")
		s = strings.ReplaceAll(s, "\r", "\n")
	}
	return strings.TrimSuffix(s, "\n")
}

// indexMarker returns the index of the first "{{", "{%" or "{#".
func indexMarker(s string) int {
	for i := 0; i+1 < len(s); i++ {
		if s[i] == '{' && (s[i+1] == '{' || s[i+1] == '%' || s[i+1] == '#') {
			return i
		}
	}
	return -1
}

// jinjaKeywords are names Jinja's parser treats as literals or operators.
var jinjaKeywords = map[string]bool{
	"true": true, "false": true, "none": true, "True": true, "False": true, "None": true,
	"not": true, "and": true, "or": true, "in": true, "is": true, "if": true, "else": true,
}

// parseExpr parses what follows "{{" up to and including the closing "}}".
func parseExpr(s string) (*expr, string, error) {
	p := exprParser{s: s}
	unsupported := func() (*expr, string, error) {
		if !strings.Contains(p.s[p.pos:], "}}") {
			return nil, "", &SyntaxError{Msg: "unexpected end of template, expected '}}'"}
		}
		return nil, "", &UnsupportedError{Construct: p.snippet()}
	}
	if p.peek() == '-' || p.peek() == '+' {
		if !strings.Contains(s, "}}") {
			return nil, "", &SyntaxError{Msg: "unexpected end of template, expected '}}'"}
		}
		return nil, "", &UnsupportedError{Construct: "{{" + s[:1]}
	}
	p.space()
	if p.eof() {
		return nil, "", &SyntaxError{Msg: "unexpected end of template, expected '}}'"}
	}
	if p.closing() {
		return nil, "", &SyntaxError{Msg: "expected an expression, got 'end of print statement'"}
	}
	name := p.ident()
	if name == "" || jinjaKeywords[name] {
		p.pos -= len(name)
		return unsupported()
	}
	e := &expr{root: name}
	for {
		p.space()
		switch {
		case p.eof():
			return nil, "", &SyntaxError{Msg: "unexpected end of template, expected '}}'"}
		case p.closing():
			return e, p.s[p.pos+2:], nil
		case p.peek() == '.':
			p.pos++
			p.space()
			if n, ok := p.integer(false); ok {
				e.steps = append(e.steps, step{index: n, isInt: true, attr: true})
				continue
			}
			id := p.ident()
			if id == "" {
				return unsupported()
			}
			e.steps = append(e.steps, step{key: id, attr: true})
		case p.peek() == '[':
			start := p.pos
			p.pos++
			p.space()
			var st step
			if k, ok, err := p.str(); err != nil {
				return nil, "", err
			} else if ok {
				st.key = k
			} else if n, ok := p.integer(true); ok {
				st.index, st.isInt = n, true
			} else {
				return unsupported()
			}
			p.space()
			if p.peek() != ']' {
				p.pos = start
				return unsupported()
			}
			p.pos++
			e.steps = append(e.steps, st)
		default:
			return unsupported()
		}
	}
}

type exprParser struct {
	s   string
	pos int
}

func (p *exprParser) eof() bool { return p.pos >= len(p.s) }

func (p *exprParser) peek() byte {
	if p.eof() {
		return 0
	}
	return p.s[p.pos]
}

func (p *exprParser) closing() bool { return strings.HasPrefix(p.s[p.pos:], "}}") }

func (p *exprParser) space() {
	for !p.eof() && strings.IndexByte(" \t\n", p.s[p.pos]) >= 0 {
		p.pos++
	}
}

func (p *exprParser) ident() string {
	start := p.pos
	for !p.eof() {
		c := p.s[p.pos]
		if c == '_' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || p.pos > start && c >= '0' && c <= '9' {
			p.pos++
			continue
		}
		break
	}
	return p.s[start:p.pos]
}

func (p *exprParser) integer(signed bool) (int, bool) {
	start := p.pos
	if signed && p.peek() == '-' {
		p.pos++
	}
	digits := p.pos
	for !p.eof() && p.s[p.pos] >= '0' && p.s[p.pos] <= '9' {
		p.pos++
	}
	if p.pos == digits {
		p.pos = start
		return 0, false
	}
	n, err := strconv.Atoi(p.s[start:p.pos])
	if err != nil {
		p.pos = start
		return 0, false
	}
	return n, true
}

// str reads a quoted string literal with the simple escapes.
func (p *exprParser) str() (string, bool, error) {
	q := p.peek()
	if q != '\'' && q != '"' {
		return "", false, nil
	}
	var b strings.Builder
	for i := p.pos + 1; i < len(p.s); i++ {
		c := p.s[i]
		switch {
		case c == q:
			p.pos = i + 1
			return b.String(), true, nil
		case c == '\\' && i+1 < len(p.s):
			i++
			switch p.s[i] {
			case '\\', '\'', '"':
				b.WriteByte(p.s[i])
			case 'n':
				b.WriteByte('\n')
			case 't':
				b.WriteByte('\t')
			case 'r':
				b.WriteByte('\r')
			default:
				return "", false, &UnsupportedError{Construct: `\` + p.s[i:i+1]}
			}
		default:
			b.WriteByte(c)
		}
	}
	return "", false, &SyntaxError{Msg: "unterminated string literal"}
}

// snippet is the text from the current position to the closing braces, for
// error messages.
func (p *exprParser) snippet() string {
	rest := p.s[p.pos:]
	if end := strings.Index(rest, "}}"); end >= 0 {
		rest = rest[:end]
	}
	rest = strings.TrimSpace(rest)
	if len(rest) > 40 {
		rest = rest[:40] + "..."
	}
	return rest
}

// Refs returns the root variable names the template reads, in order of
// first use.
func (t *Template) Refs() []string {
	var out []string
	seen := map[string]bool{}
	for _, p := range t.parts {
		if p.expr != nil && !seen[p.expr.root] {
			seen[p.expr.root] = true
			out = append(out, p.expr.root)
		}
	}
	return out
}

// py prints values as Python would. Values reach this package decoded by
// encoding/json or YAML into any, where a JSON integer is a float64, so
// integral floats print as integers ("5", not "5.0").
var py = pyfmt.Printer{IntegralFloatsAsInts: true}

// Render renders the template to text; values print as Python's str().
func (t *Template) Render(vars map[string]any) (string, error) {
	if len(t.parts) == 1 && t.parts[0].expr == nil {
		return t.parts[0].text, nil
	}
	var b strings.Builder
	for _, p := range t.parts {
		if p.expr == nil {
			b.WriteString(p.text)
			continue
		}
		v, err := p.expr.eval(vars)
		if err != nil {
			return "", err
		}
		b.WriteString(py.Str(v))
	}
	return b.String(), nil
}

// Value renders the template keeping the type of the value when the
// template is exactly one {{ expression }}; otherwise it returns Render's text.
func (t *Template) Value(vars map[string]any) (any, error) {
	if len(t.parts) == 1 && t.parts[0].expr != nil {
		return t.parts[0].expr.eval(vars)
	}
	return t.Render(vars)
}

// unavailable is a context value whose use is an error (st2kv for now).
type unavailable struct{ msg string }

func (e *expr) eval(vars map[string]any) (any, error) {
	v, ok := vars[e.root]
	if !ok {
		return nil, &UndefinedError{Msg: fmt.Sprintf("'%s' is undefined", e.root)}
	}
	for _, st := range e.steps {
		if u, ok := v.(unavailable); ok {
			return nil, errors.New(u.msg)
		}
		var err error
		if v, err = lookup(v, st); err != nil {
			return nil, err
		}
	}
	if u, ok := v.(unavailable); ok {
		return nil, errors.New(u.msg)
	}
	return v, nil
}

// dictMethods are names Jinja resolves to Python dict methods on attribute
// access (d.items is the method, not the key "items").
var dictMethods = map[string]bool{
	"clear": true, "copy": true, "fromkeys": true, "get": true, "items": true, "keys": true,
	"pop": true, "popitem": true, "setdefault": true, "update": true, "values": true,
}

// lookup follows Jinja's rules: .name tries the attribute and then the item,
// ['name'] the item and then the attribute; misses are StrictUndefined errors.
func lookup(v any, st step) (any, error) {
	switch x := v.(type) {
	case map[string]any:
		if st.isInt {
			return nil, noElement(v, st.index)
		}
		if st.attr && dictMethods[st.key] {
			return nil, &UnsupportedError{Construct: "." + st.key + fmt.Sprintf(" (a dict method in Jinja; use ['%s'])", st.key)}
		}
		if r, ok := x[st.key]; ok {
			return r, nil
		}
		return nil, noAttribute(v, st.key)
	case []any:
		return index(v, len(x), func(i int) any { return x[i] }, st)
	case string:
		if st.isInt {
			rs := []rune(x)
			return index(v, len(rs), func(i int) any { return string(rs[i]) }, st)
		}
		return nil, noAttribute(v, st.key)
	case nil, bool, float64, int:
		if st.isInt {
			return nil, noElement(v, st.index)
		}
		return nil, noAttribute(v, st.key)
	}
	rv := reflect.ValueOf(v)
	switch rv.Kind() {
	case reflect.Slice, reflect.Array:
		return index(v, rv.Len(), func(i int) any { return rv.Index(i).Interface() }, st)
	case reflect.Map:
		if rv.Type().Key().Kind() == reflect.String && !st.isInt {
			if r := rv.MapIndex(reflect.ValueOf(st.key).Convert(rv.Type().Key())); r.IsValid() {
				return r.Interface(), nil
			}
		}
	}
	if st.isInt {
		return nil, noElement(v, st.index)
	}
	return nil, noAttribute(v, st.key)
}

func index(v any, n int, get func(int) any, st step) (any, error) {
	if !st.isInt {
		return nil, noAttribute(v, st.key)
	}
	i := st.index
	if i < 0 {
		i += n
	}
	if i < 0 || i >= n {
		return nil, noElement(v, st.index)
	}
	return get(i), nil
}

// objectTypeRepr is Jinja's object_type_repr.
func objectTypeRepr(v any) string {
	if v == nil {
		return "None"
	}
	return pyfmt.TypeName(v) + " object"
}

func noAttribute(v any, name string) error {
	return &UndefinedError{Msg: fmt.Sprintf("'%s' has no attribute '%s'", objectTypeRepr(v), name)}
}

func noElement(v any, i int) error {
	return &UndefinedError{Msg: fmt.Sprintf("%s has no element %d", objectTypeRepr(v), i)}
}
