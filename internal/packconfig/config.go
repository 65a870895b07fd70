package packconfig

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/st2go/st2go/internal/pack"
)

// Config is a pack's site config.
type Config struct {
	// File is the config's path (<configs dir>/<pack>.yaml), for messages.
	File   string
	Values map[string]any
	lines  lineMap // attribute path → line in File; nil for values from no file
}

// Path returns where a pack's site config lives in a configs directory.
func Path(configsDir, packRef string) string {
	return filepath.Join(configsDir, packRef+".yaml")
}

// LoadConfig reads a site config file. A missing file is an error wrapping
// fs.ErrNotExist.
func LoadConfig(path string) (*Config, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("reading config: %w", err)
	}
	return ParseConfig(path, data)
}

// ParseConfig reads a site config document; file names it in errors. An
// empty document is an empty config.
func ParseConfig(file string, data []byte) (*Config, error) {
	root, perr := parseYAML(file, data)
	if perr != nil {
		return nil, perr
	}
	c := &Config{File: file, Values: map[string]any{}, lines: lineMap{}}
	if root == nil {
		return c, nil
	}
	if root.Kind != yaml.MappingNode {
		return nil, errAt(file, root, "config must be a mapping of config item names to values, not %s", shapeName(root))
	}
	v, verr := toValue(file, root, c.lines)
	if verr != nil {
		return nil, verr
	}
	c.Values = v.(map[string]any)
	return c, nil
}

// NewConfig wraps values that come from no file, such as an API request
// that will be saved to file. Errors about them name file with no line.
func NewConfig(file string, values map[string]any) *Config {
	if values == nil {
		values = map[string]any{}
	}
	return &Config{File: file, Values: values}
}

// line returns the line of the attribute at path, or of its nearest
// ancestor that has one.
func (c *Config) line(path []string) int {
	for i := len(path); i > 0 && c.lines != nil; i-- {
		if l, ok := c.lines[pathKey(path[:i])]; ok {
			return l
		}
	}
	return 0
}

// Loaded is a pack's config schema and site config.
type Loaded struct {
	Pack string
	// Schema is nil when the pack has no config schema.
	Schema *Schema
	// Config is nil when the pack has no site config.
	Config *Config
}

// Load reads a pack's config schema from schemaPath (pack.Loaded's
// ConfigSchema; "" or a missing file means none) and its site config from
// configsDir (a missing file, or no configsDir, means none), and validates the config against
// the schema. When only the validation fails, Load returns both parts with
// the validation error (each problem an *Error), so callers can still
// serve or mask the config; when a file cannot be read, it returns nil.
func Load(packRef, schemaPath, configsDir string) (*Loaded, error) {
	l := &Loaded{Pack: packRef}
	if schemaPath != "" {
		s, err := LoadSchema(schemaPath)
		switch {
		case errors.Is(err, fs.ErrNotExist):
		case err != nil:
			return nil, fmt.Errorf("loading config schema of pack %q: %w", packRef, err)
		default:
			l.Schema = s
		}
	}
	if configsDir == "" {
		return l, nil
	}
	c, err := LoadConfig(Path(configsDir, packRef))
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return l, nil
	case err != nil:
		return nil, fmt.Errorf("loading config of pack %q: %w", packRef, err)
	}
	l.Config = c
	if err := Validate(c, l.Schema); err != nil {
		return l, fmt.Errorf("validating config of pack %q: %w", packRef, err)
	}
	return l, nil
}

// Values returns the config as actions and sensors get it: a copy of the
// site config's values (none when there is no config) with the schema's
// defaults applied. Dynamic values are still unrendered strings.
func (l *Loaded) Values() map[string]any {
	var v map[string]any
	if l.Config != nil {
		v = l.Config.Values
	}
	return WithDefaults(v, l.Schema)
}

// Save writes a pack's config values to <configsDir>/<pack>.yaml as
// StackStorm does (YAML, block style, sorted keys) and returns the path.
// The write is atomic: readers see the old file or the new one, never a
// part. The directory is created when missing; a new file is readable by
// its owner only, as it may hold secrets, and a replaced one keeps its mode.
func Save(configsDir, packRef string, values map[string]any) (string, error) {
	if !pack.ValidRef(packRef) {
		return "", fmt.Errorf("saving config: %q is not a valid pack ref", packRef)
	}
	if configsDir == "" {
		return "", fmt.Errorf("saving config of pack %q: no configs directory", packRef)
	}
	data, err := Marshal(values)
	if err != nil {
		return "", fmt.Errorf("saving config of pack %q: %w", packRef, err)
	}
	if err := os.MkdirAll(configsDir, 0o755); err != nil {
		return "", fmt.Errorf("saving config of pack %q: %w", packRef, err)
	}
	path := Path(configsDir, packRef)
	mode := fs.FileMode(0o600)
	if st, err := os.Stat(path); err == nil {
		mode = st.Mode().Perm()
	}
	if err := writeAtomic(path, data, mode); err != nil {
		return "", fmt.Errorf("saving config of pack %q: %w", packRef, err)
	}
	return path, nil
}

func writeAtomic(path string, data []byte, mode fs.FileMode) (err error) {
	f, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".*.tmp")
	if err != nil {
		return err
	}
	defer func() {
		if err != nil {
			f.Close()
			os.Remove(f.Name())
		}
	}()
	if _, err = f.Write(data); err != nil {
		return err
	}
	if err = f.Chmod(mode); err != nil {
		return err
	}
	if err = f.Sync(); err != nil {
		return err
	}
	if err = f.Close(); err != nil {
		return err
	}
	return os.Rename(f.Name(), path)
}

// Marshal renders config values as the YAML Save writes. Strings that
// YAML would read as something else are quoted, and floats keep a decimal
// point, so PyYAML and st2go read back exactly the values written.
func Marshal(values map[string]any) ([]byte, error) {
	if values == nil {
		values = map[string]any{}
	}
	var b bytes.Buffer
	enc := yaml.NewEncoder(&b)
	enc.SetIndent(2)
	if err := enc.Encode(forYAML(values)); err != nil {
		return nil, fmt.Errorf("encoding YAML: %w", err)
	}
	if err := enc.Close(); err != nil {
		return nil, fmt.Errorf("encoding YAML: %w", err)
	}
	return b.Bytes(), nil
}

// yamlFloat is a float that encodes with a decimal point.
type yamlFloat float64

func (f yamlFloat) MarshalYAML() (any, error) {
	v := float64(f)
	if math.IsInf(v, 0) || math.IsNaN(v) {
		return nil, fmt.Errorf("%v cannot be written to a config", v)
	}
	s := strconv.FormatFloat(v, 'g', -1, 64)
	mant, exp, hasExp := strings.Cut(s, "e")
	if !strings.Contains(mant, ".") {
		mant += ".0"
	}
	if hasExp {
		s = mant + "e" + exp
	} else {
		s = mant
	}
	return &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!float", Value: s}, nil
}

// forYAML converts values for the encoder: floats to yamlFloat, numbers
// from JSON to int or float.
func forYAML(v any) any {
	switch x := v.(type) {
	case map[string]any:
		out := make(map[string]any, len(x))
		for k, e := range x {
			out[k] = forYAML(e)
		}
		return out
	case []any:
		out := make([]any, len(x))
		for i, e := range x {
			out[i] = forYAML(e)
		}
		return out
	case float32:
		return yamlFloat(x)
	case float64:
		return yamlFloat(x)
	case json.Number:
		if i, err := x.Int64(); err == nil {
			return i
		}
		f, _ := x.Float64()
		return yamlFloat(f)
	}
	return v
}
