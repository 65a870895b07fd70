package pack

import (
	"errors"
	"fmt"
	"regexp"
	"strconv"
	"strings"

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

// yamlLine matches the location prefix go.yaml.in/yaml puts on syntax errors.
var yamlLine = regexp.MustCompile(`^yaml: line (\d+): (.*)$`)

// parserProblems are the messages of go.yaml.in/yaml's parser (as opposed
// to its scanner). The decoder reports their line zero-based, and leaves
// the line out when it is the first one; scanner problems are reported
// one-based.
var parserProblems = map[string]bool{
	"did not find expected <stream-start>":   true,
	"did not find expected <document start>": true,
	"did not find expected node content":     true,
	"did not find expected '-' indicator":    true,
	"did not find expected key":              true,
	"did not find expected ',' or ']'":       true,
	"did not find expected ',' or '}'":       true,
	"found undefined tag handle":             true,
	"found duplicate %YAML directive":        true,
	"found incompatible YAML document":       true,
	"found duplicate %TAG directive":         true,
}

// readerProblems are encoding problems, which carry no position at all.
var readerProblems = []string{
	"control characters are not allowed", "expected low surrogate area", "incomplete UTF-",
	"input error", "invalid Unicode character", "invalid leading UTF-8 octet",
	"invalid length of a UTF-8 sequence", "invalid trailing UTF-8 octet", "unexpected low surrogate area",
}

// syntaxError turns a YAML decoder error into an *Error for file, with the
// one-based line the problem is on (or starts at).
func syntaxError(file string, err error) *Error {
	msg := strings.TrimPrefix(err.Error(), "yaml: ")
	line := 0
	if m := yamlLine.FindStringSubmatch(err.Error()); m != nil {
		line, _ = strconv.Atoi(m[1])
		msg = m[2]
	}
	for _, p := range readerProblems {
		if strings.HasPrefix(msg, p) {
			return &Error{File: file, Err: errors.New(msg)}
		}
	}
	// A missing line means both of the decoder's marks were on the first line.
	if line == 0 || parserProblems[msg] {
		line++
	}
	return &Error{File: file, Line: line, Err: errors.New(msg)}
}
