package pack

import (
	"slices"
	"testing"

	"github.com/st2go/st2go/internal/model"
)

// fakeRunners stands in for the runner registry: a shell runner and a
// runner with an immutable parameter, shaped like StackStorm's.
func fakeRunners(name string) (model.Params, bool) {
	switch name {
	case "local-shell-cmd":
		return model.Params{
			"cmd":           {Type: "string", Description: "command"},
			"sudo":          {Type: "boolean", Default: false},
			"sudo_password": {Type: "string", Secret: true},
			"kwarg_op":      {Type: "string", Default: "--"},
			"timeout":       {Type: "integer", Default: 60},
		}, true
	case "remote-shell-cmd":
		return model.Params{
			"parallel": {Type: "boolean", Immutable: true},
			"hosts":    {Type: "string", Required: true},
		}, true
	case "noop":
		return model.Params{}, true
	}
	return nil, false
}

func TestCheckRunners(t *testing.T) {
	tests := []struct {
		name    string
		action  string
		wantErr string
	}{
		{name: "overridable attributes", action: "runner_type: local-shell-cmd\nparameters:\n  cmd:\n    type: string\n    required: true\n    default: ls\n    description: mine\n    immutable: true\n    enum: [ls]\n"},
		{name: "same value for other attribute", action: "runner_type: local-shell-cmd\nparameters:\n  timeout:\n    type: integer\n    default: 5\n"},
		{name: "false flag equals absent", action: "runner_type: local-shell-cmd\nparameters:\n  sudo:\n    secret: false\n"},
		{name: "immutable runner param without action default", action: "runner_type: local-shell-cmd\nparameters:\n  sudo_password:\n    immutable: true\n"},
		{name: "immutable own param with null default", action: "runner_type: noop\nparameters:\n  p:\n    immutable: true\n    default: null\n"},
		{
			name: "unknown runner", action: "runner_type: quantum\n",
			wantErr: `x.yaml:2: runner type "quantum" is not registered`,
		},
		{
			name: "type override", action: "runner_type: local-shell-cmd\nparameters:\n  timeout:\n    type: string\n",
			wantErr: `x.yaml:5: parameter "timeout": attribute "type" of runner parameter cannot be overridden`,
		},
		{
			name: "secret override", action: "runner_type: local-shell-cmd\nparameters:\n  cmd:\n    secret: true\n",
			wantErr: `x.yaml:5: parameter "cmd": attribute "secret" of runner parameter cannot be overridden`,
		},
		{
			name: "immutable in runner", action: "runner_type: remote-shell-cmd\nparameters:\n  parallel:\n    immutable: true\n    default: true\n",
			wantErr: `x.yaml:5: parameter "parallel" is immutable in runner "remote-shell-cmd"`,
		},
		{
			name: "immutable own param needs default", action: "runner_type: noop\nparameters:\n  p:\n    type: string\n    immutable: true\n",
			wantErr: `x.yaml:5: parameter "p" is immutable and needs a default`,
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			dir := writePack(t, "p", map[string]string{
				"actions/x.yaml":  "name: x\n" + tc.action,
				"actions/ok.yaml": "name: ok\nrunner_type: noop\n",
			})
			l, errs := Load(dir)
			wantErrors(t, errs)
			errs = l.CheckRunners(fakeRunners)
			want := []string{"ok", "x"}
			if tc.wantErr != "" {
				wantErrors(t, errs, tc.wantErr)
				want = []string{"ok"}
			} else {
				wantErrors(t, errs)
			}
			if got := actionNames(l); !slices.Equal(got, want) {
				t.Errorf("actions after check = %v, want %v", got, want)
			}
		})
	}
}
