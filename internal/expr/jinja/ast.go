package jinja

// node is an expression or statement of the parsed template.
type node interface{ position() int }

type base struct{ pos int }

func (b base) position() int { return b.pos }

// Expressions.

type constNode struct {
	base
	val any
}

type nameNode struct {
	base
	name string
}

type getattrNode struct {
	base
	x    node
	attr string
}

type getitemNode struct {
	base
	x   node
	key node
}

type sliceNode struct {
	base
	start, stop, step node // nil when omitted
}

type kwArg struct {
	name string
	val  node
}

type callArgs struct {
	args      []node
	kwargs    []kwArg
	dynArgs   node
	dynKwargs node
}

type callNode struct {
	base
	fn node
	callArgs
}

type filterNode struct {
	base
	x    node // nil inside a filter block
	name string
	callArgs
}

type testNode struct {
	base
	x    node
	name string
	callArgs
}

type binNode struct {
	base
	op   string // + - * / // % ** ~
	l, r node
}

type unaryNode struct {
	base
	op string // - + not
	x  node
}

type andNode struct {
	base
	l, r node
}

type orNode struct {
	base
	l, r node
}

type compareOp struct {
	op string // eq ne lt lteq gt gteq in notin
	x  node
	at int
}

type compareNode struct {
	base
	first node
	ops   []compareOp
}

type condNode struct {
	base
	test, then, els node // els nil: undefined
}

type listNode struct {
	base
	items []node
}

type tupleNode struct {
	base
	items []node
}

type dictNode struct {
	base
	keys, vals []node
}

// nsRefNode is the target "ns.attr" of a set statement.
type nsRefNode struct {
	base
	name, attr string
}

// Statements.

type outputNode struct {
	base
	items []node // *dataNode or expressions
}

type dataNode struct {
	base
	text string
}

type ifNode struct {
	base
	test  node
	body  []node
	elifs []elifClause
	els   []node
}

type elifClause struct {
	test node
	body []node
}

type forNode struct {
	base
	target    node // nameNode or tupleNode of names
	iter      node
	body      []node
	els       []node
	cond      node // loop filter, nil when none
	recursive bool
}

type assignNode struct {
	base
	target node
	val    node
}

type assignBlockNode struct {
	base
	target node
	filter *filterNode // nil when none
	body   []node
}

type macroNode struct {
	base
	name     string
	args     []string
	defaults []node // for the last len(defaults) args
	body     []node
}

type callBlockNode struct {
	base
	call     *callNode
	args     []string
	defaults []node
	body     []node
}

type filterBlockNode struct {
	base
	filter *filterNode
	body   []node
}

type withNode struct {
	base
	targets []node
	vals    []node
	body    []node
}

type blockNode struct {
	base
	name   string
	body   []node
	scoped bool
}

// unsupportedNode is a statement that needs a template loader (extends,
// include, import, from); it fails when rendered.
type unsupportedNode struct {
	base
	what string
}

type breakNode struct{ base }

type continueNode struct{ base }

type doNode struct {
	base
	x node
}
