package yaql

import (
	"github.com/st2go/st2go/internal/expr"
)

// mapIter is Python's map(f, iterable), lazily.
func (c *call) mapIter(src any, f func(v any) (any, error)) (any, error) {
	it, err := c.iterate(src)
	if err != nil {
		return nil, err
	}
	return newIter("map", func() (any, bool, error) {
		v, ok, err := it.Next()
		if err != nil || !ok {
			return nil, false, err
		}
		if err := c.step(); err != nil {
			return nil, false, err
		}
		r, err := f(v)
		if err != nil {
			return nil, false, err
		}
		return r, true, nil
	}), nil
}

func (c *call) filterIter(src any, f func(v any) (bool, error)) (any, error) {
	it, err := c.iterate(src)
	if err != nil {
		return nil, err
	}
	return newIter("filter", func() (any, bool, error) {
		for {
			v, ok, err := it.Next()
			if err != nil || !ok {
				return nil, false, err
			}
			if err := c.step(); err != nil {
				return nil, false, err
			}
			keep, err := f(v)
			if err != nil {
				return nil, false, err
			}
			if keep {
				return v, true, nil
			}
		}
	}), nil
}

// genIter builds a generator from a function producing the elements
// one by one; push is given each element and returns false to stop.
func (c *call) chainIter(srcs ...any) (any, error) {
	its := make([]*iterator, len(srcs))
	for i, s := range srcs {
		it, err := c.iterate(s)
		if err != nil {
			return nil, err
		}
		its[i] = it
	}
	i := 0
	return newIter("itertools.chain", func() (any, bool, error) {
		for i < len(its) {
			v, ok, err := its[i].Next()
			if err != nil {
				return nil, false, err
			}
			if ok {
				return v, true, c.step()
			}
			i++
		}
		return nil, false, nil
	}), nil
}

func listIndexError(v any) error {
	if _, ok := v.(expr.Tuple); ok {
		return pyErr(classIndexError, "tuple index out of range")
	}
	return pyErr(classIndexError, "list index out of range")
}

func seqOf(v any) []any {
	switch x := v.(type) {
	case []any:
		return x
	case expr.Tuple:
		return x
	}
	return nil
}

func dictLookup(d *expr.Dict, k any) (any, error) {
	v, found, err := d.Lookup(k)
	if err != nil {
		return nil, err
	}
	if !found {
		return nil, pyErr(classKeyError, "%s", expr.Repr(k))
	}
	return v, nil
}

func newFrozen(n int) *expr.Dict { return expr.NewDict(n) }

// expandIterators returns args with every iterator among them (and inside
// them) replaced by its items, as yaql's list() and set() read their
// variadic arguments.
func (c *call) expandIterators(args []any) ([]any, error) {
	var out []any
	var add func(v any) error
	add = func(v any) error {
		if !isIterator(v) {
			out = append(out, v)
			return nil
		}
		items, err := c.collect(v)
		if err != nil {
			return err
		}
		for _, e := range items {
			if err := add(e); err != nil {
				return err
			}
		}
		return nil
	}
	for _, v := range args {
		if err := add(v); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// registerCollections: yaql/standard_library/collections.py.
func registerCollections(l *library) {
	l.fn("list", nil, func(c *call, a []any) (any, error) {
		out, err := c.expandIterators(a)
		if err != nil {
			return nil, err
		}
		return expr.Tuple(out), nil
	}).variadic(reqN("args", tAny))
	l.meth("flatten", ps(req("collection", tIterable)), func(c *call, a []any) (any, error) {
		var out []any
		var rec func(v any) error
		rec = func(v any) error {
			items, err := c.collect(v)
			if err != nil {
				return err
			}
			for _, e := range items {
				if isIterable(e) {
					if err := rec(e); err != nil {
						return err
					}
				} else {
					out = append(out, e)
				}
			}
			return nil
		}
		if err := rec(a[0]); err != nil {
			return nil, err
		}
		return sliceIter("generator", out), nil
	})
	l.meth("toList", ps(req("collection", tIterable)), func(c *call, a []any) (any, error) {
		if t, ok := a[0].(expr.Tuple); ok {
			return t, nil
		}
		items, err := c.collect(a[0])
		if err != nil {
			return nil, err
		}
		return expr.Tuple(append([]any(nil), items...)), nil
	})
	l.fn("#list", nil, func(c *call, a []any) (any, error) {
		return expr.Tuple(append([]any{}, a...)), nil
	}).variadic(reqN("args", tAny))
	dictRules := func(c *call, a []any) (any, error) {
		d := newFrozen(len(a))
		for _, r := range a {
			m := r.(*mappingRule)
			if err := d.SetKey(m.src, m.dst); err != nil {
				return nil, err
			}
		}
		return d, nil
	}
	l.fn("dict", nil, dictRules).variadic(req("args", tRuleValue)).noKw()
	l.fn("#map", nil, dictRules).variadic(req("args", tRuleValue)).noKw()
	l.fn("dict", ps(req("items", tIterable)), func(c *call, a []any) (any, error) {
		items, err := c.collect(a[0])
		if err != nil {
			return nil, err
		}
		d := newFrozen(len(items))
		for _, t := range items {
			it, err := c.iterate(t)
			if err != nil {
				return nil, err
			}
			k, ok, err := it.Next()
			if err != nil {
				return nil, err
			}
			if !ok {
				return nil, pyErr(classStopIteration, "")
			}
			v, ok, err := it.Next()
			if err != nil {
				return nil, err
			}
			if !ok {
				return nil, pyErr(classStopIteration, "")
			}
			if err := d.SetKey(k, v); err != nil {
				return nil, err
			}
		}
		return d, nil
	}).noKw()
	l.meth("toDict", ps(req("collection", tIterable), req("keySelector", tLambda), opt("valueSelector", tLambda, nil, true)), func(c *call, a []any) (any, error) {
		items, err := c.collect(a[0])
		if err != nil {
			return nil, err
		}
		d := expr.NewDict(len(items))
		for _, t := range items {
			k, err := a[1].(*lambda).call1(t)
			if err != nil {
				return nil, err
			}
			v := t
			if a[2] != nil {
				if v, err = a[2].(*lambda).call1(t); err != nil {
					return nil, err
				}
			}
			if err := d.SetKey(k, v); err != nil {
				return nil, err
			}
		}
		return d, nil
	})
	l.fn("#operator_.", ps(req("dict", tMapping), req("key", tKeyword)), func(c *call, a []any) (any, error) {
		return dictLookup(a[0].(*expr.Dict), a[1])
	})
	l.fn("#indexer", ps(req("dict", tMapping), reqN("key", tAny)), func(c *call, a []any) (any, error) {
		return dictLookup(a[0].(*expr.Dict), a[1])
	})
	l.fn("#indexer", ps(req("dict", tMapping), reqN("key", tAny), reqN("default", tAny)), func(c *call, a []any) (any, error) {
		v, found, err := a[0].(*expr.Dict).Lookup(a[1])
		if err != nil {
			return nil, err
		}
		if !found {
			return a[2], nil
		}
		return v, nil
	})
	l.meth("get", ps(req("dict", tMapping), reqN("key", tAny), opt("default", tAny, nil, true)), func(c *call, a []any) (any, error) {
		v, found, err := a[0].(*expr.Dict).Lookup(a[1])
		if err != nil {
			return nil, err
		}
		if !found {
			return a[2], nil
		}
		return v, nil
	})
	setPairs := func(d *expr.Dict, kv ...any) (any, error) {
		out := d.Copy()
		for i := 0; i+1 < len(kv); i += 2 {
			if err := out.SetKey(kv[i], kv[i+1]); err != nil {
				return nil, err
			}
		}
		return out, nil
	}
	l.meth("set", ps(req("dict", tMapping), reqN("key", tAny), reqN("value", tAny)), func(c *call, a []any) (any, error) {
		return setPairs(a[0].(*expr.Dict), a[1], a[2])
	}).noKw()
	l.meth("set", ps(req("dict", tMapping), req("replacements", tMapping)), func(c *call, a []any) (any, error) {
		keys, vals := a[1].(*expr.Dict).KeyValues()
		kv := make([]any, 0, 2*len(keys))
		for i := range keys {
			kv = append(kv, keys[i], vals[i])
		}
		return setPairs(a[0].(*expr.Dict), kv...)
	}).noKw()
	l.meth("set", ps(req("dict", tMapping)), func(c *call, a []any) (any, error) {
		var kv []any
		for _, r := range a[1:] {
			m := r.(*mappingRule)
			kv = append(kv, m.src, m.dst)
		}
		return setPairs(a[0].(*expr.Dict), kv...)
	}).variadic(req("args", tRuleValue)).noKw()
	for _, kind := range []string{"keys", "values", "items"} {
		kind := kind
		l.meth(kind, ps(req("dict", tMapping)), func(c *call, a []any) (any, error) {
			return &dictView{d: a[0].(*expr.Dict), kind: kind}, nil
		})
	}
	l.fn("#indexer", ps(req("list", tSequence), req("index", tInt)), func(c *call, a []any) (any, error) {
		s := seqOf(a[0])
		i := toInt(a[1])
		if i < 0 {
			i += len(s)
		}
		if i < 0 || i >= len(s) {
			return nil, listIndexError(a[0])
		}
		return s[i], nil
	})
	l.fn("#operator_in", ps(reqN("value", tAny), req("collection", tIterable)), func(c *call, a []any) (any, error) {
		return c.contains(a[1], a[0])
	})
	l.meth("contains", ps(req("collection", tIterable), reqN("value", tAny)), func(c *call, a []any) (any, error) {
		return c.contains(a[0], a[1])
	})
	l.meth("containsKey", ps(req("dict", tMapping), reqN("key", tAny)), func(c *call, a []any) (any, error) {
		_, found, err := a[0].(*expr.Dict).Lookup(a[1])
		return found, err
	})
	l.meth("containsValue", ps(req("dict", tMapping), reqN("value", tAny)), func(c *call, a []any) (any, error) {
		_, vals := a[0].(*expr.Dict).KeyValues()
		for _, v := range vals {
			if pyEqual(v, a[1]) {
				return true, nil
			}
		}
		return false, nil
	})
	l.fn("#operator_+", ps(req("left", tIterable), req("right", tIterable)), func(c *call, a []any) (any, error) {
		if x, ok := a[0].(expr.Tuple); ok {
			if y, ok := a[1].(expr.Tuple); ok {
				if err := c.checkSize(int64(len(x) + len(y))); err != nil {
					return nil, err
				}
				out := make(expr.Tuple, 0, len(x)+len(y))
				return append(append(out, x...), y...), nil
			}
		}
		if x, ok := a[0].(*expr.Set); ok {
			if y, ok := a[1].(*expr.Set); ok {
				return setUnion(x, y)
			}
		}
		return c.chainIter(a[0], a[1])
	})
	repeatSeq := func(c *call, s any, n int) (any, error) {
		items := seqOf(s)
		if n < 0 {
			n = 0
		}
		if err := c.checkSize(int64(len(items)) * int64(n)); err != nil {
			return nil, err
		}
		out := make([]any, 0, len(items)*n)
		for i := 0; i < n; i++ {
			out = append(out, items...)
		}
		if _, ok := s.(expr.Tuple); ok {
			return expr.Tuple(out), nil
		}
		return out, nil
	}
	l.fn("#operator_*", ps(req("left", tSequence), req("right", tInt)), func(c *call, a []any) (any, error) {
		return repeatSeq(c, a[0], toInt(a[1]))
	})
	l.fn("#operator_*", ps(req("left", tInt), req("right", tSequence)), func(c *call, a []any) (any, error) {
		return repeatSeq(c, a[1], toInt(a[0]))
	})
	l.fn("#operator_+", ps(req("left", tMapping), req("right", tMapping)), func(c *call, a []any) (any, error) {
		out := a[0].(*expr.Dict).Copy()
		var err error
		a[1].(*expr.Dict).Range(func(k, v any) bool {
			err = out.SetKey(k, v)
			return err == nil
		})
		return out, err
	})
	l.fn("isList", ps(reqN("arg", tAny)), func(c *call, a []any) (any, error) { return isSequence(a[0]), nil })
	l.fn("isDict", ps(reqN("arg", tAny)), func(c *call, a []any) (any, error) { return isMapping(a[0]), nil })
	l.fn("isSet", ps(reqN("arg", tAny)), func(c *call, a []any) (any, error) { return isSet(a[0]), nil })
	l.ext("len", ps(req("dict", tMapping)), func(c *call, a []any) (any, error) {
		return int64(a[0].(*expr.Dict).Len()), nil
	})
	l.ext("len", ps(req("sequence", tSequence)), func(c *call, a []any) (any, error) {
		return int64(len(seqOf(a[0]))), nil
	})
	l.ext("len", ps(req("set", tSet)), func(c *call, a []any) (any, error) {
		n, err := expr.Len(a[0])
		return int64(n), err
	})
	l.meth("delete", ps(req("collection", tIterable), req("position", tInt), opt("count", tInt, int64(1), false)), func(c *call, a []any) (any, error) {
		pos, count := toInt(a[1]), toInt(a[2])
		i := -1
		return c.filterIter(a[0], func(v any) (bool, error) {
			i++
			if count >= 0 {
				return !(pos <= i && i < pos+count), nil
			}
			return !(i >= pos), nil
		})
	})
	replaceImpl := func(c *call, coll any, pos int, values []any, count int) (any, error) {
		items, err := c.collect(coll)
		if err != nil {
			return nil, err
		}
		var out []any
		yielded := false
		for i, t := range items {
			if (count >= 0 && pos <= i && i < pos+count) || (count < 0 && i >= pos) {
				if !yielded {
					yielded = true
					out = append(out, values...)
				}
			} else {
				out = append(out, t)
			}
		}
		return sliceIter("generator", out), nil
	}
	l.meth("replace", ps(req("collection", tIterable), req("position", tInt), reqN("value", tAny), opt("count", tInt, int64(1), false)), func(c *call, a []any) (any, error) {
		return replaceImpl(c, a[0], toInt(a[1]), []any{a[2]}, toInt(a[3]))
	})
	l.meth("replaceMany", ps(req("collection", tIterable), req("position", tInt), req("values", tIterable), opt("count", tInt, int64(1), false)), func(c *call, a []any) (any, error) {
		vals, err := c.collect(a[2])
		if err != nil {
			return nil, err
		}
		return replaceImpl(c, a[0], toInt(a[1]), vals, toInt(a[3]))
	})
	deleteKeys := func(d *expr.Dict, keys []any) (any, error) {
		out := d.Copy()
		for _, k := range keys {
			if _, err := out.Delete(k); err != nil {
				return nil, err
			}
		}
		return out, nil
	}
	l.meth("delete", ps(req("dict", tMapping)), func(c *call, a []any) (any, error) {
		return deleteKeys(a[0].(*expr.Dict), a[1:])
	}).variadic(reqN("keys", tAny))
	l.meth("deleteAll", ps(req("dict", tMapping), req("keys", tIterable)), func(c *call, a []any) (any, error) {
		keys, err := c.collect(a[1])
		if err != nil {
			return nil, err
		}
		return deleteKeys(a[0].(*expr.Dict), keys)
	})
	l.meth("insert", ps(req("collection", tIterNoSet), req("position", tInt), reqN("value", tAny)), func(c *call, a []any) (any, error) {
		items, err := c.collect(a[0])
		if err != nil {
			return nil, err
		}
		pos := toInt(a[1])
		var out []any
		i := -1
		for j, t := range items {
			i = j
			if i == pos {
				out = append(out, a[2])
			}
			out = append(out, t)
		}
		if pos > i {
			out = append(out, a[2])
		}
		return sliceIter("generator", out), nil
	})
	l.meth("insert", ps(req("collection", tSequence), req("position", tInt), reqN("value", tAny)), func(c *call, a []any) (any, error) {
		items := seqOf(a[0])
		n := len(items)
		pos := toInt(a[1])
		if pos < 0 {
			pos += n
			if pos < 0 {
				pos = 0
			}
		}
		if pos > n {
			pos = n
		}
		out := make([]any, 0, n+1)
		out = append(out, items[:pos]...)
		out = append(out, a[2])
		return append(out, items[pos:]...), nil
	})
	l.meth("insertMany", ps(req("collection", tIterable), req("position", tInt), req("values", tIterable)), func(c *call, a []any) (any, error) {
		items, err := c.collect(a[0])
		if err != nil {
			return nil, err
		}
		vals, err := c.collect(a[2])
		if err != nil {
			return nil, err
		}
		pos := toInt(a[1])
		var out []any
		if pos < 0 {
			out = append(out, vals...)
		}
		i := -1
		for j, t := range items {
			i = j
			if i == pos {
				out = append(out, vals...)
			}
			out = append(out, t)
		}
		if pos > i {
			out = append(out, vals...)
		}
		return sliceIter("generator", out), nil
	})
	l.fn("set", nil, func(c *call, a []any) (any, error) {
		elems, err := c.expandIterators(a)
		if err != nil {
			return nil, err
		}
		return expr.NewSet(elems...)
	}).variadic(reqN("args", tAny))
	l.meth("toSet", ps(req("collection", tIterable)), func(c *call, a []any) (any, error) {
		items, err := c.collect(a[0])
		if err != nil {
			return nil, err
		}
		return expr.NewSet(items...)
	})
	setOp := func(name string, f func(x, y *expr.Set) (any, error), asFunc string) {
		impl := func(c *call, a []any) (any, error) {
			x, err := asSet(a[0])
			if err != nil {
				return nil, err
			}
			y, err := asSet(a[1])
			if err != nil {
				return nil, err
			}
			return f(x, y)
		}
		l.meth(name, ps(req("left", tSet), req("right", tSet)), impl)
		if asFunc != "" {
			l.fn(asFunc, ps(req("left", tSet), req("right", tSet)), impl)
		}
	}
	setOp("union", setUnion, "")
	setOp("intersect", func(x, y *expr.Set) (any, error) {
		var out []any
		for _, e := range x.Elems() {
			if y.Contains(e) {
				out = append(out, e)
			}
		}
		return expr.NewSet(out...)
	}, "")
	setOp("difference", setDifference, "#operator_-")
	setOp("symmetricDifference", func(x, y *expr.Set) (any, error) {
		var out []any
		for _, e := range x.Elems() {
			if !y.Contains(e) {
				out = append(out, e)
			}
		}
		for _, e := range y.Elems() {
			if !x.Contains(e) {
				out = append(out, e)
			}
		}
		return expr.NewSet(out...)
	}, "")
	for _, op := range []string{"<", "<=", ">", ">="} {
		op := op
		l.fn("#operator_"+op, ps(req("left", tSet), req("right", tSet)), func(c *call, a []any) (any, error) {
			x, err := asSet(a[0])
			if err != nil {
				return nil, err
			}
			y, err := asSet(a[1])
			if err != nil {
				return nil, err
			}
			return expr.CompareOp(op, x, y)
		})
	}
	l.meth("add", ps(req("set", tSet)), func(c *call, a []any) (any, error) {
		x, err := asSet(a[0])
		if err != nil {
			return nil, err
		}
		y, err := expr.NewSet(a[1:]...)
		if err != nil {
			return nil, err
		}
		return setUnion(x, y)
	}).variadic(reqN("values", tAny))
	l.meth("remove", ps(req("set", tSet)), func(c *call, a []any) (any, error) {
		x, err := asSet(a[0])
		if err != nil {
			return nil, err
		}
		y, err := expr.NewSet(a[1:]...)
		if err != nil {
			return nil, err
		}
		return setDifference(x, y)
	}).variadic(reqN("values", tAny))
}

func asSet(v any) (*expr.Set, error) {
	switch x := v.(type) {
	case *expr.Set:
		return x, nil
	case *dictView:
		return expr.NewSet(x.elems()...)
	}
	return nil, pyErr(classTypeError, "'%s' object is not a set", expr.TypeName(v))
}

func setUnion(x, y *expr.Set) (any, error) {
	out, err := expr.NewSet(x.Elems()...)
	if err != nil {
		return nil, err
	}
	for _, e := range y.Elems() {
		if err := out.Add(e); err != nil {
			return nil, err
		}
	}
	return out, nil
}

func setDifference(x, y *expr.Set) (any, error) {
	var out []any
	for _, e := range x.Elems() {
		if !y.Contains(e) {
			out = append(out, e)
		}
	}
	return expr.NewSet(out...)
}

// contains is Python's "value in collection" for yaql iterables.
func (c *call) contains(coll, v any) (any, error) {
	switch x := coll.(type) {
	case *expr.Set:
		if _, err := hashOf(v); err != nil {
			return nil, err
		}
		return x.Contains(v), nil
	case *dictView:
		if x.kind == "keys" {
			_, found, err := x.d.Lookup(v)
			return found, err
		}
	}
	it, err := c.iterate(coll)
	if err != nil {
		return nil, err
	}
	for {
		e, ok, err := it.Next()
		if err != nil {
			return nil, err
		}
		if !ok {
			return false, nil
		}
		if err := c.step(); err != nil {
			return nil, err
		}
		if pyEqual(e, v) {
			return true, nil
		}
	}
}
