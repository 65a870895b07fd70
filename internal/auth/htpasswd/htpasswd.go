package htpasswd

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"sort"
	"strings"
	"sync"
)

// File is a parsed htpasswd file. The zero value has no users.
type File struct {
	name string // file name used in error messages
	path string // file to re-read when it changes; empty for Parse

	mu      sync.RWMutex
	entries map[string]verifier
	stamp   stamp // what the file looked like when entries were read
	err     error // why the last re-read failed; nil when entries are current
}

// stamp identifies one version of a file on disk: the same file (device
// and inode), modification time and size.
type stamp struct{ info os.FileInfo }

func (s stamp) same(info os.FileInfo) bool {
	return s.info != nil && os.SameFile(s.info, info) &&
		s.info.ModTime().Equal(info.ModTime()) && s.info.Size() == info.Size()
}

// Load reads and parses the htpasswd file at path. The returned File
// re-reads the file whenever it changes on disk (see [File.Verify]).
func Load(path string) (*File, error) {
	f := &File{name: path, path: path}
	if err := f.Reload(); err != nil {
		return nil, err
	}
	return f, nil
}

// Parse parses htpasswd data held in memory; name is used in error
// messages only. Every malformed line is reported, each as name:line.
func Parse(name string, data []byte) (*File, error) {
	entries, err := parse(name, data)
	if err != nil {
		return nil, err
	}
	return &File{name: name, entries: entries}, nil
}

// Reload re-reads the file given to [Load] if it changed since it was last
// read. After a failed re-read the File refuses every password until a
// later re-read succeeds: an operator who removed a user must not find the
// old entry still working because they left a typo elsewhere. Reload does
// nothing for a File made by [Parse].
func (f *File) Reload() error {
	if f.path == "" {
		return nil
	}
	info, err := os.Stat(f.path)
	if err != nil {
		return f.failed(fmt.Errorf("reading htpasswd file: %w", err))
	}
	f.mu.RLock()
	current := f.err == nil && f.stamp.same(info)
	f.mu.RUnlock()
	if current {
		return nil
	}

	f.mu.Lock()
	defer f.mu.Unlock()
	if f.err == nil && f.stamp.same(info) {
		return nil // another goroutine re-read it meanwhile
	}
	// The stamp is taken before reading: if a writer changes the file after
	// the Stat, the next call sees a newer stamp and reads it again.
	data, err := os.ReadFile(f.path)
	if err != nil {
		f.entries, f.stamp, f.err = nil, stamp{}, fmt.Errorf("reading htpasswd file: %w", err)
		return f.err
	}
	entries, err := parse(f.name, data)
	if err != nil {
		f.entries, f.stamp, f.err = nil, stamp{}, err
		return err
	}
	f.entries, f.stamp, f.err = entries, stamp{info}, nil
	return nil
}

func (f *File) failed(err error) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.entries, f.stamp, f.err = nil, stamp{}, err
	return err
}

// Err reports why the last re-read of the file failed, or nil when the
// entries in use are those of the file on disk.
func (f *File) Err() error {
	f.mu.RLock()
	defer f.mu.RUnlock()
	return f.err
}

// Verify reports whether password is the password of user. For a File
// made by [Load] it first re-reads the file if it changed; if the file can
// no longer be read or parsed, Verify returns false for everyone (see
// [File.Err] for the reason).
func (f *File) Verify(user, password string) bool {
	_ = f.Reload() // the error stays in f.err and entries are cleared
	f.mu.RLock()
	v, ok := f.entries[user]
	f.mu.RUnlock()
	if !ok {
		// Spend the time a real check would, so that an unknown user
		// cannot be told apart from a wrong password by response time.
		dummyHash.verify(password)
		return false
	}
	return v.verify(password)
}

// Users returns the user names in the file, sorted.
func (f *File) Users() []string {
	f.mu.RLock()
	defer f.mu.RUnlock()
	users := make([]string, 0, len(f.entries))
	for u := range f.entries {
		users = append(users, u)
	}
	sort.Strings(users)
	return users
}

// parse turns htpasswd data into user entries, collecting one error per
// bad line.
func parse(name string, data []byte) (map[string]verifier, error) {
	entries := map[string]verifier{}
	var errs []error
	for i, raw := range bytes.Split(data, []byte("\n")) {
		lineno := i + 1
		line := strings.TrimSpace(string(raw))
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		user, rest, found := strings.Cut(line, ":")
		if !found {
			errs = append(errs, fmt.Errorf(`%s:%d: expected "user:hash", found no ":"`, name, lineno))
			continue
		}
		if user == "" {
			errs = append(errs, fmt.Errorf("%s:%d: empty user name", name, lineno))
			continue
		}
		// Apache's mod_authn_file reads the hash up to the next colon and
		// ignores the rest of the line.
		hash, _, _ := strings.Cut(rest, ":")
		v, err := parseHash(hash)
		if err != nil {
			errs = append(errs, fmt.Errorf("%s:%d: user %q: %w", name, lineno, user, err))
			continue
		}
		if _, dup := entries[user]; dup {
			continue // the first entry wins, as in Apache and passlib
		}
		entries[user] = v
	}
	if len(errs) > 0 {
		return nil, fmt.Errorf("parsing htpasswd file: %w", errors.Join(errs...))
	}
	return entries, nil
}
