package rules

import (
	"errors"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"strings"

	"github.com/st2go/st2go/internal/expr"
	"github.com/st2go/st2go/internal/model"
)

// Error is a problem in a rule, located by file and one-based line when
// it came from a file (Line is 0 when the problem concerns the document
// as a whole or the rule came as JSON).
type Error struct {
	File string
	Line int
	Err  error
}

func (e *Error) Error() string {
	switch {
	case e.File != "" && e.Line > 0:
		return fmt.Sprintf("%s:%d: %v", e.File, e.Line, e.Err)
	case e.File != "":
		return fmt.Sprintf("%s: %v", e.File, e.Err)
	case e.Line > 0:
		return fmt.Sprintf("line %d: %v", e.Line, e.Err)
	}
	return e.Err.Error()
}

func (e *Error) Unwrap() error { return e.Err }

// LoadRule reads a rule file. The rule's pack is its "pack" field, or
// "default"; see LoadPackRule for files of a pack.
func LoadRule(path string) (*Rule, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, &Error{File: path, Err: fmt.Errorf("reading rule: %w", err)}
	}
	return ParseRule(path, data, Options{})
}

// LoadPackRule reads a rule file of a pack as StackStorm's registrar
// does: a rule without a pack field belongs to pack, one naming another
// pack is an error, and metadata_file is the file's path relative to
// packDir.
func LoadPackRule(pack, packDir, path string) (*Rule, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, &Error{File: path, Err: fmt.Errorf("reading rule: %w", err)}
	}
	rel, err := filepath.Rel(packDir, path)
	if err != nil || strings.HasPrefix(rel, "..") {
		rel = filepath.Base(path)
	}
	return ParseRule(path, data, Options{Pack: pack, MetadataFile: filepath.ToSlash(rel)})
}

// Options adjust how a rule is read.
type Options struct {
	// Pack is the pack the rule is registered from: it fills in a missing
	// pack field and must equal a given one. Empty: the pack field, or
	// "default".
	Pack string
	// MetadataFile overrides the metadata_file field.
	MetadataFile string
	// Operators validates criteria types (default Operators).
	Operators *Registry
}

// ParseRule reads a rule from YAML as StackStorm reads rule files
// (PyYAML's YAML 1.1 scalars) and validates it against StackStorm's
// RuleAPI schema and criteria rules. file names the source in errors.
// Every problem is reported, each as an *Error with its line, joined with
// errors.Join.
func ParseRule(file string, data []byte, opts Options) (*Rule, error) {
	root, err := yamlDocument(file, data)
	if err != nil {
		return nil, err
	}
	return buildRule(file, root, opts)
}

// ParseRuleJSON reads a rule as the API receives it (a RuleAPI JSON
// object) and validates it as ParseRule does.
func ParseRuleJSON(data []byte, opts Options) (*Rule, error) {
	root, err := jsonDocument(data)
	if err != nil {
		return nil, &Error{Err: fmt.Errorf("decoding rule: %w", err)}
	}
	return buildRule("", root, opts)
}

// ruleFields are RuleAPI's properties; the schema allows no others.
var ruleFields = []string{"id", "ref", "uid", "name", "pack", "description", "type", "trigger",
	"criteria", "action", "enabled", "context", "tags", "metadata_file"}

// builder collects the problems of one rule.
type builder struct {
	file     string
	errs     []error
	warnings []string
	ops      *Registry
}

func (b *builder) errorf(line int, format string, args ...any) {
	b.errs = append(b.errs, &Error{File: b.file, Line: line, Err: fmt.Errorf(format, args...)})
}

func (b *builder) warnf(line int, format string, args ...any) {
	w := fmt.Sprintf(format, args...)
	if line > 0 {
		w = fmt.Sprintf("line %d: %s", line, w)
	}
	b.warnings = append(b.warnings, w)
}

func buildRule(file string, root *node, opts Options) (*Rule, error) {
	b := &builder{file: file, ops: opts.Operators}
	if b.ops == nil {
		b.ops = Operators
	}
	if root == nil {
		return nil, &Error{File: file, Err: errors.New("the rule is empty")}
	}
	if root.kind != mapNode {
		return nil, &Error{File: file, Line: root.line, Err: fmt.Errorf("a rule must be a mapping, not %s", root.kindName())}
	}
	r := &Rule{Pack: DefaultPack, Type: TypeSpec{Ref: TypeStandard, Parameters: map[string]any{}},
		Criteria: Criteria{}, Tags: []model.Tag{}, Context: map[string]any{}}
	b.checkKeys(root, "rule", ruleFields)
	for _, k := range root.dups {
		b.warnf(root.line, "field %q is given more than once; the last one is used", k)
	}

	r.ID = b.optString(root, "id", "")
	r.Name = b.requiredString(root, "name", "")
	r.Description = b.optString(root, "description", "")
	r.MetadataFile = b.optString(root, "metadata_file", "")
	if opts.MetadataFile != "" {
		r.MetadataFile = opts.MetadataFile
	}
	if n, ok := root.get("pack"); ok && n.value != nil && n.value != "" {
		r.Pack = b.optString(root, "pack", "")
		if opts.Pack != "" && r.Pack != opts.Pack {
			b.errorf(n.line, "the rule is in pack %q but its pack field says %q", opts.Pack, r.Pack)
		}
	} else if opts.Pack != "" {
		r.Pack = opts.Pack
	}
	if n, ok := root.get("enabled"); ok {
		if v, isBool := n.value.(bool); isBool && n.kind == scalarNode {
			r.Enabled = v
		} else {
			b.errorf(n.line, "enabled must be a boolean, not %s", n.kindName())
		}
	}
	b.optString(root, "ref", "")
	b.optString(root, "uid", "")

	b.readTrigger(root, r)
	b.readAction(root, r)
	b.readType(root, r)
	if n := b.optMapping(root, "criteria", "criteria"); n != nil {
		r.Criteria = b.readCriteria(n, "criteria", true)
	}
	if n := b.optMapping(root, "context", "context"); n != nil {
		r.Context = n.toGoMap()
	}
	if n, ok := root.get("tags"); ok {
		r.Tags = b.readTags(n)
	}
	r.setDerived()
	if len(b.errs) > 0 {
		return nil, errors.Join(b.errs...)
	}
	r.Warnings = b.warnings
	return r, nil
}

func (b *builder) checkKeys(n *node, what string, allowed []string) {
	for i, k := range n.keys {
		if !contains(allowed, k) {
			b.errorf(n.keyLines[i], "%s: unknown field %q (allowed: %s)", what, k, strings.Join(allowed, ", "))
		}
	}
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

func (b *builder) requiredString(n *node, key, what string) string {
	if _, ok := n.get(key); !ok {
		b.errorf(n.line, "%s%s is required", what, key)
		return ""
	}
	s := b.optString(n, key, what)
	if v, _ := n.get(key); s == "" && v.value == "" {
		b.errorf(v.line, "%s%s must not be empty", what, key)
	}
	return s
}

// optString reads a string field; a missing one is "". Like the JSON
// schema, it accepts no other type (null included).
func (b *builder) optString(n *node, key, what string) string {
	v, ok := n.get(key)
	if !ok {
		return ""
	}
	s, isStr := v.value.(string)
	if v.kind != scalarNode || !isStr {
		b.errorf(v.line, "%s%s must be a string, not %s", what, key, v.kindName())
	}
	return s
}

// optMapping returns a mapping field (nil when absent or wrong).
func (b *builder) optMapping(n *node, key, what string) *node {
	v, ok := n.get(key)
	if !ok {
		return nil
	}
	if v.kind != mapNode {
		b.errorf(v.line, "%s must be a mapping, not %s", what, v.kindName())
		return nil
	}
	return v
}

func (b *builder) readTrigger(root *node, r *Rule) {
	n, ok := root.get("trigger")
	if !ok {
		b.errorf(root.line, "trigger is required")
		return
	}
	if n.kind != mapNode {
		b.errorf(n.line, "trigger must be a mapping, not %s", n.kindName())
		return
	}
	// The schema lets the trigger carry other fields; StackStorm keeps
	// only the type and parameters.
	r.Trigger.Type = b.requiredString(n, "type", "trigger.")
	r.Trigger.Ref = b.optString(n, "ref", "trigger.")
	r.Trigger.Description = b.optString(n, "description", "trigger.")
	r.Trigger.Parameters = map[string]any{}
	if p := b.optMapping(n, "parameters", "trigger.parameters"); p != nil {
		r.Trigger.Parameters = p.toGoMap()
	}
}

func (b *builder) readAction(root *node, r *Rule) {
	n, ok := root.get("action")
	if !ok {
		b.errorf(root.line, "action is required")
		return
	}
	if n.kind != mapNode {
		b.errorf(n.line, "action must be a mapping, not %s", n.kindName())
		return
	}
	b.checkKeys(n, "action", []string{"ref", "description", "parameters"})
	r.Action.Ref = b.requiredString(n, "ref", "action.")
	r.Action.Description = b.optString(n, "description", "action.")
	r.Action.Parameters = map[string]any{}
	if p := b.optMapping(n, "parameters", "action.parameters"); p != nil {
		r.Action.Parameters = p.toGoMap()
	}
}

func (b *builder) readType(root *node, r *Rule) {
	n := b.optMapping(root, "type", "type")
	if n == nil {
		return
	}
	b.checkKeys(n, "type", []string{"ref", "parameters"})
	r.Type.Ref = b.requiredString(n, "ref", "type.")
	if p := b.optMapping(n, "parameters", "type.parameters"); p != nil {
		r.Type.Parameters = p.toGoMap()
	}
	if r.Type.Ref != "" && r.Type.Ref != TypeStandard && r.Type.Ref != TypeBackstop {
		v, _ := n.get("ref")
		b.warnf(v.line, "rule type %q is neither %q nor %q; it behaves as %q", r.Type.Ref, TypeStandard, TypeBackstop, TypeStandard)
	}
}

func (b *builder) readTags(n *node) []model.Tag {
	tags := []model.Tag{}
	if n.kind != seqNode {
		b.errorf(n.line, "tags must be a list, not %s", n.kindName())
		return tags
	}
	for _, it := range n.items {
		if it.kind != mapNode {
			b.errorf(it.line, "tags: each tag must be a mapping, not %s", it.kindName())
			continue
		}
		tags = append(tags, model.Tag{Name: b.optString(it, "name", "tag "), Value: b.optString(it, "value", "tag ")})
	}
	return tags
}

// readCriteria reads and validates a criteria mapping. StackStorm checks
// only the top level (type given and known, pattern given); st2go checks
// a search's nested criteria too, since a problem there makes the
// criterion fail on every trigger instance.
func (b *builder) readCriteria(n *node, what string, top bool) Criteria {
	out := make(Criteria, 0, len(n.keys))
	for _, k := range n.dups {
		b.warnf(n.line, "%s key %q is given more than once and only the last one counts; add a #suffix (%s#1, %s#2) to test the same path twice", what, k, k, k)
	}
	for i, key := range n.keys {
		spec, line := n.vals[i], n.keyLines[i]
		if spec.kind != mapNode {
			b.errorf(spec.line, "%s %q must be a mapping, not %s", what, key, spec.kindName())
			continue
		}
		c := Criterion{Key: key, Line: line}
		for j, f := range spec.keys {
			v := spec.vals[j]
			switch f {
			case "type":
				s, ok := v.value.(string)
				if v.kind != scalarNode || !ok {
					b.errorf(v.line, "%s %q: type must be a string, not %s", what, key, v.kindName())
					continue
				}
				c.Type = s
			case "pattern":
				c.Pattern = v.toValue()
				if hasNonFinite(c.Pattern) {
					b.errorf(v.line, "%s %q: the pattern holds a number JSON cannot represent", what, key)
				}
			case "condition":
				if v.kind == scalarNode && v.value == nil {
					continue
				}
				s, ok := v.value.(string)
				if v.kind != scalarNode || !ok {
					b.errorf(v.line, "%s %q: condition must be a string, not %s", what, key, v.kindName())
					continue
				}
				c.Condition = s
			default:
				if c.Extra == nil {
					c.Extra = expr.NewDict(1)
				}
				c.Extra.Set(f, v.toValue())
			}
		}
		b.checkCriterion(&c, spec, what, top)
		out = append(out, c)
	}
	return out
}

func (b *builder) checkCriterion(c *Criterion, spec *node, what string, top bool) {
	typeNode, hasType := spec.get("type")
	if !hasType {
		b.errorf(c.Line, "%s %q: no operator (type) is given", what, c.Key)
		return
	}
	if c.Type == "" {
		return // reported as not a string, or empty below
	}
	if !b.ops.Has(c.Type) {
		b.errorf(typeNode.line, "%s %q: unknown operator %q (known: %s)", what, c.Key, c.Type, strings.Join(b.ops.Names(), ", "))
		return
	}
	patternNode, hasPattern := spec.get("pattern")
	if top && c.Pattern == nil && !patternless[c.Type] {
		line := c.Line
		if hasPattern {
			line = patternNode.line
		}
		b.errorf(line, "%s %q: operator %q needs a pattern", what, c.Key, c.Type)
	}
	root := "item"
	if top {
		root = "trigger"
	}
	if p := c.Path(); p != root && !strings.HasPrefix(p, root+".") && !strings.HasPrefix(p, root+"[") {
		b.warnf(c.Line, "%s key %q does not start with %q: it reads nothing from the payload and the value is always None", what, c.Key, root)
	} else if _, err := lookupPath(expr.NewDict(0), p); err != nil {
		b.warnf(c.Line, "%s key %q is not a valid payload path (%v): the criterion will fail on every trigger instance", what, c.Key, pyStr(err))
	}
	if c.Type != OpSearch {
		return
	}
	switch c.Condition {
	case CondAny, CondAll, CondAny2Any, CondAll2Any:
	default:
		line := c.Line
		if n, ok := spec.get("condition"); ok {
			line = n.line
		}
		if c.Condition == "" {
			b.errorf(line, "%s %q: a search needs a condition (%s, %s, %s or %s)", what, c.Key, CondAny, CondAll, CondAny2Any, CondAll2Any)
		} else {
			b.errorf(line, "%s %q: unknown search condition %q (known: %s, %s, %s, %s)", what, c.Key, c.Condition, CondAny, CondAll, CondAny2Any, CondAll2Any)
		}
	}
	if !hasPattern {
		return
	}
	switch patternNode.kind {
	case mapNode:
		b.readCriteria(patternNode, fmt.Sprintf("%s %q: nested criterion", what, c.Key), false)
	case scalarNode:
		if _, isStr := patternNode.value.(string); isStr {
			return // a template that renders to the criteria
		}
		fallthrough
	default:
		b.errorf(patternNode.line, "%s %q: a search pattern must be a mapping of nested criteria, not %s", what, c.Key, patternNode.kindName())
	}
}

// hasNonFinite reports whether a value holds NaN or an infinity.
func hasNonFinite(v any) bool {
	switch x := v.(type) {
	case float64:
		return math.IsNaN(x) || math.IsInf(x, 0)
	case []any:
		for _, e := range x {
			if hasNonFinite(e) {
				return true
			}
		}
	case *expr.Dict:
		found := false
		x.Range(func(_, e any) bool {
			found = hasNonFinite(e)
			return !found
		})
		return found
	}
	return false
}
