package apikey

import (
	"encoding/base64"
	"regexp"
	"testing"
)

// The expected values were computed with Python's hashlib and base64
// following st2common/util/hash.py and st2common/util/auth.py.
func TestHash(t *testing.T) {
	tests := []struct {
		key, want string
	}{
		{"", "e69fab4de74ab3ce150b172cc038e2d844780909fefbcbabe65b7931fc8148c142af5d2ed1771366b9b115ffa213a974ae50959985557946171ce0586d8c622d"},
		{"abc", "3e5076021e2cb3dd90a045649478c8f858ff6803df789b950370870220099e9c1b1e8be52f60e2dc56b2c6c7ead6c732f119e784d47f20711b79d78c032a3182"},
		{
			"N2I5ZGY0ZTVmNjM3YjQ5YjE5NmE4ZDQ2ZGY5Y2NkZDJiZDZmZmE3MDY4MTY1NjE0ZTg2ZjU0MzJkNzNhN2Q2ZQ",
			"845272818ab67b5b8e89764d597dda81e7c7426001f6ce1f0408cf76160d572a98602bc3041eed1148ae600a58da97f099ee21ab3b06982be1fc2000622fa230",
		},
	}
	for _, tc := range tests {
		if got := Hash(tc.key); got != tc.want {
			t.Errorf("Hash(%q) = %s, want %s", tc.key, got, tc.want)
		}
	}
}

func TestFromSeedMatchesStackStorm(t *testing.T) {
	seed := make([]byte, 256)
	for i := range seed {
		seed[i] = byte(i)
	}
	const want = "NDBhZmYyZTlkMmQ4OTIyZTQ3YWZkNDY0OGU2OTY3NDk3MTU4Nzg1ZmJkMWRhODcwZTcxMTAyNjZiZjk0NDg4MA"
	if got := fromSeed(seed); got != want {
		t.Errorf("fromSeed(0..255) = %s, want %s", got, want)
	}
}

func TestGenerateShape(t *testing.T) {
	hexDigits := regexp.MustCompile(`^[0-9a-f]{64}$`)
	seen := map[string]bool{}
	for range 50 {
		key, err := Generate()
		if err != nil {
			t.Fatal(err)
		}
		if len(key) != 86 {
			t.Errorf("key %q has %d characters, want 86", key, len(key))
		}
		text, err := base64.RawStdEncoding.DecodeString(key)
		if err != nil || !hexDigits.Match(text) {
			t.Errorf("key %q does not decode to 64 hex digits: %q, %v", key, text, err)
		}
		if seen[key] {
			t.Errorf("Generate returned %q twice", key)
		}
		seen[key] = true
	}
}
