package sensor

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestLoadTestPackSensor(t *testing.T) {
	path := filepath.Join("testdata", "packs", "testpack", "sensors", "counter_sensor.yaml")
	s, tts, err := Load(path)
	if err != nil {
		t.Fatal(err)
	}
	packDir, _ := filepath.Abs(filepath.Join("testdata", "packs", "testpack"))
	file := filepath.Join(packDir, "sensors", "counter_sensor.py")
	got, _ := json.Marshal(s)
	want := `{"id":"","uid":"sensor_type:testpack:CounterSensor","ref":"testpack.CounterSensor","name":"CounterSensor",` +
		`"pack":"testpack","class_name":"CounterSensor","entry_point":"sensors.counter_sensor.CounterSensor",` +
		`"artifact_uri":"file://` + filepath.ToSlash(file) + `","description":"Counts polls, keeping the count in the datastore",` +
		`"enabled":true,"poll_interval":5,"trigger_types":["testpack.counter"],"metadata_file":"sensors/counter_sensor.yaml"}`
	if string(got) != want {
		t.Errorf("sensor JSON\n got %s\nwant %s", got, want)
	}
	if s.FilePath != file || s.PackDir != packDir {
		t.Errorf("FilePath %q PackDir %q", s.FilePath, s.PackDir)
	}
	if len(tts) != 1 {
		t.Fatalf("trigger types = %d, want 1", len(tts))
	}
	tt := tts[0]
	if tt.Ref != "testpack.counter" || tt.UID != "trigger_type:testpack:counter" || tt.Pack != "testpack" ||
		tt.Description != "One poll of the counter sensor" || tt.MetadataFile != "sensors/counter_sensor.yaml" {
		t.Errorf("trigger type = %+v", tt)
	}
	wantSchema := map[string]any{"type": "object", "properties": map[string]any{"count": map[string]any{"type": "integer"}}}
	if d := cmp.Diff(wantSchema, tt.PayloadSchema); d != "" {
		t.Errorf("payload schema (-want +got):\n%s", d)
	}
	if tt.ParametersSchema == nil || len(tt.ParametersSchema) != 0 {
		t.Errorf("parameters schema = %v, want {}", tt.ParametersSchema)
	}
}

// writeSensor writes a sensor metadata file into a fresh pack directory
// named mypack and returns its path.
func writeSensor(t *testing.T, body string) string {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "mypack", "sensors")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(dir, "s.yaml")
	if err := os.WriteFile(path, []byte(body), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

func TestLoadGood(t *testing.T) {
	tests := []struct {
		name  string
		yaml  string
		check func(t *testing.T, s *SensorType, tts int)
	}{
		{"minimal", "class_name: S\nentry_point: s.py\n", func(t *testing.T, s *SensorType, tts int) {
			if !s.Enabled || s.PollInterval != 0 || len(s.TriggerTypes) != 0 || s.TriggerTypes == nil || tts != 0 {
				t.Errorf("got %+v", s)
			}
		}},
		{"disabled the YAML 1.1 way", "class_name: S\nentry_point: s.py\nenabled: no\n", func(t *testing.T, s *SensorType, _ int) {
			if s.Enabled {
				t.Error("enabled: no read as true")
			}
		}},
		{"pack field matching", "class_name: S\nentry_point: sub/s.py\npack: mypack\npoll_interval: 30\n", func(t *testing.T, s *SensorType, _ int) {
			if s.EntryPoint != "sensors.sub.s.S" || s.PollInterval != 30 {
				t.Errorf("got entry point %q poll interval %d", s.EntryPoint, s.PollInterval)
			}
		}},
		{"fractional poll interval truncated", "class_name: S\nentry_point: s.py\npoll_interval: 7.9\n", func(t *testing.T, s *SensorType, _ int) {
			if s.PollInterval != 7 {
				t.Errorf("poll interval %d, want 7", s.PollInterval)
			}
		}},
		{"trigger types with own pack and tags", "class_name: S\nentry_point: s.py\ntrigger_types:\n  - name: a\n    pack: elsewhere\n    tags: [{name: k, value: v}]\n  - name: b\n",
			func(t *testing.T, s *SensorType, tts int) {
				if d := cmp.Diff([]string{"mypack.a", "mypack.b"}, s.TriggerTypes); d != "" || tts != 2 {
					t.Errorf("trigger types (-want +got):\n%s", d)
				}
			}},
		{"merge keys", "class_name: S\n<<: {entry_point: s.py}\n", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, tts, err := Load(writeSensor(t, tt.yaml))
			if err != nil {
				t.Fatal(err)
			}
			if s.Pack != "mypack" || s.Ref != "mypack.S" {
				t.Errorf("pack %q ref %q", s.Pack, s.Ref)
			}
			if tt.check != nil {
				tt.check(t, s, len(tts))
			}
		})
	}
}

func TestLoadBad(t *testing.T) {
	tests := []struct {
		name string
		yaml string
		want []string // each must appear, with its line, in the error
	}{
		{"empty file", "# nothing\n", []string{"s.yaml: file holds no sensor definition"}},
		{"not a mapping", "- a\n", []string{"s.yaml:1: sensor definition must be a mapping, not a list"}},
		{"syntax error", "class_name: S\nentry_point: [s.py\n", []string{"s.yaml:2: did not find expected ',' or ']'"}},
		{"bad indentation", "class_name: S\n  entry_point: s.py\n", []string{"s.yaml:2: mapping values are not allowed in this context"}},
		{"missing class_name and entry_point", "description: x\n", []string{"s.yaml:1: class_name is required", "s.yaml:1: entry_point is required"}},
		{"class_name not a string", "entry_point: s.py\nclass_name: 12\n", []string{"s.yaml:2: class_name must be a string, not int 12"}},
		{"unknown field", "class_name: S\nentry_point: s.py\n\nrunner_type: python\n", []string{`s.yaml:4: unknown field "runner_type" in sensor definition`}},
		{"poll interval too small", "class_name: S\nentry_point: s.py\npoll_interval: 1\n", []string{"s.yaml:3: minimum possible poll_interval is 4 seconds"}},
		{"poll interval not a number", "class_name: S\nentry_point: s.py\npoll_interval: soon\n", []string{`s.yaml:3: poll_interval must be a number, not the string "soon"`}},
		{"enabled not a boolean", "class_name: S\nentry_point: s.py\nenabled: maybe\n", []string{`s.yaml:3: enabled must be a boolean`}},
		{"other pack", "class_name: S\nentry_point: s.py\npack: other\n", []string{`s.yaml:3: sensor is in pack "mypack" but its pack field says "other"`}},
		{"trigger_types not a list", "class_name: S\nentry_point: s.py\ntrigger_types: {name: a}\n", []string{"s.yaml:3: trigger_types must be a list, not a mapping"}},
		{"trigger type problems", "class_name: S\nentry_point: s.py\ntrigger_types:\n  - description: no name\n  - name: a\n    payload_schema: [1]\n  - name: b\n    color: red\n  - name: c\n  - name: c\n",
			[]string{"s.yaml:4: trigger_types[0]: name is required", "s.yaml:6: trigger_types[1]: payload_schema must be a mapping, not a list",
				`s.yaml:8: trigger_types[2]: unknown field "color"`, `s.yaml:10: trigger_types[4]: trigger type "c" is already declared at line 9`}},
		{"empty entry_point", "class_name: S\nentry_point: ''\n", []string{"s.yaml:2: entry_point must not be empty"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, _, err := Load(writeSensor(t, tt.yaml))
			if err == nil {
				t.Fatalf("loaded %+v, want an error", s)
			}
			for _, w := range tt.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q\ndoes not contain %q", err, w)
				}
			}
			if n := strings.Count(err.Error(), "\n") + 1; n != len(tt.want) {
				t.Errorf("%d errors reported, want %d: %v", n, len(tt.want), err)
			}
		})
	}
}
