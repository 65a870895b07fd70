package rules

import (
	"errors"
	"fmt"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/st2go/st2go/internal/expr"
)

// fakeJinja renders "{{ a.b.c }}" and "{{ a.b | to_complex }}" by looking
// the dotted path up in vars; anything else inside a tag, or an undefined
// name, is an error. It stands in for internal/expr/jinja, so these tests
// check this package's side of the contract only.
func fakeJinja(template string, vars map[string]any) (string, error) {
	if strings.Contains(template, "{%") {
		return "", errors.New("TemplateSyntaxError: statements are not supported here")
	}
	var ferr error
	out := fakeTag.ReplaceAllStringFunc(template, func(tag string) string {
		inner := strings.TrimSpace(tag[2 : len(tag)-2])
		path, filter, _ := strings.Cut(inner, "|")
		path, filter = strings.TrimSpace(path), strings.TrimSpace(filter)
		parts := strings.Split(path, ".")
		v, ok := vars[parts[0]]
		for _, p := range parts[1:] {
			d, isDict := v.(*expr.Dict)
			if !ok || !isDict {
				ok = false
				break
			}
			v, ok = d.Get(p)
		}
		if !ok {
			ferr = fmt.Errorf("UndefinedError: '%s' is undefined", path)
			return ""
		}
		switch filter {
		case "":
			return expr.Str(v)
		case "to_complex":
			s, err := expr.ToJSON(v)
			if err != nil {
				ferr = err
			}
			return s
		}
		ferr = fmt.Errorf("TemplateAssertionError: no filter named '%s'", filter)
		return ""
	})
	return out, ferr
}

var fakeTag = regexp.MustCompile(`\{\{.*?\}\}`)

var testEval = &Evaluator{Render: fakeJinja, Now: func() time.Time { return testNow }}

// crit builds criteria from (key, type, pattern) triples.
func crit(triples ...any) Criteria {
	var cs Criteria
	for i := 0; i+2 < len(triples); i += 3 {
		cs = append(cs, Criterion{Key: triples[i].(string), Type: triples[i+1].(string), Pattern: triples[i+2]})
	}
	return cs
}

func TestMatchLookup(t *testing.T) {
	payload := `{"body": {"message": "hello", "count": 3, "none": null, "list": [1, 2],
		"items": [{"name": "n0"}, {"name": "n1"}]},
		"headers": {"X-Github-Event": "push", "a b": 1}}`
	cases := []struct {
		name     string
		criteria Criteria
		want     bool
	}{
		{"dotted path", crit("trigger.body.message", "equals", "hello"), true},
		{"dotted path, other value", crit("trigger.body.message", "equals", "bye"), false},
		{"number", crit("trigger.body.count", "equals", int64(3)), true},
		{"number against a string", crit("trigger.body.count", "equals", "3"), false},
		{"hyphenated key", crit("trigger.headers.X-Github-Event", "equals", "push"), true},
		{"quoted key", crit("trigger.headers.'a b'", "equals", int64(1)), true},
		{"index", crit("trigger.body.items[1].name", "equals", "n1"), true},
		{"wildcard takes the first match", crit("trigger.body.items[*].name", "equals", "n0"), true},
		{"index past the end is None", crit("trigger.body.list[5]", "nexists", nil), true},
		{"missing key is None", crit("trigger.body.nothing", "nexists", nil), true},
		{"missing key fails exists", crit("trigger.body.nothing", "exists", nil), false},
		{"null is None", crit("trigger.body.none", "nexists", nil), true},
		{"no trigger prefix reads nothing", crit("body.message", "nexists", nil), true},
		{"whole payload", crit("trigger", "exists", nil), true},
		{"missing key with equals", crit("trigger.body.nothing", "equals", "x"), false},
		{"missing key with nequals", crit("trigger.body.nothing", "nequals", "x"), true},
		{"hash suffix ignored", crit("trigger.body.message#1", "equals", "hello"), true},
		{"only the first hash counts", crit("trigger.body.message#a#b", "equals", "hello"), true},
		{"several criteria on one path", crit("trigger.body.message#1", "startswith", "he", "trigger.body.message#2", "endswith", "lo"), true},
		{"all criteria must pass", crit("trigger.body.message#1", "startswith", "he", "trigger.body.message#2", "endswith", "xx"), false},
		{"no criteria", nil, true},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			res := testEval.Match(c.criteria, j(t, payload))
			if res.Matched != c.want {
				t.Fatalf("matched = %v, want %v (miss: %v, errors: %v)", res.Matched, c.want, res.Miss, res.Errors)
			}
			if len(res.Errors) > 0 {
				t.Fatalf("unexpected errors: %v", res.Errors)
			}
		})
	}
}

func TestMatchEmptyPayload(t *testing.T) {
	for _, p := range []string{`null`, `{}`, `[]`, `""`} {
		res := testEval.Match(crit("trigger.x", "nexists", nil), j(t, p))
		if res.Matched || res.Miss == nil || res.Miss.Why != "payload is empty" {
			t.Errorf("payload %s: %+v; want no match on an empty payload", p, res)
		}
		if res := testEval.Match(nil, j(t, p)); !res.Matched {
			t.Errorf("payload %s: no criteria must match", p)
		}
	}
}

func TestMatchPlainGoPayload(t *testing.T) {
	payload := map[string]any{"body": map[string]any{"n": 5, "tags": []string{"a", "b"}}}
	res := testEval.Match(crit("trigger.body.n", "equals", int64(5), "trigger.body.tags", "contains", "b"), payload)
	if !res.Matched {
		t.Fatalf("plain Go payload: %+v", res)
	}
}

func TestMatchStopsAtFirstMiss(t *testing.T) {
	// The second criterion would raise (None < 1); it must not be reached.
	cs := crit("trigger.a", "equals", "no", "trigger.missing", "lessthan", int64(1))
	res := testEval.Match(cs, j(t, `{"a": "yes"}`))
	if res.Matched || len(res.Errors) != 0 || res.Miss.Key != "trigger.a" || res.Miss.Why != "not matched" {
		t.Fatalf("%+v", res)
	}
	if got, want := res.Miss.String(), "key: trigger.a, pattern: no, type: equals, payload: yes"; got != want {
		t.Errorf("Miss.String() = %q, want %q", got, want)
	}
	// In the other order the error is met and reported.
	res = testEval.Match(Criteria{cs[1], cs[0]}, j(t, `{"a": "yes"}`))
	if res.Matched || len(res.Errors) != 1 || res.Errors[0].Stage != StageOperator {
		t.Fatalf("%+v", res)
	}
}

func TestMatchCriterionWithoutType(t *testing.T) {
	res := testEval.Match(Criteria{{Key: "trigger.a", Pattern: "x"}}, j(t, `{"a": "x"}`))
	if res.Matched || res.Miss.Why != "no type" || len(res.Errors) != 0 {
		t.Fatalf("%+v", res)
	}
}

func TestRenderPattern(t *testing.T) {
	payload := `{"n": 5, "s": "5", "name": "web", "list": [1, 2], "obj": {"k": "v"}, "none": null, "nl": "a"}`
	cases := []struct {
		name    string
		pattern any
		want    any // an expr value; JSON text when a string starting with "json:"
	}{
		{"no markup", "plain", "plain"},
		{"no markup, trailing newline dropped", "plain\n", "plain"},
		{"no markup, one trailing newline only", "plain\n\n", "plain\n"},
		{"no markup, CRLF", "a\r\nb", "a\nb"},
		{"non-strings are not rendered", int64(7), int64(7)},
		{"lists are not rendered", "json:[\"{{ trigger.n }}\"]", "json:[\"{{ trigger.n }}\"]"},
		{"an int stays an int", "{{ trigger.n }}", int64(5)},
		{"a numeric string stays a string", "{{ trigger.s }}", "5"},
		{"a list", "{{ trigger.list }}", "json:[1, 2]"},
		{"a dict", "{{trigger.obj}}", "json:{\"k\": \"v\"}"},
		{"null", "{{ trigger.none }}", nil},
		{"text around: plain rendering", "app-{{ trigger.name }}", "app-web"},
		{"two expressions: plain rendering", "{{ trigger.name }}/{{ trigger.n }}", "web/5"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			p := c.pattern
			if s, ok := p.(string); ok && strings.HasPrefix(s, "json:") {
				p = j(t, s[5:])
			}
			got, err := testEval.renderPattern(p, "trigger", j(t, payload))
			if err != nil {
				t.Fatal(err)
			}
			want := c.want
			if s, ok := want.(string); ok && strings.HasPrefix(s, "json:") {
				want = j(t, s[5:])
			}
			if !expr.Equal(got, want) || expr.TypeName(got) != expr.TypeName(want) {
				t.Fatalf("got %s, want %s", expr.Repr(got), expr.Repr(want))
			}
		})
	}
}

// TestRenderFallsBackFromToComplex: when rendering with to_complex fails,
// the plain rendering is used (StackStorm fails the criterion, st2#5260).
func TestRenderFallsBackFromToComplex(t *testing.T) {
	calls := 0
	ev := &Evaluator{Render: func(tmpl string, vars map[string]any) (string, error) {
		calls++
		if strings.Contains(tmpl, "to_complex") {
			return "", errors.New("TypeError: Object of type KeyValueLookup is not JSON serializable")
		}
		return "stored-value", nil
	}}
	res := ev.Match(crit("trigger.v", "equals", "{{ st2kv.system.x }}"), j(t, `{"v": "stored-value"}`))
	if !res.Matched || calls != 2 {
		t.Fatalf("%+v after %d renders", res, calls)
	}
}

func TestMatchFailures(t *testing.T) {
	payload := `{"a": "x", "n": 1}`
	cases := []struct {
		name     string
		criteria Criteria
		stage    Stage
		reason   string
	}{
		{"render error", crit("trigger.a", "equals", "{{ trigger.nope }}"), StageRender,
			`Failed to match rule "p.r" against trigger instance "ti1": Failed to render pattern value "{{ trigger.nope }}" for key "trigger.a": UndefinedError: 'trigger.nope' is undefined`},
		{"bad path", crit("trigger.a[", "equals", "x"), StageLookup,
			`Failed to match rule "p.r" against trigger instance "ti1": Failed transforming criteria key trigger.a[: Parse error near the end of string!`},
		{"operator raises", crit("trigger.n", "matchregex", "HARD"), StageOperator,
			`Failed to match rule "p.r" against trigger instance "ti1": There might be a problem with the criteria in rule p.r: expected string or bytes-like object, got 'int'`},
		{"unknown operator", crit("trigger.a", "weird", "x"), StageOperator, ""},
		{"search spelt in upper case", Criteria{{Key: "trigger.a", Type: "SEARCH", Condition: "any", Pattern: expr.NewDict(0)}}, StageOperator,
			`Failed to match rule "p.r" against trigger instance "ti1": There might be a problem with the criteria in rule p.r: search() missing 2 required positional arguments: 'criteria_condition' and 'check_function'`},
		{"no renderer", crit("trigger.a", "equals", "{{ trigger.a }}"), StageRender, ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			ev := testEval
			if c.name == "no renderer" {
				ev = &Evaluator{}
			}
			res := ev.Match(c.criteria, j(t, payload))
			if res.Matched || len(res.Errors) != 1 {
				t.Fatalf("%+v", res)
			}
			e := res.Errors[0]
			if e.Stage != c.stage || e.Key != c.criteria[0].Key || res.Miss == nil || res.Miss.Err == nil {
				t.Fatalf("error %+v, miss %+v", e, res.Miss)
			}
			if c.reason != "" {
				if got := e.FailureReason("p.r", "ti1"); got != c.reason {
					t.Errorf("FailureReason:\n got %s\nwant %s", got, c.reason)
				}
			}
		})
	}
}

func TestMatchSearch(t *testing.T) {
	payload := j(t, `{"issue": {"fields": [
		{"field_name": "Status", "to_value": "Approved", "n": 45},
		{"field_name": "Assigned to", "to_value": "Stanley", "n": 20}]}}`)
	search := func(cond string, nested string) Criteria {
		return Criteria{{Key: "trigger.issue.fields", Type: OpSearch, Condition: cond, Pattern: j(t, nested)}}
	}
	statusApproved := `{"item.field_name": {"type": "equals", "pattern": "Status"},
		"item.to_value": {"type": "equals", "pattern": "Approved"}}`
	cases := []struct {
		name     string
		criteria Criteria
		want     bool
		errors   int
	}{
		{"any item passes all", search(CondAny, statusApproved), true, 0},
		{"not all items pass all", search(CondAll, statusApproved), false, 0},
		{"all items pass some", search(CondAll2Any, `{"item.n#1": {"type": "gt", "pattern": 40}, "item.n#2": {"type": "lt", "pattern": 30}}`), true, 0},
		{"any2any", search(CondAny2Any, `{"item.n#1": {"type": "gt", "pattern": 100}, "item.to_value": {"type": "equals", "pattern": "Stanley"}}`), true, 0},
		{"nested patterns see item", search(CondAny, `{"item.to_value": {"type": "equals", "pattern": "{{ item.to_value }}"}}`), true, 0},
		{"nested patterns do not see trigger", search(CondAny, `{"item.to_value": {"type": "equals", "pattern": "{{ trigger.issue }}"}}`), false, 2},
		{"nested failures are all reported", search(CondAll2Any, `{"item.n": {"type": "matchregex", "pattern": "4"}, "item.to_value": {"type": "startswith", "pattern": "A"}}`), false, 2},
		{"a nested unknown operator fails the search", search(CondAny, `{"item.n": {"type": "weird", "pattern": 1}}`), false, 1},
		{"a nested criterion without type fails quietly", search(CondAny, `{"item.n": {"pattern": 1}}`), false, 0},
		{"bad condition", search("most", statusApproved), false, 1},
		{"search over a missing key", Criteria{{Key: "trigger.nothing", Type: OpSearch, Condition: CondAny, Pattern: j(t, statusApproved)}}, false, 1},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			res := testEval.Match(c.criteria, payload)
			if res.Matched != c.want || len(res.Errors) != c.errors {
				t.Fatalf("matched %v with %d errors %v; want %v with %d", res.Matched, len(res.Errors), res.Errors, c.want, c.errors)
			}
		})
	}
}

func TestCriteriaJSON(t *testing.T) {
	in := `{"trigger.b#2":{"type":"search","pattern":{"item.x":{"type":"eq","pattern":1.0}},"condition":"any"},"trigger.a":{"type":"exists","note":"kept"}}`
	var cs Criteria
	if err := cs.UnmarshalJSON([]byte(in)); err != nil {
		t.Fatal(err)
	}
	if len(cs) != 2 || cs[0].Key != "trigger.b#2" || cs[0].Path() != "trigger.b" || cs[0].Condition != "any" || cs[1].Extra == nil {
		t.Fatalf("%+v", cs)
	}
	out, err := cs.MarshalJSON()
	if err != nil {
		t.Fatal(err)
	}
	if string(out) != in {
		t.Errorf("round trip:\n got %s\nwant %s", out, in)
	}
	for _, bad := range []string{`[1]`, `{"k": 1}`, `{"k": {"type": 1}}`, `{"k": {"type": "eq", "condition": []}}`} {
		var cs Criteria
		if err := cs.UnmarshalJSON([]byte(bad)); err == nil {
			t.Errorf("%s: no error", bad)
		}
	}
}

// TestPlainPathAgreesWithJSONPath: the direct walk of plain paths selects
// what the jsonpath-rw query does.
func TestPlainPathAgreesWithJSONPath(t *testing.T) {
	root := expr.DictOf("trigger", j(t, `{"a": {"b": [1, {"c": 2}], "d-e": null, "@x": {"_y": "z"}}, "s": "str", "n": 1}`))
	for _, p := range []string{"trigger", "trigger.a", "trigger.a.b", "trigger.a.b.c", "trigger.a.d-e", "trigger.a.@x._y",
		"trigger.s.x", "trigger.n.x", "trigger.missing", "other", "trigger.a.missing.deeper"} {
		if _, plain := plainPath(p); !plain {
			t.Errorf("%q is not taken as plain", p)
		}
		got, err := lookupFirst(root, p)
		found, err2 := lookupPath(root, p)
		var want any
		if l, ok := found.([]any); ok {
			want = l[0]
		}
		if err != nil || err2 != nil || !expr.Equal(got, want) {
			t.Errorf("%q: walk gives %s (%v), query %s (%v)", p, expr.Repr(got), err, expr.Repr(want), err2)
		}
	}
	for _, p := range []string{"trigger.a.b[1]", "trigger.'a'", "trigger..c", "trigger.a where b", "trigger.0", "trigger.*"} {
		if _, plain := plainPath(p); plain {
			t.Errorf("%q is taken as plain", p)
		}
	}
}
