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
		unsup   bool
		syntax  bool
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
		{name: "missing key", src: "{{ obj.zzz }}", wantErr: "'dict object' has no attribute 'zzz'"},
		{name: "missing item", src: "{{ obj['zzz'] }}", wantErr: "'dict object' has no attribute 'zzz'"},
		{name: "missing index", src: "{{ list[9] }}", wantErr: "list object has no element 9"},
		{name: "attr of None", src: "{{ nothing.x }}", wantErr: "'None' has no attribute 'x'"},
		{name: "attr of str", src: "{{ name.x }}", wantErr: "'str object' has no attribute 'x'"},
		{name: "dict method name", src: "{{ obj.items }}", unsup: true},

		{name: "statement", src: "{% if yes %}y{% endif %}", wantErr: `unsupported template construct "{% if" (full Jinja support is not built yet)`, unsup: true},
		{name: "comment", src: "{# note #}{{ n }}", unsup: true},
		{name: "filter", src: "{{ name | upper }}", wantErr: `"| upper"`, unsup: true},
		{name: "operator", src: "{{ n + 1 }}", wantErr: `"+ 1"`, unsup: true},
		{name: "call", src: "{{ name.upper() }}", unsup: true},
		{name: "literal expr", src: "{{ 'x' }}", unsup: true},
		{name: "keyword", src: "{{ true }}", unsup: true},
		{name: "not", src: "{{ not yes }}", unsup: true},
		{name: "whitespace control", src: "{{- n }}", unsup: true},
		{name: "whitespace control end", src: "{{ n -}}", unsup: true},
		{name: "concat", src: "{{ name ~ 'x' }}", unsup: true},

		{name: "unclosed expression", src: "echo {{ name", syntax: true},
		{name: "unclosed statement", src: "{% if", syntax: true},
		{name: "unclosed comment", src: "${#arr[@]} {{ n }}", syntax: true},
		{name: "empty expression", src: "{{ }}", syntax: true},
		{name: "unclosed filter", src: "{{ n | x", syntax: true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			tmpl, err := Parse(tc.src)
			var got string
			if err == nil {
				got, err = tmpl.Render(vars)
			}
			var ue *UnsupportedError
			var se *SyntaxError
			switch {
			case tc.syntax:
				if !errors.As(err, &se) {
					t.Fatalf("err = %v, want a syntax error", err)
				}
			case tc.unsup:
				if !errors.As(err, &ue) || !errors.Is(err, ErrUnsupported) {
					t.Fatalf("err = %v, want an unsupported construct error", err)
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
	tmpl, err := Parse("{{ a.b }} {{ c['x'] }} {{ a }}")
	if err != nil {
		t.Fatal(err)
	}
	if got, want := tmpl.Refs(), []string{"a", "c"}; !reflect.DeepEqual(got, want) {
		t.Fatalf("Refs = %v, want %v", got, want)
	}
}
