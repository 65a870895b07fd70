package htpasswd

import (
	"strings"
	"testing"
)

// FuzzParse feeds arbitrary files to Parse. It must never panic, a
// successful parse must name only users that appear in the input, and
// checking a password against any parsed entry must not panic either.
func FuzzParse(f *testing.F) {
	f.Add(sample, "testpassword")
	for _, v := range vectors {
		f.Add("u:"+v.hash+"\n", v.password)
	}
	f.Add("a\nb:\n#c\nc:$apr1$x\n", "")
	f.Add("u:$5$rounds=1000$$\n", "")
	f.Add("u:{SHA}\n", "")
	f.Fuzz(func(t *testing.T, data, password string) {
		file, err := Parse("fuzz", []byte(data))
		if err != nil {
			if !strings.HasPrefix(err.Error(), "parsing htpasswd file: fuzz:") {
				t.Fatalf("error without file:line: %v", err)
			}
			return
		}
		for _, user := range file.Users() {
			if !strings.Contains(data, user+":") {
				t.Fatalf("user %q is not in the input", user)
			}
			v := file.entries[user]
			// Expensive entries (any bcrypt cost, SHA-crypt with many
			// rounds) are valid but would make the fuzzer crawl.
			switch h := v.(type) {
			case bcryptHash:
				continue
			case shaCryptHash:
				if h.rounds > shaDefaultRounds {
					continue
				}
			}
			v.verify(password)
		}
	})
}
