package param

import (
	"errors"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/st2go/st2go/internal/model"
)

func ptr[T any](v T) *T { return &v }

// localRunner is the local-shell-cmd runner's schema (facts from runner.yaml).
func localRunner() model.Params {
	return model.Params{
		"cmd":           {Type: "string"},
		"cwd":           {Type: "string"},
		"env":           {Type: "object"},
		"kwarg_op":      {Type: "string", Default: "--"},
		"sudo":          {Type: "boolean", Default: false},
		"sudo_password": {Type: "string", Secret: true},
		"timeout":       {Type: "integer", Default: 60},
	}
}

func TestResolve(t *testing.T) {
	ctx := Context{
		Action: map[string]any{"user": "stanley", "pack": "core"},
		Config: map[string]any{"region": "eu"},
	}
	tests := []struct {
		name       string
		runner     model.Params
		action     model.Params
		live       map[string]any
		wantLive   map[string]any
		wantRunner map[string]any
		wantAction map[string]any
		wantErr    string
	}{
		{
			name:   "core.echo: immutable templated cmd",
			runner: localRunner(),
			action: model.Params{
				"message": {Type: "string", Required: true},
				"cmd":     {Immutable: true, Default: `echo "{{message}}"`},
			},
			live:       map[string]any{"message": "hi"},
			wantLive:   map[string]any{"message": "hi"},
			wantRunner: map[string]any{"cmd": `echo "hi"`, "cwd": nil, "env": nil, "kwarg_op": "--", "sudo": false, "sudo_password": nil, "timeout": 60},
			wantAction: map[string]any{"message": "hi"},
		},
		{
			name:   "defaults render in dependency order",
			runner: model.Params{},
			action: model.Params{
				"a": {Default: "{{ b }}"},
				"b": {Default: "{{ c }}"},
				"c": {Type: "integer", Default: 5},
			},
			live:       map[string]any{},
			wantLive:   map[string]any{"a": "5", "b": "5"},
			wantRunner: map[string]any{},
			wantAction: map[string]any{"a": "5", "b": "5", "c": 5},
		},
		{
			name:       "typed template default is cast",
			runner:     model.Params{},
			action:     model.Params{"a": {Type: "integer", Default: "{{ b }}"}, "b": {Default: 5}},
			live:       map[string]any{},
			wantLive:   map[string]any{"a": 5},
			wantRunner: map[string]any{},
			wantAction: map[string]any{"a": 5, "b": 5},
		},
		{
			name:   "object default from a rendered dict",
			runner: model.Params{},
			action: model.Params{
				"a": {Type: "object", Default: "{{ b }}"},
				"b": {Type: "object", Default: map[string]any{"x": []any{1, "y"}}},
			},
			live:       map[string]any{},
			wantLive:   map[string]any{"a": map[string]any{"x": []any{1, "y"}}},
			wantRunner: map[string]any{},
			wantAction: map[string]any{"a": map[string]any{"x": []any{1, "y"}}, "b": map[string]any{"x": []any{1, "y"}}},
		},
		{
			name:   "templates inside a list",
			runner: model.Params{},
			action: model.Params{
				"a": {Type: "array", Default: []any{"{{b}}", "{{ b }}", "x{{c}}"}},
				"b": {Type: "object", Default: map[string]any{"x": 1}},
				"c": {Default: 2},
			},
			live:       map[string]any{},
			wantLive:   map[string]any{},
			wantRunner: map[string]any{},
			wantAction: map[string]any{"a": []any{map[string]any{"x": 1}, "{'x': 1}", "x2"}, "b": map[string]any{"x": 1}, "c": 2},
		},
		{
			name:       "context variables",
			runner:     model.Params{},
			action:     model.Params{"u": {Default: "{{ action_context.user }} {{ config_context.region }}"}},
			live:       map[string]any{},
			wantLive:   map[string]any{"u": "stanley eu"},
			wantRunner: map[string]any{},
			wantAction: map[string]any{"u": "stanley eu"},
		},
		{
			name:       "supplied template reads a runner default",
			runner:     localRunner(),
			action:     model.Params{"u": {}},
			live:       map[string]any{"u": "{{ timeout }}"},
			wantLive:   map[string]any{"u": "60"},
			wantRunner: map[string]any{"cmd": nil, "cwd": nil, "env": nil, "kwarg_op": "--", "sudo": false, "sudo_password": nil, "timeout": 60},
			wantAction: map[string]any{"u": "60"},
		},
		{
			name:       "null gets the default",
			runner:     model.Params{},
			action:     model.Params{"u": {Type: "string", Default: "d"}},
			live:       map[string]any{"u": nil},
			wantLive:   map[string]any{"u": "d"},
			wantRunner: map[string]any{},
			wantAction: map[string]any{"u": "d"},
		},
		{
			name:       "strings cast to declared types",
			runner:     localRunner(),
			action:     model.Params{"n": {Type: "number"}, "list": {Type: "array"}, "flag": {Type: "boolean"}},
			live:       map[string]any{"n": "5", "list": `["a"]`, "flag": "false", "timeout": "30"},
			wantLive:   map[string]any{"n": 5.0, "list": []any{"a"}, "flag": false, "timeout": 30},
			wantRunner: map[string]any{"cmd": nil, "cwd": nil, "env": nil, "kwarg_op": "--", "sudo": false, "sudo_password": nil, "timeout": 30},
			wantAction: map[string]any{"n": 5.0, "list": []any{"a"}, "flag": false},
		},
		{
			name:       "text that only looks like a template is kept",
			runner:     model.Params{},
			action:     model.Params{"cmd": {Type: "string"}},
			live:       map[string]any{"cmd": "echo ${#a[@]} {{ x"},
			wantLive:   map[string]any{"cmd": "echo ${#a[@]} {{ x"},
			wantRunner: map[string]any{},
			wantAction: map[string]any{"cmd": "echo ${#a[@]} {{ x"},
		},

		{
			name:    "cycle",
			runner:  model.Params{},
			action:  model.Params{"a": {Default: "{{ b }}"}, "b": {Default: "{{ a }}"}},
			live:    map[string]any{},
			wantErr: "Cyclic dependency found in the following variables: a, b. Likely the variable is referencing itself",
		},
		{
			name:    "cycle of three starts at the first name and follows the reads",
			runner:  model.Params{},
			action:  model.Params{"c": {Default: "{{ b }}"}, "b": {Default: "{{ a }}"}, "a": {Default: "{{ c }}"}},
			live:    map[string]any{},
			wantErr: "Cyclic dependency found in the following variables: a, c, b. Likely",
		},
		{
			name:   "separate cycles in order of their first names",
			runner: model.Params{},
			action: model.Params{
				"y": {Default: "{{ x }}"}, "x": {Default: "{{ y }}"}, "m": {Default: "{{ m }}"},
				"ok": {Default: "{{ x }}"},
			},
			live:    map[string]any{},
			wantErr: "Cyclic dependency found in the following variables: m, x, y. Likely",
		},
		{
			name:   "component with two cycles",
			runner: model.Params{},
			action: model.Params{
				"a": {Default: "{{ c }}{{ b }}"}, "b": {Default: "{{ a }}"}, "c": {Default: "{{ d }}"},
				"d": {Default: "{{ a }}"},
			},
			live:    map[string]any{},
			wantErr: "Cyclic dependency found in the following variables: a, b, c, d. Likely",
		},
		{
			name:    "cycle through a supplied value",
			runner:  model.Params{},
			action:  model.Params{"a": {Type: "string"}, "b": {Default: "{{ a }}"}},
			live:    map[string]any{"a": "{{ b }}"},
			wantErr: "Cyclic dependency found in the following variables: a, b. Likely",
		},
		{
			name:    "self reference",
			runner:  model.Params{},
			action:  model.Params{"a": {Default: "x{{ a }}"}},
			live:    map[string]any{},
			wantErr: "Cyclic dependency found in the following variables: a.",
		},
		{
			name:    "unknown variable",
			runner:  model.Params{},
			action:  model.Params{"cmd": {Default: "echo {{ nope }}"}},
			live:    map[string]any{},
			wantErr: `Dependency unsatisfied in variable "nope" (referenced by parameter "cmd")`,
		},
		{
			name:    "missing key",
			runner:  model.Params{},
			action:  model.Params{"u": {Default: "{{ action_context.nope }}"}},
			live:    map[string]any{},
			wantErr: `Failed to render parameter "u": 'dict object' has no attribute 'nope'`,
		},
		{
			name:    "st2kv without a datastore",
			runner:  model.Params{},
			action:  model.Params{"u": {Default: "{{ st2kv.system.k }}"}},
			live:    map[string]any{},
			wantErr: `Failed to render parameter "u": no datastore is available to expressions`,
		},
		{
			name:    "statement reading an unknown variable",
			runner:  model.Params{},
			action:  model.Params{"cmd": {Type: "string"}},
			live:    map[string]any{"cmd": "{% if x %}y{% endif %}"},
			wantErr: `Dependency unsatisfied in variable "x" (referenced by parameter "cmd")`,
		},
		{
			name:    "template that does not parse",
			runner:  model.Params{},
			action:  model.Params{"cmd": {Type: "string"}},
			live:    map[string]any{"cmd": `echo "{{.Name}}"`},
			wantErr: `Failed to render parameter "cmd": unexpected '.'`,
		},
		{
			name:    "filter failure",
			runner:  model.Params{},
			action:  model.Params{"cmd": {Type: "string", Default: "{{ action_context.user | from_json_string }}"}},
			live:    map[string]any{},
			wantErr: `Failed to render parameter "cmd": `,
		},
		{
			name:    "required",
			runner:  localRunner(),
			action:  model.Params{"message": {Type: "string", Required: true}},
			live:    map[string]any{},
			wantErr: "'message' is a required property",
		},
		{
			name:    "required runner parameter",
			runner:  model.Params{"hosts": {Type: "string", Required: true}},
			action:  model.Params{},
			live:    map[string]any{},
			wantErr: "'hosts' is a required property",
		},
		{
			name:    "unknown parameter",
			runner:  localRunner(),
			action:  model.Params{},
			live:    map[string]any{"zz": 1, "yy": 2},
			wantErr: "Additional properties are not allowed ('yy', 'zz' were unexpected)",
		},
		{
			name:    "immutable action parameter",
			runner:  localRunner(),
			action:  model.Params{"cmd": {Immutable: true, Default: "true"}},
			live:    map[string]any{"cmd": "rm -rf /"},
			wantErr: "Override of immutable parameter(s) ['cmd'] is unsupported.",
		},
		{
			name:    "immutable runner parameter",
			runner:  model.Params{"dir": {Type: "string", Default: "/tmp", Immutable: true}},
			action:  model.Params{},
			live:    map[string]any{"dir": "/etc"},
			wantErr: "Override of immutable parameter(s) ['dir'] is unsupported.",
		},
		{
			name:    "enum",
			runner:  model.Params{},
			action:  model.Params{"m": {Type: "string", Enum: []any{"GET", "POST"}}},
			live:    map[string]any{"m": "PUT"},
			wantErr: `'PUT' is not one of ['GET', 'POST'] (parameter "m")`,
		},
		{
			name:    "wrong type after cast",
			runner:  model.Params{},
			action:  model.Params{"b": {Type: "boolean"}},
			live:    map[string]any{"b": "1"},
			wantErr: `1 is not of type 'boolean' (parameter "b")`,
		},
		{
			name:    "cast failure names parameter, type and value",
			runner:  localRunner(),
			action:  model.Params{},
			live:    map[string]any{"timeout": "soon"},
			wantErr: `Failed to cast parameter "timeout" to integer: 'soon' invalid literal for int() with base 10: 'soon'`,
		},
		{
			name:    "string parameter given a number",
			runner:  model.Params{},
			action:  model.Params{"s": {Type: "string"}},
			live:    map[string]any{"s": 5},
			wantErr: `Failed to cast parameter "s" to string`,
		},
		{
			name:    "minimum",
			runner:  model.Params{},
			action:  model.Params{"n": {Type: "integer", Minimum: ptr(5.0)}},
			live:    map[string]any{"n": 3},
			wantErr: `3 is less than the minimum of 5 (parameter "n")`,
		},
		{
			name:    "maxLength",
			runner:  model.Params{},
			action:  model.Params{"s": {Type: "string", MaxLength: ptr(2)}},
			live:    map[string]any{"s": "abc"},
			wantErr: `'abc' is too long (parameter "s")`,
		},
		{
			name:    "array items",
			runner:  model.Params{},
			action:  model.Params{"l": {Type: "array", Items: map[string]any{"type": "string"}}},
			live:    map[string]any{"l": []any{"a", 2}},
			wantErr: `2 is not of type 'string' (parameter "l")`,
		},
		{
			name:    "required null",
			runner:  model.Params{},
			action:  model.Params{"s": {Type: "string", Required: true}},
			live:    map[string]any{"s": nil},
			wantErr: `None is not of type 'string' (parameter "s")`,
		},
		{
			name:    "action overrides a runner attribute it may not",
			runner:  localRunner(),
			action:  model.Params{"timeout": {Type: "string"}},
			live:    map[string]any{},
			wantErr: `The attribute "type" for the runner parameter "timeout" cannot be overridden.`,
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := Resolve(tc.runner, tc.action, tc.live, ctx)
			if tc.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
					t.Fatalf("err = %v, want it to contain %q", err, tc.wantErr)
				}
				var pe *Error
				var oe *OverrideError
				if !errors.As(err, &pe) && !errors.As(err, &oe) {
					t.Fatalf("err %T is neither *Error nor *OverrideError", err)
				}
				return
			}
			if err != nil {
				t.Fatalf("Resolve: %v", err)
			}
			if d := cmp.Diff(tc.wantLive, got.Live); d != "" {
				t.Errorf("live (-want +got):\n%s", d)
			}
			if d := cmp.Diff(tc.wantRunner, got.Runner); d != "" {
				t.Errorf("runner (-want +got):\n%s", d)
			}
			if d := cmp.Diff(tc.wantAction, got.Action); d != "" {
				t.Errorf("action (-want +got):\n%s", d)
			}
		})
	}
}

func TestRenderFinalDoesNotRenderRecordedValues(t *testing.T) {
	// A recorded live value is final, even when it still looks like a template.
	_, action, err := RenderFinal(model.Params{}, model.Params{"s": {Type: "string"}}, map[string]any{"s": "{{ x }}"}, Context{})
	if err != nil {
		t.Fatal(err)
	}
	if action["s"] != "{{ x }}" {
		t.Fatalf("s = %#v", action["s"])
	}
}

func TestErrorNamesParameter(t *testing.T) {
	_, err := Resolve(model.Params{}, model.Params{"cmd": {Default: "{{ 1 | nosuchfilter }}"}}, nil, Context{})
	var pe *Error
	var te *TemplateError
	if !errors.As(err, &pe) || pe.Param != "cmd" || !errors.As(err, &te) {
		t.Fatalf("err = %#v", err)
	}
	if want := `Failed to render parameter "cmd": No filter named 'nosuchfilter'.`; err.Error() != want {
		t.Fatalf("err = %q, want %q", err, want)
	}
}

func TestMerge(t *testing.T) {
	runner := model.Params{
		"cmd":     {Type: "string", Description: "runner cmd"},
		"timeout": {Type: "integer", Default: 60},
		"env":     {Type: "object", Default: map[string]any{"A": "1"}},
		"secret":  {Type: "string", Secret: true},
	}
	tests := []struct {
		name    string
		action  model.Params
		want    model.Params
		wantErr string
	}{
		{
			name: "action pins default, immutable, required, description, enum",
			action: model.Params{
				"cmd":     {Default: "ls", Immutable: true, Description: "mine", Type: "string"},
				"timeout": {Default: 5, Required: true, Enum: []any{5, 10}},
				"env":     {Default: map[string]any{"B": "2"}},
				"own":     {Type: "boolean", Position: ptr(0)},
			},
			want: model.Params{
				"cmd":     {Type: "string", Description: "mine", Default: "ls", Immutable: true},
				"timeout": {Type: "integer", Default: 5, Required: true, Enum: []any{5, 10}},
				"env":     {Type: "object", Default: map[string]any{"A": "1", "B": "2"}},
				"secret":  {Type: "string", Secret: true},
				"own":     {Type: "boolean", Position: ptr(0)},
			},
		},
		{name: "type", action: model.Params{"timeout": {Type: "string"}}, wantErr: `The attribute "type" for the runner parameter "timeout" cannot be overridden.`},
		{name: "secret", action: model.Params{"cmd": {Secret: true}}, wantErr: `attribute "secret"`},
		{name: "position", action: model.Params{"cmd": {Position: ptr(1)}}, wantErr: `attribute "position"`},
		{name: "extra keyword", action: model.Params{"cmd": {Extra: map[string]any{"uniqueItems": true}}}, wantErr: `attribute "uniqueItems"`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := Merge(runner, tc.action)
			if tc.wantErr != "" {
				var oe *OverrideError
				if !errors.As(err, &oe) || !strings.Contains(err.Error(), tc.wantErr) {
					t.Fatalf("err = %v, want an OverrideError containing %q", err, tc.wantErr)
				}
				oe.Action = "core.x"
				if !strings.Contains(oe.Error(), `in action "core.x"`) {
					t.Fatalf("message with action: %s", oe.Error())
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if d := cmp.Diff(tc.want, got); d != "" {
				t.Errorf("(-want +got):\n%s", d)
			}
			// The inputs are untouched.
			if runner["env"].Default.(map[string]any)["B"] != nil || runner["cmd"].Default != nil {
				t.Errorf("Merge changed its input: %+v", runner)
			}
		})
	}
}

func BenchmarkResolveEcho(b *testing.B) {
	runner := localRunner()
	action := model.Params{
		"message": {Type: "string", Required: true},
		"cmd":     {Immutable: true, Default: `echo "{{message}}"`},
	}
	ctx := Context{Action: map[string]any{"user": "stanley"}}
	live := map[string]any{"message": "hi"}
	for b.Loop() {
		if _, err := Resolve(runner, action, live, ctx); err != nil {
			b.Fatal(err)
		}
	}
}
