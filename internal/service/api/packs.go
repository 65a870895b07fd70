package api

import (
	"errors"
	"net/http"

	"github.com/st2go/st2go/internal/model"
	"github.com/st2go/st2go/internal/store"
)

func (a *API) listRunnerTypes(r *http.Request) (*response, error) {
	p, err := parseList(r)
	if err != nil {
		return nil, err
	}
	all, err := a.opts.Store.Content().ListRunnerTypes(r.Context())
	if err != nil {
		return nil, err
	}
	name := r.URL.Query().Get("name")
	out := all[:0]
	for _, rt := range all {
		if name == "" || rt.Name == name {
			out = append(out, rt)
		}
	}
	return listResponse(page(out, p), len(out), p)
}

func (a *API) getRunnerType(r *http.Request) (*response, error) {
	name := r.PathValue("name")
	rt, err := a.opts.Store.Content().GetRunnerType(r.Context(), name)
	if errors.Is(err, store.ErrNotFound) {
		return nil, notFound("Resource with a name or id \"%s\" not found", name)
	}
	if err != nil {
		return nil, err
	}
	return ok(rt)
}

func (a *API) listPacks(r *http.Request) (*response, error) {
	all, err := a.opts.Store.Content().ListPacks(r.Context())
	if err != nil {
		return nil, err
	}
	q := r.URL.Query()
	return listFiltered(r, all, func(pk *model.Pack) bool {
		return (q.Get("name") == "" || pk.Name == q.Get("name")) && (q.Get("ref") == "" || pk.Ref == q.Get("ref"))
	})
}

func (a *API) getPack(r *http.Request) (*response, error) {
	return getOne(r, "ref", a.opts.Store.Content().GetPack)
}

func (a *API) registerPacks(r *http.Request) (*response, error) {
	body := struct {
		Packs         []string `json:"packs"`
		Types         []string `json:"types"`
		FailOnFailure *bool    `json:"fail_on_failure"`
	}{}
	if r.ContentLength != 0 {
		if err := decodeBody(r, &body); err != nil {
			return nil, err
		}
	}
	fail := true
	if body.FailOnFailure != nil {
		fail = *body.FailOnFailure
	}
	if a.opts.Registrar == nil {
		return nil, &apiError{status: http.StatusNotImplemented, msg: "content registration is not available on this server"}
	}
	counts, err := a.opts.Registrar.Register(r.Context(), body.Packs, body.Types, fail)
	if err != nil {
		return nil, badRequest("%s", err.Error())
	}
	return ok(counts)
}
