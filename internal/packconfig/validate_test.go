package packconfig

import (
	"strings"
	"testing"
)

const validateSchema = `
api_key:
  type: string
  secret: true
  required: true
region:
  type: string
  required: true
  default: us-east-1
timeout:
  type: integer
  minimum: 1
  maximum: 60
optional_name:
  type: string
mode:
  type: string
  enum: [fast, slow]
servers:
  type: object
  additionalProperties: false
  properties:
    host: {type: string, required: true}
    port: {type: integer, default: 8080}
instances:
  type: array
  items:
    type: object
    properties:
      alias: {type: string, required: true}
      token: {type: string, secret: true}
tags:
  type: object
  patternProperties:
    "^t_": {type: string, maxLength: 3}
  additionalProperties: {type: integer}
`

func TestValidate(t *testing.T) {
	s := mustSchema(t, validateSchema)
	tests := []struct {
		name   string
		config string
		want   []string
	}{
		{"valid", "api_key: k\nregion: eu\ntimeout: 5\n", nil},
		{"defaults satisfy required", "api_key: k\n", nil},
		{"null for an optional item", "api_key: k\noptional_name: null\ntimeout: ~\n", nil},
		{"extra top-level keys are allowed", "api_key: k\nsomething_else: 1\n", nil},
		{"dynamic values pass for any type", "api_key: '{{ st2kv.system.key }}'\ntimeout: '{{ st2kv.system.timeout }}'\n", nil},
		{"missing required", "region: eu\n", []string{`config.yaml: 'api_key' is a required property`}},
		{"wrong type", "api_key: k\ntimeout: five\n", []string{`config.yaml:2: attribute "timeout": 'five' is not of type 'integer', 'null'`}},
		{"float is not an integer", "api_key: k\ntimeout: 5.0\n", []string{`config.yaml:2: attribute "timeout": 5.0 is not of type 'integer', 'null'`}},
		{"required item must not be null", "api_key: null\n", []string{`config.yaml:1: attribute "api_key": '********' is not of type 'string'`}},
		{"bounds", "api_key: k\ntimeout: 61\n", []string{`config.yaml:2: attribute "timeout": 61 is greater than the maximum of 60`}},
		{"enum", "api_key: k\nmode: medium\n", []string{`config.yaml:2: attribute "mode": 'medium' is not one of ['fast', 'slow']`}},
		{"secret values never show", "api_key: 12345\n", []string{`config.yaml:1: attribute "api_key": '********' is not of type 'string'`}},
		{"nested object", `
api_key: k
servers:
  port: http
  extra: 1
`, []string{
			`config.yaml:3: attribute "servers": 'host' is a required property`,
			`config.yaml:4: attribute "servers.port": 'http' is not of type 'integer'`,
			`config.yaml:3: attribute "servers": Additional properties are not allowed ('extra' was unexpected)`,
		}},
		{"array of objects", `
api_key: k
instances:
  - alias: one
    token: t-one
  - token: 7
`, []string{
			`config.yaml:6: attribute "instances.1": 'alias' is a required property`,
			`config.yaml:6: attribute "instances.1.token": '********' is not of type 'string', 'null'`,
		}},
		{"pattern and additional properties", `
api_key: k
tags:
  t_a: abcd
  other: x
`, []string{
			`config.yaml:4: attribute "tags.t_a": 'abcd' is too long`,
			`config.yaml:5: attribute "tags.other": 'x' is not of type 'integer'`,
		}},
		{"decrypt_kv on a secret", "api_key: '{{ st2kv.system.key | decrypt_kv }}'\n", []string{
			`config.yaml:1: attribute "api_key": Values specified as "secret: True" in config schema are automatically decrypted`,
		}},
		{"not a mapping", "- a\n", []string{"config.yaml:1: config must be a mapping"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			c, err := ParseConfig("config.yaml", []byte(tc.config))
			if err == nil {
				err = Validate(c, s)
			}
			wantProblems(t, err, tc.want...)
		})
	}
}

// A problem in a schema default is located at the default in the schema.
func TestValidateBadDefault(t *testing.T) {
	s := mustSchema(t, "port:\n  type: integer\n  required: true\n  default: eighty\n")
	err := Validate(NewConfig("/configs/p.yaml", nil), s)
	wantProblems(t, err, `config.schema.yaml:4: attribute "port": 'eighty' is not of type 'integer'`)
}

// Values from no file (an API request) are located by attribute only.
func TestValidateValuesWithoutFile(t *testing.T) {
	s := mustSchema(t, validateSchema)
	err := Validate(NewConfig("/configs/p.yaml", map[string]any{"api_key": "k", "timeout": int64(0)}), s)
	wantProblems(t, err, `/configs/p.yaml: attribute "timeout": 0 is less than the minimum of 1`)
}

func TestValidateWithoutSchema(t *testing.T) {
	if err := Validate(NewConfig("x.yaml", map[string]any{"a": 1}), nil); err != nil {
		t.Errorf("no schema: %v", err)
	}
}

func TestValidateDoesNotChangeConfig(t *testing.T) {
	s := mustSchema(t, validateSchema)
	c := NewConfig("x.yaml", map[string]any{"api_key": "k", "servers": map[string]any{"host": "h"}})
	if err := Validate(c, s); err != nil {
		t.Fatal(err)
	}
	if _, added := c.Values["region"]; added {
		t.Error("validation added a default to the config")
	}
	if got := c.Values["servers"].(map[string]any); len(got) != 1 {
		t.Errorf("servers = %v", got)
	}
	if strings.Contains(Path("/c", "p"), "..") {
		t.Error("bad path")
	}
}
