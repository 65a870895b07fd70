// Package api is st2go's st2api: StackStorm's REST API v1 (actions,
// executions, runner types, packs, ...) in StackStorm's JSON shapes.
//
// Handler serves the routes without a prefix ("/actions", "/executions/{id}",
// ...); Mount puts them where StackStorm's clients look for them: /api/v1,
// /v1 and / on the API listener. Handlers return a value or an error; one
// writer turns errors into StackStorm's {"faultstring": ...} bodies with
// its status codes. The package imports domain packages only.
package api

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"reflect"
	"strings"

	"github.com/st2go/st2go/internal/auth"
	"github.com/st2go/st2go/internal/bus"
	"github.com/st2go/st2go/internal/datastore"
	"github.com/st2go/st2go/internal/execution"
	"github.com/st2go/st2go/internal/model"
	"github.com/st2go/st2go/internal/pyfmt"
	"github.com/st2go/st2go/internal/runner"
	"github.com/st2go/st2go/internal/store"
)

// Registrar registers pack content on request (POST /packs/register).
type Registrar interface {
	// Register loads the named packs (all when empty) and returns the number
	// of registered items per content type, StackStorm-style.
	Register(ctx context.Context, packs, types []string, failOnFailure bool) (map[string]int, error)
}

// Options configure the API.
type Options struct {
	Store      store.Backend
	Executions *execution.Service
	Runners    *runner.Registry
	Registrar  Registrar
	Datastore  *datastore.Service
	// RulesChanged is called after a rule is created, updated or deleted.
	RulesChanged func(ctx context.Context)
	// ValidateTriggerPayload is [system] validate_trigger_payload.
	ValidateTriggerPayload bool
	// SensorsChanged is called after a sensor is enabled or disabled.
	SensorsChanged func(ctx context.Context)
	// Bus carries trigger instances (webhooks, re-emit) to the rules engine.
	Bus bus.Backend
	// MaskSecrets is [api] mask_secrets: secret parameter values show as
	// ******** unless a request asks show_secrets=true (an admin; with
	// RBAC off every user is).
	MaskSecrets bool
	// SystemUser is the user of requests while auth is not enforced.
	SystemUser string
	// ConfigsDir holds the pack configs (<pack>.yaml): StackStorm's
	// [system] base_path + "/configs". Empty: the /configs routes answer 501.
	ConfigsDir string
	Version    string
	Logger     *slog.Logger
}

// API is the REST API handler set.
type API struct {
	opts   Options
	log    *slog.Logger
	mux    *http.ServeMux
	routes []string
}

// New returns the API with every route registered.
func New(opts Options) *API {
	l := opts.Logger
	if l == nil {
		l = slog.New(slog.DiscardHandler)
	}
	a := &API{opts: opts, log: l.With("component", "api"), mux: http.NewServeMux()}
	a.register()
	return a
}

// handlerFunc is a route that returns a response value or an error.
type handlerFunc func(r *http.Request) (*response, error)

type response struct {
	status  int
	body    any
	raw     []byte // written as is when set
	ctype   string
	headers map[string]string
}

func ok(body any) (*response, error) { return &response{status: http.StatusOK, body: body}, nil }
func created(body any) (*response, error) {
	return &response{status: http.StatusCreated, body: body}, nil
}

// Routes returns the registered route patterns ("GET /actions/{ref}", ...).
func (a *API) Routes() []string { return append([]string(nil), a.routes...) }

func (a *API) handle(pattern string, h handlerFunc) {
	a.routes = append(a.routes, pattern)
	a.mux.HandleFunc(pattern, func(w http.ResponseWriter, r *http.Request) {
		resp, err := h(r)
		if err != nil {
			a.writeError(w, r, err)
			return
		}
		a.write(w, resp)
	})
}

func (a *API) write(w http.ResponseWriter, resp *response) {
	for k, v := range resp.headers {
		w.Header().Set(k, v)
	}
	if resp.raw != nil {
		ct := resp.ctype
		if ct == "" {
			ct = "application/json"
		}
		w.Header().Set("Content-Type", ct)
		w.WriteHeader(resp.status)
		w.Write(resp.raw)
		return
	}
	b, err := json.Marshal(resp.body)
	if err != nil {
		a.log.Error("encoding response", "err", err)
		http.Error(w, `{"faultstring": "Internal Server Error"}`, http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(resp.status)
	w.Write(b)
}

// apiError carries an HTTP status and a faultstring.
type apiError struct {
	status int
	msg    string
}

func (e *apiError) Error() string { return e.msg }

func badRequest(format string, args ...any) error {
	return &apiError{status: http.StatusBadRequest, msg: fmt.Sprintf(format, args...)}
}

func notFound(format string, args ...any) error {
	return &apiError{status: http.StatusNotFound, msg: fmt.Sprintf(format, args...)}
}

// writeError classifies an error into StackStorm's status codes and body.
func (a *API) writeError(w http.ResponseWriter, r *http.Request, err error) {
	status, msg := http.StatusInternalServerError, "Internal Server Error"
	var ae *apiError
	var ie *execution.InvalidError
	switch {
	case errors.As(err, &ae):
		status, msg = ae.status, ae.msg
	case errors.As(err, &ie):
		status, msg = http.StatusBadRequest, ie.Msg
	case errors.Is(err, store.ErrNotFound):
		status, msg = http.StatusNotFound, err.Error()
	case errors.Is(err, store.ErrConflict):
		status, msg = http.StatusConflict, err.Error()
	case errors.Is(err, model.ErrInvalidTransition):
		status, msg = http.StatusBadRequest, err.Error()
	default:
		a.log.Error("request failed", "method", r.Method, "path", r.URL.Path, "err", err)
	}
	b, _ := json.Marshal(map[string]string{"faultstring": msg})
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	w.Write(b)
}

// ServeHTTP routes a request whose path has no prefix. A trailing slash is
// ignored, as StackStorm's router does.
func (a *API) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if len(r.URL.Path) > 1 && strings.HasSuffix(r.URL.Path, "/") {
		r2 := r.Clone(r.Context())
		r2.URL.Path = strings.TrimRight(r.URL.Path, "/")
		r2.URL.RawPath = ""
		r = r2
	}
	if _, pattern := a.mux.Handler(r); pattern == "" {
		// No route: answer in StackStorm's JSON error shape, not Go's text.
		rec := &statusRecorder{}
		a.mux.ServeHTTP(rec, r)
		status := rec.status
		if status == 0 {
			status = http.StatusNotFound
		}
		msg := "The resource could not be found."
		if status == http.StatusMethodNotAllowed {
			msg = "The method is not allowed for the requested URL."
			w.Header().Set("Allow", rec.Header().Get("Allow"))
		}
		a.writeError(w, r, &apiError{status: status, msg: msg})
		return
	}
	a.mux.ServeHTTP(w, r)
}

// statusRecorder captures the status ServeMux chooses for an unrouted request.
type statusRecorder struct {
	h      http.Header
	status int
}

func (s *statusRecorder) Header() http.Header {
	if s.h == nil {
		s.h = http.Header{}
	}
	return s.h
}
func (s *statusRecorder) Write(b []byte) (int, error) { return len(b), nil }
func (s *statusRecorder) WriteHeader(code int)        { s.status = code }

func (a *API) register() {
	a.handle("GET /{$}", a.root)
	a.handle("GET /user", a.user)

	a.handle("GET /actions", a.listActions)
	a.handle("POST /actions", a.createAction)
	a.handle("GET /actions/{ref}", a.getAction)
	a.handle("PUT /actions/{ref}", a.updateAction)
	a.handle("DELETE /actions/{ref}", a.deleteAction)
	a.handle("GET /actions/views/parameters/{ref}", a.actionParameters)
	a.handle("GET /actions/views/overview", a.listActions)
	a.handle("GET /actions/views/overview/{ref}", a.getAction)
	a.handle("GET /actions/views/entry_point/{ref}", a.actionEntryPoint)

	for _, base := range []string{"/executions", "/actionexecutions"} {
		a.handle("GET "+base, a.listExecutions)
		a.handle("POST "+base, a.createExecution)
		a.handle("GET "+base+"/{id}", a.getExecution)
		a.handle("PUT "+base+"/{id}", a.updateExecution)
		a.handle("DELETE "+base+"/{id}", a.cancelExecution)
		a.handle("POST "+base+"/{id}/re_run", a.reRunExecution)
		a.handle("GET "+base+"/{id}/output", a.executionOutput)
		a.handle("GET "+base+"/{id}/children", a.executionChildren)
		a.handle("GET "+base+"/{id}/result", a.executionResult)
		a.handle("GET "+base+"/{id}/attribute/{attr}", a.executionAttribute)
	}

	a.handle("GET /runnertypes", a.listRunnerTypes)
	a.handle("GET /runnertypes/{name}", a.getRunnerType)

	a.handle("GET /packs", a.listPacks)
	a.handle("GET /packs/{ref}", a.getPack)
	a.handle("POST /packs/register", a.registerPacks)

	a.handle("GET /rules", a.listRules)
	a.handle("POST /rules", a.createRule)
	a.handle("GET /rules/{ref}", a.getRule)
	a.handle("PUT /rules/{ref}", a.updateRule)
	a.handle("DELETE /rules/{ref}", a.deleteRule)
	a.handle("GET /rules/views", a.listRules)
	a.handle("GET /rules/views/{ref}", a.getRule)
	a.handle("GET /ruletypes", a.listRuleTypes)
	a.handle("GET /ruletypes/{id}", a.getRuleType)
	a.handle("GET /ruleenforcements", a.listRuleEnforcements)
	a.handle("GET /ruleenforcements/{id}", a.getRuleEnforcement)
	a.handle("GET /ruleenforcements/views", a.listRuleEnforcements)
	a.handle("GET /ruleenforcements/views/{id}", a.getRuleEnforcement)

	a.handle("GET /sensortypes", a.listSensorTypes)
	a.handle("GET /sensortypes/{ref}", a.getSensorType)
	a.handle("PUT /sensortypes/{ref}", a.updateSensorType)

	a.handle("GET /triggertypes", a.listTriggerTypes)
	a.handle("GET /triggertypes/{ref}", a.getTriggerType)
	a.handle("GET /triggers", a.listTriggers)
	a.handle("POST /triggers", a.createTrigger)
	a.handle("GET /triggers/{ref}", a.getTrigger)
	a.handle("DELETE /triggers/{ref}", a.deleteTrigger)
	a.handle("GET /triggerinstances", a.listTriggerInstances)
	a.handle("GET /triggerinstances/{id}", a.getTriggerInstance)
	a.handle("POST /triggerinstances/{id}/re_emit", a.reEmitTriggerInstance)
	a.handle("GET /timers", a.listTimers)
	a.handle("GET /timers/{ref}", a.getTimer)
	a.handle("GET /webhooks", a.listWebhooks)
	a.handle("GET /webhooks/{url...}", a.getWebhook)
	a.handle("POST /webhooks/{url...}", a.postWebhook)

	a.handle("GET /keys", a.listKeys)
	a.handle("GET /keys/{name}", a.getKey)
	a.handle("PUT /keys/{name}", a.putKey)
	a.handle("DELETE /keys/{name}", a.deleteKey)

	a.handle("GET /apikeys", a.listAPIKeys)
	a.handle("POST /apikeys", a.createAPIKey)
	a.handle("GET /apikeys/{id}", a.getAPIKey)
	a.handle("PUT /apikeys/{id}", a.updateAPIKey)
	a.handle("DELETE /apikeys/{id}", a.deleteAPIKey)

	a.handle("GET /configs", a.listConfigs)
	a.handle("GET /configs/{pack}", a.getConfig)
	a.handle("PUT /configs/{pack}", a.putConfig)
	a.handle("GET /config_schemas", a.listConfigSchemas)
	a.handle("GET /config_schemas/{pack}", a.getConfigSchema)
}

func (a *API) root(*http.Request) (*response, error) {
	return ok(map[string]any{"version": a.opts.Version, "docs_url": "https://docs.stackstorm.com/"})
}

func (a *API) user(r *http.Request) (*response, error) {
	authn := map[string]any{"method": "authentication disabled", "location": nil}
	if id := auth.FromContext(r.Context()); id != nil && id.Method != "" {
		authn = map[string]any{"method": id.Method, "location": id.Location}
		if id.Token != nil {
			authn["token_expire"] = id.Token.Expiry
		}
	}
	return ok(map[string]any{
		"username":       a.requester(r),
		"authentication": authn,
		"rbac":           map[string]any{"enabled": false, "roles": []string{}, "is_admin": true},
	})
}

// requester is the st2 user a request acts for: the authenticated user,
// or [system_user] user while auth is off.
func (a *API) requester(r *http.Request) string {
	if id := auth.FromContext(r.Context()); id != nil && id.User != "" {
		return id.User
	}
	return a.opts.SystemUser
}

// decodeBody reads a JSON request body into v. Numbers keep Python's
// distinction between int and float, and a value of the wrong JSON type
// is reported by field name, as StackStorm's schema validation does.
func decodeBody(r *http.Request, v any) error {
	dec := json.NewDecoder(r.Body)
	dec.UseNumber()
	var raw any
	if err := dec.Decode(&raw); err != nil {
		return badRequest("invalid JSON body: %v", err)
	}
	return fromJSONValue(normalizeNumbers(raw), v)
}

// fromJSONValue stores a decoded JSON value into a struct: top-level
// fields one by one, so that `any` fields keep int64 numbers.
func fromJSONValue(raw any, v any) error {
	obj, isObj := raw.(map[string]any)
	if !isObj {
		return badRequest("request body must be a JSON object, not %s", jsonType(raw))
	}
	rv := reflect.ValueOf(v).Elem()
	if rv.Kind() != reflect.Struct {
		b, _ := json.Marshal(raw)
		return json.Unmarshal(b, v)
	}
	rt := rv.Type()
	for i := 0; i < rt.NumField(); i++ {
		f := rt.Field(i)
		name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
		if name == "" || name == "-" {
			continue
		}
		val, present := obj[name]
		if !present {
			continue
		}
		fv := rv.Field(i)
		if val == nil {
			fv.Set(reflect.Zero(fv.Type()))
			continue
		}
		if mv, isMap := val.(map[string]any); isMap && fv.Type() == reflect.TypeOf(map[string]any(nil)) {
			fv.Set(reflect.ValueOf(mv))
			continue
		}
		b, _ := json.Marshal(val)
		if err := json.Unmarshal(b, fv.Addr().Interface()); err != nil {
			return badRequest("%s is not of type %s (field %q)", pyfmt.Repr(val), jsonTypeOf(fv.Type()), name)
		}
	}
	return nil
}

func jsonType(v any) string {
	switch v.(type) {
	case nil:
		return "null"
	case map[string]any:
		return "an object"
	case []any:
		return "an array"
	case string:
		return "a string"
	case bool:
		return "a boolean"
	default:
		return "a number"
	}
}

// jsonTypeOf names the JSON schema type a Go field accepts.
func jsonTypeOf(t reflect.Type) string {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	switch t.Kind() {
	case reflect.Map, reflect.Struct:
		return "'object'"
	case reflect.Slice:
		return "'array'"
	case reflect.String:
		return "'string'"
	case reflect.Bool:
		return "'boolean'"
	case reflect.Int, reflect.Int64, reflect.Int32:
		return "'integer'"
	case reflect.Float64:
		return "'number'"
	}
	return "'" + t.String() + "'"
}

// normalizeNumbers turns json.Number into int64 when integral and float64
// otherwise, the way Python's json module reads numbers.
func normalizeNumbers(v any) any {
	switch x := v.(type) {
	case json.Number:
		if i, err := x.Int64(); err == nil {
			return i
		}
		f, _ := x.Float64()
		return f
	case map[string]any:
		for k, e := range x {
			x[k] = normalizeNumbers(e)
		}
	case []any:
		for i, e := range x {
			x[i] = normalizeNumbers(e)
		}
	}
	return v
}
