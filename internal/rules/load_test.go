package rules

import (
	"encoding/json"
	"errors"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/st2go/st2go/internal/expr"
)

const examplesDir = "testdata/packs/examples"

func TestLoadPackRuleShape(t *testing.T) {
	r, err := LoadPackRule("examples", examplesDir, filepath.Join(examplesDir, "rules", "sample_rule.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	// The shape StackStorm's API serves (see ST2-CLI-REQUESTS.md,
	// 45_rule_disable), plus the ref, which the API computes.
	want := `{"uid":"rule:examples:sample_rule","ref":"examples.sample_rule","name":"sample_rule","pack":"examples",` +
		`"description":"Sample rule.","enabled":true,"trigger":{"type":"core.st2.webhook","parameters":{"url":"sample"}},` +
		`"criteria":{},"action":{"ref":"core.local","parameters":{"cmd":"echo {{trigger.body}}"}},` +
		`"type":{"ref":"standard","parameters":{}},"tags":[],"context":{},"metadata_file":"rules/sample_rule.yaml"}`
	got, err := json.Marshal(r)
	if err != nil {
		t.Fatal(err)
	}
	if string(got) != want {
		t.Errorf("JSON:\n got %s\nwant %s", got, want)
	}
	if len(r.Warnings) != 0 {
		t.Errorf("warnings: %v", r.Warnings)
	}
}

func TestLoadPackRuleFields(t *testing.T) {
	r, err := LoadPackRule("examples", examplesDir, filepath.Join(examplesDir, "rules", "webhook_criteria.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	if r.Pack != "examples" || r.Ref != "examples.webhook_criteria" || r.UID != "rule:examples:webhook_criteria" || !r.Enabled {
		t.Errorf("identity: %+v", r)
	}
	keys := []string{}
	for _, c := range r.Criteria {
		keys = append(keys, c.Key)
	}
	if diff := cmp.Diff([]string{"trigger.body.msg#1", "trigger.body.msg#2", "trigger.body.org_id", "trigger.body.fields"}, keys); diff != "" {
		t.Errorf("criteria order (-want +got):\n%s", diff)
	}
	if r.Criteria[0].Line != 10 || r.Criteria[2].Type != OpExists || r.Criteria[2].Pattern != nil || r.Criteria[3].Condition != CondAny {
		t.Errorf("criteria: %+v", r.Criteria)
	}
	if nested, ok := r.Criteria[3].Pattern.(*expr.Dict); !ok || nested.Len() != 2 {
		t.Errorf("search pattern: %s", expr.Repr(r.Criteria[3].Pattern))
	}
	// PyYAML reads 0x10 as 16 and "on" as true.
	wantParams := map[string]any{"cmd": "echo {{ trigger.body.msg }}", "timeout": int64(16), "retry": true}
	if diff := cmp.Diff(wantParams, r.Action.Parameters); diff != "" {
		t.Errorf("action parameters (-want +got):\n%s", diff)
	}
	if len(r.Tags) != 1 || r.Tags[0].Name != "team" || r.Context["owner"] != "ops" {
		t.Errorf("tags %v, context %v", r.Tags, r.Context)
	}
	// The JSON round trip keeps the criteria.
	b, err := json.Marshal(r)
	if err != nil {
		t.Fatal(err)
	}
	back, err := ParseRuleJSON(b, Options{})
	if err != nil {
		t.Fatal(err)
	}
	b2, _ := json.Marshal(back)
	if string(b) != string(b2) {
		t.Errorf("JSON round trip:\n%s\n%s", b, b2)
	}
}

func TestLoadRuleWithoutPack(t *testing.T) {
	r, err := ParseRule("r.yaml", []byte("name: r\ntrigger: {type: core.st2.IntervalTimer, parameters: {unit: seconds, delta: 5}}\naction: {ref: core.noop}\n"), Options{})
	if err != nil {
		t.Fatal(err)
	}
	if r.Pack != DefaultPack || r.Ref != "default.r" || r.Enabled || r.MetadataFile != "" || r.Type.Ref != TypeStandard {
		t.Errorf("%+v", r)
	}
	if r.Trigger.Parameters["delta"] != int64(5) {
		t.Errorf("parameters %v", r.Trigger.Parameters)
	}
}

const goodHead = "name: r\ntrigger:\n  type: t\naction:\n  ref: a\n"

// TestParseRuleErrors checks that each problem is reported with its file
// and line.
func TestParseRuleErrors(t *testing.T) {
	cases := []struct {
		name string
		yaml string
		want []string // substrings of the error, each "file:line: ..."
	}{
		{"missing name", "trigger: {type: t}\naction: {ref: a}\n", []string{"r.yaml:1: name is required"}},
		{"name not a string", "name: 5\ntrigger: {type: t}\naction: {ref: a}\n", []string{"r.yaml:1: name must be a string, not a number"}},
		{"name is a YAML 1.1 boolean", "name: yes\ntrigger: {type: t}\naction: {ref: a}\n", []string{"r.yaml:1: name must be a string, not a boolean"}},
		{"unknown field", goodHead + "notes: x\n", []string{`r.yaml:6: rule: unknown field "notes"`}},
		{"missing trigger", "name: r\naction: {ref: a}\n", []string{"r.yaml:1: trigger is required"}},
		{"trigger type missing", "name: r\ntrigger:\n  parameters: {}\naction: {ref: a}\n", []string{"r.yaml:3: trigger.type is required"}},
		{"trigger parameters not a mapping", "name: r\ntrigger:\n  type: t\n  parameters: [1]\naction: {ref: a}\n", []string{"r.yaml:4: trigger.parameters must be a mapping, not a list"}},
		{"action extra field", "name: r\ntrigger: {type: t}\naction:\n  ref: a\n  params: {}\n", []string{`r.yaml:5: action: unknown field "params"`}},
		{"action ref missing", "name: r\ntrigger: {type: t}\naction:\n  parameters: {}\n", []string{"r.yaml:4: action.ref is required"}},
		{"enabled not a boolean", goodHead + "enabled: maybe\n", []string{"r.yaml:6: enabled must be a boolean"}},
		{"type without ref", goodHead + "type:\n  parameters: {}\n", []string{"r.yaml:7: type.ref is required"}},
		{"tags not a list", goodHead + "tags: a\n", []string{"r.yaml:6: tags must be a list"}},
		{"criteria not a mapping", goodHead + "criteria: [1]\n", []string{"r.yaml:6: criteria must be a mapping, not a list"}},
		{"criterion not a mapping", goodHead + "criteria:\n  trigger.a: equals\n", []string{`r.yaml:7: criteria "trigger.a" must be a mapping, not a string`}},
		{"unknown operator", goodHead + "criteria:\n  trigger.a:\n    pattern: x\n    type: equalz\n", []string{`r.yaml:9: criteria "trigger.a": unknown operator "equalz" (known: contains,`}},
		{"operator case", goodHead + "criteria:\n  trigger.a:\n    type: EQUALS\n    pattern: x\n", []string{`r.yaml:8: criteria "trigger.a": unknown operator "EQUALS"`}},
		{"no operator", goodHead + "criteria:\n  trigger.a:\n    pattern: x\n", []string{`r.yaml:7: criteria "trigger.a": no operator (type) is given`}},
		{"no pattern", goodHead + "criteria:\n  trigger.a:\n    type: equals\n", []string{`r.yaml:7: criteria "trigger.a": operator "equals" needs a pattern`}},
		{"null pattern", goodHead + "criteria:\n  trigger.a:\n    type: equals\n    pattern: null\n", []string{`r.yaml:9: criteria "trigger.a": operator "equals" needs a pattern`}},
		{"search without condition", goodHead + "criteria:\n  trigger.a:\n    type: search\n    pattern:\n      item.x: {type: exists}\n", []string{`r.yaml:7: criteria "trigger.a": a search needs a condition`}},
		{"search bad condition", goodHead + "criteria:\n  trigger.a:\n    type: search\n    condition: most\n    pattern: {}\n", []string{`r.yaml:9: criteria "trigger.a": unknown search condition "most"`}},
		{"search nested unknown operator", goodHead + "criteria:\n  trigger.a:\n    type: search\n    condition: any\n    pattern:\n      item.x:\n        type: nope\n", []string{`r.yaml:12: criteria "trigger.a": nested criterion "item.x": unknown operator "nope"`}},
		{"search pattern a list", goodHead + "criteria:\n  trigger.a:\n    type: search\n    condition: any\n    pattern: [1]\n", []string{`r.yaml:10: criteria "trigger.a": a search pattern must be a mapping`}},
		{"several problems", "name: 1\ntrigger: {type: t}\naction: {ref: a, x: 1}\nenabled: 2\n", []string{"r.yaml:1: name must be a string", `r.yaml:3: action: unknown field "x"`, "r.yaml:4: enabled must be a boolean"}},
		{"YAML syntax", "name: r\ntrigger:\n  type: [a\naction: {ref: a}\n", []string{"r.yaml:3: parsing YAML: did not find expected ',' or ']'"}},
		{"empty", "# nothing\n", []string{"r.yaml: the rule is empty"}},
		{"YAML alias loop", "name: r\ntrigger: &t {type: t, parameters: *t}\naction: {ref: a}\n", []string{"r.yaml:2: alias *t is inside the value it refers to"}},
		{"YAML scalar its tag does not allow", goodHead + "context: {a: !!int x}\n", []string{`r.yaml:6: parsing YAML: cannot read "x" as !!int`}},
		{"a list", "- name: r\n", []string{"r.yaml:1: a rule must be a mapping, not a list"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := ParseRule("r.yaml", []byte(c.yaml), Options{})
			if err == nil {
				t.Fatal("no error")
			}
			for _, w := range c.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q\ndoes not contain %q", err, w)
				}
			}
			var re *Error
			if !errors.As(err, &re) {
				t.Errorf("%v is not a *rules.Error", err)
			}
		})
	}
}

func TestParseRuleAcceptsExistsWithoutPattern(t *testing.T) {
	r, err := ParseRule("r.yaml", []byte(goodHead+"criteria:\n  trigger.a:\n    type: exists\n  trigger.b:\n    type: nexists\n"), Options{})
	if err != nil {
		t.Fatal(err)
	}
	if len(r.Criteria) != 2 {
		t.Fatalf("%+v", r.Criteria)
	}
}

func TestLoadPackRuleOtherPack(t *testing.T) {
	_, err := LoadPackRule("other", examplesDir, filepath.Join(examplesDir, "rules", "sample_rule.yaml"))
	if err == nil || !strings.Contains(err.Error(), `sample_rule.yaml:3: the rule is in pack "other" but its pack field says "examples"`) {
		t.Fatalf("got %v", err)
	}
	if _, err := LoadRule(filepath.Join(examplesDir, "rules", "missing.yaml")); err == nil {
		t.Fatal("no error for a missing file")
	}
}

func TestParseRuleWarnings(t *testing.T) {
	src := goodHead + `type:
  ref: backstp
criteria:
  trigger.a:
    type: equals
    pattern: 1
  trigger.a:
    type: equals
    pattern: 2
  payload.b:
    type: exists
  trigger.c]:
    type: exists
`
	r, err := ParseRule("r.yaml", []byte(src), Options{})
	if err != nil {
		t.Fatal(err)
	}
	want := []string{
		`line 7: rule type "backstp" is neither "standard" nor "backstop"`,
		`criteria key "trigger.a" is given more than once`,
		`line 15: criteria key "payload.b" does not start with "trigger"`,
		`line 17: criteria key "trigger.c]" is not a valid payload path`,
	}
	all := strings.Join(r.Warnings, "\n")
	for _, w := range want {
		if !strings.Contains(all, w) {
			t.Errorf("warnings\n%s\ndo not mention %q", all, w)
		}
	}
	// The last of the duplicates wins, in the first one's place.
	if len(r.Criteria) != 3 || r.Criteria[0].Pattern != int64(2) {
		t.Errorf("criteria %+v", r.Criteria)
	}
}

func TestYAML11Scalars(t *testing.T) {
	src := goodHead + `criteria:
  trigger.a: {type: equals, pattern: 0777}
  trigger.b: {type: equals, pattern: 1e3}
  trigger.c: {type: equals, pattern: 1:30}
  trigger.d: {type: equals, pattern: off}
  trigger.e: {type: equals, pattern: "off"}
  trigger.f: {type: equals, pattern: 2024-05-01}
  trigger.g: {type: equals, pattern: 1_000}
  trigger.h: {type: equals, pattern: 1.5e+3}
  trigger.j: {type: equals, pattern: !!str 12}
  trigger.k: {type: equals, pattern: 12345678901234567890123}
  trigger.l:
    type: equals
    pattern: |
      multi
`
	r, err := ParseRule("r.yaml", []byte(src), Options{})
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"511", "'1e3'", "90", "False", "'off'", "'2024-05-01'", "1000", "1500.0", "'12'", "12345678901234567890123", "'multi\\n'"}
	var got []string
	for _, c := range r.Criteria {
		got = append(got, expr.Repr(c.Pattern))
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("patterns (-want +got):\n%s", diff)
	}
}

func TestParseRuleJSON(t *testing.T) {
	body := `{"name": "r", "pack": "p", "enabled": true, "trigger": {"type": "t", "parameters": {}, "ref": "p.abc"},
		"criteria": {"trigger.x": {"type": "iequals", "pattern": "A"}}, "action": {"ref": "core.noop"},
		"id": "6632", "uid": "ignored", "ref": "ignored"}`
	r, err := ParseRuleJSON([]byte(body), Options{})
	if err != nil {
		t.Fatal(err)
	}
	if r.ID != "6632" || r.Ref != "p.r" || r.UID != "rule:p:r" || r.Trigger.Ref != "p.abc" || len(r.Criteria) != 1 {
		t.Errorf("%+v", r)
	}
	_, err = ParseRuleJSON([]byte(`{"name": "r", "trigger": {"type": "t"}, "action": {"ref": "a"}, "criteria": {"trigger.x": {"type": "bad", "pattern": 1}}}`), Options{})
	if err == nil || !strings.Contains(err.Error(), `criteria "trigger.x": unknown operator "bad"`) {
		t.Errorf("got %v", err)
	}
	if _, err := ParseRuleJSON([]byte(`{`), Options{}); err == nil {
		t.Error("no error for bad JSON")
	}
}
