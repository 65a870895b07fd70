package cli

import (
	"encoding/json"
	"fmt"
	"math"
	"regexp"
	"sort"
	"strconv"
	"strings"

	"github.com/st2go/st2go/internal/client"
	"github.com/st2go/st2go/internal/pyfmt"
)

// yamlDump renders v the way PyYAML's yaml.safe_dump(v,
// default_flow_style=False, indent=indent, width=width) does: block
// style, sorted keys, ASCII only, PyYAML's choice of plain, single- and
// double-quoted scalars. width <= 0 means no line folding.
func yamlDump(v any, indent, width int) string {
	if width <= 0 {
		width = math.MaxInt32
	}
	e := &yamlEmitter{bestIndent: indent, bestWidth: width, indent: -1, whitespace: true, indention: true}
	e.node(v, true, false, false, false)
	if e.column > 0 || e.b.Len() == 0 {
		e.lineBreak()
	}
	return e.b.String()
}

// yamlEmitter follows PyYAML's Emitter closely enough to produce the same
// bytes for JSON-like data. indent is -1 before the first collection.
type yamlEmitter struct {
	b          strings.Builder
	bestIndent int
	bestWidth  int
	indent     int
	indents    []int
	column     int
	whitespace bool
	indention  bool
	flowLevel  int
}

func (e *yamlEmitter) write(s string) {
	e.b.WriteString(s)
	e.column += len([]rune(s))
}

func (e *yamlEmitter) lineBreak() {
	e.b.WriteByte('\n')
	e.whitespace = true
	e.indention = true
	e.column = 0
}

func (e *yamlEmitter) increaseIndent(flow, indentless bool) {
	e.indents = append(e.indents, e.indent)
	switch {
	case e.indent < 0:
		if flow {
			e.indent = e.bestIndent
		} else {
			e.indent = 0
		}
	case !indentless:
		e.indent += e.bestIndent
	}
}

func (e *yamlEmitter) popIndent() {
	e.indent = e.indents[len(e.indents)-1]
	e.indents = e.indents[:len(e.indents)-1]
}

func (e *yamlEmitter) writeIndent() {
	indent := max(e.indent, 0)
	if !e.indention || e.column > indent || (e.column == indent && !e.whitespace) {
		e.lineBreak()
	}
	if e.column < indent {
		e.whitespace = true
		e.b.WriteString(strings.Repeat(" ", indent-e.column))
		e.column = indent
	}
}

func (e *yamlEmitter) indicator(ind string, needWhitespace, whitespace, indention bool) {
	data := ind
	if !e.whitespace && needWhitespace {
		data = " " + ind
	}
	e.whitespace = whitespace
	e.indention = e.indention && indention
	e.write(data)
}

// node emits one value. mapping/sequence say where the node sits; simpleKey
// that it is a mapping key.
func (e *yamlEmitter) node(v any, root, sequence, mapping, simpleKey bool) {
	switch t := v.(type) {
	case *client.Object:
		if t.Len() == 0 || e.flowLevel > 0 {
			e.flowMapping(t)
			return
		}
		e.blockMapping(t)
	case []any:
		if len(t) == 0 || e.flowLevel > 0 {
			e.flowSequence(t)
			return
		}
		e.blockSequence(t, mapping)
	case []string:
		l := make([]any, len(t))
		for i, s := range t {
			l[i] = s
		}
		e.node(l, root, sequence, mapping, simpleKey)
	default:
		e.increaseIndent(true, false)
		e.scalar(v, simpleKey)
		e.popIndent()
	}
}

func (e *yamlEmitter) flowMapping(o *client.Object) {
	e.indicator("{", true, true, false)
	e.flowLevel++
	e.increaseIndent(true, false)
	for i, k := range sortedKeys(o) {
		if i > 0 {
			e.indicator(",", false, false, false)
		}
		if e.column > e.bestWidth {
			e.writeIndent()
		}
		e.node(k, false, false, true, true)
		e.indicator(":", false, false, false)
		val, _ := o.Get(k)
		e.node(val, false, false, true, false)
	}
	e.popIndent()
	e.flowLevel--
	e.indicator("}", false, false, false)
}

func (e *yamlEmitter) flowSequence(l []any) {
	e.indicator("[", true, true, false)
	e.flowLevel++
	e.increaseIndent(true, false)
	for i, item := range l {
		if i > 0 {
			e.indicator(",", false, false, false)
		}
		if e.column > e.bestWidth {
			e.writeIndent()
		}
		e.node(item, false, true, false, false)
	}
	e.popIndent()
	e.flowLevel--
	e.indicator("]", false, false, false)
}

func (e *yamlEmitter) blockSequence(l []any, mappingContext bool) {
	e.increaseIndent(false, mappingContext && !e.indention)
	for _, item := range l {
		e.writeIndent()
		e.indicator("-", true, false, true)
		e.node(item, false, true, false, false)
	}
	e.popIndent()
}

func (e *yamlEmitter) blockMapping(o *client.Object) {
	e.increaseIndent(false, false)
	for _, k := range sortedKeys(o) {
		e.writeIndent()
		e.node(k, false, false, true, true)
		e.indicator(":", false, false, false)
		val, _ := o.Get(k)
		e.node(val, false, false, true, false)
	}
	e.popIndent()
}

func sortedKeys(o *client.Object) []string {
	keys := append([]string(nil), o.Keys()...)
	sort.Strings(keys)
	return keys
}

// scalar emits a scalar the way PyYAML's representer + emitter do.
func (e *yamlEmitter) scalar(v any, simpleKey bool) {
	var text string
	isStr := false
	switch t := v.(type) {
	case nil:
		text = "null"
	case bool:
		text = strconv.FormatBool(t)
	case json.Number:
		if pyfmt.IsFloat(t) {
			f, _ := strconv.ParseFloat(string(t), 64)
			text = yamlFloat(f)
		} else {
			text = pyfmt.Number(t)
		}
	case float64:
		text = yamlFloat(t)
	case int:
		text = strconv.Itoa(t)
	case string:
		text, isStr = t, true
	default:
		text, isStr = fmt.Sprint(t), true
	}
	a := analyzeScalar(text)
	style := byte('"')
	implicit := !isStr || !yamlResolvesToNonString(text)
	switch {
	case implicit && !(simpleKey && (a.empty || a.multiline)) &&
		((e.flowLevel > 0 && a.allowFlowPlain) || (e.flowLevel == 0 && a.allowBlockPlain)):
		style = 0
	case a.allowSingleQuoted && !(simpleKey && a.multiline):
		style = '\''
	}
	split := !simpleKey
	switch style {
	case 0:
		e.writePlain(text, split)
	case '\'':
		e.writeSingleQuoted(text, split)
	default:
		e.writeDoubleQuoted(text, split)
	}
}

func yamlFloat(f float64) string {
	switch {
	case math.IsNaN(f):
		return ".nan"
	case math.IsInf(f, 1):
		return ".inf"
	case math.IsInf(f, -1):
		return "-.inf"
	}
	s := strings.ToLower(pyfmt.Float(f))
	if !strings.Contains(s, ".") && strings.Contains(s, "e") {
		s = strings.Replace(s, "e", ".0e", 1)
	}
	return s
}

// PyYAML's implicit resolvers: a plain scalar matching one of these would
// load as something other than a string, so strings like these are quoted.
var (
	yamlBoolRE      = regexp.MustCompile(`^(?:yes|Yes|YES|no|No|NO|true|True|TRUE|false|False|FALSE|on|On|ON|off|Off|OFF)$`)
	yamlFloatRE     = regexp.MustCompile(`^(?:[-+]?(?:[0-9][0-9_]*)\.[0-9_]*(?:[eE][-+][0-9]+)?|\.[0-9][0-9_]*(?:[eE][-+][0-9]+)?|[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+\.[0-9_]*|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$`)
	yamlIntRE       = regexp.MustCompile(`^(?:[-+]?0b[0-1_]+|[-+]?0[0-7_]+|[-+]?(?:0|[1-9][0-9_]*)|[-+]?0x[0-9a-fA-F_]+|[-+]?[1-9][0-9_]*(?::[0-5]?[0-9])+)$`)
	yamlNullRE      = regexp.MustCompile(`^(?:~|null|Null|NULL|)$`)
	yamlTimestampRE = regexp.MustCompile(`^(?:[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]|[0-9][0-9][0-9][0-9]-[0-9][0-9]?-[0-9][0-9]?(?:[Tt]|[ \t]+)[0-9][0-9]?:[0-9][0-9]:[0-9][0-9](?:\.[0-9]*)?(?:[ \t]*(?:Z|[-+][0-9][0-9]?(?::[0-9][0-9])?))?)$`)
)

func yamlResolvesToNonString(s string) bool {
	if s == "" {
		return true
	}
	c := s[0]
	switch {
	case strings.IndexByte("yYnNtTfFoO", c) >= 0 && yamlBoolRE.MatchString(s):
		return true
	case strings.IndexByte("-+0123456789.", c) >= 0 && yamlFloatRE.MatchString(s):
		return true
	case strings.IndexByte("-+0123456789", c) >= 0 && yamlIntRE.MatchString(s):
		return true
	case c == '<' && s == "<<":
		return true
	case strings.IndexByte("~nN", c) >= 0 && yamlNullRE.MatchString(s):
		return true
	case c >= '0' && c <= '9' && yamlTimestampRE.MatchString(s):
		return true
	case c == '=' && s == "=":
		return true
	case strings.IndexByte("!&*", c) >= 0 && len(s) == 1:
		return true
	}
	return false
}

type scalarAnalysis struct {
	empty, multiline                  bool
	allowFlowPlain, allowBlockPlain   bool
	allowSingleQuoted, allowBlockText bool
}

func isYAMLSpaceOrBreak(r rune) bool {
	return r == 0 || r == ' ' || r == '\t' || r == '\r' || r == '\n' || r == 0x85 || r == 0x2028 || r == 0x2029
}

func isYAMLBreak(r rune) bool { return r == '\n' || r == 0x85 || r == 0x2028 || r == 0x2029 }

// analyzeScalar ports PyYAML's Emitter.analyze_scalar (allow_unicode off).
func analyzeScalar(s string) scalarAnalysis {
	if s == "" {
		return scalarAnalysis{empty: true, allowBlockPlain: true, allowSingleQuoted: true}
	}
	rs := []rune(s)
	var blockInd, flowInd, lineBreaks, special bool
	var leadingSpace, leadingBreak, trailingSpace, trailingBreak, breakSpace, spaceBreak bool
	if strings.HasPrefix(s, "---") || strings.HasPrefix(s, "...") {
		blockInd, flowInd = true, true
	}
	precededByWS := true
	followedByWS := len(rs) == 1 || isYAMLSpaceOrBreak(rs[1])
	prevSpace, prevBreak := false, false
	for i, ch := range rs {
		if i == 0 {
			if strings.ContainsRune("#,[]{}&*!|>'\"%@`", ch) {
				flowInd, blockInd = true, true
			}
			if ch == '?' || ch == ':' {
				flowInd = true
				if followedByWS {
					blockInd = true
				}
			}
			if ch == '-' && followedByWS {
				flowInd, blockInd = true, true
			}
		} else {
			if strings.ContainsRune(",?[]{}", ch) {
				flowInd = true
			}
			if ch == ':' {
				flowInd = true
				if followedByWS {
					blockInd = true
				}
			}
			if ch == '#' && precededByWS {
				flowInd, blockInd = true, true
			}
		}
		if isYAMLBreak(ch) {
			lineBreaks = true
		}
		if !(ch == '\n' || (ch >= 0x20 && ch <= 0x7e)) {
			special = true // allow_unicode is off: every non-ASCII character is special
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
		precededByWS = isYAMLSpaceOrBreak(ch)
		followedByWS = i+2 >= len(rs) || isYAMLSpaceOrBreak(rs[i+2])
	}
	a := scalarAnalysis{multiline: lineBreaks, allowFlowPlain: true, allowBlockPlain: true, allowSingleQuoted: true, allowBlockText: true}
	if leadingSpace || leadingBreak || trailingSpace || trailingBreak {
		a.allowFlowPlain, a.allowBlockPlain = false, false
	}
	if trailingSpace {
		a.allowBlockText = false
	}
	if breakSpace {
		a.allowFlowPlain, a.allowBlockPlain, a.allowSingleQuoted = false, false, false
	}
	if spaceBreak || special {
		a.allowFlowPlain, a.allowBlockPlain, a.allowSingleQuoted, a.allowBlockText = false, false, false, false
	}
	if lineBreaks {
		a.allowFlowPlain, a.allowBlockPlain = false, false
	}
	if flowInd {
		a.allowFlowPlain = false
	}
	if blockInd {
		a.allowBlockPlain = false
	}
	return a
}

func (e *yamlEmitter) writePlain(text string, split bool) {
	if text == "" {
		return
	}
	if !e.whitespace {
		e.write(" ")
	}
	e.whitespace, e.indention = false, false
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
				if start+1 == end && e.column > e.bestWidth && split {
					e.writeIndent()
					e.whitespace, e.indention = false, false
				} else {
					e.write(string(rs[start:end]))
				}
				start = end
			}
		case breaks:
			if ch < 0 || !isYAMLBreak(ch) {
				if rs[start] == '\n' {
					e.lineBreak()
				}
				for _, br := range rs[start:end] {
					if br == '\n' {
						e.lineBreak()
					} else {
						e.b.WriteRune(br)
						e.column = 0
					}
				}
				e.writeIndent()
				e.whitespace, e.indention = false, false
				start = end
			}
		default:
			if ch < 0 || ch == ' ' || isYAMLBreak(ch) {
				e.write(string(rs[start:end]))
				start = end
			}
		}
		if ch >= 0 {
			spaces = ch == ' '
			breaks = isYAMLBreak(ch)
		}
	}
}

func (e *yamlEmitter) writeSingleQuoted(text string, split bool) {
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
				if start+1 == end && e.column > e.bestWidth && split && start != 0 && end != len(rs) {
					e.writeIndent()
				} else {
					e.write(string(rs[start:end]))
				}
				start = end
			}
		case breaks:
			if ch < 0 || !isYAMLBreak(ch) {
				if rs[start] == '\n' {
					e.lineBreak()
				}
				for _, br := range rs[start:end] {
					if br == '\n' {
						e.lineBreak()
					} else {
						e.b.WriteRune(br)
						e.column = 0
					}
				}
				e.writeIndent()
				start = end
			}
		default:
			if ch < 0 || ch == ' ' || isYAMLBreak(ch) || ch == '\'' {
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
		if ch >= 0 {
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

func (e *yamlEmitter) writeDoubleQuoted(text string, split bool) {
	e.indicator("\"", true, false, false)
	rs := []rune(text)
	start := 0
	for end := 0; end <= len(rs); end++ {
		var ch rune = -1
		if end < len(rs) {
			ch = rs[end]
		}
		if ch < 0 || ch == '"' || ch == '\\' || ch == 0x85 || ch == 0x2028 || ch == 0x2029 || ch == 0xfeff || !(ch >= 0x20 && ch <= 0x7e) {
			if start < end {
				e.write(string(rs[start:end]))
				start = end
			}
			if ch >= 0 {
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
		if end > 0 && end < len(rs)-1 && (ch == ' ' || start >= end) && e.column+(end-start) > e.bestWidth && split {
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
