package timer

import (
	"testing"
	"testing/synctest"
	"time"
)

// BL-54: which zone a cron timer uses and how DST is handled. A CronTimer
// {timezone: America/New_York, hour: 9, minute: 0, second: 0} run on a
// clock from January to November fires once every local day at 09:00:
// 14:00 UTC in winter, 13:00 UTC in summer, once on both change days.
func TestBL54CronTimerTimezoneAndDST(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		ny := mustLoc(t, "America/New_York")
		tm, err := Parse(CronTimerRef, map[string]any{"timezone": "America/New_York", "hour": 9, "minute": 0, "second": 0}, time.UTC)
		if err != nil {
			t.Fatal(err)
		}
		start := time.Date(2024, 1, 9, 12, 0, 0, 0, time.UTC)
		end := time.Date(2024, 11, 5, 0, 0, 0, 0, time.UTC)
		h := startHarness(t, start, Options{})
		h.s.Add("ny9", tm)
		h.runUntil(end)
		h.mu.Lock()
		fired := h.fired
		h.mu.Unlock()
		perDay := map[string][]time.Time{}
		for _, f := range fired {
			day := f.at.In(ny).Format("2006-01-02")
			perDay[day] = append(perDay[day], f.at)
		}
		days := 0
		for d := start.In(ny); d.Before(end.In(ny)); d = d.AddDate(0, 0, 1) {
			day := d.Format("2006-01-02")
			days++
			if len(perDay[day]) != 1 {
				t.Errorf("%s: fired %d times: %v", day, len(perDay[day]), perDay[day])
			}
		}
		if len(fired) != days {
			t.Errorf("fired %d times over %d days", len(fired), days)
		}
		for day, wantUTC := range map[string]string{
			"2024-01-10": "2024-01-10T14:00:00Z",
			"2024-03-09": "2024-03-09T14:00:00Z",
			"2024-03-10": "2024-03-10T13:00:00Z", // spring forward
			"2024-07-10": "2024-07-10T13:00:00Z",
			"2024-11-03": "2024-11-03T14:00:00Z", // fall back
		} {
			if got := perDay[day]; len(got) != 1 || utcString(got[0]) != wantUTC {
				t.Errorf("%s: fired at %v, want %s", day, got, wantUTC)
			}
		}
	})
}

// BL-54: a rule at hour 2, minute 30 on the spring-forward day, when 02:30
// does not exist in New York. Choice (APScheduler 3.11's): it fires once,
// at 03:30 EDT, the skipped reading moved later by the one-hour gap.
func TestBL54NonexistentTimeFiresOnceAfterTheGap(t *testing.T) {
	tm, err := Parse(CronTimerRef, map[string]any{"timezone": "America/New_York", "hour": 2, "minute": 30}, time.UTC)
	if err != nil {
		t.Fatal(err)
	}
	got := fireSequence(tm, time.Date(2024, 3, 9, 0, 0, 0, 0, time.UTC), 3)
	want := []string{
		"2024-03-09T07:30:00Z", // 02:30 EST
		"2024-03-10T07:30:00Z", // 03:30 EDT: 02:30 did not happen
		"2024-03-11T06:30:00Z", // 02:30 EDT
	}
	if !equalStrings(got, want) {
		t.Fatalf("fired %v, want %v", got, want)
	}
}

// BL-54: with no timezone parameter the engine's default applies
// ([timersengine] local_timezone, passed by the caller).
func TestBL54NoTimezoneUsesEngineDefault(t *testing.T) {
	params := map[string]any{"hour": 9}
	from := time.Date(2024, 7, 1, 0, 0, 0, 0, time.UTC)
	for _, c := range []struct {
		def  *time.Location
		want string
	}{
		{nil, "2024-07-01T09:00:00Z"}, // no default given: UTC
		{time.UTC, "2024-07-01T09:00:00Z"},
		{mustLoc(t, "America/Los_Angeles"), "2024-07-01T16:00:00Z"},
		{mustLoc(t, "Asia/Kolkata"), "2024-07-01T03:30:00Z"},
	} {
		tm, err := Parse(CronTimerRef, params, c.def)
		if err != nil {
			t.Fatal(err)
		}
		if got := fireSequence(tm, from, 1); len(got) != 1 || got[0] != c.want {
			t.Errorf("default %v: first fire %v, want %s", c.def, got, c.want)
		}
	}
}

// BL-55: stored timestamps must be UTC whatever the server's zone. The
// timer payload's executed_at is UTC even when the firing time is given
// in another zone.
func TestBL55PayloadTimestampIsUTC(t *testing.T) {
	kolkata := mustLoc(t, "Asia/Kolkata")
	fired := time.Date(2024, 3, 10, 16, 0, 0, 123456789, kolkata)
	p := Payload(fired)
	s, ok := p["executed_at"].(string)
	if !ok {
		t.Fatalf("executed_at is %T", p["executed_at"])
	}
	if s != "2024-03-10 10:30:00.123456+00:00" {
		t.Fatalf("executed_at = %q", s)
	}
	back, err := time.Parse("2006-01-02 15:04:05.999999-07:00", s)
	if err != nil {
		t.Fatal(err)
	}
	if d := fired.Sub(back); d < 0 || d >= time.Microsecond {
		t.Errorf("executed_at %s is not the firing instant %v", s, fired)
	}
}

func TestPayload(t *testing.T) {
	cases := []struct {
		at   time.Time
		want string
	}{
		{time.Date(2024, 1, 2, 3, 4, 5, 0, time.UTC), "2024-01-02 03:04:05+00:00"},
		{time.Date(2024, 1, 2, 3, 4, 5, 6000, time.UTC), "2024-01-02 03:04:05.000006+00:00"},
		{time.Date(2024, 1, 2, 3, 4, 5, 999, time.UTC), "2024-01-02 03:04:05+00:00"}, // below a microsecond
		{time.Date(2024, 7, 1, 12, 0, 0, 500000000, mustLoc(t, "America/Los_Angeles")), "2024-07-01 19:00:00.500000+00:00"},
	}
	for _, c := range cases {
		p := Payload(c.at)
		if p["executed_at"] != c.want {
			t.Errorf("Payload(%v) executed_at = %q, want %q", c.at, p["executed_at"], c.want)
		}
		if v, ok := p["schedule"]; !ok || v != nil {
			t.Errorf("schedule = %v (present %v), want null", v, ok)
		}
		if len(p) != 2 {
			t.Errorf("payload has keys %v", p)
		}
	}
	if got := TraceTag(CronTimerRef, "my_rule_trigger"); got != "st2.CronTimer-my_rule_trigger" {
		t.Errorf("TraceTag = %q", got)
	}
}

// The DST behaviour documented on Cron, in local readings.
func TestCronDSTSemantics(t *testing.T) {
	const layout = "2006-01-02 15:04:05 MST"
	cases := []struct {
		name   string
		zone   string
		fields map[string]string
		from   string // a local reading, first occurrence
		want   []string
	}{
		{"ambiguous reading fires twice", "America/Los_Angeles", map[string]string{"hour": "1", "minute": "30"}, "2024-11-03 00:00",
			[]string{"2024-11-03 01:30:00 PDT", "2024-11-03 01:30:00 PST", "2024-11-04 01:30:00 PST"}},
		{"*/30 keeps its pace through the repeated hour", "America/Los_Angeles", map[string]string{"minute": "*/30"}, "2024-11-03 00:45",
			[]string{"2024-11-03 01:00:00 PDT", "2024-11-03 01:30:00 PDT", "2024-11-03 01:00:00 PST", "2024-11-03 01:30:00 PST", "2024-11-03 02:00:00 PST"}},
		{"skipped reading moves later by the gap", "America/Los_Angeles", map[string]string{"hour": "2", "minute": "30"}, "2024-03-10 00:00",
			[]string{"2024-03-10 03:30:00 PDT", "2024-03-11 02:30:00 PDT"}},
		{"only the first skipped reading fires", "America/Los_Angeles", map[string]string{"hour": "2", "minute": "*/20"}, "2024-03-10 00:00",
			[]string{"2024-03-10 03:00:00 PDT", "2024-03-11 02:00:00 PDT"}},
		{"*/30 does not fire twice after the gap", "America/Los_Angeles", map[string]string{"minute": "*/30"}, "2024-03-10 01:15",
			[]string{"2024-03-10 01:30:00 PST", "2024-03-10 03:00:00 PDT", "2024-03-10 03:30:00 PDT"}},
		{"midnight the day after spring forward (APScheduler skips it)", "America/Los_Angeles", map[string]string{"hour": "0"}, "2024-03-10 00:00",
			[]string{"2024-03-10 00:00:00 PST", "2024-03-11 00:00:00 PDT"}},
		{"Berlin skipped 02:30", "Europe/Berlin", map[string]string{"hour": "2", "minute": "30"}, "2024-03-31 00:00",
			[]string{"2024-03-31 03:30:00 CEST", "2024-04-01 02:30:00 CEST"}},
		{"Berlin repeated 02:30", "Europe/Berlin", map[string]string{"hour": "2", "minute": "30"}, "2024-10-27 00:00",
			[]string{"2024-10-27 02:30:00 CEST", "2024-10-27 02:30:00 CET", "2024-10-28 02:30:00 CET"}},
		{"Berlin every second across spring forward", "Europe/Berlin", map[string]string{}, "2024-03-31 01:59:58",
			[]string{"2024-03-31 01:59:58 CET", "2024-03-31 01:59:59 CET", "2024-03-31 03:00:00 CEST", "2024-03-31 03:00:01 CEST"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			loc := mustLoc(t, c.zone)
			tm := mustCron(t, c.fields, loc)
			from, err := time.ParseInLocation("2006-01-02 15:04", c.from, loc)
			if err != nil {
				from, err = time.ParseInLocation("2006-01-02 15:04:05", c.from, loc)
			}
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			after := from.Add(-time.Nanosecond)
			for range c.want {
				next, ok := tm.Next(after)
				if !ok {
					break
				}
				got = append(got, next.Format(layout))
				after = next
			}
			if !equalStrings(got, c.want) {
				t.Errorf("got  %v\nwant %v", got, c.want)
			}
		})
	}
}

func equalStrings(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}
