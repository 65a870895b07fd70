package param

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"

	"github.com/st2go/st2go/internal/model"
	"github.com/st2go/st2go/internal/pyfmt"
)

// NoneMagicValue is the string StackStorm's use_none filter renders for
// None; every cast turns it back into a real null.
const NoneMagicValue = "%*****__%NONE%__*****%"

// CastError reports a value that cannot be converted to its declared type.
type CastError struct {
	Type   string
	Value  any
	Reason string
}

func (e *CastError) Error() string {
	return fmt.Sprintf("cannot cast %s to %s: %s", py.Repr(e.Value), e.Type, e.Reason)
}

// Cast converts v to spec's declared type the way StackStorm's server does
// (st2common/util/casts.py) before validating parameters:
//
//   - nil stays nil, and so does the use_none magic string;
//   - string: strings pass, anything else is an error;
//   - raw_string: the same, but its value is never touched (not even the
//     use_none magic string turns into null);
//   - boolean: a string is read as a Python literal after capitalising it
//     ("true" → True, "FALSE" → False; note "1" reads as the integer 1,
//     which validation then rejects, as in StackStorm);
//   - integer: Python's int() (" 42 " → 42, 4.7 → 4, true → 1);
//   - number: Python's float();
//   - array and object: a string is parsed as JSON, and failing that as a
//     Python literal ("['a', 1]", "{'a': 1}"); other values pass unchanged.
//
// Values of other or undeclared types pass unchanged. Comma-separated lists
// and k=v objects are the CLI's own conversions, not the server's.
func Cast(spec *model.ParamSpec, v any) (any, error) {
	if v == nil || spec == nil {
		return v, nil
	}
	typ := spec.TypeName()
	if typ == "" {
		return v, nil
	}
	fail := func(reason string) (any, error) {
		return nil, &CastError{Type: typ, Value: v, Reason: reason}
	}
	if typ == RawStringType {
		if _, ok := v.(string); !ok {
			return fail(fmt.Sprintf("Value \"%s\" must either be a string or None. Got \"%s\".", py.Str(v), pyfmt.TypeName(v)))
		}
		return v, nil
	}
	if s, ok := v.(string); ok && s == NoneMagicValue {
		return nil, nil
	}
	switch typ {
	case "string":
		if _, ok := v.(string); !ok {
			return fail(fmt.Sprintf("Value \"%s\" must either be a string or None. Got \"%s\".", py.Str(v), pyfmt.TypeName(v)))
		}
		return v, nil
	case "boolean":
		s, ok := v.(string)
		if !ok {
			return v, nil
		}
		s = strings.TrimSpace(s)
		if s != "" {
			s = strings.ToUpper(s[:1]) + strings.ToLower(s[1:])
		}
		r, err := parsePyLiteral(s)
		if err != nil {
			return fail("expected true or false")
		}
		return r, nil
	case "integer":
		return castInt(v, fail)
	case "number":
		return castFloat(v, fail)
	case "array", "object":
		s, ok := v.(string)
		if !ok {
			return v, nil
		}
		if r, err := decodeJSON(s); err == nil {
			return r, nil
		}
		r, err := parsePyLiteral(s)
		if err != nil {
			return fail("not JSON and " + strings.TrimPrefix(err.Error(), "malformed Python literal: ") + " as a Python literal")
		}
		return r, nil
	}
	return v, nil
}

func castInt(v any, fail func(string) (any, error)) (any, error) {
	switch x := v.(type) {
	case int:
		return x, nil
	case int64:
		return int(x), nil
	case int32:
		return int(x), nil
	case bool:
		if x {
			return 1, nil
		}
		return 0, nil
	case float64:
		return truncFloat(x, fail)
	case float32:
		return truncFloat(float64(x), fail)
	case json.Number:
		if n, err := strconv.ParseInt(string(x), 10, 64); err == nil {
			return int(n), nil
		}
		f, err := strconv.ParseFloat(string(x), 64)
		if err != nil {
			return fail(err.Error())
		}
		return truncFloat(f, fail)
	case string:
		s := strings.TrimSpace(x)
		sign := ""
		if strings.HasPrefix(s, "-") || strings.HasPrefix(s, "+") {
			sign, s = s[:1], s[1:]
		}
		ok := s != "" && validUnderscores(s)
		for i := 0; ok && i < len(s); i++ {
			ok = s[i] >= '0' && s[i] <= '9' || s[i] == '_'
		}
		if !ok {
			return fail(fmt.Sprintf("invalid literal for int() with base 10: %s", py.Repr(x)))
		}
		n, err := strconv.ParseInt(sign+strings.ReplaceAll(s, "_", ""), 10, 64)
		if err != nil {
			return fail("integer out of range")
		}
		return int(n), nil
	}
	return fail(fmt.Sprintf("int() argument must be a string, a bytes-like object or a real number, not '%s'", pyfmt.TypeName(v)))
}

func truncFloat(f float64, fail func(string) (any, error)) (any, error) {
	switch {
	case math.IsNaN(f):
		return fail("cannot convert float NaN to integer")
	case math.IsInf(f, 0):
		return fail("cannot convert float infinity to integer")
	case math.Abs(f) >= 1<<63:
		return fail("integer out of range")
	}
	return int(f), nil
}

func castFloat(v any, fail func(string) (any, error)) (any, error) {
	var f float64
	switch x := v.(type) {
	case float64:
		f = x
	case float32:
		f = float64(x)
	case int:
		f = float64(x)
	case int64:
		f = float64(x)
	case int32:
		f = float64(x)
	case bool:
		if x {
			f = 1
		}
	case json.Number:
		var err error
		if f, err = strconv.ParseFloat(string(x), 64); err != nil {
			return fail(err.Error())
		}
	case string:
		var err error
		if f, err = pyFloatText(strings.TrimSpace(x)); err != nil {
			return fail(fmt.Sprintf("could not convert string to float: %s", py.Repr(x)))
		}
	default:
		return fail(fmt.Sprintf("float() argument must be a string or a real number, not '%s'", pyfmt.TypeName(v)))
	}
	if math.IsNaN(f) || math.IsInf(f, 0) {
		return fail("NaN and infinity cannot be stored as JSON")
	}
	return f, nil
}

// decodeJSON decodes one JSON document, keeping integers as int and other
// numbers as float64, as Python's json.loads distinguishes them.
func decodeJSON(s string) (any, error) {
	dec := json.NewDecoder(strings.NewReader(s))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		return nil, err
	}
	if err := dec.Decode(new(any)); !errors.Is(err, io.EOF) {
		return nil, errors.New("trailing data after JSON value")
	}
	return normaliseNumbers(v), nil
}

// normaliseNumbers replaces json.Number with int (integer literals that fit)
// or float64.
func normaliseNumbers(v any) any {
	switch x := v.(type) {
	case json.Number:
		s := string(x)
		if !strings.ContainsAny(s, ".eE") {
			if n, err := strconv.ParseInt(s, 10, 64); err == nil {
				return int(n)
			}
		}
		f, _ := strconv.ParseFloat(s, 64)
		return f
	case []any:
		for i, e := range x {
			x[i] = normaliseNumbers(e)
		}
	case map[string]any:
		for k, e := range x {
			x[k] = normaliseNumbers(e)
		}
	}
	return v
}
