package param

import (
	"encoding/json"
	"errors"
	"reflect"
	"strings"
	"testing"
)

func TestRender(t *testing.T) {
	vars := map[string]any{
		"name":    "world",
		"n":       5,
		"f":       1.5,
		"nothing": nil,
		"yes":     true,
		"list":    []any{"a", 1, nil, true, 2.5},
		"obj":     map[string]any{"b": 1, "a": "x", "nested": map[string]any{"k": "v"}, "items": "i"},
		"jnum":    json.Number("3"),
		"quote":   "it's",
		"uni":     "héllo",
	}
	tests := []struct {
		name    string
		src     string
		want    string
		wantErr string // substring
		tmplErr bool   // a *TemplateError
		syntax  bool   // a *SyntaxError (not a template)
	}{
		{name: "literal", src: "plain text", want: "plain text"},
		{name: "name", src: "hello {{ name }}!", want: "hello world!"},
		{name: "no spaces", src: "{{name}}", want: "world"},
		{name: "lots of space", src: "{{   name\t}}", want: "world"},
		{name: "int", src: "{{ n }}", want: "5"},
		{name: "float", src: "{{ f }}", want: "1.5"},
		{name: "None", src: "{{ nothing }}", want: "None"},
		{name: "True", src: "{{ yes }}", want: "True"},
		{name: "list repr", src: "{{ list }}", want: "['a', 1, None, True, 2.5]"},
		{name: "dict repr sorted", src: "{{ obj.nested }}", want: "{'k': 'v'}"},
		{name: "attr chain", src: "{{ obj.nested.k }}", want: "v"},
		{name: "item", src: "{{ obj['a'] }}", want: "x"},
		{name: "item double quotes", src: `{{ obj["a"] }}`, want: "x"},
		{name: "item spaced", src: "{{ obj [ 'a' ] . b }}", wantErr: "'str object' has no attribute 'b'"},
		{name: "index", src: "{{ list[0] }}{{ list.1 }}{{ list[-1] }}", want: "a12.5"},
		{name: "string index", src: "{{ uni[1] }}", want: "é"},
		{name: "json number", src: "{{ jnum }}", want: "3"},
		{name: "string as is", src: "{{ quote }}", want: "it's"},
		{name: "two exprs", src: "{{ name }}-{{ n }}", want: "world-5"},
		{name: "crlf normalised, trailing newline dropped", src: "a\r\n{{ n }}\n", want: "a\n5"},
		{name: "closing braces in text", src: "}} {{ n }} }}", want: "}} 5 }}"},
		{name: "item key with braces", src: "{{ obj['}}'] }}", wantErr: "'dict object' has no attribute '}}'"},

		{name: "undefined", src: "{{ missing }}", wantErr: "'missing' is undefined"},
		{name: "undefined in a branch not taken", src: "{% if false %}{{ missing }}{% endif %}ok", want: "ok"},
		{name: "missing key", src: "{{ obj.zzz }}", wantErr: "'dict object' has no attribute 'zzz'"},
		{name: "missing item", src: "{{ obj['zzz'] }}", wantErr: "'dict object' has no attribute 'zzz'"},
		{name: "missing index", src: "{{ list[9] }}", wantErr: "list object has no element 9"},
		{name: "attr of None", src: "{{ nothing.x }}", wantErr: "'None' has no attribute 'x'"},
		{name: "attr of str", src: "{{ name.x }}", wantErr: "'str object' has no attribute 'x'"},
		{name: "dict method name", src: "{{ obj.items }}", want: "<built-in method items of dict object>"},

		// Constructs the stop-gap renderer refused; the real engine renders them.
		{name: "statement", src: "{% if yes %}y{% endif %}", want: "y"},
		{name: "comment", src: "{# note #}{{ n }}", want: "5"},
		{name: "filter", src: "{{ name | upper }}", want: "WORLD"},
		{name: "operator", src: "{{ n + 1 }}", want: "6"},
		{name: "call", src: "{{ name.upper() }}", want: "WORLD"},
		{name: "literal expr", src: "{{ 'x' }}", want: "x"},
		{name: "keyword", src: "{{ true }}", want: "True"},
		{name: "not", src: "{{ not yes }}", want: "False"},
		{name: "whitespace control", src: "a {{- n }}", want: "a5"},
		{name: "whitespace control end", src: "{{ n -}} b", want: "5b"},
		{name: "concat", src: "{{ name ~ 'x' }}", want: "worldx"},
		{name: "for loop", src: "{% for x in list[:2] %}{{ loop.index }}={{ x }};{% endfor %}", want: "1=a;2=1;"},
		{name: "trim blocks", src: "{% if yes %}\n  y\n{% endif %}\n", want: "  y\n"},
		{name: "lstrip blocks", src: "  {% if yes %}y{% endif %}", want: "y"},
		{name: "percent format", src: "{{ '%s-%03d' % (name, n) }}", want: "world-005"},
		{name: "StackStorm filter", src: "{{ obj.nested | to_json_string }}", want: `{"k": "v"}`},
		{name: "undefined in filter", src: "{{ obj.zzz | default('d') }}", want: "d"},
		{name: "include needs a loader", src: "{% include 'x' %}", wantErr: "no loader for this environment specified", tmplErr: true},
		{name: "unknown filter", src: "{{ n | nosuchfilter }}", wantErr: "No filter named 'nosuchfilter'", tmplErr: true},

		// Complete tags that do not parse are template errors (BL-07); text
		// that ends inside a tag is not a template (a *SyntaxError).
		{name: "go template", src: `echo "{{.Name}}"`, wantErr: "unexpected '.'", tmplErr: true},
		{name: "empty expression", src: "{{ }}", wantErr: "Expected an expression, got 'end of print statement'", tmplErr: true},
		{name: "single closing brace", src: "{{ x }", wantErr: "unexpected '}'", tmplErr: true},
		{name: "missing endif", src: "{% if yes %}y", wantErr: "Jinja was looking for the following tags", tmplErr: true},
		{name: "unclosed expression", src: "echo {{ name", syntax: true},
		{name: "unclosed statement", src: "{% if", syntax: true},
		{name: "unclosed comment", src: "${#arr[@]} {{ n }}", syntax: true},
		{name: "unclosed raw block", src: "{% raw %}{{ x", syntax: true},
		{name: "unclosed filter", src: "{{ n | x", syntax: true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			tmpl, err := Parse(tc.src)
			var got string
			if err == nil {
				got, err = tmpl.Render(vars)
			}
			var te *TemplateError
			var se *SyntaxError
			switch {
			case tc.syntax:
				if !errors.As(err, &se) {
					t.Fatalf("err = %v, want a syntax error", err)
				}
			case tc.tmplErr:
				if !errors.As(err, &te) {
					t.Fatalf("err = %#v, want a *TemplateError", err)
				}
			case tc.wantErr == "" && err != nil:
				t.Fatalf("unexpected error: %v", err)
			case tc.wantErr == "" && got != tc.want:
				t.Fatalf("got %q, want %q", got, tc.want)
			}
			if tc.wantErr != "" && (err == nil || !strings.Contains(err.Error(), tc.wantErr)) {
				t.Fatalf("err = %v, want it to contain %q", err, tc.wantErr)
			}
		})
	}
}

func TestTemplateValueKeepsType(t *testing.T) {
	vars := map[string]any{"obj": map[string]any{"a": []any{1, 2}}, "n": 7}
	tests := []struct {
		src  string
		want any
	}{
		{"{{ obj }}", map[string]any{"a": []any{1, 2}}},
		{"{{ obj.a }}", []any{1, 2}},
		{" {{ n }}", " 7"},
		{"{{ n }}{{ n }}", "77"},
		{"{{n}}", 7},
		{"text", "text"},
	}
	for _, tc := range tests {
		tmpl, err := Parse(tc.src)
		if err != nil {
			t.Fatal(err)
		}
		got, err := tmpl.Value(vars)
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(got, tc.want) {
			t.Errorf("Value(%q) = %#v, want %#v", tc.src, got, tc.want)
		}
	}
}

func TestRefs(t *testing.T) {
	// Refs are the top-level names a template reads from its context
	// (Jinja's meta.find_undeclared_variables), in order of first use.
	tests := []struct {
		src  string
		want []string
	}{
		{"{{ a.b }} {{ c['x'] }} {{ a }}", []string{"a", "c"}},
		{"{{ x | default(y) }}{{ z is defined }}", []string{"x", "y", "z"}},
		{"{% for h in hosts %}{{ h }}{{ loop.index }}{{ sep }}{% endfor %}", []string{"hosts", "sep"}},
		{"{% set n = count | int %}{{ n + 1 }}", []string{"count"}},
		{"{% if frequency %}--frequency {{ frequency }}{% endif %}", []string{"frequency"}},
		{"{{ st2kv.system.k | decrypt_kv }} {{ range(3) | list }}", []string{"st2kv"}},
		{"plain", nil},
	}
	for _, tc := range tests {
		tmpl, err := Parse(tc.src)
		if err != nil {
			t.Fatal(err)
		}
		if got := tmpl.Refs(); !reflect.DeepEqual(got, tc.want) && !(len(got) == 0 && len(tc.want) == 0) {
			t.Errorf("Refs(%q) = %v, want %v", tc.src, got, tc.want)
		}
	}
}
