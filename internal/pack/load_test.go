package pack

import (
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/st2go/st2go/internal/model"
)

func intp(i int) *int           { return &i }
func floatp(f float64) *float64 { return &f }

// errorStrings renders errors for comparison and checks each one is a
// located *Error.
func errorStrings(t *testing.T, errs []error) []string {
	t.Helper()
	var out []string
	for _, err := range errs {
		var pe *Error
		if !errors.As(err, &pe) || pe.File == "" {
			t.Errorf("error %q is not a *pack.Error with a file", err)
		}
		out = append(out, err.Error())
	}
	return out
}

// wantErrors checks that every want substring appears in some error and
// that no error goes unexplained.
func wantErrors(t *testing.T, errs []error, want ...string) {
	t.Helper()
	got := errorStrings(t, errs)
	used := make([]bool, len(got))
	for _, w := range want {
		found := false
		for i, g := range got {
			if strings.Contains(g, w) {
				found, used[i] = true, true
			}
		}
		if !found {
			t.Errorf("no error contains %q; errors:\n  %s", w, strings.Join(got, "\n  "))
		}
	}
	for i, g := range got {
		if !used[i] {
			t.Errorf("unexpected error: %s", g)
		}
	}
}

func actionNames(l *Loaded) []string {
	var names []string
	for _, a := range l.Actions {
		names = append(names, a.Name)
	}
	return names
}

func findAction(t *testing.T, l *Loaded, name string) *model.Action {
	t.Helper()
	for _, a := range l.Actions {
		if a.Name == name {
			return a
		}
	}
	t.Fatalf("pack %s has no action %q (has %v)", l.Pack.Ref, name, actionNames(l))
	return nil
}

func TestLoadGoodPack(t *testing.T) {
	l, errs := Load("testdata/packs/good")
	if len(errs) > 0 {
		t.Fatalf("Load: %v", errs)
	}
	wantErrors(t, l.Warnings)
	dir, _ := filepath.Abs("testdata/packs/good")

	wantPack := &model.Pack{
		ID: StableID("pack:good"), UID: "pack:good", Ref: "good", Name: "Good Pack",
		Description: "A pack whose content is all valid.", Keywords: []string{"testing"},
		Version: "0.2.0", StackstormVersion: ">=3.0.0, <4.0.0", PythonVersions: []string{"3"},
		Author: "Test Author", Email: "test@example.com",
		Contributors: []string{"Someone <someone@example.com>"},
		Files: []string{
			"actions/config.yaml", "actions/flow.yaml", "actions/hello.yaml", "actions/script.sh",
			"actions/script.yml", "actions/workflows/flow.yaml", "aliases/a1.yml", "config.schema.yaml",
			"pack.yaml", "rules/r1.yaml", "sensors/s.py", "sensors/s.yaml",
		},
		Path: dir, Dependencies: []string{"core"},
		System: map[string]any{"apt": []any{"curl"}},
	}
	if diff := cmp.Diff(wantPack, l.Pack); diff != "" {
		t.Errorf("pack (-want +got):\n%s", diff)
	}

	if got, want := actionNames(l), []string{"flow", "hello", "script"}; !slices.Equal(got, want) {
		t.Errorf("actions = %v, want %v", got, want)
	}

	wantHello := &model.Action{
		ID: StableID("action:good:hello"), UID: "action:good:hello", Ref: "good.hello", Pack: "good",
		Name: "hello", Description: "Say hello.", Enabled: false, RunnerType: "local-shell-cmd",
		Parameters: model.Params{
			"who": {Type: "string", Description: "Whom to greet.", Default: "world", Enum: []any{"world", "you"}},
			"cmd": {Default: `echo "hello {{who}}"`, Immutable: true},
			"count": {Type: "integer", Minimum: floatp(1), Maximum: floatp(10),
				Extra: map[string]any{"title": "Count"}},
		},
		OutputSchema: map[string]any{"greeting": map[string]any{"type": "string", "secret": true}},
		Notify:       map[string]any{"on-failure": map[string]any{"routes": []any{"slack"}}},
		Tags:         []model.Tag{{Name: "team", Value: "ops"}, {Name: "level", Value: "3"}},
		MetadataFile: "actions/hello.yaml",
	}
	if diff := cmp.Diff(wantHello, findAction(t, l, "hello")); diff != "" {
		t.Errorf("hello (-want +got):\n%s", diff)
	}

	script := findAction(t, l, "script")
	wantScript := model.Params{
		"first":  {Type: "string", Required: true, Position: intp(0)},
		"second": {Type: "boolean", Position: intp(1)},
		"opts":   {Type: "array", Items: map[string]any{"type": "string"}, Secret: true},
	}
	if diff := cmp.Diff(wantScript, script.Parameters); diff != "" {
		t.Errorf("script parameters (-want +got):\n%s", diff)
	}
	if script.EntryPoint != "script.sh" || script.MetadataFile != "actions/script.yml" || !script.Enabled {
		t.Errorf("script: entry_point %q, metadata_file %q, enabled %v", script.EntryPoint, script.MetadataFile, script.Enabled)
	}

	// Anchors, aliases and merge keys resolve as PyYAML resolves them.
	wantFlow := model.Params{
		"a": {Type: "string", Description: "shared"},
		"b": {Type: "string", Description: "shared"},
		"c": {Type: "string", Description: "own", Required: true},
	}
	if diff := cmp.Diff(wantFlow, findAction(t, l, "flow").Parameters); diff != "" {
		t.Errorf("flow parameters (-want +got):\n%s", diff)
	}

	abs := func(rel string) []string { return []string{filepath.Join(dir, rel)} }
	for _, c := range []struct {
		kind string
		got  []string
		want []string
	}{
		{"rules", l.Rules, abs("rules/r1.yaml")},
		{"sensors", l.Sensors, abs("sensors/s.yaml")},
		{"aliases", l.Aliases, abs("aliases/a1.yml")},
		{"triggers", l.Triggers, []string{}},
		{"policies", l.Policies, []string{}},
	} {
		if diff := cmp.Diff(c.want, c.got); diff != "" {
			t.Errorf("%s (-want +got):\n%s", c.kind, diff)
		}
	}
	if l.ConfigSchema != filepath.Join(dir, "config.schema.yaml") {
		t.Errorf("ConfigSchema = %q", l.ConfigSchema)
	}
}

func TestLoadKeepsIDsStable(t *testing.T) {
	first, errs := Load("testdata/packs/good")
	if len(errs) > 0 {
		t.Fatal(errs)
	}
	second, _ := Load("testdata/packs/good")
	if first.Pack.ID != second.Pack.ID || first.Actions[0].ID != second.Actions[0].ID {
		t.Errorf("ids changed between loads")
	}
	if !model.IsID(first.Pack.ID) || first.Pack.ID == first.Actions[0].ID {
		t.Errorf("ids %q, %q: want distinct 24-hex-digit ids", first.Pack.ID, first.Actions[0].ID)
	}
}

func TestLoadBrokenActions(t *testing.T) {
	l, errs := Load("testdata/packs/brokenaction")
	if l == nil {
		t.Fatalf("Load returned no pack: %v", errs)
	}
	if got := actionNames(l); !slices.Equal(got, []string{"ok"}) {
		t.Errorf("actions = %v, want [ok]", got)
	}
	wantErrors(t, errs,
		`brokenaction/actions/badtype.yaml:5: parameter "n": unknown type "integr"`,
		`brokenaction/actions/syntax.yaml:3: mapping values are not allowed in this context`,
		`brokenaction/actions/norunner.yaml:1: missing required field "runner_type"`,
		`brokenaction/actions/noscript.yaml:3: entry_point "missing.py": no such file`,
		`brokenaction/actions/unknownfield.yaml:2: unknown field "runner-type"`,
		`brokenaction/actions/unknownfield.yaml:1: missing required field "runner_type"`,
	)
}

func TestLoadBadPackYAML(t *testing.T) {
	l, errs := Load("testdata/packs/badpack")
	if l != nil {
		t.Errorf("Load returned pack %+v for an invalid pack.yaml", l.Pack)
	}
	wantErrors(t, errs,
		`badpack/pack.yaml:1: missing required field "author"`,
		`badpack/pack.yaml:3: version "1.0" is not a semantic version`,
	)
}

func TestLoadPositions(t *testing.T) {
	l, errs := Load("testdata/packs/dupepos")
	if l == nil {
		t.Fatalf("Load returned no pack: %v", errs)
	}
	if got := actionNames(l); !slices.Equal(got, []string{"fine"}) {
		t.Errorf("actions = %v, want [fine] (positions may start above 0)", got)
	}
	wantErrors(t, errs,
		`dupepos/actions/dup.yaml:9: parameters "a" and "b" have the same position 0`,
		`dupepos/actions/gap.yaml:3: parameter positions [0 2] are not contiguous`,
	)
}

func TestLoadMissingPackYAML(t *testing.T) {
	_, errs := Load(t.TempDir())
	if len(errs) != 1 || !errors.Is(errs[0], os.ErrNotExist) {
		t.Errorf("errors = %v, want one not-exist error", errs)
	}
}

func TestDiscover(t *testing.T) {
	missing := filepath.Join(t.TempDir(), "missing")
	dirs, err := Discover([]string{"testdata/packs", "testdata/packs2", "", missing})
	want := []string{
		"testdata/packs/badpack", "testdata/packs/brokenaction", "testdata/packs/dupepos",
		"testdata/packs/good", "testdata/packs2/other",
	}
	if diff := cmp.Diff(want, dirs); diff != "" {
		t.Errorf("dirs (-want +got):\n%s", diff)
	}
	if err == nil || !strings.Contains(err.Error(), missing) {
		t.Errorf("err = %v, want one naming %s", err, missing)
	}
}

func TestLoadAll(t *testing.T) {
	packs, errs := LoadAll([]string{"testdata/packs", "testdata/packs2"})
	var refs []string
	for _, p := range packs {
		refs = append(refs, p.Pack.Ref)
	}
	if want := []string{"brokenaction", "dupepos", "good", "other"}; !slices.Equal(refs, want) {
		t.Errorf("packs = %v, want %v", refs, want)
	}
	// The good pack comes from the first path.
	for _, p := range packs {
		if p.Pack.Ref == "good" && p.Pack.Version != "0.2.0" {
			t.Errorf("good pack version %s: the copy in the second path won", p.Pack.Version)
		}
	}
	got := strings.Join(errorStrings(t, errs), "\n")
	for _, w := range []string{"badpack/pack.yaml", "brokenaction/actions/badtype.yaml", "dupepos/actions/dup.yaml"} {
		if !strings.Contains(got, w) {
			t.Errorf("errors lack %s:\n%s", w, got)
		}
	}
}

func TestLoadAllDuplicateRef(t *testing.T) {
	base := t.TempDir()
	for _, dir := range []string{"a", "b"} {
		writeFiles(t, filepath.Join(base, dir), map[string]string{
			"pack.yaml": "ref: same\nname: same\ndescription: d\nversion: 1.0.0\nauthor: me\n",
		})
	}
	packs, errs := LoadAll([]string{base})
	if len(packs) != 1 || packs[0].Pack.Path != filepath.Join(base, "a") {
		t.Fatalf("packs = %v, want only the one in a", packs)
	}
	wantErrors(t, errs, `b/pack.yaml: pack "same" is already loaded from `)
}

func TestActionJSONShape(t *testing.T) {
	dir := writePack(t, "shape", map[string]string{"actions/n.yaml": "name: n\nrunner_type: noop\n"})
	l, errs := Load(dir)
	if len(errs) > 0 {
		t.Fatal(errs)
	}
	b, err := json.Marshal(l.Actions[0])
	if err != nil {
		t.Fatal(err)
	}
	var got map[string]any
	if err := json.Unmarshal(b, &got); err != nil {
		t.Fatal(err)
	}
	want := map[string]any{
		"id": StableID("action:shape:n"), "uid": "action:shape:n", "ref": "shape.n", "pack": "shape",
		"name": "n", "description": "", "enabled": true, "entry_point": "", "runner_type": "noop",
		"parameters": map[string]any{}, "output_schema": map[string]any{}, "notify": map[string]any{},
		"tags": []any{}, "metadata_file": "actions/n.yaml",
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("action JSON (-want +got):\n%s", diff)
	}
}

// writeFiles creates files (relative path → content) under dir.
func writeFiles(t *testing.T, dir string, files map[string]string) {
	t.Helper()
	for rel, content := range files {
		path := filepath.Join(dir, filepath.FromSlash(rel))
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// writePack creates a pack directory named name with a valid pack.yaml
// (unless files has one) and the given files.
func writePack(t *testing.T, name string, files map[string]string) string {
	t.Helper()
	dir := filepath.Join(t.TempDir(), name)
	if _, ok := files["pack.yaml"]; !ok {
		files["pack.yaml"] = "name: " + name + "\ndescription: test\nversion: 1.0.0\nauthor: me\n"
	}
	writeFiles(t, dir, files)
	return dir
}
