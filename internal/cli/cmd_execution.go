package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/st2go/st2go/internal/client"
	"github.com/st2go/st2go/internal/pyfmt"
)

var (
	executionListAttrs = []string{"id", "action.ref", "context.user", "status", "start_timestamp", "end_timestamp"}
	executionGetAttrs  = []string{"id", "action.ref", "context.user", "parameters", "status", "start_timestamp", "end_timestamp", "log", "result"}
	executionGetExtra  = []string{"action.ref", "action.runner_type", "start_timestamp", "end_timestamp", "log"}
)

const defaultListLimit = 50

func executionListSpec() *spec {
	return &spec{description: "Get the list of the 50 most recent action executions.", opts: resourceOpts(
		option{names: []string{"-n", "--last"}, dest: "last", kind: optInt, help: "List N most recent action executions. Use -n -1 to fetch the full result set."},
		option{names: []string{"-s", "--sort"}, dest: "sort_order", kind: optString, help: "Sort action executions by start timestamp, asc|ascending (earliest first) or desc|descending (latest first)"},
		option{names: []string{"--action"}, dest: "action", kind: optString, help: "Action reference to filter the list.", grouped: true},
		option{names: []string{"--status"}, dest: "status", kind: optString, help: "Only return executions with the provided status. Possible values are 'succeeded', 'running', 'scheduled', 'paused', 'failed', 'canceling' or 'canceled'.", grouped: true},
		option{names: []string{"--user"}, dest: "user", kind: optString, help: "Only return executions created by the provided user.", grouped: true},
		option{names: []string{"--trigger_instance"}, dest: "trigger_instance", kind: optString, help: "Trigger instance id to filter the list.", grouped: true},
		option{names: []string{"-tg", "--timestamp-gt"}, dest: "timestamp_gt", kind: optString, help: `Only return executions with timestamp greater than the one provided. Use time in the format "2000-01-01T12:00:00.000Z".`},
		option{names: []string{"-tl", "--timestamp-lt"}, dest: "timestamp_lt", kind: optString, help: `Only return executions with timestamp lower than the one provided. Use time in the format "2000-01-01T12:00:00.000Z".`},
		option{names: []string{"-l", "--showall"}, dest: "showall", kind: optBool, help: "Show all executions, including the children of workflows."},
		option{names: []string{"-a", "--attr"}, dest: "attr", kind: optList, help: `List of attributes to include in the output. "all" will return all attributes.`},
		option{names: []string{"-w", "--width"}, dest: "width", kind: optIntList, help: "Set the width of columns in output."},
	)}
}

func lastOrDefault(args *args) int {
	if n, ok := args.integer("last"); ok {
		return n
	}
	return defaultListLimit
}

func executionList(ctx context.Context, a *app, args *args) error {
	last := lastOrDefault(args)
	q := client.Query{{Key: "limit", Value: strconv.Itoa(last)}}
	for _, f := range []string{"action", "status", "user", "trigger_instance"} {
		if v := args.str(f); v != "" {
			q.Add(f, v)
		}
	}
	if !args.boolean("showall") {
		q.Add("parent", "null")
	}
	for _, f := range []string{"timestamp_gt", "timestamp_lt"} {
		if v := args.str(f); v != "" {
			q.Add(f, v)
		}
	}
	sortOrder := "descending"
	if args.isSet("sort_order") {
		sortOrder = args.str("sort_order")
	}
	switch sortOrder {
	case "asc", "ascending":
		q.Add("sort_asc", "True")
	case "desc", "descending":
		q.Add("sort_desc", "True")
	}
	if inc := includeAttributes(args, executionListAttrs, nil); len(inc) > 0 {
		q.Add("include_attributes", strings.Join(inc, ","))
	}
	items, resp, err := a.getList(ctx, "/executions/", q)
	if client.StatusOf(err) == http.StatusNotFound {
		items, resp, err = nil, nil, nil
	}
	if err != nil {
		return err
	}
	for i, it := range items {
		items[i] = apiExecution(it)
	}
	items = markWorkflows(items)
	reversed := make([]*client.Object, len(items))
	for i, it := range items {
		reversed[len(items)-1-i] = it
	}
	at := attrs(args, executionListAttrs)
	if args.boolean("json") || args.boolean("yaml") {
		// StackStorm passes an iterator here, which is never "empty".
		if args.boolean("json") {
			a.println(jsonOutput(reversed, at))
		} else {
			a.println(yamlOutput(reversed, at))
		}
		return nil
	}
	for i, it := range reversed {
		reversed[i] = a.withElapsed(it)
	}
	a.println(a.multiColumn(reversed, at, args.ints("width"), a.executionTransforms()))
	if resp != nil && last != 0 {
		if count, err := strconv.Atoi(resp.Header.Get("X-Total-Count")); err == nil && count > last {
			a.noteBox("action executions", last)
		}
	}
	return nil
}

// markWorkflows prefixes ids with "+ " (has children) or "  " when any
// execution in the list is a workflow (format_wf_instances).
func markWorkflows(items []*client.Object) []*client.Object {
	hasWF := false
	for _, it := range items {
		if c, _ := it.Get("children"); truthy(c) {
			hasWF = true
		}
	}
	if !hasWF {
		return items
	}
	out := make([]*client.Object, len(items))
	for i, it := range items {
		c := client.Clone(it).(*client.Object)
		prefix := "  "
		if ch, _ := it.Get("children"); truthy(ch) {
			prefix = "+ "
		}
		c.Set("id", prefix+it.String("id"))
		out[i] = c
	}
	return out
}

func executionGetSpec() *spec {
	opts := resourceOpts(option{names: []string{"-x", "--exclude-result"}, dest: "exclude_result", kind: optBool, help: "Don't retrieve and display the result field"})
	opts = append(opts, executionDisplayOpts()...)
	return &spec{description: "Get individual action execution.", opts: opts,
		pos: []positional{{name: "id", nargs: '+', help: "ID of the action execution."}}}
}

func executionGet(ctx context.Context, a *app, args *args) error {
	var q client.Query
	if inc := includeAttributes(args, executionGetAttrs, executionGetExtra); len(inc) > 0 {
		q = client.Query{{Key: "include_attributes", Value: strings.Join(inc, ",")}}
	}
	if args.boolean("exclude_result") {
		q = client.Query{{Key: "exclude_attributes", Value: "result"}}
	}
	items, err := a.getMany(ctx, "Action Execution", args.list("id"), func(id string) (*client.Object, error) {
		return a.getByPK(ctx, "/executions/"+url.PathEscape(id), q)
	})
	if err != nil {
		return err
	}
	for _, e := range items {
		if !args.boolean("json") && !args.boolean("yaml") {
			e = a.withElapsed(e)
		}
		if err := a.printExecutionDetails(ctx, e, args, executionGetAttrs); err != nil {
			return err
		}
	}
	return nil
}

func idsSpec(help string) func() *spec {
	return func() *spec {
		return &spec{description: "Cancel action executions.", opts: resourceOpts(),
			pos: []positional{{name: "ids", nargs: '+', help: help}}}
	}
}

func executionCancel(ctx context.Context, a *app, args *args) error {
	for _, id := range args.list("ids") {
		resp, err := a.do(ctx, client.API, http.MethodDelete, "/executions/"+url.PathEscape(id), nil, nil)
		var body any
		switch {
		case client.StatusOf(err) == http.StatusNotFound:
			var ae *client.APIError
			errors.As(err, &ae)
			body, _ = client.Decode(ae.Body)
		case err != nil:
			return err
		default:
			body, _ = resp.JSON()
		}
		if o, ok := body.(*client.Object); ok && o.Has("faultstring") {
			a.println(pyfmt.Str(valueOr(o, "faultstring", "")))
		} else {
			a.println(fmt.Sprintf("action execution with id %s canceled.", id))
		}
	}
	return nil
}

func pauseResumeSpec(verb string) func() *spec {
	return func() *spec {
		return &spec{description: strings.ToUpper(verb[:1]) + verb[1:] + " action executions (workflow executions only).",
			opts: append(resourceOpts(), executionDisplayOpts()...),
			pos:  []positional{{name: "ids", nargs: '+', help: "ID of action execution to " + verb + "."}}}
	}
}

func executionPauseResume(status string) func(ctx context.Context, a *app, args *args) error {
	return func(ctx context.Context, a *app, args *args) error {
		body := client.NewObject()
		body.Set("status", status)
		for _, id := range args.list("ids") {
			resp, err := a.do(ctx, client.API, http.MethodPut, "/executions/"+url.PathEscape(id), nil, body)
			if err != nil {
				return err
			}
			e, err := objectOf(resp)
			if err != nil {
				return err
			}
			if !args.boolean("json") && !args.boolean("yaml") {
				e = a.withElapsed(e)
			}
			if err := a.printExecutionDetails(ctx, e, args, executionAttrs); err != nil {
				return err
			}
		}
		return nil
	}
}

func rerunSpec() *spec {
	opts := resourceOpts(
		option{names: []string{"--tasks"}, dest: "tasks", kind: optListEmpty, help: "Name of the workflow tasks to re-run."},
		option{names: []string{"--no-reset"}, dest: "no_reset", kind: optListEmpty, help: "Name of the with-items tasks to not reset. This only applies to Orquesta workflows. By default, all iterations for with-items tasks is rerun. If no reset, only failed  iterations are rerun."},
		option{names: []string{"-a", "--async"}, dest: "async", kind: optBool, help: "Do not wait for action to finish."},
		option{names: []string{"-e", "--inherit-env"}, dest: "inherit_env", kind: optBool, help: `Pass all the environment variables which are accessible to the CLI as "env" parameter to the action. Note: Only works with python, local and remote runners.`},
		option{names: []string{"-h", "--help"}, dest: "help", kind: optBool, help: "Print usage for the given action."},
	)
	opts = append(opts, executionDisplayOpts()...)
	return &spec{description: "Re-run a particular action.", noHelp: true, opts: opts,
		pos: []positional{
			{name: "id", nargs: '?', help: "ID of action execution to re-run "},
			{name: "parameters", nargs: '*', help: "List of keyword args, positional args, and optional args for the action."},
		}}
}

func executionRerun(ctx context.Context, a *app, args *args) error {
	if args.boolean("help") {
		sp := rerunSpec()
		sp.prog = "st2 execution re-run"
		a.outf("%s", sp.help())
		return nil
	}
	id := args.str("id")
	existing, err := a.getByRefOrID(ctx, "/executions/"+url.PathEscape(id), nil)
	if err != nil {
		return err
	}
	if existing == nil {
		return &notFoundError{fmt.Sprintf("Action execution with id %q cannot be found.", id)}
	}
	ref := ""
	if act := existing.Object("action"); act != nil {
		ref = act.String("ref")
	}
	action, err := a.getByRefOrID(ctx, "/actions/"+url.PathEscape(ref), nil)
	if err != nil {
		return err
	}
	if action == nil {
		return &notFoundError{fmt.Sprintf("Action %q cannot be found.", ref)}
	}
	runner, err := a.getByName(ctx, "runnertypes", action.String("runner_type"), "runnertype")
	if err != nil {
		return err
	}
	if runner == nil {
		return &notFoundError{fmt.Sprintf("Runner type %q for action %q cannot be found.", action.String("runner_type"), action.String("name"))}
	}
	params, err := a.castParams(action, runner, args)
	if err != nil {
		return err
	}
	tasks, noReset := args.list("tasks"), args.list("no_reset")
	for _, t := range noReset {
		if !contains(tasks, t) {
			return errors.New("List of tasks to reset does not match the tasks to rerun.")
		}
	}
	reset := []any{}
	taskList := []any{}
	for _, t := range tasks {
		taskList = append(taskList, t)
		if !contains(noReset, t) {
			reset = append(reset, t)
		}
	}
	delay, _ := args.integer("delay")
	body := client.NewObject()
	body.Set("parameters", params)
	body.Set("tasks", taskList)
	body.Set("reset", reset)
	body.Set("delay", delay)
	resp, err := a.do(ctx, client.API, http.MethodPost, "/executions/"+url.PathEscape(id)+"/re_run", nil, body)
	if err != nil {
		return err
	}
	execution, err := objectOf(resp)
	if err != nil {
		return err
	}
	return a.finishExecution(ctx, execution, args, args.boolean("async"))
}

func tailSpec() *spec {
	return &spec{description: "Tail output of a particular execution.", opts: resourceOpts(
		option{names: []string{"--type"}, dest: "output_type", kind: optString, help: "Type of output to tail for. If not provided, defaults to all."},
		option{names: []string{"--include-metadata"}, dest: "include_metadata", kind: optBool, help: "Include metadata (timestamp, output type) with the output."},
	), pos: []positional{{name: "id", nargs: '?', help: "ID of action execution to tail."}}}
}

func executionTail(ctx context.Context, a *app, args *args) error {
	id := args.str("id")
	if id == "" {
		id = "last"
	}
	var execution *client.Object
	if id == "last" {
		items, _, err := a.getList(ctx, "/executions/", client.Query{{Key: "limit", Value: "1"}})
		if err != nil && client.StatusOf(err) != http.StatusNotFound {
			return err
		}
		if len(items) == 0 {
			a.println("No executions found in db.")
			return nil
		}
		execution = items[0]
	} else {
		e, err := a.getByRefOrID(ctx, "/executions/"+url.PathEscape(id), nil)
		if err != nil {
			return err
		}
		if e == nil {
			return &notFoundError{fmt.Sprintf("Execution  with id %s not found.", id)}
		}
		execution = e
	}
	return a.tailExecution(ctx, execution, args.str("output_type"), args.boolean("include_metadata"))
}

// streamLostError means the event stream ended before the tailed
// execution did.
type streamLostError struct {
	url, id string
	err     error
}

func (e *streamLostError) Error() string {
	why := "the server closed the stream"
	if !errors.Is(e.err, io.EOF) {
		why = rootCause(e.err).Error()
	}
	return fmt.Sprintf("Lost the connection to the event stream %s before execution %s finished (%s).", e.url, e.id, why)
}

func (e *streamLostError) Unwrap() error { return e.err }

// eventContext is get_normalized_context_execution_task_event.
func eventContext(ev *client.Object) (parentID, executionID, taskName string) {
	c := ev.Object("context")
	parentID = c.Object("parent").String("execution_id")
	executionID = ev.String("id")
	if c.Has("orquesta") {
		taskName = c.Object("orquesta").String("task_name")
	} else {
		taskName = c.Object("chain").String("name")
	}
	if taskName == "" {
		taskName = "unknown"
	}
	return parentID, executionID, taskName
}

// tailExecution prints an execution's output as it is produced (st2
// execution tail), following the children of workflows.
func (a *app) tailExecution(ctx context.Context, execution *client.Object, outputType string, includeMetadata bool) error {
	id := execution.String("id")
	parentOfTailed, _, _ := eventContext(execution)
	tailingChild := execution.String("parent") != "" || parentOfTailed != ""
	path := "/executions/" + url.PathEscape(id)
	if completedStatus(execution.String("status")) {
		var q client.Query
		if outputType != "" {
			q.Add("output_type", outputType)
		}
		resp, err := a.do(ctx, client.API, http.MethodGet, path+"/output", q, nil)
		if err != nil {
			return err
		}
		a.println(string(resp.Body))
		a.println(fmt.Sprintf("Execution %s has completed (status=%s).", id, execution.String("status")))
		return nil
	}
	ids := map[string]bool{id: true}
	if e, err := a.getObject(ctx, path, client.Query{{Key: "include_attributes", Value: "id,children"}}); err == nil {
		if l, ok := e.Get("children"); ok {
			if children, ok := l.([]any); ok {
				for _, c := range children {
					ids[pyfmt.Str(c)] = true
				}
			}
		}
	} else if client.StatusOf(err) != http.StatusNotFound {
		return err
	}
	stream, err := a.client.Listen(ctx, client.Query{
		{Key: "end_event", Value: "st2.execution__update"},
		{Key: "end_execution_id", Value: id},
		{Key: "events", Value: "st2.execution__update,st2.execution.output__create"},
	})
	if err != nil {
		return err
	}
	defer stream.Close()
	midLine := false // the last output written did not end a line
	for {
		msg, err := stream.Next()
		if err != nil {
			if ctx.Err() != nil {
				return ctx.Err()
			}
			// The end event never came: the server went away or closed
			// the stream early. Stopping quietly would look like success.
			if midLine {
				a.outf("\n") // so the error starts on a line of its own
			}
			streamURL, _, _ := strings.Cut(stream.URL(), "?")
			return &streamLostError{url: streamURL, id: id, err: err}
		}
		v, err := client.Decode([]byte(msg.Data))
		if err != nil {
			continue
		}
		ev, ok := v.(*client.Object)
		if !ok {
			continue
		}
		if status, ok := ev.Get("status"); ok && status != nil {
			st := pyfmt.Str(status)
			parentID, execID, task := eventContext(ev)
			isChild := parentID != ""
			if isChild && !tailingChild {
				if !ids[parentID] {
					continue
				}
			} else if !ids[execID] {
				continue
			}
			ids[execID] = true
			switch {
			case isChild && st == "running":
				a.println(fmt.Sprintf("Child execution (task=%s) %s has started.", task, execID))
				a.println("")
			case isChild && completedStatus(st):
				a.println("")
				a.println(fmt.Sprintf("Child execution (task=%s) %s has finished (status=%s).", task, execID, st))
				if tailingChild {
					return nil
				}
			case isChild:
			case st == "running" && !truthy(valueOr(ev, "children", nil)):
				a.println(fmt.Sprintf("Execution %s has started.", id))
				a.println("")
			case completedStatus(st):
				a.println("")
				a.println(fmt.Sprintf("Execution %s has completed (status=%s).", id, st))
				return nil
			}
			continue
		}
		if !ids[ev.String("execution_id")] {
			continue
		}
		evType := ev.String("output_type")
		if outputType != "" && outputType != "all" && evType != outputType {
			continue
		}
		data := pyfmt.Str(valueOr(ev, "data", ""))
		if includeMetadata {
			data = fmt.Sprintf("[%s][%s] %s", pyfmt.Str(valueOr(ev, "timestamp", nil)), pyfmt.Str(valueOr(ev, "output_type", nil)), pyfmt.Str(valueOr(ev, "data", nil)))
		}
		a.outf("%s", data)
		if data != "" {
			midLine = !strings.HasSuffix(data, "\n")
		}
	}
}
