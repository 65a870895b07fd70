// Package noop implements StackStorm's noop runner: it runs nothing and
// succeeds at once. Its result is StackStorm's, exactly
// {"failed": false, "succeeded": true, "return_code": 0} (StackStorm's
// noop runner sets no stdout or stderr keys).
//
// The result is one shared, pre-encoded JSON document, so a noop execution
// costs one small allocation in the runner.
//
// The package imports model and runner only; package builtin registers it.
package noop

import (
	"context"
	"encoding/json"

	"github.com/st2go/st2go/internal/model"
	"github.com/st2go/st2go/internal/runner"
)

// Name is the runner's name.
const Name = "noop"

// result is the encoded result document, boxed once. json.RawMessage is
// passed through runner.MarshalOutput unchanged; callers must not modify it.
var result any = json.RawMessage(`{"failed":false,"succeeded":true,"return_code":0}`)

// Definition is the noop runner type.
var Definition = runner.Definition{
	Name:        Name,
	Description: "Does nothing and succeeds, whatever the parameters.",
	Module:      "noop_runner",
	Parameters:  model.Params{},
	New:         func() (runner.Runner, error) { return noopRunner{}, nil },
}

type noopRunner struct{}

var _ runner.Runner = noopRunner{}

// Run returns success without doing anything.
func (noopRunner) Run(context.Context, *runner.Request) (*runner.Result, error) {
	return &runner.Result{Status: model.StatusSucceeded, Output: result}, nil
}
