package app

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func writeConf(t *testing.T, text string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), "st2.conf")
	if err := os.WriteFile(p, []byte(text), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestBadConfigRefusesToStart(t *testing.T) {
	p := writeConf(t, "[api]\nhost = 127.0.0.1\nport = abc\n")
	var out, errOut bytes.Buffer
	code := runCommand([]string{"--config-file", p}, []string{"ST2GO_HOME=" + t.TempDir()}, &out, &errOut)
	if code != 1 || !strings.Contains(errOut.String(), p+":3") || !strings.Contains(errOut.String(), "abc") {
		t.Fatalf("exit %d, stderr:\n%s", code, errOut.String())
	}
}

func TestCheckConfig(t *testing.T) {
	p := writeConf(t, "[database]\nhost = db.example.com\npassword = hunter2\n\n[api]\nport = 9201\nno_such_option = 1\n")
	var out, errOut bytes.Buffer
	code := runCommand([]string{"check-config", "--config-file", p}, nil, &out, &errOut)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut.String())
	}
	if !strings.Contains(errOut.String(), p+":7") || !strings.Contains(errOut.String(), "no_such_option") {
		t.Errorf("unknown option warning missing file:line: %s", errOut.String())
	}
	dump := out.String()
	if strings.Contains(dump, "hunter2") || !strings.Contains(dump, "port = 9201") || !strings.Contains(dump, "host = db.example.com") {
		t.Errorf("check-config output:\n%s", dump)
	}
	for _, section := range []string{"[database]", "[messaging]", "[mistral]", "[ssh_runner]", "[system_user]"} {
		if !strings.Contains(dump, section) {
			t.Errorf("check-config lacks %s", section)
		}
	}
}

func TestVersionAndUsage(t *testing.T) {
	var out, errOut bytes.Buffer
	if code := runCommand([]string{"version"}, nil, &out, &errOut); code != 0 || !strings.Contains(out.String(), "st2go") {
		t.Fatalf("version: %d %q", code, out.String())
	}
	if code := runCommand([]string{"--bogus"}, nil, &out, &errOut); code != 2 {
		t.Fatalf("unknown flag: exit %d", code)
	}
}
