package packconfig

// MaskedValue is what a secret shows as (StackStorm's MASKED_ATTRIBUTE_VALUE).
const MaskedValue = "********"

// Mask returns a copy of config values in which every value whose schema
// item says `secret: true` is MaskedValue, at any depth: items, their
// properties, patternProperties and additionalProperties, the elements of
// arrays (items, positional items, additionalItems), arrays of objects
// with secret properties (st2#4139), and whole secret objects and arrays.
// A value that several schemas describe (a property that also matches a
// pattern) is masked when any of them is secret. As in StackStorm, a
// secret key that is present is masked whatever its value, null included.
// Values the schema does not describe, and dynamic values standing for an
// object or array, are copied as they are. A nil schema masks nothing.
func Mask(config any, schema *Schema) any {
	if schema == nil {
		return deepCopy(config)
	}
	return maskValue(config, schema.Root)
}

func maskValue(v any, it *Item) any {
	if it == nil {
		return deepCopy(v)
	}
	if it.Secret {
		return MaskedValue
	}
	switch x := v.(type) {
	case map[string]any:
		out := make(map[string]any, len(x))
		for k, e := range x {
			for _, sub := range it.schemasFor(k) {
				e = maskValue(e, sub)
			}
			out[k] = deepCopy(e)
		}
		return out
	case []any:
		out := make([]any, len(x))
		for i, e := range x {
			out[i] = maskValue(e, it.elementSchema(i))
		}
		return out
	}
	return v
}
