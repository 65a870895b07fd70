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

func TestExprCommand(t *testing.T) {
	dir := t.TempDir()
	ctxFile := dir + "/ctx.json"
	os.WriteFile(ctxFile, []byte(`{"xs": [1, 2, 3], "name": "st2"}`), 0o600)
	cases := []struct {
		args []string
		code int
		out  string
	}{
		{[]string{"--context", ctxFile, "<% ctx(xs).select($ * 2) %>"}, 0, "[2, 4, 6]\n"},
		{[]string{"--context", ctxFile, `{{ ctx("name") | upper }}-{{ ctx("xs") | length }}`}, 0, "\"ST2-3\"\n"},
		{[]string{"<% ctx(nope) %>"}, 1, `The variable "nope" is undefined.`},
		{[]string{}, 2, "usage"},
	}
	for _, c := range cases {
		var out, errOut bytes.Buffer
		code := runExpr(c.args, strings.NewReader(""), &out, &errOut)
		if code != c.code || !strings.Contains(out.String()+errOut.String(), c.out) {
			t.Errorf("st2d expr %v: %d %q %q", c.args, code, out.String(), errOut.String())
		}
	}
	batch := `{"expr": "<% 1 + 2 %>", "ctx": {}}
{"expr": "{{ 1 / 0 }}"}
{"expr": "<% ctx(a) %>", "ctx": {"a": {"k": [true, null]}}}
`
	var out bytes.Buffer
	if code := runExpr([]string{"--batch", "-"}, strings.NewReader(batch), &out, &out); code != 0 {
		t.Fatalf("batch: %d %s", code, out.String())
	}
	lines := strings.Split(strings.TrimSpace(out.String()), "\n")
	if len(lines) != 3 || lines[0] != `{"result": 3}` || !strings.Contains(lines[1], `"error"`) || lines[2] != `{"result": {"k": [true, null]}}` {
		t.Fatalf("batch output:\n%s", out.String())
	}
}
