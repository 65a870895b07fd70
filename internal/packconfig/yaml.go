package packconfig

import (
	"errors"
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/st2go/st2go/internal/yamlfile"
)

// parseYAML parses one YAML document into its root node. It returns a nil
// node for a document that holds nothing (empty, comments only, or null).
func parseYAML(file string, data []byte) (*yaml.Node, *Error) {
	root, err := yamlfile.Parse(file, data)
	if err != nil {
		var ye *yamlfile.Error
		errors.As(err, &ye)
		return nil, &Error{File: ye.File, Line: ye.Line, Err: ye.Err}
	}
	if yamlfile.IsNull(root) {
		return nil, nil
	}
	return root, nil
}

// shapeName names a node's kind without its value, for messages about
// configs, whose values may be secrets.
func shapeName(n *yaml.Node) string {
	n = yamlfile.Deref(n)
	switch {
	case n.Kind == yaml.MappingNode:
		return "a mapping"
	case n.Kind == yaml.SequenceNode:
		return "a list"
	case n.Tag == "!!str":
		return "a string"
	case n.Tag == "!!int" || n.Tag == "!!float":
		return "a number"
	case n.Tag == "!!bool":
		return "a boolean"
	}
	return "a scalar"
}

// lineMap records the line of each value of a document by attribute path.
type lineMap map[string]int

// pathKey joins an attribute path into a map key. The separator cannot
// appear in YAML keys that matter here, unlike ".".
func pathKey(path []string) string { return strings.Join(path, "\x1f") }

// toValue converts a node into plain data (map[string]any, []any, string,
// bool, int, float64, nil) as PyYAML's safe_load would see it, recording
// the line of every value under its path in lines (when not nil).
func toValue(file string, n *yaml.Node, lines lineMap) (any, *Error) {
	var visit func([]string, int)
	if lines != nil {
		visit = func(path []string, line int) { lines[pathKey(path)] = line }
	}
	v, err := yamlfile.Value(n, visit)
	if err != nil {
		var se *yamlfile.ScalarError
		errors.As(err, &se)
		return nil, &Error{File: file, Line: se.Line, Err: se.Err}
	}
	return v, nil
}
