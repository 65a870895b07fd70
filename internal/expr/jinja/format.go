package jinja

import (
	"math"
	"math/big"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/st2go/st2go/internal/expr"
	"github.com/st2go/st2go/internal/pyfmt"
)

// pyFormat is Python's str.format: {} {0} {name} fields with .attr and
// [key] lookups (through the sandbox), !s !r !a conversions and format
// specs.
func (st *state) pyFormat(f string, args []any, kw []expr.NamedArg) (any, error) {
	var b strings.Builder
	auto := 0
	manual := false
	for i := 0; i < len(f); {
		c := f[i]
		if c == '}' {
			if i+1 < len(f) && f[i+1] == '}' {
				b.WriteByte('}')
				i += 2
				continue
			}
			return nil, expr.ValueErrorf("Single '}' encountered in format string")
		}
		if c != '{' {
			b.WriteByte(c)
			i++
			continue
		}
		if i+1 < len(f) && f[i+1] == '{' {
			b.WriteByte('{')
			i += 2
			continue
		}
		// Find the matching '}' (nested {} allowed in the spec).
		depth, j := 1, i+1
		for ; j < len(f) && depth > 0; j++ {
			switch f[j] {
			case '{':
				depth++
			case '}':
				depth--
			}
		}
		if depth > 0 {
			return nil, expr.ValueErrorf("expected '}' before end of string")
		}
		field := f[i+1 : j-1]
		i = j
		name, conv, spec := field, "", ""
		if k := strings.IndexByte(name, ':'); k >= 0 {
			name, spec = name[:k], name[k+1:]
		}
		if k := strings.IndexByte(name, '!'); k >= 0 {
			name, conv = name[:k], name[k+1:]
		}
		// Nested fields in the spec.
		if strings.Contains(spec, "{") {
			r, err := st.pyFormat(spec, args, kw)
			if err != nil {
				return nil, err
			}
			spec = r.(string)
		}
		first := name
		rest := ""
		if k := strings.IndexAny(name, ".["); k >= 0 {
			first, rest = name[:k], name[k:]
		}
		var v any
		switch {
		case first == "":
			if manual {
				return nil, expr.ValueErrorf("cannot switch from manual field specification to automatic field numbering")
			}
			if auto >= len(args) {
				return nil, &expr.PyError{Type: "IndexError", Msg: "Replacement index " + strconv.Itoa(auto) + " out of range for positional args tuple"}
			}
			v = args[auto]
			auto++
		case first[0] >= '0' && first[0] <= '9':
			if auto > 0 {
				return nil, expr.ValueErrorf("cannot switch from automatic field numbering to manual field specification")
			}
			manual = true
			n, err := strconv.Atoi(first)
			if err != nil || n >= len(args) {
				return nil, &expr.PyError{Type: "IndexError", Msg: "Replacement index " + first + " out of range for positional args tuple"}
			}
			v = args[n]
		default:
			found := false
			for _, k := range kw {
				if k.Name == first {
					v, found = k.Value, true
				}
			}
			if !found {
				return nil, &expr.PyError{Type: "KeyError", Msg: expr.Repr(first)}
			}
		}
		for rest != "" {
			var err error
			if rest[0] == '.' {
				k := strings.IndexAny(rest[1:], ".[")
				attr := rest[1:]
				if k >= 0 {
					attr, rest = rest[1:k+1], rest[k+1:]
				} else {
					rest = ""
				}
				if strings.HasPrefix(attr, "_") {
					return nil, &expr.PyError{Type: "SecurityError", Msg: "access to attribute '" + attr + "' of '" + expr.TypeName(v) + "' object is unsafe."}
				}
				if v, err = st.getattr(v, attr); err != nil {
					return nil, err
				}
			} else {
				k := strings.IndexByte(rest, ']')
				if k < 0 {
					return nil, expr.ValueErrorf("Missing ']' in format string")
				}
				key := rest[1:k]
				rest = rest[k+1:]
				var kv any = key
				if n, err := strconv.ParseInt(key, 10, 64); err == nil {
					kv = n
				}
				if v, err = st.getitem(v, kv); err != nil {
					return nil, err
				}
			}
			if u, ok := v.(*Undefined); ok {
				return nil, u.err()
			}
		}
		if err := st.check(v); err != nil {
			return nil, err
		}
		switch conv {
		case "":
		case "s":
			v = expr.Str(v)
		case "r":
			v = expr.Repr(v)
		case "a":
			v = asciiRepr(expr.Repr(v))
		default:
			return nil, expr.ValueErrorf("Unknown conversion specifier %s", conv)
		}
		s, err := formatValue(v, spec)
		if err != nil {
			return nil, err
		}
		b.WriteString(s)
		if err := st.b.CheckSize(int64(b.Len())); err != nil {
			return nil, err
		}
	}
	return b.String(), nil
}

func asciiRepr(s string) string {
	var b strings.Builder
	for _, r := range s {
		switch {
		case r < 0x80:
			b.WriteRune(r)
		case r <= 0xff:
			b.WriteString(`\x` + strconv.FormatInt(int64(r)|0x100, 16)[1:])
		case r <= 0xffff:
			b.WriteString(`\u` + strconv.FormatInt(int64(r)|0x10000, 16)[1:])
		default:
			b.WriteString(`\U` + strconv.FormatInt(int64(r)|0x100000000, 16)[1:])
		}
	}
	return b.String()
}

// fmtSpec is a parsed Python format spec.
type fmtSpec struct {
	fill      string
	align     byte
	sign      byte
	alt, zero bool
	width     int
	group     byte
	prec      int // -1: none
	typ       byte
}

func parseSpec(spec string) (fmtSpec, error) {
	f := fmtSpec{prec: -1, fill: " "}
	rs := []rune(spec)
	i := 0
	isAlign := func(r rune) bool { return r == '<' || r == '>' || r == '^' || r == '=' }
	if len(rs) >= 2 && isAlign(rs[1]) {
		f.fill, f.align = string(rs[0]), byte(rs[1])
		i = 2
	} else if len(rs) >= 1 && isAlign(rs[0]) {
		f.align = byte(rs[0])
		i = 1
	}
	if i < len(rs) && (rs[i] == '+' || rs[i] == '-' || rs[i] == ' ') {
		f.sign = byte(rs[i])
		i++
	}
	if i < len(rs) && rs[i] == 'z' {
		i++
	}
	if i < len(rs) && rs[i] == '#' {
		f.alt = true
		i++
	}
	if i < len(rs) && rs[i] == '0' {
		f.zero = true
		i++
	}
	for i < len(rs) && rs[i] >= '0' && rs[i] <= '9' {
		f.width = min(f.width*10+int(rs[i]-'0'), 1<<20)
		i++
	}
	if i < len(rs) && (rs[i] == ',' || rs[i] == '_') {
		f.group = byte(rs[i])
		i++
	}
	if i < len(rs) && rs[i] == '.' {
		i++
		start := i
		f.prec = 0
		for i < len(rs) && rs[i] >= '0' && rs[i] <= '9' {
			f.prec = min(f.prec*10+int(rs[i]-'0'), 1<<20)
			i++
		}
		if i == start {
			return f, expr.ValueErrorf("Format specifier missing precision")
		}
	}
	if i < len(rs) {
		f.typ = byte(rs[i])
		i++
	}
	if i < len(rs) {
		return f, expr.ValueErrorf("Invalid format specifier '%s'", spec)
	}
	return f, nil
}

// formatValue is Python's format(v, spec).
func formatValue(v any, spec string) (string, error) {
	if spec == "" {
		return expr.Str(v), nil
	}
	f, err := parseSpec(spec)
	if err != nil {
		return "", err
	}
	switch x := v.(type) {
	case string:
		if f.typ != 0 && f.typ != 's' {
			return "", expr.ValueErrorf("Unknown format code '%c' for object of type 'str'", f.typ)
		}
		if f.sign != 0 {
			return "", expr.ValueErrorf("Sign not allowed in string format specifier")
		}
		if f.align == '=' {
			return "", expr.ValueErrorf("'=' alignment not allowed in string format specifier")
		}
		if f.prec >= 0 && utf8.RuneCountInString(x) > f.prec {
			x = string([]rune(x)[:f.prec])
		}
		if f.align == 0 {
			f.align = '<'
		}
		return f.pad("", x), nil
	case bool, int64, *big.Int:
		n, _ := expr.ToInt(x)
		switch f.typ {
		case 'e', 'E', 'f', 'F', 'g', 'G', '%':
			fl, _ := expr.ToFloat(n)
			return f.float(fl)
		}
		return f.integer(n)
	case float64:
		return f.float(x)
	}
	return "", expr.TypeErrorf("unsupported format string passed to %s.__format__", expr.TypeName(v))
}

func (f fmtSpec) pad(sign, body string) string {
	n := utf8.RuneCountInString(sign + body)
	if n >= f.width {
		return sign + body
	}
	fill := strings.Repeat(f.fill, f.width-n)
	switch f.align {
	case '<':
		return sign + body + fill
	case '^':
		left := (f.width - n) / 2
		return strings.Repeat(f.fill, left) + sign + body + strings.Repeat(f.fill, f.width-n-left)
	case '=':
		return sign + fill + body
	}
	return fill + sign + body
}

func (f fmtSpec) signOf(neg bool) string {
	switch {
	case neg:
		return "-"
	case f.sign == '+':
		return "+"
	case f.sign == ' ':
		return " "
	}
	return ""
}

func group(digits string, sep byte, every int) string {
	if sep == 0 || len(digits) <= every {
		return digits
	}
	var parts []string
	for len(digits) > every {
		parts = append([]string{digits[len(digits)-every:]}, parts...)
		digits = digits[:len(digits)-every]
	}
	parts = append([]string{digits}, parts...)
	return strings.Join(parts, string(sep))
}

func (f fmtSpec) finish(sign, body string) string {
	if f.zero && f.align == 0 {
		f.fill, f.align = "0", '='
	}
	if f.align == 0 {
		f.align = '>'
	}
	return f.pad(sign, body)
}

func (f fmtSpec) integer(n any) (string, error) {
	b := new(big.Int)
	switch x := n.(type) {
	case int64:
		b.SetInt64(x)
	case *big.Int:
		b.Set(x)
	}
	neg := b.Sign() < 0
	b.Abs(b)
	var digits, prefix string
	switch f.typ {
	case 0, 'd', 'n':
		digits = group(b.String(), f.group, 3)
	case 'b':
		digits, prefix = group(b.Text(2), f.group, 4), "0b"
	case 'o':
		digits, prefix = group(b.Text(8), f.group, 4), "0o"
	case 'x':
		digits, prefix = group(b.Text(16), f.group, 4), "0x"
	case 'X':
		digits, prefix = strings.ToUpper(group(b.Text(16), f.group, 4)), "0X"
	case 'c':
		return f.finish("", string(rune(b.Int64()))), nil
	default:
		return "", expr.ValueErrorf("Unknown format code '%c' for object of type 'int'", f.typ)
	}
	if f.prec >= 0 {
		return "", expr.ValueErrorf("Precision not allowed in integer format specifier")
	}
	if !f.alt {
		prefix = ""
	}
	return f.finish(f.signOf(neg)+prefix, digits), nil
}

func (f fmtSpec) float(x float64) (string, error) {
	neg := math.Signbit(x) && !math.IsNaN(x)
	ax := math.Abs(x)
	prec := f.prec
	var body string
	special := math.IsInf(x, 0) || math.IsNaN(x)
	switch f.typ {
	case 'f', 'F', '%':
		if prec < 0 {
			prec = 6
		}
		if f.typ == '%' {
			ax *= 100
		}
		body = strconv.FormatFloat(ax, 'f', prec, 64)
		if f.alt && prec == 0 {
			body += "."
		}
		if f.typ == '%' {
			body += "%"
		}
	case 'e', 'E':
		if prec < 0 {
			prec = 6
		}
		body = strconv.FormatFloat(ax, 'e', prec, 64)
	case 'g', 'G', 'n':
		if prec < 0 {
			prec = 6
		}
		if prec == 0 {
			prec = 1
		}
		body = strconv.FormatFloat(ax, 'g', prec, 64)
	case 0:
		if prec < 0 {
			body = pyfmt.Float(ax)
		} else {
			if prec == 0 {
				prec = 1
			}
			body = strconv.FormatFloat(ax, 'g', prec, 64)
			if !strings.ContainsAny(body, ".e") {
				body += ".0"
			}
		}
	default:
		return "", expr.ValueErrorf("Unknown format code '%c' for object of type 'float'", f.typ)
	}
	switch {
	case math.IsNaN(x):
		body = "nan"
	case math.IsInf(x, 0):
		body = "inf"
	}
	if f.typ == 'E' || f.typ == 'G' || f.typ == 'F' {
		body = strings.ToUpper(body)
	}
	if f.group != 0 && !special {
		intPart, frac := body, ""
		if k := strings.IndexAny(body, ".e%"); k >= 0 {
			intPart, frac = body[:k], body[k:]
		}
		body = group(intPart, f.group, 3) + frac
	}
	if special {
		f.zero = false
	}
	return f.finish(f.signOf(neg), body), nil
}
