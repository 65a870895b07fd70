package app

import (
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"github.com/st2go/st2go/internal/auth"
	"github.com/st2go/st2go/internal/auth/htpasswd"
	"github.com/st2go/st2go/internal/config"
)

// authEnabled says whether requests must carry credentials. Without a
// config file st2d runs with auth off (it listens on loopback only, and
// says so loudly at start) unless [auth] enable is set through the
// environment; with a config file, StackStorm's default (on) applies.
func authEnabled(cfg *config.Config) bool {
	if cfg.Path() == "" {
		if v, ok := cfg.Lookup("auth", "enable"); !ok || v.Source == config.SourceDefault {
			return false
		}
	}
	return cfg.Auth.Enable
}

// newAuth builds the auth service [auth] describes.
func newAuth(a *App) (*auth.Service, error) {
	cfg := a.cfg
	opts := auth.Options{
		Store: a.store, Enabled: authEnabled(cfg), Mode: cfg.Auth.Mode, SystemUser: cfg.SystemUser.User,
		TokenTTL: time.Duration(cfg.Auth.TokenTTL) * time.Second, ServiceTokenTTL: time.Duration(cfg.Auth.ServiceTokenTTL) * time.Second,
	}
	if opts.Enabled && opts.Mode != "proxy" {
		backend, err := authBackend(cfg.Auth.Backend, cfg.Auth.BackendKwargs)
		if err != nil {
			return nil, err
		}
		opts.Backend = backend
	}
	return auth.New(opts), nil
}

// flatFile is StackStorm's flat_file backend: an htpasswd file.
type flatFile struct{ f *htpasswd.File }

func (b flatFile) Authenticate(user, password string) bool { return b.f.Verify(user, password) }

func authBackend(name, kwargs string) (auth.Backend, error) {
	switch name {
	case "flat_file":
		var args struct {
			FilePath string `json:"file_path"`
		}
		if strings.TrimSpace(kwargs) != "" {
			if err := json.Unmarshal([]byte(kwargs), &args); err != nil {
				return nil, fmt.Errorf("[auth] backend_kwargs is not valid JSON: %w", err)
			}
		}
		if args.FilePath == "" {
			return nil, fmt.Errorf(`[auth] backend = flat_file needs backend_kwargs = {"file_path": "/path/to/htpasswd"}`)
		}
		f, err := htpasswd.Load(args.FilePath)
		if err != nil {
			return nil, fmt.Errorf("[auth] flat_file backend: %w", err)
		}
		return flatFile{f}, nil
	default:
		return nil, fmt.Errorf("[auth] backend = %s: st2go supports the flat_file backend (an htpasswd file) so far", name)
	}
}
