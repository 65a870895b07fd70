package sensor

import "syscall"

// sysProcAttr puts a sensor in its own process group (so stopping it
// reaches what it started) and has the kernel send it SIGTERM if st2go
// dies without stopping it.
func sysProcAttr() *syscall.SysProcAttr {
	return &syscall.SysProcAttr{Setpgid: true, Pdeathsig: syscall.SIGTERM}
}
