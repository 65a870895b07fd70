// Package apptest boots a whole st2d in-process for tests: embedded store
// in a temporary directory, in-process bus, listeners on free loopback
// ports. It is the functional-test harness every end-to-end test uses.
package apptest

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/st2go/st2go/internal/app"
	"github.com/st2go/st2go/internal/config"
)

// Server is a running st2d.
type Server struct {
	App *app.App
	// Home is the st2go home directory (base_path) of this server.
	Home string
	// APIURL is http://host:port of the API listener.
	APIURL    string
	StreamURL string
	AuthURL   string
}

// Options tune the server. Env entries are ST2_<GROUP>__<OPTION>=value
// overrides on top of the embedded defaults.
type Options struct {
	Env  []string
	Home string // reuse a home directory (restart tests); default a new temp dir
}

// Start boots st2d and stops it when the test ends.
func Start(t testing.TB, opts Options) *Server {
	t.Helper()
	home := opts.Home
	if home == "" {
		home = t.TempDir()
	}
	env := append([]string{"ST2GO_HOME=" + home, "HOME=" + home}, opts.Env...)
	cfg, warnings, err := config.Load("", env)
	if err != nil {
		t.Fatalf("loading config: %v", err)
	}
	for _, w := range warnings {
		t.Logf("config warning: %s", w)
	}
	ctx, cancel := context.WithCancel(context.Background())
	a, err := app.New(ctx, app.Options{
		Config: cfg, Logger: slog.New(slog.NewTextHandler(testWriter{t}, &slog.HandlerOptions{Level: slog.LevelWarn})),
		Listen: map[string]string{"api": "127.0.0.1:0", "auth": "127.0.0.1:0", "stream": "127.0.0.1:0"},
	})
	if err != nil {
		cancel()
		t.Fatalf("starting st2d: %v", err)
	}
	done := make(chan error, 1)
	go func() { done <- a.Run(ctx) }()
	select {
	case <-a.Ready():
	case err := <-done:
		cancel()
		t.Fatalf("st2d stopped while starting: %v", err)
	}
	t.Cleanup(func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("st2d stopped with: %v", err)
		}
	})
	return &Server{App: a, Home: home, APIURL: a.APIURL(), StreamURL: "http://" + a.Addr("stream"), AuthURL: "http://" + a.Addr("auth")}
}

type testWriter struct{ t testing.TB }

func (w testWriter) Write(p []byte) (int, error) {
	w.t.Log(strings.TrimRight(string(p), "\n"))
	return len(p), nil
}

// Do sends a JSON request to the API (path under /api/v1) and decodes the
// JSON answer into out (when not nil). It returns the status code.
func (s *Server) Do(t testing.TB, method, path string, body, out any) int {
	t.Helper()
	var rd io.Reader
	if body != nil {
		b, err := json.Marshal(body)
		if err != nil {
			t.Fatal(err)
		}
		rd = bytes.NewReader(b)
	}
	req, err := http.NewRequest(method, s.APIURL+"/api/v1"+path, rd)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", method, path, err)
	}
	defer resp.Body.Close()
	data, _ := io.ReadAll(resp.Body)
	if out != nil && len(data) > 0 {
		if err := json.Unmarshal(data, out); err != nil {
			t.Fatalf("%s %s: decoding %q: %v", method, path, data, err)
		}
	}
	return resp.StatusCode
}

// Execution is the part of an execution document tests look at.
type Execution struct {
	ID         string          `json:"id"`
	Status     string          `json:"status"`
	Result     json.RawMessage `json:"result"`
	Parameters map[string]any  `json:"parameters"`
	Context    map[string]any  `json:"context"`
	Log        []struct {
		Status string `json:"status"`
	} `json:"log"`
}

// ShellResult is a shell runner's result.
type ShellResult struct {
	Stdout     any    `json:"stdout"`
	Stderr     string `json:"stderr"`
	ReturnCode int    `json:"return_code"`
	Succeeded  bool   `json:"succeeded"`
	Failed     bool   `json:"failed"`
	Error      string `json:"error"`
}

// Run requests an execution and returns it as created (status requested).
func (s *Server) Run(t testing.TB, action string, params map[string]any) Execution {
	t.Helper()
	var e Execution
	if code := s.Do(t, "POST", "/executions", map[string]any{"action": action, "parameters": params}, &e); code != http.StatusCreated {
		t.Fatalf("POST /executions %s: status %d", action, code)
	}
	return e
}

// Wait polls an execution until it is in a completed status (or the
// timeout passes, which fails the test: a safety net, not an assertion).
func (s *Server) Wait(t testing.TB, id string, timeout time.Duration) Execution {
	t.Helper()
	deadline := time.Now().Add(timeout)
	for {
		var e Execution
		s.Do(t, "GET", "/executions/"+id, nil, &e)
		switch e.Status {
		case "succeeded", "failed", "timeout", "canceled", "abandoned":
			return e
		}
		if time.Now().After(deadline) {
			t.Fatalf("execution %s still %s after %s", id, e.Status, timeout)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// WaitStatus polls until the execution has the given status.
func (s *Server) WaitStatus(t testing.TB, id, status string, timeout time.Duration) Execution {
	t.Helper()
	deadline := time.Now().Add(timeout)
	for {
		var e Execution
		s.Do(t, "GET", "/executions/"+id, nil, &e)
		if e.Status == status {
			return e
		}
		if time.Now().After(deadline) {
			t.Fatalf("execution %s is %s, not %s, after %s", id, e.Status, status, timeout)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// ShellResultOf decodes a shell runner result.
func ShellResultOf(t testing.TB, e Execution) ShellResult {
	t.Helper()
	var r ShellResult
	if err := json.Unmarshal(e.Result, &r); err != nil {
		t.Fatalf("result of %s: %v (%s)", e.ID, err, e.Result)
	}
	return r
}

// String renders an execution for failure messages.
func (e Execution) String() string {
	return fmt.Sprintf("%s %s %s", e.ID, e.Status, e.Result)
}
