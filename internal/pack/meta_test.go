package pack

import (
	"fmt"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/st2go/st2go/internal/model"
)

func TestPackMetadata(t *testing.T) {
	const rest = "description: d\nversion: 1.0.0\nauthor: me\n"
	tests := []struct {
		name     string
		dir      string
		yaml     string
		wantRef  string
		wantErrs []string
	}{
		{name: "ref from directory beats name", dir: "mypack", yaml: "name: My Pack\n" + rest, wantRef: "mypack"},
		{name: "ref from name when directory is not a ref", dir: "my-pack", yaml: "name: mine\n" + rest, wantRef: "mine"},
		{name: "explicit ref wins", dir: "mypack", yaml: "ref: other\nname: My Pack\n" + rest, wantRef: "other"},
		{name: "unquoted semver", dir: "p", yaml: "name: p\ndescription: d\nversion: 1.2.3-rc.1\nauthor: me\n", wantRef: "p"},
		{
			name: "no usable ref", dir: "My-Pack", yaml: "name: My Pack\n" + rest,
			wantErrs: []string{`pack.yaml:1: name "My Pack" is not a valid pack ref and there is no ref field`},
		},
		{
			name: "invalid ref", dir: "p", yaml: "ref: Bad-Ref\nname: p\n" + rest,
			wantErrs: []string{`pack.yaml:1: ref "Bad-Ref" may contain only lowercase letters`},
		},
		{
			name: "reserved ref", dir: "p", yaml: "ref: _global\nname: p\n" + rest,
			wantErrs: []string{`"_global" is a reserved name`},
		},
		{name: "empty file", dir: "p", yaml: "# nothing\n", wantErrs: []string{`pack.yaml: pack metadata file is empty`}},
		{name: "not a mapping", dir: "p", yaml: "- a\n- b\n", wantErrs: []string{`pack.yaml:1: pack metadata must be a mapping, not a list`}},
		{
			name: "float version", dir: "p", yaml: "name: p\ndescription: d\nversion: 1.0\nauthor: me\n",
			wantErrs: []string{`pack.yaml:3: version "1.0" is not a semantic version`},
		},
		{
			name: "name must be a string", dir: "p", yaml: "name: 12\n" + rest,
			wantErrs: []string{`pack.yaml:1: name must be a string, not int 12`},
		},
		{
			name: "all required fields", dir: "p", yaml: "name: p\nkeywords: [a]\n",
			wantErrs: []string{`missing required field "description"`, `missing required field "version"`, `missing required field "author"`},
		},
		{
			name: "null required field", dir: "p", yaml: "name: p\ndescription:\nversion: 1.0.0\nauthor: me\n",
			wantErrs: []string{`pack.yaml:1: missing required field "description"`},
		},
		{
			name: "python versions", dir: "p", yaml: "name: p\n" + rest + "python_versions: [\"4\"]\n",
			wantErrs: []string{`pack.yaml:5: python_versions: "4" is not one of`},
		},
		{
			name: "python versions must be strings", dir: "p", yaml: "name: p\n" + rest + "python_versions:\n  - 3\n",
			wantErrs: []string{`pack.yaml:6: python_versions: items must be strings, not int 3`},
		},
		{
			name: "stackstorm version", dir: "p", yaml: "name: p\n" + rest + "stackstorm_version: three\n",
			wantErrs: []string{`pack.yaml:5: stackstorm_version "three" is not a version constraint`},
		},
		{
			name: "keywords must be a list", dir: "p", yaml: "name: p\n" + rest + "keywords: a\n",
			wantErrs: []string{`pack.yaml:5: keywords must be a list of strings, not the string "a"`},
		},
		{
			name: "syntax error", dir: "p", yaml: "name: p\n  description: [\n",
			wantErrs: []string{`pack.yaml:2: `},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			dir := filepath.Join(t.TempDir(), tc.dir)
			writeFiles(t, dir, map[string]string{"pack.yaml": tc.yaml})
			l, errs := Load(dir)
			wantErrors(t, errs, tc.wantErrs...)
			if tc.wantErrs != nil {
				if l != nil {
					t.Errorf("Load returned a pack despite errors")
				}
				return
			}
			if l == nil {
				t.Fatal("Load returned no pack")
			}
			if l.Pack.Ref != tc.wantRef || l.Pack.UID != "pack:"+tc.wantRef {
				t.Errorf("ref, uid = %q, %q; want ref %q", l.Pack.Ref, l.Pack.UID, tc.wantRef)
			}
		})
	}
}

func TestParameterSpecs(t *testing.T) {
	tests := []struct {
		name    string
		params  string // YAML under "parameters:", indented by two spaces
		want    model.Params
		wantErr string
	}{
		{name: "yaml 1.1 booleans", params: "  p:\n    type: boolean\n    required: yes\n    default: off\n",
			want: model.Params{"p": {Type: "boolean", Required: true, Default: false}}},
		{name: "whole float position", params: "  p:\n    position: 2.0\n",
			want: model.Params{"p": {Position: intp(2)}}},
		{name: "null default kept", params: "  p:\n    type: string\n    default: null\n",
			want: model.Params{"p": {Type: "string"}}},
		{name: "None is a string", params: "  p:\n    default: None\n",
			want: model.Params{"p": {Default: "None"}}},
		{name: "schema keywords", params: "  p:\n    type: array\n    items: [{type: string}]\n    minItems: 1\n    uniqueItems: true\n",
			want: model.Params{"p": {Type: "array", Extra: map[string]any{
				"items": []any{map[string]any{"type": "string"}}, "minItems": 1, "uniqueItems": true}}}},
		{name: "object", params: "  p:\n    type: object\n    properties:\n      a: {type: integer}\n    additionalProperties: false\n    minLength: 0\n",
			want: model.Params{"p": {Type: "object", Properties: map[string]any{"a": map[string]any{"type": "integer"}},
				AdditionalProperties: false, MinLength: intp(0)}}},
		{name: "unknown type", params: "  p:\n    type: integr\n", wantErr: `x.yaml:5: parameter "p": unknown type "integr"`},
		{name: "list of types", params: "  p:\n    type: [string, integer]\n", wantErr: `x.yaml:5: parameter "p": type must be one of`},
		{name: "quoted boolean", params: "  p:\n    required: \"yes\"\n", wantErr: `x.yaml:5: parameter "p": required must be true or false, not the string "yes"`},
		{name: "negative position", params: "  p:\n    position: -1\n", wantErr: `x.yaml:5: parameter "p": position must be a whole number`},
		{name: "fractional position", params: "  p:\n    position: 1.5\n", wantErr: `x.yaml:5: parameter "p": position must be a whole number`},
		{name: "empty enum", params: "  p:\n    enum: []\n", wantErr: `x.yaml:5: parameter "p": enum must be a non-empty list`},
		{name: "duplicate enum", params: "  p:\n    enum: [a, b, a]\n", wantErr: `x.yaml:5: parameter "p": enum lists a twice`},
		{name: "unknown attribute", params: "  p:\n    type: string\n    requried: true\n", wantErr: `x.yaml:6: parameter "p": unknown attribute "requried"`},
		{name: "bad name", params: "  bad-name:\n    type: string\n", wantErr: `x.yaml:4: parameter name "bad-name" is invalid`},
		{name: "spec not a mapping", params: "  p: string\n", wantErr: `x.yaml:4: parameter "p" must be a mapping, not the string "string"`},
		{name: "null spec", params: "  p:\n", wantErr: `x.yaml:4: parameter "p" must be a mapping, not null`},
		{name: "bad additionalProperties", params: "  p:\n    additionalProperties: x\n", wantErr: `x.yaml:5: parameter "p": additionalProperties must be`},
		{name: "negative maxLength", params: "  p:\n    maxLength: -1\n", wantErr: `x.yaml:5: parameter "p": maxLength must be a whole number`},
		{name: "minimum not a number", params: "  p:\n    minimum: low\n", wantErr: `x.yaml:5: parameter "p": minimum must be a number`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			dir := writePack(t, "p", map[string]string{
				"actions/x.yaml": "name: x\nrunner_type: noop\nparameters:\n" + tc.params,
			})
			l, errs := Load(dir)
			if tc.wantErr != "" {
				wantErrors(t, errs, tc.wantErr)
				if len(l.Actions) != 0 {
					t.Errorf("the broken action was loaded")
				}
				return
			}
			wantErrors(t, errs)
			if len(l.Actions) != 1 {
				t.Fatalf("actions = %v", actionNames(l))
			}
			if diff := cmp.Diff(tc.want, l.Actions[0].Parameters); diff != "" {
				t.Errorf("parameters (-want +got):\n%s", diff)
			}
		})
	}
}

func TestActionFields(t *testing.T) {
	tests := []struct {
		name    string
		yaml    string
		wantErr string
	}{
		{name: "other pack", yaml: "name: x\npack: other\nrunner_type: noop\n", wantErr: `x.yaml:2: field pack is "other" but the action is in pack "p"`},
		{name: "enabled not boolean", yaml: "name: x\nrunner_type: noop\nenabled: maybe\n", wantErr: `x.yaml:3: enabled must be true or false`},
		{name: "empty file", yaml: "", wantErr: `x.yaml: action metadata file is empty`},
		{name: "not a mapping", yaml: "just text\n", wantErr: `x.yaml:1: action metadata must be a mapping`},
		{name: "notify section", yaml: "name: x\nrunner_type: noop\nnotify:\n  on-done: {}\n", wantErr: `x.yaml:4: notify: unknown section "on-done"`},
		{name: "tags not a list", yaml: "name: x\nrunner_type: noop\ntags: a\n", wantErr: `x.yaml:3: tags must be a list`},
		{name: "output schema", yaml: "name: x\nrunner_type: noop\noutput_schema: [a]\n", wantErr: `x.yaml:3: output_schema must be a mapping`},
		{name: "script without entry point", yaml: "name: x\nrunner_type: local-shell-script\n", wantErr: `x.yaml:1: runner "local-shell-script" needs an entry_point`},
		{name: "entry point is a directory", yaml: "name: x\nrunner_type: orquesta\nentry_point: workflows\n", wantErr: `x.yaml:3: entry_point "workflows" is a directory`},
		{name: "name not a string", yaml: "name: [x]\nrunner_type: noop\n", wantErr: `x.yaml:1: name must be a string, not a list`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			dir := writePack(t, "p", map[string]string{
				"actions/x.yaml":           tc.yaml,
				"actions/workflows/w.yaml": "version: 1.0\n",
				"actions/other.yaml":       "name: other\nrunner_type: noop\n",
				"actions/zdup.yaml":        "runner_type: noop\ndescription: same name\nname: other\n",
			})
			l, errs := Load(dir)
			wantErrors(t, errs, tc.wantErr, `/p/actions/zdup.yaml:3: action "other" is already defined in actions/other.yaml`)
			if got := actionNames(l); len(got) != 1 || got[0] != "other" {
				t.Errorf("actions = %v, want [other]", got)
			}
		})
	}
}

func TestSyntaxErrorLines(t *testing.T) {
	tests := []struct {
		name string
		yaml string
		want string
	}{
		{name: "first line", yaml: "name: x: y\nrunner_type: noop\n", want: "x.yaml:1: mapping values are not allowed in this context"},
		{name: "third line", yaml: "name: x\nrunner_type: noop\ndescription: a: b\n", want: "x.yaml:3: mapping values are not allowed in this context"},
		{name: "tab", yaml: "\tname: x\n", want: "x.yaml:1: found character that cannot start any token"},
		{name: "block sequence", yaml: "name: x\nparameters:\n  - a\n  b: 2\n", want: "x.yaml:3: did not find expected '-' indicator"},
		{name: "unclosed flow sequence", yaml: "name: x\ntags: [1, 2\nrunner_type: noop\n", want: "x.yaml:2: did not find expected ',' or ']'"},
		{name: "block mapping", yaml: "name: x\n  runner_type: noop\n", want: "x.yaml:2: mapping values are not allowed in this context"},
		{name: "unterminated string", yaml: "name: \"x\nrunner_type: noop\n", want: "x.yaml:3: found unexpected end of stream"},
		{name: "bad encoding", yaml: "name: \xff\n", want: "x.yaml: invalid leading UTF-8 octet"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			dir := writePack(t, "p", map[string]string{"actions/x.yaml": tc.yaml})
			_, errs := Load(dir)
			wantErrors(t, errs, tc.want)
		})
	}
}

func TestAliasBomb(t *testing.T) {
	var b strings.Builder
	b.WriteString("name: x\nrunner_type: noop\noutput_schema:\n  l0: &l0 [a, a, a, a, a, a, a, a, a, a]\n")
	for i := 1; i <= 8; i++ {
		fmt.Fprintf(&b, "  l%d: &l%d [*l%d, *l%d, *l%d, *l%d, *l%d, *l%d, *l%d, *l%d, *l%d, *l%d]\n", i, i,
			i-1, i-1, i-1, i-1, i-1, i-1, i-1, i-1, i-1, i-1)
	}
	dir := writePack(t, "p", map[string]string{"actions/x.yaml": b.String()})
	_, errs := Load(dir)
	wantErrors(t, errs, "x.yaml: document has more than 1048576 values once aliases are expanded")
}

// TestAliasLoop: an alias inside the value it refers to is an error, not
// an endless value.
func TestAliasLoop(t *testing.T) {
	dir := writePack(t, "p", map[string]string{"actions/x.yaml": "name: x\nrunner_type: noop\noutput_schema: &s\n  properties: *s\n"})
	_, errs := Load(dir)
	wantErrors(t, errs, "x.yaml:4: alias *s is inside the value it refers to, which then has no end")
}
