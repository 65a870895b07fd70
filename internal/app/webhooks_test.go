package app_test

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/st2go/st2go/internal/app/apptest"
)

// waitTriggerInstances polls until n trigger instances are processed.
func waitTriggerInstances(t *testing.T, s *apptest.Server, n int) []map[string]any {
	t.Helper()
	deadline := time.Now().Add(wait)
	for {
		var list []map[string]any
		s.Do(t, "GET", "/triggerinstances?status=processed", nil, &list)
		if len(list) >= n {
			return list
		}
		if time.Now().After(deadline) {
			t.Fatalf("%d processed trigger instances, want %d", len(list), n)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

func TestWebhooks(t *testing.T) {
	s := apptest.Start(t, apptest.Options{})
	var tt []map[string]any
	s.Do(t, "GET", "/triggertypes", nil, &tt)
	if len(tt) < 10 {
		t.Fatalf("system trigger types: %d", len(tt))
	}
	if code := s.Do(t, "POST", "/triggers", map[string]any{"type": "core.st2.webhook", "parameters": map[string]any{"url": "sample"}}, nil); code != 201 {
		t.Fatalf("create webhook trigger: %d", code)
	}
	cases := []struct {
		ctype, body string
		status      int
		fault       string
	}{
		{"application/json; charset=utf-8", `{"k": "v", "hits.count": 30, "$meta": {"a.b": 1}}`, 202, ""},
		{"application/x-www-form-urlencoded", `a=1&b=x&b=y`, 202, ""},
		{"application/xml", `<x/>`, 400, "Unsupported Content-Type"},
		{"application/json", `{bad json`, 400, "Failed to parse request body"},
	}
	for _, c := range cases {
		r := send(t, "POST", s.APIURL+"/api/v1/webhooks/sample", c.body, map[string]string{"Content-Type": c.ctype, "X-Auth-Token": "not-for-payloads", "X-Custom": "yes"})
		if r.status != c.status || (c.fault != "" && !strings.Contains(r.fault(), c.fault)) {
			t.Errorf("%s: %d %s", c.ctype, r.status, r.body)
		}
	}
	if r := send(t, "POST", s.APIURL+"/api/v1/webhooks/nope", `{}`, map[string]string{"Content-Type": "application/json"}); r.status != 404 || r.fault() != "Webhook nope not registered with st2" {
		t.Errorf("unknown hook: %d %s", r.status, r.body)
	}
	r := send(t, "POST", s.APIURL+"/api/v1/webhooks/st2", `{"trigger": "core.st2.key_value_pair.create", "payload": {"object": {"name": "x"}}}`, map[string]string{"Content-Type": "application/json"})
	if r.status != 202 {
		t.Fatalf("generic st2 hook: %d %s", r.status, r.body)
	}
	list := waitTriggerInstances(t, s, 3)
	var form, jsonBody map[string]any
	for _, ti := range list {
		payload, _ := ti["payload"].(map[string]any)
		body, _ := payload["body"].(map[string]any)
		if body["a"] != nil {
			form = payload
		}
		if body["k"] != nil {
			jsonBody = payload
		}
	}
	if form == nil || jsonBody == nil {
		t.Fatalf("trigger instances %v", list)
	}
	b, _ := json.Marshal(form["body"])
	if string(b) != `{"a":["1"],"b":["x","y"]}` {
		t.Errorf("form body %s", b)
	}
	b, _ = json.Marshal(jsonBody["body"])
	if !strings.Contains(string(b), `"hits.count":30`) || !strings.Contains(string(b), `"$meta":{"a.b":1}`) {
		t.Errorf("JSON body keys changed: %s", b)
	}
	headers, _ := json.Marshal(jsonBody["headers"])
	lower, _ := json.Marshal(jsonBody["headers_lower"])
	if strings.Contains(string(headers), "not-for-payloads") || !strings.Contains(string(headers), `"X-Custom":"yes"`) || !strings.Contains(string(lower), `"x-custom":"yes"`) {
		t.Errorf("headers %s / %s", headers, lower)
	}
}

// TestActionTrigger: a finished execution becomes a
// core.st2.generic.actiontrigger trigger instance.
func TestActionTrigger(t *testing.T) {
	s := apptest.Start(t, apptest.Options{})
	e := s.Wait(t, s.Run(t, "core.local", map[string]any{"cmd": "echo hi"}).ID, wait)
	deadline := time.Now().Add(wait)
	for {
		var list []map[string]any
		s.Do(t, "GET", "/triggerinstances?trigger=core.st2.generic.actiontrigger", nil, &list)
		if len(list) == 1 {
			p := list[0]["payload"].(map[string]any)
			if p["execution_id"] != e.ID || p["status"] != "succeeded" || p["action_ref"] != "core.local" || p["runner_ref"] != "local-shell-cmd" {
				t.Fatalf("payload %v", p)
			}
			if r, _ := p["result"].(map[string]any); r["stdout"] != "hi" {
				t.Fatalf("result %v", p["result"])
			}
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("action trigger instances: %v", list)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

func TestWebhookBodyEdges(t *testing.T) {
	s := apptest.Start(t, apptest.Options{})
	s.Do(t, "POST", "/triggers", map[string]any{"type": "core.st2.webhook", "parameters": map[string]any{"url": "edge"}}, nil)
	if r := send(t, "POST", s.APIURL+"/api/v1/webhooks/edge", `{"a": 1} garbage`, map[string]string{"Content-Type": "application/json"}); r.status != 400 {
		t.Errorf("trailing data: %d %s", r.status, r.body)
	}
	big := `{"pad": "` + strings.Repeat("x", 64<<20) + `"}`
	if r := send(t, "POST", s.APIURL+"/api/v1/webhooks/edge", big, map[string]string{"Content-Type": "application/json"}); r.status != 413 {
		t.Errorf("too large: %d %.200s", r.status, r.body)
	}
	body := "--XX\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\n1\r\n--XX--\r\n"
	if r := send(t, "POST", s.APIURL+"/api/v1/webhooks/edge", body, map[string]string{"Content-Type": "multipart/form-data; boundary=XX"}); r.status != 202 {
		t.Errorf("multipart: %d %s", r.status, r.body)
	}
}
