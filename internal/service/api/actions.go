package api

import (
	"errors"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strings"

	"github.com/st2go/st2go/internal/model"
	"github.com/st2go/st2go/internal/store"
)

func (a *API) findAction(r *http.Request) (*model.Action, error) {
	ref := r.PathValue("ref")
	act, err := a.opts.Store.Content().GetAction(r.Context(), ref)
	if errors.Is(err, store.ErrNotFound) {
		return nil, notFound("Resource with a reference or id \"%s\" not found", ref)
	}
	return act, err
}

func (a *API) listActions(r *http.Request) (*response, error) {
	p, err := parseList(r)
	if err != nil {
		return nil, err
	}
	q := r.URL.Query()
	acts, err := a.opts.Store.Content().ListActions(r.Context(), q.Get("pack"))
	if err != nil {
		return nil, err
	}
	var out []*model.Action
	for _, act := range acts {
		if n := q.Get("name"); n != "" && act.Name != n {
			continue
		}
		if ref := q.Get("ref"); ref != "" && act.Ref != ref {
			continue
		}
		if rt := q.Get("runner_type"); rt != "" && act.RunnerType != rt {
			continue
		}
		out = append(out, act)
	}
	return listResponse(page(out, p), len(out), p)
}

func (a *API) getAction(r *http.Request) (*response, error) {
	act, err := a.findAction(r)
	if err != nil {
		return nil, err
	}
	return ok(act)
}

var nameRe = regexp.MustCompile(`^[\w.\-]+$`)

// checkAction validates an action document sent to create or update.
func (a *API) checkAction(r *http.Request, act *model.Action) error {
	switch {
	case act.Name == "":
		return badRequest("'name' is a required property")
	case act.RunnerType == "":
		return badRequest("'runner_type' is a required property")
	case !nameRe.MatchString(act.Name):
		return badRequest("Invalid action name \"%s\"", act.Name)
	}
	if act.Pack == "" {
		act.Pack = "default"
	}
	if _, err := a.opts.Store.Content().GetRunnerType(r.Context(), act.RunnerType); errors.Is(err, store.ErrNotFound) {
		return badRequest("RunnerType \"%s\" is not valid.", act.RunnerType)
	} else if err != nil {
		return err
	}
	for name, spec := range act.Parameters {
		if spec == nil {
			return badRequest("parameter \"%s\": must be an object", name)
		}
		switch spec.TypeName() {
		case "", "string", "integer", "number", "boolean", "array", "object", "null", "raw_string":
		default:
			return badRequest("parameter \"%s\": %q is not a valid type", name, spec.TypeName())
		}
	}
	act.Ref = act.Pack + "." + act.Name
	act.UID = "action:" + act.Pack + ":" + act.Name
	if act.Parameters == nil {
		act.Parameters = model.Params{}
	}
	if act.Tags == nil {
		act.Tags = []model.Tag{}
	}
	if act.Notify == nil {
		act.Notify = map[string]any{}
	}
	if act.OutputSchema == nil {
		act.OutputSchema = map[string]any{}
	}
	return nil
}

func (a *API) createAction(r *http.Request) (*response, error) {
	var act model.Action
	act.Enabled = true
	if err := decodeBody(r, &act); err != nil {
		return nil, err
	}
	if err := a.checkAction(r, &act); err != nil {
		return nil, err
	}
	act.ID = model.NewID()
	if err := a.opts.Store.Content().CreateAction(r.Context(), &act); err != nil {
		if errors.Is(err, store.ErrConflict) {
			return nil, &apiError{status: http.StatusConflict, msg: "Tried to save duplicate unique keys (action with ref \"" + act.Ref + "\" already exists)"}
		}
		return nil, err
	}
	return created(&act)
}

func (a *API) updateAction(r *http.Request) (*response, error) {
	old, err := a.findAction(r)
	if err != nil {
		return nil, err
	}
	act := *old
	if err := decodeBody(r, &act); err != nil {
		return nil, err
	}
	if err := a.checkAction(r, &act); err != nil {
		return nil, err
	}
	act.ID = old.ID
	if act.Ref != old.Ref {
		if err := a.opts.Store.Content().DeleteAction(r.Context(), old.Ref); err != nil {
			return nil, err
		}
	}
	if err := a.opts.Store.Content().PutAction(r.Context(), &act); err != nil {
		return nil, err
	}
	return ok(&act)
}

func (a *API) deleteAction(r *http.Request) (*response, error) {
	act, err := a.findAction(r)
	if err != nil {
		return nil, err
	}
	if err := a.opts.Store.Content().DeleteAction(r.Context(), act.ID); err != nil {
		return nil, err
	}
	return &response{status: http.StatusNoContent, raw: []byte{}}, nil
}

func (a *API) actionParameters(r *http.Request) (*response, error) {
	act, err := a.findAction(r)
	if err != nil {
		return nil, err
	}
	rt, err := a.opts.Store.Content().GetRunnerType(r.Context(), act.RunnerType)
	if err != nil {
		return nil, err
	}
	merged := model.Params{}
	for k, v := range rt.RunnerParameters {
		merged[k] = v
	}
	for k, v := range act.Parameters {
		merged[k] = v
	}
	return ok(map[string]any{"parameters": merged})
}

func (a *API) actionEntryPoint(r *http.Request) (*response, error) {
	act, err := a.findAction(r)
	if err != nil {
		return nil, err
	}
	if act.EntryPoint == "" {
		return &response{status: http.StatusOK, raw: []byte{}, ctype: "text/plain"}, nil
	}
	pack, err := a.opts.Store.Content().GetPack(r.Context(), act.Pack)
	if err != nil {
		return nil, err
	}
	path := filepath.Join(pack.Path, "actions", act.EntryPoint)
	if !strings.HasPrefix(filepath.Clean(path), filepath.Clean(pack.Path)+string(filepath.Separator)) {
		return nil, badRequest("entry point %q is outside its pack", act.EntryPoint)
	}
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, notFound("Entry point file \"%s\" of action \"%s\" cannot be read", act.EntryPoint, act.Ref)
	}
	return &response{status: http.StatusOK, raw: b, ctype: "text/plain"}, nil
}
