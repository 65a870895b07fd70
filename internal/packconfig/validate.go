package packconfig

import (
	"errors"
	"fmt"
	"math"
	"slices"
	"sort"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/st2go/st2go/internal/pyfmt"
)

// ErrDecryptKVOnSecret is the problem of a secret item whose dynamic value
// uses the decrypt_kv filter (StackStorm's wording: secret items are
// decrypted anyway).
var ErrDecryptKVOnSecret = errors.New(`Values specified as "secret: True" in config schema are automatically ` +
	`decrypted by default. Use of "decrypt_kv" jinja filter is not allowed for such values. ` +
	`Please check the specified values in the config or the default values in the schema.`)

// Validate checks a config against its schema as StackStorm does when it
// registers or saves a config: defaults fill missing (or null) properties
// first, so a required item with a default is satisfied and the default
// itself is checked; an optional item, or one whose default is null, may
// be null; `required: true` is StackStorm's draft-3 form; keys the schema
// does not name are allowed at the top level. A nil schema accepts
// anything. It returns every problem, joined, each an *Error naming the
// file and line and the attribute (a problem in a default names the
// schema file and the default's line).
func Validate(c *Config, s *Schema) error {
	if s == nil || c == nil {
		return nil
	}
	v := &validator{c: c, origins: map[string]origin{}}
	cleaned := v.objectDefaults(deepCopy(c.Values).(map[string]any), s.Root, nil)
	v.check(cleaned, s.Root, nil, false, false)
	return errors.Join(v.errs...)
}

type validator struct {
	c       *Config
	origins map[string]origin // attribute paths filled from schema defaults
	errs    []error
}

// origin is where a default came from.
type origin struct {
	file string
	line int
}

func (v *validator) fail(path []string, err error) {
	e := &Error{File: v.c.File, Attribute: strings.Join(path, "."), Err: err}
	for i := len(path); i > 0; i-- {
		k := pathKey(path[:i])
		if o, ok := v.origins[k]; ok {
			e.File, e.Line = o.file, o.line
			break
		}
		if l, ok := v.c.lines[k]; ok {
			e.Line = l
			break
		}
	}
	v.errs = append(v.errs, e)
}

func (v *validator) failf(path []string, format string, args ...any) {
	v.fail(path, fmt.Errorf(format, args...))
}

func extend(path []string, key string) []string {
	return append(path[:len(path):len(path)], key)
}

// objectDefaults fills missing or null properties from their defaults,
// recursing into nested objects and arrays (StackStorm's
// assign_default_values, used before validation).
func (v *validator) objectDefaults(m map[string]any, it *Item, path []string) map[string]any {
	for _, name := range it.PropertyOrder {
		prop := it.Properties[name]
		p := extend(path, name)
		if prop.HasDefault && m[name] == nil {
			m[name] = deepCopy(prop.Default)
			v.origins[pathKey(p)] = origin{prop.File, prop.DefaultLine}
		}
		v.nestedDefaults(m, name, prop, p)
	}
	return m
}

func (v *validator) nestedDefaults(container any, key string, it *Item, path []string) {
	get := func() any {
		if m, ok := container.(map[string]any); ok {
			return m[key]
		}
		i, _ := strconv.Atoi(key)
		return container.([]any)[i]
	}
	switch val := get().(type) {
	case []any:
		if it.hasType("array") {
			v.arrayDefaults(val, it, path)
		}
	case map[string]any:
		if it.hasType("object") {
			v.objectDefaults(val, it, path)
		}
	}
}

func (v *validator) arrayDefaults(list []any, it *Item, path []string) {
	if it.Items == nil && len(it.TupleItems) == 0 {
		return
	}
	for i := range list {
		sub := it.Items
		if sub == nil {
			if i >= len(it.TupleItems) {
				break
			}
			sub = it.TupleItems[i]
		}
		p := extend(path, strconv.Itoa(i))
		if sub.HasDefault && list[i] == nil {
			list[i] = deepCopy(sub.Default)
			v.origins[pathKey(p)] = origin{sub.File, sub.DefaultLine}
		}
		v.nestedDefaults(list, strconv.Itoa(i), sub, p)
	}
}

// nullAllowed reports whether a property may be null although its type
// says otherwise: StackStorm allows it for an optional property and for one
// whose default is null (modify_schema_allow_default_none).
func nullAllowed(prop *Item) bool {
	return (prop.HasDefault || !prop.Required) && prop.Default == nil
}

// check validates one value; secret says it is (inside) a secret item, so
// messages must not show it.
func (v *validator) check(val any, it *Item, path []string, nullOK, secret bool) {
	secret = secret || it.Secret
	if isDynamic(val) {
		// Rendered later; StackStorm forbids decrypt_kv on secret items.
		if secret && strings.Contains(val.(string), "decrypt_kv") {
			v.fail(path, ErrDecryptKVOnSecret)
		}
		return
	}
	show := func(x any) string { return shown(x, it, secret) }
	if len(it.Types) > 0 && (val != nil || !nullOK) {
		if !slices.ContainsFunc(it.Types, func(t string) bool { return typeMatches(val, t) }) {
			types := it.Types
			if nullOK && !slices.Contains(types, "null") {
				types = append(types[:len(types):len(types)], "null")
			}
			quoted := make([]string, len(types))
			for i, t := range types {
				quoted[i] = "'" + t + "'"
			}
			v.failf(path, "%s is not of type %s", show(val), strings.Join(quoted, ", "))
			return
		}
	}
	if it.Enum != nil && !slices.ContainsFunc(it.Enum, func(e any) bool { return equal(val, e) }) {
		v.failf(path, "%s is not one of %s", show(val), pyfmt.Repr(it.Enum))
	}
	switch x := val.(type) {
	case string:
		n := utf8.RuneCountInString(x)
		if it.MinLength != nil && n < *it.MinLength {
			v.failf(path, "%s is too short", show(x))
		}
		if it.MaxLength != nil && n > *it.MaxLength {
			v.failf(path, "%s is too long", show(x))
		}
		if it.Pattern != nil && !it.Pattern.MatchString(x) {
			v.failf(path, "%s does not match %s", show(x), pyfmt.Repr(it.Pattern.String()))
		}
	case map[string]any:
		v.checkObject(x, it, path, secret)
	case []any:
		v.checkArray(x, it, path, secret)
	case bool, nil:
	default:
		f, ok := toFloat(x)
		if !ok {
			return
		}
		if it.Minimum != nil {
			if it.ExclusiveMinimum && f <= *it.Minimum {
				v.failf(path, "%s is less than or equal to the minimum of %s", show(x), limit(*it.Minimum))
			} else if f < *it.Minimum {
				v.failf(path, "%s is less than the minimum of %s", show(x), limit(*it.Minimum))
			}
		}
		if it.Maximum != nil {
			if it.ExclusiveMaximum && f >= *it.Maximum {
				v.failf(path, "%s is greater than or equal to the maximum of %s", show(x), limit(*it.Maximum))
			} else if f > *it.Maximum {
				v.failf(path, "%s is greater than the maximum of %s", show(x), limit(*it.Maximum))
			}
		}
		if it.MultipleOf != nil && !multipleOf(f, *it.MultipleOf) {
			v.failf(path, "%s is not a multiple of %s", show(x), limit(*it.MultipleOf))
		}
	}
}

func (v *validator) checkObject(m map[string]any, it *Item, path []string, secret bool) {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, name := range it.PropertyOrder {
		prop := it.Properties[name]
		if val, ok := m[name]; ok {
			v.check(val, prop, extend(path, name), nullAllowed(prop), secret)
		} else if prop.Required {
			v.failf(path, "%s is a required property", pyfmt.Repr(name))
		}
	}
	var extras []string
	for _, k := range keys {
		matched := false
		for _, pp := range it.PatternProperties {
			if pp.Pattern.MatchString(k) {
				matched = true
				v.check(m[k], pp.Item, extend(path, k), false, secret)
			}
		}
		if _, named := it.Properties[k]; !named && !matched {
			extras = append(extras, k)
		}
	}
	switch {
	case it.AdditionalProperties.Forbidden && len(extras) > 0:
		v.failf(path, "Additional properties are not allowed (%s unexpected)", listUnexpected(extras))
	case it.AdditionalProperties.Schema != nil:
		for _, k := range extras {
			v.check(m[k], it.AdditionalProperties.Schema, extend(path, k), false, secret)
		}
	}
	if it.MinProperties != nil && len(m) < *it.MinProperties {
		v.failf(path, "%s does not have enough properties", shown(m, it, secret))
	}
	if it.MaxProperties != nil && len(m) > *it.MaxProperties {
		v.failf(path, "%s has too many properties", shown(m, it, secret))
	}
}

func (v *validator) checkArray(list []any, it *Item, path []string, secret bool) {
	for i, e := range list {
		p := extend(path, strconv.Itoa(i))
		switch {
		case it.Items != nil:
			v.check(e, it.Items, p, false, secret)
		case i < len(it.TupleItems):
			v.check(e, it.TupleItems[i], p, false, secret)
		case len(it.TupleItems) > 0 && it.AdditionalItems.Schema != nil:
			v.check(e, it.AdditionalItems.Schema, p, false, secret)
		}
	}
	if n := len(it.TupleItems); n > 0 && it.Items == nil && it.AdditionalItems.Forbidden && len(list) > n {
		extra := make([]string, 0, len(list)-n)
		for _, e := range list[n:] {
			extra = append(extra, shown(e, it.AdditionalItems.Schema, secret))
		}
		verb := "was"
		if len(extra) > 1 {
			verb = "were"
		}
		v.failf(path, "Additional items are not allowed (%s %s unexpected)", strings.Join(extra, ", "), verb)
	}
	if it.MinItems != nil && len(list) < *it.MinItems {
		v.failf(path, "%s is too short", shown(list, it, secret))
	}
	if it.MaxItems != nil && len(list) > *it.MaxItems {
		v.failf(path, "%s is too long", shown(list, it, secret))
	}
	if it.UniqueItems {
		for i := range list {
			for j := i + 1; j < len(list); j++ {
				if equal(list[i], list[j]) {
					v.failf(path, "%s has non-unique elements", shown(list, it, secret))
					return
				}
			}
		}
	}
}

// listUnexpected renders extra keys as jsonschema does: 'a', 'b' were.
func listUnexpected(keys []string) string {
	q := make([]string, len(keys))
	for i, k := range keys {
		q[i] = pyfmt.Repr(k)
	}
	verb := "was"
	if len(keys) > 1 {
		verb = "were"
	}
	return strings.Join(q, ", ") + " " + verb
}

// shown renders a value for a message as Python's repr, with secrets
// masked: a message must never carry a secret into a response or a log.
func shown(val any, it *Item, secret bool) string {
	if secret || (it != nil && it.Secret) {
		return pyfmt.Repr(MaskedValue)
	}
	if it != nil {
		val = maskValue(val, it)
	}
	return pyfmt.Repr(val)
}

// limit renders a schema bound as the schema wrote it (5, not 5.0).
func limit(f float64) string {
	if f == math.Trunc(f) && math.Abs(f) < 1e16 {
		return strconv.FormatFloat(f, 'f', 0, 64)
	}
	return pyfmt.Float(f)
}
