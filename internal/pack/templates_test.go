package pack

import (
	"errors"
	"slices"
	"testing"

	"github.com/st2go/st2go/internal/param"
)

func TestTemplateWarnings(t *testing.T) {
	tests := []struct {
		name string
		yaml string
		// wantLoad are the warnings Load gives; wantRunners those
		// CheckRunners adds.
		wantLoad    []string
		wantRunners []string
	}{
		{
			name: "plain lookups and context variables",
			yaml: "name: x\nrunner_type: local-shell-cmd\nparameters:\n" +
				"  who:\n    default: \"{{ action_context.user }}\"\n" +
				"  cmd:\n    default: \"echo {{ who }} {{ config_context.region }} {{ st2kv.system.k }} {{ timeout }}\"\n" +
				"  env:\n    type: object\n    default:\n      A: \"{{ who }}\"\n",
		},
		{
			name: "every problem of the file, at the line of its parameter",
			yaml: "name: x\nrunner_type: local-shell-cmd\nparameters:\n" +
				"  a:\n    type: string\n    default: \"docker inspect -f '{{.State}}'\"\n" + // a: line 4
				"  b:\n    default: \"{% if c %}c\"\n" + // b: line 7
				"  c:\n    default: \"echo {{ c\"\n" + // c: line 9
				"  d:\n    default: \"{{- a | upper }}\"\n", // d: line 11, fine
			wantLoad: []string{
				`/p/actions/x.yaml:4: parameter "a": default: unexpected '.'`,
				`/p/actions/x.yaml:7: parameter "b": default: Unexpected end of template. Jinja was looking for the following tags: 'elif' or 'else' or 'endif'.`,
				`/p/actions/x.yaml:9: parameter "c": default: template syntax error: unexpected end of template, expected 'end of print statement'.; it is not a template, so it will be used as it is`,
			},
		},
		{
			name: "templates inside list and map defaults",
			yaml: "name: x\nrunner_type: noop\nparameters:\n" +
				"  opts:\n    type: array\n    default: [\"ok\", \"{{ a | }}\", \"{{ nope }}\"]\n" +
				"  env:\n    type: object\n    default:\n      \"{{ k( }}\": v\n      B: \"{{ gone.x }}\"\n",
			wantLoad: []string{
				`x.yaml:4: parameter "opts": default item "{{ a | }}": expected token 'name', got 'end of print statement'`,
				`x.yaml:7: parameter "env": default item "{{ k( }}": unexpected '}'`,
			},
			wantRunners: []string{
				`x.yaml:4: parameter "opts": default refers to "nope", which is not a parameter of the action or of runner "noop", nor action_context, config_context or st2kv`,
				`x.yaml:7: parameter "env": default refers to "gone"`,
			},
		},
		{
			name: "unknown names, each once per parameter",
			yaml: "name: x\nrunner_type: local-shell-cmd\nparameters:\n" +
				"  cmd:\n    default: \"{{ nope }} {{ nope.again }} {{ sudo }} {{ who }}\"\n" +
				"  who:\n    type: string\n",
			wantRunners: []string{`x.yaml:4: parameter "cmd": default refers to "nope"`},
		},
		{
			name: "runner override default",
			yaml: "name: x\nrunner_type: local-shell-cmd\nparameters:\n" +
				"  sudo:\n    default: \"{{ root }}\"\n",
			wantRunners: []string{`x.yaml:4: parameter "sudo": default refers to "root", which is not a parameter of the action or of runner "local-shell-cmd"`},
		},
		{
			name: "text that only looks like a template in a list",
			yaml: "name: x\nrunner_type: noop\nparameters:\n" +
				"  args:\n    default: [\"${#a[@]} {{ x\"]\n",
			wantLoad: []string{`x.yaml:4: parameter "args": default item "${#a[@]} {{ x": template syntax error`},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			dir := writePack(t, "p", map[string]string{"actions/x.yaml": tc.yaml})
			l, errs := Load(dir)
			if len(errs) > 0 || l == nil {
				t.Fatalf("Load errors: %v", errs)
			}
			if got := actionNames(l); !slices.Equal(got, []string{"x"}) {
				t.Errorf("actions = %v, want the action loaded despite its warnings", got)
			}
			wantErrors(t, l.Warnings, tc.wantLoad...)
			loadWarnings := len(l.Warnings)
			wantErrors(t, l.CheckRunners(fakeRunners))
			wantErrors(t, l.Warnings[loadWarnings:], tc.wantRunners...)
			if got := actionNames(l); !slices.Equal(got, []string{"x"}) {
				t.Errorf("actions after CheckRunners = %v, want [x]", got)
			}
		})
	}
}

func TestTemplateWarningsWrapParamErrors(t *testing.T) {
	dir := writePack(t, "p", map[string]string{"actions/x.yaml": "name: x\nrunner_type: noop\nparameters:\n" +
		"  a:\n    default: \"{{ .a }}\"\n  b:\n    default: \"{{ b\"\n"})
	l, errs := Load(dir)
	if len(errs) > 0 {
		t.Fatal(errs)
	}
	if len(l.Warnings) != 2 {
		t.Fatalf("warnings = %v, want 2", l.Warnings)
	}
	var te *param.TemplateError
	if !errors.As(l.Warnings[0], &te) {
		t.Errorf("warning %q does not wrap a *param.TemplateError", l.Warnings[0])
	}
	var se *param.SyntaxError
	if !errors.As(l.Warnings[1], &se) {
		t.Errorf("warning %q does not wrap a *param.SyntaxError", l.Warnings[1])
	}
}

// Warnings are kept apart from errors: a pack whose only problems are
// template warnings loads with no errors at all, and a broken action file
// gives errors but no warnings.
func TestWarningsAreNotErrors(t *testing.T) {
	dir := writePack(t, "p", map[string]string{
		"actions/warn.yaml":   "name: warn\nrunner_type: noop\nparameters:\n  a:\n    default: \"{{ .a }}\"\n",
		"actions/broken.yaml": "name: broken\nrunner_type: noop\nparameters:\n  a:\n    type: strin\n    default: \"{{ .a }}\"\n",
	})
	l, errs := Load(dir)
	wantErrors(t, errs, `broken.yaml:5: parameter "a": unknown type "strin"`)
	wantErrors(t, l.Warnings, `warn.yaml:4: parameter "a": default: unexpected '.'`)
}
