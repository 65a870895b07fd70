package param

import (
	"errors"
	"fmt"
	"math"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/st2go/st2go/internal/pyfmt"
)

// parsePyLiteral evaluates a Python literal the way ast.literal_eval does
// for the values parameters can hold: strings, numbers, True/False/None,
// lists, tuples (as lists) and dicts with string keys. StackStorm's casts
// fall back to it when a value is not JSON, which is how a rendered
// "{'a': 1}" becomes an object again.
func parsePyLiteral(s string) (any, error) {
	p := &pyLitParser{s: strings.TrimLeft(s, " \t")}
	v, err := p.value()
	if err != nil {
		return nil, err
	}
	p.space()
	if !p.eof() {
		return nil, p.errorf("unexpected %q", p.rest())
	}
	return v, nil
}

type pyLitParser struct {
	s     string
	pos   int
	depth int
}

var errMalformed = errors.New("malformed Python literal")

func (p *pyLitParser) errorf(format string, args ...any) error {
	return fmt.Errorf("%w: %s", errMalformed, fmt.Sprintf(format, args...))
}

func (p *pyLitParser) eof() bool { return p.pos >= len(p.s) }

func (p *pyLitParser) rest() string {
	r := p.s[p.pos:]
	if len(r) > 20 {
		r = r[:20] + "..."
	}
	return r
}

// space skips whitespace; inside brackets newlines are whitespace too.
func (p *pyLitParser) space() {
	for !p.eof() {
		c := p.s[p.pos]
		if c == ' ' || c == '\t' || (p.depth > 0 && (c == '\n' || c == '\r')) {
			p.pos++
			continue
		}
		if c == '\\' && strings.HasPrefix(p.s[p.pos+1:], "\n") {
			p.pos += 2
			continue
		}
		break
	}
}

func (p *pyLitParser) value() (any, error) {
	p.space()
	if p.eof() {
		return nil, p.errorf("unexpected end of input")
	}
	if p.depth > 100 {
		return nil, p.errorf("nested too deeply")
	}
	c := p.s[p.pos]
	switch {
	case c == '[':
		return p.sequence('[', ']')
	case c == '(':
		return p.sequence('(', ')')
	case c == '{':
		return p.dict()
	case c == '\'' || c == '"':
		return p.strings()
	case c == '-' || c == '+' || c == '.' || (c >= '0' && c <= '9'):
		return p.number()
	}
	id := p.ident()
	switch id {
	case "True":
		return true, nil
	case "False":
		return false, nil
	case "None":
		return nil, nil
	case "r", "R", "u", "U":
		if !p.eof() && (p.s[p.pos] == '\'' || p.s[p.pos] == '"') {
			return p.strings2(id == "r" || id == "R")
		}
	case "b", "B", "br", "rb", "Br", "bR", "RB", "BR", "Rb", "rB":
		return nil, p.errorf("bytes literals are not supported")
	}
	if id == "" {
		return nil, p.errorf("unexpected %q", p.rest())
	}
	return nil, p.errorf("name %q is not a literal", id)
}

func (p *pyLitParser) ident() string {
	start := p.pos
	for !p.eof() {
		c := p.s[p.pos]
		if c == '_' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || (p.pos > start && c >= '0' && c <= '9') {
			p.pos++
			continue
		}
		break
	}
	return p.s[start:p.pos]
}

// sequence parses a list or a tuple; a parenthesised single value without a
// comma is just that value.
func (p *pyLitParser) sequence(open, close byte) (any, error) {
	p.pos++
	p.depth++
	defer func() { p.depth-- }()
	out := []any{}
	sawComma := false
	for {
		p.space()
		if p.eof() {
			return nil, p.errorf("missing %q", string(close))
		}
		if p.s[p.pos] == close {
			p.pos++
			break
		}
		v, err := p.value()
		if err != nil {
			return nil, err
		}
		out = append(out, v)
		p.space()
		if !p.eof() && p.s[p.pos] == ',' {
			p.pos++
			sawComma = true
			continue
		}
		p.space()
		if p.eof() || p.s[p.pos] != close {
			return nil, p.errorf("expected %q or ','", string(close))
		}
	}
	if open == '(' && len(out) == 1 && !sawComma {
		return out[0], nil
	}
	return out, nil
}

func (p *pyLitParser) dict() (any, error) {
	p.pos++
	p.depth++
	defer func() { p.depth-- }()
	out := map[string]any{}
	for {
		p.space()
		if p.eof() {
			return nil, p.errorf("missing '}'")
		}
		if p.s[p.pos] == '}' {
			p.pos++
			return out, nil
		}
		k, err := p.value()
		if err != nil {
			return nil, err
		}
		p.space()
		if p.eof() || p.s[p.pos] != ':' {
			return nil, p.errorf("sets are not supported")
		}
		p.pos++
		ks, ok := k.(string)
		if !ok {
			return nil, p.errorf("dict key %s is not a string", py.Repr(k))
		}
		v, err := p.value()
		if err != nil {
			return nil, err
		}
		out[ks] = v
		p.space()
		if !p.eof() && p.s[p.pos] == ',' {
			p.pos++
			continue
		}
		p.space()
		if p.eof() || p.s[p.pos] != '}' {
			return nil, p.errorf("expected '}' or ','")
		}
	}
}

// strings parses one or more adjacent string literals ("a" 'b' is "ab").
func (p *pyLitParser) strings() (any, error) { return p.strings2(false) }

func (p *pyLitParser) strings2(raw bool) (any, error) {
	var b strings.Builder
	for {
		s, err := p.str(raw)
		if err != nil {
			return nil, err
		}
		b.WriteString(s)
		save := p.pos
		p.space()
		if p.eof() {
			break
		}
		raw = false
		if c := p.s[p.pos]; c == '\'' || c == '"' {
			continue
		}
		if id := p.ident(); (id == "r" || id == "R" || id == "u" || id == "U") && !p.eof() && (p.s[p.pos] == '\'' || p.s[p.pos] == '"') {
			raw = id == "r" || id == "R"
			continue
		}
		p.pos = save
		break
	}
	return b.String(), nil
}

func (p *pyLitParser) str(raw bool) (string, error) {
	q := p.s[p.pos : p.pos+1]
	if strings.HasPrefix(p.s[p.pos:], q+q+q) {
		q = q + q + q
	}
	p.pos += len(q)
	var b strings.Builder
	for {
		if p.eof() {
			return "", p.errorf("unterminated string literal")
		}
		if strings.HasPrefix(p.s[p.pos:], q) {
			p.pos += len(q)
			return b.String(), nil
		}
		c := p.s[p.pos]
		if c == '\n' && len(q) == 1 {
			return "", p.errorf("unterminated string literal")
		}
		if c != '\\' {
			r, size := utf8.DecodeRuneInString(p.s[p.pos:])
			b.WriteRune(r)
			p.pos += size
			continue
		}
		if p.pos+1 >= len(p.s) {
			return "", p.errorf("unterminated string literal")
		}
		e := p.s[p.pos+1]
		if raw {
			b.WriteByte('\\')
			b.WriteByte(e)
			p.pos += 2
			continue
		}
		p.pos += 2
		switch e {
		case '\n':
		case 'x', 'u', 'U':
			n := map[byte]int{'x': 2, 'u': 4, 'U': 8}[e]
			if p.pos+n > len(p.s) {
				return "", p.errorf("truncated \\%c escape", e)
			}
			code, err := strconv.ParseUint(p.s[p.pos:p.pos+n], 16, 32)
			if err != nil || code > utf8.MaxRune {
				return "", p.errorf("bad \\%c escape", e)
			}
			b.WriteRune(rune(code))
			p.pos += n
		case '0', '1', '2', '3', '4', '5', '6', '7':
			end := p.pos - 1
			for end < len(p.s) && end < p.pos+2 && p.s[end] >= '0' && p.s[end] <= '7' {
				end++
			}
			code, _ := strconv.ParseUint(p.s[p.pos-1:end], 8, 32)
			b.WriteRune(rune(code))
			p.pos = end
		default:
			if c, ok := pyfmt.SimpleEscape(e); ok {
				b.WriteByte(c)
			} else {
				b.WriteByte('\\')
				b.WriteByte(e)
			}
		}
	}
}

// number parses an int or float literal with optional unary signs.
func (p *pyLitParser) number() (any, error) {
	neg := false
	for !p.eof() && (p.s[p.pos] == '-' || p.s[p.pos] == '+') {
		if p.s[p.pos] == '-' {
			neg = !neg
		}
		p.pos++
		p.space()
	}
	start := p.pos
	for !p.eof() {
		c := p.s[p.pos]
		if c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c == '_' || c == '.' ||
			((c == '+' || c == '-') && p.pos > start && (p.s[p.pos-1] == 'e' || p.s[p.pos-1] == 'E')) {
			p.pos++
			continue
		}
		break
	}
	lit := p.s[start:p.pos]
	if lit == "" {
		return nil, p.errorf("unexpected %q", p.rest())
	}
	if strings.HasSuffix(lit, "j") || strings.HasSuffix(lit, "J") {
		return nil, p.errorf("complex numbers are not supported")
	}
	if n, err := pyIntLiteral(lit); err == nil {
		if neg {
			n = -n
		}
		return n, nil
	} else if errors.Is(err, strconv.ErrRange) {
		return nil, p.errorf("integer %s is too large", lit)
	}
	f, err := pyFloatText(lit)
	if err != nil || math.IsInf(f, 0) || math.IsNaN(f) {
		return nil, p.errorf("bad number %q", lit)
	}
	if neg {
		f = -f
	}
	return f, nil
}

// pyIntLiteral parses a Python integer literal (decimal, 0x, 0o, 0b, with
// underscores between digits).
func pyIntLiteral(s string) (int, error) {
	if !validUnderscores(s) {
		return 0, strconv.ErrSyntax
	}
	clean := strings.ReplaceAll(s, "_", "")
	base := 10
	if len(clean) > 2 && clean[0] == '0' {
		switch clean[1] {
		case 'x', 'X':
			base, clean = 16, clean[2:]
		case 'o', 'O':
			base, clean = 8, clean[2:]
		case 'b', 'B':
			base, clean = 2, clean[2:]
		}
	}
	if base == 10 && len(clean) > 1 && clean[0] == '0' && strings.Trim(clean, "0") != "" {
		return 0, strconv.ErrSyntax // Python rejects 012 in source
	}
	n, err := strconv.ParseInt(clean, base, 64)
	if err != nil {
		var ne *strconv.NumError
		if errors.As(err, &ne) {
			return 0, ne.Err
		}
		return 0, err
	}
	return int(n), nil
}

// validUnderscores checks that underscores only sit between digits.
func validUnderscores(s string) bool {
	if !strings.Contains(s, "_") {
		return true
	}
	if strings.HasPrefix(s, "_") || strings.HasSuffix(s, "_") || strings.Contains(s, "__") {
		return false
	}
	for i := 1; i < len(s)-1; i++ {
		if s[i] == '_' && (!isAlnum(s[i-1]) || !isAlnum(s[i+1])) {
			return false
		}
	}
	return true
}

func isAlnum(c byte) bool {
	return c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F'
}

// pyFloatText parses a Python float literal or float() argument: decimal
// digits with an optional fraction and exponent, underscores between digits,
// or inf/infinity/nan. Go's hexadecimal floats are rejected like Python does.
func pyFloatText(s string) (float64, error) {
	body := strings.TrimLeft(s, "+-")
	switch strings.ToLower(body) {
	case "inf", "infinity", "nan":
		return strconv.ParseFloat(s, 64)
	}
	if body == "" || !validUnderscores(body) {
		return 0, strconv.ErrSyntax
	}
	for i := 0; i < len(body); i++ {
		c := body[i]
		if !(c >= '0' && c <= '9' || c == '.' || c == 'e' || c == 'E' || c == '_' || c == '+' || c == '-') {
			return 0, strconv.ErrSyntax
		}
	}
	return strconv.ParseFloat(strings.ReplaceAll(s, "_", ""), 64)
}
