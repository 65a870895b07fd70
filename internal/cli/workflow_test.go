package cli

import (
	"go/parser"
	"go/token"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

const wfID = "663200000000000000000020"

func TestWorkflowTaskView(t *testing.T) {
	wf := `{"id": "` + wfID + `", "action": {"ref": "examples.wf", "runner_type": "orquesta"}, "context": {"user": "testu"},
	 "parameters": {"who": "me", "password": "hunter2"}, "status": "succeeded", "start_timestamp": "2024-05-01T10:00:00.000000Z",
	 "end_timestamp": "2024-05-01T10:00:05.000000Z", "result": {"output": {"msg": "hi"}}, "log": [], "children": ["c1"]}`
	child := `[{"id": "c1", "parent": "` + wfID + `", "action": {"ref": "core.echo"}, "context": {"orquesta": {"task_name": "greet"}},
	 "status": "succeeded", "start_timestamp": "2024-05-01T10:00:01.000000Z", "end_timestamp": "2024-05-01T10:00:03.000000Z"}]`
	f := newFakeAPI(t)
	f.on("GET /v1/executions/"+wfID+"?include_attributes=action.ref%2Caction.runner_type%2Cstart_timestamp%2Cend_timestamp%2Clog%2Cid%2Caction.ref%2Ccontext.user%2Cparameters%2Cstatus%2Cstart_timestamp%2Cend_timestamp%2Clog%2Cresult", jsonReply(wf))
	f.on("GET /v1/executions/"+wfID+"/children/?depth=-1", jsonReply(child))
	r := run(t, f.env(t), "", "execution", "get", wfID)
	wantOutput(t, "workflow", r.stdout, `id: 663200000000000000000020
action.ref: examples.wf
parameters: 
  password: '********'
  who: me
status: succeeded (5s elapsed)
start_timestamp: Wed, 01 May 2024 10:00:00 UTC
end_timestamp: Wed, 01 May 2024 10:00:05 UTC
log: None
result: 
  output:
    msg: hi
+----+------------------------+-------+-----------+-----------------+
| id | status                 | task  | action    | start_timestamp |
+----+------------------------+-------+-----------+-----------------+
| c1 | succeeded (2s elapsed) | greet | core.echo | Wed, 01 May     |
|    |                        |       |           | 2024 10:00:01   |
|    |                        |       |           | UTC             |
+----+------------------------+-------+-----------+-----------------+
`)
}

func TestDetailView(t *testing.T) {
	f := newFakeAPI(t)
	f.on("GET /v1/actions/core.local", jsonReply(actionJSON))
	f.on("GET /v1/runnertypes/?name=local-shell-cmd", jsonReply(runnerJSON))
	f.on("POST /v1/executions", reply{status: 201, body: succeeded})
	r := run(t, f.env(t), "", "run", "core.local", "cmd=date", "-d")
	wantOutput(t, "detail", r.stdout, `
+-----------------+-----------------------------------------------+
| Property        | Value                                         |
+-----------------+-----------------------------------------------+
| id              | 663200000000000000000010                      |
| action.ref      | core.local                                    |
| context.user    | testu                                         |
| parameters      | {                                             |
|                 |     "cmd": "date"                             |
|                 | }                                             |
| status          | succeeded                                     |
| start_timestamp | Wed, 01 May 2024 10:00:00 UTC                 |
| end_timestamp   | Wed, 01 May 2024 10:00:01 UTC                 |
| result          | {                                             |
|                 |     "failed": false,                          |
|                 |     "return_code": 0,                         |
|                 |     "stderr": "",                             |
|                 |     "stdout": "Wed May  1 10:00:01 UTC 2024", |
|                 |     "succeeded": true                         |
|                 | }                                             |
+-----------------+-----------------------------------------------+
`)
}

func TestDebugPrintsCurl(t *testing.T) {
	f := newFakeAPI(t)
	f.on("GET /v1/actions?include_attributes=ref", jsonReply(`[]`))
	r := run(t, f.env(t), "", "--debug", "action", "list", "-a", "ref")
	if !strings.Contains(r.stdout, "curl -X GET -H  'User-Agent: st2go-cli/"+Version+"' -H  'X-Auth-Token: "+testToken+"' '"+f.srv.URL+"/v1/actions?include_attributes=ref'\n") ||
		!strings.HasSuffix(r.stdout, "No matching items found\n") {
		t.Errorf("debug output:\n%s", r.stdout)
	}
}

// TestNoServerImports keeps the CLI a pure HTTP client: the cli and client
// packages may import only each other, internal/model, internal/pyfmt and
// internal/pyyaml.
func TestNoServerImports(t *testing.T) {
	allowed := map[string]bool{
		"github.com/st2go/st2go/internal/client": true,
		"github.com/st2go/st2go/internal/model":  true,
		"github.com/st2go/st2go/internal/cli":    true,
		"github.com/st2go/st2go/internal/pyfmt":  true,
		"github.com/st2go/st2go/internal/pyyaml": true,
	}
	for _, dir := range []string{".", "../client", "../../cmd/st2"} {
		files, _ := filepath.Glob(filepath.Join(dir, "*.go"))
		for _, file := range files {
			if strings.HasSuffix(file, "_test.go") {
				continue
			}
			f, err := parser.ParseFile(token.NewFileSet(), file, nil, parser.ImportsOnly)
			if err != nil {
				t.Fatal(err)
			}
			for _, imp := range f.Imports {
				p, _ := strconv.Unquote(imp.Path.Value)
				if strings.HasPrefix(p, "github.com/st2go/st2go/") && !allowed[p] {
					t.Errorf("%s imports %s", file, p)
				}
			}
		}
	}
}
