package cli

import (
	"encoding/base64"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

const execID = "663200000000000000000010"

const actionJSON = `{"id": "663200000000000000000002", "uid": "action:core:local", "ref": "core.local", "pack": "core", "name": "local",
 "description": "Action that executes an arbitrary Linux command on the localhost.", "enabled": true, "entry_point": "",
 "runner_type": "local-shell-cmd",
 "parameters": {"cmd": {"description": "Arbitrary Linux command to be executed on the local host.", "required": true, "type": "string"},
   "sudo": {"immutable": true}, "count": {"type": "integer", "description": "How many."}},
 "output_schema": {}, "notify": {}, "tags": [], "metadata_file": "actions/local.yaml"}`

const runnerJSON = `[{"id": "663200000000000000000001", "uid": "runner_type:local-shell-cmd", "name": "local-shell-cmd",
 "description": "A runner to execute local actions as a fixed user.", "enabled": true,
 "runner_parameters": {"sudo": {"type": "boolean", "default": false, "description": "The command will be executed with sudo."},
   "timeout": {"type": "integer", "default": 60, "description": "Action timeout in seconds."},
   "env": {"type": "object", "description": "Environment variables."}}}]`

func execJSON(status, end, result string) string {
	endTS := `"end_timestamp": "` + end + `", `
	if end == "" {
		endTS = ""
	}
	if result == "" {
		result = "null"
	}
	return `{"id": "` + execID + `", "action": {"ref": "core.local", "runner_type": "local-shell-cmd", "output_schema": {}},
 "context": {"user": "testu"}, "parameters": {"cmd": "date"}, "status": "` + status + `",
 "start_timestamp": "2024-05-01T10:00:00.000000Z", ` + endTS + `"result": ` + result + `,
 "log": [{"status": "requested", "timestamp": "2024-05-01T10:00:00.000000Z"}, {"status": "scheduled", "timestamp": "2024-05-01T10:00:00.000000Z"}]}`
}

const dateResult = `{"failed": false, "return_code": 0, "stderr": "", "stdout": "Wed May  1 10:00:01 UTC 2024", "succeeded": true}`

var succeeded = execJSON("succeeded", "2024-05-01T10:00:01.000000Z", dateResult)

const succeededView = `id: 663200000000000000000010
action.ref: core.local
context.user: testu
parameters: 
  cmd: date
status: succeeded
start_timestamp: Wed, 01 May 2024 10:00:00 UTC
end_timestamp: Wed, 01 May 2024 10:00:01 UTC
result: 
  failed: false
  return_code: 0
  stderr: ''
  stdout: Wed May  1 10:00:01 UTC 2024
  succeeded: true
`

func TestActionList(t *testing.T) {
	f := newFakeAPI(t)
	f.on("GET /v1/actions?include_attributes=ref%2Cpack%2Cdescription", jsonReply("["+actionJSON+"]"))
	f.on("GET /v1/actions?include_attributes=ref%2Cpack%2Cdescription&pack=core", jsonReply("["+actionJSON+"]"))
	f.on("GET /v1/actions?include_attributes=ref%2Cname", jsonReply(`[{"ref": "core.local", "name": "local"}]`))
	f.on("GET /v1/actions?include_attributes=ref%2Cpack%2Cdescription&pack=none", jsonReply(`[]`))

	r := run(t, f.env(t), "", "action", "list")
	wantOutput(t, "table", r.stdout, `+------------+------+------------------------------------------+
| ref        | pack | description                              |
+------------+------+------------------------------------------+
| core.local | core | Action that executes an arbitrary Linux  |
|            |      | command on the localhost.                |
+------------+------+------------------------------------------+
`)
	if r.code != 0 {
		t.Errorf("exit %d", r.code)
	}
	reqs := f.requests()
	wantRequests(t, reqs, "GET /v1/actions?include_attributes=ref%2Cpack%2Cdescription")
	if reqs[0].Token != testToken || reqs[0].APIKey != "" || reqs[0].CType != "" {
		t.Errorf("headers: token %q api key %q content type %q", reqs[0].Token, reqs[0].APIKey, reqs[0].CType)
	}

	r = run(t, f.env(t), "", "action", "list", "-p", "core", "-j")
	wantOutput(t, "json", r.stdout, `[
    {
        "description": "Action that executes an arbitrary Linux command on the localhost.",
        "pack": "core",
        "ref": "core.local"
    }
]
`)
	r = run(t, f.env(t), "", "action", "list", "--pack=core", "-y")
	wantOutput(t, "yaml", r.stdout, `-   description: Action that executes an arbitrary Linux command on the localhost.
    pack: core
    ref: core.local

`)
	r = run(t, f.env(t), "", "action", "list", "-a", "ref", "name")
	wantOutput(t, "attrs", r.stdout, `+------------+-------+
| ref        | name  |
+------------+-------+
| core.local | local |
+------------+-------+
`)
	r = run(t, f.env(t), "", "action", "list", "-p", "none")
	wantOutput(t, "empty", r.stdout, "No matching items found\n")
}

func TestAPIKeyAndTokenFlag(t *testing.T) {
	f := newFakeAPI(t)
	f.on("GET /v1/actions?include_attributes=ref%2Cname", jsonReply(`[{"ref": "core.local", "name": "local"}]`))
	f.on("GET /v1/actions", jsonReply(`[{"ref": "core.local", "name": "local"}]`))
	env := []string{"HOME=" + t.TempDir(), "ST2_API_URL=" + f.srv.URL + "/v1", "ST2_API_KEY=ZjQ5NjZlYzVlNmJk"}
	if r := run(t, env, "", "action", "list", "-a", "ref", "name"); r.code != 0 {
		t.Fatalf("exit %d: %s", r.code, r.stdout)
	}
	if r := run(t, env, "", "action", "list", "-t", "tok123", "--api-key", "other", "-a", "all", "-j"); r.code != 0 {
		t.Fatalf("exit %d: %s", r.code, r.stdout)
	}
	reqs := f.requests()
	if reqs[0].APIKey != "ZjQ5NjZlYzVlNmJk" || reqs[0].Token != "" {
		t.Errorf("api key request headers: %+v", reqs[0])
	}
	if reqs[1].URL != "/v1/actions" || reqs[1].Token != "tok123" || reqs[1].APIKey != "other" {
		t.Errorf("token flag request: %+v", reqs[1])
	}
}

func TestRunCoreLocal(t *testing.T) {
	f := newFakeAPI(t)
	f.on("GET /v1/actions/core.local", jsonReply(actionJSON))
	f.on("GET /v1/runnertypes/?name=local-shell-cmd", jsonReply(runnerJSON))
	f.on("POST /v1/executions", reply{status: 201, body: execJSON("requested", "", "")})
	f.on("GET /v1/executions/"+execID, jsonReply(execJSON("running", "", "")), jsonReply(succeeded))

	r := run(t, f.env(t), "", "run", "core.local", "cmd=date")
	if r.code != 0 {
		t.Fatalf("exit %d, stdout %s", r.code, r.stdout)
	}
	reqs := f.requests()
	wantRequests(t, reqs,
		"GET /v1/actions/core.local",
		"GET /v1/runnertypes/?name=local-shell-cmd",
		`POST /v1/executions {"action": "core.local", "parameters": {"cmd": "date"}, "user": null}`,
		"GET /v1/executions/"+execID,
		"GET /v1/executions/"+execID,
	)
	if reqs[2].CType != "application/json" || reqs[2].Token != testToken {
		t.Errorf("POST headers: %+v", reqs[2])
	}
	wantOutput(t, "run", r.stdout, "..\n"+succeededView)
}

func TestRunOptions(t *testing.T) {
	tests := []struct {
		name     string
		args     []string
		wantBody string
		wantOut  string
	}{
		{
			name:     "async",
			args:     []string{"run", "core.local", "cmd=date", "-a"},
			wantBody: `{"action": "core.local", "parameters": {"cmd": "date"}, "user": null}`,
			wantOut:  "To get the results, execute:\n st2 execution get " + execID + "\n\nTo view output in real-time, execute:\n st2 execution tail " + execID + "\n",
		},
		{
			name:     "action execute is async by default",
			args:     []string{"action", "execute", "core.local", "cmd=date"},
			wantBody: `{"action": "core.local", "parameters": {"cmd": "date"}, "user": null}`,
			wantOut:  "To get the results, execute:\n st2 execution get " + execID + "\n\nTo view output in real-time, execute:\n st2 execution tail " + execID + "\n",
		},
		{
			name:     "delay user trace tag and casting",
			args:     []string{"run", "--async", "core.local", "cmd=date", "timeout=30", "sudo=true", "count=3", "--delay", "500", "-u", "bob", "--trace-tag", "tt"},
			wantBody: `{"action": "core.local", "parameters": {"cmd": "date", "timeout": 30, "sudo": true, "count": 3}, "user": "bob", "delay": 500, "context": {"trace_context": {"trace_tag": "tt"}}}`,
		},
		{
			name:     "trace id wins over trace tag",
			args:     []string{"run", "-a", "core.local", "--trace-tag", "tt", "--trace-id", "abc", "uptime"},
			wantBody: `{"action": "core.local", "parameters": {"cmd": "uptime"}, "user": null, "context": {"trace_context": {"id_": "abc"}}}`,
		},
		{
			name:     "words without = become cmd",
			args:     []string{"run", "-a", "core.local", "timeout=5", "ls", "-la"},
			wantBody: `{"action": "core.local", "parameters": {"timeout": 5, "cmd": "ls -la"}, "user": null}`,
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			f := newFakeAPI(t)
			f.on("GET /v1/actions/core.local", jsonReply(actionJSON))
			f.on("GET /v1/runnertypes/?name=local-shell-cmd", jsonReply(runnerJSON))
			f.on("POST /v1/executions", reply{status: 201, body: execJSON("requested", "", "")})
			args := tc.args
			if tc.name == "words without = become cmd" {
				// "-la" must follow "--" to reach the action, as with argparse.
				args = []string{"run", "-a", "core.local", "--", "timeout=5", "ls", "-la"}
			}
			r := run(t, f.env(t), "", args...)
			if r.code != 0 {
				t.Fatalf("exit %d: %s%s", r.code, r.stdout, r.stderr)
			}
			reqs := f.requests()
			if len(reqs) != 3 || reqs[2].Body != tc.wantBody {
				t.Errorf("requests %v\nwant body %s", reqs, tc.wantBody)
			}
			if tc.wantOut != "" {
				wantOutput(t, "output", r.stdout, tc.wantOut)
			}
		})
	}
}

func TestRunFailedExitsOne(t *testing.T) {
	f := newFakeAPI(t)
	f.on("GET /v1/actions/core.local", jsonReply(actionJSON))
	f.on("GET /v1/runnertypes/?name=local-shell-cmd", jsonReply(runnerJSON))
	f.on("POST /v1/executions", reply{status: 201, body: execJSON("failed", "2024-05-01T10:00:02.000000Z", `{"failed": true, "return_code": 1, "stderr": "boom", "stdout": "", "succeeded": false}`)})
	r := run(t, f.env(t), "", "run", "core.local", "cmd=false")
	if r.code != 1 {
		t.Errorf("exit %d, want 1", r.code)
	}
	if !strings.Contains(r.stdout, "status: failed\n") || !strings.Contains(r.stdout, "  stderr: boom\n") || !strings.HasPrefix(r.stdout, "\nid: ") {
		t.Errorf("output:\n%s", r.stdout)
	}
}

func TestRunNotFound(t *testing.T) {
	f := newFakeAPI(t)
	r := run(t, f.env(t), "", "run", "nope.nothing")
	if r.code != 1 {
		t.Errorf("exit %d", r.code)
	}
	wantOutput(t, "stdout", r.stdout, "ERROR: Resource with id or reference \"nope.nothing\" doesn't exist.\n\n")
}

func TestRunActionHelp(t *testing.T) {
	f := newFakeAPI(t)
	f.on("GET /v1/actions/core.local", jsonReply(actionJSON))
	f.on("GET /v1/runnertypes/?name=local-shell-cmd", jsonReply(runnerJSON))
	r := run(t, f.env(t), "", "run", "core.local", "-h")
	wantOutput(t, "help", r.stdout, `
Action that executes an arbitrary Linux command on the localhost.

Required Parameters:
    cmd
        Arbitrary Linux command to be executed on the local host.
        Type: string

Optional Parameters:
    count
        How many.
        Type: integer

    env
        Environment variables.
        Type: object

    timeout
        Action timeout in seconds.
        Type: integer
        Default: 60

`)
}

const listedExec = `{"id": "` + execID + `", "action": {"ref": "core.local"}, "context": {"user": "testu"}, "status": "succeeded",
 "start_timestamp": "2024-05-01T10:00:00.000000Z", "end_timestamp": "2024-05-01T10:00:01.000000Z"}`

const listedRunning = `{"id": "663200000000000000000011", "action": {"ref": "core.remote"}, "context": {"user": "stanley"}, "status": "running",
 "start_timestamp": "2024-05-01T10:00:10.000000Z"}`

func TestExecutionList(t *testing.T) {
	f := newFakeAPI(t)
	f.on("GET /v1/executions/?limit=50&parent=null&sort_desc=True&include_attributes=id%2Caction.ref%2Ccontext.user%2Cstatus%2Cstart_timestamp%2Cend_timestamp",
		reply{body: "[" + listedRunning + "," + listedExec + "]", headers: map[string]string{"X-Total-Count": "2"}})
	f.on("GET /v1/executions/?limit=5&action=core.local&status=succeeded&user=testu&timestamp_gt=2024-01-01T00%3A00%3A00Z&sort_asc=True&include_attributes=id%2Cstatus",
		reply{body: "[" + listedExec + "]", headers: map[string]string{"X-Total-Count": "7"}})
	f.on("GET /v1/executions/?limit=50&sort_desc=True", jsonReply("[]"))

	r := run(t, f.env(t), "", "execution", "list")
	wantOutput(t, "table", r.stdout, `+--------------------------+-------------+--------------+------------------------+-----------------+---------------+
| id                       | action.ref  | context.user | status                 | start_timestamp | end_timestamp |
+--------------------------+-------------+--------------+------------------------+-----------------+---------------+
| 663200000000000000000010 | core.local  | testu        | succeeded (1s elapsed) | Wed, 01 May     | Wed, 01 May   |
|                          |             |              |                        | 2024 10:00:00   | 2024 10:00:01 |
|                          |             |              |                        | UTC             | UTC           |
| 663200000000000000000011 | core.remote | stanley      | running (20s elapsed)  | Wed, 01 May     |               |
|                          |             |              |                        | 2024 10:00:10   |               |
|                          |             |              |                        | UTC             |               |
+--------------------------+-------------+--------------+------------------------+-----------------+---------------+
`)
	if r.stderr != "" {
		t.Errorf("unexpected note: %q", r.stderr)
	}

	r = run(t, f.env(t), "", "execution", "list", "-n", "5", "--action", "core.local", "--status", "succeeded", "--user", "testu",
		"-tg", "2024-01-01T00:00:00Z", "-s", "asc", "-a", "id", "status", "-l")
	wantOutput(t, "filtered", r.stdout, `+--------------------------+------------------------+
| id                       | status                 |
+--------------------------+------------------------+
| 663200000000000000000010 | succeeded (1s elapsed) |
+--------------------------+------------------------+
`)
	wantOutput(t, "note", r.stderr, `+------------------------------------------------------------------------------------------+
| Note: Only first 5 action executions are displayed. Use -n/--last flag for more results. |
+------------------------------------------------------------------------------------------+
`)
	r = run(t, f.env(t), "", "execution", "list", "--showall", "-a", "all", "-j")
	wantOutput(t, "empty json", r.stdout, "[]\n")
}

func TestExecutionGet(t *testing.T) {
	f := newFakeAPI(t)
	f.on("GET /v1/executions/"+execID+"?include_attributes=action.ref%2Caction.runner_type%2Cstart_timestamp%2Cend_timestamp%2Clog%2Cid%2Caction.ref%2Ccontext.user%2Cparameters%2Cstatus%2Cstart_timestamp%2Cend_timestamp%2Clog%2Cresult",
		jsonReply(succeeded))
	f.on("GET /v1/executions/"+execID+"?exclude_attributes=result", jsonReply(succeeded))
	f.on("GET /v1/executions/"+execID+"?include_attributes=action.ref%2Caction.runner_type%2Cstart_timestamp%2Cend_timestamp%2Clog%2Cid%2Cstatus%2Cresult.return_code", jsonReply(succeeded))
	r := run(t, f.env(t), "", "execution", "get", execID)
	wantOutput(t, "get", r.stdout, `id: 663200000000000000000010
action.ref: core.local
context.user: testu
parameters: 
  cmd: date
status: succeeded (1s elapsed)
start_timestamp: Wed, 01 May 2024 10:00:00 UTC
end_timestamp: Wed, 01 May 2024 10:00:01 UTC
log: 
  - status: requested
    timestamp: '2024-05-01T10:00:00.000000Z'
  - status: scheduled
    timestamp: '2024-05-01T10:00:00.000000Z'
result: 
  failed: false
  return_code: 0
  stderr: ''
  stdout: Wed May  1 10:00:01 UTC 2024
  succeeded: true
`)
	r = run(t, f.env(t), "", "execution", "get", execID, "-x", "-k", "stdout")
	wantOutput(t, "key", r.stdout, "Wed May  1 10:00:01 UTC 2024\n")
	r = run(t, f.env(t), "", "execution", "get", execID, "-j", "--attr", "id", "status", "result.return_code")
	wantOutput(t, "json", r.stdout, `{
    "id": "663200000000000000000010",
    "result": {
        "return_code": 0
    },
    "status": "succeeded"
}
`)
	r = run(t, f.env(t), "", "execution", "get", "missing")
	if r.code != 1 {
		t.Errorf("exit %d", r.code)
	}
	wantOutput(t, "not found", r.stdout, "Action Execution \"missing\" is not found.\n\nERROR: Resource missing not found.\n\n")
}

func TestExecutionCancel(t *testing.T) {
	f := newFakeAPI(t)
	f.on("DELETE /v1/executions/"+execID, jsonReply(execJSON("canceling", "", "")))
	f.on("DELETE /v1/executions/gone", reply{status: 404, body: `{"faultstring": "Execution gone not found"}`})
	r := run(t, f.env(t), "", "execution", "cancel", execID, "gone")
	wantRequests(t, f.requests(), "DELETE /v1/executions/"+execID, "DELETE /v1/executions/gone")
	wantOutput(t, "cancel", r.stdout, "action execution with id "+execID+" canceled.\nExecution gone not found\n")
}

func TestExecutionRerun(t *testing.T) {
	f := newFakeAPI(t)
	f.on("GET /v1/executions/"+execID, jsonReply(succeeded))
	f.on("GET /v1/actions/core.local", jsonReply(actionJSON))
	f.on("GET /v1/runnertypes/?name=local-shell-cmd", jsonReply(runnerJSON))
	f.on("POST /v1/executions/"+execID+"/re_run", reply{status: 201, body: execJSON("requested", "", "")})
	r := run(t, f.env(t), "", "execution", "re-run", execID, "-a")
	wantRequests(t, f.requests(),
		"GET /v1/executions/"+execID,
		"GET /v1/actions/core.local",
		"GET /v1/runnertypes/?name=local-shell-cmd",
		"POST /v1/executions/"+execID+`/re_run {"parameters": {}, "tasks": [], "reset": [], "delay": 0}`)
	wantOutput(t, "rerun", r.stdout, "To get the results, execute:\n st2 execution get "+execID+"\n\nTo view output in real-time, execute:\n st2 execution tail "+execID+"\n")

	f2 := newFakeAPI(t)
	f2.on("GET /v1/executions/"+execID, jsonReply(succeeded))
	f2.on("GET /v1/actions/core.local", jsonReply(actionJSON))
	f2.on("GET /v1/runnertypes/?name=local-shell-cmd", jsonReply(runnerJSON))
	f2.on("POST /v1/executions/"+execID+"/re_run", reply{status: 201, body: execJSON("requested", "", "")})
	r = run(t, f2.env(t), "", "execution", "re-run", execID, "cmd=uptime", "--tasks", "a", "b", "--no-reset", "b", "--delay", "10", "-a")
	reqs := f2.requests()
	if got := reqs[len(reqs)-1].Body; got != `{"parameters": {"cmd": "uptime"}, "tasks": ["a", "b"], "reset": ["a"], "delay": 10}` {
		t.Errorf("re_run body %s (exit %d %s)", got, r.code, r.stdout)
	}
}

func TestPackRegisterAndList(t *testing.T) {
	f := newFakeAPI(t)
	f.on("POST /v1/packs/register", jsonReply(`{"runners": 0, "actions": 12, "rules": 1}`))
	f.on("GET /v1/packs?include_attributes=ref%2Cname%2Cdescription%2Cversion%2Cauthor", jsonReply(`[]`))
	f.on("GET /v1/packs/core", jsonReply(`{"id": "p1", "ref": "core", "name": "core", "description": "Basic core actions.", "version": "3.9.0", "author": "StackStorm, Inc.", "email": "info@stackstorm.com", "keywords": ["core", "utility"]}`))
	r := run(t, f.env(t), "", "pack", "register", "core", "examples", "--types", "actions", "rules")
	wantOutput(t, "register", r.stdout, `+----------+-------+
| Property | Value |
+----------+-------+
| actions  | 12    |
| rules    | 1     |
| runners  | 0     |
+----------+-------+
`)
	r = run(t, f.env(t), "", "pack", "register")
	r = run(t, f.env(t), "", "pack", "list")
	wantOutput(t, "list", r.stdout, "No matching items found\n")
	r = run(t, f.env(t), "", "pack", "get", "core")
	wantOutput(t, "get", r.stdout, `+-------------+---------------------+
| Property    | Value               |
+-------------+---------------------+
| name        | core                |
| version     | 3.9.0               |
| author      | StackStorm, Inc.    |
| email       | info@stackstorm.com |
| keywords    | [                   |
|             |     "core",         |
|             |     "utility"       |
|             | ]                   |
| description | Basic core actions. |
+-------------+---------------------+
`)
	wantRequests(t, f.requests(),
		`POST /v1/packs/register {"types": ["actions", "rules"], "packs": ["core", "examples"]}`,
		`POST /v1/packs/register {}`,
		"GET /v1/packs?include_attributes=ref%2Cname%2Cdescription%2Cversion%2Cauthor",
		"GET /v1/packs/core")
}

func TestRunnerListGet(t *testing.T) {
	f := newFakeAPI(t)
	f.on("GET /v1/runnertypes?include_attributes=id%2Cname%2Cdescription", jsonReply(runnerJSON))
	f.on("GET /v1/runnertypes/local-shell-cmd", jsonReply(strings.TrimSuffix(strings.TrimPrefix(runnerJSON, "["), "]")))
	r := run(t, f.env(t), "", "runner", "list")
	wantOutput(t, "list", r.stdout, `+--------------------------+-----------------+---------------------------------+
| id                       | name            | description                     |
+--------------------------+-----------------+---------------------------------+
| 663200000000000000000001 | local-shell-cmd | A runner to execute local       |
|                          |                 | actions as a fixed user.        |
+--------------------------+-----------------+---------------------------------+
`)
	r = run(t, f.env(t), "", "runner", "get", "local-shell-cmd", "-a", "name", "enabled")
	wantOutput(t, "get", r.stdout, `+----------+-----------------+
| Property | Value           |
+----------+-----------------+
| name     | local-shell-cmd |
| enabled  | True            |
+----------+-----------------+
`)
}

const tokenJSON = `{"id": "t1", "user": "testu", "token": "` + testToken + `", "expiry": "2026-12-04T15:54:42.000000Z", "metadata": {}}`

func TestAuth(t *testing.T) {
	f := newFakeAPI(t)
	f.on("POST /auth/tokens", reply{status: 201, body: tokenJSON})
	basic := "Basic " + base64.StdEncoding.EncodeToString([]byte("testu:pw"))

	r := run(t, f.env(t), "", "auth", "testu", "-p", "pw")
	wantOutput(t, "table", r.stdout, `+----------+----------------------------------+
| Property | Value                            |
+----------+----------------------------------+
| user     | testu                            |
| token    | 5e86421776f946e98faea07e5b1ae31a |
| expiry   | 2026-12-04T15:54:42.000000Z      |
+----------+----------------------------------+
`)
	r = run(t, f.env(t), "", "auth", "testu", "-p", "pw", "-t")
	wantOutput(t, "only token", r.stdout, testToken+"\n")
	r = run(t, f.env(t), "", "auth", "testu", "-l", "3600", "-j", "-p", "pw")
	wantOutput(t, "json", r.stdout, `{
    "expiry": "2026-12-04T15:54:42.000000Z",
    "token": "5e86421776f946e98faea07e5b1ae31a",
    "user": "testu"
}
`)
	r = run(t, f.env(t), "pw\n", "auth", "testu")
	if r.code != 0 || !strings.Contains(r.stderr, "Password: ") {
		t.Errorf("prompted auth: exit %d stderr %q", r.code, r.stderr)
	}
	reqs := f.requests()
	wantRequests(t, reqs, "POST /auth/tokens {}", "POST /auth/tokens {}", `POST /auth/tokens {"ttl": 3600}`, "POST /auth/tokens {}")
	for _, rq := range reqs {
		if rq.Auth != basic || rq.Token != "" || rq.CType != "application/json" {
			t.Errorf("auth request headers: %+v", rq)
		}
	}
}

func TestConfigCredentialsAndTokenCache(t *testing.T) {
	f := newFakeAPI(t)
	f.on("POST /auth/tokens", reply{status: 201, body: tokenJSON})
	f.on("GET /v1/actions?include_attributes=ref", jsonReply(`[{"ref": "core.local"}]`))
	home := t.TempDir()
	if err := os.MkdirAll(filepath.Join(home, ".st2"), 0o700); err != nil {
		t.Fatal(err)
	}
	cfg := "[credentials]\nusername = testu\npassword = pw\n\n[api]\nurl = " + f.srv.URL + "/v1\n[auth]\nurl = " + f.srv.URL + "/auth\n"
	if err := os.WriteFile(filepath.Join(home, ".st2", "config"), []byte(cfg), 0o600); err != nil {
		t.Fatal(err)
	}
	env := []string{"HOME=" + home}
	for i := range 2 {
		r := run(t, env, "", "action", "list", "-a", "ref")
		if r.code != 0 {
			t.Fatalf("run %d: exit %d %s", i, r.code, r.stdout)
		}
	}
	wantRequests(t, f.requests(), "POST /auth/tokens {}", "GET /v1/actions?include_attributes=ref", "GET /v1/actions?include_attributes=ref")
	for _, rq := range f.requests()[1:] {
		if rq.Token != testToken {
			t.Errorf("request without the config token: %+v", rq)
		}
	}
	path := filepath.Join(home, ".st2", "token-testu")
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if string(data) != `{"token": "5e86421776f946e98faea07e5b1ae31a", "expire_timestamp": 1796399682}` {
		t.Errorf("cache file: %s", data)
	}
	if st, _ := os.Stat(path); st.Mode().Perm() != 0o600 {
		t.Errorf("cache mode %v", st.Mode())
	}
	// An env token skips the config login entirely.
	f2 := newFakeAPI(t)
	f2.on("GET /v1/actions?include_attributes=ref", jsonReply(`[]`))
	cfg2 := "[credentials]\nusername = other\npassword = pw\n[api]\nurl = " + f2.srv.URL + "/v1\n"
	os.WriteFile(filepath.Join(home, ".st2", "config"), []byte(cfg2), 0o600)
	run(t, append(env, "ST2_AUTH_TOKEN=envtok"), "", "action", "list", "-a", "ref")
	wantRequests(t, f2.requests(), "GET /v1/actions?include_attributes=ref")
}

func TestPrecedenceFlagEnvConfig(t *testing.T) {
	f := newFakeAPI(t)
	f.on("GET /flag/v1/actions?include_attributes=ref", jsonReply(`[]`))
	f.on("GET /env/v1/actions?include_attributes=ref", jsonReply(`[]`))
	f.on("GET /cfg/v1/actions?include_attributes=ref", jsonReply(`[]`))
	home := t.TempDir()
	cfgPath := filepath.Join(home, "st2.ini")
	os.WriteFile(cfgPath, []byte("[api]\nurl = "+f.srv.URL+"/cfg/v1\n"), 0o600)
	env := []string{"HOME=" + home, "ST2_CONFIG_FILE=" + cfgPath}
	run(t, env, "", "action", "list", "-a", "ref")
	run(t, append(env, "ST2_API_URL="+f.srv.URL+"/env/v1"), "", "action", "list", "-a", "ref")
	run(t, append(env, "ST2_API_URL="+f.srv.URL+"/env/v1"), "", "--api-url", f.srv.URL+"/flag/v1", "action", "list", "-a", "ref")
	run(t, env, "", "--skip-config", "--url", "http://127.0.0.1:1", "--api-url="+f.srv.URL+"/flag/v1", "action", "list", "-a", "ref")
	wantRequests(t, f.requests(),
		"GET /cfg/v1/actions?include_attributes=ref",
		"GET /env/v1/actions?include_attributes=ref",
		"GET /flag/v1/actions?include_attributes=ref",
		"GET /flag/v1/actions?include_attributes=ref")
	r := run(t, env, "", "--config-file", filepath.Join(home, "missing"), "action", "list")
	if r.code != 1 || !strings.Contains(r.stdout, "not found") {
		t.Errorf("missing config: exit %d %q", r.code, r.stdout)
	}
}

func TestErrors(t *testing.T) {
	f := newFakeAPI(t)
	f.on("GET /v1/actions?include_attributes=ref%2Cpack%2Cdescription", reply{status: 500, body: `{"faultstring": "Internal Server Error"}`})
	f.on("GET /v1/actions/core.local", reply{status: 401, body: `{"faultstring": "Unauthorized - Token has expired."}`})
	r := run(t, f.env(t), "", "action", "list")
	wantOutput(t, "500", r.stdout, "ERROR: 500 Server Error: Internal Server Error\nMESSAGE: Internal Server Error for url: "+f.srv.URL+"/v1/actions?include_attributes=ref%2Cpack%2Cdescription\n\n")
	if r.code != 1 {
		t.Errorf("exit %d", r.code)
	}
	r = run(t, f.env(t), "", "action", "get", "core.local")
	wantOutput(t, "401", r.stdout, "ERROR: 401 Client Error: Unauthorized\nMESSAGE: Unauthorized - Token has expired. for url: "+f.srv.URL+"/v1/actions/core.local\n\n")
	r = run(t, f.env(t), "", "action", "get", "x.y")
	wantOutput(t, "404", r.stdout, "Action \"x.y\" is not found.\n\nERROR: Resource x.y not found.\n\n")

	r = run(t, []string{"HOME=" + t.TempDir(), "ST2_API_URL=http://127.0.0.1:1/v1"}, "", "action", "list")
	if r.code != 1 || !strings.Contains(r.stdout, "ERROR: Unable to connect to http://127.0.0.1:1/v1/actions") || !strings.Contains(r.stdout, "st2d") {
		t.Errorf("connection refused: exit %d %q", r.code, r.stdout)
	}
	r = run(t, f.env(t), "", "bogus")
	if r.code != 2 || !strings.Contains(r.stderr, "invalid choice: 'bogus'") {
		t.Errorf("bad command: exit %d %q", r.code, r.stderr)
	}
	r = run(t, f.env(t), "", "execution", "list", "--nope")
	if r.code != 2 || !strings.Contains(r.stderr, "unrecognized arguments: --nope") {
		t.Errorf("bad flag: exit %d %q", r.code, r.stderr)
	}
}

func TestWhoami(t *testing.T) {
	f := newFakeAPI(t)
	f.on("GET /v1/user", jsonReply(`{"username": "testu", "authentication": {"method": "authentication token", "location": "header", "token_expire": "2030-01-01T00:00:00Z"}, "rbac": {"enabled": false, "roles": [], "is_admin": true}}`))
	r := run(t, f.env(t), "", "whoami")
	wantOutput(t, "whoami", r.stdout, `Currently logged in as "testu".

Authentication method: authentication token
Authentication token expire time: 2030-01-01T00:00:00Z

RBAC:
 - Enabled: False
 - Roles: 
`)
}

func TestKeys(t *testing.T) {
	f := newFakeAPI(t)
	kv := `{"name": "a", "value": "b", "secret": false, "encrypted": false, "scope": "st2kv.system"}`
	f.on("PUT /v1/keys/a", jsonReply(kv))
	f.on("PUT /v1/keys/b", jsonReply(`{"name": "b", "value": "c", "scope": "user"}`))
	f.on("GET /v1/keys/?decrypt=false&scope=all&limit=50", jsonReply("["+kv+"]"))
	f.on("GET /v1/keys/a?decrypt=false&scope=system", jsonReply(kv))
	f.on("GET /v1/keys/a?scope=system", jsonReply(kv))
	f.on("DELETE /v1/keys/a?scope=system", reply{status: 204})

	r := run(t, f.env(t), "", "key", "set", "a", "b")
	wantOutput(t, "set", r.stdout, `+------------------+--------------+
| Property         | Value        |
+------------------+--------------+
| name             | a            |
| value            | b            |
| scope            | st2kv.system |
| expire_timestamp |              |
+------------------+--------------+
`)
	run(t, f.env(t), "", "key", "set", "b", "c", "--encrypt", "--ttl", "60", "--scope", "user")
	r = run(t, f.env(t), "", "key", "list")
	wantOutput(t, "list", r.stdout, `+------+-------+--------+-----------+--------------+------+------------------+
| name | value | secret | encrypted | scope        | user | expire_timestamp |
+------+-------+--------+-----------+--------------+------+------------------+
| a    | b     | False  | False     | st2kv.system |      |                  |
+------+-------+--------+-----------+--------------+------+------------------+
`)
	r = run(t, f.env(t), "", "key", "get", "a")
	wantOutput(t, "get", r.stdout, `+------------------+--------------+
| Property         | Value        |
+------------------+--------------+
| name             | a            |
| value            | b            |
| secret           | False        |
| encrypted        | False        |
| scope            | st2kv.system |
| expire_timestamp |              |
+------------------+--------------+
`)
	r = run(t, f.env(t), "", "key", "delete", "a")
	wantOutput(t, "delete", r.stdout, "Resource with id \"a\" has been successfully deleted.\n")
	wantRequests(t, f.requests(),
		`PUT /v1/keys/a {"name": "a", "scope": "system", "user": null, "value": "b"}`,
		`PUT /v1/keys/b {"name": "b", "scope": "user", "user": null, "value": "c", "secret": true, "ttl": 60}`,
		"GET /v1/keys/?decrypt=false&scope=all&limit=50",
		"GET /v1/keys/a?decrypt=false&scope=system",
		"GET /v1/keys/a?scope=system",
		"DELETE /v1/keys/a?scope=system")

	// A server without the keys API yet: its error is shown, exit 1.
	f2 := newFakeAPI(t)
	r = run(t, f2.env(t), "", "key", "set", "a", "b")
	if r.code != 1 || !strings.HasPrefix(r.stdout, "ERROR: 404 Client Error: Not Found\nMESSAGE: fake: no route for PUT /v1/keys/a for url: ") {
		t.Errorf("keys 404: exit %d %q", r.code, r.stdout)
	}

	// A server whose router answers text/plain "404 page not found":
	// st2client prints orjson's complaint about the body.
	f3 := newFakeAPI(t)
	f3.on("PUT /v1/keys/foo", reply{status: 404, body: "404 page not found\n", headers: map[string]string{"Content-Type": "text/plain; charset=utf-8"}})
	r = run(t, f3.env(t), "", "key", "set", "foo", "bar")
	wantOutput(t, "text 404", r.stdout, "ERROR: 404 Client Error: Not Found\nUnable to retrieve detailed message from the HTTP response. unexpected content after document: line 1 column 5 (char 4)\n for url: "+f3.srv.URL+"/v1/keys/foo\n\n")
	if r.code != 1 {
		t.Errorf("text 404: exit %d", r.code)
	}
}
