package app_test

// TEMPLATING and PARAMS cases of shared/corpus/st2-bug-cases.md, end to end.

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/st2go/st2go/internal/app/apptest"
)

const bugsPack = "ref: bugs\nname: bugs\ndescription: bug cases\nversion: 0.1.0\nauthor: me\n"

func TestBL07_TemplateErrorsAre400AndRawStringsPassThrough(t *testing.T) {
	s := apptest.Start(t, apptest.Options{})
	writePack(t, s, "bugs", map[string]string{
		"pack.yaml": bugsPack,
		"actions/raw.yaml": "name: raw\nrunner_type: local-shell-cmd\nparameters:\n  text:\n    type: raw_string\n    required: true\n" +
			"  cmd:\n    default: 'printf %s \"$TEXT\"'\n    immutable: true\n  env:\n    default:\n      TEXT: \"{{ text }}\"\n",
	})
	var fault struct{ Faultstring string }
	code := s.Do(t, "POST", "/executions", map[string]any{"action": "core.local", "parameters": map[string]any{"cmd": `echo "{{.Name}}"`}}, &fault)
	if code != 400 || !strings.Contains(fault.Faultstring, "cmd") {
		t.Fatalf("unparseable template: %d %q", code, fault.Faultstring)
	}
	e := s.Wait(t, s.Run(t, "bugs.raw", map[string]any{"text": "{{.Name}}"}).ID, wait)
	if r := apptest.ShellResultOf(t, e); r.Stdout != "{{.Name}}" {
		t.Fatalf("raw_string: %s", e)
	}
}

func TestBL08_TypedDefaultsFromTheDatastore(t *testing.T) {
	s := apptest.Start(t, apptest.Options{})
	for k, v := range map[string]string{"retries": "3", "hosts_json": `["h1","h2"]`, "opts_json": `{"a":1}`} {
		s.Do(t, "PUT", "/keys/"+k, map[string]any{"value": v}, nil)
	}
	writePack(t, s, "bugs", map[string]string{
		"pack.yaml": bugsPack,
		"actions/defaults.yaml": `name: defaults
runner_type: local-shell-cmd
parameters:
  retries: {type: integer, default: "{{ st2kv.system.retries | int }}"}
  hosts:   {type: array,   default: "{{ st2kv.system.hosts_json | from_json_string }}"}
  opts:    {type: object,  default: "{{ st2kv.system.opts_json | from_json_string }}"}
  cmd:     {immutable: true, default: "echo retries={{ retries }}"}
`,
	})
	var created apptest.Execution
	if code := s.Do(t, "POST", "/executions", map[string]any{"action": "bugs.defaults"}, &created); code != 201 {
		var fault json.RawMessage
		s.Do(t, "POST", "/executions", map[string]any{"action": "bugs.defaults"}, &fault)
		t.Fatalf("run: %d %s", code, fault)
	}
	e := s.Wait(t, created.ID, wait)
	if r := apptest.ShellResultOf(t, e); e.Status != "succeeded" || r.Stdout != "retries=3" {
		t.Fatalf("run: %s", e)
	}
	b, _ := json.Marshal(e.Parameters)
	if !strings.Contains(string(b), `"retries":3`) || !strings.Contains(string(b), `"hosts":["h1","h2"]`) || !strings.Contains(string(b), `"opts":{"a":1}`) {
		t.Fatalf("typed parameters %s", b)
	}
}

// notifyPack has an action whose default reads the pack config, and a rule
// that runs it from a webhook.
var notifyPack = map[string]string{
	"pack.yaml":          bugsPack,
	"config.schema.yaml": "messages:\n  type: array\n  required: true\n",
	"actions/notify.yaml": `name: notify
runner_type: local-shell-cmd
parameters:
  note: {type: string, required: true}
  messages: {type: array, required: true, default: "{{ config_context.messages }}"}
  cmd: {immutable: true, default: "echo {{ note }}: {{ messages | join(', ') }}"}
`,
	"rules/notify.yaml": `name: notify
pack: bugs
enabled: true
trigger: {type: core.st2.webhook, parameters: {url: notify}}
action:
  ref: bugs.notify
  parameters: {note: "{{ trigger.body.note }}"}
`,
}

func TestBL09_ConfigContextOnEveryEntryPoint(t *testing.T) {
	s := apptest.Start(t, apptest.Options{})
	writeFileAt(t, s.Home+"/configs/bugs.yaml", "messages: [\"from config 1\", \"from config 2\"]\n")
	writePack(t, s, "bugs", notifyPack)
	want := "hi: from config 1, from config 2"
	e := s.Wait(t, s.Run(t, "bugs.notify", map[string]any{"note": "hi"}).ID, wait)
	if r := apptest.ShellResultOf(t, e); r.Stdout != want {
		t.Fatalf("API run: %s", e)
	}
	send(t, "POST", s.APIURL+"/api/v1/webhooks/notify", `{"note": "hi"}`, map[string]string{"Content-Type": "application/json"})
	ruleRun := waitRuleExecution(t, s, "bugs.notify")
	if r := apptest.ShellResultOf(t, ruleRun); r.Stdout != want {
		t.Fatalf("rule run: %s", ruleRun)
	}
}

func TestBL13_ImmutableParameters(t *testing.T) {
	s := apptest.Start(t, apptest.Options{})
	writePack(t, s, "bugs", map[string]string{
		"pack.yaml": bugsPack,
		"actions/ping.yaml": `name: ping
runner_type: local-shell-cmd
parameters:
  method: {type: string, default: GET, enum: [GET, POST], immutable: true}
  cmd: {immutable: true, default: "echo {{ method }}"}
`,
	})
	e := s.Wait(t, s.Run(t, "bugs.ping", nil).ID, wait)
	if r := apptest.ShellResultOf(t, e); r.Stdout != "GET" {
		t.Fatalf("defaults: %s", e)
	}
	for _, m := range []string{"GET", "POST"} {
		var fault struct{ Faultstring string }
		code := s.Do(t, "POST", "/executions", map[string]any{"action": "bugs.ping", "parameters": map[string]any{"method": m}}, &fault)
		if code != 400 || fault.Faultstring != "Override of immutable parameter(s) ['method'] is unsupported." {
			t.Errorf("method=%s: %d %q", m, code, fault.Faultstring)
		}
	}
}

func TestBL14_RuleParametersCastByType(t *testing.T) {
	s := apptest.Start(t, apptest.Options{})
	writePack(t, s, "bugs", map[string]string{
		"pack.yaml": bugsPack,
		"actions/typed.yaml": `name: typed
runner_type: local-shell-cmd
parameters:
  timeout: {type: integer}
  ratio: {type: number}
  dry: {type: boolean}
  hosts: {type: array}
  meta: {type: object}
  cmd: {immutable: true, default: "true"}
`,
		"rules/typed.yaml": `name: typed
pack: bugs
enabled: true
trigger: {type: core.st2.webhook, parameters: {url: typed}}
action:
  ref: bugs.typed
  parameters:
    timeout: "{{ trigger.body.timeout }}"
    ratio:   "{{ trigger.body.ratio }}"
    dry:     "{{ trigger.body.dry }}"
    hosts:   "{{ trigger.body.hosts }}"
    meta:    "{{ trigger.body.meta | to_json_string }}"
`,
	})
	send(t, "POST", s.APIURL+"/api/v1/webhooks/typed", `{"timeout":30,"ratio":1.5,"dry":"false","hosts":["a","b"],"meta":{"k":1}}`, map[string]string{"Content-Type": "application/json"})
	e := waitRuleExecution(t, s, "bugs.typed")
	b, _ := json.Marshal(e.Parameters)
	for _, want := range []string{`"timeout":30`, `"ratio":1.5`, `"dry":false`, `"hosts":["a","b"]`, `"meta":{"k":1}`} {
		if !strings.Contains(string(b), want) {
			t.Errorf("parameters %s lack %s", b, want)
		}
	}
	send(t, "POST", s.APIURL+"/api/v1/webhooks/typed", `{"timeout":"abc","ratio":1.5,"dry":"false","hosts":["a","b"],"meta":{"k":1}}`, map[string]string{"Content-Type": "application/json"})
	deadline := time.Now().Add(wait)
	for {
		var enf []map[string]any
		s.Do(t, "GET", "/ruleenforcements?rule_ref=bugs.typed", nil, &enf)
		if len(enf) == 2 {
			if enf[0]["status"] != "failed" || !strings.Contains(enf[0]["failure_reason"].(string), "timeout") {
				t.Fatalf("bad value enforcement %v", enf[0])
			}
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("enforcements %v", enf)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// waitRuleExecution waits for the execution a rule started and for it to end.
func waitRuleExecution(t *testing.T, s *apptest.Server, ruleRef string) apptest.Execution {
	t.Helper()
	deadline := time.Now().Add(wait)
	for {
		var enf []map[string]any
		s.Do(t, "GET", "/ruleenforcements?rule_ref="+ruleRef, nil, &enf)
		if len(enf) > 0 {
			id, _ := enf[0]["execution_id"].(string)
			if id == "" {
				t.Fatalf("rule enforcement failed: %v", enf[0])
			}
			return s.Wait(t, id, wait)
		}
		if time.Now().After(deadline) {
			t.Fatalf("rule %s never enforced", ruleRef)
		}
		time.Sleep(20 * time.Millisecond)
	}
}
