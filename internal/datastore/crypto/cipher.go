package crypto

import (
	"bytes"
	"crypto/aes"
	"crypto/cipher"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha1"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"
	"unicode/utf8"
)

// Sizes in the keyczar-compatible layout.
const (
	headerSize = 5
	ivSize     = aes.BlockSize
	sigSize    = sha1.Size
)

// st2Header is what StackStorm writes where keyczar put its version byte and
// key hash.
var st2Header = []byte("00000")

var (
	// ErrMalformed means a value is not in the encrypted format at all:
	// not hex, too short, or not a whole number of AES blocks.
	ErrMalformed = errors.New("malformed encrypted value")
	// ErrIntegrity means a value's signature does not match: it was
	// encrypted with another key, or it was changed.
	ErrIntegrity = errors.New("encrypted value does not verify (wrong key or tampered data)")
)

// Encrypt encrypts plaintext with a fresh random IV and returns it as
// StackStorm's symmetric_encrypt does. The plaintext must be valid UTF-8,
// since StackStorm (and JSON) could not give anything else back.
func (k *Key) Encrypt(plaintext string) (string, error) {
	if !utf8.ValidString(plaintext) {
		return "", errors.New("encrypting value: plaintext is not valid UTF-8")
	}
	iv := make([]byte, ivSize)
	if _, err := rand.Read(iv); err != nil {
		return "", fmt.Errorf("encrypting value: %w", err)
	}
	return k.encrypt(plaintext, st2Header, iv), nil
}

// encrypt lays out header | IV | AES-CBC(padded plaintext) | HMAC-SHA1 and
// hex-encodes it in upper case.
func (k *Key) encrypt(plaintext string, header, iv []byte) string {
	pad := aes.BlockSize - len(plaintext)%aes.BlockSize
	body := make([]byte, len(plaintext)+pad)
	copy(body, plaintext)
	for i := len(plaintext); i < len(body); i++ {
		body[i] = byte(pad)
	}

	msg := make([]byte, 0, len(header)+len(iv)+len(body)+sigSize)
	msg = append(msg, header...)
	msg = append(msg, iv...)
	start := len(msg)
	msg = append(msg, body...)
	cipher.NewCBCEncrypter(k.block, iv).CryptBlocks(msg[start:], msg[start:])

	mac := hmac.New(sha1.New, k.hmacKey)
	mac.Write(msg)
	msg = mac.Sum(msg)
	return strings.ToUpper(hex.EncodeToString(msg))
}

// Decrypt reverses [Key.Encrypt] and StackStorm's symmetric_encrypt. The
// error wraps [ErrMalformed] or [ErrIntegrity].
func (k *Key) Decrypt(ciphertext string) (string, error) {
	raw, err := hex.DecodeString(ciphertext)
	if err != nil {
		return "", fmt.Errorf("decrypting value: %w: not hexadecimal: %w", ErrMalformed, err)
	}
	if len(raw) < headerSize+ivSize+sigSize {
		return "", fmt.Errorf("decrypting value: %w: %d bytes is too short for header, IV and signature", ErrMalformed, len(raw))
	}
	signed, sig := raw[:len(raw)-sigSize], raw[len(raw)-sigSize:]
	mac := hmac.New(sha1.New, k.hmacKey)
	mac.Write(signed)
	if !hmac.Equal(mac.Sum(nil), sig) {
		return "", fmt.Errorf("decrypting value: %w", ErrIntegrity)
	}

	iv, body := signed[headerSize:headerSize+ivSize], signed[headerSize+ivSize:]
	if len(body) == 0 || len(body)%aes.BlockSize != 0 {
		return "", fmt.Errorf("decrypting value: %w: ciphertext of %d bytes is not a whole number of blocks", ErrMalformed, len(body))
	}
	plain := make([]byte, len(body))
	cipher.NewCBCDecrypter(k.block, iv).CryptBlocks(plain, body)

	// The signature held, so the padding was made by whoever holds the key;
	// StackStorm and keyczar always pad with 1 to 16 copies of the count.
	pad := int(plain[len(plain)-1])
	if pad < 1 || pad > aes.BlockSize || !bytes.Equal(plain[len(plain)-pad:], bytes.Repeat([]byte{byte(pad)}, pad)) {
		return "", fmt.Errorf("decrypting value: %w: bad padding", ErrMalformed)
	}
	plain = plain[:len(plain)-pad]
	if !utf8.Valid(plain) {
		return "", fmt.Errorf("decrypting value: %w: plaintext is not valid UTF-8", ErrMalformed)
	}
	return string(plain), nil
}
