package builtin

import (
	"github.com/st2go/st2go/internal/model"
	"github.com/st2go/st2go/internal/runner"
)

// placeholders are the StackStorm runner types st2go knows but has not
// built yet (New is nil). Names, modules, parameter types, defaults and
// flags, output keys and output schemas are facts from StackStorm's
// contrib/runners/*/runner.yaml; the descriptions are ours.
func placeholders() []runner.Definition {
	return []runner.Definition{
		{
			Name:        "remote-shell-cmd",
			Description: "Runs a shell command over SSH on one or more hosts.",
			Module:      "remote_command_runner",
			Parameters:  remoteParams(true),
		},
		{
			Name:        "remote-shell-script",
			Description: "Copies an action's script to one or more hosts over SSH and runs it there.",
			Module:      "remote_script_runner",
			Parameters:  remoteParams(false),
		},
		{
			Name:        "python-script",
			Description: "Runs a pack's Python action class in the pack's virtualenv.",
			Module:      "python_runner",
			Parameters: model.Params{
				"debug":           boolean(false, "Turn on the runner's debug mode."),
				"content_version": str("Git revision of the pack to run the action from (packs that are git repositories only)."),
				"env":             object("Extra environment variables for the action's process."),
				"timeout":         integer(600, "Seconds after which the action is killed and times out."),
				"log_level": {Type: "string", Default: "DEBUG", Description: "Lowest level of the action's log messages that are kept.",
					Enum: []any{"AUDIT", "CRITICAL", "ERROR", "WARNING", "INFO", "DEBUG"}},
			},
			OutputKey: "result",
			OutputSchema: objectSchema(map[string]any{
				"result":    anyValue(),
				"stderr":    map[string]any{"type": "string", "required": true},
				"stdout":    map[string]any{"type": "string", "required": true},
				"exit_code": map[string]any{"type": "integer", "required": true},
			}),
		},
		{
			Name:        "orquesta",
			Description: "Runs an Orquesta workflow.",
			Module:      "orquesta_runner",
			Parameters: model.Params{
				"notify": {Type: "array", Default: []any{}, Description: "Names of the tasks to send notifications for.",
					Items: map[string]any{"type": "string", "minLength": 1, "pattern": `^\w+$`},
					Extra: map[string]any{"uniqueItems": true}},
			},
			OutputKey: "output",
			OutputSchema: objectSchema(map[string]any{
				"errors": map[string]any{"anyOf": []any{map[string]any{"type": "object"}, map[string]any{"type": "array"}}},
				"output": anyValue(),
			}),
		},
		{
			Name:        "action-chain",
			Description: "Runs a linear chain of actions (ActionChain workflow).",
			Module:      "action_chain_runner",
			Parameters: model.Params{
				"display_published": boolean(true, "Keep and show the variables published along the chain."),
				"skip_notify":       {Type: "array", Default: []any{}, Description: "Names of the tasks not to send notifications for."},
			},
			OutputKey: "published",
			OutputSchema: objectSchema(map[string]any{
				"published": map[string]any{"type": "object"},
				"tasks":     map[string]any{"type": "array"},
			}),
		},
		{
			Name:        "inquirer",
			Description: "Pauses a workflow until someone answers an inquiry.",
			Module:      "inquirer_runner",
			Parameters: model.Params{
				"schema": {Type: "object", Required: true, Description: "JSON schema the response must match.",
					Default: map[string]any{
						"title": "response_data",
						"type":  "object",
						"properties": map[string]any{
							"continue": map[string]any{"type": "boolean", "required": true,
								"description": "Would you like to continue the workflow?"},
						},
					}},
				"route": {Type: "string", Default: "", Description: "Free-form value rules can use to route the inquiry's notification."},
				"roles": {Type: "array", Default: []any{}, Description: "Roles allowed to respond (none: everyone; needs RBAC)."},
				"users": {Type: "array", Default: []any{}, Description: "Users allowed to respond (none: everyone)."},
				"ttl":   {Type: "integer", Default: 1440, Required: true, Description: "Minutes to wait for a response before the inquiry times out."},
			},
		},
		{
			Name:        "announcement",
			Description: "Publishes the action's parameters as an announcement on the event stream.",
			Module:      "announcement_runner",
			Parameters: model.Params{
				"experimental": {Type: "boolean", Default: false, Required: true,
					Description: "Must be true: acknowledges that this runner is experimental."},
				"route": {Type: "string", Default: "general", MinLength: intp(1), MaxLength: intp(255),
					Description: "Routing key of the announcement; dot-separated words."},
			},
		},
		{
			Name:        "winrm-cmd",
			Description: "Runs a Command Prompt command on a Windows host over WinRM.",
			Module:      "winrm_command_runner",
			Parameters:  winrmParams("Command Prompt command to run on the host."),
		},
		{
			Name:        "winrm-ps-cmd",
			Description: "Runs a PowerShell command on a Windows host over WinRM.",
			Module:      "winrm_ps_command_runner",
			Parameters:  winrmParams("PowerShell command to run on the host."),
		},
		{
			Name:        "winrm-ps-script",
			Description: "Runs an action's PowerShell script on a Windows host over WinRM.",
			Module:      "winrm_ps_script_runner",
			Parameters:  winrmParams(""),
		},
	}
}

// remoteParams are the SSH runners' parameters; only the cmd runner has
// cmd, and only there is dir immutable.
func remoteParams(withCmd bool) model.Params {
	p := model.Params{
		"bastion_host":  str("Host to proxy the SSH connections through, reached with the same credentials."),
		"cwd":           {Type: "string", Default: "/tmp", Description: "Directory to run in on the remote hosts."},
		"dir":           {Type: "string", Default: "/tmp", Description: "Directory on the remote hosts the script is copied to."},
		"env":           object("Extra environment variables for the remote command."),
		"hosts":         required(str("Comma-separated hosts to run on, each optionally host:port, e.g. a.example.com,b.example.com:2222.")),
		"kwarg_op":      {Type: "string", Default: "--", Description: "Prefix put before named arguments, such as \"--\" or \"-\"."},
		"parallel":      {Type: "boolean", Default: false, Immutable: true, Description: "Run on all hosts at once."},
		"passphrase":    secret("Passphrase of the private key."),
		"password":      secret("SSH password; without it the configured private key is used."),
		"port":          {Type: "integer", Description: "SSH port for hosts that do not name one (default 22)."},
		"private_key":   secret("Private key material, or the path of a key file, to log in with."),
		"sudo":          boolean(false, "Run the remote command through sudo."),
		"sudo_password": secret("Password for sudo when it is not passwordless."),
		"timeout":       integer(60, "Seconds after which the action is killed and times out."),
		"username":      str("SSH user name; without it the configured user is used."),
	}
	if withCmd {
		p["cmd"] = str("Shell command line to run on the remote hosts.")
		p["dir"].Immutable = true
	} else {
		p["private_key"].Description = "Private key material (not a path) to log in with."
	}
	return p
}

// winrmParams are the WinRM runners' parameters; cmdDescription is empty
// for the script runner, which has no cmd.
func winrmParams(cmdDescription string) model.Params {
	p := model.Params{
		"cwd":      str("Directory to run in on the host."),
		"env":      object("Extra environment variables for the command."),
		"host":     required(str("Windows host to run on.")),
		"kwarg_op": {Type: "string", Default: "-", Description: "Prefix put before named arguments, such as \"-\" or \"/\"."},
		"password": required(secret("Password to log in with.")),
		"port":     integer(5986, "WinRM port; 5985 needs scheme http."),
		"scheme":   {Type: "string", Default: "https", Description: "Scheme of the WinRM URL; http needs port 5985."},
		"timeout":  integer(60, "Seconds after which the action is killed and times out."),
		"transport": {Type: "string", Default: "ntlm", Description: "WinRM transport (see pywinrm's transport options).",
			Enum: []any{"basic", "certificate", "credssp", "kerberos", "ntlm", "plaintext", "ssl"}},
		"username":        required(str("User name to log in with.")),
		"verify_ssl_cert": boolean(true, "Check the host's TLS certificate against the default CA bundle; false skips the check."),
	}
	if cmdDescription != "" {
		p["cmd"] = str(cmdDescription)
	}
	return p
}

func str(desc string) *model.ParamSpec    { return &model.ParamSpec{Type: "string", Description: desc} }
func object(desc string) *model.ParamSpec { return &model.ParamSpec{Type: "object", Description: desc} }

func secret(desc string) *model.ParamSpec {
	return &model.ParamSpec{Type: "string", Secret: true, Description: desc}
}

func boolean(def bool, desc string) *model.ParamSpec {
	return &model.ParamSpec{Type: "boolean", Default: def, Description: desc}
}

func integer(def int, desc string) *model.ParamSpec {
	return &model.ParamSpec{Type: "integer", Default: def, Description: desc}
}

func required(p *model.ParamSpec) *model.ParamSpec {
	p.Required = true
	return p
}

func intp(v int) *int { return &v }

// anyValue is the output-schema property that accepts any JSON value.
func anyValue() map[string]any {
	types := []any{}
	for _, t := range []string{"object", "string", "integer", "number", "boolean", "array", "null"} {
		types = append(types, map[string]any{"type": t})
	}
	return map[string]any{"anyOf": types}
}

func objectSchema(props map[string]any) map[string]any {
	return map[string]any{"type": "object", "properties": props, "additionalProperties": false}
}
