package packconfig

import (
	"errors"
	"fmt"
	"math"
	"os"
	"regexp"
	"slices"
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/st2go/st2go/internal/yamlfile"
)

// SchemaFile is the name of a pack's config schema in its directory.
const SchemaFile = "config.schema.yaml"

// Schema is a pack's config schema: config item name → item.
type Schema struct {
	// File is the schema's path, for error messages.
	File string
	// Attributes is the schema document as plain data, as StackStorm's API
	// serves it (ConfigSchemaAPI attributes).
	Attributes map[string]any
	// Root describes the config as a whole: an object whose properties are
	// the config items and which takes other keys too (StackStorm validates
	// configs with additionalProperties allowed).
	Root *Item
}

// Item is one node of a config schema (a JSON-schema draft-4 object with
// StackStorm's extensions `secret` and the draft-3 boolean `required`).
type Item struct {
	// Types are the JSON types the value may have; empty means any.
	Types    []string
	Secret   bool
	Required bool
	// HasDefault tells a default of null apart from no default.
	HasDefault bool
	Default    any

	// Properties, in the schema's order in PropertyOrder.
	Properties        map[string]*Item
	PropertyOrder     []string
	PatternProperties []*PatternItem
	// AdditionalProperties applies to keys neither Properties nor
	// PatternProperties name.
	AdditionalProperties Additional

	// Items is the schema of every element (items: {...}); TupleItems are
	// positional schemas (items: [...]), AdditionalItems the schema of the
	// elements past them.
	Items           *Item
	TupleItems      []*Item
	AdditionalItems Additional

	Enum                               []any // nil: no enum
	Minimum, Maximum, MultipleOf       *float64
	ExclusiveMinimum, ExclusiveMaximum bool
	MinLength, MaxLength               *int
	MinItems, MaxItems                 *int
	MinProperties, MaxProperties       *int
	UniqueItems                        bool
	Pattern                            *regexp.Regexp

	// Line is the item's line in File, DefaultLine its default's.
	File              string
	Line, DefaultLine int
	// empty: the item was written {} (falsy to StackStorm's loader).
	empty bool
}

// PatternItem is one patternProperties entry.
type PatternItem struct {
	Pattern *regexp.Regexp
	Item    *Item
}

// Additional is additionalProperties or additionalItems: absent, a
// boolean, or a schema.
type Additional struct {
	// Forbidden is the keyword set to false.
	Forbidden bool
	// Schema is the keyword's schema when it is one.
	Schema *Item
	// truthy is the keyword present and truthy to Python (true, or a
	// non-empty schema): StackStorm's loader only looks further then.
	truthy bool
}

// simpleTypes are the JSON-schema draft-4 type names.
var simpleTypes = []string{"array", "boolean", "integer", "null", "number", "object", "string"}

// itemName is ConfigSchemaAPI's pattern for config item names (Python's
// Unicode \w).
var itemName = regexp.MustCompile(`^[\p{L}\p{N}_]+$`)

// keywords are the attributes StackStorm allows in a config schema item
// (its action-parameters meta-schema, which refuses any other).
var keywords = []string{
	"$schema", "additionalItems", "additionalProperties", "allOf", "anyOf", "default",
	"definitions", "dependencies", "description", "enum", "exclusiveMaximum", "exclusiveMinimum",
	"id", "immutable", "items", "maxItems", "maxLength", "maxProperties", "maximum",
	"minItems", "minLength", "minProperties", "minimum", "multipleOf", "not", "oneOf",
	"pattern", "patternProperties", "position", "properties", "required", "secret", "title",
	"type", "uniqueItems",
}

// LoadSchema reads and checks a config.schema.yaml. A missing file is an
// error wrapping fs.ErrNotExist (a schema is optional: callers check).
func LoadSchema(path string) (*Schema, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("reading config schema: %w", err)
	}
	return ParseSchema(path, data)
}

// ParseSchema reads a config schema document; file names it in errors.
// It returns every problem found, joined, each an *Error with its line.
func ParseSchema(file string, data []byte) (*Schema, error) {
	root, perr := parseYAML(file, data)
	if perr != nil {
		return nil, perr
	}
	if root == nil || (root.Kind == yaml.MappingNode && len(root.Content) == 0) {
		// StackStorm refuses to register an empty schema.
		return nil, &Error{File: file, Err: errors.New("config schema is empty and invalid")}
	}
	if root.Kind != yaml.MappingNode {
		return nil, errAt(file, root, "config schema must be a mapping of config item names to items, not %s", yamlfile.Describe(root))
	}
	attrs, verr := toValue(file, root, nil)
	if verr != nil {
		return nil, verr
	}
	s := &Schema{File: file, Attributes: attrs.(map[string]any)}
	s.Root = &Item{Types: []string{"object"}, Properties: map[string]*Item{}, File: file, Line: root.Line}
	var errs []error
	for _, e := range yamlfile.Entries(root) {
		if !itemName.MatchString(e.Key) {
			errs = append(errs, errAt(file, e.KeyNode, "config item name %q is invalid: names are made of letters, digits and underscores", e.Key))
			continue
		}
		it, ierrs := parseItem(file, e.Value, e.Key)
		errs = append(errs, ierrs...)
		if it != nil {
			s.Root.Properties[e.Key] = it
			s.Root.PropertyOrder = append(s.Root.PropertyOrder, e.Key)
		}
	}
	if len(errs) > 0 {
		return nil, errors.Join(errs...)
	}
	return s, nil
}

// parseItem reads one schema item; where names it in messages.
func parseItem(file string, n *yaml.Node, where string) (*Item, []error) {
	n = yamlfile.Deref(n)
	if n.Kind != yaml.MappingNode {
		return nil, []error{errAt(file, n, "%s must be a mapping, not %s", where, yamlfile.Describe(n))}
	}
	it := &Item{File: file, Line: n.Line, empty: len(n.Content) == 0}
	var errs []error
	bad := func(v *yaml.Node, format string, args ...any) {
		errs = append(errs, errAt(file, v, "%s: "+format, append([]any{where}, args...)...))
	}
	for _, e := range yamlfile.Entries(n) {
		v := yamlfile.Deref(e.Value)
		switch e.Key {
		case "type":
			it.Types = parseTypes(v, func(format string, args ...any) { bad(v, format, args...) })
		case "secret", "required", "uniqueItems", "exclusiveMinimum", "exclusiveMaximum":
			b, ok := yamlfile.Bool(v)
			if !ok {
				bad(v, "%s must be true or false, not %s", e.Key, yamlfile.Describe(v))
				continue
			}
			switch e.Key {
			case "secret":
				it.Secret = b
			case "required":
				it.Required = b
			case "uniqueItems":
				it.UniqueItems = b
			case "exclusiveMinimum":
				it.ExclusiveMinimum = b
			case "exclusiveMaximum":
				it.ExclusiveMaximum = b
			}
		case "default":
			d, derr := toValue(file, v, nil)
			if derr != nil {
				errs = append(errs, derr)
				continue
			}
			it.HasDefault, it.Default, it.DefaultLine = true, d, v.Line
		case "properties", "patternProperties":
			if v.Kind != yaml.MappingNode {
				if !yamlfile.IsNull(v) {
					bad(v, "%s must be a mapping, not %s", e.Key, yamlfile.Describe(v))
				}
				continue
			}
			for _, pe := range yamlfile.Entries(v) {
				sub, serrs := parseItem(file, pe.Value, where+"."+e.Key+"."+pe.Key)
				errs = append(errs, serrs...)
				if sub == nil {
					continue
				}
				if e.Key == "properties" {
					if it.Properties == nil {
						it.Properties = map[string]*Item{}
					}
					it.Properties[pe.Key] = sub
					it.PropertyOrder = append(it.PropertyOrder, pe.Key)
					continue
				}
				re, err := regexp.Compile(pe.Key)
				if err != nil {
					errs = append(errs, errAt(file, pe.KeyNode, "%s: patternProperties: %q is not a regular expression st2go can use: %v", where, pe.Key, err))
					continue
				}
				it.PatternProperties = append(it.PatternProperties, &PatternItem{Pattern: re, Item: sub})
			}
		case "additionalProperties", "additionalItems":
			a, aerrs := parseAdditional(file, v, where+"."+e.Key)
			errs = append(errs, aerrs...)
			if e.Key == "additionalProperties" {
				it.AdditionalProperties = a
			} else {
				it.AdditionalItems = a
			}
		case "items":
			switch v.Kind {
			case yaml.MappingNode:
				sub, serrs := parseItem(file, v, where+".items")
				errs = append(errs, serrs...)
				it.Items = sub
			case yaml.SequenceNode:
				if len(v.Content) == 0 {
					bad(v, "items must not be an empty list")
				}
				for i, c := range v.Content {
					sub, serrs := parseItem(file, c, fmt.Sprintf("%s.items.%d", where, i))
					errs = append(errs, serrs...)
					if sub == nil {
						sub = &Item{File: file, Line: yamlfile.Deref(c).Line, empty: true}
					}
					it.TupleItems = append(it.TupleItems, sub)
				}
			default:
				bad(v, "items must be a mapping or a list of mappings, not %s", yamlfile.Describe(v))
			}
		case "enum":
			if v.Kind != yaml.SequenceNode || len(v.Content) == 0 {
				bad(v, "enum must be a non-empty list, not %s", yamlfile.Describe(v))
				continue
			}
			vals, verr := toValue(file, v, nil)
			if verr != nil {
				errs = append(errs, verr)
				continue
			}
			it.Enum = vals.([]any)
		case "minimum", "maximum", "multipleOf":
			f, ok := yamlfile.Number(v)
			if !ok || (e.Key == "multipleOf" && f <= 0) {
				bad(v, "%s must be a number (above 0 for multipleOf), not %s", e.Key, yamlfile.Describe(v))
				continue
			}
			switch e.Key {
			case "minimum":
				it.Minimum = &f
			case "maximum":
				it.Maximum = &f
			default:
				it.MultipleOf = &f
			}
		case "minLength", "maxLength", "minItems", "maxItems", "minProperties", "maxProperties":
			f, ok := yamlfile.Number(v)
			if !ok || f < 0 || f != math.Trunc(f) || f > 1<<31 {
				bad(v, "%s must be an integer of 0 or more, not %s", e.Key, yamlfile.Describe(v))
				continue
			}
			i := int(f)
			switch e.Key {
			case "minLength":
				it.MinLength = &i
			case "maxLength":
				it.MaxLength = &i
			case "minItems":
				it.MinItems = &i
			case "maxItems":
				it.MaxItems = &i
			case "minProperties":
				it.MinProperties = &i
			default:
				it.MaxProperties = &i
			}
		case "pattern":
			if v.Kind != yaml.ScalarNode || v.Tag != "!!str" {
				bad(v, "pattern must be a string, not %s", yamlfile.Describe(v))
				continue
			}
			re, err := regexp.Compile(v.Value)
			if err != nil {
				bad(v, "pattern %q is not a regular expression st2go can use: %v", v.Value, err)
				continue
			}
			it.Pattern = re
		default:
			if !slices.Contains(keywords, e.Key) {
				errs = append(errs, errAt(file, e.KeyNode, "%s: unknown attribute %q (a config schema item may have: %s)", where, e.Key, strings.Join(keywords, ", ")))
			}
		}
	}
	return it, errs
}

func parseTypes(v *yaml.Node, bad func(format string, args ...any)) []string {
	var names []*yaml.Node
	switch v.Kind {
	case yaml.ScalarNode:
		names = []*yaml.Node{v}
	case yaml.SequenceNode:
		for _, c := range v.Content {
			names = append(names, yamlfile.Deref(c))
		}
	default:
		bad("type must be a type name or a list of them, not %s", yamlfile.Describe(v))
		return nil
	}
	var out []string
	for _, t := range names {
		if t.Kind != yaml.ScalarNode || t.Tag != "!!str" || !slices.Contains(simpleTypes, t.Value) {
			bad("type %s is not one of %s", yamlfile.Describe(t), strings.Join(simpleTypes, ", "))
			continue
		}
		out = append(out, t.Value)
	}
	return out
}

func parseAdditional(file string, v *yaml.Node, where string) (Additional, []error) {
	if v.Kind == yaml.MappingNode {
		sub, errs := parseItem(file, v, where)
		if sub == nil {
			return Additional{}, errs
		}
		return Additional{Schema: sub, truthy: !sub.empty}, errs
	}
	b, ok := yamlfile.Bool(v)
	if !ok {
		return Additional{}, []error{errAt(file, v, "%s must be true, false or a mapping, not %s", where, yamlfile.Describe(v))}
	}
	return Additional{Forbidden: !b, truthy: b}, nil
}

// schemasFor returns the schemas that apply to the value of key in an
// object, by JSON-schema rules: properties[key] and every patternProperties
// schema whose pattern matches key; additionalProperties' schema when
// neither does.
func (it *Item) schemasFor(key string) []*Item {
	var out []*Item
	if p, ok := it.Properties[key]; ok {
		out = append(out, p)
	}
	for _, pp := range it.PatternProperties {
		if pp.Pattern.MatchString(key) {
			out = append(out, pp.Item)
		}
	}
	if len(out) == 0 && it.AdditionalProperties.Schema != nil {
		out = append(out, it.AdditionalProperties.Schema)
	}
	return out
}

// elementSchema returns the schema of an array's i-th element, or nil.
func (it *Item) elementSchema(i int) *Item {
	switch {
	case it.Items != nil:
		return it.Items
	case i < len(it.TupleItems):
		return it.TupleItems[i]
	}
	return it.AdditionalItems.Schema
}

// hasType reports whether the item declares type t (alone or in a list).
func (it *Item) hasType(t string) bool { return slices.Contains(it.Types, t) }
