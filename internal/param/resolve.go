package param

import (
	"errors"
	"fmt"
	"reflect"
	"regexp"
	"slices"
	"sort"
	"strings"

	"github.com/st2go/st2go/internal/expr"
	"github.com/st2go/st2go/internal/expr/jinja"
	"github.com/st2go/st2go/internal/model"
)

// Context holds what templates may read besides the parameters.
type Context struct {
	// Action is action_context: the execution's context (user, pack,
	// parent, api_user ...).
	Action map[string]any
	// Config is config_context: the pack's config.
	Config map[string]any
	// Datastore answers st2kv.system.<key> and st2kv.user.<key> lookups
	// and the decrypt_kv filter (which needs it to be an
	// expr.Decrypter). Nil: any st2kv lookup fails to render.
	Datastore expr.Datastore
	// User owns the st2kv.user keys. Empty: action_context's api_user,
	// else its user, the order StackStorm picks them in (StackStorm falls
	// back to [system_user] user after that; callers that want this set
	// User).
	User string
	// Extra are additional top-level variables, StackStorm's
	// additional_contexts: the rules engine passes {"trigger": payload}.
	// They are added after action_context, config_context and st2kv (and
	// so replace them), before the parameters (which replace them).
	// StackStorm passes them at request time only (render_live_params);
	// RenderFinal uses them too when they are set.
	Extra map[string]any
}

// user is the owner of st2kv.user keys.
func (c Context) user() string {
	if c.User != "" {
		return c.User
	}
	for _, k := range []string{"api_user", "user"} {
		if u, ok := c.Action[k].(string); ok && u != "" {
			return u
		}
	}
	return ""
}

// Names templates use for the context variables (StackStorm's
// ACTION_CONTEXT_KV_PREFIX, PACK_CONFIG_CONTEXT_KV_PREFIX, DATASTORE_PARENT_SCOPE).
const (
	actionContextVar = "action_context"
	configContextVar = "config_context"
	datastoreVar     = "st2kv"
)

// RawStringType is the parameter type whose values are never rendered
// (StackStorm PR #6351): "{{ x }}" reaches the action as it is. It casts
// and validates as a string.
const RawStringType = "raw_string"

// Resolved is the outcome of resolving an execution's parameters.
type Resolved struct {
	// Live is what the execution records as its parameters: the supplied
	// values rendered and cast, plus defaults that were templates.
	Live map[string]any
	// Runner and Action are the final values, every default filled in,
	// split as the runner receives them.
	Runner map[string]any
	Action map[string]any
}

// Resolve runs both of StackStorm's phases for one execution request:
// RenderLive, Validate against the merged schema, and RenderFinal.
func Resolve(runnerParams, actionParams model.Params, live map[string]any, c Context) (*Resolved, error) {
	rendered, err := RenderLive(runnerParams, actionParams, live, c)
	if err != nil {
		return nil, err
	}
	specs, err := Merge(runnerParams, actionParams)
	if err != nil {
		return nil, err
	}
	if err := Validate(specs, rendered); err != nil {
		return nil, err
	}
	runnerVals, actionVals, err := RenderFinal(runnerParams, actionParams, rendered, c)
	if err != nil {
		return nil, err
	}
	return &Resolved{Live: rendered, Runner: runnerVals, Action: actionVals}, nil
}

// RenderLive is the request-time phase (StackStorm's render_live_params).
// Supplied values that are templates are rendered, with the other
// parameters' values and defaults, action_context, config_context, st2kv
// and c.Extra in scope, in dependency order; each supplied value is then
// cast to its declared type. Parameters the caller left out whose default
// is a template (and which are not immutable) are rendered and added too,
// so validation sees their real value. Values of raw_string parameters
// are never rendered.
func RenderLive(runnerParams, actionParams model.Params, live map[string]any, c Context) (map[string]any, error) {
	g := newGraph(c, actionParams, runnerParams)
	for _, name := range sortedKeys(live) {
		if err := g.process(name, live[name]); err != nil {
			return nil, err
		}
	}
	if err := g.processDefaults(); err != nil {
		return nil, err
	}
	values, err := g.resolve()
	if err != nil {
		return nil, err
	}
	return castFrom(live, values, actionParams, runnerParams)
}

// RenderFinal is the runner-time phase (StackStorm's render_final_params).
// params are the recorded live parameters and are taken as they are (not
// rendered again); every other parameter gets its default, rendered in
// dependency order. All values are cast and split into the runner's
// parameters and the action's own (a parameter both declare is the runner's).
func RenderFinal(runnerParams, actionParams model.Params, params map[string]any, c Context) (runnerVals, actionVals map[string]any, err error) {
	g := newGraph(c, actionParams, runnerParams)
	for _, name := range sortedKeys(params) {
		g.nodes[name] = &node{value: params[name]}
	}
	if err := g.processDefaults(); err != nil {
		return nil, nil, err
	}
	values, err := g.resolve()
	if err != nil {
		return nil, nil, err
	}
	runnerVals = make(map[string]any, len(runnerParams))
	actionVals = make(map[string]any, len(actionParams))
	for name, v := range values {
		spec := runnerParams[name]
		if spec == nil {
			spec = actionParams[name]
		}
		_, inRunner := runnerParams[name]
		_, inAction := actionParams[name]
		if !inRunner && !inAction {
			continue
		}
		cv, err := castParam(name, spec, v)
		if err != nil {
			return nil, nil, err
		}
		if inRunner {
			runnerVals[name] = cv
		} else {
			actionVals[name] = cv
		}
	}
	return runnerVals, actionVals, nil
}

// castFrom picks the supplied parameters, and the template defaults in use,
// out of the rendered values and casts them (StackStorm's _cast_params_from).
func castFrom(live, values map[string]any, actionParams, runnerParams model.Params) (map[string]any, error) {
	out := make(map[string]any, len(live))
	for name := range live {
		spec := runnerParams[name]
		if spec == nil {
			spec = actionParams[name]
		}
		v, err := castParam(name, spec, values[name])
		if err != nil {
			return nil, err
		}
		out[name] = v
	}
	for _, specs := range []model.Params{actionParams, runnerParams} {
		for _, name := range sortedKeys(specs) {
			spec := specs[name]
			if spec == nil || spec.Immutable || spec.Default == nil {
				continue
			}
			if _, supplied := live[name]; supplied {
				continue
			}
			def, ok := spec.Default.(string)
			if !ok || !IsTemplate(def) || reflect.DeepEqual(spec.Default, values[name]) {
				continue
			}
			v, err := castParam(name, spec, values[name])
			if err != nil {
				return nil, err
			}
			out[name] = v
		}
	}
	return out, nil
}

func castParam(name string, spec *model.ParamSpec, v any) (any, error) {
	cv, err := Cast(spec, v)
	if err != nil {
		var ce *CastError
		if errors.As(err, &ce) {
			return nil, &Error{Param: name, Err: err,
				Msg: fmt.Sprintf("Failed to cast parameter %q to %s: %s %s", name, ce.Type, py.Repr(ce.Value), ce.Reason)}
		}
		return nil, &Error{Param: name, Err: err, Msg: fmt.Sprintf("Failed to cast parameter %q: %v", name, err)}
	}
	return cv, nil
}

// graph is the dependency graph of parameters (StackStorm builds it with
// networkx): a node per parameter or context variable, holding either a
// plain value or a template, and an edge from every variable a template
// reads to the template's node.
type graph struct {
	nodes map[string]*node
	// refBy remembers, for error messages, a parameter that reads each name.
	refBy map[string]string
	// schemas are the action's and the runner's parameters, in the order
	// defaults are taken from them.
	schemas []model.Params
	// xenv gives filters the datastore (decrypt_kv).
	xenv *expr.Env
}

type node struct {
	value any
	// tmpl is set for a string template; complex is set for a list or map
	// with templates inside.
	tmpl    *Template
	complex bool
	deps    []string
}

func (n *node) isTemplate() bool { return n.tmpl != nil || n.complex }

// newGraph starts a graph with the context variables (StackStorm's
// _create_graph, then the additional contexts).
func newGraph(c Context, actionParams, runnerParams model.Params) *graph {
	action := c.Action
	if action == nil {
		action = map[string]any{}
	}
	config := c.Config
	if config == nil {
		config = map[string]any{}
	}
	user := c.user()
	kv := expr.DictOf(
		"system", jinja.NewKVLookup(c.Datastore, "system", user),
		"user", jinja.NewKVLookup(c.Datastore, "user", user),
	)
	g := &graph{
		nodes: map[string]*node{
			datastoreVar:     {value: kv},
			actionContextVar: {value: action},
			configContextVar: {value: config},
		},
		refBy:   map[string]string{},
		schemas: []model.Params{actionParams, runnerParams},
		xenv:    &expr.Env{Datastore: c.Datastore, User: user},
	}
	for _, name := range sortedKeys(c.Extra) {
		g.nodes[name] = &node{value: c.Extra[name]}
	}
	return g
}

// isRaw reports whether either schema declares the parameter raw_string.
func (g *graph) isRaw(name string) bool {
	for _, specs := range g.schemas {
		if spec := specs[name]; spec != nil && spec.TypeName() == RawStringType {
			return true
		}
	}
	return false
}

// process adds a parameter value, as a template node when it holds Jinja
// markers that parse, else as a plain value (StackStorm's _process). A
// raw_string parameter's value is always plain; text that ends inside an
// open tag is plain (it is not a template); any other template that does
// not parse is an error naming the parameter.
func (g *graph) process(name string, v any) error {
	n := &node{value: v}
	if !g.isRaw(name) {
		switch x := v.(type) {
		case string:
			if IsTemplate(x) {
				t, err := Parse(x)
				var se *SyntaxError
				switch {
				case errors.As(err, &se):
					// Not Jinja after all: the text is the value.
				case err != nil:
					return renderError(name, err)
				default:
					n.tmpl = t
					n.deps = t.Refs()
				}
			}
		case map[string]any, []any:
			deps := map[string]bool{}
			has, err := complexRefs(v, deps)
			if err != nil {
				return renderError(name, err)
			}
			if has {
				n.complex = true
				n.deps = sortedKeys(deps)
			}
		}
	}
	for _, d := range n.deps {
		if _, ok := g.refBy[d]; !ok {
			g.refBy[d] = name
		}
	}
	g.nodes[name] = n
	return nil
}

// processDefaults gives every declared parameter that has no value yet (or
// a null one) its default, action schema first; an immutable parameter
// always takes its default (StackStorm's _process_defaults).
func (g *graph) processDefaults() error {
	for _, specs := range g.schemas {
		for _, name := range sortedKeys(specs) {
			spec := specs[name]
			if spec == nil {
				spec = &model.ParamSpec{}
			}
			n := g.nodes[name]
			if n == nil || (!n.isTemplate() && n.value == nil) || spec.Immutable {
				if err := g.process(name, spec.Default); err != nil {
					return err
				}
			}
		}
	}
	return nil
}

// resolve checks for missing and cyclic dependencies and renders every
// node in topological order, each with every node rendered before it in
// scope (StackStorm's _validate and _resolve_dependencies).
func (g *graph) resolve() (map[string]any, error) {
	names := sortedKeys(g.nodes)
	for _, name := range names {
		for _, d := range g.nodes[name].deps {
			if _, ok := g.nodes[d]; !ok {
				return nil, &Error{Param: name,
					Msg: fmt.Sprintf("Dependency unsatisfied in variable %q (referenced by parameter %q)", d, name)}
			}
		}
	}
	order, cyclic := g.topoSort(names)
	if len(cyclic) > 0 {
		return nil, &Error{Param: cyclic[0], Msg: fmt.Sprintf("Cyclic dependency found in the following variables: %s. "+
			"Likely the variable is referencing itself", strings.Join(cyclic, ", "))}
	}
	values := make(map[string]any, len(order))
	vars := expr.NewDict(len(order))
	for _, name := range order {
		n := g.nodes[name]
		var v any
		switch {
		case n.tmpl != nil:
			s, err := n.tmpl.render(vars, g.xenv)
			if err != nil {
				return nil, renderError(name, err)
			}
			v = s
		case n.complex:
			r, err := g.renderComplex(n.value, vars, values)
			if err != nil {
				return nil, renderError(name, err)
			}
			v = r
		default:
			v = n.value
		}
		values[name] = v
		ev, err := exprValue(v)
		if err != nil {
			return nil, renderError(name, err)
		}
		vars.Set(name, ev)
	}
	return values, nil
}

// topoSort orders the nodes so every template comes after what it reads
// (Kahn's algorithm, ties broken by name). When there is a cycle it returns
// the variables of every cycle instead (see cycles).
func (g *graph) topoSort(names []string) (order, cyclic []string) {
	indeg := make(map[string]int, len(names))
	users := map[string][]string{}
	for _, name := range names {
		for _, d := range g.nodes[name].deps {
			indeg[name]++
			users[d] = append(users[d], name)
		}
	}
	var ready []string
	for _, name := range names {
		if indeg[name] == 0 {
			ready = append(ready, name)
		}
	}
	for len(ready) > 0 {
		sort.Strings(ready)
		name := ready[0]
		ready = ready[1:]
		order = append(order, name)
		for _, u := range users[name] {
			if indeg[u]--; indeg[u] == 0 {
				ready = append(ready, u)
			}
		}
	}
	if len(order) == len(names) {
		return order, nil
	}
	return nil, g.cycles(names)
}

// cycles names every variable that is part of a dependency cycle.
//
// StackStorm lists the first node of each of networkx's simple_cycles, so
// for a ⇄ b it names one of the two, and which one depends on networkx's
// internals. Here every member is named instead, in a stable order: the
// cycles (strongly connected components, found with Tarjan's algorithm)
// come in order of their alphabetically first member, and each lists its
// members starting from that one and following what each template reads
// (a reads b reads c reads a gives "a, b, c"; where a component holds more
// than one cycle, a depth-first walk that takes the reads in name order).
func (g *graph) cycles(names []string) []string {
	index := map[string]int{}
	low := map[string]int{}
	onStack := map[string]bool{}
	var stack []string
	var comps [][]string
	next := 0
	var visit func(v string)
	visit = func(v string) {
		index[v], low[v] = next, next
		next++
		stack = append(stack, v)
		onStack[v] = true
		for _, w := range g.nodes[v].deps { // edge v -> w (v reads w)
			if _, seen := index[w]; !seen {
				visit(w)
				low[v] = min(low[v], low[w])
			} else if onStack[w] {
				low[v] = min(low[v], index[w])
			}
		}
		if low[v] != index[v] {
			return
		}
		var comp []string
		for {
			w := stack[len(stack)-1]
			stack = stack[:len(stack)-1]
			onStack[w] = false
			comp = append(comp, w)
			if w == v {
				break
			}
		}
		if len(comp) > 1 || slices.Contains(g.nodes[v].deps, v) {
			comps = append(comps, g.cycleOrder(comp))
		}
	}
	for _, name := range names {
		if _, seen := index[name]; !seen {
			visit(name)
		}
	}
	sort.Slice(comps, func(i, j int) bool { return comps[i][0] < comps[j][0] })
	var out []string
	for _, c := range comps {
		out = append(out, c...)
	}
	return out
}

// cycleOrder orders the members of one cyclic component: a depth-first
// walk from the alphabetically first member along what each reads, taking
// the reads in name order and staying inside the component. For a simple
// cycle that is the cycle itself.
func (g *graph) cycleOrder(comp []string) []string {
	in := make(map[string]bool, len(comp))
	for _, c := range comp {
		in[c] = true
	}
	order := make([]string, 0, len(comp))
	done := map[string]bool{}
	var walk func(v string)
	walk = func(v string) {
		done[v] = true
		order = append(order, v)
		deps := slices.Clone(g.nodes[v].deps)
		sort.Strings(deps)
		for _, d := range deps {
			if in[d] && !done[d] {
				walk(d)
			}
		}
	}
	walk(slices.Min(comp))
	return order
}

// typedRef matches a string that is exactly {{name}}: inside lists and maps
// StackStorm renders those through to_complex, keeping the value's type.
var typedRef = regexp.MustCompile(`^\{\{([A-Za-z0-9_]+)\}\}$`)

// complexRefs collects the variables the templates inside a list or map
// read. Text that is not a template after all is skipped; a template that
// does not parse is an error.
func complexRefs(v any, deps map[string]bool) (bool, error) {
	has := false
	add := func(s string) error {
		if !IsTemplate(s) {
			return nil
		}
		t, err := Parse(s)
		var se *SyntaxError
		if errors.As(err, &se) {
			return nil
		}
		if err != nil {
			return err
		}
		has = true
		for _, r := range t.Refs() {
			deps[r] = true
		}
		return nil
	}
	switch x := v.(type) {
	case string:
		err := add(x)
		return has, err
	case []any:
		for _, e := range x {
			h, err := complexRefs(e, deps)
			if err != nil {
				return false, err
			}
			has = has || h
		}
	case map[string]any:
		for _, k := range sortedKeys(x) {
			if err := add(k); err != nil {
				return false, err
			}
			h, err := complexRefs(x[k], deps)
			if err != nil {
				return false, err
			}
			has = has || h
		}
	}
	return has, nil
}

// renderComplex renders the string leaves (and keys) of a list or map.
// A leaf that is exactly {{name}} keeps the variable's type (StackStorm's
// to_complex); every other template leaf renders to text. (StackStorm
// splices the rendered text into the value's JSON and parses it back, so
// quotes or backslashes in a value break or change it there; here they
// are kept as they are.)
func (g *graph) renderComplex(v any, vars *expr.Dict, values map[string]any) (any, error) {
	switch x := v.(type) {
	case string:
		if !IsTemplate(x) {
			return x, nil
		}
		if m := typedRef.FindStringSubmatch(x); m != nil {
			val, ok := values[m[1]]
			if !ok {
				return nil, &UndefinedError{Msg: fmt.Sprintf("'%s' is undefined", m[1])}
			}
			if d, ok := val.(*expr.Dict); ok {
				if m[1] == datastoreVar {
					// to_complex is json.dumps, which cannot encode the lookups.
					return nil, &TemplateError{Msg: fmt.Sprintf("Object of type %s is not JSON serializable", typeOfFirst(d))}
				}
				return goValue(d), nil
			}
			return cloneValue(val), nil
		}
		t, err := Parse(x)
		var se *SyntaxError
		if errors.As(err, &se) {
			return x, nil
		}
		if err != nil {
			return nil, err
		}
		return t.render(vars, g.xenv)
	case []any:
		out := make([]any, len(x))
		for i, e := range x {
			r, err := g.renderComplex(e, vars, values)
			if err != nil {
				return nil, err
			}
			out[i] = r
		}
		return out, nil
	case map[string]any:
		out := make(map[string]any, len(x))
		for _, k := range sortedKeys(x) {
			rk, err := g.renderComplex(k, vars, values)
			if err != nil {
				return nil, err
			}
			r, err := g.renderComplex(x[k], vars, values)
			if err != nil {
				return nil, err
			}
			out[py.Str(rk)] = r
		}
		return out, nil
	}
	return cloneValue(v), nil
}

// typeOfFirst is the type name of a dict's first value.
func typeOfFirst(d *expr.Dict) string {
	_, vals := d.KeyValues()
	if len(vals) == 0 {
		return "dict"
	}
	return expr.TypeName(vals[0])
}

// renderError is StackStorm's message for a parameter whose template
// fails: the parameter and Jinja's message.
func renderError(name string, err error) error {
	msg := err.Error()
	var se *SyntaxError
	if errors.As(err, &se) {
		msg = se.Msg
	}
	return &Error{Param: name, Err: err, Msg: fmt.Sprintf("Failed to render parameter %q: %s", name, msg)}
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
