package htpasswd

// Traditional crypt(3): DES keyed with the first eight password bytes
// encrypts a zero block 25 times, with a 12-bit salt that swaps pairs of
// bits in the DES expansion (E) permutation. The result is the two salt
// characters and eleven characters for the 64 output bits.
//
// Go's crypto/des has no hook for the salted expansion, so this file holds
// a small bit-permutation DES (FIPS 46-3). It is slow by DES standards and
// it need not be fast: it runs 25 blocks per password check.

const desHashLen = 13

// desCryptHash is a parsed 13-character DES crypt hash.
type desCryptHash struct {
	salt   [2]byte
	stored string
}

// parseDESCrypt reports whether h has the shape of a DES crypt hash:
// thirteen crypt(3) base64 characters, the last one with its two low bits
// zero (it carries only the last 4 of the 64 output bits).
func parseDESCrypt(h string) (verifier, bool) {
	if len(h) != desHashLen || checkCryptChars("hash", h) != nil {
		return nil, false
	}
	if v, _ := cryptValue(h[desHashLen-1]); v&3 != 0 {
		return nil, false
	}
	return desCryptHash{salt: [2]byte{h[0], h[1]}, stored: h}, true
}

func (h desCryptHash) verify(password string) bool {
	return equalHash(desCrypt(h.salt, []byte(password)), h.stored)
}

// desCrypt computes the 13-character crypt(3) string. Only the first
// eight password bytes count, and of each only the low seven bits.
func desCrypt(salt [2]byte, password []byte) []byte {
	var key uint64
	for i := range 8 {
		key <<= 8
		if i < len(password) {
			key |= uint64(password[i]<<1) & 0xff
		}
	}

	// Salt bit j (of 12, the first character giving bits 0-5, each
	// character's low bit first) swaps expansion outputs j and j+24.
	e := expansion
	for i, c := range salt {
		v, _ := cryptValue(c)
		for j := range 6 {
			if v>>j&1 == 1 {
				k := 6*i + j
				e[k], e[k+24] = e[k+24], e[k]
			}
		}
	}

	subkeys := desSubkeys(key)
	var block uint64
	for range 25 {
		block = desEncrypt(block, &subkeys, &e)
	}

	out := make([]byte, 0, desHashLen)
	out = append(out, salt[0], salt[1])
	// 64 bits, most significant first, six at a time; the eleventh
	// group is padded with two zero bits.
	for i := range 11 {
		shift := 58 - 6*i
		var v uint64
		if shift >= 0 {
			v = block >> shift
		} else {
			v = block << -shift
		}
		out = append(out, cryptAlphabet[v&0x3f])
	}
	return out
}

// permute builds a len(table)-bit value whose i-th bit (from the most
// significant end) is bit table[i] (1-based, from the most significant
// end) of the inBits-bit value in.
func permute(in uint64, inBits int, table []byte) uint64 {
	var out uint64
	for _, pos := range table {
		out = out<<1 | in>>(inBits-int(pos))&1
	}
	return out
}

// desSubkeys runs the DES key schedule: 16 48-bit round keys.
func desSubkeys(key uint64) [16]uint64 {
	var keys [16]uint64
	cd := permute(key, 64, permutedChoice1[:])
	c, d := uint32(cd>>28), uint32(cd&0x0fffffff)
	for i, s := range keyShifts {
		c = (c<<s | c>>(28-s)) & 0x0fffffff
		d = (d<<s | d>>(28-s)) & 0x0fffffff
		keys[i] = permute(uint64(c)<<28|uint64(d), 56, permutedChoice2[:])
	}
	return keys
}

// desEncrypt encrypts one block with the given round keys and expansion
// table (the standard one, or a salted copy).
func desEncrypt(block uint64, keys *[16]uint64, e *[48]byte) uint64 {
	b := permute(block, 64, initialPermutation[:])
	l, r := uint32(b>>32), uint32(b)
	for _, k := range keys {
		x := permute(uint64(r), 32, e[:]) ^ k
		var s uint32
		for i := range 8 {
			six := x >> (42 - 6*i) & 0x3f
			row := six>>4&2 | six&1
			col := six >> 1 & 0xf
			s = s<<4 | uint32(sBoxes[i][row*16+col])
		}
		l, r = r, l^uint32(permute(uint64(s), 32, roundPermutation[:]))
	}
	return permute(uint64(r)<<32|uint64(l), 64, finalPermutation[:])
}

// The DES tables of FIPS 46-3. Bit positions are 1-based from the most
// significant bit.
var (
	initialPermutation = [64]byte{
		58, 50, 42, 34, 26, 18, 10, 2,
		60, 52, 44, 36, 28, 20, 12, 4,
		62, 54, 46, 38, 30, 22, 14, 6,
		64, 56, 48, 40, 32, 24, 16, 8,
		57, 49, 41, 33, 25, 17, 9, 1,
		59, 51, 43, 35, 27, 19, 11, 3,
		61, 53, 45, 37, 29, 21, 13, 5,
		63, 55, 47, 39, 31, 23, 15, 7,
	}
	finalPermutation = [64]byte{
		40, 8, 48, 16, 56, 24, 64, 32,
		39, 7, 47, 15, 55, 23, 63, 31,
		38, 6, 46, 14, 54, 22, 62, 30,
		37, 5, 45, 13, 53, 21, 61, 29,
		36, 4, 44, 12, 52, 20, 60, 28,
		35, 3, 43, 11, 51, 19, 59, 27,
		34, 2, 42, 10, 50, 18, 58, 26,
		33, 1, 41, 9, 49, 17, 57, 25,
	}
	expansion = [48]byte{
		32, 1, 2, 3, 4, 5,
		4, 5, 6, 7, 8, 9,
		8, 9, 10, 11, 12, 13,
		12, 13, 14, 15, 16, 17,
		16, 17, 18, 19, 20, 21,
		20, 21, 22, 23, 24, 25,
		24, 25, 26, 27, 28, 29,
		28, 29, 30, 31, 32, 1,
	}
	roundPermutation = [32]byte{
		16, 7, 20, 21, 29, 12, 28, 17,
		1, 15, 23, 26, 5, 18, 31, 10,
		2, 8, 24, 14, 32, 27, 3, 9,
		19, 13, 30, 6, 22, 11, 4, 25,
	}
	permutedChoice1 = [56]byte{
		57, 49, 41, 33, 25, 17, 9,
		1, 58, 50, 42, 34, 26, 18,
		10, 2, 59, 51, 43, 35, 27,
		19, 11, 3, 60, 52, 44, 36,
		63, 55, 47, 39, 31, 23, 15,
		7, 62, 54, 46, 38, 30, 22,
		14, 6, 61, 53, 45, 37, 29,
		21, 13, 5, 28, 20, 12, 4,
	}
	permutedChoice2 = [48]byte{
		14, 17, 11, 24, 1, 5,
		3, 28, 15, 6, 21, 10,
		23, 19, 12, 4, 26, 8,
		16, 7, 27, 20, 13, 2,
		41, 52, 31, 37, 47, 55,
		30, 40, 51, 45, 33, 48,
		44, 49, 39, 56, 34, 53,
		46, 42, 50, 36, 29, 32,
	}
	keyShifts = [16]uint32{1, 1, 2, 2, 2, 2, 2, 2, 1, 2, 2, 2, 2, 2, 2, 1}
	sBoxes    = [8][64]byte{
		{
			14, 4, 13, 1, 2, 15, 11, 8, 3, 10, 6, 12, 5, 9, 0, 7,
			0, 15, 7, 4, 14, 2, 13, 1, 10, 6, 12, 11, 9, 5, 3, 8,
			4, 1, 14, 8, 13, 6, 2, 11, 15, 12, 9, 7, 3, 10, 5, 0,
			15, 12, 8, 2, 4, 9, 1, 7, 5, 11, 3, 14, 10, 0, 6, 13,
		},
		{
			15, 1, 8, 14, 6, 11, 3, 4, 9, 7, 2, 13, 12, 0, 5, 10,
			3, 13, 4, 7, 15, 2, 8, 14, 12, 0, 1, 10, 6, 9, 11, 5,
			0, 14, 7, 11, 10, 4, 13, 1, 5, 8, 12, 6, 9, 3, 2, 15,
			13, 8, 10, 1, 3, 15, 4, 2, 11, 6, 7, 12, 0, 5, 14, 9,
		},
		{
			10, 0, 9, 14, 6, 3, 15, 5, 1, 13, 12, 7, 11, 4, 2, 8,
			13, 7, 0, 9, 3, 4, 6, 10, 2, 8, 5, 14, 12, 11, 15, 1,
			13, 6, 4, 9, 8, 15, 3, 0, 11, 1, 2, 12, 5, 10, 14, 7,
			1, 10, 13, 0, 6, 9, 8, 7, 4, 15, 14, 3, 11, 5, 2, 12,
		},
		{
			7, 13, 14, 3, 0, 6, 9, 10, 1, 2, 8, 5, 11, 12, 4, 15,
			13, 8, 11, 5, 6, 15, 0, 3, 4, 7, 2, 12, 1, 10, 14, 9,
			10, 6, 9, 0, 12, 11, 7, 13, 15, 1, 3, 14, 5, 2, 8, 4,
			3, 15, 0, 6, 10, 1, 13, 8, 9, 4, 5, 11, 12, 7, 2, 14,
		},
		{
			2, 12, 4, 1, 7, 10, 11, 6, 8, 5, 3, 15, 13, 0, 14, 9,
			14, 11, 2, 12, 4, 7, 13, 1, 5, 0, 15, 10, 3, 9, 8, 6,
			4, 2, 1, 11, 10, 13, 7, 8, 15, 9, 12, 5, 6, 3, 0, 14,
			11, 8, 12, 7, 1, 14, 2, 13, 6, 15, 0, 9, 10, 4, 5, 3,
		},
		{
			12, 1, 10, 15, 9, 2, 6, 8, 0, 13, 3, 4, 14, 7, 5, 11,
			10, 15, 4, 2, 7, 12, 9, 5, 6, 1, 13, 14, 0, 11, 3, 8,
			9, 14, 15, 5, 2, 8, 12, 3, 7, 0, 4, 10, 1, 13, 11, 6,
			4, 3, 2, 12, 9, 5, 15, 10, 11, 14, 1, 7, 6, 0, 8, 13,
		},
		{
			4, 11, 2, 14, 15, 0, 8, 13, 3, 12, 9, 7, 5, 10, 6, 1,
			13, 0, 11, 7, 4, 9, 1, 10, 14, 3, 5, 12, 2, 15, 8, 6,
			1, 4, 11, 13, 12, 3, 7, 14, 10, 15, 6, 8, 0, 5, 9, 2,
			6, 11, 13, 8, 1, 4, 10, 7, 9, 5, 0, 15, 14, 2, 3, 12,
		},
		{
			13, 2, 8, 4, 6, 15, 11, 1, 10, 9, 3, 14, 5, 0, 12, 7,
			1, 15, 13, 8, 10, 3, 7, 4, 12, 5, 6, 11, 0, 14, 9, 2,
			7, 11, 4, 1, 9, 12, 14, 2, 0, 6, 10, 13, 15, 3, 5, 8,
			2, 1, 14, 7, 4, 10, 8, 13, 15, 12, 9, 0, 3, 5, 6, 11,
		},
	}
)
