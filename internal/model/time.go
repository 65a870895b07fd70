package model

import (
	"strings"
	"time"
)

// TimeLayout is how StackStorm's API writes timestamps: UTC, microseconds, a Z.
const TimeLayout = "2006-01-02T15:04:05.000000Z"

// Time is a timestamp that marshals the way StackStorm's API does.
// The zero Time marshals as null.
type Time struct{ time.Time }

// Now returns the current time, truncated to microseconds as StackStorm stores it.
func Now() Time { return Time{time.Now().UTC().Truncate(time.Microsecond)} }

// MarshalJSON writes the time in TimeLayout, or null for the zero time.
func (t Time) MarshalJSON() ([]byte, error) {
	if t.IsZero() {
		return []byte("null"), nil
	}
	return []byte(`"` + t.UTC().Format(TimeLayout) + `"`), nil
}

// UnmarshalJSON accepts null, TimeLayout and RFC 3339 forms.
func (t *Time) UnmarshalJSON(b []byte) error {
	s := strings.Trim(string(b), `"`)
	if s == "null" || s == "" {
		*t = Time{}
		return nil
	}
	v, err := ParseTime(s)
	if err != nil {
		return err
	}
	*t = v
	return nil
}

// ParseTime parses the timestamp forms StackStorm's API and CLI send.
func ParseTime(s string) (Time, error) {
	for _, layout := range []string{time.RFC3339Nano, TimeLayout, "2006-01-02T15:04:05.999999", "2006-01-02 15:04:05.999999Z07:00", "2006-01-02"} {
		if v, err := time.Parse(layout, s); err == nil {
			return Time{v.UTC()}, nil
		}
	}
	_, err := time.Parse(time.RFC3339Nano, s)
	return Time{}, err
}
