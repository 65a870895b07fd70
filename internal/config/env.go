package config

import (
	"os"
	"path/filepath"
	"strings"
)

// lookupEnv finds name in an os.Environ-style list; the last entry wins.
func lookupEnv(env []string, name string) (string, bool) {
	value, found := "", false
	for _, kv := range env {
		if k, v, ok := strings.Cut(kv, "="); ok && k == name {
			value, found = v, true
		}
	}
	return value, found
}

// userBasePath is st2go's [system] base_path when there is no config file:
// a directory an ordinary user can write. In order: $ST2GO_HOME,
// $XDG_DATA_HOME/st2go (only if absolute, as the XDG spec requires),
// $HOME/.local/share/st2go. Without HOME in env it asks the OS for the
// home directory, and falls back to the temporary directory.
func userBasePath(env []string) string {
	if dir, _ := lookupEnv(env, "ST2GO_HOME"); dir != "" {
		return dir
	}
	if dir, _ := lookupEnv(env, "XDG_DATA_HOME"); filepath.IsAbs(dir) {
		return filepath.Join(dir, "st2go")
	}
	home, _ := lookupEnv(env, "HOME")
	if home == "" {
		var err error
		if home, err = os.UserHomeDir(); err != nil || home == "" {
			return filepath.Join(os.TempDir(), "st2go")
		}
	}
	return filepath.Join(home, ".local", "share", "st2go")
}
