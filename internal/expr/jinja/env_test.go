package jinja

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/st2go/st2go/internal/expr"
)

func TestEvalKeepsTypes(t *testing.T) {
	vars := expr.DictOf("n", int64(3), "l", []any{int64(1)}, "d", expr.DictOf("a", true), "none", nil)
	tests := []struct {
		src  string
		want any
	}{
		{"{{ n }}", int64(3)},
		{"{{ n + 0.5 }}", 3.5},
		{"{{ l }}", []any{int64(1)}},
		{"{{ d }}", expr.DictOf("a", true)},
		{"{{ none }}", nil},
		{"{{ l | map('string') }}", []any{"1"}},
		{" {{ n }}", " 3"},
		{"{{ n }}{{ n }}", "33"},
		{"{% if true %}{{ n }}{% endif %}", "3"},
		{"{{ d.a }}\n", true},
	}
	for _, tc := range tests {
		got, err := ST2.Eval(t.Context(), tc.src, vars, nil)
		if err != nil {
			t.Errorf("%q: %v", tc.src, err)
			continue
		}
		if !expr.Equal(got, tc.want) || expr.TypeName(got) != expr.TypeName(tc.want) {
			t.Errorf("%q = %s (%s), want %s", tc.src, expr.Repr(got), expr.TypeName(got), expr.Repr(tc.want))
		}
	}
}

// kvLookup stands in for the parameter renderer's st2kv.system lookup.
type kvLookup struct {
	prefix string
	data   map[string]string
}

func (k *kvLookup) TypeName() string { return "KeyValueLookup" }
func (k *kvLookup) Repr() string     { return "<KeyValueLookup>" }
func (k *kvLookup) Attr(ctx context.Context, name string) (any, bool, error) {
	key := strings.TrimPrefix(k.prefix+"."+name, ".")
	if v, ok := k.data[key]; ok {
		return v, true, nil
	}
	return &kvLookup{prefix: key, data: k.data}, true, nil
}

// TestStackStormTemplates covers the templating cases of StackStorm bug
// reports (shared corpus st2-bug-cases.md, TEMPLATING and PARAMS) at the
// template level; casting and parameter order belong to internal/param.
func TestStackStormTemplates(t *testing.T) {
	kv := &kvLookup{data: map[string]string{"retries": "3", "hosts_json": `["h1","h2"]`, "opts_json": `{"a":1}`}}
	vars := expr.DictOf(
		"st2kv", expr.DictOf("system", kv),
		"frequency", nil,
		"trigger", expr.DictOf("body", expr.DictOf("timeout", int64(30), "ratio", 1.5, "dry", "false",
			"hosts", []any{"a", "b"}, "meta", expr.DictOf("k", int64(1)))),
		"config_context", expr.DictOf("messages", []any{"from config 1", "from config 2"}),
	)
	tests := []struct {
		name, src string
		want      any
		err       string
	}{
		{"BL-07 go template text is a syntax error", `echo "{{.Name}}"`, nil, "unexpected '.'"},
		{"BL-08 int from datastore", "{{ st2kv.system.retries | int }}", int64(3), ""},
		{"BL-08 array from datastore", "{{ st2kv.system.hosts_json | from_json_string }}", []any{"h1", "h2"}, ""},
		{"BL-08 object from datastore", "{{ st2kv.system.opts_json | from_json_string }}", expr.DictOf("a", int64(1)), ""},
		{"BL-09 config_context default", "{{ config_context.messages }}", []any{"from config 1", "from config 2"}, ""},
		{"BL-12 unset optional renders empty", "{% if frequency %}--frequency {{ frequency }}{% endif %}", "", ""},
		{"BL-14 integer keeps its type", "{{ trigger.body.timeout }}", int64(30), ""},
		{"BL-14 number keeps its type", "{{ trigger.body.ratio }}", 1.5, ""},
		{"BL-14 list keeps its type", "{{ trigger.body.hosts }}", []any{"a", "b"}, ""},
		{"BL-14 to_json_string", "{{ trigger.body.meta | to_json_string }}", `{"k": 1}`, ""},
		{"strict undefined names the variable", "{{ nope }}", nil, "'nope' is undefined"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := ST2.Eval(t.Context(), tc.src, vars, nil)
			if tc.err != "" {
				if err == nil || !strings.Contains(err.Error(), tc.err) {
					t.Fatalf("got %s, %v; want error %q", expr.Repr(got), err, tc.err)
				}
				var xe *expr.Error
				if !errors.As(err, &xe) || xe.Expr != tc.src {
					t.Fatalf("error %v does not name the template", err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if !expr.Equal(got, tc.want) || expr.TypeName(got) != expr.TypeName(tc.want) {
				t.Fatalf("got %s (%s), want %s", expr.Repr(got), expr.TypeName(got), expr.Repr(tc.want))
			}
		})
	}
}

func TestRegistryFunctions(t *testing.T) {
	ds := expr.MapDatastore{"system": {"k": "v"}, "user": {"stanley:mine": "m"}}
	xenv := &expr.Env{Vars: expr.DictOf("st2", expr.DictOf("user", "stanley"), "path", "/a/b.txt"), Datastore: ds}
	tests := []struct {
		env  *Environment
		src  string
		want string
	}{
		{ST2, "{{ 'a/b/c' | basename }}", "c"},
		{ST2, "{{ 'v1.2.3' | regex_match('v\\\\d') }}", "True"},
		{ST2, "{{ '1.2.3' | version_bump_minor }}", "1.3.0"},
		{ST2, "{{ {'a': [1, None]} | to_complex }}", `{"a": [1, null]}`},
		{ST2, "{{ none | use_none }}", expr.NoneMagic},
		{Orquesta, "{{ st2kv('system.k') }}", "v"},
		{Orquesta, "{{ st2kv('mine') }}", "m"},
		{Orquesta, "{{ basename(ctx('path')) }}", "b.txt"},
		{Orquesta, "{{ ctx('path') | dirname }}", "/a"},
		{Orquesta, "{{ json('[1]') }}", "[1]"},
	}
	for _, tc := range tests {
		got, err := tc.env.Render(t.Context(), tc.src, nil, xenv)
		if err != nil {
			t.Errorf("%q: %v", tc.src, err)
			continue
		}
		if got != tc.want {
			t.Errorf("%q = %q, want %q", tc.src, got, tc.want)
		}
	}
	// st2's environment has no function globals; Orquesta's has.
	if _, err := ST2.Render(t.Context(), "{{ basename('a/b') }}", nil, nil); err == nil {
		t.Error("st2 environment: basename() as a global should be undefined")
	}
}

func TestLimits(t *testing.T) {
	lim := expr.Limits{MaxDepth: 30, MaxOutput: 1 << 16, MaxSteps: 100000, Timeout: time.Second}
	env := New(Config{TrimBlocks: true, LStripBlocks: true, Scope: expr.ScopeST2, Limits: lim})
	tests := []struct {
		name, src, limit string
	}{
		{"recursive macro", "{% macro m() %}{{ m() }}{% endmacro %}{{ m() }}", "depth"},
		{"long loops", "{% for i in range(100000) %}{% for j in range(100000) %}{% endfor %}{% endfor %}", "steps"},
		{"huge string", "{{ 'x' * 100000000 }}", "output"},
		{"huge output", "{% for i in range(50000) %}xxxxxxxxxx{% endfor %}", "output"},
		{"huge power", "{{ 2 ** 100000000 }}", "output"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := env.Render(t.Context(), tc.src, nil, nil)
			var le *expr.LimitError
			if !errors.As(err, &le) || le.Limit != tc.limit {
				t.Fatalf("err = %v, want the %s limit", err, tc.limit)
			}
			if !errors.Is(err, expr.ErrLimit) {
				t.Fatalf("errors.Is(%v, ErrLimit) = false", err)
			}
		})
	}
	t.Run("timeout", func(t *testing.T) {
		env := New(Config{Limits: expr.Limits{MaxSteps: -1, Timeout: 20 * time.Millisecond}})
		_, err := env.Render(t.Context(), "{% for i in range(100000) %}{% for j in range(100000) %}{% endfor %}{% endfor %}", nil, nil)
		var le *expr.LimitError
		if !errors.As(err, &le) || le.Limit != "time" {
			t.Fatalf("err = %v, want the time limit", err)
		}
	})
	t.Run("cancelled", func(t *testing.T) {
		ctx, cancel := context.WithCancel(t.Context())
		cancel()
		_, err := ST2.Render(ctx, "{% for i in range(100000) %}{{ i }}{% endfor %}", nil, nil)
		if !errors.Is(err, context.Canceled) {
			t.Fatalf("err = %v, want context.Canceled", err)
		}
	})
	t.Run("deep nesting parses to an error", func(t *testing.T) {
		src := "{{ " + strings.Repeat("(", 5000) + "1" + strings.Repeat(")", 5000) + " }}"
		if _, err := ST2.Parse(src); err == nil || !strings.Contains(err.Error(), "too deep") {
			t.Fatalf("err = %v", err)
		}
	})
	t.Run("orquesta self-reference", func(t *testing.T) {
		xenv := &expr.Env{Vars: expr.DictOf("a", "{{ ctx('a') }}")}
		_, err := OrquestaEvaluator{}.Evaluate(t.Context(), "{{ ctx('a') }}", xenv, expr.Limits{MaxDepth: 20})
		if !errors.Is(err, expr.ErrLimit) {
			t.Fatalf("err = %v", err)
		}
	})
}

func TestErrorPosition(t *testing.T) {
	src := "line one\n{{ x +\n  y.z }}"
	_, err := ST2.Render(t.Context(), src, expr.DictOf("x", int64(1)), nil)
	var xe *expr.Error
	if !errors.As(err, &xe) {
		t.Fatalf("err = %v", err)
	}
	line, col := xe.Position()
	if line != 3 || col != 3 {
		t.Errorf("position %d:%d, want 3:3 (%v)", line, col, err)
	}
	if !strings.Contains(err.Error(), "'y' is undefined") || !strings.Contains(err.Error(), "at 3:3") {
		t.Errorf("message %q", err)
	}
	_, err = ST2.Parse("ok\n{% if %}")
	if !errors.As(err, &xe) {
		t.Fatalf("err = %v", err)
	}
	if line, _ := xe.Position(); line != 2 {
		t.Errorf("syntax error on line %d, want 2 (%v)", line, err)
	}
}

func TestLenientEnvironment(t *testing.T) {
	env := New(Config{Lenient: true})
	got, err := env.Render(t.Context(), "[{{ missing }}]{% for x in missing %}x{% endfor %}", nil, nil)
	if err != nil || got != "[]" {
		t.Fatalf("got %q, %v", got, err)
	}
}

func TestKVLookup(t *testing.T) {
	ds := expr.MapDatastore{
		"system": {"retries": "3", "a.b": "nested", "hosts_json": `["h1"]`, "flag": "true"},
		"user":   {"stanley:mine": "7"},
	}
	vars := expr.DictOf("st2kv", expr.DictOf("system", NewKVLookup(ds, "system", "stanley"), "user", NewKVLookup(ds, "user", "stanley")))
	tests := []struct {
		src  string
		want any
	}{
		{"{{ st2kv.system.retries }}", "3"},
		{"{{ st2kv.system.retries | int + 1 }}", int64(4)},
		{"{{ st2kv.system.retries | float }}", 3.0},
		{"{{ st2kv.system.a.b }}", "nested"},
		{"{{ st2kv.system['a']['b'] }}", "nested"},
		{"[{{ st2kv.system.missing }}]", "[]"},
		{"{{ st2kv.system.hosts_json | from_json_string }}", []any{"h1"}},
		{"{{ st2kv.system.flag | upper }}", "TRUE"},
		{"{{ st2kv.user.mine }}", "7"},
		{"{{ st2kv.user.mine | int }}", int64(0)}, // UserKeyValueLookup has no __int__
	}
	for _, tc := range tests {
		got, err := ST2.Eval(t.Context(), tc.src, vars, nil)
		if err != nil {
			t.Errorf("%q: %v", tc.src, err)
			continue
		}
		if k, ok := got.(*KVLookup); ok {
			got = k.PyStr()
		}
		if !expr.Equal(got, tc.want) || expr.TypeName(got) != expr.TypeName(tc.want) {
			t.Errorf("%q = %s, want %s", tc.src, expr.Repr(got), expr.Repr(tc.want))
		}
	}
	_, err := ST2.Render(t.Context(), "{{ st2kv.system.missing | decrypt_kv }}", vars, &expr.Env{Datastore: ds})
	if err == nil || !strings.Contains(err.Error(), `Referenced datastore item "st2kv.system.missing" doesn't exist`) {
		t.Errorf("decrypt_kv of a missing key: %v", err)
	}
}

func TestConcurrentUse(t *testing.T) {
	srcs := []string{"{{ ctx('x') + 1 }}", "{% for u in ctx('users') %}{{ u.name }}{% endfor %}", "{{ ctx('users') | map(attribute='age') | sum }}"}
	done := make(chan error)
	for i := 0; i < 8; i++ {
		go func() {
			env := benchEnv()
			var err error
			for j := 0; j < 200 && err == nil; j++ {
				_, err = OrquestaEvaluator{}.Evaluate(context.Background(), srcs[j%len(srcs)], env, expr.Limits{})
			}
			done <- err
		}()
	}
	for i := 0; i < 8; i++ {
		if err := <-done; err != nil {
			t.Error(err)
		}
	}
}
