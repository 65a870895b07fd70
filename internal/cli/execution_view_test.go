package cli

import (
	"strings"
	"testing"
)

const getAllQuery = "?include_attributes=action.ref%2Caction.runner_type%2Cstart_timestamp%2Cend_timestamp%2Clog%2Cid%2Caction.ref%2Ccontext.user%2Cparameters%2Cstatus%2Cstart_timestamp%2Cend_timestamp%2Clog%2Cresult"

// An execution without parameters: StackStorm's API leaves falsy
// attributes out (ActionExecutionAPI.from_model), so its CLI prints
// "parameters: None". A server that sends "parameters": {} must get the
// same view. Non-ASCII multi-line output is shown as st2client shows it:
// PyYAML's one-line escaped form, then strutil.unescape turns the "\n"
// escape into a real line break (see st2client's own fixture
// execution_unescape_newline.txt); -y keeps PyYAML's form untouched.
func TestExecutionViewEmptyParamsAndUnicode(t *testing.T) {
	f := newFakeAPI(t)
	doc := `{"id": "` + execID + `", "action": {"ref": "core.local", "runner_type": "local-shell-cmd"},
 "context": {"user": "testu"}, "parameters": {}, "status": "succeeded", "log": [], "children": [], "delay": 0,
 "start_timestamp": "2024-05-01T10:00:00.000000Z", "end_timestamp": "2024-05-01T10:00:01.000000Z",
 "result": {"return_code": 0, "stdout": "h\u00e9llo w\u00f6rld\n\u65e5\u672c\u8a9e", "stderr": ""}}`
	f.on("GET /v1/executions/"+execID+getAllQuery, jsonReply(doc))
	r := run(t, f.env(t), "", "execution", "get", execID)
	wantOutput(t, "view", r.stdout, `id: `+execID+`
action.ref: core.local
context.user: testu
parameters: None
status: succeeded (1s elapsed)
start_timestamp: Wed, 01 May 2024 10:00:00 UTC
end_timestamp: Wed, 01 May 2024 10:00:01 UTC
log: None
result: 
  return_code: 0
  stderr: ''
  stdout: "h\xE9llo w\xF6rld
\u65E5\u672C\u8A9E"
`)
	r = run(t, f.env(t), "", "execution", "get", execID, "-y")
	if !strings.Contains(r.stdout, `    stdout: "h\xE9llo w\xF6rld\n\u65E5\u672C\u8A9E"`+"\n") || strings.Contains(r.stdout, "parameters") {
		t.Errorf("-y output:\n%s", r.stdout)
	}
	r = run(t, f.env(t), "", "execution", "get", execID, "-j")
	if strings.Contains(r.stdout, "parameters") || strings.Contains(r.stdout, "children") || !strings.Contains(r.stdout, `"return_code": 0`) {
		t.Errorf("-j output:\n%s", r.stdout)
	}
}
