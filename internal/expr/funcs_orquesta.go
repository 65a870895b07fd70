package expr

import (
	"strings"
)

// Orquesta's statuses the predicates test (orquesta/statuses.py).
var completedStatuses = map[string]bool{
	"succeeded": true, "failed": true, "expired": true, "abandoned": true, "canceled": true,
}

// unsetStatus is Orquesta's status of a task that has none.
const unsetStatus = "null"

var ctxSpec = FuncSpec{
	Name: "ctx", MinArgs: 0, MaxArgs: 1,
	Params: []Param{{Name: "key"}},
	Scope:  ScopeOrquesta,
	Doc:    "The workflow context (without the internal __ keys), or the value of one variable; an unknown variable is an error.",
	Examples: []Example{
		{Text: "ctx('x')", Args: []any{"x"}, Env: &Env{Vars: DictOf("x", int64(1))}, Want: int64(1)},
		{Text: "ctx()", Env: &Env{Vars: DictOf("x", int64(1), "__state", "hidden")}, Want: DictOf("x", int64(1))},
		{Text: "ctx('y')", Args: []any{"y"}, Env: &Env{Vars: DictOf("x", int64(1))}, Err: "VariableUndefinedError"},
	},
	Fn: func(c *Call) (any, error) {
		key := c.Arg(0)
		if Truthy(key) {
			v, found, err := c.Env.Vars.Lookup(key)
			if err != nil {
				return nil, err
			}
			if !found {
				return nil, Errorf("VariableUndefinedError", "The variable \"%s\" is undefined.", Str(key))
			}
			if s, ok := key.(string); ok && strings.HasPrefix(s, "__") {
				return nil, Errorf("VariableInaccessibleError", "The variable \"%s\" is for internal use and inaccessible.", s)
			}
			return v, nil
		}
		// A new dict each call, as Orquesta builds one.
		hidden := false
		c.Env.Vars.Range(func(k, v any) bool {
			if s, ok := k.(string); ok && strings.HasPrefix(s, "__") {
				hidden = true
				return false
			}
			return true
		})
		if !hidden {
			return c.Env.Vars.Copy(), nil
		}
		out := NewDict(c.Env.Vars.Len())
		c.Env.Vars.Range(func(k, v any) bool {
			if s, ok := k.(string); !ok || !strings.HasPrefix(s, "__") {
				_ = out.SetKey(k, v)
			}
			return true
		})
		return out, nil
	},
}

var jsonSpec = FuncSpec{
	Name: "json", MinArgs: 1, MaxArgs: 1,
	Params: []Param{{Name: "s"}},
	Scope:  ScopeOrquesta,
	Doc:    "Parses a JSON string; a dict is returned as it is.",
	Examples: []Example{
		{Text: `json('{"k": [1, 2]}')`, Args: []any{`{"k": [1, 2]}`}, Want: DictOf("k", []any{int64(1), int64(2)})},
		{Text: "json(1)", Args: []any{int64(1)}, Err: "Given object is not typeof string."},
	},
	Fn: func(c *Call) (any, error) {
		switch s := c.Arg(0).(type) {
		case *Dict:
			return s, nil
		case string:
			return pyJSONLoads(s)
		}
		return nil, TypeErrorf("Given object is not typeof string.")
	},
}

// pyJSONLoads is json.loads with its ValueError.
func pyJSONLoads(s string) (any, error) {
	v, err := FromJSON([]byte(s))
	if err != nil {
		return nil, Errorf("JSONDecodeError", "%s", strings.TrimPrefix(err.Error(), "decoding JSON: "))
	}
	return v, nil
}

var zipSpec = FuncSpec{
	Name: "zip", MinArgs: 0, MaxArgs: -1,
	Keywords: []Param{{Name: "pad"}},
	Scope:    ScopeOrquesta,
	Doc:      "Zips lists into a list of tuples, padding shorter ones with pad (None); one list is returned as it is.",
	Examples: []Example{
		{Text: "zip([1, 2], ['a'])", Args: []any{[]any{int64(1), int64(2)}, []any{"a"}}, Want: []any{Tuple{int64(1), "a"}, Tuple{int64(2), nil}}},
		{Text: "zip([1], [2, 3], pad=0)", Args: []any{[]any{int64(1)}, []any{int64(2), int64(3)}}, Kwargs: map[string]any{"pad": int64(0)}, Want: []any{Tuple{int64(1), int64(2)}, Tuple{int64(0), int64(3)}}},
	},
	Fn: func(c *Call) (any, error) {
		lists := make([][]any, len(c.Args))
		for i, a := range c.Args {
			if a == nil {
				lists[i] = nil
				continue
			}
			if len(c.Args) == 1 {
				return a, nil
			}
			it, err := Iterate(a)
			if err != nil {
				return nil, TypeErrorf("zip_longest argument #%d must support iteration", i+1)
			}
			lists[i] = it
		}
		if len(c.Args) == 1 {
			return []any{}, nil
		}
		n := 0
		for _, l := range lists {
			n = max(n, len(l))
		}
		if err := c.Budget.CheckSize(int64(n * len(lists))); err != nil {
			return nil, err
		}
		pad := c.Kwargs["pad"]
		out := make([]any, n)
		for i := range out {
			t := make(Tuple, len(lists))
			for j, l := range lists {
				if i < len(l) {
					t[j] = l[i]
				} else {
					t[j] = pad
				}
			}
			out[i] = t
		}
		return out, nil
	},
}

var itemSpec = FuncSpec{
	Name: "item", MinArgs: 0, MaxArgs: 1,
	Params: []Param{{Name: "key"}},
	Scope:  ScopeOrquesta,
	Doc:    "The current with-items item, or one key of it when the item is a dict.",
	Examples: []Example{
		{Text: "item()", Env: &Env{Item: int64(3)}, Want: int64(3)},
		{Text: "item('host')", Args: []any{"host"}, Env: &Env{Item: DictOf("host", "web1")}, Want: "web1"},
		{Text: "item('port')", Args: []any{"port"}, Env: &Env{Item: DictOf("host", "web1")}, Err: `Item does not have key "port".`},
	},
	Fn: func(c *Call) (any, error) {
		key := c.Arg(0)
		if !Truthy(key) {
			return c.Env.Item, nil
		}
		d, ok := c.Env.Item.(*Dict)
		if !ok {
			return nil, Errorf("ExpressionEvaluationException", "Item is not type of collections.abc.Mapping.")
		}
		v, found, err := d.Lookup(key)
		if err != nil {
			return nil, err
		}
		if !found {
			return nil, Errorf("ExpressionEvaluationException", "Item does not have key \"%s\".", Str(key))
		}
		return v, nil
	},
}

func currentTask(e *Env) (*Task, error) {
	if e.Task == nil {
		return nil, Errorf("ExpressionEvaluationException", "The current task is not set in the context.")
	}
	return e.Task, nil
}

func taskStatus(e *Env, id string, route int) string {
	if e.Workflow == nil {
		return unsetStatus
	}
	if s := e.Workflow.TaskStatus(id, route); s != "" {
		return s
	}
	return unsetStatus
}

var taskStatusSpec = FuncSpec{
	Name: "task_status", MinArgs: 1, MaxArgs: 2,
	Params: []Param{{Name: "task_id"}, {Name: "route"}},
	Scope:  ScopeOrquesta,
	Doc:    `The status of a task ("null" when it has none), on the current task's route unless route is given.`,
	Examples: []Example{
		{Text: "task_status('t2')", Args: []any{"t2"}, Env: &Env{Workflow: StaticWorkflow{"t2": "running"}}, Want: "running"},
		{Text: "task_status('t3')", Args: []any{"t3"}, Env: &Env{Workflow: StaticWorkflow{"t2": "running"}}, Want: "null"},
	},
	Fn: func(c *Call) (any, error) {
		id := Str(c.Arg(0))
		route := 0
		if r := c.Arg(1); r != nil {
			n, err := ToInt64(r)
			if err != nil {
				return nil, err
			}
			route = int(n)
		} else if c.Env.Task != nil {
			route = c.Env.Task.Route
		}
		return taskStatus(c.Env, id, route), nil
	},
}

func statusPredicate(name, doc string, test func(string) bool) FuncSpec {
	return FuncSpec{
		Name: name, MinArgs: 0, MaxArgs: 0,
		Scope: ScopeOrquesta,
		Doc:   doc,
		Examples: []Example{
			{Text: name + "()", Err: "The current task is not set in the context."},
		},
		Fn: func(c *Call) (any, error) {
			t, err := currentTask(c.Env)
			if err != nil {
				return nil, err
			}
			return test(taskStatus(c.Env, t.ID, t.Route)), nil
		},
	}
}

var succeededSpec = statusPredicate("succeeded", "Whether the current task succeeded.",
	func(s string) bool { return s == "succeeded" })

var failedSpec = statusPredicate("failed", "Whether the current task failed.",
	func(s string) bool { return s == "failed" })

var completedSpec = statusPredicate("completed", "Whether the current task completed (succeeded, failed, expired, abandoned or canceled).",
	func(s string) bool { return completedStatuses[s] })

var resultSpec = FuncSpec{
	Name: "result", MinArgs: 0, MaxArgs: 0,
	Scope: ScopeOrquesta,
	Doc:   "The result of the current task's action (a list of item results for with-items).",
	Examples: []Example{
		{Text: "result()", Env: &Env{Task: &Task{ID: "t1", Result: DictOf("code", int64(0))}}, Want: DictOf("code", int64(0))},
	},
	Fn: func(c *Call) (any, error) {
		t, err := currentTask(c.Env)
		if err != nil {
			return nil, err
		}
		return t.Result, nil
	},
}

var st2kvSpec = FuncSpec{
	Name: "st2kv", MinArgs: 1, MaxArgs: 1,
	Params:   []Param{{Name: "key"}},
	Keywords: []Param{{Name: "decrypt", Default: false}, {Name: "default"}},
	Scope:    ScopeOrquesta,
	Doc:      `A datastore value: "system.<key>" in the system scope, any other key in the user scope of the workflow's user; a missing key is an error unless default is given.`,
	Examples: []Example{
		{Text: "st2kv('system.k')", Args: []any{"system.k"}, Env: &Env{User: "stanley", Datastore: MapDatastore{"system": {"k": "v"}}}, Want: "v"},
		{Text: "st2kv('k')", Args: []any{"k"}, Env: &Env{User: "stanley", Datastore: MapDatastore{"user": {"stanley:k": "mine"}}}, Want: "mine"},
		{Text: "st2kv('system.nope', default='d')", Args: []any{"system.nope"}, Kwargs: map[string]any{"default": "d"}, Env: &Env{User: "stanley", Datastore: MapDatastore{}}, Want: "d"},
		{Text: "st2kv('system.nope')", Args: []any{"system.nope"}, Env: &Env{Vars: DictOf("st2", DictOf("user", "stanley")), Datastore: MapDatastore{}}, Err: `The key "nope" does not exist in the StackStorm datastore.`},
	},
	Fn: func(c *Call) (any, error) {
		key, ok := c.Arg(0).(string)
		if !ok {
			return nil, TypeErrorf("Given key is not typeof string.")
		}
		decrypt, ok := c.Kwargs["decrypt"].(bool)
		if !ok {
			return nil, TypeErrorf("Decrypt parameter is not typeof bool.")
		}
		user, err := c.Env.user()
		if err != nil {
			return nil, err
		}
		if c.Env.Datastore == nil {
			return nil, Errorf("ExpressionEvaluationException", "%s", ErrNoDatastore.Error())
		}
		scope, name, stored := "user", key, user+":"+key
		if rest, ok := strings.CutPrefix(key, "system."); ok {
			scope, name, stored = "system", rest, rest
		}
		v, found, err := c.Env.Datastore.Lookup(c.Ctx, scope, name, user, decrypt)
		if err != nil {
			return nil, Errorf("ExpressionEvaluationException", "%s", err.Error())
		}
		if !found {
			if c.Has("default") {
				return c.Kwargs["default"], nil
			}
			return nil, Errorf("ExpressionEvaluationException", "The key \"%s\" does not exist in the StackStorm datastore.", stored)
		}
		return v, nil
	},
}

var taskSpec = FuncSpec{
	Name: "task", MinArgs: 0, MaxArgs: 2,
	Params: []Param{{Name: "task_id"}, {Name: "route"}},
	Scope:  ScopeOrquesta,
	Doc:    "StackStorm's record of a task execution (task_execution_id, workflow_execution_id, task_name, task_id, route, result, status, start_timestamp, end_timestamp): the current task's unless task_id is given.",
	Examples: []Example{
		{Text: "task('t9')", Args: []any{"t9"}, Env: &Env{Workflow: StaticWorkflow{}}, Err: `Unable to find task execution for "t9".`},
	},
	Fn: func(c *Call) (any, error) {
		id, route := "", 0
		if c.Env.Task != nil {
			id, route = c.Env.Task.ID, c.Env.Task.Route
		}
		if v := c.Arg(0); v != nil {
			id = Str(v)
		} else if c.Env.Task == nil {
			return nil, &PyError{Type: "KeyError", Msg: "'id'"}
		}
		if v := c.Arg(1); v != nil {
			n, err := ToInt64(v)
			if err != nil {
				return nil, err
			}
			route = int(n)
		}
		if c.Env.Workflow == nil {
			return nil, Errorf("ExpressionEvaluationException", "Unable to find task execution for \"%s\".", id)
		}
		rec, err := c.Env.Workflow.TaskRecord(c.Ctx, id, route)
		if err != nil {
			return nil, Errorf("ExpressionEvaluationException", "%s", err.Error())
		}
		if rec == nil {
			return nil, Errorf("ExpressionEvaluationException", "Unable to find task execution for \"%s\".", id)
		}
		return rec, nil
	},
}
