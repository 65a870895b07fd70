package trigger

import (
	"fmt"
	"sort"
	"strings"
)

// ValidatePayload checks a trigger instance payload against its trigger
// type's payload schema, as far as StackStorm's schemas go in practice:
// the object's properties' types (type names or lists of them),
// per-property required: true and a required list, enums, and
// additionalProperties: false. It returns nil for an empty schema.
func ValidatePayload(schema map[string]any, payload map[string]any) error {
	if len(schema) == 0 {
		return nil
	}
	var problems []string
	props, _ := schema["properties"].(map[string]any)
	required := map[string]bool{}
	if list, ok := schema["required"].([]any); ok {
		for _, r := range list {
			if s, ok := r.(string); ok {
				required[s] = true
			}
		}
	}
	names := make([]string, 0, len(props))
	for name := range props {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		spec, _ := props[name].(map[string]any)
		if r, _ := spec["required"].(bool); r {
			required[name] = true
		}
		v, present := payload[name]
		if !present {
			continue
		}
		if msg := checkType(spec, v); msg != "" {
			problems = append(problems, fmt.Sprintf("%q: %s", name, msg))
		}
		if enum, ok := spec["enum"].([]any); ok && !inEnum(enum, v) {
			problems = append(problems, fmt.Sprintf("%q: %v is not one of %v", name, v, enum))
		}
	}
	for name := range required {
		if _, present := payload[name]; !present {
			problems = append(problems, fmt.Sprintf("%q is a required property", name))
		}
	}
	if extra, ok := schema["additionalProperties"].(bool); ok && !extra {
		for name := range payload {
			if _, declared := props[name]; !declared {
				problems = append(problems, fmt.Sprintf("additional property %q is not allowed", name))
			}
		}
	}
	if len(problems) > 0 {
		sort.Strings(problems)
		return fmt.Errorf("payload does not match the trigger type's payload_schema: %s", strings.Join(problems, "; "))
	}
	return nil
}

func checkType(spec map[string]any, v any) string {
	var types []string
	switch t := spec["type"].(type) {
	case string:
		types = []string{t}
	case []any:
		for _, e := range t {
			if s, ok := e.(string); ok {
				types = append(types, s)
			}
		}
	}
	if len(types) == 0 {
		return ""
	}
	for _, t := range types {
		if isType(t, v) {
			return ""
		}
	}
	return fmt.Sprintf("%v is not of type %s", v, strings.Join(types, ", "))
}

func isType(t string, v any) bool {
	switch t {
	case "string":
		_, ok := v.(string)
		return ok
	case "integer":
		switch n := v.(type) {
		case int, int64:
			return true
		case float64:
			return n == float64(int64(n))
		}
	case "number":
		switch v.(type) {
		case int, int64, float64:
			return true
		}
	case "boolean":
		_, ok := v.(bool)
		return ok
	case "object":
		_, ok := v.(map[string]any)
		return ok
	case "array":
		_, ok := v.([]any)
		return ok
	case "null":
		return v == nil
	}
	return false
}

func inEnum(enum []any, v any) bool {
	for _, e := range enum {
		if fmt.Sprint(e) == fmt.Sprint(v) {
			return true
		}
	}
	return false
}
