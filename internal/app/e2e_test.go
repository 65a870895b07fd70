package app_test

import (
	"bufio"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/st2go/st2go/internal/app/apptest"
)

const wait = 30 * time.Second

func TestLocalCommand(t *testing.T) {
	s := apptest.Start(t, apptest.Options{})
	cases := []struct {
		name       string
		params     map[string]any
		status     string
		stdout     string
		returnCode int
	}{
		{"echo", map[string]any{"cmd": "echo hello"}, "succeeded", "hello", 0},
		{"exit 3", map[string]any{"cmd": "exit 3"}, "failed", "", 3},
		{"stderr", map[string]any{"cmd": "echo oops >&2; exit 1"}, "failed", "", 1},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			e := s.Wait(t, s.Run(t, "core.local", c.params).ID, wait)
			if e.Status != c.status {
				t.Fatalf("status %s, want %s: %s", e.Status, c.status, e)
			}
			r := apptest.ShellResultOf(t, e)
			if r.ReturnCode != c.returnCode || (c.stdout != "" && r.Stdout != c.stdout) {
				t.Fatalf("result %+v, want stdout %q return_code %d", r, c.stdout, c.returnCode)
			}
			var statuses []string
			for _, l := range e.Log {
				statuses = append(statuses, l.Status)
			}
			if got := strings.Join(statuses, ","); got != "requested,scheduled,running,"+c.status {
				t.Fatalf("log %s", got)
			}
		})
	}
}

func TestTimeoutKillsCommand(t *testing.T) {
	s := apptest.Start(t, apptest.Options{})
	e := s.Wait(t, s.Run(t, "core.local", map[string]any{"cmd": "sleep 5", "timeout": 1}).ID, wait)
	if e.Status != "timeout" {
		t.Fatalf("status %s, want timeout: %s", e.Status, e)
	}
}

func TestCoreActions(t *testing.T) {
	s := apptest.Start(t, apptest.Options{})
	e := s.Wait(t, s.Run(t, "core.echo", map[string]any{"message": "hi there"}).ID, wait)
	if r := apptest.ShellResultOf(t, e); e.Status != "succeeded" || r.Stdout != "hi there" {
		t.Fatalf("core.echo: %s", e)
	}
	e = s.Wait(t, s.Run(t, "core.noop", nil).ID, wait)
	if e.Status != "succeeded" {
		t.Fatalf("core.noop: %s", e)
	}
	// A runner st2go knows but has not built yet fails clearly.
	e = s.Wait(t, s.Run(t, "core.remote", map[string]any{"cmd": "true", "hosts": "localhost"}).ID, wait)
	if r := apptest.ShellResultOf(t, e); e.Status != "failed" || !strings.Contains(r.Error, "not available") {
		t.Fatalf("core.remote: %s", e)
	}
}

func TestBadRequests(t *testing.T) {
	s := apptest.Start(t, apptest.Options{})
	cases := []struct {
		name   string
		body   map[string]any
		status int
		fault  string
	}{
		{"unknown action", map[string]any{"action": "core.nope"}, 400, "core.nope"},
		{"missing required", map[string]any{"action": "core.local", "parameters": map[string]any{}}, 400, "cmd"},
		{"wrong type", map[string]any{"action": "core.local", "parameters": map[string]any{"cmd": "true", "timeout": "soon"}}, 400, "timeout"},
		{"immutable override", map[string]any{"action": "core.local_sudo", "parameters": map[string]any{"cmd": "true", "sudo": false}}, 400, "sudo"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			var body struct {
				Faultstring string `json:"faultstring"`
			}
			code := s.Do(t, "POST", "/executions", c.body, &body)
			if code != c.status || !strings.Contains(body.Faultstring, c.fault) {
				t.Fatalf("got %d %q, want %d mentioning %q", code, body.Faultstring, c.status, c.fault)
			}
		})
	}
	var list []apptest.Execution
	s.Do(t, "GET", "/executions", nil, &list)
	if len(list) != 0 {
		t.Fatalf("refused requests left %d executions behind", len(list))
	}
}

func TestCancelRunning(t *testing.T) {
	s := apptest.Start(t, apptest.Options{})
	e := s.Run(t, "core.local", map[string]any{"cmd": "sleep 30"})
	s.WaitStatus(t, e.ID, "running", wait)
	var out apptest.Execution
	if code := s.Do(t, "DELETE", "/executions/"+e.ID, nil, &out); code != http.StatusOK {
		t.Fatalf("cancel: %d", code)
	}
	if got := s.Wait(t, e.ID, wait); got.Status != "canceled" {
		t.Fatalf("after cancel: %s", got)
	}
}

func TestReRun(t *testing.T) {
	s := apptest.Start(t, apptest.Options{})
	first := s.Wait(t, s.Run(t, "core.local", map[string]any{"cmd": "echo one"}).ID, wait)
	var again apptest.Execution
	if code := s.Do(t, "POST", "/executions/"+first.ID+"/re_run", map[string]any{"parameters": map[string]any{"cmd": "echo two"}}, &again); code != http.StatusCreated {
		t.Fatalf("re_run: %d", code)
	}
	done := s.Wait(t, again.ID, wait)
	if r := apptest.ShellResultOf(t, done); r.Stdout != "two" {
		t.Fatalf("re-run result %s", done)
	}
	if rr, _ := done.Context["re-run"].(map[string]any); rr["ref"] != first.ID {
		t.Fatalf("re-run context %v", done.Context)
	}
}

// TestOutputStreamsWhileRunning reads the live output stream and sees the
// first line before the command has written the second.
func TestOutputStreamsWhileRunning(t *testing.T) {
	s := apptest.Start(t, apptest.Options{})
	gate := t.TempDir() + "/go-on"
	e := s.Run(t, "core.local", map[string]any{"cmd": "echo first; while [ ! -e " + gate + " ]; do sleep 0.05; done; echo second"})
	resp, err := http.Get(s.StreamURL + "/v1/stream?events=st2.execution.output__create,st2.execution__update&end_event=st2.execution__update&end_execution_id=" + e.ID)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	sc := bufio.NewScanner(resp.Body)
	var seen []string
	for sc.Scan() {
		line := sc.Text()
		if !strings.HasPrefix(line, "data: ") || !strings.Contains(line, `"output_type"`) {
			continue
		}
		switch {
		case strings.Contains(line, `"first\n"`):
			seen = append(seen, "first")
			// Only now let the command go on: the line arrived while it ran.
			if err := writeFile(gate); err != nil {
				t.Fatal(err)
			}
		case strings.Contains(line, `"second\n"`):
			seen = append(seen, "second")
		}
	}
	if strings.Join(seen, ",") != "first,second" {
		t.Fatalf("stream lines %v", seen)
	}
	var text string
	resp2, err := http.Get(s.APIURL + "/api/v1/executions/" + e.ID + "/output")
	if err != nil {
		t.Fatal(err)
	}
	defer resp2.Body.Close()
	b := new(strings.Builder)
	bufio.NewReader(resp2.Body).WriteTo(b)
	text = b.String()
	if text != "first\nsecond\n" {
		t.Fatalf("stored output %q", text)
	}
}

// TestTailReplaysEarlierOutput connects to the stream after the command
// printed its first line: the line is replayed, then live lines follow,
// each once.
func TestTailReplaysEarlierOutput(t *testing.T) {
	s := apptest.Start(t, apptest.Options{})
	gate := t.TempDir() + "/go-on"
	e := s.Run(t, "core.local", map[string]any{"cmd": "echo early; while [ ! -e " + gate + " ]; do sleep 0.05; done; echo late"})
	deadline := time.Now().Add(wait)
	for {
		resp, err := http.Get(s.APIURL + "/api/v1/executions/" + e.ID + "/output")
		if err != nil {
			t.Fatal(err)
		}
		b := new(strings.Builder)
		bufio.NewReader(resp.Body).WriteTo(b)
		resp.Body.Close()
		if b.String() == "early\n" {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("first line never stored")
		}
		time.Sleep(20 * time.Millisecond)
	}
	resp, err := http.Get(s.StreamURL + "/v1/stream?events=st2.execution.output__create,st2.execution__update&end_event=st2.execution__update&end_execution_id=" + e.ID)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	sc := bufio.NewScanner(resp.Body)
	var lines []string
	for sc.Scan() {
		line := sc.Text()
		if !strings.HasPrefix(line, "data: ") || !strings.Contains(line, `"output_type"`) {
			continue
		}
		for _, w := range []string{"early", "late"} {
			if strings.Contains(line, `"`+w+`\n"`) {
				lines = append(lines, w)
				if w == "early" {
					writeFile(gate)
				}
			}
		}
	}
	if strings.Join(lines, ",") != "early,late" {
		t.Fatalf("stream lines %v", lines)
	}
}

// TestStreamHeartbeat waits for the keep-alive StackStorm's stream sends
// every [stream] heartbeat seconds (here 1).
func TestStreamHeartbeat(t *testing.T) {
	s := apptest.Start(t, apptest.Options{Env: []string{"ST2_STREAM__HEARTBEAT=1"}})
	resp, err := http.Get(s.StreamURL + "/v1/stream")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if ct := resp.Header.Get("Content-Type"); !strings.HasPrefix(ct, "text/event-stream") {
		t.Fatalf("content type %q", ct)
	}
	got := make(chan string, 1)
	go func() {
		b := make([]byte, 16)
		n, _ := resp.Body.Read(b)
		got <- string(b[:n])
	}()
	select {
	case b := <-got:
		if b != "\n" {
			t.Fatalf("first bytes %q, want a heartbeat", b)
		}
	case <-time.After(wait):
		t.Fatal("no heartbeat")
	}
}

// TestExecutionOutputStream reads /executions/<id>/output on the stream
// (running and finished) and checks both mounts.
func TestExecutionOutputStream(t *testing.T) {
	s := apptest.Start(t, apptest.Options{})
	gate := t.TempDir() + "/go-on"
	e := s.Run(t, "core.local", map[string]any{"cmd": "echo a; while [ ! -e " + gate + " ]; do sleep 0.05; done; echo b >&2"})
	s.WaitStatus(t, e.ID, "running", wait)
	read := func(url string, onFirst func()) []string {
		resp, err := http.Get(url)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		var events []string
		sc := bufio.NewScanner(resp.Body)
		for sc.Scan() {
			line := sc.Text()
			switch {
			case line == "event: EOF":
				events = append(events, "EOF")
			case strings.Contains(line, `"data":"a\n"`):
				events = append(events, "a")
				if onFirst != nil {
					onFirst()
				}
			case strings.Contains(line, `"data":"b\n"`):
				events = append(events, "b")
			}
		}
		return events
	}
	live := read(s.StreamURL+"/v1/executions/"+e.ID+"/output", func() { writeFile(gate) })
	if strings.Join(live, ",") != "a,b,EOF" {
		t.Fatalf("live output events %v", live)
	}
	s.Wait(t, e.ID, wait)
	done := read(s.APIURL+"/stream/v1/executions/"+e.ID+"/output?output_type=stderr", nil)
	if strings.Join(done, ",") != "b,EOF" {
		t.Fatalf("finished stderr output events %v", done)
	}
}
