package cli

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
)

// cliConfig is the parsed ~/.st2/config (StackStorm's st2rc INI file).
type cliConfig struct {
	// values[section][option]; absent options are absent.
	values map[string]map[string]string
	path   string
	exists bool
}

// configOptions lists the options StackStorm's CLI reads, with their types
// and defaults, in the order --print-config shows them.
var configOptions = []struct {
	section string
	opts    []configOption
}{
	{"general", []configOption{{"base_url", "string", ""}, {"api_version", "string", ""}, {"cacert", "string", ""},
		{"silence_ssl_warnings", "bool", "False"}, {"silence_schema_output", "bool", "True"}}},
	{"cli", []configOption{{"debug", "bool", "False"}, {"cache_token", "bool", "True"}, {"timezone", "string", "UTC"}}},
	{"credentials", []configOption{{"username", "string", ""}, {"password", "string", ""}, {"api_key", "string", ""}, {"basic_auth", "string", ""}}},
	{"api", []configOption{{"url", "string", ""}}},
	{"auth", []configOption{{"url", "string", ""}}},
	{"stream", []configOption{{"url", "string", ""}}},
}

type configOption struct{ name, typ, def string }

// parseINI reads the CLI config file (see [readINI]).
func parseINI(path string) (*cliConfig, error) {
	f, err := readINI(path)
	if err != nil {
		return nil, err
	}
	c := &cliConfig{values: map[string]map[string]string{}, path: path, exists: true}
	for _, sec := range f.sections {
		m := map[string]string{}
		for _, k := range sec.keys {
			m[k] = sec.vals[k]
		}
		c.values[sec.name] = m
	}
	return c, nil
}

// iniFile is an INI file as Python's ConfigParser reads and writes it for
// the st2 CLI: sections and options in file order, option names
// lower-cased, comments dropped.
type iniFile struct {
	sections []*iniSection
}

type iniSection struct {
	name string
	keys []string
	vals map[string]string
}

// readINI parses an INI file the way ConfigParser does: [sections],
// "key = value" or "key: value" (split at the first delimiter), '#' and
// ';' comment lines, lines indented deeper than their option continuing
// its value (blank lines inside kept, trailing ones dropped).
func readINI(path string) (*iniFile, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	f := &iniFile{}
	var cur *iniSection
	var lines map[string][]string // value lines of cur's options
	opt := ""
	indentLevel := 0
	finish := func() {
		if cur == nil {
			return
		}
		for k, l := range lines {
			cur.vals[k] = strings.TrimRight(strings.Join(l, "\n"), " \t\r\n")
		}
	}
	for i, raw := range strings.Split(string(data), "\n") {
		lineNo := i + 1
		raw = strings.TrimSuffix(raw, "\r")
		trimmed := strings.TrimSpace(raw)
		if strings.HasPrefix(trimmed, "#") || strings.HasPrefix(trimmed, ";") {
			continue
		}
		if trimmed == "" {
			if cur != nil && opt != "" {
				lines[opt] = append(lines[opt], "")
			}
			continue
		}
		indent := len(raw) - len(strings.TrimLeft(raw, " \t"))
		if cur != nil && opt != "" && indent > indentLevel {
			lines[opt] = append(lines[opt], trimmed)
			continue
		}
		indentLevel = indent
		if strings.HasPrefix(trimmed, "[") && strings.LastIndex(trimmed, "]") > 1 {
			finish()
			name := trimmed[1:strings.LastIndex(trimmed, "]")]
			cur = f.section(name)
			if cur == nil {
				cur = f.addSection(name)
			}
			lines = map[string][]string{}
			opt = ""
			continue
		}
		if cur == nil {
			return nil, fmt.Errorf("parsing %s:%d: option outside of any [section]", path, lineNo)
		}
		i := strings.IndexAny(trimmed, "=:")
		if i <= 0 {
			return nil, fmt.Errorf("parsing %s:%d: expected \"key = value\", got %q", path, lineNo, trimmed)
		}
		opt = strings.ToLower(strings.TrimSpace(trimmed[:i]))
		if _, ok := cur.vals[opt]; !ok {
			cur.keys = append(cur.keys, opt)
		}
		cur.vals[opt] = ""
		lines[opt] = []string{strings.TrimSpace(trimmed[i+1:])}
	}
	finish()
	return f, nil
}

func (f *iniFile) section(name string) *iniSection {
	for _, s := range f.sections {
		if s.name == name {
			return s
		}
	}
	return nil
}

func (f *iniFile) addSection(name string) *iniSection {
	s := &iniSection{name: name, vals: map[string]string{}}
	f.sections = append(f.sections, s)
	return s
}

func (s *iniSection) set(key, value string) {
	if _, ok := s.vals[key]; !ok {
		s.keys = append(s.keys, key)
	}
	s.vals[key] = value
}

func (s *iniSection) remove(key string) {
	if _, ok := s.vals[key]; !ok {
		return
	}
	delete(s.vals, key)
	for i, k := range s.keys {
		if k == key {
			s.keys = append(s.keys[:i:i], s.keys[i+1:]...)
			break
		}
	}
}

// String writes the file as ConfigParser.write does: [DEFAULT] first,
// "key = value" lines, continuation lines indented with a tab, a blank
// line after every section.
func (f *iniFile) String() string {
	var b strings.Builder
	ordered := make([]*iniSection, 0, len(f.sections))
	if d := f.section("DEFAULT"); d != nil {
		ordered = append(ordered, d)
	}
	for _, s := range f.sections {
		if s.name != "DEFAULT" {
			ordered = append(ordered, s)
		}
	}
	for _, s := range ordered {
		b.WriteString("[" + s.name + "]\n")
		for _, k := range s.keys {
			b.WriteString(k + " = " + strings.ReplaceAll(s.vals[k], "\n", "\n\t") + "\n")
		}
		b.WriteString("\n")
	}
	return b.String()
}

func (c *cliConfig) get(section, key string) string {
	if c == nil {
		return ""
	}
	return c.values[section][key]
}

// boolean returns a boolean option (ConfigParser.getboolean) or def.
func (c *cliConfig) boolean(section, key string, def bool) (bool, error) {
	if c == nil {
		return def, nil
	}
	v, ok := c.values[section][key]
	if !ok {
		return def, nil
	}
	switch strings.ToLower(v) {
	case "1", "yes", "true", "on":
		return true, nil
	case "0", "no", "false", "off":
		return false, nil
	}
	return def, fmt.Errorf("parsing %s: [%s] %s: not a boolean: %s", c.path, section, key, v)
}

// printConfig writes the config as --print-config does.
func (c *cliConfig) printConfig(w *strings.Builder) {
	for _, s := range configOptions {
		fmt.Fprintf(w, "[%s]\n", s.section)
		for _, o := range s.opts {
			v, ok := "", false
			if c != nil {
				v, ok = c.values[s.section][o.name]
			}
			switch {
			case !ok && o.def == "":
				v = "None"
			case !ok:
				v = o.def
			case o.typ == "bool":
				b, err := c.boolean(s.section, o.name, false)
				if err == nil {
					v = map[bool]string{true: "True", false: "False"}[b]
				}
			}
			fmt.Fprintf(w, "%s = %s\n", o.name, v)
		}
	}
}

// configDir is ~/.st2 for the given environment.
func configDir(env map[string]string) string {
	home := env["HOME"]
	if home == "" {
		if h, err := os.UserHomeDir(); err == nil {
			home = h
		}
	}
	return filepath.Join(home, ".st2")
}

func expandUser(p string, env map[string]string) string {
	if p == "~" || strings.HasPrefix(p, "~/") {
		home := filepath.Dir(configDir(env))
		return filepath.Join(home, strings.TrimPrefix(p, "~"))
	}
	return p
}
