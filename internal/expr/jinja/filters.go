package jinja

import (
	"html"
	"math"
	"math/big"
	"math/rand/v2"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/st2go/st2go/internal/expr"
)

// builtin is a Jinja filter or test: the value comes first, then the
// parameters bound by name and position.
type builtin struct {
	spec expr.FuncSpec // Name, MinArgs/MaxArgs (value included), Params
	fn   func(st *state, c *expr.Call) (any, error)
	// raw filters get the arguments unbound (map, select, format, ...).
	raw func(st *state, v any, args []any, kw []expr.NamedArg) (any, error)
	// undefinedOK filters and tests accept a strict undefined value.
	undefinedOK bool
}

func filterSpec(name string, min int, params ...expr.Param) expr.FuncSpec {
	all := append([]expr.Param{{Name: "value"}}, params...)
	return expr.FuncSpec{Name: name, MinArgs: min + 1, MaxArgs: len(all), Params: all}
}

func (b *builtin) invoke(st *state, v any, args []any, kw []expr.NamedArg) (any, error) {
	if !b.undefinedOK {
		if err := st.check(v); err != nil {
			return nil, err
		}
	}
	for _, a := range args {
		if err := st.check(a); err != nil {
			return nil, err
		}
	}
	if b.raw != nil {
		return b.raw(st, v, args, kw)
	}
	c, err := b.spec.Bind(append([]any{v}, args...), kw)
	if err != nil {
		return nil, err
	}
	return b.fn(st, c)
}

// applyFilter evaluates a filter node on value v.
func (st *state) applyFilter(sc *scope, f *filterNode, v any) (any, error) {
	args, kw, err := st.evalArgs(sc, f.callArgs)
	if err != nil {
		return nil, err
	}
	return st.callFilter(f.name, v, args, kw)
}

func (st *state) callFilter(name string, v any, args []any, kw []expr.NamedArg) (any, error) {
	if b, ok := st.env.filters[name]; ok {
		return b.invoke(st, v, args, kw)
	}
	if spec, ok := st.env.funcFilters[name]; ok {
		return st.callSpec(spec, append([]any{v}, args...), kw)
	}
	return nil, &expr.PyError{Type: "TemplateAssertionError", Msg: "No filter named '" + name + "'."}
}

// applyTest evaluates a test node on value v.
func (st *state) applyTest(sc *scope, t *testNode, v any) (any, error) {
	args, kw, err := st.evalArgs(sc, t.callArgs)
	if err != nil {
		return nil, err
	}
	return st.callTest(t.name, v, args, kw)
}

func (st *state) callTest(name string, v any, args []any, kw []expr.NamedArg) (bool, error) {
	b, ok := st.env.tests[name]
	if !ok {
		return false, &expr.PyError{Type: "TemplateAssertionError", Msg: "No test named '" + name + "'."}
	}
	r, err := b.invoke(st, v, args, kw)
	if err != nil {
		return false, err
	}
	return st.truth(r)
}

// attrParts splits a filter's attribute argument: "a.b.0" → a, b, 0.
func attrParts(attribute any) []any {
	switch a := attribute.(type) {
	case nil:
		return nil
	case string:
		var out []any
		for _, p := range strings.Split(a, ".") {
			if n, err := strconv.ParseInt(p, 10, 64); err == nil && p != "" && (p[0] >= '0' && p[0] <= '9') {
				out = append(out, n)
			} else {
				out = append(out, p)
			}
		}
		return out
	}
	return []any{attribute}
}

func lowerIfStr(v any) any {
	if s, ok := v.(string); ok {
		return strings.ToLower(s)
	}
	return v
}

// attrGetter is Jinja's make_attrgetter.
func (st *state) attrGetter(attribute any, dflt any, lower bool) func(any) (any, error) {
	parts := attrParts(attribute)
	return func(item any) (any, error) {
		for _, p := range parts {
			var err error
			if item, err = st.getitem(item, p); err != nil {
				return nil, err
			}
			if dflt != nil && IsUndefined(item) {
				item = dflt
			}
		}
		if lower {
			item = lowerIfStr(item)
		}
		return item, nil
	}
}

// multiAttrGetter is Jinja's make_multi_attrgetter (sort by "a,b").
func (st *state) multiAttrGetter(attribute any, lower bool) func(any) (any, error) {
	var getters []func(any) (any, error)
	if s, ok := attribute.(string); ok {
		for _, part := range strings.Split(s, ",") {
			getters = append(getters, st.attrGetter(part, nil, lower))
		}
	} else {
		getters = append(getters, st.attrGetter(attribute, nil, lower))
	}
	return func(item any) (any, error) {
		out := make([]any, len(getters))
		for i, g := range getters {
			v, err := g(item)
			if err != nil {
				return nil, err
			}
			if err := st.check(v); err != nil {
				return nil, err
			}
			out[i] = v
		}
		return out, nil
	}
}

// sortValues sorts items in place by key, stably, as Python's sorted().
func (st *state) sortValues(items []any, key func(any) (any, error), reverse bool) error {
	keys := make([]any, len(items))
	for i, it := range items {
		k, err := key(it)
		if err != nil {
			return err
		}
		if err := st.check(k); err != nil {
			return err
		}
		keys[i] = k
	}
	idx := make([]int, len(items))
	for i := range idx {
		idx[i] = i
	}
	var cmpErr error
	sort.SliceStable(idx, func(a, b int) bool {
		if cmpErr != nil {
			return false
		}
		x, y := keys[idx[a]], keys[idx[b]]
		if reverse {
			x, y = y, x
		}
		lt, err := expr.CompareOp("<", x, y)
		if err != nil {
			cmpErr = err
		}
		return lt
	})
	if cmpErr != nil {
		return cmpErr
	}
	sorted := make([]any, len(items))
	for i, j := range idx {
		sorted[i] = items[j]
	}
	copy(items, sorted)
	return nil
}

func (st *state) list(v any) ([]any, error) {
	items, err := st.iterate(v)
	if err != nil {
		return nil, err
	}
	return append([]any{}, items...), nil
}

var (
	wordBeginningSplit = regexp.MustCompile(`([-\s({\[<]+)`)
	wordRe             = regexp.MustCompile(`[\p{L}\p{N}_]+`)
	stripCommentsRe    = regexp.MustCompile(`(?s)<!--.*?-->`)
	stripTagsRe        = regexp.MustCompile(`(?s)<.*?>`)
	xmlAttrKeyRe       = regexp.MustCompile(`[\s/>=]`)
)

// htmlEscape is markupsafe's escape.
func htmlEscape(s string) string {
	return strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;", `"`, "&#34;", "'", "&#39;").Replace(s)
}

// urlQuote is Jinja's url_quote (urllib.parse.quote of the UTF-8 bytes).
func urlQuote(s string, forQS bool) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c >= 'a' && c <= 'z', c >= 'A' && c <= 'Z', c >= '0' && c <= '9', c == '_', c == '.', c == '-', c == '~':
			b.WriteByte(c)
		case c == '/' && !forQS:
			b.WriteByte(c)
		case c == ' ' && forQS:
			b.WriteByte('+')
		default:
			b.WriteString("%" + strings.ToUpper(strconv.FormatInt(int64(c)|0x100, 16)[1:]))
		}
	}
	return b.String()
}

// pyRound is Python's round(x, ndigits) for floats.
func pyRound(x float64, nd int64) float64 {
	if math.IsInf(x, 0) || math.IsNaN(x) || x == 0 {
		return x
	}
	if nd > 22 {
		return x
	}
	if nd >= 0 {
		s := strconv.FormatFloat(x, 'f', int(nd), 64)
		r, _ := strconv.ParseFloat(s, 64)
		return r
	}
	p := math.Pow(10, float64(-nd))
	y := x / p
	r := math.RoundToEven(y)
	if math.Abs(y-math.Trunc(y)) != 0.5 {
		r = math.Round(y)
	}
	return r * p
}

func (st *state) strArg(v any) (string, error) {
	return st.str(v)
}

func intArg(v any, what string) (int64, error) {
	n, err := expr.ToInt64(v)
	if err != nil {
		return 0, expr.TypeErrorf("%s must be an integer, not %s", what, expr.TypeName(v))
	}
	return n, nil
}

// textwrapLines is Python's textwrap.wrap(line, width,
// expand_tabs=False, replace_whitespace=False, break_long_words,
// break_on_hyphens) for one paragraph.
func textwrapLines(text string, width int, breakLong, breakHyphens bool) []string {
	// Chunks: runs of whitespace, and words (split after hyphens).
	var chunks []string
	rs := []rune(text)
	for i := 0; i < len(rs); {
		j := i
		if unicode.IsSpace(rs[i]) {
			for j < len(rs) && unicode.IsSpace(rs[j]) {
				j++
			}
			chunks = append(chunks, string(rs[i:j]))
			i = j
			continue
		}
		for j < len(rs) && !unicode.IsSpace(rs[j]) {
			j++
			if breakHyphens && rs[j-1] == '-' && j < len(rs) && j-1 > i && unicode.IsLetter(rs[j-2]) && unicode.IsLetter(rs[j]) {
				break
			}
		}
		chunks = append(chunks, string(rs[i:j]))
		i = j
	}
	var lines []string
	isWS := func(s string) bool { return strings.TrimSpace(s) == "" }
	for len(chunks) > 0 {
		var cur []string
		curLen := 0
		if isWS(chunks[0]) && len(lines) > 0 {
			chunks = chunks[1:]
		} else if isWS(chunks[0]) && len(lines) == 0 {
			chunks = chunks[1:]
		}
		for len(chunks) > 0 {
			l := utf8.RuneCountInString(chunks[0])
			if curLen+l <= width {
				cur = append(cur, chunks[0])
				curLen += l
				chunks = chunks[1:]
			} else {
				break
			}
		}
		if len(chunks) > 0 && utf8.RuneCountInString(chunks[0]) > width {
			room := max(width-curLen, 1)
			if breakLong {
				r := []rune(chunks[0])
				if curLen == 0 || room > 0 {
					if width-curLen >= 1 {
						cur = append(cur, string(r[:room]))
						curLen += room
						chunks[0] = string(r[room:])
					}
				}
			} else if len(cur) == 0 {
				cur = append(cur, chunks[0])
				curLen += utf8.RuneCountInString(chunks[0])
				chunks = chunks[1:]
			}
		}
		if len(cur) > 0 && isWS(cur[len(cur)-1]) {
			curLen -= utf8.RuneCountInString(cur[len(cur)-1])
			cur = cur[:len(cur)-1]
		}
		if len(cur) > 0 {
			lines = append(lines, strings.Join(cur, ""))
		} else if len(chunks) > 0 && !isWS(chunks[0]) && curLen == 0 {
			// Cannot place anything: avoid looping forever.
			lines = append(lines, chunks[0])
			chunks = chunks[1:]
		}
	}
	return lines
}

func splitlines(s string) []string {
	var out []string
	for s != "" {
		i := strings.IndexAny(s, "\n\r\v\f\x1c\x1d\x1e\u0085\u2028\u2029")
		if i < 0 {
			out = append(out, s)
			break
		}
		out = append(out, s[:i])
		_, size := utf8.DecodeRuneInString(s[i:])
		end := i + size
		if s[i] == '\r' && end < len(s) && s[end] == '\n' {
			end++
		}
		s = s[end:]
	}
	return out
}

// builtinFilters returns Jinja's built-in filters.
func builtinFilters() map[string]*builtin {
	f := map[string]*builtin{}
	add := func(name string, min int, params []expr.Param, fn func(st *state, c *expr.Call) (any, error)) *builtin {
		b := &builtin{spec: filterSpec(name, min, params...), fn: fn}
		f[name] = b
		return b
	}
	raw := func(name string, fn func(st *state, v any, args []any, kw []expr.NamedArg) (any, error)) *builtin {
		b := &builtin{spec: expr.FuncSpec{Name: name}, raw: fn}
		f[name] = b
		return b
	}
	strFilter := func(name string, g func(string) string) {
		add(name, 0, nil, func(st *state, c *expr.Call) (any, error) {
			s, err := st.str(c.Args[0])
			if err != nil {
				return nil, err
			}
			return g(s), nil
		})
	}

	add("abs", 0, nil, func(st *state, c *expr.Call) (any, error) {
		v := c.Args[0]
		if lt, err := expr.CompareOp("<", v, int64(0)); err == nil && lt {
			return expr.Neg(v)
		} else if err != nil || !expr.IsNumber(v) && numberLike(v) == false {
			return nil, expr.TypeErrorf("bad operand type for abs(): '%s'", expr.TypeName(v))
		}
		if b, ok := v.(bool); ok {
			return map[bool]int64{true: 1, false: 0}[b], nil
		}
		return v, nil
	})
	add("attr", 1, []expr.Param{{Name: "name"}}, func(st *state, c *expr.Call) (any, error) {
		name, ok := c.Args[1].(string)
		if !ok {
			return nil, expr.TypeErrorf("attribute name must be string, not '%s'", expr.TypeName(c.Args[1]))
		}
		if isDunder(name) {
			return st.unsafe(c.Args[0], name), nil
		}
		v, found, err := st.attribute(c.Args[0], name)
		if err != nil {
			return nil, err
		}
		if !found {
			return st.undefinedAttr(c.Args[0], name), nil
		}
		return v, nil
	})
	add("batch", 1, []expr.Param{{Name: "linecount"}, {Name: "fill_with"}}, func(st *state, c *expr.Call) (any, error) {
		n, err := intArg(c.Args[1], "linecount")
		if err != nil {
			return nil, err
		}
		items, err := st.iterate(c.Args[0])
		if err != nil {
			return nil, err
		}
		var out []any
		var cur []any
		for _, it := range items {
			if int64(len(cur)) == n {
				out = append(out, cur)
				cur = nil
			}
			cur = append(cur, it)
		}
		if len(cur) > 0 {
			if c.Args[2] != nil {
				for int64(len(cur)) < n {
					cur = append(cur, c.Args[2])
				}
			}
			out = append(out, cur)
		}
		return &generator{items: out, name: "do_batch"}, nil
	})
	strFilter("capitalize", pyCapitalize)
	add("center", 0, []expr.Param{{Name: "width", Default: int64(80)}}, func(st *state, c *expr.Call) (any, error) {
		s, err := st.str(c.Args[0])
		if err != nil {
			return nil, err
		}
		w, err := intArg(c.Args[1], "width")
		if err != nil {
			return nil, err
		}
		if err := st.b.CheckSize(w); err != nil {
			return nil, err
		}
		return pyPad(s, w, " ", '^'), nil
	})
	dflt := add("default", 0, []expr.Param{{Name: "default_value", Default: ""}, {Name: "boolean", Default: false}}, func(st *state, c *expr.Call) (any, error) {
		v := c.Args[0]
		if IsUndefined(v) || (expr.Truthy(c.Args[2]) && !expr.Truthy(v)) {
			return c.Args[1], nil
		}
		return v, nil
	})
	dflt.undefinedOK = true
	f["d"] = dflt
	add("dictsort", 0, []expr.Param{{Name: "case_sensitive", Default: false}, {Name: "by", Default: "key"}, {Name: "reverse", Default: false}}, func(st *state, c *expr.Call) (any, error) {
		d, ok := c.Args[0].(*expr.Dict)
		if !ok {
			return nil, &expr.PyError{Type: "AttributeError", Msg: "'" + expr.TypeName(c.Args[0]) + "' object has no attribute 'items'"}
		}
		pos := 0
		switch c.Args[2] {
		case "key":
		case "value":
			pos = 1
		default:
			return nil, &expr.PyError{Type: "FilterArgumentError", Msg: `You can only sort by either "key" or "value"`}
		}
		items := expr.Items(d)
		lower := !expr.Truthy(c.Args[1])
		err := st.sortValues(items, func(it any) (any, error) {
			v := it.(expr.Tuple)[pos]
			if lower {
				v = lowerIfStr(v)
			}
			return v, nil
		}, expr.Truthy(c.Args[3]))
		return items, err
	})
	esc := add("escape", 0, nil, func(st *state, c *expr.Call) (any, error) {
		s, err := st.str(c.Args[0])
		if err != nil {
			return nil, err
		}
		return htmlEscape(s), nil
	})
	f["e"] = esc
	f["forceescape"] = esc
	add("filesizeformat", 0, []expr.Param{{Name: "binary", Default: false}}, func(st *state, c *expr.Call) (any, error) {
		size, err := expr.ToFloat(c.Args[0])
		if err != nil {
			return nil, err
		}
		binary := expr.Truthy(c.Args[1])
		base := 1000.0
		prefixes := []string{"kB", "MB", "GB", "TB", "PB", "EB", "ZB", "YB"}
		if binary {
			base = 1024
			prefixes = []string{"KiB", "MiB", "GiB", "TiB", "PiB", "EiB", "ZiB", "YiB"}
		}
		switch {
		case size == 1:
			return "1 Byte", nil
		case size < base:
			n, _ := expr.ToInt(size)
			return expr.Str(n) + " Bytes", nil
		}
		var unit float64
		var prefix string
		for i, p := range prefixes {
			unit = math.Pow(base, float64(i+2))
			prefix = p
			if size < unit {
				break
			}
		}
		return strconv.FormatFloat(base*size/unit, 'f', 1, 64) + " " + prefix, nil
	})
	first := add("first", 0, nil, func(st *state, c *expr.Call) (any, error) {
		items, err := st.iterate(c.Args[0])
		if err != nil {
			return nil, err
		}
		if len(items) == 0 {
			return &Undefined{hint: "No first item, sequence was empty.", strict: st.env.strict}, nil
		}
		return items[0], nil
	})
	_ = first
	add("last", 0, nil, func(st *state, c *expr.Call) (any, error) {
		items, err := st.iterate(c.Args[0])
		if err != nil {
			return nil, err
		}
		if len(items) == 0 {
			return &Undefined{hint: "No last item, sequence was empty.", strict: st.env.strict}, nil
		}
		return items[len(items)-1], nil
	})
	add("float", 0, []expr.Param{{Name: "default", Default: 0.0}}, func(st *state, c *expr.Call) (any, error) {
		if u, ok := c.Args[0].(*Undefined); ok {
			return nil, u.err()
		}
		if k, ok := c.Args[0].(*KVLookup); ok {
			if f, ok := k.number(); ok {
				return f, nil
			}
			return c.Args[1], nil
		}
		v, err := expr.ToFloat(c.Args[0])
		if err != nil {
			return c.Args[1], nil
		}
		return v, nil
	})
	raw("format", func(st *state, v any, args []any, kw []expr.NamedArg) (any, error) {
		if len(args) > 0 && len(kw) > 0 {
			return nil, &expr.PyError{Type: "FilterArgumentError", Msg: "can't handle positional and keyword arguments at the same time"}
		}
		s, err := st.str(v)
		if err != nil {
			return nil, err
		}
		if len(kw) > 0 {
			d := expr.NewDict(len(kw))
			for _, k := range kw {
				d.Set(k.Name, k.Value)
			}
			return expr.PercentFormat(s, d)
		}
		return expr.PercentFormat(s, expr.Tuple(args))
	})
	add("groupby", 1, []expr.Param{{Name: "attribute"}, {Name: "default"}, {Name: "case_sensitive", Default: false}}, func(st *state, c *expr.Call) (any, error) {
		items, err := st.list(c.Args[0])
		if err != nil {
			return nil, err
		}
		lower := !expr.Truthy(c.Args[3])
		key := st.attrGetter(c.Args[1], c.Args[2], lower)
		if err := st.sortValues(items, key, false); err != nil {
			return nil, err
		}
		var out []any
		var curKey any
		var cur []any
		for i, it := range items {
			k, err := key(it)
			if err != nil {
				return nil, err
			}
			if i > 0 && expr.Equal(k, curKey) {
				cur = append(cur, it)
				continue
			}
			if i > 0 {
				out = append(out, expr.Tuple{curKey, cur})
			}
			curKey, cur = k, []any{it}
		}
		if len(items) > 0 {
			out = append(out, expr.Tuple{curKey, cur})
		}
		if lower {
			real := st.attrGetter(c.Args[1], c.Args[2], false)
			for i, g := range out {
				t := g.(expr.Tuple)
				k, err := real(t[1].([]any)[0])
				if err != nil {
					return nil, err
				}
				out[i] = expr.Tuple{k, t[1]}
			}
		}
		if out == nil {
			out = []any{}
		}
		return out, nil
	})
	add("indent", 0, []expr.Param{{Name: "width", Default: int64(4)}, {Name: "first", Default: false}, {Name: "blank", Default: false}}, func(st *state, c *expr.Call) (any, error) {
		s, err := st.str(c.Args[0])
		if err != nil {
			return nil, err
		}
		var ind string
		switch w := c.Args[1].(type) {
		case string:
			ind = w
		default:
			n, err := intArg(w, "width")
			if err != nil {
				return nil, err
			}
			if err := st.b.CheckSize(n); err != nil {
				return nil, err
			}
			ind = strings.Repeat(" ", int(max(n, 0)))
		}
		s += "\n"
		lines := splitlines(s)
		var rv string
		if expr.Truthy(c.Args[3]) {
			rv = strings.Join(lines, "\n"+ind)
		} else {
			rv = lines[0]
			if len(lines) > 1 {
				var rest []string
				for _, l := range lines[1:] {
					if l != "" {
						l = ind + l
					}
					rest = append(rest, l)
				}
				rv += "\n" + strings.Join(rest, "\n")
			}
		}
		if expr.Truthy(c.Args[2]) {
			rv = ind + rv
		}
		return rv, st.b.CheckSize(int64(len(rv)))
	})
	add("int", 0, []expr.Param{{Name: "default", Default: int64(0)}, {Name: "base", Default: int64(10)}}, func(st *state, c *expr.Call) (any, error) {
		v := c.Args[0]
		if u, ok := v.(*Undefined); ok {
			return nil, u.err()
		}
		if k, ok := v.(*KVLookup); ok {
			if f, ok := k.number(); ok {
				return expr.ToInt(f)
			}
			return c.Args[1], nil
		}
		if s, ok := v.(string); ok {
			base, err := expr.ToInt64(c.Args[2])
			if err != nil {
				return nil, err
			}
			if n, ok := parseIntBase(s, int(base)); ok {
				return n, nil
			}
		} else if n, err := expr.ToInt(v); err == nil {
			return n, nil
		}
		fl, err := expr.ToFloat(v)
		if err != nil {
			return c.Args[1], nil
		}
		n, err := expr.ToInt(fl)
		if err != nil {
			return c.Args[1], nil
		}
		return n, nil
	})
	add("items", 0, nil, func(st *state, c *expr.Call) (any, error) {
		if IsUndefined(c.Args[0]) {
			return &generator{items: nil, name: "do_items"}, nil
		}
		d, ok := c.Args[0].(*expr.Dict)
		if !ok {
			return nil, expr.TypeErrorf("Can only get item pairs from a mapping.")
		}
		return &generator{items: expr.Items(d), name: "do_items"}, nil
	}).undefinedOK = true
	add("join", 0, []expr.Param{{Name: "d", Default: ""}, {Name: "attribute"}}, func(st *state, c *expr.Call) (any, error) {
		items, err := st.iterate(c.Args[0])
		if err != nil {
			return nil, err
		}
		if c.Args[2] != nil {
			get := st.attrGetter(c.Args[2], nil, false)
			mapped := make([]any, len(items))
			for i, it := range items {
				if mapped[i], err = get(it); err != nil {
					return nil, err
				}
			}
			items = mapped
		}
		sep, err := st.str(c.Args[1])
		if err != nil {
			return nil, err
		}
		parts := make([]string, len(items))
		total := 0
		for i, it := range items {
			if parts[i], err = st.str(it); err != nil {
				return nil, err
			}
			total += len(parts[i]) + len(sep)
		}
		if err := st.b.CheckSize(int64(total)); err != nil {
			return nil, err
		}
		return strings.Join(parts, sep), nil
	})
	length := add("length", 0, nil, func(st *state, c *expr.Call) (any, error) {
		n, err := expr.Len(c.Args[0])
		if err != nil {
			return nil, err
		}
		return int64(n), nil
	})
	f["count"] = length
	add("list", 0, nil, func(st *state, c *expr.Call) (any, error) {
		return st.list(c.Args[0])
	})
	strFilter("lower", strings.ToLower)
	strFilter("upper", pyUpper)
	raw("map", func(st *state, v any, args []any, kw []expr.NamedArg) (any, error) {
		items, err := st.iterate(v)
		if err != nil {
			return nil, err
		}
		out := &generator{name: "sync_do_map"}
		if !expr.Truthy(v) {
			return out, nil
		}
		var fn func(any) (any, error)
		if len(args) == 0 && hasKw(kw, "attribute") {
			var attr, dflt any
			for _, k := range kw {
				switch k.Name {
				case "attribute":
					attr = k.Value
				case "default":
					dflt = k.Value
				default:
					return nil, &expr.PyError{Type: "FilterArgumentError", Msg: "Unexpected keyword argument '" + k.Name + "'"}
				}
			}
			fn = st.attrGetter(attr, dflt, false)
		} else {
			if len(args) == 0 {
				return nil, &expr.PyError{Type: "FilterArgumentError", Msg: "map requires a filter argument"}
			}
			name, ok := args[0].(string)
			if !ok {
				return nil, expr.TypeErrorf("filter name must be a string")
			}
			rest := args[1:]
			fn = func(it any) (any, error) { return st.callFilter(name, it, rest, kw) }
		}
		for _, it := range items {
			r, err := fn(it)
			if err != nil {
				return nil, err
			}
			out.items = append(out.items, r)
		}
		return out, nil
	})
	minMax := func(name string, want int) {
		add(name, 0, []expr.Param{{Name: "case_sensitive", Default: false}, {Name: "attribute"}}, func(st *state, c *expr.Call) (any, error) {
			items, err := st.iterate(c.Args[0])
			if err != nil {
				return nil, err
			}
			if len(items) == 0 {
				return &Undefined{hint: "No aggregated item, sequence was empty.", strict: st.env.strict}, nil
			}
			key := st.attrGetter(c.Args[2], nil, !expr.Truthy(c.Args[1]))
			best := items[0]
			bk, err := key(best)
			if err != nil {
				return nil, err
			}
			for _, it := range items[1:] {
				k, err := key(it)
				if err != nil {
					return nil, err
				}
				var better bool
				if want > 0 {
					better, err = expr.CompareOp(">", k, bk)
				} else {
					better, err = expr.CompareOp("<", k, bk)
				}
				if err != nil {
					return nil, err
				}
				if better {
					best, bk = it, k
				}
			}
			return best, nil
		})
	}
	minMax("min", -1)
	minMax("max", 1)
	add("pprint", 0, nil, func(st *state, c *expr.Call) (any, error) {
		return pprint(c.Args[0]), nil
	})
	add("random", 0, nil, func(st *state, c *expr.Call) (any, error) {
		items, err := st.iterate(c.Args[0])
		if err != nil {
			return nil, err
		}
		if len(items) == 0 {
			return &Undefined{hint: "No random item, sequence was empty.", strict: st.env.strict}, nil
		}
		return items[rand.IntN(len(items))], nil
	})
	selectReject := func(name string, keep bool, byAttr bool) {
		raw(name, func(st *state, v any, args []any, kw []expr.NamedArg) (any, error) {
			items, err := st.iterate(v)
			if err != nil {
				return nil, err
			}
			out := &generator{name: "select_or_reject"}
			if !expr.Truthy(v) {
				return out, nil
			}
			trans := func(x any) (any, error) { return x, nil }
			off := 0
			if byAttr {
				if len(args) == 0 {
					return nil, &expr.PyError{Type: "FilterArgumentError", Msg: "Missing parameter for attribute name"}
				}
				trans = st.attrGetter(args[0], nil, false)
				off = 1
			}
			test := func(x any) (bool, error) { return st.truth(x) }
			if len(args) > off {
				tname, ok := args[off].(string)
				if !ok {
					return nil, expr.TypeErrorf("test name must be a string")
				}
				targs := args[off+1:]
				test = func(x any) (bool, error) { return st.callTest(tname, x, targs, kw) }
			}
			for _, it := range items {
				x, err := trans(it)
				if err != nil {
					return nil, err
				}
				ok, err := test(x)
				if err != nil {
					return nil, err
				}
				if ok == keep {
					out.items = append(out.items, it)
				}
			}
			return out, nil
		})
	}
	selectReject("select", true, false)
	selectReject("reject", false, false)
	selectReject("selectattr", true, true)
	selectReject("rejectattr", false, true)
	add("replace", 2, []expr.Param{{Name: "old"}, {Name: "new"}, {Name: "count"}}, func(st *state, c *expr.Call) (any, error) {
		s, err := st.str(c.Args[0])
		if err != nil {
			return nil, err
		}
		count := c.Args[3]
		if count == nil {
			count = int64(-1)
		}
		return st.strMethod(s, "replace", []any{expr.Str(c.Args[1]), expr.Str(c.Args[2]), count}, nil)
	})
	add("reverse", 0, nil, func(st *state, c *expr.Call) (any, error) {
		if s, ok := c.Args[0].(string); ok {
			r := []rune(s)
			for i, j := 0, len(r)-1; i < j; i, j = i+1, j-1 {
				r[i], r[j] = r[j], r[i]
			}
			return string(r), nil
		}
		items, err := st.iterate(c.Args[0])
		if err != nil {
			return nil, &expr.PyError{Type: "FilterArgumentError", Msg: "argument must be iterable"}
		}
		out := make([]any, len(items))
		for i, it := range items {
			out[len(items)-1-i] = it
		}
		return &generator{items: out, name: "reversed"}, nil
	})
	add("round", 0, []expr.Param{{Name: "precision", Default: int64(0)}, {Name: "method", Default: "common"}}, func(st *state, c *expr.Call) (any, error) {
		method, _ := c.Args[2].(string)
		if method != "common" && method != "ceil" && method != "floor" {
			return nil, &expr.PyError{Type: "FilterArgumentError", Msg: "method must be common, ceil or floor"}
		}
		prec, err := expr.ToInt64(c.Args[1])
		if err != nil {
			return nil, err
		}
		v := c.Args[0]
		if method == "common" {
			switch x := v.(type) {
			case int64, *big.Int, bool:
				if prec >= 0 {
					n, _ := expr.ToInt(x)
					return n, nil
				}
				n, _ := expr.ToInt(x)
				return roundInt(n, prec), nil
			case float64:
				return pyRound(x, prec), nil
			}
			return nil, expr.TypeErrorf("type %s doesn't define __round__ method", expr.TypeName(v))
		}
		fl, err := expr.ToFloat(v)
		if err != nil {
			return nil, err
		}
		p := math.Pow(10, float64(prec))
		if method == "ceil" {
			return math.Ceil(fl*p) / p, nil
		}
		return math.Floor(fl*p) / p, nil
	})
	f["safe"] = &builtin{spec: filterSpec("safe", 0), fn: func(st *state, c *expr.Call) (any, error) {
		return st.str(c.Args[0])
	}}
	add("slice", 1, []expr.Param{{Name: "slices"}, {Name: "fill_with"}}, func(st *state, c *expr.Call) (any, error) {
		seq, err := st.list(c.Args[0])
		if err != nil {
			return nil, err
		}
		n, err := intArg(c.Args[1], "slices")
		if err != nil {
			return nil, err
		}
		if n <= 0 {
			return nil, &expr.PyError{Type: "ZeroDivisionError", Msg: "integer division or modulo by zero"}
		}
		if err := st.b.CheckSize(n); err != nil {
			return nil, err
		}
		length := int64(len(seq))
		per, extra := length/n, length%n
		offset := int64(0)
		var out []any
		for i := int64(0); i < n; i++ {
			start := offset + i*per
			if i < extra {
				offset++
			}
			end := offset + (i+1)*per
			tmp := append([]any{}, seq[start:end]...)
			if c.Args[2] != nil && i >= extra {
				tmp = append(tmp, c.Args[2])
			}
			out = append(out, tmp)
		}
		return &generator{items: out, name: "sync_do_slice"}, nil
	})
	add("sort", 0, []expr.Param{{Name: "reverse", Default: false}, {Name: "case_sensitive", Default: false}, {Name: "attribute"}}, func(st *state, c *expr.Call) (any, error) {
		items, err := st.list(c.Args[0])
		if err != nil {
			return nil, err
		}
		lower := !expr.Truthy(c.Args[2])
		var key func(any) (any, error)
		if c.Args[3] == nil {
			key = func(v any) (any, error) {
				if lower {
					return lowerIfStr(v), nil
				}
				return v, nil
			}
		} else {
			key = st.multiAttrGetter(c.Args[3], lower)
		}
		return items, st.sortValues(items, key, expr.Truthy(c.Args[1]))
	})
	add("string", 0, nil, func(st *state, c *expr.Call) (any, error) {
		return st.str(c.Args[0])
	})
	add("striptags", 0, nil, func(st *state, c *expr.Call) (any, error) {
		s, err := st.str(c.Args[0])
		if err != nil {
			return nil, err
		}
		s = stripCommentsRe.ReplaceAllString(s, "")
		s = stripTagsRe.ReplaceAllString(s, "")
		s = strings.Join(strings.FieldsFunc(s, isPySpace), " ")
		return html.UnescapeString(s), nil
	})
	add("sum", 0, []expr.Param{{Name: "attribute"}, {Name: "start", Default: int64(0)}}, func(st *state, c *expr.Call) (any, error) {
		items, err := st.iterate(c.Args[0])
		if err != nil {
			return nil, err
		}
		get := func(v any) (any, error) { return v, nil }
		if c.Args[1] != nil {
			get = st.attrGetter(c.Args[1], nil, false)
		}
		total := c.Args[2]
		if _, ok := total.(string); ok {
			return nil, expr.TypeErrorf("sum() can't sum strings [use ''.join(seq) instead]")
		}
		for _, it := range items {
			v, err := get(it)
			if err != nil {
				return nil, err
			}
			if err := st.check(v); err != nil {
				return nil, err
			}
			if total, err = expr.Arith(expr.OpAdd, total, v, st.b); err != nil {
				return nil, err
			}
		}
		return total, nil
	})
	add("title", 0, nil, func(st *state, c *expr.Call) (any, error) {
		s, err := st.str(c.Args[0])
		if err != nil {
			return nil, err
		}
		var b strings.Builder
		last := 0
		for _, m := range wordBeginningSplit.FindAllStringIndex(s, -1) {
			if m[0] > last {
				b.WriteString(titleWord(s[last:m[0]]))
			}
			b.WriteString(titleWord(s[m[0]:m[1]]))
			last = m[1]
		}
		if last < len(s) {
			b.WriteString(titleWord(s[last:]))
		}
		return b.String(), nil
	})
	add("tojson", 0, []expr.Param{{Name: "indent"}}, func(st *state, c *expr.Call) (any, error) {
		return expr.ToJSONWith(c.Args[0], expr.JSONOptions{Indent: c.Args[1], SortKeys: true, ASCII: true, HTMLSafe: true})
	})
	add("trim", 0, []expr.Param{{Name: "chars"}}, func(st *state, c *expr.Call) (any, error) {
		s, err := st.str(c.Args[0])
		if err != nil {
			return nil, err
		}
		return pyStrip(s, c.Args[1], true, true)
	})
	add("truncate", 0, []expr.Param{{Name: "length", Default: int64(255)}, {Name: "killwords", Default: false}, {Name: "end", Default: "..."}, {Name: "leeway"}}, func(st *state, c *expr.Call) (any, error) {
		s, err := st.str(c.Args[0])
		if err != nil {
			return nil, err
		}
		length, err := intArg(c.Args[1], "length")
		if err != nil {
			return nil, err
		}
		end, err := st.str(c.Args[3])
		if err != nil {
			return nil, err
		}
		leeway := int64(5)
		if c.Args[4] != nil {
			if leeway, err = intArg(c.Args[4], "leeway"); err != nil {
				return nil, err
			}
		}
		endLen := int64(utf8.RuneCountInString(end))
		if length < endLen {
			return nil, &expr.PyError{Type: "AssertionError", Msg: "expected length >= " + strconv.FormatInt(endLen, 10) + ", got " + strconv.FormatInt(length, 10)}
		}
		if leeway < 0 {
			return nil, &expr.PyError{Type: "AssertionError", Msg: "expected leeway >= 0, got " + strconv.FormatInt(leeway, 10)}
		}
		rs := []rune(s)
		if int64(len(rs)) <= length+leeway {
			return s, nil
		}
		cut := string(rs[:length-endLen])
		if expr.Truthy(c.Args[2]) {
			return cut + end, nil
		}
		if i := strings.LastIndex(cut, " "); i >= 0 {
			cut = cut[:i]
		}
		return cut + end, nil
	})
	add("unique", 0, []expr.Param{{Name: "case_sensitive", Default: false}, {Name: "attribute"}}, func(st *state, c *expr.Call) (any, error) {
		items, err := st.iterate(c.Args[0])
		if err != nil {
			return nil, err
		}
		key := st.attrGetter(c.Args[2], nil, !expr.Truthy(c.Args[1]))
		seen, _ := expr.NewSet()
		out := &generator{name: "do_unique"}
		for _, it := range items {
			k, err := key(it)
			if err != nil {
				return nil, err
			}
			if seen.Contains(k) {
				continue
			}
			if err := seen.Add(k); err != nil {
				return nil, err
			}
			out.items = append(out.items, it)
		}
		return out, nil
	})
	add("urlencode", 0, nil, func(st *state, c *expr.Call) (any, error) {
		v := c.Args[0]
		var pairs []any
		switch x := v.(type) {
		case string:
			return urlQuote(x, false), nil
		case *expr.Dict:
			pairs = expr.Items(x)
		case []any, expr.Tuple:
			pairs, _ = expr.Iterate(x)
		default:
			if _, ok := v.(expr.Iterable); !ok {
				return urlQuote(expr.Str(v), false), nil
			}
			pairs, _ = expr.Iterate(x)
		}
		parts := make([]string, len(pairs))
		for i, pv := range pairs {
			kv, err := expr.Iterate(pv)
			if err != nil || len(kv) != 2 {
				return nil, expr.ValueErrorf("too many values to unpack (expected 2)")
			}
			parts[i] = urlQuote(expr.Str(kv[0]), true) + "=" + urlQuote(expr.Str(kv[1]), true)
		}
		return strings.Join(parts, "&"), nil
	})
	add("urlize", 0, []expr.Param{{Name: "trim_url_limit"}, {Name: "nofollow", Default: false}, {Name: "target"}, {Name: "rel"}, {Name: "extra_schemes"}}, func(st *state, c *expr.Call) (any, error) {
		s, err := st.str(c.Args[0])
		if err != nil {
			return nil, err
		}
		return urlize(s), nil
	})
	add("wordcount", 0, nil, func(st *state, c *expr.Call) (any, error) {
		s, err := st.str(c.Args[0])
		if err != nil {
			return nil, err
		}
		return int64(len(wordRe.FindAllStringIndex(s, -1))), nil
	})
	add("wordwrap", 0, []expr.Param{{Name: "width", Default: int64(79)}, {Name: "break_long_words", Default: true}, {Name: "wrapstring"}, {Name: "break_on_hyphens", Default: true}}, func(st *state, c *expr.Call) (any, error) {
		s, err := st.str(c.Args[0])
		if err != nil {
			return nil, err
		}
		w, err := intArg(c.Args[1], "width")
		if err != nil {
			return nil, err
		}
		if w <= 0 {
			return nil, expr.ValueErrorf("invalid width %d (must be > 0)", w)
		}
		wrap := "\n"
		if c.Args[3] != nil {
			wrap = expr.Str(c.Args[3])
		}
		var paras []string
		for _, line := range splitlines(s) {
			paras = append(paras, strings.Join(textwrapLines(line, int(w), expr.Truthy(c.Args[2]), expr.Truthy(c.Args[4])), wrap))
		}
		return strings.Join(paras, wrap), nil
	})
	add("xmlattr", 0, []expr.Param{{Name: "autospace", Default: true}}, func(st *state, c *expr.Call) (any, error) {
		d, ok := c.Args[0].(*expr.Dict)
		if !ok {
			return nil, &expr.PyError{Type: "AttributeError", Msg: "'" + expr.TypeName(c.Args[0]) + "' object has no attribute 'items'"}
		}
		var items []string
		var ferr error
		d.Range(func(k, v any) bool {
			if v == nil || IsUndefined(v) {
				return true
			}
			ks := expr.Str(k)
			if xmlAttrKeyRe.MatchString(ks) {
				ferr = expr.ValueErrorf("Invalid character in attribute name: %s", expr.Repr(ks))
				return false
			}
			items = append(items, htmlEscape(ks)+`="`+htmlEscape(expr.Str(v))+`"`)
			return true
		})
		if ferr != nil {
			return nil, ferr
		}
		rv := strings.Join(items, " ")
		if expr.Truthy(c.Args[1]) && rv != "" {
			rv = " " + rv
		}
		return rv, nil
	})
	return f
}

func titleWord(w string) string {
	if w == "" {
		return w
	}
	r, size := utf8.DecodeRuneInString(w)
	return strings.ToUpper(string(r)) + strings.ToLower(w[size:])
}

func hasKw(kw []expr.NamedArg, name string) bool {
	for _, k := range kw {
		if k.Name == name {
			return true
		}
	}
	return false
}

func numberLike(v any) bool {
	_, ok := v.(bool)
	return ok
}

// parseIntBase is Python's int(s, base), base 0 allowing prefixes.
func parseIntBase(s string, base int) (any, bool) {
	t := strings.TrimSpace(s)
	neg := false
	if strings.HasPrefix(t, "-") || strings.HasPrefix(t, "+") {
		neg, t = t[0] == '-', t[1:]
	}
	low := strings.ToLower(t)
	switch {
	case (base == 16 || base == 0) && strings.HasPrefix(low, "0x"):
		t, base = t[2:], 16
	case (base == 8 || base == 0) && strings.HasPrefix(low, "0o"):
		t, base = t[2:], 8
	case (base == 2 || base == 0) && strings.HasPrefix(low, "0b"):
		t, base = t[2:], 2
	case base == 0:
		base = 10
	}
	t = strings.ReplaceAll(t, "_", "")
	if t == "" || base < 2 || base > 36 {
		return nil, false
	}
	b, ok := new(big.Int).SetString(t, base)
	if !ok {
		return nil, false
	}
	if neg {
		b.Neg(b)
	}
	if b.IsInt64() {
		return b.Int64(), true
	}
	return b, true
}

// pprint is Python's pprint.pformat for values that fit on one line
// (dict keys sorted when they can be).
func pprint(v any) string {
	switch x := v.(type) {
	case *expr.Dict:
		keys, vals := x.KeyValues()
		idx := make([]int, len(keys))
		for i := range idx {
			idx[i] = i
		}
		sortable := true
		sort.SliceStable(idx, func(a, b int) bool {
			lt, err := expr.CompareOp("<", keys[idx[a]], keys[idx[b]])
			if err != nil {
				sortable = false
			}
			return lt
		})
		if !sortable {
			for i := range idx {
				idx[i] = i
			}
		}
		var b strings.Builder
		b.WriteByte('{')
		for n, i := range idx {
			if n > 0 {
				b.WriteString(", ")
			}
			b.WriteString(pprint(keys[i]))
			b.WriteString(": ")
			b.WriteString(pprint(vals[i]))
		}
		b.WriteByte('}')
		return b.String()
	case []any:
		parts := make([]string, len(x))
		for i, e := range x {
			parts[i] = pprint(e)
		}
		return "[" + strings.Join(parts, ", ") + "]"
	}
	return expr.Repr(v)
}

var urlizeRe = regexp.MustCompile(`^(https?://|www\.)[^\s<>"]+$`)

// urlize turns URLs in text into links (a simplified urlize).
func urlize(s string) string {
	words := strings.Split(s, " ")
	for i, w := range words {
		if urlizeRe.MatchString(w) {
			href := w
			if strings.HasPrefix(w, "www.") {
				href = "https://" + w
			}
			words[i] = `<a href="` + htmlEscape(href) + `" rel="noopener">` + htmlEscape(w) + `</a>`
		} else {
			words[i] = htmlEscape(w)
		}
	}
	return strings.Join(words, " ")
}

// roundInt is Python's round(int, ndigits) for ndigits < 0: exact,
// halves to even.
func roundInt(n any, nd int64) any {
	b := new(big.Int)
	switch x := n.(type) {
	case int64:
		b.SetInt64(x)
	case *big.Int:
		b.Set(x)
	}
	if nd < -400 {
		return int64(0)
	}
	p := new(big.Int).Exp(big.NewInt(10), big.NewInt(-nd), nil)
	q, r := new(big.Int).DivMod(b, p, new(big.Int))
	twice := new(big.Int).Lsh(r, 1)
	switch c := twice.Cmp(p); {
	case c > 0, c == 0 && q.Bit(0) == 1:
		q.Add(q, big.NewInt(1))
	}
	q.Mul(q, p)
	if q.IsInt64() {
		return q.Int64()
	}
	return q
}
