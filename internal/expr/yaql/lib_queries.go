package yaql

import (
	"github.com/st2go/st2go/internal/expr"
)

// aggregate is functools.reduce(selector, collection[, seed]).
func (c *call) aggregate(coll any, f func(a, b any) (any, error), seed any) (any, error) {
	it, err := c.iterate(coll)
	if err != nil {
		return nil, err
	}
	acc := seed
	if seed == noValue {
		v, ok, err := it.Next()
		if err != nil {
			return nil, err
		}
		if !ok {
			return nil, pyErr(classTypeError, "reduce() of empty iterable with no initial value")
		}
		acc = v
	}
	for {
		v, ok, err := it.Next()
		if err != nil {
			return nil, err
		}
		if !ok {
			return acc, nil
		}
		if err := c.step(); err != nil {
			return nil, err
		}
		if acc, err = f(acc, v); err != nil {
			return nil, err
		}
	}
}

func lam2(l *lambda) func(a, b any) (any, error) {
	return func(a, b any) (any, error) { return l.call(nil, a, b) }
}

func truthy1(l *lambda) func(v any) (bool, error) {
	return func(v any) (bool, error) {
		r, err := l.call1(v)
		return expr.Truthy(r), err
	}
}

// registerQueries: yaql/standard_library/queries.py.
func registerQueries(l *library) {
	where := func(c *call, a []any) (any, error) { return c.filterIter(a[0], truthy1(a[1].(*lambda))) }
	l.meth("where", ps(req("collection", tIterable), req("predicate", tLambda)), where)
	l.meth("filter", ps(req("collection", tIterable), req("predicate", tLambda)), where)
	sel := func(c *call, a []any) (any, error) { return c.mapIter(a[0], a[1].(*lambda).call1) }
	l.meth("select", ps(req("collection", tIterable), req("selector", tLambda)), sel)
	l.meth("map", ps(req("collection", tIterable), req("selector", tLambda)), sel)
	l.fn("#operator_.", ps(req("collection", tIterable), req("attribute", tKeywordRaw)), func(c *call, a []any) (any, error) {
		return c.mapIter(a[0], func(v any) (any, error) {
			return c.ev.invoke("#operator_.", []any{v, a[1]}, nil, false, c.scope)
		})
	})
	l.meth("skip", ps(req("collection", tIterable), req("count", tInt)), func(c *call, a []any) (any, error) {
		n := toInt(a[1])
		if n < 0 {
			return nil, pyErr(classValueError, "Indices for islice() must be None or an integer: 0 <= x <= sys.maxsize.")
		}
		it, err := c.iterate(a[0])
		if err != nil {
			return nil, err
		}
		skipped := false
		return newIter("itertools.islice", func() (any, bool, error) {
			if !skipped {
				skipped = true
				for i := 0; i < n; i++ {
					if _, ok, err := it.Next(); err != nil || !ok {
						return nil, false, err
					}
				}
			}
			return it.Next()
		}), nil
	})
	take := func(c *call, a []any) (any, error) {
		n := toInt(a[1])
		if n < 0 {
			return nil, pyErr(classValueError, "Stop argument for islice() must be None or an integer: 0 <= x <= sys.maxsize.")
		}
		it, err := c.iterate(a[0])
		if err != nil {
			return nil, err
		}
		i := 0
		return newIter("itertools.islice", func() (any, bool, error) {
			if i >= n {
				return nil, false, nil
			}
			i++
			return it.Next()
		}), nil
	}
	l.meth("limit", ps(req("collection", tIterable), req("count", tInt)), take)
	l.meth("take", ps(req("collection", tIterable), req("count", tInt)), take)
	l.ext("append", ps(req("collection", tIterable)), func(c *call, a []any) (any, error) {
		return c.chainIter(a[0], expr.Tuple(a[1:]))
	}).variadic(reqN("args", tAny))
	l.ext("distinct", ps(req("collection", tIterable), opt("keySelector", tLambda, nil, true)), func(c *call, a []any) (any, error) {
		seen := map[string]bool{}
		return c.filterIter(a[0], func(v any) (bool, error) {
			key := v
			if a[1] != nil {
				var err error
				if key, err = a[1].(*lambda).call1(v); err != nil {
					return false, err
				}
			}
			h, err := hashOf(key)
			if err != nil {
				return false, err
			}
			if seen[h] {
				return false, nil
			}
			seen[h] = true
			return true, nil
		})
	})
	l.ext("enumerate", ps(req("collection", tIterable), opt("start", tAny, int64(0), true)), func(c *call, a []any) (any, error) {
		i := a[1]
		return c.mapIter(a[0], func(v any) (any, error) {
			cur := i
			var err error
			i, err = expr.Arith(expr.OpAdd, i, int64(1), nil)
			if err != nil {
				return nil, err
			}
			return []any{cur, v}, nil
		})
	})
	l.ext("any", ps(req("collection", tIterable), opt("predicate", tLambda, nil, true)), func(c *call, a []any) (any, error) {
		it, err := c.iterate(a[0])
		if err != nil {
			return nil, err
		}
		for {
			v, ok, err := it.Next()
			if err != nil || !ok {
				return false, err
			}
			if a[1] == nil {
				return true, nil
			}
			r, err := a[1].(*lambda).call1(v)
			if err != nil {
				return nil, err
			}
			if expr.Truthy(r) {
				return true, nil
			}
		}
	})
	l.ext("all", ps(req("collection", tIterable), opt("predicate", tLambda, nil, true)), func(c *call, a []any) (any, error) {
		it, err := c.iterate(a[0])
		if err != nil {
			return nil, err
		}
		for {
			v, ok, err := it.Next()
			if err != nil || !ok {
				return true, err
			}
			r := v
			if a[1] != nil {
				if r, err = a[1].(*lambda).call1(v); err != nil {
					return nil, err
				}
			}
			if !expr.Truthy(r) {
				return false, nil
			}
		}
	})
	l.ext("concat", nil, func(c *call, a []any) (any, error) {
		return c.chainIter(a...)
	}).variadic(req("collections", tIterable))
	count := func(c *call, a []any) (any, error) {
		items, err := c.collect(a[0])
		return int64(len(items)), err
	}
	l.ext("len", ps(req("collection", tIterator)), count)
	l.meth("count", ps(req("collection", tIterable)), count)
	l.meth("memorize", ps(req("collection", tIterable)), func(c *call, a []any) (any, error) {
		if it, ok := a[0].(*iterator); ok {
			return &memoIter{src: it}, nil
		}
		return a[0], nil
	})
	agg := func(name, delegate string) {
		l.meth(name, ps(req("collection", tIterable), opt("initial", tAny, noValue, true)), func(c *call, a []any) (any, error) {
			return c.aggregate(a[0], func(x, y any) (any, error) { return c.delegate(delegate, x, y) }, a[1])
		})
	}
	agg("sum", "#operator_+")
	agg("max", "max")
	agg("min", "min")
	l.meth("first", ps(req("collection", tIterable), opt("default", tAny, noValue, true)), func(c *call, a []any) (any, error) {
		it, err := c.iterate(a[0])
		if err != nil {
			return nil, err
		}
		v, ok, err := it.Next()
		if err != nil {
			return nil, err
		}
		if !ok {
			if a[1] == noValue {
				return nil, pyErr(classStopIteration, "")
			}
			return a[1], nil
		}
		return v, nil
	})
	l.meth("single", ps(req("collection", tIterable)), func(c *call, a []any) (any, error) {
		it, err := c.iterate(a[0])
		if err != nil {
			return nil, err
		}
		v, ok, err := it.Next()
		if err != nil {
			return nil, err
		}
		if !ok {
			return nil, pyErr(classStopIteration, "")
		}
		_, more, err := it.Next()
		if err != nil {
			return nil, err
		}
		if more {
			return nil, pyErr(classStopIteration, "Collection contains more than one item")
		}
		return v, nil
	})
	l.meth("last", ps(req("collection", tIterable), opt("default", tAny, noValue, true)), func(c *call, a []any) (any, error) {
		items, err := c.collect(a[0])
		if err != nil {
			return nil, err
		}
		if len(items) == 0 {
			if a[1] == noValue {
				return nil, pyErr(classStopIteration, "")
			}
			return a[1], nil
		}
		return items[len(items)-1], nil
	})
	l.meth("selectMany", ps(req("collection", tIterable), req("selector", tLambda)), func(c *call, a []any) (any, error) {
		it, err := c.iterate(a[0])
		if err != nil {
			return nil, err
		}
		var inner *iterator
		return newIter("generator", func() (any, bool, error) {
			for {
				if inner != nil {
					v, ok, err := inner.Next()
					if err != nil {
						return nil, false, err
					}
					if ok {
						return v, true, c.step()
					}
					inner = nil
				}
				v, ok, err := it.Next()
				if err != nil || !ok {
					return nil, false, err
				}
				r, err := a[1].(*lambda).call1(v)
				if err != nil {
					return nil, false, err
				}
				if isIterable(r) {
					if inner, err = c.iterate(r); err != nil {
						return nil, false, err
					}
					continue
				}
				return r, true, nil
			}
		}), nil
	})
	rangeIter := func(c *call, start, stop, step int) (any, error) {
		if step == 0 {
			return nil, pyErr(classValueError, "range() arg 3 must not be zero")
		}
		i := start
		return newIter("range_iterator", func() (any, bool, error) {
			if (step > 0 && i >= stop) || (step < 0 && i <= stop) {
				return nil, false, nil
			}
			v := i
			i += step
			return int64(v), true, c.step()
		}), nil
	}
	l.fn("range", ps(req("stop", tInt)), func(c *call, a []any) (any, error) {
		return rangeIter(c, 0, toInt(a[0]), 1)
	})
	l.fn("range", ps(req("start", tInt), req("stop", tInt), opt("step", tInt, int64(1), false)), func(c *call, a []any) (any, error) {
		return rangeIter(c, toInt(a[0]), toInt(a[1]), toInt(a[2]))
	})
	l.fn("sequence", ps(opt("start", tInt, int64(0), false), opt("step", tInt, int64(1), false)), func(c *call, a []any) (any, error) {
		i, step := a[0], a[1]
		return newIter("itertools.count", func() (any, bool, error) {
			v := i
			var err error
			if i, err = expr.Arith(expr.OpAdd, i, step, nil); err != nil {
				return nil, false, err
			}
			return v, true, c.step()
		}), nil
	})
	order := func(asc bool) fnImpl {
		return func(c *call, a []any) (any, error) {
			return &ordering{src: a[0], keys: []orderKey{{sel: a[1].(*lambda), ascending: asc}}}, nil
		}
	}
	l.meth("orderBy", ps(req("collection", tIterable), req("selector", tLambda)), order(true))
	l.meth("orderByDescending", ps(req("collection", tIterable), req("selector", tLambda)), order(false))
	then := func(asc bool) fnImpl {
		return func(c *call, a []any) (any, error) {
			o := a[0].(*ordering)
			o.keys = append(o.keys, orderKey{sel: a[1].(*lambda), ascending: asc})
			return o, nil
		}
	}
	l.meth("thenBy", ps(req("collection", tOrdering), req("selector", tLambda)), then(true))
	l.meth("thenByDescending", ps(req("collection", tOrdering), req("selector", tLambda)), then(false))
	l.meth("groupBy", ps(req("collection", tIterable), req("keySelector", tLambda), opt("valueSelector", tLambda, nil, true), opt("aggregator", tLambda, nil, true)), func(c *call, a []any) (any, error) {
		items, err := c.collect(a[0])
		if err != nil {
			return nil, err
		}
		groups := expr.NewDict(0)
		for _, t := range items {
			v := t
			if a[2] != nil {
				if v, err = a[2].(*lambda).call1(t); err != nil {
					return nil, err
				}
			}
			k, err := a[1].(*lambda).call1(t)
			if err != nil {
				return nil, err
			}
			cur, found, err := groups.Lookup(k)
			if err != nil {
				return nil, err
			}
			if !found {
				cur = []any{}
			}
			if err := groups.SetKey(k, append(cur.([]any), v)); err != nil {
				return nil, err
			}
		}
		keys, vals := groups.KeyValues()
		out := make([]any, len(keys))
		for i := range keys {
			if a[3] == nil {
				out[i] = expr.Tuple{keys[i], vals[i]}
				continue
			}
			r, err := a[3].(*lambda).call1(vals[i])
			if err != nil {
				return nil, err
			}
			out[i] = expr.Tuple{keys[i], r}
		}
		return sliceIter("map", out), nil
	})
	l.meth("zip", nil, func(c *call, a []any) (any, error) {
		its := make([]*iterator, len(a))
		for i, s := range a {
			it, err := c.iterate(s)
			if err != nil {
				return nil, err
			}
			its[i] = it
		}
		return newIter("zip", func() (any, bool, error) {
			if len(its) == 0 {
				return nil, false, nil
			}
			row := make(expr.Tuple, len(its))
			for i, it := range its {
				v, ok, err := it.Next()
				if err != nil || !ok {
					return nil, false, err
				}
				row[i] = v
			}
			return row, true, c.step()
		}), nil
	}).variadic(req("collections", tIterable))
	l.meth("zipLongest", nil, func(c *call, a []any) (any, error) {
		fill := c.kw["default"]
		its := make([]*iterator, len(a))
		for i, s := range a {
			it, err := c.iterate(s)
			if err != nil {
				return nil, err
			}
			its[i] = it
		}
		return newIter("itertools.zip_longest", func() (any, bool, error) {
			row := make(expr.Tuple, len(its))
			any := false
			for i, it := range its {
				v, ok, err := it.Next()
				if err != nil {
					return nil, false, err
				}
				if ok {
					any = true
					row[i] = v
				} else {
					row[i] = fill
				}
			}
			if !any {
				return nil, false, nil
			}
			return row, true, c.step()
		}), nil
	}).variadic(req("collections", tIterable)).anyKw()
	l.meth("join", ps(req("collection1", tIterable), req("collection2", tIterable), req("predicate", tLambda), req("selector", tLambda)), func(c *call, a []any) (any, error) {
		left, err := c.collect(a[0])
		if err != nil {
			return nil, err
		}
		right, err := c.collect(a[1])
		if err != nil {
			return nil, err
		}
		var out []any
		for _, x := range left {
			for _, y := range right {
				if err := c.step(); err != nil {
					return nil, err
				}
				ok, err := a[2].(*lambda).call(c, x, y)
				if err != nil {
					return nil, err
				}
				if expr.Truthy(ok) {
					v, err := a[3].(*lambda).call(c, x, y)
					if err != nil {
						return nil, err
					}
					out = append(out, v)
				}
			}
		}
		return sliceIter("generator", out), nil
	})
	l.meth("repeat", ps(reqN("value", tAny), opt("times", tInt, int64(-1), false)), func(c *call, a []any) (any, error) {
		n := toInt(a[1])
		i := 0
		return newIter("itertools.repeat", func() (any, bool, error) {
			if n >= 0 && i >= n {
				return nil, false, nil
			}
			i++
			return a[0], true, c.step()
		}), nil
	})
	l.meth("cycle", ps(req("collection", tIterable)), func(c *call, a []any) (any, error) {
		it, err := c.iterate(a[0])
		if err != nil {
			return nil, err
		}
		var saved []any
		i := -1
		return newIter("itertools.cycle", func() (any, bool, error) {
			if i < 0 {
				v, ok, err := it.Next()
				if err != nil {
					return nil, false, err
				}
				if ok {
					saved = append(saved, v)
					return v, true, c.step()
				}
				if len(saved) == 0 {
					return nil, false, nil
				}
				i = 0
			}
			v := saved[i%len(saved)]
			i++
			return v, true, c.step()
		}), nil
	})
	l.meth("takeWhile", ps(req("collection", tIterable), req("predicate", tLambda)), func(c *call, a []any) (any, error) {
		it, err := c.iterate(a[0])
		if err != nil {
			return nil, err
		}
		stopped := false
		return newIter("itertools.takewhile", func() (any, bool, error) {
			if stopped {
				return nil, false, nil
			}
			v, ok, err := it.Next()
			if err != nil || !ok {
				return nil, false, err
			}
			r, err := a[1].(*lambda).call1(v)
			if err != nil {
				return nil, false, err
			}
			if !expr.Truthy(r) {
				stopped = true
				return nil, false, nil
			}
			return v, true, c.step()
		}), nil
	})
	l.meth("skipWhile", ps(req("collection", tIterable), req("predicate", tLambda)), func(c *call, a []any) (any, error) {
		it, err := c.iterate(a[0])
		if err != nil {
			return nil, err
		}
		dropping := true
		return newIter("itertools.dropwhile", func() (any, bool, error) {
			for {
				v, ok, err := it.Next()
				if err != nil || !ok {
					return nil, false, err
				}
				if !dropping {
					return v, true, c.step()
				}
				r, err := a[1].(*lambda).call1(v)
				if err != nil {
					return nil, false, err
				}
				if !expr.Truthy(r) {
					dropping = false
					return v, true, c.step()
				}
			}
		}), nil
	})
	indexOf := func(last bool, match func(c *call, a []any, v any) (bool, error)) fnImpl {
		return func(c *call, a []any) (any, error) {
			it, err := c.iterate(a[0])
			if err != nil {
				return nil, err
			}
			found := int64(-1)
			for i := int64(0); ; i++ {
				v, ok, err := it.Next()
				if err != nil {
					return nil, err
				}
				if !ok {
					return found, nil
				}
				if err := c.step(); err != nil {
					return nil, err
				}
				m, err := match(c, a, v)
				if err != nil {
					return nil, err
				}
				if m {
					found = i
					if !last {
						return found, nil
					}
				}
			}
		}
	}
	eqItem := func(c *call, a []any, v any) (bool, error) { return pyEqual(v, a[1]), nil }
	predItem := func(c *call, a []any, v any) (bool, error) {
		r, err := a[1].(*lambda).call1(v)
		return expr.Truthy(r), err
	}
	l.meth("indexOf", ps(req("collection", tIterable), reqN("item", tAny)), indexOf(false, eqItem))
	l.meth("lastIndexOf", ps(req("collection", tIterable), reqN("item", tAny)), indexOf(true, eqItem))
	l.meth("indexWhere", ps(req("collection", tIterable), req("predicate", tLambda)), indexOf(false, predItem))
	l.meth("lastIndexWhere", ps(req("collection", tIterable), req("predicate", tLambda)), indexOf(true, predItem))
	l.meth("slice", ps(req("collection", tIterable), req("length", tInt)), func(c *call, a []any) (any, error) {
		items, err := c.collect(a[0])
		if err != nil {
			return nil, err
		}
		n := toInt(a[1])
		if n < 0 {
			return nil, pyErr(classValueError, "Stop argument for islice() must be None or an integer: 0 <= x <= sys.maxsize.")
		}
		var out []any
		for i := 0; i < len(items) && n > 0; i += n {
			out = append(out, expr.Tuple(items[i:min(i+n, len(items))]))
		}
		return sliceIter("generator", out), nil
	})
	l.meth("splitWhere", ps(req("collection", tIterable), req("predicate", tLambda)), func(c *call, a []any) (any, error) {
		items, err := c.collect(a[0])
		if err != nil {
			return nil, err
		}
		var out []any
		start := 0
		for end := 0; end < len(items); end++ {
			r, err := a[1].(*lambda).call1(items[end])
			if err != nil {
				return nil, err
			}
			if expr.Truthy(r) {
				out = append(out, expr.Tuple(items[start:end]))
				start = end + 1
			}
		}
		if start != len(items) {
			out = append(out, expr.Tuple(items[start:]))
		}
		return sliceIter("generator", out), nil
	})
	l.meth("sliceWhere", ps(req("collection", tIterable), req("predicate", tLambda)), func(c *call, a []any) (any, error) {
		items, err := c.collect(a[0])
		if err != nil {
			return nil, err
		}
		var out []any
		start := 0
		var prev any = noValue
		for end := 0; end < len(items); end++ {
			p, err := a[1].(*lambda).call1(items[end])
			if err != nil {
				return nil, err
			}
			if prev != noValue && !pyEqual(p, prev) {
				out = append(out, expr.Tuple(items[start:end]))
				start = end
			}
			prev = p
		}
		if start != len(items) {
			out = append(out, expr.Tuple(items[start:]))
		}
		return sliceIter("generator", out), nil
	})
	l.meth("splitAt", ps(req("collection", tIterable), req("index", tInt)), func(c *call, a []any) (any, error) {
		items, err := c.collect(a[0])
		if err != nil {
			return nil, err
		}
		lo, _ := pySliceBounds(len(items), toInt(a[1]), len(items))
		return []any{expr.Tuple(items[:lo]), expr.Tuple(items[lo:])}, nil
	})
	aggregate := func(c *call, a []any) (any, error) {
		return c.aggregate(a[0], lam2(a[1].(*lambda)), a[2])
	}
	l.meth("aggregate", ps(req("collection", tIterable), req("selector", tLambda), opt("seed", tAny, noValue, true)), aggregate)
	l.meth("reduce", ps(req("collection", tIterable), req("selector", tLambda), opt("seed", tAny, noValue, true)), aggregate)
	l.meth("accumulate", ps(req("collection", tIterable), req("selector", tLambda), opt("seed", tAny, noValue, true)), func(c *call, a []any) (any, error) {
		it, err := c.iterate(a[0])
		if err != nil {
			return nil, err
		}
		total := a[2]
		started := false
		return newIter("generator", func() (any, bool, error) {
			if !started {
				started = true
				if total == noValue {
					v, ok, err := it.Next()
					if err != nil {
						return nil, false, err
					}
					if !ok {
						return nil, false, pyErr(classTypeError, "accumulate() of empty sequence with no initial value")
					}
					total = v
				}
				return total, true, nil
			}
			v, ok, err := it.Next()
			if err != nil || !ok {
				return nil, false, err
			}
			if total, err = a[1].(*lambda).call(c, total, v); err != nil {
				return nil, false, err
			}
			return total, true, c.step()
		}), nil
	})
	l.meth("reverse", ps(req("collection", tIterable)), func(c *call, a []any) (any, error) {
		items, err := c.collect(a[0])
		if err != nil {
			return nil, err
		}
		out := make([]any, len(items))
		for i, v := range items {
			out[len(items)-1-i] = v
		}
		return sliceIter("reversed", out), nil
	})
	l.meth("mergeWith", ps(req("dict", tMapping), req("another", tMapping), opt("listMerger", tLambda, nil, true), opt("itemMerger", tLambda, nil, true), opt("maxLevels", tInt, int64(0), false)), func(c *call, a []any) (any, error) {
		listMerger := func(x, y any) (any, error) {
			if a[2] != nil {
				return a[2].(*lambda).call(c, x, y)
			}
			// to_list(distinct(lst1 + lst2))
			sum, err := c.delegate("#operator_+", x, y)
			if err != nil {
				return nil, err
			}
			d, err := c.delegateMethod("distinct", sum)
			if err != nil {
				return nil, err
			}
			return c.delegateMethod("toList", d)
		}
		itemMerger := func(x, y any) (any, error) {
			if a[3] != nil {
				return a[3].(*lambda).call(c, x, y)
			}
			return y, nil
		}
		return mergeDicts(a[0].(*expr.Dict), a[1].(*expr.Dict), listMerger, itemMerger, toInt(a[4]))
	})
	l.fn("isIterable", ps(reqN("value", tAny)), func(c *call, a []any) (any, error) { return isIterable(a[0]), nil })
	l.fn("generate", ps(reqN("initial", tAny), req("predicate", tLambda), req("producer", tLambda), opt("selector", tLambda, nil, true), opt("decycle", tBool, false, false)), func(c *call, a []any) (any, error) {
		cur := a[0]
		var seen map[string]bool
		if expr.Truthy(a[4]) {
			seen = map[string]bool{}
		}
		return newIter("generator", func() (any, bool, error) {
			ok, err := a[1].(*lambda).call1(cur)
			if err != nil || !expr.Truthy(ok) {
				return nil, false, err
			}
			if seen != nil {
				h, err := hashOf(cur)
				if err != nil {
					return nil, false, err
				}
				if seen[h] {
					return nil, false, nil
				}
				seen[h] = true
			}
			out := cur
			if a[3] != nil {
				if out, err = a[3].(*lambda).call1(cur); err != nil {
					return nil, false, err
				}
			}
			if cur, err = a[2].(*lambda).call1(cur); err != nil {
				return nil, false, err
			}
			return out, true, c.step()
		}), nil
	})
	l.fn("generateMany", ps(reqN("initial", tAny), req("producer", tLambda), opt("selector", tLambda, nil, true), opt("decycle", tBool, false, false), opt("depthFirst", tBool, false, false)), func(c *call, a []any) (any, error) {
		queue := []any{a[0]}
		var seen map[string]bool
		if expr.Truthy(a[3]) {
			seen = map[string]bool{}
		}
		return newIter("generator", func() (any, bool, error) {
			for len(queue) > 0 {
				item := queue[0]
				queue = queue[1:]
				if seen != nil {
					h, err := hashOf(item)
					if err != nil {
						return nil, false, err
					}
					if seen[h] {
						continue
					}
					seen[h] = true
				}
				out := item
				var err error
				if a[2] != nil {
					if out, err = a[2].(*lambda).call1(item); err != nil {
						return nil, false, err
					}
				}
				produced, err := a[1].(*lambda).call1(item)
				if err != nil {
					return nil, false, err
				}
				more, err := c.collect(produced)
				if err != nil {
					return nil, false, err
				}
				if expr.Truthy(a[4]) {
					queue = append(append([]any{}, more...), queue...)
				} else {
					queue = append(queue, more...)
				}
				if err := c.checkSize(int64(len(queue))); err != nil {
					return nil, false, err
				}
				return out, true, c.step()
			}
			return nil, false, nil
		}), nil
	})
	l.meth("defaultIfEmpty", ps(req("collection", tIterable), req("default", tIterable)), func(c *call, a []any) (any, error) {
		switch x := a[0].(type) {
		case []any, expr.Tuple, *expr.Set, *dictView:
			n, _ := expr.Len(x)
			if n == 0 {
				return a[1], nil
			}
			return x, nil
		}
		m := &memoIter{src: nil}
		it, err := c.iterate(a[0])
		if err != nil {
			return nil, err
		}
		m.src = it
		_, ok, err := m.iter().Next()
		if err != nil {
			return nil, err
		}
		if !ok {
			return a[1], nil
		}
		return m, nil
	})
}

// mergeDicts is yaql's _merge_dicts.
func mergeDicts(d1, d2 *expr.Dict, listMerger, itemMerger func(x, y any) (any, error), maxLevels int) (any, error) {
	out := expr.NewDict(d1.Len())
	var err error
	d1.Range(func(k, v1 any) bool {
		if err = out.SetKey(k, v1); err != nil {
			return false
		}
		v2, found, e := d2.Lookup(k)
		if e != nil {
			err = e
			return false
		}
		if !found {
			return true
		}
		var r any
		switch {
		case maxLevels != 1 && isMapping(v2):
			m1, ok := v1.(*expr.Dict)
			if !ok {
				err = pyErr(classTypeError, "Cannot merge %s with %s", pyClassOf(v1), pyClassOf(v2))
				return false
			}
			next := 0
			if maxLevels != 0 {
				next = maxLevels - 1
			}
			r, err = mergeDicts(m1, v2.(*expr.Dict), listMerger, itemMerger, next)
		case maxLevels != 1 && isSequence(v2):
			if !isSequence(v1) {
				err = pyErr(classTypeError, "Cannot merge %s with %s", pyClassOf(v1), pyClassOf(v2))
				return false
			}
			r, err = listMerger(v1, v2)
		default:
			r, err = itemMerger(v1, v2)
		}
		if err != nil {
			return false
		}
		err = out.SetKey(k, r)
		return err == nil
	})
	if err != nil {
		return nil, err
	}
	d2.Range(func(k, v any) bool {
		if _, found, _ := out.Lookup(k); !found {
			err = out.SetKey(k, v)
		}
		return err == nil
	})
	return out, err
}

// pyClassOf is str(type(v)) for values as yaql holds them.
func pyClassOf(v any) string {
	switch v.(type) {
	case *expr.Dict:
		return "<class 'yaql.language.utils.FrozenDict'>"
	case *expr.Set:
		return "<class 'frozenset'>"
	}
	return "<class '" + expr.TypeName(v) + "'>"
}
