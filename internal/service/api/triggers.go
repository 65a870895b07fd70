package api

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"net/url"
	"strings"

	"github.com/st2go/st2go/internal/bus"
	"github.com/st2go/st2go/internal/model"
	"github.com/st2go/st2go/internal/store"
	"github.com/st2go/st2go/internal/trigger"
)

func (a *API) listTriggerTypes(r *http.Request) (*response, error) {
	all, err := a.opts.Store.TriggerTypes().List(r.Context())
	if err != nil {
		return nil, err
	}
	pack := r.URL.Query().Get("pack")
	return listFiltered(r, all, func(t *model.TriggerType) bool { return pack == "" || t.Pack == pack })
}

func (a *API) getTriggerType(r *http.Request) (*response, error) {
	return getOne(r, "ref", a.opts.Store.TriggerTypes().Get)
}

func (a *API) listTriggers(r *http.Request) (*response, error) {
	all, err := a.opts.Store.Triggers().List(r.Context())
	if err != nil {
		return nil, err
	}
	typ := r.URL.Query().Get("type")
	return listFiltered(r, all, func(t *model.Trigger) bool { return typ == "" || t.Type == typ })
}

func (a *API) getTrigger(r *http.Request) (*response, error) {
	return getOne(r, "ref", a.opts.Store.Triggers().Get)
}

// createTrigger registers a trigger (a type with parameters), e.g. a
// webhook URL, as StackStorm's POST /triggers does.
func (a *API) createTrigger(r *http.Request) (*response, error) {
	var t model.Trigger
	if err := decodeBody(r, &t); err != nil {
		return nil, err
	}
	if t.Type == "" {
		return nil, badRequest("'type' is a required property")
	}
	if _, err := a.opts.Store.TriggerTypes().Get(r.Context(), t.Type); errors.Is(err, store.ErrNotFound) {
		return nil, badRequest("Trigger type \"%s\" is not registered.", t.Type)
	}
	if t.Pack == "" {
		t.Pack = strings.SplitN(t.Type, ".", 2)[0]
	}
	if t.Name == "" {
		t.Name = model.NewID()
	}
	if t.Parameters == nil {
		t.Parameters = map[string]any{}
	}
	t.ID, t.Ref, t.UID = model.NewID(), t.Pack+"."+t.Name, "trigger:"+t.Pack+":"+t.Name
	if err := a.opts.Store.Triggers().Put(r.Context(), &t); err != nil {
		return nil, err
	}
	return created(&t)
}

func (a *API) deleteTrigger(r *http.Request) (*response, error) {
	if err := a.opts.Store.Triggers().Delete(r.Context(), r.PathValue("ref")); err != nil {
		return nil, err
	}
	return &response{status: http.StatusNoContent, raw: []byte{}}, nil
}

func (a *API) listTriggerInstances(r *http.Request) (*response, error) {
	p, err := parseList(r)
	if err != nil {
		return nil, err
	}
	q := r.URL.Query()
	f := store.TriggerInstanceFilter{Trigger: q.Get("trigger"), Status: q.Get("status"), Limit: p.limit, Offset: p.offset}
	for name, dst := range map[string]**model.Time{"timestamp_gt": &f.After, "timestamp_lt": &f.Before} {
		if v := q.Get(name); v != "" {
			t, err := model.ParseTime(v)
			if err != nil {
				return nil, badRequest("Invalid %s \"%s\": %v", name, v, err)
			}
			*dst = &t
		}
	}
	list, total, err := a.opts.Store.TriggerInstances().List(r.Context(), f)
	if err != nil {
		return nil, err
	}
	p.offset = 0
	return listResponse(list, total, p)
}

func (a *API) getTriggerInstance(r *http.Request) (*response, error) {
	id := r.PathValue("id")
	ti, err := a.opts.Store.TriggerInstances().Get(r.Context(), id)
	if errors.Is(err, store.ErrNotFound) {
		return nil, notFound("Resource with a id \"%s\" not found", id)
	}
	if err != nil {
		return nil, err
	}
	return ok(ti)
}

// reEmitTriggerInstance dispatches a stored instance's payload again,
// marking it as a copy in payload.__context.original_id.
func (a *API) reEmitTriggerInstance(r *http.Request) (*response, error) {
	id := r.PathValue("id")
	ti, err := a.opts.Store.TriggerInstances().Get(r.Context(), id)
	if errors.Is(err, store.ErrNotFound) {
		return nil, notFound("Resource with a id \"%s\" not found", id)
	}
	if err != nil {
		return nil, err
	}
	payload := map[string]any{}
	for k, v := range ti.Payload {
		payload[k] = v
	}
	payload["__context"] = map[string]any{"original_id": ti.ID}
	if err := a.dispatch(r, ti.Trigger, payload, nil); err != nil {
		return nil, err
	}
	return ok(map[string]any{"message": fmt.Sprintf("Trigger instance %s succesfully re-sent.", ti.ID), "payload": payload})
}

// dispatch hands a trigger instance to the rules engine.
func (a *API) dispatch(r *http.Request, trig any, payload map[string]any, traceTag *string) error {
	var trace any
	if traceTag != nil {
		trace = map[string]any{"trace_tag": *traceTag}
	}
	body, err := json.Marshal(trigger.Dispatch{Trigger: trig, Payload: payload, TraceContext: trace})
	if err != nil {
		return fmt.Errorf("encoding trigger instance: %w", err)
	}
	return a.opts.Bus.Publish(r.Context(), bus.ExchangeTriggerDispatch, "trigger_instance", body)
}

// webhookTriggers returns the webhook triggers registered for a URL.
func (a *API) webhookTriggers(r *http.Request, hook string) ([]*model.Trigger, error) {
	all, err := a.opts.Store.Triggers().List(r.Context())
	if err != nil {
		return nil, err
	}
	var out []*model.Trigger
	for _, t := range all {
		if t.Type != trigger.Webhook {
			continue
		}
		if u, _ := t.Parameters["url"].(string); strings.Trim(u, "/") == hook {
			out = append(out, t)
		}
	}
	return out, nil
}

func (a *API) listWebhooks(r *http.Request) (*response, error) {
	all, err := a.opts.Store.Triggers().List(r.Context())
	if err != nil {
		return nil, err
	}
	out := []*model.Trigger{}
	for _, t := range all {
		if t.Type == trigger.Webhook {
			out = append(out, t)
		}
	}
	return ok(out)
}

func (a *API) getWebhook(r *http.Request) (*response, error) {
	ts, err := a.webhookTriggers(r, strings.Trim(r.PathValue("url"), "/"))
	if err != nil {
		return nil, err
	}
	if len(ts) == 0 {
		return nil, notFound("The resource could not be found.")
	}
	return ok(ts[0])
}

// authHeaders are stripped from webhook payloads: credentials are not data.
var authHeaders = map[string]bool{"X-Auth-Token": true, "St2-Api-Key": true, "Cookie": true}

// postWebhook is POST /webhooks/<hook>: a generic "st2" hook taking
// {trigger, payload}, or a URL some webhook trigger listens on, whose
// rules get {headers, headers_lower, body}. The payload is data and is
// never rendered as a template. It answers 202 with the body.
func (a *API) postWebhook(r *http.Request) (*response, error) {
	hook := strings.Trim(r.PathValue("url"), "/")
	body, err := webhookBody(r)
	if err != nil {
		return nil, err
	}
	headers := map[string]any{}
	lower := map[string]any{}
	for k, vs := range r.Header {
		if authHeaders[k] || len(vs) == 0 {
			continue
		}
		headers[k] = strings.Join(vs, ",")
		lower[strings.ToLower(k)] = headers[k]
	}
	var traceTag *string
	if tag := r.Header.Get("St2-Trace-Tag"); tag != "" {
		traceTag = &tag
		delete(headers, "St2-Trace-Tag")
		delete(lower, "st2-trace-tag")
	}
	if hook == "st2" {
		obj, isObj := body.(map[string]any)
		if !isObj {
			return nil, badRequest("Webhook body needs to be an object, got: %s", jsonKind(body))
		}
		trig, _ := obj["trigger"].(string)
		if trig == "" {
			return nil, badRequest("Trigger not specified.")
		}
		payload, _ := obj["payload"].(map[string]any)
		if a.opts.ValidateTriggerPayload && !strings.HasPrefix(trig, "core.") {
			if tt, err := a.opts.Store.TriggerTypes().Get(r.Context(), trig); err == nil {
				if err := trigger.ValidatePayload(tt.PayloadSchema, payload); err != nil {
					return nil, badRequest("%s", err.Error())
				}
			}
		}
		if err := a.dispatch(r, trig, payload, traceTag); err != nil {
			return nil, err
		}
		return &response{status: http.StatusAccepted, body: body}, nil
	}
	triggers, err := a.webhookTriggers(r, hook)
	if err != nil {
		return nil, err
	}
	if len(triggers) == 0 {
		return nil, notFound("Webhook %s not registered with st2", hook)
	}
	payload := map[string]any{"headers": headers, "headers_lower": lower, "body": body}
	for _, t := range triggers {
		if err := a.dispatch(r, map[string]any{"type": t.Type, "parameters": t.Parameters, "ref": t.Ref}, payload, traceTag); err != nil {
			return nil, err
		}
	}
	return &response{status: http.StatusAccepted, body: body}, nil
}

// webhookBody parses a webhook request body by its content type, as
// StackStorm does: JSON (any charset), form data as lists of strings.
// maxWebhookBody bounds a webhook request body.
const maxWebhookBody = 64 << 20

func webhookBody(r *http.Request) (any, error) {
	data, err := io.ReadAll(io.LimitReader(r.Body, maxWebhookBody+1))
	if err != nil {
		return nil, badRequest("Failed to read request body: %v", err)
	}
	if len(data) > maxWebhookBody {
		return nil, &apiError{status: http.StatusRequestEntityTooLarge,
			msg: fmt.Sprintf("Request body is larger than %d bytes", maxWebhookBody)}
	}
	ct := r.Header.Get("Content-Type")
	mt, _, _ := mime.ParseMediaType(ct)
	switch {
	case mt == "" || mt == "application/json" || strings.HasSuffix(mt, "+json"):
		if len(strings.TrimSpace(string(data))) == 0 {
			return map[string]any{}, nil
		}
		var v any
		dec := json.NewDecoder(strings.NewReader(string(data)))
		dec.UseNumber()
		if err := dec.Decode(&v); err != nil {
			return nil, badRequest("Failed to parse request body: %v", err)
		}
		if dec.More() {
			return nil, badRequest("Failed to parse request body: extra data after the JSON document")
		}
		return normalizeNumbers(v), nil
	case mt == "application/x-www-form-urlencoded":
		q, err := url.ParseQuery(string(data))
		if err != nil {
			return nil, badRequest("Failed to parse request body: %v", err)
		}
		return formValues(q), nil
	case strings.HasPrefix(mt, "multipart/form-data"):
		r.Body = io.NopCloser(strings.NewReader(string(data)))
		if err := r.ParseMultipartForm(32 << 20); err != nil {
			return nil, badRequest("Failed to parse request body: %v", err)
		}
		return formValues(r.MultipartForm.Value), nil
	}
	return nil, badRequest("Unsupported Content-Type: \"%s\"", ct)
}

// formValues keeps every value list, as Python's parse_qs does.
func formValues(q map[string][]string) map[string]any {
	out := map[string]any{}
	for k, vs := range q {
		l := make([]any, len(vs))
		for i, v := range vs {
			l[i] = v
		}
		out[k] = l
	}
	return out
}

func jsonKind(v any) string {
	switch v.(type) {
	case []any:
		return "array"
	case string:
		return "string"
	case nil:
		return "null"
	case bool:
		return "boolean"
	}
	return "number"
}

var timerTypes = map[string]bool{trigger.IntervalTimer: true, trigger.DateTimer: true, trigger.CronTimer: true}

// listTimers is GET /timers: the triggers of timer types (timer_type filters).
func (a *API) listTimers(r *http.Request) (*response, error) {
	all, err := a.opts.Store.Triggers().List(r.Context())
	if err != nil {
		return nil, err
	}
	want := r.URL.Query().Get("timer_type")
	out := []*model.Trigger{}
	for _, t := range all {
		if timerTypes[t.Type] && (want == "" || t.Type == want) {
			out = append(out, t)
		}
	}
	return ok(out)
}

func (a *API) getTimer(r *http.Request) (*response, error) {
	ref := r.PathValue("ref")
	t, err := a.opts.Store.Triggers().Get(r.Context(), ref)
	if err != nil || !timerTypes[t.Type] {
		return nil, notFound("Timer with ref or id \"%s\" not found", ref)
	}
	return ok(t)
}
