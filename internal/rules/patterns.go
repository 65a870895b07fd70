package rules

import (
	"fmt"
	"regexp"
	"strings"
	"sync"

	"github.com/st2go/st2go/internal/expr"
)

// compileRegex compiles a criteria regex with Python's re semantics as
// far as Go's RE2 allows (see expr.CompilePyRegex): anchored is re.match,
// dotAll re.DOTALL. Python's "$" also matches before a final newline,
// which RE2's does not; it is rewritten so that "^OK$" still matches a
// command's "OK\n".
func compileRegex(pattern string, anchored, ignoreCase, dotAll bool) (*regexp.Regexp, error) {
	key := regexKey{pattern, anchored, ignoreCase, dotAll}
	regexMu.RLock()
	re, ok := regexCache[key]
	regexMu.RUnlock()
	if ok {
		return re, nil
	}
	p := pyDollar(pattern)
	if dotAll {
		p = "(?s)" + p
	}
	re, err := expr.CompilePyRegex(p, ignoreCase, anchored)
	if err != nil {
		return nil, err
	}
	regexMu.Lock()
	if len(regexCache) < regexCacheMax {
		regexCache[key] = re
	}
	regexMu.Unlock()
	return re, nil
}

// regexCache holds compiled criteria regexes: rules use a handful of
// patterns on every trigger instance.
var (
	regexMu    sync.RWMutex
	regexCache = map[regexKey]*regexp.Regexp{}
)

type regexKey struct {
	pattern                      string
	anchored, ignoreCase, dotAll bool
}

const regexCacheMax = 4096

// multilineFlag finds an inline flag group that turns on re.MULTILINE, in
// which Python's "$" and RE2's agree.
var multilineFlag = regexp.MustCompile(`\(\?[aiLsux]*m[aiLmsux-]*[:)]`)

// pyDollar rewrites every "$" outside a character class to "(?:\n?\z)".
func pyDollar(p string) string {
	if !strings.Contains(p, "$") || multilineFlag.MatchString(p) {
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
		case inClass:
			if c == ']' {
				inClass = false
			}
		case c == '[':
			inClass = true
			b.WriteByte(c)
			// A "]" first in a class (after an optional "^") is literal.
			if i+1 < len(p) && p[i+1] == '^' {
				b.WriteByte('^')
				i++
			}
			if i+1 < len(p) && p[i+1] == ']' {
				b.WriteByte(']')
				i++
			}
			continue
		case c == '$':
			b.WriteString(`(?:\n?\z)`)
			continue
		}
		b.WriteByte(c)
	}
	return b.String()
}

// wildcardCache holds compiled shell patterns; rules use a handful of
// patterns many times.
var (
	wildcardMu    sync.RWMutex
	wildcardCache = map[string]*regexp.Regexp{}
)

const wildcardCacheMax = 4096

// compileWildcard translates a shell pattern as Python's fnmatch does:
// "*" is any run of characters (newlines included), "?" any one, "[...]"
// a class ("[!...]" negated, ranges a-z, a backslash literal), an
// unclosed "[" literal, and the match covers the whole string,
// case-sensitively (fnmatch on POSIX).
func compileWildcard(pattern string) (*regexp.Regexp, error) {
	wildcardMu.RLock()
	re, ok := wildcardCache[pattern]
	wildcardMu.RUnlock()
	if ok {
		return re, nil
	}
	src, err := translateWildcard(pattern)
	if err != nil {
		return nil, err
	}
	re, err = regexp.Compile(src)
	if err != nil {
		return nil, expr.Errorf("re.error", "%s", err)
	}
	wildcardMu.Lock()
	if len(wildcardCache) < wildcardCacheMax {
		wildcardCache[pattern] = re
	}
	wildcardMu.Unlock()
	return re, nil
}

func translateWildcard(pat string) (string, error) {
	r := []rune(pat)
	var b strings.Builder
	b.WriteString(`(?s)\A`)
	for i := 0; i < len(r); {
		c := r[i]
		i++
		switch c {
		case '*':
			b.WriteString(".*")
		case '?':
			b.WriteString(".")
		case '[':
			j := i
			if j < len(r) && r[j] == '!' {
				j++
			}
			if j < len(r) && r[j] == ']' {
				j++
			}
			for j < len(r) && r[j] != ']' {
				j++
			}
			if j >= len(r) {
				b.WriteString(`\[`)
				continue
			}
			class, err := wildcardClass(r[i:j])
			if err != nil {
				return "", err
			}
			b.WriteString(class)
			i = j + 1
		default:
			b.WriteString(regexp.QuoteMeta(string(c)))
		}
	}
	b.WriteString(`\z`)
	return b.String(), nil
}

// classItem is one member of a character class: a single rune (lo == hi)
// or a range.
type classItem struct{ lo, hi rune }

// classTok is a character of a class body as fnmatch hands it to re: a
// literal, or (sep) a hyphen that re may read as a range.
type classTok struct {
	r   rune
	sep bool
}

// wildcardClass turns the inside of a shell "[...]" into an RE2 class
// with the members Python's fnmatch gives it. fnmatch splits the text at
// hyphens into chunks, drops ranges that run backwards (joining their
// chunks), escapes everything but the hyphens between chunks and lets re
// read the result; this does the same and then reads it as re would.
func wildcardClass(stuff []rune) (string, error) {
	var toks []classTok
	if indexRune(stuff, '-', 0) < 0 {
		for _, c := range stuff {
			toks = append(toks, classTok{r: c})
		}
	} else {
		// Search for "-" from the second character (after a leading "!",
		// from the third), and after each one skip the character after it.
		var chunks [][]rune
		start, k := 0, 1
		if stuff[0] == '!' {
			k = 2
		}
		for {
			d := indexRune(stuff, '-', k)
			if d < 0 {
				break
			}
			chunks = append(chunks, stuff[start:d])
			start = d + 1
			k = d + 3
		}
		if last := stuff[start:]; len(last) > 0 {
			chunks = append(chunks, last)
		} else {
			// A trailing hyphen is literal.
			chunks[len(chunks)-1] = append(append([]rune(nil), chunks[len(chunks)-1]...), '-')
		}
		for k := len(chunks) - 1; k > 0; k-- {
			prev, cur := chunks[k-1], chunks[k]
			if len(prev) > 0 && len(cur) > 0 && prev[len(prev)-1] > cur[0] {
				chunks[k-1] = append(append([]rune(nil), prev[:len(prev)-1]...), cur[1:]...)
				chunks = append(chunks[:k], chunks[k+1:]...)
			}
		}
		for ci, ch := range chunks {
			if ci > 0 {
				toks = append(toks, classTok{r: '-', sep: true})
			}
			for _, c := range ch {
				toks = append(toks, classTok{r: c})
			}
		}
	}
	switch {
	case len(toks) == 0:
		return neverMatch, nil
	case len(toks) == 1 && toks[0].r == '!':
		return ".", nil // "[!]": any character
	}
	negate := toks[0].r == '!' && !toks[0].sep
	if negate {
		toks = toks[1:]
	}
	// Read the body as re does: "x-y" (with a bare hyphen) is a range, a
	// bare hyphen that cannot make one is literal.
	var items []classItem
	for i := 0; i < len(toks); {
		this := toks[i]
		if i+1 < len(toks) && toks[i+1].sep {
			if i+2 >= len(toks) {
				items = append(items, classItem{this.r, this.r}, classItem{'-', '-'})
				break
			}
			that := toks[i+2]
			if that.r < this.r {
				return "", expr.Errorf("re.error", "bad character range %c-%c", this.r, that.r)
			}
			items = append(items, classItem{this.r, that.r})
			i += 3
			continue
		}
		items = append(items, classItem{this.r, this.r})
		i++
	}
	var b strings.Builder
	b.WriteByte('[')
	if negate {
		b.WriteByte('^')
	}
	for _, it := range items {
		fmt.Fprintf(&b, `\x{%x}`, it.lo)
		if it.hi != it.lo {
			fmt.Fprintf(&b, `-\x{%x}`, it.hi)
		}
	}
	b.WriteByte(']')
	return b.String(), nil
}

// neverMatch is a class no character belongs to.
const neverMatch = `[^\x00-\x{10FFFF}]`

func indexRune(r []rune, c rune, from int) int {
	for i := from; i < len(r); i++ {
		if r[i] == c {
			return i
		}
	}
	return -1
}
