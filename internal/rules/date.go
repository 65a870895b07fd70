package rules

import (
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/st2go/st2go/internal/expr"
)

// isoDate matches the ISO 8601 / RFC 3339 spellings StackStorm's
// date_utils.parse meets in practice (ciso8601 first, then dateutil): a
// date, optionally a time after "T" or spaces (minutes, seconds and a
// fraction optional), optionally "Z", "UTC", "GMT" or an offset. Basic
// (separator-less) forms are accepted too.
var isoDate = regexp.MustCompile(`^(\d{4})-?(\d{2})-?(\d{2})` +
	`(?:(?:[Tt]| +)(\d{2})(?::?(\d{2})(?::?(\d{2})(?:[.,](\d+))?)?)?)?` +
	` *(?:([Zz]|UTC|GMT)|([+-])(\d{2})(?::?(\d{2}))?)?$`)

// otherDateLayouts are the RFC 1123, RFC 850, ANSI C and similar forms
// dateutil also reads.
var otherDateLayouts = []string{
	time.RFC1123Z, time.RFC1123, time.RFC850, time.ANSIC, time.UnixDate, time.RubyDate,
	"Mon, 2 Jan 2006 15:04:05 -0700", "Mon, 2 Jan 2006 15:04:05 MST",
	"2 Jan 2006 15:04:05", "Jan 2 2006 15:04:05", "January 2 2006 15:04:05",
}

// parseDate reads a date as StackStorm's date_utils.parse does and
// returns it in UTC; a time without a zone is taken to be UTC.
func parseDate(s string) (time.Time, error) {
	s = strings.TrimSpace(s)
	if m := isoDate.FindStringSubmatch(s); m != nil {
		return isoTime(m)
	}
	for _, layout := range otherDateLayouts {
		if t, err := time.Parse(layout, s); err == nil {
			return t.UTC(), nil
		}
	}
	return time.Time{}, expr.Errorf("ParserError", "Unknown string format: %s", s)
}

func isoTime(m []string) (time.Time, error) {
	num := func(s string) int {
		n, _ := strconv.Atoi(s)
		return n
	}
	year, month, day := num(m[1]), num(m[2]), num(m[3])
	hour, minute, sec := num(m[4]), num(m[5]), num(m[6])
	nsec := 0
	if frac := m[7]; frac != "" {
		// Python keeps microseconds.
		frac = (frac + "000000")[:6]
		nsec = num(frac) * 1000
	}
	if month < 1 || month > 12 || day < 1 || day > daysIn(year, month) || hour > 23 || minute > 59 || sec > 59 {
		return time.Time{}, expr.Errorf("ParserError", "day, month or time out of range: %s", m[0])
	}
	loc := time.UTC
	if m[9] != "" {
		off := num(m[10])*3600 + num(m[11])*60
		if num(m[10]) > 23 || num(m[11]) > 59 {
			return time.Time{}, expr.Errorf("ParserError", "offset out of range: %s", m[0])
		}
		if m[9] == "-" {
			off = -off
		}
		loc = time.FixedZone("", off)
	}
	return time.Date(year, time.Month(month), day, hour, minute, sec, nsec, loc).UTC(), nil
}

func daysIn(year, month int) int {
	return time.Date(year, time.Month(month)+1, 0, 0, 0, 0, 0, time.UTC).Day()
}
