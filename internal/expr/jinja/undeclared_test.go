package jinja

import (
	"slices"
	"testing"
)

// TestUndeclaredVariables compares with Jinja 3.1's
// meta.find_undeclared_variables on StackStorm's environment (sets, so
// compared sorted).
func TestUndeclaredVariables(t *testing.T) {
	tests := []struct {
		src  string
		want []string
	}{
		{"{{ a.b }} {{ c['x'] }} {{ a }}", []string{"a", "c"}},
		{"{% set x = 1 %}{{ x }}", nil},
		{"{{ x }}{% set x = 1 %}", []string{"x"}},
		{"{% set x = x + 1 %}", []string{"x"}},
		{"{% if a %}{% set x = 1 %}{% endif %}", []string{"a", "x"}},
		{"{% if a %}{% set x = 1 %}{% else %}{% set x = 2 %}{% endif %}{{ x }}", []string{"a", "x"}},
		{"{% if a %}{% set x = 1 %}{% elif b %}{% set x = 3 %}{% else %}{% set x = 2 %}{% endif %}{{ x }}", []string{"a", "b", "x"}},
		{"{% for i in items %}{{ i }}{{ other }}{{ loop.index }}{% endfor %}", []string{"items", "other"}},
		{"{% for i in items %}{{ x }}{% endfor %}{% set x = 1 %}", []string{"items"}},
		{"{% for i in items if i > lim %}{{ i }}{% else %}{{ loop }}{{ e }}{% endfor %}", []string{"e", "items", "lim", "loop"}},
		{"{% for k, v in d.items() %}{{ k }}{{ v }}{% endfor %}", []string{"d"}},
		{"{% macro m(a, b=dflt) %}{{ a }}{{ b }}{{ outer }}{{ varargs }}{{ caller() }}{% endmacro %}{{ m(1) }}", []string{"dflt", "outer"}},
		{"{% call(x) m(arg) %}{{ x }}{{ y }}{% endcall %}", []string{"arg", "m", "y"}},
		{"{% filter upper %}{{ z }}{% endfilter %}", []string{"z"}},
		{"{% filter replace(a, b) %}{{ z }}{% endfilter %}", []string{"a", "b", "z"}},
		{"{% with p = q %}{{ p }}{{ r }}{% endwith %}", []string{"q", "r"}},
		{"{% set ns = namespace(v=0) %}{% set ns.v = w %}{{ ns.v }}", []string{"w"}},
		{"{% set ns.v = w %}", []string{"ns", "w"}},
		{"{% set blk %}{{ inner }}{% endset %}{{ blk }}", []string{"inner"}},
		{"{% set blk | upper %}{{ inner }}{% endset %}", []string{"inner"}},
		{"{% block b %}{{ inb }}{% endblock %}", []string{"inb"}},
		{"{% set x = 1 %}{% block b %}{{ x }}{% endblock %}", []string{"x"}},
		{"{{ range(3) }}{{ dict(a=1) }}{{ lipsum }}{{ cycler }}{{ joiner }}{{ namespace }}", nil},
		{"{{ x if y else z }}{{ [l1, l2] }}{{ {k1: v1} }}{{ f(g, *h, kw=i, **j) }}", []string{"f", "g", "h", "i", "j", "k1", "l1", "l2", "v1", "x", "y", "z"}},
		{"{{ s[a:b:c] }}{{ n is divisibleby(m) }}{{ t | default(u) }}", []string{"a", "b", "c", "m", "n", "s", "t", "u"}},
		{"{% for i in l %}{% set acc = i %}{% endfor %}{{ acc }}", []string{"acc", "l"}},
		{"{% for i in l recursive %}{{ loop(i.children) }}{% endfor %}", []string{"l"}},
		{"{{ loop }}", []string{"loop"}},
		{"{% if x %}{{ loop }}{% endif %}", []string{"loop", "x"}},
		{"{% autoescape true %}{% set q = 1 %}{% endautoescape %}{{ q }}", []string{"q"}},
		{"{% for a, b in pairs %}{% for c in b %}{{ a }}{{ c }}{{ d }}{% endfor %}{% endfor %}", []string{"d", "pairs"}},
		{"{% macro m() %}{% set inner = 1 %}{{ inner }}{% endmacro %}{{ inner }}", []string{"inner"}},
		{"{% if a %}{% for i in l %}{{ i }}{% endfor %}{% set y = 1 %}{% endif %}", []string{"a", "l", "y"}},
		{"{% with %}{% set w = 1 %}{{ w }}{% endwith %}{{ w }}", []string{"w"}},
		{"{{ caller }}", []string{"caller"}},
		{"{% set a, b = c %}{{ a }}{{ b }}", []string{"c"}},
		{"{% include 'x' %}", nil},
		{"{{ x.y.z }} {{ true }} {{ None }}", []string{"x"}},
		{"{{ self }}", nil},
		{"{% for i in l if loop %}{{ i }}{% endfor %}", []string{"l", "loop"}},
		{"{% for x in l %}{% block b %}{{ loop }}{{ x }}{% endblock %}{% endfor %}", []string{"l", "loop", "x"}},
		{"{% macro m(a) %}{% block b %}{{ a }}{% endblock %}{% endmacro %}", []string{"a"}},
		{"{% block b %}{{ self }}{{ super() }}{% endblock %}", nil},
		{"{% with a = 1, b = a %}{{ b }}{% endwith %}", []string{"a"}},
		{"{% if a %}{% set x = 1 %}{% endif %}{% for i in l %}{{ x }}{% endfor %}", []string{"a", "l", "x"}},
		{"{% for i in l %}{% if i %}{% set z = 1 %}{% endif %}{% endfor %}", []string{"l", "z"}},
		{"{% set x = 1 %}{% for i in l %}{% if i %}{% set x = 2 %}{% endif %}{% endfor %}", []string{"l"}},
		{"{% call m(a) %}{{ caller }}{{ varargs }}{% endcall %}", []string{"a", "m"}},
		{"{% macro m(x, y=x) %}{{ y }}{% endmacro %}", nil},
		{"{% if a %}{% elif b %}{% set e = 1 %}{% endif %}{{ e }}", []string{"a", "b", "e"}},
	}
	for _, tc := range tests {
		tmpl, err := ST2.Parse(tc.src)
		if err != nil {
			t.Errorf("%q: %v", tc.src, err)
			continue
		}
		got := tmpl.UndeclaredVariables()
		sorted := slices.Sorted(slices.Values(got))
		if !slices.Equal(sorted, tc.want) {
			t.Errorf("%q: got %q, want %q", tc.src, got, tc.want)
		}
	}
}

func TestUndeclaredVariablesOrder(t *testing.T) {
	tmpl, err := ST2.Parse("{% for i in l %}{{ a }}{% endfor %}{{ b }}{{ c['x'] }}{{ b }}")
	if err != nil {
		t.Fatal(err)
	}
	if got, want := tmpl.UndeclaredVariables(), []string{"l", "a", "b", "c"}; !slices.Equal(got, want) {
		t.Fatalf("got %q, want %q (order of first use)", got, want)
	}
}
