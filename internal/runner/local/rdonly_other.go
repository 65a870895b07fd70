//go:build !linux

package local

// readOnlyFS always reports false where statfs flags are not read.
func readOnlyFS(string) bool { return false }
