package sensor

import (
	"errors"
	"fmt"
	"math"
	"path/filepath"
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/st2go/st2go/internal/model"
	"github.com/st2go/st2go/internal/yamlfile"
)

// MinPollInterval is the smallest poll_interval (seconds) a sensor's
// metadata may declare, as StackStorm enforces at registration.
const MinPollInterval = 4

// SensorType is a sensor's metadata (StackStorm's SensorTypeAPI) plus
// where its code is. ID is left empty by Load; the caller assigns it.
type SensorType struct {
	ID           string   `json:"id"`
	UID          string   `json:"uid"`
	Ref          string   `json:"ref"`
	Name         string   `json:"name"`
	Pack         string   `json:"pack"`
	ClassName    string   `json:"class_name"`
	EntryPoint   string   `json:"entry_point"`
	ArtifactURI  string   `json:"artifact_uri"`
	Description  string   `json:"description,omitempty"`
	Enabled      bool     `json:"enabled"`
	PollInterval int      `json:"poll_interval,omitempty"`
	TriggerTypes []string `json:"trigger_types"`
	MetadataFile string   `json:"metadata_file,omitempty"`

	// FilePath is the absolute path of the sensor's Python file.
	FilePath string `json:"-"`
	// PackDir is the absolute path of the pack directory.
	PackDir string `json:"-"`
}

// sensorFields are the keys StackStorm's SensorTypeAPI allows; id, ref,
// uid, name and artifact_uri are computed and ignored when present.
var sensorFields = map[string]bool{
	"id": true, "ref": true, "uid": true, "name": true, "class_name": true, "pack": true,
	"description": true, "artifact_uri": true, "entry_point": true, "enabled": true,
	"trigger_types": true, "poll_interval": true, "metadata_file": true,
}

// triggerTypeFields are the keys StackStorm's TriggerTypeAPI allows.
var triggerTypeFields = map[string]bool{
	"id": true, "ref": true, "uid": true, "name": true, "pack": true, "description": true,
	"payload_schema": true, "parameters_schema": true, "tags": true, "metadata_file": true,
}

// Load reads the sensor metadata file at path, which lies in the sensors/
// directory of a pack, taking the pack's name from the pack directory's
// name. See LoadInPack.
func Load(path string) (*SensorType, []*model.TriggerType, error) {
	abs, err := filepath.Abs(path)
	if err != nil {
		return nil, nil, fmt.Errorf("loading sensor %q: %w", path, err)
	}
	return LoadInPack(filepath.Base(filepath.Dir(filepath.Dir(abs))), abs)
}

// LoadInPack reads the sensor metadata file at path (in <packdir>/sensors/)
// as part of pack. It returns the sensor type and the trigger types the
// sensor declares, all in pack (as StackStorm does, a trigger type's own
// pack field is overridden). Every problem found is reported as an *Error
// with its line, joined with errors.Join.
func LoadInPack(pack, path string) (*SensorType, []*model.TriggerType, error) {
	abs, err := filepath.Abs(path)
	if err != nil {
		return nil, nil, fmt.Errorf("loading sensor %q: %w", path, err)
	}
	root, err := yamlfile.ReadFile(abs)
	if err != nil {
		return nil, nil, err
	}
	if root == nil {
		return nil, nil, &Error{File: abs, Err: errors.New("file holds no sensor definition")}
	}
	if root.Kind != yaml.MappingNode {
		return nil, nil, yamlfile.ErrorAt(abs, root, "sensor definition must be a mapping, not %s", yamlfile.Describe(root))
	}
	sensorsDir := filepath.Dir(abs)
	packDir := filepath.Dir(sensorsDir)
	rel, err := filepath.Rel(packDir, abs)
	if err != nil {
		rel = filepath.Base(abs)
	}
	s := &SensorType{Pack: pack, Enabled: true, TriggerTypes: []string{}, MetadataFile: filepath.ToSlash(rel), PackDir: packDir}
	var (
		errs         []error
		entryPoint   string
		entryLine    int
		triggerTypes []*model.TriggerType
	)
	fail := func(n *yaml.Node, format string, args ...any) {
		errs = append(errs, yamlfile.ErrorAt(abs, n, format, args...))
	}
	stringField := func(p yamlfile.Entry) string {
		if yamlfile.IsNull(p.Value) {
			return ""
		}
		v, ok := str(p.Value)
		if !ok {
			fail(p.Value, "%s must be a string, not %s", p.Key, yamlfile.Describe(p.Value))
		}
		return v
	}
	seen := map[string]bool{}
	for _, p := range yamlfile.Entries(root) {
		seen[p.Key] = true
		switch p.Key {
		case "class_name":
			s.ClassName = stringField(p)
			if v, ok := str(p.Value); ok && v == "" {
				fail(p.Value, "class_name must not be empty")
			}
		case "entry_point":
			entryPoint, entryLine = stringField(p), p.KeyNode.Line
		case "description":
			s.Description = stringField(p)
		case "pack":
			if v := stringField(p); v != "" && v != pack {
				fail(p.Value, "sensor is in pack %q but its pack field says %q", pack, v)
			}
		case "enabled":
			b, ok := yamlfile.Bool(p.Value)
			if !ok {
				fail(p.Value, "enabled must be a boolean, not %s", yamlfile.Describe(p.Value))
			}
			s.Enabled = b
		case "poll_interval":
			if yamlfile.IsNull(p.Value) {
				continue
			}
			f, ok := number(p.Value)
			switch {
			case !ok:
				fail(p.Value, "poll_interval must be a number, not %s", yamlfile.Describe(p.Value))
			case f < MinPollInterval:
				fail(p.Value, "minimum possible poll_interval is %d seconds", MinPollInterval)
			case f > math.MaxInt32:
				fail(p.Value, "poll_interval %v is too large", f)
			default:
				s.PollInterval = int(f) // StackStorm stores it as an integer
			}
		case "trigger_types":
			triggerTypes = readTriggerTypes(abs, pack, s.MetadataFile, p.Value, &errs)
		default:
			if !sensorFields[p.Key] {
				fail(p.KeyNode, "unknown field %q in sensor definition", p.Key)
			}
		}
	}
	if !seen["class_name"] || yamlfile.IsNull(valueOf(root, "class_name")) {
		fail(root, "class_name is required")
	}
	if entryPoint == "" {
		if entryLine == 0 {
			fail(root, "entry_point is required")
		} else {
			errs = append(errs, &Error{File: abs, Line: entryLine, Err: errors.New("entry_point must not be empty")})
		}
	}
	if len(errs) > 0 {
		return nil, nil, errors.Join(errs...)
	}

	s.Name = s.ClassName
	s.Ref = pack + "." + s.ClassName
	s.UID = "sensor_type:" + pack + ":" + s.ClassName
	s.FilePath = filepath.Join(sensorsDir, filepath.FromSlash(entryPoint))
	s.ArtifactURI = "file://" + filepath.ToSlash(s.FilePath)
	s.EntryPoint = moduleEntryPoint(pack, packDir, s.FilePath, s.ClassName)
	for _, tt := range triggerTypes {
		s.TriggerTypes = append(s.TriggerTypes, tt.Ref)
	}
	return s, triggerTypes, nil
}

// moduleEntryPoint is the dotted form StackStorm reports as a sensor's
// entry_point: the file's path below the pack directory without ".py",
// then the class name ("sensors.my_sensor.MySensor"); for pack core just
// the class name.
func moduleEntryPoint(pack, packDir, file, className string) string {
	if pack == "core" {
		return className
	}
	rel, err := filepath.Rel(packDir, file)
	if err != nil || strings.HasPrefix(rel, "..") {
		rel = filepath.Base(file)
	}
	mod := strings.ReplaceAll(filepath.ToSlash(rel), "/", ".")
	mod = strings.TrimSuffix(mod, ".py")
	return mod + "." + className
}

func valueOf(m *yaml.Node, key string) *yaml.Node {
	for _, p := range yamlfile.Entries(m) {
		if p.Key == key {
			return p.Value
		}
	}
	return nil
}

// readTriggerTypes reads a sensor's trigger_types list.
func readTriggerTypes(file, pack, metadataFile string, n *yaml.Node, errs *[]error) []*model.TriggerType {
	fail := func(n *yaml.Node, format string, args ...any) {
		*errs = append(*errs, yamlfile.ErrorAt(file, n, format, args...))
	}
	n = yamlfile.Deref(n)
	if yamlfile.IsNull(n) {
		return nil
	}
	if n.Kind != yaml.SequenceNode {
		fail(n, "trigger_types must be a list, not %s", yamlfile.Describe(n))
		return nil
	}
	var out []*model.TriggerType
	names := map[string]int{}
	for i, item := range n.Content {
		item = yamlfile.Deref(item)
		if item.Kind != yaml.MappingNode {
			fail(item, "trigger_types[%d] must be a mapping, not %s", i, yamlfile.Describe(item))
			continue
		}
		tt := &model.TriggerType{Pack: pack, ParametersSchema: map[string]any{}, PayloadSchema: map[string]any{},
			Tags: []model.Tag{}, MetadataFile: metadataFile}
		ok := true
		bad := func(n *yaml.Node, format string, args ...any) {
			fail(n, "trigger_types[%d]: "+format, append([]any{i}, args...)...)
			ok = false
		}
		for _, p := range yamlfile.Entries(item) {
			switch p.Key {
			case "name":
				v, isStr := str(p.Value)
				if !isStr || v == "" {
					bad(p.Value, "name must be a non-empty string, not %s", yamlfile.Describe(p.Value))
				}
				tt.Name = v
			case "description":
				if yamlfile.IsNull(p.Value) {
					continue
				}
				v, isStr := str(p.Value)
				if !isStr {
					bad(p.Value, "description must be a string, not %s", yamlfile.Describe(p.Value))
				}
				tt.Description = v
			case "parameters_schema", "payload_schema":
				if yamlfile.IsNull(p.Value) {
					continue
				}
				if yamlfile.Deref(p.Value).Kind != yaml.MappingNode {
					bad(p.Value, "%s must be a mapping, not %s", p.Key, yamlfile.Describe(p.Value))
					continue
				}
				v, err := yamlfile.Value(p.Value, nil)
				if err != nil {
					bad(p.Value, "%s: %v", p.Key, err)
					continue
				}
				if p.Key == "parameters_schema" {
					tt.ParametersSchema = v.(map[string]any)
				} else {
					tt.PayloadSchema = v.(map[string]any)
				}
			case "tags":
				tags, err := readTags(p.Value)
				if err != nil {
					bad(err.node, "tags: %s", err.msg)
				}
				tt.Tags = tags
			default:
				if !triggerTypeFields[p.Key] {
					bad(p.KeyNode, "unknown field %q", p.Key)
				}
			}
		}
		if tt.Name == "" && valueOf(item, "name") == nil {
			bad(item, "name is required")
		}
		if !ok {
			continue
		}
		if first, dup := names[tt.Name]; dup {
			fail(item, "trigger_types[%d]: trigger type %q is already declared at line %d", i, tt.Name, first)
			continue
		}
		names[tt.Name] = item.Line
		tt.Ref = pack + "." + tt.Name
		tt.UID = "trigger_type:" + pack + ":" + tt.Name
		out = append(out, tt)
	}
	return out
}

type nodeError struct {
	node *yaml.Node
	msg  string
}

// readTags reads a list of {name, value} tags.
func readTags(n *yaml.Node) ([]model.Tag, *nodeError) {
	n = yamlfile.Deref(n)
	tags := []model.Tag{}
	if yamlfile.IsNull(n) {
		return tags, nil
	}
	if n.Kind != yaml.SequenceNode {
		return nil, &nodeError{n, "must be a list, not " + yamlfile.Describe(n)}
	}
	for _, item := range n.Content {
		if yamlfile.Deref(item).Kind != yaml.MappingNode {
			return nil, &nodeError{item, "items must be mappings, not " + yamlfile.Describe(item)}
		}
		var t model.Tag
		for _, p := range yamlfile.Entries(item) {
			v, ok := str(p.Value)
			if !ok && !yamlfile.IsNull(p.Value) {
				return nil, &nodeError{p.Value, p.Key + " must be a string, not " + yamlfile.Describe(p.Value)}
			}
			switch p.Key {
			case "name":
				t.Name = v
			case "value":
				t.Value = v
			}
		}
		tags = append(tags, t)
	}
	return tags, nil
}
