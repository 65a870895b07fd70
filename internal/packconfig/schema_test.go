package packconfig

import (
	"errors"
	"strings"
	"testing"
)

// errorLines renders a joined error as one string per problem, checking
// each is a located *Error.
func errorLines(t *testing.T, err error) []string {
	t.Helper()
	if err == nil {
		return nil
	}
	var list []error
	if j, ok := err.(interface{ Unwrap() []error }); ok {
		list = j.Unwrap()
	} else {
		list = []error{err}
	}
	var out []string
	for _, e := range list {
		var pe *Error
		if !errors.As(e, &pe) || pe.File == "" {
			t.Errorf("error %q is not a *packconfig.Error with a file", e)
		}
		out = append(out, e.Error())
	}
	return out
}

// wantProblems checks that each want is a substring of its own problem and
// that there are no other problems.
func wantProblems(t *testing.T, err error, want ...string) {
	t.Helper()
	got := errorLines(t, err)
	if len(got) != len(want) {
		t.Errorf("got %d problems, want %d:\n  %s", len(got), len(want), strings.Join(got, "\n  "))
		return
	}
	for i, w := range want {
		if !strings.Contains(got[i], w) {
			t.Errorf("problem %d = %q, want it to contain %q", i, got[i], w)
		}
	}
}

func mustSchema(t *testing.T, src string) *Schema {
	t.Helper()
	s, err := ParseSchema("config.schema.yaml", []byte(src))
	if err != nil {
		t.Fatalf("parsing schema: %v", err)
	}
	return s
}

func TestParseSchemaErrors(t *testing.T) {
	tests := []struct {
		name string
		src  string
		want []string
	}{
		{"empty", "", []string{"config.schema.yaml: config schema is empty and invalid"}},
		{"empty mapping", "{}\n", []string{"config schema is empty and invalid"}},
		{"not a mapping", "- a\n- b\n", []string{"config.schema.yaml:1: config schema must be a mapping"}},
		{"syntax", "a:\n  type: string\n b: x\n", []string{"config.schema.yaml:3: "}},
		{"bad name", "api-key:\n  type: string\n", []string{`config.schema.yaml:1: config item name "api-key" is invalid`}},
		{"item not a mapping", "a: string\n", []string{`config.schema.yaml:1: a must be a mapping, not the string "string"`}},
		{"null item", "a:\n", []string{"config.schema.yaml:1: a must be a mapping, not null"}},
		{"unknown type", "a:\n  type: str\n", []string{`config.schema.yaml:2: a: type the string "str" is not one of array, boolean`}},
		{"secret not bool", "a:\n  type: string\n  secret: maybe\n", []string{`config.schema.yaml:3: a: secret must be true or false`}},
		{"required list", "a:\n  type: object\n  required: [x]\n", []string{"config.schema.yaml:3: a: required must be true or false, not a list"}},
		{"unknown keyword", "a:\n  type: string\n  format: uri\n", []string{`config.schema.yaml:3: a: unknown attribute "format"`}},
		{"nested problems", `
servers:
  type: object
  properties:
    host: {type: hostname}
  patternProperties:
    "(?<=x)y": {type: string}
  additionalProperties: 5
list:
  type: array
  items: [ ]
`, []string{
			`config.schema.yaml:5: servers.properties.host: type the string "hostname" is not one of`,
			`config.schema.yaml:7: servers: patternProperties: "(?<=x)y" is not a regular expression st2go can use`,
			`config.schema.yaml:8: servers.additionalProperties must be true, false or a mapping, not int 5`,
			`config.schema.yaml:11: list: items must not be an empty list`,
		}},
		{"bad bounds", "a:\n  type: string\n  minLength: -1\n  pattern: '['\nb:\n  type: number\n  multipleOf: 0\n", []string{
			"config.schema.yaml:3: a: minLength must be an integer of 0 or more, not int -1",
			`config.schema.yaml:4: a: pattern "[" is not a regular expression st2go can use`,
			"config.schema.yaml:7: b: multipleOf must be a number (above 0 for multipleOf), not int 0",
		}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := ParseSchema("config.schema.yaml", []byte(tc.src))
			wantProblems(t, err, tc.want...)
		})
	}
}

func TestParseSchemaKeepsAttributes(t *testing.T) {
	s := mustSchema(t, `
api_key: {type: string, secret: true, required: true, description: "the key"}
region: {type: string, default: us-east-1, enum: [us-east-1, eu-west-1]}
flag: {type: boolean, default: yes}
`)
	want := map[string]any{
		"api_key": map[string]any{"type": "string", "secret": true, "required": true, "description": "the key"},
		"region":  map[string]any{"type": "string", "default": "us-east-1", "enum": []any{"us-east-1", "eu-west-1"}},
		"flag":    map[string]any{"type": "boolean", "default": true}, // PyYAML reads yes as true
	}
	if !equal(s.Attributes, want) {
		t.Errorf("attributes = %#v, want %#v", s.Attributes, want)
	}
	if got := s.Root.PropertyOrder; strings.Join(got, ",") != "api_key,region,flag" {
		t.Errorf("order = %v", got)
	}
	if !s.Root.Properties["api_key"].Secret || !s.Root.Properties["api_key"].Required {
		t.Errorf("api_key item = %+v", s.Root.Properties["api_key"])
	}
}
