package yaql

import (
	"github.com/st2go/st2go/internal/expr"
)

// Operator precedence, as in yaql's YaqlFactory operator table: a lower
// group binds tighter. Every binary operator is left-associative except
// "->".
//
//	1  .  ?.
//	2  x[...]            (indexer)
//	3  +x  -x            (prefix)
//	4  =~  !~
//	5  *  /  mod
//	6  +  -
//	7  >  <  >=  <=  !=  =  in
//	8  not x             (prefix)
//	9  and
//	10 or
//	11 ->                (right-associative)
var binaryGroup = map[string]int{
	".": 1, "?.": 1,
	"=~": 4, "!~": 4,
	"*": 5, "/": 5, "mod": 5,
	"+": 6, "-": 6,
	">": 7, "<": 7, ">=": 7, "<=": 7, "!=": 7, "=": 7, "in": 7,
	"and": 9,
	"or":  10,
	"->":  11,
}

const (
	indexerGroup = 2
	unaryGroup   = 3 // + and -
	notGroup     = 8
)

// bindingPower turns a precedence group into a Pratt binding power
// (higher binds tighter).
func bindingPower(group int) int { return 12 - group }

// maxParseDepth bounds the nesting of the parsed expression; deeper
// input is refused rather than risking the stack.
const maxParseDepth = 400

// binaryFuncName is the function a binary operator calls: yaql calls =
// and != through the aliases *equal and *not_equal.
func binaryFuncName(op string) string {
	switch op {
	case "=":
		return "*equal"
	case "!=":
		return "*not_equal"
	}
	return "#operator_" + op
}

type parser struct {
	src   string
	lex   *lexer
	depth int
}

// parse parses one YAQL expression (without the <% %> delimiters).
func parse(src string) (node, error) {
	p := &parser{src: src, lex: newLexer(src)}
	n, err := p.expr(0)
	if err != nil {
		return nil, err
	}
	t, err := p.lex.next()
	if err != nil {
		return nil, err
	}
	if t.kind != tokEOF {
		return nil, grammarError(src, t)
	}
	prepare(n)
	return n, nil
}

// prepare fills in what evaluation precomputes on call nodes.
func prepare(n node) {
	switch x := n.(type) {
	case *callNode:
		x.anyArgs = make([]any, len(x.args))
		for i, a := range x.args {
			x.anyArgs[i] = a
			prepare(a)
		}
	case *wrapNode:
		prepare(x.x)
	case *mappingNode:
		prepare(x.src)
		prepare(x.dst)
	}
}

func (p *parser) peek() (token, error) { return p.lex.lookahead() }

func (p *parser) expr(minBP int) (node, error) {
	p.depth++
	defer func() { p.depth-- }()
	if p.depth > maxParseDepth {
		t, _ := p.peek()
		return nil, &posError{pos: t.pos, err: &expr.LimitError{Limit: "depth", Max: maxParseDepth}}
	}
	left, err := p.prefix()
	if err != nil {
		return nil, err
	}
	for {
		t, err := p.peek()
		if err != nil {
			return nil, err
		}
		switch t.kind {
		case tokOp:
			g, ok := binaryGroup[t.text]
			if !ok {
				return left, nil // "not" is only a prefix operator
			}
			bp := bindingPower(g)
			if bp < minBP {
				return left, nil
			}
			p.lex.next()
			next := bp + 1
			if t.text == "->" {
				next = bp
			}
			right, err := p.expr(next)
			if err != nil {
				return nil, err
			}
			left = &callNode{pos: left.position(), name: binaryFuncName(t.text), op: t.text, kind: callBinary, args: []node{left, right}}
		case tokLBracket:
			if bindingPower(indexerGroup) < minBP {
				return left, nil
			}
			p.lex.next()
			args, err := p.args(tokRBracket)
			if err != nil {
				return nil, err
			}
			left = &callNode{pos: left.position(), name: "#indexer", kind: callIndex, args: append([]node{left}, args...)}
		default:
			return left, nil
		}
	}
}

func (p *parser) prefix() (node, error) {
	t, err := p.lex.next()
	if err != nil {
		return nil, err
	}
	switch t.kind {
	case tokString, tokNumber, tokTrue, tokFalse:
		return &constNode{pos: t.pos, val: t.val, text: t.text}, nil
	case tokNull:
		return &constNode{pos: t.pos, val: nil, text: t.text}, nil
	case tokKeyword:
		return &constNode{pos: t.pos, val: t.val, text: t.text, keyword: true}, nil
	case tokDollar:
		name := t.text
		if name == "$" {
			name = "$1"
		}
		return &dollarNode{pos: t.pos, name: name, text: t.text}, nil
	case tokLParen:
		x, err := p.expr(0)
		if err != nil {
			return nil, err
		}
		if err := p.expect(tokRParen); err != nil {
			return nil, err
		}
		return &wrapNode{pos: t.pos, x: x}, nil
	case tokLBracket:
		args, err := p.args(tokRBracket)
		if err != nil {
			return nil, err
		}
		return &callNode{pos: t.pos, name: "#list", kind: callList, args: args}, nil
	case tokLBrace:
		args, err := p.args(tokRBrace)
		if err != nil {
			return nil, err
		}
		return &callNode{pos: t.pos, name: "#map", kind: callMap, args: args}, nil
	case tokFunc:
		args, err := p.args(tokRParen)
		if err != nil {
			return nil, err
		}
		return &callNode{pos: t.pos, name: t.text, kind: callFunc, args: args, usesReceiver: true}, nil
	case tokOp:
		var g int
		switch t.text {
		case "+", "-":
			g = unaryGroup
		case "not":
			g = notGroup
		default:
			return nil, grammarError(p.src, t)
		}
		x, err := p.expr(bindingPower(g) + 1)
		if err != nil {
			return nil, err
		}
		return &callNode{pos: t.pos, name: "#unary_operator_" + t.text, op: t.text, kind: callUnary, args: []node{x}}, nil
	}
	return nil, grammarError(p.src, t)
}

func (p *parser) expect(k tokKind) error {
	t, err := p.lex.next()
	if err != nil {
		return err
	}
	if t.kind != k {
		return grammarError(p.src, t)
	}
	return nil
}

// args parses an argument list up to and including the closer. The
// grammar (yaql's args/arglist/named_arglist rules) allows empty
// positional slots (f(, 1), f(1, , 2)) but no trailing comma, and named
// arguments (name => value) only after the positional ones, which must
// then hold at least one value.
func (p *parser) args(closer tokKind) ([]node, error) {
	t, err := p.peek()
	if err != nil {
		return nil, err
	}
	if t.kind == closer {
		p.lex.next()
		return nil, nil
	}
	var args []node
	sawValue, named := false, false
	for {
		t, err := p.peek()
		if err != nil {
			return nil, err
		}
		if t.kind == tokComma {
			if named {
				return nil, grammarError(p.src, t)
			}
			p.lex.next()
			args = append(args, &noValueNode{pos: t.pos})
			continue
		}
		v, err := p.expr(0)
		if err != nil {
			return nil, err
		}
		t, err = p.peek()
		if err != nil {
			return nil, err
		}
		if t.kind == tokMapping {
			if !named && !sawValue && len(args) > 0 {
				return nil, grammarError(p.src, t)
			}
			p.lex.next()
			d, err := p.expr(0)
			if err != nil {
				return nil, err
			}
			args = append(args, &mappingNode{pos: v.position(), src: v, dst: d})
			named = true
		} else {
			if named {
				return nil, grammarError(p.src, t)
			}
			args = append(args, v)
			sawValue = true
		}
		t, err = p.lex.next()
		if err != nil {
			return nil, err
		}
		switch t.kind {
		case closer:
			return args, nil
		case tokComma:
			n, err := p.peek()
			if err != nil {
				return nil, err
			}
			if n.kind == closer {
				return nil, grammarError(p.src, n)
			}
		default:
			return nil, grammarError(p.src, t)
		}
	}
}
