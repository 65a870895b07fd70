package config

import (
	"flag"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

var update = flag.Bool("update", false, "rewrite conf/st2.conf.sample from the declarations")

var samplePath = filepath.Join("..", "..", "conf", "st2.conf.sample")

// TestSample fails when conf/st2.conf.sample is stale. Regenerate with
// go test ./internal/config -run TestSample -update.
func TestSample(t *testing.T) {
	want := SampleConfig()
	if *update {
		if err := os.WriteFile(samplePath, []byte(want), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	got, err := os.ReadFile(samplePath)
	if err != nil {
		t.Fatalf("reading the sample (regenerate with -update): %v", err)
	}
	if diff := cmp.Diff(want, string(got)); diff != "" {
		t.Errorf("%s is stale; run go test ./internal/config -run TestSample -update\n(-want +got):\n%s", samplePath, diff)
	}
}

// TestSampleLoads checks the sample as shipped (everything commented out)
// and with every option line uncommented: both must load, and the second
// must give exactly the defaults StackStorm uses with a config file.
func TestSampleLoads(t *testing.T) {
	t.Parallel()
	sample := SampleConfig()
	c, ws, err := load("sample", []byte(sample), true, nil, true)
	if err != nil || len(ws) != 0 {
		t.Fatalf("sample as is: err %v, warnings %q", err, warningStrings(ws))
	}
	defaults := c.Values()

	optionLine := regexp.MustCompile(`(?m)^#([a-z0-9_]+ =)`)
	uncommented := optionLine.ReplaceAllString(sample, "$1")
	if n := len(optionLine.FindAllString(sample, -1)); n != len(defaults) {
		t.Errorf("sample has %d option lines, want %d", n, len(defaults))
	}
	c, ws, err = load("sample", []byte(uncommented), true, nil, true)
	if err != nil {
		t.Fatalf("uncommented sample: %v", err)
	}
	for _, w := range ws {
		if !strings.Contains(w.Msg, "deprecated") && !strings.Contains(w.Msg, "removed") {
			t.Errorf("unexpected warning: %s", w)
		}
	}
	for i, v := range c.Values() {
		if v.Text != defaults[i].Text || v.Source != SourceFile {
			t.Errorf("[%s] %s = %q from %v, want the default %q from the file", v.Section, v.Option.Name, v.Text, v.Source, defaults[i].Text)
		}
	}
}

func TestSampleDocumentsEveryOption(t *testing.T) {
	t.Parallel()
	sample := SampleConfig()
	for _, s := range declarations {
		if !strings.Contains(sample, "\n["+s.Name+"]\n") {
			t.Errorf("sample lacks [%s]", s.Name)
		}
	}
	for _, line := range strings.Split(sample, "\n") {
		if len(line) > 79 && !strings.HasPrefix(line, "#") {
			t.Errorf("line longer than 79 columns: %q", line)
		}
	}
	for _, want := range []string{"deprecated name ssl", "secret (masked when printed)", "$ST2GO_HOME", "st2go additions"} {
		if !strings.Contains(sample, want) {
			t.Errorf("sample does not mention %q", want)
		}
	}
}
