package app_test

import (
	"bufio"
	"bytes"
	"encoding/base64"
	"encoding/json"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"golang.org/x/crypto/bcrypt"
)

// TestSecretsStayHidden runs a real st2d (debug logging on), passes
// secrets through an action's parameters and the datastore, and proves
// that no log file, API response or stream event contains them.
func TestSecretsStayHidden(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs a real st2d")
	}
	const secret, kvSecret = "S3cr3t-Param-4417", "S3cr3t-KV-9923"
	home := t.TempDir()
	p := startProcess(t, buildST2D(t), home, "ST2_SYSTEM__DEBUG=True")
	post := func(method, path, body string) string {
		req, _ := http.NewRequest(method, p.apiURL+path, strings.NewReader(body))
		req.Header.Set("Content-Type", "application/json")
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		if resp.StatusCode >= 300 {
			t.Fatalf("%s %s: %d %s", method, path, resp.StatusCode, b)
		}
		return string(b)
	}
	// Everything the stream says while this happens.
	streamURL := strings.Replace(p.apiURL, "/api/v1", "/stream/v1/stream", 1)
	resp, err := http.Get(streamURL)
	if err != nil {
		t.Fatal(err)
	}
	var streamed bytes.Buffer
	streamDone := make(chan struct{})
	go func() {
		defer close(streamDone)
		sc := bufio.NewScanner(resp.Body)
		for sc.Scan() {
			streamed.WriteString(sc.Text() + "\n")
		}
	}()

	var seen strings.Builder
	seen.WriteString(post("POST", "/actions", `{"name": "login", "pack": "default", "runner_type": "local-shell-cmd",
		"parameters": {"password": {"type": "string", "secret": true, "required": true},
		               "cmd": {"default": "test -n \"$PW\""}, "env": {"default": {}}}}`))
	created := post("POST", "/executions", `{"action": "default.login", "parameters": {"password": "`+secret+`", "env": {"X": "1"}}}`)
	seen.WriteString(created)
	var e struct{ ID string }
	json.Unmarshal([]byte(created), &e)
	p.waitStatus(t, e.ID, "succeeded", "failed")
	seen.WriteString(post("PUT", "/keys/db_password", `{"value": "`+kvSecret+`", "secret": true}`))
	// A rule passes the decrypted datastore secret into the action.
	seen.WriteString(post("POST", "/rules", `{"name": "login_rule", "pack": "default", "enabled": true,
		"trigger": {"type": "core.st2.webhook", "parameters": {"url": "login"}},
		"action": {"ref": "default.login", "parameters": {"password": "{{ st2kv.system.db_password | decrypt_kv }}"}}}`))
	post("POST", "/webhooks/login", `{"go": true}`)
	var enf []map[string]any
	for deadline := time.Now().Add(30 * time.Second); len(enf) == 0; {
		json.Unmarshal([]byte(post("GET", "/ruleenforcements?rule_ref=default.login_rule", "")), &enf)
		if time.Now().After(deadline) {
			t.Fatal("the rule never ran")
		}
		time.Sleep(20 * time.Millisecond)
	}
	ruleExec, _ := enf[0]["execution_id"].(string)
	if ruleExec == "" {
		t.Fatalf("rule enforcement %v", enf[0])
	}
	p.waitStatus(t, ruleExec, "succeeded", "failed")
	seen.WriteString(post("GET", "/executions/"+ruleExec, ""))
	if shown := post("GET", "/executions/"+ruleExec+"?show_secrets=true", ""); !strings.Contains(shown, kvSecret) {
		t.Fatalf("the rule did not pass the decrypted secret: %s", shown)
	}
	for _, path := range []string{"/executions", "/executions/" + e.ID, "/executions/" + e.ID + "/attribute/parameters", "/keys", "/keys/db_password", "/ruleenforcements", "/rules"} {
		seen.WriteString(post("GET", path, ""))
	}
	if !strings.Contains(seen.String(), `"password":"********"`) {
		t.Fatalf("masked parameter not shown at all: %s", seen.String())
	}
	// The owner can still see them when asking.
	if shown := post("GET", "/executions/"+e.ID+"?show_secrets=true", ""); !strings.Contains(shown, secret) {
		t.Fatalf("show_secrets=true did not show the secret: %s", shown)
	}
	if shown := post("GET", "/keys/db_password?decrypt=true", ""); !strings.Contains(shown, kvSecret) {
		t.Fatalf("decrypt=true did not decrypt: %s", shown)
	}
	time.Sleep(200 * time.Millisecond) // let the stream deliver what it has
	resp.Body.Close()
	<-streamDone
	if !strings.Contains(streamed.String(), e.ID) {
		t.Fatalf("stream saw nothing of the execution:\n%s", streamed.String())
	}

	var logs strings.Builder
	filepath.Walk(filepath.Join(home, "logs"), func(path string, info os.FileInfo, err error) error {
		if err == nil && !info.IsDir() {
			b, _ := os.ReadFile(path)
			logs.Write(b)
		}
		return nil
	})
	logs.WriteString(p.out.String())
	if logs.Len() == 0 {
		t.Fatal("no logs written")
	}
	for what, text := range map[string]string{"API responses": seen.String(), "stream events": streamed.String(), "logs": logs.String()} {
		for _, s := range []string{secret, kvSecret} {
			if strings.Contains(text, s) {
				t.Errorf("%s contain the secret %q", what, s)
			}
		}
	}
}

// TestBL20_NoCredentialsInDebugLogs: with debug logging and auth on, no
// log line carries a password, its base64, a token, an API key or a
// decrypted datastore value.
func TestBL20_NoCredentialsInDebugLogs(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs a real st2d")
	}
	const password, kvValue = "Leaked-Pass-1", "bar-secret"
	hash, _ := bcrypt.GenerateFromPassword([]byte(password), bcrypt.MinCost)
	htpasswd := filepath.Join(t.TempDir(), "htpasswd")
	os.WriteFile(htpasswd, []byte("alice:"+string(hash)+"\n"), 0o600)
	home := t.TempDir()
	p := startProcess(t, buildST2D(t), home, "ST2_SYSTEM__DEBUG=True", "ST2_AUTH__ENABLE=True",
		`ST2_AUTH__BACKEND_KWARGS={"file_path": "`+htpasswd+`"}`)
	authURL := strings.Replace(p.apiURL, "/api/v1", "/auth/v1/tokens", 1)
	req, _ := http.NewRequest("POST", authURL, strings.NewReader("{}"))
	req.SetBasicAuth("alice", password)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	var tok struct{ Token string }
	json.NewDecoder(resp.Body).Decode(&tok)
	resp.Body.Close()
	if tok.Token == "" {
		t.Fatalf("no token: %d", resp.StatusCode)
	}
	call := func(method, path, body string, h map[string]string) string {
		r, _ := http.NewRequest(method, p.apiURL+path, strings.NewReader(body))
		r.Header.Set("Content-Type", "application/json")
		for k, v := range h {
			r.Header.Set(k, v)
		}
		resp, err := http.DefaultClient.Do(r)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return string(b)
	}
	auth := map[string]string{"X-Auth-Token": tok.Token}
	call("PUT", "/keys/foo", `{"value": "`+kvValue+`", "secret": true}`, auth)
	if got := call("GET", "/keys/foo?decrypt=true", "", auth); !strings.Contains(got, kvValue) {
		t.Fatalf("decrypt: %s", got)
	}
	var key struct{ Key string }
	json.Unmarshal([]byte(call("POST", "/apikeys", "{}", auth)), &key)
	call("GET", "/actions?limit=1", "", map[string]string{"St2-Api-Key": key.Key})
	call("GET", "/actions?limit=1&x-auth-token="+tok.Token, "", nil)
	call("GET", "/actions?limit=1&st2-api-key="+key.Key, "", nil)

	var logs strings.Builder
	filepath.Walk(filepath.Join(home, "logs"), func(path string, info os.FileInfo, err error) error {
		if err == nil && !info.IsDir() {
			b, _ := os.ReadFile(path)
			logs.Write(b)
		}
		return nil
	})
	logs.WriteString(p.out.String())
	if !strings.Contains(logs.String(), `msg=request`) {
		t.Fatalf("no request lines in the debug log:\n%s", logs.String())
	}
	basic := base64.StdEncoding.EncodeToString([]byte("alice:" + password))
	for _, s := range []string{password, basic, tok.Token, key.Key, kvValue} {
		if strings.Contains(logs.String(), s) {
			t.Errorf("the logs contain %q", s)
		}
	}
}
