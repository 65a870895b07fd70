// Package python is StackStorm's python-script runner: it runs a pack's
// Python action class in a child Python process through st2go's wrapper
// script (contrib/python's st2go_action_wrapper.py), passing parameters
// on stdin and the pack config in the environment, and reads the result
// back from between StackStorm's delimiter lines on stdout.
//
// Package builtin registers it; only builtin (and tests) import this package.
package python

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"time"

	compat "github.com/st2go/st2go/contrib/python"
	"github.com/st2go/st2go/internal/model"
	"github.com/st2go/st2go/internal/runner"
)

// ResultDelimiter surrounds the action's result on the wrapper's stdout.
const ResultDelimiter = "%%%%%~=~=~=************=~=~=~%%%%"

// invalidStatusExitCode is the wrapper's exit code for a (non-bool, x) tuple.
const invalidStatusExitCode = 220

// timeoutExitCode is the exit code StackStorm reports for a killed action.
const timeoutExitCode = -9

const (
	compatRoot    = "st2go_compat"
	wrapperScript = "st2go_action_wrapper.py"
	configEnv     = "ST2GO_ACTION_CONFIG"
	logLevelEnv   = "ST2GO_ACTION_LOG_LEVEL"
	defaultTO     = 600
	ioGrace       = 2 * time.Second
)

// Options configure the runner. The zero value works.
type Options struct {
	// PythonBinary is [actionrunner] python_binary (default python3).
	PythonBinary string
	// BasePath is [system] base_path; a pack's virtualenv
	// <BasePath>/virtualenvs/<pack>/bin/python is used when it exists.
	BasePath string
	// Dir is where the compatibility package is written (default a
	// temporary directory made on first use).
	Dir string
	// PackConfig returns a pack's config for self.config; nil gives {}.
	PackConfig func(ctx context.Context, pack string) (map[string]any, error)
	// KillGrace is how long a stopped action gets between SIGTERM and
	// SIGKILL (default 5 s).
	KillGrace time.Duration
}

// Result is the python-script result document, in StackStorm's shape.
type Result struct {
	Result   any    `json:"result"`
	ExitCode int    `json:"exit_code"`
	Stdout   string `json:"stdout"`
	Stderr   string `json:"stderr"`
	Error    string `json:"error,omitempty"`
}

// Runner runs python-script actions.
type Runner struct {
	opts Options
	once sync.Once
	root string
	err  error
}

// New returns a python-script runner.
func New(opts Options) *Runner {
	if opts.PythonBinary == "" {
		opts.PythonBinary = "python3"
	}
	if opts.KillGrace <= 0 {
		opts.KillGrace = 5 * time.Second
	}
	return &Runner{opts: opts}
}

// compatDir writes the compatibility package once and returns its root.
func (r *Runner) compatDir() (string, error) {
	r.once.Do(func() {
		dir := r.opts.Dir
		if dir == "" {
			d, err := os.MkdirTemp("", "st2go-python-")
			if err != nil {
				r.err = fmt.Errorf("creating python package directory: %w", err)
				return
			}
			dir = d
		}
		r.root, r.err = writePackage(dir)
	})
	return r.root, r.err
}

// writePackage copies compat.FS into dir (write beside, then rename) and
// returns the directory to put on PYTHONPATH.
func writePackage(dir string) (string, error) {
	err := fs.WalkDir(compat.FS, compatRoot, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		dest := filepath.Join(dir, filepath.FromSlash(path))
		if d.IsDir() {
			return os.MkdirAll(dest, 0o755)
		}
		b, err := fs.ReadFile(compat.FS, path)
		if err != nil {
			return err
		}
		tmp, err := os.CreateTemp(filepath.Dir(dest), ".tmp-*")
		if err != nil {
			return err
		}
		_, werr := tmp.Write(b)
		cerr := tmp.Close()
		if err := errors.Join(werr, cerr); err != nil {
			os.Remove(tmp.Name())
			return err
		}
		if err := os.Chmod(tmp.Name(), 0o644); err != nil {
			os.Remove(tmp.Name())
			return err
		}
		return os.Rename(tmp.Name(), dest)
	})
	if err != nil {
		return "", fmt.Errorf("writing python package to %s: %w", dir, err)
	}
	return filepath.Join(dir, compatRoot), nil
}

// Run runs the action and waits for it, its timeout or ctx.
func (r *Runner) Run(ctx context.Context, req *runner.Request) (*runner.Result, error) {
	if req.EntryPoint == "" {
		return nil, errors.New("running python action: the action has no entry_point")
	}
	root, err := r.compatDir()
	if err != nil {
		return nil, err
	}
	pack := ""
	if req.Action != nil {
		pack = req.Action.Pack
	}
	timeout := defaultTO
	if v, ok := req.RunnerParams["timeout"]; ok && v != nil {
		n, ok := toInt(v)
		if !ok {
			return nil, fmt.Errorf("running python action: timeout %v is not an integer", v)
		}
		timeout = n
	}
	params := req.ActionParams
	if params == nil {
		params = map[string]any{}
	}
	paramJSON, err := json.Marshal(params)
	if err != nil {
		return nil, fmt.Errorf("encoding python action parameters: %w", err)
	}
	config := map[string]any{}
	if r.opts.PackConfig != nil && pack != "" {
		c, err := r.opts.PackConfig(ctx, pack)
		if err != nil {
			return nil, fmt.Errorf("reading config of pack %q: %w", pack, err)
		}
		if c != nil {
			config = c
		}
	}
	configJSON, err := json.Marshal(config)
	if err != nil {
		return nil, fmt.Errorf("encoding config of pack %q: %w", pack, err)
	}
	python := r.opts.PythonBinary
	env := os.Environ()
	if r.opts.BasePath != "" && pack != "" {
		venv := filepath.Join(r.opts.BasePath, "virtualenvs", pack)
		if st, err := os.Stat(filepath.Join(venv, "bin", "python")); err == nil && !st.IsDir() {
			python = filepath.Join(venv, "bin", "python")
			env = append(env, "PATH="+filepath.Join(venv, "bin")+string(os.PathListSeparator)+os.Getenv("PATH"), "VIRTUAL_ENV="+venv)
		}
	}
	if m, ok := req.RunnerParams["env"].(map[string]any); ok {
		for k, v := range m {
			if k == "PYTHONPATH" {
				continue // as in StackStorm, env cannot override PYTHONPATH
			}
			s, ok := v.(string)
			if !ok {
				b, _ := json.Marshal(v)
				s = string(b)
			}
			env = append(env, k+"="+s)
		}
	}
	for k, v := range req.Env {
		env = append(env, k+"="+v)
	}
	if v := req.Env["ST2_ACTION_API_URL"]; v != "" {
		env = append(env, "ST2_API_URL="+v)
	}
	if v := req.Env["ST2_ACTION_AUTH_TOKEN"]; v != "" {
		env = append(env, "ST2_AUTH_TOKEN="+v)
	}
	pyPath := []string{root, filepath.Dir(req.EntryPoint)}
	if req.PackPath != "" {
		if lib := filepath.Join(req.PackPath, "actions", "lib"); isDir(lib) {
			pyPath = append(pyPath, lib)
		}
	}
	logLevel, _ := req.RunnerParams["log_level"].(string)
	if logLevel == "" {
		logLevel = "DEBUG"
	}
	env = append(env, "PYTHONPATH="+strings.Join(pyPath, string(os.PathListSeparator)),
		"PYTHONUNBUFFERED=1", configEnv+"="+string(configJSON), logLevelEnv+"="+logLevel)

	if ctx.Err() != nil {
		return &runner.Result{Status: model.StatusCanceled, Output: &Result{Result: "None", ExitCode: timeoutExitCode}}, nil
	}
	cmd := exec.Command(python, "-u", filepath.Join(root, wrapperScript), pack, req.EntryPoint)
	cmd.Env = env
	cmd.Dir = filepath.Dir(req.EntryPoint)
	cmd.Stdin = strings.NewReader(string(paramJSON))
	cmd.SysProcAttr = &syscall.SysProcAttr{Setsid: true}
	outR, outW, err := os.Pipe()
	if err != nil {
		return nil, fmt.Errorf("creating stdout pipe: %w", err)
	}
	errR, errW, err := os.Pipe()
	if err != nil {
		outR.Close()
		outW.Close()
		return nil, fmt.Errorf("creating stderr pipe: %w", err)
	}
	cmd.Stdout, cmd.Stderr = outW, errW
	err = cmd.Start()
	outW.Close()
	errW.Close()
	if err != nil {
		outR.Close()
		errR.Close()
		return nil, fmt.Errorf("starting %s: %w", python, err)
	}
	pgid := cmd.Process.Pid
	if req.Started != nil {
		req.Started(pgid)
	}

	var (
		outMu          sync.Mutex
		stdout, stderr strings.Builder
		readers        sync.WaitGroup
	)
	emit := func(stream, line string) {
		if req.Output == nil || line == "" {
			return
		}
		outMu.Lock()
		req.Output(stream, line)
		outMu.Unlock()
	}
	read := func(f *os.File, stream string, buf *strings.Builder, filter bool) {
		defer readers.Done()
		br := bufio.NewReaderSize(f, 32*1024)
		inResult := false
		for {
			line, err := br.ReadString('\n')
			if line != "" {
				buf.WriteString(line)
				if filter {
					inResult = streamFiltered(line, inResult, func(s string) { emit(stream, s) })
				} else {
					emit(stream, line)
				}
			}
			if err != nil {
				return
			}
		}
	}
	readers.Add(2)
	go read(outR, "stdout", &stdout, true)
	go read(errR, "stderr", &stderr, false)
	readersDone := make(chan struct{})
	go func() { readers.Wait(); close(readersDone) }()
	procDone := make(chan error, 1)
	go func() { procDone <- cmd.Wait() }()
	timer := time.NewTimer(time.Duration(max(timeout, 0)) * time.Second)
	defer timer.Stop()

	var (
		exited, drained bool
		stopped         model.Status
	)
	for (!exited || !drained) && stopped == "" {
		select {
		case <-procDone:
			exited = true
		case <-readersDone:
			drained = true
			readersDone = nil
		case <-timer.C:
			stopped = model.StatusTimeout
		case <-ctx.Done():
			stopped = model.StatusCanceled
		}
	}
	if stopped != "" {
		_ = syscall.Kill(-pgid, syscall.SIGTERM)
		if !exited {
			select {
			case <-procDone:
			case <-time.After(r.opts.KillGrace):
				_ = syscall.Kill(-pgid, syscall.SIGKILL)
				<-procDone
			}
		}
		_ = syscall.Kill(-pgid, syscall.SIGKILL)
		if !drained {
			select {
			case <-readersDone:
			case <-time.After(ioGrace):
				outR.Close()
				errR.Close()
				<-readersDone
			}
		}
	}
	outR.Close()
	errR.Close()

	code := exitCode(cmd.ProcessState)
	if stopped != "" {
		code = timeoutExitCode
	}
	return buildResult(code, stdout.String(), stderr.String(), stopped, timeout), nil
}

// streamFiltered passes the parts of one stdout line outside the result
// section to emit and returns whether the section is still open.
func streamFiltered(line string, inResult bool, emit func(string)) bool {
	for line != "" {
		i := strings.Index(line, ResultDelimiter)
		if i < 0 {
			if !inResult {
				emit(line)
			}
			return inResult
		}
		if !inResult && i > 0 {
			emit(line[:i])
		}
		inResult = !inResult
		line = line[i+len(ResultDelimiter):]
	}
	return inResult
}

// buildResult splits the result out of stdout and decides the status as
// StackStorm's python runner does.
func buildResult(code int, stdout, stderr string, stopped model.Status, timeout int) *runner.Result {
	out := &Result{ExitCode: code, Stdout: stdout, Stderr: stderr, Result: "None"}
	var actionStatus *bool
	if parts := strings.Split(stdout, ResultDelimiter); len(parts) == 3 {
		out.Stdout = parts[0] + parts[2]
		raw := strings.TrimSpace(parts[1])
		var doc struct {
			Result json.RawMessage `json:"result"`
			Status *bool           `json:"status"`
		}
		if raw != "" {
			if err := json.Unmarshal([]byte(raw), &doc); err == nil {
				out.Result = nil
				if len(doc.Result) > 0 && string(doc.Result) != "null" {
					out.Result = doc.Result
				}
				actionStatus = doc.Status
			} else {
				out.Result = raw
			}
		}
	}
	status := model.StatusFailed
	switch {
	case actionStatus != nil:
		if code == 0 && *actionStatus {
			status = model.StatusSucceeded
		}
	case code == 0:
		status = model.StatusSucceeded
	}
	if code == invalidStatusExitCode {
		out.Error = strings.TrimSpace(stderr)
		status = model.StatusFailed
	}
	switch stopped {
	case model.StatusTimeout:
		status = model.StatusTimeout
		out.Error = fmt.Sprintf("Action failed to complete in %d seconds", timeout)
	case model.StatusCanceled:
		status = model.StatusCanceled
	}
	return &runner.Result{Status: status, Output: out}
}

func exitCode(ps *os.ProcessState) int {
	if ps == nil {
		return -1
	}
	if ws, ok := ps.Sys().(syscall.WaitStatus); ok && ws.Signaled() {
		return -int(ws.Signal())
	}
	return ps.ExitCode()
}

func toInt(v any) (int, bool) {
	switch n := v.(type) {
	case int:
		return n, true
	case int64:
		return int(n), true
	case float64:
		if n == float64(int(n)) {
			return int(n), true
		}
	case json.Number:
		i, err := n.Int64()
		return int(i), err == nil
	}
	return 0, false
}

func isDir(p string) bool {
	st, err := os.Stat(p)
	return err == nil && st.IsDir()
}
