package packconfig

// WithDefaults returns a copy of config values with the schema's defaults
// applied as StackStorm's config loader does before an action or sensor
// gets its pack config (ContentPackConfigLoader._assign_default_values):
//
//   - an item with a default that the config does not have gets the
//     default (an item present with null keeps null);
//   - an object item (type object) with properties, patternProperties or
//     additionalProperties is created empty when missing or null, and its
//     properties get their defaults in turn; keys of the config the
//     properties do not name take their schema from patternProperties,
//     else additionalProperties;
//   - an array item (type array) with items or additionalItems is created
//     empty when missing or null, and each element gets the defaults of
//     its schema (items, positional items, additionalItems); an element
//     that is null and whose schema is an object with properties becomes
//     an object with the defaults.
//
// Unlike the defaults Validate applies, these follow StackStorm's loader,
// which differs: there a null value keeps its null. A nil schema adds
// nothing. Dynamic values are not rendered.
func WithDefaults(values map[string]any, schema *Schema) map[string]any {
	out, _ := deepCopy(values).(map[string]any)
	if out == nil {
		out = map[string]any{}
	}
	if schema == nil {
		return out
	}
	applyObjectDefaults(out, schema.Root)
	return out
}

// applyObjectDefaults fills an object's properties and walks every key.
func applyObjectDefaults(m map[string]any, it *Item) {
	for _, name := range it.PropertyOrder {
		applyItemDefaults(m, name, it.Properties[name])
	}
	for k := range m {
		if _, named := it.Properties[k]; named {
			continue
		}
		matched := false
		for _, pp := range it.PatternProperties {
			if pp.Pattern.MatchString(k) {
				matched = true
				applyItemDefaults(m, k, pp.Item)
			}
		}
		if !matched && it.AdditionalProperties.Schema != nil && it.AdditionalProperties.truthy {
			applyItemDefaults(m, k, it.AdditionalProperties.Schema)
		}
	}
}

func applyItemDefaults(m map[string]any, key string, it *Item) {
	if _, present := m[key]; !present && it.HasDefault {
		m[key] = deepCopy(it.Default)
	}
	switch {
	case isSingle(it, "object") && (len(it.Properties) > 0 || len(it.PatternProperties) > 0 || it.AdditionalProperties.truthy):
		if m[key] == nil {
			m[key] = map[string]any{}
		}
		if obj, ok := m[key].(map[string]any); ok {
			applyObjectDefaults(obj, it)
		}
	case isSingle(it, "array") && (it.Items != nil && !it.Items.empty || len(it.TupleItems) > 0 || it.AdditionalItems.truthy):
		if m[key] == nil {
			m[key] = []any{}
		}
		if list, ok := m[key].([]any); ok {
			applyArrayDefaults(list, it)
		}
	}
}

func applyArrayDefaults(list []any, it *Item) {
	for i := range list {
		sub := it.Items
		if sub == nil {
			switch {
			case i < len(it.TupleItems):
				sub = it.TupleItems[i]
			case it.AdditionalItems.truthy && it.AdditionalItems.Schema != nil:
				sub = it.AdditionalItems.Schema
			default:
				continue
			}
		}
		holder := map[string]any{"": list[i]}
		applyItemDefaults(holder, "", sub)
		list[i] = holder[""]
	}
}

// isSingle reports whether an item's type is exactly t: StackStorm's
// loader compares the type attribute with a string, so a list of types
// never matches.
func isSingle(it *Item, t string) bool { return len(it.Types) == 1 && it.Types[0] == t }
