package yaql

import (
	"math/big"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/st2go/st2go/internal/expr"
)

// yaqlStr is yaql's str(): null, true and false in YAQL spelling,
// Python's str() otherwise.
func yaqlStr(v any) string {
	switch v {
	case nil:
		return "null"
	case true:
		return "true"
	case false:
		return "false"
	}
	return pyStr(v)
}

// registerStrings: yaql/standard_library/strings.py.
func registerStrings(l *library) {
	for _, op := range []string{">", "<", ">=", "<="} {
		op := op
		l.fn("#operator_"+op, ps(req("left", tString), req("right", tString)), func(c *call, a []any) (any, error) {
			return expr.CompareOp(op, a[0], a[1])
		})
	}
	concat := func(c *call, a []any) (any, error) {
		var b strings.Builder
		for _, s := range a {
			b.WriteString(s.(string))
		}
		if err := c.checkSize(int64(b.Len())); err != nil {
			return nil, err
		}
		return b.String(), nil
	}
	l.fn("concat", nil, concat).variadic(req("args", tString))
	l.fn("#operator_+", nil, concat).variadic(req("args", tString))
	l.meth("toUpper", ps(req("string", tString)), func(c *call, a []any) (any, error) {
		return strings.ToUpper(a[0].(string)), nil
	})
	l.meth("toLower", ps(req("string", tString)), func(c *call, a []any) (any, error) {
		return strings.ToLower(a[0].(string)), nil
	})
	l.ext("len", ps(req("string", tString)), func(c *call, a []any) (any, error) {
		return int64(utf8.RuneCountInString(a[0].(string))), nil
	})
	l.meth("split", ps(req("string", tString), opt("separator", tString, nil, true), opt("maxSplits", tInt, int64(-1), false)), func(c *call, a []any) (any, error) {
		return pySplit(a[0].(string), a[1], toInt(a[2]), false)
	})
	l.meth("rightSplit", ps(req("string", tString), opt("separator", tString, nil, true), opt("maxSplits", tInt, int64(-1), false)), func(c *call, a []any) (any, error) {
		return pySplit(a[0].(string), a[1], toInt(a[2]), true)
	})
	join := func(c *call, seq any, sep string) (any, error) {
		items, err := c.collect(seq)
		if err != nil {
			return nil, err
		}
		parts := make([]string, len(items))
		for i, it := range items {
			s, err := c.delegate("str", it)
			if err != nil {
				return nil, err
			}
			parts[i] = s.(string)
		}
		out := strings.Join(parts, sep)
		if err := c.checkSize(int64(len(out))); err != nil {
			return nil, err
		}
		return out, nil
	}
	l.meth("join", ps(req("sequence", tIterable), req("separator", tString)), func(c *call, a []any) (any, error) {
		return join(c, a[0], a[1].(string))
	})
	l.meth("join", ps(req("separator", tString), req("sequence", tIterable)), func(c *call, a []any) (any, error) {
		return join(c, a[1], a[0].(string))
	})
	l.fn("str", ps(reqN("value", tAny)), func(c *call, a []any) (any, error) {
		return yaqlStr(a[0]), nil
	})
	trim := func(name string, left, right bool) {
		l.meth(name, ps(req("string", tString), opt("chars", tString, nil, true)), func(c *call, a []any) (any, error) {
			return pyStrip(a[0].(string), a[1], left, right), nil
		})
	}
	trim("trim", true, true)
	trim("trimLeft", true, false)
	trim("trimRight", false, true)
	l.ext("norm", ps(reqN("string", tString), opt("chars", tString, nil, true)), func(c *call, a []any) (any, error) {
		if a[0] == nil {
			return nil, nil
		}
		v := pyStrip(a[0].(string), a[1], true, true)
		if v == "" {
			return nil, nil
		}
		return v, nil
	})
	l.ext("isEmpty", ps(reqN("string", tString), opt("trim", tBool, true, false), opt("chars", tString, nil, true)), func(c *call, a []any) (any, error) {
		if a[0] == nil {
			return true, nil
		}
		s := a[0].(string)
		if expr.Truthy(a[1]) {
			s = pyStrip(s, a[2], true, true)
		}
		return s == "", nil
	})
	l.meth("replace", ps(req("string", tString), req("old", tString), req("new", tString), opt("count", tInt, int64(-1), false)), func(c *call, a []any) (any, error) {
		return pyReplace(c, a[0].(string), a[1].(string), a[2].(string), toInt(a[3]))
	})
	l.meth("replace", ps(req("string", tString), req("replacements", tMapping), opt("count", tInt, int64(-1), false)), func(c *call, a []any) (any, error) {
		s := a[0].(string)
		var err error
		a[1].(*expr.Dict).Range(func(k, v any) bool {
			var r any
			r, err = pyReplace(c, s, yaqlStr(k), yaqlStr(v), toInt(a[2]))
			if err != nil {
				return false
			}
			s = r.(string)
			return true
		})
		return s, err
	})
	repeat := func(c *call, s string, n int) (any, error) {
		if n <= 0 {
			return "", nil
		}
		if err := c.checkSize(int64(len(s)) * int64(n)); err != nil {
			return nil, err
		}
		return strings.Repeat(s, n), nil
	}
	l.fn("#operator_*", ps(req("left", tString), req("right", tInt)), func(c *call, a []any) (any, error) {
		return repeat(c, a[0].(string), toInt(a[1]))
	})
	l.fn("#operator_*", ps(req("left", tInt), req("right", tString)), func(c *call, a []any) (any, error) {
		return repeat(c, a[1].(string), toInt(a[0]))
	})
	l.fn("#operator_in", ps(req("left", tString), req("right", tString)), func(c *call, a []any) (any, error) {
		return strings.Contains(a[1].(string), a[0].(string)), nil
	})
	l.meth("substring", ps(req("string", tString), req("start", tInt), opt("length", tInt, int64(-1), false)), func(c *call, a []any) (any, error) {
		rs := []rune(a[0].(string))
		start, length := toInt(a[1]), toInt(a[2])
		if length < 0 {
			length = len(rs)
		}
		if start < 0 {
			start += len(rs)
		}
		lo, hi := pySliceBounds(len(rs), start, start+length)
		return string(rs[lo:hi]), nil
	})
	l.meth("indexOf", ps(req("string", tString), req("sub", tString), opt("start", tInt, int64(0), false)), func(c *call, a []any) (any, error) {
		return int64(pyFind(a[0].(string), a[1].(string), toInt(a[2]), 1<<62, false)), nil
	})
	l.meth("indexOf", ps(req("string", tString), req("sub", tString), req("start", tInt), req("length", tInt)), func(c *call, a []any) (any, error) {
		s := a[0].(string)
		n := utf8.RuneCountInString(s)
		start, length := toInt(a[2]), toInt(a[3])
		if start < 0 {
			start += n
		}
		if length < 0 {
			length = n - start
		}
		return int64(pyFind(s, a[1].(string), start, start+length, false)), nil
	})
	l.meth("lastIndexOf", ps(req("string", tString), req("sub", tString), opt("start", tInt, int64(0), false)), func(c *call, a []any) (any, error) {
		return int64(pyFind(a[0].(string), a[1].(string), toInt(a[2]), 1<<62, true)), nil
	})
	l.meth("lastIndexOf", ps(req("string", tString), req("sub", tString), req("start", tInt), req("length", tInt)), func(c *call, a []any) (any, error) {
		s := a[0].(string)
		n := utf8.RuneCountInString(s)
		start, length := toInt(a[2]), toInt(a[3])
		if start < 0 {
			start += n
		}
		if length < 0 {
			length = n - start
		}
		return int64(pyFind(s, a[1].(string), start, start+length, true)), nil
	})
	l.meth("toCharArray", ps(req("string", tString)), func(c *call, a []any) (any, error) {
		var out expr.Tuple
		for _, r := range a[0].(string) {
			out = append(out, string(r))
		}
		return out, nil
	})
	charClasses := []struct{ name, chars string }{
		{"digits", "0123456789"},
		{"hexdigits", "0123456789abcdefABCDEF"},
		{"asciiLowercase", "abcdefghijklmnopqrstuvwxyz"},
		{"asciiUppercase", "ABCDEFGHIJKLMNOPQRSTUVWXYZ"},
		{"asciiLetters", "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"},
		{"letters", ""},
		{"octdigits", "01234567"},
		{"punctuation", "!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~"},
		{"printable", "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~ \t\n\r\x0b\x0c"},
		{"lowercase", ""},
		{"uppercase", ""},
		{"whitespace", " \t\n\r\x0b\x0c"},
	}
	var charParams []param
	for _, cc := range charClasses {
		charParams = append(charParams, opt(cc.name, tAny, false, true))
	}
	l.fn("characters", charParams, func(c *call, a []any) (any, error) {
		seen := map[rune]bool{}
		var rs []rune
		for i, cc := range charClasses {
			if !expr.Truthy(a[i]) {
				continue
			}
			if cc.chars == "" {
				return nil, pyErr("AttributeError", "module 'string' has no attribute '%s'", cc.name)
			}
			for _, r := range cc.chars {
				if !seen[r] {
					seen[r] = true
					rs = append(rs, r)
				}
			}
		}
		sort.Slice(rs, func(i, j int) bool { return rs[i] < rs[j] })
		out := make(expr.Tuple, len(rs))
		for i, r := range rs {
			out[i] = string(r)
		}
		return out, nil
	})
	l.fn("isString", ps(reqN("arg", tAny)), func(c *call, a []any) (any, error) {
		return isString(a[0]), nil
	})
	l.meth("startsWith", ps(req("string", tString)), func(c *call, a []any) (any, error) {
		for _, p := range a[1:] {
			if strings.HasPrefix(a[0].(string), p.(string)) {
				return true, nil
			}
		}
		return false, nil
	}).variadic(req("prefixes", tString))
	l.meth("endsWith", ps(req("string", tString)), func(c *call, a []any) (any, error) {
		for _, p := range a[1:] {
			if strings.HasSuffix(a[0].(string), p.(string)) {
				return true, nil
			}
		}
		return false, nil
	}).variadic(req("suffixes", tString))
	l.fn("hex", ps(reqN("num", tNumber)), func(c *call, a []any) (any, error) {
		if !isInteger(a[0]) {
			return nil, pyErr(classTypeError, "'%s' object cannot be interpreted as an integer", expr.TypeName(a[0]))
		}
		b := toBig(a[0])
		if b.Sign() < 0 {
			return "-0x" + new(big.Int).Neg(b).Text(16), nil
		}
		return "0x" + b.Text(16), nil
	})
}

// pySliceBounds clamps Python slice bounds s[lo:hi] for a length n.
func pySliceBounds(n, lo, hi int) (int, int) {
	if lo < 0 {
		lo += n
		if lo < 0 {
			lo = 0
		}
	}
	if hi < 0 {
		hi += n
		if hi < 0 {
			hi = 0
		}
	}
	if lo > n {
		lo = n
	}
	if hi > n {
		hi = n
	}
	if hi < lo {
		hi = lo
	}
	return lo, hi
}

// pyFind is str.find / str.rfind with start and end (in characters).
func pyFind(s, sub string, start, end int, last bool) int {
	rs := []rune(s)
	lo, hi := pySliceBounds(len(rs), start, end)
	if start > len(rs) {
		return -1
	}
	hay := string(rs[lo:hi])
	var i int
	if last {
		i = strings.LastIndex(hay, sub)
	} else {
		i = strings.Index(hay, sub)
	}
	if i < 0 {
		return -1
	}
	return lo + utf8.RuneCountInString(hay[:i])
}

// pyStrip is str.strip/lstrip/rstrip with optional chars.
func pyStrip(s string, chars any, left, right bool) string {
	var f func(r rune) bool
	if cs, ok := chars.(string); ok {
		f = func(r rune) bool { return strings.ContainsRune(cs, r) }
	} else {
		f = isPySpace
	}
	if left {
		s = strings.TrimLeftFunc(s, f)
	}
	if right {
		s = strings.TrimRightFunc(s, f)
	}
	return s
}

// isPySpace is str.isspace for one character.
func isPySpace(r rune) bool {
	switch r {
	case '\x1c', '\x1d', '\x1e', '\x1f', '\x85':
		return true
	}
	return unicode.IsSpace(r)
}

// pySplit is str.split / str.rsplit.
func pySplit(s string, sep any, maxSplit int, right bool) (any, error) {
	var parts []string
	if sepStr, ok := sep.(string); ok {
		if sepStr == "" {
			return nil, pyErr(classValueError, "empty separator")
		}
		if maxSplit < 0 {
			parts = strings.Split(s, sepStr)
		} else if !right {
			parts = strings.SplitN(s, sepStr, maxSplit+1)
		} else {
			parts = rsplitN(s, sepStr, maxSplit)
		}
	} else {
		fields := strings.FieldsFunc(s, isPySpace)
		if maxSplit < 0 || maxSplit >= len(fields)-1 {
			parts = fields
		} else if !right {
			// Keep the rest of the string after maxSplit fields.
			rest := s
			parts = nil
			for i := 0; i < maxSplit; i++ {
				rest = strings.TrimLeftFunc(rest, isPySpace)
				j := strings.IndexFunc(rest, isPySpace)
				parts = append(parts, rest[:j])
				rest = rest[j:]
			}
			rest = strings.TrimLeftFunc(rest, isPySpace)
			parts = append(parts, rest)
		} else {
			rest := s
			var rev []string
			for i := 0; i < maxSplit; i++ {
				rest = strings.TrimRightFunc(rest, isPySpace)
				j := strings.LastIndexFunc(rest, isPySpace)
				rev = append(rev, rest[j+1:])
				rest = rest[:j+1]
			}
			rest = strings.TrimRightFunc(rest, isPySpace)
			parts = append(parts, rest)
			for i := len(rev) - 1; i >= 0; i-- {
				parts = append(parts, rev[i])
			}
		}
	}
	out := make([]any, len(parts))
	for i, p := range parts {
		out[i] = p
	}
	return out, nil
}

func rsplitN(s, sep string, n int) []string {
	var rev []string
	for i := 0; i < n; i++ {
		j := strings.LastIndex(s, sep)
		if j < 0 {
			break
		}
		rev = append(rev, s[j+len(sep):])
		s = s[:j]
	}
	out := []string{s}
	for i := len(rev) - 1; i >= 0; i-- {
		out = append(out, rev[i])
	}
	return out
}

// pyReplace is str.replace(old, new, count).
func pyReplace(c *call, s, old, repl string, count int) (any, error) {
	if old == "" {
		// Python inserts repl between characters (and at both ends).
		rs := []rune(s)
		var b strings.Builder
		n := 0
		for i := 0; i <= len(rs); i++ {
			if count < 0 || n < count {
				b.WriteString(repl)
				n++
			}
			if i < len(rs) {
				b.WriteRune(rs[i])
			}
		}
		return b.String(), nil
	}
	out := strings.Replace(s, old, repl, count)
	if err := c.checkSize(int64(len(out))); err != nil {
		return nil, err
	}
	return out, nil
}

// registerRegex: yaql/standard_library/regex.py.
func registerRegex(l *library) {
	l.fn("regex", ps(req("pattern", tString), opt("ignoreCase", tAny, false, true), opt("multiLine", tAny, false, true), opt("dotAll", tAny, false, true)), func(c *call, a []any) (any, error) {
		flags := 0
		if expr.Truthy(a[1]) {
			flags |= 1
		}
		if expr.Truthy(a[2]) {
			flags |= 2
		}
		if expr.Truthy(a[3]) {
			flags |= 4
		}
		return compileRegex(a[0].(string), flags)
	})
	search := func(re *regexValue, s string) bool { return re.re.MatchString(s) }
	l.meth("matches", ps(req("regexp", tRegex), req("string", tString)), func(c *call, a []any) (any, error) {
		return search(a[0].(*regexValue), a[1].(string)), nil
	})
	l.meth("matches", ps(req("string", tString), req("regexp", tString)), func(c *call, a []any) (any, error) {
		re, err := compileRegex(a[1].(string), 0)
		if err != nil {
			return nil, err
		}
		return search(re, a[0].(string)), nil
	})
	for _, op := range []string{"=~", "!~"} {
		want := op == "=~"
		l.fn("#operator_"+op, ps(req("string", tString), req("regexp", tRegex)), func(c *call, a []any) (any, error) {
			return search(a[1].(*regexValue), a[0].(string)) == want, nil
		})
		l.fn("#operator_"+op, ps(req("string", tString), req("pattern", tString)), func(c *call, a []any) (any, error) {
			re, err := compileRegex(a[1].(string), 0)
			if err != nil {
				return nil, err
			}
			return search(re, a[0].(string)) == want, nil
		})
	}
	l.meth("search", ps(req("regexp", tRegex), req("string", tString), opt("selector", tLambdaCtx, nil, true)), func(c *call, a []any) (any, error) {
		re, s := a[0].(*regexValue), a[1].(string)
		m := re.re.FindStringSubmatchIndex(s)
		if m == nil {
			return nil, nil
		}
		if a[2] == nil {
			return s[m[0]:m[1]], nil
		}
		sc := c.scope.child()
		publishMatch(sc, s, m)
		return a[2].(*lambda).callIn(sc)
	})
	l.meth("searchAll", ps(req("regexp", tRegex), req("string", tString), opt("selector", tLambdaCtx, nil, true)), func(c *call, a []any) (any, error) {
		re, s := a[0].(*regexValue), a[1].(string)
		all := re.re.FindAllStringSubmatchIndex(s, -1)
		i := 0
		return newIter("generator", func() (any, bool, error) {
			if i >= len(all) {
				return nil, false, nil
			}
			m := all[i]
			i++
			if a[2] == nil {
				return s[m[0]:m[1]], true, nil
			}
			sc := c.scope.child()
			publishMatch(sc, s, m)
			v, err := a[2].(*lambda).callIn(sc)
			return v, err == nil, err
		}), nil
	})
	l.meth("split", ps(req("regexp", tRegex), req("string", tString), opt("maxSplit", tInt, int64(0), false)), func(c *call, a []any) (any, error) {
		return reSplit(a[0].(*regexValue), a[1].(string), toInt(a[2])), nil
	})
	l.meth("split", ps(req("string", tString), req("regexp", tRegex), opt("maxSplit", tInt, int64(0), false)), func(c *call, a []any) (any, error) {
		return reSplit(a[1].(*regexValue), a[0].(string), toInt(a[2])), nil
	})
	l.meth("replace", ps(req("regexp", tRegex), req("string", tString), req("repl", tString), opt("count", tInt, int64(0), false)), func(c *call, a []any) (any, error) {
		return reSub(c, a[0].(*regexValue), a[1].(string), a[2].(string), nil, toInt(a[3]))
	})
	l.meth("replace", ps(req("string", tString), req("regexp", tRegex), req("repl", tString), opt("count", tInt, int64(0), false)), func(c *call, a []any) (any, error) {
		return reSub(c, a[1].(*regexValue), a[0].(string), a[2].(string), nil, toInt(a[3]))
	})
	l.meth("replaceBy", ps(req("regexp", tRegex), req("string", tString), req("repl", tLambdaCtx), opt("count", tInt, int64(0), false)), func(c *call, a []any) (any, error) {
		return reSub(c, a[0].(*regexValue), a[1].(string), "", a[2].(*lambda), toInt(a[3]))
	})
	l.meth("replaceBy", ps(req("string", tString), req("regexp", tRegex), req("repl", tLambdaCtx), opt("count", tInt, int64(0), false)), func(c *call, a []any) (any, error) {
		return reSub(c, a[1].(*regexValue), a[0].(string), "", a[2].(*lambda), toInt(a[3]))
	})
	l.fn("escapeRegex", ps(req("string", tString)), func(c *call, a []any) (any, error) {
		return pyReEscape(a[0].(string)), nil
	})
	l.fn("isRegex", ps(reqN("value", tAny)), func(c *call, a []any) (any, error) {
		_, ok := a[0].(*regexValue)
		return ok, nil
	})
}

// compileRegex compiles a Python pattern with yaql's flags (1 ignore
// case, 2 multi-line, 4 dot-all).
func compileRegex(pattern string, flags int) (*regexValue, error) {
	p := pattern
	prefix := ""
	if flags&2 != 0 {
		prefix += "m"
	}
	if flags&4 != 0 {
		prefix += "s"
	}
	if prefix != "" {
		p = "(?" + prefix + ")" + p
	}
	re, err := expr.CompilePyRegex(p, flags&1 != 0, false)
	if err != nil {
		return nil, err
	}
	return &regexValue{re: re, pattern: pattern, flags: flags}, nil
}

type pyRegexp = regexp.Regexp

// runeIndex converts a byte offset of s to a character index.
func runeIndex(s string, b int) int64 {
	if b < 0 {
		return -1
	}
	return int64(utf8.RuneCountInString(s[:b]))
}

// publishMatch sets $1 (the whole match) and $2... (the groups) as
// {value, start, end} dicts, as yaql's _publish_match does.
func publishMatch(s *scope, str string, m []int) {
	for g := 0; g*2 < len(m); g++ {
		var val any
		if m[2*g] >= 0 {
			val = str[m[2*g]:m[2*g+1]]
		}
		s.set("$"+strconv.Itoa(g+1), expr.DictOf("value", val, "start", runeIndex(str, m[2*g]), "end", runeIndex(str, m[2*g+1])))
	}
}

// reSplit is Python's pattern.split(string, maxsplit): captured groups
// are part of the result.
func reSplit(re *regexValue, s string, maxSplit int) any {
	var out []any
	last := 0
	n := -1
	if maxSplit > 0 {
		n = maxSplit
	}
	for _, m := range re.re.FindAllStringSubmatchIndex(s, n) {
		out = append(out, s[last:m[0]])
		for g := 1; g*2 < len(m); g++ {
			if m[2*g] < 0 {
				out = append(out, nil)
			} else {
				out = append(out, s[m[2*g]:m[2*g+1]])
			}
		}
		last = m[1]
	}
	out = append(out, s[last:])
	return out
}

// reSub is Python's pattern.sub(repl, string, count) with a template
// string or, when fn is set, a function of the match.
func reSub(c *call, re *regexValue, s, repl string, fn *lambda, count int) (any, error) {
	n := -1
	if count > 0 {
		n = count
	}
	var tmpl expr.PyReplacement
	if fn == nil {
		var err error
		tmpl, err = expr.ParsePyReplacement(re.re, repl)
		if err != nil {
			return nil, err
		}
	}
	var b strings.Builder
	last := 0
	for _, m := range re.re.FindAllStringSubmatchIndex(s, n) {
		b.WriteString(s[last:m[0]])
		if fn != nil {
			sc := c.scope.child()
			publishMatch(sc, s, m)
			v, err := fn.callIn(sc)
			if err != nil {
				return nil, err
			}
			str, ok := v.(string)
			if !ok {
				return nil, pyErr(classTypeError, "expected str instance, %s found", expr.TypeName(v))
			}
			b.WriteString(str)
		} else {
			tmpl.Expand(&b, s, m)
		}
		last = m[1]
		if err := c.checkSize(int64(b.Len())); err != nil {
			return nil, err
		}
	}
	b.WriteString(s[last:])
	return b.String(), nil
}

// pyReEscape is Python 3.7+'s re.escape.
func pyReEscape(s string) string {
	var b strings.Builder
	for _, r := range s {
		if strings.ContainsRune("()[]{}?*+-|^$\\.&~# \t\n\r\v\f", r) {
			b.WriteByte('\\')
		}
		b.WriteRune(r)
	}
	return b.String()
}
