package htpasswd

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"
)

// A file in the shapes htpasswd and hand editing produce: comments,
// blank lines, surrounding whitespace, CRLF line ends, a duplicate user
// and a trailing field after the hash.
const sample = "# users for st2go\n" +
	"\n" +
	"test1:$apr1$GfmyDrUT$PZkK7rw7tAIGgK8hdJ5mh/\n" +
	"  # indented comment\n" +
	"test2:$2y$05$Vhvhbk0SYN3ncn9BSvXEHunzztBWfrwqOpX1D0GhrFvM1TcADpKoO\r\n" +
	"\ttest3:{SHA}i7YRj4/Wk1rQh2o740pxfTJwj/0=   \n" +
	"test4:8TBeGtbfjQ.R2\n" +
	"test1:$apr1$uM7pLCym$JO1CurEQwJ7UkresqAUN0/\n" + // duplicate: ignored
	"test5:$1$saltsalt$AGjWCH4fkTE7t9ZzF0OyS/:Test User:extra\n" +
	"st2 admin:$5$1saw1NJsk/TLWd0D$xFvKfUk9ku0OXERIampUZYBAhIGNbLLWTRF4DvNifZA\n" +
	"test6:$6$0SqU6GV68dzrao3m$V2sgrd8VBcJSh2CYIAQGYJdti28VLKZTlJD4XFrOZkhp51pQu92DFQZs7iejXGM0m53aOf3VZvWshf4kPnX0E0" // no final newline

func TestParseAndVerify(t *testing.T) {
	f, err := Parse("htpasswd", []byte(sample))
	if err != nil {
		t.Fatal(err)
	}
	wantUsers := []string{"st2 admin", "test1", "test2", "test3", "test4", "test5", "test6"}
	if got := f.Users(); !slices.Equal(got, wantUsers) {
		t.Errorf("Users() = %q, want %q", got, wantUsers)
	}
	tests := []struct {
		user, password string
		want           bool
	}{
		{"test1", "testpassword", true},
		{"test1", "", false}, // the duplicate line's password
		{"test1", "bar", false},
		{"test2", "testpassword", true},
		{"test2", "testpassworD", false},
		{"test3", "testpassword", true},
		{"test4", "testpassword", true},
		{"test5", "testpassword", true},
		{"st2 admin", "testpassword", true},
		{"test6", "testpassword", true},
		{"test6", "", false},
		{"doesntexist", "testpassword", false},
		{"", "", false},
		{"Test1", "testpassword", false}, // user names are case-sensitive
		{" test1", "testpassword", false},
	}
	for _, tc := range tests {
		if got := f.Verify(tc.user, tc.password); got != tc.want {
			t.Errorf("Verify(%q, %q) = %v, want %v", tc.user, tc.password, got, tc.want)
		}
	}
}

func TestParseEmpty(t *testing.T) {
	for _, data := range []string{"", "\n\n", "# only a comment\n", "   \r\n"} {
		f, err := Parse("empty", []byte(data))
		if err != nil {
			t.Errorf("Parse(%q): %v", data, err)
			continue
		}
		if len(f.Users()) != 0 || f.Verify("", "") {
			t.Errorf("Parse(%q) has users %q", data, f.Users())
		}
	}
	var zero File
	if zero.Verify("user", "") {
		t.Error("zero File accepted a password")
	}
}

func TestParseErrors(t *testing.T) {
	tests := []struct {
		name string
		data string
		want []string // substrings the error must contain
	}{
		{"no colon", "test1:$apr1$GfmyDrUT$PZkK7rw7tAIGgK8hdJ5mh/\njustaname\n", []string{`/etc/st2/htpasswd:2: expected "user:hash", found no ":"`}},
		{"empty user", ":$apr1$GfmyDrUT$PZkK7rw7tAIGgK8hdJ5mh/", []string{"/etc/st2/htpasswd:1: empty user name"}},
		{"empty hash", "bob:\n", []string{`/etc/st2/htpasswd:1: user "bob": empty password hash`}},
		{"plaintext", "\n\nbob:toto\n", []string{`/etc/st2/htpasswd:3: user "bob": unrecognised password hash; plaintext passwords are not accepted`}},
		{"yescrypt", "bob:$y$j9T$F5Jx5fExrKuPp53xLKQ..1$X3DX6M94c7o.9agCG9G317fhZg9SqC.5i5rd.RhAtQ7", []string{"/etc/st2/htpasswd:1: user \"bob\": unsupported password hash scheme $y$"}},
		{
			"every bad line is reported",
			"a\nb:\n#c\nc:$apr1$x\nd:$2y$05$Vhvhbk0SYN3ncn9BSvXEHunzztBWfrwqOpX1D0GhrFvM1TcADpKoO\n",
			[]string{"htpasswd:1:", "htpasswd:2:", "htpasswd:4:", "malformed $apr1$ hash"},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Parse("/etc/st2/htpasswd", []byte(tc.data))
			if err == nil {
				t.Fatal("Parse succeeded, want an error")
			}
			for _, want := range tc.want {
				if !strings.Contains(err.Error(), want) {
					t.Errorf("error %q does not contain %q", err, want)
				}
			}
			if strings.Contains(err.Error(), "htpasswd:5:") {
				t.Errorf("error %q blames a good line", err)
			}
		})
	}
}

// writeFile replaces the file's content and gives it a modification time
// of its own, so that the change is visible whatever the file system's
// timestamp resolution.
func writeFile(t *testing.T, path, data string, mtime time.Time) {
	t.Helper()
	if err := os.WriteFile(path, []byte(data), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.Chtimes(path, mtime, mtime); err != nil {
		t.Fatal(err)
	}
}

func TestLoadReloadsChangedFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "htpasswd")
	base := time.Date(2024, 1, 2, 3, 4, 5, 0, time.UTC)
	writeFile(t, path, "alice:{SHA}i7YRj4/Wk1rQh2o740pxfTJwj/0=\n", base) // testpassword

	f, err := Load(path)
	if err != nil {
		t.Fatal(err)
	}
	if !f.Verify("alice", "testpassword") || f.Verify("bob", "") {
		t.Fatal("first version not in effect")
	}

	// Replace alice by bob (password "").
	writeFile(t, path, "bob:{SHA}2jmj7l5rSw0yVb/vlWAYkK/YBwk=\n", base.Add(time.Second))
	if f.Verify("alice", "testpassword") {
		t.Error("removed user alice still accepted")
	}
	if !f.Verify("bob", "") {
		t.Error("added user bob not accepted")
	}

	// A broken edit locks everyone out and says why.
	writeFile(t, path, "bob:{SHA}2jmj7l5rSw0yVb/vlWAYkK/YBwk=\nbroken line\n", base.Add(2*time.Second))
	if f.Verify("bob", "") {
		t.Error("bob accepted while the file is broken")
	}
	if err := f.Err(); err == nil || !strings.Contains(err.Error(), path+":2:") {
		t.Errorf("Err() = %v, want the broken line", err)
	}

	// Fixing it, even with the same size and time as an earlier good
	// version, brings the users back.
	writeFile(t, path, "bob:{SHA}2jmj7l5rSw0yVb/vlWAYkK/YBwk=\n", base.Add(time.Second))
	if !f.Verify("bob", "") || f.Err() != nil {
		t.Errorf("bob not accepted after the fix; Err() = %v", f.Err())
	}

	// A deleted file also fails closed.
	if err := os.Remove(path); err != nil {
		t.Fatal(err)
	}
	if f.Verify("bob", "") {
		t.Error("bob accepted after the file was deleted")
	}
	if err := f.Err(); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("Err() = %v, want fs.ErrNotExist", err)
	}
}

// TestUnchangedFileIsNotReread shows that Verify goes by the file's
// size, time and identity: content swapped behind its back with all three
// kept is not seen. (That is the price of not reading the file on every
// check; htpasswd always changes the time.)
func TestUnchangedFileIsNotReread(t *testing.T) {
	path := filepath.Join(t.TempDir(), "htpasswd")
	mtime := time.Date(2024, 1, 2, 3, 4, 5, 0, time.UTC)
	writeFile(t, path, "alice:{SHA}i7YRj4/Wk1rQh2o740pxfTJwj/0=\n", mtime) // testpassword
	f, err := Load(path)
	if err != nil {
		t.Fatal(err)
	}
	writeFile(t, path, "alice:{SHA}2jmj7l5rSw0yVb/vlWAYkK/YBwk=\n", mtime) // "", same size
	if !f.Verify("alice", "testpassword") || f.Verify("alice", "") {
		t.Error("an unchanged-looking file was re-read")
	}
	writeFile(t, path, "alice:{SHA}2jmj7l5rSw0yVb/vlWAYkK/YBwk=\n", mtime.Add(time.Nanosecond))
	if f.Verify("alice", "testpassword") || !f.Verify("alice", "") {
		t.Error("a file with a new modification time was not re-read")
	}
}

func TestLoadErrors(t *testing.T) {
	dir := t.TempDir()
	if _, err := Load(filepath.Join(dir, "missing")); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("Load(missing) = %v, want fs.ErrNotExist", err)
	}
	bad := filepath.Join(dir, "bad")
	writeFile(t, bad, "# ok\nuser\n", time.Now())
	if _, err := Load(bad); err == nil || !strings.Contains(err.Error(), bad+":2:") {
		t.Errorf("Load(bad) = %v, want an error naming %s:2", err, bad)
	}
}

func TestConcurrentVerify(t *testing.T) {
	path := filepath.Join(t.TempDir(), "htpasswd")
	writeFile(t, path, "alice:{SHA}i7YRj4/Wk1rQh2o740pxfTJwj/0=\n", time.Date(2024, 1, 2, 3, 4, 5, 0, time.UTC))
	f, err := Load(path)
	if err != nil {
		t.Fatal(err)
	}
	done := make(chan bool)
	for range 8 {
		go func() {
			ok := true
			for range 50 {
				ok = ok && f.Verify("alice", "testpassword")
			}
			done <- ok
		}()
	}
	for range 8 {
		if !<-done {
			t.Error("a concurrent Verify failed")
		}
	}
}
