package app

import (
	"net/http"
	"strings"
	"time"
)

// servers returns one HTTP server per listener, each answering at the
// paths StackStorm's clients use for it:
//
//	api     /api/v1/..., /v1/..., /...  (API); /stream/v1/... (stream); /auth/... (auth)
//	stream  /v1/stream, /stream, /v1/executions/{id}/output, /stream/v1/...
//	auth    /tokens, /v1/tokens, /auth/v1/tokens
func (a *App) servers() map[string]*http.Server {
	auth := http.HandlerFunc(a.serveAuth)
	apiMux := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		p := r.URL.Path
		switch {
		case hasPrefix(p, "/stream/v1"):
			serveStripped(a.stream, "/stream/v1", w, r)
		case hasPrefix(p, "/auth"):
			auth(w, r)
		case hasPrefix(p, "/api/v1"):
			serveStripped(a.api, "/api/v1", w, r)
		case hasPrefix(p, "/v1/stream"):
			// hubot-stackstorm without ST2_STREAM_URL looks for the stream on the API host.
			serveStripped(a.stream, "/v1", w, r)
		case hasPrefix(p, "/v1"):
			serveStripped(a.api, "/v1", w, r)
		case hasPrefix(p, "/api"):
			serveStripped(a.api, "/api", w, r)
		default:
			a.api.ServeHTTP(w, r)
		}
	})
	streamMux := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		p := r.URL.Path
		switch {
		case hasPrefix(p, "/stream/v1"):
			serveStripped(a.stream, "/stream/v1", w, r)
		case hasPrefix(p, "/v1"):
			serveStripped(a.stream, "/v1", w, r)
		default:
			a.stream.ServeHTTP(w, r)
		}
	})
	mk := func(h http.Handler) *http.Server {
		return &http.Server{Handler: withCommonHeaders(a.cfg.API.AllowOrigin, h), ReadHeaderTimeout: 30 * time.Second}
	}
	return map[string]*http.Server{"api": mk(apiMux), "stream": mk(streamMux), "auth": mk(auth)}
}

func hasPrefix(path, prefix string) bool {
	return path == prefix || strings.HasPrefix(path, prefix+"/")
}

func serveStripped(h http.Handler, prefix string, w http.ResponseWriter, r *http.Request) {
	r2 := r.Clone(r.Context())
	r2.URL.Path = strings.TrimPrefix(r.URL.Path, prefix)
	if r2.URL.Path == "" {
		r2.URL.Path = "/"
	}
	r2.URL.RawPath = ""
	h.ServeHTTP(w, r2)
}

// withCommonHeaders adds StackStorm's CORS and request-id headers.
func withCommonHeaders(origins []string, h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		origin := r.Header.Get("Origin")
		allowed := ""
		for _, o := range origins {
			if o == "*" || o == origin {
				allowed = origin
			}
		}
		if allowed == "" && len(origins) > 0 {
			allowed = origins[0]
		}
		hd := w.Header()
		if allowed != "" {
			hd.Set("Access-Control-Allow-Origin", allowed)
		}
		hd.Set("Access-Control-Allow-Methods", "GET,POST,PUT,DELETE,OPTIONS")
		hd.Set("Access-Control-Allow-Headers", "Content-Type,Authorization,X-Auth-Token,St2-Api-Key,X-Request-ID")
		hd.Set("Access-Control-Expose-Headers", "Content-Type,X-Limit,X-Total-Count,X-Request-ID")
		id := r.Header.Get("X-Request-ID")
		if id == "" {
			id = newRequestID()
		}
		hd.Set("X-Request-ID", id)
		if r.Method == http.MethodOptions {
			w.WriteHeader(http.StatusOK)
			return
		}
		h.ServeHTTP(w, r)
	})
}

// serveAuth answers the auth routes. Token authentication is not built
// yet (docs/differences.md); until it is, the API does not require tokens
// and this says so plainly.
func (a *App) serveAuth(w http.ResponseWriter, _ *http.Request) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(http.StatusNotImplemented)
	w.Write([]byte(`{"faultstring": "st2go does not issue tokens yet: authentication is not enforced by this build, so API calls need no token"}`))
}
