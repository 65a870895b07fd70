package pack

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"

	"github.com/st2go/st2go/internal/model"
)

// metadataExts are the extensions of metadata files (StackStorm's ALLOWED_EXTS).
var metadataExts = []string{".yaml", ".yml"}

// Loaded is one pack read from disk.
type Loaded struct {
	Pack *model.Pack
	// Actions are the pack's valid actions, sorted by name.
	Actions []*model.Action

	// The other content kinds, as absolute paths of their metadata files
	// (sorted), for the loaders that will read them.
	Triggers []string
	Sensors  []string
	Rules    []string
	Aliases  []string
	Policies []string
	// ConfigSchema is the absolute path of config.schema.yaml, or "".
	ConfigSchema string

	// Warnings are problems that do not stop an action from loading,
	// because StackStorm registers the action all the same, but that will
	// make it fail or misbehave when it runs. Each is an *Error naming the
	// file and line. They never count as load errors: log them, and do not
	// fail a registration because of them.
	//
	// Load adds one for every template in a parameter default that cannot
	// be parsed: a template error (a *param.TemplateError; running the
	// action will fail) or text that ends inside a tag it opens (a
	// *param.SyntaxError; such a value is used as plain text), for each
	// action it loaded.
	// CheckRunners, which knows the runners' parameters, adds one for every
	// name a default's template reads that is not a parameter of the
	// action or its runner, nor action_context, config_context or st2kv,
	// for each action it keeps.
	Warnings []error

	meta map[string]*actionMeta // by action name
}

// Discover returns the pack directories under the base paths: every
// directory directly under a base path that holds a pack.yaml (symbolic
// links to directories count). Base paths are searched in order and a pack
// directory name found again in a later path is skipped, as StackStorm
// does. Within a base path, packs come in name order.
//
// A base path that does not exist or cannot be read is reported in the
// error; the packs found in the other paths are still returned.
func Discover(paths []string) ([]string, error) {
	var dirs []string
	var errs []error
	seen := map[string]bool{}
	for _, base := range paths {
		if base == "" {
			continue
		}
		entries, err := os.ReadDir(base)
		if err != nil {
			errs = append(errs, fmt.Errorf("reading packs directory: %w", err))
			continue
		}
		for _, e := range entries {
			name := e.Name()
			if name == "__pycache__" || seen[name] {
				continue
			}
			dir := filepath.Join(base, name)
			if st, err := os.Stat(dir); err != nil || !st.IsDir() {
				continue
			}
			if st, err := os.Stat(filepath.Join(dir, ManifestFile)); err != nil || !st.Mode().IsRegular() {
				continue
			}
			seen[name] = true
			dirs = append(dirs, dir)
		}
	}
	return dirs, errors.Join(errs...)
}

// Load reads the pack in dir. It returns nil and the errors when pack.yaml
// is missing or invalid. Otherwise it returns the pack with every action
// that loaded, and one error per action file that did not: a broken action
// never hides the others. Problems that do not stop an action from loading
// are in the pack's Warnings, not in the errors.
func Load(dir string) (*Loaded, []error) {
	abs, err := filepath.Abs(dir)
	if err != nil {
		return nil, []error{fmt.Errorf("loading pack %q: %w", dir, err)}
	}
	dir = abs
	p, errs := readPack(dir)
	if p == nil {
		return nil, errs
	}
	l := &Loaded{Pack: p, Actions: []*model.Action{}, meta: map[string]*actionMeta{}}

	actionFiles, err := metadataFiles(dir, "actions")
	if err != nil {
		errs = append(errs, err)
	}
	byName := map[string]string{}
	for _, file := range actionFiles {
		rel := filepath.ToSlash(mustRel(dir, file))
		a, meta, aerrs := readAction(p, file, rel)
		if len(aerrs) > 0 {
			errs = append(errs, aerrs...)
			continue
		}
		if first, dup := byName[a.Name]; dup {
			errs = append(errs, &Error{File: file, Line: meta.nameLine,
				Err: fmt.Errorf("action %q is already defined in %s", a.Name, first)})
			continue
		}
		byName[a.Name] = rel
		l.Actions = append(l.Actions, a)
		l.meta[a.Name] = meta
		l.Warnings = append(l.Warnings, templateWarnings(a, meta)...)
	}
	sort.Slice(l.Actions, func(i, j int) bool { return l.Actions[i].Name < l.Actions[j].Name })

	for _, kind := range []struct {
		dir  string
		dest *[]string
	}{
		{"triggers", &l.Triggers}, {"sensors", &l.Sensors}, {"rules", &l.Rules},
		{"aliases", &l.Aliases}, {"policies", &l.Policies},
	} {
		files, err := metadataFiles(dir, kind.dir)
		if err != nil {
			errs = append(errs, err)
		}
		*kind.dest = files
	}
	if st, err := os.Stat(filepath.Join(dir, "config.schema.yaml")); err == nil && st.Mode().IsRegular() {
		l.ConfigSchema = filepath.Join(dir, "config.schema.yaml")
	}
	return l, errs
}

// LoadAll discovers and loads every pack under the base paths. A pack
// whose ref was already loaded from an earlier directory is skipped with
// an error.
func LoadAll(paths []string) ([]*Loaded, []error) {
	dirs, err := Discover(paths)
	var errs []error
	if err != nil {
		errs = append(errs, err)
	}
	var packs []*Loaded
	byRef := map[string]string{}
	for _, dir := range dirs {
		l, lerrs := Load(dir)
		errs = append(errs, lerrs...)
		if l == nil {
			continue
		}
		if first, dup := byRef[l.Pack.Ref]; dup {
			errs = append(errs, &Error{File: filepath.Join(l.Pack.Path, ManifestFile),
				Err: fmt.Errorf("pack %q is already loaded from %s; skipping this copy", l.Pack.Ref, first)})
			continue
		}
		byRef[l.Pack.Ref] = l.Pack.Path
		packs = append(packs, l)
	}
	return packs, errs
}

// metadataFiles lists the metadata files directly inside dir/kind, sorted.
// The actions directory's config file (actions/config.yaml) is not an
// action and is left out, as StackStorm does.
func metadataFiles(dir, kind string) ([]string, error) {
	entries, err := os.ReadDir(filepath.Join(dir, kind))
	if errors.Is(err, os.ErrNotExist) {
		return []string{}, nil
	}
	if err != nil {
		return []string{}, fmt.Errorf("listing %s: %w", kind, err)
	}
	files := []string{}
	for _, e := range entries {
		name := e.Name()
		ext := filepath.Ext(name)
		if !slices.Contains(metadataExts, ext) || e.IsDir() {
			continue
		}
		if kind == "actions" && strings.TrimSuffix(name, ext) == "config" {
			continue
		}
		files = append(files, filepath.Join(dir, kind, name))
	}
	sort.Strings(files)
	return files, nil
}

func mustRel(base, path string) string {
	rel, err := filepath.Rel(base, path)
	if err != nil {
		return path
	}
	return rel
}
