package cli

import (
	"encoding/json"
	"errors"
	"strconv"
	"strings"

	"github.com/st2go/st2go/internal/client"
	"github.com/st2go/st2go/internal/pyfmt"
)

// parsePyLiteral parses the subset of Python literals (ast.literal_eval)
// StackStorm's CLI meets in result strings: dicts, lists, tuples, strings
// in either quote, numbers, True, False and None.
func parsePyLiteral(s string) (any, error) {
	p := &pyLitParser{s: s}
	v, err := p.value()
	if err != nil {
		return nil, err
	}
	p.skipSpace()
	if p.i != len(p.s) {
		return nil, errors.New("trailing characters")
	}
	return v, nil
}

type pyLitParser struct {
	s string
	i int
}

var errBadLiteral = errors.New("malformed literal")

func (p *pyLitParser) skipSpace() {
	for p.i < len(p.s) && strings.IndexByte(" \t\n\r", p.s[p.i]) >= 0 {
		p.i++
	}
}

func (p *pyLitParser) value() (any, error) {
	p.skipSpace()
	if p.i >= len(p.s) {
		return nil, errBadLiteral
	}
	switch c := p.s[p.i]; {
	case c == '{':
		p.i++
		o := client.NewObject()
		for {
			p.skipSpace()
			if p.i < len(p.s) && p.s[p.i] == '}' {
				p.i++
				return o, nil
			}
			k, err := p.value()
			if err != nil {
				return nil, err
			}
			ks, ok := k.(string)
			if !ok {
				ks = pyfmt.Str(k)
			}
			p.skipSpace()
			if p.i >= len(p.s) || p.s[p.i] != ':' {
				return nil, errBadLiteral
			}
			p.i++
			v, err := p.value()
			if err != nil {
				return nil, err
			}
			o.Set(ks, v)
			if err := p.sep('}'); err != nil {
				return nil, err
			}
		}
	case c == '[' || c == '(':
		end := byte(']')
		if c == '(' {
			end = ')'
		}
		p.i++
		l := []any{}
		for {
			p.skipSpace()
			if p.i < len(p.s) && p.s[p.i] == end {
				p.i++
				return l, nil
			}
			v, err := p.value()
			if err != nil {
				return nil, err
			}
			l = append(l, v)
			if err := p.sep(end); err != nil {
				return nil, err
			}
		}
	case c == '\'' || c == '"':
		return p.str(c)
	case strings.HasPrefix(p.s[p.i:], "True"):
		p.i += 4
		return true, nil
	case strings.HasPrefix(p.s[p.i:], "False"):
		p.i += 5
		return false, nil
	case strings.HasPrefix(p.s[p.i:], "None"):
		p.i += 4
		return nil, nil
	default:
		start := p.i
		for p.i < len(p.s) && strings.IndexByte("+-0123456789.eE_", p.s[p.i]) >= 0 {
			p.i++
		}
		num := p.s[start:p.i]
		if _, err := strconv.ParseFloat(strings.ReplaceAll(num, "_", ""), 64); err != nil || num == "" {
			return nil, errBadLiteral
		}
		return json.Number(strings.ReplaceAll(num, "_", "")), nil
	}
}

// sep consumes a "," or peeks at the closing bracket.
func (p *pyLitParser) sep(end byte) error {
	p.skipSpace()
	if p.i >= len(p.s) {
		return errBadLiteral
	}
	switch p.s[p.i] {
	case ',':
		p.i++
		return nil
	case end:
		return nil
	}
	return errBadLiteral
}

func (p *pyLitParser) str(q byte) (any, error) {
	p.i++
	var b strings.Builder
	for p.i < len(p.s) {
		c := p.s[p.i]
		switch {
		case c == q:
			p.i++
			return b.String(), nil
		case c == '\\' && p.i+1 < len(p.s):
			p.i++
			switch e := p.s[p.i]; e {
			case 'n':
				b.WriteByte('\n')
			case 't':
				b.WriteByte('\t')
			case 'r':
				b.WriteByte('\r')
			case '\\', '\'', '"':
				b.WriteByte(e)
			case 'x':
				if p.i+2 < len(p.s) {
					if n, err := strconv.ParseUint(p.s[p.i+1:p.i+3], 16, 8); err == nil {
						b.WriteRune(rune(n))
						p.i += 2
						break
					}
				}
				return nil, errBadLiteral
			case 'u':
				if p.i+4 < len(p.s) {
					if n, err := strconv.ParseUint(p.s[p.i+1:p.i+5], 16, 16); err == nil {
						b.WriteRune(rune(n))
						p.i += 4
						break
					}
				}
				return nil, errBadLiteral
			default:
				b.WriteByte('\\')
				b.WriteByte(e)
			}
			p.i++
		case c == '\n':
			return nil, errBadLiteral
		default:
			b.WriteByte(c)
			p.i++
		}
	}
	return nil, errBadLiteral
}
