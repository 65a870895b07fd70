package expr

import (
	"encoding/json"
	"errors"
	"math"
	"math/big"
	"strings"
	"testing"

	"github.com/st2go/st2go/internal/pyfmt"
)

func TestDictKeys(t *testing.T) {
	d := NewDict(0)
	d.Set("b", int64(1))
	if err := d.SetKey(int64(1), "int"); err != nil {
		t.Fatal(err)
	}
	d.Set("a", int64(2))
	// 1, 1.0 and True are the same key: the position stays, the value changes.
	if err := d.SetKey(1.0, "float"); err != nil {
		t.Fatal(err)
	}
	if err := d.SetKey(true, "bool"); err != nil {
		t.Fatal(err)
	}
	if got := Repr(d); got != "{'b': 1, 1: 'bool', 'a': 2}" {
		t.Errorf("Repr = %s", got)
	}
	if v, ok, _ := d.Lookup(1.0); !ok || v != "bool" {
		t.Errorf("Lookup(1.0) = %v, %v", v, ok)
	}
	if _, _, err := d.Lookup([]any{}); !IsPyError(err, "TypeError") {
		t.Errorf("Lookup(list) err = %v", err)
	}
	if err := d.SetKey(Tuple{int64(1), "x"}, "tuple"); err != nil {
		t.Fatal(err)
	}
	if v, ok, _ := d.Lookup(Tuple{1.0, "x"}); !ok || v != "tuple" {
		t.Errorf("tuple key lookup = %v, %v", v, ok)
	}
	if ok, _ := d.Delete("b"); !ok {
		t.Error("Delete(b) = false")
	}
	if got := strings.Join(d.Keys(), ","); got != "1,a,(1, 'x')" {
		t.Errorf("Keys after delete = %s", got)
	}
	if v, ok := d.Get("1"); !ok || v != "bool" {
		t.Errorf("Get(\"1\") (JSON view of key 1) = %v, %v", v, ok)
	}
	var om pyfmt.OrderedMap = DictOf("z", int64(1), "a", int64(2))
	if got := pyfmt.JSON(om, -1, false); got != `{"z": 1, "a": 2}` {
		t.Errorf("pyfmt.JSON = %s", got)
	}
}

func TestJSONRoundTrip(t *testing.T) {
	src := `{"z": 1, "a": [1.0, 2.5e-10, -0, 12345678901234567890, null, true, "é\u2713"], "m": {"y": {}, "x": []}}`
	v, err := FromJSON([]byte(src))
	if err != nil {
		t.Fatal(err)
	}
	if got := Repr(v); got != "{'z': 1, 'a': [1.0, 2.5e-10, 0, 12345678901234567890, None, True, 'é✓'], 'm': {'y': {}, 'x': []}}" {
		t.Errorf("Repr = %s", got)
	}
	out, err := ToJSON(v)
	if err != nil {
		t.Fatal(err)
	}
	if want := `{"z": 1, "a": [1.0, 2.5e-10, 0, 12345678901234567890, null, true, "\u00e9\u2713"], "m": {"y": {}, "x": []}}`; out != want {
		t.Errorf("ToJSON = %s\nwant     %s", out, want)
	}
	b, err := json.Marshal(map[string]any{"d": v})
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(string(b), `{"d":{"z":1,"a":[1.0,`) {
		t.Errorf("json.Marshal keeps order: %s", b)
	}
	var d Dict
	if err := json.Unmarshal([]byte(`{"b": 1, "a": 2.0}`), &d); err != nil || Repr(&d) != "{'b': 1, 'a': 2.0}" {
		t.Errorf("UnmarshalJSON = %s, %v", Repr(&d), err)
	}
	for _, bad := range []string{"", "{", `{"a":1} x`, "[1,]", "NaN"} {
		if _, err := FromJSON([]byte(bad)); err == nil {
			t.Errorf("FromJSON(%q) succeeded", bad)
		}
	}
	if _, err := ToJSON(DictOf("s", mustSet(t, int64(1)))); !IsPyError(err, "TypeError") {
		t.Errorf("ToJSON(set) err = %v", err)
	}
	nk := NewDict(0)
	_ = nk.SetKey(nil, 1.5)
	_ = nk.SetKey(false, math.Inf(1))
	if got, _ := ToJSON(nk); got != `{"null": 1.5, "false": Infinity}` {
		t.Errorf("non-string keys: %s", got)
	}
}

func mustSet(t *testing.T, elems ...any) *Set {
	s, err := NewSet(elems...)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func TestTruthEqualCompare(t *testing.T) {
	big1 := new(big.Int).Lsh(big.NewInt(1), 70)
	for _, v := range []any{nil, false, int64(0), 0.0, "", []any{}, Tuple{}, NewDict(0), mustSet(t), new(big.Int)} {
		if Truthy(v) {
			t.Errorf("Truthy(%s) = true", Repr(v))
		}
	}
	for _, v := range []any{true, int64(-1), 0.1, "0", []any{nil}, Tuple{nil}, DictOf("a", nil), big1} {
		if !Truthy(v) {
			t.Errorf("Truthy(%s) = false", Repr(v))
		}
	}
	equal := [][2]any{{int64(1), 1.0}, {true, int64(1)}, {big1, new(big.Int).Set(big1)}, {float64(1 << 62), int64(1 << 62)},
		{DictOf("a", int64(1), "b", int64(2)), DictOf("b", 2.0, "a", true)}, {mustSet(t, int64(1), "a"), mustSet(t, "a", 1.0)}}
	for _, p := range equal {
		if !Equal(p[0], p[1]) {
			t.Errorf("Equal(%s, %s) = false", Repr(p[0]), Repr(p[1]))
		}
	}
	notEqual := [][2]any{{[]any{int64(1)}, Tuple{int64(1)}}, {"1", int64(1)}, {nil, false}, {math.NaN(), math.NaN()},
		{float64(1<<53) + 0, int64(1<<53 + 1)}}
	for _, p := range notEqual {
		if Equal(p[0], p[1]) {
			t.Errorf("Equal(%s, %s) = true", Repr(p[0]), Repr(p[1]))
		}
	}
	if _, err := Compare("a", int64(1)); err == nil || err.Error() != "TypeError: '<' not supported between instances of 'str' and 'int'" {
		t.Errorf("Compare(str, int) err = %v", err)
	}
	if c, _ := Compare(big1, math.Inf(1)); c != -1 {
		t.Errorf("Compare(2**70, inf) = %d", c)
	}
	if lt, _ := CompareOp("<", mustSet(t, int64(1)), mustSet(t, int64(1), int64(2))); !lt {
		t.Error("{1} < {1, 2} = false")
	}
}

func TestArithOverflow(t *testing.T) {
	r, err := Arith(OpMul, int64(math.MaxInt64), int64(2), nil)
	if err != nil || Repr(r) != "18446744073709551614" {
		t.Errorf("MaxInt64*2 = %v, %v", Repr(r), err)
	}
	r, _ = Arith(OpSub, r, r, nil)
	if _, ok := r.(int64); !ok {
		t.Errorf("big - big = %T, want int64 back", r)
	}
	_, err = Arith(OpMul, "x", int64(1<<40), NewBudget(nil, Limits{MaxOutput: 1 << 20}))
	if !errors.Is(err, ErrLimit) {
		t.Errorf("'x' * 2**40 err = %v", err)
	}
	_, err = Arith(OpPow, int64(3), int64(1<<40), NewBudget(nil, Limits{}))
	if !errors.Is(err, ErrLimit) {
		t.Errorf("3 ** 2**40 err = %v", err)
	}
}

func TestFromGo(t *testing.T) {
	type local int
	v, err := FromGo(map[string]any{"b": []string{"x"}, "a": map[int]float32{1: 1.5}, "c": local(3), "n": json.Number("1e2"), "p": (*int)(nil)})
	if err != nil {
		t.Fatal(err)
	}
	if got := Repr(v); got != "{'a': {1: 1.5}, 'b': ['x'], 'c': 3, 'n': 100.0, 'p': None}" {
		t.Errorf("FromGo = %s", got)
	}
	if _, err := FromGo(struct{}{}); err == nil {
		t.Error("FromGo(struct) succeeded")
	}
	g := ToGo(DictOf("t", Tuple{int64(1)}, "b", new(big.Int).Lsh(big.NewInt(1), 64)))
	b, _ := json.Marshal(g)
	if string(b) != `{"b":18446744073709551616,"t":[1]}` {
		t.Errorf("ToGo → JSON = %s", b)
	}
}

func TestErrorPosition(t *testing.T) {
	e := &Error{Lang: "jinja", Expr: "ab\ncdé{{ x }}", Pos: 7, Err: Errorf("UndefinedError", "'x' is undefined")}
	if line, col := e.Position(); line != 2 || col != 4 {
		t.Errorf("Position = %d:%d", line, col)
	}
	if want := `evaluating jinja expression "ab\ncdé{{ x }}" at 2:4: UndefinedError: 'x' is undefined`; e.Error() != want {
		t.Errorf("Error() = %s", e.Error())
	}
	if !IsPyError(e, "UndefinedError") {
		t.Error("IsPyError through *Error = false")
	}
}
