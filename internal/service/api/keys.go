package api

import (
	"errors"
	"net/http"

	"github.com/st2go/st2go/internal/datastore"
)

// kvError maps datastore errors to StackStorm's status codes.
func kvError(err error) error {
	var inv *datastore.InvalidError
	var nf *datastore.NotFoundError
	switch {
	case errors.As(err, &inv):
		return badRequest("%s", inv.Msg)
	case errors.As(err, &nf):
		return notFound("%s", nf.Msg)
	}
	return err
}

func (a *API) listKeys(r *http.Request) (*response, error) {
	p, err := parseList(r)
	if err != nil {
		return nil, err
	}
	q := r.URL.Query()
	items, err := a.opts.Datastore.ListNamed(r.Context(), a.requester(r), q.Get("scope"), q.Get("prefix"), q.Get("name"), q.Get("user"), queryBool(r, "decrypt"))
	if err != nil {
		return nil, kvError(err)
	}
	return listResponse(page(items, p), len(items), p)
}

func (a *API) getKey(r *http.Request) (*response, error) {
	q := r.URL.Query()
	kv, err := a.opts.Datastore.Get(r.Context(), a.requester(r), q.Get("scope"), r.PathValue("name"), q.Get("user"), queryBool(r, "decrypt"))
	if err != nil {
		return nil, kvError(err)
	}
	return ok(kv)
}

func (a *API) putKey(r *http.Request) (*response, error) {
	var req datastore.SetRequest
	if err := decodeBody(r, &req); err != nil {
		return nil, err
	}
	if req.Scope == "" {
		req.Scope = r.URL.Query().Get("scope")
	}
	req.Name = r.PathValue("name")
	kv, err := a.opts.Datastore.Set(r.Context(), a.requester(r), req)
	if err != nil {
		return nil, kvError(err)
	}
	return ok(kv)
}

func (a *API) deleteKey(r *http.Request) (*response, error) {
	q := r.URL.Query()
	if err := a.opts.Datastore.Delete(r.Context(), a.requester(r), q.Get("scope"), r.PathValue("name"), q.Get("user")); err != nil {
		return nil, kvError(err)
	}
	return &response{status: http.StatusNoContent, raw: []byte{}}, nil
}
