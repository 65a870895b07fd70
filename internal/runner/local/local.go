package local

import (
	"context"
	"errors"
	"fmt"
	"os/user"
	"sync"
	"time"

	"github.com/st2go/st2go/internal/model"
	"github.com/st2go/st2go/internal/runner"
)

// Runner names and StackStorm's module names for them.
const (
	CmdName      = "local-shell-cmd"
	ScriptName   = "local-shell-script"
	cmdModule    = "local_shell_command_runner"
	scriptModule = "local_shell_script_runner"
)

// Options configure the local runners.
type Options struct {
	// SystemUser is [system_user] user. When it is set and differs from the
	// OS user st2go runs as, commands run through sudo -u SystemUser.
	SystemUser string
	// Shell runs the command line with -c. Default /bin/sh, what Python's
	// subprocess uses for shell=True.
	Shell string
	// KillGrace is how long a timed-out or canceled command's process group
	// has between SIGTERM and SIGKILL. Default 5s.
	KillGrace time.Duration
}

func (o Options) withDefaults() Options {
	if o.Shell == "" {
		o.Shell = "/bin/sh"
	}
	if o.KillGrace <= 0 {
		o.KillGrace = 5 * time.Second
	}
	return o
}

// CmdDefinition and ScriptDefinition are the runners with default Options
// (no user switching).
var (
	CmdDefinition, ScriptDefinition = NewDefinitions(Options{})
)

// NewDefinitions returns the local-shell-cmd and local-shell-script
// definitions for the given options.
func NewDefinitions(opts Options) (cmd, script runner.Definition) {
	opts = opts.withDefaults()
	cmd = runner.Definition{
		Name:        CmdName,
		Description: "Runs a shell command on the st2go host as the system user.",
		Module:      cmdModule,
		Parameters:  cmdParams(),
		New: func() (runner.Runner, error) {
			return &shellRunner{opts: opts, script: false}, nil
		},
	}
	script = runner.Definition{
		Name:        ScriptName,
		Description: "Runs an action's script on the st2go host as the system user, its parameters as arguments.",
		Module:      scriptModule,
		Parameters:  scriptParams(),
		New: func() (runner.Runner, error) {
			return &shellRunner{opts: opts, script: true}, nil
		},
	}
	return cmd, script
}

// commonParams are the parameters both runners take (facts from StackStorm's
// local_runner runner.yaml; descriptions are ours).
func commonParams() model.Params {
	return model.Params{
		"cwd": {Type: "string", Description: "Directory to run in (default: the st2go process's working directory)."},
		"env": {Type: "object", Description: "Extra environment variables for the process, e.g. {\"KEY\": \"value\"}."},
		"kwarg_op": {Type: "string", Default: "--",
			Description: "Prefix put before named arguments, such as \"--\" or \"-\"."},
		"sudo": {Type: "boolean", Default: false, Description: "Run the command through sudo."},
		"sudo_password": {Type: "string", Secret: true,
			Description: "Password for sudo when it is not passwordless; given to sudo on stdin."},
		"timeout": {Type: "integer", Default: 60,
			Description: "Seconds after which the action's processes are killed and it times out."},
	}
}

func cmdParams() model.Params {
	p := commonParams()
	p["cmd"] = &model.ParamSpec{Type: "string", Description: "Shell command line to run on the host."}
	return p
}

func scriptParams() model.Params {
	p := commonParams()
	p["debug"] = &model.ParamSpec{Type: "boolean", Default: false, Description: "Turn on the runner's debug mode."}
	p["content_version"] = &model.ParamSpec{Type: "string",
		Description: "Git revision of the pack to run the script from (packs that are git repositories only)."}
	return p
}

// shellRunner runs one execution of either runner.
type shellRunner struct {
	opts   Options
	script bool
}

var _ runner.Runner = (*shellRunner)(nil)

// Run builds the command line and runs it.
func (r *shellRunner) Run(ctx context.Context, req *runner.Request) (*runner.Result, error) {
	p, err := readParams(req.RunnerParams)
	if err != nil {
		return nil, err
	}
	var line string
	if r.script {
		if req.EntryPoint == "" {
			return nil, errors.New("missing entry_point action metadata attribute")
		}
		if v, _ := req.RunnerParams["content_version"].(string); v != "" {
			return nil, fmt.Errorf("content_version %q: running a pack's git revision is not available in st2go yet", v)
		}
		named, positional := scriptArgs(req, p.kwargOp)
		line = scriptCommand(req.EntryPoint, named, positional, p.sudo, p.sudoPassword != nil, r.runAs())
		if !readOnlyFS(req.EntryPoint) {
			line = "chmod +x " + quote(req.EntryPoint) + " ; " + line
		}
	} else {
		if req.EntryPoint != "" {
			return nil, errors.New("entry_point is only valid for local-shell-script runner")
		}
		if p.cmd == nil {
			return nil, errors.New("the local-shell-cmd runner needs a cmd parameter")
		}
		line = commandLine(*p.cmd, p.sudo, p.sudoPassword != nil, r.runAs())
	}
	return execute(ctx, r.opts, execSpec{
		line:     line,
		started:  req.Started,
		cwd:      p.cwd,
		env:      buildEnv(p.env, req.Env),
		password: p.sudoPassword,
		timeout:  p.timeout,
		output:   req.Output,
	})
}

// runAs returns the user to switch to, or "" when st2go already runs as
// the system user.
func (r *shellRunner) runAs() string {
	if r.opts.SystemUser == "" || r.opts.SystemUser == currentUser() {
		return ""
	}
	return r.opts.SystemUser
}

var currentUser = sync.OnceValue(func() string {
	u, err := user.Current()
	if err != nil {
		return ""
	}
	return u.Username
})

// params are the runner parameters the shell runners read.
type params struct {
	cmd          *string
	cwd          string
	env          map[string]any
	kwargOp      string
	sudo         bool
	sudoPassword *string
	timeout      *timeoutValue
}

type timeoutValue struct {
	d    time.Duration
	text string // as the error message prints it
}

func readParams(rp map[string]any) (params, error) {
	p := params{kwargOp: "--"}
	if v, ok := rp["cmd"].(string); ok {
		p.cmd = &v
	}
	p.cwd, _ = rp["cwd"].(string)
	if v := rp["env"]; v != nil {
		m, ok := v.(map[string]any)
		if !ok {
			return p, fmt.Errorf("runner parameter env must be an object, not %T", v)
		}
		p.env = m
	}
	if v, ok := rp["kwarg_op"].(string); ok {
		p.kwargOp = v
	}
	p.sudo, _ = rp["sudo"].(bool)
	if v, ok := rp["sudo_password"].(string); ok && v != "" {
		p.sudoPassword = &v
	}
	if v := rp["timeout"]; v != nil {
		secs, ok := toFloat(v)
		if !ok {
			return p, fmt.Errorf("runner parameter timeout must be a number, not %T", v)
		}
		p.timeout = &timeoutValue{d: time.Duration(secs * float64(time.Second)), text: py.Str(v)}
	}
	return p, nil
}
