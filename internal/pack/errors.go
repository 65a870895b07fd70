package pack

import (
	"fmt"

	"go.yaml.in/yaml/v3"
)

// Error is a problem in one pack file, located by its one-based line (0
// when the problem concerns the file as a whole). The YAML decoder reports
// no columns, so errors carry lines only.
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

// errAt builds an *Error located at a node (or at the file when n is nil).
func errAt(file string, n *yaml.Node, format string, args ...any) *Error {
	e := &Error{File: file, Err: fmt.Errorf(format, args...)}
	if n != nil {
		e.Line = n.Line
	}
	return e
}
