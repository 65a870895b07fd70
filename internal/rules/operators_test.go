package rules

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/st2go/st2go/internal/expr"
)

// j reads JSON into an expr value, for operands that are lists or dicts.
func j(t testing.TB, s string) any {
	t.Helper()
	v, err := expr.FromJSON([]byte(s))
	if err != nil {
		t.Fatalf("bad JSON %q: %v", s, err)
	}
	return v
}

var testNow = time.Date(2024, 5, 1, 12, 0, 0, 0, time.UTC)

// opCase is one operator application. err, when set, is the Python
// exception class the operator must raise.
type opCase struct {
	op   string
	v, p any
	want bool
	err  string
}

// TestOperators ports StackStorm's st2common test_operators.py (the bytes
// cases have no counterpart: payload values are never bytes here) and
// adds the Python semantics rules rely on.
func TestOperators(t *testing.T) {
	now := testNow.Format("2006-01-02T15:04:05.000000")
	cases := []opCase{
		// matchwildcard
		{op: "matchwildcard", v: "v1", p: "v1", want: true},
		{op: "matchwildcard", v: "test foo test", p: "foo"},
		{op: "matchwildcard", v: "test foo test", p: "*foo*", want: true},
		{op: "matchwildcard", v: "bar", p: "b*r", want: true},
		{op: "matchwildcard", v: "bar", p: "b?r", want: true},
		{op: "matchwildcard", v: "1", p: nil},
		{op: "matchwildcard", v: "Bar", p: "b*"},
		{op: "matchwildcard", v: "a\nb", p: "a?b", want: true},
		{op: "matchwildcard", v: "a\nb", p: "a*", want: true},
		{op: "matchwildcard", v: "file.txt", p: "*.txt", want: true},
		{op: "matchwildcard", v: "filetxt", p: "*.txt"},
		{op: "matchwildcard", v: "b.log", p: "[abc].log", want: true},
		{op: "matchwildcard", v: "d.log", p: "[abc].log"},
		{op: "matchwildcard", v: "d.log", p: "[!abc].log", want: true},
		{op: "matchwildcard", v: "a.log", p: "[!abc].log"},
		{op: "matchwildcard", v: "k", p: "[a-z]", want: true},
		{op: "matchwildcard", v: "K", p: "[a-z]"},
		{op: "matchwildcard", v: "-", p: "[a-]", want: true},
		{op: "matchwildcard", v: "-", p: "[-a]", want: true},
		{op: "matchwildcard", v: "]", p: "[]]", want: true},
		{op: "matchwildcard", v: "[x", p: "[x", want: true},
		{op: "matchwildcard", v: `a\b`, p: `a\b`, want: true},
		{op: "matchwildcard", v: `\`, p: `[\]`, want: true},
		{op: "matchwildcard", v: "a", p: "[z-a]"},
		{op: "matchwildcard", v: "x", p: "[!]"},
		{op: "matchwildcard", v: "[!]", p: "[!]", want: true},
		{op: "matchwildcard", v: "-", p: "[a-b-c]", want: true},
		{op: "matchwildcard", v: "c", p: "[a-b-c]", want: true},
		{op: "matchwildcard", v: "^", p: "[^]", want: true},
		{op: "matchwildcard", v: "a(b)+c", p: "a(b)+c", want: true},
		{op: "matchwildcard", v: 1, p: "1", err: "TypeError"},
		{op: "matchwildcard", v: "1", p: 1, err: "TypeError"},
		{op: "matchwildcard", v: nil, p: "*", err: "TypeError"},

		// matchregex: re.match with DOTALL, anchored at the start only
		{op: "matchregex", v: "v1", p: "v1$", want: true},
		{op: "matchregex", v: "ponies\n        moar\n        foo\n        bar\n        yeah!\n        ", p: ".*bar.*", want: true},
		{op: "matchregex", v: "foo\r\nponies\nbar\nfooooo", p: ".*ponies.*", want: true},
		{op: "matchregex", v: "foo ponies bar", p: ".*ponies.*", want: true},
		{op: "MATCHREGEX", v: "v1", p: "v1$", want: true},
		{op: "MATCHregex", v: "v1", p: "v1$", want: true},
		{op: "matchregex", v: "v1_foo", p: "v1$"},
		{op: "matchregex", v: "1", p: nil},
		{op: "matchregex", v: "foobar", p: "bar"},
		{op: "matchregex", v: "foobar", p: "foo", want: true},
		{op: "matchregex", v: "HARD", p: "HARD", want: true},
		{op: "matchregex", v: 1, p: "HARD", err: "TypeError"},
		{op: "matchregex", v: "x", p: 1, err: "TypeError"},
		{op: "matchregex", v: "x", p: "(", err: "re.error"},

		// regex / iregex: re.search
		{op: "iregex", v: "V1", p: "v1$", want: true},
		{op: "iregex", v: "fooPONIESbarfooooo", p: "ponies", want: true},
		{op: "iregex", v: "V1_foo", p: "v1$"},
		{op: "iregex", v: "1", p: nil},
		{op: "regex", v: "v1", p: "v1$", want: true},
		{op: "regex", v: "fooponiesbarfooooo", p: "ponies", want: true},
		{op: "regex", v: "apple ponies oranges", p: "(ponies|unicorns)", want: true},
		{op: "regex", v: "apple unicorns oranges", p: "(ponies|unicorns)", want: true},
		{op: "regex", v: "apple unicorns oranges", p: "(pikachu|snorlax|charmander)"},
		{op: "regex", v: "v1_foo", p: "v1$"},
		{op: "regex", v: "fooPONIESbarfooooo", p: "ponies"},
		{op: "regex", v: "1", p: nil},
		{op: "regex", v: "foobar", p: "bar", want: true},
		{op: "regex", v: "nginx_check_web_process", p: "check_.*_process", want: true},
		{op: "regex", v: "OK\n", p: "^OK$", want: true}, // Python's $ matches before a final newline
		{op: "regex", v: "OK\n\n", p: "^OK$"},
		{op: "regex", v: "a$b", p: `a\$b`, want: true},
		{op: "regex", v: "a$", p: "a[$]", want: true},
		{op: "regex", v: "x\ny", p: "(?m)^x$", want: true},
		{op: "regex", v: "a\nb", p: "a.b"},
		{op: "regex", v: "ab12", p: `(?P<n>\d+)\Z`, want: true},
		{op: "regex", v: []any{"a", "b"}, p: "a", err: "TypeError"},
		{op: "regex", v: "a", p: []any{"a"}, err: "TypeError"},
		{op: "iregex", v: nil, p: "a", err: "TypeError"},

		// equals / nequals / iequals
		{op: "equals", v: int64(1), p: int64(1), want: true},
		{op: "equals", v: "1", p: "1", want: true},
		{op: "equals", v: "", p: "", want: true},
		{op: "equals", v: "1", p: "2"},
		{op: "equals", v: "1", p: nil},
		{op: "equals", v: nil, p: nil},
		{op: "equals", v: int64(1), p: 1.0, want: true},
		{op: "equals", v: true, p: int64(1), want: true},
		{op: "equals", v: "1", p: int64(1)},
		{op: "eq", v: j(t, `{"a": [1, 2]}`), p: j(t, `{"a": [1, 2.0]}`), want: true},
		{op: "eq", v: j(t, `[1, 2]`), p: j(t, `[2, 1]`)},
		{op: "nequals", v: "foo", p: "bar", want: true},
		{op: "nequals", v: "foo", p: "foo1", want: true},
		{op: "nequals", v: "foo", p: "FOO", want: true},
		{op: "nequals", v: "True", p: true, want: true},
		{op: "nequals", v: "None", p: nil, want: true},
		{op: "nequals", v: "True", p: "True"},
		{op: "nequals", v: nil, p: nil},
		{op: "neq", v: int64(2), p: 2.0},
		{op: "iequals", v: "ABC", p: "ABC", want: true},
		{op: "iequals", v: "ABC", p: "abc", want: true},
		{op: "iequals", v: "AbC", p: "aBc", want: true},
		{op: "iequals", v: "ABC", p: "BCA"},
		{op: "iequals", v: "1", p: nil},
		{op: "ieq", v: "İ", p: "i\u0307", want: true},
		{op: "iequals", v: int64(1), p: "1", err: "AttributeError"},
		{op: "iequals", v: "1", p: int64(1), err: "AttributeError"},

		// contains family
		{op: "contains", v: "hasystack needle haystack", p: "needle", want: true},
		{op: "contains", v: "needle", p: "needle", want: true},
		{op: "contains", v: "needlehaystack", p: "needle", want: true},
		{op: "contains", v: "needle haystack", p: "needle", want: true},
		{op: "contains", v: "haystackneedle", p: "needle", want: true},
		{op: "contains", v: "haystack needle", p: "needle", want: true},
		{op: "contains", v: "hasystack needl haystack", p: "needle"},
		{op: "contains", v: "needla", p: "needle"},
		{op: "contains", v: "1", p: nil},
		{op: "contains", v: j(t, `["a", "b"]`), p: "a", want: true},
		{op: "contains", v: j(t, `["ab"]`), p: "a"},
		{op: "contains", v: j(t, `[1, 2]`), p: 2.0, want: true},
		{op: "contains", v: j(t, `{"key": 1}`), p: "key", want: true},
		{op: "contains", v: j(t, `{"key": 1}`), p: j(t, `[1]`), err: "TypeError"},
		{op: "contains", v: "abc", p: int64(1), err: "TypeError"},
		{op: "contains", v: nil, p: "a", err: "TypeError"},
		{op: "contains", v: int64(12), p: "1", err: "TypeError"},
		{op: "icontains", v: "hasystack nEEdle haystack", p: "needle", want: true},
		{op: "icontains", v: "neeDle", p: "NeedlE", want: true},
		{op: "icontains", v: "needlehaystack", p: "needle", want: true},
		{op: "icontains", v: "NEEDLE haystack", p: "NEEDLE", want: true},
		{op: "icontains", v: "haystackNEEDLE", p: "needle", want: true},
		{op: "icontains", v: "haystack needle", p: "NEEDLE", want: true},
		{op: "icontains", v: "hasystack needl haystack", p: "needle"},
		{op: "icontains", v: "needla", p: "needle"},
		{op: "icontains", v: "1", p: nil},
		{op: "icontains", v: j(t, `["A"]`), p: "a", err: "AttributeError"},
		{op: "ncontains", v: "hasystack needle haystack", p: "foo", want: true},
		{op: "ncontains", v: "needle", p: "foo", want: true},
		{op: "ncontains", v: "needlehaystack", p: "needlex", want: true},
		{op: "ncontains", v: "needle haystack", p: "needlex", want: true},
		{op: "ncontains", v: "haystackneedle", p: "needlex", want: true},
		{op: "ncontains", v: "haystack needle", p: "needlex", want: true},
		{op: "ncontains", v: "hasystack needle haystack", p: "needle"},
		{op: "ncontains", v: "needla", p: "needla"},
		{op: "ncontains", v: "1", p: nil},
		{op: "ncontains", v: nil, p: "a", err: "TypeError"},
		{op: "incontains", v: "hasystack needle haystack", p: "FOO", want: true},
		{op: "incontains", v: "needle", p: "FOO", want: true},
		{op: "incontains", v: "needlehaystack", p: "needlex", want: true},
		{op: "incontains", v: "needle haystack", p: "needlex", want: true},
		{op: "incontains", v: "haystackneedle", p: "needlex", want: true},
		{op: "incontains", v: "haystack needle", p: "needlex", want: true},
		{op: "incontains", v: "hasystack needle haystack", p: "nEeDle"},
		{op: "incontains", v: "needlA", p: "needlA"},
		{op: "incontains", v: "1", p: nil},
		{op: "incontains", v: int64(1), p: "a", err: "AttributeError"},

		// startswith / endswith families
		{op: "startswith", v: "hasystack needle haystack", p: "hasystack", want: true},
		{op: "startswith", v: "a hasystack needle haystack", p: "a ", want: true},
		{op: "startswith", v: "haystack needle", p: "haystack", want: true},
		{op: "startswith", v: "hasystack needle haystack", p: "needle"},
		{op: "startswith", v: "a hasystack needle haystack", p: "haystack"},
		{op: "startswith", v: "1", p: nil},
		{op: "startswith", v: "abc", p: int64(1), err: "TypeError"},
		{op: "startswith", v: j(t, `["a"]`), p: "a", err: "AttributeError"},
		{op: "istartswith", v: "haystack needle haystack", p: "HAYstack", want: true},
		{op: "istartswith", v: "HAYSTACK needle haystack", p: "haystack", want: true},
		{op: "istartswith", v: "hasystack needle haystack", p: "NEEDLE"},
		{op: "istartswith", v: "a hasystack needle haystack", p: "haystack"},
		{op: "istartswith", v: "1", p: nil},
		{op: "istartswith", v: "abc", p: int64(1), err: "AttributeError"},
		{op: "endswith", v: "hasystack needle haystackend", p: "haystackend", want: true},
		{op: "endswith", v: "a hasystack needle haystack b", p: "b", want: true},
		{op: "endswith", v: "hasystack needle haystackend", p: "haystack"},
		{op: "endswith", v: "a hasystack needle haystack", p: "a"},
		{op: "endswith", v: "1", p: nil},
		{op: "endswith", v: int64(10), p: "0", err: "AttributeError"},
		{op: "iendswith", v: "haystack needle haystackEND", p: "HAYstackend", want: true},
		{op: "iendswith", v: "HAYSTACK needle haystackend", p: "haystackEND", want: true},
		{op: "iendswith", v: "hasystack needle haystack", p: "NEEDLE"},
		{op: "iendswith", v: "a hasystack needle haystack", p: "a "},
		{op: "iendswith", v: "1", p: nil},

		// lessthan / greaterthan: Python ordering
		{op: "lessthan", v: int64(1), p: int64(2), want: true},
		{op: "lessthan", v: "a", p: "b", want: true},
		{op: "lessthan", v: "aba", p: "bcb", want: true},
		{op: "lessthan", v: int64(1), p: int64(1)},
		{op: "lessthan", v: "1", p: nil},
		{op: "lt", v: 1.5, p: int64(2), want: true},
		{op: "lt", v: "10", p: "9", want: true}, // strings order by code point
		{op: "lt", v: j(t, `[1, 2]`), p: j(t, `[1, 3]`), want: true},
		{op: "lt", v: nil, p: int64(1), err: "TypeError"},
		{op: "lt", v: "1", p: int64(2), err: "TypeError"},
		{op: "greaterthan", v: int64(2), p: int64(1), want: true},
		{op: "greaterthan", v: int64(2), p: int64(3)},
		{op: "greaterthan", v: "1", p: nil},
		{op: "gt", v: true, p: int64(0), want: true},
		{op: "gt", v: j(t, `{"a": 1}`), p: j(t, `{"a": 0}`), err: "TypeError"},

		// timediff: now − value in seconds against float(pattern)
		{op: "timediff_lt", v: now, p: int64(10), want: true},
		{op: "timediff_lt", v: "2014-07-01T00:01:01.000000", p: int64(10)},
		{op: "timediff_lt", v: "2014-07-01T00:01:01.000000", p: nil},
		{op: "timediff_lt", v: now, p: "10", want: true},
		{op: "timediff_lt", v: "2014-07-01T00:01:01.000000", p: "10"},
		{op: "timediff_gt", v: "2014-07-01T00:01:01.000000", p: int64(1), want: true},
		{op: "timediff_gt", v: now, p: int64(10)},
		{op: "timediff_gt", v: "2014-07-01T00:01:01.000000", p: nil},
		{op: "timediff_gt", v: "2014-07-01T00:01:01.000000", p: "1", want: true},
		{op: "timediff_gt", v: now, p: "10"},
		{op: "td_lt", v: "2024-05-01T11:59:55Z", p: int64(10), want: true},
		{op: "td_lt", v: "2024-05-01T11:59:45Z", p: int64(10)},
		{op: "td_gt", v: "2024-05-01T13:59:45+02:00", p: 10.5, want: true},
		{op: "td_gt", v: "2024-05-01 11:59:50.25", p: 9.5, want: true},
		{op: "td_lt", v: "Wed, 01 May 2024 11:59:58 GMT", p: int64(5), want: true},
		{op: "td_lt", v: "2024-05-01", p: int64(10)},
		{op: "td_lt", v: "soon", p: int64(10), err: "ParserError"},
		{op: "td_lt", v: now, p: "ten", err: "ValueError"},
		{op: "td_lt", v: now, p: j(t, `[1]`), err: "TypeError"},

		// exists / nexists: the value is not None / is None
		{op: "exists", v: false, want: true},
		{op: "exists", v: int64(1), want: true},
		{op: "exists", v: "foo", want: true},
		{op: "exists", v: "", want: true},
		{op: "exists", v: nil},
		{op: "nexists", v: false},
		{op: "nexists", v: int64(1)},
		{op: "nexists", v: "foo"},
		{op: "nexists", v: nil, want: true},
		{op: "exists", v: nil, p: "ignored"},

		// inside / ninside: the value in the pattern
		{op: "inside", v: "a", p: nil},
		{op: "inside", v: "a", p: "bcd"},
		{op: "inside", v: "a", p: "abc", want: true},
		{op: "in", v: "b", p: j(t, `["a", "b"]`), want: true},
		{op: "in", v: int64(2), p: j(t, `[1, 2.0]`), want: true},
		{op: "in", v: "k", p: j(t, `{"k": 0}`), want: true},
		{op: "in", v: int64(1), p: "123", err: "TypeError"},
		{op: "in", v: "a", p: int64(1), err: "TypeError"},
		{op: "ninside", v: "a", p: nil},
		{op: "ninside", v: "a", p: "abc"},
		{op: "ninside", v: "a", p: "bcd", want: true},
		{op: "nin", v: "c", p: j(t, `["a", "b"]`), want: true},
	}
	env := &Env{Now: testNow}
	for _, c := range cases {
		name := c.op + "(" + expr.Repr(c.v) + ", " + expr.Repr(c.p) + ")"
		t.Run(name, func(t *testing.T) {
			op, err := Operators.Lookup(c.op)
			if err != nil {
				t.Fatal(err)
			}
			got, err := op(c.v, c.p, env)
			if c.err != "" {
				var pe *expr.PyError
				if !errors.As(err, &pe) || pe.Type != c.err {
					t.Fatalf("got %v, %v; want a %s", got, err, c.err)
				}
				return
			}
			if err != nil {
				t.Fatalf("unexpected error: %v", err)
			}
			if got != c.want {
				t.Fatalf("got %v, want %v", got, c.want)
			}
		})
	}
}

func TestRegistry(t *testing.T) {
	want := []string{"contains", "endswith", "eq", "equals", "exists", "greaterthan", "gt", "icontains",
		"iendswith", "ieq", "iequals", "in", "incontains", "inside", "iregex", "istartswith", "lessthan",
		"lt", "matchregex", "matchwildcard", "ncontains", "neq", "nequals", "nexists", "nin", "ninside",
		"regex", "search", "startswith", "td_gt", "td_lt", "timediff_gt", "timediff_lt"}
	if got := Operators.Names(); strings.Join(got, " ") != strings.Join(want, " ") {
		t.Errorf("Names() = %v\nwant      %v", got, want)
	}
	for _, name := range []string{"equals", "EQUALS", "Equals"} {
		if _, err := Operators.Lookup(name); err != nil {
			t.Errorf("Lookup(%q): %v", name, err)
		}
	}
	if Operators.Has("EQUALS") || !Operators.Has("equals") {
		t.Error("Has must be case-sensitive, as StackStorm's validation is")
	}
	_, err := Operators.Lookup("weird")
	var unknown *UnknownOperatorError
	if !errors.As(err, &unknown) || !strings.Contains(err.Error(), `"weird"`) || !strings.Contains(err.Error(), "matchwildcard") {
		t.Errorf("Lookup(weird) = %v; want an error listing the known operators", err)
	}
	for _, bad := range []struct {
		name string
		op   Operator
	}{{"", opExists}, {"Upper", opExists}, {"nilop", nil}, {"equals", opExists}} {
		func() {
			defer func() {
				if recover() == nil {
					t.Errorf("Register(%q) did not panic", bad.name)
				}
			}()
			r := NewRegistry()
			RegisterBuiltins(r)
			r.Register(bad.name, bad.op)
		}()
	}
}

// searchCheck is StackStorm's test helper for search: it applies the
// nested criterion's operator to the item's "to_value", whatever the key.
func searchCheck(c *Criterion, item any) (bool, error) {
	op, err := Operators.Lookup(c.Type)
	if err != nil {
		return false, err
	}
	v, _ := item.(*expr.Dict).Get("to_value")
	return op(v, c.Pattern, &Env{})
}

func TestSearchConditions(t *testing.T) {
	water := func(a, b int64) any {
		return []any{
			expr.DictOf("field_name", "waterLevel", "to_value", a),
			expr.DictOf("field_name", "waterLevel", "to_value", b),
		}
	}
	crit := func(specs ...any) *expr.Dict { return expr.DictOf(specs...) }
	gt40, lt50 := crit("type", "greaterthan", "pattern", int64(40)), crit("type", "lessthan", "pattern", int64(50))
	eq46, lt40, gt50 := crit("type", "equals", "pattern", int64(46)), crit("type", "lessthan", "pattern", int64(40)), crit("type", "greaterthan", "pattern", int64(50))
	three := expr.DictOf("item.waterLevel#1", gt40, "item.waterLevel#2", lt50, "item.waterLevel#3", eq46)
	two := expr.DictOf("item.waterLevel#1", gt40, "item.waterLevel#2", lt50)
	cases := []struct {
		name    string
		cond    string
		value   any
		pattern *expr.Dict
		want    bool
	}{
		{"any2any matches", CondAny2Any, water(30, 45), expr.DictOf("item.waterLevel#1", lt40, "item.waterLevel#2", gt50), true},
		{"any2any misses", CondAny2Any, water(44, 45), expr.DictOf("item.waterLevel#1", lt40, "item.waterLevel#2", gt50), false},
		{"any needs one item to pass all", CondAny, water(45, 20), three, false},
		{"any with a passing item", CondAny, water(46, 20), three, true},
		{"any with two criteria", CondAny, water(45, 20), two, true},
		{"all2any", CondAll2Any, water(45, 20), three, true},
		{"all2any misses", CondAll2Any, water(45, 20), expr.DictOf("item.waterLevel#1", gt40, "item.waterLevel#2", gt40, "item.waterLevel#3", eq46), false},
		{"all", CondAll, water(45, 46), two, true},
		{"all misses", CondAll, water(30, 46), two, false},
		{"all with three criteria", CondAll, water(45, 46), three, false},
		{"a dict is a list of one", CondAll, expr.DictOf("field_name", "waterLevel", "to_value", int64(45)), two, true},
		{"a dict is a list of one (miss)", CondAll, expr.DictOf("field_name", "waterLevel", "to_value", int64(30)), two, false},
		{"all of nothing", CondAll, []any{}, two, true},
		{"any of nothing", CondAny, []any{}, two, false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got, err := opSearch(c.value, c.pattern, &Env{Condition: c.cond, Check: searchCheck})
			if err != nil || got != c.want {
				t.Fatalf("got %v, %v; want %v", got, err, c.want)
			}
		})
	}
	for _, cond := range []string{"weird", ""} {
		_, err := opSearch([]any{}, expr.NewDict(0), &Env{Condition: cond, Check: searchCheck})
		if !expr.IsPyError(err, "UnrecognizedConditionError") {
			t.Errorf("condition %q: got %v, want UnrecognizedConditionError", cond, err)
		}
	}
	if _, err := opSearch(nil, two, &Env{Condition: CondAny, Check: searchCheck}); !expr.IsPyError(err, "TypeError") {
		t.Errorf("search over None: got %v, want TypeError", err)
	}
	if _, err := opSearch(water(1, 2), "not criteria", &Env{Condition: CondAny, Check: searchCheck}); !expr.IsPyError(err, "AttributeError") {
		t.Errorf("search with a string pattern: got %v, want AttributeError", err)
	}
}

// TestSearchEvaluatesEverything checks StackStorm's eager evaluation: every
// nested criterion runs against every item, in order, with no short cut.
func TestSearchEvaluatesEverything(t *testing.T) {
	items := []any{
		expr.DictOf("field_name", "Status", "to_value", "Approved"),
		expr.DictOf("field_name", "Assigned to", "to_value", "Stanley"),
	}
	pattern := expr.DictOf(
		"item.field_name", expr.DictOf("type", "equals", "pattern", "Status"),
		"item.to_value", expr.DictOf("type", "equals", "pattern", "Approved"))
	for _, c := range []struct {
		cond string
		// answers are the check's results, in call order
		answers []bool
		want    bool
	}{
		{CondAny, []bool{true, true, false, false}, true},
		{CondAny, []bool{false, true, false, true}, false},
		{CondAll, []bool{false, true, false, true}, false},
		{CondAll, []bool{true, true, true, true}, true},
	} {
		var calls []string
		check := func(nc *Criterion, item any) (bool, error) {
			name, _ := item.(*expr.Dict).Get("field_name")
			calls = append(calls, nc.Key+"@"+name.(string))
			return c.answers[len(calls)-1], nil
		}
		got, err := opSearch(items, pattern, &Env{Condition: c.cond, Check: check})
		if err != nil || got != c.want {
			t.Errorf("%s %v: got %v, %v; want %v", c.cond, c.answers, got, err, c.want)
		}
		wantCalls := "item.field_name@Status item.to_value@Status item.field_name@Assigned to item.to_value@Assigned to"
		if strings.Join(calls, " ") != wantCalls {
			t.Errorf("%s: calls %q, want %q", c.cond, calls, wantCalls)
		}
	}
}

func TestWildcardTranslation(t *testing.T) {
	for pat, want := range map[string]string{
		"a*b":   `(?s)\Aa.*b\z`,
		"[!a]":  `(?s)\A[^\x{61}]\z`,
		"[a-c]": `(?s)\A[\x{61}-\x{63}]\z`,
		"[x":    `(?s)\A\[x\z`,
		"[]":    `(?s)\A\[\]\z`,
		"[z-a]": `(?s)\A` + neverMatch + `\z`,
		"a.b":   `(?s)\Aa\.b\z`,
	} {
		got, err := translateWildcard(pat)
		if err != nil || got != want {
			t.Errorf("translateWildcard(%q) = %q, %v; want %q", pat, got, err, want)
		}
	}
}
