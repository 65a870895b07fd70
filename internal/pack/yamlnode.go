package pack

import (
	"errors"
	"fmt"
	"math"
	"os"

	"go.yaml.in/yaml/v3"

	"github.com/st2go/st2go/internal/yamlfile"
)

// readYAML parses one YAML file into its root node. It returns a nil node
// and no error for a file that holds no document (empty, comments only or
// null).
func readYAML(path string) (*yaml.Node, *Error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, &Error{File: path, Err: fmt.Errorf("reading file: %w", err)}
	}
	root, err := yamlfile.Parse(path, b)
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

// str reads a string scalar; null reads as "" with ok=true. Numbers and
// booleans, YAML 1.1's yes/no/on/off included, are not strings
// (StackStorm's schemas say "type": "string").
func str(n *yaml.Node) (s string, ok bool) {
	n = yamlfile.Deref(n)
	if yamlfile.IsNull(n) {
		return "", true
	}
	if n.Kind != yaml.ScalarNode || n.Tag != "!!str" {
		return "", false
	}
	v, err := yamlfile.Scalar(n)
	if err != nil {
		return "", false
	}
	s, ok = v.(string)
	return s, ok
}

// integer reads a number that has no fractional part.
func integer(n *yaml.Node) (int, bool) {
	f, ok := yamlfile.Number(n)
	if !ok || f != math.Trunc(f) || math.Abs(f) > 1<<53 {
		return 0, false
	}
	return int(f), true
}

// stringList reads a list of strings, reporting the first bad item.
func stringList(file string, n *yaml.Node, field string) ([]string, *Error) {
	n = yamlfile.Deref(n)
	if yamlfile.IsNull(n) {
		return []string{}, nil
	}
	if n.Kind != yaml.SequenceNode {
		return nil, errAt(file, n, "%s must be a list of strings, not %s", field, yamlfile.Describe(n))
	}
	out := make([]string, 0, len(n.Content))
	for _, c := range n.Content {
		s, ok := str(c)
		if !ok || yamlfile.IsNull(c) {
			return nil, errAt(file, c, "%s: items must be strings, not %s", field, yamlfile.Describe(c))
		}
		out = append(out, s)
	}
	return out, nil
}
