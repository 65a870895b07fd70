package htpasswd

import (
	"crypto/md5"
	"fmt"
	"strings"
)

// Poul-Henning Kamp's MD5-crypt, and Apache's APR1 variant of it, which
// differs only in the magic string that starts the hash and is mixed into
// the first digest.
const (
	md5Magic = "$1$"
	aprMagic = "$apr1$"

	md5MaxSalt = 8
	md5Rounds  = 1000
)

// md5CryptHash is a parsed "$1$salt$digest" or "$apr1$salt$digest" hash.
type md5CryptHash struct {
	magic, salt string
	stored      string
}

func parseMD5Crypt(h string) (verifier, error) {
	magic := md5Magic
	if strings.HasPrefix(h, aprMagic) {
		magic = aprMagic
	}
	salt, digest, found := strings.Cut(h[len(magic):], "$")
	if !found {
		return nil, fmt.Errorf("malformed %s hash: no %q after the salt", magic, "$")
	}
	if len(salt) > md5MaxSalt {
		return nil, fmt.Errorf("malformed %s hash: salt longer than %d characters", magic, md5MaxSalt)
	}
	if len(digest) != 22 {
		return nil, fmt.Errorf("malformed %s hash: digest is %d characters, want 22", magic, len(digest))
	}
	if err := checkCryptChars("digest", digest); err != nil {
		return nil, fmt.Errorf("malformed %s hash: %w", magic, err)
	}
	return md5CryptHash{magic: magic, salt: salt, stored: h}, nil
}

func (h md5CryptHash) verify(password string) bool {
	return equalHash(md5Crypt(h.magic, h.salt, []byte(password)), h.stored)
}

// md5Crypt computes the full MD5-crypt string for password and salt.
func md5Crypt(magic, salt string, password []byte) []byte {
	if len(salt) > md5MaxSalt {
		salt = salt[:md5MaxSalt]
	}

	alt := md5.New()
	alt.Write(password)
	alt.Write([]byte(salt))
	alt.Write(password)
	altSum := alt.Sum(nil)

	ctx := md5.New()
	ctx.Write(password)
	ctx.Write([]byte(magic))
	ctx.Write([]byte(salt))
	for n := len(password); n > 0; n -= md5.Size {
		ctx.Write(altSum[:min(n, md5.Size)])
	}
	// For each bit of the password length, lowest first: a zero byte for
	// a one bit, the first password byte for a zero bit.
	for n := len(password); n > 0; n >>= 1 {
		if n&1 == 1 {
			ctx.Write([]byte{0})
		} else {
			ctx.Write(password[:1])
		}
	}
	sum := ctx.Sum(nil)

	for i := range md5Rounds {
		r := md5.New()
		if i&1 == 1 {
			r.Write(password)
		} else {
			r.Write(sum)
		}
		if i%3 != 0 {
			r.Write([]byte(salt))
		}
		if i%7 != 0 {
			r.Write(password)
		}
		if i&1 == 1 {
			r.Write(sum)
		} else {
			r.Write(password)
		}
		sum = r.Sum(sum[:0])
	}

	out := make([]byte, 0, len(magic)+len(salt)+1+22)
	out = append(out, magic...)
	out = append(out, salt...)
	out = append(out, '$')
	for _, g := range [...][3]int{{0, 6, 12}, {1, 7, 13}, {2, 8, 14}, {3, 9, 15}, {4, 10, 5}} {
		out = cryptBase64(out, uint32(sum[g[0]])<<16|uint32(sum[g[1]])<<8|uint32(sum[g[2]]), 4)
	}
	return cryptBase64(out, uint32(sum[11]), 2)
}
