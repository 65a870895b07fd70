package expr

import (
	"strings"
	"testing"
)

// TestExamples runs every example of every registered function.
func TestExamples(t *testing.T) {
	for _, spec := range Default.Specs() {
		if spec.Doc == "" {
			t.Errorf("%s: no Doc", spec.Name)
		}
		if spec.Scope == 0 {
			t.Errorf("%s: no Scope", spec.Name)
		}
		for i, ex := range spec.Examples {
			t.Run(spec.Name, func(t *testing.T) {
				var kw []NamedArg
				for k, v := range ex.Kwargs {
					kw = append(kw, NamedArg{Name: k, Value: v})
				}
				got, err := spec.Invoke(NewBudget(t.Context(), Limits{}), ex.Env, ex.Args, kw)
				if ex.Err != "" {
					if err == nil || !strings.Contains(err.Error(), ex.Err) {
						t.Fatalf("example %d %s: got %s, %v; want error containing %q", i, ex.Text, Repr(got), err, ex.Err)
					}
					return
				}
				if err != nil {
					t.Fatalf("example %d %s: %v", i, ex.Text, err)
				}
				if !Equal(got, ex.Want) || TypeName(got) != TypeName(ex.Want) || Repr(got) != Repr(ex.Want) {
					t.Fatalf("example %d %s: got %s (%s), want %s (%s)", i, ex.Text, Repr(got), TypeName(got), Repr(ex.Want), TypeName(ex.Want))
				}
			})
		}
	}
}

func TestEveryFunctionHasExamples(t *testing.T) {
	for _, spec := range Default.Specs() {
		if len(spec.Examples) == 0 && !strings.HasPrefix(spec.Doc, "Alias of ") {
			t.Errorf("%s has no examples", spec.Name)
		}
	}
}

func TestRegistry(t *testing.T) {
	r := NewRegistry()
	fn := func(c *Call) (any, error) { return nil, nil }
	r.Register(FuncSpec{Name: "b", Fn: fn, Scope: ScopeST2})
	r.Register(FuncSpec{Name: "a", Fn: fn, Scope: ScopeOrquesta})
	if got := strings.Join(r.Names(), ","); got != "a,b" {
		t.Errorf("Names() = %s", got)
	}
	_, err := r.Lookup("zz")
	if err == nil || !strings.Contains(err.Error(), `unknown function "zz" (known: a, b)`) {
		t.Errorf("Lookup error = %v", err)
	}
	for _, bad := range []FuncSpec{
		{Name: "", Fn: fn},
		{Name: "x"},
		{Name: "a", Fn: fn},
		{Name: "y", Fn: fn, MinArgs: 2, MaxArgs: 1},
	} {
		func() {
			defer func() {
				if recover() == nil {
					t.Errorf("Register(%+v) did not panic", bad.Name)
				}
			}()
			r.Register(bad)
		}()
	}
}

func TestBind(t *testing.T) {
	spec := &FuncSpec{Name: "f", MinArgs: 1, MaxArgs: 3,
		Params:   []Param{{Name: "a"}, {Name: "b", Default: int64(2)}, {Name: "c", Default: "c"}},
		Keywords: []Param{{Name: "k", Default: false}},
		Fn:       func(c *Call) (any, error) { return nil, nil }}
	tests := []struct {
		name string
		args []any
		kw   []NamedArg
		want string // Repr of Args + Kwargs["k"]
		err  string
	}{
		{"positional", []any{int64(1)}, nil, "[1, 2, 'c'] False", ""},
		{"keyword", []any{int64(1)}, []NamedArg{{"c", "x"}, {"k", true}}, "[1, 2, 'x'] True", ""},
		{"all by name", nil, []NamedArg{{"a", int64(0)}}, "[0, 2, 'c'] False", ""},
		{"missing", nil, nil, "", "missing required argument: 'a'"},
		{"too many", []any{1, 2, 3, 4}, nil, "", "takes from 1 to 3 positional arguments (4 given)"},
		{"twice", []any{int64(1)}, []NamedArg{{"a", int64(1)}}, "", "multiple values for argument 'a'"},
		{"unknown", []any{int64(1)}, []NamedArg{{"z", int64(1)}}, "", "unexpected keyword argument 'z'"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			c, err := spec.Bind(tc.args, tc.kw)
			if tc.err != "" {
				if err == nil || !strings.Contains(err.Error(), tc.err) {
					t.Fatalf("err = %v, want %q", err, tc.err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if got := Repr(c.Args) + " " + Repr(c.Kwargs["k"]); got != tc.want {
				t.Errorf("got %s, want %s", got, tc.want)
			}
		})
	}
}
