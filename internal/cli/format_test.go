package cli

import (
	"encoding/json"
	"os"
	"strconv"
	"testing"

	"github.com/st2go/st2go/internal/client"
	"github.com/st2go/st2go/internal/pyfmt"
)

// testdata/pyformat.json and testdata/tables.json hold the renderings
// Python 3 (json, PyYAML 6, prettytable 3) produced for each input; the Go
// renderers must match them byte for byte.

func TestPythonRenderings(t *testing.T) {
	data, err := os.ReadFile("testdata/pyformat.json")
	if err != nil {
		t.Fatal(err)
	}
	var raw []map[string]json.RawMessage
	if err := json.Unmarshal(data, &raw); err != nil {
		t.Fatal(err)
	}
	for i, c := range raw {
		input, err := client.Decode(c["input"])
		if err != nil {
			t.Fatal(err)
		}
		want := func(k string) string {
			var s string
			if err := json.Unmarshal(c[k], &s); err != nil {
				t.Fatal(err)
			}
			return s
		}
		wrapped := client.NewObject()
		wrapped.Set("result", input)
		checks := []struct {
			name string
			got  string
		}{
			{"dump4", yamlDump(input, 4, 80)},
			{"dump2", yamlDump(wrapped, 2, 0)},
			{"json", pyfmt.JSON(input, 4, true)},
			{"json_ordered", pyfmt.JSON(input, 4, false)},
			{"compact", pyfmt.JSON(input, -1, false)},
			{"repr", pyfmt.Str(input)},
		}
		for _, ch := range checks {
			t.Run(strconv.Itoa(i)+"/"+ch.name, func(t *testing.T) {
				if w := want(ch.name); ch.got != w {
					t.Errorf("got:\n%s\nwant:\n%s\n(quoted)\n got %q\nwant %q", ch.got, w, ch.got, w)
				}
			})
		}
	}
}

func TestPrettyTable(t *testing.T) {
	data, err := os.ReadFile("testdata/tables.json")
	if err != nil {
		t.Fatal(err)
	}
	var cases []struct {
		Fields []string
		Widths []int
		Rows   [][]string
		Want   string
	}
	if err := json.Unmarshal(data, &cases); err != nil {
		t.Fatal(err)
	}
	for i, c := range cases {
		tb := newTable(c.Fields, c.Widths)
		for _, r := range c.Rows {
			tb.addRow(r)
		}
		if got := tb.String(); got != c.Want {
			t.Errorf("case %d:\n%s\nwant:\n%s", i, got, c.Want)
		}
	}
}

func TestParsePyLiteral(t *testing.T) {
	tests := []struct {
		in, want string
		ok       bool
	}{
		{`{'a': 1, "b": [True, None, 'x\'y']}`, `{"a": 1, "b": [true, null, "x'y"]}`, true},
		{`[1, 2.5, (3, 4)]`, `[1, 2.5, [3, 4]]`, true},
		{`{"a": true}`, "", false},
		{`[unclosed`, "", false},
	}
	for _, tc := range tests {
		v, err := parsePyLiteral(tc.in)
		if (err == nil) != tc.ok {
			t.Errorf("parsePyLiteral(%q) error %v", tc.in, err)
			continue
		}
		if tc.ok {
			if got := pyfmt.JSON(v, -1, false); got != tc.want {
				t.Errorf("parsePyLiteral(%q) = %s, want %s", tc.in, got, tc.want)
			}
		}
	}
}
