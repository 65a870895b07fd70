package expr

import (
	"context"
	"math"
	"strconv"
	"strings"
)

// NoneMagic is the string use_none renders for None; StackStorm's
// parameter casting turns it back into null.
const NoneMagic = "%*****__%NONE%__*****%"

func pathArg(name string, v any) (string, error) {
	s, ok := v.(string)
	if !ok {
		return "", TypeErrorf("expected str, bytes or os.PathLike object, not %s", TypeName(v))
	}
	return s, nil
}

var basenameSpec = FuncSpec{
	Name: "basename", MinArgs: 1, MaxArgs: 1,
	Params: []Param{{Name: "path"}},
	Scope:  ScopeST2 | ScopeOrquesta,
	Doc:    "The last component of a path, as Python's os.path.basename.",
	Examples: []Example{
		{Text: "basename('/etc/st2/st2.conf')", Args: []any{"/etc/st2/st2.conf"}, Want: "st2.conf"},
		{Text: "basename('/etc/st2/')", Args: []any{"/etc/st2/"}, Want: ""},
	},
	Fn: func(c *Call) (any, error) {
		p, err := pathArg("basename", c.Arg(0))
		if err != nil {
			return nil, err
		}
		return p[strings.LastIndexByte(p, '/')+1:], nil
	},
}

var dirnameSpec = FuncSpec{
	Name: "dirname", MinArgs: 1, MaxArgs: 1,
	Params: []Param{{Name: "path"}},
	Scope:  ScopeST2 | ScopeOrquesta,
	Doc:    "A path without its last component, as Python's os.path.dirname.",
	Examples: []Example{
		{Text: "dirname('/etc/st2/st2.conf')", Args: []any{"/etc/st2/st2.conf"}, Want: "/etc/st2"},
		{Text: "dirname('st2.conf')", Args: []any{"st2.conf"}, Want: ""},
		{Text: "dirname('//x')", Args: []any{"//x"}, Want: "//"},
	},
	Fn: func(c *Call) (any, error) {
		p, err := pathArg("dirname", c.Arg(0))
		if err != nil {
			return nil, err
		}
		head := p[:strings.LastIndexByte(p, '/')+1]
		if head != "" && strings.Trim(head, "/") != "" {
			head = strings.TrimRight(head, "/")
		}
		return head, nil
	},
}

var fromJSONStringSpec = FuncSpec{
	Name: "from_json_string", MinArgs: 1, MaxArgs: 1,
	Params: []Param{{Name: "value"}},
	Scope:  ScopeST2 | ScopeOrquesta,
	Doc:    "Parses a JSON document (the value's str()).",
	Examples: []Example{
		{Text: `'{"a": [1, 2.5]}' | from_json_string`, Args: []any{`{"a": [1, 2.5]}`}, Want: DictOf("a", []any{int64(1), 2.5})},
		{Text: `'{' | from_json_string`, Args: []any{`{`}, Err: "JSONDecodeError"},
	},
	Fn: func(c *Call) (any, error) {
		return pyJSONLoads(Str(c.Arg(0)))
	},
}

var fromYAMLStringSpec = FuncSpec{
	Name: "from_yaml_string", MinArgs: 1, MaxArgs: 1,
	Params: []Param{{Name: "value"}},
	Scope:  ScopeST2 | ScopeOrquesta,
	Doc:    "Parses a YAML document (the value's str()) as PyYAML's safe_load does (YAML 1.1: yes/no are booleans).",
	Examples: []Example{
		{Text: `'a: [1, yes]' | from_yaml_string`, Args: []any{"a: [1, yes]"}, Want: DictOf("a", []any{int64(1), true})},
	},
	Fn: func(c *Call) (any, error) {
		return FromYAML(Str(c.Arg(0)))
	},
}

// separatorsArg reads json.dumps' separators: a 2-item list or tuple of
// strings, or None for the defaults.
func separatorsArg(v any) (item, key string, err error) {
	if v == nil {
		return "", "", nil
	}
	var seq []any
	switch s := v.(type) {
	case []any:
		seq = s
	case Tuple:
		seq = s
	}
	if len(seq) != 2 {
		return "", "", ValueErrorf("separators must be a pair of strings")
	}
	item, ok1 := seq[0].(string)
	key, ok2 := seq[1].(string)
	if !ok1 || !ok2 {
		return "", "", TypeErrorf("separators must be a pair of strings")
	}
	return item, key, nil
}

var toJSONStringSpec = FuncSpec{
	Name: "to_json_string", MinArgs: 1, MaxArgs: 4,
	Params: []Param{{Name: "value"}, {Name: "indent"}, {Name: "sort_keys", Default: false}, {Name: "separators", Default: Tuple{",", ": "}}},
	Scope:  ScopeST2 | ScopeOrquesta,
	Doc:    `JSON text of a value, as StackStorm's json.dumps call makes it (note its default separators: "," between items, ": " after keys).`,
	Examples: []Example{
		{Text: "{'b': 1, 'a': [1, 2]} | to_json_string", Args: []any{DictOf("b", int64(1), "a", []any{int64(1), int64(2)})}, Want: `{"b": 1,"a": [1,2]}`},
		{Text: "{'b': 1, 'a': 2} | to_json_string(2, true)", Args: []any{DictOf("b", int64(1), "a", int64(2)), int64(2), true}, Want: "{\n  \"a\": 2,\n  \"b\": 1\n}"},
		{Text: "'é' | to_json_string", Args: []any{"é"}, Want: `"\u00e9"`},
	},
	Fn: func(c *Call) (any, error) {
		item, key, err := separatorsArg(c.Arg(3))
		if err != nil {
			return nil, err
		}
		return ToJSONWith(c.Arg(0), JSONOptions{Indent: c.Arg(1), SortKeys: Truthy(c.Arg(2)), ItemSep: item, KeySep: key, ASCII: true})
	},
}

var toComplexSpec = FuncSpec{
	Name: "to_complex", MinArgs: 1, MaxArgs: 1,
	Params: []Param{{Name: "value"}},
	Scope:  ScopeST2,
	Doc:    "JSON text of a value (json.dumps with its defaults); StackStorm uses it to keep the types of rendered parameters.",
	Examples: []Example{
		{Text: "{'a': [1, None]} | to_complex", Args: []any{DictOf("a", []any{int64(1), nil})}, Want: `{"a": [1, null]}`},
	},
	Fn: func(c *Call) (any, error) {
		return ToJSON(c.Arg(0))
	},
}

var jsonEscapeSpec = FuncSpec{
	Name: "json_escape", MinArgs: 1, MaxArgs: 1,
	Params: []Param{{Name: "value"}},
	Scope:  ScopeST2 | ScopeOrquesta,
	Doc:    "Escapes a value for use inside a JSON string: json.dumps without the surrounding double quotes.",
	Examples: []Example{
		{Text: `'say "hi"\n' | json_escape`, Args: []any{"say \"hi\"\n"}, Want: `say \"hi\"\n`},
		{Text: "5 | json_escape", Args: []any{int64(5)}, Want: "5"},
	},
	Fn: func(c *Call) (any, error) {
		s, err := ToJSON(c.Arg(0))
		if err != nil {
			return nil, err
		}
		return strings.Trim(s, `"`), nil
	},
}

var useNoneSpec = FuncSpec{
	Name: "use_none", MinArgs: 1, MaxArgs: 1,
	Params: []Param{{Name: "value"}},
	Scope:  ScopeST2 | ScopeOrquesta,
	Doc:    "None becomes a marker string that parameter casting turns back into null (so a rendered parameter can be null); other values pass.",
	Examples: []Example{
		{Text: "None | use_none", Args: []any{nil}, Want: NoneMagic},
		{Text: "1 | use_none", Args: []any{int64(1)}, Want: int64(1)},
	},
	Fn: func(c *Call) (any, error) {
		if c.Arg(0) == nil {
			return NoneMagic, nil
		}
		return c.Arg(0), nil
	},
}

var toYAMLStringSpec = FuncSpec{
	Name: "to_yaml_string", MinArgs: 1, MaxArgs: 3,
	Params: []Param{{Name: "value"}, {Name: "indent"}, {Name: "allow_unicode", Default: true}},
	Scope:  ScopeST2 | ScopeOrquesta,
	Doc:    "YAML text of a value, as PyYAML's safe_dump in block style (keys sorted).",
	Examples: []Example{
		{Text: "{'b': [1, 2], 'a': 'x'} | to_yaml_string", Args: []any{DictOf("b", []any{int64(1), int64(2)}, "a", "x")}, Want: "a: x\nb:\n- 1\n- 2\n"},
		{Text: "{'a': {'b': 'yes'}} | to_yaml_string(4)", Args: []any{DictOf("a", DictOf("b", "yes")), int64(4)}, Want: "a:\n    b: 'yes'\n"},
	},
	Fn: func(c *Call) (any, error) {
		indent := 2
		if v := c.Arg(1); v != nil {
			n, err := ToInt64(v)
			if err != nil {
				return nil, err
			}
			if n > 1 && n < 10 {
				indent = int(n)
			}
		}
		au := c.Arg(2)
		return ToYAML(c.Arg(0), indent, au == nil || Truthy(au))
	},
}

var decryptKVSpec = FuncSpec{
	Name: "decrypt_kv", MinArgs: 1, MaxArgs: 1,
	Params: []Param{{Name: "value"}},
	Scope:  ScopeST2,
	Doc:    "Decrypts a datastore value encrypted with the datastore key (st2kv.system.secret | decrypt_kv).",
	Examples: []Example{
		{Text: "'abc' | decrypt_kv", Args: []any{"abc"}, Err: "no datastore"},
	},
	Fn: func(c *Call) (any, error) {
		v := c.Arg(0)
		if k, ok := v.(KVRef); ok {
			s, found, err := k.KVValue(c.Ctx)
			if err != nil {
				return nil, err
			}
			if !found || s == "" {
				return nil, ValueErrorf("Referenced datastore item \"%s\" doesn't exist or it contains an empty string", k.KVName())
			}
			v = s
		}
		d, ok := c.Env.Datastore.(Decrypter)
		if !ok {
			return nil, ErrNoDatastore
		}
		return d.Decrypt(c.Ctx, Str(v))
	},
}

// KVRef is an Object standing for a datastore lookup that has not been
// read yet (st2's {{ st2kv.system.key }}); decrypt_kv reads it.
type KVRef interface {
	Object
	KVName() string
	KVValue(ctx context.Context) (string, bool, error)
}

var toHumanTimeSpec = FuncSpec{
	Name: "to_human_time_from_seconds", MinArgs: 1, MaxArgs: 1,
	Params: []Param{{Name: "seconds"}},
	Scope:  ScopeST2 | ScopeOrquesta,
	Doc:    "A number of seconds as a short duration: 3723 → 1h2m3s, 0 → 0s, below one second in µs.",
	Examples: []Example{
		{Text: "3723 | to_human_time_from_seconds", Args: []any{int64(3723)}, Want: "1h2m3s"},
		{Text: "90061 | to_human_time_from_seconds", Args: []any{int64(90061)}, Want: "1d1h1m1s"},
		{Text: "0.5 | to_human_time_from_seconds", Args: []any{0.5}, Want: "0.5μs"},
		{Text: "59 | to_human_time_from_seconds", Args: []any{int64(59)}, Want: "59s"},
	},
	Fn: func(c *Call) (any, error) {
		v := c.Arg(0)
		if !IsNumber(v) {
			return nil, &PyError{Type: "AssertionError"}
		}
		return humanTime(v)
	},
}

func humanTime(v any) (any, error) {
	if Equal(v, int64(0)) {
		return "0s", nil
	}
	if lt, _ := CompareOp("<", v, int64(1)); lt {
		return Str(v) + "\u03bcs", nil
	}
	var secs int64
	switch x := v.(type) {
	case float64:
		secs = int64(math.RoundToEven(x))
	case int64:
		secs = x
	default:
		return nil, Errorf("OverflowError", "date value out of range")
	}
	if secs >= 10000*365*86400 {
		return nil, Errorf("OverflowError", "date value out of range")
	}
	// datetime(1, 1, 1) + timedelta: years count whole calendar years,
	// days the day of the month, as StackStorm's arithmetic does.
	days := secs / 86400
	rest := secs % 86400
	year, _, day := civilFromDays(days)
	parts := []int64{year - 1, day - 1, rest / 3600, rest % 3600 / 60, rest % 60}
	i := 0
	for i < len(parts) && parts[i] == 0 {
		i++
	}
	if i == len(parts) {
		return "0s", nil
	}
	units := []string{"y", "d", "h", "m", "s"}
	var b strings.Builder
	for j := i; j < len(parts); j++ {
		b.WriteString(strconv.FormatInt(parts[j], 10))
		b.WriteString(units[j])
	}
	return b.String(), nil
}

// civilFromDays converts days since 0001-01-01 into a proleptic
// Gregorian year, month and day of month.
func civilFromDays(n int64) (year, month, day int64) {
	year = 1
	for {
		ylen := int64(365)
		if isLeap(year) {
			ylen = 366
		}
		if n < ylen {
			break
		}
		n -= ylen
		year++
	}
	mdays := []int64{31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31}
	if isLeap(year) {
		mdays[1] = 29
	}
	month = 1
	for _, d := range mdays {
		if n < d {
			break
		}
		n -= d
		month++
	}
	return year, month, n + 1
}

func isLeap(y int64) bool { return y%4 == 0 && (y%100 != 0 || y%400 == 0) }
