package pack

import (
	"os"
	"path/filepath"
	"slices"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/st2go/st2go/contrib/packs"
	"github.com/st2go/st2go/internal/model"
)

// stackstormRunners lists, for each runner the core pack uses, the runner
// parameters the core actions redeclare, as StackStorm's runner.yaml files
// declare them.
func stackstormRunners(name string) (model.Params, bool) {
	shell := model.Params{
		"cmd":           {Type: "string"},
		"sudo":          {Type: "boolean", Default: false},
		"sudo_password": {Type: "string", Secret: true},
		"kwarg_op":      {Type: "string", Default: "--"},
	}
	switch name {
	case "local-shell-cmd", "local-shell-script", "remote-shell-cmd":
		return shell, true
	case "announcement":
		return model.Params{"experimental": {Type: "boolean", Default: false, Required: true}}, true
	case "winrm-cmd", "winrm-ps-cmd":
		return model.Params{"cmd": {Type: "string"}}, true
	case "noop", "http-request", "inquirer", "python-script":
		return model.Params{}, true
	}
	return nil, false
}

var coreActions = []string{
	"announcement", "ask", "echo", "error", "http", "inject_trigger", "local", "local_sudo",
	"noop", "pause", "remote", "remote_sudo", "sendmail", "uuid", "winrm_cmd", "winrm_ps_cmd",
}

// checkBuiltin loads the built-in packs from base and checks their content.
func checkBuiltin(t *testing.T, base string) {
	t.Helper()
	loaded, errs := LoadAll([]string{base})
	wantErrors(t, errs)
	if len(loaded) != 2 || loaded[0].Pack.Ref != "core" || loaded[1].Pack.Ref != "default" {
		t.Fatalf("packs = %v, want core and default", loaded)
	}
	core, def := loaded[0], loaded[1]
	if len(def.Actions) != 0 {
		t.Errorf("default pack has actions %v", actionNames(def))
	}
	if got := actionNames(core); !slices.Equal(got, coreActions) {
		t.Errorf("core actions = %v\nwant %v", got, coreActions)
	}
	wantErrors(t, core.CheckRunners(stackstormRunners))
	wantErrors(t, core.Warnings)

	params := func(name string) model.Params { return findAction(t, core, name).Parameters }
	tests := []struct {
		action string
		param  string
		want   *model.ParamSpec
	}{
		{"local", "cmd", &model.ParamSpec{Type: "string", Required: true, Description: "Shell command to run on the local host."}},
		{"local", "sudo", &model.ParamSpec{Default: false, Immutable: true}},
		{"local_sudo", "sudo", &model.ParamSpec{Default: true, Immutable: true}},
		{"remote_sudo", "sudo", &model.ParamSpec{Default: true, Immutable: true}},
		{"echo", "message", &model.ParamSpec{Type: "string", Required: true, Description: "Text to print."}},
		{"echo", "cmd", &model.ParamSpec{Type: "string", Required: true, Immutable: true,
			Default: `echo "{{message}}"`, Description: "The command that prints the message (fixed)."}},
		{"error", "cmd", &model.ParamSpec{Type: "string", Required: true, Immutable: true,
			Default: `>&2 echo "{{message}}"`, Description: "The command that prints the message to standard error (fixed)."}},
		{"pause", "max_pause", &model.ParamSpec{Type: "integer", Required: true, Position: intp(0),
			Description: "Seconds to wait (the upper bound when random is set)."}},
		{"pause", "random", &model.ParamSpec{Type: "boolean", Default: false, Position: intp(1),
			Description: "Wait a random number of seconds between 1 and max_pause instead."}},
		{"uuid", "uuid_type", &model.ParamSpec{Type: "string", Default: "uuid4", Enum: []any{"uuid1", "uuid4"},
			Description: "Which kind of UUID to generate."}},
		{"announcement", "experimental", &model.ParamSpec{Default: true, Immutable: true}},
		{"sendmail", "sendmail_binary", &model.ParamSpec{Type: "string", Default: "None", Position: intp(0),
			Description: "Sendmail program to pipe the message to; when None, sendmail is looked up on PATH."}},
		{"sendmail", "send_empty_body", &model.ParamSpec{Type: "boolean", Default: true, Position: intp(4),
			Description: "Send the message even when the body is empty."}},
	}
	for _, tc := range tests {
		if diff := cmp.Diff(tc.want, params(tc.action)[tc.param]); diff != "" {
			t.Errorf("core.%s %s (-want +got):\n%s", tc.action, tc.param, diff)
		}
	}

	http := params("http")
	if got := http["method"].Enum; len(got) != 9 {
		t.Errorf("core.http method enum = %v, want 9 methods", got)
	}
	if got := http["timeout"].Default; got != 60 {
		t.Errorf("core.http timeout default = %v, want 60", got)
	}
	var positions []int
	for _, p := range params("sendmail") {
		if p.Position != nil {
			positions = append(positions, *p.Position)
		}
	}
	slices.Sort(positions)
	if !slices.Equal(positions, []int{0, 1, 2, 3, 4, 5, 6, 7}) {
		t.Errorf("core.sendmail positions = %v", positions)
	}
	for name, want := range map[string]struct{ runner, entry string }{
		"sendmail":  {"local-shell-script", "send_mail/send_mail"},
		"pause":     {"python-script", "pause.py"},
		"uuid":      {"python-script", "generate_uuid.py"},
		"ask":       {"inquirer", ""},
		"noop":      {"noop", ""},
		"winrm_cmd": {"winrm-cmd", ""},
	} {
		a := findAction(t, core, name)
		if a.RunnerType != want.runner || a.EntryPoint != want.entry || a.Ref != "core."+name || !a.Enabled {
			t.Errorf("core.%s: runner %q entry %q ref %q enabled %v", name, a.RunnerType, a.EntryPoint, a.Ref, a.Enabled)
		}
	}
}

func TestBuiltinPacksInRepo(t *testing.T) {
	checkBuiltin(t, filepath.Join("..", "..", "contrib", "packs"))
}

func TestBuiltinPacksInstalled(t *testing.T) {
	dest := t.TempDir()
	if err := InstallBuiltin(packs.FS, dest); err != nil {
		t.Fatal(err)
	}
	checkBuiltin(t, dest)
	for rel, want := range map[string]os.FileMode{
		"core/actions/send_mail/send_mail": 0o755,
		"core/actions/pause.py":            0o644,
		"core/pack.yaml":                   0o644,
		"default/pack.yaml":                0o644,
	} {
		st, err := os.Stat(filepath.Join(dest, rel))
		if err != nil {
			t.Error(err)
			continue
		}
		if st.Mode().Perm() != want {
			t.Errorf("%s mode = %v, want %v", rel, st.Mode().Perm(), want)
		}
	}
}
