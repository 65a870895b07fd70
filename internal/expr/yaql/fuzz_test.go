package yaql

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"testing"

	"github.com/st2go/st2go/internal/expr"
)

// FuzzYAQL checks that any input either evaluates or returns an
// *expr.Error, never panics, and that a parsed expression's String()
// parses back to the same rendering.
func FuzzYAQL(f *testing.F) {
	if fh, err := os.Open(filepath.Join("testdata", "parse.jsonl")); err == nil {
		sc := bufio.NewScanner(fh)
		for sc.Scan() {
			var c struct {
				Expr string `json:"expr"`
			}
			if json.Unmarshal(sc.Bytes(), &c) == nil {
				f.Add(c.Expr)
			}
		}
		fh.Close()
	}
	env := &expr.Env{Vars: expr.DictOf("x", int64(1), "xs", []any{int64(1), int64(2)}, "d", expr.DictOf("a", "b"))}
	lim := expr.Limits{MaxDepth: 50, MaxOutput: 1 << 16, MaxSteps: 20000, Timeout: -1}
	eng := New(Options{})
	f.Fuzz(func(t *testing.T, src string) {
		x, err := eng.Parse(src)
		if err != nil {
			var xe *expr.Error
			if !errors.As(err, &xe) {
				t.Fatalf("parse error %T %v is not an *expr.Error", err, err)
			}
			return
		}
		again, err := eng.Parse(x.String())
		if err != nil {
			t.Fatalf("String() %q of %q does not parse: %v", x.String(), src, err)
		}
		if again.String() != x.String() {
			t.Fatalf("round trip: %q -> %q -> %q", src, x.String(), again.String())
		}
		if _, err := x.EvalLimits(context.Background(), env, lim); err != nil {
			var xe *expr.Error
			if !errors.As(err, &xe) {
				t.Fatalf("eval error %T %v is not an *expr.Error", err, err)
			}
		}
		if _, err := eng.Evaluate(context.Background(), "<% "+src+" %>", env, lim); err != nil {
			var xe *expr.Error
			if !errors.As(err, &xe) {
				t.Fatalf("evaluate error %T %v is not an *expr.Error", err, err)
			}
		}
	})
}
