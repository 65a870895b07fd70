package yamlfile

import (
	"errors"
	"fmt"
	"regexp"
	"strconv"
	"strings"

	"go.yaml.in/yaml/v3"
)

// Error is a problem in a YAML file: a syntax error, a document too large
// once its aliases are expanded, or a reader's complaint about a value
// (see ErrorAt). Line is one-based, 0 when the problem concerns the file
// as a whole (the decoder reports no columns, so errors carry lines only).
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

// MaxNodes bounds the size of a document with its aliases expanded, so a
// file of nested aliases cannot make a reader build an exponentially
// large value.
const MaxNodes = 1 << 20

// ErrTooLarge is the error for a document that has more than MaxNodes
// values once its aliases are expanded. The error for an alias inside the
// value it refers to, which has no end once expanded, matches it too
// (errors.Is).
var ErrTooLarge = fmt.Errorf("document has more than %d values once aliases are expanded", MaxNodes)

// aliasLoopError is an alias inside the value it refers to.
type aliasLoopError struct{ anchor string }

func (e aliasLoopError) Error() string {
	return fmt.Sprintf("alias *%s is inside the value it refers to, which then has no end", e.anchor)
}

func (e aliasLoopError) Is(target error) bool { return target == ErrTooLarge }

// Parse parses the first YAML document of data and returns its root node
// with aliases followed: nil when data holds no document (empty, or
// comments only); a null document is a null scalar (see IsNull). file
// names the source in errors, which are *Error.
func Parse(file string, data []byte) (*yaml.Node, error) {
	var doc yaml.Node
	if err := yaml.Unmarshal(data, &doc); err != nil {
		return nil, syntaxError(file, err)
	}
	if doc.Kind != yaml.DocumentNode || len(doc.Content) == 0 {
		return nil, nil
	}
	root := Deref(doc.Content[0])
	if alias, size := expandedSize(root, map[*yaml.Node]int{}); alias != nil {
		return nil, &Error{File: file, Line: alias.Line, Err: aliasLoopError{alias.Value}}
	} else if size > MaxNodes {
		return nil, &Error{File: file, Err: ErrTooLarge}
	}
	return root, nil
}

// inProgress marks, in expandedSize's memo, a node whose count has not
// finished: meeting it again means an alias inside the value it names.
const inProgress = -1

// expandedSize counts the nodes of n with aliases expanded, memoised per
// node so the count itself takes linear time. Counts saturate past
// MaxNodes. It returns the first alias it finds inside the value it refers
// to, if any.
func expandedSize(n *yaml.Node, memo map[*yaml.Node]int) (cycle *yaml.Node, size int) {
	alias := n
	n = Deref(n)
	if n == nil {
		return nil, 0
	}
	switch s, ok := memo[n]; {
	case ok && s == inProgress:
		return alias, 0
	case ok:
		return nil, s
	}
	memo[n] = inProgress
	size = 1
	for _, c := range n.Content {
		cycle, s := expandedSize(c, memo)
		if cycle != nil {
			return cycle, 0
		}
		if size += s; size > MaxNodes {
			size = MaxNodes + 1
			break
		}
	}
	memo[n] = size
	return nil, size
}

// yamlLine matches the location prefix go.yaml.in/yaml puts on syntax
// errors.
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
