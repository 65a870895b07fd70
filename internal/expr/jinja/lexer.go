package jinja

import (
	"fmt"
	"math/big"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/st2go/st2go/internal/pyfmt"
)

type tokKind uint8

const (
	tEOF tokKind = iota
	tData
	tVarBegin
	tVarEnd
	tBlockBegin
	tBlockEnd
	tName
	tString
	tInt
	tFloat
	tOp
	tError // a lexing error, reported when the parser reaches it
)

// token is one lexical unit; pos is its byte offset in the (newline
// normalised) source.
type token struct {
	kind tokKind
	val  string // text: data, name, operator, decoded string
	num  any    // int64, *big.Int or float64 for numbers
	pos  int
}

// describe names a token as Jinja's error messages do.
func (t token) describe() string {
	switch t.kind {
	case tEOF:
		return "end of template"
	case tVarEnd:
		return "end of print statement"
	case tBlockEnd:
		return "end of statement block"
	case tVarBegin:
		return "begin of print statement"
	case tBlockBegin:
		return "begin of statement block"
	case tName, tOp:
		return t.val
	case tString:
		return "string"
	case tInt:
		return "integer"
	case tFloat:
		return "float"
	case tData:
		return "template data / text"
	}
	return "?"
}

// SyntaxError is a template that does not parse. Pos is a byte offset in
// the source.
type SyntaxError struct {
	Msg string
	Pos int
	// Line is the 1-based line of Pos when the error comes from a bare
	// expression (Python's message then names the line); 0 otherwise.
	Line int
}

func (e *SyntaxError) Error() string { return "TemplateSyntaxError: " + e.Msg }

type lexer struct {
	src    string
	pos    int
	toks   []token
	trim   bool // trim_blocks
	lstrip bool // lstrip_blocks
}

// normalizeNewlines turns \r\n and \r into \n and drops one trailing
// newline unless keep is set, as Jinja's lexer does.
func normalizeNewlines(src string, keep bool) string {
	if strings.IndexByte(src, '\r') >= 0 {
		src = strings.ReplaceAll(src, "\r\n", "\n")
		src = strings.ReplaceAll(src, "\r", "\n")
	}
	if !keep && strings.HasSuffix(src, "\n") {
		src = src[:len(src)-1]
	}
	return src
}

// lex tokenizes a template. A lexing error becomes a final tError
// token: Jinja's lexer is lazy, so a parse error earlier in the template
// is reported first.
func lex(src string, trim, lstrip bool) []token {
	l := &lexer{src: src, trim: trim, lstrip: lstrip}
	if err := l.root(); err != nil {
		return append(l.toks, errorToken(err))
	}
	return append(l.toks, token{kind: tEOF, pos: len(src)})
}

func errorToken(err error) token {
	se := err.(*SyntaxError)
	return token{kind: tError, pos: se.Pos, num: se}
}

// lexExpression tokenizes a bare expression (compile_expression): the
// lexer starts inside a print statement.
func lexExpression(src string) []token {
	l := &lexer{src: src}
	end, err := l.inside(0, false, true)
	if err != nil {
		se := err.(*SyntaxError)
		// Python names the line of a lexing error in a bare expression.
		se.Line = 1 + strings.Count(src[:min(max(se.Pos, 0), len(src))], "\n")
		return append(l.toks, errorToken(se))
	}
	if end < len(src) {
		// "}}" inside an expression ends it: the rest is a syntax error
		// the parser reports.
		l.toks = append(l.toks, token{kind: tVarEnd, pos: end})
	}
	return append(l.toks, token{kind: tEOF, pos: len(src)})
}

func isSpace(c byte) bool {
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v'
}

// root scans template data and tags.
func (l *lexer) root() error {
	s := l.src
	lineStarting := true
	for l.pos < len(s) {
		i := indexTagStart(s, l.pos)
		if i < 0 {
			l.toks = append(l.toks, token{kind: tData, val: s[l.pos:], pos: l.pos})
			return nil
		}
		text := s[l.pos:i]
		kind := s[i+1] // '{', '%', '#'
		sign := byte(0)
		if i+2 < len(s) && (s[i+2] == '-' || s[i+2] == '+') {
			sign = s[i+2]
		}
		isRaw, rawEnd := false, 0
		if kind == '%' {
			isRaw, rawEnd = l.matchRawBegin(i)
		}
		switch {
		case sign == '-':
			text = strings.TrimRightFunc(text, unicode.IsSpace)
		case sign != '+' && l.lstrip && kind != '{':
			lpos := strings.LastIndexByte(text, '\n') + 1
			if lpos > 0 || lineStarting {
				rest := text[lpos:]
				if rest != "" && strings.TrimRightFunc(rest, unicode.IsSpace) == "" {
					text = text[:lpos]
				}
			}
		}
		if text != "" {
			l.toks = append(l.toks, token{kind: tData, val: text, pos: l.pos})
		}
		start := i + 2
		if sign != 0 {
			start++
		}
		switch {
		case isRaw:
			end, err := l.raw(rawEnd)
			if err != nil {
				return err
			}
			l.pos = end
		case kind == '#':
			end, err := l.comment(i, start)
			if err != nil {
				return err
			}
			l.pos = end
		default:
			block := kind == '%'
			if block {
				l.toks = append(l.toks, token{kind: tBlockBegin, pos: i})
			} else {
				l.toks = append(l.toks, token{kind: tVarBegin, pos: i})
			}
			end, err := l.inside(start, block, false)
			if err != nil {
				return err
			}
			l.pos = end
		}
		lineStarting = l.pos > 0 && s[l.pos-1] == '\n'
	}
	return nil
}

// indexTagStart finds the next "{{", "{%" or "{#" at or after from.
func indexTagStart(s string, from int) int {
	for i := from; i+1 < len(s); i++ {
		if s[i] == '{' {
			switch s[i+1] {
			case '{', '%', '#':
				return i
			}
		}
	}
	return -1
}

// matchRawBegin reports whether a "{% raw %}" tag starts at i, and where
// its content starts.
func (l *lexer) matchRawBegin(i int) (bool, int) {
	s := l.src
	j := i + 2
	if j < len(s) && (s[j] == '-' || s[j] == '+') {
		j++
	}
	for j < len(s) && isSpace(s[j]) {
		j++
	}
	if !strings.HasPrefix(s[j:], "raw") {
		return false, 0
	}
	j += 3
	k := j
	for k < len(s) && isSpace(s[k]) {
		k++
	}
	switch {
	case strings.HasPrefix(s[k:], "-%}"):
		k += 3
		for k < len(s) && isSpace(s[k]) {
			k++
		}
		return true, k
	case strings.HasPrefix(s[k:], "%}"):
		return true, k + 2
	}
	return false, 0
}

// raw emits the content of a raw block starting at from and returns the
// position after its endraw tag.
func (l *lexer) raw(from int) (int, error) {
	s := l.src
	for i := from; ; {
		j := strings.Index(s[i:], "{%")
		if j < 0 {
			return 0, &SyntaxError{Msg: "Missing end of raw directive", Pos: from}
		}
		j += i
		k := j + 2
		sign := byte(0)
		if k < len(s) && (s[k] == '-' || s[k] == '+') {
			sign = s[k]
			k++
		}
		for k < len(s) && isSpace(s[k]) {
			k++
		}
		if !strings.HasPrefix(s[k:], "endraw") {
			i = j + 2
			continue
		}
		k += 6
		for k < len(s) && isSpace(s[k]) {
			k++
		}
		end := -1
		switch {
		case strings.HasPrefix(s[k:], "+%}"):
			end = k + 3
		case strings.HasPrefix(s[k:], "-%}"):
			end = k + 3
			for end < len(s) && isSpace(s[end]) {
				end++
			}
		case strings.HasPrefix(s[k:], "%}"):
			end = k + 2
			if l.trim && end < len(s) && s[end] == '\n' {
				end++
			}
		}
		if end < 0 {
			i = j + 2
			continue
		}
		text := s[from:j]
		switch {
		case sign == '-':
			text = strings.TrimRightFunc(text, unicode.IsSpace)
		case sign != '+' && l.lstrip:
			lpos := strings.LastIndexByte(text, '\n') + 1
			if lpos > 0 {
				rest := text[lpos:]
				if rest != "" && strings.TrimRightFunc(rest, unicode.IsSpace) == "" {
					text = text[:lpos]
				}
			}
		}
		if text != "" {
			l.toks = append(l.toks, token{kind: tData, val: text, pos: from})
		}
		return end, nil
	}
}

// comment skips a comment whose body starts at from.
func (l *lexer) comment(tagPos, from int) (int, error) {
	s := l.src
	j := strings.Index(s[from:], "#}")
	if j < 0 {
		return 0, &SyntaxError{Msg: "Missing end of comment tag", Pos: tagPos}
	}
	j += from
	end := j + 2
	switch {
	case j > from && s[j-1] == '-':
		for end < len(s) && isSpace(s[end]) {
			end++
		}
	case j > from && s[j-1] == '+':
	default:
		if l.trim && end < len(s) && s[end] == '\n' {
			end++
		}
	}
	return end, nil
}

// inside tokenizes the inside of a tag from pos up to and including its
// end ("}}" or "%}"), returning the position after it. exprOnly lexes a
// bare expression up to the end of the source.
func (l *lexer) inside(pos int, block, exprOnly bool) (int, error) {
	s := l.src
	var stack []byte
	for {
		for pos < len(s) && isSpace(s[pos]) {
			pos++
		}
		if pos >= len(s) {
			if exprOnly {
				return pos, nil
			}
			return 0, &SyntaxError{Msg: "unexpected end of template, expected 'end of " + map[bool]string{true: "statement block", false: "print statement"}[block] + "'.", Pos: pos}
		}
		if len(stack) == 0 && !exprOnly {
			if block {
				if strings.HasPrefix(s[pos:], "-%}") {
					l.toks = append(l.toks, token{kind: tBlockEnd, pos: pos})
					pos += 3
					for pos < len(s) && isSpace(s[pos]) {
						pos++
					}
					return pos, nil
				}
				if strings.HasPrefix(s[pos:], "+%}") {
					l.toks = append(l.toks, token{kind: tBlockEnd, pos: pos})
					return pos + 3, nil
				}
				if strings.HasPrefix(s[pos:], "%}") {
					l.toks = append(l.toks, token{kind: tBlockEnd, pos: pos})
					pos += 2
					if l.trim && pos < len(s) && s[pos] == '\n' {
						pos++
					}
					return pos, nil
				}
			} else {
				if strings.HasPrefix(s[pos:], "-}}") {
					l.toks = append(l.toks, token{kind: tVarEnd, pos: pos})
					pos += 3
					for pos < len(s) && isSpace(s[pos]) {
						pos++
					}
					return pos, nil
				}
				if strings.HasPrefix(s[pos:], "}}") {
					l.toks = append(l.toks, token{kind: tVarEnd, pos: pos})
					return pos + 2, nil
				}
			}
		}
		if exprOnly && len(stack) == 0 && strings.HasPrefix(s[pos:], "}}") {
			return pos, nil
		}
		c := s[pos]
		switch {
		case c >= '0' && c <= '9':
			n, err := l.number(pos)
			if err != nil {
				return 0, err
			}
			pos = n
		case c == '\'' || c == '"':
			n, err := l.str(pos)
			if err != nil {
				return 0, err
			}
			pos = n
		case c == '_' || (c|0x20 >= 'a' && c|0x20 <= 'z') || c >= 0x80:
			j := pos
			for j < len(s) {
				r, size := utf8.DecodeRuneInString(s[j:])
				if r == '_' || unicode.IsLetter(r) || (j > pos && (unicode.IsDigit(r) || unicode.Is(unicode.Mn, r) || unicode.Is(unicode.Mc, r))) {
					j += size
					continue
				}
				break
			}
			if j == pos {
				return 0, &SyntaxError{Msg: fmt.Sprintf("unexpected char %s at %d", pyCharRepr(s[pos:]), pos), Pos: pos}
			}
			l.toks = append(l.toks, token{kind: tName, val: s[pos:j], pos: pos})
			pos = j
		default:
			op := matchOperator(s[pos:])
			if op == "" {
				return 0, &SyntaxError{Msg: fmt.Sprintf("unexpected char %s at %d", pyCharRepr(s[pos:]), pos), Pos: pos}
			}
			switch op {
			case "{":
				stack = append(stack, '}')
			case "(":
				stack = append(stack, ')')
			case "[":
				stack = append(stack, ']')
			case "}", ")", "]":
				if len(stack) == 0 {
					return 0, &SyntaxError{Msg: fmt.Sprintf("unexpected '%s'", op), Pos: pos}
				}
				want := stack[len(stack)-1]
				stack = stack[:len(stack)-1]
				if want != op[0] {
					return 0, &SyntaxError{Msg: fmt.Sprintf("unexpected '%s', expected '%c'", op, want), Pos: pos}
				}
			}
			l.toks = append(l.toks, token{kind: tOp, val: op, pos: pos})
			pos += len(op)
		}
	}
}

func pyCharRepr(s string) string {
	r, _ := utf8.DecodeRuneInString(s)
	if r == '\'' {
		return `"'"`
	}
	return "'" + string(r) + "'"
}

var operators3 = []string{"//", "**", "==", "!=", ">=", "<="}

func matchOperator(s string) string {
	for _, op := range operators3 {
		if strings.HasPrefix(s, op) {
			return op
		}
	}
	switch s[0] {
	case '+', '-', '/', '*', '%', '~', '[', ']', '(', ')', '{', '}', '>', '<', '=', '.', ':', '|', ',', ';':
		return s[:1]
	}
	return ""
}

// number lexes an integer or float literal at pos.
func (l *lexer) number(pos int) (int, error) {
	s := l.src
	// Floats: digits [. digits] e[+-]digits, or digits . digits.
	digits := func(i int) int {
		j := i
		for j < len(s) && (s[j] >= '0' && s[j] <= '9' || (s[j] == '_' && j > i && j+1 < len(s) && s[j+1] >= '0' && s[j+1] <= '9')) {
			j++
		}
		return j
	}
	if !(pos > 0 && s[pos-1] == '.') {
		j := digits(pos)
		k := j
		frac := false
		if k+1 < len(s) && s[k] == '.' && s[k+1] >= '0' && s[k+1] <= '9' {
			k = digits(k + 1)
			frac = true
		}
		exp := false
		if k < len(s) && (s[k] == 'e' || s[k] == 'E') {
			m := k + 1
			if m < len(s) && (s[m] == '+' || s[m] == '-') {
				m++
			}
			if m < len(s) && s[m] >= '0' && s[m] <= '9' {
				k = digits(m)
				exp = true
			}
		}
		if frac || exp {
			text := strings.ReplaceAll(s[pos:k], "_", "")
			f, err := strconv.ParseFloat(text, 64)
			if err != nil && !strings.Contains(err.Error(), "range") {
				return 0, &SyntaxError{Msg: "invalid float " + text, Pos: pos}
			}
			l.toks = append(l.toks, token{kind: tFloat, num: f, val: s[pos:k], pos: pos})
			return k, nil
		}
	}
	// Integers: 0b, 0o, 0x prefixes, decimal.
	base, j := 10, pos
	if s[pos] == '0' && pos+1 < len(s) {
		switch s[pos+1] | 0x20 {
		case 'b':
			base = 2
		case 'o':
			base = 8
		case 'x':
			base = 16
		}
	}
	isDigit := func(c byte) bool {
		switch base {
		case 2:
			return c == '0' || c == '1'
		case 8:
			return c >= '0' && c <= '7'
		case 16:
			return (c >= '0' && c <= '9') || (c|0x20 >= 'a' && c|0x20 <= 'f')
		}
		return c >= '0' && c <= '9'
	}
	if base != 10 {
		j = pos + 2
		k := j
		for k < len(s) && (isDigit(s[k]) || (s[k] == '_' && k+1 < len(s) && isDigit(s[k+1]))) {
			k++
		}
		if k == j {
			base, j = 10, pos
		} else {
			j = k
		}
	}
	if base == 10 {
		if s[pos] == '0' {
			j = pos + 1
			for j < len(s) && (s[j] == '0' || (s[j] == '_' && j+1 < len(s) && s[j+1] == '0')) {
				j++
			}
		} else {
			j = digits(pos)
		}
	}
	text := strings.ReplaceAll(s[pos:j], "_", "")
	if base != 10 {
		text = text[2:]
	}
	var num any
	if n, err := strconv.ParseInt(text, base, 64); err == nil {
		num = n
	} else {
		b, ok := new(big.Int).SetString(text, base)
		if !ok {
			return 0, &SyntaxError{Msg: "invalid integer " + s[pos:j], Pos: pos}
		}
		num = b
	}
	l.toks = append(l.toks, token{kind: tInt, num: num, val: s[pos:j], pos: pos})
	return j, nil
}

// str lexes a quoted string at pos, decoding Python escapes.
func (l *lexer) str(pos int) (int, error) {
	s := l.src
	q := s[pos]
	j := pos + 1
	for j < len(s) && s[j] != q {
		if s[j] == '\\' {
			j++
		}
		j++
	}
	if j >= len(s) {
		return 0, &SyntaxError{Msg: fmt.Sprintf("unexpected char %s at %d", pyCharRepr(s[pos:]), pos), Pos: pos}
	}
	l.toks = append(l.toks, token{kind: tString, val: unescape(s[pos+1 : j]), pos: pos})
	return j + 1, nil
}

// unescape decodes Python string escapes (as Jinja does with
// unicode-escape); unknown escapes stay as they are.
func unescape(s string) string {
	if strings.IndexByte(s, '\\') < 0 {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c != '\\' || i+1 >= len(s) {
			b.WriteByte(c)
			continue
		}
		i++
		switch e := s[i]; e {
		case '\n':
		case 'x', 'u', 'U':
			n := map[byte]int{'x': 2, 'u': 4, 'U': 8}[e]
			if i+1+n <= len(s) {
				if v, err := strconv.ParseUint(s[i+1:i+1+n], 16, 32); err == nil {
					b.WriteRune(rune(v))
					i += n
					continue
				}
			}
			b.WriteByte('\\')
			b.WriteByte(e)
		case '0', '1', '2', '3', '4', '5', '6', '7':
			j := i
			for j < len(s) && j < i+3 && s[j] >= '0' && s[j] <= '7' {
				j++
			}
			v, _ := strconv.ParseUint(s[i:j], 8, 32)
			b.WriteRune(rune(v))
			i = j - 1
		default:
			if c, ok := pyfmt.SimpleEscape(e); ok {
				b.WriteByte(c)
			} else {
				b.WriteByte('\\')
				b.WriteByte(e)
			}
		}
	}
	return b.String()
}
