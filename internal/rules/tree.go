package rules

import (
	"errors"
	"fmt"
	"math"
	"math/big"
	"regexp"
	"strconv"
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/st2go/st2go/internal/expr"
)

// node is a parsed document, YAML or JSON, with the line each part starts
// on (0 for JSON, which has no lines here). Rule validation walks nodes
// so that both kinds of input get the same checks.
type node struct {
	line  int
	kind  nodeKind
	value any // scalars: an expr value

	// Mappings: keys in order (a repeated key keeps its first place and
	// takes its last value, as a Python dict built from PyYAML does).
	keys     []string
	keyLines []int
	vals     []*node
	dups     []string // keys given more than once

	items []*node // sequences
}

type nodeKind int

const (
	scalarNode nodeKind = iota
	mapNode
	seqNode
)

func (n *node) get(key string) (*node, bool) {
	for i, k := range n.keys {
		if k == key {
			return n.vals[i], true
		}
	}
	return nil, false
}

func (n *node) set(key string, line int, v *node) {
	for i, k := range n.keys {
		if k == key {
			n.vals[i] = v
			n.dups = append(n.dups, key)
			return
		}
	}
	n.keys = append(n.keys, key)
	n.keyLines = append(n.keyLines, line)
	n.vals = append(n.vals, v)
}

// kindName names a node's kind for error messages.
func (n *node) kindName() string {
	switch n.kind {
	case mapNode:
		return "a mapping"
	case seqNode:
		return "a list"
	}
	return jsonKind(n.value)
}

// toValue converts a node to an expr value (mappings become ordered
// Dicts).
func (n *node) toValue() any {
	switch n.kind {
	case mapNode:
		d := expr.NewDict(len(n.keys))
		for i, k := range n.keys {
			d.Set(k, n.vals[i].toValue())
		}
		return d
	case seqNode:
		out := make([]any, len(n.items))
		for i, it := range n.items {
			out[i] = it.toValue()
		}
		return out
	}
	return n.value
}

// toGo converts a mapping node to plain Go data.
func (n *node) toGoMap() map[string]any {
	m, _ := expr.ToGo(n.toValue()).(map[string]any)
	if m == nil {
		m = map[string]any{}
	}
	return m
}

// maxNodes bounds a document with its aliases expanded, so that nested
// aliases cannot make the reader build an exponentially large value.
const maxNodes = 1 << 20

// maxDepth bounds nesting.
const maxDepth = 500

// yamlDocument parses one YAML document into a node tree; nil for an
// empty document.
func yamlDocument(data []byte) (*node, error) {
	var doc yaml.Node
	if err := yaml.Unmarshal(data, &doc); err != nil {
		return nil, err
	}
	if doc.Kind != yaml.DocumentNode || len(doc.Content) == 0 {
		return nil, nil
	}
	budget := maxNodes
	return fromYAML(doc.Content[0], 0, &budget)
}

var errTooLarge = errors.New("document too large or too deeply nested once aliases are expanded")

func fromYAML(y *yaml.Node, depth int, budget *int) (*node, error) {
	for y.Kind == yaml.AliasNode {
		y = y.Alias
	}
	*budget--
	if *budget < 0 || depth > maxDepth {
		return nil, errTooLarge
	}
	n := &node{line: y.Line}
	switch y.Kind {
	case yaml.MappingNode:
		n.kind = mapNode
		var merged []*node
		for i := 0; i+1 < len(y.Content); i += 2 {
			k, v := y.Content[i], y.Content[i+1]
			for k.Kind == yaml.AliasNode {
				k = k.Alias
			}
			if k.Tag == "!!merge" {
				m, err := fromYAML(v, depth+1, budget)
				if err != nil {
					return nil, err
				}
				switch m.kind {
				case mapNode:
					merged = append(merged, m)
				case seqNode:
					merged = append(merged, m.items...)
				}
				continue
			}
			val, err := fromYAML(v, depth+1, budget)
			if err != nil {
				return nil, err
			}
			key := k.Value
			if k.Kind != yaml.ScalarNode {
				key = fmt.Sprint(expr.Str(mustValue(fromYAML(k, depth+1, budget))))
			}
			n.set(key, k.Line, val)
		}
		// PyYAML: keys written in the mapping win over merged ones.
		for _, m := range merged {
			if m.kind != mapNode {
				continue
			}
			for i, k := range m.keys {
				if _, ok := n.get(k); !ok {
					n.set(k, m.keyLines[i], m.vals[i])
				}
			}
		}
	case yaml.SequenceNode:
		n.kind = seqNode
		for _, c := range y.Content {
			it, err := fromYAML(c, depth+1, budget)
			if err != nil {
				return nil, err
			}
			n.items = append(n.items, it)
		}
	case yaml.ScalarNode:
		v, err := yamlScalar(y)
		if err != nil {
			return nil, err
		}
		n.value = v
	}
	return n, nil
}

func mustValue(n *node, err error) any {
	if err != nil || n == nil {
		return nil
	}
	return n.toValue()
}

// PyYAML's (YAML 1.1) implicit types for plain scalars, which StackStorm
// reads rule files with: yes/no/on/off are booleans, 0777 is octal, 1e3
// is a string, 1:30 is 90.
var (
	yamlNull  = regexp.MustCompile(`^(?:~|null|Null|NULL|)$`)
	yamlBool  = regexp.MustCompile(`^(?:yes|Yes|YES|no|No|NO|true|True|TRUE|false|False|FALSE|on|On|ON|off|Off|OFF)$`)
	yamlInt   = regexp.MustCompile(`^(?:[-+]?0b[0-1_]+|[-+]?0[0-7_]+|[-+]?(?:0|[1-9][0-9_]*)|[-+]?0x[0-9a-fA-F_]+|[-+]?[1-9][0-9_]*(?::[0-5]?[0-9])+)$`)
	yamlFloat = regexp.MustCompile(`^(?:[-+]?(?:[0-9][0-9_]*)\.[0-9_]*(?:[eE][-+][0-9]+)?|\.[0-9][0-9_]*(?:[eE][-+][0-9]+)?|[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+\.[0-9_]*|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$`)
)

func yamlScalar(y *yaml.Node) (any, error) {
	if y.Style&yaml.TaggedStyle != 0 {
		switch y.Tag {
		case "!!str", "!!binary", "!!timestamp":
			return y.Value, nil
		case "!!null":
			return nil, nil
		case "!!bool":
			return yaml11Bool(y.Value)
		case "!!int":
			if v, ok := yaml11Int(y.Value); ok {
				return v, nil
			}
		case "!!float":
			if v, ok := yaml11Float(y.Value); ok {
				return v, nil
			}
			if v, ok := yaml11Int(y.Value); ok {
				f, _ := expr.ToFloat(v)
				return f, nil
			}
		default:
			return y.Value, nil
		}
		return nil, fmt.Errorf("cannot read %q as %s", y.Value, y.Tag)
	}
	if y.Style != 0 {
		return y.Value, nil // quoted, literal or folded: a string
	}
	s := y.Value
	switch {
	case yamlNull.MatchString(s):
		return nil, nil
	case yamlBool.MatchString(s):
		return yaml11Bool(s)
	case yamlInt.MatchString(s):
		if v, ok := yaml11Int(s); ok {
			return v, nil
		}
	case yamlFloat.MatchString(s):
		if v, ok := yaml11Float(s); ok {
			return v, nil
		}
	}
	return s, nil // timestamps stay strings
}

func yaml11Bool(s string) (any, error) {
	switch strings.ToLower(s) {
	case "yes", "true", "on":
		return true, nil
	case "no", "false", "off":
		return false, nil
	}
	return nil, fmt.Errorf("cannot read %q as a boolean", s)
}

func yaml11Int(s string) (any, bool) {
	s = strings.ReplaceAll(s, "_", "")
	neg := false
	switch {
	case strings.HasPrefix(s, "-"):
		neg, s = true, s[1:]
	case strings.HasPrefix(s, "+"):
		s = s[1:]
	}
	b := new(big.Int)
	var ok bool
	switch {
	case s == "0":
		ok = true
	case strings.HasPrefix(s, "0b"):
		_, ok = b.SetString(s[2:], 2)
	case strings.HasPrefix(s, "0x"):
		_, ok = b.SetString(s[2:], 16)
	case strings.HasPrefix(s, "0"):
		_, ok = b.SetString(s[1:], 8)
	case strings.Contains(s, ":"):
		ok = true
		for _, part := range strings.Split(s, ":") {
			d, err := strconv.Atoi(part)
			if err != nil {
				return nil, false
			}
			b.Mul(b, big.NewInt(60)).Add(b, big.NewInt(int64(d)))
		}
	default:
		_, ok = b.SetString(s, 10)
	}
	if !ok {
		return nil, false
	}
	if neg {
		b.Neg(b)
	}
	if b.IsInt64() {
		return b.Int64(), true
	}
	return b, true
}

func yaml11Float(s string) (float64, bool) {
	s = strings.ReplaceAll(s, "_", "")
	low := strings.ToLower(s)
	switch strings.TrimLeft(low, "+-") {
	case ".inf":
		if strings.HasPrefix(low, "-") {
			return math.Inf(-1), true
		}
		return math.Inf(1), true
	case ".nan":
		return math.NaN(), true
	}
	if strings.Contains(s, ":") {
		neg := strings.HasPrefix(s, "-")
		parts := strings.Split(strings.TrimLeft(s, "+-"), ":")
		var f float64
		for i, p := range parts {
			x, err := strconv.ParseFloat(p, 64)
			if err != nil || (i < len(parts)-1 && strings.Contains(p, ".")) {
				return 0, false
			}
			f = f*60 + x
		}
		if neg {
			f = -f
		}
		return f, true
	}
	f, err := strconv.ParseFloat(s, 64)
	return f, err == nil
}

// jsonDocument reads JSON into a node tree (without lines).
func jsonDocument(data []byte) (*node, error) {
	v, err := expr.FromJSON(data)
	if err != nil {
		return nil, err
	}
	return fromValue(v), nil
}

func fromValue(v any) *node {
	switch x := v.(type) {
	case *expr.Dict:
		n := &node{kind: mapNode}
		x.Range(func(k, v any) bool {
			ks, ok := k.(string)
			if !ok {
				ks = expr.Str(k)
			}
			n.set(ks, 0, fromValue(v))
			return true
		})
		return n
	case []any:
		n := &node{kind: seqNode}
		for _, e := range x {
			n.items = append(n.items, fromValue(e))
		}
		return n
	}
	return &node{value: v}
}
