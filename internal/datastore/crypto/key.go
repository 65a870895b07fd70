package crypto

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/rand"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"strconv"
	"strings"
)

const (
	modeCBC        = "CBC"
	minKeySize     = 128 // bits; StackStorm's MINIMUM_AES_KEY_SIZE
	defaultKeySize = 256 // bits; what st2-generate-symmetric-crypto-key makes
)

// Key is a StackStorm datastore encryption key: an AES key for CBC mode
// and an HMAC-SHA1 key.
type Key struct {
	// The fields as read, so that Marshal gives back the same strings.
	aesKeyString  string
	hmacKeyString string
	hmacKeySize   int
	size          int

	block   cipher.Block
	hmacKey []byte
}

// LoadKey reads a key file as written by st2-generate-symmetric-crypto-key
// (or by keyczar).
func LoadKey(path string) (*Key, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("reading crypto key: %w", err)
	}
	k, err := ParseKey(data)
	if err != nil {
		return nil, fmt.Errorf("reading crypto key %s: %w", path, err)
	}
	return k, nil
}

// keyFile is the JSON shape of a key file. Pointers tell a missing field
// from an empty one.
type keyFile struct {
	HMACKey *struct {
		HMACKeyString *string         `json:"hmacKeyString"`
		Size          json.RawMessage `json:"size"`
	} `json:"hmacKey"`
	AESKeyString *string         `json:"aesKeyString"`
	Mode         *string         `json:"mode"`
	Size         json.RawMessage `json:"size"`
}

// ParseKey parses the JSON content of a key file.
func ParseKey(data []byte) (*Key, error) {
	var f keyFile
	if err := json.Unmarshal(data, &f); err != nil {
		return nil, fmt.Errorf("parsing key file JSON: %w", err)
	}
	switch {
	case f.HMACKey == nil:
		return nil, errors.New(`key file has no "hmacKey"`)
	case f.HMACKey.HMACKeyString == nil:
		return nil, errors.New(`key file has no "hmacKey"."hmacKeyString"`)
	case f.HMACKey.Size == nil:
		return nil, errors.New(`key file has no "hmacKey"."size"`)
	case f.AESKeyString == nil:
		return nil, errors.New(`key file has no "aesKeyString"`)
	case f.Mode == nil:
		return nil, errors.New(`key file has no "mode"`)
	case f.Size == nil:
		return nil, errors.New(`key file has no "size"`)
	}
	hmacSize, err := parseSize(f.HMACKey.Size)
	if err != nil {
		return nil, fmt.Errorf(`reading "hmacKey"."size": %w`, err)
	}
	size, err := parseSize(f.Size)
	if err != nil {
		return nil, fmt.Errorf(`reading "size": %w`, err)
	}
	if mode := strings.ToUpper(*f.Mode); mode != modeCBC {
		return nil, fmt.Errorf("unsupported mode %q (only CBC)", *f.Mode)
	}
	if size < minKeySize {
		return nil, fmt.Errorf("unsafe key size %d (at least %d)", size, minKeySize)
	}
	aesKey, err := decodeKeyString(*f.AESKeyString)
	if err != nil {
		return nil, fmt.Errorf(`decoding "aesKeyString": %w`, err)
	}
	hmacKey, err := decodeKeyString(*f.HMACKey.HMACKeyString)
	if err != nil {
		return nil, fmt.Errorf(`decoding "hmacKey"."hmacKeyString": %w`, err)
	}
	if len(hmacKey) == 0 {
		return nil, errors.New(`"hmacKey"."hmacKeyString" is empty`)
	}
	block, err := aes.NewCipher(aesKey)
	if err != nil {
		return nil, fmt.Errorf(`"aesKeyString" is %d bytes, want 16, 24 or 32`, len(aesKey))
	}
	return &Key{
		aesKeyString:  *f.AESKeyString,
		hmacKeyString: *f.HMACKey.HMACKeyString,
		hmacKeySize:   hmacSize,
		size:          size,
		block:         block,
		hmacKey:       hmacKey,
	}, nil
}

// parseSize reads a size field the way Python's int() does for the
// values it can hold: a JSON integer or a string of decimal digits.
func parseSize(raw json.RawMessage) (int, error) {
	var s string
	if err := json.Unmarshal(raw, &s); err != nil {
		s = string(raw) // not a string: take the number's text
	}
	n, err := strconv.Atoi(strings.TrimSpace(s))
	if err != nil {
		return 0, fmt.Errorf("%s is not an integer", raw)
	}
	return n, nil
}

// decodeKeyString decodes keyczar's web-safe base64: padding optional,
// whitespace and line breaks ignored. Like Python's urlsafe_b64decode it
// also takes the standard alphabet's "+" and "/".
func decodeKeyString(s string) ([]byte, error) {
	s = strings.Map(func(r rune) rune {
		switch r {
		case ' ', '\n', '\r', '\t', '\v', '\f', '=':
			return -1
		case '+':
			return '-'
		case '/':
			return '_'
		}
		return r
	}, s)
	return base64.RawURLEncoding.DecodeString(s)
}

// GenerateKey makes a new random key as st2-generate-symmetric-crypto-key
// does: 256-bit AES and HMAC keys.
func GenerateKey() (*Key, error) {
	aesKey := make([]byte, defaultKeySize/8)
	hmacKey := make([]byte, defaultKeySize/8)
	if _, err := rand.Read(aesKey); err != nil {
		return nil, fmt.Errorf("generating crypto key: %w", err)
	}
	if _, err := rand.Read(hmacKey); err != nil {
		return nil, fmt.Errorf("generating crypto key: %w", err)
	}
	block, err := aes.NewCipher(aesKey)
	if err != nil {
		return nil, fmt.Errorf("generating crypto key: %w", err)
	}
	return &Key{
		aesKeyString:  base64.RawURLEncoding.EncodeToString(aesKey),
		hmacKeyString: base64.RawURLEncoding.EncodeToString(hmacKey),
		hmacKeySize:   defaultKeySize,
		size:          defaultKeySize,
		block:         block,
		hmacKey:       hmacKey,
	}, nil
}

// Marshal returns the key file content exactly as current StackStorm
// writes it (AESKey.to_json through orjson): compact JSON, fields in
// StackStorm's order, no final newline. The key strings are the ones the
// key was read with.
func (k *Key) Marshal() ([]byte, error) {
	type hmacKey struct {
		HMACKeyString string `json:"hmacKeyString"`
		Size          int    `json:"size"`
	}
	v := struct {
		HMACKey      hmacKey `json:"hmacKey"`
		AESKeyString string  `json:"aesKeyString"`
		Mode         string  `json:"mode"`
		Size         int     `json:"size"`
	}{hmacKey{k.hmacKeyString, k.hmacKeySize}, k.aesKeyString, modeCBC, k.size}
	data, err := json.Marshal(v)
	if err != nil {
		return nil, fmt.Errorf("encoding crypto key: %w", err)
	}
	return data, nil
}

// String describes the key without revealing it, so that a Key that ends
// up in a log or an error message does no harm.
func (k Key) String() string {
	return fmt.Sprintf("crypto.Key{mode: CBC, size: %d, hmac size: %d}", k.size, k.hmacKeySize)
}

// GoString is String, for %#v.
func (k Key) GoString() string { return k.String() }
