package pyfmt

import (
	"strings"
	"testing"
)

func TestWriteJSONString(t *testing.T) {
	cases := []struct {
		in          string
		ascii, html bool
		want        string
	}{
		{"a\x7fb<é", true, false, `"a\u007fb<\u00e9"`}, // json.dumps(..., ensure_ascii=True)
		{"a\x7fb<é", false, false, "\"a\x7fb<é\""},     // ensure_ascii=False
		{"<&'\n", false, true, `"\u003c\u0026\u0027\n"`},
		{"😀", true, false, `"\ud83d\ude00"`},
	}
	for _, c := range cases {
		var b strings.Builder
		WriteJSONString(&b, c.in, c.ascii, c.html)
		if b.String() != c.want {
			t.Errorf("%q ascii=%v html=%v: %s, want %s", c.in, c.ascii, c.html, b.String(), c.want)
		}
	}
}

func TestSimpleEscape(t *testing.T) {
	want := map[byte]byte{'\\': '\\', '\'': '\'', '"': '"', 'a': '\a', 'b': '\b', 'f': '\f', 'n': '\n', 'r': '\r', 't': '\t', 'v': '\v'}
	for e := 0; e < 256; e++ {
		c, ok := SimpleEscape(byte(e))
		w, known := want[byte(e)]
		if ok != known || c != w {
			t.Errorf("SimpleEscape(%q) = %q, %v; want %q, %v", rune(e), c, ok, w, known)
		}
	}
}
