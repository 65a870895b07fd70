package pyyaml

import (
	"fmt"
	"math"
	"strings"
)

// Options are the safe_dump arguments a Emitter follows.
type Options struct {
	// Indent is the number of spaces per nesting level (PyYAML's indent).
	Indent int
	// Width is the column after which long scalars are folded; <= 0
	// means never fold (PyYAML's width).
	Width int
	// AllowUnicode writes printable non-ASCII characters as they are
	// instead of escaping them in double quotes (PyYAML's allow_unicode).
	AllowUnicode bool
	// DocumentEnd writes PyYAML's "..." document end marker after a
	// document that is a single plain scalar.
	DocumentEnd bool
}

// Emitter is a port of the parts of PyYAML's Emitter that block-style
// safe_dump output uses: indentation, indicators, and the choice of plain,
// single- and double-quoted style for scalars with their quoting, escaping
// and line folding. Callers walk their own values and call its methods in
// document order; expr's to_yaml filter and the st2 CLI's YAML output are
// two such walkers.
type Emitter struct {
	b                     strings.Builder
	opts                  Options
	indent                int // -1: none yet
	indents               []int
	column                int
	whitespace, indention bool
	openEnded             bool
}

// NewEmitter returns an emitter at the start of a document.
func NewEmitter(opts Options) *Emitter {
	if opts.Width <= 0 {
		opts.Width = math.MaxInt32
	}
	return &Emitter{opts: opts, indent: -1, whitespace: true, indention: true}
}

// End finishes the document and returns its text.
func (e *Emitter) End() string {
	if e.opts.DocumentEnd {
		e.writeIndent()
		if e.openEnded {
			e.write("...")
			e.writeIndent()
		}
	} else if e.column > 0 || e.b.Len() == 0 {
		e.lineBreak()
	}
	return e.b.String()
}

// EmptySequence writes "[]".
func (e *Emitter) EmptySequence() {
	e.indicator("[", true, true, false)
	e.indicator("]", false, false, false)
}

// EmptyMapping writes "{}".
func (e *Emitter) EmptyMapping() {
	e.indicator("{", true, true, false)
	e.indicator("}", false, false, false)
}

// BeginSequence starts a non-empty block sequence; inMapping says it is a
// mapping value (which PyYAML may leave unindented).
func (e *Emitter) BeginSequence(inMapping bool) {
	e.increaseIndent(false, inMapping && !e.indention)
}

// SequenceItem starts the next item of a block sequence.
func (e *Emitter) SequenceItem() {
	e.writeIndent()
	e.indicator("-", true, false, true)
}

// BeginMapping starts a non-empty block mapping.
func (e *Emitter) BeginMapping() { e.increaseIndent(false, false) }

// MappingKey starts the next key of a block mapping; the key itself
// follows, as a simple key.
func (e *Emitter) MappingKey() { e.writeIndent() }

// MappingValue separates a key from its value.
func (e *Emitter) MappingValue() { e.indicator(":", false, false, false) }

// EndCollection ends the block sequence or mapping begun last.
func (e *Emitter) EndCollection() { e.popIndent() }

// Scalar writes one scalar. text is its representation; isString says it
// is a string, which is written plain only when it would not read back as
// another type. root says the scalar is the whole document, simpleKey that
// it is a mapping key.
func (e *Emitter) Scalar(text string, isString, root, simpleKey bool) {
	implicit := !isString || PlainIsString(text)
	e.increaseIndent(true, false)
	e.scalar(text, implicit, root, simpleKey)
	e.popIndent()
}

func (e *Emitter) increaseIndent(flow, indentless bool) {
	e.indents = append(e.indents, e.indent)
	switch {
	case e.indent < 0:
		if flow {
			e.indent = e.opts.Indent
		} else {
			e.indent = 0
		}
	case !indentless:
		e.indent += e.opts.Indent
	}
}

func (e *Emitter) popIndent() {
	e.indent = e.indents[len(e.indents)-1]
	e.indents = e.indents[:len(e.indents)-1]
}

func (e *Emitter) write(s string) {
	e.b.WriteString(s)
	e.column += len([]rune(s))
}

func (e *Emitter) lineBreak() {
	e.whitespace, e.indention = true, true
	e.column = 0
	e.b.WriteByte('\n')
}

func (e *Emitter) writeIndent() {
	indent := max(e.indent, 0)
	if !e.indention || e.column > indent || (e.column == indent && !e.whitespace) {
		e.lineBreak()
	}
	if e.column < indent {
		e.whitespace = true
		e.write(strings.Repeat(" ", indent-e.column))
	}
}

func (e *Emitter) indicator(ind string, needWhitespace, whitespace, indention bool) {
	if !e.whitespace && needWhitespace {
		ind = " " + ind
	}
	e.whitespace = whitespace
	e.indention = e.indention && indention
	e.openEnded = false
	e.write(ind)
}

type yamlAnalysis struct {
	empty, multiline                         bool
	allowBlockPlain, allowSingle, allowBlock bool
}

func isYAMLBreak(r rune) bool { return r == '\n' || r == '\x85' || r == '\u2028' || r == '\u2029' }

func isYAMLSpace(r rune) bool { return r == 0 || r == ' ' || r == '\t' || r == '\r' || isYAMLBreak(r) }

// analyze ports PyYAML's Emitter.analyze_scalar for block context.
func (e *Emitter) analyze(s string) yamlAnalysis {
	if s == "" {
		return yamlAnalysis{empty: true, allowBlockPlain: true, allowSingle: true}
	}
	rs := []rune(s)
	var blockInd, lineBreaks, special, leadingSpace, leadingBreak, trailingSpace, trailingBreak, breakSpace, spaceBreak bool
	if strings.HasPrefix(s, "---") || strings.HasPrefix(s, "...") {
		blockInd = true
	}
	precededByWS := true
	followedByWS := len(rs) == 1 || isYAMLSpace(rs[1])
	prevSpace, prevBreak := false, false
	for i, ch := range rs {
		if i == 0 {
			if strings.ContainsRune("#,[]{}&*!|>'\"%@`", ch) {
				blockInd = true
			}
			if (ch == '?' || ch == ':') && followedByWS {
				blockInd = true
			}
			if ch == '-' && followedByWS {
				blockInd = true
			}
		} else {
			if ch == ':' && followedByWS {
				blockInd = true
			}
			if ch == '#' && precededByWS {
				blockInd = true
			}
		}
		if isYAMLBreak(ch) {
			lineBreaks = true
		}
		if !(ch == '\n' || (ch >= 0x20 && ch <= 0x7e)) {
			if (ch == 0x85 || (ch >= 0xa0 && ch <= 0xd7ff) || (ch >= 0xe000 && ch <= 0xfffd) || (ch >= 0x10000 && ch < 0x10ffff)) && ch != 0xfeff {
				if !e.opts.AllowUnicode {
					special = true
				}
			} else {
				special = true
			}
		}
		switch {
		case ch == ' ':
			if i == 0 {
				leadingSpace = true
			}
			if i == len(rs)-1 {
				trailingSpace = true
			}
			if prevBreak {
				breakSpace = true
			}
			prevSpace, prevBreak = true, false
		case isYAMLBreak(ch):
			if i == 0 {
				leadingBreak = true
			}
			if i == len(rs)-1 {
				trailingBreak = true
			}
			if prevSpace {
				spaceBreak = true
			}
			prevSpace, prevBreak = false, true
		default:
			prevSpace, prevBreak = false, false
		}
		precededByWS = isYAMLSpace(ch)
		followedByWS = i+2 >= len(rs) || isYAMLSpace(rs[i+2])
	}
	a := yamlAnalysis{multiline: lineBreaks, allowBlockPlain: true, allowSingle: true, allowBlock: true}
	if leadingSpace || leadingBreak || trailingSpace || trailingBreak {
		a.allowBlockPlain = false
	}
	if trailingSpace {
		a.allowBlock = false
	}
	if breakSpace {
		a.allowBlockPlain, a.allowSingle = false, false
	}
	if spaceBreak || special {
		a.allowBlockPlain, a.allowSingle, a.allowBlock = false, false, false
	}
	if lineBreaks || blockInd {
		a.allowBlockPlain = false
	}
	return a
}

func (e *Emitter) scalar(text string, implicit, root, simpleKey bool) {
	a := e.analyze(text)
	split := !simpleKey
	switch {
	case implicit && !(simpleKey && (a.empty || a.multiline)) && a.allowBlockPlain:
		e.plain(text, split, root)
	case a.allowSingle && !(simpleKey && a.multiline):
		e.singleQuoted(text, split)
	default:
		e.doubleQuoted(text, split)
	}
}

// plain writes a plain scalar, which never holds a line break.
func (e *Emitter) plain(text string, split, root bool) {
	if root {
		e.openEnded = true
	}
	if text == "" {
		return
	}
	if !e.whitespace {
		e.write(" ")
	}
	e.whitespace, e.indention = false, false
	rs := []rune(text)
	spaces := false
	start := 0
	for end := 0; end <= len(rs); end++ {
		var ch rune = -1
		if end < len(rs) {
			ch = rs[end]
		}
		if spaces {
			if ch != ' ' {
				if start+1 == end && e.column > e.opts.Width && split {
					e.writeIndent()
					e.whitespace, e.indention = false, false
				} else {
					e.write(string(rs[start:end]))
				}
				start = end
			}
		} else if ch == -1 || ch == ' ' {
			e.write(string(rs[start:end]))
			start = end
		}
		if ch != -1 {
			spaces = ch == ' '
		}
	}
}

func (e *Emitter) singleQuoted(text string, split bool) {
	e.indicator("'", true, false, false)
	rs := []rune(text)
	spaces, breaks := false, false
	start := 0
	for end := 0; end <= len(rs); end++ {
		var ch rune = -1
		if end < len(rs) {
			ch = rs[end]
		}
		switch {
		case spaces:
			if ch != ' ' {
				if start+1 == end && e.column > e.opts.Width && split && start != 0 && end != len(rs) {
					e.writeIndent()
				} else {
					e.write(string(rs[start:end]))
				}
				start = end
			}
		case breaks:
			if ch == -1 || !isYAMLBreak(ch) {
				if rs[start] == '\n' {
					e.lineBreak()
				}
				for _, br := range rs[start:end] {
					if br == '\n' {
						e.lineBreak()
					} else {
						e.b.WriteRune(br)
						e.whitespace, e.indention, e.column = true, true, 0
					}
				}
				e.writeIndent()
				start = end
			}
		default:
			if ch == -1 || ch == ' ' || isYAMLBreak(ch) || ch == '\'' {
				if start < end {
					e.write(string(rs[start:end]))
					start = end
				}
			}
		}
		if ch == '\'' {
			e.write("''")
			start = end + 1
		}
		if ch != -1 {
			spaces = ch == ' '
			breaks = isYAMLBreak(ch)
		}
	}
	e.indicator("'", false, false, false)
}

var yamlEscapes = map[rune]string{
	0: "0", 0x07: "a", 0x08: "b", 0x09: "t", 0x0a: "n", 0x0b: "v", 0x0c: "f", 0x0d: "r", 0x1b: "e",
	'"': "\"", '\\': "\\", 0x85: "N", 0xa0: "_", 0x2028: "L", 0x2029: "P",
}

func (e *Emitter) doubleQuoted(text string, split bool) {
	e.indicator("\"", true, false, false)
	rs := []rune(text)
	start := 0
	for end := 0; end <= len(rs); end++ {
		var ch rune = -1
		if end < len(rs) {
			ch = rs[end]
		}
		if ch == -1 || ch == '"' || ch == '\\' || ch == 0x85 || ch == 0x2028 || ch == 0x2029 || ch == 0xfeff ||
			!((ch >= 0x20 && ch <= 0x7e) || (e.opts.AllowUnicode && ((ch >= 0xa0 && ch <= 0xd7ff) || (ch >= 0xe000 && ch <= 0xfffd)))) {
			if start < end {
				e.write(string(rs[start:end]))
				start = end
			}
			if ch != -1 {
				var data string
				if esc, ok := yamlEscapes[ch]; ok {
					data = "\\" + esc
				} else if ch <= 0xff {
					data = fmt.Sprintf("\\x%02X", ch)
				} else if ch <= 0xffff {
					data = fmt.Sprintf("\\u%04X", ch)
				} else {
					data = fmt.Sprintf("\\U%08X", ch)
				}
				e.write(data)
				start = end + 1
			}
		}
		if end > 0 && end < len(rs)-1 && (ch == ' ' || start >= end) && e.column+(end-start) > e.opts.Width && split {
			// After an escape start is end+1; Python's text[start:end]
			// is then empty rather than an error.
			data := "\\"
			if start < end {
				data = string(rs[start:end]) + data
				start = end
			}
			e.write(data)
			e.writeIndent()
			e.whitespace, e.indention = false, false
			if rs[start] == ' ' {
				e.write("\\")
			}
		}
	}
	e.indicator("\"", false, false, false)
}
