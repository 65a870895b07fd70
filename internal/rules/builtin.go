package rules

import (
	"errors"
	"strings"

	"github.com/st2go/st2go/internal/expr"
)

// Operator names, as StackStorm's operators.py spells them.
const (
	OpEquals        = "equals"
	OpEq            = "eq"
	OpNEquals       = "nequals"
	OpNeq           = "neq"
	OpIEquals       = "iequals"
	OpIeq           = "ieq"
	OpContains      = "contains"
	OpIContains     = "icontains"
	OpNContains     = "ncontains"
	OpINContains    = "incontains"
	OpStartsWith    = "startswith"
	OpIStartsWith   = "istartswith"
	OpEndsWith      = "endswith"
	OpIEndsWith     = "iendswith"
	OpLessThan      = "lessthan"
	OpLt            = "lt"
	OpGreaterThan   = "greaterthan"
	OpGt            = "gt"
	OpMatchWildcard = "matchwildcard"
	OpMatchRegex    = "matchregex"
	OpRegex         = "regex"
	OpIRegex        = "iregex"
	OpTimediffLt    = "timediff_lt"
	OpTdLt          = "td_lt"
	OpTimediffGt    = "timediff_gt"
	OpTdGt          = "td_gt"
	OpExists        = "exists"
	OpNExists       = "nexists"
	OpInside        = "inside"
	OpIn            = "in"
	OpNInside       = "ninside"
	OpNin           = "nin"
	OpSearch        = "search"
)

// RegisterBuiltins registers every operator StackStorm's operators.py
// does, under every name it uses. This is the one list of them.
func RegisterBuiltins(r *Registry) {
	for _, names := range []struct {
		op    Operator
		names []string
	}{
		{opEquals, []string{OpEquals, OpEq}},
		{opNEquals, []string{OpNEquals, OpNeq}},
		{opIEquals, []string{OpIEquals, OpIeq}},
		{opContains, []string{OpContains}},
		{opIContains, []string{OpIContains}},
		{opNContains, []string{OpNContains}},
		{opINContains, []string{OpINContains}},
		{opStartsWith, []string{OpStartsWith}},
		{opIStartsWith, []string{OpIStartsWith}},
		{opEndsWith, []string{OpEndsWith}},
		{opIEndsWith, []string{OpIEndsWith}},
		{opLessThan, []string{OpLessThan, OpLt}},
		{opGreaterThan, []string{OpGreaterThan, OpGt}},
		{opMatchWildcard, []string{OpMatchWildcard}},
		{opMatchRegex, []string{OpMatchRegex}},
		{opRegex, []string{OpRegex}},
		{opIRegex, []string{OpIRegex}},
		{opTimediffLt, []string{OpTimediffLt, OpTdLt}},
		{opTimediffGt, []string{OpTimediffGt, OpTdGt}},
		{opExists, []string{OpExists}},
		{opNExists, []string{OpNExists}},
		{opInside, []string{OpInside, OpIn}},
		{opNInside, []string{OpNInside, OpNin}},
		{opSearch, []string{OpSearch}},
	} {
		for _, n := range names.names {
			r.Register(n, names.op)
		}
	}
}

// patternless are the operators that ignore their pattern, so a rule may
// leave it out (StackStorm/st2#6197: StackStorm demands one anyway).
var patternless = map[string]bool{OpExists: true, OpNExists: true}

// Each operator below follows its Python original in operators.py line
// for line: a None pattern is false before anything else (except where
// Python does not check it), and Python's own errors for unsuitable types
// (calling .lower() on an int, "in" on None, ordering str against int)
// come back as errors. StackStorm's decoding of bytes to str has no
// counterpart: values here are never bytes.

func opEquals(v, p any, _ *Env) (bool, error) {
	if p == nil {
		return false, nil
	}
	return expr.Equal(v, p), nil
}

func opNEquals(v, p any, _ *Env) (bool, error) {
	return !expr.Equal(v, p), nil
}

func opIEquals(v, p any, _ *Env) (bool, error) {
	if p == nil {
		return false, nil
	}
	lv, err := pyLower(v)
	if err != nil {
		return false, err
	}
	lp, err := pyLower(p)
	if err != nil {
		return false, err
	}
	return lv == lp, nil
}

func opContains(v, p any, _ *Env) (bool, error) {
	if p == nil {
		return false, nil
	}
	return expr.Contains(v, p)
}

func opNContains(v, p any, _ *Env) (bool, error) {
	if p == nil {
		return false, nil
	}
	in, err := expr.Contains(v, p)
	return !in && err == nil, err
}

// icontains and incontains lower the pattern first, as Python evaluates
// "p.lower() in v.lower()" left to right.
func opIContains(v, p any, _ *Env) (bool, error) {
	if p == nil {
		return false, nil
	}
	lp, err := pyLower(p)
	if err != nil {
		return false, err
	}
	lv, err := pyLower(v)
	if err != nil {
		return false, err
	}
	return strings.Contains(lv, lp), nil
}

func opINContains(v, p any, env *Env) (bool, error) {
	in, err := opIContains(v, p, env)
	if p == nil || err != nil {
		return false, err
	}
	return !in, nil
}

func opStartsWith(v, p any, _ *Env) (bool, error) {
	if p == nil {
		return false, nil
	}
	s, ps, err := affixArgs(v, p, "startswith")
	if err != nil {
		return false, err
	}
	return strings.HasPrefix(s, ps), nil
}

func opIStartsWith(v, p any, _ *Env) (bool, error) {
	if p == nil {
		return false, nil
	}
	s, ps, err := lowerAffixArgs(v, p, "startswith")
	if err != nil {
		return false, err
	}
	return strings.HasPrefix(s, ps), nil
}

func opEndsWith(v, p any, _ *Env) (bool, error) {
	if p == nil {
		return false, nil
	}
	s, ps, err := affixArgs(v, p, "endswith")
	if err != nil {
		return false, err
	}
	return strings.HasSuffix(s, ps), nil
}

func opIEndsWith(v, p any, _ *Env) (bool, error) {
	if p == nil {
		return false, nil
	}
	s, ps, err := lowerAffixArgs(v, p, "endswith")
	if err != nil {
		return false, err
	}
	return strings.HasSuffix(s, ps), nil
}

// affixArgs checks the operands of v.startswith(p) / v.endswith(p): v
// must be a str (nothing else has the method) and p a str.
func affixArgs(v, p any, method string) (string, string, error) {
	s, ok := v.(string)
	if !ok {
		return "", "", noAttribute(v, method)
	}
	ps, ok := p.(string)
	if !ok {
		return "", "", expr.TypeErrorf("%s first arg must be str or a tuple of str, not %s", method, expr.TypeName(p))
	}
	return s, ps, nil
}

// lowerAffixArgs is affixArgs for v.lower().startswith(p.lower()).
func lowerAffixArgs(v, p any, method string) (string, string, error) {
	s, err := pyLower(v)
	if err != nil {
		return "", "", err
	}
	ps, err := pyLower(p)
	if err != nil {
		return "", "", err
	}
	return s, ps, nil
}

func opLessThan(v, p any, _ *Env) (bool, error) {
	if p == nil {
		return false, nil
	}
	return compare("<", v, p)
}

func opGreaterThan(v, p any, _ *Env) (bool, error) {
	if p == nil {
		return false, nil
	}
	return compare(">", v, p)
}

// compare is Python's v < p or v > p. Python compares lists element by
// element and, when two elements cannot be ordered, names their types,
// not the lists'.
func compare(op string, v, p any) (bool, error) {
	ok, err := expr.CompareOp(op, v, p)
	if err == nil {
		return ok, nil
	}
	if _, inner := expr.Compare(v, p); inner != nil {
		var pe *expr.PyError
		if errors.As(inner, &pe) && strings.HasPrefix(pe.Msg, "'<' ") {
			return false, expr.TypeErrorf("'%s' %s", op, strings.TrimPrefix(pe.Msg, "'<' "))
		}
	}
	return false, err
}

func opMatchWildcard(v, p any, _ *Env) (bool, error) {
	if p == nil {
		return false, nil
	}
	// fnmatch.fnmatch passes both through os.path.normcase first.
	s, ok := v.(string)
	if !ok {
		return false, expr.TypeErrorf("expected str, bytes or os.PathLike object, not %s", expr.TypeName(v))
	}
	ps, ok := p.(string)
	if !ok {
		return false, expr.TypeErrorf("expected str, bytes or os.PathLike object, not %s", expr.TypeName(p))
	}
	re, err := compileWildcard(ps)
	if err != nil {
		return false, err
	}
	return re.MatchString(s), nil
}

// matchregex is deprecated in StackStorm: re.match (anchored at the
// start, not the end) with DOTALL.
func opMatchRegex(v, p any, _ *Env) (bool, error) {
	return regexOp(v, p, true, false, true)
}

func opRegex(v, p any, _ *Env) (bool, error) {
	return regexOp(v, p, false, false, false)
}

func opIRegex(v, p any, _ *Env) (bool, error) {
	return regexOp(v, p, false, true, false)
}

func regexOp(v, p any, anchored, ignoreCase, dotAll bool) (bool, error) {
	if p == nil {
		return false, nil
	}
	ps, ok := p.(string)
	if !ok {
		switch p.(type) {
		case []any, *expr.Dict, *expr.Set:
			// re looks the pattern up in its cache first.
			return false, expr.TypeErrorf("unhashable type: '%s'", expr.TypeName(p))
		}
		return false, expr.TypeErrorf("first argument must be string or compiled pattern")
	}
	re, err := compileRegex(ps, anchored, ignoreCase, dotAll)
	if err != nil {
		return false, err
	}
	s, ok := v.(string)
	if !ok {
		return false, expr.TypeErrorf("expected string or bytes-like object, got '%s'", expr.TypeName(v))
	}
	return re.MatchString(s), nil
}

func opTimediffLt(v, p any, env *Env) (bool, error) {
	if p == nil {
		return false, nil
	}
	d, limit, err := timediff(v, p, env)
	return err == nil && d < limit, err
}

func opTimediffGt(v, p any, env *Env) (bool, error) {
	if p == nil {
		return false, nil
	}
	d, limit, err := timediff(v, p, env)
	return err == nil && d > limit, err
}

// timediff is (now − parse(str(v))) in seconds and float(p).
func timediff(v, p any, env *Env) (float64, float64, error) {
	t, err := parseDate(expr.Str(v))
	if err != nil {
		return 0, 0, err
	}
	limit, err := expr.ToFloat(p)
	if err != nil {
		return 0, 0, err
	}
	// Python's timedelta has microsecond resolution.
	d := env.Now.Sub(t).Truncate(1000)
	return d.Seconds(), limit, nil
}

func opExists(v, _ any, _ *Env) (bool, error) { return v != nil, nil }

func opNExists(v, _ any, _ *Env) (bool, error) { return v == nil, nil }

func opInside(v, p any, _ *Env) (bool, error) {
	if p == nil {
		return false, nil
	}
	return expr.Contains(p, v)
}

func opNInside(v, p any, _ *Env) (bool, error) {
	if p == nil {
		return false, nil
	}
	in, err := expr.Contains(p, v)
	return !in && err == nil, err
}

// Search conditions: how the items of the searched list and the nested
// criteria combine.
const (
	CondAny     = "any"     // some item passes every nested criterion
	CondAll     = "all"     // every item passes every nested criterion
	CondAny2Any = "any2any" // some item passes some nested criterion
	CondAll2Any = "all2any" // every item passes some nested criterion
)

// opSearch walks a list (a dict counts as a list of one) and applies the
// nested criteria of its pattern to every item. Like StackStorm it
// evaluates every criterion for every item before combining the results,
// so every nested failure is reported.
func opSearch(v, p any, env *Env) (bool, error) {
	itemsAll, patternsAll := true, true
	switch env.Condition {
	case CondAny:
		itemsAll = false
	case CondAll2Any:
		patternsAll = false
	case CondAny2Any:
		itemsAll, patternsAll = false, false
	case CondAll:
	default:
		cond := "None"
		if env.Condition != "" {
			cond = env.Condition
		}
		return false, expr.Errorf("UnrecognizedConditionError",
			"The '%s' condition is not recognized for type search, 'any', 'all', 'any2any' and 'all2any' are allowed", cond)
	}
	if d, ok := v.(*expr.Dict); ok {
		v = []any{d}
	}
	items, err := expr.Iterate(v)
	if err != nil {
		return false, err
	}
	var nested []Criterion
	if len(items) > 0 {
		// Python reads the pattern only once it has an item to apply it to.
		if nested, err = nestedCriteria(p); err != nil {
			return false, err
		}
	}
	itemResults := make([]bool, 0, len(items))
	for _, item := range items {
		results := make([]bool, 0, len(nested))
		for i := range nested {
			ok, err := env.Check(&nested[i], item)
			if err != nil {
				return false, err
			}
			results = append(results, ok)
		}
		itemResults = append(itemResults, combine(results, patternsAll))
	}
	return combine(itemResults, itemsAll), nil
}

// combine is Python's all() or any().
func combine(results []bool, all bool) bool {
	for _, r := range results {
		if r != all {
			return !all
		}
	}
	return all
}

// nestedCriteria reads a search pattern: a mapping of criteria keyed
// "item.<path>".
func nestedCriteria(p any) ([]Criterion, error) {
	d, ok := p.(*expr.Dict)
	if !ok {
		return nil, noAttribute(p, "items")
	}
	return criteriaFromDict(d)
}

// pyLower is Python's v.lower(): only a str has it. Python lowers with
// the full Unicode mapping, which differs from Go's simple one for the
// dotted capital I alone.
func pyLower(v any) (string, error) {
	s, ok := v.(string)
	if !ok {
		return "", noAttribute(v, "lower")
	}
	if !strings.ContainsRune(s, 'İ') {
		return strings.ToLower(s), nil
	}
	var b strings.Builder
	for _, r := range s {
		if r == 'İ' {
			b.WriteString("i\u0307")
			continue
		}
		b.WriteString(strings.ToLower(string(r)))
	}
	return b.String(), nil
}

func noAttribute(v any, attr string) error {
	return expr.Errorf("AttributeError", "'%s' object has no attribute '%s'", expr.TypeName(v), attr)
}
