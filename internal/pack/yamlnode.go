package pack

import (
	"fmt"
	"math"
	"os"
	"strings"

	"go.yaml.in/yaml/v3"
)

// readYAML parses one YAML file into its root node. It returns a nil node
// and no error for a file that holds no document (empty or comments only).
func readYAML(path string) (*yaml.Node, *Error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, &Error{File: path, Err: fmt.Errorf("reading file: %w", err)}
	}
	var doc yaml.Node
	if err := yaml.Unmarshal(b, &doc); err != nil {
		return nil, syntaxError(path, err)
	}
	if doc.Kind != yaml.DocumentNode || len(doc.Content) == 0 {
		return nil, nil
	}
	root := deref(doc.Content[0])
	if root.Kind == yaml.ScalarNode && root.Tag == "!!null" {
		return nil, nil
	}
	if expandedSize(root, map[*yaml.Node]int{}) > maxNodes {
		return nil, &Error{File: path, Err: fmt.Errorf("document has more than %d values once aliases are expanded", maxNodes)}
	}
	return root, nil
}

// maxNodes bounds the size of a document with its aliases expanded, so a
// file of nested aliases cannot make the loader build an exponentially
// large value.
const maxNodes = 1 << 20

// expandedSize counts the nodes of n with aliases expanded, memoised per
// node so the count itself takes linear time. Counts saturate past maxNodes.
func expandedSize(n *yaml.Node, memo map[*yaml.Node]int) int {
	n = deref(n)
	if n == nil {
		return 0
	}
	if s, ok := memo[n]; ok {
		return s
	}
	memo[n] = 1 // guards against cycles while n is being counted
	size := 1
	for _, c := range n.Content {
		size += expandedSize(c, memo)
		if size > maxNodes {
			size = maxNodes + 1
			break
		}
	}
	memo[n] = size
	return size
}

// deref follows aliases to the node they point at.
func deref(n *yaml.Node) *yaml.Node {
	for n != nil && n.Kind == yaml.AliasNode {
		n = n.Alias
	}
	return n
}

// pair is one key/value entry of a mapping.
type pair struct {
	Key   string
	KeyN  *yaml.Node
	Value *yaml.Node
}

// pairs returns a mapping's entries in order, expanding merge keys (<<) the
// way PyYAML does: explicit keys win over merged ones, and a later
// duplicate key replaces an earlier one.
func pairs(n *yaml.Node) []pair {
	n = deref(n)
	var merged, own []pair
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := deref(n.Content[i]), n.Content[i+1]
		if k.Tag == "!!merge" {
			src := deref(v)
			switch src.Kind {
			case yaml.MappingNode:
				merged = append(merged, pairs(src)...)
			case yaml.SequenceNode:
				for _, s := range src.Content {
					if s = deref(s); s.Kind == yaml.MappingNode {
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
	add := func(p pair, overwrite bool) {
		if i, ok := index[p.Key]; ok {
			if overwrite {
				out[i] = p
			}
			return
		}
		index[p.Key] = len(out)
		out = append(out, p)
	}
	for _, p := range own {
		add(p, true)
	}
	for _, p := range merged {
		add(p, false)
	}
	return out
}

// kindName names a node's kind for error messages.
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

func isNull(n *yaml.Node) bool {
	n = deref(n)
	return n == nil || (n.Kind == yaml.ScalarNode && n.Tag == "!!null")
}

// yaml11Bools are the plain scalars PyYAML (YAML 1.1), which StackStorm
// uses, reads as booleans but YAML 1.2 reads as strings.
var yaml11Bools = map[string]bool{
	"yes": true, "Yes": true, "YES": true, "on": true, "On": true, "ON": true,
	"no": false, "No": false, "NO": false, "off": false, "Off": false, "OFF": false,
}

// value converts a node to plain Go data (map[string]any, []any, string,
// bool, int, float64, nil) as StackStorm's YAML loader would see it.
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
		return scalar(n)
	}
	return nil, nil
}

func scalar(n *yaml.Node) (any, error) {
	switch n.Tag {
	case "!!str":
		if n.Style == 0 {
			if b, ok := yaml11Bools[n.Value]; ok {
				return b, nil
			}
		}
		return n.Value, nil
	case "!!timestamp", "!!binary":
		return n.Value, nil
	case "!!null":
		return nil, nil
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

// str reads a string scalar; null reads as "" with ok=true. Numbers and
// booleans are not strings (StackStorm's schemas say "type": "string").
func str(n *yaml.Node) (s string, ok bool) {
	n = deref(n)
	if isNull(n) {
		return "", true
	}
	if n.Kind != yaml.ScalarNode || n.Tag != "!!str" {
		return "", false
	}
	if _, isBool := yaml11Bools[n.Value]; isBool && n.Style == 0 {
		return "", false
	}
	return n.Value, true
}

// boolean reads a boolean scalar, accepting YAML 1.1 spellings.
func boolean(n *yaml.Node) (b, ok bool) {
	v, err := scalar(deref(n))
	if err != nil {
		return false, false
	}
	b, ok = v.(bool)
	return b, ok
}

// number reads an integer or float scalar.
func number(n *yaml.Node) (float64, bool) {
	n = deref(n)
	if n.Kind != yaml.ScalarNode || (n.Tag != "!!int" && n.Tag != "!!float") {
		return 0, false
	}
	v, err := scalar(n)
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

// integer reads a number that has no fractional part.
func integer(n *yaml.Node) (int, bool) {
	f, ok := number(n)
	if !ok || f != math.Trunc(f) || math.Abs(f) > 1<<53 {
		return 0, false
	}
	return int(f), true
}

// stringList reads a list of strings, reporting the first bad item.
func stringList(file string, n *yaml.Node, field string) ([]string, *Error) {
	n = deref(n)
	if isNull(n) {
		return []string{}, nil
	}
	if n.Kind != yaml.SequenceNode {
		return nil, errAt(file, n, "%s must be a list of strings, not %s", field, kindName(n))
	}
	out := make([]string, 0, len(n.Content))
	for _, c := range n.Content {
		s, ok := str(c)
		if !ok || isNull(c) {
			return nil, errAt(file, c, "%s: items must be strings, not %s", field, kindName(c))
		}
		out = append(out, s)
	}
	return out, nil
}
