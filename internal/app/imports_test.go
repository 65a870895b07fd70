package app_test

import (
	"os/exec"
	"strings"
	"testing"
)

const module = "github.com/st2go/st2go/"

func deps(t *testing.T, pkgs ...string) map[string][]string {
	t.Helper()
	args := append([]string{"list", "-f", `{{.ImportPath}}:{{join .Deps " "}}`}, pkgs...)
	out, err := exec.Command("go", args...).CombinedOutput()
	if err != nil {
		t.Fatalf("go list: %v\n%s", err, out)
	}
	m := map[string][]string{}
	for _, line := range strings.Split(strings.TrimSpace(string(out)), "\n") {
		pkg, list, _ := strings.Cut(line, ":")
		for _, d := range strings.Fields(list) {
			if strings.HasPrefix(d, module) {
				m[pkg] = append(m[pkg], d)
			}
		}
	}
	return m
}

// TestImportDirections enforces the layering of docs/architecture.md:
// the CLI imports no server package, and domain packages import no
// service, the composition root or a command.
func TestImportDirections(t *testing.T) {
	for _, d := range deps(t, module+"cmd/st2")[module+"cmd/st2"] {
		for _, banned := range []string{"internal/service", "internal/store", "internal/app", "internal/bus", "internal/execution", "internal/runner"} {
			if strings.HasPrefix(d, module+banned) {
				t.Errorf("cmd/st2 imports server package %s", d)
			}
		}
	}
	for pkg, ds := range deps(t, module+"internal/...") {
		if strings.HasPrefix(pkg, module+"internal/app") || strings.HasPrefix(pkg, module+"internal/service") {
			continue
		}
		for _, d := range ds {
			if strings.HasPrefix(d, module+"internal/service") || strings.HasPrefix(d, module+"internal/app") || strings.HasPrefix(d, module+"cmd") {
				t.Errorf("domain package %s imports %s", pkg, d)
			}
		}
	}
}

// TestEveryPackageHasADocComment keeps the house rule that each package
// says what it is for.
func TestEveryPackageHasADocComment(t *testing.T) {
	out, err := exec.Command("go", "list", "-f", "{{.ImportPath}}\t{{.Doc}}", "github.com/st2go/st2go/...").CombinedOutput()
	if err != nil {
		t.Fatalf("go list: %v\n%s", err, out)
	}
	for _, line := range strings.Split(strings.TrimSpace(string(out)), "\n") {
		pkg, doc, _ := strings.Cut(line, "\t")
		if strings.TrimSpace(doc) == "" {
			t.Errorf("package %s has no doc comment", pkg)
		}
	}
}
