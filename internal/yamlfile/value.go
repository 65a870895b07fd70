package yamlfile

import (
	"fmt"
	"math"
	"strconv"
	"strings"

	"go.yaml.in/yaml/v3"
)

// ScalarError is a scalar that cannot be read as plain data: a value its
// tag does not allow (!!int abc), or an infinity or NaN, which JSON cannot
// represent. Its message leaves out the file and line, for the caller to
// add, and never quotes a value that may be a secret.
type ScalarError struct {
	Line int // the scalar's one-based line
	Err  error
}

func (e *ScalarError) Error() string { return e.Err.Error() }

func (e *ScalarError) Unwrap() error { return e.Err }

// yaml11Bools are the plain scalars PyYAML (YAML 1.1), which StackStorm
// uses, reads as booleans but YAML 1.2 reads as strings.
var yaml11Bools = map[string]bool{
	"yes": true, "Yes": true, "YES": true, "on": true, "On": true, "ON": true,
	"no": false, "No": false, "NO": false, "off": false, "Off": false, "OFF": false,
}

// Scalar converts a scalar node to plain data (string, bool, int, float64
// or nil) as PyYAML's safe_load reads it, with YAML 1.1's booleans.
// Timestamps and binary stay the text they are written as. Its error is a
// *ScalarError.
func Scalar(n *yaml.Node) (any, error) {
	n = Deref(n)
	switch n.Tag {
	case "!!str":
		if b, ok := yaml11Bools[n.Value]; ok && n.Style == 0 {
			return b, nil
		}
		return n.Value, nil
	case "!!timestamp", "!!binary":
		return n.Value, nil
	case "!!null":
		return nil, nil
	}
	var v any
	if err := n.Decode(&v); err != nil {
		// The decoder's message quotes the value, which may be a secret.
		return nil, &ScalarError{Line: n.Line, Err: fmt.Errorf("cannot read this %s value", strings.TrimPrefix(n.Tag, "!!"))}
	}
	if f, ok := v.(float64); ok && (math.IsInf(f, 0) || math.IsNaN(f)) {
		return nil, &ScalarError{Line: n.Line, Err: fmt.Errorf("%s cannot be represented in JSON", n.Value)}
	}
	return v, nil
}

// Value converts a node to plain data (map[string]any, []any, string,
// bool, int, float64, nil) as PyYAML's safe_load reads it, merge keys
// expanded. When visit is not nil it is called for every mapping value and
// list item, in document order, with its path from n (keys, and list
// indexes in decimal; the slice is only valid during the call) and the line
// it is on (a mapping value's is its key's). Its error is a *ScalarError.
func Value(n *yaml.Node, visit func(path []string, line int)) (any, error) {
	return value(n, nil, visit)
}

func value(n *yaml.Node, path []string, visit func([]string, int)) (any, error) {
	n = Deref(n)
	switch n.Kind {
	case yaml.MappingNode:
		m := map[string]any{}
		for _, e := range Entries(n) {
			p := append(path, e.Key)
			if visit != nil {
				visit(p, e.KeyNode.Line)
			}
			v, err := value(e.Value, p, visit)
			if err != nil {
				return nil, err
			}
			m[e.Key] = v
		}
		return m, nil
	case yaml.SequenceNode:
		s := make([]any, 0, len(n.Content))
		for i, c := range n.Content {
			p := append(path, strconv.Itoa(i))
			if visit != nil {
				visit(p, Deref(c).Line)
			}
			v, err := value(c, p, visit)
			if err != nil {
				return nil, err
			}
			s = append(s, v)
		}
		return s, nil
	case yaml.ScalarNode:
		return Scalar(n)
	}
	return nil, nil
}

// Bool reads a boolean scalar, with YAML 1.1's spellings.
func Bool(n *yaml.Node) (b, ok bool) {
	n = Deref(n)
	if n == nil || n.Kind != yaml.ScalarNode {
		return false, false
	}
	v, err := Scalar(n)
	if err != nil {
		return false, false
	}
	b, ok = v.(bool)
	return b, ok
}

// Number reads an integer or float scalar.
func Number(n *yaml.Node) (float64, bool) {
	n = Deref(n)
	if n == nil || n.Kind != yaml.ScalarNode || (n.Tag != "!!int" && n.Tag != "!!float") {
		return 0, false
	}
	v, err := Scalar(n)
	if err != nil {
		return 0, false
	}
	switch x := v.(type) {
	case int:
		return float64(x), true
	case int64:
		return float64(x), true
	case uint64:
		return float64(x), true
	case float64:
		return x, true
	}
	return 0, false
}
