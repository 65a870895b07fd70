package pyfmt

import (
	"encoding/json"
	"math"
	"testing"
)

// Expected values throughout are what CPython 3 prints.

// orderedMap is a minimal OrderedMap, as the CLI's decoded objects are.
type orderedMap struct {
	keys []string
	vals map[string]any
}

func ordered(kv ...any) *orderedMap {
	m := &orderedMap{vals: map[string]any{}}
	for i := 0; i < len(kv); i += 2 {
		k := kv[i].(string)
		m.keys = append(m.keys, k)
		m.vals[k] = kv[i+1]
	}
	return m
}

func (m *orderedMap) Keys() []string { return m.keys }

func (m *orderedMap) Get(key string) (any, bool) {
	v, ok := m.vals[key]
	return v, ok
}

func TestStrDecoded(t *testing.T) {
	// The rendering param and runner/local use for values decoded by
	// encoding/json: integral floats print as the integers they most
	// likely were.
	p := Printer{IntegralFloatsAsInts: true}
	tests := []struct {
		in   any
		want string
	}{
		{"as is", "as is"},
		{nil, "None"},
		{false, "False"},
		{42, "42"},
		{int64(-3), "-3"},
		{int32(7), "7"},
		{uint8(200), "200"},
		{2.5, "2.5"},
		{5.0, "5"},
		{float32(4), "4"},
		{math.Copysign(0, -1), "0"},
		{1e16, "1e+16"},
		{1e-05, "1e-05"},
		{0.0001, "0.0001"},
		{-2.5e-07, "-2.5e-07"},
		{123456.789, "123456.789"},
		{math.Inf(-1), "-inf"},
		{json.Number("5.0"), "5.0"},
		{json.Number("1e2"), "100.0"},
		{json.Number("12"), "12"},
		{[]any{"it's \"q\"", "it's", `a\b`, "\n\t\x00\u00a0é\u2028"}, `['it\'s "q"', "it's", 'a\\b', '\n\t\x00\xa0é\u2028']`},
		{map[string]any{"b": []any{}, "a": map[string]any{}}, "{'a': {}, 'b': []}"},
		{[]string{"x", "y"}, "['x', 'y']"},
		{map[string]string{"k": "v"}, "{'k': 'v'}"},
		{map[int]bool{2: true, 1: false}, "{1: False, 2: True}"},
		{[]any{1.0, []int{1, 2}}, "[1, [1, 2]]"},
		{(*int)(nil), "None"},
		{ordered("z", 1.5, "a", nil), "{'z': 1.5, 'a': None}"},
	}
	for _, tc := range tests {
		if got := p.Str(tc.in); got != tc.want {
			t.Errorf("Str(%#v) = %s, want %s", tc.in, got, tc.want)
		}
	}
}

func TestReprExact(t *testing.T) {
	// The zero Printer: a float64 is a Python float.
	tests := []struct {
		in   any
		want string
	}{
		{"x", "'x'"},
		{5.0, "5.0"},
		{math.Copysign(0, -1), "-0.0"},
		{[]any{1.0, json.Number("1"), true}, "[1.0, 1, True]"},
		{json.Number("-0"), "0"},
		{json.Number("1e400"), "inf"},
		{json.Number("-1e400"), "-inf"},
		{json.Number("12345678901234567890123"), "12345678901234567890123"},
		{json.Number("not a number"), "not a number"},
		{"\u200b\U0001F600\U000e0001\x7f", `'\u200b😀\U000e0001\x7f'`},
		{"bad \xff byte", `'bad \xff byte'`},
		{ordered("b", []any{"x"}, "a", ordered()), "{'b': ['x'], 'a': {}}"},
	}
	for _, tc := range tests {
		if got := Repr(tc.in); got != tc.want {
			t.Errorf("Repr(%#v) = %s, want %s", tc.in, got, tc.want)
		}
	}
	if got := Str("it's"); got != "it's" {
		t.Errorf("Str(string) = %s, want it as it is", got)
	}
}

func TestFloat(t *testing.T) {
	tenth := 0.1 // a variable: constant arithmetic would be exact
	tests := []struct {
		in   float64
		want string
	}{
		{1, "1.0"}, {0.1, "0.1"}, {1e16, "1e+16"}, {1.5e16, "1.5e+16"}, {123456789012345.6, "123456789012345.6"},
		{1e-5, "1e-05"}, {0.0001, "0.0001"}, {-2.5, "-2.5"}, {0, "0.0"}, {100, "100.0"},
		{1e22, "1e+22"}, {tenth + 2*tenth, "0.30000000000000004"}, {1.2e-5, "1.2e-05"}, {1 << 53, "9007199254740992.0"},
		{math.NaN(), "nan"}, {math.Inf(1), "inf"},
	}
	for _, tc := range tests {
		if got := Float(tc.in); got != tc.want {
			t.Errorf("Float(%v) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

func TestNumber(t *testing.T) {
	tests := []struct {
		in      json.Number
		want    string
		isFloat bool
	}{
		{"12", "12", false},
		{"-0", "0", false},
		{"12345678901234567890123", "12345678901234567890123", false},
		{"5.0", "5.0", true},
		{"2E3", "2000.0", true},
		{"1e-7", "1e-07", true},
		{"1e400", "inf", true},
	}
	for _, tc := range tests {
		if got := Number(tc.in); got != tc.want {
			t.Errorf("Number(%s) = %s, want %s", tc.in, got, tc.want)
		}
		if got := IsFloat(tc.in); got != tc.isFloat {
			t.Errorf("IsFloat(%s) = %v, want %v", tc.in, got, tc.isFloat)
		}
	}
}

func TestJSON(t *testing.T) {
	doc := ordered("b", []any{json.Number("1"), ordered("x", []any{})}, "a", ordered(), "c", "é\U0001F600\x7f\"\\")
	tests := []struct {
		name     string
		p        Printer
		in       any
		indent   int
		sortKeys bool
		want     string
	}{
		{"indented, in order", Printer{}, doc, 2, false, "{\n" +
			"  \"b\": [\n" +
			"    1,\n" +
			"    {\n" +
			"      \"x\": []\n" +
			"    }\n" +
			"  ],\n" +
			"  \"a\": {},\n" +
			"  \"c\": \"\\u00e9\\ud83d\\ude00\\u007f\\\"\\\\\"\n" +
			"}"},
		{"one line, sorted", Printer{}, ordered("b", []any{1, ordered("x", []any{})}, "a", ordered()), -1, true,
			`{"a": {}, "b": [1, {"x": []}]}`},
		{"non-finite, indent 0", Printer{}, []any{math.NaN(), json.Number("1e400"), math.Inf(-1)}, 0, false,
			"[\nNaN,\nInfinity,\n-Infinity\n]"},
		{"scalars", Printer{}, []any{nil, true, false, 5.0, json.Number("-0"), "x"}, -1, false,
			`[null, true, false, 5.0, 0, "x"]`},
		{"integral floats as ints", Printer{IntegralFloatsAsInts: true}, []any{5.0, 2.5}, -1, false, `[5, 2.5]`},
		{"go map sorted", Printer{}, map[string]any{"b": 1, "a": []string{"x"}}, -1, false, `{"a": ["x"], "b": 1}`},
		{"typed map keys", Printer{}, map[any]string{1: "a", nil: "c", 2.5: "d"}, -1, false, `{"1": "a", "2.5": "d", "null": "c"}`},
		{"struct", Printer{}, struct{ A int }{1}, -1, false, `{"A":1}`},
		{"raw message", Printer{}, []any{json.RawMessage(`{"k":1}`)}, -1, false, `[{"k":1}]`},
	}
	for _, tc := range tests {
		if got := tc.p.JSON(tc.in, tc.indent, tc.sortKeys); got != tc.want {
			t.Errorf("%s: got\n%s\nwant\n%s", tc.name, got, tc.want)
		}
	}
	if got := JSON(ordered("k", 1.0), -1, false); got != `{"k": 1.0}` {
		t.Errorf("JSON = %s", got)
	}
}

func TestTypeName(t *testing.T) {
	tests := []struct {
		in   any
		want string
	}{
		{nil, "NoneType"}, {"s", "str"}, {true, "bool"}, {3, "int"}, {uint16(3), "int"}, {2.5, "float"},
		{json.Number("3"), "int"}, {json.Number("3.0"), "float"}, {[]any{}, "list"}, {[]string{}, "list"},
		{map[string]any{}, "dict"}, {map[string]int{}, "dict"}, {ordered(), "dict"}, {struct{}{}, "struct {}"},
	}
	for _, tc := range tests {
		if got := TypeName(tc.in); got != tc.want {
			t.Errorf("TypeName(%#v) = %s, want %s", tc.in, got, tc.want)
		}
	}
}
