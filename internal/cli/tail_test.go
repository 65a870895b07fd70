package cli

import (
	"strings"
	"testing"
)

func sse(event, data string) string {
	return "event: " + event + "\ndata: " + strings.ReplaceAll(data, "\n", " ") + "\n\n"
}

func outputEvent(execution, typ, data string) string {
	return sse("st2.execution.output__create", `{"execution_id": "`+execution+`", "action_ref": "core.local", "runner_ref": "local-shell-cmd", "timestamp": "2024-05-01T10:00:00.100000Z", "output_type": "`+typ+`", "data": "`+data+`"}`)
}

const streamQuery = "?x-auth-token=" + testToken + "&end_event=st2.execution__update&end_execution_id=" + execID + "&events=st2.execution__update%2Cst2.execution.output__create"

func TestTailFinished(t *testing.T) {
	f := newFakeAPI(t)
	f.on("GET /v1/executions/"+execID, jsonReply(succeeded))
	f.on("GET /v1/executions/"+execID+"/output", reply{body: "Wed May  1 10:00:01 UTC 2024\n"})
	f.on("GET /v1/executions/"+execID+"/output?output_type=stderr", reply{body: ""})
	r := run(t, f.env(t), "", "execution", "tail", execID)
	wantOutput(t, "tail", r.stdout, "Wed May  1 10:00:01 UTC 2024\n\nExecution "+execID+" has completed (status=succeeded).\n")
	run(t, f.env(t), "", "execution", "tail", execID, "--type", "stderr")
	wantRequests(t, f.requests(),
		"GET /v1/executions/"+execID,
		"GET /v1/executions/"+execID+"/output",
		"GET /v1/executions/"+execID,
		"GET /v1/executions/"+execID+"/output?output_type=stderr")
}

func TestTailStreaming(t *testing.T) {
	f := newFakeAPI(t)
	running := execJSON("running", "", "")
	f.on("GET /v1/executions/"+execID, jsonReply(running))
	f.on("GET /v1/executions/"+execID+"?include_attributes=id%2Cchildren", jsonReply(`{"id": "`+execID+`", "children": []}`))
	f.on("GET /stream/v1/stream"+streamQuery, reply{stream: []string{
		": heartbeat\n\n",
		sse("st2.execution__update", running),
		outputEvent(execID, "stdout", `line 1\n`),
		outputEvent("someotherexecution00000", "stdout", `not mine\n`),
		outputEvent(execID, "stderr", `warning\n`),
		sse("st2.execution__update", succeeded),
		outputEvent(execID, "stdout", `after the end\n`),
	}})
	r := run(t, f.env(t), "", "execution", "tail", execID)
	wantOutput(t, "tail", r.stdout, "Execution "+execID+" has started.\n\nline 1\nwarning\n\nExecution "+execID+" has completed (status=succeeded).\n")
	reqs := f.requests()
	if len(reqs) != 3 || reqs[2].Token != "" {
		t.Errorf("requests %v (stream must carry the token in the query, not a header)", reqs)
	}

	r = run(t, f.env(t), "", "execution", "tail", execID, "--type", "stdout", "--include-metadata")
	if !strings.Contains(r.stdout, "[2024-05-01T10:00:00.100000Z][stdout] line 1\n") || strings.Contains(r.stdout, "warning") {
		t.Errorf("filtered tail:\n%s", r.stdout)
	}
}

func TestRunTail(t *testing.T) {
	f := newFakeAPI(t)
	f.on("GET /v1/actions/core.local", jsonReply(actionJSON))
	f.on("GET /v1/runnertypes/?name=local-shell-cmd", jsonReply(runnerJSON))
	f.on("POST /v1/executions", reply{status: 201, body: execJSON("requested", "", "")})
	f.on("GET /v1/executions/"+execID+"?include_attributes=id%2Cchildren", jsonReply(`{"id": "`+execID+`"}`))
	f.on("GET /stream/v1/stream"+streamQuery, reply{stream: []string{sse("st2.execution__update", succeeded)}})
	f.on("GET /v1/executions/"+execID, jsonReply(succeeded))
	r := run(t, f.env(t), "", "run", "core.local", "cmd=date", "--tail")
	wantOutput(t, "run --tail", r.stdout, "Tailing execution \""+execID+"\"\n\nExecution "+execID+" has completed (status=succeeded).\n\n"+succeededView)
	wantRequests(t, f.requests(),
		"GET /v1/actions/core.local",
		"GET /v1/runnertypes/?name=local-shell-cmd",
		`POST /v1/executions {"action": "core.local", "parameters": {"cmd": "date"}, "user": null}`,
		"GET /v1/executions/"+execID+"?include_attributes=id%2Cchildren",
		"GET /stream/v1/stream"+streamQuery,
		"GET /v1/executions/"+execID)
}

func TestTailLast(t *testing.T) {
	f := newFakeAPI(t)
	f.on("GET /v1/executions/?limit=1", jsonReply("["+succeeded+"]"))
	f.on("GET /v1/executions/"+execID+"/output", reply{body: "out\n"})
	r := run(t, f.env(t), "", "execution", "tail")
	wantOutput(t, "tail last", r.stdout, "out\n\nExecution "+execID+" has completed (status=succeeded).\n")
	f2 := newFakeAPI(t)
	f2.on("GET /v1/executions/?limit=1", jsonReply("[]"))
	r = run(t, f2.env(t), "", "execution", "tail", "last")
	wantOutput(t, "no executions", r.stdout, "No executions found in db.\n")
}

// The stream ends (server shut down) or breaks (server died) before the
// execution's end event: tail must not look finished.
func TestTailStreamLost(t *testing.T) {
	for _, c := range []struct {
		name   string
		hangup bool
		why    string
	}{
		{"closed", false, "the server closed the stream"},
		{"broken", true, "unexpected EOF"},
	} {
		t.Run(c.name, func(t *testing.T) {
			f := newFakeAPI(t)
			running := execJSON("running", "", "")
			f.on("GET /v1/executions/"+execID, jsonReply(running))
			f.on("GET /v1/executions/"+execID+"?include_attributes=id%2Cchildren", jsonReply(`{"id": "`+execID+`", "children": []}`))
			f.on("GET /stream/v1/stream"+streamQuery, reply{hangup: c.hangup, stream: []string{
				sse("st2.execution__update", running),
				outputEvent(execID, "stdout", `line 1\n`),
			}})
			r := run(t, f.env(t), "", "execution", "tail", execID)
			wantOutput(t, "stdout", r.stdout, "Execution "+execID+" has started.\n\nline 1\n")
			wantOutput(t, "stderr", r.stderr, "ERROR: Lost the connection to the event stream "+f.srv.URL+"/stream/v1/stream before execution "+execID+" finished ("+c.why+").\n"+
				`The execution may still be running: "st2 execution get `+execID+`" shows its state, "st2 execution tail `+execID+`" follows it again.`+"\n")
			if r.code != 1 {
				t.Errorf("exit %d, want 1", r.code)
			}
			if strings.Contains(r.stderr, testToken) {
				t.Error("the token leaked into the message")
			}
		})
	}
}

func TestRunTailStreamLost(t *testing.T) {
	f := newFakeAPI(t)
	f.on("GET /v1/actions/core.local", jsonReply(actionJSON))
	f.on("GET /v1/runnertypes/?name=local-shell-cmd", jsonReply(runnerJSON))
	f.on("POST /v1/executions", reply{status: 201, body: execJSON("requested", "", "")})
	f.on("GET /v1/executions/"+execID+"?include_attributes=id%2Cchildren", jsonReply(`{"id": "`+execID+`"}`))
	f.on("GET /stream/v1/stream"+streamQuery, reply{hangup: true, stream: []string{outputEvent(execID, "stdout", `partial`)}})
	r := run(t, f.env(t), "", "run", "core.local", "cmd=date", "--tail")
	wantOutput(t, "stdout", r.stdout, "Tailing execution \""+execID+"\"\npartial\n")
	if r.code != 1 || !strings.HasPrefix(r.stderr, "ERROR: Lost the connection to the event stream ") {
		t.Errorf("exit %d, stderr %q", r.code, r.stderr)
	}
}
