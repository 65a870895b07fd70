package local

import "syscall"

// readOnlyFS reports whether path is on a read-only filesystem, where
// StackStorm skips its chmod +x of the script.
func readOnlyFS(path string) bool {
	var st syscall.Statfs_t
	if err := syscall.Statfs(path, &st); err != nil {
		return false
	}
	const stRdonly = 0x1 // ST_RDONLY
	return st.Flags&stRdonly != 0
}
