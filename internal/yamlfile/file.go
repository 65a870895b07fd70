package yamlfile

import (
	"fmt"
	"os"

	"go.yaml.in/yaml/v3"
)

// ReadFile reads and parses the YAML file at path (see Parse). It returns
// a nil node and no error for a file that holds no document (empty,
// comments only or null). Errors are *Error.
func ReadFile(path string) (*yaml.Node, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, &Error{File: path, Err: fmt.Errorf("reading file: %w", err)}
	}
	root, err := Parse(path, b)
	if err != nil {
		return nil, err
	}
	if IsNull(root) {
		return nil, nil
	}
	return root, nil
}

// ErrorAt builds an *Error in file located at node n, or at the file as a
// whole when n is nil.
func ErrorAt(file string, n *yaml.Node, format string, args ...any) *Error {
	e := &Error{File: file, Err: fmt.Errorf(format, args...)}
	if n != nil {
		e.Line = n.Line
	}
	return e
}
