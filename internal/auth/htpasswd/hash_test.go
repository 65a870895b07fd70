package htpasswd

import (
	"crypto/des"
	"encoding/binary"
	"math/rand/v2"
	"strings"
	"testing"

	"golang.org/x/crypto/bcrypt"
)

// Known hashes. Unless noted they were made on a Debian 12 machine with
// Apache's "htpasswd -nb" (apache2-utils 2.4.71), Python 3.11's crypt
// module (glibc/libxcrypt) and "openssl passwd" (OpenSSL 3.0); the first
// four come from st2-auth-backend-flat-file's test fixture.
var vectors = []struct {
	name, hash, password string
}{
	{"st2 fixture apr1", "$apr1$GfmyDrUT$PZkK7rw7tAIGgK8hdJ5mh/", "testpassword"},
	{"st2 fixture bcrypt", "$2y$05$Vhvhbk0SYN3ncn9BSvXEHunzztBWfrwqOpX1D0GhrFvM1TcADpKoO", "testpassword"},
	{"st2 fixture sha", "{SHA}i7YRj4/Wk1rQh2o740pxfTJwj/0=", "testpassword"},
	{"st2 fixture des", "8TBeGtbfjQ.R2", "testpassword"},

	// htpasswd -m, -B, -2, -5, -d, -s
	{"htpasswd apr1", "$apr1$P3X8YphS$QRBzadHlAEx9cmPTIMgiI.", "testpassword"},
	{"htpasswd bcrypt", "$2y$05$8cjltunbhvfEwhRHUj4mpumoAa1vaDwp6kUfgi6AK3p.u..9vn4zS", "testpassword"},
	{"htpasswd sha256", "$5$1saw1NJsk/TLWd0D$xFvKfUk9ku0OXERIampUZYBAhIGNbLLWTRF4DvNifZA", "testpassword"},
	{"htpasswd sha512", "$6$0SqU6GV68dzrao3m$V2sgrd8VBcJSh2CYIAQGYJdti28VLKZTlJD4XFrOZkhp51pQu92DFQZs7iejXGM0m53aOf3VZvWshf4kPnX0E0", "testpassword"},
	{"htpasswd des", "FoHSAYqCCZKW.", "testpassword"},
	{"htpasswd apr1 colon space", "$apr1$lXkAbPLQ$Vqh0GOkvwtq0/ubI7TLiF/", "p@ss:word with spaces"},
	{"htpasswd bcrypt colon space", "$2y$05$wupmzTzxrrJJwZ0pjGDe.uZN2ZX6sJR/XO/kdA5FcdTyP5RC3w/NG", "p@ss:word with spaces"},
	{"htpasswd sha256 colon space", "$5$DX1.DIZRpMcA0tNd$o0lYkQ13rXLI67OTfQwez0/5MJ0Od566up8ahGvzdH8", "p@ss:word with spaces"},
	{"htpasswd sha512 colon space", "$6$6NLKdGPCGrTm6Ftt$YQ0kHLNBBxoQzoBVdMGA6F1/pw0Y/J3YzLA46kki0bBIGqo34E.k3WDBXHE9XmMw/eWz/VBF7Wa1hNZ01xLsT1", "p@ss:word with spaces"},
	{"htpasswd des colon space", "J6lks33Wyhbys", "p@ss:word with spaces"},
	{"htpasswd sha colon space", "{SHA}n59l/7ssgaVxg4E2TZJN+Aw+x1Q=", "p@ss:word with spaces"},
	{"htpasswd apr1 utf8", "$apr1$kpSRzQra$FfcAHQ6icDpqQCKB1rySp/", "pässwörd✓"},
	{"htpasswd bcrypt utf8", "$2y$05$PVtMLvGj3SBcgQWjWcSFIOvuFwwjJD072/Mg/y.9SOEYYYZwqq/qK", "pässwörd✓"},
	{"htpasswd sha256 utf8", "$5$Tnc0F1aBbTV.f/7P$r54lWItpA9extHG7GfVctEaL2VApLwBojshyAQgI217", "pässwörd✓"},
	{"htpasswd sha512 utf8", "$6$9N25KQraC6OBt2jy$ogXAs7TMEe/uG5yDoIy0JoocMvV2upfHDLww4JWfyFn8yN7G2z7h5lnUN6fOo/0dGyxktWZEKEjUu/Gx3vqlr1", "pässwörd✓"},
	{"htpasswd des utf8", "PDNMYCL2FALEE", "pässwörd✓"},
	{"htpasswd sha utf8", "{SHA}pQZdvsMbeL9694csNFiFl2IHbLs=", "pässwörd✓"},
	{"htpasswd apr1 empty", "$apr1$uM7pLCym$JO1CurEQwJ7UkresqAUN0/", ""},
	{"htpasswd bcrypt empty", "$2y$05$BrIgZyVRSHjVXrzWtxOm2OxxKIgwhaHvDM8mjHFAfolT4GZU3snvO", ""},
	{"htpasswd sha256 empty", "$5$OnnBpiHe/q6vbqsu$9wDjAn6Td7iRzuEiCyt4988hy6tzEGMWrnmA3KCmmj7", ""},
	{"htpasswd sha512 empty", "$6$6eTPv75yMTZEV4nx$fp3mlFNda.nDlixdBud.q0rHKhnMWnkkFlyriGdXEhJctH4iH9VQUI.2bNIdga5iomIoScQQrL31QT3IUnmCn0", ""},
	{"htpasswd des empty", "t//vUqnA2UAgI", ""},
	{"htpasswd sha empty", "{SHA}2jmj7l5rSw0yVb/vlWAYkK/YBwk=", ""},
	{"htpasswd bcrypt cost 4 long password", "$2y$04$TmsdvSRsxA5DnzzWChq2ne3ERm9WWfdBQSXtCY29q2D7edASoYQ2S", strings.Repeat("a", 80)},
	{"htpasswd sha512 rounds", "$6$rounds=1000$ToXvgKybl7163JYT$Zzarsbk8J7T3/ZThY0mSbr/PV4l8mNzOl5PxkbON.UeqZKASZa3119nWwQCCs7KPzGSqnKpkYK.CDfxNihl/f0", "testpassword"},
	{"htpasswd sha256 rounds", "$5$rounds=12345$rLslFfAShoEejKBi$UNJfCuvSaRAlaXaxvq39VvxgWUXT5CEDRmQ0adfMDL2", "testpassword"},

	// Python crypt.crypt
	{"md5 crypt", "$1$saltsalt$AGjWCH4fkTE7t9ZzF0OyS/", "testpassword"},
	{"md5 crypt short salt", "$1$ab$cqQqqqOSrUCf3g31ti.Uu/", "testpassword"},
	{"md5 crypt empty salt", "$1$$8jt449T51AaXeDtJpKs8p1", "testpassword"},
	{"md5 crypt empty password", "$1$saltsalt$5Jhcit4zN9UlGiA0txPkO0", ""},
	{"md5 crypt utf8", "$1$saltsalt$jIAg5gSVVwgogA78q75uD0", "pässwörd✓"},
	{"md5 crypt colon space", "$1$ab$57nhNyGJSblJF97hyqm4X0", "p@ss:word with spaces"},
	{"des salt ab", "abA5hjwYqm1.I", "testpassword"},
	{"des salt ./", "./EC8f97GFc9M", "testpassword"},
	{"des salt Zz", "ZzdLaR8nxK7tk", "testpassword"},
	{"des salt ./ empty", "./Una9Fi.seRo", ""},
	{"des salt Zz utf8", "ZzwM.07XybWK6", "pässwörd✓"},
	{"des ninth byte ignored", "ab1iBa.N.U2C6", "12345678abc"},
	{"des ninth byte ignored too", "ab1iBa.N.U2C6", "12345678"},
	{"bcrypt 2b", "$2b$04$abcdefghijklmnopqrstuuTjXO9UvRjS25ZxtHKw0/k06AbN8HA1C", "testpassword"},
	{"bcrypt 2a", "$2a$04$abcdefghijklmnopqrstuuTjXO9UvRjS25ZxtHKw0/k06AbN8HA1C", "testpassword"},
	{"sha512 salt cut to 16", "$6$rounds=1000$toolongsaltstrin$qOCRglG8tryHsAKFo0BGXG80GWHv9ZBzNOzKchcvoFbv5bTfL.1j530bbuDOsEVobVAwSx5kp.Lb1rMFTIMk10", "testpassword"},
	{"sha512 salt cut to 16 empty", "$6$rounds=1000$toolongsaltstrin$5A1bua4U2S/eV.HRKBOwCl9FEutgR1DEff22GEPfJk.Ya9GoamQIaUdtF/JFPyYntglbV7YQcryoFD2f.DN.A0", ""},

	// openssl passwd -apr1 -salt ...
	{"apr1 empty salt", "$apr1$$4ou8FZzP0/QNZX.1XI91F1", "testpassword"},
	{"apr1 one-char salt", "$apr1$a$B.fuQdRz3Zq0doZwSDEZx.", "testpassword"},
}

func TestVectors(t *testing.T) {
	for _, tc := range vectors {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			v, err := parseHash(tc.hash)
			if err != nil {
				t.Fatalf("parseHash(%q): %v", tc.hash, err)
			}
			if !v.verify(tc.password) {
				t.Errorf("verify(%q) = false, want true", tc.password)
			}
			// DES crypt ignores bytes after the eighth and bcrypt after the
			// 72nd, so the wrong passwords differ at the start.
			wrong := []string{"x" + tc.password, "wrong"}
			if tc.password != "" {
				wrong = append(wrong, "X"+tc.password[1:])
			}
			for _, wrong := range wrong {
				if v.verify(wrong) {
					t.Errorf("verify(%q) = true, want false", wrong)
				}
			}
		})
	}
}

// TestComputedHashes checks the computation, not only the comparison: the
// code must regenerate each stored string byte for byte.
func TestComputedHashes(t *testing.T) {
	for _, tc := range vectors {
		v, err := parseHash(tc.hash)
		if err != nil {
			t.Fatalf("%s: %v", tc.name, err)
		}
		var got []byte
		switch h := v.(type) {
		case md5CryptHash:
			got = md5Crypt(h.magic, h.salt, []byte(tc.password))
		case shaCryptHash:
			got = shaCrypt(h.variant, h.rounds, h.custom, h.salt, []byte(tc.password))
		case desCryptHash:
			got = desCrypt(h.salt, []byte(tc.password))
		default:
			continue
		}
		if string(got) != tc.hash {
			t.Errorf("%s: computed %s, want %s", tc.name, got, tc.hash)
		}
	}
}

func TestParseHashErrors(t *testing.T) {
	tests := []struct {
		hash, want string
	}{
		{"", "empty password hash"},
		{"secret", "plaintext passwords are not accepted"},
		{"abA5hjwYqm1.J", "plaintext passwords are not accepted"}, // last DES character must have zero low bits
		{"abA5hjwYqm1!I", "plaintext passwords are not accepted"},
		{"$y$j9T$F5Jx5fExrKuPp53xLKQ..1$X3DX6M94c7o.9agCG9G317fhZg9SqC.5i5rd.RhAtQ7", "unsupported password hash scheme $y$"},
		{"$2x$05$8cjltunbhvfEwhRHUj4mpumoAa1vaDwp6kUfgi6AK3p.u..9vn4zS", "unsupported password hash scheme $2x$"},
		{"$2y$05$short", "malformed bcrypt hash"},
		{"$2y$99$8cjltunbhvfEwhRHUj4mpumoAa1vaDwp6kUfgi6AK3p.u..9vn4zS", "malformed bcrypt hash"},
		{"$apr1$saltsalt", "no \"$\" after the salt"},
		{"$apr1$saltsaltX$QRBzadHlAEx9cmPTIMgiI.", "salt longer than 8"},
		{"$apr1$P3X8YphS$QRBzadHlAEx9cmPTIMgiI", "digest is 21 characters"},
		{"$1$P3X8YphS$QRBzadHlAEx9cmPTIMgi!.", "not a crypt(3) base64 character"},
		{"$5$rounds=999$salt$xFvKfUk9ku0OXERIampUZYBAhIGNbLLWTRF4DvNifZA", "rounds \"999\" not between"},
		{"$5$rounds=many$salt$xFvKfUk9ku0OXERIampUZYBAhIGNbLLWTRF4DvNifZA", "rounds \"many\""},
		{"$5$rounds=5000", "no \"$\" after the rounds"},
		{"$6$0SqU6GV68dzrao3m", "no \"$\" after the salt"},
		{"$6$0SqU6GV68dzrao3mX$V2sgrd8VBcJSh2CYIAQGYJdti28VLKZTlJD4XFrOZkhp51pQu92DFQZs7iejXGM0m53aOf3VZvWshf4kPnX0E0", "salt longer than 16"},
		{"$5$1saw1NJsk/TLWd0D$xFvKfUk9ku0OXERIampUZYBAhIGNbLLWTRF4DvNifZ", "digest is 42 characters, want 43"},
		{"{SHA}i7YRj4/Wk1rQh2o740pxfTJwj/0", "malformed {SHA} hash"},
		{"{SHA}aGVsbG8=", "digest is 5 bytes, want 20"},
	}
	for _, tc := range tests {
		_, err := parseHash(tc.hash)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("parseHash(%q) = %v, want error containing %q", tc.hash, err, tc.want)
		}
	}
}

func TestDummyHash(t *testing.T) {
	if _, err := parseHash(string(dummyHash)); err != nil {
		t.Fatal(err)
	}
	if cost, err := bcrypt.Cost([]byte(dummyHash)); err != nil || cost != 5 {
		t.Errorf("dummy hash cost = %d, %v; want 5 (htpasswd -B's default)", cost, err)
	}
}

// TestDESCoreMatchesCryptoDES checks the hand-written DES against the
// standard library: without salt (salt "..") the expansion is standard.
func TestDESCoreMatchesCryptoDES(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	for range 200 {
		key, block := r.Uint64(), r.Uint64()
		var kb, in, want [8]byte
		binary.BigEndian.PutUint64(kb[:], key)
		binary.BigEndian.PutUint64(in[:], block)
		c, err := des.NewCipher(kb[:])
		if err != nil {
			t.Fatal(err)
		}
		c.Encrypt(want[:], in[:])
		subkeys := desSubkeys(key)
		got := desEncrypt(block, &subkeys, &expansion)
		if got != binary.BigEndian.Uint64(want[:]) {
			t.Fatalf("DES(key %016x, block %016x) = %016x, crypto/des says %x", key, block, got, want)
		}
	}
}
