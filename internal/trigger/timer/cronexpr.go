package timer

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// field is one of the eight cron fields, in APScheduler's order (most
// significant first). The order matters: it is the order of the search and
// the order in which unset fields get their defaults.
type field int

const (
	fieldYear field = iota
	fieldMonth
	fieldDay
	fieldWeek
	fieldDayOfWeek
	fieldHour
	fieldMinute
	fieldSecond
	numFields
)

var fieldNames = [numFields]string{"year", "month", "day", "week", "day_of_week", "hour", "minute", "second"}

// CronFieldNames returns the cron timer's field parameters, most
// significant first (APScheduler's CronTrigger keyword arguments).
func CronFieldNames() []string { return append([]string(nil), fieldNames[:]...) }

var (
	fieldMin     = [numFields]int{1970, 1, 1, 1, 0, 0, 0, 0}
	fieldMax     = [numFields]int{9999, 12, 31, 53, 6, 23, 59, 59}
	fieldDefault = [numFields]string{"*", "1", "1", "*", "*", "0", "0", "0"}
)

var (
	monthNames   = []string{"jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"}
	weekdayNames = []string{"mon", "tue", "wed", "thu", "fri", "sat", "sun"}
	positions    = []string{"1st", "2nd", "3rd", "4th", "5th", "last"}
)

func (f field) String() string { return fieldNames[f] }

// real reports whether the field is a component of a date and time; week
// and day_of_week are derived from the date and are reached by stepping
// days.
func (f field) real() bool { return f != fieldWeek && f != fieldDayOfWeek }

func (f field) value(w wall) int {
	switch f {
	case fieldYear:
		return w.year
	case fieldMonth:
		return w.month
	case fieldDay:
		return w.day
	case fieldWeek:
		return w.isoWeek()
	case fieldDayOfWeek:
		return w.weekday()
	case fieldHour:
		return w.hour
	case fieldMinute:
		return w.minute
	default:
		return w.second
	}
}

func (f field) min() int { return fieldMin[f] }

func (f field) max(w wall) int {
	if f == fieldDay {
		return daysIn(w.year, w.month)
	}
	return fieldMax[f]
}

type exprKind int

const (
	exprAll          exprKind = iota // *, */n
	exprRange                        // a, a-b, a-b/n, a/n
	exprMonthRange                   // jan, jan-mar
	exprWeekdayRange                 // mon, mon-fri
	exprPosition                     // 1st fri, last sun
	exprLastDay                      // last
)

// expr is one comma-separated part of a field.
type expr struct {
	kind    exprKind
	first   int
	last    int // valid when hasLast
	hasLast bool
	step    int // 0: none
	pos     int // exprPosition: index into positions
	weekday int // exprPosition
}

// cronField is a compiled field: the value matches if any part matches.
type cronField struct {
	parts    []expr
	explicit bool // given by the user (not a default)
}

// next returns the smallest value of f at or after w's value that one of
// the parts allows within w's month (or year, ...), as APScheduler's
// get_next_value; ok is false when there is none.
func (cf *cronField) next(f field, w wall) (int, bool) {
	best, found := 0, false
	for i := range cf.parts {
		if v, ok := cf.parts[i].next(f, w); ok && (!found || v < best) {
			best, found = v, true
		}
	}
	return best, found
}

func (e *expr) next(f field, w wall) (int, bool) {
	start := f.value(w)
	lo, hi := f.min(), f.max(w)
	switch e.kind {
	case exprAll:
		v := max(start, lo)
		if e.step > 0 {
			v += pyMod(e.step-(v-lo), e.step)
		}
		return v, v <= hi
	case exprRange, exprMonthRange, exprWeekdayRange:
		lo = max(lo, e.first)
		if e.hasLast {
			hi = min(hi, e.last)
		}
		v := max(lo, start)
		if e.step > 0 {
			v += pyMod(e.step-(v-lo), e.step)
		}
		return v, v <= hi
	case exprPosition:
		lastDay := daysIn(w.year, w.month)
		firstHit := e.weekday - firstWeekday(w.year, w.month) + 1
		if firstHit <= 0 {
			firstHit += 7
		}
		var target int
		if e.pos < 5 {
			target = firstHit + e.pos*7
		} else {
			target = firstHit + ((lastDay-firstHit)/7)*7
		}
		return target, target <= lastDay && target >= w.day
	default: // exprLastDay
		return daysIn(w.year, w.month), true
	}
}

// pyMod is Python's % for a positive divisor.
func pyMod(a, b int) int {
	m := a % b
	if m < 0 {
		m += b
	}
	return m
}

// String renders the part the way APScheduler does (its canonical form).
func (e *expr) String() string {
	switch e.kind {
	case exprAll:
		if e.step > 0 {
			return "*/" + strconv.Itoa(e.step)
		}
		return "*"
	case exprRange:
		s := strconv.Itoa(e.first)
		if e.hasLast && e.last != e.first {
			s += "-" + strconv.Itoa(e.last)
		}
		if e.step > 0 {
			s += "/" + strconv.Itoa(e.step)
		}
		return s
	case exprMonthRange:
		if e.hasLast && e.last != e.first {
			return monthNames[e.first-1] + "-" + monthNames[e.last-1]
		}
		return monthNames[e.first-1]
	case exprWeekdayRange:
		if e.hasLast && e.last != e.first {
			return weekdayNames[e.first] + "-" + weekdayNames[e.last]
		}
		return weekdayNames[e.first]
	case exprPosition:
		return positions[e.pos] + " " + weekdayNames[e.weekday]
	default:
		return "last"
	}
}

func (cf *cronField) String() string {
	s := make([]string, len(cf.parts))
	for i := range cf.parts {
		s[i] = cf.parts[i].String()
	}
	return strings.Join(s, ",")
}

// errNoMatch marks a part that no expression form recognises.
var errNoMatch = errors.New("unrecognized expression")

// compileField parses one field's value the way APScheduler's
// BaseField.compile_expressions does: strip surrounding whitespace, split at
// commas (spaces around a comma are dropped), and give each part to the
// field's expression forms in order; the first form whose pattern matches
// decides, and its error (a bad name, a value out of range) is final.
//
// Some of APScheduler's patterns are anchored at the start only, and the
// quirks that follow are kept on purpose so that every value StackStorm
// accepts means the same here: "jan-mar/2" is "jan-mar" (the step is
// ignored), "1st fri xyz" is "1st fri", and any day value starting with
// "last" is the last day of the month.
func compileField(f field, value string) (*cronField, error) {
	s := strings.TrimFunc(value, pyIsSpace)
	pieces := strings.Split(s, ",")
	cf := &cronField{explicit: true}
	for i, p := range pieces {
		if i > 0 {
			p = strings.TrimLeft(p, " ")
		}
		if i < len(pieces)-1 {
			p = strings.TrimRight(p, " ")
		}
		e, err := compileExpr(f, p)
		if err != nil {
			if errors.Is(err, errNoMatch) {
				return nil, fmt.Errorf("unrecognized expression %q", p)
			}
			return nil, fmt.Errorf("invalid expression %q: %w", p, err)
		}
		cf.parts = append(cf.parts, e)
	}
	return cf, nil
}

func compileExpr(f field, p string) (expr, error) {
	if e, ok, err := matchAll(p); ok {
		if err == nil {
			err = e.validate(f)
		}
		return e, err
	}
	if e, ok, err := matchRange(p); ok {
		if err == nil {
			err = e.validate(f)
		}
		return e, err
	}
	switch f {
	case fieldMonth:
		if first, last, ok := matchNames(p); ok {
			return namedRange(exprMonthRange, monthNames, 1, "month", first, last)
		}
	case fieldDayOfWeek:
		if first, last, ok := matchNames(p); ok {
			return namedRange(exprWeekdayRange, weekdayNames, 0, "weekday", first, last)
		}
	case fieldDay:
		if pos, wd, ok := matchPosition(p); ok {
			e := expr{kind: exprPosition, pos: -1, weekday: -1}
			for i, name := range positions {
				if strings.ToLower(pos) == name {
					e.pos = i
				}
			}
			if e.pos < 0 {
				return e, fmt.Errorf("invalid weekday position %q", pos)
			}
			for i, name := range weekdayNames {
				if strings.ToLower(wd) == name {
					e.weekday = i
				}
			}
			if e.weekday < 0 {
				return e, fmt.Errorf("invalid weekday name %q", wd)
			}
			return e, nil
		}
		if hasFoldPrefix(p, "last") {
			return expr{kind: exprLastDay}, nil
		}
	}
	return expr{}, errNoMatch
}

// validate applies APScheduler's range checks (AllExpression and
// RangeExpression validate_range), including its quirk that a range ending
// at 0 is measured to the field's maximum when checking the step.
func (e *expr) validate(f field) error {
	span := fieldMax[f] - fieldMin[f]
	if e.step > span {
		return fmt.Errorf("the step value (%d) is higher than the total range of the expression (%d)", e.step, span)
	}
	if e.kind == exprAll {
		return nil
	}
	if e.first < fieldMin[f] {
		return fmt.Errorf("the first value (%d) is lower than the minimum value (%d)", e.first, fieldMin[f])
	}
	if e.hasLast && e.last > fieldMax[f] {
		return fmt.Errorf("the last value (%d) is higher than the maximum value (%d)", e.last, fieldMax[f])
	}
	top := fieldMax[f]
	if e.hasLast && e.last != 0 {
		top = e.last
	}
	if e.step > 0 && e.step > top-e.first {
		return fmt.Errorf("the step value (%d) is higher than the total range of the expression (%d)", e.step, top-e.first)
	}
	return nil
}

func namedRange(kind exprKind, names []string, base int, what, first, last string) (expr, error) {
	e := expr{kind: kind}
	idx := func(s string) int {
		for i, n := range names {
			if pyLower(s) == n {
				return i + base
			}
		}
		return -1
	}
	if e.first = idx(first); e.first < 0 {
		return e, fmt.Errorf("invalid %s name %q", what, first)
	}
	if last == "" {
		e.last, e.hasLast = e.first, true
		return e, nil
	}
	if e.last = idx(last); e.last < 0 {
		return e, fmt.Errorf("invalid %s name %q", what, last)
	}
	e.hasLast = true
	if e.first > e.last {
		return e, errors.New("the minimum value in a range must not be higher than the maximum")
	}
	return e, nil
}

// matchAll matches `\*(?:/(?P<step>\d+))?$`.
func matchAll(p string) (expr, bool, error) {
	p, ok := cutDollar(p)
	if !ok || !strings.HasPrefix(p, "*") {
		return expr{}, false, nil
	}
	rest := p[1:]
	e := expr{kind: exprAll}
	if rest == "" {
		return e, true, nil
	}
	if !strings.HasPrefix(rest, "/") {
		return e, false, nil
	}
	n, tail := digits(rest[1:])
	if tail != len(rest[1:]) || tail == 0 {
		return e, false, nil
	}
	e.step = n
	if e.step == 0 {
		return e, true, errors.New("increment must be higher than 0")
	}
	return e, true, nil
}

// matchRange matches `(?P<first>\d+)(?:-(?P<last>\d+))?(?:/(?P<step>\d+))?$`.
func matchRange(p string) (expr, bool, error) {
	p, ok := cutDollar(p)
	if !ok {
		return expr{}, false, nil
	}
	e := expr{kind: exprRange}
	first, n := digits(p)
	if n == 0 {
		return e, false, nil
	}
	e.first = first
	p = p[n:]
	if strings.HasPrefix(p, "-") {
		last, m := digits(p[1:])
		if m == 0 {
			return e, false, nil
		}
		e.last, e.hasLast = last, true
		p = p[1+m:]
	}
	hasStep := false
	if strings.HasPrefix(p, "/") {
		step, m := digits(p[1:])
		if m == 0 {
			return e, false, nil
		}
		e.step, hasStep = step, true
		p = p[1+m:]
	}
	if p != "" {
		return e, false, nil
	}
	if hasStep && e.step == 0 {
		return e, true, errors.New("increment must be higher than 0")
	}
	if !e.hasLast && !hasStep {
		e.last, e.hasLast = e.first, true
	}
	if e.hasLast && e.first > e.last {
		return e, true, errors.New("the minimum value in a range must not be higher than the maximum")
	}
	return e, true, nil
}

// matchNames matches `(?P<first>[a-z]+)(?:-(?P<last>[a-z]+))?` with
// re.IGNORECASE, anchored at the start only.
func matchNames(p string) (first, last string, ok bool) {
	n := letters(p)
	if n == 0 {
		return "", "", false
	}
	first = p[:n]
	if rest := p[n:]; strings.HasPrefix(rest, "-") {
		if m := letters(rest[1:]); m > 0 {
			last = rest[1 : 1+m]
		}
	}
	return first, last, true
}

// matchPosition matches `(?P<option_name>1st|2nd|3rd|4th|5th|last)
// +(?P<weekday_name>(?:\d+|\w+))` with re.IGNORECASE, anchored at the
// start only.
func matchPosition(p string) (pos, weekday string, ok bool) {
	for _, opt := range positions {
		if !hasFoldPrefix(p, opt) {
			continue
		}
		n := foldPrefixLen(p, opt)
		rest := p[n:]
		sp := len(rest) - len(strings.TrimLeft(rest, " "))
		if sp == 0 {
			continue
		}
		rest = rest[sp:]
		var wl int
		if _, dl := digits(rest); dl > 0 {
			wl = dl
		} else {
			wl = wordChars(rest)
		}
		if wl == 0 {
			continue
		}
		return p[:n], rest[:wl], true
	}
	return "", "", false
}

// cutDollar strips the one trailing newline that Python's `$` lets
// through; ok is false when what is left still has one.
func cutDollar(p string) (string, bool) {
	p = strings.TrimSuffix(p, "\n")
	return p, !strings.HasSuffix(p, "\n")
}

// digits reads the decimal digits (\d, any Unicode decimal digit, as Python
// does) at the start of s; n is the number of bytes read. Values too large
// for any field saturate instead of overflowing.
func digits(s string) (value, n int) {
	for n < len(s) {
		r, size := utf8.DecodeRuneInString(s[n:])
		d, ok := digitValue(r)
		if !ok {
			break
		}
		if value < 1<<40 {
			value = value*10 + d
		}
		n += size
	}
	return value, n
}

// digitValue is the value of a Unicode decimal digit (category Nd). Such
// digits come in runs of ten starting at zero, so the value is the
// distance to the start of the run, modulo ten.
func digitValue(r rune) (int, bool) {
	if r >= '0' && r <= '9' {
		return int(r - '0'), true
	}
	if r < 0x80 || !unicode.Is(unicode.Nd, r) {
		return 0, false
	}
	start := r
	for start > 0 && unicode.Is(unicode.Nd, start-1) {
		start--
	}
	return int(r-start) % 10, true
}

// letters counts the bytes at the start of s that `[a-z]` matches under
// Python's re.IGNORECASE: ASCII letters plus the four non-ASCII letters
// whose case folds into a-z.
func letters(s string) int {
	n := 0
	for n < len(s) {
		r, size := utf8.DecodeRuneInString(s[n:])
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r == 'İ' || r == 'ı' || r == 'ſ' || r == '\u212a') {
			break
		}
		n += size
	}
	return n
}

// wordChars counts the bytes at the start of s that Python's \w matches.
func wordChars(s string) int {
	n := 0
	for n < len(s) {
		r, size := utf8.DecodeRuneInString(s[n:])
		if !(r == '_' || unicode.IsLetter(r) || unicode.IsNumber(r)) {
			break
		}
		n += size
	}
	return n
}

// foldEq reports whether r matches the ASCII letter or digit c under
// Python's re.IGNORECASE.
func foldEq(r rune, c byte) bool {
	lc := rune(c)
	if r == lc || unicode.ToLower(r) == lc && r < 0x80 {
		return true
	}
	switch lc {
	case 's':
		return r == 'ſ'
	case 'k':
		return r == '\u212a'
	case 'i':
		return r == 'İ' || r == 'ı'
	}
	return false
}

// foldPrefixLen returns the byte length of the prefix of s matching the
// lower-case ASCII word under re.IGNORECASE, or 0.
func foldPrefixLen(s, word string) int {
	n := 0
	for i := 0; i < len(word); i++ {
		if n >= len(s) {
			return 0
		}
		r, size := utf8.DecodeRuneInString(s[n:])
		if !foldEq(r, word[i]) {
			return 0
		}
		n += size
	}
	return n
}

func hasFoldPrefix(s, word string) bool { return foldPrefixLen(s, word) > 0 }

// pyIsSpace is Python's str.isspace for one character.
func pyIsSpace(r rune) bool {
	return unicode.IsSpace(r) || r >= 0x1c && r <= 0x1f
}

// pyLower lower-cases like Python's str.lower for the names compared here
// (the Kelvin sign lowers to k; other non-ASCII letters never make a name).
func pyLower(s string) string {
	return strings.Map(func(r rune) rune {
		if r == '\u212a' {
			return 'k'
		}
		if r < 0x80 {
			return unicode.ToLower(r)
		}
		return r
	}, s)
}
