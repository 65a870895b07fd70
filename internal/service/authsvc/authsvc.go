// Package authsvc is st2go's st2auth: POST /tokens issues a token for a
// user the auth service vouches for, POST /tokens/validate checks one. The
// routes have no prefix; the app mounts them at /tokens and /v1/tokens on
// the auth listener and /auth/v1/tokens (and /auth/tokens) on the API one.
package authsvc

import (
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"time"

	"github.com/st2go/st2go/internal/auth"
)

// Handler serves the auth routes.
type Handler struct {
	svc *auth.Service
	mux *http.ServeMux
}

// New returns the handler.
func New(svc *auth.Service) *Handler {
	h := &Handler{svc: svc, mux: http.NewServeMux()}
	h.mux.HandleFunc("POST /tokens", h.createToken)
	h.mux.Handle("POST /tokens/validate", svc.Middleware(nil, auth.CookieOptions{}, http.HandlerFunc(h.validate)))
	return h
}

// IsOpen reports whether a request may reach the auth routes without
// credentials (only token creation: it carries its own).
func IsOpen(r *http.Request) bool {
	return r.Method == http.MethodPost && strings.TrimRight(r.URL.Path, "/") == "/tokens"
}

// ServeHTTP serves a request whose path has no prefix.
func (h *Handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if len(r.URL.Path) > 1 && strings.HasSuffix(r.URL.Path, "/") {
		r2 := r.Clone(r.Context())
		r2.URL.Path = strings.TrimRight(r.URL.Path, "/")
		r = r2
	}
	h.mux.ServeHTTP(w, r)
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	b, _ := json.Marshal(v)
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	w.Write(b)
}

func fault(w http.ResponseWriter, status int, msg string) {
	writeJSON(w, status, map[string]string{"faultstring": msg})
}

func (h *Handler) createToken(w http.ResponseWriter, r *http.Request) {
	var body struct {
		TTL      *int           `json:"ttl"`
		Metadata map[string]any `json:"metadata"`
	}
	data, err := io.ReadAll(io.LimitReader(r.Body, 1<<20))
	if err != nil {
		fault(w, http.StatusBadRequest, "reading the request body: "+err.Error())
		return
	}
	// Clients send {}, {"ttl": N}, or nothing at all (hubot posts an empty form).
	if len(strings.TrimSpace(string(data))) > 0 && strings.Contains(r.Header.Get("Content-Type"), "json") {
		if err := json.Unmarshal(data, &body); err != nil {
			fault(w, http.StatusBadRequest, "invalid JSON body: "+err.Error())
			return
		}
	}
	if body.TTL != nil && *body.TTL < 1 {
		fault(w, http.StatusBadRequest, "ttl must be at least 1 second")
		return
	}
	user, err := h.svc.Login(r)
	if err != nil {
		auth.WriteError(w, err)
		return
	}
	var ttl time.Duration
	if body.TTL != nil {
		ttl = time.Duration(*body.TTL) * time.Second
	}
	tok, err := h.svc.IssueToken(r.Context(), user, ttl, body.Metadata)
	if err != nil {
		auth.WriteError(w, err)
		return
	}
	writeJSON(w, http.StatusCreated, map[string]any{
		"id": tok.ID, "user": tok.User, "token": tok.Token, "expiry": tok.Expiry, "metadata": tok.Metadata,
	})
}

func (h *Handler) validate(w http.ResponseWriter, r *http.Request) {
	var body struct {
		Token string `json:"token"`
	}
	if err := json.NewDecoder(r.Body).Decode(&body); err != nil {
		fault(w, http.StatusBadRequest, "invalid JSON body: "+err.Error())
		return
	}
	_, err := h.svc.ValidateToken(r.Context(), body.Token)
	writeJSON(w, http.StatusOK, map[string]bool{"valid": err == nil})
}
