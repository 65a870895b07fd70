package jinja

import (
	"context"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/st2go/st2go/internal/expr"
)

// benchEnv is a small workflow context like the ones templates read.
func benchEnv() *expr.Env {
	users := []any{
		expr.DictOf("name", "alice", "age", int64(31), "admin", true),
		expr.DictOf("name", "bob", "age", int64(25), "admin", false),
		expr.DictOf("name", "carol", "age", int64(40), "admin", true),
	}
	return &expr.Env{
		Vars:     expr.DictOf("x", int64(1), "name", "Stanley", "xs", []any{int64(1), int64(2), int64(3)}, "users", users, "host", "web1.example.com"),
		Task:     &expr.Task{ID: "t1", Result: expr.DictOf("code", int64(0), "stdout", "ok")},
		Workflow: expr.StaticWorkflow{"t1": "succeeded"},
	}
}

// typical pairs Jinja expressions workflows and action parameters use
// with the same logic written in Go against the same values.
var typical = []struct {
	name string
	text string
	goFn func(env *expr.Env) any
}{
	{"ctx-plus-one", "{{ ctx('x') + 1 }}", func(env *expr.Env) any {
		v, _ := env.Vars.Get("x")
		return v.(int64) + 1
	}},
	{"attribute-chain", "{{ ctx().users[0].name }}", func(env *expr.Env) any {
		v, _ := env.Vars.Get("users")
		n, _ := v.([]any)[0].(*expr.Dict).Get("name")
		return n
	}},
	{"filter-chain", "{{ ctx('users') | selectattr('admin') | map(attribute='name') | join(',') }}", func(env *expr.Env) any {
		v, _ := env.Vars.Get("users")
		var names []string
		for _, u := range v.([]any) {
			d := u.(*expr.Dict)
			if a, _ := d.Get("admin"); a == true {
				n, _ := d.Get("name")
				names = append(names, n.(string))
			}
		}
		return strings.Join(names, ",")
	}},
	{"succeeded-and-result", "{{ succeeded() and result().code == 0 }}", func(env *expr.Env) any {
		if env.Workflow.TaskStatus(env.Task.ID, env.Task.Route) != "succeeded" {
			return false
		}
		c, _ := env.Task.Result.(*expr.Dict).Get("code")
		return c == int64(0)
	}},
	{"interpolate", "host-{{ ctx('name') }}-{{ ctx('x') }}", func(env *expr.Env) any {
		n, _ := env.Vars.Get("name")
		x, _ := env.Vars.Get("x")
		return "host-" + n.(string) + "-" + expr.Str(x)
	}},
	{"for-loop", "{% for u in ctx('users') %}{{ u.name | upper }}{% if not loop.last %},{% endif %}{% endfor %}", func(env *expr.Env) any {
		v, _ := env.Vars.Get("users")
		var b strings.Builder
		l := v.([]any)
		for i, u := range l {
			n, _ := u.(*expr.Dict).Get("name")
			b.WriteString(strings.ToUpper(n.(string)))
			if i < len(l)-1 {
				b.WriteByte(',')
			}
		}
		return b.String()
	}},
	{"split-index", "{{ ctx('host').split('.')[0] }}", func(env *expr.Env) any {
		h, _ := env.Vars.Get("host")
		return strings.Split(h.(string), ".")[0]
	}},
}

// BenchmarkTypical reports, for each typical expression evaluated as
// Orquesta does, the time of an evaluation and "x-go": how many times
// slower it is than the same logic in plain Go (target: within 20). The
// ratio is the median of rounds that time both side by side, so load on
// the machine affects both alike.
func BenchmarkTypical(b *testing.B) {
	env := benchEnv()
	ev := OrquestaEvaluator{}
	ctx := context.Background()
	for _, tc := range typical {
		b.Run(tc.name, func(b *testing.B) {
			eval := func() {
				if _, err := ev.Evaluate(ctx, tc.text, env, expr.Limits{}); err != nil {
					b.Fatal(err)
				}
			}
			eval()
			b.ReportAllocs()
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				eval()
			}
			b.StopTimer()
			b.ReportMetric(medianRatio(eval, func() { _ = tc.goFn(env) }), "x-go")
		})
	}
}

// medianRatio times slow and fast in alternating rounds and returns the
// median of slow/fast.
func medianRatio(slow, fast func()) float64 {
	const rounds, n = 9, 300
	ratios := make([]float64, rounds)
	for r := range ratios {
		start := time.Now()
		for i := 0; i < n; i++ {
			slow()
		}
		s := time.Since(start)
		start = time.Now()
		for i := 0; i < n*10; i++ {
			fast()
		}
		f := time.Since(start) / 10
		ratios[r] = float64(s) / float64(max(f, 1))
	}
	sort.Float64s(ratios)
	return ratios[rounds/2]
}

// BenchmarkST2Render renders an action parameter template the way the
// parameter renderer does.
func BenchmarkST2Render(b *testing.B) {
	vars := expr.DictOf("hosts", []any{"a", "b"}, "port", int64(22), "user", "stanley")
	src := "ssh -p {{ port }} {{ user }}@{{ hosts | join(',') }}"
	ctx := context.Background()
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		if _, err := ST2.Render(ctx, src, vars, nil); err != nil {
			b.Fatal(err)
		}
	}
}
