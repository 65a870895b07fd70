package pyfmt

import (
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"
)

// writeQuoted writes Python 3's repr() of a str: in single quotes unless
// the text holds a single quote and no double quote; backslash escapes for
// the quote, backslash, \n, \r, \t and every character Python does not
// consider printable (\xNN, \uNNNN, \UNNNNNNNN). A byte that is not valid
// UTF-8 prints as \xNN.
func writeQuoted(b *strings.Builder, s string) {
	q := byte('\'')
	if strings.IndexByte(s, '\'') >= 0 && strings.IndexByte(s, '"') < 0 {
		q = '"'
	}
	b.WriteByte(q)
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 {
			fmt.Fprintf(b, `\x%02x`, s[i])
			i++
			continue
		}
		i += size
		switch {
		case r == rune(q) || r == '\\':
			b.WriteByte('\\')
			b.WriteRune(r)
		case r == '\n':
			b.WriteString(`\n`)
		case r == '\r':
			b.WriteString(`\r`)
		case r == '\t':
			b.WriteString(`\t`)
		case unicode.IsPrint(r):
			// As Python's str.isprintable: letters, marks, numbers,
			// punctuation, symbols and the ASCII space (not other spaces,
			// format or control characters).
			b.WriteRune(r)
		case r <= 0xff:
			fmt.Fprintf(b, `\x%02x`, r)
		case r <= 0xffff:
			fmt.Fprintf(b, `\u%04x`, r)
		default:
			fmt.Fprintf(b, `\U%08x`, r)
		}
	}
	b.WriteByte(q)
}

// writeJSONString writes s as Python's json module does with ensure_ascii
// on.
func writeJSONString(b *strings.Builder, s string) { WriteJSONString(b, s, true, false) }

// WriteJSONString writes s as a JSON string the way Python's json.dumps
// does: with ensure_ascii (ascii) everything outside printable ASCII is
// escaped (characters beyond U+FFFF as a UTF-16 surrogate pair), without
// it only control characters are; htmlSafe also escapes < > & and '.
func WriteJSONString(b *strings.Builder, s string, ascii, htmlSafe bool) {
	b.WriteByte('"')
	for _, r := range s { // invalid UTF-8 arrives as U+FFFD
		switch r {
		case '"':
			b.WriteString(`\"`)
		case '\\':
			b.WriteString(`\\`)
		case '\n':
			b.WriteString(`\n`)
		case '\r':
			b.WriteString(`\r`)
		case '\t':
			b.WriteString(`\t`)
		case '\b':
			b.WriteString(`\b`)
		case '\f':
			b.WriteString(`\f`)
		default:
			switch {
			case htmlSafe && (r == '<' || r == '>' || r == '&' || r == '\''):
				fmt.Fprintf(b, `\u%04x`, r)
			case r < 0x20:
				fmt.Fprintf(b, `\u%04x`, r)
			case !ascii || r <= 0x7e:
				b.WriteRune(r)
			case r <= 0xffff:
				fmt.Fprintf(b, `\u%04x`, r)
			default:
				r -= 0x10000
				fmt.Fprintf(b, `\u%04x\u%04x`, 0xd800+(r>>10), 0xdc00+(r&0x3ff))
			}
		}
	}
	b.WriteByte('"')
}

// SimpleEscape returns the character that a Python string literal's
// one-character escape \e stands for (\\, \', \", \a, \b, \f, \n, \r,
// \t, \v); ok is false for every other e.
func SimpleEscape(e byte) (c byte, ok bool) {
	switch e {
	case '\\', '\'', '"':
		return e, true
	case 'a':
		return '\a', true
	case 'b':
		return '\b', true
	case 'f':
		return '\f', true
	case 'n':
		return '\n', true
	case 'r':
		return '\r', true
	case 't':
		return '\t', true
	case 'v':
		return '\v', true
	}
	return 0, false
}
