package pyyaml

import "testing"

func TestResolve(t *testing.T) {
	cases := map[string]Kind{
		"":           Null,
		"~":          Null,
		"NULL":       Null,
		"yes":        Bool,
		"Off":        Bool,
		"0777":       Int,
		"0x1F":       Int,
		"1_000":      Int,
		"1:30":       Int,
		"1e3":        Str, // YAML 1.1 needs a dot and a signed exponent
		"1.0e+3":     Float,
		".inf":       Float,
		"2001-12-14": Timestamp,
		"yess":       Str,
		"<<":         Str,
	}
	for in, want := range cases {
		if got := Resolve(in); got != want {
			t.Errorf("Resolve(%q) = %d, want %d", in, got, want)
		}
	}
}

func TestPlainIsString(t *testing.T) {
	for in, want := range map[string]bool{"hello": true, "true": false, "12": false, "<<": false, "=": false, "1e3": true} {
		if got := PlainIsString(in); got != want {
			t.Errorf("PlainIsString(%q) = %v, want %v", in, got, want)
		}
	}
}

func TestEmitterQuotesWhatWouldNotReadBack(t *testing.T) {
	e := NewEmitter(Options{Indent: 2, Width: 80})
	e.BeginMapping()
	for _, kv := range [][2]string{{"a", "yes"}, {"b", "plain"}, {"c", "it's: here"}} {
		e.MappingKey()
		e.Scalar(kv[0], true, false, true)
		e.MappingValue()
		e.Scalar(kv[1], true, false, false)
	}
	e.EndCollection()
	want := "a: 'yes'\nb: plain\nc: 'it''s: here'\n"
	if got := e.End(); got != want {
		t.Errorf("got %q, want %q", got, want)
	}
}
