package htpasswd

import (
	"crypto/sha256"
	"crypto/sha512"
	"fmt"
	"hash"
	"strconv"
	"strings"
)

// Ulrich Drepper's SHA-256-crypt and SHA-512-crypt
// (https://akkadia.org/drepper/SHA-crypt.txt), written by htpasswd -2 and
// -5 and by glibc's crypt(3).
const (
	sha256Magic = "$5$"
	sha512Magic = "$6$"

	shaMaxSalt       = 16
	shaDefaultRounds = 5000
	shaMinRounds     = 1000
	shaMaxRounds     = 999_999_999
	shaRoundsPrefix  = "rounds="
)

// shaVariant holds what differs between the two hash sizes.
type shaVariant struct {
	magic   string
	newHash func() hash.Hash
	order   [][3]int // byte triples encoded as four characters each
	tail    []int    // the last one or two bytes
	digest  int      // length of the encoded digest
}

var (
	sha256Variant = &shaVariant{
		magic: sha256Magic, newHash: sha256.New,
		order: [][3]int{
			{0, 10, 20}, {21, 1, 11}, {12, 22, 2}, {3, 13, 23}, {24, 4, 14},
			{15, 25, 5}, {6, 16, 26}, {27, 7, 17}, {18, 28, 8}, {9, 19, 29},
		},
		tail:   []int{31, 30},
		digest: 43,
	}
	sha512Variant = &shaVariant{
		magic: sha512Magic, newHash: sha512.New,
		order: [][3]int{
			{0, 21, 42}, {22, 43, 1}, {44, 2, 23}, {3, 24, 45}, {25, 46, 4},
			{47, 5, 26}, {6, 27, 48}, {28, 49, 7}, {50, 8, 29}, {9, 30, 51},
			{31, 52, 10}, {53, 11, 32}, {12, 33, 54}, {34, 55, 13}, {56, 14, 35},
			{15, 36, 57}, {37, 58, 16}, {59, 17, 38}, {18, 39, 60}, {40, 61, 19},
			{62, 20, 41},
		},
		tail:   []int{63},
		digest: 86,
	}
)

// shaCryptHash is a parsed "$5$[rounds=N$]salt$digest" or "$6$..." hash.
type shaCryptHash struct {
	variant *shaVariant
	rounds  int
	custom  bool // rounds were written out, so they are part of the hash
	salt    string
	stored  string
}

func parseSHACrypt(h string) (verifier, error) {
	v := sha256Variant
	if strings.HasPrefix(h, sha512Magic) {
		v = sha512Variant
	}
	rest := h[len(v.magic):]
	p := shaCryptHash{variant: v, rounds: shaDefaultRounds, stored: h}
	if strings.HasPrefix(rest, shaRoundsPrefix) {
		n, after, found := strings.Cut(rest[len(shaRoundsPrefix):], "$")
		if !found {
			return nil, fmt.Errorf("malformed %s hash: no %q after the rounds", v.magic, "$")
		}
		rounds, err := strconv.Atoi(n)
		if err != nil || rounds < shaMinRounds || rounds > shaMaxRounds {
			return nil, fmt.Errorf("malformed %s hash: rounds %q not between %d and %d", v.magic, n, shaMinRounds, shaMaxRounds)
		}
		p.rounds, p.custom, rest = rounds, true, after
	}
	salt, digest, found := strings.Cut(rest, "$")
	if !found {
		return nil, fmt.Errorf("malformed %s hash: no %q after the salt", v.magic, "$")
	}
	if len(salt) > shaMaxSalt {
		return nil, fmt.Errorf("malformed %s hash: salt longer than %d characters", v.magic, shaMaxSalt)
	}
	if len(digest) != v.digest {
		return nil, fmt.Errorf("malformed %s hash: digest is %d characters, want %d", v.magic, len(digest), v.digest)
	}
	if err := checkCryptChars("digest", digest); err != nil {
		return nil, fmt.Errorf("malformed %s hash: %w", v.magic, err)
	}
	p.salt = salt
	return p, nil
}

func (h shaCryptHash) verify(password string) bool {
	return equalHash(shaCrypt(h.variant, h.rounds, h.custom, h.salt, []byte(password)), h.stored)
}

// repeatTo writes block over and over until n bytes have been written.
func repeatTo(w hash.Hash, block []byte, n int) {
	for ; n > len(block); n -= len(block) {
		w.Write(block)
	}
	w.Write(block[:n])
}

// shaCrypt computes the full SHA-crypt string. The step letters follow
// Drepper's specification.
func shaCrypt(v *shaVariant, rounds int, custom bool, salt string, password []byte) []byte {
	if len(salt) > shaMaxSalt {
		salt = salt[:shaMaxSalt]
	}
	saltb := []byte(salt)

	// B: password, salt, password.
	b := v.newHash()
	b.Write(password)
	b.Write(saltb)
	b.Write(password)
	bSum := b.Sum(nil)

	// A: password, salt, B stretched to the password length, then B or
	// the password for each bit of the length, lowest first.
	a := v.newHash()
	a.Write(password)
	a.Write(saltb)
	repeatTo(a, bSum, len(password))
	for n := len(password); n > 0; n >>= 1 {
		if n&1 == 1 {
			a.Write(bSum)
		} else {
			a.Write(password)
		}
	}
	aSum := a.Sum(nil)

	// P: the digest of the password repeated once per password byte,
	// stretched to the password length.
	dp := v.newHash()
	for range len(password) {
		dp.Write(password)
	}
	p := stretch(dp.Sum(nil), len(password))

	// S: the digest of the salt repeated 16+A[0] times, stretched to the
	// salt length.
	ds := v.newHash()
	for range 16 + int(aSum[0]) {
		ds.Write(saltb)
	}
	s := stretch(ds.Sum(nil), len(saltb))

	c := aSum
	r := v.newHash()
	for i := range rounds {
		r.Reset()
		if i&1 == 1 {
			r.Write(p)
		} else {
			r.Write(c)
		}
		if i%3 != 0 {
			r.Write(s)
		}
		if i%7 != 0 {
			r.Write(p)
		}
		if i&1 == 1 {
			r.Write(c)
		} else {
			r.Write(p)
		}
		c = r.Sum(c[:0])
	}

	out := make([]byte, 0, 32+len(salt)+v.digest)
	out = append(out, v.magic...)
	if custom {
		out = append(out, shaRoundsPrefix...)
		out = strconv.AppendInt(out, int64(rounds), 10)
		out = append(out, '$')
	}
	out = append(out, salt...)
	out = append(out, '$')
	for _, g := range v.order {
		out = cryptBase64(out, uint32(c[g[0]])<<16|uint32(c[g[1]])<<8|uint32(c[g[2]]), 4)
	}
	if len(v.tail) == 2 {
		return cryptBase64(out, uint32(c[v.tail[0]])<<8|uint32(c[v.tail[1]]), 3)
	}
	return cryptBase64(out, uint32(c[v.tail[0]]), 2)
}

// stretch repeats sum until it is n bytes long.
func stretch(sum []byte, n int) []byte {
	out := make([]byte, 0, n)
	for len(out) < n {
		out = append(out, sum[:min(len(sum), n-len(out))]...)
	}
	return out
}
