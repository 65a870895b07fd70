package app_test

import (
	"bytes"
	"strings"
	"testing"

	"github.com/st2go/st2go/internal/app/apptest"
	"github.com/st2go/st2go/internal/cli"
)

// TestCLIAgainstServer drives the st2 CLI against a real in-process st2d.
func TestCLIAgainstServer(t *testing.T) {
	s := apptest.Start(t, apptest.Options{})
	env := []string{"HOME=" + t.TempDir(), "ST2_API_URL=" + s.APIURL + "/v1", "ST2_STREAM_URL=" + s.StreamURL + "/v1",
		"ST2_AUTH_URL=" + s.AuthURL, "COLUMNS=120"}
	st2 := func(args ...string) (int, string) {
		var out, errOut bytes.Buffer
		code := cli.Run(args, env, strings.NewReader(""), &out, &errOut)
		return code, out.String() + errOut.String()
	}
	if code, out := st2("run", "core.local", "cmd=echo hello"); code != 0 || !strings.Contains(out, "stdout: hello") || !strings.Contains(out, "status: succeeded") {
		t.Fatalf("st2 run: %d\n%s", code, out)
	}
	if code, out := st2("run", "core.local", "cmd=exit 3"); code != 1 || !strings.Contains(out, "return_code: 3") {
		t.Fatalf("st2 run exit 3: %d\n%s", code, out)
	}
	if code, out := st2("run", "core.local", "cmd=sleep 5", "timeout=1"); !strings.Contains(out, "status: timeout") {
		t.Fatalf("st2 run timeout: %d\n%s", code, out)
	}
	code, out := st2("execution", "list")
	if code != 0 || strings.Count(out, "core.local") != 3 {
		t.Fatalf("st2 execution list: %d\n%s", code, out)
	}
	if code, out := st2("run", "-a", "core.local", "cmd=echo one; echo two"); code != 0 || !strings.Contains(out, "st2 execution tail") {
		t.Fatalf("st2 run -a: %d\n%s", code, out)
	}
	if code, out := st2("execution", "tail", "last"); code != 0 || !strings.Contains(out, "one\ntwo\n") {
		t.Fatalf("st2 execution tail: %d\n%s", code, out)
	}
	if code, out := st2("action", "list", "-p", "core"); code != 0 || !strings.Contains(out, "core.local_sudo") {
		t.Fatalf("st2 action list: %d\n%s", code, out)
	}
	if code, out := st2("run", "core.nope"); code == 0 || !strings.Contains(out, "core.nope") {
		t.Fatalf("st2 run unknown: %d\n%s", code, out)
	}
	if code, out := st2("pack", "register"); code != 0 || !strings.Contains(out, "actions") {
		t.Fatalf("st2 pack register: %d\n%s", code, out)
	}
}
