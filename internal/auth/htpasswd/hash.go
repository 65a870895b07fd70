package htpasswd

import (
	"crypto/sha1"
	"crypto/subtle"
	"encoding/base64"
	"errors"
	"fmt"
	"strings"

	"golang.org/x/crypto/bcrypt"
)

// verifier checks a password against one stored hash.
type verifier interface {
	verify(password string) bool
}

// parseHash recognises the scheme of a stored hash and checks its shape,
// so that a damaged entry is reported when the file is read.
func parseHash(h string) (verifier, error) {
	switch {
	case strings.HasPrefix(h, "$2a$"), strings.HasPrefix(h, "$2b$"), strings.HasPrefix(h, "$2y$"):
		if _, err := bcrypt.Cost([]byte(h)); err != nil {
			return nil, fmt.Errorf("malformed bcrypt hash: %w", err)
		}
		return bcryptHash(h), nil
	case strings.HasPrefix(h, aprMagic), strings.HasPrefix(h, md5Magic):
		return parseMD5Crypt(h)
	case strings.HasPrefix(h, sha256Magic), strings.HasPrefix(h, sha512Magic):
		return parseSHACrypt(h)
	case strings.HasPrefix(h, shaPrefix):
		return parseSHA1(h)
	case h == "":
		return nil, errors.New("empty password hash")
	}
	if v, ok := parseDESCrypt(h); ok {
		return v, nil
	}
	switch {
	case strings.HasPrefix(h, "$"):
		scheme, _, _ := strings.Cut(h[1:], "$")
		return nil, fmt.Errorf("unsupported password hash scheme $%s$ (use htpasswd -B for bcrypt)", scheme)
	default:
		return nil, errors.New("unrecognised password hash; plaintext passwords are not accepted (use htpasswd -B for bcrypt)")
	}
}

// bcryptHash is a bcrypt hash in modular crypt format.
type bcryptHash string

func (h bcryptHash) verify(password string) bool {
	// CompareHashAndPassword compares in constant time. Like OpenBSD and
	// Apache, bcrypt only looks at the first 72 bytes of the password.
	return bcrypt.CompareHashAndPassword([]byte(h), []byte(password)) == nil
}

// dummyHash is checked when the user is unknown, costing the same time as
// a real check at htpasswd -B's default cost (5). Its password is not
// needed by anyone.
var dummyHash = bcryptHash("$2y$05$wYKqCCqvc/WOZngfli4Kq.vupfibvDzf6HdparQc3rUdQeba26X8e")

const shaPrefix = "{SHA}"

// sha1Hash is the unsalted {SHA} scheme: base64 of the SHA-1 digest.
type sha1Hash [sha1.Size]byte

func parseSHA1(h string) (verifier, error) {
	sum, err := base64.StdEncoding.DecodeString(h[len(shaPrefix):])
	if err != nil {
		return nil, fmt.Errorf("malformed {SHA} hash: %w", err)
	}
	if len(sum) != sha1.Size {
		return nil, fmt.Errorf("malformed {SHA} hash: digest is %d bytes, want %d", len(sum), sha1.Size)
	}
	return sha1Hash(sum), nil
}

func (h sha1Hash) verify(password string) bool {
	sum := sha1.Sum([]byte(password))
	return subtle.ConstantTimeCompare(sum[:], h[:]) == 1
}

// cryptAlphabet is the base64 alphabet of crypt(3), in value order.
const cryptAlphabet = "./0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"

// cryptValue returns the 6-bit value of a crypt(3) base64 character.
func cryptValue(c byte) (int, bool) {
	i := strings.IndexByte(cryptAlphabet, c)
	return i, i >= 0
}

// cryptBase64 appends the n low 6-bit groups of v, least significant
// first, as crypt(3) base64 characters. MD5-crypt and SHA-crypt encode
// their digests this way, three bytes at a time.
func cryptBase64(dst []byte, v uint32, n int) []byte {
	for ; n > 0; n-- {
		dst = append(dst, cryptAlphabet[v&0x3f])
		v >>= 6
	}
	return dst
}

// checkCryptChars reports the first character of s outside the crypt(3)
// base64 alphabet.
func checkCryptChars(what, s string) error {
	for i := 0; i < len(s); i++ {
		if _, ok := cryptValue(s[i]); !ok {
			return fmt.Errorf("%s contains %q, which is not a crypt(3) base64 character", what, s[i])
		}
	}
	return nil
}

// equalHash compares a computed hash with the stored one in constant
// time (only the length may leak, and the length is public).
func equalHash(computed []byte, stored string) bool {
	return subtle.ConstantTimeCompare(computed, []byte(stored)) == 1
}
