package expr

import (
	"math/big"
	"regexp"
	"strconv"
	"strings"
)

// semver is a parsed semantic version (python-semver 3's Version).
type semver struct {
	major, minor, patch *big.Int
	pre, build          string
}

var semverRe = regexp.MustCompile(`^(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)` +
	`(?:-((?:0|[1-9][0-9]*|[0-9]*[a-zA-Z-][0-9a-zA-Z-]*)(?:\.(?:0|[1-9][0-9]*|[0-9]*[a-zA-Z-][0-9a-zA-Z-]*))*))?(?:\+([0-9a-zA-Z-]+(?:\.[0-9a-zA-Z-]+)*))?$`)

func parseSemver(v any) (*semver, error) {
	s, ok := v.(string)
	if !ok {
		return nil, TypeErrorf("not expecting type '<class '%s'>'", TypeName(v))
	}
	m := semverRe.FindStringSubmatch(s)
	if m == nil {
		return nil, ValueErrorf("%s is not valid SemVer string", s)
	}
	n := func(t string) *big.Int { b, _ := new(big.Int).SetString(t, 10); return b }
	return &semver{major: n(m[1]), minor: n(m[2]), patch: n(m[3]), pre: m[4], build: m[5]}, nil
}

func (v *semver) String() string {
	s := v.major.String() + "." + v.minor.String() + "." + v.patch.String()
	if v.pre != "" {
		s += "-" + v.pre
	}
	if v.build != "" {
		s += "+" + v.build
	}
	return s
}

// compare orders versions by precedence (build metadata ignored).
func (v *semver) compare(o *semver) int {
	for _, p := range [][2]*big.Int{{v.major, o.major}, {v.minor, o.minor}, {v.patch, o.patch}} {
		if c := p[0].Cmp(p[1]); c != 0 {
			return c
		}
	}
	switch {
	case v.pre == o.pre:
		return 0
	case v.pre == "":
		return 1
	case o.pre == "":
		return -1
	}
	a, b := strings.Split(v.pre, "."), strings.Split(o.pre, ".")
	for i := 0; i < len(a) && i < len(b); i++ {
		if c := comparePrePart(a[i], b[i]); c != 0 {
			return c
		}
	}
	switch {
	case len(a) < len(b):
		return -1
	case len(a) > len(b):
		return 1
	}
	return 0
}

func comparePrePart(a, b string) int {
	na, ea := strconv.ParseUint(a, 10, 64)
	nb, eb := strconv.ParseUint(b, 10, 64)
	switch {
	case ea == nil && eb == nil:
		switch {
		case na < nb:
			return -1
		case na > nb:
			return 1
		}
		return 0
	case ea == nil:
		return -1
	case eb == nil:
		return 1
	}
	return strings.Compare(a, b)
}

func versionCompare(a, b any) (int, error) {
	va, err := parseSemver(a)
	if err != nil {
		return 0, err
	}
	vb, err := parseSemver(b)
	if err != nil {
		return 0, err
	}
	return va.compare(vb), nil
}

func versionPredicate(name, doc string, want int, ex []Example) FuncSpec {
	return FuncSpec{
		Name: name, MinArgs: 2, MaxArgs: 2,
		Params:   []Param{{Name: "value"}, {Name: "pattern"}},
		Scope:    ScopeST2 | ScopeOrquesta,
		Doc:      doc,
		Examples: ex,
		Fn: func(c *Call) (any, error) {
			r, err := versionCompare(c.Arg(0), c.Arg(1))
			if err != nil {
				return nil, err
			}
			return r == want, nil
		},
	}
}

var versionCompareSpec = FuncSpec{
	Name: "version_compare", MinArgs: 2, MaxArgs: 2,
	Params: []Param{{Name: "value"}, {Name: "pattern"}},
	Scope:  ScopeST2 | ScopeOrquesta,
	Doc:    "Compares two semantic versions: -1, 0 or 1.",
	Examples: []Example{
		{Text: "'1.2.0' | version_compare('1.10.0')", Args: []any{"1.2.0", "1.10.0"}, Want: int64(-1)},
		{Text: "'1.0.0' | version_compare('1.0.0-rc.1')", Args: []any{"1.0.0", "1.0.0-rc.1"}, Want: int64(1)},
		{Text: "'1.2' | version_compare('1.2.0')", Args: []any{"1.2", "1.2.0"}, Err: "1.2 is not valid SemVer string"},
	},
	Fn: func(c *Call) (any, error) {
		r, err := versionCompare(c.Arg(0), c.Arg(1))
		return int64(r), err
	},
}

var versionMoreThanSpec = versionPredicate("version_more_than", "Whether the first semantic version is newer.", 1,
	[]Example{{Text: "'1.10.0' | version_more_than('1.9.0')", Args: []any{"1.10.0", "1.9.0"}, Want: true}})

var versionLessThanSpec = versionPredicate("version_less_than", "Whether the first semantic version is older.", -1,
	[]Example{{Text: "'1.10.0' | version_less_than('1.9.0')", Args: []any{"1.10.0", "1.9.0"}, Want: false}})

var versionEqualSpec = versionPredicate("version_equal", "Whether two semantic versions have the same precedence.", 0,
	[]Example{{Text: "'1.0.0+b1' | version_equal('1.0.0')", Args: []any{"1.0.0+b1", "1.0.0"}, Want: true}})

var versionMatchSpec = FuncSpec{
	Name: "version_match", MinArgs: 2, MaxArgs: 2,
	Params: []Param{{Name: "value"}, {Name: "pattern"}},
	Scope:  ScopeST2 | ScopeOrquesta,
	Doc:    `Whether a semantic version satisfies a condition such as ">=1.2.0" (operators <, >, <=, >=, ==, !=; a bare version means ==).`,
	Examples: []Example{
		{Text: "'1.2.3' | version_match('>=1.2.0')", Args: []any{"1.2.3", ">=1.2.0"}, Want: true},
		{Text: "'1.2.3' | version_match('!=1.2.3')", Args: []any{"1.2.3", "!=1.2.3"}, Want: false},
		{Text: "'1.2.3' | version_match('~1.2')", Args: []any{"1.2.3", "~1.2"}, Err: "ValueError"},
	},
	Fn: func(c *Call) (any, error) {
		v, err := parseSemver(c.Arg(0))
		if err != nil {
			return nil, err
		}
		expr, ok := c.Arg(1).(string)
		if !ok {
			return nil, TypeErrorf("'%s' object is not subscriptable", TypeName(c.Arg(1)))
		}
		op, rest := "", expr
		switch {
		case len(expr) >= 2 && (expr[:2] == ">=" || expr[:2] == "<=" || expr[:2] == "==" || expr[:2] == "!="):
			op, rest = expr[:2], expr[2:]
		case len(expr) >= 1 && (expr[0] == '>' || expr[0] == '<'):
			op, rest = expr[:1], expr[1:]
		case len(expr) >= 1 && expr[0] >= '0' && expr[0] <= '9':
			op = "=="
		default:
			return nil, ValueErrorf("match_expr parameter should be in format <op><ver>, where <op> is one of ['<', '>', '==', '<=', '>=', '!=']. You provided: %s", Repr(expr))
		}
		o, err := parseSemver(rest)
		if err != nil {
			return nil, err
		}
		r := v.compare(o)
		switch op {
		case ">=":
			return r >= 0, nil
		case "<=":
			return r <= 0, nil
		case "==":
			return r == 0, nil
		case "!=":
			return r != 0, nil
		case ">":
			return r > 0, nil
		}
		return r < 0, nil
	},
}

func versionBump(name, doc string, bump func(v *semver), ex Example) FuncSpec {
	return FuncSpec{
		Name: name, MinArgs: 1, MaxArgs: 1,
		Params:   []Param{{Name: "value"}},
		Scope:    ScopeST2 | ScopeOrquesta,
		Doc:      doc,
		Examples: []Example{ex},
		Fn: func(c *Call) (any, error) {
			v, err := parseSemver(c.Arg(0))
			if err != nil {
				return nil, err
			}
			bump(v)
			v.pre, v.build = "", ""
			return v.String(), nil
		},
	}
}

var one = big.NewInt(1)

var versionBumpMajorSpec = versionBump("version_bump_major", "The next major version.", func(v *semver) {
	v.major = new(big.Int).Add(v.major, one)
	v.minor, v.patch = new(big.Int), new(big.Int)
}, Example{Text: "'1.2.3-rc.1' | version_bump_major", Args: []any{"1.2.3-rc.1"}, Want: "2.0.0"})

var versionBumpMinorSpec = versionBump("version_bump_minor", "The next minor version.", func(v *semver) {
	v.minor = new(big.Int).Add(v.minor, one)
	v.patch = new(big.Int)
}, Example{Text: "'1.2.3' | version_bump_minor", Args: []any{"1.2.3"}, Want: "1.3.0"})

var versionBumpPatchSpec = versionBump("version_bump_patch", "The next patch version.", func(v *semver) {
	v.patch = new(big.Int).Add(v.patch, one)
}, Example{Text: "'1.2.3' | version_bump_patch", Args: []any{"1.2.3"}, Want: "1.2.4"})

var versionStripPatchSpec = FuncSpec{
	Name: "version_strip_patch", MinArgs: 1, MaxArgs: 1,
	Params: []Param{{Name: "value"}},
	Scope:  ScopeST2 | ScopeOrquesta,
	Doc:    `A semantic version without its patch level: "major.minor".`,
	Examples: []Example{
		{Text: "'1.2.3' | version_strip_patch", Args: []any{"1.2.3"}, Want: "1.2"},
	},
	Fn: func(c *Call) (any, error) {
		v, err := parseSemver(c.Arg(0))
		if err != nil {
			return nil, err
		}
		return v.major.String() + "." + v.minor.String(), nil
	},
}
