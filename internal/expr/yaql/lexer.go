package yaql

import (
	"math/big"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// tokKind classifies a token. The kinds mirror the token names of
// Python yaql's lexer (yaql/language/lexer.py).
type tokKind uint8

const (
	tokEOF      tokKind = iota
	tokString           // 'single', "double" or `verbatim` (QUOTED_STRING)
	tokNumber           // 12 or 1.5 (NUMBER)
	tokFunc             // name( : an identifier glued to an opening parenthesis (FUNC)
	tokDollar           // $, $x, $1 (DOLLAR)
	tokKeyword          // a bare identifier (KEYWORD_STRING)
	tokTrue             // true
	tokFalse            // false
	tokNull             // null
	tokOp               // an operator: symbols and mod, in, not, and, or
	tokMapping          // =>
	tokLBracket         // [ (INDEXER)
	tokLBrace           // { (MAP)
	tokLParen           // (
	tokRParen           // )
	tokRBracket         // ]
	tokRBrace           // }
	tokComma            // ,
)

// token is one lexeme. pos is the index of its first character, counted
// in characters (code points) as Python counts them in error messages.
type token struct {
	kind tokKind
	pos  int
	text string // operator symbol, identifier, $name or the raw lexeme
	val  any    // decoded string, int64/float64 for numbers
}

// symbolOps are the operator symbols, longest first, so that the scanner
// takes the longest one as yaql's lexer does (it tries longer patterns
// first).
var symbolOps = []string{"?.", "=~", "!~", "->", "=>", ">=", "<=", "!=", ".", "+", "-", "*", "/", ">", "<", "="}

// wordOps are the operators spelled as words.
var wordOps = map[string]bool{"mod": true, "in": true, "not": true, "and": true, "or": true}

// isWord reports whether r is a character of Python's \w class.
func isWord(r rune) bool {
	return r == '_' || unicode.IsLetter(r) || unicode.IsNumber(r) || unicode.Is(unicode.Mn, r) || unicode.Is(unicode.Mc, r)
}

// isDigit reports whether r is in Python's \d class.
func isDigit(r rune) bool { return unicode.IsDigit(r) }

// isIdentStart is Python's [^\W\d]: a word character that is not a digit.
func isIdentStart(r rune) bool { return isWord(r) && !isDigit(r) }

// lexer turns one YAQL expression into tokens on demand.
type lexer struct {
	src  []rune
	i    int
	peek *token
}

func newLexer(src string) *lexer {
	return &lexer{src: []rune(src)}
}

// wordBoundaryAt reports whether there is a \b boundary before position i.
func (l *lexer) wordBoundaryAt(i int) bool {
	before := i > 0 && isWord(l.src[i-1])
	after := i < len(l.src) && isWord(l.src[i])
	return before != after
}

// next returns the next token or a lexical error.
func (l *lexer) next() (token, error) {
	if l.peek != nil {
		t := *l.peek
		l.peek = nil
		return t, nil
	}
	return l.scan()
}

// lookahead returns the next token without consuming it.
func (l *lexer) lookahead() (token, error) {
	if l.peek != nil {
		return *l.peek, nil
	}
	t, err := l.scan()
	if err != nil {
		return t, err
	}
	l.peek = &t
	return t, nil
}

func (l *lexer) scan() (token, error) {
	src := l.src
	for l.i < len(src) {
		switch src[l.i] {
		case ' ', '\t', '\r', '\n':
			l.i++
			continue
		}
		break
	}
	if l.i >= len(src) {
		return token{kind: tokEOF, pos: l.i}, nil
	}
	start := l.i
	r := src[start]
	// The order of the checks is the order of yaql's lexer rules:
	// DOLLAR, NUMBER, FUNC, KEYWORD_STRING, the three quoted strings,
	// then operators (longest first), then the single-character literals.
	if r == '$' {
		j := start + 1
		for j < len(src) && isWord(src[j]) {
			j++
		}
		l.i = j
		return token{kind: tokDollar, pos: start, text: string(src[start:j])}, nil
	}
	if isDigit(r) && l.wordBoundaryAt(start) {
		if t, ok := l.scanNumber(start); ok {
			return t, nil
		}
	}
	if isIdentStart(r) && l.wordBoundaryAt(start) {
		j := start + 1
		for j < len(src) && isWord(src[j]) {
			j++
		}
		word := string(src[start:j])
		if j < len(src) && src[j] == '(' {
			l.i = j + 1
			return token{kind: tokFunc, pos: start, text: word}, nil
		}
		if !strings.HasPrefix(word, "__") {
			l.i = j
			switch {
			case wordOps[word]:
				return token{kind: tokOp, pos: start, text: word}, nil
			case word == "true":
				return token{kind: tokTrue, pos: start, text: word, val: true}, nil
			case word == "false":
				return token{kind: tokFalse, pos: start, text: word, val: false}, nil
			case word == "null":
				return token{kind: tokNull, pos: start, text: word}, nil
			}
			return token{kind: tokKeyword, pos: start, text: word, val: word}, nil
		}
	}
	switch r {
	case '\'', '"':
		if end, ok := l.quoted(start, r); ok {
			s, err := decodeEscapes(string(src[start+1 : end]))
			if err != nil {
				return token{}, err
			}
			l.i = end + 1
			return token{kind: tokString, pos: start, text: string(src[start : end+1]), val: s}, nil
		}
	case '`':
		if end, ok := l.quoted(start, r); ok {
			s := strings.ReplaceAll(string(src[start+1:end]), "\\`", "`")
			l.i = end + 1
			return token{kind: tokString, pos: start, text: string(src[start : end+1]), val: s}, nil
		}
	}
	for _, op := range symbolOps {
		if l.hasPrefix(start, op) {
			l.i = start + len(op)
			switch op {
			case "=>":
				return token{kind: tokMapping, pos: start, text: op}, nil
			}
			return token{kind: tokOp, pos: start, text: op}, nil
		}
	}
	kinds := map[rune]tokKind{'[': tokLBracket, '{': tokLBrace, '(': tokLParen, ')': tokRParen, ']': tokRBracket, '}': tokRBrace, ',': tokComma}
	if k, ok := kinds[r]; ok {
		l.i = start + 1
		return token{kind: k, pos: start, text: string(r)}, nil
	}
	return token{}, lexicalError(r, start)
}

func (l *lexer) hasPrefix(i int, s string) bool {
	for _, c := range s {
		if i >= len(l.src) || l.src[i] != c {
			return false
		}
		i++
	}
	return true
}

// scanNumber matches \b\d+(\.?\d+)?\b at start.
func (l *lexer) scanNumber(start int) (token, bool) {
	src := l.src
	j := start
	for j < len(src) && isDigit(src[j]) {
		j++
	}
	// Try with a fraction first (the regex is greedy), then without.
	if j+1 < len(src) && src[j] == '.' && isDigit(src[j+1]) {
		k := j + 1
		for k < len(src) && isDigit(src[k]) {
			k++
		}
		if l.wordBoundaryAt(k) {
			l.i = k
			text := string(src[start:k])
			f, _ := strconv.ParseFloat(asciiDigits(text), 64)
			return token{kind: tokNumber, pos: start, text: text, val: f}, true
		}
	}
	if !l.wordBoundaryAt(j) {
		return token{}, false
	}
	l.i = j
	text := string(src[start:j])
	n, err := strconv.ParseInt(asciiDigits(text), 10, 64)
	if err != nil {
		// Python integers are unbounded: keep a big one as *big.Int.
		b, _ := new(big.Int).SetString(asciiDigits(text), 10)
		return token{kind: tokNumber, pos: start, text: text, val: b}, true
	}
	return token{kind: tokNumber, pos: start, text: text, val: n}, true
}

// asciiDigits maps Unicode decimal digits (which Python's \d and int()
// accept) to ASCII.
func asciiDigits(s string) string {
	ascii := true
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			ascii = false
			break
		}
	}
	if ascii {
		return s
	}
	var b strings.Builder
	for _, r := range s {
		if r == '.' || (r >= '0' && r <= '9') {
			b.WriteRune(r)
			continue
		}
		b.WriteRune('0' + rune(digitValue(r)))
	}
	return b.String()
}

// digitValue returns the decimal value of a Unicode digit (Nd): digits
// come in contiguous runs of ten starting at a zero.
func digitValue(r rune) int {
	for z := r; z >= r-9; z-- {
		if !unicode.IsDigit(z - 1) {
			return int(r-z) % 10
		}
	}
	return int(r) % 10
}

// quoted finds the closing quote of a string that starts at start:
// the pattern is q([^q\\]|\\.)*q where '.' excludes a newline.
func (l *lexer) quoted(start int, q rune) (int, bool) {
	src := l.src
	j := start + 1
	for j < len(src) {
		switch src[j] {
		case q:
			return j, true
		case '\\':
			if j+1 >= len(src) || src[j+1] == '\n' {
				return 0, false
			}
			j += 2
			continue
		}
		j++
	}
	return 0, false
}

// decodeEscapes decodes the escape sequences yaql decodes (with Python's
// unicode-escape codec) and leaves any other backslash as it is, so that
// '\d' stays a backslash and a d, as regular expressions need.
func decodeEscapes(s string) (string, error) {
	if !strings.Contains(s, "\\") {
		return s, nil
	}
	rs := []rune(s)
	var b strings.Builder
	for i := 0; i < len(rs); i++ {
		if rs[i] != '\\' || i+1 >= len(rs) {
			b.WriteRune(rs[i])
			continue
		}
		c := rs[i+1]
		hex := func(n int) (bool, error) {
			// The regex takes exactly n characters (any but a newline).
			if i+2+n > len(rs) {
				return false, nil
			}
			body := rs[i+2 : i+2+n]
			for _, x := range body {
				if x == '\n' {
					return false, nil
				}
			}
			v := 0
			for k, x := range body {
				d := hexDigit(x)
				if d < 0 {
					return false, decodeError(1+k, "truncated \\"+string(c)+strings.Repeat("X", n)+" escape")
				}
				v = v*16 + d
			}
			if v > unicode.MaxRune {
				return false, decodeError(1+n, "illegal Unicode character")
			}
			b.WriteRune(rune(v))
			i += 1 + n
			return true, nil
		}
		switch c {
		case 'U':
			if ok, err := hex(8); err != nil {
				return "", err
			} else if ok {
				continue
			}
		case 'u':
			if ok, err := hex(4); err != nil {
				return "", err
			} else if ok {
				continue
			}
		case 'x':
			if ok, err := hex(2); err != nil {
				return "", err
			} else if ok {
				continue
			}
		case '0', '1', '2', '3', '4', '5', '6', '7':
			j := i + 1
			v := 0
			for j < len(rs) && j < i+4 && rs[j] >= '0' && rs[j] <= '7' {
				v = v*8 + int(rs[j]-'0')
				j++
			}
			b.WriteRune(rune(v))
			i = j - 1
			continue
		case 'N':
			if i+2 < len(rs) && rs[i+2] == '{' {
				if end := indexRune(rs[i+3:], '}'); end > 0 {
					return "", decodeError(3+end, "unknown Unicode character name")
				}
			}
		case '\\':
			b.WriteRune('\\')
			i++
			continue
		case '\'', '"':
			b.WriteRune(c)
			i++
			continue
		case 'a':
			b.WriteRune('\a')
			i++
			continue
		case 'b':
			b.WriteRune('\b')
			i++
			continue
		case 'f':
			b.WriteRune('\f')
			i++
			continue
		case 'n':
			b.WriteRune('\n')
			i++
			continue
		case 'r':
			b.WriteRune('\r')
			i++
			continue
		case 't':
			b.WriteRune('\t')
			i++
			continue
		case 'v':
			b.WriteRune('\v')
			i++
			continue
		}
		b.WriteRune('\\')
	}
	return b.String(), nil
}

func hexDigit(r rune) int {
	switch {
	case r >= '0' && r <= '9':
		return int(r - '0')
	case r >= 'a' && r <= 'f':
		return int(r-'a') + 10
	case r >= 'A' && r <= 'F':
		return int(r-'A') + 10
	}
	return -1
}

func indexRune(rs []rune, r rune) int {
	for i, x := range rs {
		if x == r {
			return i
		}
	}
	return -1
}
