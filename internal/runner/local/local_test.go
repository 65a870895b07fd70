package local

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/st2go/st2go/internal/model"
	"github.com/st2go/st2go/internal/runner"
)

func newCmd(t *testing.T, opts Options) runner.Runner {
	t.Helper()
	def, _ := NewDefinitions(opts)
	r, err := def.New()
	if err != nil {
		t.Fatal(err)
	}
	return r
}

func runCmd(t *testing.T, cmd string, extra map[string]any) (*runner.Result, *ShellResult) {
	t.Helper()
	rp := map[string]any{"cmd": cmd, "timeout": 60}
	for k, v := range extra {
		rp[k] = v
	}
	res, err := newCmd(t, Options{}).Run(t.Context(), &runner.Request{RunnerParams: rp})
	if err != nil {
		t.Fatalf("Run: %v", err)
	}
	return res, res.Output.(*ShellResult)
}

func resultJSON(t *testing.T, res *runner.Result) string {
	t.Helper()
	b, err := runner.MarshalOutput(res.Output)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func TestCmdResults(t *testing.T) {
	tests := []struct {
		name       string
		cmd        string
		wantStatus model.Status
		wantJSON   string
	}{
		{"echo", "echo hello", model.StatusSucceeded,
			`{"failed":false,"succeeded":true,"return_code":0,"stdout":"hello","stderr":""}`},
		{"exit code", "echo out; echo err >&2; exit 3", model.StatusFailed,
			`{"failed":true,"succeeded":false,"return_code":3,"stdout":"out","stderr":"err"}`},
		{"json stdout is parsed", `echo '{"a": [1, "x"]}'`, model.StatusSucceeded,
			`{"failed":false,"succeeded":true,"return_code":0,"stdout":{"a":[1,"x"]},"stderr":""}`},
		{"json scalar too", `echo 42; echo '"e"' >&2`, model.StatusSucceeded,
			`{"failed":false,"succeeded":true,"return_code":0,"stdout":42,"stderr":"e"}`},
		{"one trailing newline stripped", `printf 'a\n\n'; printf 'b\r\n' >&2`, model.StatusSucceeded,
			`{"failed":false,"succeeded":true,"return_code":0,"stdout":"a\n","stderr":"b"}`},
		{"killed by SIGTERM is abandoned", "kill -TERM $$", model.StatusAbandoned,
			`{"failed":true,"succeeded":false,"return_code":-15,"stdout":"","stderr":""}`},
		{"empty command", "", model.StatusSucceeded,
			`{"failed":false,"succeeded":true,"return_code":0,"stdout":"","stderr":""}`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			res, _ := runCmd(t, tc.cmd, nil)
			if res.Status != tc.wantStatus {
				t.Errorf("status = %s, want %s", res.Status, tc.wantStatus)
			}
			if got := resultJSON(t, res); got != tc.wantJSON {
				t.Errorf("result =\n %s\nwant\n %s", got, tc.wantJSON)
			}
		})
	}
}

func TestCmdEnvAndCwd(t *testing.T) {
	dir := t.TempDir()
	t.Setenv("ST2GO_TEST_INHERITED", "inherited")
	t.Setenv("ST2GO_TEST_OVERRIDDEN", "process")
	req := &runner.Request{
		RunnerParams: map[string]any{
			"cmd": `echo "$ST2GO_TEST_INHERITED $ST2GO_TEST_OVERRIDDEN $FROM_PARAM $NUM $ST2_ACTION_EXECUTION_ID"; pwd`,
			"cwd": dir,
			"env": map[string]any{"ST2GO_TEST_OVERRIDDEN": "param", "FROM_PARAM": "p v", "NUM": 8080, "ST2_ACTION_EXECUTION_ID": "not me"},
		},
		Env: map[string]string{"ST2_ACTION_EXECUTION_ID": "exec1"},
	}
	res, err := newCmd(t, Options{}).Run(t.Context(), req)
	if err != nil {
		t.Fatal(err)
	}
	real, _ := filepath.EvalSymlinks(dir)
	want := "inherited param p v 8080 exec1\n" + real
	if got := res.Output.(*ShellResult).Stdout; got != want {
		t.Fatalf("stdout = %q, want %q", got, want)
	}
}

func TestCmdStreamsOutputWhileRunning(t *testing.T) {
	// The command only finishes once the callback has seen "a", so the
	// callback must run while the process is still running.
	dir := t.TempDir()
	gate := filepath.Join(dir, "go")
	cmd := `echo a; echo warn >&2; while [ ! -f ` + gate + ` ]; do sleep 0.01; done; echo b`
	var mu sync.Mutex
	var lines []string
	req := &runner.Request{
		RunnerParams: map[string]any{"cmd": cmd, "timeout": 30},
		Output: func(stream, line string) {
			mu.Lock()
			lines = append(lines, stream+":"+line)
			mu.Unlock()
			if line == "a\n" {
				if err := os.WriteFile(gate, nil, 0o600); err != nil {
					t.Error(err)
				}
			}
		},
	}
	res, err := newCmd(t, Options{}).Run(t.Context(), req)
	if err != nil {
		t.Fatal(err)
	}
	if res.Status != model.StatusSucceeded {
		t.Fatalf("status %s: %s", res.Status, resultJSON(t, res))
	}
	var stdoutLines []string
	for _, l := range lines {
		if strings.HasPrefix(l, "stdout:") {
			stdoutLines = append(stdoutLines, l)
		}
	}
	if d := cmp.Diff([]string{"stdout:a\n", "stdout:b\n"}, stdoutLines); d != "" {
		t.Errorf("stdout lines (-want +got):\n%s", d)
	}
	if !strings.Contains(strings.Join(lines, ""), "stderr:warn\n") {
		t.Errorf("stderr line missing: %q", lines)
	}
}

// processGone reports whether pid no longer runs (gone or a zombie).
func processGone(pid int) bool {
	b, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/stat")
	if err != nil {
		return syscall.Kill(pid, 0) != nil
	}
	fields := strings.Fields(string(b[strings.LastIndexByte(string(b), ')')+1:]))
	return len(fields) > 0 && fields[0] == "Z"
}

func waitGone(t *testing.T, pidFile string) {
	t.Helper()
	b, err := os.ReadFile(pidFile)
	if err != nil {
		t.Fatal(err)
	}
	pid, err := strconv.Atoi(strings.TrimSpace(string(b)))
	if err != nil {
		t.Fatal(err)
	}
	// Poll for the condition; the deadline only bounds a failing test.
	deadline := time.Now().Add(10 * time.Second)
	for !processGone(pid) {
		if time.Now().After(deadline) {
			_ = syscall.Kill(pid, syscall.SIGKILL)
			t.Fatalf("background child %d survived", pid)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

func TestCmdTimeoutKillsProcessGroup(t *testing.T) {
	pidFile := filepath.Join(t.TempDir(), "pid")
	res, out := runCmd(t, `sleep 30 & echo $! > `+pidFile+`; echo started; sleep 30`, map[string]any{"timeout": 1})
	if res.Status != model.StatusTimeout {
		t.Fatalf("status = %s", res.Status)
	}
	want := &ShellResult{Failed: true, ReturnCode: -9, Stdout: "started", Stderr: "",
		Error: "Action failed to complete in 1 seconds"}
	if d := cmp.Diff(want, out); d != "" {
		t.Errorf("result (-want +got):\n%s", d)
	}
	waitGone(t, pidFile)
}

func TestCmdTimeoutEscalatesToSIGKILL(t *testing.T) {
	def, _ := NewDefinitions(Options{KillGrace: 100 * time.Millisecond})
	r, _ := def.New()
	pidFile := filepath.Join(t.TempDir(), "pid")
	res, err := r.Run(t.Context(), &runner.Request{RunnerParams: map[string]any{
		"cmd":     `trap '' TERM; sh -c 'trap "" TERM; sleep 30' & echo $! > ` + pidFile + `; sleep 30`,
		"timeout": 0.2,
	}})
	if err != nil {
		t.Fatal(err)
	}
	if res.Status != model.StatusTimeout || res.Output.(*ShellResult).Error != "Action failed to complete in 0.2 seconds" {
		t.Fatalf("got %s %s", res.Status, resultJSON(t, res))
	}
	waitGone(t, pidFile)
}

func TestCmdCancel(t *testing.T) {
	ctx, cancel := context.WithCancel(t.Context())
	defer cancel()
	pidFile := filepath.Join(t.TempDir(), "pid")
	req := &runner.Request{
		RunnerParams: map[string]any{"cmd": `sleep 30 & echo $! > ` + pidFile + `; echo ready; sleep 30`, "timeout": 60},
		Output: func(_, line string) {
			if line == "ready\n" {
				cancel()
			}
		},
	}
	res, err := newCmd(t, Options{}).Run(ctx, req)
	if err != nil {
		t.Fatal(err)
	}
	out := res.Output.(*ShellResult)
	if res.Status != model.StatusCanceled || out.Stdout != "ready" || out.Succeeded {
		t.Fatalf("got %s %s", res.Status, resultJSON(t, res))
	}
	waitGone(t, pidFile)
}

func TestCmdCanceledBeforeStart(t *testing.T) {
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	marker := filepath.Join(t.TempDir(), "ran")
	res, err := newCmd(t, Options{}).Run(ctx, &runner.Request{RunnerParams: map[string]any{"cmd": "touch " + marker}})
	if err != nil {
		t.Fatal(err)
	}
	if res.Status != model.StatusCanceled {
		t.Fatalf("status = %s", res.Status)
	}
	if _, err := os.Stat(marker); err == nil {
		t.Fatal("command ran after cancel")
	}
}

func TestSudoPasswordOnStdinOnly(t *testing.T) {
	const pw = "s3cret-Pa55"
	// No sudo here: the test checks what the shell receives. The password
	// must arrive on stdin and appear in no process's argv.
	res, out := runCmd(t, `cat; tr '\0' ' ' < /proc/$$/cmdline >&2`, map[string]any{"sudo_password": pw})
	if res.Status != model.StatusSucceeded {
		t.Fatalf("status %s %s", res.Status, resultJSON(t, res))
	}
	if out.Stdout != pw {
		t.Errorf("stdin = %q, want the password", out.Stdout)
	}
	argv := out.Stderr.(string)
	if !strings.Contains(argv, "-c") || strings.Contains(argv, pw) {
		t.Errorf("argv = %q", argv)
	}
}

func TestSudoIncorrectPassword(t *testing.T) {
	res, out := runCmd(t, `echo '[sudo] password for stanley: ' >&2; echo 'sudo: 3 incorrect password attempts' >&2; exit 1`,
		map[string]any{"sudo_password": "wrong"})
	if res.Status != model.StatusFailed || out.ReturnCode != -1 ||
		out.Error != "Invalid sudo password provided or sudo is not configured for this user (stanley)" {
		t.Fatalf("got %s %s", res.Status, resultJSON(t, res))
	}
}

func TestRunErrors(t *testing.T) {
	cmdDef, scriptDef := NewDefinitions(Options{})
	cmdR, _ := cmdDef.New()
	scriptR, _ := scriptDef.New()
	tests := []struct {
		name string
		r    runner.Runner
		req  *runner.Request
		want string
	}{
		{"cmd with entry point", cmdR, &runner.Request{RunnerParams: map[string]any{"cmd": "true"}, EntryPoint: "/x.sh"},
			"entry_point is only valid for local-shell-script runner"},
		{"cmd without cmd", cmdR, &runner.Request{RunnerParams: map[string]any{}}, "needs a cmd parameter"},
		{"script without entry point", scriptR, &runner.Request{RunnerParams: map[string]any{}},
			"missing entry_point action metadata attribute"},
		{"content_version", scriptR, &runner.Request{EntryPoint: "/x.sh", RunnerParams: map[string]any{"content_version": "v1"}},
			"not available in st2go yet"},
		{"bad timeout", cmdR, &runner.Request{RunnerParams: map[string]any{"cmd": "true", "timeout": "x"}}, "timeout must be a number"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := tc.r.Run(t.Context(), tc.req)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("err = %v, want %q", err, tc.want)
			}
		})
	}
}

func TestScriptRunner(t *testing.T) {
	dir := t.TempDir()
	script := filepath.Join(dir, "my script.sh")
	if err := os.WriteFile(script, []byte("#!/bin/sh\nfor a in \"$@\"; do echo \"[$a]\"; done\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	action := &model.Action{Parameters: model.Params{
		"first":  {Type: "string", Position: ptr(0)},
		"flag":   {Type: "boolean", Position: ptr(1)},
		"list":   {Type: "array", Position: ptr(2)},
		"name":   {Type: "string"},
		"on":     {Type: "boolean"},
		"off":    {Type: "boolean"},
		"empty":  {Type: "string"},
		"num":    {Type: "integer"},
		"obj":    {Type: "object"},
		"absent": {Type: "string"},
	}}
	_, scriptDef := NewDefinitions(Options{})
	r, _ := scriptDef.New()
	res, err := r.Run(t.Context(), &runner.Request{
		Action:       action,
		EntryPoint:   script,
		RunnerParams: map[string]any{"kwarg_op": "--", "timeout": 10},
		ActionParams: map[string]any{
			"first": "a b", "flag": true, "list": []any{"x", 1},
			"name": "it's", "on": true, "off": false, "empty": "", "num": 3,
			"obj": map[string]any{"k": "v"}, "absent": nil,
		},
	})
	if err != nil {
		t.Fatal(err)
	}
	want := strings.Join([]string{"[--name=it's]", "[--num=3]", "[--obj={'k': 'v'}]", "[--on]", "[a b]", "[1]", "[x,1]"}, "\n")
	if out := res.Output.(*ShellResult); res.Status != model.StatusSucceeded || out.Stdout != want {
		t.Fatalf("status %s, stdout:\n%s\nwant:\n%s\n%s", res.Status, out.Stdout, want, out.Stderr)
	}
	if fi, _ := os.Stat(script); fi.Mode()&0o100 == 0 {
		t.Errorf("script was not made executable: %v", fi.Mode())
	}
}

func ptr[T any](v T) *T { return &v }

func TestCommandLine(t *testing.T) {
	tests := []struct {
		cmd      string
		sudo, pw bool
		runAs    string
		want     string
	}{
		{"echo hi", false, false, "", "echo hi"},
		{"echo 'hi'", true, false, "", `sudo -E -- bash -c 'echo '"'"'hi'"'"''`},
		{"ls", true, true, "", "sudo -S -E -- bash -c ls"},
		{"ls -l", false, false, "stanley", "sudo -E -H -u stanley -- bash -c 'ls -l'"},
		{"ls", false, true, "st anley", "sudo -S -E -H -u 'st anley' -- bash -c ls"},
		{"ls", true, false, "stanley", "sudo -E -- bash -c ls"},
	}
	for _, tc := range tests {
		if got := commandLine(tc.cmd, tc.sudo, tc.pw, tc.runAs); got != tc.want {
			t.Errorf("commandLine(%q, %v, %v, %q) = %s, want %s", tc.cmd, tc.sudo, tc.pw, tc.runAs, got, tc.want)
		}
	}
}

func TestScriptCommand(t *testing.T) {
	named := []namedArg{{"--b", "x y"}, {"--a", true}}
	pos := []string{"p1", ""}
	tests := []struct {
		sudo, pw bool
		runAs    string
		want     string
	}{
		{false, false, "", `/p/s.sh --b='x y' --a p1 ''`},
		{true, false, "", `sudo -E -- bash -c '/p/s.sh --b='"'"'x y'"'"' --a p1 '"'"''"'"''`},
		{false, true, "bob", `sudo -S -E -H -u bob -- bash -c '/p/s.sh --b='"'"'x y'"'"' --a p1 '"'"''"'"''`},
	}
	for _, tc := range tests {
		if got := scriptCommand("/p/s.sh", named, pos, tc.sudo, tc.pw, tc.runAs); got != tc.want {
			t.Errorf("scriptCommand(%v, %v, %q) =\n %s\nwant\n %s", tc.sudo, tc.pw, tc.runAs, got, tc.want)
		}
	}
	if got := scriptCommand("/p/s.sh", nil, nil, false, false, ""); got != "/p/s.sh" {
		t.Errorf("no args: %s", got)
	}
}

func TestQuote(t *testing.T) {
	// Python's shlex.quote.
	for in, want := range map[string]string{
		"":           "''",
		"abc-1.2/x":  "abc-1.2/x",
		"a b":        "'a b'",
		"it's":       `'it'"'"'s'`,
		"$HOME":      "'$HOME'",
		"k=v,w:@%+_": "k=v,w:@%+_",
		"é":          "'é'",
	} {
		if got := quote(in); got != want {
			t.Errorf("quote(%q) = %s, want %s", in, got, want)
		}
	}
}

func TestSerializePositional(t *testing.T) {
	// serialize_positional_argument in st2common/util/action_db.py.
	tests := []struct {
		typ  string
		v    any
		want string
	}{
		{"string", "a b", "a b"},
		{"string", nil, ""},
		{"string", "", ""},
		{"number", 1.5, "1.5"},
		{"number", 2, "2"},
		{"boolean", true, "1"},
		{"boolean", false, "0"},
		{"boolean", nil, ""},
		{"array", []any{"a", 1, true, nil}, "a,1,True,None"},
		{"array", []any{}, ""},
		{"array", nil, ""},
		{"object", map[string]any{"b": 1, "a": "<x>"}, `{"a":"<x>","b":1}`},
		{"object", map[string]any{}, ""},
		{"null", "x", ""},
		{"integer", 5, "5"},
		{"integer", 0, ""}, // falls to the generic branch: falsy → ""
		{"", false, ""},
		{"", "x", "x"},
	}
	for _, tc := range tests {
		if got := serializePositional(tc.typ, tc.v); got != tc.want {
			t.Errorf("serializePositional(%q, %#v) = %q, want %q", tc.typ, tc.v, got, tc.want)
		}
	}
}

func TestScriptArguments(t *testing.T) {
	named := []namedArg{
		{"--s", "a b"}, {"--t", true}, {"--f", false}, {"--n", nil}, {"--e", ""},
		{"--i", 3}, {"--fl", 2.5}, {"--l", []any{"a", 1}}, {"--j", json.Number("7")},
	}
	want := `--s='a b' --t --i=3 --fl=2.5 --l='['"'"'a'"'"', 1]' --j=7 pos 'p 2'`
	if got := scriptArguments(named, []string{"pos", "p 2"}); got != want {
		t.Errorf("got  %s\nwant %s", got, want)
	}
}

func TestDefinitions(t *testing.T) {
	cmd, script := NewDefinitions(Options{})
	if cmd.Name != "local-shell-cmd" || cmd.Module != "local_shell_command_runner" ||
		script.Name != "local-shell-script" || script.Module != "local_shell_script_runner" {
		t.Fatalf("names: %+v %+v", cmd, script)
	}
	for _, p := range []string{"cmd", "cwd", "env", "kwarg_op", "sudo", "sudo_password", "timeout"} {
		if cmd.Parameters[p] == nil {
			t.Errorf("local-shell-cmd lacks %s", p)
		}
	}
	if _, ok := script.Parameters["cmd"]; ok {
		t.Error("local-shell-script has cmd")
	}
	if cmd.Parameters["timeout"].Default != 60 || cmd.Parameters["kwarg_op"].Default != "--" ||
		!cmd.Parameters["sudo_password"].Secret || script.Parameters["debug"] == nil || script.Parameters["content_version"] == nil {
		t.Error("parameter facts differ from StackStorm's runner.yaml")
	}
}

func BenchmarkCmdTrue(b *testing.B) {
	def, _ := NewDefinitions(Options{})
	r, _ := def.New()
	req := &runner.Request{RunnerParams: map[string]any{"cmd": "true", "timeout": 60}}
	for b.Loop() {
		if _, err := r.Run(context.Background(), req); err != nil {
			b.Fatal(err)
		}
	}
}

// TestCmdLineNotInArgv checks that the shell's own argv does not carry
// the command (and so no parameter rendered into it).
func TestCmdLineNotInArgv(t *testing.T) {
	_, r := runCmd(t, `tr '\0' ' ' < /proc/$$/cmdline; echo; : marker-S3CRET`, nil)
	out, _ := r.Stdout.(string)
	if out == "" || strings.Contains(out, "marker-S3CRET") {
		t.Fatalf("shell argv %q", out)
	}
}
