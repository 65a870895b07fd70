package expr

import (
	"math"
	"math/big"
	"strconv"
	"strings"
	"unicode/utf8"
)

// PercentFormat is Python's printf-style "format % args": args is a
// Tuple of positional values, a Dict for %(name)s keys, or any other
// single value. It supports the conversions s r a d i u f F e E g G x X
// o c and %, the flags - + space # 0, width, precision and *.
func PercentFormat(format string, args any) (string, error) {
	var positional []any
	var mapping *Dict
	switch a := args.(type) {
	case Tuple:
		positional = a
	case *Dict:
		mapping = a
		positional = []any{a}
	default:
		positional = []any{a}
	}
	next := 0
	usedMapping := false
	nextArg := func() (any, error) {
		if next >= len(positional) {
			return nil, TypeErrorf("not enough arguments for format string")
		}
		v := positional[next]
		next++
		return v, nil
	}
	var b strings.Builder
	for i := 0; i < len(format); {
		c := format[i]
		if c != '%' {
			j := strings.IndexByte(format[i:], '%')
			if j < 0 {
				b.WriteString(format[i:])
				break
			}
			b.WriteString(format[i : i+j])
			i += j
			continue
		}
		i++
		if i >= len(format) {
			return "", ValueErrorf("incomplete format")
		}
		var arg any
		haveArg := false
		if format[i] == '(' {
			if mapping == nil {
				return "", TypeErrorf("format requires a mapping")
			}
			depth, j := 1, i+1
			for ; j < len(format) && depth > 0; j++ {
				switch format[j] {
				case '(':
					depth++
				case ')':
					depth--
				}
			}
			if depth > 0 {
				return "", ValueErrorf("incomplete format key")
			}
			key := format[i+1 : j-1]
			v, ok := mapping.Get(key)
			if !ok {
				return "", &PyError{Type: "KeyError", Msg: Repr(key)}
			}
			arg, haveArg, usedMapping = v, true, true
			i = j
		}
		var f fmtSpec
	flags:
		for i < len(format) {
			switch format[i] {
			case '-':
				f.minus = true
			case '+':
				f.plus = true
			case ' ':
				f.space = true
			case '#':
				f.alt = true
			case '0':
				f.zero = true
			default:
				break flags
			}
			i++
		}
		if i < len(format) && format[i] == '*' {
			v, err := nextArg()
			if err != nil {
				return "", err
			}
			n, ok := v.(int64)
			if !ok {
				return "", TypeErrorf("* wants int")
			}
			if n < 0 {
				f.minus, n = true, -n
			}
			f.width = int(min(n, 1<<20))
			i++
		} else {
			for i < len(format) && format[i] >= '0' && format[i] <= '9' {
				f.width = min(f.width*10+int(format[i]-'0'), 1<<20)
				i++
			}
		}
		f.prec = -1
		if i < len(format) && format[i] == '.' {
			i++
			f.prec = 0
			if i < len(format) && format[i] == '*' {
				v, err := nextArg()
				if err != nil {
					return "", err
				}
				n, ok := v.(int64)
				if !ok {
					return "", TypeErrorf("* wants int")
				}
				f.prec = int(max(0, min(n, 1<<20)))
				i++
			} else {
				for i < len(format) && format[i] >= '0' && format[i] <= '9' {
					f.prec = min(f.prec*10+int(format[i]-'0'), 1<<20)
					i++
				}
			}
		}
		for i < len(format) && (format[i] == 'h' || format[i] == 'l' || format[i] == 'L') {
			i++
		}
		if i >= len(format) {
			return "", ValueErrorf("incomplete format")
		}
		conv := format[i]
		i++
		if conv == '%' {
			b.WriteByte('%')
			continue
		}
		if !haveArg {
			v, err := nextArg()
			if err != nil {
				return "", err
			}
			arg = v
		}
		s, err := f.convert(conv, arg, i-1)
		if err != nil {
			return "", err
		}
		b.WriteString(s)
	}
	if next < len(positional) && !usedMapping && mapping == nil {
		return "", TypeErrorf("not all arguments converted during string formatting")
	}
	return b.String(), nil
}

type fmtSpec struct {
	minus, plus, space, alt, zero bool
	width, prec                   int
}

func (f fmtSpec) convert(conv byte, arg any, at int) (string, error) {
	switch conv {
	case 's', 'r', 'a':
		var s string
		switch conv {
		case 's':
			s = Str(arg)
		case 'r':
			s = Repr(arg)
		default:
			s = asciiRepr(Repr(arg))
		}
		if f.prec >= 0 && utf8.RuneCountInString(s) > f.prec {
			s = string([]rune(s)[:f.prec])
		}
		return f.pad(s, false), nil
	case 'd', 'i', 'u':
		n, err := f.intArg(conv, arg, true)
		if err != nil {
			return "", err
		}
		return f.number(n.String(), n.Sign() < 0, ""), nil
	case 'x', 'X', 'o':
		n, err := f.intArg(conv, arg, false)
		if err != nil {
			return "", err
		}
		base, prefix := 16, "0x"
		if conv == 'o' {
			base, prefix = 8, "0o"
		}
		digits := new(big.Int).Abs(n).Text(base)
		if conv == 'X' {
			digits, prefix = strings.ToUpper(digits), "0X"
		}
		if !f.alt {
			prefix = ""
		}
		return f.number(digits, n.Sign() < 0, prefix), nil
	case 'e', 'E', 'f', 'F', 'g', 'G':
		x, err := f.floatArg(conv, arg)
		if err != nil {
			return "", err
		}
		return f.float(conv, x), nil
	case 'c':
		switch a := arg.(type) {
		case string:
			if utf8.RuneCountInString(a) != 1 {
				return "", TypeErrorf("%%c requires int or char")
			}
			return f.pad(a, false), nil
		case int64:
			if a < 0 || a > 0x10ffff {
				return "", Errorf("OverflowError", "%%c arg not in range(0x110000)")
			}
			return f.pad(string(rune(a)), false), nil
		}
		return "", TypeErrorf("%%c requires int or char")
	}
	return "", ValueErrorf("unsupported format character '%c' (0x%x) at index %d", conv, conv, at)
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

func (f fmtSpec) intArg(conv byte, arg any, allowFloat bool) (*big.Int, error) {
	switch a := arg.(type) {
	case int64, bool, int:
		return big.NewInt(asInt64(a)), nil
	case *big.Int:
		return a, nil
	case float64:
		if allowFloat {
			n, err := ToInt(a)
			if err != nil {
				return nil, err
			}
			return asBig(n), nil
		}
		return nil, TypeErrorf("%%%c format: an integer is required, not float", conv)
	}
	if allowFloat {
		return nil, TypeErrorf("%%%c format: a real number is required, not %s", conv, TypeName(arg))
	}
	return nil, TypeErrorf("%%%c format: an integer is required, not %s", conv, TypeName(arg))
}

func (f fmtSpec) floatArg(conv byte, arg any) (float64, error) {
	if numKind(arg) != 0 {
		return asFloat(arg), nil
	}
	return 0, TypeErrorf("must be real number, not %s", TypeName(arg))
}

// number lays out digits with sign, prefix and padding.
func (f fmtSpec) number(digits string, neg bool, prefix string) string {
	if f.prec > len(digits) {
		digits = strings.Repeat("0", f.prec-len(digits)) + digits
	}
	sign := ""
	switch {
	case neg:
		sign = "-"
	case f.plus:
		sign = "+"
	case f.space:
		sign = " "
	}
	body := sign + prefix + digits
	if f.zero && !f.minus && len(body) < f.width {
		return sign + prefix + strings.Repeat("0", f.width-len(body)) + digits
	}
	return f.pad(body, true)
}

func (f fmtSpec) float(conv byte, x float64) string {
	prec := f.prec
	if prec < 0 {
		prec = 6
	}
	neg := math.Signbit(x) && !math.IsNaN(x)
	ax := math.Abs(x)
	var digits string
	switch {
	case math.IsInf(x, 0):
		digits = "inf"
	case math.IsNaN(x):
		digits = "nan"
	default:
		switch conv {
		case 'f', 'F':
			digits = strconv.FormatFloat(ax, 'f', prec, 64)
		case 'e', 'E':
			digits = strconv.FormatFloat(ax, 'e', prec, 64)
		case 'g', 'G':
			if prec == 0 {
				prec = 1
			}
			if f.alt {
				digits = altG(ax, prec)
			} else {
				digits = strconv.FormatFloat(ax, 'g', prec, 64)
			}
		}
		if f.alt && prec == 0 && (conv == 'f' || conv == 'F' || conv == 'e' || conv == 'E') {
			if conv == 'f' || conv == 'F' {
				digits += "."
			} else {
				m, e, _ := strings.Cut(digits, "e")
				digits = m + ".e" + e
			}
		}
	}
	if conv == 'E' || conv == 'G' || conv == 'F' {
		digits = strings.ToUpper(digits)
	}
	if math.IsInf(x, 0) || math.IsNaN(x) {
		f.zero = false
	}
	return f.number(digits, neg, "")
}

func (f fmtSpec) pad(s string, numeric bool) string {
	n := utf8.RuneCountInString(s)
	if n >= f.width {
		return s
	}
	fill := strings.Repeat(" ", f.width-n)
	if f.minus {
		return s + fill
	}
	return fill + s
}

// altG is C's %#g: prec significant digits, trailing zeros kept.
func altG(x float64, prec int) string {
	e := strconv.FormatFloat(x, 'e', prec-1, 64)
	exp, _ := strconv.Atoi(e[strings.IndexByte(e, 'e')+1:])
	if exp < -4 || exp >= prec {
		if !strings.Contains(e[:strings.IndexByte(e, 'e')], ".") {
			i := strings.IndexByte(e, 'e')
			e = e[:i] + "." + e[i:]
		}
		return e
	}
	s := strconv.FormatFloat(x, 'f', prec-1-exp, 64)
	if !strings.Contains(s, ".") {
		s += "."
	}
	return s
}
