package client

import "testing"

// The problem texts are what st2client prints after "Unable to retrieve
// detailed message from the HTTP response." for each body: orjson
// 3.10 (yyjson) decode errors formatted by Python's JSONDecodeError,
// UnicodeDecodeError, or the AttributeError of calling .get on a non-dict.
func TestErrorDetail(t *testing.T) {
	for _, c := range []struct {
		name, body, fault, problem string
	}{
		{"fault", `{"faultstring": "Action x not found"}`, "Action x not found", ""},
		{"empty fault", `{"faultstring": ""}`, "", ""},
		{"no fault", `{"error": "x"}`, "", ""},
		{"non-string fault", `{"faultstring": 42}`, "42", ""},
		{"empty object", `{}`, "", ""},
		{"empty list", `[]`, "", ""},
		{"null", `null`, "", ""},
		{"zero", `0`, "", ""},
		{"list", `["a"]`, "", "'list' object has no attribute 'get'"},
		{"string", `"oops"`, "", "'str' object has no attribute 'get'"},
		{"int", `5`, "", "'int' object has no attribute 'get'"},
		{"go 404", "404 page not found\n", "", "unexpected content after document: line 1 column 5 (char 4)"},
		{"zero length", "", "", "Input is a zero-length, empty document: line 1 column 1 (char 0)"},
		{"blank", "  \n", "", "input data is empty: line 1 column 1 (char 0)"},
		{"html", "<html>bad gateway</html>", "", "unexpected character: line 1 column 1 (char 0)"},
		{"text on line 3", "\n\nOops", "", "unexpected character: line 3 column 1 (char 2)"},
		{"word like a literal", "not found", "", "invalid literal: line 1 column 1 (char 0)"},
		{"cut literal", "tr", "", "unexpected end of data: line 1 column 3 (char 2)"},
		{"garbage after object, counted in characters", `{"faultstring": "é"} x`, "", "unexpected content after document: line 1 column 22 (char 21)"},
		{"truncated object", `{"a": `, "", "unexpected end of data: line 1 column 7 (char 6)"},
		{"minus alone", "-x", "", "no digit after minus sign: line 1 column 2 (char 1)"},
		{"bad utf-8", "\xff", "", "'utf-8' codec can't decode byte 0xff in position 0: invalid start byte"},
		{"cut utf-8", "ab\xe6\x97", "", "'utf-8' codec can't decode bytes in position 2-3: unexpected end of data"},
		{"bad continuation", "a\xe6x", "", "'utf-8' codec can't decode byte 0xe6 in position 1: invalid continuation byte"},
	} {
		t.Run(c.name, func(t *testing.T) {
			fault, problem := errorDetail([]byte(c.body))
			if fault != c.fault || problem != c.problem {
				t.Errorf("got (%q, %q), want (%q, %q)", fault, problem, c.fault, c.problem)
			}
		})
	}
}
