package sensor

import (
	"go.yaml.in/yaml/v3"

	"github.com/st2go/st2go/internal/yamlfile"
)

// Error is a problem in a sensor metadata file, located by its one-based
// line (0 when it concerns the file as a whole).
type Error = yamlfile.Error

// str reads a string scalar; ok is false for anything else (null, and the
// plain scalars YAML 1.1 reads as booleans, included).
func str(n *yaml.Node) (string, bool) {
	n = yamlfile.Deref(n)
	if n.Kind != yaml.ScalarNode || n.Tag != "!!str" {
		return "", false
	}
	v, err := yamlfile.Scalar(n)
	if err != nil {
		return "", false
	}
	s, ok := v.(string)
	return s, ok
}

// number reads an integer or float scalar. Unlike yamlfile.Number it
// takes infinities and NaN, so that an infinite poll_interval is reported
// as too large rather than as no number.
func number(n *yaml.Node) (float64, bool) {
	n = yamlfile.Deref(n)
	if n.Kind != yaml.ScalarNode || (n.Tag != "!!int" && n.Tag != "!!float") {
		return 0, false
	}
	var f float64
	if err := n.Decode(&f); err != nil {
		return 0, false
	}
	return f, true
}
