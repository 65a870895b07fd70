// Package timer implements StackStorm's timer triggers with the semantics
// of APScheduler 3.x, which StackStorm's timers engine
// (st2reactor/timer/base.py) uses:
//
//   - core.st2.IntervalTimer {unit, delta, timezone}: Interval, every delta
//     weeks, days, hours, minutes or seconds of elapsed time.
//   - core.st2.DateTimer {date, timezone}: Date, once.
//   - core.st2.CronTimer {timezone, year, month, day, week, day_of_week,
//     hour, minute, second}: Cron, APScheduler's cron fields and
//     expression syntax (day_of_week counts from Monday = 0).
//
// Parse validates a trigger's parameters as StackStorm does (its
// parameters schemas, then APScheduler's own checks) and returns a Timer,
// whose Next computes fire times in the timer's zone, including
// APScheduler's daylight saving behaviour (see Cron). A Scheduler fires
// timers on a Clock with APScheduler's coalescing and misfire rules as
// StackStorm configures them, and Payload builds the trigger instance
// payload.
//
// The package is pure: no store, bus or config. The timers service
// (internal/service/timers) imports it, as may the API to validate timer
// parameters when a rule is created.
//
// Differences from StackStorm, on purpose:
//   - Timers with no timezone parameter use the zone the caller passes
//     ([timersengine] local_timezone). StackStorm builds its APScheduler
//     triggers with timezone=None, which makes APScheduler use the host's
//     local zone; local_timezone only reaches the scheduler object.
//   - Cron never skips a valid fire time around a DST change where
//     APScheduler does (see Cron).
//   - A negative interval delta is refused (it hangs APScheduler); dates
//     are ISO 8601 only (StackStorm's dateutil parser also reads free-form
//     dates).
package timer
