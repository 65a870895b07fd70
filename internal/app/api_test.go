package app_test

import (
	"encoding/json"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/st2go/st2go/internal/app"
	"github.com/st2go/st2go/internal/app/apptest"
	"github.com/st2go/st2go/internal/config"
)

func get(t *testing.T, url string) (int, http.Header, string) {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, resp.Header, string(b)
}

// TestAPIMounts checks that each route answers under every prefix
// StackStorm's clients use, with and without a trailing slash.
func TestAPIMounts(t *testing.T) {
	s := apptest.Start(t, apptest.Options{})
	for _, prefix := range []string{"/api/v1", "/v1", ""} {
		for _, path := range []string{"/actions", "/actions/", "/runnertypes/?name=local-shell-cmd", "/packs", "/executions/", "/actions/core.local"} {
			code, _, body := get(t, s.APIURL+prefix+path)
			if code != 200 || !strings.HasPrefix(strings.TrimSpace(body), "[") && !strings.HasPrefix(strings.TrimSpace(body), "{") {
				t.Errorf("GET %s%s: %d %.80s", prefix, path, code, body)
			}
		}
	}
	code, _, body := get(t, s.APIURL+"/v1/runnertypes/?name=local-shell-cmd")
	var rts []map[string]any
	json.Unmarshal([]byte(body), &rts)
	if code != 200 || len(rts) != 1 || rts[0]["name"] != "local-shell-cmd" {
		t.Fatalf("runnertypes by name: %d %s", code, body)
	}
}

func TestAPIErrors(t *testing.T) {
	s := apptest.Start(t, apptest.Options{})
	cases := []struct {
		method, path, body string
		status             int
		fault              string
	}{
		{"GET", "/v1/actions/core.nope", "", 404, `Resource with a reference or id "core.nope" not found`},
		{"GET", "/v1/executions/000000000000000000000000", "", 404, "not found"},
		{"GET", "/v1/runnertypes/nope", "", 404, `Resource with a name or id "nope" not found`},
		{"POST", "/v1/executions", "{not json", 400, "invalid JSON body"},
		{"POST", "/v1/actions", `{"name": "x"}`, 400, "'runner_type' is a required property"},
		{"POST", "/v1/actions", `{"name": "x", "runner_type": "no-such-runner"}`, 400, "no-such-runner"},
		{"GET", "/v1/executions?limit=0", "", 400, "must be a positive number"},
		{"GET", "/v1/executions?include_attributes=id&exclude_attributes=result", "", 400, "mutually exclusive"},
	}
	for _, c := range cases {
		req, _ := http.NewRequest(c.method, s.APIURL+c.path, strings.NewReader(c.body))
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		var e struct{ Faultstring string }
		if err := json.Unmarshal(b, &e); err != nil || resp.StatusCode != c.status || !strings.Contains(e.Faultstring, c.fault) {
			t.Errorf("%s %s: %d %s, want %d with %q", c.method, c.path, resp.StatusCode, b, c.status, c.fault)
		}
	}
}

func TestActionCRUD(t *testing.T) {
	s := apptest.Start(t, apptest.Options{})
	act := map[string]any{"name": "hello", "pack": "default", "runner_type": "local-shell-cmd",
		"parameters": map[string]any{"cmd": map[string]any{"default": "echo hi from crud", "immutable": true}}}
	var created map[string]any
	if code := s.Do(t, "POST", "/actions", act, &created); code != 201 || created["ref"] != "default.hello" {
		t.Fatalf("create: %d %v", code, created)
	}
	if code := s.Do(t, "POST", "/actions", act, nil); code != 409 {
		t.Fatalf("duplicate create: %d", code)
	}
	e := s.Wait(t, s.Run(t, "default.hello", nil).ID, wait)
	if r := apptest.ShellResultOf(t, e); r.Stdout != "hi from crud" {
		t.Fatalf("run created action: %s", e)
	}
	created["description"] = "changed"
	var updated map[string]any
	if code := s.Do(t, "PUT", "/actions/default.hello", created, &updated); code != 200 || updated["description"] != "changed" || updated["id"] != created["id"] {
		t.Fatalf("update: %d %v", code, updated)
	}
	if code := s.Do(t, "DELETE", "/actions/"+created["id"].(string), nil, nil); code != 204 {
		t.Fatalf("delete: %d", code)
	}
	if code := s.Do(t, "GET", "/actions/default.hello", nil, nil); code != 404 {
		t.Fatalf("get after delete: %d", code)
	}
}

func TestExecutionList(t *testing.T) {
	s := apptest.Start(t, apptest.Options{})
	var ids []string
	for _, cmd := range []string{"echo 1", "echo 2", "exit 1"} {
		ids = append(ids, s.Wait(t, s.Run(t, "core.local", map[string]any{"cmd": cmd}).ID, wait).ID)
	}
	s.Wait(t, s.Run(t, "core.noop", nil).ID, wait)

	code, h, body := get(t, s.APIURL+"/v1/executions/?limit=2&parent=null&sort_desc=True&include_attributes=id%2Caction.ref%2Ccontext.user%2Cstatus")
	var list []map[string]any
	json.Unmarshal([]byte(body), &list)
	if code != 200 || len(list) != 2 || h.Get("X-Total-Count") != "4" || h.Get("X-Limit") != "2" {
		t.Fatalf("list: %d %v %s", code, h, body)
	}
	if list[0]["action"].(map[string]any)["ref"] != "core.noop" || list[0]["result"] != nil || list[0]["status"] != "succeeded" {
		t.Fatalf("newest first with projected attributes: %v", list[0])
	}
	for query, want := range map[string]int{
		"action=core.local": 3, "status=failed": 1, "status=succeeded": 3, "action=core.local&offset=2": 1,
		"id=" + ids[0] + "," + ids[1]: 2, "timestamp_gt=2000-01-01T00:00:00Z": 4, "timestamp_lt=2000-01-01T00:00:00Z": 0,
	} {
		_, h, body := get(t, s.APIURL+"/v1/executions?"+query)
		var l []map[string]any
		json.Unmarshal([]byte(body), &l)
		if len(l) != want {
			t.Errorf("%s: %d items (total %s), want %d", query, len(l), h.Get("X-Total-Count"), want)
		}
	}
	_, _, body = get(t, s.APIURL+"/v1/executions?sort=start_timestamp&limit=1")
	var oldest []map[string]any
	json.Unmarshal([]byte(body), &oldest)
	if len(oldest) != 1 || oldest[0]["id"] != ids[0] {
		t.Fatalf("sort=start_timestamp: %s", body)
	}
	if code, _, _ := get(t, s.APIURL+"/v1/executions?sort=name"); code != 400 {
		t.Fatalf("unsupported sort key: %d", code)
	}
	_, _, body = get(t, s.APIURL+"/v1/executions/"+ids[0]+"?exclude_attributes=result,action")
	var one map[string]any
	json.Unmarshal([]byte(body), &one)
	if _, has := one["result"]; has || one["status"] != "succeeded" {
		t.Fatalf("exclude_attributes: %v", one)
	}
	if code, _, body := get(t, s.APIURL+"/v1/executions/"+ids[0]+"/output"); code != 200 || body != "1\n" {
		t.Fatalf("output: %d %q", code, body)
	}
	if code, _, body := get(t, s.APIURL+"/v1/executions/last"); code != 200 || !strings.Contains(body, "core.noop") {
		t.Fatalf("last: %d %s", code, body)
	}
}

func TestActionEnvironment(t *testing.T) {
	s := apptest.Start(t, apptest.Options{})
	e := s.Wait(t, s.Run(t, "core.local", map[string]any{
		"cmd": "echo $ST2_ACTION_PACK_NAME $ST2_ACTION_EXECUTION_ID $ST2_ACTION_API_URL $MINE", "env": map[string]any{"MINE": "mine"},
	}).ID, wait)
	want := "core " + e.ID + " " + s.APIURL + "/api/v1 mine"
	if r := apptest.ShellResultOf(t, e); r.Stdout != want {
		t.Fatalf("stdout %q, want %q", r.Stdout, want)
	}
}

// TestPackRegisterReportsBrokenFiles writes a pack with one good and one
// broken action: the good one registers, the broken one is reported with
// its file and line.
func TestPackRegisterReportsBrokenFiles(t *testing.T) {
	s := apptest.Start(t, apptest.Options{})
	dir := filepath.Join(s.Home, "packs", "mypack")
	files := map[string]string{
		"pack.yaml":           "ref: mypack\nname: mypack\ndescription: test pack\nversion: 0.1.0\nauthor: me\n",
		"actions/good.yaml":   "name: good\nrunner_type: local-shell-cmd\nparameters:\n  cmd:\n    default: echo good\n",
		"actions/broken.yaml": "name: broken\nrunner_type: local-shell-cmd\nparameters:\n  cmd: [unclosed\n",
	}
	for name, text := range files {
		p := filepath.Join(dir, name)
		os.MkdirAll(filepath.Dir(p), 0o755)
		if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	var fault struct{ Faultstring string }
	code := s.Do(t, "POST", "/packs/register", map[string]any{"packs": []string{"mypack"}}, &fault)
	if code != 400 || !strings.Contains(fault.Faultstring, "actions/broken.yaml:") {
		t.Fatalf("register with fail_on_failure: %d %q", code, fault.Faultstring)
	}
	var counts map[string]int
	if code := s.Do(t, "POST", "/packs/register", map[string]any{"packs": []string{"mypack"}, "fail_on_failure": false}, &counts); code != 200 || counts["actions"] != 1 {
		t.Fatalf("register without fail_on_failure: %d %v", code, counts)
	}
	e := s.Wait(t, s.Run(t, "mypack.good", nil).ID, wait)
	if r := apptest.ShellResultOf(t, e); r.Stdout != "good" {
		t.Fatalf("mypack.good: %s", e)
	}
}

func TestAPIEdgeCases(t *testing.T) {
	s := apptest.Start(t, apptest.Options{})
	cases := []struct {
		method, path, body string
		status             int
		fault              string
	}{
		{"GET", "/v1/no/such/route", "", 404, "The resource could not be found."},
		{"PATCH", "/v1/executions", "", 405, "The method is not allowed for the requested URL."},
		{"POST", "/v1/executions", `{"action": "core.local", "parameters": "x"}`, 400, `'x' is not of type 'object'`},
		{"POST", "/v1/executions", `[1]`, 400, "must be a JSON object"},
		{"POST", "/v1/executions", `{"action": "core.local", "parameters": {"cmd": 5}}`, 400, `Got "int"`},
	}
	for _, c := range cases {
		r := send(t, c.method, s.APIURL+c.path, c.body, map[string]string{"Content-Type": "application/json"})
		if r.status != c.status || !strings.Contains(r.fault(), c.fault) {
			t.Errorf("%s %s: %d %s, want %d with %q", c.method, c.path, r.status, r.body, c.status, c.fault)
		}
	}
	// Cancelling a finished execution answers 200, as StackStorm does.
	done := s.Wait(t, s.Run(t, "core.noop", nil).ID, wait)
	r := send(t, "DELETE", s.APIURL+"/v1/executions/"+done.ID, "", nil)
	if r.status != 200 || r.fault() != "Action cannot be canceled. State = succeeded." {
		t.Errorf("cancel finished: %d %s", r.status, r.body)
	}
	// Without a limit, an execution list stops at 100.
	for range 101 {
		s.Run(t, "core.noop", nil)
	}
	_, h, body := get(t, s.APIURL+"/v1/executions")
	var list []map[string]any
	json.Unmarshal([]byte(body), &list)
	if len(list) != 100 || h.Get("X-Total-Count") != "102" {
		t.Errorf("default limit: %d items, total %s", len(list), h.Get("X-Total-Count"))
	}
}

// TestDataDirIsLocked starts a second st2d on the same home: it must refuse.
func TestDataDirIsLocked(t *testing.T) {
	s := apptest.Start(t, apptest.Options{})
	cfg, _, err := config.Load("", []string{"ST2GO_HOME=" + s.Home})
	if err != nil {
		t.Fatal(err)
	}
	_, err = app.New(t.Context(), app.Options{Config: cfg,
		Listen: map[string]string{"api": "127.0.0.1:0", "auth": "127.0.0.1:0", "stream": "127.0.0.1:0"}})
	if err == nil || !strings.Contains(err.Error(), "another st2d") {
		t.Fatalf("second st2d on the same data: %v", err)
	}
}
