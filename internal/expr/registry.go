package expr

import (
	"context"
	"fmt"
	"sort"
	"strings"
	"sync"
)

// Param is one parameter of a function: its name (for keyword
// arguments) and the default used when it is omitted.
type Param struct {
	Name    string
	Default any
}

// Example is one call of a function and its expected outcome; a test
// walks the registry and runs every example.
type Example struct {
	// Text is how the call reads in a template, for documentation
	// ("regex_match('v1.2', '^v\\d')").
	Text   string
	Args   []any
	Kwargs map[string]any
	// Env is the evaluation context the call sees (nil: empty).
	Env *Env
	// Want is the expected result (compared with Equal and TypeName).
	Want any
	// Err, when set, is a substring of the expected error instead.
	Err string
}

// Scope says where StackStorm exposes a function.
type Scope uint8

const (
	// ScopeST2 is st2's own Jinja environment (action parameters, rules,
	// notifications, aliases, pack configs): the function is a filter.
	ScopeST2 Scope = 1 << iota
	// ScopeOrquesta is Orquesta's expressions: a YAQL function, and in
	// Jinja both a global function and a filter.
	ScopeOrquesta
)

// FuncSpec declares one expression function.
type FuncSpec struct {
	Name string
	// MinArgs and MaxArgs bound the positional arguments (keyword
	// arguments naming Params count as positional); MaxArgs -1 takes any
	// number (and Params then only name the first ones).
	MinArgs, MaxArgs int
	// Params name the positional parameters and hold the defaults of the
	// optional ones; when Params is shorter than MaxArgs the rest are
	// unnamed and default to None.
	Params []Param
	// Keywords are keyword-only parameters with their defaults (zip's
	// pad, st2kv's decrypt and default).
	Keywords []Param
	// Scope is where StackStorm exposes the function.
	Scope Scope
	// Doc says what the function does, in one or two sentences.
	Doc      string
	Examples []Example
	// Fn implements the function.
	Fn func(c *Call) (any, error)
}

// Call is one invocation of a function: the bound arguments and the
// evaluation environment.
type Call struct {
	Ctx    context.Context
	Env    *Env
	Budget *Budget
	Spec   *FuncSpec
	// Args holds the positional arguments: the given ones, then the
	// defaults of omitted named parameters (len(Args) >= len(Params)
	// unless the call gave more).
	Args []any
	// Given is how many parameters the caller supplied, positionally or
	// by name (the rest of Args are defaults).
	Given int
	// Kwargs holds the Keywords, defaults filled in.
	Kwargs map[string]any
	// given has bit i set when parameter i (Params, then Keywords) was
	// supplied.
	given uint64
}

// Has reports whether the caller supplied the named parameter or
// keyword (rather than getting its default).
func (c *Call) Has(name string) bool {
	if c.Spec == nil {
		return false
	}
	for i, p := range c.Spec.Params {
		if p.Name == name {
			return c.given&(1<<uint(i)) != 0
		}
	}
	for i, p := range c.Spec.Keywords {
		if p.Name == name {
			return c.given&(1<<uint(len(c.Spec.Params)+i)) != 0
		}
	}
	return false
}

// Arg returns positional argument i, or nil when there is none.
func (c *Call) Arg(i int) any {
	if i < len(c.Args) {
		return c.Args[i]
	}
	return nil
}

// NamedArg is a keyword argument of a call, in the order written.
type NamedArg struct {
	Name  string
	Value any
}

// Bind matches positional and keyword arguments to the spec's parameters
// as Python does, filling in defaults; mismatches are TypeErrors worded
// as Python's.
func (s *FuncSpec) Bind(args []any, kwargs []NamedArg) (*Call, error) {
	c := &Call{Spec: s, Given: len(args)}
	if s.MaxArgs >= 0 && len(args) > s.MaxArgs {
		return nil, TypeErrorf("%s() takes %s (%d given)", s.Name, s.arity(), len(args))
	}
	out := make([]any, max(len(args), len(s.Params)))
	copy(out, args)
	var setBuf [8]bool
	set := setBuf[:0]
	if len(out) <= len(setBuf) {
		set = setBuf[:len(out)]
	} else {
		set = make([]bool, len(out))
	}
	for i := range args {
		set[i] = true
	}
	for i := range s.Params[:min(len(args), len(s.Params))] {
		c.mark(i)
	}
	for _, kw := range kwargs {
		idx := -1
		for i, p := range s.Params {
			if p.Name == kw.Name {
				idx = i
				break
			}
		}
		if idx >= 0 {
			if set[idx] {
				return nil, TypeErrorf("%s() got multiple values for argument '%s'", s.Name, kw.Name)
			}
			out[idx], set[idx] = kw.Value, true
			c.mark(idx)
			c.Given = max(c.Given, idx+1)
			continue
		}
		found := false
		for j, p := range s.Keywords {
			if p.Name == kw.Name {
				if c.Kwargs == nil {
					c.Kwargs = make(map[string]any, len(s.Keywords))
				}
				if c.given&(1<<uint(len(s.Params)+j)) != 0 {
					return nil, TypeErrorf("%s() got multiple values for argument '%s'", s.Name, kw.Name)
				}
				c.Kwargs[kw.Name] = kw.Value
				c.mark(len(s.Params) + j)
				found = true
				break
			}
		}
		if !found {
			return nil, TypeErrorf("%s() got an unexpected keyword argument '%s'", s.Name, kw.Name)
		}
	}
	for i := range s.Params {
		if set[i] {
			continue
		}
		if i < s.MinArgs {
			return nil, TypeErrorf("%s() missing required argument: '%s'", s.Name, s.Params[i].Name)
		}
		out[i] = s.Params[i].Default
	}
	if len(args) < s.MinArgs && len(s.Params) < s.MinArgs {
		return nil, TypeErrorf("%s() takes %s (%d given)", s.Name, s.arity(), len(args))
	}
	// Trailing unnamed optional parameters stay absent.
	c.Args = out
	for _, p := range s.Keywords {
		if _, ok := c.Kwargs[p.Name]; !ok {
			if c.Kwargs == nil {
				c.Kwargs = make(map[string]any, len(s.Keywords))
			}
			c.Kwargs[p.Name] = p.Default
		}
	}
	return c, nil
}

func (c *Call) mark(i int) {
	if i < 64 {
		c.given |= 1 << uint(i)
	}
}

func (s *FuncSpec) arity() string {
	switch {
	case s.MaxArgs < 0:
		return fmt.Sprintf("at least %d positional arguments", s.MinArgs)
	case s.MinArgs == s.MaxArgs:
		if s.MinArgs == 1 {
			return "exactly 1 positional argument"
		}
		return fmt.Sprintf("exactly %d positional arguments", s.MinArgs)
	}
	return fmt.Sprintf("from %d to %d positional arguments", s.MinArgs, s.MaxArgs)
}

// Invoke binds the arguments and calls the function under the budget b
// (nil: no limits) and env (nil: empty).
func (s *FuncSpec) Invoke(b *Budget, env *Env, args []any, kwargs []NamedArg) (any, error) {
	c, err := s.Bind(args, kwargs)
	if err != nil {
		return nil, err
	}
	c.Ctx, c.Budget, c.Env = b.Context(), b, env
	if c.Env == nil {
		c.Env = &Env{}
	}
	if err := b.Step(1); err != nil {
		return nil, err
	}
	return s.Fn(c)
}

// Registry is a set of expression functions by name. Register the
// built-ins with [RegisterBuiltins]; [Default] already has them.
type Registry struct {
	mu    sync.RWMutex
	funcs map[string]*FuncSpec
}

// NewRegistry returns an empty registry.
func NewRegistry() *Registry {
	return &Registry{funcs: make(map[string]*FuncSpec)}
}

// Default is the registry with every built-in function.
var Default = func() *Registry {
	r := NewRegistry()
	RegisterBuiltins(r)
	return r
}()

// Register adds a function. It panics on an empty name, a nil Fn, bad
// arity or a name already registered: registration happens at start-up
// from code, so these are programming errors.
func (r *Registry) Register(s FuncSpec) {
	if s.Name == "" {
		panic("expr: registering a function with an empty name")
	}
	if s.Fn == nil {
		panic(fmt.Sprintf("expr: registering function %q without Fn", s.Name))
	}
	if s.MinArgs < 0 || (s.MaxArgs >= 0 && s.MaxArgs < s.MinArgs) {
		panic(fmt.Sprintf("expr: registering function %q with bad arity %d..%d", s.Name, s.MinArgs, s.MaxArgs))
	}
	if s.MaxArgs >= 0 && len(s.Params) > s.MaxArgs {
		panic(fmt.Sprintf("expr: registering function %q with more Params than MaxArgs", s.Name))
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	if _, dup := r.funcs[s.Name]; dup {
		panic(fmt.Sprintf("expr: function %q registered twice", s.Name))
	}
	spec := s
	r.funcs[s.Name] = &spec
}

// Lookup returns the named function, or an error listing the known
// names.
func (r *Registry) Lookup(name string) (*FuncSpec, error) {
	if s, ok := r.Get(name); ok {
		return s, nil
	}
	return nil, fmt.Errorf("unknown function %q (known: %s)", name, strings.Join(r.Names(), ", "))
}

// Get returns the named function without building an error.
func (r *Registry) Get(name string) (*FuncSpec, bool) {
	r.mu.RLock()
	defer r.mu.RUnlock()
	s, ok := r.funcs[name]
	return s, ok
}

// Names returns every registered name, sorted.
func (r *Registry) Names() []string {
	r.mu.RLock()
	defer r.mu.RUnlock()
	out := make([]string, 0, len(r.funcs))
	for n := range r.funcs {
		out = append(out, n)
	}
	sort.Strings(out)
	return out
}

// Specs returns every function spec, sorted by name.
func (r *Registry) Specs() []*FuncSpec {
	names := r.Names()
	out := make([]*FuncSpec, len(names))
	r.mu.RLock()
	defer r.mu.RUnlock()
	for i, n := range names {
		out[i] = r.funcs[n]
	}
	return out
}

// InScope returns the functions exposed in scope s, sorted by name.
func (r *Registry) InScope(s Scope) []*FuncSpec {
	var out []*FuncSpec
	for _, f := range r.Specs() {
		if f.Scope&s != 0 {
			out = append(out, f)
		}
	}
	return out
}
