package sensor

import (
	"errors"
	"fmt"
	"math"
	"os"
	"regexp"
	"strconv"
	"strings"

	"go.yaml.in/yaml/v3"
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

// readYAML parses a file into its root node (nil for an empty document).
func readYAML(path string) (*yaml.Node, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, &Error{File: path, Err: fmt.Errorf("reading file: %w", err)}
	}
	var doc yaml.Node
	if err := yaml.Unmarshal(b, &doc); err != nil {
		return nil, syntaxError(path, err)
	}
	if doc.Kind != yaml.DocumentNode || len(doc.Content) == 0 || isNull(doc.Content[0]) {
		return nil, nil
	}
	return deref(doc.Content[0]), nil
}

var yamlLine = regexp.MustCompile(`^yaml: line (\d+): (.*)$`)

// syntaxError locates a decoder error. go.yaml.in/yaml reports parser
// problems ("did not find expected ...", tag and directive problems) with
// a zero-based line and scanner problems with a one-based one.
func syntaxError(file string, err error) *Error {
	msg := strings.TrimPrefix(err.Error(), "yaml: ")
	line := 0
	if m := yamlLine.FindStringSubmatch(err.Error()); m != nil {
		line, _ = strconv.Atoi(m[1])
		msg = m[2]
	}
	if line == 0 || strings.HasPrefix(msg, "did not find expected") ||
		strings.HasPrefix(msg, "found undefined tag") || strings.HasPrefix(msg, "found duplicate %") ||
		strings.HasPrefix(msg, "found incompatible YAML") {
		line++
	}
	return &Error{File: file, Line: line, Err: errors.New(msg)}
}

func deref(n *yaml.Node) *yaml.Node {
	for n != nil && n.Kind == yaml.AliasNode {
		n = n.Alias
	}
	return n
}

func isNull(n *yaml.Node) bool {
	n = deref(n)
	return n == nil || (n.Kind == yaml.ScalarNode && n.Tag == "!!null")
}

type pair struct {
	Key   string
	KeyN  *yaml.Node
	Value *yaml.Node
}

// pairs lists a mapping's entries, expanding merge keys (<<) the way
// PyYAML does: own keys win over merged ones, later duplicates win.
func pairs(n *yaml.Node) []pair {
	n = deref(n)
	var own, merged []pair
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := deref(n.Content[i]), n.Content[i+1]
		if k.Tag == "!!merge" {
			src := deref(v)
			if src.Kind == yaml.MappingNode {
				merged = append(merged, pairs(src)...)
			} else if src.Kind == yaml.SequenceNode {
				for _, s := range src.Content {
					if deref(s).Kind == yaml.MappingNode {
						merged = append(merged, pairs(s)...)
					}
				}
			}
			continue
		}
		own = append(own, pair{Key: k.Value, KeyN: k, Value: v})
	}
	var out []pair
	index := map[string]int{}
	for _, p := range own {
		if i, ok := index[p.Key]; ok {
			out[i] = p
			continue
		}
		index[p.Key] = len(out)
		out = append(out, p)
	}
	for _, p := range merged {
		if _, ok := index[p.Key]; !ok {
			index[p.Key] = len(out)
			out = append(out, p)
		}
	}
	return out
}

func kindName(n *yaml.Node) string {
	n = deref(n)
	switch n.Kind {
	case yaml.MappingNode:
		return "a mapping"
	case yaml.SequenceNode:
		return "a list"
	case yaml.ScalarNode:
		switch n.Tag {
		case "!!null":
			return "null"
		case "!!str":
			return fmt.Sprintf("the string %q", n.Value)
		}
		return strings.TrimPrefix(n.Tag, "!!") + " " + n.Value
	}
	return "nothing"
}

// yaml11Bools are plain scalars PyYAML (YAML 1.1) reads as booleans.
var yaml11Bools = map[string]bool{
	"yes": true, "Yes": true, "YES": true, "on": true, "On": true, "ON": true,
	"no": false, "No": false, "NO": false, "off": false, "Off": false, "OFF": false,
}

// str reads a string scalar; ok is false for anything else (null included).
func str(n *yaml.Node) (string, bool) {
	n = deref(n)
	if n.Kind != yaml.ScalarNode || n.Tag != "!!str" {
		return "", false
	}
	if _, b := yaml11Bools[n.Value]; b && n.Style == 0 {
		return "", false
	}
	return n.Value, true
}

func boolean(n *yaml.Node) (bool, bool) {
	n = deref(n)
	if n.Kind != yaml.ScalarNode {
		return false, false
	}
	if n.Tag == "!!str" && n.Style == 0 {
		b, ok := yaml11Bools[n.Value]
		return b, ok
	}
	if n.Tag != "!!bool" {
		return false, false
	}
	var b bool
	if err := n.Decode(&b); err != nil {
		return false, false
	}
	return b, true
}

func number(n *yaml.Node) (float64, bool) {
	n = deref(n)
	if n.Kind != yaml.ScalarNode || (n.Tag != "!!int" && n.Tag != "!!float") {
		return 0, false
	}
	var f float64
	if err := n.Decode(&f); err != nil {
		return 0, false
	}
	return f, true
}

// value converts a node to plain JSON-like Go data.
func value(n *yaml.Node) (any, error) {
	n = deref(n)
	switch n.Kind {
	case yaml.MappingNode:
		m := map[string]any{}
		for _, p := range pairs(n) {
			v, err := value(p.Value)
			if err != nil {
				return nil, err
			}
			m[p.Key] = v
		}
		return m, nil
	case yaml.SequenceNode:
		s := make([]any, 0, len(n.Content))
		for _, c := range n.Content {
			v, err := value(c)
			if err != nil {
				return nil, err
			}
			s = append(s, v)
		}
		return s, nil
	case yaml.ScalarNode:
		switch n.Tag {
		case "!!null":
			return nil, nil
		case "!!str":
			if b, ok := yaml11Bools[n.Value]; ok && n.Style == 0 {
				return b, nil
			}
			return n.Value, nil
		case "!!timestamp", "!!binary":
			return n.Value, nil
		}
		var v any
		if err := n.Decode(&v); err != nil {
			return nil, fmt.Errorf("decoding %q: %w", n.Value, err)
		}
		if f, ok := v.(float64); ok && (math.IsInf(f, 0) || math.IsNaN(f)) {
			return nil, fmt.Errorf("%s cannot be represented in JSON", n.Value)
		}
		return v, nil
	}
	return nil, nil
}
