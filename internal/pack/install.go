package pack

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"strings"
)

// InstallBuiltin copies the packs in fsys (each a top-level directory with
// a pack.yaml, as in contrib/packs.FS) into dest. A pack is written when
// dest/<pack>/pack.yaml is missing or differs from the one in fsys, so a
// new st2go release updates its packs and an unchanged one leaves the
// directory alone. Writing overwrites the pack's files one by one (pack.yaml
// last, so an interrupted install is redone on the next start) and leaves
// files fsys does not have in place. Files under actions/ that start with
// "#!" are made executable.
func InstallBuiltin(fsys fs.FS, dest string) error {
	entries, err := fs.ReadDir(fsys, ".")
	if err != nil {
		return fmt.Errorf("reading built-in packs: %w", err)
	}
	for _, e := range entries {
		if !e.IsDir() {
			continue
		}
		name := e.Name()
		manifest, err := fs.ReadFile(fsys, path.Join(name, ManifestFile))
		if errors.Is(err, fs.ErrNotExist) {
			continue
		}
		if err != nil {
			return fmt.Errorf("reading built-in pack %q: %w", name, err)
		}
		current, err := os.ReadFile(filepath.Join(dest, name, ManifestFile))
		if err == nil && bytes.Equal(current, manifest) {
			continue
		}
		if err := installPack(fsys, name, filepath.Join(dest, name)); err != nil {
			return fmt.Errorf("installing built-in pack %q: %w", name, err)
		}
	}
	return nil
}

func installPack(fsys fs.FS, name, dir string) error {
	var files []string
	err := fs.WalkDir(fsys, name, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel := strings.TrimPrefix(p, name+"/")
		switch {
		case d.IsDir():
			if p == name {
				return os.MkdirAll(dir, 0o755)
			}
			return os.MkdirAll(filepath.Join(dir, filepath.FromSlash(rel)), 0o755)
		case rel != ManifestFile:
			files = append(files, rel)
		}
		return nil
	})
	if err != nil {
		return err
	}
	for _, rel := range append(files, ManifestFile) {
		data, err := fs.ReadFile(fsys, name+"/"+rel)
		if err != nil {
			return err
		}
		mode := fs.FileMode(0o644)
		if strings.HasPrefix(rel, "actions/") && bytes.HasPrefix(data, []byte("#!")) {
			mode = 0o755
		}
		if err := writeFile(filepath.Join(dir, filepath.FromSlash(rel)), data, mode); err != nil {
			return err
		}
	}
	return nil
}

// writeFile replaces path with data through a temporary file and a rename,
// so a reader never sees a half-written file.
func writeFile(path string, data []byte, mode fs.FileMode) error {
	tmp, err := os.CreateTemp(filepath.Dir(path), ".install-*")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name()) // no-op once renamed
	if _, err := tmp.Write(data); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	if err := os.Chmod(tmp.Name(), mode); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), path)
}
