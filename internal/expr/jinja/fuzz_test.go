package jinja

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"os"
	"testing"
	"time"

	"github.com/st2go/st2go/internal/expr"
	"github.com/st2go/st2go/internal/expr/exprtest"
)

// fuzzLimits keep each fuzzed evaluation small.
var fuzzLimits = expr.Limits{MaxDepth: 40, MaxOutput: 1 << 16, MaxSteps: 20000, Timeout: time.Second}

var fuzzEnv = New(Config{TrimBlocks: true, LStripBlocks: true, Scope: expr.ScopeST2, Limits: fuzzLimits})

// FuzzJinja checks that any input either parses and evaluates or
// returns an error: never a panic, never a hang (limits apply), and every
// error is an *expr.Error naming the input.
func FuzzJinja(f *testing.F) {
	for _, seed := range fuzzSeeds(f) {
		f.Add(seed)
	}
	vars := benchEnv().Vars
	f.Fuzz(func(t *testing.T, src string) {
		ctx := context.Background()
		check := func(err error) {
			if err == nil {
				return
			}
			var xe *expr.Error
			if !errors.As(err, &xe) {
				t.Fatalf("%q: error %T %v is not an *expr.Error", src, err, err)
			}
		}
		cp, _ := expr.FromGo(vars)
		_, err := fuzzEnv.Render(ctx, src, cp.(*expr.Dict), nil)
		check(err)
		if x, err := fuzzEnv.ParseExpression(src); err == nil {
			_, err = x.Eval(ctx, cp.(*expr.Dict), nil)
			check(err)
		} else {
			check(err)
		}
		_, _ = OrquestaEvaluator{Env: fuzzEnv}.Evaluate(ctx, src, &expr.Env{Vars: cp.(*expr.Dict)}, fuzzLimits)
	})
}

// fuzzSeeds are the golden templates and the corpus's Jinja expressions.
func fuzzSeeds(f *testing.F) []string {
	seeds := []string{"", "{{", "{%", "{#", "{{ 1 }}", "{% for x in range(9) %}{{ x }}{% endfor %}"}
	if data, err := os.ReadFile("testdata/cases.jsonl"); err == nil {
		sc := bufio.NewScanner(bytes.NewReader(data))
		sc.Buffer(nil, 1<<20)
		for sc.Scan() {
			v, err := expr.FromJSON(sc.Bytes())
			if err != nil {
				continue
			}
			if s, ok := v.(*expr.Dict).Get("template"); ok {
				seeds = append(seeds, s.(string))
			}
		}
	}
	cases, err := exprtest.Load(exprtest.CorpusPath())
	if err != nil {
		f.Fatal(err)
	}
	for _, c := range cases {
		if s, ok := c.Expr.(string); ok && c.Lang == "jinja" {
			seeds = append(seeds, s)
		}
	}
	return seeds
}
