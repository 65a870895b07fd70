package local

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"regexp"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/st2go/st2go/internal/model"
	"github.com/st2go/st2go/internal/runner"
)

// ShellResult is the result document of the shell runners, with
// StackStorm's keys in StackStorm's order. Stdout and Stderr hold a string,
// or a json.RawMessage when the text is a JSON document.
type ShellResult struct {
	Failed     bool   `json:"failed"`
	Succeeded  bool   `json:"succeeded"`
	ReturnCode int    `json:"return_code"`
	Stdout     any    `json:"stdout"`
	Stderr     any    `json:"stderr"`
	Error      string `json:"error,omitempty"`
}

// Return codes StackStorm gives a timed-out action and reads as statuses.
const (
	timeoutReturnCode = -9  // -SIGKILL
	abandonReturnCode = -15 // -SIGTERM
	sudoFailedCode    = -1
)

// ioGrace bounds how long output pipes may stay open after the process
// group was killed (a process that left the group can hold them).
const ioGrace = 2 * time.Second

// maxPasswordLen keeps the sudo password within one pipe buffer, so writing
// it before the process starts cannot block.
const maxPasswordLen = 4096

type execSpec struct {
	line     string
	cwd      string
	env      []string
	password *string
	timeout  *timeoutValue
	output   func(stream, line string)
	started  func(pgid int)
}

// buildEnv is st2go's environment, then the env runner parameter, then the
// ST2_ACTION_* variables (exec.Cmd keeps the last of duplicate keys).
// Non-string env values are written as JSON.
func buildEnv(runnerEnv map[string]any, st2 map[string]string) []string {
	env := os.Environ()
	for k, v := range runnerEnv {
		s, ok := v.(string)
		if !ok {
			b, err := json.Marshal(v)
			if err != nil {
				s = py.Str(v)
			} else {
				s = string(b)
			}
		}
		env = append(env, k+"="+s)
	}
	for k, v := range st2 {
		env = append(env, k+"="+v)
	}
	return env
}

// execute runs the command line with the shell and waits for it, its output
// pipes, the timeout or ctx.
func execute(ctx context.Context, opts Options, s execSpec) (*runner.Result, error) {
	if ctx.Err() != nil {
		return finish(model.StatusCanceled, timeoutReturnCode, "", "", ""), nil
	}
	outR, outW, err := os.Pipe()
	if err != nil {
		return nil, fmt.Errorf("creating stdout pipe: %w", err)
	}
	errR, errW, err := os.Pipe()
	if err != nil {
		closeAll(outR, outW)
		return nil, fmt.Errorf("creating stderr pipe: %w", err)
	}
	// The command line reaches the shell on file descriptor 3, not in its
	// argv, so parameter values rendered into it (secrets included) are
	// not on any command line that ps shows.
	lineR, lineW, err := os.Pipe()
	if err != nil {
		closeAll(outR, outW, errR, errW)
		return nil, fmt.Errorf("creating command pipe: %w", err)
	}
	go func() {
		lineW.WriteString(s.line + "\n")
		lineW.Close()
	}()
	cmd := &exec.Cmd{
		Path:        opts.Shell,
		Args:        []string{opts.Shell, "-c", ". /dev/fd/3"},
		Env:         s.env,
		Dir:         s.cwd,
		Stdout:      outW,
		Stderr:      errW,
		ExtraFiles:  []*os.File{lineR},
		SysProcAttr: &syscall.SysProcAttr{Setsid: true},
	}
	var inR *os.File
	if s.password != nil {
		// The password reaches sudo -S through a pipe filled before the
		// process starts: it is never part of any command line.
		if len(*s.password) > maxPasswordLen {
			closeAll(outR, outW, errR, errW)
			return nil, errors.New("sudo_password is too long")
		}
		var inW *os.File
		if inR, inW, err = os.Pipe(); err != nil {
			closeAll(outR, outW, errR, errW)
			return nil, fmt.Errorf("creating stdin pipe: %w", err)
		}
		_, werr := inW.WriteString(*s.password + "\n")
		closeAll(inW)
		if werr != nil {
			closeAll(outR, outW, errR, errW, inR)
			return nil, fmt.Errorf("writing sudo password: %w", werr)
		}
		cmd.Stdin = inR
	}
	err = cmd.Start()
	closeAll(outW, errW, lineR)
	if inR != nil {
		closeAll(inR)
	}
	if err != nil {
		closeAll(outR, errR)
		return nil, fmt.Errorf("starting %s: %w", opts.Shell, err)
	}
	if s.started != nil {
		s.started(cmd.Process.Pid) // Setsid: the shell leads its own group
	}

	var (
		outMu          sync.Mutex // serialises Output calls
		stdout, stderr strings.Builder
		readers        sync.WaitGroup
	)
	read := func(f *os.File, stream string, buf *strings.Builder) {
		defer readers.Done()
		br := bufio.NewReaderSize(f, 32*1024)
		for {
			line, err := br.ReadString('\n')
			if line != "" {
				buf.WriteString(line)
				if s.output != nil {
					outMu.Lock()
					s.output(stream, line)
					outMu.Unlock()
				}
			}
			if err != nil {
				return
			}
		}
	}
	readers.Add(2)
	go read(outR, "stdout", &stdout)
	go read(errR, "stderr", &stderr)
	readersDone := make(chan struct{})
	go func() { readers.Wait(); close(readersDone) }()
	procDone := make(chan error, 1)
	go func() { procDone <- cmd.Wait() }()

	var timer <-chan time.Time
	if s.timeout != nil {
		t := time.NewTimer(max(s.timeout.d, 0))
		defer t.Stop()
		timer = t.C
	}

	// Wait for the process and both pipes; a timeout or cancel stops the
	// whole process group. Until the pipes close the action is still
	// running, even if the shell itself has exited (a background child
	// holds them).
	var (
		exited, drained bool
		stopped         model.Status // timeout or canceled, when we stopped it
		waitErr         error
	)
	for !exited || !drained {
		select {
		case waitErr = <-procDone:
			exited = true
		case <-readersDone:
			drained = true
			readersDone = nil
		case <-timer:
			stopped = model.StatusTimeout
		case <-ctx.Done():
			stopped = model.StatusCanceled
		}
		if stopped != "" {
			break
		}
	}
	if stopped != "" {
		pgid := cmd.Process.Pid
		_ = syscall.Kill(-pgid, syscall.SIGTERM)
		if !exited {
			select {
			case waitErr = <-procDone:
			case <-time.After(opts.KillGrace):
				_ = syscall.Kill(-pgid, syscall.SIGKILL)
				waitErr = <-procDone
			}
			exited = true
		}
		// Whatever is left of the group (children that ignored SIGTERM).
		_ = syscall.Kill(-pgid, syscall.SIGKILL)
		if !drained {
			select {
			case <-readersDone:
			case <-time.After(ioGrace):
				closeAll(outR, errR) // unblocks the readers
				<-readersDone
			}
		}
	}
	closeAll(outR, errR)

	code := exitCode(cmd.ProcessState, waitErr)
	errText := ""
	status := statusFor(code)
	switch stopped {
	case model.StatusTimeout:
		code = timeoutReturnCode
		status = model.StatusTimeout
		errText = fmt.Sprintf("Action failed to complete in %s seconds", s.timeout.text)
	case model.StatusCanceled:
		status = model.StatusCanceled
	}
	errOut := stderr.String()
	if s.password != nil && sudoBadPassword.MatchString(errOut) {
		who := "unknown"
		if m := sudoPrompt.FindStringSubmatch(errOut); m != nil {
			who = m[1]
		}
		errText = fmt.Sprintf("Invalid sudo password provided or sudo is not configured for this user (%s)", who)
		code = sudoFailedCode
		if stopped == "" {
			status = statusFor(code)
		}
	}
	return finish(status, code, stdout.String(), errOut, errText), nil
}

var (
	sudoBadPassword = regexp.MustCompile(`sudo: \d+ incorrect password attempts?`)
	sudoPrompt      = regexp.MustCompile(`\[sudo\] password for (.+?):`)
)

// exitCode is the return code the way Python reports it: the exit status,
// or minus the signal that killed the process.
func exitCode(ps *os.ProcessState, waitErr error) int {
	if ps == nil {
		return -1
	}
	if ws, ok := ps.Sys().(syscall.WaitStatus); ok && ws.Signaled() {
		return -int(ws.Signal())
	}
	return ps.ExitCode()
}

// statusFor maps a return code to a status as StackStorm's local runner
// does: 0 succeeded, -9 (SIGKILL) timeout, -15 (SIGTERM) abandoned, any
// other failed.
func statusFor(code int) model.Status {
	switch code {
	case 0:
		return model.StatusSucceeded
	case timeoutReturnCode:
		return model.StatusTimeout
	case abandonReturnCode:
		return model.StatusAbandoned
	}
	return model.StatusFailed
}

func finish(status model.Status, code int, stdout, stderr, errText string) *runner.Result {
	ok := code == 0
	return &runner.Result{
		Status: status,
		Output: &ShellResult{
			Failed:     !ok,
			Succeeded:  ok,
			ReturnCode: code,
			Stdout:     jsonOrText(stripShellChars(stdout)),
			Stderr:     jsonOrText(stripShellChars(stderr)),
			Error:      errText,
		},
	}
}

// stripShellChars drops one trailing "\n" and then one trailing "\r"
// (StackStorm's strip_shell_chars).
func stripShellChars(s string) string {
	s = strings.TrimSuffix(s, "\n")
	return strings.TrimSuffix(s, "\r")
}

// jsonOrText returns the text as a JSON value when it is a JSON document
// (StackStorm runs json.loads over stdout and stderr and keeps what parses).
func jsonOrText(s string) any {
	if s != "" && json.Valid([]byte(s)) {
		return json.RawMessage(s)
	}
	return s
}

func closeAll(files ...*os.File) {
	for _, f := range files {
		_ = f.Close()
	}
}
