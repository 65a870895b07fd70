package cli

import (
	"encoding/json"
	"fmt"
	"math"
	"sort"
	"strconv"
	"strings"

	"github.com/st2go/st2go/internal/client"
	"github.com/st2go/st2go/internal/pyfmt"
	"github.com/st2go/st2go/internal/pyyaml"
)

// yamlDump renders v the way PyYAML's yaml.safe_dump(v,
// default_flow_style=False, indent=indent, width=width) does: block
// style, sorted keys, ASCII only, PyYAML's choice of plain, single- and
// double-quoted scalars. width <= 0 means no line folding.
func yamlDump(v any, indent, width int) string {
	e := pyyaml.NewEmitter(pyyaml.Options{Indent: indent, Width: width})
	yamlNode(e, v, false, false)
	return e.End()
}

// yamlNode emits one value. mapping says it sits in a mapping; simpleKey
// that it is a mapping key.
func yamlNode(e *pyyaml.Emitter, v any, mapping, simpleKey bool) {
	switch t := v.(type) {
	case *client.Object:
		if t.Len() == 0 {
			e.EmptyMapping()
			return
		}
		e.BeginMapping()
		for _, k := range sortedKeys(t) {
			e.MappingKey()
			yamlNode(e, k, true, true)
			e.MappingValue()
			val, _ := t.Get(k)
			yamlNode(e, val, true, false)
		}
		e.EndCollection()
	case []any:
		if len(t) == 0 {
			e.EmptySequence()
			return
		}
		e.BeginSequence(mapping)
		for _, item := range t {
			e.SequenceItem()
			yamlNode(e, item, false, false)
		}
		e.EndCollection()
	case []string:
		l := make([]any, len(t))
		for i, s := range t {
			l[i] = s
		}
		yamlNode(e, l, mapping, simpleKey)
	default:
		text, isStr := yamlScalarText(v)
		e.Scalar(text, isStr, false, simpleKey)
	}
}

func sortedKeys(o *client.Object) []string {
	keys := append([]string(nil), o.Keys()...)
	sort.Strings(keys)
	return keys
}

// yamlScalarText is the text PyYAML's representer gives a scalar and
// whether it is a string.
func yamlScalarText(v any) (string, bool) {
	switch t := v.(type) {
	case nil:
		return "null", false
	case bool:
		return strconv.FormatBool(t), false
	case json.Number:
		if pyfmt.IsFloat(t) {
			f, _ := strconv.ParseFloat(string(t), 64)
			return yamlFloat(f), false
		}
		return pyfmt.Number(t), false
	case float64:
		return yamlFloat(t), false
	case int:
		return strconv.Itoa(t), false
	case string:
		return t, true
	}
	return fmt.Sprint(v), true
}

func yamlFloat(f float64) string {
	switch {
	case math.IsNaN(f):
		return ".nan"
	case math.IsInf(f, 1):
		return ".inf"
	case math.IsInf(f, -1):
		return "-.inf"
	}
	s := strings.ToLower(pyfmt.Float(f))
	if !strings.Contains(s, ".") && strings.Contains(s, "e") {
		s = strings.Replace(s, "e", ".0e", 1)
	}
	return s
}
