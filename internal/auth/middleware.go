package auth

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"time"
)

type identityKey struct{}

// WithIdentity returns a context carrying id.
func WithIdentity(ctx context.Context, id *Identity) context.Context {
	return context.WithValue(ctx, identityKey{}, id)
}

// FromContext returns the identity a request was authenticated as, or nil.
func FromContext(ctx context.Context) *Identity {
	id, _ := ctx.Value(identityKey{}).(*Identity)
	return id
}

// CookieOptions are [api] auth_cookie_secure and auth_cookie_same_site.
type CookieOptions struct {
	Secure   bool
	SameSite string // strict, lax, none or unset
}

// Middleware authenticates every request before next sees it and answers
// 401 with StackStorm's {"faultstring": ...} body when it fails. Requests
// for which open returns true pass without credentials. A request
// authenticated with a token gets the auth-token cookie (for st2web).
func (s *Service) Middleware(open func(*http.Request) bool, cookie CookieOptions, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method == http.MethodOptions || (open != nil && open(r)) {
			next.ServeHTTP(w, r)
			return
		}
		id, err := s.Authenticate(r.Context(), r)
		if err != nil {
			WriteError(w, err)
			return
		}
		if id.Token != nil && id.Location != "cookie" {
			setCookie(w, id.Token.Token, id.Token.Expiry.Time, cookie)
		}
		next.ServeHTTP(w, r.WithContext(WithIdentity(r.Context(), id)))
	})
}

func setCookie(w http.ResponseWriter, token string, expiry time.Time, o CookieOptions) {
	c := &http.Cookie{Name: CookieToken, Value: token, Path: "/", HttpOnly: true, Secure: o.Secure,
		MaxAge: int(time.Until(expiry).Seconds())}
	switch o.SameSite {
	case "strict":
		c.SameSite = http.SameSiteStrictMode
	case "lax":
		c.SameSite = http.SameSiteLaxMode
	case "none":
		c.SameSite = http.SameSiteNoneMode
	}
	http.SetCookie(w, c)
}

// WriteError writes an auth failure as StackStorm does; other errors are a 500.
func WriteError(w http.ResponseWriter, err error) {
	status, msg := http.StatusInternalServerError, "Internal Server Error"
	var ae *Error
	if errors.As(err, &ae) {
		status, msg = ae.Status, ae.Msg
	}
	b, _ := json.Marshal(map[string]string{"faultstring": msg})
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	w.Write(b)
}
