// Package datastore is StackStorm's key-value store: items in the system
// scope or in a user's own scope, listed by prefix, expiring after a TTL,
// and, when marked secret, encrypted with the key file StackStorm uses
// (package crypto), so values and keys move between StackStorm and st2go.
//
// Every change is announced as a core.st2.key_value_pair.* trigger
// instance for the rules engine. Templates read values through Lookup.
// It imports model, store, bus and crypto.
package datastore

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"time"

	"github.com/st2go/st2go/internal/bus"
	"github.com/st2go/st2go/internal/datastore/crypto"
	"github.com/st2go/st2go/internal/model"
	"github.com/st2go/st2go/internal/store"
)

// Options configure the service.
type Options struct {
	Store store.Backend
	Bus   bus.Backend
	// Key encrypts secret values; nil when [keyvalue] has no usable key.
	Key *crypto.Key
	// KeyPath is where the key was looked for, for error messages.
	KeyPath string
	Logger  *slog.Logger
}

// Service reads and writes datastore items.
type Service struct {
	opts Options
	log  *slog.Logger
}

// New returns the service.
func New(opts Options) *Service {
	l := opts.Logger
	if l == nil {
		l = slog.New(slog.DiscardHandler)
	}
	return &Service{opts: opts, log: l.With("component", "datastore")}
}

// Scope names as clients send them.
const (
	scopeSystem = "system"
	scopeUser   = "user"
	// ScopeAll asks a list for both scopes.
	ScopeAll = "all"
)

// InvalidError is a request the caller got wrong (HTTP 400).
type InvalidError struct{ Msg string }

func (e *InvalidError) Error() string { return e.Msg }

// NotFoundError is a missing item, with StackStorm's message (HTTP 404).
type NotFoundError struct{ Msg string }

func (e *NotFoundError) Error() string { return e.Msg }

// FullScope turns a scope as clients send it (system, user, st2kv.system,
// st2kv.user, all) into the stored name; "" means system.
func FullScope(scope string) (string, error) {
	switch scope {
	case "", scopeSystem, model.ScopeSystem:
		return model.ScopeSystem, nil
	case scopeUser, model.ScopeUser:
		return model.ScopeUser, nil
	case ScopeAll:
		return ScopeAll, nil
	}
	return "", &InvalidError{Msg: fmt.Sprintf("Invalid scope \"%s\"! Allowed scopes are ['st2kv.system', 'st2kv.user'].", scope)}
}

// storedName is the name an item has in the store: "<user>:<name>" in
// the user scope, as StackStorm stores it.
func storedName(scope, name, user string) string {
	if scope == model.ScopeUser {
		return user + ":" + name
	}
	return name
}

// view is an item as the API shows it: user-scope names split into user
// and name, and the value decrypted only when asked to.
func (s *Service) view(kv *model.KeyValuePair, decrypt bool) (*model.KeyValuePair, error) {
	v := *kv
	v.Encrypted = v.Secret
	if decrypt && v.Secret {
		plain, err := s.decrypt(kv)
		if err != nil {
			return nil, err
		}
		v.Value, v.Encrypted = plain, false
	}
	if v.Scope == model.ScopeUser {
		if u, n, ok := strings.Cut(v.Name, ":"); ok {
			v.User, v.Name = u, n
		}
	}
	return &v, nil
}

func (s *Service) decrypt(kv *model.KeyValuePair) (string, error) {
	if s.opts.Key == nil {
		return "", &InvalidError{Msg: fmt.Sprintf("Crypto key not found in %s. Unable to encrypt / decrypt value for key %s.", s.opts.KeyPath, kv.Name)}
	}
	plain, err := s.opts.Key.Decrypt(kv.Value)
	if err != nil {
		return "", fmt.Errorf("decrypting %s: %w", kv.Name, err)
	}
	return plain, nil
}

// SetRequest is a PUT /keys/<name> body.
type SetRequest struct {
	Name        string `json:"name"`
	Value       string `json:"value"`
	Description string `json:"description"`
	Secret      bool   `json:"secret"`
	// Encrypted stores a value that is already encrypted (migration from StackStorm).
	Encrypted bool   `json:"encrypted"`
	Scope     string `json:"scope"`
	User      string `json:"user"`
	TTL       int    `json:"ttl"`
}

// Set creates or replaces an item for requester and announces the change.
func (s *Service) Set(ctx context.Context, requester string, req SetRequest) (*model.KeyValuePair, error) {
	scope, err := FullScope(req.Scope)
	if err != nil {
		return nil, err
	}
	if scope == ScopeAll {
		scope = model.ScopeSystem
	}
	if req.Name == "" {
		return nil, &InvalidError{Msg: "'name' is a required property"}
	}
	user := req.User
	if user == "" {
		user = requester
	}
	name := storedName(scope, req.Name, user)
	kv := &model.KeyValuePair{Name: name, Value: req.Value, Description: req.Description, Secret: req.Secret || req.Encrypted, Scope: scope}
	kv.UID = "key_value_pair:" + scope + ":" + name
	switch {
	case req.Encrypted:
		// A pre-encrypted value must decrypt with our key, or it is refused.
		if _, err := s.decrypt(kv); err != nil {
			var ie *InvalidError
			if errors.As(err, &ie) {
				return nil, err
			}
			return nil, &InvalidError{Msg: fmt.Sprintf("Failed to verify the integrity of the provided value for key \"%s\". Ensure that the value is encrypted with the correct key and not corrupted.", req.Name)}
		}
	case req.Secret:
		if s.opts.Key == nil {
			return nil, &InvalidError{Msg: fmt.Sprintf("Crypto key not found in %s. Unable to encrypt / decrypt value for key %s.", s.opts.KeyPath, req.Name)}
		}
		enc, err := s.opts.Key.Encrypt(req.Value)
		if err != nil {
			return nil, fmt.Errorf("encrypting %s: %w", req.Name, err)
		}
		kv.Value = enc
	}
	if req.TTL > 0 {
		kv.ExpireTimestamp = model.Time{Time: time.Now().UTC().Add(time.Duration(req.TTL) * time.Second).Truncate(time.Microsecond)}
	}
	if old, err := s.opts.Store.KeyValues().Get(ctx, scope, name); err == nil {
		kv.ID = old.ID
	} else {
		kv.ID = model.NewID()
	}
	old, err := s.opts.Store.KeyValues().Put(ctx, kv)
	if err != nil {
		return nil, fmt.Errorf("saving key %s: %w", req.Name, err)
	}
	if old == nil {
		s.announce(ctx, "create", map[string]any{"object": s.masked(kv)})
	} else {
		s.announce(ctx, "update", map[string]any{"object": s.masked(kv)})
		if old.Value != kv.Value {
			s.announce(ctx, "value_change", map[string]any{"old_object": s.masked(old), "new_object": s.masked(kv)})
		}
	}
	return s.view(kv, false)
}

// masked is an item as trigger payloads carry it: secret values stay encrypted.
func (s *Service) masked(kv *model.KeyValuePair) *model.KeyValuePair {
	v, _ := s.view(kv, false)
	return v
}

// announce publishes a core.st2.key_value_pair.<op> trigger instance.
func (s *Service) announce(ctx context.Context, op string, payload map[string]any) {
	if s.opts.Bus == nil {
		return
	}
	body, err := json.Marshal(map[string]any{
		"trigger": "core.st2.key_value_pair." + op, "payload": payload, "trace_context": nil,
	})
	if err == nil {
		err = s.opts.Bus.Publish(ctx, bus.ExchangeTriggerDispatch, "trigger_instance", body)
	}
	if err != nil {
		s.log.Error("announcing a datastore change", "operation", op, "err", err)
	}
}

// Get returns one item. user defaults to requester for the user scope.
func (s *Service) Get(ctx context.Context, requester, scope, name, user string, decrypt bool) (*model.KeyValuePair, error) {
	full, err := FullScope(scope)
	if err != nil {
		return nil, err
	}
	if full == ScopeAll {
		full = model.ScopeSystem
	}
	if user != "" {
		full = model.ScopeUser
	} else {
		user = requester
	}
	kv, err := s.opts.Store.KeyValues().Get(ctx, full, storedName(full, name, user))
	if errors.Is(err, store.ErrNotFound) {
		return nil, &NotFoundError{Msg: fmt.Sprintf("KeyValuePair with name: %s and scope: %s not found in db.", storedName(full, name, user), full)}
	}
	if err != nil {
		return nil, err
	}
	return s.view(kv, decrypt)
}

// List returns a scope's items (ScopeAll: the system ones, then the
// requester's own) whose names start with prefix.
func (s *Service) List(ctx context.Context, requester, scope, prefix, user string, decrypt bool) ([]*model.KeyValuePair, error) {
	return s.ListNamed(ctx, requester, scope, prefix, "", user, decrypt)
}

// ListNamed is List with an exact name filter as well ("" = any name).
func (s *Service) ListNamed(ctx context.Context, requester, scope, prefix, name, user string, decrypt bool) ([]*model.KeyValuePair, error) {
	full, err := FullScope(scope)
	if err != nil {
		return nil, err
	}
	if user != "" {
		full = model.ScopeUser // naming a user means that user's scope, as in StackStorm
	} else {
		user = requester
	}
	var items []*model.KeyValuePair
	if full == model.ScopeSystem || full == ScopeAll {
		sys, err := s.opts.Store.KeyValues().List(ctx, model.ScopeSystem, prefix)
		if err != nil {
			return nil, err
		}
		items = append(items, sys...)
	}
	if full == model.ScopeUser || full == ScopeAll {
		own, err := s.opts.Store.KeyValues().List(ctx, model.ScopeUser, user+":"+prefix)
		if err != nil {
			return nil, err
		}
		items = append(items, own...)
	}
	out := make([]*model.KeyValuePair, 0, len(items))
	for _, kv := range items {
		v, err := s.view(kv, decrypt)
		if err != nil {
			return nil, err
		}
		if name == "" || v.Name == name {
			out = append(out, v)
		}
	}
	return out, nil
}

// Delete removes an item and announces it.
func (s *Service) Delete(ctx context.Context, requester, scope, name, user string) error {
	full, err := FullScope(scope)
	if err != nil {
		return err
	}
	if full == ScopeAll {
		full = model.ScopeSystem
	}
	if user == "" {
		user = requester
	}
	old, err := s.opts.Store.KeyValues().Delete(ctx, full, storedName(full, name, user))
	if errors.Is(err, store.ErrNotFound) {
		return &NotFoundError{Msg: fmt.Sprintf("KeyValuePair with name: %s and scope: %s not found in db.", storedName(full, name, user), full)}
	}
	if err != nil {
		return err
	}
	s.announce(ctx, "delete", map[string]any{"object": s.masked(old)})
	return nil
}

// Lookup returns an item's value for templates (st2kv.system.x,
// st2kv.user.x): decrypted when decrypt is set, else as stored.
func (s *Service) Lookup(ctx context.Context, scope, name, user string, decrypt bool) (string, bool, error) {
	full, err := FullScope(scope)
	if err != nil {
		return "", false, err
	}
	kv, err := s.opts.Store.KeyValues().Get(ctx, full, storedName(full, name, user))
	if errors.Is(err, store.ErrNotFound) {
		return "", false, nil
	}
	if err != nil {
		return "", false, err
	}
	if decrypt && kv.Secret {
		v, err := s.decrypt(kv)
		return v, err == nil, err
	}
	return kv.Value, true, nil
}

// RunExpiry deletes expired items every interval until ctx ends and
// announces a core.st2.key_value_pair.delete trigger for each, once. An
// expired item is invisible from the moment it expires; this only tidies
// the store and tells the rules engine.
func (s *Service) RunExpiry(ctx context.Context, interval time.Duration) error {
	t := time.NewTicker(interval)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return nil
		case <-t.C:
		}
		gone, err := s.opts.Store.KeyValues().DeleteExpired(ctx, model.Now())
		if err != nil {
			s.log.Error("deleting expired datastore items", "err", err)
			continue
		}
		for _, kv := range gone {
			s.announce(ctx, "delete", map[string]any{"object": s.masked(kv)})
		}
	}
}

// Decrypt decrypts a value encrypted with the datastore key (the
// decrypt_kv filter).
func (s *Service) Decrypt(_ context.Context, ciphertext string) (string, error) {
	return s.decrypt(&model.KeyValuePair{Name: "(value)", Value: ciphertext, Secret: true})
}
