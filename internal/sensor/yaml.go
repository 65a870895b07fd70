package sensor

import (
	"errors"
	"fmt"
	"os"

	"go.yaml.in/yaml/v3"

	"github.com/st2go/st2go/internal/yamlfile"
)

// Error is a problem in a sensor metadata file, located by its one-based
// line (0 when it concerns the file as a whole).
type Error struct {
	File string
	Line int
	Err  error
}

func (e *Error) Error() string {
	if e.Line > 0 {
		return fmt.Sprintf("%s:%d: %v", e.File, e.Line, e.Err)
	}
	return fmt.Sprintf("%s: %v", e.File, e.Err)
}

func (e *Error) Unwrap() error { return e.Err }

func errAt(file string, n *yaml.Node, format string, args ...any) *Error {
	e := &Error{File: file, Err: fmt.Errorf(format, args...)}
	if n != nil {
		e.Line = n.Line
	}
	return e
}

// readYAML parses a file into its root node (nil for an empty or null
// document).
func readYAML(path string) (*yaml.Node, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, &Error{File: path, Err: fmt.Errorf("reading file: %w", err)}
	}
	root, err := yamlfile.Parse(path, b)
	if err != nil {
		var ye *yamlfile.Error
		if errors.As(err, &ye) {
			return nil, &Error{File: ye.File, Line: ye.Line, Err: ye.Err}
		}
		return nil, &Error{File: path, Err: err}
	}
	if yamlfile.IsNull(root) {
		return nil, nil
	}
	return root, nil
}

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
