package packconfig

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestWithDefaults(t *testing.T) {
	s := mustSchema(t, `
region: {type: string, default: us-east-1}
flag: {type: boolean, default: false}
empty_default: {type: string, default: ""}
none_default: {type: string, default: null}
no_default: {type: string}
auth:
  type: object
  properties:
    host: {type: string, default: 127.0.0.1}
    port: {type: integer, default: 8080}
    uids: {type: array, default: [a, b]}
    inner:
      type: object
      properties:
        depth: {type: integer, default: 2}
instances:
  type: array
  items:
    type: object
    properties:
      alias: {type: string}
      verify: {type: boolean, default: true}
by_name:
  type: object
  patternProperties:
    "^db_":
      type: object
      properties:
        port: {type: integer, default: 5432}
  additionalProperties:
    type: object
    properties:
      port: {type: integer, default: 80}
plain_object: {type: object}
`)
	tests := []struct {
		name   string
		config map[string]any
		want   map[string]any
	}{
		{
			name:   "no config: every default, nested objects created",
			config: nil,
			want: map[string]any{
				"region": "us-east-1", "flag": false, "empty_default": "", "none_default": nil,
				"auth": map[string]any{
					"host": "127.0.0.1", "port": 8080, "uids": []any{"a", "b"},
					"inner": map[string]any{"depth": 2},
				},
				"instances": []any{},
				"by_name":   map[string]any{},
			},
		},
		{
			name: "config values win, falsy ones too; null stays null",
			config: map[string]any{
				"region": "eu-west-1", "flag": nil, "empty_default": "x",
				"auth": map[string]any{"port": 9090, "inner": map[string]any{"depth": 0}},
			},
			want: map[string]any{
				"region": "eu-west-1", "flag": nil, "empty_default": "x", "none_default": nil,
				"auth": map[string]any{
					"host": "127.0.0.1", "port": 9090, "uids": []any{"a", "b"},
					"inner": map[string]any{"depth": 0},
				},
				"instances": []any{},
				"by_name":   map[string]any{},
			},
		},
		{
			name: "array elements and pattern/additional properties get defaults",
			config: map[string]any{
				"instances": []any{map[string]any{"alias": "one"}, map[string]any{"verify": false}, nil},
				"by_name":   map[string]any{"db_main": map[string]any{}, "web": map[string]any{"port": 8000}, "cache": nil},
				"unknown":   map[string]any{"x": 1},
			},
			want: map[string]any{
				"region": "us-east-1", "flag": false, "empty_default": "", "none_default": nil,
				"auth": map[string]any{
					"host": "127.0.0.1", "port": 8080, "uids": []any{"a", "b"},
					"inner": map[string]any{"depth": 2},
				},
				"instances": []any{
					map[string]any{"alias": "one", "verify": true},
					map[string]any{"verify": false},
					map[string]any{"verify": true},
				},
				"by_name": map[string]any{
					"db_main": map[string]any{"port": 5432},
					"web":     map[string]any{"port": 8000},
					"cache":   map[string]any{"port": 80},
				},
				"unknown": map[string]any{"x": 1},
			},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			before := deepCopy(tc.config)
			got := WithDefaults(tc.config, s)
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("WithDefaults (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(before, any(tc.config)); tc.config != nil && diff != "" {
				t.Errorf("WithDefaults changed its input:\n%s", diff)
			}
		})
	}
}

func TestWithDefaultsNoSchema(t *testing.T) {
	got := WithDefaults(map[string]any{"a": 1}, nil)
	if diff := cmp.Diff(map[string]any{"a": 1}, got); diff != "" {
		t.Error(diff)
	}
	if got := WithDefaults(nil, nil); got == nil || len(got) != 0 {
		t.Errorf("nil config: %v", got)
	}
}
