package expr

import (
	"strconv"
	"strings"
	"sync"
)

// jsonpath_query follows python-jsonpath-rw: $ (root), a.b (child),
// a..b (descendants), * and [*] (every element or value), fields lists
// (a,b), quoted field names, [n] (index), [start:end:step] (slice),
// a|b (union), a where b (filter by existence) and `this`.

type jpNode struct {
	kind        byte // '$' root, 't' this, 'f' fields, 'i' index, 's' slice, '.' child, 'd' descendants, '|' union, 'w' where, '&' intersect
	fields      []string
	index       int
	start, stop *int
	step        *int
	left, right *jpNode
}

type jpParser struct {
	src  string
	toks []jpTok
	pos  int
}

type jpTok struct {
	kind byte // 'I' id, 'N' number, '$', '.', 'D' (..), '[', ']', ':', ',', '*', '|', '&', '(', ')', 'W' where, 'T' `this`, 0 end
	text string
}

var jpCache sync.Map

func parseJSONPath(src string) (*jpNode, error) {
	if n, ok := jpCache.Load(src); ok {
		return n.(*jpNode), nil
	}
	toks, err := lexJSONPath(src)
	if err != nil {
		return nil, err
	}
	p := &jpParser{src: src, toks: toks}
	n, err := p.expr(0)
	if err != nil {
		return nil, err
	}
	if p.peek().kind != 0 {
		return nil, p.errorf()
	}
	jpCache.Store(src, n)
	return n, nil
}

func lexJSONPath(s string) ([]jpTok, error) {
	var toks []jpTok
	for i := 0; i < len(s); {
		c := s[i]
		switch {
		case c == ' ' || c == '\t' || c == '\n':
			i++
		case c == '.' && i+1 < len(s) && s[i+1] == '.':
			toks = append(toks, jpTok{kind: 'D'})
			i += 2
		case strings.IndexByte("$.[]:,*|&()", c) >= 0:
			toks = append(toks, jpTok{kind: c})
			i++
		case c == '\'' || c == '"':
			j := i + 1
			var b strings.Builder
			for j < len(s) && s[j] != c {
				if s[j] == '\\' && j+1 < len(s) {
					j++
				}
				b.WriteByte(s[j])
				j++
			}
			if j >= len(s) {
				return nil, ValueErrorf("Error on line 1, col %d: Unterminated string", i)
			}
			toks = append(toks, jpTok{kind: 'I', text: b.String()})
			i = j + 1
		case c == '`':
			j := strings.IndexByte(s[i+1:], '`')
			if j < 0 {
				return nil, ValueErrorf("Error on line 1, col %d: Unterminated named operator", i)
			}
			name := s[i+1 : i+1+j]
			if name != "this" {
				return nil, ValueErrorf("Unknown named operator `%s` at 1:%d", name, i)
			}
			toks = append(toks, jpTok{kind: 'T'})
			i += j + 2
		case c == '-' || (c >= '0' && c <= '9'):
			j := i + 1
			for j < len(s) && s[j] >= '0' && s[j] <= '9' {
				j++
			}
			toks = append(toks, jpTok{kind: 'N', text: s[i:j]})
			i = j
		case c == '_' || c == '@' || c == '\\' || (c|0x20 >= 'a' && c|0x20 <= 'z') || c >= 0x80:
			j := i
			for j < len(s) && (s[j] == '_' || s[j] == '@' || s[j] == '-' || (s[j] >= '0' && s[j] <= '9') || (s[j]|0x20 >= 'a' && s[j]|0x20 <= 'z') || s[j] >= 0x80) {
				j++
			}
			if j == i {
				return nil, ValueErrorf("Error on line 1, col %d: Unexpected character: %c ", i, c)
			}
			word := s[i:j]
			if word == "where" {
				toks = append(toks, jpTok{kind: 'W'})
			} else {
				toks = append(toks, jpTok{kind: 'I', text: word})
			}
			i = j
		default:
			return nil, ValueErrorf("Error on line 1, col %d: Unexpected character: %c ", i, c)
		}
	}
	return append(toks, jpTok{}), nil
}

func (p *jpParser) peek() jpTok { return p.toks[p.pos] }
func (p *jpParser) next() jpTok { t := p.toks[p.pos]; p.pos++; return t }

func (p *jpParser) errorf() error {
	t := p.peek()
	if t.kind == 0 {
		return Errorf("Exception", "Parse error near the end of string!")
	}
	text := t.text
	if text == "" {
		text = string(t.kind)
	}
	return Errorf("Exception", "Parse error at 1:%d near token %s (%c)", p.pos, text, t.kind)
}

// binary operator precedences, as jsonpath-rw declares them.
var jpPrec = map[byte]int{'D': 1, '.': 2, '|': 3, '&': 4, 'W': 5}

func (p *jpParser) expr(minPrec int) (*jpNode, error) {
	left, err := p.postfix()
	if err != nil {
		return nil, err
	}
	for {
		op := p.peek().kind
		prec, ok := jpPrec[op]
		if !ok || prec <= minPrec {
			return left, nil
		}
		p.next()
		right, err := p.expr(prec)
		if err != nil {
			return nil, err
		}
		kind := op
		switch op {
		case 'D':
			kind = 'd'
		case 'W':
			kind = 'w'
		}
		left = &jpNode{kind: kind, left: left, right: right}
	}
}

func (p *jpParser) postfix() (*jpNode, error) {
	n, err := p.atom()
	if err != nil {
		return nil, err
	}
	for p.peek().kind == '[' {
		sub, err := p.bracket()
		if err != nil {
			return nil, err
		}
		n = &jpNode{kind: '.', left: n, right: sub}
	}
	return n, nil
}

func (p *jpParser) atom() (*jpNode, error) {
	t := p.peek()
	switch t.kind {
	case '$':
		p.next()
		return &jpNode{kind: '$'}, nil
	case 'T':
		p.next()
		return &jpNode{kind: 't'}, nil
	case '*':
		p.next()
		return &jpNode{kind: 'f', fields: []string{"*"}}, nil
	case 'I', 'N':
		fields := []string{p.next().text}
		for p.peek().kind == ',' {
			p.next()
			f := p.next()
			if f.kind != 'I' && f.kind != 'N' && f.kind != '*' {
				return nil, p.errorf()
			}
			if f.kind == '*' {
				f.text = "*"
			}
			fields = append(fields, f.text)
		}
		return &jpNode{kind: 'f', fields: fields}, nil
	case '(':
		p.next()
		n, err := p.expr(0)
		if err != nil {
			return nil, err
		}
		if p.next().kind != ')' {
			return nil, p.errorf()
		}
		return n, nil
	case '[':
		return p.bracket()
	}
	return nil, p.errorf()
}

// bracket parses [n], [*], [start:end:step] or ['field', ...].
func (p *jpParser) bracket() (*jpNode, error) {
	p.next() // [
	t := p.peek()
	if t.kind == '*' {
		p.next()
		if p.next().kind != ']' {
			return nil, p.errorf()
		}
		return &jpNode{kind: 's'}, nil
	}
	if t.kind == 'I' {
		n, err := p.atom()
		if err != nil {
			return nil, err
		}
		if p.next().kind != ']' {
			return nil, p.errorf()
		}
		return n, nil
	}
	var nums [3]*int
	slot, colons := 0, 0
	for {
		t := p.next()
		switch t.kind {
		case 'N':
			if slot > 2 || nums[slot] != nil {
				return nil, p.errorf()
			}
			v, err := strconv.Atoi(t.text)
			if err != nil {
				return nil, p.errorf()
			}
			nums[slot] = &v
		case ':':
			colons++
			slot++
			if slot > 2 {
				return nil, p.errorf()
			}
		case ']':
			if colons == 0 {
				if nums[0] == nil {
					return nil, p.errorf()
				}
				return &jpNode{kind: 'i', index: *nums[0]}, nil
			}
			return &jpNode{kind: 's', start: nums[0], stop: nums[1], step: nums[2]}, nil
		default:
			return nil, p.errorf()
		}
	}
}

func (n *jpNode) find(root, v any, b *Budget) ([]any, error) {
	if err := b.Step(1); err != nil {
		return nil, err
	}
	switch n.kind {
	case '$':
		return []any{root}, nil
	case 't':
		return []any{v}, nil
	case 'f':
		d, ok := v.(*Dict)
		if !ok {
			return nil, nil
		}
		var out []any
		for _, f := range n.fields {
			if f == "*" {
				out = append(out, d.vals...)
				continue
			}
			if x, ok := d.Get(f); ok {
				out = append(out, x)
			}
		}
		return out, nil
	case 'i':
		var l []any
		switch x := v.(type) {
		case []any:
			l = x
		case Tuple:
			l = x
		default:
			return nil, nil
		}
		i := n.index
		if i < 0 {
			i += len(l)
		}
		if i < 0 || i >= len(l) {
			return nil, nil
		}
		return []any{l[i]}, nil
	case 's':
		var l []any
		switch x := v.(type) {
		case []any:
			l = x
		case Tuple:
			l = x
		case *Dict, string, int64:
			l = []any{x}
		default:
			return nil, nil
		}
		if n.start == nil && n.stop == nil && n.step == nil {
			return append([]any(nil), l...), nil
		}
		idx, err := SliceIndices(len(l), intPtrAny(n.start), intPtrAny(n.stop), intPtrAny(n.step))
		if err != nil {
			return nil, err
		}
		out := make([]any, len(idx))
		for i, j := range idx {
			out[i] = l[j]
		}
		return out, nil
	case '.':
		lefts, err := n.left.find(root, v, b)
		if err != nil {
			return nil, err
		}
		var out []any
		for _, l := range lefts {
			r, err := n.right.find(root, l, b)
			if err != nil {
				return nil, err
			}
			out = append(out, r...)
		}
		return out, nil
	case 'd':
		lefts, err := n.left.find(root, v, b)
		if err != nil {
			return nil, err
		}
		var out []any
		var walk func(x any, depth int) error
		walk = func(x any, depth int) error {
			if depth > maxReprDepth {
				return Errorf("RecursionError", "maximum recursion depth exceeded")
			}
			r, err := n.right.find(root, x, b)
			if err != nil {
				return err
			}
			out = append(out, r...)
			switch c := x.(type) {
			case []any:
				for _, e := range c {
					if err := walk(e, depth+1); err != nil {
						return err
					}
				}
			case Tuple:
				for _, e := range c {
					if err := walk(e, depth+1); err != nil {
						return err
					}
				}
			case *Dict:
				for _, e := range c.vals {
					if err := walk(e, depth+1); err != nil {
						return err
					}
				}
			}
			return nil
		}
		for _, l := range lefts {
			if err := walk(l, 0); err != nil {
				return nil, err
			}
		}
		return out, nil
	case '|':
		l, err := n.left.find(root, v, b)
		if err != nil {
			return nil, err
		}
		r, err := n.right.find(root, v, b)
		if err != nil {
			return nil, err
		}
		return append(l, r...), nil
	case 'w':
		lefts, err := n.left.find(root, v, b)
		if err != nil {
			return nil, err
		}
		var out []any
		for _, l := range lefts {
			r, err := n.right.find(root, l, b)
			if err != nil {
				return nil, err
			}
			if len(r) > 0 {
				out = append(out, l)
			}
		}
		return out, nil
	}
	return nil, Errorf("NotImplementedError", "")
}

func intPtrAny(p *int) any {
	if p == nil {
		return nil
	}
	return int64(*p)
}

// JSONPathQuery runs a jsonpath-rw query against v: the list of matches,
// or None when nothing matches.
func JSONPathQuery(v any, query string, b *Budget) (any, error) {
	n, err := parseJSONPath(query)
	if err != nil {
		return nil, err
	}
	out, err := n.find(v, v, b)
	if err != nil {
		return nil, err
	}
	if len(out) == 0 {
		return nil, nil
	}
	return out, nil
}

var jsonpathQuerySpec = FuncSpec{
	Name: "jsonpath_query", MinArgs: 2, MaxArgs: 2,
	Params: []Param{{Name: "value"}, {Name: "query"}},
	Scope:  ScopeST2 | ScopeOrquesta,
	Doc:    "The values a JSONPath query (python-jsonpath-rw syntax) selects, as a list, or None when it selects nothing.",
	Examples: []Example{
		{Text: "{'a': [{'b': 1}, {'b': 2}]} | jsonpath_query('a[*].b')", Args: []any{DictOf("a", []any{DictOf("b", int64(1)), DictOf("b", int64(2))}), "a[*].b"}, Want: []any{int64(1), int64(2)}},
		{Text: "{'a': {'x': {'id': 7}}} | jsonpath_query('$..id')", Args: []any{DictOf("a", DictOf("x", DictOf("id", int64(7)))), "$..id"}, Want: []any{int64(7)}},
		{Text: "{'a': 1} | jsonpath_query('b')", Args: []any{DictOf("a", int64(1)), "b"}, Want: nil},
	},
	Fn: func(c *Call) (any, error) {
		q, ok := c.Arg(1).(string)
		if !ok {
			return nil, TypeErrorf("query must be a string, not %s", TypeName(c.Arg(1)))
		}
		return JSONPathQuery(c.Arg(0), q, c.Budget)
	},
}
