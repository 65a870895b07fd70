package rules

import (
	"fmt"
	"strings"
	"testing"
)

// rule builds an enabled rule on a webhook URL with criteria, standard
// or (kind "backstop") backstop.
func rule(name, url, kind string, criteria Criteria) *Rule {
	r := &Rule{Name: name, Pack: "p", Enabled: true,
		Trigger:  TriggerSpec{Type: "core.st2.webhook", Parameters: map[string]any{"url": url}},
		Criteria: criteria, Action: ActionSpec{Ref: "core.noop"}, Type: TypeSpec{Ref: TypeStandard}}
	if kind != "" {
		r.Type.Ref = kind
	}
	r.setDerived()
	return r
}

func refs(rules []*Rule) string {
	var out []string
	for _, r := range rules {
		out = append(out, r.Name)
	}
	return strings.Join(out, ",")
}

func hook(url string) map[string]any { return map[string]any{"url": url} }

func TestIndexByTrigger(t *testing.T) {
	a := rule("a", "alerts", "", nil)
	b := rule("b", "deploys", "", nil)
	c := rule("c", "alerts", "", crit("trigger.body.env", "equals", "prod"))
	off := rule("off", "alerts", "", nil)
	off.Enabled = false
	timer := &Rule{Name: "t", Pack: "p", Enabled: true, Trigger: TriggerSpec{Type: "core.st2.IntervalTimer",
		Parameters: map[string]any{"unit": "seconds", "delta": 5}}}
	timer.setDerived()
	ix, err := NewIndex(a, b, c, off, timer)
	if err != nil {
		t.Fatal(err)
	}
	if ix.Len() != 4 {
		t.Errorf("Len = %d, want 4 (disabled rules are left out)", ix.Len())
	}
	for _, tc := range []struct {
		typ    string
		params map[string]any
		want   string
	}{
		{"core.st2.webhook", hook("alerts"), "a,c"},
		{"core.st2.webhook", hook("deploys"), "b"},
		{"core.st2.webhook", hook("other"), ""},
		{"core.st2.webhook", nil, ""},
		// Parameters compare by value, whatever the key order or number type.
		{"core.st2.IntervalTimer", map[string]any{"delta": int64(5), "unit": "seconds"}, "t"},
		{"core.st2.IntervalTimer", map[string]any{"delta": 6, "unit": "seconds"}, ""},
	} {
		got, err := ix.Rules(tc.typ, tc.params)
		if err != nil || refs(got) != tc.want {
			t.Errorf("Rules(%s, %v) = %s, %v; want %s", tc.typ, tc.params, refs(got), err, tc.want)
		}
	}
	evs, err := ix.Match("core.st2.webhook", hook("alerts"), j(t, `{"body": {"env": "dev"}}`), testEval)
	if err != nil || refs(Matched(evs)) != "a" || len(evs) != 2 {
		t.Errorf("Match = %+v, %v", evs, err)
	}
	if evs[1].Result.Miss == nil || evs[1].Result.Miss.Key != "trigger.body.env" {
		t.Errorf("the miss of c is not explained: %+v", evs[1].Result)
	}
}

func TestIndexUpdates(t *testing.T) {
	a, b, c := rule("a", "h", "", nil), rule("b", "h", "", nil), rule("c", "h", "", nil)
	ix, _ := NewIndex(a, b, c)
	// Replacing a rule keeps its place.
	b2 := rule("b", "h", "", crit("trigger.x", "exists", nil))
	if err := ix.Put(b2); err != nil {
		t.Fatal(err)
	}
	got, _ := ix.Rules("core.st2.webhook", hook("h"))
	if refs(got) != "a,b,c" || got[1] != b2 {
		t.Errorf("after replacing b: %s", refs(got))
	}
	// A handed-out slice stays as it was.
	before := got
	// Disabling removes; moving to another trigger moves.
	b3 := rule("b", "h", "", nil)
	b3.Enabled = false
	_ = ix.Put(b3)
	got, _ = ix.Rules("core.st2.webhook", hook("h"))
	if refs(got) != "a,c" || refs(before) != "a,b,c" {
		t.Errorf("after disabling b: %s (earlier slice %s)", refs(got), refs(before))
	}
	_ = ix.Put(rule("a", "other", "", nil))
	got, _ = ix.Rules("core.st2.webhook", hook("h"))
	moved, _ := ix.Rules("core.st2.webhook", hook("other"))
	if refs(got) != "c" || refs(moved) != "a" {
		t.Errorf("after moving a: %s / %s", refs(got), refs(moved))
	}
	if !ix.Delete("p.c") || ix.Delete("p.c") || ix.Len() != 1 {
		t.Errorf("Delete: len %d", ix.Len())
	}
}

// TestBackstop follows StackStorm's RulesMatcher: backstop rules are tried
// only when no standard rule matched, and then all of them may match.
func TestBackstop(t *testing.T) {
	std := rule("std", "h", "", crit("trigger.kind", "equals", "known"))
	bs1 := rule("bs1", "h", TypeBackstop, nil)
	bs2 := rule("bs2", "h", TypeBackstop, crit("trigger.kind", "nequals", "ignored"))
	// A backstop listed first still runs after the standard rules.
	ix, _ := NewIndex(bs1, std, bs2)
	for _, tc := range []struct {
		payload string
		matched string
		skipped int
	}{
		{`{"kind": "known"}`, "std", 2},
		{`{"kind": "unknown"}`, "bs1,bs2", 0},
		{`{"kind": "ignored"}`, "bs1", 0},
	} {
		evs, err := ix.Match("core.st2.webhook", hook("h"), j(t, tc.payload), testEval)
		if err != nil {
			t.Fatal(err)
		}
		skipped := 0
		for _, e := range evs {
			if e.Skipped {
				skipped++
			}
		}
		if refs(Matched(evs)) != tc.matched || skipped != tc.skipped || len(evs) != 3 || evs[0].Rule != std {
			t.Errorf("%s: matched %s, skipped %d; want %s, %d", tc.payload, refs(Matched(evs)), skipped, tc.matched, tc.skipped)
		}
	}
}

func TestMatchRuleDisabled(t *testing.T) {
	r := rule("r", "h", "", nil)
	r.Enabled = false
	if res := testEval.MatchRule(r, j(t, `{"a": 1}`)); res.Matched {
		t.Error("a disabled rule matched")
	}
}

func TestTriggerKey(t *testing.T) {
	k1, _ := TriggerKey("t", map[string]any{"b": 1, "a": []any{"x"}})
	k2, _ := TriggerKey("t", map[string]any{"a": []string{"x"}, "b": 1.0})
	k3, _ := TriggerKey("t", map[string]any{})
	if k1 != `t {"a":["x"],"b":1}` || k3 != "t" {
		t.Errorf("keys %q %q", k1, k3)
	}
	// An int and a float parameter differ, as their JSON does.
	if k1 == k2 {
		t.Errorf("1 and 1.0 give the same key %q", k1)
	}
	if _, err := TriggerKey("t", map[string]any{"f": func() {}}); err == nil {
		t.Error("no error for an unencodable parameter")
	}
}

func ExampleIndex_Match() {
	r, err := ParseRule("rules/alert.yaml", []byte(`
name: alert
pack: ops
enabled: true
trigger:
  type: core.st2.webhook
  parameters: {url: alerts}
criteria:
  trigger.body.severity:
    type: greaterthan
    pattern: 2
action:
  ref: core.local
  parameters: {cmd: "echo {{ trigger.body.msg }}"}
`), Options{})
	if err != nil {
		fmt.Println(err)
		return
	}
	ix, _ := NewIndex(r)
	evs, _ := ix.Match("core.st2.webhook", map[string]any{"url": "alerts"},
		map[string]any{"body": map[string]any{"severity": 3, "msg": "disk full"}}, &Evaluator{})
	for _, m := range Matched(evs) {
		fmt.Println(m.Ref, m.Action.Ref)
	}
	// Output: ops.alert core.local
}

// TestIndexConcurrent matches while rules change (run with -race).
func TestIndexConcurrent(t *testing.T) {
	ix, _ := NewIndex()
	payload := j(t, `{"body": {"n": 1, "host": "web-1"}}`)
	done := make(chan struct{})
	go func() {
		defer close(done)
		for i := 0; i < 200; i++ {
			_ = ix.Put(rule(fmt.Sprintf("r%d", i%20), "h", "", Criteria{
				{Key: "trigger.body.host", Type: OpMatchWildcard, Pattern: fmt.Sprintf("web-%d", i%3)},
				{Key: "trigger.body.n", Type: OpRegex, Pattern: "1"},
			}))
			if i%7 == 0 {
				ix.Delete(fmt.Sprintf("p.r%d", i%20))
			}
		}
	}()
	for {
		select {
		case <-done:
			return
		default:
		}
		evs, err := ix.Match("core.st2.webhook", hook("h"), payload, testEval)
		if err != nil {
			t.Fatal(err)
		}
		for _, e := range evs {
			if e.Result.Matched {
				t.Fatalf("%s matched: a regex on an int must fail", e.Rule.Ref)
			}
		}
	}
}
