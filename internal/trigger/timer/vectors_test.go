package timer

import (
	"encoding/json"
	"errors"
	"os"
	"slices"
	"testing"
	"time"

	_ "time/tzdata" // the vectors' zones, where the host has no tz database
)

// The vectors in testdata/apscheduler_vectors.json were computed by
// APScheduler itself (testdata/gen_vectors.py).
type vectorFile struct {
	APScheduler string `json:"apscheduler"`
	Cron        []struct {
		Name   string         `json:"name"`
		Params map[string]any `json:"params"`
		Start  string         `json:"start"`
		Count  int            `json:"count"` // fire times asked for; fewer in Fires means no more
		Fires  []string       `json:"fires"`
	} `json:"cron"`
	Parse []struct {
		Field     string `json:"field"`
		Value     string `json:"value"`
		Valid     bool   `json:"valid"`
		Canonical string `json:"canonical"`
		Error     string `json:"error"`
	} `json:"parse"`
	Dates []struct {
		Date     string `json:"date"`
		Timezone string `json:"timezone"`
		Instant  string `json:"instant"`
	} `json:"dates"`
	Intervals []struct {
		Unit     string   `json:"unit"`
		Delta    int64    `json:"delta"`
		Timezone string   `json:"timezone"`
		Start    string   `json:"start"`
		Fires    []string `json:"fires"`
	} `json:"intervals"`
}

func loadVectors(t *testing.T) *vectorFile {
	t.Helper()
	b, err := os.ReadFile("testdata/apscheduler_vectors.json")
	if err != nil {
		t.Fatal(err)
	}
	var v vectorFile
	if err := json.Unmarshal(b, &v); err != nil {
		t.Fatal(err)
	}
	if len(v.Cron) < 400 || len(v.Parse) < 500 {
		t.Fatalf("too few vectors: %d cron, %d parse", len(v.Cron), len(v.Parse))
	}
	return &v
}

func mustTime(t *testing.T, s string) time.Time {
	t.Helper()
	ts, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		t.Fatal(err)
	}
	return ts
}

func utcString(ts time.Time) string {
	return ts.UTC().Format(time.RFC3339Nano)
}

// fireSequence asks for n fire times the way a scheduler does: the first
// at or after start, then each one after the previous.
func fireSequence(tm Timer, start time.Time, n int) []string {
	var out []string
	after := start.Add(-time.Nanosecond)
	for range n {
		next, ok := tm.Next(after)
		if !ok {
			break
		}
		out = append(out, utcString(next))
		after = next
	}
	return out
}

// cronDifferences are the vectors where st2go deliberately does not do
// what APScheduler does. APScheduler moves to the next day (or month) by
// adding the wall-clock difference as elapsed time; across a spring
// forward that lands an hour late (01:00 instead of 00:00), and a timer
// whose hour field does not allow that hour skips the whole day or month.
// Where the zone springs forward at midnight (America/Santiago) it also
// never fires the skipped readings that a day step jumps over, while it
// does fire them (moved later by the gap) when an hour step reaches them,
// as in America/Los_Angeles at 02:30. st2go fires in all these cases:
// every valid reading, and skipped readings moved later by the gap.
var cronDifferences = map[string][]string{
	// Monday 2024-03-11 00:00 PDT is skipped by APScheduler.
	"LA daily 00:00 spring forward": {"2024-03-09T08:00:00Z", "2024-03-10T08:00:00Z", "2024-03-11T07:00:00Z", "2024-03-12T07:00:00Z"},
	"LA daily 00:30 spring forward": {"2024-03-09T08:30:00Z", "2024-03-10T08:30:00Z", "2024-03-11T07:30:00Z", "2024-03-12T07:30:00Z"},
	"random 120": {"2024-03-09T08:00:00Z", "2024-03-10T08:00:00Z", "2024-03-11T07:00:00Z", "2024-03-12T07:00:00Z",
		"2024-03-13T07:00:00Z", "2024-03-14T07:00:00Z", "2024-03-15T07:00:00Z", "2024-03-16T07:00:00Z"},
	// Monday 2024-04-01 00:00 CEST.
	"Berlin daily midnight spring forward": {"2024-03-29T23:00:00Z", "2024-03-30T23:00:00Z", "2024-03-31T22:00:00Z", "2024-04-01T22:00:00Z"},
	// day */9 (1, 10, 19, 28): 2024-04-01 00:00 CEST.
	"random 173": {"2024-03-31T22:00:00Z", "2024-04-09T22:00:00Z", "2024-04-18T22:00:00Z", "2024-04-27T22:00:00Z",
		"2024-04-30T22:00:00Z", "2024-05-09T22:00:00Z", "2024-05-18T22:00:00Z", "2024-05-27T22:00:00Z"},
	// day_of_week */2 (mon, wed, fri, sun): Monday 2024-03-11 00:00 EDT.
	"random 381": {"2024-03-10T05:00:00Z", "2024-03-11T04:00:00Z", "2024-03-13T04:00:00Z", "2024-03-15T04:00:00Z",
		"2024-03-17T04:00:00Z", "2024-03-18T04:00:00Z", "2024-03-20T04:00:00Z", "2024-03-22T04:00:00Z"},
	// Monthly on the 1st at 00:00: 2024-11-01 00:00 AEDT, the first month
	// start after Sydney's DST began (2024-10-06).
	"random 107": {"2024-04-30T14:00:00Z", "2024-05-31T14:00:00Z", "2024-06-30T14:00:00Z", "2024-07-31T14:00:00Z",
		"2024-08-31T14:00:00Z", "2024-09-30T14:00:00Z", "2024-10-31T13:00:00Z", "2024-11-30T13:00:00Z"},
	// Santiago springs forward at 2024-09-08 00:00 -04 to 01:00 -03: the
	// skipped 00:00 fires at 01:00 -03 (04:00Z).
	"Santiago midnight spring forward": {"2024-09-06T04:00:00Z", "2024-09-07T04:00:00Z", "2024-09-08T04:00:00Z", "2024-09-09T03:00:00Z"},
	"random 019": {"2024-09-08T04:00:00Z", "2024-09-09T03:00:00Z", "2024-09-10T03:00:00Z", "2024-09-11T03:00:00Z",
		"2024-09-12T03:00:00Z", "2024-09-13T03:00:00Z", "2024-09-14T03:00:00Z", "2024-09-15T03:00:00Z"},
	// hour */11 (0, 11, 22) minute 37: the skipped 00:37 fires at 01:37 -03.
	"random 046": {"2024-09-07T04:37:00Z", "2024-09-07T15:37:00Z", "2024-09-08T02:37:00Z", "2024-09-08T04:37:00Z",
		"2024-09-08T14:37:00Z", "2024-09-09T01:37:00Z", "2024-09-09T03:37:00Z", "2024-09-09T14:37:00Z"},
}

func TestCronMatchesAPScheduler(t *testing.T) {
	v := loadVectors(t)
	t.Logf("vectors from APScheduler %s", v.APScheduler)
	seen := map[string]bool{}
	for _, c := range v.Cron {
		t.Run(c.Name, func(t *testing.T) {
			tm, err := ParseCron(c.Params, nil)
			if err != nil {
				t.Fatalf("ParseCron(%v): %v", c.Params, err)
			}
			want := c.Fires
			if d, ok := cronDifferences[c.Name]; ok {
				seen[c.Name] = true
				if slices.Equal(d, c.Fires) {
					t.Fatalf("listed as a difference but APScheduler agrees: %v", c.Fires)
				}
				want = d
			}
			got := fireSequence(tm, mustTime(t, c.Start), c.Count)
			if !slices.Equal(got, want) {
				t.Errorf("%v from %s (%s):\n got  %v\n want %v", c.Params, c.Start, tm, got, want)
			}
		})
	}
	for name := range cronDifferences {
		if !seen[name] {
			t.Errorf("difference %q has no vector", name)
		}
	}
}

func TestCronFieldParseMatchesAPScheduler(t *testing.T) {
	v := loadVectors(t)
	valid := 0
	for _, p := range v.Parse {
		c, err := NewCron(map[string]string{p.Field: p.Value}, nil)
		if p.Valid {
			valid++
			if err != nil {
				t.Errorf("%s=%q: APScheduler accepts it (as %q), got %v", p.Field, p.Value, p.Canonical, err)
				continue
			}
			if got := c.Fields()[p.Field]; got != p.Canonical {
				t.Errorf("%s=%q: canonical form %q, APScheduler has %q", p.Field, p.Value, got, p.Canonical)
			}
			continue
		}
		if err == nil {
			t.Errorf("%s=%q: APScheduler refuses it (%s), got %s", p.Field, p.Value, p.Error, c)
			continue
		}
		var pe *ParamError
		if !errors.As(err, &pe) || pe.Param != p.Field {
			t.Errorf("%s=%q: error %v does not name the field", p.Field, p.Value, err)
		}
	}
	if valid < 50 {
		t.Fatalf("only %d valid parse vectors", valid)
	}
}

func TestDateMatchesAPScheduler(t *testing.T) {
	v := loadVectors(t)
	for _, d := range v.Dates {
		tm, err := ParseDate(map[string]any{"date": d.Date, "timezone": d.Timezone}, nil)
		if err != nil {
			t.Errorf("ParseDate(%q, %s): %v", d.Date, d.Timezone, err)
			continue
		}
		if got := utcString(tm.At); got != utcString(mustTime(t, d.Instant)) {
			t.Errorf("ParseDate(%q, %s) = %s, APScheduler has %s", d.Date, d.Timezone, got, d.Instant)
		}
	}
}

func TestIntervalMatchesAPScheduler(t *testing.T) {
	v := loadVectors(t)
	for _, iv := range v.Intervals {
		tm, err := ParseInterval(map[string]any{"unit": iv.Unit, "delta": float64(iv.Delta), "timezone": iv.Timezone}, nil)
		if err != nil {
			t.Fatal(err)
		}
		tm.Start = mustTime(t, iv.Start)
		var want []string
		for _, f := range iv.Fires {
			want = append(want, utcString(mustTime(t, f)))
		}
		if got := fireSequence(tm, tm.Start, len(iv.Fires)); !slices.Equal(got, want) {
			t.Errorf("every %d %s from %s:\n got  %v\n want %v", iv.Delta, iv.Unit, iv.Start, got, iv.Fires)
		}
	}
}
