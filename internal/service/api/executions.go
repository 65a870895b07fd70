package api

import (
	"encoding/json"
	"errors"
	"net/http"
	"strings"

	"github.com/st2go/st2go/internal/execution"
	"github.com/st2go/st2go/internal/model"
	"github.com/st2go/st2go/internal/store"
)

// present is an execution as this request may see it.
func (a *API) present(r *http.Request, e *model.Execution) *model.Execution {
	if a.opts.MaskSecrets && !queryBool(r, "show_secrets") {
		return execution.Masked(e)
	}
	return e
}

func (a *API) presentAll(r *http.Request, list []*model.Execution) []*model.Execution {
	for i, e := range list {
		list[i] = a.present(r, e)
	}
	return list
}

func (a *API) findExecution(r *http.Request) (*model.Execution, error) {
	id := r.PathValue("id")
	if id == "last" {
		list, _, err := a.opts.Store.Executions().List(r.Context(), store.ExecutionFilter{Limit: 1})
		if err != nil {
			return nil, err
		}
		if len(list) == 0 {
			return nil, notFound("No executions found")
		}
		return list[0], nil
	}
	e, err := a.opts.Store.Executions().Get(r.Context(), id)
	if errors.Is(err, store.ErrNotFound) {
		return nil, notFound("Resource with a id \"%s\" not found", id)
	}
	return e, err
}

// defaultExecutionLimit is how many executions a list returns when the
// request names no limit (StackStorm's default_limit).
const defaultExecutionLimit = 100

func (a *API) listExecutions(r *http.Request) (*response, error) {
	p, err := parseList(r)
	if err != nil {
		return nil, err
	}
	if !r.URL.Query().Has("limit") {
		p.limit = defaultExecutionLimit
	}
	q := r.URL.Query()
	f := store.ExecutionFilter{
		Action: q.Get("action"), User: q.Get("user"), Parent: q.Get("parent"),
		Limit: p.limit, Offset: p.offset, IDs: splitList(q["id"]), Ascending: queryBool(r, "sort_asc"),
	}
	// Executions are ordered by start time; that is the one sort key offered.
	for _, key := range splitList(q["sort"]) {
		switch strings.TrimSpace(key) { // a "+" arrives as a space
		case "start_timestamp":
			f.Ascending = true
		case "-start_timestamp":
			f.Ascending = false
		default:
			return nil, badRequest("Unsupported sort key \"%s\": executions sort by start_timestamp or -start_timestamp.", key)
		}
	}
	for _, s := range splitList(q["status"]) {
		f.Status = append(f.Status, model.Status(s))
	}
	for name, dst := range map[string]**model.Time{"timestamp_gt": &f.After, "timestamp_lt": &f.Before} {
		if v := q.Get(name); v != "" {
			t, err := model.ParseTime(v)
			if err != nil {
				return nil, badRequest("Invalid %s \"%s\": %v", name, v, err)
			}
			*dst = &t
		}
	}
	// Filters on things st2go does not create yet (rules, triggers) match nothing.
	for _, name := range []string{"rule", "trigger", "trigger_type", "trigger_instance"} {
		if q.Get(name) != "" {
			return listResponse([]*model.Execution{}, 0, p)
		}
	}
	list, total, err := a.opts.Store.Executions().List(r.Context(), f)
	if err != nil {
		return nil, err
	}
	if rn := q.Get("runner"); rn != "" {
		kept := list[:0]
		for _, e := range list {
			if e.Action != nil && e.Action.RunnerType == rn {
				kept = append(kept, e)
			}
		}
		list, total = kept, len(kept)
	}
	p.offset = 0 // already applied by the store
	return listResponse(a.presentAll(r, list), total, p)
}

func (a *API) getExecution(r *http.Request) (*response, error) {
	e, err := a.findExecution(r)
	if err != nil {
		return nil, err
	}
	p, err := parseList(r)
	if err != nil {
		return nil, err
	}
	e = a.present(r, e)
	if len(p.include) > 0 || len(p.exclude) > 0 {
		v, err := projectOne(e, p)
		if err != nil {
			return nil, err
		}
		return ok(v)
	}
	return ok(e)
}

type executionRequest struct {
	Action     string         `json:"action"`
	Parameters map[string]any `json:"parameters"`
	Context    map[string]any `json:"context"`
	User       *string        `json:"user"`
	Delay      *int           `json:"delay"`
	Notify     map[string]any `json:"notify"`
}

func (a *API) createExecution(r *http.Request) (*response, error) {
	var body executionRequest
	if err := decodeBody(r, &body); err != nil {
		return nil, err
	}
	ctx := body.Context
	if h := r.Header.Get("St2-Context"); h != "" {
		var extra map[string]any
		if err := json.Unmarshal([]byte(h), &extra); err != nil {
			return nil, badRequest("Unable to convert st2-context from the headers into JSON: %v", err)
		}
		if ctx == nil {
			ctx = map[string]any{}
		}
		for k, v := range extra {
			ctx[k] = v
		}
	}
	user := a.requester(r)
	if body.User != nil && *body.User != "" {
		user = *body.User
	}
	delay := 0
	if body.Delay != nil {
		delay = *body.Delay
	}
	e, err := a.opts.Executions.Create(r.Context(), execution.Request{
		Action: body.Action, Parameters: body.Parameters, Context: ctx, User: user, Delay: delay,
	})
	if err != nil {
		return nil, err
	}
	return created(a.present(r, e))
}

func (a *API) cancelExecution(r *http.Request) (*response, error) {
	e, err := a.findExecution(r)
	if err != nil {
		return nil, err
	}
	// StackStorm answers 200 in both cases: the execution when it is
	// already canceled, a faultstring when it can no longer be canceled.
	if e.Status == model.StatusCanceled {
		return ok(a.present(r, e))
	}
	if !e.Status.Cancelable() {
		return &response{status: http.StatusOK, body: map[string]string{"faultstring": "Action cannot be canceled. State = " + string(e.Status) + "."}}, nil
	}
	out, err := a.opts.Executions.Cancel(r.Context(), e.ID, a.requester(r))
	if err != nil {
		return nil, err
	}
	return ok(a.present(r, out))
}

func (a *API) updateExecution(r *http.Request) (*response, error) {
	e, err := a.findExecution(r)
	if err != nil {
		return nil, err
	}
	var body struct {
		Status model.Status    `json:"status"`
		Result json.RawMessage `json:"result"`
	}
	if err := decodeBody(r, &body); err != nil {
		return nil, err
	}
	switch body.Status {
	case model.StatusCanceling, model.StatusCanceled:
		out, err := a.opts.Executions.Cancel(r.Context(), e.ID, a.requester(r))
		if err != nil {
			return nil, err
		}
		return ok(a.present(r, out))
	case model.StatusPausing, model.StatusResuming:
		return nil, badRequest("Unable to %s liveaction \"%s\" because it is not a workflow.",
			strings.TrimSuffix(string(body.Status), "ing"), e.ID)
	case "":
		return nil, badRequest("'status' is a required property")
	}
	if !body.Status.Completed() {
		return nil, badRequest("Unable to update execution to status \"%s\".", body.Status)
	}
	out, err := a.opts.Executions.Transition(r.Context(), e.ID, body.Status, func(x *model.Execution) {
		if body.Result != nil {
			x.Result = body.Result
			x.ResultSize = len(body.Result)
		}
	})
	if err != nil {
		return nil, err
	}
	return ok(a.present(r, out))
}

func (a *API) reRunExecution(r *http.Request) (*response, error) {
	e, err := a.findExecution(r)
	if err != nil {
		return nil, err
	}
	var body struct {
		Parameters map[string]any `json:"parameters"`
		Tasks      []string       `json:"tasks"`
		Reset      []string       `json:"reset"`
		User       *string        `json:"user"`
		Delay      int            `json:"delay"`
	}
	if r.ContentLength != 0 {
		if err := decodeBody(r, &body); err != nil {
			return nil, err
		}
	}
	if len(body.Tasks) > 0 || len(body.Reset) > 0 {
		return nil, badRequest("Only orquesta and action-chain workflows support re-running from tasks; \"%s\" uses runner \"%s\".", e.Action.Ref, e.Action.RunnerType)
	}
	user := a.requester(r)
	if body.User != nil && *body.User != "" {
		user = *body.User
	}
	out, err := a.opts.Executions.ReRun(r.Context(), e.ID, body.Parameters, user, body.Delay)
	if err != nil {
		return nil, err
	}
	return created(a.present(r, out))
}

func (a *API) executionOutput(r *http.Request) (*response, error) {
	e, err := a.findExecution(r)
	if err != nil {
		return nil, err
	}
	chunks, err := a.opts.Store.Output().List(r.Context(), e.ID, r.URL.Query().Get("output_type"))
	if err != nil {
		return nil, err
	}
	var b strings.Builder
	for _, c := range chunks {
		b.WriteString(c.Data)
	}
	return &response{status: http.StatusOK, raw: []byte(b.String()), ctype: "text/plain; charset=utf-8"}, nil
}

func (a *API) executionChildren(r *http.Request) (*response, error) {
	e, err := a.findExecution(r)
	if err != nil {
		return nil, err
	}
	if len(e.Children) == 0 {
		return ok([]*model.Execution{})
	}
	list, _, err := a.opts.Store.Executions().List(r.Context(), store.ExecutionFilter{IDs: e.Children, Ascending: true})
	if err != nil {
		return nil, err
	}
	return ok(a.presentAll(r, list))
}

func (a *API) executionResult(r *http.Request) (*response, error) {
	e, err := a.findExecution(r)
	if err != nil {
		return nil, err
	}
	res := e.Result
	if res == nil {
		res = json.RawMessage("null")
	}
	return &response{status: http.StatusOK, raw: res}, nil
}

func (a *API) executionAttribute(r *http.Request) (*response, error) {
	e, err := a.findExecution(r)
	if err != nil {
		return nil, err
	}
	attr := r.PathValue("attr")
	v, err := projectOne(a.present(r, e), listParams{include: []string{attr}})
	if err != nil {
		return nil, err
	}
	m, _ := v.(map[string]any)
	val, found := m[attr]
	if !found {
		return nil, badRequest("Invalid attribute \"%s\" specified.", attr)
	}
	return ok(val)
}
