package yamlfile

import (
	"fmt"
	"strings"

	"go.yaml.in/yaml/v3"
)

// Deref follows aliases to the node they refer to.
func Deref(n *yaml.Node) *yaml.Node {
	for n != nil && n.Kind == yaml.AliasNode {
		n = n.Alias
	}
	return n
}

// IsNull reports whether n is missing or (refers to) a null scalar.
func IsNull(n *yaml.Node) bool {
	n = Deref(n)
	return n == nil || (n.Kind == yaml.ScalarNode && n.Tag == "!!null")
}

// Entry is one key/value pair of a mapping.
type Entry struct {
	Key     string     // the key's text; "" for a list or mapping key
	KeyNode *yaml.Node // the key, aliases followed; its Line locates the entry
	Value   *yaml.Node
}

// Entries returns a mapping's pairs in order, expanding merge keys (<<)
// the way PyYAML does: keys written in the mapping win over merged ones,
// an earlier mapping in a merge list wins over a later one, and a
// repeated key keeps its first place and takes its last value. Where it
// differs: merged keys come after the mapping's own (PyYAML puts them
// first), and of two merge keys in one mapping the first wins (in PyYAML
// the last). A merge value that is neither a mapping nor a list of
// mappings merges nothing. List and mapping keys, which PyYAML refuses as
// unhashable, are never taken for one another.
func Entries(n *yaml.Node) []Entry {
	n = Deref(n)
	var merged, own []Entry
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := Deref(n.Content[i]), n.Content[i+1]
		if k.Tag == "!!merge" {
			switch src := Deref(v); src.Kind {
			case yaml.MappingNode:
				merged = append(merged, Entries(src)...)
			case yaml.SequenceNode:
				for _, s := range src.Content {
					if s = Deref(s); s.Kind == yaml.MappingNode {
						merged = append(merged, Entries(s)...)
					}
				}
			}
			continue
		}
		own = append(own, Entry{Key: k.Value, KeyNode: k, Value: v})
	}
	var out []Entry
	at := map[string]int{}
	add := func(e Entry, replace bool) {
		if e.KeyNode.Kind != yaml.ScalarNode {
			out = append(out, e)
			return
		}
		if i, seen := at[e.Key]; seen {
			if replace {
				out[i] = e
			}
			return
		}
		at[e.Key] = len(out)
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

// Describe names a node's kind, and a scalar's value, for error messages:
// "a mapping", "a list", "null", `the string "x"`, "int 5".
func Describe(n *yaml.Node) string {
	n = Deref(n)
	if n == nil {
		return "nothing"
	}
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
