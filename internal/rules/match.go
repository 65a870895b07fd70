package rules

import (
	"errors"
	"fmt"
	"regexp"
	"strings"
	"sync"
	"time"

	"github.com/st2go/st2go/internal/expr"
)

// Renderer renders one Jinja template with the given variables (expr
// values): "trigger" (the payload) for a rule's criteria, "item" (one
// list item) for a search's nested criteria. The renderer adds the
// datastore as StackStorm's render_template_with_system_context does
// (st2kv.system, and the legacy top-level system), fails on undefined
// names, and provides StackStorm's filters, to_complex among them.
type Renderer func(template string, vars map[string]any) (string, error)

// Evaluator matches criteria against trigger payloads. The zero value
// works: patterns with Jinja markup then fail (there is nothing to render
// them), the clock is time.Now and the operators are Operators. An
// Evaluator is safe for concurrent use if its Renderer is.
type Evaluator struct {
	// Render renders criteria patterns.
	Render Renderer
	// Now reads the clock for timediff_lt and timediff_gt.
	Now func() time.Time
	// Operators resolves criteria types.
	Operators *Registry
}

// Result is the outcome of matching one rule's criteria against one
// payload.
type Result struct {
	// Matched is true when every criterion passed.
	Matched bool
	// Miss describes why the criteria did not match (nil when they did).
	Miss *Miss
	// Errors are the failures met while evaluating, in order: a pattern
	// that would not render, a key that is not a valid path, an operator
	// that raised. StackStorm writes a failed rule enforcement for each,
	// and so should the caller (CriterionError.FailureReason gives the
	// text). A search reports every failure of its nested criteria, so
	// there may be several even though evaluation stops at the first
	// criterion that fails.
	Errors []*CriterionError
}

// Miss says which criterion stopped a match, or that none was tried.
type Miss struct {
	// Key is the criterion's key ("" when no criterion was tried).
	Key string
	// Type is the criterion's operator.
	Type string
	// Pattern is the criterion's pattern as rendered (as written if
	// rendering failed).
	Pattern any
	// Value is what the key selected in the payload (nil when missing).
	Value any
	// Why is a short explanation: "not matched", "failed" (see Err),
	// "no type", "payload is empty", "rule is disabled".
	Why string
	// Err is the criterion's failure, when it failed rather than not
	// matched.
	Err error
}

// String is StackStorm's log text for a failed criterion.
func (m *Miss) String() string {
	if m.Key == "" {
		return m.Why
	}
	s := fmt.Sprintf("key: %s, pattern: %s, type: %s, payload: %s", m.Key, expr.Str(m.Pattern), m.Type, expr.Str(m.Value))
	if m.Err != nil {
		s += ", error: " + m.Err.Error()
	}
	return s
}

// Stage says where a criterion failed.
type Stage int

// The stages of evaluating a criterion, in order.
const (
	StageRender   Stage = iota + 1 // rendering the pattern
	StageLookup                    // reading the key's path from the payload
	StageOperator                  // resolving and applying the operator
)

// CriterionError is a criterion that failed (rather than did not match).
type CriterionError struct {
	Key     string
	Stage   Stage
	Pattern any // the pattern as written
	Err     error
}

func (e *CriterionError) Error() string {
	switch e.Stage {
	case StageRender:
		return fmt.Sprintf("rendering the pattern of criterion %q: %v", e.Key, e.Err)
	case StageLookup:
		return fmt.Sprintf("reading the payload path of criterion %q: %v", e.Key, e.Err)
	}
	return fmt.Sprintf("evaluating criterion %q: %v", e.Key, e.Err)
}

func (e *CriterionError) Unwrap() error { return e.Err }

// FailureReason is the failure_reason StackStorm writes on the failed
// rule enforcement for this error.
func (e *CriterionError) FailureReason(ruleRef, triggerInstanceID string) string {
	var what string
	switch e.Stage {
	case StageRender:
		what = fmt.Sprintf("Failed to render pattern value \"%s\" for key \"%s\"", expr.Str(e.Pattern), e.Key)
	case StageLookup:
		what = "Failed transforming criteria key " + e.Key
	default:
		what = "There might be a problem with the criteria in rule " + ruleRef
	}
	return fmt.Sprintf("Failed to match rule \"%s\" against trigger instance \"%s\": %s: %s",
		ruleRef, triggerInstanceID, what, pyStr(e.Err))
}

// pyStr is Python's str(exception): the message without the class.
func pyStr(err error) string {
	var pe *expr.PyError
	if errors.As(err, &pe) {
		return pe.Msg
	}
	return err.Error()
}

// Match evaluates criteria against a trigger payload as StackStorm's
// RuleFilter does. The payload is an expr value (expr.FromJSON,
// expr.FromGo); plain Go maps and slices are converted.
//
// Criteria are tried in order and evaluation stops at the first that
// does not pass. Non-empty criteria never match an empty payload (None,
// {}, [] or ""). Each criterion's pattern is rendered with the payload
// as "trigger", its key's path (everything before the first "#") is
// looked up in {"trigger": payload} with jsonpath-rw semantics, the first
// value found (or None) is the operand, and the operator decides.
func (e *Evaluator) Match(criteria Criteria, payload any) Result {
	return e.match(criteria, normalize(payload), nil)
}

// match is Match for a normalised payload; root, when not nil, is
// {"trigger": payload}, shared by the rules one trigger instance is
// matched against.
func (e *Evaluator) match(criteria Criteria, payload any, root *expr.Dict) Result {
	if len(criteria) == 0 {
		return Result{Matched: true}
	}
	if !expr.Truthy(payload) {
		return Result{Miss: &Miss{Why: "payload is empty"}}
	}
	if root == nil {
		root = expr.DictOf("trigger", payload)
	}
	s := e.state()
	for i := range criteria {
		ok, miss, err := s.check(&criteria[i], root, "trigger", payload)
		if err != nil {
			// Only an operator that cannot be resolved gets here: it
			// aborts StackStorm's whole match; here it fails this rule.
			ce := &CriterionError{Key: criteria[i].Key, Stage: StageOperator, Pattern: criteria[i].Pattern, Err: err}
			s.errs = append(s.errs, ce)
			miss = &Miss{Key: ce.Key, Type: criteria[i].Type, Pattern: ce.Pattern, Why: "failed", Err: err}
		}
		if !ok {
			return Result{Miss: miss, Errors: s.errs}
		}
	}
	return Result{Matched: true, Errors: s.errs}
}

// MatchRule is Match for a rule: a disabled rule matches nothing.
func (e *Evaluator) MatchRule(r *Rule, payload any) Result {
	return e.matchRule(r, normalize(payload), nil)
}

func (e *Evaluator) matchRule(r *Rule, payload any, root *expr.Dict) Result {
	if !r.Enabled {
		return Result{Miss: &Miss{Why: "rule is disabled"}}
	}
	return e.match(r.Criteria, payload, root)
}

// Match evaluates criteria with the given renderer and the defaults of
// Evaluator.
func Match(criteria Criteria, payload any, render Renderer) Result {
	e := Evaluator{Render: render}
	return e.Match(criteria, payload)
}

// evalState is one Match call in progress.
type evalState struct {
	e    *Evaluator
	ops  *Registry
	now  time.Time
	errs []*CriterionError
	env  Env // reused by operators that need no search callback
}

func (e *Evaluator) state() *evalState {
	s := &evalState{e: e, ops: e.Operators}
	if s.ops == nil {
		s.ops = Operators
	}
	if e.Now != nil {
		s.now = e.Now()
	} else {
		s.now = time.Now()
	}
	return s
}

// check evaluates one criterion against the context {name: value}
// (root). A failure of the criterion is recorded in s.errs and reported
// as false; the error return is for an unknown operator, which StackStorm
// lets escape (aborting an enclosing search too).
func (s *evalState) check(c *Criterion, root *expr.Dict, name string, value any) (bool, *Miss, error) {
	if c.Type == "" {
		return false, &Miss{Key: c.Key, Pattern: c.Pattern, Why: "no type"}, nil
	}
	fail := func(stage Stage, pattern any, err error) (bool, *Miss, error) {
		s.errs = append(s.errs, &CriterionError{Key: c.Key, Stage: stage, Pattern: c.Pattern, Err: err})
		return false, &Miss{Key: c.Key, Type: c.Type, Pattern: pattern, Why: "failed", Err: err}, nil
	}
	pattern, err := s.e.renderPattern(c.Pattern, name, value)
	if err != nil {
		return fail(StageRender, c.Pattern, err)
	}
	v, err := lookupFirst(root, c.Path())
	if err != nil {
		return fail(StageLookup, pattern, err)
	}
	op, err := s.ops.Lookup(c.Type)
	if err != nil {
		return false, nil, err
	}
	env := &s.env
	env.Now = s.now
	if c.Type == OpSearch {
		// A search calls check again: give it its own Env.
		env = &Env{Now: s.now, Condition: c.Condition, Check: s.checkItem}
	} else if strings.EqualFold(c.Type, OpSearch) {
		// StackStorm passes the search arguments only when the type is
		// spelled in lower case; otherwise the call fails.
		return fail(StageOperator, pattern, expr.TypeErrorf("search() missing 2 required positional arguments: 'criteria_condition' and 'check_function'"))
	}
	ok, err := op(v, pattern, env)
	if err != nil {
		return fail(StageOperator, pattern, err)
	}
	if !ok {
		return false, &Miss{Key: c.Key, Type: c.Type, Pattern: pattern, Value: v, Why: "not matched"}, nil
	}
	return true, nil, nil
}

// checkItem evaluates a search's nested criterion against one item.
func (s *evalState) checkItem(c *Criterion, item any) (bool, error) {
	ok, _, err := s.check(c, expr.DictOf("item", item), "item", item)
	return ok, err
}

// lookupFirst is the first value a jsonpath-rw path selects in root, or
// nil. A path of plain names ("trigger.body.msg"), the usual kind, is
// walked directly, which selects what the query would.
func lookupFirst(root *expr.Dict, path string) (any, error) {
	if names, ok := plainPath(path); ok {
		var v any = root
		for _, n := range names {
			d, isDict := v.(*expr.Dict)
			if !isDict {
				return nil, nil
			}
			if v, ok = d.Get(n); !ok {
				return nil, nil
			}
		}
		return v, nil
	}
	found, err := lookupPath(root, path)
	if l, ok := found.([]any); ok && len(l) > 0 {
		return l[0], err
	}
	return nil, err
}

var (
	plainPathsMu sync.RWMutex
	plainPaths   = map[string][]string{} // path → its names; nil when not plain
)

const plainPathsMax = 4096

// plainPath splits a path made only of jsonpath-rw identifiers joined by
// dots (no "where", no numbers, no brackets or quotes) into its names.
func plainPath(path string) ([]string, bool) {
	plainPathsMu.RLock()
	names, seen := plainPaths[path]
	plainPathsMu.RUnlock()
	if seen {
		return names, names != nil
	}
	names = strings.Split(path, ".")
	for _, n := range names {
		if !plainName.MatchString(n) || n == "where" {
			names = nil
			break
		}
	}
	plainPathsMu.Lock()
	if len(plainPaths) < plainPathsMax {
		plainPaths[path] = names
	}
	plainPathsMu.Unlock()
	return names, names != nil
}

// plainName is jsonpath-rw's identifier token.
var plainName = regexp.MustCompile(`^[A-Za-z_@][A-Za-z0-9_@\-]*$`)

// lookupPath runs a jsonpath-rw query. It turns a panic of the query
// parser into an error: expr's parser indexes past its tokens on some
// unterminated paths ("trigger.a["), and a rule's key must not crash the
// rules engine.
func lookupPath(root any, path string) (found any, err error) {
	defer func() {
		if r := recover(); r != nil {
			found, err = nil, expr.Errorf("JsonPathParserError", "Parse error near the end of string!")
		}
	}()
	return expr.JSONPathQuery(root, path, nil)
}

// complexPattern finds "{{ expr }}" in a pattern (StackStorm's
// MATCH_CRITERIA); such patterns are first rendered through to_complex
// so that "{{ trigger.count }}" stays a number.
var complexPattern = regexp.MustCompile(`(\{\{)\s*(.*)\s*(\}\})`)

// renderPattern renders a criterion's pattern as StackStorm's
// _render_criteria_pattern does: only strings are templates; one holding
// "{{ ... }}" is rendered with to_complex applied to each expression and
// the result JSON-decoded, and when that does not give JSON it is
// rendered as plain text.
//
// Unlike StackStorm, a failure of the to_complex rendering itself (as for
// "{{ st2kv.system.x }}", StackStorm/st2#5260) also falls back to the
// plain rendering rather than failing the criterion.
func (e *Evaluator) renderPattern(p any, name string, value any) (any, error) {
	s, ok := p.(string)
	if !ok {
		return p, nil
	}
	if !hasJinjaMarkup(s) {
		return jinjaText(s), nil
	}
	if e.Render == nil {
		return nil, errors.New("no template renderer is configured")
	}
	vars := map[string]any{name: value}
	if complexPattern.MatchString(s) {
		t := complexPattern.ReplaceAllString(s, "${1}${2} | to_complex${3}")
		if out, err := e.Render(t, vars); err == nil {
			if v, err := expr.FromJSON([]byte(out)); err == nil {
				return v, nil
			}
		}
	}
	return e.Render(s, vars)
}

// hasJinjaMarkup reports whether s holds a Jinja delimiter.
func hasJinjaMarkup(s string) bool {
	return strings.Contains(s, "{{") || strings.Contains(s, "{%") || strings.Contains(s, "{#")
}

// jinjaText is what Jinja renders a template without markup to: the text
// with its line endings made "\n" and one trailing newline dropped.
func jinjaText(s string) string {
	if strings.ContainsRune(s, '\r') {
		s = strings.ReplaceAll(s, "\r\n", "\n")
		s = strings.ReplaceAll(s, "\r", "\n")
	}
	return strings.TrimSuffix(s, "\n")
}

// normalize converts a payload given as plain Go data into expr values;
// expr values pass through.
func normalize(payload any) any {
	switch payload.(type) {
	case nil, bool, int64, float64, string, *expr.Dict:
		return payload
	}
	v, err := expr.FromGo(payload)
	if err != nil {
		return payload
	}
	return v
}
