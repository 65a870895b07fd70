package crypto

import (
	"errors"
	"path/filepath"
	"testing"
	"unicode/utf8"
)

// FuzzDecrypt feeds arbitrary strings to Decrypt: it must not panic, must
// fail only with ErrMalformed or ErrIntegrity, and whatever it accepts
// must be valid UTF-8 that encrypts and decrypts back to itself.
func FuzzDecrypt(f *testing.F) {
	k, err := LoadKey(filepath.Join("testdata", "key-aes256.json"))
	if err != nil {
		f.Fatal(err)
	}
	for _, name := range []string{"python-aes256.json", "go-aes256.json"} {
		for _, v := range readVectors(f, name) {
			f.Add(v.Ciphertext)
		}
	}
	f.Add("")
	f.Add("3030303030")
	f.Add("zz")
	f.Fuzz(func(t *testing.T, ciphertext string) {
		plain, err := k.Decrypt(ciphertext)
		if err != nil {
			if !errors.Is(err, ErrMalformed) && !errors.Is(err, ErrIntegrity) {
				t.Fatalf("unexpected error kind: %v", err)
			}
			return
		}
		if !utf8.ValidString(plain) {
			t.Fatalf("decrypted invalid UTF-8 %q", plain)
		}
		roundTrip(t, k, plain)
	})
}

// FuzzEncrypt checks Decrypt(Encrypt(p)) == p for any valid UTF-8 p.
func FuzzEncrypt(f *testing.F) {
	k, err := LoadKey(filepath.Join("testdata", "key-aes128.json"))
	if err != nil {
		f.Fatal(err)
	}
	for _, p := range plaintexts {
		f.Add(p)
	}
	f.Fuzz(func(t *testing.T, plain string) {
		if !utf8.ValidString(plain) {
			if _, err := k.Encrypt(plain); err == nil {
				t.Fatal("Encrypt accepted invalid UTF-8")
			}
			return
		}
		roundTrip(t, k, plain)
	})
}

func roundTrip(t *testing.T, k *Key, plain string) {
	t.Helper()
	c, err := k.Encrypt(plain)
	if err != nil {
		t.Fatal(err)
	}
	got, err := k.Decrypt(c)
	if err != nil || got != plain {
		t.Fatalf("Decrypt(Encrypt(%q)) = %q, %v", plain, got, err)
	}
}

// FuzzDecryptSigned signs arbitrary bytes with the right key, so that the
// checks after the signature (block size, padding, UTF-8) see fuzzed data.
func FuzzDecryptSigned(f *testing.F) {
	k, err := LoadKey(filepath.Join("testdata", "key-aes256.json"))
	if err != nil {
		f.Fatal(err)
	}
	f.Add([]byte("0000012345678901234567890123456789012345678901234567890"))
	f.Add([]byte{})
	f.Fuzz(func(t *testing.T, msg []byte) {
		plain, err := k.Decrypt(resign(k, msg))
		switch {
		case err == nil && !utf8.ValidString(plain):
			t.Fatalf("decrypted invalid UTF-8 %q", plain)
		case err != nil && !errors.Is(err, ErrMalformed):
			t.Fatalf("signed value failed with %v, want ErrMalformed", err)
		}
	})
}
