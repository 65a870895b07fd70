package yamlfile

import (
	"errors"
	"fmt"
	"reflect"
	"strings"
	"testing"

	"go.yaml.in/yaml/v3"
)

func mustParse(t *testing.T, src string) *yaml.Node {
	t.Helper()
	n, err := Parse("x.yaml", []byte(src))
	if err != nil {
		t.Fatalf("Parse(%q): %v", src, err)
	}
	return n
}

func TestParseSyntaxErrors(t *testing.T) {
	cases := []struct {
		name, yaml, want string
	}{
		// Scanner problems: the decoder's line is right.
		{"first line", "name: x: y\n", "x.yaml:1: mapping values are not allowed in this context"},
		{"third line", "name: x\nrunner_type: noop\ndescription: a: b\n", "x.yaml:3: mapping values are not allowed in this context"},
		{"unclosed quote", "a: 'x\n", "x.yaml:2: found unexpected end of stream"},
		{"anchor without a name", "a: &\n", "x.yaml:1: did not find expected alphabetic or numeric character"},
		// Parser problems: the decoder's line is zero-based.
		{"block sequence", "name: x\nparameters:\n  - a\n  b: 2\n", "x.yaml:3: did not find expected '-' indicator"},
		{"unclosed flow sequence", "name: x\ntags: [1, 2\nrunner_type: noop\n", "x.yaml:2: did not find expected ',' or ']'"},
		{"unclosed flow mapping", "a: {b: 1\n", "x.yaml:2: did not find expected ',' or '}'"},
		{"repeated directive", "%YAML 1.1\n%YAML 1.1\n---\na: 1\n", "x.yaml:2: found duplicate %YAML directive"},
		{"undefined tag handle on the first line", "a: !foo!bar x\n", "x.yaml:1: found undefined tag handle"},
		// No line in the message.
		{"unknown anchor", "a: *x\n", "x.yaml:1: unknown anchor 'x' referenced"},
		// Encoding problems have no position.
		{"control character", "a: \x01\n", "x.yaml: control characters are not allowed"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := Parse("x.yaml", []byte(c.yaml))
			var ye *Error
			if !errors.As(err, &ye) {
				t.Fatalf("error %v (%T), want an *Error", err, err)
			}
			if got := err.Error(); got != c.want {
				t.Errorf("error\n got %s\nwant %s", got, c.want)
			}
			if errors.Is(err, ErrTooLarge) {
				t.Errorf("a syntax error matches ErrTooLarge")
			}
		})
	}
}

func TestParseDocuments(t *testing.T) {
	cases := []struct {
		name, yaml string
		wantNil    bool
		wantNull   bool
		wantKind   yaml.Kind
	}{
		{name: "empty", yaml: "", wantNil: true, wantNull: true},
		{name: "comments only", yaml: "# nothing\n", wantNil: true, wantNull: true},
		{name: "null document", yaml: "~\n", wantNull: true, wantKind: yaml.ScalarNode},
		{name: "mapping", yaml: "a: 1\n", wantKind: yaml.MappingNode},
		{name: "alias at the root", yaml: "--- &a [1]\n", wantKind: yaml.SequenceNode},
		{name: "only the first document", yaml: "a: 1\n---\n[2]\n", wantKind: yaml.MappingNode},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			n := mustParse(t, c.yaml)
			if (n == nil) != c.wantNil {
				t.Fatalf("node %v, want nil: %v", n, c.wantNil)
			}
			if IsNull(n) != c.wantNull {
				t.Errorf("IsNull = %v, want %v", IsNull(n), c.wantNull)
			}
			if n != nil && n.Kind != c.wantKind {
				t.Errorf("kind %v, want %v", n.Kind, c.wantKind)
			}
		})
	}
}

// laughs builds a document of levels mappings, each holding ten aliases
// of the one before: 10^levels values once expanded.
func laughs(levels int) string {
	var b strings.Builder
	b.WriteString("l0: &l0 x\n")
	for i := 1; i <= levels; i++ {
		p := fmt.Sprintf("*l%d", i-1)
		fmt.Fprintf(&b, "l%d: &l%d [%s]\n", i, i, strings.Repeat(p+", ", 9)+p)
	}
	return b.String()
}

func TestParseAliasLimits(t *testing.T) {
	cases := []struct {
		name, yaml string
		want       string // "" for no error
	}{
		{"shared aliases under the limit", laughs(5), ""},
		{"aliases past the limit", laughs(7), "x.yaml: document has more than 1048576 values once aliases are expanded"},
		{"alias inside its own mapping", "a: 1\nb: &x\n  c: *x\n", "x.yaml:3: alias *x is inside the value it refers to, which then has no end"},
		{"alias inside its own list", "&x [1, [*x]]\n", "x.yaml:1: alias *x is inside the value it refers to, which then has no end"},
		{"merge of its own mapping", "a: &x\n  <<: *x\n", "x.yaml:2: alias *x is inside the value it refers to, which then has no end"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := Parse("x.yaml", []byte(c.yaml))
			if c.want == "" {
				if err != nil {
					t.Fatalf("error %v", err)
				}
				return
			}
			if err == nil || err.Error() != c.want {
				t.Fatalf("error\n got %v\nwant %s", err, c.want)
			}
			if !errors.Is(err, ErrTooLarge) {
				t.Errorf("%v does not match ErrTooLarge", err)
			}
		})
	}
}

type entry struct {
	Key  string
	Line int
	Val  any
}

func entriesOf(t *testing.T, n *yaml.Node) []entry {
	t.Helper()
	var out []entry
	for _, e := range Entries(n) {
		v, err := Value(e.Value, nil)
		if err != nil {
			t.Fatalf("Value: %v", err)
		}
		out = append(out, entry{e.Key, e.KeyNode.Line, v})
	}
	return out
}

func TestEntries(t *testing.T) {
	cases := []struct {
		name, yaml string
		in         string // the root key whose mapping is listed; "" for the root
		want       []entry
	}{
		{"plain", "a: 1\nb: 2\n", "", []entry{{"a", 1, 1}, {"b", 2, 2}}},
		{"repeated key keeps its place and its last value", "a: 1\nb: 2\na: 3\n", "", []entry{{"a", 3, 3}, {"b", 2, 2}}},
		{"own keys win over merged ones and come first", "base: &b {x: 1, y: 2}\nm:\n  <<: *b\n  y: 3\n", "m",
			[]entry{{"y", 4, 3}, {"x", 1, 1}}},
		{"earlier merged mapping wins", "a: &a {p: 1}\nb: &b {p: 2, q: 3}\nm: {<<: [*a, *b]}\n", "m",
			[]entry{{"p", 1, 1}, {"q", 2, 3}}},
		{"merges nest", "a: &a {p: 1}\nb: &b {<<: *a, q: 2}\nm: {<<: *b}\n", "m",
			[]entry{{"q", 2, 2}, {"p", 1, 1}}},
		{"merge of a scalar merges nothing", "<<: 1\na: 2\n", "", []entry{{"a", 2, 2}}},
		{"list keys are not taken for one another", "? [1]\n: a\n? [2]\n: b\n", "", []entry{{"", 1, "a"}, {"", 3, "b"}}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			n := mustParse(t, c.yaml)
			if c.in != "" {
				for _, e := range Entries(n) {
					if e.Key == c.in {
						n = e.Value
					}
				}
			}
			if got := entriesOf(t, n); !reflect.DeepEqual(got, c.want) {
				t.Errorf("entries\n got %v\nwant %v", got, c.want)
			}
		})
	}
}

func TestValue(t *testing.T) {
	n := mustParse(t, `yes1: yes
yes2: On
no1: NO
no2: off
quoted: 'yes'
none: None
null1: ~
null2: null
int: 12
octal: 0o17
float: 1.5
exp: 1e3
stamp: 2001-12-14
text: |
  x
list: [1, two, true]
`)
	got, err := Value(n, nil)
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]any{
		"yes1": true, "yes2": true, "no1": false, "no2": false, "quoted": "yes", "none": "None",
		"null1": nil, "null2": nil, "int": 12, "octal": 15, "float": 1.5, "exp": 1000.0,
		"stamp": "2001-12-14", "text": "x\n", "list": []any{1, "two", true},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("Value\n got %#v\nwant %#v", got, want)
	}
}

func TestValueVisitsEveryValue(t *testing.T) {
	n := mustParse(t, "a:\n  b: 1\n  c:\n    - x\n    - &y {d: 2}\ne: *y\n")
	var got []string
	if _, err := Value(n, func(path []string, line int) {
		got = append(got, fmt.Sprintf("%s@%d", strings.Join(path, "."), line))
	}); err != nil {
		t.Fatal(err)
	}
	want := []string{"a@1", "a.b@2", "a.c@3", "a.c.0@4", "a.c.1@5", "a.c.1.d@5", "e@6", "e.d@5"}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("visits\n got %v\nwant %v", got, want)
	}
}

func TestValueErrors(t *testing.T) {
	cases := []struct {
		name, yaml, want string
		line             int
	}{
		{"infinity", "a: 1\nb: .inf\n", ".inf cannot be represented in JSON", 2},
		{"not a number", "a: [1, !!int s3cret]\n", "cannot read this int value", 1},
		{"not a boolean", "a:\n  b: !!bool s3cret\n", "cannot read this bool value", 2},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := Value(mustParse(t, c.yaml), nil)
			var se *ScalarError
			if !errors.As(err, &se) {
				t.Fatalf("error %v (%T), want a *ScalarError", err, err)
			}
			if se.Error() != c.want || se.Line != c.line {
				t.Errorf("error %q at line %d, want %q at line %d", se.Error(), se.Line, c.want, c.line)
			}
		})
	}
}

func TestScalarReaders(t *testing.T) {
	cases := []struct {
		yaml     string
		bool     any // bool, or nil when Bool is not ok
		number   any // float64, or nil when Number is not ok
		describe string
	}{
		{"yes", true, nil, `the string "yes"`},
		{"Off", false, nil, `the string "Off"`},
		{"true", true, nil, "bool true"},
		{"'yes'", nil, nil, `the string "yes"`},
		{"12", nil, 12.0, "int 12"},
		{"-1.5", nil, -1.5, "float -1.5"},
		{"'12'", nil, nil, `the string "12"`},
		{"~", nil, nil, "null"},
		{"[1]", nil, nil, "a list"},
		{"{a: 1}", nil, nil, "a mapping"},
		{"!!int x", nil, nil, "int x"},
	}
	for _, c := range cases {
		t.Run(c.yaml, func(t *testing.T) {
			n := mustParse(t, "v: "+c.yaml+"\n").Content[1]
			b, ok := Bool(n)
			if got := any(nil); ok {
				got = b
				if got != c.bool {
					t.Errorf("Bool = %v, want %v", got, c.bool)
				}
			} else if c.bool != nil {
				t.Errorf("Bool not ok, want %v", c.bool)
			}
			f, ok := Number(n)
			if ok != (c.number != nil) || (ok && f != c.number) {
				t.Errorf("Number = %v, %v, want %v", f, ok, c.number)
			}
			if got := Describe(n); got != c.describe {
				t.Errorf("Describe = %s, want %s", got, c.describe)
			}
		})
	}
}
