package packconfig

import (
	"errors"
	"fmt"
	"math"
	"regexp"
	"strconv"
	"strings"

	"go.yaml.in/yaml/v3"
)

// parseYAML parses one YAML document into its root node. It returns a nil
// node for a document that holds nothing (empty, comments only, or null).
func parseYAML(file string, data []byte) (*yaml.Node, *Error) {
	var doc yaml.Node
	if err := yaml.Unmarshal(data, &doc); err != nil {
		return nil, syntaxError(file, err)
	}
	if doc.Kind != yaml.DocumentNode || len(doc.Content) == 0 {
		return nil, nil
	}
	root := deref(doc.Content[0])
	if isNull(root) {
		return nil, nil
	}
	if expandedSize(root, map[*yaml.Node]int{}) > maxNodes {
		return nil, &Error{File: file, Err: fmt.Errorf("document has more than %d values once aliases are expanded", maxNodes)}
	}
	return root, nil
}

// maxNodes bounds a document's size with its aliases expanded, so nested
// aliases cannot make the reader build an exponentially large value.
const maxNodes = 1 << 20

func expandedSize(n *yaml.Node, memo map[*yaml.Node]int) int {
	n = deref(n)
	if n == nil {
		return 0
	}
	if s, ok := memo[n]; ok {
		return s
	}
	memo[n] = 1 // guards against cycles while n is counted
	size := 1
	for _, c := range n.Content {
		if size += expandedSize(c, memo); size > maxNodes {
			size = maxNodes + 1
			break
		}
	}
	memo[n] = size
	return size
}

var yamlLinePrefix = regexp.MustCompile(`^yaml: line (\d+): (.*)$`)

// zeroBasedProblems are the parser (not scanner) messages of go.yaml.in/yaml:
// it reports their line zero-based, and scanner problems one-based.
var zeroBasedProblems = []string{
	"did not find expected <stream-start>", "did not find expected <document start>",
	"did not find expected node content", "did not find expected '-' indicator",
	"did not find expected key", "did not find expected ',' or ']'",
	"did not find expected ',' or '}'", "found undefined tag handle",
	"found duplicate %YAML directive", "found incompatible YAML document",
	"found duplicate %TAG directive",
}

// positionless are the decoder's encoding problems, which carry no line.
var positionless = []string{
	"control characters are not allowed", "expected low surrogate area", "incomplete UTF-",
	"input error", "invalid Unicode character", "invalid leading UTF-8 octet",
	"invalid length of a UTF-8 sequence", "invalid trailing UTF-8 octet", "unexpected low surrogate area",
}

// syntaxError locates a YAML decoder error on its one-based line.
func syntaxError(file string, err error) *Error {
	msg := strings.TrimPrefix(err.Error(), "yaml: ")
	line := 0
	if m := yamlLinePrefix.FindStringSubmatch(err.Error()); m != nil {
		line, _ = strconv.Atoi(m[1])
		msg = m[2]
	}
	for _, p := range positionless {
		if strings.HasPrefix(msg, p) {
			return &Error{File: file, Err: errors.New(msg)}
		}
	}
	for _, p := range zeroBasedProblems {
		if msg == p {
			line++
			break
		}
	}
	if line == 0 {
		// No line in the message: both of the decoder's marks were on the first line.
		line = 1
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

// entry is one key/value pair of a mapping.
type entry struct {
	key   string
	keyN  *yaml.Node
	value *yaml.Node
}

// entries returns a mapping's pairs in order with merge keys (<<) expanded
// as PyYAML does: explicit keys win over merged ones, and a later duplicate
// key replaces an earlier one in place.
func entries(n *yaml.Node) []entry {
	n = deref(n)
	var merged, own []entry
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := deref(n.Content[i]), n.Content[i+1]
		if k.Tag == "!!merge" {
			switch src := deref(v); src.Kind {
			case yaml.MappingNode:
				merged = append(merged, entries(src)...)
			case yaml.SequenceNode:
				for _, s := range src.Content {
					if s = deref(s); s.Kind == yaml.MappingNode {
						merged = append(merged, entries(s)...)
					}
				}
			}
			continue
		}
		own = append(own, entry{key: k.Value, keyN: k, value: v})
	}
	var out []entry
	at := map[string]int{}
	add := func(e entry, replace bool) {
		if i, seen := at[e.key]; seen {
			if replace {
				out[i] = e
			}
			return
		}
		at[e.key] = len(out)
		out = append(out, e)
	}
	for _, e := range own {
		add(e, true)
	}
	for _, e := range merged {
		add(e, false)
	}
	return out
}

// kindName names a node for error messages.
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

// shapeName names a node's kind without its value, for messages about
// configs, whose values may be secrets.
func shapeName(n *yaml.Node) string {
	n = deref(n)
	switch {
	case n.Kind == yaml.MappingNode:
		return "a mapping"
	case n.Kind == yaml.SequenceNode:
		return "a list"
	case n.Tag == "!!str":
		return "a string"
	case n.Tag == "!!int" || n.Tag == "!!float":
		return "a number"
	case n.Tag == "!!bool":
		return "a boolean"
	}
	return "a scalar"
}

// yaml11Bools are the plain scalars PyYAML (YAML 1.1, which StackStorm
// reads with) takes for booleans and YAML 1.2 takes for strings.
var yaml11Bools = map[string]bool{
	"yes": true, "Yes": true, "YES": true, "on": true, "On": true, "ON": true,
	"no": false, "No": false, "NO": false, "off": false, "Off": false, "OFF": false,
}

// lineMap records the line of each value of a document by attribute path.
type lineMap map[string]int

// pathKey joins an attribute path into a map key. The separator cannot
// appear in YAML keys that matter here, unlike ".".
func pathKey(path []string) string { return strings.Join(path, "\x1f") }

// toValue converts a node into plain data (map[string]any, []any, string,
// bool, int, float64, nil) as PyYAML's safe_load would see it, recording
// the line of every value under its path in lines (when not nil).
func toValue(file string, n *yaml.Node, path []string, lines lineMap) (any, *Error) {
	n = deref(n)
	switch n.Kind {
	case yaml.MappingNode:
		m := map[string]any{}
		for _, e := range entries(n) {
			p := append(path[:len(path):len(path)], e.key)
			if lines != nil {
				lines[pathKey(p)] = e.keyN.Line
			}
			v, err := toValue(file, e.value, p, lines)
			if err != nil {
				return nil, err
			}
			m[e.key] = v
		}
		return m, nil
	case yaml.SequenceNode:
		s := make([]any, 0, len(n.Content))
		for i, c := range n.Content {
			p := append(path[:len(path):len(path)], strconv.Itoa(i))
			if lines != nil {
				lines[pathKey(p)] = deref(c).Line
			}
			v, err := toValue(file, c, p, lines)
			if err != nil {
				return nil, err
			}
			s = append(s, v)
		}
		return s, nil
	case yaml.ScalarNode:
		v, err := scalar(n)
		if err != nil {
			return nil, &Error{File: file, Line: n.Line, Err: err}
		}
		return v, nil
	}
	return nil, nil
}

func scalar(n *yaml.Node) (any, error) {
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
		return nil, fmt.Errorf("cannot read this %s value", strings.TrimPrefix(n.Tag, "!!"))
	}
	switch x := v.(type) {
	case float64:
		if math.IsInf(x, 0) || math.IsNaN(x) {
			return nil, fmt.Errorf("%s cannot be represented in JSON", n.Value)
		}
	case int64:
		return int(x), nil
	}
	return v, nil
}
