package rules

import (
	"fmt"
	"sort"
	"strings"
	"time"
)

// Operator evaluates one criterion: value is what the criterion's key
// selects in the payload (nil when the key is missing or null), pattern
// the criterion's pattern after rendering. An error is what StackStorm's
// Python would have raised; the criterion then fails and the error is
// reported (StackStorm records it as a failed rule enforcement).
type Operator func(value, pattern any, env *Env) (bool, error)

// Env is what an operator may need beyond its two operands. It is valid
// for the duration of the call only.
type Env struct {
	// Now is the evaluation's clock reading, for timediff_lt/timediff_gt.
	Now time.Time
	// Condition is the criterion's condition ("" when it has none); only
	// search reads it.
	Condition string
	// Check evaluates one nested criterion against one item of the list a
	// search walks; it reports false for a criterion that fails or errs,
	// and an error only for a problem that aborts the whole search (an
	// unknown nested operator).
	Check func(c *Criterion, item any) (bool, error)
}

// Registry maps criteria operator names to operators. The zero value is
// not usable; build one with NewRegistry. A Registry is read-only once
// built, so it is safe for concurrent use.
type Registry struct {
	ops map[string]Operator
}

// NewRegistry returns an empty registry.
func NewRegistry() *Registry {
	return &Registry{ops: map[string]Operator{}}
}

// Register adds an operator under name (lower case, as StackStorm's
// operator names are). It panics on an empty or upper-case name, a nil
// operator or a duplicate: registration happens at start-up, where such a
// mistake is a programming error.
func (r *Registry) Register(name string, op Operator) {
	switch {
	case name == "":
		panic("rules: registering an operator with an empty name")
	case name != strings.ToLower(name):
		panic(fmt.Sprintf("rules: operator name %q must be lower case", name))
	case op == nil:
		panic(fmt.Sprintf("rules: registering a nil operator %q", name))
	}
	if _, dup := r.ops[name]; dup {
		panic(fmt.Sprintf("rules: operator %q registered twice", name))
	}
	r.ops[name] = op
}

// Lookup finds an operator as StackStorm's get_operator does: ignoring
// case. An unknown name is an error listing the known ones.
func (r *Registry) Lookup(name string) (Operator, error) {
	if op, ok := r.ops[strings.ToLower(name)]; ok {
		return op, nil
	}
	return nil, &UnknownOperatorError{Name: name, Known: r.Names()}
}

// Has reports whether name is registered exactly as spelled. StackStorm
// validates a rule's operators this way (case-sensitively) when the rule
// is created, though evaluation later ignores case.
func (r *Registry) Has(name string) bool {
	_, ok := r.ops[name]
	return ok
}

// Names returns the registered names, sorted.
func (r *Registry) Names() []string {
	names := make([]string, 0, len(r.ops))
	for n := range r.ops {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}

// UnknownOperatorError is a criteria type no operator is registered for.
type UnknownOperatorError struct {
	Name  string
	Known []string
}

func (e *UnknownOperatorError) Error() string {
	return fmt.Sprintf("unknown criteria operator %q (known: %s)", e.Name, strings.Join(e.Known, ", "))
}

// Operators is the registry of StackStorm's criteria operators.
var Operators = builtinRegistry()

func builtinRegistry() *Registry {
	r := NewRegistry()
	RegisterBuiltins(r)
	return r
}
