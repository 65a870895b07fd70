package pyfmt

import (
	"encoding/json"
	"fmt"
	"math"
	"math/big"
	"strconv"
	"strings"
)

// IsFloat reports whether Python's json.loads makes a float of the JSON
// number literal n (it has a fraction or an exponent) rather than an int.
func IsFloat(n json.Number) bool {
	return strings.ContainsAny(string(n), ".eE")
}

// Number renders a JSON number as Python's repr() shows the int or float
// json.loads makes of it: "-0" as 0, "1e2" as 100.0, "1e400" as inf.
// Text that is no number prints as it is.
func Number(n json.Number) string { return number(n, false) }

// Float renders f as Python's repr() of a float: shortest round-trip
// digits, always with a fraction or an exponent ("5.0", "1e-05",
// "1.5e+16"), and nan, inf, -inf.
func Float(f float64) string { return floatRepr(f, false) }

func number(n json.Number, forJSON bool) string {
	s := string(n)
	if !IsFloat(n) {
		if i, err := strconv.ParseInt(s, 10, 64); err == nil {
			return strconv.FormatInt(i, 10)
		}
		// Python ints have no size limit.
		if i, ok := new(big.Int).SetString(s, 10); ok {
			return i.String()
		}
		return s
	}
	f, err := strconv.ParseFloat(s, 64)
	if err != nil && !math.IsInf(f, 0) { // out of range is inf, as in Python
		return s
	}
	return floatRepr(f, forJSON)
}

// isSmallInteger reports whether f has no fraction and converts to an
// int64 exactly enough to print as one.
func isSmallInteger(f float64) bool {
	return f == math.Trunc(f) && math.Abs(f) < 1e16
}

// floatRepr is Python's repr(float); forJSON spells the non-finite values
// as json.dumps does (NaN, Infinity, -Infinity).
func floatRepr(f float64, forJSON bool) string {
	switch {
	case math.IsNaN(f) && forJSON:
		return "NaN"
	case math.IsNaN(f):
		return "nan"
	case math.IsInf(f, 1) && forJSON:
		return "Infinity"
	case math.IsInf(f, 1):
		return "inf"
	case math.IsInf(f, -1) && forJSON:
		return "-Infinity"
	case math.IsInf(f, -1):
		return "-inf"
	}
	// Go finds the shortest digits that round-trip, as Python does; only
	// the layout differs. Python writes d.ddde±XX when the decimal point
	// would fall more than 16 digits to the right of the first digit or
	// more than 4 to its left, and a plain decimal with at least one
	// fractional digit otherwise.
	e := strconv.FormatFloat(f, 'e', -1, 64) // [-]d.ddde±XX
	sign := ""
	if e[0] == '-' {
		sign, e = "-", e[1:]
	}
	mant, expText, _ := strings.Cut(e, "e")
	exp, _ := strconv.Atoi(expText)
	digits := strings.Replace(mant, ".", "", 1)
	point := exp + 1 // digits before the decimal point
	switch {
	case point > 16 || point < -3:
		m := digits[:1]
		if len(digits) > 1 {
			m += "." + digits[1:]
		}
		expSign := "+"
		if exp < 0 {
			expSign, exp = "-", -exp
		}
		return fmt.Sprintf("%s%se%s%02d", sign, m, expSign, exp)
	case point <= 0:
		return sign + "0." + strings.Repeat("0", -point) + digits
	case point >= len(digits):
		return sign + digits + strings.Repeat("0", point-len(digits)) + ".0"
	}
	return sign + digits[:point] + "." + digits[point:]
}
