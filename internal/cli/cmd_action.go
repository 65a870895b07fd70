package cli

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"os"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/st2go/st2go/internal/client"
	"github.com/st2go/st2go/internal/model"
	"github.com/st2go/st2go/internal/pyfmt"
)

var (
	actionListAttrs    = []string{"ref", "pack", "description"}
	actionDisplayOrder = []string{"id", "uid", "ref", "pack", "name", "description", "enabled", "entry_point", "runner_type", "parameters"}
	// executionAttrs is what run, re-run, pause and resume print.
	executionAttrs = []string{"id", "action.ref", "context.user", "parameters", "status", "start_timestamp", "end_timestamp", "result"}
	// pendingStatuses are polled until they change (StackStorm's list).
	pendingStatuses   = []string{"requested", "scheduled", "running", "canceling"}
	workflowRunners   = []string{"action-chain", "orquesta"}
	executionChildren = []string{"id", "status", "task", "action", "start_timestamp"}
)

func actionListSpec() *spec {
	return &spec{description: "Get the list of actions.", opts: resourceOpts(append(listOpts(),
		option{names: []string{"-p", "--pack"}, dest: "pack", kind: optString, help: "Only return resources belonging to the provided pack"})...)}
}

func actionList(ctx context.Context, a *app, args *args) error {
	var q client.Query
	if inc := includeAttributes(args, actionListAttrs, nil); len(inc) > 0 {
		q.Add("include_attributes", strings.Join(inc, ","))
	}
	if p := args.str("pack"); p != "" {
		q.Add("pack", p)
	}
	items, _, err := a.getList(ctx, "/actions", q)
	if err != nil {
		return err
	}
	at := attrs(args, actionListAttrs)
	return a.printResult(args, items, at, func() (string, error) {
		return a.multiColumn(items, at, args.ints("width"), nil), nil
	})
}

func getSpec(description, pk, pkHelp string, extra ...option) func() *spec {
	return func() *spec {
		return &spec{description: description,
			opts: resourceOpts(append([]option{{names: []string{"-a", "--attr"}, dest: "attr", kind: optList,
				help: `List of attributes to include in the output. "all" or unspecified will return all attributes.`}}, extra...)...),
			pos: []positional{{name: pk, nargs: '+', help: pkHelp}}}
	}
}

var actionGetSpec = getSpec("Get individual action.", "ref-or-id", "Reference or ID of the action.")

func actionGet(ctx context.Context, a *app, args *args) error {
	items, err := a.getMany(ctx, "Action", args.list("ref-or-id"), func(id string) (*client.Object, error) {
		return a.getByPK(ctx, "/actions/"+url.PathEscape(id), nil)
	})
	if err != nil {
		return err
	}
	at := attrs(args, []string{"all"})
	for _, it := range items {
		if err := a.printResult(args, it, at, func() (string, error) {
			return a.propertyValue(it, at, actionDisplayOrder, nil), nil
		}); err != nil {
			return err
		}
	}
	return nil
}

// executionDisplayOpts are the display options run, get, re-run, pause and
// resume share (_add_common_options).
func executionDisplayOpts() []option {
	return []option{
		{names: []string{"--with-schema"}, dest: "with_schema", kind: optBool, help: "Show schema_ouput suggestion with action."},
		{names: []string{"--raw"}, dest: "raw", kind: optBool, help: "Raw output, don't show sub-tasks for workflows."},
		{names: []string{"--show-tasks"}, dest: "show_tasks", kind: optBool, help: "Whether to show sub-tasks of an execution."},
		{names: []string{"--depth"}, dest: "depth", kind: optInt, help: "Depth to which to show sub-tasks. By default all are shown."},
		{names: []string{"-w", "--width"}, dest: "width", kind: optIntList, help: "Set the width of columns in output."},
		{names: []string{"--attr"}, dest: "attr", kind: optList, help: `List of attributes to include in the output. "all" or unspecified will return all attributes.`},
		{names: []string{"-d", "--detail"}, dest: "detail", kind: optBool, help: "Display full detail of the execution in table format."},
		{names: []string{"-k", "--key"}, dest: "key", kind: optString, help: "If result is type of JSON, then print specific key-value pair; dot notation for nested JSON is supported."},
		{names: []string{"--delay"}, dest: "delay", kind: optInt, help: "How long (in milliseconds) to delay the execution before scheduling."},
		{names: []string{"--tail"}, dest: "tail", kind: optBool, help: "Automatically start tailing new execution."},
		{names: []string{"--auto-dict"}, dest: "auto_dict", kind: optBool, help: "Automatically convert list items to dictionaries when colons are detected. (NOTE - this parameter and its functionality will be deprecated in the next release in favor of a more robust conversion method)"},
	}
}

func runSpec(name string) func() *spec {
	return func() *spec {
		opts := resourceOpts(
			option{names: []string{"-h", "--help"}, dest: "help", kind: optBool, help: "Print usage for the given action."})
		opts = append(opts, executionDisplayOpts()...)
		opts = append(opts,
			option{names: []string{"--trace-tag", "--trace_tag"}, dest: "trace_tag", kind: optString, help: "A trace tag string to track execution later."},
			option{names: []string{"--trace-id"}, dest: "trace_id", kind: optString, help: "Existing trace id for this execution."},
			option{names: []string{"-a", "--async"}, dest: "async", kind: optBool, help: "Do not wait for action to finish."},
			option{names: []string{"-e", "--inherit-env"}, dest: "inherit_env", kind: optBool, help: `Pass all the environment variables which are accessible to the CLI as "env" parameter to the action. Note: Only works with python, local and remote runners.`},
			option{names: []string{"-u", "--user"}, dest: "user", kind: optString, help: "User under which to run the action (admins only)."},
		)
		return &spec{description: "Invoke an action manually.", noHelp: true, opts: opts,
			pos: []positional{
				{name: "ref-or-id", nargs: '?', help: "Action reference (pack.action_name) or ID of the action."},
				{name: "parameters", nargs: '*', help: "List of keyword args, positional args, and optional args for the action."},
			}}
	}
}

func runAction(name string) func(ctx context.Context, a *app, args *args) error {
	return func(ctx context.Context, a *app, args *args) error {
		if args.boolean("help") {
			return a.actionHelp(ctx, args, runSpec(name)())
		}
		ref := args.str("ref-or-id")
		if ref == "" {
			sp := runSpec(name)()
			sp.prog = "st2 " + name
			if name == "execute" {
				sp.prog = "st2 action execute"
			}
			return &usageError{prog: sp.prog, sp: sp, msg: "Missing action reference or id"}
		}
		action, err := a.getByRefOrID(ctx, "/actions/"+url.PathEscape(ref), nil)
		if err != nil {
			return err
		}
		if action == nil {
			return &notFoundError{fmt.Sprintf("Resource with id or reference %q doesn't exist.", ref)}
		}
		runnerType := action.String("runner_type")
		runner, err := a.getByName(ctx, "runnertypes", runnerType, "runnertype")
		if err != nil {
			return err
		}
		if runner == nil {
			return &notFoundError{fmt.Sprintf("Runner type %q for action %q cannot be found.", runnerType, action.String("name"))}
		}
		params, err := a.castParams(action, runner, args)
		if err != nil {
			return err
		}
		body := client.NewObject()
		body.Set("action", action.String("pack")+"."+action.String("name"))
		body.Set("parameters", params)
		if u := args.str("user"); u != "" {
			body.Set("user", u)
		} else {
			body.Set("user", nil)
		}
		if d, ok := args.integer("delay"); ok && d != 0 {
			body.Set("delay", d)
		}
		if tid := args.str("trace_id"); tid != "" {
			body.Set("context", traceContext("id_", tid))
		} else if tag := args.str("trace_tag"); tag != "" {
			body.Set("context", traceContext("trace_tag", tag))
		}
		resp, err := a.do(ctx, client.API, http.MethodPost, "/executions", nil, body)
		if err != nil {
			return err
		}
		execution, err := objectOf(resp)
		if err != nil {
			return err
		}
		async := name == "execute" || args.boolean("async")
		return a.finishExecution(ctx, execution, args, async)
	}
}

func traceContext(key, value string) *client.Object {
	tc := client.NewObject()
	tc.Set(key, value)
	c := client.NewObject()
	c.Set("trace_context", tc)
	return c
}

func (a *app) castParams(action, runner *client.Object, args *args) (*client.Object, error) {
	cwd, _ := os.Getwd()
	if p := a.env["PWD"]; p != "" && cwd == "" {
		cwd = p
	}
	c := &paramCaster{actionRef: action.String("ref"), actionParams: action.Object("parameters"),
		runnerParams: runner.Object("runner_parameters"), autoDict: args.boolean("auto_dict"), cwd: cwd}
	var env map[string]string
	if args.boolean("inherit_env") {
		env = a.env
	}
	return c.cast(args.list("parameters"), env)
}

// finishExecution waits for (or tails) a new execution and prints it as
// run_and_print does; a failed execution exits 1.
func (a *app) finishExecution(ctx context.Context, execution *client.Object, args *args, async bool) error {
	execution, err := a.executionResultOf(ctx, execution, args, async)
	if err != nil {
		return err
	}
	id := execution.String("id")
	if async {
		a.println("To get the results, execute:\n st2 execution get " + id)
		a.println("\nTo view output in real-time, execute:\n st2 execution tail " + id)
	} else if err := a.printExecutionDetails(ctx, execution, args, executionAttrs); err != nil {
		return err
	}
	if execution.String("status") == string(model.StatusFailed) {
		return exitCode(exitError)
	}
	return nil
}

// executionResultOf is _get_execution_result: tail, or poll until the
// execution leaves the pending statuses.
func (a *app) executionResultOf(ctx context.Context, execution *client.Object, args *args, async bool) (*client.Object, error) {
	id := execution.String("id")
	path := "/executions/" + url.PathEscape(id)
	if args.boolean("tail") {
		a.println(fmt.Sprintf("Tailing execution %q", id))
		if err := a.tailExecution(ctx, execution, "", false); err != nil {
			return nil, err
		}
		e, err := a.getByRefOrID(ctx, path, nil)
		if err != nil {
			return nil, err
		}
		a.println("")
		if e == nil {
			return execution, nil
		}
		return e, nil
	}
	if async {
		return execution, nil
	}
	quiet := args.boolean("json") || args.boolean("yaml")
	// Poll soon at first (most actions are quick), then back off to the
	// poll interval; StackStorm's CLI polls every 2 s.
	delay := min(firstPoll, a.pollInterval)
	for contains(pendingStatuses, execution.String("status")) {
		t := time.NewTimer(delay)
		delay = min(delay*2, a.pollInterval)
		select {
		case <-ctx.Done():
			t.Stop()
			return nil, ctx.Err()
		case <-t.C:
		}
		if !quiet {
			a.outf(".")
		}
		e, err := a.getByRefOrID(ctx, path, nil)
		if err != nil {
			return nil, err
		}
		if e == nil {
			return nil, &notFoundError{fmt.Sprintf("Action execution with id %q cannot be found.", id)}
		}
		execution = e
	}
	a.outf("\n")
	return execution, nil
}

// firstPoll is how soon a new execution is polled the first time.
const firstPoll = 200 * time.Millisecond

// printExecutionDetails is _print_execution_details.
func (a *app) printExecutionDetails(ctx context.Context, execution *client.Object, args *args, displayAttrs []string) error {
	execution = apiExecution(execution)
	runnerType := "unknown"
	if act := execution.Object("action"); act != nil && act.Has("runner_type") {
		runnerType = act.String("runner_type")
	}
	isWorkflow := contains(workflowRunners, runnerType)
	showTasks, detail, key := args.boolean("show_tasks"), args.boolean("detail"), args.str("key")
	if showTasks && !isWorkflow {
		return errf("--show-tasks option can only be used with workflow actions")
	}
	tf := a.executionTransforms()
	if !args.boolean("raw") && !detail && (showTasks || isWorkflow) {
		return a.printChildTaskList(ctx, execution, args, tf)
	}
	var at []string
	switch {
	case detail:
		at = displayAttrs
	case key != "":
		at = []string{"result." + key}
	default:
		at = attrs(args, displayAttrs)
	}
	return a.printResult(args, execution, at, func() (string, error) {
		if detail {
			return a.propertyValue(execution, at, nil, tf), nil
		}
		out, err := a.executionResult(execution, at, key, tf)
		if err != nil {
			return "", err
		}
		return out + a.schemaNote(execution, args), nil
	})
}

// apiExecution returns the execution without the top-level attributes
// whose value is falsy (null, false, 0, "", {} or []), as StackStorm's API
// leaves them out of every execution it returns
// (ActionExecutionAPI.from_model). So an execution without parameters
// shows "parameters: None" whatever server answered, as with StackStorm.
func apiExecution(e *client.Object) *client.Object {
	drop := false
	for _, k := range e.Keys() {
		if v, _ := e.Get(k); !truthy(v) {
			drop = true
			break
		}
	}
	if !drop {
		return e
	}
	c := client.NewObject()
	for _, k := range e.Keys() {
		if v, _ := e.Get(k); truthy(v) {
			c.Set(k, v)
		}
	}
	return c
}

func (a *app) executionTransforms() transforms {
	return transforms{
		"start_timestamp": a.formatTime,
		"end_timestamp":   a.formatTime,
		"parameters":      maskParameters,
		"status":          a.formatStatus,
	}
}

// schemaNote is the --with-schema suggestion for actions without an
// output_schema.
func (a *app) schemaNote(execution *client.Object, args *args) string {
	if act := execution.Object("action"); act != nil {
		if s := act.Object("output_schema"); s != nil && s.Len() > 0 {
			return ""
		}
	}
	if args.boolean("with_schema") {
		result, _ := execution.Get("result")
		schema := client.NewObject()
		schema.Set("output_schema", inferSchema(result))
		return "\n" + bordered("Based on the action output the following inferred schema was built:\n\n"+yamlDump(schema, 2, 80))
	}
	silence, err := a.cfg.boolean("general", "silence_schema_output", true)
	if err == nil && !silence {
		return "\n\n** This action does not have an output_schema. Run again with --with-schema to see a suggested schema."
	}
	return ""
}

func bordered(text string) string {
	lines := strings.Split(text, "\n")
	width := 0
	for _, l := range lines {
		width = max(width, textWidth(l))
	}
	width += 2
	res := []string{"\n+" + strings.Repeat("-", width) + "+"}
	for _, l := range lines {
		res = append(res, "| "+l+strings.Repeat(" ", width-2-textWidth(l))+" |")
	}
	res = append(res, "+"+strings.Repeat("-", width)+"+")
	return strings.Join(res, "\n")
}

// inferSchema suggests an output schema from a result's top-level keys.
func inferSchema(result any) *client.Object {
	out := client.NewObject()
	o, ok := result.(*client.Object)
	if !ok {
		return out
	}
	for _, k := range o.Keys() {
		v, _ := o.Get(k)
		t := "string"
		switch n := v.(type) {
		case bool:
			t = "boolean"
		case *client.Object:
			t = "object"
		case []any:
			t = "array"
		case nil:
			t = "null"
		default:
			if num, isNum := n.(interface{ String() string }); isNum && !pyfmt.IsFloat(json.Number(num.String())) {
				if _, err := strconv.Atoi(num.String()); err == nil {
					t = "integer"
				}
			} else if isNum {
				t = "number"
			}
		}
		spec := client.NewObject()
		spec.Set("type", t)
		spec.Set("description", "")
		out.Set(k, spec)
	}
	return out
}

// printChildTaskList is the workflow view: the root execution, then a table
// of its tasks.
func (a *app) printChildTaskList(ctx context.Context, execution *client.Object, args *args, tf transforms) error {
	instance := client.Clone(execution).(*client.Object)
	at := []string{"id", "action.ref", "parameters", "status", "start_timestamp", "end_timestamp", "log"}
	depth := -1
	if d, ok := args.integer("depth"); ok {
		depth = d
	}
	var q client.Query
	if depth != 0 {
		q.Add("depth", strconv.Itoa(depth))
	}
	children, _, err := a.getList(ctx, "/executions/"+url.PathEscape(instance.String("id"))+"/children/", q)
	if err != nil && client.StatusOf(err) != http.StatusNotFound {
		return err
	}
	rows := a.formatChildren(children, instance.String("id"))
	if len(rows) == 0 {
		at = append(at, "result")
	}
	statusIdx := indexOf(at, "status")
	insert := func(i int, s string) { at = append(at[:i], append([]string{s}, at[i:]...)...) }
	var tasks []any
	if r := instance.Object("result"); r != nil {
		if t, ok := r.Get("tasks"); ok {
			tasks, _ = t.([]any)
		}
	}
	lastTask := func() *client.Object {
		if len(tasks) == 0 {
			return nil
		}
		t, _ := tasks[len(tasks)-1].(*client.Object)
		return t
	}
	if instance.String("status") == string(model.StatusFailed) {
		var topErr, topTB any
		if r := instance.Object("result"); r != nil {
			topErr, _ = r.Get("error")
			topTB, _ = r.Get("traceback")
		} else {
			topErr, topTB = "See result", "See result"
		}
		var taskErr, taskTB any
		if t := lastTask(); t != nil {
			if r := t.Object("result"); r != nil {
				se, _ := r.Get("stderr")
				taskErr, _ = r.Get("error")
				taskTB, _ = r.Get("traceback")
				if taskErr == nil || taskErr == "" {
					taskErr = se
				}
			}
		}
		switch {
		case topErr != nil && topErr != "":
			instance.Set("error", topErr)
			instance.Set("traceback", topTB)
			instance.Set("result", "See error and traceback.")
			insert(statusIdx+1, "error")
			insert(statusIdx+2, "traceback")
		case taskErr != nil && taskErr != "":
			instance.Set("error", taskErr)
			instance.Set("traceback", taskTB)
			instance.Set("result", "See error and traceback.")
			name := lastTask().String("name")
			if name == "" {
				name = "unknown"
			}
			instance.Set("failed_on", name)
			insert(statusIdx+1, "error")
			insert(statusIdx+2, "traceback")
			insert(statusIdx+3, "failed_on")
		}
	}
	if t := lastTask(); t != nil {
		if r, ok := t.Get("result"); ok && r != nil && r != "" && !isEmptyCollection(r) && r != false {
			name := t.String("name")
			if name == "" {
				name = "unknown"
			}
			instance.Set("result_task", name)
			insert(statusIdx+1, "result_task")
			insert(statusIdx+2, "result")
			instance.Set("result", r)
		}
	} else if !contains(at, "result") {
		at = append(at, "result")
	}
	if args.boolean("json") {
		a.println(jsonOutput(instance, at))
	} else {
		out, err := a.executionResult(instance, at, "", tf)
		if err != nil {
			return err
		}
		a.println(out)
	}
	if len(rows) > 0 {
		return a.printResult(args, rows, executionChildren, func() (string, error) {
			return a.multiColumn(rows, executionChildren, args.ints("width"), tf), nil
		})
	}
	return nil
}

// formatChildren indents workflow children into a tree and reduces each
// to id, status, task, action and timestamps.
func (a *app) formatChildren(children []*client.Object, parentID string) []*client.Object {
	hasWF := false
	for _, c := range children {
		if l, _ := c.Get("children"); l != nil && !isEmptyCollection(l) {
			hasWF = true
		}
	}
	ids := make([]string, len(children))
	for i, c := range children {
		ids[i] = c.String("id")
		if hasWF {
			if l, _ := c.Get("children"); l != nil && !isEmptyCollection(l) {
				ids[i] = "+ " + ids[i]
			} else {
				ids[i] = "  " + ids[i]
			}
		}
	}
	depth := map[string]int{parentID: 0}
	var out []*client.Object
	for i, c := range children {
		parent := c.String("parent")
		if _, ok := depth[parent]; !ok {
			var p *client.Object
			for _, other := range children {
				if other.String("id") == parent {
					p = other
				}
			}
			if p != nil && p.String("parent") != "" {
				if d, ok := depth[p.String("parent")]; ok {
					depth[parent] = d + 1
				}
			}
			if _, ok := depth[parent]; !ok {
				depth[parent] = 0
			}
		}
		row := client.NewObject()
		row.Set("id", strings.Repeat(" ", depth[parent])+ids[i])
		row.Set("status", valueOr(c, "status", nil))
		var task any
		if ctxObj := c.Object("context"); ctxObj != nil {
			if ctxObj.Has("chain") {
				task = getValue(c, "context.chain.name")
			} else if ctxObj.Has("orquesta") {
				task = getValue(c, "context.orquesta.task_name")
			}
		}
		row.Set("task", task)
		var action any
		if act := c.Object("action"); act != nil {
			action, _ = act.Get("ref")
		}
		row.Set("action", action)
		row.Set("start_timestamp", valueOr(c, "start_timestamp", nil))
		row.Set("end_timestamp", valueOr(c, "end_timestamp", nil))
		out = append(out, a.withElapsed(row))
	}
	return out
}

// actionHelp prints an action's description and parameters (st2 run X -h).
func (a *app) actionHelp(ctx context.Context, args *args, sp *spec) error {
	ref := args.str("ref-or-id")
	if ref == "" {
		a.outf("%s", sp.help())
		return nil
	}
	action, err := a.getByRefOrID(ctx, "/actions/"+url.PathEscape(ref), nil)
	if err == nil && action == nil {
		a.println(fmt.Sprintf("Action %q is not found. Use \"st2 action list\" to see the list of available actions.", ref))
		return nil
	}
	var runner *client.Object
	if err == nil {
		runner, err = a.getByName(ctx, "runnertypes", action.String("runner_type"), "runnertype")
		if err == nil && runner == nil {
			err = errf("'NoneType' object has no attribute 'runner_parameters'")
		}
	}
	if err != nil {
		var ce *client.ConnectionError
		if errors.As(err, &ce) {
			return err
		}
		a.println(fmt.Sprintf("ERROR: Unable to print help for action %q. %v", ref, err))
		return nil
	}
	runnerParams := runner.Object("runner_parameters")
	actionParams := action.Object("parameters")
	params := client.NewObject()
	for _, src := range []*client.Object{runnerParams, actionParams} {
		for _, k := range src.Keys() {
			v, _ := src.Get(k)
			params.Set(k, v)
		}
	}
	var required, optional []string
	for _, k := range params.Keys() {
		p := params.Object(k)
		immutable := truthy(getValue(orEmpty(runnerParams.Object(k)), "immutable"))
		if !immutable {
			immutable = truthy(getValue(orEmpty(actionParams.Object(k)), "immutable"))
		}
		if immutable {
			continue
		}
		if truthy(getValue(orEmpty(p), "required")) {
			required = append(required, k)
		} else {
			optional = append(optional, k)
		}
	}
	a.println("")
	a.println(strings.Join(wrapIndent(action.String("description"), 70, "", ""), "\n"))
	a.println("")
	for _, group := range []struct {
		title string
		names []string
	}{{"Required Parameters:", required}, {"Optional Parameters:", optional}} {
		if len(group.names) == 0 {
			continue
		}
		a.println(group.title)
		for _, name := range sortParams(params, group.names) {
			a.printParam(name, params.Object(name))
		}
	}
	return nil
}

func orEmpty(o *client.Object) *client.Object {
	if o == nil {
		return client.NewObject()
	}
	return o
}

func truthy(v any) bool {
	switch t := v.(type) {
	case nil:
		return false
	case bool:
		return t
	case string:
		return t != ""
	case *client.Object:
		return t.Len() > 0
	case []any:
		return len(t) > 0
	}
	return pyfmt.Str(v) != "0" && pyfmt.Str(v) != "0.0"
}

func sortParams(params *client.Object, names []string) []string {
	type key struct {
		tier, pos int
		name      string
	}
	keyOf := func(n string) key {
		p := params.Object(n)
		if p == nil {
			return key{1, 0, n}
		}
		if pos, ok := p.Get("position"); ok && pos != nil {
			if i, err := strconv.Atoi(pyfmt.Str(pos)); err == nil {
				return key{0, i, ""}
			}
		}
		return key{1, 0, n}
	}
	out := append([]string(nil), names...)
	sort.SliceStable(out, func(i, j int) bool {
		ki, kj := keyOf(out[i]), keyOf(out[j])
		if ki.tier != kj.tier {
			return ki.tier < kj.tier
		}
		if ki.pos != kj.pos {
			return ki.pos < kj.pos
		}
		return ki.name < kj.name
	})
	return out
}

func (a *app) printParam(name string, schema *client.Object) {
	fill := func(text, indent string) {
		a.println(strings.Join(wrapIndent(text, 78, indent, indent), "\n"))
	}
	fill(name, "    ")
	if schema == nil {
		a.println("")
		return
	}
	if d := schema.String("description"); d != "" {
		fill(d, "        ")
	}
	if t, ok := schema.Get("type"); ok && truthy(t) {
		fill("Type: "+pyfmt.Str(t), "        ")
	}
	if e, ok := schema.Get("enum"); ok && truthy(e) {
		if l, ok := e.([]any); ok {
			parts := make([]string, len(l))
			for i, x := range l {
				parts[i] = pyfmt.Str(x)
			}
			fill("Enum: "+strings.Join(parts, ", "), "        ")
		}
	}
	if d, ok := schema.Get("default"); ok && d != nil {
		fill("Default: "+pyfmt.Str(d), "        ")
	}
	a.println("")
}

// wrapIndent is textwrap.wrap with initial and subsequent indents.
func wrapIndent(text string, width int, initial, subsequent string) []string {
	if text == "" {
		return nil
	}
	first := textWrap(text, width-textWidth(initial))
	if len(first) <= 1 || initial == subsequent {
		lines := textWrap(text, width-textWidth(initial))
		for i := range lines {
			if i == 0 {
				lines[i] = initial + lines[i]
			} else {
				lines[i] = subsequent + lines[i]
			}
		}
		return lines
	}
	lines := []string{initial + first[0]}
	rest := strings.TrimLeft(strings.TrimPrefix(strings.Join(first[1:], " "), " "), " ")
	for _, l := range textWrap(rest, width-textWidth(subsequent)) {
		lines = append(lines, subsequent+l)
	}
	return lines
}
