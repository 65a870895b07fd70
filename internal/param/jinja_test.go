package param

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/st2go/st2go/internal/expr"
	"github.com/st2go/st2go/internal/model"
)

// fakeDatastore is an in-memory datastore for st2kv lookups: scope →
// name ("<user>:<key>" in the user scope) → value. Values starting with
// "enc:" are "encrypted": decrypt_kv strips the prefix.
type fakeDatastore struct {
	data    map[string]map[string]string
	lookups []string // scope/user/name of every lookup, in order
}

func (f *fakeDatastore) Lookup(ctx context.Context, scope, name, user string, decrypt bool) (string, bool, error) {
	f.lookups = append(f.lookups, scope+"/"+user+"/"+name)
	if scope == "user" {
		name = user + ":" + name
	}
	v, ok := f.data[scope][name]
	return v, ok, nil
}

func (f *fakeDatastore) Decrypt(ctx context.Context, ciphertext string) (string, error) {
	plain, ok := strings.CutPrefix(ciphertext, "enc:")
	if !ok {
		return "", fmt.Errorf("decrypting %q: not encrypted", ciphertext)
	}
	return plain, nil
}

func newFakeDatastore() *fakeDatastore {
	return &fakeDatastore{data: map[string]map[string]string{
		"system": {
			"retries":    "3",
			"hosts_json": `["h1","h2"]`,
			"opts_json":  `{"a":1}`,
			"region":     "eu-west",
			"app.db.url": "postgres://db",
			"secret":     "enc:s3cr3t",
			"nick_test":  "7",
		},
		"user": {
			"stanley:token": "st-tok",
			"alice:token":   "al-tok",
		},
	}}
}

// TestFiltersInDefaults renders action defaults that use Jinja filters,
// statements and operators (the stop-gap renderer refused all of them).
func TestFiltersInDefaults(t *testing.T) {
	ctx := Context{
		Action: map[string]any{"user": "stanley", "pack": "demo"},
		Config: map[string]any{"region": "eu", "hosts": []any{"a", "b"}},
	}
	tests := []struct {
		name    string
		spec    *model.ParamSpec
		live    map[string]any // besides the action's other parameters
		want    any
		wantErr string
	}{
		{name: "upper", spec: &model.ParamSpec{Type: "string", Default: "{{ message | upper }}"}, want: "HELLO"},
		{name: "join", spec: &model.ParamSpec{Type: "string", Default: "{{ config_context.hosts | join(',') }}"}, want: "a,b"},
		{name: "int filter and arithmetic, cast", spec: &model.ParamSpec{Type: "integer", Default: "{{ count | int + 1 }}"}, want: 42},
		{name: "float filter, cast", spec: &model.ParamSpec{Type: "number", Default: "{{ count | float / 4 }}"}, want: 10.25},
		{name: "to_json_string to an object", spec: &model.ParamSpec{Type: "object", Default: "{{ {'k': message} | to_json_string }}"}, want: map[string]any{"k": "hello"}},
		{name: "list repr to an array", spec: &model.ParamSpec{Type: "array", Default: "{{ config_context.hosts | map('upper') | list }}"}, want: []any{"A", "B"}},
		{name: "default for a missing key", spec: &model.ParamSpec{Type: "string", Default: "{{ action_context.nope | default('d') }}"}, want: "d"},
		{name: "for loop", spec: &model.ParamSpec{Type: "string", Default: "{% for h in config_context.hosts %}-h {{ h }} {% endfor %}"}, want: "-h a -h b "},
		{name: "conditional expression", spec: &model.ParamSpec{Type: "string", Default: "{{ 'on' if flag else 'off' }}"}, want: "off"},
		{name: "string method", spec: &model.ParamSpec{Type: "string", Default: "{{ message.replace('l', 'L') }}"}, want: "heLLo"},
		{name: "percent formatting", spec: &model.ParamSpec{Type: "string", Default: "{{ '%s/%s' % (action_context.pack, config_context.region) }}"}, want: "demo/eu"},
		{name: "regex_replace", spec: &model.ParamSpec{Type: "string", Default: "{{ message | regex_replace('l+', 'L') }}"}, want: "heLo"},
		{name: "basename", spec: &model.ParamSpec{Type: "string", Default: "{{ '/etc/hosts' | basename }}"}, want: "hosts"},
		{name: "version filter", spec: &model.ParamSpec{Type: "string", Default: "{{ '1.2.3' | version_bump_minor }}"}, want: "1.3.0"},
		{name: "use_none gives null", spec: &model.ParamSpec{Type: "string", Default: "{{ nothing | use_none }}"}, want: nil},
		{name: "boolean from a test", spec: &model.ParamSpec{Type: "boolean", Default: "{{ message is string }}"}, want: true},
		{name: "supplied value with a filter", spec: &model.ParamSpec{Type: "string"}, live: map[string]any{"p": "{{ message | title }}!"}, want: "Hello!"},
		{name: "set then use", spec: &model.ParamSpec{Type: "integer", Default: "{% set n = count | int %}{{ n * 2 }}"}, want: 82},
		{name: "filter error names the parameter", spec: &model.ParamSpec{Type: "integer", Default: "{{ message | from_json_string }}"}, wantErr: `Failed to render parameter "p": `},
		{name: "strict undefined attribute", spec: &model.ParamSpec{Type: "string", Default: "{{ config_context.nope }}"}, wantErr: `Failed to render parameter "p": 'dict object' has no attribute 'nope'`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			action := model.Params{
				"message": {Type: "string", Default: "hello"},
				"count":   {Type: "string", Default: "41"},
				"flag":    {Type: "boolean", Default: false},
				"nothing": {Type: "string"},
				"p":       tc.spec,
			}
			got, err := Resolve(model.Params{}, action, tc.live, ctx)
			if tc.wantErr != "" {
				var pe *Error
				if !errors.As(err, &pe) || pe.Param != "p" || !strings.Contains(err.Error(), tc.wantErr) {
					t.Fatalf("err = %v, want a *Error for p containing %q", err, tc.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if d := cmp.Diff(tc.want, got.Action["p"]); d != "" {
				t.Errorf("p (-want +got):\n%s", d)
			}
		})
	}
}

func TestDatastoreLookups(t *testing.T) {
	tests := []struct {
		name    string
		ctx     Context
		spec    *model.ParamSpec
		want    any
		wantErr string
		lookup  string // the lookup the datastore saw first, scope/user/name
	}{
		{name: "system key", spec: &model.ParamSpec{Type: "string", Default: "{{ st2kv.system.region }}"}, want: "eu-west", lookup: "system/stanley/region"},
		{name: "dotted key name", spec: &model.ParamSpec{Type: "string", Default: "{{ st2kv.system.app.db.url }}"}, want: "postgres://db", lookup: "system/stanley/app"},
		{name: "item syntax", spec: &model.ParamSpec{Type: "string", Default: "{{ st2kv.system['app.db.url'] }}"}, want: "postgres://db"},
		{name: "integer from a system key", spec: &model.ParamSpec{Type: "integer", Default: "{{ st2kv.system.retries | int }}"}, want: 3},
		{name: "integer from a system key without a filter", spec: &model.ParamSpec{Type: "integer", Default: "{{ st2kv.system.nick_test }}"}, want: 7},
		{name: "missing key renders empty", spec: &model.ParamSpec{Type: "string", Default: "[{{ st2kv.system.nope }}]"}, want: "[]"},
		{name: "missing key with default filter stays empty", spec: &model.ParamSpec{Type: "string", Default: "[{{ st2kv.system.nope | default('d') }}]"}, want: "[]"},
		// A lookup is an object with no truth value of its own, so always
		// true, as in StackStorm; its text is empty.
		{name: "missing key lookup is true", spec: &model.ParamSpec{Type: "string", Default: "[{{ st2kv.system.nope or 'fallback' }}]"}, want: "[]"},
		{name: "missing key text is false", spec: &model.ParamSpec{Type: "string", Default: "{{ st2kv.system.nope | string or 'fallback' }}"}, want: "fallback"},
		{name: "user key of action_context user", spec: &model.ParamSpec{Type: "string", Default: "{{ st2kv.user.token }}"}, want: "st-tok", lookup: "user/stanley/token"},
		{name: "user key of api_user", ctx: Context{Action: map[string]any{"user": "stanley", "api_user": "alice"}},
			spec: &model.ParamSpec{Type: "string", Default: "{{ st2kv.user.token }}"}, want: "al-tok", lookup: "user/alice/token"},
		{name: "user key of Context.User", ctx: Context{Action: map[string]any{"user": "stanley"}, User: "alice"},
			spec: &model.ParamSpec{Type: "string", Default: "{{ st2kv.user.token }}"}, want: "al-tok"},
		{name: "user scope does not see system keys", spec: &model.ParamSpec{Type: "string", Default: "[{{ st2kv.user.region }}]"}, want: "[]"},
		{name: "decrypt_kv", spec: &model.ParamSpec{Type: "string", Secret: true, Default: "{{ st2kv.system.secret | decrypt_kv }}"}, want: "s3cr3t"},
		{name: "encrypted value without decrypt_kv", spec: &model.ParamSpec{Type: "string", Default: "{{ st2kv.system.secret }}"}, want: "enc:s3cr3t"},
		{name: "decrypt_kv of a missing key", spec: &model.ParamSpec{Type: "string", Default: "{{ st2kv.system.nope | decrypt_kv }}"},
			wantErr: `Failed to render parameter "p": Referenced datastore item "st2kv.system.nope" doesn't exist or it contains an empty string`},
		{name: "st2kv itself cannot keep its type", spec: &model.ParamSpec{Type: "array", Default: []any{"{{st2kv}}"}},
			wantErr: `Failed to render parameter "p": Object of type KeyValueLookup is not JSON serializable`},
		{name: "lookup inside a list default", spec: &model.ParamSpec{Type: "array", Default: []any{"{{ st2kv.system.region }}", "x"}}, want: []any{"eu-west", "x"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			ds := newFakeDatastore()
			c := tc.ctx
			if c.Action == nil {
				c.Action = map[string]any{"user": "stanley"}
			}
			c.Datastore = ds
			got, err := Resolve(model.Params{}, model.Params{"p": tc.spec}, nil, c)
			if tc.wantErr != "" {
				var pe *Error
				if !errors.As(err, &pe) || pe.Param != "p" || !strings.Contains(err.Error(), tc.wantErr) {
					t.Fatalf("err = %v, want a *Error for p containing %q", err, tc.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if d := cmp.Diff(tc.want, got.Action["p"]); d != "" {
				t.Errorf("p (-want +got):\n%s", d)
			}
			if tc.lookup != "" && (len(ds.lookups) == 0 || ds.lookups[0] != tc.lookup) {
				t.Errorf("lookups = %q, want the first to be %q", ds.lookups, tc.lookup)
			}
		})
	}
}

// TestTriggerContext renders rule parameters against the trigger payload
// given as an additional context, as the rules engine does.
func TestTriggerContext(t *testing.T) {
	payload := map[string]any{"body": map[string]any{"note": "hi", "n": 2.0, "tags": []any{"x", "y"}}}
	action := model.Params{
		"note":  {Type: "string", Required: true},
		"count": {Type: "integer"},
		"tags":  {Type: "array"},
		"both":  {Type: "string", Default: "{{ note }}-{{ trigger.body.n }}"},
	}
	live := map[string]any{
		"note":  "{{ trigger.body.note | upper }}",
		"count": "{{ trigger.body.n }}",
		"tags":  []any{"{{ trigger.body.tags[0] }}", "{{trigger}}"},
	}
	got, err := Resolve(model.Params{}, action, live, Context{Extra: map[string]any{"trigger": payload}})
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]any{"note": "HI", "count": 2, "tags": []any{"x", payload}, "both": "HI-2"}
	if d := cmp.Diff(want, got.Live); d != "" {
		t.Errorf("live (-want +got):\n%s", d)
	}

	// Without the trigger context the same parameters cannot be rendered.
	_, err = Resolve(model.Params{}, action, live, Context{})
	if err == nil || !strings.Contains(err.Error(), `Dependency unsatisfied in variable "trigger"`) {
		t.Fatalf("err = %v", err)
	}

	// A parameter replaces an additional context of the same name.
	got, err = Resolve(model.Params{}, model.Params{"trigger": {Type: "string"}, "p": {Default: "{{ trigger }}"}},
		map[string]any{"trigger": "mine"}, Context{Extra: map[string]any{"trigger": payload}})
	if err != nil {
		t.Fatal(err)
	}
	if got.Action["p"] != "mine" {
		t.Errorf("p = %#v, want the parameter's value", got.Action["p"])
	}
}

// TestBugCases are the TEMPLATING and PARAMS cases of the shared corpus
// (st2-bug-cases.md) at the parameter level.
func TestBugCases(t *testing.T) {
	t.Run("BL-07 template that does not parse is a parameter error", func(t *testing.T) {
		action := model.Params{"cmd": {Type: "string", Required: true}}
		_, err := Resolve(localRunner(), action, map[string]any{"cmd": `echo "{{.Name}}"`}, Context{})
		var pe *Error
		var te *TemplateError
		if !errors.As(err, &pe) || pe.Param != "cmd" || !errors.As(err, &te) {
			t.Fatalf("err = %#v, want a *Error for cmd wrapping a *TemplateError", err)
		}
		if want := `Failed to render parameter "cmd": unexpected '.'`; err.Error() != want {
			t.Fatalf("err = %q, want %q", err, want)
		}
		var xe *expr.Error
		if !errors.As(err, &xe) || xe.Pos != 8 {
			t.Fatalf("err does not carry the engine's position: %#v", xe)
		}
	})
	t.Run("BL-07 template that fails to render is a parameter error", func(t *testing.T) {
		action := model.Params{"cmd": {Type: "string"}, "n": {Type: "integer", Default: 1}}
		_, err := Resolve(model.Params{}, action, map[string]any{"cmd": "{{ n.nope }}"}, Context{})
		var pe *Error
		var ue *UndefinedError
		if !errors.As(err, &pe) || pe.Param != "cmd" || !errors.As(err, &ue) ||
			err.Error() != `Failed to render parameter "cmd": 'int object' has no attribute 'nope'` {
			t.Fatalf("err = %v", err)
		}
	})
	t.Run("BL-07 raw_string values are passed untouched", func(t *testing.T) {
		action := model.Params{
			"cmd":  {Type: RawStringType, Required: true},
			"tmpl": {Type: RawStringType, Default: "{{ .Values.image }} {% end %}"},
			"a1":   {Type: "string"},
			"a2":   {Type: "string"},
			"a3":   {Type: RawStringType},
			"a4":   {Type: RawStringType},
		}
		live := map[string]any{
			"cmd": `echo "{{.Name}}"`,
			"a1":  "value1", "a2": "{{a1}}", "a3": "{{a1}} and {{a4}}", "a4": "{{a1}}",
		}
		got, err := Resolve(model.Params{}, action, live, Context{})
		if err != nil {
			t.Fatal(err)
		}
		want := map[string]any{
			"cmd": `echo "{{.Name}}"`, "tmpl": "{{ .Values.image }} {% end %}",
			"a1": "value1", "a2": "value1", "a3": "{{a1}} and {{a4}}", "a4": "{{a1}}",
		}
		if d := cmp.Diff(want, got.Action); d != "" {
			t.Errorf("action (-want +got):\n%s", d)
		}
		if _, ok := got.Live["tmpl"]; ok {
			t.Errorf("live = %v: a raw default is not a template default", got.Live)
		}
		// A raw_string is a string: other values are refused.
		_, err = Resolve(model.Params{}, model.Params{"r": {Type: RawStringType}}, map[string]any{"r": 5}, Context{})
		if err == nil || !strings.Contains(err.Error(), `Failed to cast parameter "r" to raw_string`) {
			t.Fatalf("err = %v", err)
		}
	})
	t.Run("BL-08 typed defaults from the datastore: render, cast, validate", func(t *testing.T) {
		action := model.Params{
			"cmd":     {Type: "string", Immutable: true, Default: "echo {{ retries }} {{ hosts }} {{ opts }}"},
			"retries": {Type: "integer", Default: "{{ st2kv.system.retries | int }}"},
			"hosts":   {Type: "array", Default: "{{ st2kv.system.hosts_json | from_json_string }}"},
			"opts":    {Type: "object", Default: "{{ st2kv.system.opts_json | from_json_string }}"},
			"nick":    {Type: "integer", Minimum: ptr(5.0), Default: "{{ st2kv.system.nick_test | int }}"},
		}
		got, err := Resolve(localRunner(), action, nil, Context{Action: map[string]any{"user": "stanley"}, Datastore: newFakeDatastore()})
		if err != nil {
			t.Fatal(err)
		}
		wantLive := map[string]any{"retries": 3, "hosts": []any{"h1", "h2"}, "opts": map[string]any{"a": 1}, "nick": 7}
		if d := cmp.Diff(wantLive, got.Live); d != "" {
			t.Errorf("live (-want +got):\n%s", d)
		}
		if d := cmp.Diff(wantLive, got.Action); d != "" {
			t.Errorf("action (-want +got):\n%s", d)
		}
		if want := "echo 3 ['h1', 'h2'] {'a': 1}"; got.Runner["cmd"] != want {
			t.Errorf("cmd = %q, want %q", got.Runner["cmd"], want)
		}
	})
	t.Run("BL-09 config_context default resolves the same on every entry point", func(t *testing.T) {
		action := model.Params{
			"note":     {Type: "string", Required: true},
			"messages": {Type: "array", Required: true, Default: "{{ config_context.messages }}"},
		}
		c := Context{Config: map[string]any{"messages": []any{"from config 1", "from config 2"}}}
		want := []any{"from config 1", "from config 2"}
		fromAPI, err := Resolve(model.Params{}, action, map[string]any{"note": "hi"}, c)
		if err != nil {
			t.Fatal(err)
		}
		c.Extra = map[string]any{"trigger": map[string]any{"body": map[string]any{"note": "hi"}}}
		fromRule, err := Resolve(model.Params{}, action, map[string]any{"note": "{{ trigger.body.note }}"}, c)
		if err != nil {
			t.Fatal(err)
		}
		for _, r := range []*Resolved{fromAPI, fromRule} {
			if d := cmp.Diff(map[string]any{"note": "hi", "messages": want}, r.Action); d != "" {
				t.Errorf("action (-want +got):\n%s", d)
			}
		}
	})
	t.Run("BL-12 optional integer left out stays null", func(t *testing.T) {
		action := model.Params{
			"frequency": {Type: "integer"},
			"args":      {Default: "{% if frequency %}--frequency {{ frequency }}{% endif %}"},
		}
		got, err := Resolve(model.Params{}, action, nil, Context{})
		if err != nil {
			t.Fatal(err)
		}
		if d := cmp.Diff(map[string]any{"args": ""}, got.Live); d != "" {
			t.Errorf("live (-want +got):\n%s", d)
		}
		if d := cmp.Diff(map[string]any{"frequency": nil, "args": ""}, got.Action); d != "" {
			t.Errorf("action (-want +got):\n%s", d)
		}
		got, err = Resolve(model.Params{}, action, map[string]any{"frequency": "5"}, Context{})
		if err != nil {
			t.Fatal(err)
		}
		if d := cmp.Diff(map[string]any{"frequency": 5, "args": "--frequency 5"}, got.Action); d != "" {
			t.Errorf("action with frequency (-want +got):\n%s", d)
		}
		// A null supplied by a caller (a chain or workflow forwarding an
		// unset value) is null too, never the text "None".
		got, err = Resolve(model.Params{}, action, map[string]any{"frequency": nil}, Context{})
		if err != nil {
			t.Fatal(err)
		}
		if d := cmp.Diff(map[string]any{"frequency": nil, "args": ""}, got.Action); d != "" {
			t.Errorf("action with null frequency (-want +got):\n%s", d)
		}
	})
	t.Run("BL-13 immutable parameters", func(t *testing.T) {
		runner := model.Params{
			"url":    {Type: "string"},
			"method": {Type: "string", Default: "GET", Enum: []any{"GET", "POST"}},
			"dir":    {Type: "string", Default: "/tmp", Immutable: true},
		}
		action := model.Params{
			"url":    {Default: "http://api.example.com/v1/ping", Immutable: true},
			"method": {Default: "GET", Immutable: true},
		}
		got, err := Resolve(runner, action, map[string]any{}, Context{})
		if err != nil {
			t.Fatal(err)
		}
		if got.Runner["method"] != "GET" || got.Runner["url"] != "http://api.example.com/v1/ping" || got.Runner["dir"] != "/tmp" {
			t.Errorf("runner = %v", got.Runner)
		}
		for _, live := range []map[string]any{{"method": "GET"}, {"method": "POST"}} {
			_, err := Resolve(runner, action, live, Context{})
			var pe *Error
			if !errors.As(err, &pe) || err.Error() != "Override of immutable parameter(s) ['method'] is unsupported." {
				t.Errorf("%v: err = %v", live, err)
			}
		}
		_, err = Resolve(runner, action, map[string]any{"dir": "/tmp"}, Context{})
		if err == nil || err.Error() != "Override of immutable parameter(s) ['dir'] is unsupported." {
			t.Errorf("runner-level immutable: err = %v", err)
		}
	})
	t.Run("BL-14 rendered values cast to the declared types", func(t *testing.T) {
		action := model.Params{
			"timeout": {Type: "integer"},
			"ratio":   {Type: "number"},
			"dry":     {Type: "boolean"},
			"hosts":   {Type: "array"},
			"meta":    {Type: "object"},
		}
		live := map[string]any{
			"timeout": "{{ trigger.body.timeout }}",
			"ratio":   "{{ trigger.body.ratio }}",
			"dry":     "{{ trigger.body.dry }}",
			"hosts":   "{{ trigger.body.hosts }}",
			"meta":    "{{ trigger.body.meta | to_json_string }}",
		}
		payload := map[string]any{"body": map[string]any{"timeout": 30.0, "ratio": 1.5, "dry": "false",
			"hosts": []any{"a", "b"}, "meta": map[string]any{"k": 1.0}}}
		got, err := Resolve(model.Params{}, action, live, Context{Extra: map[string]any{"trigger": payload}})
		if err != nil {
			t.Fatal(err)
		}
		want := map[string]any{"timeout": 30, "ratio": 1.5, "dry": false, "hosts": []any{"a", "b"}, "meta": map[string]any{"k": 1}}
		if d := cmp.Diff(want, got.Live); d != "" {
			t.Errorf("live (-want +got):\n%s", d)
		}
		// Values that already have the right type are not cast again.
		typed := map[string]any{"hosts": []any{"a,b", "c"}, "meta": map[string]any{"k": "[1]"}, "dry": true}
		got, err = Resolve(model.Params{}, action, typed, Context{})
		if err != nil {
			t.Fatal(err)
		}
		if d := cmp.Diff(typed, got.Live); d != "" {
			t.Errorf("typed live (-want +got):\n%s", d)
		}
		// String forms of booleans, JSON and Python literals.
		for in, want := range map[string]any{"True": true, "true": true, "False": false} {
			got, err := Resolve(model.Params{}, action, map[string]any{"dry": "{{ v }}"}, Context{Extra: map[string]any{"v": in}})
			if err != nil || got.Live["dry"] != want {
				t.Errorf("dry %q = %#v, %v", in, got.Live["dry"], err)
			}
		}
		payload["body"] = map[string]any{"timeout": "abc"}
		_, err = Resolve(model.Params{}, action, map[string]any{"timeout": "{{ trigger.body.timeout }}"}, Context{Extra: map[string]any{"trigger": payload}})
		var pe *Error
		if !errors.As(err, &pe) || pe.Param != "timeout" ||
			err.Error() != `Failed to cast parameter "timeout" to integer: 'abc' invalid literal for int() with base 10: 'abc'` {
			t.Fatalf("err = %v", err)
		}
	})
}

// TestRecordedFloatsRenderAsIntegers: executions read back from the store
// hold JSON integers as float64; a template sees them as integers.
func TestRecordedFloatsRenderAsIntegers(t *testing.T) {
	runner, action, err := RenderFinal(localRunner(), model.Params{"cmd": {Immutable: true, Default: "sleep {{ timeout }} {{ ratio }}"}, "ratio": {Type: "number"}},
		map[string]any{"timeout": 30.0, "ratio": 0.5}, Context{})
	if err != nil {
		t.Fatal(err)
	}
	if runner["cmd"] != "sleep 30 0.5" || runner["timeout"] != 30 || action["ratio"] != 0.5 {
		t.Fatalf("runner = %v, action = %v", runner, action)
	}
}
