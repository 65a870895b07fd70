package rules

import (
	"errors"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/st2go/st2go/internal/expr"
)

// TestOperatorsAgainstPython replays testdata/operators_python.json:
// StackStorm's operators.py run by Python over a cross product of JSON
// operands (testdata/gen_operators.py regenerates it). Outcomes must be
// equal, and errors of the same Python class with the same message,
// except regex and date parsing errors, whose wording comes from other
// engines.
func TestOperatorsAgainstPython(t *testing.T) {
	data, err := os.ReadFile("testdata/operators_python.json")
	if err != nil {
		t.Fatal(err)
	}
	v, err := expr.FromJSON(data)
	if err != nil {
		t.Fatal(err)
	}
	doc := v.(*expr.Dict)
	field := func(name string) any {
		x, ok := doc.Get(name)
		if !ok {
			t.Fatalf("corpus has no %q", name)
		}
		return x
	}
	now, err := time.Parse(time.RFC3339, field("now").(string))
	if err != nil {
		t.Fatal(err)
	}
	values, patterns, errs := field("values").([]any), field("patterns").([]any), field("errors").([]any)
	env := &Env{Now: now}
	n, failed := 0, 0
	field("results").(*expr.Dict).Range(func(k, rows any) bool {
		name := k.(string)
		op, err := Operators.Lookup(name)
		if err != nil {
			t.Fatal(err)
		}
		for i, row := range rows.([]any) {
			toks := strings.Fields(row.(string))
			if len(toks) != len(patterns) {
				t.Fatalf("%s row %d has %d results for %d patterns", name, i, len(toks), len(patterns))
			}
			for j, tok := range toks {
				if tok == "-" {
					continue
				}
				want := tok
				if strings.HasPrefix(tok, "E") {
					idx, _ := strconv.Atoi(tok[1:])
					want = errs[idx].(string)
				}
				got, err := op(values[i], patterns[j], env)
				n++
				if msg := compareOutcome(got, err, want); msg != "" {
					failed++
					if failed <= 50 {
						t.Errorf("%s(%s, %s): %s", name, expr.Repr(values[i]), expr.Repr(patterns[j]), msg)
					}
				}
			}
		}
		return true
	})
	if n < 10000 {
		t.Fatalf("only %d cases read", n)
	}
	if failed > 0 {
		t.Errorf("%d of %d cases differ from Python", failed, n)
	}
}

// compareOutcome compares an operator's outcome with Python's: "T", "F"
// or "<class>: <message>".
func compareOutcome(got bool, err error, want string) string {
	show := map[bool]string{true: "T", false: "F"}
	if want == "T" || want == "F" {
		switch {
		case err != nil:
			return "got error " + err.Error() + ", want " + want
		case show[got] != want:
			return "got " + show[got] + ", want " + want
		}
		return ""
	}
	class, msg, _ := strings.Cut(want, ": ")
	if err == nil {
		return "got " + show[got] + ", want " + want
	}
	var pe *expr.PyError
	if !errors.As(err, &pe) {
		return "got a non-Python error " + err.Error() + ", want " + want
	}
	switch {
	case class == "error": // re.error
		if pe.Type == "re.error" {
			return ""
		}
	case class == "ParserError" || (class == "ValueError" && !strings.HasPrefix(msg, "could not convert")):
		if pe.Type == "ParserError" || pe.Type == "ValueError" {
			return ""
		}
	case pe.Type == class && pe.Msg == msg:
		return ""
	}
	return "got " + err.Error() + ", want " + want
}
