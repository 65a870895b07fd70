package timer

import (
	"fmt"
	"strings"
	"time"
)

// Payload is the trigger instance payload StackStorm's timers engine
// dispatches when any timer fires: executed_at is the UTC time of the
// firing (not the scheduled time) written as Python's str() of an aware
// datetime, "2024-03-10 10:30:00.123456+00:00" (no fraction when the
// microseconds are zero); schedule is always null, because StackStorm
// reads a "time" parameter that no timer type has.
func Payload(executedAt time.Time) map[string]any {
	return map[string]any{
		"executed_at": PythonUTC(executedAt),
		"schedule":    nil,
	}
}

// PythonUTC renders t in UTC as Python's str() renders a datetime with a
// UTC tzinfo, truncated to microseconds.
func PythonUTC(t time.Time) string {
	t = t.UTC().Truncate(time.Microsecond)
	s := t.Format("2006-01-02 15:04:05")
	if us := t.Nanosecond() / 1000; us != 0 {
		s += fmt.Sprintf(".%06d", us)
	}
	return s + "+00:00"
}

// TraceTag is the trace tag StackStorm gives a timer's trigger instance:
// the trigger type's name and the trigger's name,
// "st2.CronTimer-<trigger name>".
func TraceTag(typeRef, triggerName string) string {
	return strings.TrimPrefix(typeRef, "core.") + "-" + triggerName
}
