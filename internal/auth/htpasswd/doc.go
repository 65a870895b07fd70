// Package htpasswd reads Apache htpasswd files and checks passwords
// against them, the way StackStorm's flat_file auth backend
// (st2-auth-backend-flat-file) does.
//
// A file holds one "user:hash" entry per line. Surrounding whitespace is
// ignored, as are blank lines and lines starting with "#". The hash ends
// at the next ":" (Apache ignores anything after it), and when a user is
// listed twice the first entry wins, as in Apache and passlib.
//
// Accepted hash schemes, each recognised by its prefix or shape:
//
//	$2y$ $2a$ $2b$        bcrypt (htpasswd -B)
//	$apr1$                Apache MD5 (htpasswd -m, the htpasswd default)
//	$1$                   MD5-crypt
//	$5$ $6$               SHA-256-crypt and SHA-512-crypt (htpasswd -2, -5)
//	{SHA}                 base64 SHA-1 without salt (htpasswd -s)
//	13 characters         traditional DES crypt(3) (htpasswd -d)
//
// Plaintext passwords (htpasswd -p) are refused: Apache accepts them only
// on Windows and NetWare, and StackStorm's backend stopped accepting them
// when it dropped passlib. A line that is not "user:hash", or whose hash
// is in no scheme above, makes [Parse] and [Load] fail with the file name
// and line number, so a typo shows at startup rather than as a user who
// cannot log in.
//
// The MD5, SHA and DES crypt variants are implemented here in pure Go;
// bcrypt comes from golang.org/x/crypto/bcrypt. Every comparison of a
// computed hash with the stored one takes constant time, and checking an
// unknown user still costs one bcrypt computation so that response time
// does not tell which user names exist.
//
// A [File] loaded from disk re-reads the file when it changes, so editing
// it with the htpasswd tool takes effect without a restart. A [File] is
// safe for concurrent use.
//
// The auth service's flat_file backend imports this package; it has no
// st2go dependencies.
package htpasswd
