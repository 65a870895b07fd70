package timer

import (
	"testing"
	"time"
)

// FuzzCronField feeds arbitrary text to one cron field. A value must either
// be refused with an error naming the field, or compile to a canonical
// form that compiles to itself, and then give fire times that are later
// than asked, whose reading matches, and with no matching second skipped
// in between (checked second by second over short spans).
func FuzzCronField(f *testing.F) {
	seeds := []string{
		"*", "*/5", "5", "1-5", "1-30/7", "5/10", "0-0/5", "1,2 , 3", "last", "LAST", "last fri", "2nd fri",
		"5th sun", "1st fri xyz", "mon-fri", "MON-fri/2", "sun", "jan-mar", "feb-apr/2", "dec", "*/0", "*/60",
		"17-9", "", " ", ",", "1,,2", "5\n", "5\n,6", "\u0665", "la\u017ft", "j\u0131n", "99999999999999999999",
	}
	for i := range CronFieldNames() {
		for _, s := range seeds {
			f.Add(uint8(i), s)
		}
	}
	zones := []*time.Location{time.UTC, mustLoadForFuzz("America/Los_Angeles"), mustLoadForFuzz("Australia/Lord_Howe")}
	from := time.Date(2024, 3, 9, 23, 59, 30, 0, time.UTC)
	f.Fuzz(func(t *testing.T, fieldIndex uint8, value string) {
		name := CronFieldNames()[int(fieldIndex)%len(fieldNames)]
		c, err := NewCron(map[string]string{name: value}, time.UTC)
		if err != nil {
			if pe, ok := err.(*ParamError); !ok || pe.Param != name {
				t.Fatalf("%s=%q: error %v does not name the field", name, value, err)
			}
			return
		}
		canon := c.Fields()[name]
		c2, err := NewCron(map[string]string{name: canon}, time.UTC)
		if err != nil {
			t.Fatalf("%s=%q: canonical form %q refused: %v", name, value, canon, err)
		}
		if again := c2.Fields()[name]; again != canon {
			t.Fatalf("%s=%q: canonical form %q becomes %q", name, value, canon, again)
		}
		for _, loc := range zones {
			c.loc = loc
			after := from
			for range 3 {
				next, ok := c.Next(after)
				if !ok {
					break
				}
				if !next.After(after) || next.Nanosecond() != 0 {
					t.Fatalf("%s=%q in %v: Next(%v) = %v", name, value, loc, after, next)
				}
				if loc == time.UTC {
					w := wallOf(next.Unix())
					if got, ok := c.nextWall(w); !ok || got != w {
						t.Fatalf("%s=%q: fire time %v does not match", name, value, next)
					}
					if next.Sub(after) < 10*time.Minute {
						for s := after.Unix() + 1; s < next.Unix(); s++ {
							if got, ok := c.nextWall(wallOf(s)); ok && got == wallOf(s) {
								t.Fatalf("%s=%q: %v matches but Next(%v) = %v", name, value, time.Unix(s, 0).UTC(), after, next)
							}
						}
					}
				}
				after = next
			}
		}
	})
}

func mustLoadForFuzz(name string) *time.Location {
	loc, err := time.LoadLocation(name)
	if err != nil {
		panic(err)
	}
	return loc
}
