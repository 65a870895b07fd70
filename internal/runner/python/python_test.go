package python

import (
	"context"
	"encoding/json"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/st2go/st2go/internal/model"
	"github.com/st2go/st2go/internal/runner"
)

func needPython(t *testing.T) {
	t.Helper()
	if _, err := exec.LookPath("python3"); err != nil {
		t.Skip("SKIPPING: python3 is not on PATH; the python-script runner cannot be tested")
	}
}

func TestRun(t *testing.T) {
	needPython(t)
	pack, err := filepath.Abs("testdata/pypack")
	if err != nil {
		t.Fatal(err)
	}
	r := New(Options{
		Dir: t.TempDir(),
		PackConfig: func(ctx context.Context, p string) (map[string]any, error) {
			return map[string]any{"token": "s3cret-" + p}, nil
		},
	})
	tests := []struct {
		name         string
		file         string
		params       map[string]any
		runnerParams map[string]any
		status       model.Status
		result       string // JSON of the result field
		exitCode     int
		stdout       string
		stderrHas    string
		errorHas     string
		streamed     string
	}{
		{name: "dict", file: "dict_result.py", params: map[string]any{"name": "x", "count": 2},
			status: model.StatusSucceeded, result: `{"name":"x","count":2}`, stdout: "hello from stdout\n", streamed: "hello from stdout\n"},
		{name: "false tuple", file: "false_tuple.py", status: model.StatusFailed, result: `"why"`},
		{name: "exception", file: "raises.py", status: model.StatusFailed, result: `"None"`, exitCode: 1, stderrHas: "ValueError: boom"},
		{name: "invalid status", file: "bad_status.py", status: model.StatusFailed, result: `"None"`, exitCode: 220, errorHas: "boolean status"},
		{name: "config and env", file: "config.py", runnerParams: map[string]any{"env": map[string]any{"MY_VAR": "v"}},
			status: model.StatusSucceeded, result: `{"token":"s3cret-pypack","leaked":false,"env":"v","exec":"e1"}`},
		{name: "timeout", file: "sleeper.py", runnerParams: map[string]any{"timeout": 1},
			status: model.StatusTimeout, result: `"None"`, exitCode: -9, stdout: "going to sleep\n", errorHas: "failed to complete in 1 seconds"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var mu sync.Mutex
			var streamed strings.Builder
			started := 0
			req := &runner.Request{
				ExecutionID:  "e1",
				Action:       &model.Action{Pack: "pypack", Name: tc.name},
				RunnerParams: tc.runnerParams,
				ActionParams: tc.params,
				PackPath:     pack,
				EntryPoint:   filepath.Join(pack, "actions", tc.file),
				Env:          map[string]string{"ST2_ACTION_EXECUTION_ID": "e1", "ST2_ACTION_PACK_NAME": "pypack"},
				Output: func(stream, line string) {
					mu.Lock()
					defer mu.Unlock()
					if stream == "stdout" {
						streamed.WriteString(line)
					}
				},
				Started: func(pgid int) { started = pgid },
			}
			res, err := r.Run(context.Background(), req)
			if err != nil {
				t.Fatal(err)
			}
			out := res.Output.(*Result)
			if res.Status != tc.status {
				t.Errorf("status = %s, want %s (stderr %q)", res.Status, tc.status, out.Stderr)
			}
			got, _ := json.Marshal(out.Result)
			if string(got) != tc.result {
				t.Errorf("result = %s, want %s", got, tc.result)
			}
			if out.ExitCode != tc.exitCode {
				t.Errorf("exit_code = %d, want %d", out.ExitCode, tc.exitCode)
			}
			if out.Stdout != tc.stdout {
				t.Errorf("stdout = %q, want %q", out.Stdout, tc.stdout)
			}
			if !strings.Contains(out.Stderr, tc.stderrHas) {
				t.Errorf("stderr = %q, want it to contain %q", out.Stderr, tc.stderrHas)
			}
			if !strings.Contains(out.Error, tc.errorHas) || (tc.errorHas == "" && out.Error != "") {
				t.Errorf("error = %q, want %q", out.Error, tc.errorHas)
			}
			if tc.streamed != "" && streamed.String() != tc.streamed {
				t.Errorf("streamed stdout = %q, want %q", streamed.String(), tc.streamed)
			}
			if strings.Contains(streamed.String(), ResultDelimiter) {
				t.Errorf("result section streamed: %q", streamed.String())
			}
			if started <= 0 {
				t.Errorf("Started not called")
			}
		})
	}
}

func TestCancel(t *testing.T) {
	needPython(t)
	pack, _ := filepath.Abs("testdata/pypack")
	r := New(Options{Dir: t.TempDir()})
	ctx, cancel := context.WithCancel(context.Background())
	req := &runner.Request{
		Action:     &model.Action{Pack: "pypack", Name: "sleeper"},
		PackPath:   pack,
		EntryPoint: filepath.Join(pack, "actions", "sleeper.py"),
		Output: func(stream, line string) {
			if strings.Contains(line, "going to sleep") {
				cancel()
			}
		},
	}
	res, err := r.Run(ctx, req)
	if err != nil {
		t.Fatal(err)
	}
	if res.Status != model.StatusCanceled {
		t.Fatalf("status = %s, want canceled", res.Status)
	}
}

func TestStreamFiltered(t *testing.T) {
	tests := []struct {
		lines []string
		want  string
	}{
		{[]string{"a\n", "b" + ResultDelimiter + `{"result": 1}` + "\n", ResultDelimiter}, "a\nb"},
		{[]string{ResultDelimiter + "x" + ResultDelimiter + "tail\n"}, "tail\n"},
		{[]string{"plain\n"}, "plain\n"},
	}
	for _, tc := range tests {
		var b strings.Builder
		in := false
		for _, l := range tc.lines {
			in = streamFiltered(l, in, func(s string) { b.WriteString(s) })
		}
		if b.String() != tc.want {
			t.Errorf("%q: streamed %q, want %q", tc.lines, b.String(), tc.want)
		}
	}
}
