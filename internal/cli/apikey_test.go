package cli

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

const (
	keyID      = "663200000000000000000040"
	apikeyJSON = `{"id": "` + keyID + `", "uid": "api_key:abc", "user": "testu", "key_hash": "********", "metadata": {"used_by": "ci"}, "created_at": "2024-05-01T10:00:00.000000Z", "enabled": true}`
)

// Expected tables here are what st2client's own MultiColumnTable and
// PropertyValueTable printed for the same documents.
func TestAPIKeyCreate(t *testing.T) {
	f := newFakeAPI(t)
	created := `{"id": "` + keyID + `", "uid": "api_key:abc", "user": "bot", "key": "ZjQ5NjZlYzVlNmJk", "metadata": {"used_by": "ci", "n": 1}, "created_at": "2024-05-01T10:00:00.000000Z", "enabled": true}`
	f.on("POST /v1/apikeys", reply{status: 201, body: created})
	r := run(t, f.env(t), "", "apikey", "create", "-k")
	wantOutput(t, "-k", r.stdout, "ZjQ5NjZlYzVlNmJk\n")
	r = run(t, f.env(t), "", "apikey", "create", "-u", "bot", "-m", `{"used_by": "ci", "n": 1}`)
	wantOutput(t, "table", r.stdout, `+------------+-----------------------------+
| Property   | Value                       |
+------------+-----------------------------+
| id         | 663200000000000000000040    |
| created_at | 2024-05-01T10:00:00.000000Z |
| enabled    | True                        |
| key        | ZjQ5NjZlYzVlNmJk            |
| metadata   | {                           |
|            |     "used_by": "ci",        |
|            |     "n": 1                  |
|            | }                           |
| uid        | api_key:abc                 |
| user       | bot                         |
+------------+-----------------------------+
`)
	run(t, f.env(t), "", "apikey", "create", "-m", "{}")
	wantRequests(t, f.requests(),
		"POST /v1/apikeys {}",
		`POST /v1/apikeys {"user": "bot", "metadata": {"used_by": "ci", "n": 1}}`,
		"POST /v1/apikeys {}")

	// Errors are printed by the command itself and exit 2.
	bad := newFakeAPI(t)
	bad.on("POST /v1/apikeys", reply{status: 403, body: `{"faultstring": "Administrator access required"}`})
	r = run(t, bad.env(t), "", "apikey", "create", "-u", "other")
	wantOutput(t, "403", r.stdout, "ERROR: 403 Client Error: Forbidden\nMESSAGE: Administrator access required for url: "+bad.srv.URL+"/v1/apikeys\n")
	if r.code != 2 {
		t.Errorf("exit %d", r.code)
	}
	r = run(t, bad.env(t), "", "apikey", "create", "-m", "{nope")
	if r.code != 2 || !strings.HasSuffix(r.stderr, "st2 apikey create: error: argument -m/--metadata: invalid loads value: '{nope'\n") {
		t.Errorf("bad metadata: exit %d %q", r.code, r.stderr)
	}
}

func TestAPIKeyListGet(t *testing.T) {
	f := newFakeAPI(t)
	f.on("GET /v1/apikeys", jsonReply("["+apikeyJSON+"]"))
	f.on("GET /v1/apikeys?show_secrets=True&user=testu", jsonReply("["+strings.Replace(apikeyJSON, `"********"`, `"$2b$hash"`, 1)+"]"))
	f.on("GET /v1/apikeys/"+keyID, jsonReply(apikeyJSON))
	r := run(t, f.env(t), "", "apikey", "list")
	wantOutput(t, "list", r.stdout, `+--------------------------+-------+-------------------+
| id                       | user  | metadata          |
+--------------------------+-------+-------------------+
| 663200000000000000000040 | testu | {'used_by': 'ci'} |
+--------------------------+-------+-------------------+
`)
	r = run(t, f.env(t), "", "apikey", "list", "-d", "--show-secrets", "-u", "testu", "-j")
	if !strings.Contains(r.stdout, `"key_hash": "$2b$hash"`) || !strings.Contains(r.stdout, `"created_at"`) {
		t.Errorf("list -d -j:\n%s", r.stdout)
	}
	r = run(t, f.env(t), "", "apikey", "get", keyID)
	wantOutput(t, "get", r.stdout, `+------------+-----------------------------+
| Property   | Value                       |
+------------+-----------------------------+
| id         | 663200000000000000000040    |
| user       | testu                       |
| metadata   | {                           |
|            |     "used_by": "ci"         |
|            | }                           |
| created_at | 2024-05-01T10:00:00.000000Z |
| enabled    | True                        |
| key_hash   | ********                    |
| uid        | api_key:abc                 |
+------------+-----------------------------+
`)
	r = run(t, f.env(t), "", "apikey", "get", "nope")
	wantOutput(t, "get missing", r.stdout, "API Key \"nope\" is not found.\n\nERROR: Resource nope not found.\n\n")
	wantRequests(t, f.requests(),
		"GET /v1/apikeys",
		"GET /v1/apikeys?show_secrets=True&user=testu",
		"GET /v1/apikeys/"+keyID,
		"GET /v1/apikeys/nope")
	empty := newFakeAPI(t)
	empty.on("GET /v1/apikeys", jsonReply("[]"))
	r = run(t, empty.env(t), "", "apikey", "list")
	wantOutput(t, "empty", r.stdout, "No matching items found\n")
}

func TestAPIKeyEnableDisableDelete(t *testing.T) {
	f := newFakeAPI(t)
	f.on("GET /v1/apikeys/"+keyID, jsonReply(apikeyJSON))
	f.on("PUT /v1/apikeys/"+keyID, jsonReply(strings.Replace(apikeyJSON, `"enabled": true`, `"enabled": false`, 1)))
	f.on("DELETE /v1/apikeys/"+keyID, reply{status: 204})
	r := run(t, f.env(t), "", "apikey", "disable", keyID, "-y")
	wantOutput(t, "disable -y", r.stdout, `created_at: '2024-05-01T10:00:00.000000Z'
enabled: false
id: '663200000000000000000040'
key_hash: '********'
metadata:
    used_by: ci
uid: api_key:abc
user: testu

`)
	run(t, f.env(t), "", "apikey", "enable", keyID)
	r = run(t, f.env(t), "", "apikey", "delete", keyID)
	wantOutput(t, "delete", r.stdout, `Resource with id "`+keyID+`" has been successfully deleted.`+"\n")
	wantRequests(t, f.requests(),
		"GET /v1/apikeys/"+keyID,
		`PUT /v1/apikeys/`+keyID+` {"id": "`+keyID+`", "uid": "api_key:abc", "user": "testu", "key_hash": "********", "metadata": {"used_by": "ci"}, "created_at": "2024-05-01T10:00:00.000000Z", "enabled": false}`,
		"GET /v1/apikeys/"+keyID,
		`PUT /v1/apikeys/`+keyID+` {"id": "`+keyID+`", "uid": "api_key:abc", "user": "testu", "key_hash": "********", "metadata": {"used_by": "ci"}, "created_at": "2024-05-01T10:00:00.000000Z", "enabled": true}`,
		"GET /v1/apikeys/"+keyID,
		"DELETE /v1/apikeys/"+keyID)

	for _, verb := range []string{"delete", "enable", "disable"} {
		r = run(t, f.env(t), "", "apikey", verb, "missing")
		if r.code != 2 || r.stdout != "API Key \"missing\" is not found.\n\n" {
			t.Errorf("%s missing: exit %d %q", verb, r.code, r.stdout)
		}
	}
}

func TestAPIKeyLoad(t *testing.T) {
	f := newFakeAPI(t)
	// The first key exists (PUT works); the second does not (PUT 404, POST).
	f.on("PUT /v1/apikeys/"+keyID, jsonReply(apikeyJSON))
	f.on("PUT /v1/apikeys/k2", reply{status: 404, body: `{"faultstring": "not found"}`})
	f.on("POST /v1/apikeys", reply{status: 201, body: `{"id": "k2", "user": "bot", "key_hash": "h2", "metadata": {}, "enabled": false}`})
	dir := t.TempDir()
	file := filepath.Join(dir, "keys.yaml")
	os.WriteFile(file, []byte("- id: '"+keyID+"'\n  user: testu\n  key_hash: h1\n  metadata: {used_by: ci}\n  enabled: yes\n  created_at: '2024'\n- id: k2\n  user: bot\n  key_hash: h2\n"), 0o600)
	r := run(t, f.env(t), "", "apikey", "load", file)
	wantOutput(t, "load", r.stdout, `+--------------------------+-------+-------------------+
| id                       | user  | metadata          |
+--------------------------+-------+-------------------+
| 663200000000000000000040 | testu | {'used_by': 'ci'} |
| k2                       | bot   | {}                |
+--------------------------+-------+-------------------+
`)
	wantRequests(t, f.requests(),
		`PUT /v1/apikeys/`+keyID+` {"user": "testu", "key_hash": "h1", "metadata": {"used_by": "ci"}, "enabled": true, "id": "`+keyID+`"}`,
		`PUT /v1/apikeys/k2 {"user": "bot", "key_hash": "h2", "metadata": {}, "enabled": false, "id": "k2"}`,
		`POST /v1/apikeys {"user": "bot", "key_hash": "h2", "metadata": {}, "enabled": false, "id": "k2"}`)

	for _, c := range []struct{ name, content, want string }{
		{"missing.json", "", `ERROR: File "` + filepath.Join(dir, "missing.json") + `" does not exist.`},
		{"keys.txt", "x", "ERROR: Unsupported meta type .txt, file " + filepath.Join(dir, "keys.txt") + ". Allowed: ['.json', '.yaml', '.yml']"},
		{"nouser.json", `[{"key_hash": "h"}]`, "ERROR: 'user'"},
		{"noid.json", `{"user": "u", "key_hash": "h"}`, "ERROR: 'ApiKey' object has no attribute 'id'"},
	} {
		p := filepath.Join(dir, c.name)
		if c.content != "" {
			os.WriteFile(p, []byte(c.content), 0o600)
		}
		r = run(t, f.env(t), "", "apikey", "load", p)
		if r.code != 1 || r.stdout != c.want+"\n\n" {
			t.Errorf("%s: exit %d %q, want %q", c.name, r.code, r.stdout, c.want)
		}
	}
	empty := filepath.Join(dir, "empty.json")
	os.WriteFile(empty, []byte("[]"), 0o600)
	r = run(t, f.env(t), "", "apikey", "load", empty)
	wantOutput(t, "empty", r.stdout, "No api key found in "+empty+".\n")
}
