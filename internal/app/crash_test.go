package app_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

// st2dProcess is st2d running as a real process, for tests that kill it.
type st2dProcess struct {
	cmd    *exec.Cmd
	apiURL string
	out    *bytes.Buffer
}

var (
	st2dOnce sync.Once
	st2dBin  string
	st2dErr  error
)

// buildST2D builds the st2d binary once per test run.
func buildST2D(t *testing.T) string {
	t.Helper()
	st2dOnce.Do(func() {
		dir, err := os.MkdirTemp("", "st2d-test-")
		if err != nil {
			st2dErr = err
			return
		}
		st2dBin = filepath.Join(dir, "st2d")
		out, err := exec.Command("go", "build", "-o", st2dBin, "github.com/st2go/st2go/cmd/st2d").CombinedOutput()
		if err != nil {
			st2dErr = fmt.Errorf("building st2d: %v\n%s", err, out)
		}
	})
	if st2dErr != nil {
		t.Fatal(st2dErr)
	}
	return st2dBin
}

func freePort(t *testing.T) int {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port
}

func startProcess(t *testing.T, bin, home string, extraEnv ...string) *st2dProcess {
	t.Helper()
	api := freePort(t)
	env := append(os.Environ(), "ST2GO_HOME="+home,
		fmt.Sprintf("ST2_API__PORT=%d", api), fmt.Sprintf("ST2_AUTH__PORT=%d", freePort(t)), fmt.Sprintf("ST2_STREAM__PORT=%d", freePort(t)))
	cmd := exec.Command(bin)
	cmd.Env = append(env, extraEnv...)
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	p := &st2dProcess{cmd: cmd, apiURL: fmt.Sprintf("http://127.0.0.1:%d/api/v1", api), out: &out}
	t.Cleanup(func() {
		if cmd.ProcessState == nil {
			cmd.Process.Kill()
			cmd.Wait()
		}
		if t.Failed() {
			t.Logf("st2d output:\n%s", out.String())
		}
	})
	p.waitUp(t)
	return p
}

// waitUp waits until the API answers (200, or 401 when auth is on).
func (p *st2dProcess) waitUp(t *testing.T) {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for {
		if resp, err := http.Get(p.apiURL + "/actions?limit=1"); err == nil {
			resp.Body.Close()
			if resp.StatusCode == 200 || resp.StatusCode == 401 {
				return
			}
		}
		if time.Now().After(deadline) {
			t.Fatalf("st2d did not start:\n%s", p.out.String())
		}
		time.Sleep(50 * time.Millisecond)
	}
}

func (p *st2dProcess) run(t *testing.T, cmd string) string {
	t.Helper()
	body, _ := json.Marshal(map[string]any{"action": "core.local", "parameters": map[string]any{"cmd": cmd}})
	resp, err := http.Post(p.apiURL+"/executions", "application/json", bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var e struct{ ID string }
	json.NewDecoder(resp.Body).Decode(&e)
	if resp.StatusCode != 201 || e.ID == "" {
		t.Fatalf("POST /executions: %d", resp.StatusCode)
	}
	return e.ID
}

func (p *st2dProcess) status(t *testing.T, id string) (string, string) {
	t.Helper()
	resp, err := http.Get(p.apiURL + "/executions/" + id)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	var e struct {
		Status string          `json:"status"`
		Result json.RawMessage `json:"result"`
	}
	json.Unmarshal(b, &e)
	return e.Status, string(e.Result)
}

func (p *st2dProcess) waitStatus(t *testing.T, id string, want ...string) string {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for {
		st, res := p.status(t, id)
		for _, w := range want {
			if st == w {
				return res
			}
		}
		if time.Now().After(deadline) {
			t.Fatalf("execution %s is %s, want %v", id, st, want)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// TestKill9Recovery kills st2d with SIGKILL while one execution runs and
// another waits for a free runner slot, then restarts it on the same data:
// the running one is marked abandoned, the waiting one runs.
func TestKill9Recovery(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and kills a real st2d")
	}
	bin := buildST2D(t)
	home := t.TempDir()
	pool := "ST2_ACTIONRUNNER__ACTIONS_POOL_SIZE=1"
	p := startProcess(t, bin, home, pool)
	nap := fmt.Sprintf("30.%d", time.Now().UnixNano()%100000)
	running := p.run(t, "echo started; sleep "+nap+"; echo done")
	p.waitStatus(t, running, "running")
	p.waitOutput(t, running, "started\n") // the action's process is surely up
	queued := p.run(t, "echo queued")
	p.waitStatus(t, queued, "scheduled")

	if err := p.cmd.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	p.cmd.Wait()

	p2 := startProcess(t, bin, home, pool)
	res := p2.waitStatus(t, running, "abandoned")
	// The action's process group, left behind by the crash, is gone too.
	if pids := processesWithArgs(t, "sleep", nap); len(pids) != 0 {
		t.Errorf("the crashed execution's process is still running: pids %v", pids)
	}
	if !strings.Contains(res, "abandoned") {
		t.Errorf("abandoned result %s", res)
	}
	res = p2.waitStatus(t, queued, "succeeded")
	if !strings.Contains(res, `"stdout":"queued"`) {
		t.Errorf("queued execution result %s", res)
	}
}

// TestSIGTERMStopsCleanly checks that st2d stops on SIGTERM with exit code 0.
func TestSIGTERMStopsCleanly(t *testing.T) {
	if testing.Short() {
		t.Skip("builds a real st2d")
	}
	bin := buildST2D(t)
	p := startProcess(t, bin, t.TempDir())
	p.cmd.Process.Signal(syscall.SIGTERM)
	done := make(chan error, 1)
	go func() { done <- p.cmd.Wait() }()
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("st2d exit: %v\n%s", err, p.out)
		}
	case <-time.After(20 * time.Second):
		t.Fatal("st2d did not stop on SIGTERM")
	}
	if !strings.Contains(p.out.String(), "ready") {
		t.Fatalf("st2d did not say where it listens:\n%s", p.out)
	}
}

// waitOutput waits until an execution's stored output is want.
func (p *st2dProcess) waitOutput(t *testing.T, id, want string) {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for {
		resp, err := http.Get(p.apiURL + "/executions/" + id + "/output")
		if err == nil {
			b, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			if string(b) == want {
				return
			}
		}
		if time.Now().After(deadline) {
			t.Fatalf("execution %s never printed %q", id, want)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// processesWithArgs lists the pids whose command line is exactly args.
func processesWithArgs(t *testing.T, args ...string) []string {
	t.Helper()
	want := strings.Join(args, "\x00") + "\x00"
	dirs, _ := filepath.Glob("/proc/[0-9]*")
	var pids []string
	for _, d := range dirs {
		b, err := os.ReadFile(d + "/cmdline")
		if err == nil && string(b) == want {
			pids = append(pids, filepath.Base(d))
		}
	}
	return pids
}
