package rules

import (
	"fmt"
	"testing"

	"github.com/st2go/st2go/internal/expr"
)

// BenchmarkIndexMatch matches one webhook trigger instance against N rules
// of its trigger, one in ten of which match. Each rule has three
// criteria of the usual kinds; rules on other triggers must cost nothing.
func BenchmarkIndexMatch(b *testing.B) {
	payload, err := expr.FromJSON([]byte(`{"headers": {"X-Event": "alert"}, "body": {"bucket": 0,
		"host": "web-01.example.com", "msg": "ERROR: disk full on /var", "severity": 4}}`))
	if err != nil {
		b.Fatal(err)
	}
	for _, n := range []int{10, 100, 1000} {
		b.Run(fmt.Sprintf("rules=%d", n), func(b *testing.B) {
			var rules []*Rule
			for i := 0; i < n; i++ {
				rules = append(rules, rule(fmt.Sprintf("r%d", i), "alerts", "", Criteria{
					{Key: "trigger.body.host", Type: OpMatchWildcard, Pattern: "web-*"},
					{Key: "trigger.body.msg", Type: OpRegex, Pattern: "^ERROR"},
					{Key: "trigger.body.bucket", Type: OpEquals, Pattern: int64(i % 10)},
				}))
				// As many rules again on another trigger.
				rules = append(rules, rule(fmt.Sprintf("o%d", i), "other", "", nil))
			}
			ix, err := NewIndex(rules...)
			if err != nil {
				b.Fatal(err)
			}
			ev := &Evaluator{Render: fakeJinja}
			params := hook("alerts")
			b.ReportAllocs()
			b.ResetTimer()
			for b.Loop() {
				evs, err := ix.Match("core.st2.webhook", params, payload, ev)
				if err != nil {
					b.Fatal(err)
				}
				if got := len(Matched(evs)); got != n/10 {
					b.Fatalf("%d rules matched, want %d", got, n/10)
				}
			}
		})
	}
}
