package model

// Token is an auth token (StackStorm's TokenAPI). Service tokens are the
// short-lived ones st2go gives each execution.
type Token struct {
	ID       string         `json:"id"`
	User     string         `json:"user"`
	Token    string         `json:"token"`
	Expiry   Time           `json:"expiry"`
	Metadata map[string]any `json:"metadata"`
	Service  bool           `json:"service,omitempty"`
}

// APIKey is an API key record (StackStorm's ApiKeyAPI). Only the hash of
// the key is stored.
type APIKey struct {
	ID        string         `json:"id"`
	UID       string         `json:"uid"`
	User      string         `json:"user"`
	KeyHash   string         `json:"key_hash"`
	Metadata  map[string]any `json:"metadata"`
	CreatedAt Time           `json:"created_at"`
	Enabled   bool           `json:"enabled"`
}

// KeyValue scopes, as StackStorm names them.
const (
	ScopeSystem = "st2kv.system"
	ScopeUser   = "st2kv.user"
)

// KeyValuePair is a datastore item (StackStorm's KeyValuePairAPI). For the
// user scope, Name is "<user>:<name>" as StackStorm stores it.
type KeyValuePair struct {
	ID              string `json:"id"`
	UID             string `json:"uid"`
	Name            string `json:"name"`
	Description     string `json:"description,omitempty"`
	Value           string `json:"value"`
	Secret          bool   `json:"secret"`
	Encrypted       bool   `json:"encrypted"`
	Scope           string `json:"scope"`
	User            string `json:"user,omitempty"`
	ExpireTimestamp Time   `json:"expire_timestamp,omitzero"`
}
