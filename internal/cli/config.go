package cli

import (
	"bufio"
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

// parseINI reads an INI file the way Python's ConfigParser does for the
// st2 CLI: [sections], "key = value" or "key: value", lower-cased keys,
// '#' and ';' comment lines, indented continuation lines.
func parseINI(path string) (*cliConfig, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	c := &cliConfig{values: map[string]map[string]string{}, path: path, exists: true}
	sc := bufio.NewScanner(f)
	section, lastKey := "", ""
	lineNo := 0
	for sc.Scan() {
		lineNo++
		raw := sc.Text()
		trimmed := strings.TrimSpace(raw)
		if trimmed == "" || strings.HasPrefix(trimmed, "#") || strings.HasPrefix(trimmed, ";") {
			continue
		}
		if raw[0] == ' ' || raw[0] == '\t' {
			if section != "" && lastKey != "" {
				c.values[section][lastKey] += "\n" + trimmed
				continue
			}
		}
		if strings.HasPrefix(trimmed, "[") && strings.HasSuffix(trimmed, "]") {
			section = strings.TrimSpace(trimmed[1 : len(trimmed)-1])
			if c.values[section] == nil {
				c.values[section] = map[string]string{}
			}
			lastKey = ""
			continue
		}
		if section == "" {
			return nil, fmt.Errorf("parsing %s:%d: option outside of any [section]", path, lineNo)
		}
		i := strings.IndexAny(trimmed, "=:")
		if i < 0 {
			return nil, fmt.Errorf("parsing %s:%d: expected \"key = value\", got %q", path, lineNo, trimmed)
		}
		key := strings.ToLower(strings.TrimSpace(trimmed[:i]))
		c.values[section][key] = strings.TrimSpace(trimmed[i+1:])
		lastKey = key
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("reading %s: %w", path, err)
	}
	return c, nil
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
