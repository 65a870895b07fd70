package cli

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/st2go/st2go/internal/client"
	"github.com/st2go/st2go/internal/pyfmt"
)

// envBlacklist lists variables -e/--inherit-env never passes on.
var envBlacklist = []string{"pwd", "mail", "username", "user", "path", "home", "ps1", "shell", "pythonpath",
	"ssh_tty", "ssh_connection", "lang", "ls_colors", "logname", "oldpwd", "term", "xdg_session_id"}

// paramCaster turns "key=value" words into typed action parameters using
// the action's and runner's parameter schemas, as StackStorm's CLI does.
type paramCaster struct {
	actionRef    string
	actionParams *client.Object // action.parameters
	runnerParams *client.Object // runner.runner_parameters
	autoDict     bool
	cwd          string
}

func (c *paramCaster) paramType(key string, actionParams *client.Object) string {
	if actionParams == nil {
		actionParams = c.actionParams
	}
	var p *client.Object
	if c.runnerParams.Has(key) {
		p = c.runnerParams.Object(key)
	} else if actionParams.Has(key) {
		p = actionParams.Object(key)
	}
	if p == nil {
		return ""
	}
	t, _ := p.Get("type")
	s, _ := t.(string)
	return s
}

// normalize casts one value by the declared type of name.
func (c *paramCaster) normalize(name, value string, actionParams *client.Object) (any, error) {
	if actionParams == nil {
		actionParams = c.actionParams
	}
	switch c.paramType(name, actionParams) {
	case "array":
		if actionParams.Has(name) {
			return c.castArray(value, actionParams.Object(name))
		}
		return c.castArray(value, nil)
	case "boolean":
		return castBoolean(value)
	case "integer":
		return castInteger(value)
	case "number":
		return castNumber(value)
	case "object":
		return castObject(value)
	}
	return value, nil
}

func castBoolean(v string) (any, error) {
	capitalized := v
	if v != "" {
		capitalized = strings.ToUpper(v[:1]) + strings.ToLower(v[1:])
	}
	switch capitalized {
	case "True":
		return true, nil
	case "False":
		return false, nil
	case "None":
		return nil, nil
	}
	if n, err := castInteger(capitalized); err == nil {
		return n, nil
	}
	if f, err := strconv.ParseFloat(capitalized, 64); err == nil && !strings.ContainsAny(capitalized, "nN") {
		return f, nil
	}
	return nil, errors.New("Invalid value for boolean parameter. Valid values are: true, false")
}

// castInteger parses like Python's int(): surrounding spaces, a sign and
// digit-group underscores are allowed.
func castInteger(v string) (any, error) {
	s := strings.TrimSpace(v)
	clean := strings.ReplaceAll(s, "_", "")
	if s == "" || strings.HasPrefix(s, "_") || strings.HasSuffix(s, "_") || strings.Contains(s, "__") {
		return nil, fmt.Errorf("invalid literal for int() with base 10: %s", pyfmt.Repr(v))
	}
	digits := strings.TrimLeft(clean, "+-")
	if len(clean)-len(digits) > 1 || digits == "" {
		return nil, fmt.Errorf("invalid literal for int() with base 10: %s", pyfmt.Repr(v))
	}
	for _, r := range digits {
		if r < '0' || r > '9' {
			return nil, fmt.Errorf("invalid literal for int() with base 10: %s", pyfmt.Repr(v))
		}
	}
	neg := strings.HasPrefix(clean, "-")
	digits = strings.TrimLeft(digits, "0")
	if digits == "" {
		return json.Number("0"), nil
	}
	if neg {
		digits = "-" + digits
	}
	return json.Number(digits), nil
}

func castNumber(v string) (any, error) {
	s := strings.ToLower(strings.TrimSpace(v))
	switch s {
	case "inf", "+inf", "infinity", "+infinity", "-inf", "-infinity", "nan", "+nan", "-nan":
	default:
		if strings.ContainsAny(s, "xpn") {
			return nil, fmt.Errorf("could not convert string to float: %s", pyfmt.Repr(v))
		}
	}
	f, err := strconv.ParseFloat(strings.ReplaceAll(s, "_", ""), 64)
	if err != nil {
		return nil, fmt.Errorf("could not convert string to float: %s", pyfmt.Repr(v))
	}
	return f, nil
}

func castObject(v string) (any, error) {
	if strings.HasPrefix(v, "{") {
		d, err := client.Decode([]byte(v))
		if err != nil {
			return nil, fmt.Errorf("parsing %q as a JSON object: %w", v, err)
		}
		return d, nil
	}
	o := client.NewObject()
	for _, pair := range strings.Split(v, ",") {
		k, val, ok := strings.Cut(pair, "=")
		if !ok {
			continue
		}
		o.Set(k, val)
	}
	return o, nil
}

// castArray accepts a single integer ("5" → [5]), a JSON array or a comma
// separated list; with --auto-dict, "k:v" items become one object.
func (c *paramCaster) castArray(v string, schema *client.Object) (any, error) {
	var result any
	if n, err := castInteger(v); err == nil {
		result = []any{n}
	} else if d, err := client.Decode([]byte(v)); err == nil {
		result = d
	} else {
		var items []any
		for _, s := range strings.Split(v, ",") {
			items = append(items, strings.TrimSpace(s))
		}
		result = items
	}
	list, ok := result.([]any)
	if !ok {
		if s, isStr := result.(string); isStr {
			return s, nil
		}
		return nil, fmt.Errorf("'%s' object is not iterable", pyfmt.TypeName(result))
	}
	if !c.autoDict {
		return list, nil
	}
	for _, x := range list {
		s, isStr := x.(string)
		if !isStr || !strings.Contains(s, ":") {
			return list, nil
		}
	}
	props := schema.Object("properties")
	d := client.NewObject()
	for _, x := range list {
		parts := strings.Split(x.(string), ":")
		if len(parts) != 2 {
			return nil, fmt.Errorf("too many values to unpack (expected 2)")
		}
		if props.Has(parts[0]) {
			nv, err := c.normalize(parts[0], parts[1], props)
			if err != nil {
				return nil, err
			}
			d.Set(parts[0], nv)
		} else {
			d.Set(parts[0], parts[1])
		}
	}
	return []any{d}, nil
}

// cast builds the parameters object from the command-line words.
func (c *paramCaster) cast(words []string, inheritEnv map[string]string) (*client.Object, error) {
	result := client.NewObject()
	if inheritEnv != nil {
		env := client.NewObject()
		for _, k := range sortedMapKeys(inheritEnv) {
			if !contains(envBlacklist, strings.ToLower(k)) {
				env.Set(k, inheritEnv[k])
			}
		}
		result.Set("env", env)
	}
	for i, word := range words {
		k, v, ok := strings.Cut(word, "=")
		if !ok {
			result.Set("cmd", strings.Join(words[i:], " "))
			break
		}
		if strings.HasPrefix(k, "@") {
			k = k[1:]
			path := v
			if !filepath.IsAbs(path) {
				path = filepath.Join(c.cwd, v)
			}
			path = filepath.Clean(path)
			st, err := os.Stat(path)
			if err != nil {
				return nil, fmt.Errorf("File %q doesn't exist", path)
			}
			if !st.Mode().IsRegular() {
				return nil, fmt.Errorf("%q is not a file", path)
			}
			content, err := os.ReadFile(path)
			if err != nil {
				return nil, fmt.Errorf("reading %s: %w", path, err)
			}
			if c.actionRef == "core.http" {
				result.Set("_file_name", filepath.Base(path))
				result.Set("file_content", string(content))
			} else {
				result.Set(k, string(content))
			}
			continue
		}
		nv, err := c.normalize(k, v, nil)
		if err != nil {
			return nil, err
		}
		if c.paramType(k, nil) == "array" && result.Has(k) {
			prev, _ := result.Get(k)
			pl, ok1 := prev.([]any)
			nl, ok2 := nv.([]any)
			if ok1 && ok2 {
				result.Set(k, append(pl, nl...))
				continue
			}
		}
		result.Set(k, nv)
	}
	if result.Has("file_content") {
		if !result.Has("method") {
			result.Set("method", "POST")
		}
		if !result.Has("file_name") {
			fn, _ := result.Get("_file_name")
			result.Set("file_name", fn)
		}
		result.Delete("_file_name")
	}
	return result, nil
}

func sortedMapKeys(m map[string]string) []string {
	set := map[string]bool{}
	for k := range m {
		set[k] = true
	}
	return sortedKeysOf(set)
}
