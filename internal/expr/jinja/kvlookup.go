package jinja

import (
	"context"
	"strings"

	"github.com/st2go/st2go/internal/expr"
)

// KVLookup is StackStorm's st2kv.system and st2kv.user template
// variables (KeyValueLookup, UserKeyValueLookup): every attribute or
// item names a longer key ("st2kv.system.a.b" reads key "a.b"), is read
// from the datastore when looked up, and renders as the stored value, ""
// when there is none (never an undefined error). Encrypted values render
// as stored; the decrypt_kv filter decrypts them. A system lookup also
// converts to numbers (| int, | float); a user lookup does not, as in
// StackStorm.
type KVLookup struct {
	ds    expr.Datastore
	scope string // "system" or "user"
	user  string
	key   string // "" at the root
	value string
	found bool
}

// NewKVLookup returns the root lookup of a scope ("system" or "user");
// user is the owner of user-scoped keys (and whose permissions apply).
func NewKVLookup(ds expr.Datastore, scope, user string) *KVLookup {
	return &KVLookup{ds: ds, scope: scope, user: user}
}

var (
	_ Attributer    = (*KVLookup)(nil)
	_ expr.KVRef    = (*KVLookup)(nil)
	_ expr.Stringer = (*KVLookup)(nil)
)

// TypeName implements expr.Object.
func (k *KVLookup) TypeName() string {
	if k.scope == "user" {
		return "UserKeyValueLookup"
	}
	return "KeyValueLookup"
}

// Repr implements expr.Object.
func (k *KVLookup) Repr() string {
	return "<st2common.services.keyvalues." + k.TypeName() + " object>"
}

// PyStr is the stored value.
func (k *KVLookup) PyStr() string { return k.value }

// Attr reads the key one level deeper.
func (k *KVLookup) Attr(ctx context.Context, name string) (any, bool, error) {
	key := name
	if k.key != "" {
		key = k.key + "." + name
	}
	child := &KVLookup{ds: k.ds, scope: k.scope, user: k.user, key: key}
	if k.ds == nil {
		return nil, false, expr.ErrNoDatastore
	}
	v, found, err := k.ds.Lookup(ctx, k.scope, key, k.user, false)
	if err != nil {
		return nil, false, err
	}
	child.value, child.found = v, found
	return child, true, nil
}

// KVName is the key as templates name it: "st2kv.system.key".
func (k *KVLookup) KVName() string {
	return "st2kv." + k.scope + "." + k.key
}

// KVValue is the stored value and whether the key exists.
func (k *KVLookup) KVValue(ctx context.Context) (string, bool, error) {
	return k.value, k.found, nil
}

// number converts a system lookup as Python's int()/float() of it do.
func (k *KVLookup) number() (float64, bool) {
	if k.scope == "user" {
		return 0, false
	}
	f, err := expr.ToFloat(strings.TrimSpace(k.value))
	return f, err == nil
}
