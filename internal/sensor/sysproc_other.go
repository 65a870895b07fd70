//go:build !linux

package sensor

import "syscall"

// sysProcAttr puts a sensor in its own process group, so stopping it
// reaches what it started.
func sysProcAttr() *syscall.SysProcAttr {
	return &syscall.SysProcAttr{Setpgid: true}
}
