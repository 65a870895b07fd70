package packconfig

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestSaveRoundTrip(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "configs") // created by Save
	values := map[string]any{
		"bool_words":  []any{"yes", "no", "on", "off", "y", "n", "true", "True", "null", "~", ""},
		"numberlike":  []any{"123", "1.5", "0x1f", "1e3", "0777", ".inf"},
		"numbers":     []any{int64(1), 1.0, 1.5, 1e20, -0.25, int64(-3)},
		"multi_line":  "line one\nline two\n",
		"specials":    "a: b # c",
		"nested":      map[string]any{"list": []any{map[string]any{"token": "t-one"}}, "empty": map[string]any{}},
		"null_value":  nil,
		"dynamic":     "{{ st2kv.system.key }}",
		"unicode":     "héllo ✓",
		"leading_sp":  " x",
		"timestamp":   "2001-12-14",
		"boolean":     true,
		"empty_array": []any{},
	}
	path, err := Save(dir, "mypack", values)
	if err != nil {
		t.Fatal(err)
	}
	if path != filepath.Join(dir, "mypack.yaml") {
		t.Errorf("path = %s", path)
	}
	st, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if st.Mode().Perm() != 0o600 {
		t.Errorf("new config mode = %v, want 0600", st.Mode().Perm())
	}
	c, err := LoadConfig(path)
	if err != nil {
		t.Fatal(err)
	}
	want := deepCopy(values).(map[string]any)
	want["numbers"] = []any{1, 1.0, 1.5, 1e20, -0.25, -3}
	if diff := cmp.Diff(want, c.Values); diff != "" {
		data, _ := os.ReadFile(path)
		t.Errorf("read back (-want +got):\n%s\nfile:\n%s", diff, data)
	}
	data, _ := os.ReadFile(path)
	for _, line := range []string{"- 1.0\n", "- 1.0e+20\n", "boolean: true\n"} {
		if !strings.Contains(string(data), line) {
			t.Errorf("file lacks %q:\n%s", line, data)
		}
	}

	// Replacing keeps the file's mode and leaves no temporary file.
	if err := os.Chmod(path, 0o640); err != nil {
		t.Fatal(err)
	}
	if _, err := Save(dir, "mypack", map[string]any{"a": "b"}); err != nil {
		t.Fatal(err)
	}
	if st, _ := os.Stat(path); st.Mode().Perm() != 0o640 {
		t.Errorf("replaced config mode = %v, want 0640", st.Mode().Perm())
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != 1 {
		t.Errorf("configs dir holds %d files, want 1", len(entries))
	}
}

func TestSaveRefusesBadRefs(t *testing.T) {
	dir := t.TempDir()
	for _, ref := range []string{"../x", "a/b", "", "Upper"} {
		if _, err := Save(dir, ref, map[string]any{}); err == nil {
			t.Errorf("Save(%q) succeeded", ref)
		}
	}
	if _, err := Save("", "p", map[string]any{}); err == nil {
		t.Error("Save with no configs dir succeeded")
	}
}

func TestParseConfig(t *testing.T) {
	tests := []struct {
		name string
		src  string
		want map[string]any
		err  string
	}{
		{"empty", "", map[string]any{}, ""},
		{"comments only", "# nothing\n", map[string]any{}, ""},
		{"yaml 1.1 booleans and merge keys", "base: &b {port: 1, host: h}\nsrv:\n  <<: *b\n  port: 2\nflag: on\n",
			map[string]any{"base": map[string]any{"port": 1, "host": "h"}, "srv": map[string]any{"port": 2, "host": "h"}, "flag": true}, ""},
		{"syntax error", "a: [1, 2\nb: 3\n", nil, "config.yaml:2: did not find expected ',' or ']'"},
		{"scalar", "just text\n", nil, "config.yaml:1: config must be a mapping of config item names to values, not a string"},
		{"alias loop", "a: &a\n  b: [*a]\n", nil, "config.yaml:2: alias *a is inside the value it refers to"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			c, err := ParseConfig("config.yaml", []byte(tc.src))
			if tc.err != "" {
				if err == nil || !strings.Contains(err.Error(), tc.err) {
					t.Fatalf("error = %v, want %q", err, tc.err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tc.want, c.Values); diff != "" {
				t.Errorf("values (-want +got):\n%s", diff)
			}
		})
	}
}

func TestLoad(t *testing.T) {
	packDir, configs := t.TempDir(), t.TempDir()
	schemaPath := filepath.Join(packDir, SchemaFile)
	write := func(path, src string) {
		t.Helper()
		if err := os.WriteFile(path, []byte(src), 0o600); err != nil {
			t.Fatal(err)
		}
	}

	// Neither file: an empty config.
	l, err := Load("p", schemaPath, configs)
	if err != nil || l.Schema != nil || l.Config != nil {
		t.Fatalf("Load with no files = %+v, %v", l, err)
	}

	write(schemaPath, "region: {type: string, default: eu}\nport: {type: integer}\n")
	l, err = Load("p", schemaPath, configs)
	if err != nil || l.Schema == nil || l.Config != nil {
		t.Fatalf("Load with a schema only = %+v, %v", l, err)
	}
	if diff := cmp.Diff(map[string]any{"region": "eu"}, l.Values()); diff != "" {
		t.Errorf("values with defaults (-want +got):\n%s", diff)
	}

	// An invalid config still loads, with the problem.
	write(Path(configs, "p"), "port: eighty\n")
	l, err = Load("p", schemaPath, configs)
	var pe *Error
	if !errors.As(err, &pe) || pe.Line != 1 || pe.Attribute != "port" || pe.File != Path(configs, "p") {
		t.Fatalf("Load of an invalid config: error %v (%+v)", err, pe)
	}
	if l == nil || l.Config.Values["port"] != "eighty" {
		t.Fatalf("Load of an invalid config returned %+v", l)
	}

	// A broken schema is an error with no result.
	write(schemaPath, "port: {type: int}\n")
	if l, err := Load("p", schemaPath, configs); l != nil || err == nil || !strings.Contains(err.Error(), SchemaFile+":1:") {
		t.Errorf("Load with a broken schema = %+v, %v", l, err)
	}

	// LoadConfig of a missing file wraps fs.ErrNotExist.
	if _, err := LoadConfig(Path(configs, "nope")); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("missing config: %v", err)
	}
}
