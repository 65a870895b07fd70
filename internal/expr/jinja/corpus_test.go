package jinja

import (
	"testing"

	"github.com/st2go/st2go/internal/expr"
	"github.com/st2go/st2go/internal/expr/exprtest"
)

// knownDifferences are corpus cases st2go evaluates differently on
// purpose or cannot match; docs/differences.md explains each.
var knownDifferences = map[string]string{}

func TestCorpus(t *testing.T) {
	exprtest.Run(t, map[string]expr.Evaluator{"jinja": OrquestaEvaluator{}}, exprtest.Options{
		Known:   knownDifferences,
		Message: OrquestaMessage,
	})
}

// orquestaDifferences are cases of testdata/orquesta.jsonl st2go
// evaluates differently, with the reason.
var orquestaDifferences = map[string]string{}

// TestOrquestaCases runs more reference results of Orquesta's evaluator
// (testdata/orquesta.jsonl: inputs from testdata/gen_orquesta.py, results
// from the shared expression oracle).
func TestOrquestaCases(t *testing.T) {
	exprtest.RunFile(t, "testdata/orquesta.jsonl", map[string]expr.Evaluator{"jinja": OrquestaEvaluator{}}, exprtest.Options{
		Known:   orquestaDifferences,
		Message: OrquestaMessage,
	})
}
