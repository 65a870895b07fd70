package yaql

import (
	"context"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/st2go/st2go/internal/expr"
)

// benchEnv is a small workflow context like the ones Orquesta
// expressions read.
func benchEnv() *expr.Env {
	users := []any{
		expr.DictOf("name", "alice", "age", int64(31), "admin", true),
		expr.DictOf("name", "bob", "age", int64(25), "admin", false),
		expr.DictOf("name", "carol", "age", int64(40), "admin", true),
	}
	return &expr.Env{
		Vars:     expr.DictOf("x", int64(1), "name", "Stanley", "xs", []any{int64(1), int64(2), int64(3)}, "users", users),
		Task:     &expr.Task{ID: "t1", Result: expr.DictOf("code", int64(0), "stdout", "ok")},
		Workflow: expr.StaticWorkflow{"t1": "succeeded"},
	}
}

// typical pairs YAQL expressions workflows use with the same logic
// written in Go against the same values.
var typical = []struct {
	name string
	text string
	goFn func(env *expr.Env) any
}{
	{"ctx-plus-one", "<% ctx(x) + 1 %>", func(env *expr.Env) any {
		v, _ := env.Vars.Get("x")
		return v.(int64) + 1
	}},
	{"where-select", "<% ctx(users).where($.age > 30).select($.name) %>", func(env *expr.Env) any {
		v, _ := env.Vars.Get("users")
		var out []any
		for _, u := range v.([]any) {
			d := u.(*expr.Dict)
			age, _ := d.Get("age")
			if age.(int64) > 30 {
				n, _ := d.Get("name")
				out = append(out, n)
			}
		}
		return out
	}},
	{"succeeded-and-result", "<% succeeded() and result().code = 0 %>", func(env *expr.Env) any {
		if env.Workflow.TaskStatus(env.Task.ID, env.Task.Route) != "succeeded" {
			return false
		}
		c, _ := env.Task.Result.(*expr.Dict).Get("code")
		return c == int64(0)
	}},
	{"to-upper", "<% ctx(name).toUpper() %>", func(env *expr.Env) any {
		v, _ := env.Vars.Get("name")
		return strings.ToUpper(v.(string))
	}},
	{"len", "<% len(ctx(xs)) %>", func(env *expr.Env) any {
		v, _ := env.Vars.Get("xs")
		return int64(len(v.([]any)))
	}},
	{"interpolate", "host-<% ctx(name) %>-<% ctx(x) %>", func(env *expr.Env) any {
		n, _ := env.Vars.Get("name")
		x, _ := env.Vars.Get("x")
		return "host-" + n.(string) + "-" + expr.Str(x)
	}},
}

// BenchmarkTypical reports, for each typical expression, the time of an
// evaluation and "x-go": how many times slower it is than the same logic
// in plain Go (target: within 20).
func BenchmarkTypical(b *testing.B) {
	env := benchEnv()
	eng := Default()
	ctx := context.Background()
	for _, tc := range typical {
		b.Run(tc.name, func(b *testing.B) {
			if _, err := eng.Evaluate(ctx, tc.text, env, expr.Limits{}); err != nil {
				b.Fatal(err)
			}
			b.ReportAllocs()
			b.ResetTimer()
			// Interleave chunks of YAQL and Go evaluations so that the
			// ratio does not depend on load changing during the run.
			var yaqlTime, goTime time.Duration
			var ratios []float64
			var sink any
			const chunk = 256
			for done := 0; done < b.N; done += chunk {
				n := min(chunk, b.N-done)
				start := time.Now()
				for i := 0; i < n; i++ {
					if _, err := eng.Evaluate(ctx, tc.text, env, expr.Limits{}); err != nil {
						b.Fatal(err)
					}
				}
				mid := time.Now()
				for i := 0; i < n; i++ {
					sink = tc.goFn(env)
				}
				end := time.Now()
				yaqlTime += mid.Sub(start)
				goTime += end.Sub(mid)
				if n == chunk {
					ratios = append(ratios, float64(mid.Sub(start))/float64(max(end.Sub(mid), 1)))
				}
			}
			_ = sink
			yaqlNs := float64(yaqlTime.Nanoseconds()) / float64(b.N)
			goNs := float64(goTime.Nanoseconds()) / float64(b.N)
			b.ReportMetric(yaqlNs, "yaql-ns/op")
			b.ReportMetric(goNs, "go-ns/op")
			// The median of the per-chunk ratios resists GC and load
			// noise better than the ratio of the totals.
			ratio := yaqlNs / max(goNs, 1)
			if len(ratios) > 0 {
				sort.Float64s(ratios)
				ratio = ratios[len(ratios)/2]
			}
			b.ReportMetric(ratio, "x-go")
		})
	}
}
