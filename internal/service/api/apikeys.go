package api

import (
	"errors"
	"net/http"

	"github.com/st2go/st2go/internal/auth/apikey"
	"github.com/st2go/st2go/internal/model"
	"github.com/st2go/st2go/internal/store"
)

// masked is how StackStorm shows a secret it will not reveal.
const masked = "********"

// apiKeyView is an API key as the API shows it: the hash masked unless
// the caller asked show_secrets (everyone is an admin while RBAC is off).
func apiKeyView(k *model.APIKey, showSecrets bool) *model.APIKey {
	c := *k
	if !showSecrets {
		c.KeyHash = masked
	}
	if c.Metadata == nil {
		c.Metadata = map[string]any{}
	}
	return &c
}

func (a *API) findAPIKey(r *http.Request) (*model.APIKey, error) {
	ref := r.PathValue("id")
	k, err := a.opts.Store.APIKeys().Get(r.Context(), ref)
	if errors.Is(err, store.ErrNotFound) {
		k, err = a.opts.Store.APIKeys().GetByHash(r.Context(), apikey.Hash(ref))
	}
	if errors.Is(err, store.ErrNotFound) {
		return nil, notFound("ApiKey matching %s for reference and id not found.", ref)
	}
	return k, err
}

func (a *API) listAPIKeys(r *http.Request) (*response, error) {
	p, err := parseList(r)
	if err != nil {
		return nil, err
	}
	all, err := a.opts.Store.APIKeys().List(r.Context())
	if err != nil {
		return nil, err
	}
	show := queryBool(r, "show_secrets")
	user := r.URL.Query().Get("user")
	out := []*model.APIKey{}
	for _, k := range all {
		if user == "" || k.User == user {
			out = append(out, apiKeyView(k, show))
		}
	}
	return listResponse(page(out, p), len(out), p)
}

func (a *API) getAPIKey(r *http.Request) (*response, error) {
	k, err := a.findAPIKey(r)
	if err != nil {
		return nil, err
	}
	return ok(apiKeyView(k, queryBool(r, "show_secrets")))
}

func (a *API) createAPIKey(r *http.Request) (*response, error) {
	var body struct {
		User     string         `json:"user"`
		KeyHash  string         `json:"key_hash"`
		Metadata map[string]any `json:"metadata"`
		Enabled  *bool          `json:"enabled"`
		ID       string         `json:"id"`
	}
	if r.ContentLength != 0 {
		if err := decodeBody(r, &body); err != nil {
			return nil, err
		}
	}
	if body.User == "" {
		body.User = a.requester(r)
	}
	key := ""
	if body.KeyHash == "" {
		var err error
		if key, err = apikey.Generate(); err != nil {
			return nil, err
		}
		body.KeyHash = apikey.Hash(key)
	}
	id := body.ID
	if !model.IsID(id) {
		id = model.NewID()
	}
	k := &model.APIKey{ID: id, UID: "api_key:" + body.KeyHash, User: body.User, KeyHash: body.KeyHash,
		Metadata: body.Metadata, CreatedAt: model.Now(), Enabled: body.Enabled == nil || *body.Enabled}
	if k.Metadata == nil {
		k.Metadata = map[string]any{}
	}
	if err := a.opts.Store.APIKeys().Create(r.Context(), k); err != nil {
		if errors.Is(err, store.ErrConflict) {
			return nil, &apiError{status: http.StatusConflict, msg: "ApiKey with id " + id + " already exists"}
		}
		return nil, err
	}
	// The key itself is shown this once and never stored.
	resp := map[string]any{"id": k.ID, "uid": k.UID, "user": k.User, "key": key, "metadata": k.Metadata,
		"created_at": k.CreatedAt, "enabled": k.Enabled}
	if key == "" {
		resp["key"] = nil
	}
	return created(resp)
}

func (a *API) updateAPIKey(r *http.Request) (*response, error) {
	old, err := a.findAPIKey(r)
	if err != nil {
		return nil, err
	}
	k := *old
	if err := decodeBody(r, &k); err != nil {
		return nil, err
	}
	if k.KeyHash == "" || k.KeyHash == masked {
		k.KeyHash = old.KeyHash
	}
	if k.KeyHash != old.KeyHash {
		return nil, badRequest("Update of key_hash is not allowed.")
	}
	k.ID, k.UID, k.CreatedAt = old.ID, old.UID, old.CreatedAt
	if k.User == "" {
		k.User = old.User
	}
	if err := a.opts.Store.APIKeys().Put(r.Context(), &k); err != nil {
		return nil, err
	}
	return ok(apiKeyView(&k, false))
}

func (a *API) deleteAPIKey(r *http.Request) (*response, error) {
	k, err := a.findAPIKey(r)
	if err != nil {
		return nil, err
	}
	if err := a.opts.Store.APIKeys().Delete(r.Context(), k.ID); err != nil {
		return nil, err
	}
	return &response{status: http.StatusNoContent, raw: []byte{}}, nil
}
