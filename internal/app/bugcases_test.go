package app_test

// Cases from shared/corpus/st2-bug-cases.md (SECRETS, DATASTORE, AUTH),
// named by their ids.

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/st2go/st2go/internal/app/apptest"
	"github.com/st2go/st2go/internal/bus"
)

// createSecretAction registers default.secrets with secret string, object
// and array parameters.
func createSecretAction(t *testing.T, s *apptest.Server) {
	t.Helper()
	act := map[string]any{"name": "secrets", "pack": "default", "runner_type": "local-shell-cmd",
		"parameters": map[string]any{
			"cmd":           map[string]any{"default": "true"},
			"user_password": map[string]any{"type": "string", "secret": true},
			"secret_object": map[string]any{"type": "object", "secret": true},
			"secret_array":  map[string]any{"type": "array", "secret": true},
		}}
	if code := s.Do(t, "POST", "/actions", act, nil); code != 201 {
		t.Fatalf("creating the action: %d", code)
	}
}

func TestBL15_SecretMaskedInEveryCopy(t *testing.T) {
	s := apptest.Start(t, apptest.Options{})
	createSecretAction(t, s)
	events := collectStream(t, s)
	e := s.Wait(t, s.Run(t, "default.secrets", map[string]any{"user_password": "hunter2"}).ID, wait)
	var texts []string
	for _, path := range []string{"/executions/" + e.ID, "/executions?limit=5"} {
		var raw json.RawMessage
		s.Do(t, "GET", path, nil, &raw)
		texts = append(texts, string(raw))
	}
	texts = append(texts, events())
	for i, text := range texts {
		if strings.Contains(text, "hunter2") || !strings.Contains(text, `"user_password":"********"`) {
			t.Errorf("copy %d not masked: %.400s", i, text)
		}
	}
	var shown struct {
		Parameters map[string]any `json:"parameters"`
		LiveAction struct {
			Parameters map[string]any `json:"parameters"`
		} `json:"liveaction"`
	}
	s.Do(t, "GET", "/executions/"+e.ID+"?show_secrets=true", nil, &shown)
	if shown.Parameters["user_password"] != "hunter2" || shown.LiveAction.Parameters["user_password"] != "hunter2" {
		t.Errorf("show_secrets=true: %+v", shown)
	}
}

func TestBL17_SecretObjectsAndArrays(t *testing.T) {
	s := apptest.Start(t, apptest.Options{})
	createSecretAction(t, s)
	e := s.Wait(t, s.Run(t, "default.secrets", map[string]any{
		"secret_object": map[string]any{"abc": "123"}, "secret_array": []any{1, 2, 3}}).ID, wait)
	var got struct {
		Parameters map[string]any `json:"parameters"`
	}
	s.Do(t, "GET", "/executions/"+e.ID, nil, &got)
	if got.Parameters["secret_object"] != "********" || got.Parameters["secret_array"] != "********" {
		t.Fatalf("parameters %v", got.Parameters)
	}
}

func TestBL42_ExpiredKeyEmitsOneDelete(t *testing.T) {
	s := apptest.Start(t, apptest.Options{})
	c, err := s.App.Bus().Consume(t.Context(), bus.Bind("", bus.ExchangeTriggerDispatch, "#"))
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	s.Do(t, "PUT", "/keys/test_ttl", map[string]any{"value": "v1", "ttl": 1}, nil)
	time.Sleep(1100 * time.Millisecond)
	if code := s.Do(t, "GET", "/keys/test_ttl", nil, nil); code != 404 {
		t.Fatalf("expired key still readable: %d", code)
	}
	var list []kvItem
	s.Do(t, "GET", "/keys", nil, &list)
	if len(list) != 0 {
		t.Fatalf("expired key listed: %v", list)
	}
	deletes := 0
	deadline := time.Now().Add(5 * time.Second)
	for time.Now().Before(deadline) {
		ctx, cancel := contextWithTimeout(500 * time.Millisecond)
		d, err := c.Receive(ctx)
		cancel()
		if err != nil {
			if deletes > 0 {
				break
			}
			continue
		}
		var m struct {
			Trigger string `json:"trigger"`
			Payload struct {
				Object kvItem `json:"object"`
			} `json:"payload"`
		}
		json.Unmarshal(d.Body(), &m)
		if m.Trigger == "core.st2.key_value_pair.delete" {
			deletes++
			if m.Payload.Object.Name != "test_ttl" || m.Payload.Object.Scope != "st2kv.system" {
				t.Errorf("delete payload %+v", m.Payload.Object)
			}
		}
		d.Ack()
	}
	if deletes != 1 {
		t.Fatalf("%d delete triggers, want exactly 1", deletes)
	}
}

func TestBL44_KeyPagination(t *testing.T) {
	s := apptest.Start(t, apptest.Options{})
	for i := range 250 {
		s.Do(t, "PUT", fmt.Sprintf("/keys/entity_%03d", i), map[string]any{"value": "x"}, nil)
	}
	_, h, body := get(t, s.APIURL+"/api/v1/keys?prefix=entity_&limit=100&offset=200")
	var page []kvItem
	json.Unmarshal([]byte(body), &page)
	if len(page) != 50 || h.Get("X-Total-Count") != "250" || page[0].Name != "entity_200" {
		t.Fatalf("page: %d items, total %s", len(page), h.Get("X-Total-Count"))
	}
	for _, limit := range []string{"0", "-2"} {
		if code, _, _ := get(t, s.APIURL+"/api/v1/keys?limit="+limit); code != 400 {
			t.Errorf("limit=%s: %d", limit, code)
		}
	}
	_, _, body = get(t, s.APIURL+"/api/v1/keys?limit=-1")
	json.Unmarshal([]byte(body), &page)
	if len(page) != 250 {
		t.Errorf("limit=-1 (admin: everyone while RBAC is off): %d", len(page))
	}
}

func TestBL45_KeyListFilters(t *testing.T) {
	s := startWithAuthUsers(t)
	alice, bob := s.token(t, "alice"), s.token(t, "bob")
	for _, k := range []string{"app_a", "app_b", "other"} {
		s.kv(t, alice, "PUT", "/keys/"+k, `{"value": "x"}`)
	}
	s.kv(t, alice, "PUT", "/keys/mine", `{"value": "x", "scope": "user"}`)
	s.kv(t, bob, "PUT", "/keys/his", `{"value": "x", "scope": "user"}`)
	names := func(body string) string {
		var l []kvItem
		json.Unmarshal([]byte(body), &l)
		var n []string
		for _, kv := range l {
			n = append(n, kv.Name)
		}
		return strings.Join(n, ",")
	}
	for query, want := range map[string]string{
		"scope=all": "app_a,app_b,other,mine", "prefix=app_": "app_a,app_b", "name=app_a": "app_a",
		"scope=user": "mine", "scope=user&user=bob": "his",
	} {
		if got := names(s.kv(t, alice, "GET", "/keys?"+query, "")); got != want {
			t.Errorf("alice %s: %s, want %s", query, got, want)
		}
	}
}

func TestBL52_TokenTTLLimit(t *testing.T) {
	s := startWithAuth(t, "ST2_AUTH__TOKEN_TTL=14400")
	if _, r := login(t, s.APIURL+"/auth/v1/tokens", `{"ttl": 20000}`); r.status != 400 || r.fault() != "TTL specified 20000 is greater than max allowed 14400." {
		t.Fatalf("ttl above max: %d %s", r.status, r.body)
	}
	tok, _ := login(t, s.APIURL+"/auth/v1/tokens", "{}")
	// An action's own token works although service_token_ttl (86400) is above token_ttl.
	r := send(t, "POST", s.APIURL+"/api/v1/executions", `{"action": "core.local", "parameters": {"cmd": "echo $ST2_ACTION_AUTH_TOKEN"}}`,
		map[string]string{"X-Auth-Token": tok, "Content-Type": "application/json"})
	var e struct{ ID string }
	json.Unmarshal([]byte(r.body), &e)
	if e.ID == "" {
		t.Fatalf("run: %d %s", r.status, r.body)
	}
	// API keys are unaffected by token TTLs.
	r = send(t, "POST", s.APIURL+"/api/v1/apikeys", `{}`, map[string]string{"X-Auth-Token": tok, "Content-Type": "application/json"})
	var k struct{ Key string }
	json.Unmarshal([]byte(r.body), &k)
	if r := send(t, "GET", s.APIURL+"/api/v1/actions?limit=1", "", map[string]string{"St2-Api-Key": k.Key}); r.status != 200 {
		t.Fatalf("api key: %d", r.status)
	}
}
