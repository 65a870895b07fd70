package rules

import (
	"testing"
	"time"

	"github.com/st2go/st2go/internal/expr"
)

// FuzzMatch evaluates arbitrary criteria against arbitrary payloads: no
// input may panic, and a match never comes with a miss.
func FuzzMatch(f *testing.F) {
	seeds := []struct{ criteria, payload string }{
		{`{"trigger.a": {"type": "equals", "pattern": 1}}`, `{"a": 1}`},
		{`{"trigger.a#1": {"type": "regex", "pattern": "^x$"}, "trigger.a#2": {"type": "matchwildcard", "pattern": "[!a-]*"}}`, `{"a": "x\n"}`},
		{`{"trigger.l": {"type": "search", "condition": "any2any", "pattern": {"item.k": {"type": "iequals", "pattern": "{{ item.k }}"}}}}`, `{"l": [{"k": "A"}, 1, "s"]}`},
		{`{"trigger.t": {"type": "timediff_gt", "pattern": "10"}}`, `{"t": "2014-07-01T00:01:01Z"}`},
		{`{"trigger.a[": {"type": "exists"}, "trigger..b": {"type": "nexists"}}`, `{"a": {"b": null}}`},
		{`{"trigger.x": {"type": "inside", "pattern": {"k": 1}}}`, `{"x": [1]}`},
		{`{"trigger.x": {"type": "lt", "pattern": "{{ trigger.y | to_complex }}"}}`, `{"x": 1, "y": [2]}`},
		{`{"trigger.x": {"type": "SEARCH", "pattern": "{{ trigger }}"}}`, `{"x": 1}`},
	}
	for _, s := range seeds {
		f.Add(s.criteria, s.payload)
	}
	ev := &Evaluator{Render: fakeJinja, Now: func() time.Time { return testNow }}
	f.Fuzz(func(t *testing.T, criteria, payload string) {
		if len(criteria) > 2048 || len(payload) > 2048 {
			return // long inputs find nothing new and make minimising crawl
		}
		var cs Criteria
		if err := cs.UnmarshalJSON([]byte(criteria)); err != nil {
			return
		}
		p, err := expr.FromJSON([]byte(payload))
		if err != nil {
			return
		}
		res := ev.Match(cs, p)
		if res.Matched && res.Miss != nil {
			t.Fatalf("matched with a miss: %+v", res)
		}
		if !res.Matched && res.Miss == nil {
			t.Fatalf("no match and no miss: %+v", res)
		}
		for _, e := range res.Errors {
			_ = e.FailureReason("p.r", "id")
		}
	})
}

// FuzzParseRule feeds arbitrary YAML to the rule loader: no panics, and a
// rule it accepts has the fields StackStorm requires.
func FuzzParseRule(f *testing.F) {
	f.Add([]byte(goodHead + "criteria:\n  trigger.a: {type: exists}\n"))
	f.Add([]byte("name: r\ntrigger: {type: t, parameters: {url: x}}\naction: {ref: a}\ntags: [{name: n}]\ntype: {ref: backstop}\n"))
	f.Add([]byte("a: &x [*x]\n"))
	f.Add([]byte("<<: {name: r}\ntrigger: {type: t}\naction: {ref: a}\ncriteria: {trigger.s: {type: search, condition: all, pattern: {item.x: {type: eq, pattern: 1}}}}\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		if len(data) > 4096 {
			return
		}
		r, err := ParseRule("f.yaml", data, Options{})
		if err != nil {
			return
		}
		if r.Name == "" || r.Trigger.Type == "" || r.Action.Ref == "" || r.Ref != r.Pack+"."+r.Name {
			t.Fatalf("accepted an incomplete rule: %+v", r)
		}
		if _, err := r.Criteria.MarshalJSON(); err != nil {
			t.Fatalf("accepted criteria that do not encode: %v", err)
		}
	})
}
