package packconfig

import (
	"fmt"

	"go.yaml.in/yaml/v3"
)

// Error is one problem in a schema or config file. Line is one-based (0
// when the problem concerns the file as a whole or a value that came from
// no file, such as an API request body). Attribute is the dotted path of
// the config attribute concerned ("instances.0.token"), empty for problems
// in a schema and for file-level problems.
type Error struct {
	File      string
	Line      int
	Attribute string
	Err       error
}

func (e *Error) Error() string {
	loc := e.File
	if e.Line > 0 {
		loc = fmt.Sprintf("%s:%d", e.File, e.Line)
	}
	if e.Attribute != "" {
		return fmt.Sprintf("%s: attribute %q: %v", loc, e.Attribute, e.Err)
	}
	return fmt.Sprintf("%s: %v", loc, e.Err)
}

func (e *Error) Unwrap() error { return e.Err }

// errAt builds an *Error located at a node (or at the file when n is nil).
func errAt(file string, n *yaml.Node, format string, args ...any) *Error {
	e := &Error{File: file, Err: fmt.Errorf(format, args...)}
	if n != nil {
		e.Line = n.Line
	}
	return e
}
