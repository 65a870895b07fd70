package rules

import (
	"strings"
	"testing"
)

// The RULES cases of the StackStorm bug corpus (st2-bug-cases.md), tested
// at this package's level: rule files are parsed, trigger instances are
// matched through an Index, and the failed enforcements the rules engine
// would write are the CriterionErrors. Writing the enforcement records and
// running the actions is the rules engine service's part.

// mustRule parses a rule on the "hook" webhook with the given criteria
// block (YAML, indented by two spaces).
func mustRule(t *testing.T, name, criteria string) *Rule {
	t.Helper()
	src := "name: " + name + "\npack: bugs\nenabled: true\ntrigger:\n  type: core.st2.webhook\n  parameters:\n    url: hook\n" +
		"criteria:\n" + criteria + "action:\n  ref: core.noop\n"
	r, err := ParseRule(name+".yaml", []byte(src), Options{})
	if err != nil {
		t.Fatal(err)
	}
	return r
}

// fire matches a webhook body against the rules and returns the names of
// the rules that matched and the failed enforcements written.
func fire(t *testing.T, ix *Index, body string) (matched string, failures []string) {
	t.Helper()
	evs, err := ix.Match("core.st2.webhook", hook("hook"), j(t, `{"headers": {}, "body": `+body+`}`), testEval)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range evs {
		for _, ce := range e.Result.Errors {
			failures = append(failures, ce.FailureReason(e.Rule.Ref, "ti-1"))
		}
	}
	return refs(Matched(evs)), failures
}

// TestBL02PatternSeesTrigger: a criteria pattern can compare two payload
// fields through "{{ trigger... }}" (StackStorm/st2#3272), and a pattern
// that fails to render fails its rule only, with a failure reason.
func TestBL02PatternSeesTrigger(t *testing.T) {
	failover := mustRule(t, "failover", `  trigger.body.event: {type: equals, pattern: member-failed}
  trigger.body.host:  {type: equals, pattern: "{{ trigger.body.master }}"}
`)
	broken := mustRule(t, "broken", `  trigger.body.host: {type: equals, pattern: "{{ trigger.body.nope }}"}
`)
	ix, _ := NewIndex(failover, broken)

	matched, failures := fire(t, ix, `{"event": "member-failed", "host": "node-a", "master": "node-a"}`)
	if matched != "failover" {
		t.Errorf("same master: matched %q, want failover", matched)
	}
	if len(failures) != 1 || !strings.Contains(failures[0], `Failed to match rule "bugs.broken" against trigger instance "ti-1": Failed to render pattern value "{{ trigger.body.nope }}" for key "trigger.body.host"`) {
		t.Errorf("failures %q", failures)
	}
	matched, _ = fire(t, ix, `{"event": "member-failed", "host": "node-a", "master": "node-b"}`)
	if matched != "" {
		t.Errorf("other master: matched %q, want nothing", matched)
	}
}

// TestBL03ExistsWithoutPattern: exists/nexists load without a pattern
// (StackStorm/st2#6197); exists means "not null".
func TestBL03ExistsWithoutPattern(t *testing.T) {
	exists := mustRule(t, "has_org", "  trigger.body.org_id: {type: exists}\n")
	nexists := mustRule(t, "no_org", "  trigger.body.org_id:\n    type: nexists\n")
	ix, _ := NewIndex(exists, nexists)
	for body, want := range map[string]string{
		`{"org_id": "o-1"}`: "has_org",
		`{"org_id": null}`:  "no_org",
		`{}`:                "no_org",
	} {
		if matched, failures := fire(t, ix, body); matched != want || len(failures) != 0 {
			t.Errorf("%s: matched %q with failures %q; want %q", body, matched, failures, want)
		}
	}
}

// TestBL04HashSuffix: "#..." lets two criteria test one path
// (StackStorm/st2#2656); they are AND-ed.
func TestBL04HashSuffix(t *testing.T) {
	r := mustRule(t, "errors", `  trigger.body.msg#1: {type: contains,  pattern: ERROR}
  trigger.body.msg#2: {type: ncontains, pattern: ignore-me}
`)
	if len(r.Criteria) != 2 || r.Criteria[0].Path() != "trigger.body.msg" || r.Criteria[1].Path() != "trigger.body.msg" {
		t.Fatalf("criteria %+v", r.Criteria)
	}
	ix, _ := NewIndex(r)
	for body, want := range map[string]string{
		`{"msg": "ERROR disk full"}`: "errors",
		`{"msg": "ERROR ignore-me"}`: "",
		`{"msg": "ok"}`:              "",
	} {
		if matched, failures := fire(t, ix, body); matched != want || len(failures) != 0 {
			t.Errorf("%s: matched %q with failures %q; want %q", body, matched, failures, want)
		}
	}
	// Without the suffixes YAML keeps one of the two; st2go says so.
	dup, err := ParseRule("dup.yaml", []byte(goodHead+"criteria:\n  trigger.body.msg: {type: contains, pattern: ERROR}\n  trigger.body.msg: {type: ncontains, pattern: ignore-me}\n"), Options{})
	if err != nil || len(dup.Criteria) != 1 || !strings.Contains(strings.Join(dup.Warnings, "\n"), "add a #suffix") {
		t.Errorf("duplicate keys: %v, criteria %+v, warnings %q", err, dup.Criteria, dup.Warnings)
	}
}

// TestBL05RegexOnNonString: a regex operator on a non-string value fails
// its rule with a failure reason and does not stop other rules
// (StackStorm/st2contrib#537); matchregex is anchored at the start, regex
// and iregex search.
func TestBL05RegexOnNonString(t *testing.T) {
	ruleA := mustRule(t, "nagios_hard", "  trigger.body.state_type: {type: matchregex, pattern: HARD}\n")
	ruleB := mustRule(t, "process_check", "  trigger.body.service: {type: regex, pattern: \"check_.*_process\"}\n")
	ix, _ := NewIndex(ruleA, ruleB)
	matched, failures := fire(t, ix, `{"state_type": 1, "service": "nginx_check_web_process", "tags": ["a", "b"]}`)
	if matched != "process_check" {
		t.Errorf("matched %q, want process_check", matched)
	}
	want := `Failed to match rule "bugs.nagios_hard" against trigger instance "ti-1": There might be a problem with the criteria in rule bugs.nagios_hard: expected string or bytes-like object, got 'int'`
	if len(failures) != 1 || failures[0] != want {
		t.Errorf("failures %q\nwant [%q]", failures, want)
	}
	for _, c := range []struct {
		op   string
		want bool
	}{{"matchregex", false}, {"regex", true}, {"iregex", true}} {
		res := testEval.Match(crit("trigger.v", c.op, "bar"), j(t, `{"v": "foobar"}`))
		if res.Matched != c.want || len(res.Errors) != 0 {
			t.Errorf("%s bar vs foobar: %+v, want %v", c.op, res, c.want)
		}
	}
	// A regex over a list value fails too (StackStorm/st2#5375: lists are
	// not searched item by item).
	res := testEval.Match(crit("trigger.tags", "regex", "a"), j(t, `{"tags": ["a", "b"]}`))
	if res.Matched || len(res.Errors) != 1 {
		t.Errorf("regex over a list: %+v", res)
	}
}
