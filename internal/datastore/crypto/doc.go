// Package crypto encrypts and decrypts secret datastore values exactly as
// StackStorm does (st2common/util/crypto.py), so that an existing
// StackStorm key file and the values encrypted with it keep working in
// st2go, and the other way round.
//
// # Key file
//
// The key file ([keyvalue] encryption_key_path, made by
// st2-generate-symmetric-crypto-key) is keyczar's JSON format for an AES
// key with its HMAC key:
//
//	{"hmacKey":{"hmacKeyString":"<b64>","size":256},"aesKeyString":"<b64>","mode":"CBC","size":256}
//
// The key strings are URL-safe base64 without "=" padding. Since
// StackStorm 3.5 the tool writes this compact form (orjson, no spaces, no
// final newline); older versions and keyczar itself wrote spaces after
// ":" and ",". Any field order and spacing is read. The mode must be CBC
// (any case) and the size at least 128. The AES key may be 16, 24 or 32
// bytes: StackStorm uses the decoded key's length, not the size field, to
// pick AES-128/192/256, and the demo key it ships is AES-128.
//
// # Encrypted values
//
// An encrypted value is the upper-case hex encoding of
//
//	header (5 bytes) | IV (16 bytes) | AES-CBC ciphertext | HMAC-SHA1 (20 bytes)
//
// StackStorm writes the header as the five ASCII bytes "00000" (hex
// 3030303030) where keyczar put a version byte and a key hash; decryption
// skips it, so values made by keyczar decrypt as well. The plaintext is
// UTF-8, padded PKCS#7-style to the 16-byte block (always 1 to 16 bytes
// of padding). The HMAC key signs header, IV and ciphertext. Decryption
// accepts hex in either case, checks the signature in constant time
// before anything else is done with the data, and reports [ErrMalformed]
// or [ErrIntegrity].
//
// A [Key] is immutable and safe for concurrent use. The datastore service
// imports this package; it has no st2go dependencies.
package crypto
