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
