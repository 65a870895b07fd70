// Package builtin is the one explicit list of the runner types st2go ships.
// Register adds them all to a registry: the runners st2go has built (local
// shell, noop, http-request) and, as placeholders without a constructor, every other
// StackStorm runner type with its real runner parameters, so packs whose
// actions use them load and list normally while running such an action
// fails with runner.ErrNotBuilt.
//
// Only the composition root (and tests) should import this package.
package builtin

import (
	"github.com/st2go/st2go/internal/runner"
	httprunner "github.com/st2go/st2go/internal/runner/http"
	"github.com/st2go/st2go/internal/runner/local"
	"github.com/st2go/st2go/internal/runner/noop"
	"github.com/st2go/st2go/internal/runner/python"
)

// Options configure the built-in runners.
type Options struct {
	Local  local.Options
	Python python.Options
}

// Register adds every built-in runner type to r. It panics if one is
// already registered.
func Register(r *runner.Registry, opts Options) {
	cmd, script := local.NewDefinitions(opts.Local)
	r.Register(cmd)
	r.Register(script)
	r.Register(noop.Definition)
	r.Register(httprunner.Definition)
	py := python.New(opts.Python) // one runner: it writes its Python package once
	for _, d := range placeholders() {
		if d.Name == "python-script" {
			d.New = func() (runner.Runner, error) { return py, nil }
		}
		r.Register(d)
	}
}
