package param

import (
	"encoding/json"
	"fmt"
	"math"
	"reflect"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/st2go/st2go/internal/model"
)

// Validate checks live parameter values against the merged schema the way
// StackStorm's create_request does: the schema is an object whose properties
// are the parameters, with additionalProperties false; defaults fill absent
// or null values first; a parameter that is not required, or has a null
// default, may be null. Then no immutable parameter may be supplied.
//
// Checked per value: type, enum, minimum/maximum (with draft 4's boolean
// exclusiveMinimum/exclusiveMaximum), minLength/maxLength, pattern, and
// inside arrays and objects items, properties (with per-property required),
// additionalProperties, minItems/maxItems. The first problem is returned as
// an *Error with jsonschema's wording, the parameter named after it.
func Validate(specs model.Params, live map[string]any) error {
	var extras []string
	for name := range live {
		if _, ok := specs[name]; !ok {
			extras = append(extras, name)
		}
	}
	if len(extras) > 0 {
		sort.Strings(extras)
		return &Error{Msg: "Additional properties are not allowed (" + extrasMsg(extras) + " unexpected)"}
	}
	for _, name := range sortedKeys(specs) {
		spec := specs[name]
		if spec == nil {
			continue
		}
		v, present := live[name]
		if spec.Default != nil && v == nil {
			v, present = spec.Default, true
		}
		if !present {
			if spec.Required {
				return &Error{Param: name, Msg: fmt.Sprintf("%s is a required property", py.Repr(name))}
			}
			continue
		}
		schema := specSchema(spec)
		if v == nil && spec.Default == nil && !spec.Required {
			continue // modify_schema_allow_default_none adds "null" to the type
		}
		if msg := validateValue(v, schema); msg != "" {
			return &Error{Param: name, Msg: fmt.Sprintf("%s (parameter %q)", msg, name)}
		}
	}
	var overridden []string
	for _, name := range sortedKeys(live) {
		if spec := specs[name]; spec != nil && spec.Immutable {
			overridden = append(overridden, name)
		}
	}
	if len(overridden) > 0 {
		return &Error{Param: overridden[0], Msg: fmt.Sprintf("Override of immutable parameter(s) %s is unsupported.", py.Repr(overridden))}
	}
	return nil
}

// extrasMsg is jsonschema's "'a', 'b' were" / "'a' was".
func extrasMsg(extras []string) string {
	quoted := make([]string, len(extras))
	for i, e := range extras {
		quoted[i] = py.Repr(e)
	}
	verb := "was"
	if len(extras) > 1 {
		verb = "were"
	}
	return strings.Join(quoted, ", ") + " " + verb
}

// specSchema views a ParamSpec as a JSON schema map (only the keywords the
// validator reads).
func specSchema(s *model.ParamSpec) map[string]any {
	m := make(map[string]any, 8)
	for k, v := range s.Extra {
		m[k] = v
	}
	if s.Type != nil {
		m["type"] = s.Type
	}
	if s.Enum != nil {
		m["enum"] = s.Enum
	}
	if s.Items != nil {
		m["items"] = s.Items
	}
	if s.Properties != nil {
		m["properties"] = s.Properties
	}
	if s.AdditionalProperties != nil {
		m["additionalProperties"] = s.AdditionalProperties
	}
	if s.Minimum != nil {
		m["minimum"] = *s.Minimum
	}
	if s.Maximum != nil {
		m["maximum"] = *s.Maximum
	}
	if s.MinLength != nil {
		m["minLength"] = *s.MinLength
	}
	if s.MaxLength != nil {
		m["maxLength"] = *s.MaxLength
	}
	if s.Pattern != "" {
		m["pattern"] = s.Pattern
	}
	return m
}

// validateValue returns the first jsonschema message for v under schema, or "".
func validateValue(v any, schema map[string]any) string {
	if t, ok := schema["type"]; ok {
		types := typeList(t)
		okType := len(types) == 0
		for _, typ := range types {
			if isType(v, typ) {
				okType = true
				break
			}
		}
		if !okType {
			reprs := make([]string, len(types))
			for i, typ := range types {
				reprs[i] = py.Repr(typ)
			}
			return fmt.Sprintf("%s is not of type %s", py.Repr(v), strings.Join(reprs, ", "))
		}
	}
	if enum, ok := schema["enum"].([]any); ok {
		found := false
		for _, e := range enum {
			if pyEqual(e, v) {
				found = true
				break
			}
		}
		if !found {
			return fmt.Sprintf("%s is not one of %s", py.Repr(v), py.Repr(enum))
		}
	}
	if f, ok := number(v); ok {
		if lim, ok := number(schema["minimum"]); ok {
			excl, _ := schema["exclusiveMinimum"].(bool)
			if f < lim || excl && f == lim {
				cmp := "less than"
				if excl {
					cmp = "less than or equal to"
				}
				return fmt.Sprintf("%s is %s the minimum of %s", py.Repr(v), cmp, py.Repr(schema["minimum"]))
			}
		}
		if lim, ok := number(schema["maximum"]); ok {
			excl, _ := schema["exclusiveMaximum"].(bool)
			if f > lim || excl && f == lim {
				cmp := "greater than"
				if excl {
					cmp = "greater than or equal to"
				}
				return fmt.Sprintf("%s is %s the maximum of %s", py.Repr(v), cmp, py.Repr(schema["maximum"]))
			}
		}
	}
	if s, ok := v.(string); ok {
		n := utf8.RuneCountInString(s)
		if lim, ok := number(schema["minLength"]); ok && float64(n) < lim {
			if lim == 1 {
				return py.Repr(v) + " should be non-empty"
			}
			return py.Repr(v) + " is too short"
		}
		if lim, ok := number(schema["maxLength"]); ok && float64(n) > lim {
			if lim == 0 {
				return py.Repr(v) + " is expected to be empty"
			}
			return py.Repr(v) + " is too long"
		}
		if p, ok := schema["pattern"].(string); ok {
			re, err := regexp.Compile(p)
			if err != nil {
				return fmt.Sprintf("pattern %s cannot be compiled: %v", py.Repr(p), err)
			}
			if !re.MatchString(s) {
				return fmt.Sprintf("%s does not match %s", py.Repr(v), py.Repr(p))
			}
		}
	}
	if arr, ok := v.([]any); ok {
		if lim, ok := number(schema["minItems"]); ok && float64(len(arr)) < lim {
			if lim == 1 {
				return py.Repr(v) + " should be non-empty"
			}
			return py.Repr(v) + " is too short"
		}
		if lim, ok := number(schema["maxItems"]); ok && float64(len(arr)) > lim {
			if lim == 0 {
				return py.Repr(v) + " is expected to be empty"
			}
			return py.Repr(v) + " is too long"
		}
		if items, ok := schema["items"].(map[string]any); ok {
			for _, e := range arr {
				if e == nil {
					if d, ok := items["default"]; ok {
						e = d
					}
				}
				if msg := validateValue(e, items); msg != "" {
					return msg
				}
			}
		}
	}
	if obj, ok := v.(map[string]any); ok {
		props, _ := schema["properties"].(map[string]any)
		if ap, ok := schema["additionalProperties"].(bool); ok && !ap {
			var extras []string
			for k := range obj {
				if _, ok := props[k]; !ok {
					extras = append(extras, k)
				}
			}
			if len(extras) > 0 {
				sort.Strings(extras)
				return "Additional properties are not allowed (" + extrasMsg(extras) + " unexpected)"
			}
		}
		for _, name := range sortedKeys(props) {
			sub, _ := props[name].(map[string]any)
			if sub == nil {
				continue
			}
			pv, present := obj[name]
			if d, hasDefault := sub["default"]; hasDefault && pv == nil {
				pv, present = d, true
			}
			if !present {
				if req, _ := sub["required"].(bool); req {
					return fmt.Sprintf("%s is a required property", py.Repr(name))
				}
				continue
			}
			if msg := validateValue(pv, sub); msg != "" {
				return msg
			}
		}
	}
	return ""
}

func typeList(t any) []string {
	switch x := t.(type) {
	case string:
		return []string{x}
	case []any:
		out := make([]string, 0, len(x))
		for _, e := range x {
			if s, ok := e.(string); ok {
				out = append(out, s)
			}
		}
		return out
	case []string:
		return x
	}
	return nil
}

// isType is draft 4's type checker over decoded Go values. An integral
// float64 counts as an integer because encoding/json decodes every number
// to float64. raw_string (StackStorm's addition to the types) is a string.
func isType(v any, typ string) bool {
	switch typ {
	case "null":
		return v == nil
	case "boolean":
		_, ok := v.(bool)
		return ok
	case "string", RawStringType:
		_, ok := v.(string)
		return ok
	case "integer":
		switch x := v.(type) {
		case float64:
			return x == math.Trunc(x) && !math.IsInf(x, 0)
		case float32:
			return float64(x) == math.Trunc(float64(x))
		case json.Number:
			_, err := strconv.ParseInt(string(x), 10, 64)
			return err == nil
		}
		k := reflect.ValueOf(v).Kind()
		return k >= reflect.Int && k <= reflect.Uint64
	case "number":
		_, ok := number(v)
		return ok
	case "array":
		if _, ok := v.([]any); ok {
			return true
		}
		k := reflect.ValueOf(v).Kind()
		return k == reflect.Slice || k == reflect.Array
	case "object":
		if _, ok := v.(map[string]any); ok {
			return true
		}
		return reflect.ValueOf(v).Kind() == reflect.Map
	case "any":
		return true
	}
	return false
}

// number returns a numeric value (never for booleans).
func number(v any) (float64, bool) {
	switch x := v.(type) {
	case nil, bool:
		return 0, false
	case float64:
		return x, true
	case json.Number:
		f, err := x.Float64()
		return f, err == nil
	}
	rv := reflect.ValueOf(v)
	switch {
	case rv.Kind() >= reflect.Int && rv.Kind() <= reflect.Int64:
		return float64(rv.Int()), true
	case rv.Kind() >= reflect.Uint && rv.Kind() <= reflect.Uint64:
		return float64(rv.Uint()), true
	case rv.Kind() == reflect.Float32 || rv.Kind() == reflect.Float64:
		return rv.Float(), true
	}
	return 0, false
}

// pyEqual is jsonschema's equality: numbers by value, booleans apart from
// numbers, containers element by element.
func pyEqual(a, b any) bool {
	if fa, ok := number(a); ok {
		fb, ok := number(b)
		return ok && fa == fb
	}
	switch x := a.(type) {
	case []any:
		y, ok := b.([]any)
		if !ok || len(x) != len(y) {
			return false
		}
		for i := range x {
			if !pyEqual(x[i], y[i]) {
				return false
			}
		}
		return true
	case map[string]any:
		y, ok := b.(map[string]any)
		if !ok || len(x) != len(y) {
			return false
		}
		for k, e := range x {
			f, ok := y[k]
			if !ok || !pyEqual(e, f) {
				return false
			}
		}
		return true
	}
	return reflect.DeepEqual(a, b)
}
