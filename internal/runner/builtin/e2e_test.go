package builtin

import (
	"os"
	"testing"

	"github.com/st2go/st2go/internal/model"
	"github.com/st2go/st2go/internal/param"
	"github.com/st2go/st2go/internal/runner"
)

// TestEchoThroughParamAndLocal resolves core.echo's parameters the way the
// API and the action runner do and runs the result with local-shell-cmd.
func TestEchoThroughParamAndLocal(t *testing.T) {
	var reg runner.Registry
	Register(&reg, Options{})
	def, err := reg.Lookup("local-shell-cmd")
	if err != nil {
		t.Fatal(err)
	}
	action := &model.Action{Ref: "core.echo", RunnerType: "local-shell-cmd", Parameters: model.Params{
		"message":  {Type: "string", Required: true},
		"cmd":      {Immutable: true, Default: `echo "{{message}} from {{ action_context.user }}"`},
		"kwarg_op": {Immutable: true},
	}}
	resolved, err := param.Resolve(def.Parameters, action.Parameters, map[string]any{"message": "it's $HOME"},
		param.Context{Action: map[string]any{"user": "stanley"}})
	if err != nil {
		t.Fatal(err)
	}
	r, err := reg.New("local-shell-cmd")
	if err != nil {
		t.Fatal(err)
	}
	specs, err := param.Merge(def.Parameters, action.Parameters)
	if err != nil {
		t.Fatal(err)
	}
	res, err := r.Run(t.Context(), &runner.Request{
		Action: action, RunnerParams: resolved.Runner, ActionParams: resolved.Action, ParamSpecs: specs,
	})
	if err != nil {
		t.Fatal(err)
	}
	b, err := runner.MarshalOutput(res.Output)
	if err != nil {
		t.Fatal(err)
	}
	// The shell expands $HOME: the message is spliced into cmd as text, as in StackStorm.
	want := `{"failed":false,"succeeded":true,"return_code":0,"stdout":"it's ` + homeDir(t) + ` from stanley","stderr":""}`
	if res.Status != model.StatusSucceeded || string(b) != want {
		t.Fatalf("got %s %s\nwant %s", res.Status, b, want)
	}
}

func homeDir(t *testing.T) string {
	t.Helper()
	h := os.Getenv("HOME")
	if h == "" {
		t.Skip("HOME is not set")
	}
	return h
}
