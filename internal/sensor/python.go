package sensor

import (
	"fmt"
	"io/fs"
	"os"
	"path/filepath"

	python "github.com/st2go/st2go/contrib/python"
)

// compatRoot is the directory inside python.FS that goes on PYTHONPATH.
const compatRoot = "st2go_compat"

// wrapperScript is the sensor wrapper's file name inside compatRoot.
const wrapperScript = "st2go_sensor_wrapper.py"

// WritePythonPackage writes st2go's Python compatibility package (the
// importable st2reactor/st2common modules and the sensor wrapper) into
// dir, replacing files a previous version left there, and returns the
// directory to put on PYTHONPATH.
func WritePythonPackage(dir string) (string, error) {
	root := filepath.Join(dir, compatRoot)
	err := fs.WalkDir(python.FS, compatRoot, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		dest := filepath.Join(dir, filepath.FromSlash(path))
		if d.IsDir() {
			return os.MkdirAll(dest, 0o755)
		}
		b, err := fs.ReadFile(python.FS, path)
		if err != nil {
			return err
		}
		// Write beside and rename, so a Python process starting meanwhile
		// never reads half a file.
		tmp, err := os.CreateTemp(filepath.Dir(dest), ".tmp-*")
		if err != nil {
			return err
		}
		if _, err := tmp.Write(b); err != nil {
			tmp.Close()
			os.Remove(tmp.Name())
			return err
		}
		if err := tmp.Chmod(0o644); err != nil {
			tmp.Close()
			os.Remove(tmp.Name())
			return err
		}
		if err := tmp.Close(); err != nil {
			os.Remove(tmp.Name())
			return err
		}
		return os.Rename(tmp.Name(), dest)
	})
	if err != nil {
		return "", fmt.Errorf("writing python package to %s: %w", dir, err)
	}
	return root, nil
}
