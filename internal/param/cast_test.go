package param

import (
	"errors"
	"reflect"
	"strings"
	"testing"

	"github.com/st2go/st2go/internal/model"
)

func TestCast(t *testing.T) {
	// Expected values follow CPython running st2common/util/casts.py.
	tests := []struct {
		typ     any
		in      any
		want    any
		wantErr string
	}{
		{"string", "x", "x", ""},
		{"string", nil, nil, ""},
		{"string", NoneMagicValue, nil, ""},
		{"string", 5, nil, `Value "5" must either be a string or None. Got "int".`},
		{"string", true, nil, `Value "True" must either be a string or None. Got "bool".`},

		{"boolean", "true", true, ""},
		{"boolean", "FALSE", false, ""},
		{"boolean", "1", 1, ""}, // a Python literal; validation rejects it later
		{"boolean", "none", nil, ""},
		{"boolean", false, false, ""},
		{"boolean", "yes", nil, "cannot cast 'yes' to boolean"},

		{"integer", " 42 ", 42, ""},
		{"integer", "4_2", 42, ""},
		{"integer", "+4", 4, ""},
		{"integer", "010", 10, ""},
		{"integer", 4.7, 4, ""},
		{"integer", -4.7, -4, ""},
		{"integer", true, 1, ""},
		{"integer", "4.0", nil, "invalid literal for int() with base 10: '4.0'"},
		{"integer", "abc", nil, "invalid literal for int() with base 10: 'abc'"},
		{"integer", "1__0", nil, "invalid literal for int() with base 10"},
		{"integer", map[string]any{}, nil, "int() argument must be a string, a bytes-like object or a real number, not 'dict'"},

		{"number", "1e3", 1000.0, ""},
		{"number", " 5 ", 5.0, ""},
		{"number", "1_0.5", 10.5, ""},
		{"number", ".5", 0.5, ""},
		{"number", 3, 3.0, ""},
		{"number", "0x10", nil, "could not convert string to float: '0x10'"},
		{"number", []any{}, nil, "float() argument must be a string or a real number, not 'list'"},
		{"number", "nan", nil, "NaN and infinity"},

		{"array", `["a", 1, 2.5, {"k": null}]`, []any{"a", 1, 2.5, map[string]any{"k": nil}}, ""},
		{"array", "['a', 1, True, None]", []any{"a", 1, true, nil}, ""},
		{"array", "('x',)", []any{"x"}, ""},
		{"array", "[1, 2.5, -3]", []any{1, 2.5, -3}, ""},
		{"array", []any{"kept"}, []any{"kept"}, ""},
		{"array", "a,b", nil, "cannot cast 'a,b' to array"},
		{"object", `{"a": {"b": [1]}}`, map[string]any{"a": map[string]any{"b": []any{1}}}, ""},
		{"object", "{'a': 1, 'b': [True, None], 'c': 'x' 'y'}", map[string]any{"a": 1, "b": []any{true, nil}, "c": "xy"}, ""},
		{"object", `{'esc': 'a\'b\n\x41\u00e9'}`, map[string]any{"esc": "a'b\nAé"}, ""},
		{"object", "{1: 2}", nil, "not a string"},
		{"object", "{1, 2}", nil, "sets are not supported"},
		{"object", `{"a": 1} x`, nil, "cannot cast"},
		{"object", NoneMagicValue, nil, ""},

		{nil, "5", "5", ""},
		{"null", "5", "5", ""},
		{[]any{"string", "null"}, 5, 5, ""},
	}
	for _, tc := range tests {
		spec := &model.ParamSpec{Type: tc.typ}
		got, err := Cast(spec, tc.in)
		if tc.wantErr != "" {
			var ce *CastError
			if !errors.As(err, &ce) || !strings.Contains(err.Error(), tc.wantErr) {
				t.Errorf("Cast(%v, %#v) error = %v, want a CastError containing %q", tc.typ, tc.in, err, tc.wantErr)
			}
			continue
		}
		if err != nil {
			t.Errorf("Cast(%v, %#v): %v", tc.typ, tc.in, err)
			continue
		}
		if !reflect.DeepEqual(got, tc.want) {
			t.Errorf("Cast(%v, %#v) = %#v, want %#v", tc.typ, tc.in, got, tc.want)
		}
	}
}
