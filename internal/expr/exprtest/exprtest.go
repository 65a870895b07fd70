// Package exprtest runs the expression corpus (expressions, contexts and
// the values or errors StackStorm's Python engines produced, in
// internal/expr/testdata/expressions.jsonl) against st2go's engines. The
// jinja and yaql packages call Run from their tests with the engines
// they provide; cases needing an engine that is not given are skipped.
//
// Only tests import exprtest.
package exprtest

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"runtime"
	"sort"
	"strings"
	"testing"

	"github.com/st2go/st2go/internal/expr"
)

// Case is one corpus line.
type Case struct {
	ID        string
	Expr      any // string, or a dict/list for "structure" cases
	Ctx       *expr.Dict
	Lang      string // "jinja", "yaql", "yaql+jinja", "structure", "none"
	Tags      []string
	Op        string // "evaluate" (default), "validate", "extract_vars"
	Item      any
	HasItem   bool
	Task      *expr.Task
	Statuses  map[string]string // task id → status (route 0), incl. the current task's
	Type      string            // Python type name of the result
	Result    any
	Repr      string // Python repr when JSON loses information
	Error     string
	ErrorType string
	IsError   bool
}

// CorpusPath is the path of the shared corpus file.
func CorpusPath() string {
	_, file, _, _ := runtime.Caller(0)
	return filepath.Join(filepath.Dir(file), "..", "testdata", "expressions.jsonl")
}

// Load reads a corpus file.
func Load(path string) ([]Case, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("loading expression corpus: %w", err)
	}
	var cases []Case
	sc := bufio.NewScanner(bytes.NewReader(data))
	sc.Buffer(make([]byte, 1<<20), 16<<20)
	for line := 1; sc.Scan(); line++ {
		text := bytes.TrimSpace(sc.Bytes())
		if len(text) == 0 {
			continue
		}
		if text[0] == '/' {
			continue // a comment line
		}
		c, err := parseCase(text)
		if err != nil {
			return nil, fmt.Errorf("loading expression corpus line %d: %w", line, err)
		}
		cases = append(cases, c)
	}
	return cases, sc.Err()
}

func parseCase(text []byte) (Case, error) {
	v, err := expr.FromJSON(text)
	if err != nil {
		return Case{}, err
	}
	d, ok := v.(*expr.Dict)
	if !ok {
		return Case{}, fmt.Errorf("case is not an object")
	}
	get := func(k string) any { x, _ := d.Get(k); return x }
	c := Case{Expr: get("expr"), Result: get("result"), Op: "evaluate", Statuses: map[string]string{}}
	c.ID, _ = get("id").(string)
	if c.ID == "" {
		c.ID = exprText(c.Expr)
	}
	c.Lang, _ = get("lang").(string)
	c.Type, _ = get("type").(string)
	c.Repr, _ = get("repr").(string)
	c.Error, c.IsError = get("error").(string)
	c.ErrorType, _ = get("error_type").(string)
	if op, ok := get("op").(string); ok {
		c.Op = op
	}
	if tags, ok := get("tags").([]any); ok {
		for _, t := range tags {
			c.Tags = append(c.Tags, expr.Str(t))
		}
	}
	if ctx, ok := get("ctx").(*expr.Dict); ok {
		c.Ctx = ctx
	} else {
		c.Ctx = expr.NewDict(0)
	}
	c.Item, c.HasItem = d.Get("item")
	if t, ok := get("task").(*expr.Dict); ok {
		task := &expr.Task{ID: "task1"}
		if id, ok := t.Get("id"); ok {
			task.ID = expr.Str(id)
		}
		if r, ok := t.Get("route"); ok {
			n, _ := expr.ToInt64(r)
			task.Route = int(n)
		}
		task.Result, _ = t.Get("result")
		c.Task = task
		if s, ok := t.Get("status"); ok {
			c.Statuses[task.ID] = expr.Str(s)
		}
	}
	switch ts := get("tasks").(type) {
	case *expr.Dict:
		ts.Range(func(k, v any) bool {
			c.Statuses[expr.Str(k)] = expr.Str(v)
			return true
		})
	case []any:
		for _, e := range ts {
			if td, ok := e.(*expr.Dict); ok {
				id, _ := td.Get("id")
				st, _ := td.Get("status")
				c.Statuses[expr.Str(id)] = expr.Str(st)
			}
		}
	}
	return c, nil
}

// Env is the evaluation environment the case describes.
func (c Case) Env() *expr.Env {
	env := &expr.Env{Vars: c.Ctx, Item: c.Item, Task: c.Task}
	if len(c.Statuses) > 0 {
		env.Workflow = expr.StaticWorkflow(c.Statuses)
	}
	return env
}

// languages returns the engines a case needs.
func (c Case) languages() []string {
	switch c.Lang {
	case "yaql", "jinja":
		return []string{c.Lang}
	case "none":
		return nil
	}
	return []string{"yaql", "jinja"}
}

// Options tune a run.
type Options struct {
	// Known maps case IDs that are known to differ to the reason; they
	// are reported, not failed.
	Known map[string]string
	// Message, when set, renders an error as the Python engine would
	// word it; mismatching messages are reported (not failed).
	Message func(error) string
}

// Run evaluates every corpus case whose languages are all among the
// given engines ("yaql", "jinja") and fails on unexpected differences.
// It logs the pass rate per language.
func Run(t *testing.T, engines map[string]expr.Evaluator, opts Options) {
	t.Helper()
	RunFile(t, CorpusPath(), engines, opts)
}

// RunFile is Run on another file of cases in the corpus format (such as
// more reference results from the expression oracle).
func RunFile(t *testing.T, path string, engines map[string]expr.Evaluator, opts Options) {
	t.Helper()
	cases, err := Load(path)
	if err != nil {
		t.Fatal(err)
	}
	var order []expr.Evaluator
	for _, lang := range []string{"yaql", "jinja"} {
		if ev, ok := engines[lang]; ok {
			order = append(order, ev)
		}
	}
	type tally struct{ pass, total int }
	rates := map[string]*tally{}
	var failed, knownFailed, messageDiffs []string
	for _, c := range cases {
		runnable := true
		for _, l := range c.languages() {
			if _, ok := engines[l]; !ok {
				runnable = false
			}
		}
		if !runnable {
			continue
		}
		if rates[c.Lang] == nil {
			rates[c.Lang] = &tally{}
		}
		rates[c.Lang].total++
		problem, msgDiff := check(c, order, opts)
		if msgDiff != "" {
			messageDiffs = append(messageDiffs, c.ID+": "+msgDiff)
		}
		if problem == "" {
			rates[c.Lang].pass++
			if reason, ok := opts.Known[c.ID]; ok {
				t.Logf("%s passes now (listed as known: %s)", c.ID, reason)
			}
			continue
		}
		if reason, ok := opts.Known[c.ID]; ok {
			knownFailed = append(knownFailed, fmt.Sprintf("%s (%s): %s", c.ID, reason, problem))
			continue
		}
		failed = append(failed, c.ID)
		t.Errorf("%s %s %s: %s", c.ID, c.Lang, exprText(c.Expr), problem)
	}
	langs := make([]string, 0, len(rates))
	for l := range rates {
		langs = append(langs, l)
	}
	sort.Strings(langs)
	var summary []string
	for _, l := range langs {
		r := rates[l]
		summary = append(summary, fmt.Sprintf("%s %d/%d (%.1f%%)", l, r.pass, r.total, 100*float64(r.pass)/float64(max(r.total, 1))))
	}
	t.Logf("%s: %s", filepath.Base(path), strings.Join(summary, ", "))
	for _, k := range knownFailed {
		t.Logf("known difference: %s", k)
	}
	for _, m := range messageDiffs {
		t.Logf("error message differs: %s", m)
	}
	if len(failed) > 0 {
		t.Logf("unexpected failures: %s", strings.Join(failed, " "))
	}
}

func exprText(v any) string {
	if s, ok := v.(string); ok {
		return fmt.Sprintf("%q", s)
	}
	return expr.Repr(v)
}

// check evaluates one case and describes how it differs ("" if not),
// and separately how its error message differs.
func check(c Case, evs []expr.Evaluator, opts Options) (problem, msgDiff string) {
	ctx := context.Background()
	switch c.Op {
	case "validate":
		got := expr.ValidateAny(c.Expr, evs...)
		list := make([]any, len(got))
		for i, e := range got {
			var typ any = e.Type
			if e.Type == "" {
				typ = nil
			}
			list[i] = expr.DictOf("type", typ, "expression", e.Expression, "message", e.Message)
		}
		return compare(c, list, "list"), ""
	case "extract_vars":
		got := expr.ExtractVarsAny(c.Expr, evs...)
		list := make([]any, len(got))
		for i, v := range got {
			list[i] = []any{v.Lang, v.Statement, v.Name}
		}
		return compare(c, list, "list"), ""
	}
	got, err := expr.EvaluateAny(ctx, c.Expr, c.Env(), expr.Limits{}, evs...)
	if c.IsError {
		if err == nil {
			return fmt.Sprintf("got %s (%s), want error %q", expr.Repr(got), expr.TypeName(got), c.Error), ""
		}
		if opts.Message != nil {
			if m := opts.Message(err); m != c.Error {
				msgDiff = fmt.Sprintf("got %q, want %q", m, c.Error)
			}
		}
		return "", msgDiff
	}
	if err != nil {
		return fmt.Sprintf("error %v, want %s", err, expr.Repr(c.Result)), ""
	}
	return compare(c, got, expr.TypeName(got)), ""
}

// compare checks the value, its Python type and (when the corpus has
// one) its repr.
func compare(c Case, got any, typeName string) string {
	if c.Type != "" && typeName != c.Type {
		return fmt.Sprintf("type %s, want %s (value %s, want %s)", typeName, c.Type, expr.Repr(got), expr.Repr(c.Result))
	}
	loose := Loose(got)
	if !StrictEqual(loose, c.Result) {
		return fmt.Sprintf("got %s, want %s", expr.Repr(loose), expr.Repr(c.Result))
	}
	if c.Repr != "" {
		r := expr.Repr(got)
		if s, ok := got.(*expr.Set); ok {
			r = sortedSetRepr(s)
		}
		if r != c.Repr {
			return fmt.Sprintf("repr %s, want %s", r, c.Repr)
		}
	}
	return ""
}

func sortedSetRepr(s *expr.Set) string {
	parts := make([]string, 0, s.Len())
	for _, e := range s.Elems() {
		parts = append(parts, expr.Repr(e))
	}
	sort.Strings(parts)
	return "{" + strings.Join(parts, ", ") + "}"
}

// Loose is the JSON-compatible form the oracle records for a value:
// tuples and sets become lists, dict keys strings, Objects their str().
func Loose(v any) any {
	switch x := v.(type) {
	case expr.Tuple:
		return Loose([]any(x))
	case []any:
		out := make([]any, len(x))
		for i, e := range x {
			out[i] = Loose(e)
		}
		return out
	case *expr.Set:
		items := make([]any, 0, x.Len())
		for _, e := range x.Elems() {
			items = append(items, Loose(e))
		}
		sort.SliceStable(items, func(i, j int) bool {
			lt, _ := expr.CompareOp("<", items[i], items[j])
			return lt
		})
		return items
	case *expr.Dict:
		out := expr.NewDict(x.Len())
		keys := x.Keys() // JSON-style string keys
		_, vals := x.KeyValues()
		for i, k := range keys {
			out.Set(k, Loose(vals[i]))
		}
		return out
	case float64:
		if math.IsInf(x, 0) || math.IsNaN(x) {
			return nil // the oracle writes None and gives the repr
		}
		return x
	case expr.Object:
		return expr.Repr(x)
	}
	return v
}

// StrictEqual compares values like Equal but tells ints from floats and
// bools from numbers, and requires dicts to have the same key order.
func StrictEqual(a, b any) bool {
	if expr.TypeName(a) != expr.TypeName(b) {
		return false
	}
	switch x := a.(type) {
	case []any:
		y := b.([]any)
		if len(x) != len(y) {
			return false
		}
		for i := range x {
			if !StrictEqual(x[i], y[i]) {
				return false
			}
		}
		return true
	case *expr.Dict:
		y := b.(*expr.Dict)
		kx, vx := x.KeyValues()
		ky, vy := y.KeyValues()
		if len(kx) != len(ky) {
			return false
		}
		for i := range kx {
			if !StrictEqual(kx[i], ky[i]) || !StrictEqual(vx[i], vy[i]) {
				return false
			}
		}
		return true
	}
	return expr.Equal(a, b)
}
