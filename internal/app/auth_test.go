package app_test

import (
	"encoding/json"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"golang.org/x/crypto/bcrypt"

	"github.com/st2go/st2go/internal/app/apptest"
)

// startWithAuth boots st2d with auth on and a flat_file backend holding
// alice/wonderland.
func startWithAuth(t *testing.T, extraEnv ...string) *apptest.Server {
	t.Helper()
	hash, err := bcrypt.GenerateFromPassword([]byte("wonderland"), bcrypt.MinCost)
	if err != nil {
		t.Fatal(err)
	}
	htpasswd := filepath.Join(t.TempDir(), "htpasswd")
	if err := os.WriteFile(htpasswd, []byte("alice:"+string(hash)+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	env := append([]string{"ST2_AUTH__ENABLE=True", "ST2_AUTH__BACKEND=flat_file",
		`ST2_AUTH__BACKEND_KWARGS={"file_path": "` + htpasswd + `"}`, "ST2_AUTH__TOKEN_TTL=3600"}, extraEnv...)
	return apptest.Start(t, apptest.Options{Env: env})
}

type httpResult struct {
	status int
	header http.Header
	body   string
}

func (r httpResult) fault() string {
	var f struct{ Faultstring string }
	json.Unmarshal([]byte(r.body), &f)
	return f.Faultstring
}

func send(t *testing.T, method, url, body string, headers map[string]string) httpResult {
	t.Helper()
	req, err := http.NewRequest(method, url, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	for k, v := range headers {
		req.Header.Set(k, v)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return httpResult{resp.StatusCode, resp.Header, string(b)}
}

func login(t *testing.T, url string, body string) (string, httpResult) {
	t.Helper()
	req, _ := http.NewRequest("POST", url, strings.NewReader(body))
	req.SetBasicAuth("alice", "wonderland")
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	var tok struct{ Token, User, Expiry string }
	json.Unmarshal(b, &tok)
	return tok.Token, httpResult{resp.StatusCode, resp.Header, string(b)}
}

// TestEveryRouteNeedsCredentials walks every registered API and stream
// route without credentials and expects StackStorm's 401.
func TestEveryRouteNeedsCredentials(t *testing.T) {
	s := startWithAuth(t)
	routes := s.App.Routes()
	if len(routes) < 20 {
		t.Fatalf("only %d routes registered", len(routes))
	}
	fill := strings.NewReplacer("{ref}", "core.local", "{id}", "000000000000000000000000", "{name}", "noop", "{attr}", "status")
	for _, route := range routes {
		method, path, _ := strings.Cut(route, " ")
		r := send(t, method, s.APIURL+fill.Replace(path), "{}", map[string]string{"Content-Type": "application/json"})
		if r.status != 401 || r.fault() != "Unauthorized - One of Token or API key required." {
			t.Errorf("%s without credentials: %d %s", route, r.status, r.body)
		}
		r = send(t, method, s.APIURL+fill.Replace(path), "{}", map[string]string{"X-Auth-Token": "not-a-token"})
		if r.status != 401 {
			t.Errorf("%s with a bad token: %d %s", route, r.status, r.body)
		}
	}
	// The classic stream port is guarded too.
	if r := send(t, "GET", s.StreamURL+"/v1/stream", "", nil); r.status != 401 {
		t.Errorf("stream port: %d", r.status)
	}
}

func TestTokens(t *testing.T) {
	s := startWithAuth(t)
	for _, url := range []string{s.AuthURL + "/tokens", s.AuthURL + "/v1/tokens", s.APIURL + "/auth/v1/tokens", s.APIURL + "/auth/tokens"} {
		tok, r := login(t, url, "{}")
		if r.status != 201 || tok == "" || !strings.Contains(r.body, `"user":"alice"`) || !strings.Contains(r.body, `"expiry"`) {
			t.Fatalf("POST %s: %d %s", url, r.status, r.body)
		}
	}
	// An empty body (hubot) works too; a wrong password does not.
	if _, r := login(t, s.AuthURL+"/tokens", ""); r.status != 201 {
		t.Fatalf("empty body: %d %s", r.status, r.body)
	}
	req, _ := http.NewRequest("POST", s.AuthURL+"/tokens", nil)
	req.SetBasicAuth("alice", "wrong")
	wrong, _ := http.DefaultClient.Do(req)
	wrong.Body.Close()
	if wrong.StatusCode != 401 {
		t.Fatalf("wrong password: %d", wrong.StatusCode)
	}
	if _, r := login(t, s.AuthURL+"/tokens", `{"ttl": 999999}`); r.status != 400 || r.fault() != "TTL specified 999999 is greater than max allowed 3600." {
		t.Fatalf("too long ttl: %d %s", r.status, r.body)
	}

	tok, _ := login(t, s.AuthURL+"/tokens", "{}")
	r := send(t, "GET", s.APIURL+"/api/v1/actions", "", map[string]string{"X-Auth-Token": tok})
	if r.status != 200 {
		t.Fatalf("token header: %d", r.status)
	}
	if c := r.header.Get("Set-Cookie"); !strings.Contains(c, "auth-token="+tok) || !strings.Contains(c, "HttpOnly") {
		t.Fatalf("cookie: %q", c)
	}
	if r := send(t, "GET", s.APIURL+"/api/v1/actions?x-auth-token="+tok, "", nil); r.status != 200 {
		t.Fatalf("token query: %d", r.status)
	}
	if r := send(t, "GET", s.APIURL+"/api/v1/actions", "", map[string]string{"Cookie": "auth-token=" + tok}); r.status != 200 {
		t.Fatalf("token cookie: %d", r.status)
	}
	resp, err := http.Get(s.StreamURL + "/v1/stream?x-auth-token=" + tok)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 200 {
		t.Fatalf("stream with token: %d", resp.StatusCode)
	}
	r = send(t, "GET", s.APIURL+"/api/v1/user", "", map[string]string{"X-Auth-Token": tok})
	if !strings.Contains(r.body, `"username":"alice"`) || !strings.Contains(r.body, `"method":"authentication token"`) {
		t.Fatalf("/user: %s", r.body)
	}
	r = send(t, "POST", s.AuthURL+"/tokens/validate", `{"token": "`+tok+`"}`, map[string]string{"X-Auth-Token": tok})
	if r.status != 200 || r.body != `{"valid":true}` {
		t.Fatalf("validate: %d %s", r.status, r.body)
	}

	// An expired token is refused.
	short, _ := login(t, s.AuthURL+"/tokens", `{"ttl": 1}`)
	time.Sleep(1100 * time.Millisecond)
	if r := send(t, "GET", s.APIURL+"/api/v1/actions", "", map[string]string{"X-Auth-Token": short}); r.status != 401 {
		t.Fatalf("expired token: %d %s", r.status, r.body)
	}
}

func TestAPIKeys(t *testing.T) {
	s := startWithAuth(t)
	tok, _ := login(t, s.AuthURL+"/tokens", "{}")
	auth := map[string]string{"X-Auth-Token": tok, "Content-Type": "application/json"}
	r := send(t, "POST", s.APIURL+"/api/v1/apikeys", `{"metadata": {"used_by": "ci"}}`, auth)
	var created struct{ ID, Key, User string }
	json.Unmarshal([]byte(r.body), &created)
	if r.status != 201 || created.Key == "" || created.User != "alice" {
		t.Fatalf("create: %d %s", r.status, r.body)
	}
	for _, h := range []map[string]string{{"St2-Api-Key": created.Key}} {
		if r := send(t, "GET", s.APIURL+"/api/v1/actions", "", h); r.status != 200 {
			t.Fatalf("key header: %d", r.status)
		}
	}
	if r := send(t, "GET", s.APIURL+"/api/v1/actions?st2-api-key="+created.Key, "", nil); r.status != 200 {
		t.Fatalf("key query: %d", r.status)
	}
	r = send(t, "GET", s.APIURL+"/api/v1/apikeys", "", auth)
	if !strings.Contains(r.body, `"key_hash":"********"`) || strings.Contains(r.body, created.Key) {
		t.Fatalf("list shows secrets: %s", r.body)
	}
	r = send(t, "PUT", s.APIURL+"/api/v1/apikeys/"+created.ID, `{"enabled": false}`, auth)
	if r.status != 200 {
		t.Fatalf("disable: %d %s", r.status, r.body)
	}
	if r := send(t, "GET", s.APIURL+"/api/v1/actions", "", map[string]string{"St2-Api-Key": created.Key}); r.status != 401 || r.fault() != "Unauthorized - API key is disabled." {
		t.Fatalf("disabled key: %d %s", r.status, r.body)
	}
	if r := send(t, "DELETE", s.APIURL+"/api/v1/apikeys/"+created.ID, "", auth); r.status != 204 {
		t.Fatalf("delete: %d", r.status)
	}
}

// TestExecutionServiceToken checks that an action gets its own token,
// usable while it runs and revoked when it ends.
func TestExecutionServiceToken(t *testing.T) {
	s := startWithAuth(t)
	tok, _ := login(t, s.AuthURL+"/tokens", "{}")
	auth := map[string]string{"X-Auth-Token": tok, "Content-Type": "application/json"}
	gate := t.TempDir() + "/go-on"
	r := send(t, "POST", s.APIURL+"/api/v1/executions",
		`{"action": "core.local", "parameters": {"cmd": "echo $ST2_ACTION_AUTH_TOKEN; while [ ! -e `+gate+` ]; do sleep 0.05; done"}}`, auth)
	var e struct{ ID string }
	json.Unmarshal([]byte(r.body), &e)
	var service string
	deadline := time.Now().Add(wait)
	for service == "" {
		out := send(t, "GET", s.APIURL+"/api/v1/executions/"+e.ID+"/output", "", auth)
		service = strings.TrimSpace(out.body)
		if time.Now().After(deadline) {
			t.Fatal("no token printed")
		}
		time.Sleep(20 * time.Millisecond)
	}
	if service == tok {
		t.Fatal("the action got the caller's token")
	}
	if r := send(t, "GET", s.APIURL+"/api/v1/user", "", map[string]string{"X-Auth-Token": service}); r.status != 200 || !strings.Contains(r.body, `"alice"`) {
		t.Fatalf("service token while running: %d %s", r.status, r.body)
	}
	writeFile(gate)
	for {
		var ex struct{ Status string }
		json.Unmarshal([]byte(send(t, "GET", s.APIURL+"/api/v1/executions/"+e.ID, "", auth).body), &ex)
		if ex.Status == "succeeded" {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("execution %s", ex.Status)
		}
		time.Sleep(20 * time.Millisecond)
	}
	if r := send(t, "GET", s.APIURL+"/api/v1/user", "", map[string]string{"X-Auth-Token": service}); r.status != 401 {
		t.Fatalf("service token after the execution: %d", r.status)
	}
}

// TestProxyAuth: in proxy mode the front end names the user (REMOTE_USER
// or X-Forwarded-User, or the user part of a Basic header) and st2 trusts it.
func TestProxyAuth(t *testing.T) {
	s := apptest.Start(t, apptest.Options{Env: []string{"ST2_AUTH__ENABLE=True", "ST2_AUTH__MODE=proxy"}})
	for _, h := range []map[string]string{{"X-Forwarded-User": "carol"}, {"Remote-User": "carol"}} {
		r := send(t, "POST", s.AuthURL+"/tokens", "", h)
		if r.status != 201 || !strings.Contains(r.body, `"user":"carol"`) {
			t.Fatalf("proxy token with %v: %d %s", h, r.status, r.body)
		}
	}
	if r := send(t, "POST", s.AuthURL+"/tokens", "", nil); r.status != 401 {
		t.Fatalf("no user named: %d %s", r.status, r.body)
	}
}
