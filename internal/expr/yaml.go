package expr

import (
	"errors"
	"fmt"
	"math"
	"math/big"
	"regexp"
	"sort"
	"strconv"
	"strings"

	yaml "go.yaml.in/yaml/v3"
)

// PyYAML's implicit resolvers (YAML 1.1), which decide both what a plain
// scalar loads as and whether a string must be quoted when dumped.
var (
	yamlBoolRe  = regexp.MustCompile(`^(?:yes|Yes|YES|no|No|NO|true|True|TRUE|false|False|FALSE|on|On|ON|off|Off|OFF)$`)
	yamlFloatRe = regexp.MustCompile(`^(?:[-+]?(?:[0-9][0-9_]*)\.[0-9_]*(?:[eE][-+][0-9]+)?|\.[0-9][0-9_]*(?:[eE][-+][0-9]+)?|[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+\.[0-9_]*|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$`)
	yamlIntRe   = regexp.MustCompile(`^(?:[-+]?0b[0-1_]+|[-+]?0[0-7_]+|[-+]?(?:0|[1-9][0-9_]*)|[-+]?0x[0-9a-fA-F_]+|[-+]?[1-9][0-9_]*(?::[0-5]?[0-9])+)$`)
	yamlNullRe  = regexp.MustCompile(`^(?:~|null|Null|NULL|)$`)
	yamlTimeRe  = regexp.MustCompile(`^(?:[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]|[0-9][0-9][0-9][0-9]-[0-9][0-9]?-[0-9][0-9]?(?:[Tt]|[ \t]+)[0-9][0-9]?:[0-9][0-9]:[0-9][0-9](?:\.[0-9]*)?(?:[ \t]*(?:Z|[-+][0-9][0-9]?(?::[0-9][0-9])?))?)$`)
)

// FromYAML parses one YAML document as PyYAML's safe_load does: YAML 1.1
// scalars (yes/no/on/off are booleans, 0777 is octal, 1e3 is a string),
// mappings as Dicts in document order, merge keys. Timestamps stay
// strings (Python makes datetime objects of them). An empty document is
// None.
func FromYAML(text string) (any, error) {
	dec := yaml.NewDecoder(strings.NewReader(text))
	var doc yaml.Node
	if err := dec.Decode(&doc); err != nil {
		if err.Error() == "EOF" {
			return nil, nil
		}
		return nil, yamlError(err)
	}
	var extra yaml.Node
	if err := dec.Decode(&extra); err == nil {
		return nil, Errorf("ComposerError", "expected a single document in the stream")
	}
	return yamlValue(&doc, 0)
}

func yamlError(err error) error {
	return Errorf("YAMLError", "%s", strings.TrimPrefix(err.Error(), "yaml: "))
}

func yamlValue(n *yaml.Node, depth int) (any, error) {
	if depth > maxJSONDepth {
		return nil, Errorf("YAMLError", "document nested too deeply")
	}
	switch n.Kind {
	case yaml.DocumentNode:
		if len(n.Content) == 0 {
			return nil, nil
		}
		return yamlValue(n.Content[0], depth+1)
	case yaml.AliasNode:
		return yamlValue(n.Alias, depth+1)
	case yaml.SequenceNode:
		out := make([]any, 0, len(n.Content))
		for _, c := range n.Content {
			v, err := yamlValue(c, depth+1)
			if err != nil {
				return nil, err
			}
			out = append(out, v)
		}
		return out, nil
	case yaml.MappingNode:
		d := NewDict(len(n.Content) / 2)
		if err := yamlMapping(d, n, depth); err != nil {
			return nil, err
		}
		return d, nil
	case yaml.ScalarNode:
		return yamlScalar(n)
	}
	return nil, Errorf("YAMLError", "unexpected node")
}

func yamlMapping(d *Dict, n *yaml.Node, depth int) error {
	// Merged keys come first, as PyYAML puts them; the mapping's own keys
	// then override their values.
	var own [][2]*yaml.Node
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], n.Content[i+1]
		if k.Kind == yaml.ScalarNode && k.Value == "<<" && k.Style&(yaml.DoubleQuotedStyle|yaml.SingleQuotedStyle) == 0 {
			if err := yamlMerge(d, v, depth); err != nil {
				return err
			}
			continue
		}
		own = append(own, [2]*yaml.Node{k, v})
	}
	for _, kv := range own {
		k, err := yamlValue(kv[0], depth+1)
		if err != nil {
			return err
		}
		v, err := yamlValue(kv[1], depth+1)
		if err != nil {
			return err
		}
		if err := d.SetKey(k, v); err != nil {
			return Errorf("ConstructorError", "found unhashable key")
		}
	}
	return nil
}

// yamlMerge adds the entries of a merge key's mapping (or sequence of
// mappings, earlier ones winning) that d does not have yet.
func yamlMerge(d *Dict, m *yaml.Node, depth int) error {
	for m.Kind == yaml.AliasNode {
		m = m.Alias
	}
	srcs := []*yaml.Node{m}
	if m.Kind == yaml.SequenceNode {
		srcs = m.Content
	}
	for _, s := range srcs {
		for s.Kind == yaml.AliasNode {
			s = s.Alias
		}
		if s.Kind != yaml.MappingNode {
			return Errorf("ConstructorError", "expected a mapping for merging")
		}
		sub := NewDict(0)
		if err := yamlMapping(sub, s, depth+1); err != nil {
			return err
		}
		for i, k := range sub.keys {
			if _, found, _ := d.Lookup(k); !found {
				_ = d.SetKey(k, sub.vals[i])
			}
		}
	}
	return nil
}

func yamlScalar(n *yaml.Node) (any, error) {
	v := n.Value
	tag := ""
	if n.Style&yaml.TaggedStyle != 0 {
		tag = n.ShortTag()
	} else if n.Style&(yaml.DoubleQuotedStyle|yaml.SingleQuotedStyle|yaml.LiteralStyle|yaml.FoldedStyle) != 0 {
		return v, nil
	}
	switch tag {
	case "":
	case "!!str":
		return v, nil
	case "!!int":
		if i, ok := yamlInt(v); ok {
			return i, nil
		}
		return nil, Errorf("ConstructorError", "invalid int %s", Repr(v))
	case "!!float":
		if f, ok := yamlFloat(v); ok {
			return f, nil
		}
		return nil, Errorf("ConstructorError", "invalid float %s", Repr(v))
	case "!!bool":
		return yamlBool(v), nil
	case "!!null":
		return nil, nil
	default:
		return nil, Errorf("ConstructorError", "could not determine a constructor for the tag '%s'", tag)
	}
	switch {
	case yamlNullRe.MatchString(v):
		return nil, nil
	case yamlBoolRe.MatchString(v):
		return yamlBool(v), nil
	case yamlIntRe.MatchString(v):
		if i, ok := yamlInt(v); ok {
			return i, nil
		}
	case yamlFloatRe.MatchString(v):
		if f, ok := yamlFloat(v); ok {
			return f, nil
		}
	}
	return v, nil
}

func yamlBool(v string) bool {
	switch strings.ToLower(v) {
	case "yes", "true", "on":
		return true
	}
	return false
}

func yamlInt(v string) (any, bool) {
	v = strings.ReplaceAll(v, "_", "")
	sign := int64(1)
	if strings.HasPrefix(v, "-") {
		sign, v = -1, v[1:]
	} else {
		v = strings.TrimPrefix(v, "+")
	}
	base := 10
	switch {
	case v == "0":
		return int64(0), true
	case strings.HasPrefix(v, "0b"):
		base, v = 2, v[2:]
	case strings.HasPrefix(v, "0x"):
		base, v = 16, v[2:]
	case strings.HasPrefix(v, "0"):
		base, v = 8, v[1:]
	case strings.Contains(v, ":"):
		total := new(big.Int)
		for _, part := range strings.Split(v, ":") {
			d, err := strconv.ParseInt(part, 10, 64)
			if err != nil {
				return nil, false
			}
			total.Mul(total, big.NewInt(60))
			total.Add(total, big.NewInt(d))
		}
		return normInt(total.Mul(total, big.NewInt(sign))), true
	}
	b, ok := new(big.Int).SetString(v, base)
	if !ok {
		return nil, false
	}
	return normInt(b.Mul(b, big.NewInt(sign))), true
}

func yamlFloat(v string) (float64, bool) {
	v = strings.ToLower(strings.ReplaceAll(v, "_", ""))
	sign := 1.0
	if strings.HasPrefix(v, "-") {
		sign, v = -1, v[1:]
	} else {
		v = strings.TrimPrefix(v, "+")
	}
	switch v {
	case ".inf":
		return sign * math.Inf(1), true
	case ".nan":
		return math.NaN(), true
	}
	if strings.Contains(v, ":") {
		total := 0.0
		for _, part := range strings.Split(v, ":") {
			d, err := strconv.ParseFloat(part, 64)
			if err != nil {
				return 0, false
			}
			total = total*60 + d
		}
		return sign * total, true
	}
	f, err := strconv.ParseFloat(v, 64)
	if err != nil && !errors.Is(err, strconv.ErrRange) {
		return 0, false
	}
	return sign * f, true
}

// ToYAML renders v as PyYAML's safe_dump(v, default_flow_style=False,
// indent=indent, allow_unicode=allowUnicode) does: block style, keys
// sorted, strings quoted only when they would not read back as strings,
// lines folded at 80 columns.
func ToYAML(v any, indent int, allowUnicode bool) (string, error) {
	if indent < 2 || indent > 9 {
		indent = 2
	}
	e := &yamlEmitter{bestIndent: indent, width: 80, allowUnicode: allowUnicode,
		indent: -1, whitespace: true, indention: true}
	if err := e.node(v, true, false, false, false, 0); err != nil {
		return "", err
	}
	e.writeIndent()
	if e.openEnded {
		e.write("...")
		e.writeIndent()
	}
	return e.b.String(), nil
}

// yamlEmitter is a port of the parts of PyYAML's Emitter that block-style
// safe_dump output uses.
type yamlEmitter struct {
	b                     strings.Builder
	bestIndent, width     int
	allowUnicode          bool
	indent                int // -1: none yet
	indents               []int
	column                int
	whitespace, indention bool
	openEnded             bool
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

func (e *yamlEmitter) write(s string) {
	e.b.WriteString(s)
	e.column += len([]rune(s))
}

func (e *yamlEmitter) lineBreak() {
	e.whitespace, e.indention = true, true
	e.column = 0
	e.b.WriteByte('\n')
}

func (e *yamlEmitter) writeIndent() {
	indent := max(e.indent, 0)
	if !e.indention || e.column > indent || (e.column == indent && !e.whitespace) {
		e.lineBreak()
	}
	if e.column < indent {
		e.whitespace = true
		e.write(strings.Repeat(" ", indent-e.column))
	}
}

func (e *yamlEmitter) indicator(ind string, needWhitespace, whitespace, indention bool) {
	if !e.whitespace && needWhitespace {
		ind = " " + ind
	}
	e.whitespace = whitespace
	e.indention = e.indention && indention
	e.openEnded = false
	e.write(ind)
}

func (e *yamlEmitter) node(v any, root, sequence, mapping, simpleKey bool, depth int) error {
	if depth > maxReprDepth {
		return Errorf("RecursionError", "maximum recursion depth exceeded")
	}
	switch x := v.(type) {
	case []any:
		return e.sequence(x, mapping, depth)
	case Tuple:
		return e.sequence(x, mapping, depth)
	case *Dict:
		return e.mapping(x, depth)
	}
	text, plainOK, err := yamlScalarText(v)
	if err != nil {
		return err
	}
	e.increaseIndent(true, false)
	e.scalar(text, plainOK, root, simpleKey)
	e.popIndent()
	return nil
}

func (e *yamlEmitter) sequence(items []any, mapping bool, depth int) error {
	if len(items) == 0 {
		e.indicator("[", true, true, false)
		e.indicator("]", false, false, false)
		return nil
	}
	e.increaseIndent(false, mapping && !e.indention)
	for _, it := range items {
		e.writeIndent()
		e.indicator("-", true, false, true)
		if err := e.node(it, false, true, false, false, depth+1); err != nil {
			return err
		}
	}
	e.popIndent()
	return nil
}

func (e *yamlEmitter) mapping(d *Dict, depth int) error {
	if d.Len() == 0 {
		e.indicator("{", true, true, false)
		e.indicator("}", false, false, false)
		return nil
	}
	idx := make([]int, d.Len())
	for i := range idx {
		idx[i] = i
	}
	var sortErr error
	sort.SliceStable(idx, func(i, j int) bool {
		c, err := Compare(d.keys[idx[i]], d.keys[idx[j]])
		if err != nil && sortErr == nil {
			sortErr = err
		}
		return c < 0
	})
	if sortErr != nil {
		return sortErr
	}
	e.increaseIndent(false, false)
	for _, i := range idx {
		e.writeIndent()
		if err := e.node(d.keys[i], false, false, true, true, depth+1); err != nil {
			return err
		}
		e.indicator(":", false, false, false)
		if err := e.node(d.vals[i], false, false, true, false, depth+1); err != nil {
			return err
		}
	}
	e.popIndent()
	return nil
}

// yamlScalarText is the text of a scalar and whether it may be written
// plain (it would read back as the same value).
func yamlScalarText(v any) (string, bool, error) {
	switch x := v.(type) {
	case nil:
		return "null", true, nil
	case bool:
		if x {
			return "true", true, nil
		}
		return "false", true, nil
	case int64, int, *big.Int:
		return Repr(x), true, nil
	case float64:
		switch {
		case math.IsNaN(x):
			return ".nan", true, nil
		case math.IsInf(x, 1):
			return ".inf", true, nil
		case math.IsInf(x, -1):
			return "-.inf", true, nil
		}
		s := strings.ToLower(Repr(x))
		if !strings.Contains(s, ".") && strings.Contains(s, "e") {
			s = strings.Replace(s, "e", ".0e", 1)
		}
		return s, true, nil
	case string:
		implicit := !(yamlNullRe.MatchString(x) || yamlBoolRe.MatchString(x) || yamlIntRe.MatchString(x) ||
			yamlFloatRe.MatchString(x) || yamlTimeRe.MatchString(x) || x == "<<" || x == "=")
		return x, implicit, nil
	}
	return "", false, Errorf("RepresenterError", "cannot represent an object: %s", Repr(v))
}

type yamlAnalysis struct {
	empty, multiline                         bool
	allowBlockPlain, allowSingle, allowBlock bool
}

func isYAMLBreak(r rune) bool { return r == '\n' || r == '\x85' || r == '\u2028' || r == '\u2029' }

func isYAMLSpace(r rune) bool { return r == 0 || r == ' ' || r == '\t' || r == '\r' || isYAMLBreak(r) }

func (e *yamlEmitter) analyze(s string) yamlAnalysis {
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
				if !e.allowUnicode {
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

func (e *yamlEmitter) scalar(text string, implicit, root, simpleKey bool) {
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

func (e *yamlEmitter) plain(text string, split, root bool) {
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
				if start+1 == end && e.column > e.width && split {
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

func (e *yamlEmitter) singleQuoted(text string, split bool) {
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
				if start+1 == end && e.column > e.width && split && start != 0 && end != len(rs) {
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

func (e *yamlEmitter) doubleQuoted(text string, split bool) {
	e.indicator("\"", true, false, false)
	rs := []rune(text)
	start := 0
	for end := 0; end <= len(rs); end++ {
		var ch rune = -1
		if end < len(rs) {
			ch = rs[end]
		}
		if ch == -1 || ch == '"' || ch == '\\' || ch == 0x85 || ch == 0x2028 || ch == 0x2029 || ch == 0xfeff ||
			!((ch >= 0x20 && ch <= 0x7e) || (e.allowUnicode && ((ch >= 0xa0 && ch <= 0xd7ff) || (ch >= 0xe000 && ch <= 0xfffd)))) {
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
		if end > 0 && end < len(rs)-1 && (ch == ' ' || start >= end) && e.column+(end-start) > e.width && split {
			data := string(rs[start:end]) + "\\"
			if start < end {
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
