package timer

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"
	"time"
)

func TestParseErrorsNameTheParameter(t *testing.T) {
	cases := []struct {
		name   string
		ref    string
		params string
		param  string // the parameter the error must name
		msg    string // text the error must contain
	}{
		{"interval without unit", IntervalTimerRef, `{"delta": 5}`, "unit", "required"},
		{"interval without delta", IntervalTimerRef, `{"unit": "seconds"}`, "delta", "required"},
		{"interval unknown unit", IntervalTimerRef, `{"unit": "months", "delta": 1}`, "unit", "not one of"},
		{"interval unit not a string", IntervalTimerRef, `{"unit": 5, "delta": 1}`, "unit", "not one of"},
		{"interval fractional delta", IntervalTimerRef, `{"unit": "seconds", "delta": 1.5}`, "delta", "integer"},
		{"interval string delta", IntervalTimerRef, `{"unit": "seconds", "delta": "5"}`, "delta", "integer"},
		{"interval boolean delta", IntervalTimerRef, `{"unit": "seconds", "delta": true}`, "delta", "integer"},
		{"interval negative delta", IntervalTimerRef, `{"unit": "seconds", "delta": -5}`, "delta", "negative"},
		{"interval overflowing delta", IntervalTimerRef, `{"unit": "weeks", "delta": 100000000}`, "delta", "too long"},
		{"interval extra key", IntervalTimerRef, `{"unit": "seconds", "delta": 5, "start": "now"}`, "start", "additional"},
		{"interval bad timezone", IntervalTimerRef, `{"unit": "seconds", "delta": 5, "timezone": "Mars/Olympus"}`, "timezone", "unknown time zone"},
		{"empty timezone", IntervalTimerRef, `{"unit": "seconds", "delta": 5, "timezone": ""}`, "timezone", "unknown time zone"},
		{"Go's Local is not a zone name", CronTimerRef, `{"hour": 1, "timezone": "Local"}`, "timezone", "unknown time zone"},
		{"timezone not a string", CronTimerRef, `{"hour": 1, "timezone": 3}`, "timezone", "not of type string"},
		{"date missing", DateTimerRef, `{"timezone": "UTC"}`, "date", "required"},
		{"date not a string", DateTimerRef, `{"date": 20240101}`, "date", "not of type string"},
		{"date free-form", DateTimerRef, `{"date": "Dec 31 2014 11pm"}`, "date", "ISO 8601"},
		{"date out of range", DateTimerRef, `{"date": "2023-02-29 10:00:00"}`, "date", "out of range"},
		{"date bad hour", DateTimerRef, `{"date": "2023-02-01 24:00:00"}`, "date", "out of range"},
		{"date bad zone", DateTimerRef, `{"date": "2023-02-01 10:00:00+25:00"}`, "date", "ISO 8601"},
		{"date extra key", DateTimerRef, `{"date": "2023-02-01", "delta": 1}`, "delta", "additional"},
		{"cron unknown field", CronTimerRef, `{"hours": 1}`, "hours", "additional"},
		{"cron hour out of range", CronTimerRef, `{"hour": "24"}`, "hour", "maximum"},
		{"cron integer hour out of range", CronTimerRef, `{"hour": 24}`, "hour", "out of range"},
		{"cron integer negative minute", CronTimerRef, `{"minute": -1}`, "minute", "out of range"},
		{"cron week 0", CronTimerRef, `{"week": 0}`, "week", "out of range"},
		{"cron year before 1970", CronTimerRef, `{"year": 1969}`, "year", "minimum"},
		{"cron float field", CronTimerRef, `{"minute": 1.5}`, "minute", "string or integer"},
		{"cron null field", CronTimerRef, `{"minute": null}`, "minute", "string or integer"},
		{"cron boolean field", CronTimerRef, `{"second": false}`, "second", "string or integer"},
		{"cron bad expression", CronTimerRef, `{"minute": "*/5x"}`, "minute", "unrecognized"},
		{"cron zero step", CronTimerRef, `{"second": "*/0"}`, "second", "higher than 0"},
		{"cron step too big", CronTimerRef, `{"second": "*/60"}`, "second", "step value"},
		{"cron reversed range", CronTimerRef, `{"hour": "17-9"}`, "hour", "minimum value in a range"},
		{"cron sunday is not 7", CronTimerRef, `{"day_of_week": "7"}`, "day_of_week", "maximum"},
		{"cron reversed weekdays", CronTimerRef, `{"day_of_week": "fri-mon"}`, "day_of_week", "minimum value in a range"},
		{"cron bad weekday", CronTimerRef, `{"day_of_week": "monday"}`, "day_of_week", "invalid weekday name"},
		{"cron bad month", CronTimerRef, `{"month": "janvier"}`, "month", "invalid month name"},
		{"cron bad position", CronTimerRef, `{"day": "6th fri"}`, "day", "unrecognized"},
		{"cron bad position weekday", CronTimerRef, `{"day": "last friday"}`, "day", "invalid weekday name"},
		{"cron last is for days", CronTimerRef, `{"day_of_week": "last"}`, "day_of_week", "invalid weekday name"},
		{"cron empty field", CronTimerRef, `{"hour": ""}`, "hour", "unrecognized"},
		{"cron empty list item", CronTimerRef, `{"hour": "1,,2"}`, "hour", "unrecognized"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			var params map[string]any
			if err := json.Unmarshal([]byte(c.params), &params); err != nil {
				t.Fatal(err)
			}
			tm, err := Parse(c.ref, params, time.UTC)
			if err == nil {
				t.Fatalf("Parse(%s) = %v, want an error", c.params, tm)
			}
			var pe *ParamError
			if !errors.As(err, &pe) {
				t.Fatalf("error %v (%T) is not a *ParamError", err, err)
			}
			if pe.Param != c.param {
				t.Errorf("error names %q, want %q: %v", pe.Param, c.param, err)
			}
			if !strings.Contains(err.Error(), c.param) || !strings.Contains(err.Error(), c.msg) {
				t.Errorf("error %q does not mention %q and %q", err, c.param, c.msg)
			}
		})
	}
}

func TestParseUnknownTriggerType(t *testing.T) {
	_, err := Parse("core.st2.webhook", map[string]any{"url": "x"}, nil)
	if err == nil || !strings.Contains(err.Error(), "not a timer trigger type") {
		t.Fatalf("got %v", err)
	}
	for ref, want := range map[string]bool{IntervalTimerRef: true, DateTimerRef: true, CronTimerRef: true, "core.st2.webhook": false} {
		if IsTimerType(ref) != want {
			t.Errorf("IsTimerType(%q) = %v", ref, !want)
		}
	}
}

func TestParseAccepts(t *testing.T) {
	la, err := LoadLocation("America/Los_Angeles")
	if err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		name   string
		ref    string
		params map[string]any
		check  func(t *testing.T, tm Timer)
	}{
		{"interval from JSON float", IntervalTimerRef, map[string]any{"unit": "minutes", "delta": 5.0}, func(t *testing.T, tm Timer) {
			iv := tm.(*Interval)
			if iv.Every != 5*time.Minute || iv.Location != la {
				t.Errorf("got every %v in %v", iv.Every, iv.Location)
			}
		}},
		{"interval from YAML int", IntervalTimerRef, map[string]any{"unit": "weeks", "delta": 2}, func(t *testing.T, tm Timer) {
			if tm.(*Interval).Every != 14*24*time.Hour {
				t.Errorf("got %v", tm.(*Interval).Every)
			}
		}},
		{"interval json.Number", IntervalTimerRef, map[string]any{"unit": "hours", "delta": json.Number("3")}, func(t *testing.T, tm Timer) {
			if tm.(*Interval).Every != 3*time.Hour {
				t.Errorf("got %v", tm.(*Interval).Every)
			}
		}},
		{"interval delta 0 is one second", IntervalTimerRef, map[string]any{"unit": "days", "delta": 0}, func(t *testing.T, tm Timer) {
			if tm.(*Interval).Every != time.Second {
				t.Errorf("got %v", tm.(*Interval).Every)
			}
		}},
		{"date in the default zone", DateTimerRef, map[string]any{"date": "2024-07-01 12:00:00"}, func(t *testing.T, tm Timer) {
			if got := utcString(tm.(*Date).At); got != "2024-07-01T19:00:00Z" {
				t.Errorf("got %s", got)
			}
		}},
		{"date with UTC suffix ignores the zone", DateTimerRef, map[string]any{"date": "2014-12-31 23:59:59 UTC", "timezone": "Asia/Tokyo"}, func(t *testing.T, tm Timer) {
			if got := utcString(tm.(*Date).At); got != "2014-12-31T23:59:59Z" {
				t.Errorf("got %s", got)
			}
		}},
		{"date with hour offset", DateTimerRef, map[string]any{"date": "2014-12-31T23:59:59+05"}, func(t *testing.T, tm Timer) {
			if got := utcString(tm.(*Date).At); got != "2014-12-31T18:59:59Z" {
				t.Errorf("got %s", got)
			}
		}},
		{"cron integers and strings", CronTimerRef, map[string]any{"hour": 9, "minute": "*/15", "day_of_week": "mon-fri", "timezone": "Europe/Berlin"}, func(t *testing.T, tm Timer) {
			c := tm.(*Cron)
			if got := c.String(); got != "cron[day_of_week='mon-fri', hour='9', minute='*/15']" {
				t.Errorf("got %s", got)
			}
			if c.Location().String() != "Europe/Berlin" {
				t.Errorf("zone %v", c.Location())
			}
		}},
		{"cron UTC by name", CronTimerRef, map[string]any{"second": 0, "timezone": "UTC"}, func(t *testing.T, tm Timer) {
			if tm.(*Cron).Location() != time.UTC {
				t.Errorf("zone %v", tm.(*Cron).Location())
			}
		}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			tm, err := Parse(c.ref, c.params, la)
			if err != nil {
				t.Fatal(err)
			}
			c.check(t, tm)
		})
	}
}

// Fields less significant than the least significant one given default to
// their minimum; the others to "*" (APScheduler's CronTrigger).
func TestCronDefaults(t *testing.T) {
	cases := []struct {
		fields map[string]string
		want   string // year month day week day_of_week hour minute second
	}{
		{map[string]string{}, "* * * * * * * *"},
		{map[string]string{"hour": "9"}, "* * * * * 9 0 0"},
		{map[string]string{"month": "6"}, "* 6 1 * * 0 0 0"},
		{map[string]string{"year": "2030"}, "2030 1 1 * * 0 0 0"},
		{map[string]string{"day_of_week": "mon"}, "* * * * mon 0 0 0"},
		{map[string]string{"week": "3"}, "* * * 3 * 0 0 0"},
		{map[string]string{"day": "1", "second": "30"}, "* * 1 * * * * 30"},
		{map[string]string{"second": "*/5"}, "* * * * * * * */5"},
	}
	for _, c := range cases {
		cr, err := NewCron(c.fields, nil)
		if err != nil {
			t.Fatal(err)
		}
		f := cr.Fields()
		var got []string
		for _, n := range CronFieldNames() {
			got = append(got, f[n])
		}
		if strings.Join(got, " ") != c.want {
			t.Errorf("%v: fields %s, want %s", c.fields, strings.Join(got, " "), c.want)
		}
	}
}
