package app_test

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/st2go/st2go/internal/app/apptest"
)

// writePack writes files under the server's packs directory and registers the pack.
func writePack(t *testing.T, s *apptest.Server, name string, files map[string]string) map[string]int {
	t.Helper()
	dir := filepath.Join(s.Home, "packs", name)
	for rel, text := range files {
		p := filepath.Join(dir, rel)
		os.MkdirAll(filepath.Dir(p), 0o755)
		if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	var counts map[string]int
	if code := s.Do(t, "POST", "/packs/register", map[string]any{"packs": []string{name}}, &counts); code != 200 {
		t.Fatalf("registering %s: %d", name, code)
	}
	return counts
}

// TestWebhookRule: a rule on core.st2.webhook with a regex criterion and
// Jinja parameters runs core.local with the payload's values when the
// webhook is posted, and does not when the criterion fails.
func TestWebhookRule(t *testing.T) {
	s := apptest.Start(t, apptest.Options{})
	counts := writePack(t, s, "hooks", map[string]string{
		"pack.yaml": "ref: hooks\nname: hooks\ndescription: webhook rules\nversion: 0.1.0\nauthor: me\n",
		"rules/greet.yaml": `name: greet
pack: hooks
description: greet st2 users
enabled: true
trigger:
  type: core.st2.webhook
  parameters:
    url: greet
criteria:
  trigger.body.name:
    type: regex
    pattern: "^st2"
action:
  ref: core.local
  parameters:
    cmd: "echo hello {{ trigger.body.name }}"
`,
	})
	if counts["rules"] != 1 {
		t.Fatalf("register counts %v", counts)
	}
	post := func(body string) {
		r := send(t, "POST", s.APIURL+"/api/v1/webhooks/greet", body, map[string]string{"Content-Type": "application/json"})
		if r.status != 202 {
			t.Fatalf("webhook: %d %s", r.status, r.body)
		}
	}
	post(`{"name": "bob"}`)     // criterion fails
	post(`{"name": "st2-fan"}`) // matches
	var enforcements []map[string]any
	deadline := time.Now().Add(wait)
	for len(enforcements) == 0 {
		s.Do(t, "GET", "/ruleenforcements?rule_ref=hooks.greet", nil, &enforcements)
		if time.Now().After(deadline) {
			t.Fatal("no rule enforcement")
		}
		time.Sleep(20 * time.Millisecond)
	}
	if len(enforcements) != 1 || enforcements[0]["status"] != "succeeded" {
		t.Fatalf("enforcements %v", enforcements)
	}
	e := s.Wait(t, enforcements[0]["execution_id"].(string), wait)
	if r := apptest.ShellResultOf(t, e); r.Stdout != "hello st2-fan" {
		t.Fatalf("rule execution %s", e)
	}
	if e.Context["user"] != "stanley" {
		t.Errorf("rule-triggered execution runs as %v", e.Context["user"])
	}
	waitTriggerInstances(t, s, 2)
	var webhooks []map[string]any
	s.Do(t, "GET", "/webhooks", nil, &webhooks)
	if len(webhooks) != 1 || !strings.Contains(webhooks[0]["ref"].(string), "core.") {
		t.Errorf("webhooks %v", webhooks)
	}
}

// TestIntervalTimerRule: a rule on an IntervalTimer of one second fires
// again and again (this one is real time: the timer package's own tests
// use a controllable clock).
func TestIntervalTimerRule(t *testing.T) {
	s := apptest.Start(t, apptest.Options{})
	writePack(t, s, "ticks", map[string]string{
		"pack.yaml": "ref: ticks\nname: ticks\ndescription: timers\nversion: 0.1.0\nauthor: me\n",
		"rules/tick.yaml": `name: tick
pack: ticks
enabled: true
trigger:
  type: core.st2.IntervalTimer
  parameters: {unit: seconds, delta: 1}
action:
  ref: core.noop
`,
	})
	deadline := time.Now().Add(wait)
	for {
		var enf []map[string]any
		s.Do(t, "GET", "/ruleenforcements?rule_ref=ticks.tick", nil, &enf)
		if len(enf) >= 2 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("timer rule fired %d times", len(enf))
		}
		time.Sleep(100 * time.Millisecond)
	}
	var timers []map[string]any
	s.Do(t, "GET", "/timers", nil, &timers)
	if len(timers) != 1 || timers[0]["type"] != "core.st2.IntervalTimer" {
		t.Fatalf("timers %v", timers)
	}
}

// TestBL50_DottedPayloadKeys: payload keys with "." and "$" reach rules
// and come back unchanged.
func TestBL50_DottedPayloadKeys(t *testing.T) {
	s := apptest.Start(t, apptest.Options{})
	writePack(t, s, "logs", map[string]string{
		"pack.yaml": "ref: logs\nname: logs\ndescription: logstash hook\nversion: 0.1.0\nauthor: me\n",
		"rules/hits.yaml": `name: hits
pack: logs
enabled: true
trigger: {type: core.st2.webhook, parameters: {url: logstash}}
criteria:
  trigger.body.message: {type: equals, pattern: m1}
action:
  ref: core.echo
  parameters: {message: "{{ trigger.body['hits.count'] }}"}
`,
	})
	body := `{"hits.count": 30, "@timestamp": "2024-01-01T00:00:00Z", "$meta": {"a.b": 1}, "message": "m1"}`
	send(t, "POST", s.APIURL+"/api/v1/webhooks/logstash", body, map[string]string{"Content-Type": "application/json"})
	e := waitRuleExecution(t, s, "logs.hits")
	if r := apptest.ShellResultOf(t, e); e.Status != "succeeded" || r.Stdout != float64(30) {
		t.Fatalf("echo: %s", e)
	}
	list := waitTriggerInstances(t, s, 1)
	var hook map[string]any
	for _, ti := range list {
		if p, _ := ti["payload"].(map[string]any); p["body"] != nil {
			hook = p
		}
	}
	b, _ := json.Marshal(hook["body"])
	for _, want := range []string{`"hits.count":30`, `"$meta":{"a.b":1}`, `"@timestamp":"2024-01-01T00:00:00Z"`} {
		if !strings.Contains(string(b), want) {
			t.Errorf("stored payload %s lacks %s", b, want)
		}
	}
}

// TestRuleCriteriaKeepTheirOrder: criteria are evaluated in the order
// written, so the API must not reorder them.
func TestRuleCriteriaKeepTheirOrder(t *testing.T) {
	s := apptest.Start(t, apptest.Options{})
	body := `{"name": "ordered", "pack": "default", "enabled": true,
		"trigger": {"type": "core.st2.webhook", "parameters": {"url": "ordered"}},
		"criteria": {"trigger.body.z": {"type": "equals", "pattern": 1}, "trigger.body.a": {"type": "equals", "pattern": 2}},
		"action": {"ref": "core.noop"}}`
	r := send(t, "POST", s.APIURL+"/api/v1/rules", body, map[string]string{"Content-Type": "application/json"})
	if r.status != 201 {
		t.Fatalf("create: %d %s", r.status, r.body)
	}
	got := send(t, "GET", s.APIURL+"/api/v1/rules/default.ordered", "", nil).body
	if strings.Index(got, "trigger.body.z") > strings.Index(got, "trigger.body.a") {
		t.Fatalf("criteria reordered: %s", got)
	}
}

// TestCriteriaPatternReadsTheDatastore: a criteria pattern may read
// st2kv.system (and the legacy system) values.
func TestCriteriaPatternReadsTheDatastore(t *testing.T) {
	s := apptest.Start(t, apptest.Options{})
	s.Do(t, "PUT", "/keys/wanted", map[string]any{"value": "blue"}, nil)
	writePack(t, s, "kv", map[string]string{
		"pack.yaml": "ref: kv\nname: kv\ndescription: kv criteria\nversion: 0.1.0\nauthor: me\n",
		"rules/color.yaml": `name: color
pack: kv
enabled: true
trigger: {type: core.st2.webhook, parameters: {url: color}}
criteria:
  trigger.body.color: {type: equals, pattern: "{{ st2kv.system.wanted }}"}
  trigger.body.color#2: {type: equals, pattern: "{{ system.wanted }}"}
action: {ref: core.noop}
`,
	})
	send(t, "POST", s.APIURL+"/api/v1/webhooks/color", `{"color": "red"}`, map[string]string{"Content-Type": "application/json"})
	send(t, "POST", s.APIURL+"/api/v1/webhooks/color", `{"color": "blue"}`, map[string]string{"Content-Type": "application/json"})
	waitTriggerInstances(t, s, 2)
	enf := waitEnforcements(t, s, "kv.color", 1)
	time.Sleep(200 * time.Millisecond)
	s.Do(t, "GET", "/ruleenforcements?rule_ref=kv.color", nil, &enf)
	if len(enf) != 1 || enf[0]["status"] != "succeeded" {
		t.Fatalf("enforcements %v", enf)
	}
}
