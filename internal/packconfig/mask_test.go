package packconfig

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

const m = MaskedValue

func TestMask(t *testing.T) {
	tests := []struct {
		name   string
		schema string
		config map[string]any
		want   map[string]any
	}{
		{
			name:   "top-level secret",
			schema: "api_key: {type: string, secret: true}\nregion: {type: string}\n",
			config: map[string]any{"api_key": "k", "region": "eu", "extra": "x"},
			want:   map[string]any{"api_key": m, "region": "eu", "extra": "x"},
		},
		{
			name:   "a present secret is masked whatever its value; an absent one is not added",
			schema: "a: {type: string, secret: true}\nb: {type: integer, secret: true}\nc: {type: string, secret: true}\n",
			config: map[string]any{"a": nil, "b": 5},
			want:   map[string]any{"a": m, "b": m},
		},
		{
			// BL-18 (st2#4139): secrets inside an array of objects.
			name: "array of objects with a secret property",
			schema: `
instances:
  type: array
  items:
    type: object
    properties:
      alias: {type: string}
      base_url: {type: string}
      token: {type: string, secret: true}
`,
			config: map[string]any{"instances": []any{
				map[string]any{"alias": "one", "base_url": "https://one", "token": "t-one"},
				map[string]any{"alias": "two", "base_url": "https://two", "token": "t-two"},
				map[string]any{"alias": "three"},
			}},
			want: map[string]any{"instances": []any{
				map[string]any{"alias": "one", "base_url": "https://one", "token": m},
				map[string]any{"alias": "two", "base_url": "https://two", "token": m},
				map[string]any{"alias": "three"},
			}},
		},
		{
			name: "whole secret object and array",
			schema: `
creds: {type: object, secret: true, properties: {user: {type: string}}}
keys: {type: array, secret: true, items: {type: string}}
`,
			config: map[string]any{"creds": map[string]any{"user": "u", "password": "p"}, "keys": []any{"a", "b"}},
			want:   map[string]any{"creds": m, "keys": m},
		},
		{
			name: "nested objects",
			schema: `
auth:
  type: object
  properties:
    user: {type: string}
    settings:
      type: object
      properties:
        token: {type: string, secret: true}
`,
			config: map[string]any{"auth": map[string]any{"user": "u", "settings": map[string]any{"token": "t", "other": 1}}},
			want:   map[string]any{"auth": map[string]any{"user": "u", "settings": map[string]any{"token": m, "other": 1}}},
		},
		{
			name: "additionalProperties",
			schema: `
accounts:
  type: object
  properties:
    default: {type: string}
  additionalProperties:
    type: object
    properties:
      name: {type: string}
      password: {type: string, secret: true}
`,
			config: map[string]any{"accounts": map[string]any{
				"default": "prod",
				"prod":    map[string]any{"name": "p", "password": "pw1"},
				"dev":     map[string]any{"name": "d", "password": "pw2"},
			}},
			want: map[string]any{"accounts": map[string]any{
				"default": "prod",
				"prod":    map[string]any{"name": "p", "password": m},
				"dev":     map[string]any{"name": "d", "password": m},
			}},
		},
		{
			name: "patternProperties, and a property that also matches a secret pattern",
			schema: `
hosts:
  type: object
  properties:
    x_public: {type: string}
  patternProperties:
    "^x_": {type: string, secret: true}
    "^y_": {type: object, properties: {key: {type: string, secret: true}}}
`,
			config: map[string]any{"hosts": map[string]any{
				"x_public": "a", "x_other": "b", "y_1": map[string]any{"key": "k", "port": 1}, "z": "c",
			}},
			want: map[string]any{"hosts": map[string]any{
				"x_public": m, "x_other": m, "y_1": map[string]any{"key": m, "port": 1}, "z": "c",
			}},
		},
		{
			name: "positional items and additionalItems",
			schema: `
pair:
  type: array
  items: [{type: string}, {type: string, secret: true}]
  additionalItems: {type: object, properties: {pin: {type: string, secret: true}}}
`,
			config: map[string]any{"pair": []any{"user", "pass", map[string]any{"pin": "1234"}, map[string]any{"pin": "5678"}}},
			want:   map[string]any{"pair": []any{"user", m, map[string]any{"pin": m}, map[string]any{"pin": m}}},
		},
		{
			name:   "arrays of arrays",
			schema: "matrix: {type: array, items: {type: array, items: {type: string, secret: true}}}\n",
			config: map[string]any{"matrix": []any{[]any{"a", "b"}, []any{"c"}}},
			want:   map[string]any{"matrix": []any{[]any{m, m}, []any{m}}},
		},
		{
			name:   "a dynamic value for a secret is masked; one standing for an object is shown",
			schema: "token: {type: string, secret: true}\nauth: {type: object, properties: {token: {type: string, secret: true}}}\n",
			config: map[string]any{"token": "{{ st2kv.system.token }}", "auth": "{{ st2kv.system.auth }}"},
			want:   map[string]any{"token": m, "auth": "{{ st2kv.system.auth }}"},
		},
		{
			name:   "a value of another shape than the schema says",
			schema: "auth: {type: object, properties: {token: {type: string, secret: true}}}\n",
			config: map[string]any{"auth": []any{map[string]any{"token": "t"}}},
			want:   map[string]any{"auth": []any{map[string]any{"token": "t"}}},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s := mustSchema(t, tc.schema)
			before := deepCopy(tc.config)
			got := Mask(tc.config, s)
			if diff := cmp.Diff(any(tc.want), got); diff != "" {
				t.Errorf("Mask (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(before, any(tc.config)); diff != "" {
				t.Errorf("Mask changed its input:\n%s", diff)
			}
		})
	}
}

func TestMaskReturnsACopy(t *testing.T) {
	s := mustSchema(t, "a: {type: object}\n")
	config := map[string]any{"a": map[string]any{"b": []any{1}}}
	got := Mask(config, s).(map[string]any)
	got["a"].(map[string]any)["b"].([]any)[0] = 2
	if config["a"].(map[string]any)["b"].([]any)[0] != 1 {
		t.Error("changing Mask's result changed the config")
	}
	if got := Mask(config, nil); !cmp.Equal(got, any(config)) {
		t.Errorf("no schema: %v", got)
	}
}
