package config

import (
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"
)

// convert checks text against the declaration and returns the typed value:
// string, int, float64, bool, []string or map[string]string, or nil for an
// unset number or boolean.
//
// An empty number or boolean is allowed only for options whose default is
// empty (unset); oslo.config would turn "port =" into None and the service
// would fail later, so st2go reports it where it is written.
func convert(o *Option, text string) (any, error) {
	switch o.Type {
	case TypeString:
		return text, checkChoice(o, text)
	case TypeInt:
		s := strings.TrimSpace(text)
		if s == "" {
			return nil, checkEmpty(o)
		}
		n, err := strconv.ParseInt(s, 10, 0)
		if err != nil {
			return nil, fmt.Errorf("invalid integer value %q", text)
		}
		if r := o.Range; r != nil && (n < int64(r.Min) || n > int64(r.Max)) {
			return nil, fmt.Errorf("value %d out of range: must be %s", n, r)
		}
		return int(n), nil
	case TypeFloat:
		s := strings.TrimSpace(text)
		if s == "" {
			return nil, checkEmpty(o)
		}
		f, err := strconv.ParseFloat(s, 64)
		if err != nil {
			return nil, fmt.Errorf("invalid float value %q", text)
		}
		return f, nil
	case TypeBool:
		s := strings.TrimSpace(text)
		if s == "" {
			return nil, checkEmpty(o)
		}
		b, ok := parseBool(s)
		if !ok {
			return nil, fmt.Errorf("invalid boolean value %q (use true/false, yes/no, on/off or 1/0)", text)
		}
		return b, nil
	case TypeList:
		return parseList(text), nil
	case TypeDict:
		return parseDict(text)
	case TypePaths:
		return parsePaths(text), nil
	default:
		return nil, fmt.Errorf("option has unknown type %d", o.Type)
	}
}

func checkEmpty(o *Option) error {
	if o.Default == "" {
		return nil
	}
	return fmt.Errorf("empty value: write a %s, or remove the line to use the default %s", o.Type, o.Default)
}

func checkChoice(o *Option, s string) error {
	if len(o.Choices) == 0 || slices.Contains(o.Choices, s) || (s == "" && o.Default == "") {
		return nil
	}
	return fmt.Errorf("invalid value %q: must be one of %s", s, strings.Join(o.Choices, ", "))
}

func (r *IntRange) String() string {
	if r.Max == math.MaxInt {
		return fmt.Sprintf("at least %d", r.Min)
	}
	return fmt.Sprintf("from %d to %d", r.Min, r.Max)
}

// parseBool accepts what oslo.config accepts, in any case.
func parseBool(s string) (value, ok bool) {
	switch strings.ToLower(s) {
	case "true", "yes", "on", "1":
		return true, true
	case "false", "no", "off", "0":
		return false, true
	}
	return false, false
}

// parseList splits at commas and trims each item, like oslo.config's List
// type: trailing commas are dropped, empty items between commas are kept.
func parseList(text string) []string {
	s := strings.TrimRight(strings.TrimSpace(text), ",")
	if s == "" {
		return []string{}
	}
	items := strings.Split(s, ",")
	for i, it := range items {
		items[i] = strings.TrimSpace(it)
	}
	return items
}

// parseDict reads comma-separated key:value pairs.
func parseDict(text string) (map[string]string, error) {
	out := map[string]string{}
	s := strings.TrimSpace(text)
	if s == "" {
		return out, nil
	}
	for _, pair := range strings.Split(s, ",") {
		k, v, ok := strings.Cut(pair, ":")
		k = strings.TrimSpace(k)
		if !ok || k == "" {
			return nil, fmt.Errorf("invalid entry %q in %q: want key:value", strings.TrimSpace(pair), text)
		}
		if _, dup := out[k]; dup {
			return nil, fmt.Errorf("key %q appears twice in %q", k, text)
		}
		out[k] = strings.TrimSpace(v)
	}
	return out, nil
}

// parsePaths splits a colon-separated path list, dropping empty entries.
func parsePaths(text string) []string {
	out := []string{}
	for _, p := range strings.Split(text, ":") {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}
