package pack

import (
	"os"
	"path/filepath"
	"testing"
	"testing/fstest"
)

func readFile(t *testing.T, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func TestInstallBuiltin(t *testing.T) {
	fsys := fstest.MapFS{
		"one/pack.yaml":          {Data: []byte("version: 1.0.0\n")},
		"one/actions/a.yaml":     {Data: []byte("name: a\n")},
		"one/actions/run.sh":     {Data: []byte("#!/bin/sh\necho hi\n")},
		"one/actions/lib/x.py":   {Data: []byte("#!/usr/bin/env python\n")},
		"one/README.md":          {Data: []byte("#!not a script: not under actions/\n")},
		"notapack/something.txt": {Data: []byte("ignored\n")},
	}
	dest := t.TempDir()
	if err := InstallBuiltin(fsys, dest); err != nil {
		t.Fatal(err)
	}
	for rel, want := range map[string]os.FileMode{
		"one/pack.yaml":        0o644,
		"one/actions/a.yaml":   0o644,
		"one/actions/run.sh":   0o755,
		"one/actions/lib/x.py": 0o755,
		"one/README.md":        0o644,
	} {
		st, err := os.Stat(filepath.Join(dest, rel))
		if err != nil {
			t.Fatal(err)
		}
		if st.Mode().Perm() != want {
			t.Errorf("%s mode = %v, want %v", rel, st.Mode().Perm(), want)
		}
	}
	if _, err := os.Stat(filepath.Join(dest, "notapack")); !os.IsNotExist(err) {
		t.Errorf("a directory without pack.yaml was installed (stat: %v)", err)
	}

	// Same pack.yaml: files on disk are left alone, edits included.
	action := filepath.Join(dest, "one/actions/a.yaml")
	if err := os.WriteFile(action, []byte("name: edited\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	extra := filepath.Join(dest, "one/actions/extra.yaml")
	if err := os.WriteFile(extra, []byte("name: extra\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := InstallBuiltin(fsys, dest); err != nil {
		t.Fatal(err)
	}
	if got := readFile(t, action); got != "name: edited\n" {
		t.Errorf("unchanged pack was rewritten: a.yaml = %q", got)
	}

	// A new pack.yaml: the pack is written again; files the new version
	// does not have stay.
	fsys["one/pack.yaml"] = &fstest.MapFile{Data: []byte("version: 1.1.0\n")}
	if err := InstallBuiltin(fsys, dest); err != nil {
		t.Fatal(err)
	}
	if got := readFile(t, action); got != "name: a\n" {
		t.Errorf("after upgrade a.yaml = %q, want the built-in content", got)
	}
	if got := readFile(t, filepath.Join(dest, "one/pack.yaml")); got != "version: 1.1.0\n" {
		t.Errorf("after upgrade pack.yaml = %q", got)
	}
	if got := readFile(t, extra); got != "name: extra\n" {
		t.Errorf("extra file = %q", got)
	}
	top, _ := filepath.Glob(filepath.Join(dest, "one", ".install-*"))
	nested, _ := filepath.Glob(filepath.Join(dest, "one", "*", ".install-*"))
	if leftovers := append(top, nested...); len(leftovers) > 0 {
		t.Errorf("temporary files left behind: %v", leftovers)
	}
}

func TestInstallBuiltinUnwritable(t *testing.T) {
	dest := filepath.Join(t.TempDir(), "file")
	if err := os.WriteFile(dest, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	fsys := fstest.MapFS{"one/pack.yaml": {Data: []byte("x: 1\n")}}
	if err := InstallBuiltin(fsys, dest); err == nil {
		t.Error("InstallBuiltin into a regular file succeeded")
	}
}
