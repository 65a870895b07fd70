package app_test

import (
	"encoding/json"
	"os/exec"
	"testing"
	"time"

	"github.com/st2go/st2go/internal/app/apptest"
)

// TestPythonAction: a pack's python-script action registers, runs through
// the wrapper with its parameters, reaches the datastore over the API with
// its execution token (local names get the <pack>.<Class>: prefix) and
// its result lands in StackStorm's result shape.
func TestPythonAction(t *testing.T) {
	if _, err := exec.LookPath("python3"); err != nil {
		t.Skip("SKIPPING: python3 is not on PATH; python-script actions cannot run")
	}
	s := apptest.Start(t, apptest.Options{})
	writePack(t, s, "pyapp", map[string]string{
		"pack.yaml": "ref: pyapp\nname: pyapp\ndescription: python actions\nversion: 0.1.0\nauthor: me\n",
		"actions/greet.yaml": `name: greet
pack: pyapp
runner_type: python-script
entry_point: greet.py
parameters:
  who:
    type: string
    required: true
`,
		"actions/greet.py": `from st2common.runners.base_action import Action


class Greet(Action):
    def run(self, who):
        print("greeting", who)
        self.action_service.set_value("last", who)
        return {"greeting": "hello " + who, "stored": self.action_service.get_value("last")}
`,
	})
	e := s.Wait(t, s.Run(t, "pyapp.greet", map[string]any{"who": "ann"}).ID, 30*time.Second)
	var res struct {
		Result   map[string]any `json:"result"`
		ExitCode int            `json:"exit_code"`
		Stdout   string         `json:"stdout"`
		Stderr   string         `json:"stderr"`
	}
	if err := json.Unmarshal(e.Result, &res); err != nil {
		t.Fatalf("decoding result %s: %v", e.Result, err)
	}
	if e.Status != "succeeded" {
		t.Fatalf("status = %s, result %s", e.Status, e.Result)
	}
	if res.Result["greeting"] != "hello ann" || res.Result["stored"] != "ann" || res.ExitCode != 0 || res.Stdout != "greeting ann\n" {
		t.Errorf("result = %s", e.Result)
	}
	var kv map[string]any
	if code := s.Do(t, "GET", "/keys/pyapp.Greet:last", nil, &kv); code != 200 || kv["value"] != "ann" {
		t.Errorf("GET /keys/pyapp.Greet:last = %d %v", code, kv)
	}
}
