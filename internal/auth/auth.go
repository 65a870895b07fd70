// Package auth authenticates st2go's users and clients the way StackStorm
// does: tokens issued by POST /tokens (HTTP Basic against an auth backend
// in standalone mode, or a user named by a trusted proxy), API keys stored
// as StackStorm's salted SHA-512 hash, and short-lived service tokens for
// executions. Requests carry credentials as the X-Auth-Token header, the
// x-auth-token query parameter or the auth-token cookie (tokens), or the
// St2-Api-Key header or st2-api-key query parameter (keys).
//
// Subpackages: htpasswd (the flat_file backend's file format), apikey (key
// generation and hashing). It imports model and store.
package auth

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/st2go/st2go/internal/auth/apikey"
	"github.com/st2go/st2go/internal/model"
	"github.com/st2go/st2go/internal/store"
)

// Backend checks a user's password (StackStorm's standalone auth backends).
type Backend interface {
	Authenticate(user, password string) bool
}

// Options configure a Service.
type Options struct {
	Store store.Backend
	// Enabled is [auth] enable: when false every request acts as SystemUser.
	Enabled bool
	// Mode is "standalone" or "proxy".
	Mode            string
	Backend         Backend
	TokenTTL        time.Duration // [auth] token_ttl: default and maximum
	ServiceTokenTTL time.Duration // [auth] service_token_ttl
	SystemUser      string
}

// Service issues and checks credentials.
type Service struct{ opts Options }

// New returns a Service.
func New(opts Options) *Service { return &Service{opts: opts} }

// Enabled reports whether requests must carry credentials.
func (s *Service) Enabled() bool { return s.opts.Enabled }

// Identity is who a request acts for and how it proved it.
type Identity struct {
	User string
	// Method is "authentication token" or "api key" (StackStorm's words),
	// or "" when auth is off.
	Method string
	// Location is where the credential came from: "header", "query" or "cookie".
	Location string
	Token    *model.Token
	APIKey   *model.APIKey
}

// Error is an authentication failure; its message is StackStorm's.
type Error struct {
	Status int // 401, or 400 for a bad request such as a too-long ttl
	Msg    string
}

func (e *Error) Error() string { return e.Msg }

func unauthorized(msg string) error {
	if msg == "" {
		return &Error{Status: http.StatusUnauthorized, Msg: "Unauthorized"}
	}
	return &Error{Status: http.StatusUnauthorized, Msg: "Unauthorized - " + msg}
}

// Credential names, as StackStorm's API spec declares them.
const (
	HeaderToken  = "X-Auth-Token"
	QueryToken   = "x-auth-token"
	CookieToken  = "auth-token"
	HeaderAPIKey = "St2-Api-Key"
	QueryAPIKey  = "st2-api-key"
)

// Authenticate finds and checks the credentials of a request. With auth
// off it returns the system user.
func (s *Service) Authenticate(ctx context.Context, r *http.Request) (*Identity, error) {
	if !s.opts.Enabled {
		return &Identity{User: s.opts.SystemUser}, nil
	}
	q := r.URL.Query()
	if tok, loc := firstOf(r.Header.Get(HeaderToken), "header", q.Get(QueryToken), "query", cookie(r, CookieToken), "cookie"); tok != "" {
		t, err := s.ValidateToken(ctx, tok)
		if err != nil {
			return nil, err
		}
		return &Identity{User: t.User, Method: "authentication token", Location: loc, Token: t}, nil
	}
	if key, loc := firstOf(r.Header.Get(HeaderAPIKey), "header", q.Get(QueryAPIKey), "query"); key != "" {
		k, err := s.ValidateAPIKey(ctx, key)
		if err != nil {
			return nil, err
		}
		return &Identity{User: k.User, Method: "api key", Location: loc, APIKey: k}, nil
	}
	return nil, unauthorized("One of Token or API key required.")
}

func firstOf(pairs ...string) (string, string) {
	for i := 0; i+1 < len(pairs); i += 2 {
		if pairs[i] != "" {
			return pairs[i], pairs[i+1]
		}
	}
	return "", ""
}

func cookie(r *http.Request, name string) string {
	c, err := r.Cookie(name)
	if err != nil {
		return ""
	}
	return c.Value
}

// ValidateToken returns the token record of a live token.
func (s *Service) ValidateToken(ctx context.Context, token string) (*model.Token, error) {
	t, err := s.opts.Store.Tokens().Get(ctx, token)
	if errors.Is(err, store.ErrNotFound) {
		return nil, unauthorized("Token has expired or does not exist.")
	}
	if err != nil {
		return nil, fmt.Errorf("validating token: %w", err)
	}
	if !t.Expiry.After(time.Now()) {
		return nil, unauthorized("Token has expired.")
	}
	return t, nil
}

// ValidateAPIKey returns the record of an enabled API key. It accepts the
// key itself, as StackStorm does.
func (s *Service) ValidateAPIKey(ctx context.Context, key string) (*model.APIKey, error) {
	k, err := s.opts.Store.APIKeys().GetByHash(ctx, apikey.Hash(key))
	if errors.Is(err, store.ErrNotFound) {
		return nil, unauthorized("ApiKey with key_hash=" + apikey.Hash(key) + " not found.")
	}
	if err != nil {
		return nil, fmt.Errorf("validating API key: %w", err)
	}
	if !k.Enabled {
		return nil, unauthorized("API key is disabled.")
	}
	return k, nil
}

// IssueToken creates a token for user. ttl 0 means [auth] token_ttl; a ttl
// above it is refused (400) as StackStorm does.
func (s *Service) IssueToken(ctx context.Context, user string, ttl time.Duration, metadata map[string]any) (*model.Token, error) {
	if ttl == 0 {
		ttl = s.opts.TokenTTL
	}
	if ttl > s.opts.TokenTTL {
		return nil, &Error{Status: http.StatusBadRequest, Msg: fmt.Sprintf("TTL specified %d is greater than max allowed %d.",
			int(ttl.Seconds()), int(s.opts.TokenTTL.Seconds()))}
	}
	return s.issue(ctx, user, ttl, metadata, false)
}

// IssueServiceToken creates the short-lived token an execution acts with.
func (s *Service) IssueServiceToken(ctx context.Context, user string, metadata map[string]any) (*model.Token, error) {
	return s.issue(ctx, user, s.opts.ServiceTokenTTL, metadata, true)
}

func (s *Service) issue(ctx context.Context, user string, ttl time.Duration, metadata map[string]any, service bool) (*model.Token, error) {
	if user == "" {
		return nil, errors.New("issuing a token: no user")
	}
	var b [16]byte
	if _, err := rand.Read(b[:]); err != nil {
		return nil, fmt.Errorf("issuing a token: %w", err)
	}
	if metadata == nil {
		metadata = map[string]any{}
	}
	t := &model.Token{
		ID: model.NewID(), User: user, Token: hex.EncodeToString(b[:]),
		Expiry: model.Time{Time: time.Now().UTC().Add(ttl).Truncate(time.Microsecond)}, Metadata: metadata, Service: service,
	}
	if err := s.opts.Store.Tokens().Create(ctx, t); err != nil {
		return nil, fmt.Errorf("issuing a token for %s: %w", user, err)
	}
	return t, nil
}

// RevokeToken deletes a token; an unknown one is not an error.
func (s *Service) RevokeToken(ctx context.Context, token string) error {
	if err := s.opts.Store.Tokens().Delete(ctx, token); err != nil && !errors.Is(err, store.ErrNotFound) {
		return fmt.Errorf("revoking a token: %w", err)
	}
	return nil
}

// Login checks the credentials of a POST /tokens request and returns the
// user to issue a token for: HTTP Basic against the backend in standalone
// mode; in proxy mode the user the front end names (REMOTE_USER or
// X-Forwarded-User), or the user part of a Basic header.
func (s *Service) Login(r *http.Request) (string, error) {
	user, password, hasBasic := r.BasicAuth()
	if s.opts.Mode == "proxy" {
		for _, h := range []string{"Remote-User", "X-Forwarded-User"} {
			if v := strings.TrimSpace(r.Header.Get(h)); v != "" {
				return v, nil
			}
		}
		if hasBasic && user != "" {
			return user, nil
		}
		return "", unauthorized("")
	}
	if !hasBasic || user == "" {
		return "", &Error{Status: http.StatusUnauthorized, Msg: "Invalid or missing credentials"}
	}
	if s.opts.Backend == nil || !s.opts.Backend.Authenticate(user, password) {
		return "", &Error{Status: http.StatusUnauthorized, Msg: "Invalid or missing credentials"}
	}
	return user, nil
}
