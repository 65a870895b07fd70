package cli

import (
	"encoding/json"
	"fmt"
	"math"
	"math/big"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/st2go/st2go/internal/client"
	"github.com/st2go/st2go/internal/pyfmt"
	"github.com/st2go/st2go/internal/pyyaml"
)

// loadMetaFile reads a .json, .yaml or .yml file the way StackStorm's
// load_meta_file does (json.load or yaml.safe_load), into the values
// internal/client decodes JSON to (*client.Object keeps key order).
func loadMetaFile(path string) (any, error) {
	if fi, err := os.Stat(path); err != nil || !fi.Mode().IsRegular() {
		return nil, fmt.Errorf("File %q does not exist.", path)
	}
	ext := filepath.Ext(path)
	if strings.HasPrefix(filepath.Base(path), ".") && strings.Count(filepath.Base(path), ".") == 1 {
		ext = "" // Python's splitext: a leading dot starts no extension
	}
	if ext != ".json" && ext != ".yaml" && ext != ".yml" {
		return nil, fmt.Errorf("Unsupported meta type %s, file %s. Allowed: ['.json', '.yaml', '.yml']", ext, path)
	}
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("reading %s: %w", path, err)
	}
	if ext == ".json" {
		v, err := client.Decode(data)
		if err != nil {
			return nil, fmt.Errorf("parsing %s: %w", path, err)
		}
		return v, nil
	}
	var doc yaml.Node
	if err := yaml.Unmarshal(data, &doc); err != nil {
		return nil, fmt.Errorf("parsing %s: %w", path, err)
	}
	if doc.Kind != yaml.DocumentNode || len(doc.Content) == 0 {
		return nil, nil
	}
	return yamlValue(doc.Content[0], 0)
}

// yamlValue converts a YAML node as PyYAML's safe_load would: plain
// scalars are resolved with YAML 1.1's rules (yes/no/on/off are booleans,
// 010 is octal, 1_000 is an integer), quoted ones stay strings.
// Timestamps stay strings.
func yamlValue(n *yaml.Node, depth int) (any, error) {
	if depth > 1000 {
		return nil, fmt.Errorf("parsing YAML: nesting too deep at line %d", n.Line)
	}
	for n.Kind == yaml.AliasNode {
		n = n.Alias
	}
	switch n.Kind {
	case yaml.MappingNode:
		o := client.NewObject()
		for i := 0; i+1 < len(n.Content); i += 2 {
			k, err := yamlValue(n.Content[i], depth+1)
			if err != nil {
				return nil, err
			}
			v, err := yamlValue(n.Content[i+1], depth+1)
			if err != nil {
				return nil, err
			}
			key, ok := k.(string)
			if !ok {
				key = pyfmt.Str(k)
			}
			o.Set(key, v)
		}
		return o, nil
	case yaml.SequenceNode:
		l := []any{}
		for _, c := range n.Content {
			v, err := yamlValue(c, depth+1)
			if err != nil {
				return nil, err
			}
			l = append(l, v)
		}
		return l, nil
	case yaml.ScalarNode:
		if n.Style&yaml.TaggedStyle != 0 {
			return yamlTagged(n)
		}
		if n.Style&(yaml.DoubleQuotedStyle|yaml.SingleQuotedStyle|yaml.LiteralStyle|yaml.FoldedStyle) != 0 {
			return n.Value, nil
		}
		return yamlPlain(n.Value), nil
	}
	return nil, nil
}

func yamlTagged(n *yaml.Node) (any, error) {
	switch n.Tag {
	case "!!str":
		return n.Value, nil
	case "!!null":
		return nil, nil
	case "!!bool", "!!int", "!!float":
		return yamlPlain(n.Value), nil
	}
	return nil, fmt.Errorf("parsing YAML: could not determine a constructor for the tag %q (line %d)", n.Tag, n.Line)
}

// yamlPlain resolves a plain scalar with PyYAML's implicit resolvers.
func yamlPlain(s string) any {
	switch pyyaml.Resolve(s) {
	case pyyaml.Null:
		return nil
	case pyyaml.Bool:
		switch strings.ToLower(s) {
		case "yes", "true", "on":
			return true
		}
		return false
	case pyyaml.Int:
		if v, ok := yamlInt(s); ok {
			return json.Number(v.String())
		}
	case pyyaml.Float:
		return yamlFloatValue(s)
	}
	return s
}

// yamlInt reads a YAML 1.1 integer of any size, as Python's int does.
func yamlInt(s string) (*big.Int, bool) {
	t := strings.ReplaceAll(s, "_", "")
	neg := false
	if t[0] == '-' || t[0] == '+' {
		neg = t[0] == '-'
		t = t[1:]
	}
	v := new(big.Int)
	ok := true
	switch {
	case t == "0":
	case strings.HasPrefix(t, "0b"):
		_, ok = v.SetString(t[2:], 2)
	case strings.HasPrefix(t, "0x"):
		_, ok = v.SetString(t[2:], 16)
	case strings.HasPrefix(t, "0"):
		_, ok = v.SetString(t[1:], 8)
	case strings.Contains(t, ":"):
		sixty := big.NewInt(60)
		for _, part := range strings.Split(t, ":") {
			d, dok := new(big.Int).SetString(part, 10)
			if !dok {
				return nil, false
			}
			v.Mul(v, sixty).Add(v, d)
		}
	default:
		_, ok = v.SetString(t, 10)
	}
	if !ok {
		return nil, false
	}
	if neg {
		v.Neg(v)
	}
	return v, true
}

func yamlFloatValue(s string) any {
	t := strings.ToLower(strings.ReplaceAll(s, "_", ""))
	sign := 1.0
	if t[0] == '-' || t[0] == '+' {
		if t[0] == '-' {
			sign = -1
		}
		t = t[1:]
	}
	var f float64
	switch {
	case t == ".inf":
		f = math.Inf(1)
	case t == ".nan":
		return json.Number("NaN")
	case strings.Contains(t, ":"):
		parts := strings.Split(t, ":")
		for _, p := range parts {
			d, err := strconv.ParseFloat(p, 64)
			if err != nil {
				return s
			}
			f = f*60 + d
		}
	default:
		var err error
		if f, err = strconv.ParseFloat(t, 64); err != nil {
			return s
		}
	}
	f *= sign
	if math.IsInf(f, 0) {
		if f > 0 {
			return json.Number("Infinity")
		}
		return json.Number("-Infinity")
	}
	return json.Number(pyfmt.Float(f))
}
