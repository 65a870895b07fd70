package jinja

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/st2go/st2go/internal/expr"
)

// Methods templates may call on values, by receiver type. Everything
// else about a value is out of reach (the sandbox).
var (
	strMethods = setOf("capitalize", "casefold", "center", "count", "endswith", "find", "format", "format_map",
		"index", "isalnum", "isalpha", "isascii", "isdecimal", "isdigit", "isidentifier", "islower", "isnumeric",
		"isspace", "istitle", "isupper", "join", "ljust", "lower", "lstrip", "partition", "removeprefix",
		"removesuffix", "replace", "rfind", "rindex", "rjust", "rpartition", "rsplit", "rstrip", "split",
		"splitlines", "startswith", "strip", "swapcase", "title", "upper", "zfill")
	listMethods  = setOf("append", "clear", "copy", "count", "extend", "index", "insert", "pop", "remove", "reverse", "sort")
	tupleMethods = setOf("count", "index")
	dictMethods  = setOf("clear", "copy", "get", "items", "keys", "pop", "popitem", "setdefault", "update", "values")
)

func setOf(names ...string) map[string]bool {
	m := make(map[string]bool, len(names))
	for _, n := range names {
		m[n] = true
	}
	return m
}

// isDunder reports a name Python objects have as an attribute
// (__class__, __init__, ...): the sandbox refuses them.
func isDunder(name string) bool {
	return len(name) > 4 && strings.HasPrefix(name, "__") && strings.HasSuffix(name, "__")
}

func (st *state) unsafe(obj any, name string) *Undefined {
	return &Undefined{hint: "access to attribute '" + name + "' of '" + expr.TypeName(obj) + "' object is unsafe.", strict: st.env.strict, name: name, obj: obj, hasObj: true}
}

// attribute is Python's getattr for the model: methods of str, list,
// tuple and dict, and the attributes of engine objects.
func (st *state) attribute(obj any, name string) (any, bool, error) {
	switch x := obj.(type) {
	case string:
		if strMethods[name] {
			return &boundMethod{recv: x, name: name}, true, nil
		}
	case []any:
		if listMethods[name] {
			return &boundMethod{recv: x, name: name}, true, nil
		}
	case expr.Tuple:
		if tupleMethods[name] {
			return &boundMethod{recv: x, name: name}, true, nil
		}
	case *expr.Dict:
		if dictMethods[name] {
			return &boundMethod{recv: x, name: name}, true, nil
		}
	case float64:
		switch name {
		case "real":
			return x, true, nil
		case "imag":
			return 0.0, true, nil
		case "is_integer":
			return &boundMethod{recv: x, name: name}, true, nil
		}
	case int64, bool:
		switch name {
		case "real", "numerator":
			v, _ := expr.Arith(expr.OpAdd, int64(0), x, nil)
			return v, true, nil
		case "imag":
			return int64(0), true, nil
		case "denominator":
			return int64(1), true, nil
		}
	case attrHolder:
		return x.attr(st, name)
	case Attributer:
		return x.Attr(st.b.Context(), name)
	}
	return nil, false, nil
}

// getattr is Jinja's sandboxed obj.name: the attribute, else the item
// obj['name'], else undefined.
func (st *state) getattr(obj any, name string) (any, error) {
	if u, ok := obj.(*Undefined); ok {
		return nil, u.err()
	}
	if isDunder(name) {
		return st.unsafe(obj, name), nil
	}
	v, ok, err := st.attribute(obj, name)
	if err != nil {
		return nil, err
	}
	if ok {
		return v, nil
	}
	if d, ok := obj.(*expr.Dict); ok {
		if v, ok := d.Get(name); ok {
			return v, nil
		}
	}
	return st.undefinedAttr(obj, name), nil
}

// getitem is Jinja's obj[key]: the item, else (for a string key) the
// attribute, else undefined.
func (st *state) getitem(obj, key any) (any, error) {
	if u, ok := obj.(*Undefined); ok {
		return nil, u.err()
	}
	if err := st.check(key); err != nil {
		return nil, err
	}
	switch x := obj.(type) {
	case *expr.Dict, []any, expr.Tuple, string:
		v, err := expr.GetItem(x, key)
		if err == nil {
			return v, nil
		}
		var pe *expr.PyError
		if !asPyError(err, &pe) || (pe.Type != "KeyError" && pe.Type != "IndexError" && pe.Type != "TypeError") {
			return nil, err
		}
	case *rangeValue, *dictView, *generator:
		if it, ok := x.(expr.Iterable); ok {
			if _, isRange := x.(*rangeValue); isRange {
				items, _ := it.PyIter()
				if v, err := expr.GetItem(items, key); err == nil {
					return v, nil
				}
			}
		}
	}
	if name, ok := key.(string); ok {
		if isDunder(name) {
			return st.unsafe(obj, name), nil
		}
		v, found, err := st.attribute(obj, name)
		if err != nil {
			return nil, err
		}
		if found {
			return v, nil
		}
	}
	return st.undefinedAttr(obj, key), nil
}

func asPyError(err error, pe **expr.PyError) bool {
	for err != nil {
		if p, ok := err.(*expr.PyError); ok {
			*pe = p
			return true
		}
		u, ok := err.(interface{ Unwrap() error })
		if !ok {
			return false
		}
		err = u.Unwrap()
	}
	return false
}

// argsSpec binds method arguments by position and name.
func bindArgs(name string, args []any, kw []expr.NamedArg, min int, params ...expr.Param) ([]any, error) {
	spec := expr.FuncSpec{Name: name, MinArgs: min, MaxArgs: len(params), Params: params}
	c, err := spec.Bind(args, kw)
	if err != nil {
		return nil, err
	}
	return c.Args, nil
}

func p(name string) expr.Param           { return expr.Param{Name: name} }
func pd(name string, def any) expr.Param { return expr.Param{Name: name, Default: def} }
func strArg(fn string, v any) (string, error) {
	s, ok := v.(string)
	if !ok {
		return "", expr.TypeErrorf("%s() argument must be str, not %s", fn, expr.TypeName(v))
	}
	return s, nil
}

// callMethod calls a Python method. For a list method that mutates its
// receiver it also returns the new list, for the caller to store back.
func (st *state) callMethod(m *boundMethod, args []any, kw []expr.NamedArg) (any, []any, error) {
	for _, a := range args {
		if err := st.check(a); err != nil {
			return nil, nil, err
		}
	}
	switch r := m.recv.(type) {
	case string:
		v, err := st.strMethod(r, m.name, args, kw)
		return v, nil, err
	case []any:
		return st.listMethod(r, m.name, args, kw)
	case expr.Tuple:
		v, _, err := st.listMethod([]any(r), m.name, args, kw)
		return v, nil, err
	case *expr.Dict:
		v, err := st.dictMethod(r, m.name, args, kw)
		return v, nil, err
	case float64:
		if m.name == "is_integer" {
			return r == float64(int64(r)), nil, nil
		}
	}
	return nil, nil, expr.TypeErrorf("'%s' object is not callable", m.TypeName())
}

func (st *state) dictMethod(d *expr.Dict, name string, args []any, kw []expr.NamedArg) (any, error) {
	switch name {
	case "keys", "values", "items":
		if _, err := bindArgs(name, args, kw, 0); err != nil {
			return nil, err
		}
		return &dictView{d: d, kind: name}, nil
	case "get":
		a, err := bindArgs(name, args, nil, 1, p("key"), pd("default", nil))
		if err != nil {
			return nil, err
		}
		v, found, err := d.Lookup(a[0])
		if err != nil {
			return nil, err
		}
		if !found {
			return a[1], nil
		}
		return v, nil
	case "copy":
		return d.Copy(), nil
	case "clear":
		keys, _ := d.KeyValues()
		for _, k := range append([]any(nil), keys...) {
			_, _ = d.Delete(k)
		}
		return nil, nil
	case "pop":
		if len(args) < 1 || len(args) > 2 {
			return nil, expr.TypeErrorf("pop expected at least 1 argument, got %d", len(args))
		}
		v, found, err := d.Lookup(args[0])
		if err != nil {
			return nil, err
		}
		if !found {
			if len(args) == 2 {
				return args[1], nil
			}
			return nil, &expr.PyError{Type: "KeyError", Msg: expr.Repr(args[0])}
		}
		_, _ = d.Delete(args[0])
		return v, nil
	case "popitem":
		keys, vals := d.KeyValues()
		if len(keys) == 0 {
			return nil, &expr.PyError{Type: "KeyError", Msg: "'popitem(): dictionary is empty'"}
		}
		k, v := keys[len(keys)-1], vals[len(vals)-1]
		_, _ = d.Delete(k)
		return expr.Tuple{k, v}, nil
	case "setdefault":
		a, err := bindArgs(name, args, nil, 1, p("key"), pd("default", nil))
		if err != nil {
			return nil, err
		}
		v, found, err := d.Lookup(a[0])
		if err != nil {
			return nil, err
		}
		if found {
			return v, nil
		}
		return a[1], d.SetKey(a[0], a[1])
	case "update":
		if len(args) > 1 {
			return nil, expr.TypeErrorf("update expected at most 1 argument, got %d", len(args))
		}
		if len(args) == 1 {
			if err := updateDict(d, args[0]); err != nil {
				return nil, err
			}
		}
		for _, k := range kw {
			d.Set(k.Name, k.Value)
		}
		return nil, nil
	}
	return nil, expr.TypeErrorf("'dict' object has no method %s", name)
}

// updateDict is dict.update(other): a dict, or pairs.
func updateDict(d *expr.Dict, other any) error {
	if o, ok := other.(*expr.Dict); ok {
		var err error
		o.Range(func(k, v any) bool {
			err = d.SetKey(k, v)
			return err == nil
		})
		return err
	}
	items, err := expr.Iterate(other)
	if err != nil {
		return err
	}
	for i, it := range items {
		pair, err := expr.Iterate(it)
		if err != nil {
			return expr.TypeErrorf("cannot convert dictionary update sequence element #%d to a sequence", i)
		}
		if len(pair) != 2 {
			return expr.ValueErrorf("dictionary update sequence element #%d has length %d; 2 is required", i, len(pair))
		}
		if err := d.SetKey(pair[0], pair[1]); err != nil {
			return err
		}
	}
	return nil
}

func (st *state) listMethod(l []any, name string, args []any, kw []expr.NamedArg) (any, []any, error) {
	switch name {
	case "append":
		a, err := bindArgs(name, args, nil, 1, p("object"))
		if err != nil {
			return nil, nil, err
		}
		if err := st.b.CheckSize(int64(len(l) + 1)); err != nil {
			return nil, nil, err
		}
		return nil, append(l[:len(l):len(l)], a[0]), nil
	case "extend":
		a, err := bindArgs(name, args, nil, 1, p("iterable"))
		if err != nil {
			return nil, nil, err
		}
		items, err := st.iterate(a[0])
		if err != nil {
			return nil, nil, err
		}
		if err := st.b.CheckSize(int64(len(l) + len(items))); err != nil {
			return nil, nil, err
		}
		return nil, append(l[:len(l):len(l)], items...), nil
	case "insert":
		a, err := bindArgs(name, args, nil, 2, p("index"), p("object"))
		if err != nil {
			return nil, nil, err
		}
		i, err := expr.ToInt64(a[0])
		if err != nil {
			return nil, nil, err
		}
		n := int64(len(l))
		if i < 0 {
			i = max(0, i+n)
		}
		i = min(i, n)
		out := make([]any, 0, len(l)+1)
		out = append(append(append(out, l[:i]...), a[1]), l[i:]...)
		return nil, out, nil
	case "pop":
		a, err := bindArgs(name, args, nil, 0, pd("index", int64(-1)))
		if err != nil {
			return nil, nil, err
		}
		if len(l) == 0 {
			return nil, nil, &expr.PyError{Type: "IndexError", Msg: "pop from empty list"}
		}
		i, err := expr.ToInt64(a[0])
		if err != nil {
			return nil, nil, err
		}
		if i < 0 {
			i += int64(len(l))
		}
		if i < 0 || i >= int64(len(l)) {
			return nil, nil, &expr.PyError{Type: "IndexError", Msg: "pop index out of range"}
		}
		out := append(append([]any(nil), l[:i]...), l[i+1:]...)
		return l[i], out, nil
	case "remove":
		a, err := bindArgs(name, args, nil, 1, p("value"))
		if err != nil {
			return nil, nil, err
		}
		for i, e := range l {
			if expr.Equal(e, a[0]) {
				return nil, append(append([]any(nil), l[:i]...), l[i+1:]...), nil
			}
		}
		return nil, nil, expr.ValueErrorf("list.remove(x): x not in list")
	case "reverse":
		out := make([]any, len(l))
		for i, e := range l {
			out[len(l)-1-i] = e
		}
		return nil, out, nil
	case "sort":
		a, err := bindArgs(name, nil, kw, 0, pd("key", nil), pd("reverse", false))
		if err != nil {
			return nil, nil, err
		}
		if len(args) > 0 {
			return nil, nil, expr.TypeErrorf("sort() takes no positional arguments")
		}
		out := append([]any(nil), l...)
		if err := st.sortValues(out, func(v any) (any, error) {
			if a[0] == nil {
				return v, nil
			}
			return st.callValue(a[0], []any{v}, nil)
		}, expr.Truthy(a[1])); err != nil {
			return nil, nil, err
		}
		return nil, out, nil
	case "clear":
		return nil, []any{}, nil
	case "copy":
		return append([]any{}, l...), nil, nil
	case "count":
		a, err := bindArgs(name, args, nil, 1, p("value"))
		if err != nil {
			return nil, nil, err
		}
		n := int64(0)
		for _, e := range l {
			if expr.Equal(e, a[0]) {
				n++
			}
		}
		return n, nil, nil
	case "index":
		if len(args) < 1 {
			return nil, nil, expr.TypeErrorf("index expected at least 1 argument, got 0")
		}
		for i, e := range l {
			if expr.Equal(e, args[0]) {
				return int64(i), nil, nil
			}
		}
		return nil, nil, expr.ValueErrorf("%s is not in list", expr.Repr(args[0]))
	}
	return nil, nil, expr.TypeErrorf("'list' object has no method %s", name)
}

func isPySpace(r rune) bool {
	switch r {
	case ' ', '\t', '\n', '\r', '\v', '\f', 0x1c, 0x1d, 0x1e, 0x1f, 0x85:
		return true
	}
	return r > 0x7f && unicode.IsSpace(r)
}

// pyStrip is str.strip/lstrip/rstrip.
func pyStrip(s string, chars any, left, right bool) (string, error) {
	var f func(rune) bool
	switch c := chars.(type) {
	case nil:
		f = isPySpace
	case string:
		f = func(r rune) bool { return strings.ContainsRune(c, r) }
	default:
		return "", expr.TypeErrorf("strip arg must be None or str")
	}
	if left {
		s = strings.TrimLeftFunc(s, f)
	}
	if right {
		s = strings.TrimRightFunc(s, f)
	}
	return s, nil
}

// pySplit is str.split / str.rsplit.
func pySplit(s string, sep any, maxsplit int64, fromRight bool) ([]any, error) {
	var parts []string
	switch sp := sep.(type) {
	case nil:
		fields := strings.FieldsFunc(s, isPySpace)
		if maxsplit < 0 || int64(len(fields)) <= maxsplit+1 {
			parts = fields
		} else if !fromRight {
			// Split maxsplit times from the left; the rest keeps its text.
			rest := strings.TrimLeftFunc(s, isPySpace)
			for i := int64(0); i < maxsplit; i++ {
				j := strings.IndexFunc(rest, isPySpace)
				parts = append(parts, rest[:j])
				rest = strings.TrimLeftFunc(rest[j:], isPySpace)
			}
			parts = append(parts, rest)
		} else {
			rest := strings.TrimRightFunc(s, isPySpace)
			var rev []string
			for i := int64(0); i < maxsplit; i++ {
				j := strings.LastIndexFunc(rest, isPySpace)
				_, size := utf8.DecodeRuneInString(rest[j:])
				rev = append(rev, rest[j+size:])
				rest = strings.TrimRightFunc(rest[:j], isPySpace)
			}
			parts = append(parts, rest)
			for i := len(rev) - 1; i >= 0; i-- {
				parts = append(parts, rev[i])
			}
		}
	case string:
		if sp == "" {
			return nil, expr.ValueErrorf("empty separator")
		}
		switch {
		case maxsplit < 0:
			parts = strings.Split(s, sp)
		case !fromRight:
			parts = strings.SplitN(s, sp, int(maxsplit)+1)
		default:
			all := strings.Split(s, sp)
			if int64(len(all)) > maxsplit+1 {
				head := strings.Join(all[:int64(len(all))-maxsplit], sp)
				parts = append([]string{head}, all[int64(len(all))-maxsplit:]...)
			} else {
				parts = all
			}
		}
	default:
		return nil, expr.TypeErrorf("must be str or None, not %s", expr.TypeName(sep))
	}
	out := make([]any, len(parts))
	for i, p := range parts {
		out[i] = p
	}
	return out, nil
}

// pyTitle is str.title.
func pyTitle(s string) string {
	var b strings.Builder
	prevCased := false
	for _, r := range s {
		if unicode.IsLetter(r) {
			if prevCased {
				b.WriteRune(unicode.ToLower(r))
			} else {
				b.WriteRune(unicode.ToTitle(r))
			}
			prevCased = true
		} else {
			b.WriteRune(r)
			prevCased = false
		}
	}
	return b.String()
}

// pyCapitalize is str.capitalize.
func pyCapitalize(s string) string {
	r, size := utf8.DecodeRuneInString(s)
	if size == 0 {
		return s
	}
	return string(unicode.ToTitle(r)) + strings.ToLower(s[size:])
}

func pyIsCased(s string, upper bool) bool {
	cased := false
	for _, r := range s {
		if unicode.IsUpper(r) || unicode.IsTitle(r) {
			if !upper {
				return false
			}
			cased = true
		} else if unicode.IsLower(r) {
			if upper {
				return false
			}
			cased = true
		}
	}
	return cased
}

func allRunes(s string, f func(rune) bool) bool {
	if s == "" {
		return false
	}
	for _, r := range s {
		if !f(r) {
			return false
		}
	}
	return true
}

// pyFind is str.find/rfind with optional start/end (in characters).
func pyFind(s, sub string, start, end any, right bool) (int64, error) {
	rs := []rune(s)
	idx, err := expr.SliceIndices(len(rs), start, end, nil)
	if err != nil {
		return 0, err
	}
	lo, hi := 0, 0
	if len(idx) > 0 {
		lo, hi = idx[0], idx[len(idx)-1]+1
	} else if start != nil {
		// An empty window still finds "" at its start.
		if st, ok := start.(int64); ok && sub == "" && st >= 0 && st <= int64(len(rs)) {
			return st, nil
		}
		return -1, nil
	}
	window := string(rs[lo:hi])
	var i int
	if right {
		i = strings.LastIndex(window, sub)
	} else {
		i = strings.Index(window, sub)
	}
	if i < 0 {
		return -1, nil
	}
	return int64(lo + utf8.RuneCountInString(window[:i])), nil
}

func pyPad(s string, width int64, fill string, align byte) string {
	n := int64(utf8.RuneCountInString(s))
	if width <= n {
		return s
	}
	pad := width - n
	switch align {
	case '<':
		return s + strings.Repeat(fill, int(pad))
	case '>':
		return strings.Repeat(fill, int(pad)) + s
	}
	left := pad / 2
	if pad%2 == 1 && width%2 == 1 {
		left++
	}
	return strings.Repeat(fill, int(left)) + s + strings.Repeat(fill, int(pad-left))
}

func fillArg(v any) (string, error) {
	s, ok := v.(string)
	if !ok || utf8.RuneCountInString(s) != 1 {
		return "", expr.TypeErrorf("The fill character must be exactly one character long")
	}
	return s, nil
}

func (st *state) strMethod(s, name string, args []any, kw []expr.NamedArg) (any, error) {
	switch name {
	case "upper":
		return pyUpper(s), nil
	case "lower", "casefold":
		return strings.ToLower(s), nil
	case "swapcase":
		return strings.Map(func(r rune) rune {
			if unicode.IsUpper(r) {
				return unicode.ToLower(r)
			}
			return unicode.ToUpper(r)
		}, s), nil
	case "title":
		return pyTitle(s), nil
	case "capitalize":
		return pyCapitalize(s), nil
	case "strip", "lstrip", "rstrip":
		a, err := bindArgs(name, args, nil, 0, pd("chars", nil))
		if err != nil {
			return nil, err
		}
		return pyStrip(s, a[0], name != "rstrip", name != "lstrip")
	case "split", "rsplit":
		a, err := bindArgs(name, args, kw, 0, pd("sep", nil), pd("maxsplit", int64(-1)))
		if err != nil {
			return nil, err
		}
		n, err := expr.ToInt64(a[1])
		if err != nil {
			return nil, err
		}
		return pySplit(s, a[0], n, name == "rsplit")
	case "splitlines":
		a, err := bindArgs(name, args, kw, 0, pd("keepends", false))
		if err != nil {
			return nil, err
		}
		var out []any
		rest := s
		for rest != "" {
			i := strings.IndexAny(rest, "\n\r\v\f\x1c\x1d\x1e\u0085\u2028\u2029")
			if i < 0 {
				out = append(out, rest)
				break
			}
			_, size := utf8.DecodeRuneInString(rest[i:])
			end := i + size
			if rest[i] == '\r' && end < len(rest) && rest[end] == '\n' {
				end++
			}
			if expr.Truthy(a[0]) {
				out = append(out, rest[:end])
			} else {
				out = append(out, rest[:i])
			}
			rest = rest[end:]
		}
		if out == nil {
			out = []any{}
		}
		return out, nil
	case "join":
		a, err := bindArgs(name, args, nil, 1, p("iterable"))
		if err != nil {
			return nil, err
		}
		items, err := st.iterate(a[0])
		if err != nil {
			return nil, err
		}
		parts := make([]string, len(items))
		for i, it := range items {
			p, ok := it.(string)
			if !ok {
				return nil, expr.TypeErrorf("sequence item %d: expected str instance, %s found", i, expr.TypeName(it))
			}
			parts[i] = p
		}
		out := strings.Join(parts, s)
		return out, st.b.CheckSize(int64(len(out)))
	case "replace":
		a, err := bindArgs(name, args, nil, 2, p("old"), p("new"), pd("count", int64(-1)))
		if err != nil {
			return nil, err
		}
		old, err := strArg("replace", a[0])
		if err != nil {
			return nil, err
		}
		nw, err := strArg("replace", a[1])
		if err != nil {
			return nil, err
		}
		n, err := expr.ToInt64(a[2])
		if err != nil {
			return nil, err
		}
		if n < 0 {
			n = -1
		}
		if old == "" && int64(len(s)+1)*int64(len(nw)) > 0 {
			if err := st.b.CheckSize(int64(len(s)) + int64(len(s)+1)*int64(len(nw))); err != nil {
				return nil, err
			}
		}
		out := strings.Replace(s, old, nw, int(n))
		return out, st.b.CheckSize(int64(len(out)))
	case "startswith", "endswith":
		a, err := bindArgs(name, args, nil, 1, p("prefix"), pd("start", nil), pd("end", nil))
		if err != nil {
			return nil, err
		}
		sub, err := expr.Slice(s, a[1], a[2], nil)
		if err != nil {
			return nil, err
		}
		ss := sub.(string)
		var cands []any
		switch x := a[0].(type) {
		case string:
			cands = []any{x}
		case expr.Tuple:
			cands = x
		default:
			return nil, expr.TypeErrorf("%s first arg must be str or a tuple of str, not %s", name, expr.TypeName(a[0]))
		}
		for _, c := range cands {
			cs, ok := c.(string)
			if !ok {
				return nil, expr.TypeErrorf("tuple for %s must only contain str, not %s", name, expr.TypeName(c))
			}
			if (name == "startswith" && strings.HasPrefix(ss, cs)) || (name == "endswith" && strings.HasSuffix(ss, cs)) {
				return true, nil
			}
		}
		return false, nil
	case "find", "rfind", "index", "rindex", "count":
		a, err := bindArgs(name, args, nil, 1, p("sub"), pd("start", nil), pd("end", nil))
		if err != nil {
			return nil, err
		}
		sub, ok := a[0].(string)
		if !ok {
			return nil, expr.TypeErrorf("must be str, not %s", expr.TypeName(a[0]))
		}
		if name == "count" {
			w, err := expr.Slice(s, a[1], a[2], nil)
			if err != nil {
				return nil, err
			}
			ws := w.(string)
			if sub == "" {
				return int64(utf8.RuneCountInString(ws) + 1), nil
			}
			return int64(strings.Count(ws, sub)), nil
		}
		i, err := pyFind(s, sub, a[1], a[2], name[0] == 'r')
		if err != nil {
			return nil, err
		}
		if i < 0 && (name == "index" || name == "rindex") {
			return nil, expr.ValueErrorf("substring not found")
		}
		return i, nil
	case "center", "ljust", "rjust":
		a, err := bindArgs(name, args, nil, 1, p("width"), pd("fillchar", " "))
		if err != nil {
			return nil, err
		}
		w, err := expr.ToInt64(a[0])
		if err != nil {
			return nil, err
		}
		fill, err := fillArg(a[1])
		if err != nil {
			return nil, err
		}
		if err := st.b.CheckSize(w); err != nil {
			return nil, err
		}
		return pyPad(s, w, fill, map[string]byte{"center": '^', "ljust": '<', "rjust": '>'}[name]), nil
	case "zfill":
		a, err := bindArgs(name, args, nil, 1, p("width"))
		if err != nil {
			return nil, err
		}
		w, err := expr.ToInt64(a[0])
		if err != nil {
			return nil, err
		}
		if err := st.b.CheckSize(w); err != nil {
			return nil, err
		}
		n := int64(utf8.RuneCountInString(s))
		if w <= n {
			return s, nil
		}
		sign := ""
		if s != "" && (s[0] == '+' || s[0] == '-') {
			sign, s = s[:1], s[1:]
		}
		return sign + strings.Repeat("0", int(w-n)) + s, nil
	case "partition", "rpartition":
		a, err := bindArgs(name, args, nil, 1, p("sep"))
		if err != nil {
			return nil, err
		}
		sep, err := strArg(name, a[0])
		if err != nil {
			return nil, err
		}
		if sep == "" {
			return nil, expr.ValueErrorf("empty separator")
		}
		var i int
		if name == "partition" {
			i = strings.Index(s, sep)
		} else {
			i = strings.LastIndex(s, sep)
		}
		if i < 0 {
			if name == "partition" {
				return expr.Tuple{s, "", ""}, nil
			}
			return expr.Tuple{"", "", s}, nil
		}
		return expr.Tuple{s[:i], sep, s[i+len(sep):]}, nil
	case "removeprefix", "removesuffix":
		a, err := bindArgs(name, args, nil, 1, p("affix"))
		if err != nil {
			return nil, err
		}
		x, err := strArg(name, a[0])
		if err != nil {
			return nil, err
		}
		if name == "removeprefix" {
			return strings.TrimPrefix(s, x), nil
		}
		return strings.TrimSuffix(s, x), nil
	case "isdigit", "isdecimal", "isnumeric":
		return allRunes(s, unicode.IsDigit), nil
	case "isalpha":
		return allRunes(s, unicode.IsLetter), nil
	case "isalnum":
		return allRunes(s, func(r rune) bool { return unicode.IsLetter(r) || unicode.IsDigit(r) }), nil
	case "isspace":
		return allRunes(s, isPySpace), nil
	case "isascii":
		for i := 0; i < len(s); i++ {
			if s[i] >= 0x80 {
				return false, nil
			}
		}
		return true, nil
	case "isidentifier":
		if s == "" {
			return false, nil
		}
		for i, r := range s {
			if !(r == '_' || unicode.IsLetter(r) || (i > 0 && unicode.IsDigit(r))) {
				return false, nil
			}
		}
		return true, nil
	case "islower":
		return pyIsCased(s, false), nil
	case "isupper":
		return pyIsCased(s, true), nil
	case "istitle":
		return s != "" && pyTitle(s) == s && strings.IndexFunc(s, unicode.IsLetter) >= 0, nil
	case "format":
		return st.pyFormat(s, args, kw)
	case "format_map":
		if len(args) != 1 {
			return nil, expr.TypeErrorf("format_map() takes exactly one argument (%d given)", len(args))
		}
		d, ok := args[0].(*expr.Dict)
		if !ok {
			return nil, expr.TypeErrorf("format_map() argument must be a mapping")
		}
		var kws []expr.NamedArg
		d.Range(func(k, v any) bool {
			kws = append(kws, expr.NamedArg{Name: expr.Str(k), Value: v})
			return true
		})
		return st.pyFormat(s, nil, kws)
	}
	return nil, expr.TypeErrorf("'str' object has no method %s", name)
}

// upperSpecial are the characters whose upper case is longer (Python
// applies Unicode's full case mapping; Go's ToUpper the simple one).
var upperSpecial = strings.NewReplacer("ß", "SS", "ﬀ", "FF", "ﬁ", "FI", "ﬂ", "FL", "ﬃ", "FFI", "ﬄ", "FFL", "ﬅ", "ST", "ﬆ", "ST", "ŉ", "ʼN")

// pyUpper is Python's str.upper.
func pyUpper(s string) string {
	for i := 0; i < len(s); i++ {
		if s[i] >= 0x80 {
			return strings.ToUpper(upperSpecial.Replace(s))
		}
	}
	return strings.ToUpper(s)
}
