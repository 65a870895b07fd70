// Package proctrack remembers the process groups of running actions in a
// directory, one small file each, so that after a crash (kill -9 of st2d)
// the next start can stop the groups the dead process left behind.
//
// A record holds the group id and the kernel's start time of its leader;
// a group is only signalled when both still match, so a recycled pid is
// never hit. Linux only (it reads /proc); elsewhere Sweep does nothing.
package proctrack

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
)

// Dir is a tracking directory.
type Dir struct{ path string }

// Open returns the tracking directory at path, creating it.
func Open(path string) (*Dir, error) {
	if err := os.MkdirAll(path, 0o700); err != nil {
		return nil, fmt.Errorf("creating process tracking directory: %w", err)
	}
	return &Dir{path: path}, nil
}

// startTime is field 22 of /proc/<pid>/stat: when the process started, in
// clock ticks since boot.
func startTime(pid int) (string, bool) {
	b, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/stat")
	if err != nil {
		return "", false
	}
	// The command name (field 2) may hold spaces; fields resume after ")".
	s := string(b)
	i := strings.LastIndexByte(s, ')')
	if i < 0 {
		return "", false
	}
	f := strings.Fields(s[i+1:])
	if len(f) < 20 {
		return "", false
	}
	return f[19], true
}

// Track records that key (an execution id) runs process group pgid and
// returns a function that forgets it.
func (d *Dir) Track(key string, pgid int) (forget func()) {
	st, ok := startTime(pgid)
	if !ok {
		return func() {}
	}
	path := filepath.Join(d.path, key)
	if err := os.WriteFile(path, []byte(strconv.Itoa(pgid)+" "+st+"\n"), 0o600); err != nil {
		return func() {}
	}
	return func() { os.Remove(path) }
}

// Sweep kills every recorded group whose leader is still the process that
// was recorded, removes all records, and returns the keys it killed. Call
// it at start, before any execution runs.
func (d *Dir) Sweep() ([]string, error) {
	entries, err := os.ReadDir(d.path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("reading process tracking directory: %w", err)
	}
	var killed []string
	for _, e := range entries {
		path := filepath.Join(d.path, e.Name())
		b, err := os.ReadFile(path)
		os.Remove(path)
		if err != nil {
			continue
		}
		fields := strings.Fields(string(b))
		if len(fields) != 2 {
			continue
		}
		pgid, err := strconv.Atoi(fields[0])
		if err != nil || pgid <= 1 {
			continue
		}
		if st, alive := startTime(pgid); alive && st == fields[1] {
			if syscall.Kill(-pgid, syscall.SIGKILL) == nil {
				killed = append(killed, e.Name())
			}
		}
	}
	return killed, nil
}
