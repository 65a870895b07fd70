package app

import (
	"log/slog"
	"net/http"
	"net/url"

	"github.com/st2go/st2go/internal/auth"
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
	cookie := auth.CookieOptions{Secure: a.cfg.API.AuthCookieSecure, SameSite: a.cfg.API.AuthCookieSameSite}
	// Every route needs a token or an API key when auth is on, except
	// asking for a token, as in StackStorm's API spec.
	guarded := func(h http.Handler) http.Handler { return a.auth.Middleware(nil, cookie, h) }
	api, stream := guarded(a.api), guarded(a.stream)
	apiMux := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		p := r.URL.Path
		switch {
		case hasPrefix(p, "/stream/v1"):
			serveStripped(stream, "/stream/v1", w, r)
		case hasPrefix(p, "/auth/v1"):
			serveStripped(a.authAPI, "/auth/v1", w, r)
		case hasPrefix(p, "/auth"):
			serveStripped(a.authAPI, "/auth", w, r)
		case hasPrefix(p, "/api/v1"):
			serveStripped(api, "/api/v1", w, r)
		case hasPrefix(p, "/v1/stream"):
			// hubot-stackstorm without ST2_STREAM_URL looks for the stream on the API host.
			serveStripped(stream, "/v1", w, r)
		case hasPrefix(p, "/v1"):
			serveStripped(api, "/v1", w, r)
		case hasPrefix(p, "/api"):
			serveStripped(api, "/api", w, r)
		default:
			api.ServeHTTP(w, r)
		}
	})
	streamMux := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		p := r.URL.Path
		switch {
		case hasPrefix(p, "/stream/v1"):
			serveStripped(stream, "/stream/v1", w, r)
		case hasPrefix(p, "/v1"):
			serveStripped(stream, "/v1", w, r)
		default:
			stream.ServeHTTP(w, r)
		}
	})
	authMux := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		p := r.URL.Path
		switch {
		case hasPrefix(p, "/auth/v1"):
			serveStripped(a.authAPI, "/auth/v1", w, r)
		case hasPrefix(p, "/v1"):
			serveStripped(a.authAPI, "/v1", w, r)
		default:
			a.authAPI.ServeHTTP(w, r)
		}
	})
	mk := func(h http.Handler) *http.Server {
		return &http.Server{Handler: a.accessLog(withCommonHeaders(a.cfg.API.AllowOrigin, h)), ReadHeaderTimeout: 30 * time.Second}
	}
	return map[string]*http.Server{"api": mk(apiMux), "stream": mk(streamMux), "auth": mk(authMux)}
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

// accessLog logs each request at debug level: method, path, the query
// with credentials masked, status and duration. Headers are never logged,
// so Authorization, X-Auth-Token and St2-Api-Key values cannot leak.
func (a *App) accessLog(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !a.log.Enabled(r.Context(), slog.LevelDebug) {
			h.ServeHTTP(w, r)
			return
		}
		start := time.Now()
		rec := &statusWriter{ResponseWriter: w, status: http.StatusOK}
		h.ServeHTTP(rec, r)
		a.log.Debug("request", "method", r.Method, "path", r.URL.Path, "query", maskedQuery(r.URL.Query()),
			"status", rec.status, "duration_ms", time.Since(start).Milliseconds(),
			"request_id", w.Header().Get("X-Request-ID"), "remote", r.RemoteAddr)
	})
}

// maskedQuery renders a query string with credential parameters masked.
func maskedQuery(q url.Values) string {
	for _, k := range []string{"x-auth-token", "st2-api-key", "password", "token"} {
		if q.Has(k) {
			q.Set(k, "********")
		}
	}
	return q.Encode()
}

// statusWriter remembers the status a handler wrote; it passes Flush on
// so the stream keeps working through it.
type statusWriter struct {
	http.ResponseWriter
	status int
}

func (s *statusWriter) WriteHeader(code int) {
	s.status = code
	s.ResponseWriter.WriteHeader(code)
}

func (s *statusWriter) Flush() {
	if f, ok := s.ResponseWriter.(http.Flusher); ok {
		f.Flush()
	}
}
