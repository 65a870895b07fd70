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
	"strings"

	"github.com/st2go/st2go/internal/auth"
	"github.com/st2go/st2go/internal/execution"
	"github.com/st2go/st2go/internal/model"
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
	// SystemUser is the user of requests while auth is not enforced.
	SystemUser string
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
	a.mux.ServeHTTP(w, r)
}

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

	a.handle("GET /apikeys", a.listAPIKeys)
	a.handle("POST /apikeys", a.createAPIKey)
	a.handle("GET /apikeys/{id}", a.getAPIKey)
	a.handle("PUT /apikeys/{id}", a.updateAPIKey)
	a.handle("DELETE /apikeys/{id}", a.deleteAPIKey)
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

func decodeBody(r *http.Request, v any) error {
	dec := json.NewDecoder(r.Body)
	dec.UseNumber()
	var raw any
	if err := dec.Decode(&raw); err != nil {
		return badRequest("invalid JSON body: %v", err)
	}
	b, _ := json.Marshal(normalizeNumbers(raw))
	if err := json.Unmarshal(b, v); err != nil {
		return badRequest("invalid request body: %v", err)
	}
	return nil
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
