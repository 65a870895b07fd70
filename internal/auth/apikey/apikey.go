// Package apikey makes and hashes API keys exactly as StackStorm does, so
// that keys created by StackStorm (and their stored hashes, moved over
// with "st2 apikey load") keep working.
//
// StackStorm never stores a key, only [Hash] of it: the hex SHA-512 digest
// of the fixed salt "saltnpepper" followed by the key
// (st2common/util/hash.py). A request's key is hashed and looked up by
// that hash. [Generate] makes keys of StackStorm's shape
// (st2common/util/auth.py generate_api_key): 86 characters of unpadded
// base64 encoding the 64 lowercase hex digits of a SHA-256 digest of
// random bytes.
//
// The auth service imports this package; it has no st2go dependencies.
package apikey

import (
	"crypto/rand"
	"crypto/sha256"
	"crypto/sha512"
	"encoding/base64"
	"encoding/hex"
	"fmt"
)

// salt is StackStorm's FIXED_SALT (spelled "saltnpeper" before September
// 2015; every StackStorm release with API keys uses this spelling).
const salt = "saltnpepper"

// Hash returns StackStorm's stored form of an API key: the lowercase hex
// SHA-512 digest of the salt followed by the key's bytes.
//
// StackStorm encodes the key as Latin-1 before hashing and fails on other
// characters; real keys are ASCII, where both agree.
func Hash(key string) string {
	h := sha512.New()
	h.Write([]byte(salt))
	h.Write([]byte(key))
	return hex.EncodeToString(h.Sum(nil))
}

// Generate returns a new random API key shaped like StackStorm's.
func Generate() (string, error) {
	seed := make([]byte, 256)
	if _, err := rand.Read(seed); err != nil {
		return "", fmt.Errorf("generating api key: %w", err)
	}
	return fromSeed(seed), nil
}

// fromSeed turns random bytes into a key the way StackStorm does: the
// hex SHA-256 digest of the seed, base64-encoded as text, without the
// "==" padding. StackStorm's random choice of base64 alternative
// characters never shows: hex digits never encode to the "+" or "/" they
// would replace.
func fromSeed(seed []byte) string {
	sum := sha256.Sum256(seed)
	return base64.RawStdEncoding.EncodeToString([]byte(hex.EncodeToString(sum[:])))
}
