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
	"github.com/st2go/st2go/internal/yamlfile"
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

// maxDepth bounds nesting, aliases expanded (yamlfile bounds the size).
const maxDepth = 500

var errTooDeep = fmt.Errorf("document is nested more than %d levels deep once aliases are expanded", maxDepth)

// yamlDocument parses one YAML document into a node tree; nil for an
// empty document. Its errors are *Error.
func yamlDocument(file string, data []byte) (*node, error) {
	root, err := yamlfile.Parse(file, data)
	if err != nil {
		var ye *yamlfile.Error
		errors.As(err, &ye)
		if errors.Is(err, yamlfile.ErrTooLarge) {
			return nil, &Error{File: file, Line: ye.Line, Err: ye.Err}
		}
		return nil, &Error{File: file, Line: ye.Line, Err: fmt.Errorf("parsing YAML: %w", ye.Err)}
	}
	if root == nil {
		return nil, nil
	}
	n, nerr := fromYAML(root, 0)
	if nerr != nil {
		nerr.File = file
		return nil, nerr
	}
	return n, nil
}

// fromYAML builds the node tree of y, merge keys expanded. Its error
// (File left empty) is errTooDeep, or a scalar it cannot read.
func fromYAML(y *yaml.Node, depth int) (*node, *Error) {
	y = yamlfile.Deref(y)
	if depth > maxDepth {
		return nil, &Error{Err: errTooDeep}
	}
	n := &node{line: y.Line}
	switch y.Kind {
	case yaml.MappingNode:
		n.kind = mapNode
		for _, e := range yamlfile.Entries(y) {
			val, err := fromYAML(e.Value, depth+1)
			if err != nil {
				return nil, err
			}
			n.set(keyText(e.KeyNode, depth), e.KeyNode.Line, val)
		}
		n.dups = repeatedKeys(y, depth)
	case yaml.SequenceNode:
		n.kind = seqNode
		for _, c := range y.Content {
			it, err := fromYAML(c, depth+1)
			if err != nil {
				return nil, err
			}
			n.items = append(n.items, it)
		}
	case yaml.ScalarNode:
		v, err := yamlScalar(y)
		if err != nil {
			return nil, &Error{Line: y.Line, Err: fmt.Errorf("parsing YAML: %w", err)}
		}
		n.value = v
	}
	return n, nil
}

// keyText is a mapping key as the rule sees it: a scalar's text, or the
// Python str() of a list or mapping key.
func keyText(k *yaml.Node, depth int) string {
	if k.Kind == yaml.ScalarNode {
		return k.Value
	}
	return fmt.Sprint(expr.Str(mustValue(fromYAML(k, depth+1))))
}

// repeatedKeys lists the keys a mapping itself gives more than once,
// once per repetition and merge keys aside: PyYAML keeps the last value
// without a word, and the loader warns.
func repeatedKeys(y *yaml.Node, depth int) []string {
	var out []string
	seen := map[string]bool{}
	for i := 0; i+1 < len(y.Content); i += 2 {
		k := yamlfile.Deref(y.Content[i])
		if k.Tag == "!!merge" {
			continue
		}
		key := keyText(k, depth)
		if seen[key] {
			out = append(out, key)
		}
		seen[key] = true
	}
	return out
}

func mustValue(n *node, err *Error) any {
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
