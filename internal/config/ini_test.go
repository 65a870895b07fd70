package config

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestParseINI(t *testing.T) {
	t.Parallel()
	type entry struct {
		Section, Key, Value string
		Line                int
	}
	tests := []struct {
		name string
		in   string
		want []entry
	}{
		{
			name: "comments and both separators",
			in:   "# c\n; c\n[a]\nx = 1\ny: 2\n",
			want: []entry{{"a", "x", "1", 4}, {"a", "y", "2", 5}},
		},
		{
			name: "first separator wins",
			in:   "[a]\nurl = http://h:1\nk: v=w\n",
			want: []entry{{"a", "url", "http://h:1", 2}, {"a", "k", "v=w", 3}},
		},
		{
			name: "no inline comments",
			in:   "[a]\nx = 1 # not a comment\n",
			want: []entry{{"a", "x", "1 # not a comment", 2}},
		},
		{
			name: "whitespace and one pair of quotes removed",
			in:   "[a]\nx =   spaced  \ny = \"  q  \"\nz = 'it''s'\nw = \"\nv = \"a'\n",
			want: []entry{
				{"a", "x", "spaced", 2}, {"a", "y", "  q  ", 3}, {"a", "z", "it''s", 4},
				{"a", "w", "", 5}, {"a", "v", "\"a'", 6},
			},
		},
		{
			name: "continuation lines",
			in:   "[a]\nx = one\n  two\n\tthree\ny = 2\n",
			want: []entry{{"a", "x", "one\ntwo\nthree", 2}, {"a", "y", "2", 5}},
		},
		{
			name: "indented comment continues a value",
			in:   "[a]\nx = one\n  # two\n",
			want: []entry{{"a", "x", "one\n# two", 2}},
		},
		{
			name: "empty value",
			in:   "[a]\nx =\ny = \"\"\n",
			want: []entry{{"a", "x", "", 2}, {"a", "y", "", 3}},
		},
		{
			name: "CRLF, lone CR and BOM",
			in:   "\ufeff[a]\r\nx = 1\r\ny = 2\rz = 3",
			want: []entry{{"a", "x", "1", 2}, {"a", "y", "2", 3}, {"a", "z", "3", 4}},
		},
		{
			name: "repeated sections stay separate",
			in:   "[a]\nx = 1\n[b]\n[a]\nx = 2\n",
			want: []entry{{"a", "x", "1", 2}, {"a", "x", "2", 5}},
		},
		{
			name: "section name kept as written",
			in:   "[API]\nx = 1\n",
			want: []entry{{"API", "x", "1", 2}},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			f, err := ParseINI("t.conf", []byte(tc.in))
			if err != nil {
				t.Fatalf("ParseINI: %v", err)
			}
			var got []entry
			for _, s := range f.Sections {
				for _, e := range s.Entries {
					got = append(got, entry{s.Name, e.Key, e.Value, e.Line})
				}
			}
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("entries (-want +got):\n%s", diff)
			}
		})
	}
}

func TestParseINIErrors(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		in   string
		want []string
	}{
		{"no separator", "[a]\nfoo\n", []string{`t.conf:2: expected "option = value"`}},
		{"unclosed header", "[a\nx = 1\n", []string{`t.conf:1: section header "[a" has no closing ]`}},
		{"empty header", "[]\n", []string{"t.conf:1: empty section name"}},
		{"empty key", "[a]\n= 1\n", []string{"t.conf:2: empty option name"}},
		{"before any section", "x = 1\n", []string{`t.conf:1: option "x" comes before any [section] header`}},
		{"continuation after blank", "[a]\nx = 1\n\n  y\n", []string{`t.conf:4: indented line "y" continues no option`}},
		{"continuation after header", "[a]\n  y = 1\n", []string{`t.conf:2: indented line "y = 1" continues no option`}},
		{"invalid utf-8", "[a]\nx = \xff\n", []string{"t.conf:2: line is not valid UTF-8"}},
		{"every error reported", "[a]\nfoo\nbar\n[b\n", []string{"t.conf:2:", "t.conf:3:", "t.conf:4:"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			_, err := ParseINI("t.conf", []byte(tc.in))
			if err == nil {
				t.Fatal("ParseINI succeeded, want an error")
			}
			for _, w := range tc.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q does not contain %q", err, w)
				}
			}
		})
	}
}

func TestParseINIRecovers(t *testing.T) {
	t.Parallel()
	// Entries under a broken header are dropped silently; good lines after
	// a bad one are kept.
	f, err := ParseINI("t.conf", []byte("[a\nx = 1\n[b]\nbad\ny = 2\n"))
	if err == nil {
		t.Fatal("want an error")
	}
	if got := strings.Count(err.Error(), "t.conf:"); got != 2 {
		t.Errorf("got %d errors, want 2: %v", got, err)
	}
	if len(f.Sections) != 1 || f.Sections[0].Name != "b" || len(f.Sections[0].Entries) != 1 {
		t.Fatalf("sections = %+v, want [b] with y only", f.Sections)
	}
}

// FuzzParse checks that no input makes the parser or the loader panic, and
// that the parser reports positions inside the input.
func FuzzParse(f *testing.F) {
	for _, dir := range []string{"testdata/good", "testdata/bad"} {
		files, _ := filepath.Glob(filepath.Join(dir, "*.conf"))
		for _, name := range files {
			data, err := os.ReadFile(name)
			if err != nil {
				f.Fatal(err)
			}
			f.Add(data)
		}
	}
	f.Add([]byte(SampleConfig()))
	f.Add([]byte("[a]\nx = ${y}$$\\$z$\n  $\n[DEFAULT]\ny = $x\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		file, _ := ParseINI("f.conf", data)
		lines := strings.Count(string(data), "\n") + strings.Count(string(data), "\r") + 1
		for _, s := range file.Sections {
			if s.Line < 1 || s.Line > lines {
				t.Fatalf("section %q at line %d of %d", s.Name, s.Line, lines)
			}
			for _, e := range s.Entries {
				if e.Line < s.Line || e.Line > lines {
					t.Fatalf("entry %q at line %d, section at %d, %d lines", e.Key, e.Line, s.Line, lines)
				}
			}
		}
		c, _, err := load("f.conf", data, true, []string{"ST2_API__PORT=1"}, true)
		if (c == nil) == (err == nil) {
			t.Fatalf("load returned config %v with error %v", c != nil, err)
		}
		if c != nil {
			var b strings.Builder
			if err := c.Dump(&b, true); err != nil {
				t.Fatal(err)
			}
		}
	})
}
