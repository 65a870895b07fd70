package yaql

import (
	"strings"

	"github.com/st2go/st2go/internal/expr"
)

// node is one node of a parsed expression. Every node knows the
// position (in characters) of the token that starts it.
//
// The node types follow yaql's expression classes: everything that is
// not a constant, a $variable or a parenthesised expression is a call of
// a named function (operators are functions named #operator_<op>,
// indexing is #indexer, literals are #list and #map), resolved by name,
// arity and argument types at evaluation time.
type node interface {
	position() int
	// String renders the node as YAQL text that parses back to the
	// same tree (operators are fully parenthesised).
	String() string
}

// constNode is a literal (yaql Constant) or a bare identifier (yaql
// KeywordConstant, whose value is its own name as a string).
type constNode struct {
	pos     int
	val     any
	text    string
	keyword bool
}

// dollarNode reads a variable: $ (the same as $1), $1, $name.
type dollarNode struct {
	pos  int
	name string // normalised: "$1" for "$"
	text string
}

// wrapNode is an expression in parentheses.
type wrapNode struct {
	pos int
	x   node
}

// mappingNode is "source => destination" inside an argument list.
type mappingNode struct {
	pos      int
	src, dst node
}

// noValueNode is an empty slot in an argument list: f(1, , 2).
type noValueNode struct{ pos int }

// callKind distinguishes how a call was written, for rendering.
type callKind uint8

const (
	callFunc   callKind = iota // name(args)
	callBinary                 // a op b
	callUnary                  // op a
	callIndex                  // a[args]
	callList                   // [args]
	callMap                    // {args}
)

// callNode calls the function name with args. usesReceiver is true only
// for a call written name(...): it can be the right side of '.', and is
// then a method call on the left side.
type callNode struct {
	pos          int
	name         string
	op           string
	kind         callKind
	args         []node
	usesReceiver bool
	// anyArgs is args as []any, what resolution works on.
	anyArgs []any
	// The candidates of lib for this call, resolved when an engine
	// parses the expression.
	lib               *library
	fnLayers, mLayers [][]*overload
}

func (n *constNode) position() int   { return n.pos }
func (n *dollarNode) position() int  { return n.pos }
func (n *wrapNode) position() int    { return n.pos }
func (n *mappingNode) position() int { return n.pos }
func (n *noValueNode) position() int { return n.pos }
func (n *callNode) position() int    { return n.pos }

func (n *constNode) String() string {
	switch v := n.val.(type) {
	case string:
		if n.keyword {
			return v
		}
		return quoteYAQL(v)
	case nil:
		return "null"
	case bool:
		if v {
			return "true"
		}
		return "false"
	}
	if n.text != "" {
		return n.text
	}
	return expr.Repr(n.val)
}

func (n *dollarNode) String() string { return n.text }

// String of a parenthesised operator is the operator's own (it already
// carries parentheses), so that rendering is stable across re-parsing.
func (n *wrapNode) String() string {
	if c, ok := n.x.(*callNode); ok && (c.kind == callBinary || c.kind == callUnary) {
		return c.String()
	}
	if w, ok := n.x.(*wrapNode); ok {
		return w.String()
	}
	return "(" + n.x.String() + ")"
}

func (n *mappingNode) String() string { return n.src.String() + " => " + n.dst.String() }

func (n *noValueNode) String() string { return "" }

func (n *callNode) String() string {
	switch n.kind {
	case callBinary:
		if n.op == "." || n.op == "?." {
			return "(" + n.args[0].String() + n.op + n.args[1].String() + ")"
		}
		return "(" + n.args[0].String() + " " + n.op + " " + n.args[1].String() + ")"
	case callUnary:
		return "(" + n.op + " " + n.args[0].String() + ")"
	case callIndex:
		return n.args[0].String() + "[" + joinNodes(n.args[1:]) + "]"
	case callList:
		return "[" + joinNodes(n.args) + "]"
	case callMap:
		return "{" + joinNodes(n.args) + "}"
	}
	return n.name + "(" + joinNodes(n.args) + ")"
}

func joinNodes(ns []node) string {
	parts := make([]string, len(ns))
	for i, a := range ns {
		parts[i] = a.String()
	}
	return strings.Join(parts, ", ")
}

// quoteYAQL quotes s as a single-quoted YAQL string literal.
func quoteYAQL(s string) string {
	var b strings.Builder
	b.WriteByte('\'')
	for _, r := range s {
		switch r {
		case '\\':
			b.WriteString(`\\`)
		case '\'':
			b.WriteString(`\'`)
		case '\n':
			b.WriteString(`\n`)
		case '\r':
			b.WriteString(`\r`)
		case '\t':
			b.WriteString(`\t`)
		default:
			if r < 0x20 || r == 0x7f {
				b.WriteString(`\x`)
				b.WriteByte("0123456789abcdef"[r>>4])
				b.WriteByte("0123456789abcdef"[r&15])
				continue
			}
			b.WriteRune(r)
		}
	}
	b.WriteByte('\'')
	return b.String()
}
