package builtin

import (
	"errors"
	"slices"
	"testing"

	"github.com/st2go/st2go/internal/model"
	"github.com/st2go/st2go/internal/runner"
)

func TestRegister(t *testing.T) {
	var r runner.Registry
	Register(&r, Options{})
	want := []string{
		"action-chain", "announcement", "http-request", "inquirer", "local-shell-cmd", "local-shell-script",
		"noop", "orquesta", "python-script", "remote-shell-cmd", "remote-shell-script",
		"winrm-cmd", "winrm-ps-cmd", "winrm-ps-script",
	}
	if got := r.Names(); !slices.Equal(got, want) {
		t.Fatalf("Names() = %v\nwant %v", got, want)
	}
	built := map[string]bool{"http-request": true, "local-shell-cmd": true, "local-shell-script": true, "noop": true, "python-script": true}
	for _, name := range want {
		d, err := r.Lookup(name)
		if err != nil {
			t.Fatal(err)
		}
		if d.Module == "" || d.Description == "" {
			t.Errorf("%s: module %q, description %q", name, d.Module, d.Description)
		}
		_, err = r.New(name)
		switch {
		case built[name] && err != nil:
			t.Errorf("%s: New: %v", name, err)
		case !built[name] && !errors.Is(err, runner.ErrNotBuilt):
			t.Errorf("%s: New error = %v, want ErrNotBuilt", name, err)
		}
	}
}

func TestPlaceholderFacts(t *testing.T) {
	var r runner.Registry
	Register(&r, Options{})
	spec := func(runnerName, param string) *model.ParamSpec {
		t.Helper()
		d, err := r.Lookup(runnerName)
		if err != nil {
			t.Fatal(err)
		}
		p := d.Parameters[param]
		if p == nil {
			t.Fatalf("%s has no parameter %s", runnerName, param)
		}
		return p
	}
	checks := []struct {
		name string
		ok   bool
	}{
		{"remote-shell-cmd hosts required", spec("remote-shell-cmd", "hosts").Required},
		{"remote-shell-cmd dir immutable", spec("remote-shell-cmd", "dir").Immutable},
		{"remote-shell-script dir mutable", !spec("remote-shell-script", "dir").Immutable},
		{"remote parallel immutable", spec("remote-shell-script", "parallel").Immutable},
		{"http url required", spec("http-request", "url").Required},
		{"python timeout 600", spec("python-script", "timeout").Default == 600},
		{"winrm kwarg_op -", spec("winrm-ps-script", "kwarg_op").Default == "-"},
		{"winrm port 5986", spec("winrm-cmd", "port").Default == 5986},
		{"inquirer ttl 1440", spec("inquirer", "ttl").Default == 1440},
		{"announcement experimental required", spec("announcement", "experimental").Required},
	}
	for _, c := range checks {
		if !c.ok {
			t.Errorf("%s: not as in StackStorm's runner.yaml", c.name)
		}
	}
	if d, _ := r.Lookup("winrm-ps-script"); d.Parameters["cmd"] != nil {
		t.Error("winrm-ps-script has cmd")
	}
	if d, _ := r.Lookup("http-request"); d.OutputKey != "body" || d.OutputSchema["additionalProperties"] != false {
		t.Errorf("http-request output: %q %v", d.OutputKey, d.OutputSchema)
	}
}
