// Package proctrack remembers the process groups of running actions in a
// directory, one small file each, so that after a crash (kill -9 of st2d)
// the next start can stop the groups the dead process left behind.
//
// A record holds the group id and the time it was recorded, just after
// the leader started; a group is only signalled when its leader still
// exists and started within a second or two of that time, so a recycled
// pid is never hit. Linux only (Sweep reads /proc); elsewhere it finds
// nothing to kill. Tracking costs one small file write, no /proc read.
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
	"time"
)

// maxSkew is how far a leader's start time may be from its record's time.
const maxSkew = 2 * time.Second

// Dir is a tracking directory.
type Dir struct{ path string }

// Open returns the tracking directory at path, creating it.
func Open(path string) (*Dir, error) {
	if err := os.MkdirAll(path, 0o700); err != nil {
		return nil, fmt.Errorf("creating process tracking directory: %w", err)
	}
	return &Dir{path: path}, nil
}

// clockTicks is the kernel's USER_HZ, the unit of /proc start times; it is
// 100 on every Linux architecture Go supports.
const clockTicks = 100

// startedAt is when a process started (from field 22 of /proc/<pid>/stat,
// clock ticks since boot, plus the boot time from /proc/stat).
func startedAt(pid int) (time.Time, bool) {
	ticks, ok := startTicks(pid)
	if !ok {
		return time.Time{}, false
	}
	b, err := os.ReadFile("/proc/stat")
	if err != nil {
		return time.Time{}, false
	}
	for _, line := range strings.Split(string(b), "\n") {
		if rest, found := strings.CutPrefix(line, "btime "); found {
			boot, err := strconv.ParseInt(strings.TrimSpace(rest), 10, 64)
			if err != nil {
				return time.Time{}, false
			}
			return time.Unix(boot, 0).Add(time.Duration(ticks) * time.Second / clockTicks), true
		}
	}
	return time.Time{}, false
}

func startTicks(pid int) (int64, bool) {
	b, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/stat")
	if err != nil {
		return 0, false
	}
	// The command name (field 2) may hold spaces; fields resume after ")".
	s := string(b)
	i := strings.LastIndexByte(s, ')')
	if i < 0 {
		return 0, false
	}
	f := strings.Fields(s[i+1:])
	if len(f) < 20 {
		return 0, false
	}
	n, err := strconv.ParseInt(f[19], 10, 64)
	return n, err == nil
}

// Track records that key (an execution id) runs process group pgid and
// returns a function that forgets it.
func (d *Dir) Track(key string, pgid int) (forget func()) {
	path := filepath.Join(d.path, key)
	rec := strconv.Itoa(pgid) + " " + strconv.FormatInt(time.Now().UnixNano(), 10) + "\n"
	if err := os.WriteFile(path, []byte(rec), 0o600); err != nil {
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
		recorded, err2 := strconv.ParseInt(fields[1], 10, 64)
		if err != nil || err2 != nil || pgid <= 1 {
			continue
		}
		// The leader started just before it was recorded; allow for the
		// tick granularity of /proc start times and a loaded machine.
		if started, alive := startedAt(pgid); alive && started.Sub(time.Unix(0, recorded)).Abs() < maxSkew {
			if syscall.Kill(-pgid, syscall.SIGKILL) == nil {
				killed = append(killed, e.Name())
			}
		}
	}
	return killed, nil
}
