package pack

import (
	"crypto/sha256"
	"encoding/hex"
	"io/fs"
	"path/filepath"
	"regexp"
	"sort"
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/st2go/st2go/internal/model"
	"github.com/st2go/st2go/internal/yamlfile"
)

// ManifestFile is the file that makes a directory a pack.
const ManifestFile = "pack.yaml"

var (
	// refPattern is StackStorm's PACK_REF_WHITELIST_REGEX.
	refPattern = regexp.MustCompile(`^[a-z0-9_]+$`)
	// semverPattern is StackStorm's PACK_VERSION_REGEX.
	semverPattern = regexp.MustCompile(`^(?:0|[1-9]\d*)\.(?:0|[1-9]\d*)\.(?:0|[1-9]\d*)(?:-[\da-z\-]+(?:\.[\da-z\-]+)*)?(?:\+[\da-z\-]+(?:\.[\da-z\-]+)*)?$`)
	// st2VersionPattern is StackStorm's ST2_VERSION_REGEX (stackstorm_version).
	st2VersionPattern = regexp.MustCompile(`^((>?>|>=|=|<=|<?<)\s*[0-9]+\.[0-9]+\.[0-9]+?(\s*,)?\s*)+$`)
)

// reservedRefs are pack refs StackStorm refuses (RESERVED_PACK_LIST).
var reservedRefs = map[string]bool{"_global": true}

// ValidRef reports whether s may be used as a pack ref.
func ValidRef(s string) bool { return refPattern.MatchString(s) }

// StableID derives a 24-hex-digit id from a UID, so a resource keeps its
// id when it is loaded again.
func StableID(uid string) string {
	sum := sha256.Sum256([]byte(uid))
	return hex.EncodeToString(sum[:12])
}

// readPack reads and validates dir/pack.yaml. The directory's base name
// takes part in deriving the ref.
func readPack(dir string) (*model.Pack, []error) {
	file := filepath.Join(dir, ManifestFile)
	root, perr := yamlfile.ReadFile(file)
	if perr != nil {
		return nil, []error{perr}
	}
	if root == nil {
		return nil, []error{yamlfile.ErrorAt(file, nil, "pack metadata file is empty")}
	}
	if root.Kind != yaml.MappingNode {
		return nil, []error{yamlfile.ErrorAt(file, root, "pack metadata must be a mapping, not %s", yamlfile.Describe(root))}
	}

	p := &model.Pack{
		Keywords: []string{}, Contributors: []string{}, Dependencies: []string{},
		System: map[string]any{}, Files: []string{},
	}
	var errs []error
	fields := map[string]*yaml.Node{}
	for _, kv := range yamlfile.Entries(root) {
		fields[kv.Key] = kv.Value
		v := kv.Value
		var target *string
		switch kv.Key {
		case "ref":
			target = &p.Ref
		case "name":
			target = &p.Name
		case "description":
			target = &p.Description
		case "author":
			target = &p.Author
		case "email":
			target = &p.Email
		case "stackstorm_version":
			target = &p.StackstormVersion
		case "version":
			// StackStorm casts the version to a string first, so an
			// unquoted 1.0.0 and "1.0.0" are the same.
			if n := yamlfile.Deref(v); n.Kind == yaml.ScalarNode && !yamlfile.IsNull(n) {
				p.Version = n.Value
			} else if !yamlfile.IsNull(n) {
				errs = append(errs, yamlfile.ErrorAt(file, v, "version must be a string, not %s", yamlfile.Describe(v)))
			}
		case "keywords", "contributors", "dependencies", "python_versions":
			list, err := stringList(file, v, kv.Key)
			if err != nil {
				errs = append(errs, err)
				continue
			}
			switch kv.Key {
			case "keywords":
				p.Keywords = list
			case "contributors":
				for _, c := range list {
					if len(c) > 100 {
						errs = append(errs, yamlfile.ErrorAt(file, v, "contributors: %q is longer than 100 characters", c))
					}
				}
				p.Contributors = list
			case "dependencies":
				p.Dependencies = list
			case "python_versions":
				if e := checkPythonVersions(file, v, list); e != nil {
					errs = append(errs, e)
				}
				p.PythonVersions = list
			}
		case "system":
			if yamlfile.IsNull(v) {
				continue
			}
			if yamlfile.Deref(v).Kind != yaml.MappingNode {
				errs = append(errs, yamlfile.ErrorAt(file, v, "system must be a mapping, not %s", yamlfile.Describe(v)))
				continue
			}
			m, err := yamlfile.Value(v, nil)
			if err != nil {
				errs = append(errs, yamlfile.ErrorAt(file, v, "system: %v", err))
				continue
			}
			p.System = m.(map[string]any)
		}
		// Other keys (files, path, id, uid are computed; anything else is
		// allowed by StackStorm's schema) are ignored.
		if target != nil {
			s, ok := str(v)
			if !ok {
				errs = append(errs, yamlfile.ErrorAt(file, v, "%s must be a string, not %s", kv.Key, yamlfile.Describe(v)))
				continue
			}
			*target = s
		}
	}

	for _, req := range []string{"name", "description", "version", "author"} {
		if n, ok := fields[req]; !ok || yamlfile.IsNull(n) {
			errs = append(errs, yamlfile.ErrorAt(file, root, "missing required field %q", req))
		}
	}
	if p.Version != "" && !semverPattern.MatchString(p.Version) {
		errs = append(errs, yamlfile.ErrorAt(file, fields["version"],
			"version %q is not a semantic version (valid versions look like 0.1.0, 1.2.3)", p.Version))
	}
	if p.StackstormVersion != "" && !st2VersionPattern.MatchString(p.StackstormVersion) {
		errs = append(errs, yamlfile.ErrorAt(file, fields["stackstorm_version"],
			"stackstorm_version %q is not a version constraint like \">=3.0.0, <4.0.0\"", p.StackstormVersion))
	}
	if len(errs) > 0 {
		return nil, errs
	}

	// The ref: the ref field, else the directory name when it is a valid
	// ref, else the name when it is (StackStorm's get_pack_ref_from_metadata).
	switch dirName := filepath.Base(dir); {
	case p.Ref != "":
		if !ValidRef(p.Ref) {
			return nil, []error{yamlfile.ErrorAt(file, fields["ref"],
				"ref %q may contain only lowercase letters, digits and underscores", p.Ref)}
		}
	case ValidRef(dirName):
		p.Ref = dirName
	case ValidRef(p.Name):
		p.Ref = p.Name
	default:
		return nil, []error{yamlfile.ErrorAt(file, fields["name"],
			"name %q is not a valid pack ref and there is no ref field: add a ref made of lowercase letters, digits and underscores", p.Name)}
	}
	if reservedRefs[p.Ref] {
		return nil, []error{yamlfile.ErrorAt(file, root, "%q is a reserved name and cannot be used as a pack ref", p.Ref)}
	}

	p.UID = "pack:" + p.Ref
	p.ID = StableID(p.UID)
	p.Path = dir
	files, err := listFiles(dir)
	if err != nil {
		return nil, []error{&Error{File: dir, Err: err}}
	}
	p.Files = files
	return p, nil
}

func checkPythonVersions(file string, n *yaml.Node, list []string) *Error {
	if len(list) < 1 || len(list) > 2 {
		return yamlfile.ErrorAt(file, n, "python_versions must list one or two versions")
	}
	seen := map[string]bool{}
	for _, v := range list {
		if v != "2" && v != "3" {
			return yamlfile.ErrorAt(file, n, "python_versions: %q is not one of \"2\", \"3\"", v)
		}
		if seen[v] {
			return yamlfile.ErrorAt(file, n, "python_versions: %q is listed twice", v)
		}
		seen[v] = true
	}
	return nil
}

// listFiles returns every file under dir relative to it, sorted, without
// compiled Python files or the top-level .git directory (StackStorm's
// EXCLUDE_FILE_PATTERNS).
func listFiles(dir string) ([]string, error) {
	files := []string{}
	err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, err := filepath.Rel(dir, path)
		if err != nil {
			return err
		}
		rel = filepath.ToSlash(rel)
		if d.IsDir() {
			if rel == ".git" {
				return fs.SkipDir
			}
			return nil
		}
		if strings.HasSuffix(rel, ".pyc") {
			return nil
		}
		files = append(files, rel)
		return nil
	})
	if err != nil {
		return nil, err
	}
	sort.Strings(files)
	return files, nil
}
