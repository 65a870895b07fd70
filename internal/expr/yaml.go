package expr

import (
	"errors"
	"math"
	"math/big"
	"sort"
	"strconv"
	"strings"

	yaml "go.yaml.in/yaml/v3"

	"github.com/st2go/st2go/internal/pyyaml"
)

// FromYAML parses one YAML document as PyYAML's safe_load does: YAML 1.1
// scalars (yes/no/on/off are booleans, 0777 is octal, 1e3 is a string),
// mappings as Dicts in document order, merge keys. Timestamps stay
// strings (Python makes datetime objects of them). An empty document is
// None.
func FromYAML(text string) (any, error) {
	dec := yaml.NewDecoder(strings.NewReader(text))
	var doc yaml.Node
	if err := dec.Decode(&doc); err != nil {
		if err.Error() == "EOF" {
			return nil, nil
		}
		return nil, yamlError(err)
	}
	var extra yaml.Node
	if err := dec.Decode(&extra); err == nil {
		return nil, Errorf("ComposerError", "expected a single document in the stream")
	}
	return yamlValue(&doc, 0)
}

func yamlError(err error) error {
	return Errorf("YAMLError", "%s", strings.TrimPrefix(err.Error(), "yaml: "))
}

func yamlValue(n *yaml.Node, depth int) (any, error) {
	if depth > maxJSONDepth {
		return nil, Errorf("YAMLError", "document nested too deeply")
	}
	switch n.Kind {
	case yaml.DocumentNode:
		if len(n.Content) == 0 {
			return nil, nil
		}
		return yamlValue(n.Content[0], depth+1)
	case yaml.AliasNode:
		return yamlValue(n.Alias, depth+1)
	case yaml.SequenceNode:
		out := make([]any, 0, len(n.Content))
		for _, c := range n.Content {
			v, err := yamlValue(c, depth+1)
			if err != nil {
				return nil, err
			}
			out = append(out, v)
		}
		return out, nil
	case yaml.MappingNode:
		d := NewDict(len(n.Content) / 2)
		if err := yamlMapping(d, n, depth); err != nil {
			return nil, err
		}
		return d, nil
	case yaml.ScalarNode:
		return yamlScalar(n)
	}
	return nil, Errorf("YAMLError", "unexpected node")
}

func yamlMapping(d *Dict, n *yaml.Node, depth int) error {
	// Merged keys come first, as PyYAML puts them; the mapping's own keys
	// then override their values.
	var own [][2]*yaml.Node
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], n.Content[i+1]
		if k.Kind == yaml.ScalarNode && k.Value == "<<" && k.Style&(yaml.DoubleQuotedStyle|yaml.SingleQuotedStyle) == 0 {
			if err := yamlMerge(d, v, depth); err != nil {
				return err
			}
			continue
		}
		own = append(own, [2]*yaml.Node{k, v})
	}
	for _, kv := range own {
		k, err := yamlValue(kv[0], depth+1)
		if err != nil {
			return err
		}
		v, err := yamlValue(kv[1], depth+1)
		if err != nil {
			return err
		}
		if err := d.SetKey(k, v); err != nil {
			return Errorf("ConstructorError", "found unhashable key")
		}
	}
	return nil
}

// yamlMerge adds the entries of a merge key's mapping (or sequence of
// mappings, earlier ones winning) that d does not have yet.
func yamlMerge(d *Dict, m *yaml.Node, depth int) error {
	for m.Kind == yaml.AliasNode {
		m = m.Alias
	}
	srcs := []*yaml.Node{m}
	if m.Kind == yaml.SequenceNode {
		srcs = m.Content
	}
	for _, s := range srcs {
		for s.Kind == yaml.AliasNode {
			s = s.Alias
		}
		if s.Kind != yaml.MappingNode {
			return Errorf("ConstructorError", "expected a mapping for merging")
		}
		sub := NewDict(0)
		if err := yamlMapping(sub, s, depth+1); err != nil {
			return err
		}
		for i, k := range sub.keys {
			if _, found, _ := d.Lookup(k); !found {
				_ = d.SetKey(k, sub.vals[i])
			}
		}
	}
	return nil
}

func yamlScalar(n *yaml.Node) (any, error) {
	v := n.Value
	tag := ""
	if n.Style&yaml.TaggedStyle != 0 {
		tag = n.ShortTag()
	} else if n.Style&(yaml.DoubleQuotedStyle|yaml.SingleQuotedStyle|yaml.LiteralStyle|yaml.FoldedStyle) != 0 {
		return v, nil
	}
	switch tag {
	case "":
	case "!!str":
		return v, nil
	case "!!int":
		if i, ok := yamlInt(v); ok {
			return i, nil
		}
		return nil, Errorf("ConstructorError", "invalid int %s", Repr(v))
	case "!!float":
		if f, ok := yamlFloat(v); ok {
			return f, nil
		}
		return nil, Errorf("ConstructorError", "invalid float %s", Repr(v))
	case "!!bool":
		return yamlBool(v), nil
	case "!!null":
		return nil, nil
	default:
		return nil, Errorf("ConstructorError", "could not determine a constructor for the tag '%s'", tag)
	}
	switch pyyaml.Resolve(v) {
	case pyyaml.Null:
		return nil, nil
	case pyyaml.Bool:
		return yamlBool(v), nil
	case pyyaml.Int:
		if i, ok := yamlInt(v); ok {
			return i, nil
		}
	case pyyaml.Float:
		if f, ok := yamlFloat(v); ok {
			return f, nil
		}
	}
	return v, nil
}

func yamlBool(v string) bool {
	switch strings.ToLower(v) {
	case "yes", "true", "on":
		return true
	}
	return false
}

func yamlInt(v string) (any, bool) {
	v = strings.ReplaceAll(v, "_", "")
	sign := int64(1)
	if strings.HasPrefix(v, "-") {
		sign, v = -1, v[1:]
	} else {
		v = strings.TrimPrefix(v, "+")
	}
	base := 10
	switch {
	case v == "0":
		return int64(0), true
	case strings.HasPrefix(v, "0b"):
		base, v = 2, v[2:]
	case strings.HasPrefix(v, "0x"):
		base, v = 16, v[2:]
	case strings.HasPrefix(v, "0"):
		base, v = 8, v[1:]
	case strings.Contains(v, ":"):
		total := new(big.Int)
		for _, part := range strings.Split(v, ":") {
			d, err := strconv.ParseInt(part, 10, 64)
			if err != nil {
				return nil, false
			}
			total.Mul(total, big.NewInt(60))
			total.Add(total, big.NewInt(d))
		}
		return normInt(total.Mul(total, big.NewInt(sign))), true
	}
	b, ok := new(big.Int).SetString(v, base)
	if !ok {
		return nil, false
	}
	return normInt(b.Mul(b, big.NewInt(sign))), true
}

func yamlFloat(v string) (float64, bool) {
	v = strings.ToLower(strings.ReplaceAll(v, "_", ""))
	sign := 1.0
	if strings.HasPrefix(v, "-") {
		sign, v = -1, v[1:]
	} else {
		v = strings.TrimPrefix(v, "+")
	}
	switch v {
	case ".inf":
		return sign * math.Inf(1), true
	case ".nan":
		return math.NaN(), true
	}
	if strings.Contains(v, ":") {
		total := 0.0
		for _, part := range strings.Split(v, ":") {
			d, err := strconv.ParseFloat(part, 64)
			if err != nil {
				return 0, false
			}
			total = total*60 + d
		}
		return sign * total, true
	}
	f, err := strconv.ParseFloat(v, 64)
	if err != nil && !errors.Is(err, strconv.ErrRange) {
		return 0, false
	}
	return sign * f, true
}

// ToYAML renders v as PyYAML's safe_dump(v, default_flow_style=False,
// indent=indent, allow_unicode=allowUnicode) does: block style, keys
// sorted, strings quoted only when they would not read back as strings,
// lines folded at 80 columns.
func ToYAML(v any, indent int, allowUnicode bool) (string, error) {
	if indent < 2 || indent > 9 {
		indent = 2
	}
	e := pyyaml.NewEmitter(pyyaml.Options{Indent: indent, Width: 80, AllowUnicode: allowUnicode, DocumentEnd: true})
	if err := yamlNode(e, v, true, false, false, 0); err != nil {
		return "", err
	}
	return e.End(), nil
}

func yamlNode(e *pyyaml.Emitter, v any, root, mapping, simpleKey bool, depth int) error {
	if depth > maxReprDepth {
		return Errorf("RecursionError", "maximum recursion depth exceeded")
	}
	switch x := v.(type) {
	case []any:
		return yamlSequence(e, x, mapping, depth)
	case Tuple:
		return yamlSequence(e, x, mapping, depth)
	case *Dict:
		return yamlMappingNode(e, x, depth)
	}
	text, isString, err := yamlScalarText(v)
	if err != nil {
		return err
	}
	e.Scalar(text, isString, root, simpleKey)
	return nil
}

func yamlSequence(e *pyyaml.Emitter, items []any, mapping bool, depth int) error {
	if len(items) == 0 {
		e.EmptySequence()
		return nil
	}
	e.BeginSequence(mapping)
	for _, it := range items {
		e.SequenceItem()
		if err := yamlNode(e, it, false, false, false, depth+1); err != nil {
			return err
		}
	}
	e.EndCollection()
	return nil
}

func yamlMappingNode(e *pyyaml.Emitter, d *Dict, depth int) error {
	if d.Len() == 0 {
		e.EmptyMapping()
		return nil
	}
	idx := make([]int, d.Len())
	for i := range idx {
		idx[i] = i
	}
	var sortErr error
	sort.SliceStable(idx, func(i, j int) bool {
		c, err := Compare(d.keys[idx[i]], d.keys[idx[j]])
		if err != nil && sortErr == nil {
			sortErr = err
		}
		return c < 0
	})
	if sortErr != nil {
		return sortErr
	}
	e.BeginMapping()
	for _, i := range idx {
		e.MappingKey()
		if err := yamlNode(e, d.keys[i], false, true, true, depth+1); err != nil {
			return err
		}
		e.MappingValue()
		if err := yamlNode(e, d.vals[i], false, true, false, depth+1); err != nil {
			return err
		}
	}
	e.EndCollection()
	return nil
}

// yamlScalarText is the text of a scalar and whether it is a string.
func yamlScalarText(v any) (string, bool, error) {
	switch x := v.(type) {
	case nil:
		return "null", false, nil
	case bool:
		if x {
			return "true", false, nil
		}
		return "false", false, nil
	case int64, int, *big.Int:
		return Repr(x), false, nil
	case float64:
		switch {
		case math.IsNaN(x):
			return ".nan", false, nil
		case math.IsInf(x, 1):
			return ".inf", false, nil
		case math.IsInf(x, -1):
			return "-.inf", false, nil
		}
		s := strings.ToLower(Repr(x))
		if !strings.Contains(s, ".") && strings.Contains(s, "e") {
			s = strings.Replace(s, "e", ".0e", 1)
		}
		return s, false, nil
	case string:
		return x, true, nil
	}
	return "", false, Errorf("RepresenterError", "cannot represent an object: %s", Repr(v))
}
