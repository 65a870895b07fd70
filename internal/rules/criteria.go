package rules

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strings"

	"github.com/st2go/st2go/internal/expr"
)

// Criterion is one entry of a rule's criteria: the payload key it tests
// and the test.
type Criterion struct {
	// Key is the criteria key as written, "#tag" suffix included, such as
	// "trigger.body.msg#2". The payload path is the part before the
	// first "#" (see Path).
	Key string
	// Type is the operator name.
	Type string
	// Pattern is the operand, an expr value (nil when absent or null). A
	// string is a Jinja template, rendered before the test.
	Pattern any
	// Condition is a search criterion's condition ("" when absent).
	Condition string
	// Extra holds keys of the criterion's mapping this struct does not
	// name, so that they survive a round trip as StackStorm keeps them.
	Extra *expr.Dict
	// Line is where the criterion starts in its rule file (0 when it did
	// not come from a file).
	Line int
}

// Path is the payload path the criterion reads: its key up to the first
// "#", which lets one mapping hold several criteria on the same path.
func (c *Criterion) Path() string {
	path, _, _ := strings.Cut(c.Key, "#")
	return path
}

// Criteria are a rule's criteria in the order the rule lists them, which
// is the order StackStorm evaluates them in. All must pass.
type Criteria []Criterion

// MarshalJSON writes the criteria as StackStorm's API does: an object
// keyed by criteria key, in order.
func (cs Criteria) MarshalJSON() ([]byte, error) {
	var b bytes.Buffer
	b.WriteByte('{')
	for i := range cs {
		c := &cs[i]
		if i > 0 {
			b.WriteByte(',')
		}
		k, _ := json.Marshal(c.Key)
		b.Write(k)
		b.WriteByte(':')
		if err := c.writeJSON(&b); err != nil {
			return nil, fmt.Errorf("encoding criterion %q: %w", c.Key, err)
		}
	}
	b.WriteByte('}')
	return b.Bytes(), nil
}

func (c *Criterion) writeJSON(b *bytes.Buffer) error {
	d := expr.NewDict(4)
	if c.Type != "" {
		d.Set("type", c.Type)
	}
	if c.Pattern != nil {
		d.Set("pattern", c.Pattern)
	}
	if c.Condition != "" {
		d.Set("condition", c.Condition)
	}
	if c.Extra != nil {
		c.Extra.Range(func(k, v any) bool {
			if ks, ok := k.(string); ok && !d.Has(ks) {
				d.Set(ks, v)
			}
			return true
		})
	}
	s, err := expr.ToJSONWith(d, expr.JSONOptions{ItemSep: ",", KeySep: ":"})
	if err != nil {
		return err
	}
	b.WriteString(s)
	return nil
}

// UnmarshalJSON reads criteria as StackStorm's API sends them, keeping
// their order. It checks the shape only; ParseRuleJSON validates.
func (cs *Criteria) UnmarshalJSON(data []byte) error {
	v, err := expr.FromJSON(data)
	if err != nil {
		return err
	}
	switch x := v.(type) {
	case nil:
		*cs = nil
		return nil
	case *expr.Dict:
		out, err := criteriaFromDict(x)
		if err != nil {
			return err
		}
		*cs = out
		return nil
	}
	return fmt.Errorf("decoding criteria: want an object, not %s", jsonKind(v))
}

// criteriaFromDict reads criteria from a mapping of criterion mappings.
func criteriaFromDict(d *expr.Dict) (Criteria, error) {
	out := make(Criteria, 0, d.Len())
	var err error
	d.Range(func(k, v any) bool {
		key, ok := k.(string)
		if !ok {
			key = expr.Str(k)
		}
		spec, ok := v.(*expr.Dict)
		if !ok {
			err = fmt.Errorf("criterion %q must be a mapping, not %s", key, jsonKind(v))
			return false
		}
		var c Criterion
		if c, err = criterionFromDict(key, spec); err != nil {
			return false
		}
		out = append(out, c)
		return true
	})
	return out, err
}

func criterionFromDict(key string, spec *expr.Dict) (Criterion, error) {
	c := Criterion{Key: key}
	var err error
	spec.Range(func(k, v any) bool {
		ks, _ := k.(string)
		switch ks {
		case "type":
			s, ok := v.(string)
			if !ok {
				err = fmt.Errorf("criterion %q: type must be a string, not %s", key, jsonKind(v))
				return false
			}
			c.Type = s
		case "pattern":
			c.Pattern = v
		case "condition":
			if v == nil {
				return true
			}
			s, ok := v.(string)
			if !ok {
				err = fmt.Errorf("criterion %q: condition must be a string, not %s", key, jsonKind(v))
				return false
			}
			c.Condition = s
		default:
			if c.Extra == nil {
				c.Extra = expr.NewDict(1)
			}
			_ = c.Extra.SetKey(k, v)
		}
		return true
	})
	return c, err
}

// jsonKind names a value's JSON type for error messages.
func jsonKind(v any) string {
	switch v.(type) {
	case nil:
		return "null"
	case bool:
		return "a boolean"
	case string:
		return "a string"
	case []any, expr.Tuple:
		return "a list"
	case *expr.Dict:
		return "a mapping"
	}
	if expr.IsNumber(v) {
		return "a number"
	}
	return expr.TypeName(v)
}
