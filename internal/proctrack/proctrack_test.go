package proctrack

import (
	"os/exec"
	"syscall"
	"testing"
	"time"
)

func TestSweepKillsRecordedGroupOnly(t *testing.T) {
	d, err := Open(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	start := func() *exec.Cmd {
		c := exec.Command("sh", "-c", "sleep 30 & sleep 30; wait")
		c.SysProcAttr = &syscall.SysProcAttr{Setsid: true}
		if err := c.Start(); err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { syscall.Kill(-c.Process.Pid, syscall.SIGKILL); c.Wait() })
		return c
	}
	tracked, other := start(), start()
	d.Track("exec1", tracked.Process.Pid)
	forget := d.Track("exec2", other.Process.Pid)
	forget() // finished normally: must not be touched
	killed, err := d.Sweep()
	if err != nil || len(killed) != 1 || killed[0] != "exec1" {
		t.Fatalf("Sweep = %v, %v", killed, err)
	}
	done := make(chan error, 1)
	go func() { done <- tracked.Wait() }()
	select {
	case <-done:
	case <-time.After(10 * time.Second):
		t.Fatal("tracked group still running")
	}
	if other.ProcessState != nil {
		t.Fatal("untracked group was killed")
	}
	if err := syscall.Kill(other.Process.Pid, 0); err != nil {
		t.Fatalf("untracked group gone: %v", err)
	}
	if again, _ := d.Sweep(); len(again) != 0 {
		t.Fatalf("records left after a sweep: %v", again)
	}
}

func TestSweepIgnoresRecycledPids(t *testing.T) {
	d, _ := Open(t.TempDir())
	c := exec.Command("true")
	c.Run()
	// A record for a pid that is gone (or reused by a process with another start time).
	d.Track("gone", c.Process.Pid)
	if killed, _ := d.Sweep(); len(killed) != 0 {
		t.Fatalf("killed %v", killed)
	}
}
