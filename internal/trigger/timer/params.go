package timer

import (
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"sort"
	"strconv"
	"time"
)

// Trigger type refs of the three timers (pack core).
const (
	IntervalTimerRef = "core.st2.IntervalTimer"
	DateTimerRef     = "core.st2.DateTimer"
	CronTimerRef     = "core.st2.CronTimer"
)

// ParamError is a timer parameter StackStorm would refuse, either when
// validating it against the trigger type's parameters schema or when
// building the APScheduler trigger from it.
type ParamError struct {
	Param string // parameter name, e.g. "hour" or "timezone"
	Err   error
}

func (e *ParamError) Error() string {
	return fmt.Sprintf("timer parameter %q: %v", e.Param, e.Err)
}

func (e *ParamError) Unwrap() error { return e.Err }

var (
	errUnknownParam = errors.New("unknown parameter (additional properties are not allowed)")
	errRequired     = errors.New("is required")
)

// Parse builds the timer for a trigger of one of the three timer types from
// the trigger's parameters (as decoded from JSON or YAML). Parameters
// without a timezone use defaultLoc ([timersengine] local_timezone; nil
// means UTC). Problems are *ParamError values naming the parameter.
func Parse(typeRef string, params map[string]any, defaultLoc *time.Location) (Timer, error) {
	switch typeRef {
	case IntervalTimerRef:
		return ParseInterval(params, defaultLoc)
	case DateTimerRef:
		return ParseDate(params, defaultLoc)
	case CronTimerRef:
		return ParseCron(params, defaultLoc)
	}
	return nil, fmt.Errorf("parsing timer: %q is not a timer trigger type (want %s, %s or %s)",
		typeRef, IntervalTimerRef, DateTimerRef, CronTimerRef)
}

// IsTimerType reports whether a trigger type ref is one of the timers.
func IsTimerType(typeRef string) bool {
	return typeRef == IntervalTimerRef || typeRef == DateTimerRef || typeRef == CronTimerRef
}

// ParseInterval builds a core.st2.IntervalTimer from {unit, delta,
// timezone}. The returned interval has no start; a Scheduler anchors it
// when it is added.
func ParseInterval(params map[string]any, defaultLoc *time.Location) (*Interval, error) {
	if err := onlyKeys(params, "timezone", "unit", "delta"); err != nil {
		return nil, err
	}
	loc, err := paramLocation(params, defaultLoc)
	if err != nil {
		return nil, err
	}
	rawUnit, ok := params["unit"]
	if !ok {
		return nil, &ParamError{Param: "unit", Err: errRequired}
	}
	unit, ok := rawUnit.(string)
	if _, known := unitLength[unit]; !ok || !known {
		return nil, &ParamError{Param: "unit", Err: fmt.Errorf("%s is not one of weeks, days, hours, minutes, seconds", pyRepr(rawUnit))}
	}
	rawDelta, ok := params["delta"]
	if !ok {
		return nil, &ParamError{Param: "delta", Err: errRequired}
	}
	delta, ok := asInteger(rawDelta)
	if !ok {
		return nil, &ParamError{Param: "delta", Err: fmt.Errorf("%s is not of type integer", pyRepr(rawDelta))}
	}
	return NewInterval(unit, delta, loc)
}

// ParseDate builds a core.st2.DateTimer from {date, timezone}.
func ParseDate(params map[string]any, defaultLoc *time.Location) (*Date, error) {
	if err := onlyKeys(params, "timezone", "date"); err != nil {
		return nil, err
	}
	loc, err := paramLocation(params, defaultLoc)
	if err != nil {
		return nil, err
	}
	raw, ok := params["date"]
	if !ok {
		return nil, &ParamError{Param: "date", Err: errRequired}
	}
	s, ok := raw.(string)
	if !ok {
		return nil, &ParamError{Param: "date", Err: fmt.Errorf("%s is not of type string", pyRepr(raw))}
	}
	at, err := ParseDateTime(s, loc)
	if err != nil {
		return nil, &ParamError{Param: "date", Err: err}
	}
	return &Date{At: at, Location: loc}, nil
}

// ParseCron builds a core.st2.CronTimer from {timezone, year, month, day,
// week, day_of_week, hour, minute, second}; each field is a string
// expression or an integer.
func ParseCron(params map[string]any, defaultLoc *time.Location) (*Cron, error) {
	keys := append([]string{"timezone"}, fieldNames[:]...)
	if err := onlyKeys(params, keys...); err != nil {
		return nil, err
	}
	loc, err := paramLocation(params, defaultLoc)
	if err != nil {
		return nil, err
	}
	fields := make(map[string]string, len(params))
	for f := fieldYear; f < numFields; f++ {
		name := fieldNames[f]
		raw, ok := params[name]
		if !ok {
			continue
		}
		switch v := raw.(type) {
		case string:
			fields[name] = v
		default:
			n, ok := asInteger(raw)
			if !ok {
				return nil, &ParamError{Param: name, Err: fmt.Errorf("%s is not valid under any of the given schemas (string or integer)", pyRepr(raw))}
			}
			// The schema's minimum and maximum apply to integers only.
			if f != fieldYear && (n < int64(fieldMin[f]) || n > int64(fieldMax[f])) {
				return nil, &ParamError{Param: name, Err: fmt.Errorf("%d is out of range %d to %d", n, fieldMin[f], fieldMax[f])}
			}
			fields[name] = strconv.FormatInt(n, 10)
		}
	}
	return NewCron(fields, loc)
}

// LoadLocation resolves a timer's timezone parameter as APScheduler does:
// "UTC" or an IANA zone name. Go's special names ("" for UTC, "Local") are
// refused, as Python's zoneinfo refuses them.
func LoadLocation(name string) (*time.Location, error) {
	switch name {
	case "UTC":
		return time.UTC, nil
	case "", "Local":
		return nil, fmt.Errorf("unknown time zone %q", name)
	}
	loc, err := time.LoadLocation(name)
	if err != nil {
		return nil, fmt.Errorf("unknown time zone %q", name)
	}
	return loc, nil
}

func paramLocation(params map[string]any, defaultLoc *time.Location) (*time.Location, error) {
	raw, ok := params["timezone"]
	if !ok {
		if defaultLoc == nil {
			return time.UTC, nil
		}
		return defaultLoc, nil
	}
	name, ok := raw.(string)
	if !ok {
		return nil, &ParamError{Param: "timezone", Err: fmt.Errorf("%s is not of type string", pyRepr(raw))}
	}
	loc, err := LoadLocation(name)
	if err != nil {
		return nil, &ParamError{Param: "timezone", Err: err}
	}
	return loc, nil
}

// onlyKeys enforces the schemas' additionalProperties: false.
func onlyKeys(params map[string]any, allowed ...string) error {
	var extra []string
	for k := range params {
		ok := false
		for _, a := range allowed {
			ok = ok || k == a
		}
		if !ok {
			extra = append(extra, k)
		}
	}
	if len(extra) == 0 {
		return nil
	}
	sort.Strings(extra)
	return &ParamError{Param: extra[0], Err: errUnknownParam}
}

// asInteger accepts what JSON Schema's "integer" accepts once decoded in
// Go: integer kinds, json.Number and floats without a fraction; never
// booleans.
func asInteger(v any) (int64, bool) {
	switch n := v.(type) {
	case int:
		return int64(n), true
	case int8:
		return int64(n), true
	case int16:
		return int64(n), true
	case int32:
		return int64(n), true
	case int64:
		return n, true
	case uint:
		return int64(n), n <= math.MaxInt64
	case uint8:
		return int64(n), true
	case uint16:
		return int64(n), true
	case uint32:
		return int64(n), true
	case uint64:
		return int64(n), n <= math.MaxInt64
	case float32:
		return asInteger(float64(n))
	case float64:
		if n != math.Trunc(n) || math.IsInf(n, 0) || math.Abs(n) > 1<<62 {
			return 0, false
		}
		return int64(n), true
	case json.Number:
		if i, err := n.Int64(); err == nil {
			return i, true
		}
		if f, err := n.Float64(); err == nil {
			return asInteger(f)
		}
	}
	return 0, false
}

// pyRepr renders a parameter value for an error message.
func pyRepr(v any) string {
	switch x := v.(type) {
	case nil:
		return "None"
	case string:
		return strconv.Quote(x)
	case bool:
		if x {
			return "True"
		}
		return "False"
	}
	return fmt.Sprint(v)
}
