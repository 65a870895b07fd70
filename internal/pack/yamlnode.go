package pack

import (
	"math"

	"go.yaml.in/yaml/v3"

	"github.com/st2go/st2go/internal/yamlfile"
)

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
		return nil, yamlfile.ErrorAt(file, n, "%s must be a list of strings, not %s", field, yamlfile.Describe(n))
	}
	out := make([]string, 0, len(n.Content))
	for _, c := range n.Content {
		s, ok := str(c)
		if !ok || yamlfile.IsNull(c) {
			return nil, yamlfile.ErrorAt(file, c, "%s: items must be strings, not %s", field, yamlfile.Describe(c))
		}
		out = append(out, s)
	}
	return out, nil
}
