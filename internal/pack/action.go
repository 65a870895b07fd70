package pack

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"sort"

	"go.yaml.in/yaml/v3"

	"github.com/st2go/st2go/internal/model"
	"github.com/st2go/st2go/internal/yamlfile"
)

// paramNamePattern is the ^\w+$ StackStorm's ActionAPI schema puts on
// parameter names (Python's \w, so any letter or digit).
var paramNamePattern = regexp.MustCompile(`^[\p{L}\p{N}_]+$`)

// simpleTypes are the JSON schema types a parameter may declare.
var simpleTypes = map[string]bool{
	"string": true, "integer": true, "number": true, "boolean": true,
	"array": true, "object": true, "null": true, "raw_string": true,
}

// scriptRunners are the runners whose actions run a file from the pack, so
// their entry_point must name an existing file.
var scriptRunners = map[string]bool{
	"local-shell-script":  true,
	"remote-shell-script": true,
	"python-script":       true,
	"orquesta":            true,
	"action-chain":        true,
	"winrm-ps-script":     true,
}

// actionFields are the keys StackStorm's ActionAPI schema allows; id, ref,
// uid and metadata_file are computed and ignored when present.
var actionFields = map[string]bool{
	"id": true, "ref": true, "uid": true, "name": true, "description": true, "enabled": true,
	"runner_type": true, "entry_point": true, "pack": true, "parameters": true,
	"output_schema": true, "tags": true, "notify": true, "metadata_file": true,
}

// schemaExtras are the other JSON-schema keywords StackStorm's
// action_params.json allows on a parameter; they are kept in ParamSpec.Extra.
var schemaExtras = map[string]bool{
	"id": true, "$schema": true, "title": true, "multipleOf": true,
	"exclusiveMaximum": true, "exclusiveMinimum": true, "additionalItems": true,
	"maxItems": true, "minItems": true, "uniqueItems": true, "maxProperties": true,
	"minProperties": true, "definitions": true, "patternProperties": true,
	"dependencies": true, "allOf": true, "anyOf": true, "oneOf": true, "not": true,
}

// notifyKeys are the notification sections an action may declare.
var notifyKeys = map[string]bool{"on-complete": true, "on-success": true, "on-failure": true}

// actionMeta keeps what runner checks need and the model cannot hold: where
// things are in the file and which attributes each parameter spelled out.
type actionMeta struct {
	file       string
	nameLine   int // line of the name: key
	runnerLine int
	params     map[string]*paramMeta
}

type paramMeta struct {
	keyLine      int // line of the parameter's name
	line         int
	positionLine int
	attrs        map[string]any // attributes as written (null values included)
}

// readAction reads one action metadata file of a pack. rel is the file's
// path relative to the pack directory ("actions/x.yaml").
func readAction(p *model.Pack, file, rel string) (*model.Action, *actionMeta, []error) {
	root, perr := yamlfile.ReadFile(file)
	if perr != nil {
		return nil, nil, []error{perr}
	}
	if root == nil {
		return nil, nil, []error{yamlfile.ErrorAt(file, nil, "action metadata file is empty")}
	}
	if root.Kind != yaml.MappingNode {
		return nil, nil, []error{yamlfile.ErrorAt(file, root, "action metadata must be a mapping, not %s", yamlfile.Describe(root))}
	}

	a := &model.Action{
		Pack: p.Ref, Enabled: true, Parameters: model.Params{}, OutputSchema: map[string]any{},
		Notify: map[string]any{}, Tags: []model.Tag{}, MetadataFile: rel,
	}
	meta := &actionMeta{file: file, params: map[string]*paramMeta{}}
	var errs []error
	bad := func(e *Error) { errs = append(errs, e) }
	fields := map[string]*yaml.Node{}

	for _, kv := range yamlfile.Entries(root) {
		v := kv.Value
		fields[kv.Key] = v
		if !actionFields[kv.Key] {
			bad(yamlfile.ErrorAt(file, kv.KeyNode, "unknown field %q", kv.Key))
			continue
		}
		var target *string
		switch kv.Key {
		case "name":
			target = &a.Name
			meta.nameLine = kv.KeyNode.Line
		case "description":
			target = &a.Description
		case "runner_type":
			target = &a.RunnerType
			meta.runnerLine = v.Line
		case "entry_point":
			target = &a.EntryPoint
		case "pack":
			s, ok := str(v)
			switch {
			case !ok:
				bad(yamlfile.ErrorAt(file, v, "pack must be a string, not %s", yamlfile.Describe(v)))
			case s != "" && s != p.Ref:
				bad(yamlfile.ErrorAt(file, v, "field pack is %q but the action is in pack %q", s, p.Ref))
			}
		case "enabled":
			if yamlfile.IsNull(v) {
				continue
			}
			b, ok := yamlfile.Bool(v)
			if !ok {
				bad(yamlfile.ErrorAt(file, v, "enabled must be true or false, not %s", yamlfile.Describe(v)))
				continue
			}
			a.Enabled = b
		case "parameters":
			errs = append(errs, readParams(file, kv.KeyNode, v, a, meta)...)
		case "output_schema":
			if m, e := mapping(file, v, "output_schema"); e != nil {
				bad(e)
			} else if m != nil {
				a.OutputSchema = m
			}
		case "notify":
			if e := readNotify(file, v, a); e != nil {
				bad(e)
			}
		case "tags":
			if e := readTags(file, v, a); e != nil {
				bad(e)
			}
		}
		if target != nil {
			s, ok := str(v)
			if !ok {
				bad(yamlfile.ErrorAt(file, v, "%s must be a string, not %s", kv.Key, yamlfile.Describe(v)))
				continue
			}
			*target = s
		}
	}

	for _, req := range []string{"name", "runner_type"} {
		n, ok := fields[req]
		if !ok || yamlfile.IsNull(n) || (yamlfile.Deref(n).Kind == yaml.ScalarNode && yamlfile.Deref(n).Value == "") {
			bad(yamlfile.ErrorAt(file, root, "missing required field %q", req))
		}
	}
	if len(errs) > 0 {
		return nil, nil, errs
	}

	if scriptRunners[a.RunnerType] {
		if e := checkEntryPoint(file, fields["entry_point"], root, p.Path, a); e != nil {
			return nil, nil, []error{e}
		}
	}

	a.Ref = p.Ref + "." + a.Name
	a.UID = "action:" + p.Ref + ":" + a.Name
	a.ID = StableID(a.UID)
	return a, meta, nil
}

// checkEntryPoint makes sure a script runner's entry point names a file.
// A relative entry point is relative to the pack's actions directory.
func checkEntryPoint(file string, n, root *yaml.Node, packDir string, a *model.Action) *Error {
	if a.EntryPoint == "" {
		if n == nil {
			n = root
		}
		return yamlfile.ErrorAt(file, n, "runner %q needs an entry_point", a.RunnerType)
	}
	path := a.EntryPoint
	if !filepath.IsAbs(path) {
		path = filepath.Join(packDir, "actions", path)
	}
	st, err := os.Stat(path)
	switch {
	case err != nil:
		return yamlfile.ErrorAt(file, n, "entry_point %q: no such file (looked for %s)", a.EntryPoint, path)
	case st.IsDir():
		return yamlfile.ErrorAt(file, n, "entry_point %q is a directory, not a file", a.EntryPoint)
	}
	return nil
}

// mapping reads a mapping as plain data; null reads as nil.
func mapping(file string, n *yaml.Node, field string) (map[string]any, *Error) {
	if yamlfile.IsNull(n) {
		return nil, nil
	}
	if yamlfile.Deref(n).Kind != yaml.MappingNode {
		return nil, yamlfile.ErrorAt(file, n, "%s must be a mapping, not %s", field, yamlfile.Describe(n))
	}
	v, err := yamlfile.Value(n, nil)
	if err != nil {
		return nil, yamlfile.ErrorAt(file, n, "%s: %v", field, err)
	}
	return v.(map[string]any), nil
}

func readNotify(file string, n *yaml.Node, a *model.Action) *Error {
	m, e := mapping(file, n, "notify")
	if e != nil || m == nil {
		return e
	}
	for _, kv := range yamlfile.Entries(n) {
		if !notifyKeys[kv.Key] {
			return yamlfile.ErrorAt(file, kv.KeyNode, "notify: unknown section %q (want on-complete, on-success or on-failure)", kv.Key)
		}
		if !yamlfile.IsNull(kv.Value) && yamlfile.Deref(kv.Value).Kind != yaml.MappingNode {
			return yamlfile.ErrorAt(file, kv.Value, "notify: %s must be a mapping, not %s", kv.Key, yamlfile.Describe(kv.Value))
		}
	}
	a.Notify = m
	return nil
}

func readTags(file string, n *yaml.Node, a *model.Action) *Error {
	if yamlfile.IsNull(n) {
		return nil
	}
	n = yamlfile.Deref(n)
	if n.Kind != yaml.SequenceNode {
		return yamlfile.ErrorAt(file, n, "tags must be a list, not %s", yamlfile.Describe(n))
	}
	for _, item := range n.Content {
		if yamlfile.Deref(item).Kind != yaml.MappingNode {
			return yamlfile.ErrorAt(file, item, "tags: each tag must be a mapping with name and value, not %s", yamlfile.Describe(item))
		}
		var t model.Tag
		for _, kv := range yamlfile.Entries(item) {
			v, err := yamlfile.Value(kv.Value, nil)
			if err != nil {
				return yamlfile.ErrorAt(file, kv.Value, "tags: %v", err)
			}
			s := ""
			if v != nil {
				s = fmt.Sprint(v)
			}
			switch kv.Key {
			case "name":
				t.Name = s
			case "value":
				t.Value = s
			}
		}
		a.Tags = append(a.Tags, t)
	}
	return nil
}

// readParams reads the parameters mapping, checking each spec and that
// positions are unique and contiguous.
func readParams(file string, key, n *yaml.Node, a *model.Action, meta *actionMeta) []error {
	if yamlfile.IsNull(n) {
		return nil
	}
	if yamlfile.Deref(n).Kind != yaml.MappingNode {
		return []error{yamlfile.ErrorAt(file, n, "parameters must be a mapping, not %s", yamlfile.Describe(n))}
	}
	var errs []error
	byPosition := map[int]string{}
	for _, kv := range yamlfile.Entries(n) {
		if !paramNamePattern.MatchString(kv.Key) {
			errs = append(errs, yamlfile.ErrorAt(file, kv.KeyNode,
				"parameter name %q is invalid: use only letters, digits and underscores", kv.Key))
			continue
		}
		spec, pm, perrs := readParam(file, kv.Key, kv.Value)
		if len(perrs) > 0 {
			errs = append(errs, perrs...)
			continue
		}
		if spec.Position != nil {
			if other, dup := byPosition[*spec.Position]; dup {
				errs = append(errs, &Error{File: file, Line: pm.positionLine, Err: fmt.Errorf(
					"parameters %q and %q have the same position %d; positions must be unique", other, kv.Key, *spec.Position)})
				continue
			}
			byPosition[*spec.Position] = kv.Key
		}
		pm.keyLine = kv.KeyNode.Line
		a.Parameters[kv.Key] = spec
		meta.params[kv.Key] = pm
	}
	if len(errs) == 0 && len(byPosition) > 0 {
		positions := make([]int, 0, len(byPosition))
		for p := range byPosition {
			positions = append(positions, p)
		}
		sort.Ints(positions)
		if positions[len(positions)-1]-positions[0] != len(positions)-1 {
			errs = append(errs, yamlfile.ErrorAt(file, key, "parameter positions %v are not contiguous", positions))
		}
	}
	return errs
}

// readParam reads one parameter spec.
func readParam(file, name string, n *yaml.Node) (*model.ParamSpec, *paramMeta, []error) {
	if yamlfile.Deref(n).Kind != yaml.MappingNode {
		return nil, nil, []error{yamlfile.ErrorAt(file, n, "parameter %q must be a mapping, not %s", name, yamlfile.Describe(n))}
	}
	spec := &model.ParamSpec{}
	pm := &paramMeta{line: n.Line, attrs: map[string]any{}}
	var errs []error
	fail := func(at *yaml.Node, format string, args ...any) {
		errs = append(errs, yamlfile.ErrorAt(file, at, "parameter %q: %s", name, fmt.Sprintf(format, args...)))
	}
	for _, kv := range yamlfile.Entries(n) {
		v := kv.Value
		raw, err := yamlfile.Value(v, nil)
		if err != nil {
			fail(v, "%s: %v", kv.Key, err)
			continue
		}
		pm.attrs[kv.Key] = raw
		switch kv.Key {
		case "type":
			s, ok := str(v)
			switch {
			case !ok || yamlfile.IsNull(v):
				fail(v, "type must be one of %s, not %s", typeList(), yamlfile.Describe(v))
			case !simpleTypes[s]:
				fail(v, "unknown type %q (want one of %s)", s, typeList())
			default:
				spec.Type = s
			}
		case "description", "pattern", "format":
			s, ok := str(v)
			if !ok {
				fail(v, "%s must be a string, not %s", kv.Key, yamlfile.Describe(v))
				continue
			}
			switch kv.Key {
			case "description":
				spec.Description = s
			case "pattern":
				// Kept as written: it is a Python regular expression, which
				// Go's regexp cannot always compile.
				spec.Pattern = s
			case "format":
				spec.Format = s
			}
		case "default":
			spec.Default = raw
		case "required", "immutable", "secret":
			if yamlfile.IsNull(v) {
				continue
			}
			b, ok := yamlfile.Bool(v)
			if !ok {
				fail(v, "%s must be true or false, not %s", kv.Key, yamlfile.Describe(v))
				continue
			}
			switch kv.Key {
			case "required":
				spec.Required = b
			case "immutable":
				spec.Immutable = b
			case "secret":
				spec.Secret = b
			}
		case "position":
			p, ok := integer(v)
			if !ok || p < 0 {
				fail(v, "position must be a whole number of 0 or more, not %s", yamlfile.Describe(v))
				continue
			}
			spec.Position = &p
			pm.positionLine = v.Line
		case "enum":
			list, ok := raw.([]any)
			if !ok || len(list) == 0 {
				fail(v, "enum must be a non-empty list, not %s", yamlfile.Describe(v))
				continue
			}
			if dup, found := firstDuplicate(list); found {
				fail(v, "enum lists %v twice", dup)
				continue
			}
			spec.Enum = list
		case "items":
			switch x := raw.(type) {
			case map[string]any:
				spec.Items = x
			case []any:
				setExtra(spec, "items", x)
			default:
				fail(v, "items must be a schema or a list of schemas, not %s", yamlfile.Describe(v))
			}
		case "properties":
			m, ok := raw.(map[string]any)
			if !ok {
				fail(v, "properties must be a mapping, not %s", yamlfile.Describe(v))
				continue
			}
			spec.Properties = m
		case "additionalProperties":
			switch raw.(type) {
			case bool, map[string]any:
				spec.AdditionalProperties = raw
			default:
				fail(v, "additionalProperties must be true, false or a schema, not %s", yamlfile.Describe(v))
			}
		case "minimum", "maximum":
			f, ok := yamlfile.Number(v)
			if !ok {
				fail(v, "%s must be a number, not %s", kv.Key, yamlfile.Describe(v))
				continue
			}
			if kv.Key == "minimum" {
				spec.Minimum = &f
			} else {
				spec.Maximum = &f
			}
		case "minLength", "maxLength":
			i, ok := integer(v)
			if !ok || i < 0 {
				fail(v, "%s must be a whole number of 0 or more, not %s", kv.Key, yamlfile.Describe(v))
				continue
			}
			if kv.Key == "minLength" {
				spec.MinLength = &i
			} else {
				spec.MaxLength = &i
			}
		default:
			if !schemaExtras[kv.Key] {
				fail(kv.KeyNode, "unknown attribute %q", kv.Key)
				continue
			}
			setExtra(spec, kv.Key, raw)
		}
	}
	if len(errs) > 0 {
		return nil, nil, errs
	}
	return spec, pm, nil
}

func setExtra(spec *model.ParamSpec, key string, v any) {
	if spec.Extra == nil {
		spec.Extra = map[string]any{}
	}
	spec.Extra[key] = v
}

func typeList() string {
	return "string, integer, number, boolean, array, object, null"
}

// firstDuplicate returns the first value that appears twice in list,
// comparing values by their JSON form.
func firstDuplicate(list []any) (any, bool) {
	seen := map[string]bool{}
	for _, v := range list {
		b, err := json.Marshal(v)
		if err != nil {
			continue
		}
		if seen[string(b)] {
			return v, true
		}
		seen[string(b)] = true
	}
	return nil, false
}
