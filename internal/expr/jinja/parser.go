package jinja

import (
	"fmt"
	"strings"
)

// maxParseDepth bounds the nesting of parsed expressions and blocks, so a
// hostile template cannot exhaust the stack.
const maxParseDepth = 200

type parser struct {
	toks     []token
	p        int
	depth    int
	tagStack []string
	endStack [][]string
}

func (ps *parser) cur() token { return ps.toks[ps.p] }

func (ps *parser) look() token {
	if ps.p+1 < len(ps.toks) {
		return ps.toks[ps.p+1]
	}
	return ps.toks[len(ps.toks)-1]
}

func (ps *parser) next() token {
	t := ps.toks[ps.p]
	if ps.p < len(ps.toks)-1 {
		ps.p++
	}
	return t
}

func (ps *parser) fail(pos int, format string, args ...any) error {
	// The parser stops at the first bad token; when that is where the
	// lexer failed (or beyond), the lexer's error is the one to report.
	if last := ps.toks[len(ps.toks)-1]; last.kind == tError && ps.toks[ps.p].kind == tError {
		return last.num.(*SyntaxError)
	}
	return &SyntaxError{Msg: fmt.Sprintf(format, args...), Pos: pos}
}

func (ps *parser) isOp(op string) bool {
	t := ps.cur()
	return t.kind == tOp && t.val == op
}

func (ps *parser) isName(name string) bool {
	t := ps.cur()
	return t.kind == tName && t.val == name
}

func (ps *parser) skipOp(op string) bool {
	if ps.isOp(op) {
		ps.next()
		return true
	}
	return false
}

func (ps *parser) skipName(name string) bool {
	if ps.isName(name) {
		ps.next()
		return true
	}
	return false
}

// describeExpected names what expect wanted, as Jinja's messages do.
func describeExpected(kind tokKind, val string) string {
	switch kind {
	case tVarEnd:
		return "end of print statement"
	case tBlockEnd:
		return "end of statement block"
	case tName:
		if val == "" {
			return "name"
		}
	}
	return val
}

func (ps *parser) expect(kind tokKind, val string) (token, error) {
	t := ps.cur()
	if t.kind == kind && (val == "" || t.val == val) {
		return ps.next(), nil
	}
	want := describeExpected(kind, val)
	if t.kind == tEOF {
		return t, ps.fail(t.pos, "unexpected end of template, expected '%s'.", want)
	}
	return t, ps.fail(t.pos, "expected token '%s', got '%s'", want, t.describe())
}

func (ps *parser) enter(pos int) error {
	ps.depth++
	if ps.depth > maxParseDepth {
		return ps.fail(pos, "template nesting is too deep (more than %d levels)", maxParseDepth)
	}
	return nil
}

func (ps *parser) leave() { ps.depth-- }

// parseTemplate parses a whole template.
func parseTemplate(toks []token) ([]node, error) {
	ps := &parser{toks: toks}
	body, err := ps.subparse(nil)
	if err != nil {
		return nil, err
	}
	if t := ps.cur(); t.kind == tError {
		return nil, t.num.(*SyntaxError)
	}
	return body, nil
}

// parseExpressionTokens parses a bare expression (compile_expression).
func parseExpressionTokens(toks []token) (node, error) {
	ps := &parser{toks: toks}
	n, err := ps.expression(true)
	if err != nil {
		return nil, err
	}
	if t := ps.cur(); t.kind != tEOF {
		return nil, ps.fail(t.pos, "chunk after expression")
	}
	return n, nil
}

func (ps *parser) subparse(endTokens []string) ([]node, error) {
	if endTokens != nil {
		ps.endStack = append(ps.endStack, endTokens)
		defer func() { ps.endStack = ps.endStack[:len(ps.endStack)-1] }()
	}
	var body []node
	var out *outputNode
	flush := func() {
		if out != nil {
			body = append(body, out)
			out = nil
		}
	}
	add := func(n node) {
		if out == nil {
			out = &outputNode{base: base{n.position()}}
		}
		out.items = append(out.items, n)
	}
	for {
		t := ps.cur()
		switch t.kind {
		case tEOF, tError:
			flush()
			return body, nil
		case tData:
			add(&dataNode{base{t.pos}, t.val})
			ps.next()
		case tVarBegin:
			ps.next()
			n, err := ps.tuple(false, true, nil, false)
			if err != nil {
				return nil, err
			}
			add(n)
			if _, err := ps.expect(tVarEnd, ""); err != nil {
				return nil, err
			}
		case tBlockBegin:
			flush()
			ps.next()
			if endTokens != nil && ps.cur().kind == tName {
				for _, e := range endTokens {
					if ps.cur().val == e {
						return body, nil
					}
				}
			}
			st, err := ps.statement()
			if err != nil {
				return nil, err
			}
			body = append(body, st...)
			if _, err := ps.expect(tBlockEnd, ""); err != nil {
				return nil, err
			}
		default:
			return nil, ps.fail(t.pos, "unexpected '%s'", t.describe())
		}
	}
}

func (ps *parser) failUnknownTag(name string, pos int, stack [][]string) error {
	expected := map[string]bool{}
	for _, ex := range stack {
		for _, e := range ex {
			expected[e] = true
		}
	}
	var msg []string
	if name == "" {
		msg = append(msg, "Unexpected end of template.")
	} else {
		msg = append(msg, fmt.Sprintf("Encountered unknown tag '%s'.", name))
	}
	if len(stack) > 0 {
		var q []string
		for _, e := range stack[len(stack)-1] {
			q = append(q, "'"+e+"'")
		}
		looking := strings.Join(q, " or ")
		if name != "" && expected[name] {
			msg = append(msg, "You probably made a nesting mistake. Jinja is expecting this tag, but currently looking for "+looking+".")
		} else {
			msg = append(msg, "Jinja was looking for the following tags: "+looking+".")
		}
	}
	if len(ps.tagStack) > 0 {
		msg = append(msg, fmt.Sprintf("The innermost block that needs to be closed is '%s'.", ps.tagStack[len(ps.tagStack)-1]))
	}
	return ps.fail(pos, "%s", strings.Join(msg, " "))
}

func (ps *parser) statement() ([]node, error) {
	t := ps.cur()
	if t.kind != tName {
		return nil, ps.fail(t.pos, "tag name expected")
	}
	if err := ps.enter(t.pos); err != nil {
		return nil, err
	}
	defer ps.leave()
	known := true
	var n node
	var err error
	ps.tagStack = append(ps.tagStack, t.val)
	switch t.val {
	case "for":
		n, err = ps.parseFor()
	case "if":
		n, err = ps.parseIf()
	case "set":
		n, err = ps.parseSet()
	case "macro":
		n, err = ps.parseMacro()
	case "call":
		n, err = ps.parseCallBlock()
	case "filter":
		n, err = ps.parseFilterBlock()
	case "with":
		n, err = ps.parseWith()
	case "block":
		n, err = ps.parseBlock()
	case "print":
		ps.next()
		out := &outputNode{base: base{t.pos}}
		for ps.cur().kind != tBlockEnd {
			if len(out.items) > 0 {
				if _, err := ps.expect(tOp, ","); err != nil {
					return nil, err
				}
			}
			x, err := ps.expression(true)
			if err != nil {
				return nil, err
			}
			out.items = append(out.items, x)
		}
		n = out
	case "autoescape":
		ps.next()
		if _, err := ps.expression(true); err != nil {
			return nil, err
		}
		var body []node
		body, err = ps.statements([]string{"endautoescape"}, true)
		n = &withNode{base: base{t.pos}, body: body}
	case "extends", "include", "import", "from":
		// These need a template loader, which StackStorm's environments
		// do not have: parse the rest of the tag and fail when rendered.
		ps.next()
		for k := ps.cur().kind; k != tBlockEnd && k != tEOF && k != tError; k = ps.cur().kind {
			ps.next()
		}
		n = &unsupportedNode{base: base{t.pos}, what: t.val}
	default:
		known = false
	}
	ps.tagStack = ps.tagStack[:len(ps.tagStack)-1]
	if !known {
		return nil, ps.failUnknownTag(t.val, t.pos, ps.endStack)
	}
	if err != nil {
		return nil, err
	}
	return []node{n}, nil
}

// statements parses a block body up to one of the end tags.
func (ps *parser) statements(end []string, dropNeedle bool) ([]node, error) {
	ps.skipOp(":")
	if _, err := ps.expect(tBlockEnd, ""); err != nil {
		return nil, err
	}
	body, err := ps.subparse(end)
	if err != nil {
		return nil, err
	}
	if ps.cur().kind == tError {
		return nil, ps.cur().num.(*SyntaxError)
	}
	if ps.cur().kind == tEOF {
		return nil, ps.failUnknownTag("", ps.cur().pos, append(append([][]string(nil), ps.endStack...), end))
	}
	if dropNeedle {
		ps.next()
	}
	return body, nil
}

func (ps *parser) parseFor() (node, error) {
	t := ps.next()
	target, err := ps.assignTarget(true, false, []string{"in"}, false)
	if err != nil {
		return nil, err
	}
	if _, err := ps.expect(tName, "in"); err != nil {
		return nil, err
	}
	iter, err := ps.tuple(false, false, []string{"recursive"}, false)
	if err != nil {
		return nil, err
	}
	f := &forNode{base: base{t.pos}, target: target, iter: iter}
	if ps.skipName("if") {
		if f.cond, err = ps.expression(true); err != nil {
			return nil, err
		}
	}
	f.recursive = ps.skipName("recursive")
	if f.body, err = ps.statements([]string{"endfor", "else"}, false); err != nil {
		return nil, err
	}
	if ps.next().val != "endfor" {
		if f.els, err = ps.statements([]string{"endfor"}, true); err != nil {
			return nil, err
		}
	}
	return f, nil
}

func (ps *parser) parseIf() (node, error) {
	t := ps.next()
	result := &ifNode{base: base{t.pos}}
	test, err := ps.tuple(false, false, nil, false)
	if err != nil {
		return nil, err
	}
	result.test = test
	body, err := ps.statements([]string{"elif", "else", "endif"}, false)
	if err != nil {
		return nil, err
	}
	result.body = body
	for {
		tok := ps.next()
		switch tok.val {
		case "elif":
			test, err := ps.tuple(false, false, nil, false)
			if err != nil {
				return nil, err
			}
			body, err := ps.statements([]string{"elif", "else", "endif"}, false)
			if err != nil {
				return nil, err
			}
			result.elifs = append(result.elifs, elifClause{test, body})
			continue
		case "else":
			if result.els, err = ps.statements([]string{"endif"}, true); err != nil {
				return nil, err
			}
		}
		return result, nil
	}
}

func (ps *parser) parseSet() (node, error) {
	t := ps.next()
	target, err := ps.assignTarget(true, false, nil, true)
	if err != nil {
		return nil, err
	}
	if ps.skipOp("=") {
		val, err := ps.tuple(false, true, nil, false)
		if err != nil {
			return nil, err
		}
		return &assignNode{base: base{t.pos}, target: target, val: val}, nil
	}
	flt, err := ps.filter(nil, false)
	if err != nil {
		return nil, err
	}
	body, err := ps.statements([]string{"endset"}, true)
	if err != nil {
		return nil, err
	}
	var fn *filterNode
	if flt != nil {
		fn = flt.(*filterNode)
	}
	return &assignBlockNode{base: base{t.pos}, target: target, filter: fn, body: body}, nil
}

func (ps *parser) signature() ([]string, []node, error) {
	if _, err := ps.expect(tOp, "("); err != nil {
		return nil, nil, err
	}
	var args []string
	var defaults []node
	for !ps.isOp(")") {
		if len(args) > 0 {
			if _, err := ps.expect(tOp, ","); err != nil {
				return nil, nil, err
			}
		}
		name, err := ps.expect(tName, "")
		if err != nil {
			return nil, nil, err
		}
		if ps.skipOp("=") {
			d, err := ps.expression(true)
			if err != nil {
				return nil, nil, err
			}
			defaults = append(defaults, d)
		} else if len(defaults) > 0 {
			return nil, nil, ps.fail(name.pos, "non-default argument follows default argument")
		}
		args = append(args, name.val)
	}
	ps.next()
	return args, defaults, nil
}

func (ps *parser) parseMacro() (node, error) {
	t := ps.next()
	name, err := ps.expect(tName, "")
	if err != nil {
		return nil, err
	}
	args, defaults, err := ps.signature()
	if err != nil {
		return nil, err
	}
	body, err := ps.statements([]string{"endmacro"}, true)
	if err != nil {
		return nil, err
	}
	return &macroNode{base: base{t.pos}, name: name.val, args: args, defaults: defaults, body: body}, nil
}

func (ps *parser) parseCallBlock() (node, error) {
	t := ps.next()
	n := &callBlockNode{base: base{t.pos}}
	if ps.isOp("(") {
		var err error
		if n.args, n.defaults, err = ps.signature(); err != nil {
			return nil, err
		}
	}
	c, err := ps.expression(true)
	if err != nil {
		return nil, err
	}
	call, ok := c.(*callNode)
	if !ok {
		return nil, ps.fail(t.pos, "expected call")
	}
	n.call = call
	if n.body, err = ps.statements([]string{"endcall"}, true); err != nil {
		return nil, err
	}
	return n, nil
}

func (ps *parser) parseFilterBlock() (node, error) {
	t := ps.next()
	f, err := ps.filter(nil, true)
	if err != nil {
		return nil, err
	}
	body, err := ps.statements([]string{"endfilter"}, true)
	if err != nil {
		return nil, err
	}
	return &filterBlockNode{base: base{t.pos}, filter: f.(*filterNode), body: body}, nil
}

func (ps *parser) parseWith() (node, error) {
	t := ps.next()
	n := &withNode{base: base{t.pos}}
	for ps.cur().kind != tBlockEnd {
		if len(n.targets) > 0 {
			if _, err := ps.expect(tOp, ","); err != nil {
				return nil, err
			}
		}
		target, err := ps.assignTarget(true, false, nil, false)
		if err != nil {
			return nil, err
		}
		if _, err := ps.expect(tOp, "="); err != nil {
			return nil, err
		}
		v, err := ps.expression(true)
		if err != nil {
			return nil, err
		}
		n.targets = append(n.targets, target)
		n.vals = append(n.vals, v)
	}
	var err error
	if n.body, err = ps.statements([]string{"endwith"}, true); err != nil {
		return nil, err
	}
	return n, nil
}

func (ps *parser) parseBlock() (node, error) {
	t := ps.next()
	name, err := ps.expect(tName, "")
	if err != nil {
		return nil, err
	}
	n := &blockNode{base: base{t.pos}, name: name.val}
	n.scoped = ps.skipName("scoped")
	ps.skipName("required")
	if n.body, err = ps.statements([]string{"endblock"}, true); err != nil {
		return nil, err
	}
	ps.skipName(name.val)
	return n, nil
}

// assignTarget parses a name, a tuple of names, or (withNamespace) a
// namespace attribute "ns.attr".
func (ps *parser) assignTarget(withTuple, nameOnly bool, extraEnd []string, withNamespace bool) (node, error) {
	t := ps.cur()
	if withNamespace && t.kind == tName && ps.look().kind == tOp && ps.look().val == "." {
		ps.next()
		ps.next()
		attr, err := ps.expect(tName, "")
		if err != nil {
			return nil, err
		}
		return &nsRefNode{base: base{t.pos}, name: t.val, attr: attr.val}, nil
	}
	var target node
	var err error
	switch {
	case nameOnly:
		tok, err := ps.expect(tName, "")
		if err != nil {
			return nil, err
		}
		target = &nameNode{base{tok.pos}, tok.val}
	case withTuple:
		target, err = ps.tuple(true, true, extraEnd, false)
	default:
		target, err = ps.primary()
	}
	if err != nil {
		return nil, err
	}
	if !canAssign(target) {
		return nil, ps.fail(t.pos, "can't assign to '%s'", nodeKind(target))
	}
	return target, nil
}

func canAssign(n node) bool {
	switch x := n.(type) {
	case *nameNode:
		switch x.name {
		case "true", "false", "none", "True", "False", "None":
			return false
		}
		return true
	case *tupleNode:
		for _, it := range x.items {
			if !canAssign(it) {
				return false
			}
		}
		return true
	case *nsRefNode:
		return true
	}
	return false
}

func nodeKind(n node) string {
	switch n.(type) {
	case *constNode:
		return "const"
	case *listNode:
		return "list"
	case *dictNode:
		return "dict"
	case *callNode:
		return "call"
	}
	return "expression"
}

func (ps *parser) isTupleEnd(extra []string) bool {
	t := ps.cur()
	if t.kind == tVarEnd || t.kind == tBlockEnd || (t.kind == tOp && t.val == ")") {
		return true
	}
	if t.kind == tName {
		for _, e := range extra {
			if t.val == e {
				return true
			}
		}
	}
	return false
}

// tuple parses an expression or, when commas follow, a tuple.
func (ps *parser) tuple(simplified, withCond bool, extraEnd []string, explicitParens bool) (node, error) {
	start := ps.cur().pos
	var items []node
	isTuple := false
	for {
		if len(items) > 0 {
			if _, err := ps.expect(tOp, ","); err != nil {
				return nil, err
			}
		}
		if ps.isTupleEnd(extraEnd) {
			break
		}
		var n node
		var err error
		switch {
		case simplified:
			n, err = ps.primary()
		default:
			n, err = ps.expression(withCond)
		}
		if err != nil {
			return nil, err
		}
		items = append(items, n)
		if ps.isOp(",") {
			isTuple = true
		} else {
			break
		}
	}
	if !isTuple {
		if len(items) > 0 {
			return items[0], nil
		}
		if !explicitParens {
			return nil, ps.fail(ps.cur().pos, "Expected an expression, got '%s'", ps.cur().describe())
		}
	}
	return &tupleNode{base{start}, items}, nil
}

func (ps *parser) expression(withCond bool) (node, error) {
	if err := ps.enter(ps.cur().pos); err != nil {
		return nil, err
	}
	defer ps.leave()
	if withCond {
		return ps.condExpr()
	}
	return ps.or()
}

func (ps *parser) condExpr() (node, error) {
	start := ps.cur().pos
	x, err := ps.or()
	if err != nil {
		return nil, err
	}
	for ps.skipName("if") {
		test, err := ps.or()
		if err != nil {
			return nil, err
		}
		var els node
		if ps.skipName("else") {
			if els, err = ps.condExpr(); err != nil {
				return nil, err
			}
		}
		x = &condNode{base{start}, test, x, els}
	}
	return x, nil
}

func (ps *parser) or() (node, error) {
	l, err := ps.and()
	if err != nil {
		return nil, err
	}
	for ps.isName("or") {
		t := ps.next()
		r, err := ps.and()
		if err != nil {
			return nil, err
		}
		l = &orNode{base{t.pos}, l, r}
	}
	return l, nil
}

func (ps *parser) and() (node, error) {
	l, err := ps.not()
	if err != nil {
		return nil, err
	}
	for ps.isName("and") {
		t := ps.next()
		r, err := ps.not()
		if err != nil {
			return nil, err
		}
		l = &andNode{base{t.pos}, l, r}
	}
	return l, nil
}

func (ps *parser) not() (node, error) {
	if ps.isName("not") {
		t := ps.next()
		if err := ps.enter(t.pos); err != nil {
			return nil, err
		}
		defer ps.leave()
		x, err := ps.not()
		if err != nil {
			return nil, err
		}
		return &unaryNode{base{t.pos}, "not", x}, nil
	}
	return ps.compare()
}

var compareOps = map[string]string{"==": "eq", "!=": "ne", "<": "lt", "<=": "lteq", ">": "gt", ">=": "gteq"}

func (ps *parser) compare() (node, error) {
	start := ps.cur().pos
	x, err := ps.math1()
	if err != nil {
		return nil, err
	}
	var ops []compareOp
	for {
		t := ps.cur()
		var op string
		switch {
		case t.kind == tOp && compareOps[t.val] != "":
			op = compareOps[t.val]
			ps.next()
		case t.kind == tName && t.val == "in":
			op = "in"
			ps.next()
		case t.kind == tName && t.val == "not" && ps.look().kind == tName && ps.look().val == "in":
			op = "notin"
			ps.next()
			ps.next()
		default:
			if len(ops) == 0 {
				return x, nil
			}
			return &compareNode{base{start}, x, ops}, nil
		}
		r, err := ps.math1()
		if err != nil {
			return nil, err
		}
		ops = append(ops, compareOp{op, r, t.pos})
	}
}

func (ps *parser) math1() (node, error) {
	l, err := ps.concat()
	if err != nil {
		return nil, err
	}
	for ps.isOp("+") || ps.isOp("-") {
		t := ps.next()
		r, err := ps.concat()
		if err != nil {
			return nil, err
		}
		l = &binNode{base{t.pos}, t.val, l, r}
	}
	return l, nil
}

func (ps *parser) concat() (node, error) {
	l, err := ps.math2()
	if err != nil {
		return nil, err
	}
	for ps.isOp("~") {
		t := ps.next()
		r, err := ps.math2()
		if err != nil {
			return nil, err
		}
		l = &binNode{base{t.pos}, "~", l, r}
	}
	return l, nil
}

func (ps *parser) math2() (node, error) {
	l, err := ps.pow()
	if err != nil {
		return nil, err
	}
	for ps.isOp("*") || ps.isOp("/") || ps.isOp("//") || ps.isOp("%") {
		t := ps.next()
		r, err := ps.pow()
		if err != nil {
			return nil, err
		}
		l = &binNode{base{t.pos}, t.val, l, r}
	}
	return l, nil
}

func (ps *parser) pow() (node, error) {
	l, err := ps.unary(true)
	if err != nil {
		return nil, err
	}
	for ps.isOp("**") {
		t := ps.next()
		r, err := ps.unary(true)
		if err != nil {
			return nil, err
		}
		l = &binNode{base{t.pos}, "**", l, r}
	}
	return l, nil
}

func (ps *parser) unary(withFilter bool) (node, error) {
	t := ps.cur()
	var n node
	var err error
	if t.kind == tOp && (t.val == "-" || t.val == "+") {
		ps.next()
		if err := ps.enter(t.pos); err != nil {
			return nil, err
		}
		x, err := ps.unary(false)
		ps.leave()
		if err != nil {
			return nil, err
		}
		n = &unaryNode{base{t.pos}, t.val, x}
	} else if n, err = ps.primary(); err != nil {
		return nil, err
	}
	if n, err = ps.postfix(n); err != nil {
		return nil, err
	}
	if withFilter {
		return ps.filterExpr(n)
	}
	return n, nil
}

func (ps *parser) primary() (node, error) {
	t := ps.cur()
	switch t.kind {
	case tName:
		ps.next()
		switch t.val {
		case "true", "True":
			return &constNode{base{t.pos}, true}, nil
		case "false", "False":
			return &constNode{base{t.pos}, false}, nil
		case "none", "None":
			return &constNode{base{t.pos}, nil}, nil
		}
		return &nameNode{base{t.pos}, t.val}, nil
	case tString:
		ps.next()
		s := t.val
		for ps.cur().kind == tString {
			s += ps.next().val
		}
		return &constNode{base{t.pos}, s}, nil
	case tInt, tFloat:
		ps.next()
		return &constNode{base{t.pos}, t.num}, nil
	case tOp:
		switch t.val {
		case "(":
			ps.next()
			if err := ps.enter(t.pos); err != nil {
				return nil, err
			}
			defer ps.leave()
			n, err := ps.tuple(false, true, nil, true)
			if err != nil {
				return nil, err
			}
			if _, err := ps.expect(tOp, ")"); err != nil {
				return nil, err
			}
			return n, nil
		case "[":
			ps.next()
			if err := ps.enter(t.pos); err != nil {
				return nil, err
			}
			defer ps.leave()
			l := &listNode{base: base{t.pos}}
			for !ps.isOp("]") {
				if len(l.items) > 0 {
					if _, err := ps.expect(tOp, ","); err != nil {
						return nil, err
					}
				}
				if ps.isOp("]") {
					break
				}
				x, err := ps.expression(true)
				if err != nil {
					return nil, err
				}
				l.items = append(l.items, x)
			}
			ps.next()
			return l, nil
		case "{":
			ps.next()
			if err := ps.enter(t.pos); err != nil {
				return nil, err
			}
			defer ps.leave()
			d := &dictNode{base: base{t.pos}}
			for !ps.isOp("}") {
				if len(d.keys) > 0 {
					if _, err := ps.expect(tOp, ","); err != nil {
						return nil, err
					}
				}
				if ps.isOp("}") {
					break
				}
				k, err := ps.expression(true)
				if err != nil {
					return nil, err
				}
				if _, err := ps.expect(tOp, ":"); err != nil {
					return nil, err
				}
				v, err := ps.expression(true)
				if err != nil {
					return nil, err
				}
				d.keys = append(d.keys, k)
				d.vals = append(d.vals, v)
			}
			ps.next()
			return d, nil
		}
	}
	return nil, ps.fail(t.pos, "unexpected '%s'", t.describe())
}

func (ps *parser) postfix(n node) (node, error) {
	for {
		t := ps.cur()
		if t.kind != tOp {
			return n, nil
		}
		var err error
		switch t.val {
		case ".", "[":
			n, err = ps.subscript(n)
		case "(":
			n, err = ps.call(n)
		default:
			return n, nil
		}
		if err != nil {
			return nil, err
		}
	}
}

func (ps *parser) filterExpr(n node) (node, error) {
	for {
		t := ps.cur()
		var err error
		switch {
		case t.kind == tOp && t.val == "|":
			n, err = ps.filter(n, false)
		case t.kind == tName && t.val == "is":
			n, err = ps.test(n)
		case t.kind == tOp && t.val == "(":
			n, err = ps.call(n)
		default:
			return n, nil
		}
		if err != nil {
			return nil, err
		}
	}
}

func (ps *parser) subscript(n node) (node, error) {
	t := ps.next()
	if t.val == "." {
		a := ps.next()
		switch a.kind {
		case tName:
			return &getattrNode{base{t.pos}, n, a.val}, nil
		case tInt:
			return &getitemNode{base{t.pos}, n, &constNode{base{a.pos}, a.num}}, nil
		}
		return nil, ps.fail(a.pos, "expected name or number")
	}
	var args []node
	for !ps.isOp("]") {
		if len(args) > 0 {
			if _, err := ps.expect(tOp, ","); err != nil {
				return nil, err
			}
		}
		a, err := ps.subscribed()
		if err != nil {
			return nil, err
		}
		args = append(args, a)
	}
	ps.next()
	if len(args) == 1 {
		return &getitemNode{base{t.pos}, n, args[0]}, nil
	}
	if len(args) == 0 {
		return nil, ps.fail(t.pos, "expected subscript expression")
	}
	return &getitemNode{base{t.pos}, n, &tupleNode{base{t.pos}, args}}, nil
}

func (ps *parser) subscribed() (node, error) {
	start := ps.cur().pos
	var parts [3]node
	if ps.isOp(":") {
		ps.next()
	} else {
		x, err := ps.expression(true)
		if err != nil {
			return nil, err
		}
		if !ps.isOp(":") {
			return x, nil
		}
		ps.next()
		parts[0] = x
	}
	endOfSlice := func() bool { return ps.isOp("]") || ps.isOp(",") }
	if !ps.isOp(":") && !endOfSlice() {
		x, err := ps.expression(true)
		if err != nil {
			return nil, err
		}
		parts[1] = x
	}
	if ps.isOp(":") {
		ps.next()
		if !endOfSlice() {
			x, err := ps.expression(true)
			if err != nil {
				return nil, err
			}
			parts[2] = x
		}
	}
	return &sliceNode{base{start}, parts[0], parts[1], parts[2]}, nil
}

func (ps *parser) callArgs() (callArgs, error) {
	var ca callArgs
	open, err := ps.expect(tOp, "(")
	if err != nil {
		return ca, err
	}
	bad := func() error { return ps.fail(open.pos, "invalid syntax for function call expression") }
	requireComma := false
	for !ps.isOp(")") {
		if requireComma {
			if _, err := ps.expect(tOp, ","); err != nil {
				return ca, err
			}
			if ps.isOp(")") {
				break
			}
		}
		switch {
		case ps.isOp("*"):
			if ca.dynArgs != nil || ca.dynKwargs != nil {
				return ca, bad()
			}
			ps.next()
			if ca.dynArgs, err = ps.expression(true); err != nil {
				return ca, err
			}
		case ps.isOp("**"):
			if ca.dynKwargs != nil {
				return ca, bad()
			}
			ps.next()
			if ca.dynKwargs, err = ps.expression(true); err != nil {
				return ca, err
			}
		case ps.cur().kind == tName && ps.look().kind == tOp && ps.look().val == "=":
			if ca.dynKwargs != nil {
				return ca, bad()
			}
			key := ps.next().val
			ps.next()
			v, err := ps.expression(true)
			if err != nil {
				return ca, err
			}
			ca.kwargs = append(ca.kwargs, kwArg{key, v})
		default:
			if ca.dynArgs != nil || ca.dynKwargs != nil || len(ca.kwargs) > 0 {
				return ca, bad()
			}
			v, err := ps.expression(true)
			if err != nil {
				return ca, err
			}
			ca.args = append(ca.args, v)
		}
		requireComma = true
	}
	ps.next()
	return ca, nil
}

func (ps *parser) call(n node) (node, error) {
	t := ps.cur()
	if err := ps.enter(t.pos); err != nil {
		return nil, err
	}
	defer ps.leave()
	ca, err := ps.callArgs()
	if err != nil {
		return nil, err
	}
	return &callNode{base{t.pos}, n, ca}, nil
}

func (ps *parser) dottedName() (token, string, error) {
	t, err := ps.expect(tName, "")
	if err != nil {
		return t, "", err
	}
	name := t.val
	for ps.isOp(".") {
		ps.next()
		p, err := ps.expect(tName, "")
		if err != nil {
			return t, "", err
		}
		name += "." + p.val
	}
	return t, name, nil
}

func (ps *parser) filter(n node, startInline bool) (node, error) {
	for ps.isOp("|") || startInline {
		if !startInline {
			ps.next()
		}
		t, name, err := ps.dottedName()
		if err != nil {
			return nil, err
		}
		f := &filterNode{base: base{t.pos}, x: n, name: name}
		if ps.isOp("(") {
			if f.callArgs, err = ps.callArgs(); err != nil {
				return nil, err
			}
		}
		n = f
		startInline = false
	}
	return n, nil
}

func (ps *parser) test(n node) (node, error) {
	is := ps.next()
	negated := ps.skipName("not")
	_, name, err := ps.dottedName()
	if err != nil {
		return nil, err
	}
	tn := &testNode{base: base{is.pos}, x: n, name: name}
	t := ps.cur()
	switch {
	case t.kind == tOp && t.val == "(":
		if tn.callArgs, err = ps.callArgs(); err != nil {
			return nil, err
		}
	case (t.kind == tName && t.val != "else" && t.val != "or" && t.val != "and") || t.kind == tString || t.kind == tInt || t.kind == tFloat ||
		(t.kind == tOp && (t.val == "[" || t.val == "{")):
		if t.kind == tName && t.val == "is" {
			return nil, ps.fail(t.pos, "You cannot chain multiple tests with is")
		}
		arg, err := ps.primary()
		if err != nil {
			return nil, err
		}
		if arg, err = ps.postfix(arg); err != nil {
			return nil, err
		}
		tn.args = []node{arg}
	}
	if negated {
		return &unaryNode{base{is.pos}, "not", tn}, nil
	}
	return tn, nil
}
