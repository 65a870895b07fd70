// Package runner defines how st2go runs one action: the Runner interface a
// runner plugin implements, the Definition that describes it (name,
// description, runner parameters) and the Registry that maps runner names to
// definitions.
//
// Runner packages (local, noop, ...) export Definition values and never
// register themselves; package builtin holds the one explicit list. Runner
// packages may import model and runner only.
package runner

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"sort"
	"strings"
	"sync"

	"github.com/st2go/st2go/internal/model"
)

// Request is everything a runner needs to run one execution.
type Request struct {
	ExecutionID string
	Action      *model.Action
	// RunnerParams are the final values of the runner's own parameters
	// (cmd, env, timeout, sudo, ...), already rendered and cast.
	RunnerParams map[string]any
	// ActionParams are the final values of the action's other parameters.
	ActionParams map[string]any
	// ParamSpecs is the merged runner+action parameter schema.
	ParamSpecs model.Params
	// PackPath is the pack's directory; EntryPoint is the absolute path of
	// the action's entry point ("" when it has none).
	PackPath   string
	EntryPoint string
	// User is the st2 user the execution runs for.
	User string
	// Env holds the ST2_ACTION_* variables every action gets.
	Env map[string]string
	// Output receives streamed output lines as they appear ("stdout" or
	// "stderr", the line with its newline). It may be nil.
	Output func(stream, line string)
	// Started, when set, is told the process group id of a child process
	// the runner started for this execution, so that a restarted server
	// can stop groups left behind by a crash. It may be nil.
	Started func(pgid int)
}

// Result is what a runner returns: the terminal status and the result
// document (marshalled to JSON as the execution's result).
type Result struct {
	Status model.Status
	Output any
}

// Runner runs one execution. Run blocks until the action ends or ctx is
// canceled; on cancel it stops the action and returns status canceled.
type Runner interface {
	Run(ctx context.Context, req *Request) (*Result, error)
}

// Definition describes a runner type: what the API lists under
// /runnertypes and how to build the runner.
type Definition struct {
	Name         string
	Description  string
	Module       string
	Parameters   model.Params
	OutputKey    string
	OutputSchema map[string]any
	// New builds the runner. A nil New means the runner type is known
	// (registered so packs using it load) but not built yet.
	New func() (Runner, error)
}

// RunnerType returns the API document for the definition.
func (d Definition) RunnerType() *model.RunnerType {
	params := model.Params{}
	for k, v := range d.Parameters {
		c := *v
		params[k] = &c
	}
	schema := d.OutputSchema
	if schema == nil {
		schema = map[string]any{}
	}
	return &model.RunnerType{
		ID: runnerID(d.Name), UID: "runner_type:" + d.Name, Name: d.Name, Description: d.Description,
		Enabled: true, RunnerPackage: strings.ReplaceAll(d.Name, "-", "_"), RunnerModule: d.Module,
		RunnerParameters: params, OutputKey: d.OutputKey, OutputSchema: schema,
	}
}

// runnerID derives a stable 24-hex id from the runner name so ids survive restarts.
func runnerID(name string) string {
	var h uint64 = 1469598103934665603
	for i := 0; i < len(name); i++ {
		h ^= uint64(name[i])
		h *= 1099511628211
	}
	return fmt.Sprintf("5e0000000000%012x", h&0xffffffffffff)
}

// ErrNotBuilt is returned by Registry.New for a runner type st2go knows but
// has not built yet.
var ErrNotBuilt = fmt.Errorf("runner is not available in this st2go build yet")

// Registry maps runner names to definitions. The zero value is ready to use.
type Registry struct {
	mu   sync.RWMutex
	defs map[string]Definition
}

// Register adds a definition. It panics on an empty or duplicate name.
func (r *Registry) Register(d Definition) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if d.Name == "" {
		panic("runner: Register with empty name")
	}
	if r.defs == nil {
		r.defs = map[string]Definition{}
	}
	if _, dup := r.defs[d.Name]; dup {
		panic("runner: duplicate registration of " + d.Name)
	}
	r.defs[d.Name] = d
}

// Lookup returns the definition of a runner name.
func (r *Registry) Lookup(name string) (Definition, error) {
	r.mu.RLock()
	defer r.mu.RUnlock()
	d, ok := r.defs[name]
	if !ok {
		return Definition{}, fmt.Errorf("unknown runner %q (known: %s)", name, strings.Join(r.namesLocked(), ", "))
	}
	return d, nil
}

// New builds the runner for a name.
func (r *Registry) New(name string) (Runner, error) {
	d, err := r.Lookup(name)
	if err != nil {
		return nil, err
	}
	if d.New == nil {
		return nil, fmt.Errorf("runner %q: %w", name, ErrNotBuilt)
	}
	return d.New()
}

// Names returns the registered names, sorted.
func (r *Registry) Names() []string {
	r.mu.RLock()
	defer r.mu.RUnlock()
	return r.namesLocked()
}

func (r *Registry) namesLocked() []string {
	names := make([]string, 0, len(r.defs))
	for n := range r.defs {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}

// Definitions returns every definition, sorted by name.
func (r *Registry) Definitions() []Definition {
	r.mu.RLock()
	defer r.mu.RUnlock()
	out := make([]Definition, 0, len(r.defs))
	for _, n := range r.namesLocked() {
		out = append(out, r.defs[n])
	}
	return slices.Clip(out)
}

// MarshalOutput encodes a runner result as JSON for the execution record.
func MarshalOutput(v any) (json.RawMessage, error) {
	if raw, ok := v.(json.RawMessage); ok {
		return raw, nil
	}
	b, err := json.Marshal(v)
	if err != nil {
		return nil, fmt.Errorf("encoding runner result: %w", err)
	}
	return b, nil
}
