package expr

import (
	"regexp"
	"strings"
	"testing"
)

func TestPyReplacement(t *testing.T) {
	cases := []struct {
		pattern, repl, in string
		want              string // the text after replacing every match
		err               string // the Python error class, when parsing fails
	}{
		{pattern: `-`, repl: `+`, in: "a-b", want: "a+b"},
		{pattern: `(\w+) (\w+)`, repl: `\2, \1`, in: "john smith", want: "smith, john"},
		{pattern: `(?P<x>a)`, repl: `[\g<x>|\g<1>|\g<0>]`, in: "ab", want: "[a|a|a]b"},
		{pattern: `(a)|(b)`, repl: `<\2>`, in: "ab", want: "<><b>"},
		{pattern: `a`, repl: `\n\t\\\.`, in: "a", want: "\n\t\\\\."},
		{pattern: `a`, repl: `\2`, err: "re.error"},
		{pattern: `a`, repl: `x\`, err: "re.error"},
		{pattern: `a`, repl: `\q`, err: "re.error"},
		{pattern: `a`, repl: `\g<1`, err: "re.error"},
		{pattern: `a`, repl: `\g<y>`, err: "IndexError"},
	}
	for _, c := range cases {
		t.Run(c.repl, func(t *testing.T) {
			re := regexp.MustCompile(c.pattern)
			tmpl, err := ParsePyReplacement(re, c.repl)
			if c.err != "" {
				if !IsPyError(err, c.err) {
					t.Fatalf("error %v, want %s", err, c.err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			var b strings.Builder
			last := 0
			for _, m := range re.FindAllStringSubmatchIndex(c.in, -1) {
				b.WriteString(c.in[last:m[0]])
				tmpl.Expand(&b, c.in, m)
				last = m[1]
			}
			b.WriteString(c.in[last:])
			if b.String() != c.want {
				t.Errorf("got %q, want %q", b.String(), c.want)
			}
		})
	}
}
