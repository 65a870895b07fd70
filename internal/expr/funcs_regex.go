package expr

import (
	"regexp"
	"strconv"
	"strings"
	"sync"
)

// regexCache holds compiled patterns; templates use a handful of
// patterns many times.
var regexCache sync.Map // string → *regexp.Regexp

const regexCacheMax = 1024

var regexCacheN int64
var regexCacheMu sync.Mutex

// CompilePyRegex compiles a Python re pattern with Go's regexp (RE2). It
// accepts Python's syntax where RE2 has the same meaning ((?P<name>...),
// \d, \w, \s, \A, \Z, classes, lazy quantifiers); lookarounds and
// backreferences, which RE2 lacks, are an error naming the pattern.
// anchored pins the match to the start (re.match).
func CompilePyRegex(pattern string, ignoreCase, anchored bool) (*regexp.Regexp, error) {
	return compilePyRegex(pattern, ignoreCase, anchored, false)
}

// compilePyRegex compiles a Python pattern; boolOnly (the match is only
// tested, never used) also gives $ Python's meaning: the end of the text
// or just before a final newline.
func compilePyRegex(pattern string, ignoreCase, anchored, boolOnly bool) (*regexp.Regexp, error) {
	key := pattern
	if boolOnly {
		key = "b" + key
	}
	if ignoreCase {
		key = "i" + key
	} else {
		key = "c" + key
	}
	if anchored {
		key = "^" + key
	}
	if re, ok := regexCache.Load(key); ok {
		return re.(*regexp.Regexp), nil
	}
	src := translatePyRegex(pattern)
	if boolOnly && !strings.Contains(src, "(?m") {
		src = pyDollar(src)
	}
	if anchored {
		src = `\A(?:` + src + `)`
	}
	if ignoreCase {
		src = "(?i)" + src
	}
	re, err := regexp.Compile(src)
	if err != nil {
		msg := err.Error()
		if i := strings.Index(msg, ": "); i >= 0 && strings.HasPrefix(msg, "error parsing regexp") {
			msg = msg[i+2:]
		}
		return nil, Errorf("re.error", "%s (Go's RE2 engine; lookarounds and backreferences are not supported): %s", msg, Repr(pattern))
	}
	regexCacheMu.Lock()
	if regexCacheN < regexCacheMax {
		regexCacheN++
		regexCache.Store(key, re)
	}
	regexCacheMu.Unlock()
	return re, nil
}

// translatePyRegex rewrites Python spellings RE2 reads differently: \Z
// (end of text) becomes \z, and \d, \w, \s (and \D, \W, \S outside
// classes) match Unicode digits, word characters and spaces as Python's
// str patterns do, not only ASCII.
func translatePyRegex(p string) string {
	if !strings.ContainsRune(p, '\\') {
		return p
	}
	var b strings.Builder
	inClass := false
	for i := 0; i < len(p); i++ {
		c := p[i]
		if c == '[' && !inClass {
			inClass = true
			b.WriteByte(c)
			// A ']' right after '[' or '[^' is literal.
			if i+1 < len(p) && p[i+1] == '^' {
				b.WriteByte('^')
				i++
			}
			if i+1 < len(p) && p[i+1] == ']' {
				b.WriteByte(']')
				i++
			}
			continue
		}
		if c == ']' && inClass {
			inClass = false
			b.WriteByte(c)
			continue
		}
		if c != '\\' || i+1 >= len(p) {
			b.WriteByte(c)
			continue
		}
		e := p[i+1]
		i++
		inner, neg := "", false
		switch e {
		case 'Z':
			b.WriteString(`\z`)
			continue
		case 'd':
			inner = `\p{Nd}`
		case 'w':
			inner = `\p{L}\p{N}_\p{Mn}`
		case 's':
			inner = `\s\p{Z}\x1c-\x1f\x85\v`
		case 'D', 'W', 'S':
			if !inClass {
				neg = true
				inner = map[byte]string{'D': `\p{Nd}`, 'W': `\p{L}\p{N}_\p{Mn}`, 'S': `\s\p{Z}\x1c-\x1f\x85\v`}[e]
			}
		}
		switch {
		case inner == "":
			b.WriteByte('\\')
			b.WriteByte(e)
		case inClass:
			b.WriteString(inner)
		case neg:
			b.WriteString("[^" + inner + "]")
		default:
			b.WriteString("[" + inner + "]")
		}
	}
	return b.String()
}

// pyDollar rewrites each unescaped $ outside a class to match at the end
// or before a final newline, as Python's $ does.
func pyDollar(p string) string {
	if !strings.Contains(p, "$") {
		return p
	}
	var b strings.Builder
	inClass := false
	for i := 0; i < len(p); i++ {
		c := p[i]
		switch {
		case c == '\\' && i+1 < len(p):
			b.WriteByte(c)
			b.WriteByte(p[i+1])
			i++
			continue
		case c == '[':
			inClass = true
		case c == ']':
			inClass = false
		case c == '$' && !inClass:
			b.WriteString(`(?:\n?\z)`)
			continue
		}
		b.WriteByte(c)
	}
	return b.String()
}

// regexArgs reads the common (value, pattern, ..., ignorecase) arguments:
// value is str()-ed, the pattern must be a string.
func regexArgs(c *Call, ignoreIdx int, anchored bool) (string, *regexp.Regexp, error) {
	return regexArgsFor(c, ignoreIdx, anchored, false)
}

func regexArgsFor(c *Call, ignoreIdx int, anchored, boolOnly bool) (string, *regexp.Regexp, error) {
	value := Str(c.Arg(0))
	pattern, ok := c.Arg(1).(string)
	if !ok {
		return "", nil, TypeErrorf("first argument must be string or compiled pattern")
	}
	re, err := compilePyRegex(pattern, Truthy(c.Arg(ignoreIdx)), anchored, boolOnly)
	return value, re, err
}

var regexMatchSpec = FuncSpec{
	Name: "regex_match", MinArgs: 2, MaxArgs: 3,
	Params: []Param{{Name: "value"}, {Name: "pattern"}, {Name: "ignorecase", Default: false}},
	Scope:  ScopeST2 | ScopeOrquesta,
	Doc:    "Whether the pattern matches at the start of the value (Python's re.match).",
	Examples: []Example{
		{Text: `'v1.2.3' | regex_match('v\d')`, Args: []any{"v1.2.3", `v\d`}, Want: true},
		{Text: `'xv1' | regex_match('v\d')`, Args: []any{"xv1", `v\d`}, Want: false},
		{Text: `'ABC' | regex_match('abc', true)`, Args: []any{"ABC", "abc", true}, Want: true},
	},
	Fn: func(c *Call) (any, error) {
		v, re, err := regexArgsFor(c, 2, true, true)
		if err != nil {
			return nil, err
		}
		return re.MatchString(v), nil
	},
}

var regexSearchSpec = FuncSpec{
	Name: "regex_search", MinArgs: 2, MaxArgs: 3,
	Params: []Param{{Name: "value"}, {Name: "pattern"}, {Name: "ignorecase", Default: false}},
	Scope:  ScopeST2 | ScopeOrquesta,
	Doc:    "Whether the pattern matches anywhere in the value (Python's re.search).",
	Examples: []Example{
		{Text: `'xv1' | regex_search('v\d')`, Args: []any{"xv1", `v\d`}, Want: true},
		{Text: `'x' | regex_search('(?<=a)x')`, Args: []any{"x", `(?<=a)x`}, Err: "re.error"},
	},
	Fn: func(c *Call) (any, error) {
		v, re, err := regexArgsFor(c, 2, false, true)
		if err != nil {
			return nil, err
		}
		return re.MatchString(v), nil
	},
}

var regexReplaceSpec = FuncSpec{
	Name: "regex_replace", MinArgs: 3, MaxArgs: 4,
	Params: []Param{{Name: "value"}, {Name: "pattern"}, {Name: "replacement"}, {Name: "ignorecase", Default: false}},
	Scope:  ScopeST2 | ScopeOrquesta,
	Doc:    `Replaces every match (Python's re.sub; the replacement may use \1, \g<1> and \g<name>).`,
	Examples: []Example{
		{Text: `'a-b-c' | regex_replace('-', '+')`, Args: []any{"a-b-c", "-", "+"}, Want: "a+b+c"},
		{Text: `'john smith' | regex_replace('(\w+) (\w+)', '\2, \1')`, Args: []any{"john smith", `(\w+) (\w+)`, `\2, \1`}, Want: "smith, john"},
		{Text: `'ab' | regex_replace('(?P<x>a)', '[\g<x>]')`, Args: []any{"ab", `(?P<x>a)`, `[\g<x>]`}, Want: "[a]b"},
	},
	Fn: func(c *Call) (any, error) {
		v, re, err := regexArgs(c, 3, false)
		if err != nil {
			return nil, err
		}
		repl, ok := c.Arg(2).(string)
		if !ok {
			return nil, TypeErrorf("expected str instance, %s found", TypeName(c.Arg(2)))
		}
		tmpl, err := ParsePyReplacement(re, repl)
		if err != nil {
			return nil, err
		}
		var b strings.Builder
		last := 0
		for _, m := range re.FindAllStringSubmatchIndex(v, -1) {
			b.WriteString(v[last:m[0]])
			tmpl.Expand(&b, v, m)
			last = m[1]
			if err := c.Budget.CheckSize(int64(b.Len())); err != nil {
				return nil, err
			}
		}
		b.WriteString(v[last:])
		return b.String(), nil
	},
}

// PyReplacement is a parsed Python re.sub replacement template: \1 and
// \g<1> (group numbers), \g<name>, and the character escapes \n, \t,
// \\ and the like.
type PyReplacement struct {
	parts []replPart
}

type replPart struct {
	text  string
	group int // -1: literal text
}

// Expand writes the replacement for the match m of s (indexes as
// regexp's Find*SubmatchIndex give them) to b. A group that did not take
// part in the match adds nothing.
func (r PyReplacement) Expand(b *strings.Builder, s string, m []int) {
	for _, part := range r.parts {
		if part.group < 0 {
			b.WriteString(part.text)
		} else if m[2*part.group] >= 0 {
			b.WriteString(s[m[2*part.group]:m[2*part.group+1]])
		}
	}
}

// ParsePyReplacement parses repl, a Python re.sub replacement template,
// for re, with Python's errors: re.error for a bad escape or a group re
// does not have, IndexError for an unknown group name.
func ParsePyReplacement(re *regexp.Regexp, repl string) (PyReplacement, error) {
	var parts []replPart
	var lit strings.Builder
	flush := func() {
		if lit.Len() > 0 {
			parts = append(parts, replPart{text: lit.String(), group: -1})
			lit.Reset()
		}
	}
	group := func(g int) error {
		if g > re.NumSubexp() {
			return Errorf("re.error", "invalid group reference %d", g)
		}
		flush()
		parts = append(parts, replPart{group: g})
		return nil
	}
	for i := 0; i < len(repl); i++ {
		ch := repl[i]
		if ch != '\\' || i+1 == len(repl) {
			if ch == '\\' {
				return PyReplacement{}, Errorf("re.error", "bad escape (end of pattern)")
			}
			lit.WriteByte(ch)
			continue
		}
		i++
		e := repl[i]
		switch {
		case e >= '0' && e <= '9':
			j := i + 1
			if j < len(repl) && repl[j] >= '0' && repl[j] <= '9' {
				j++
			}
			n, _ := strconv.Atoi(repl[i:j])
			if err := group(n); err != nil {
				return PyReplacement{}, err
			}
			i = j - 1
		case e == 'g':
			end := strings.IndexByte(repl[i:], '>')
			if i+1 >= len(repl) || repl[i+1] != '<' || end < 0 {
				return PyReplacement{}, Errorf("re.error", "missing group name")
			}
			name := repl[i+2 : i+end]
			n, err := strconv.Atoi(name)
			if err != nil {
				n = re.SubexpIndex(name)
				if n < 0 {
					return PyReplacement{}, &PyError{Type: "IndexError", Msg: "unknown group name '" + name + "'"}
				}
			}
			if err := group(n); err != nil {
				return PyReplacement{}, err
			}
			i += end
		case e == 'n':
			lit.WriteByte('\n')
		case e == 't':
			lit.WriteByte('\t')
		case e == 'r':
			lit.WriteByte('\r')
		case e == 'f':
			lit.WriteByte('\f')
		case e == 'v':
			lit.WriteByte('\v')
		case e == 'a':
			lit.WriteByte('\a')
		case e == 'b':
			lit.WriteByte('\b')
		case e == '\\':
			lit.WriteByte('\\')
		case (e >= 'a' && e <= 'z') || (e >= 'A' && e <= 'Z'):
			return PyReplacement{}, Errorf("re.error", "bad escape \\%c", e)
		default:
			lit.WriteByte('\\')
			lit.WriteByte(e)
		}
	}
	flush()
	return PyReplacement{parts: parts}, nil
}

var regexSubstringSpec = FuncSpec{
	Name: "regex_substring", MinArgs: 2, MaxArgs: 4,
	Params: []Param{{Name: "value"}, {Name: "pattern"}, {Name: "result_index", Default: int64(0)}, {Name: "ignorecase", Default: false}},
	Scope:  ScopeST2 | ScopeOrquesta,
	Doc:    "Match number result_index of the pattern (Python's re.findall: the group when the pattern has one, a tuple of groups when it has several).",
	Examples: []Example{
		{Text: `'v1.2 v3.4' | regex_substring('v\d\.\d', 1)`, Args: []any{"v1.2 v3.4", `v\d\.\d`, int64(1)}, Want: "v3.4"},
		{Text: `'k=v' | regex_substring('(\w)=(\w)')`, Args: []any{"k=v", `(\w)=(\w)`}, Want: Tuple{"k", "v"}},
		{Text: `'abc' | regex_substring('z')`, Args: []any{"abc", "z"}, Err: "IndexError"},
	},
	Fn: func(c *Call) (any, error) {
		v, re, err := regexArgs(c, 3, false)
		if err != nil {
			return nil, err
		}
		idx, err := ToInt64(c.Arg(2))
		if err != nil {
			return nil, err
		}
		var all []any
		for _, m := range re.FindAllStringSubmatch(v, -1) {
			switch re.NumSubexp() {
			case 0:
				all = append(all, m[0])
			case 1:
				all = append(all, m[1])
			default:
				t := make(Tuple, len(m)-1)
				for i, g := range m[1:] {
					t[i] = g
				}
				all = append(all, t)
			}
		}
		if idx < 0 {
			idx += int64(len(all))
		}
		if idx < 0 || idx >= int64(len(all)) {
			return nil, &PyError{Type: "IndexError", Msg: "list index out of range"}
		}
		return all[idx], nil
	},
}
