package local

import (
	"bytes"
	"encoding/json"
	"reflect"
	"regexp"
	"sort"
	"strings"

	"github.com/st2go/st2go/internal/pyfmt"
	"github.com/st2go/st2go/internal/runner"
)

// py prints script arguments with Python's str(), as StackStorm builds
// them. Parameters arrive decoded from JSON into any, where an integer is
// a float64, so integral floats print as integers ("5", not "5.0").
var py = pyfmt.Printer{IntegralFloatsAsInts: true}

// unsafeShellChar matches what Python's shlex.quote must quote.
var unsafeShellChar = regexp.MustCompile(`[^\w@%+=:,./-]`)

// quote quotes s as one shell word, exactly as Python's shlex.quote.
func quote(s string) string {
	if s == "" {
		return "''"
	}
	if !unsafeShellChar.MatchString(s) {
		return s
	}
	return "'" + strings.ReplaceAll(s, "'", `'"'"'`) + "'"
}

// sudoFlags are the flags every sudo invocation gets: -S when the password
// comes on stdin, -E to keep the environment (StackStorm's
// SUDO_COMMON_OPTIONS).
func sudoFlags(password bool) string {
	if password {
		return "-S -E"
	}
	return "-E"
}

// commandLine builds local-shell-cmd's command line (ShellCommandAction):
// the command itself, or with sudo=true "sudo -E -- bash -c '<cmd>'", or,
// to run as another user, "sudo -E -H -u <user> -- bash -c '<cmd>'". With
// a sudo password -S comes first. sudo=true wins over runAs, as in
// StackStorm.
func commandLine(cmd string, sudo, password bool, runAs string) string {
	switch {
	case sudo:
		return "sudo " + sudoFlags(password) + " -- bash -c " + quote(cmd)
	case runAs != "":
		return "sudo " + sudoFlags(password) + " -H -u " + quote(runAs) + " -- bash -c " + quote(cmd)
	}
	return cmd
}

// scriptCommand builds local-shell-script's command line (ShellScriptAction).
// StackStorm leaves the script path unquoted inside the sudo command; it is
// quoted here, which is the same for every path without shell metacharacters.
func scriptCommand(path string, named []namedArg, positional []string, sudo, password bool, runAs string) string {
	args := scriptArguments(named, positional)
	inner := quote(path)
	if args != "" {
		inner += " " + args
	}
	switch {
	case sudo:
		return "sudo " + sudoFlags(password) + " -- bash -c " + quote(inner)
	case runAs != "":
		return "sudo " + sudoFlags(password) + " -H -u " + quote(runAs) + " -- bash -c " + quote(inner)
	}
	return inner
}

// namedArg is one named script argument; Name already carries kwarg_op.
type namedArg struct {
	Name  string
	Value any
}

// scriptArguments joins a script's arguments as StackStorm's
// _get_script_arguments does: named arguments first, "<name>=<value>" with
// both quoted, where true is the bare name, false, null and "" are left
// out and other values print as Python's str(); then the positional
// arguments, each quoted.
func scriptArguments(named []namedArg, positional []string) string {
	var parts []string
	for _, a := range named {
		switch v := a.Value.(type) {
		case nil:
			continue
		case string:
			if v == "" {
				continue
			}
		case bool:
			if v {
				parts = append(parts, a.Name)
			}
			continue
		}
		parts = append(parts, quote(a.Name)+"="+quote(py.Str(a.Value)))
	}
	for _, p := range positional {
		parts = append(parts, quote(p))
	}
	return strings.Join(parts, " ")
}

// scriptArgs splits the action parameters into positional arguments
// (parameters the action declares with a position, in position order,
// serialised by their declared type) and named ones (all the others,
// sorted by name, prefixed with kwarg_op). StackStorm's get_args.
func scriptArgs(req *runner.Request, kwargOp string) (named []namedArg, positional []string) {
	decl := req.ParamSpecs
	if req.Action != nil && req.Action.Parameters != nil {
		decl = req.Action.Parameters
	}
	byPos := map[int]string{}
	for name, spec := range decl {
		if spec != nil && spec.Position != nil {
			byPos[*spec.Position] = name
		}
	}
	positions := make([]int, 0, len(byPos))
	for pos := range byPos {
		positions = append(positions, pos)
	}
	sort.Ints(positions)
	isPositional := map[string]bool{}
	for _, pos := range positions {
		name := byPos[pos]
		isPositional[name] = true
		positional = append(positional, serializePositional(decl[name].TypeName(), req.ActionParams[name]))
	}
	names := make([]string, 0, len(req.ActionParams))
	for name := range req.ActionParams {
		if !isPositional[name] {
			names = append(names, name)
		}
	}
	sort.Strings(names)
	for _, name := range names {
		named = append(named, namedArg{Name: kwargOp + name, Value: req.ActionParams[name]})
	}
	return named, positional
}

// serializePositional turns a positional argument's value into text by its
// declared type, as StackStorm's serialize_positional_argument:
// string/number as text (null → ""), boolean as "1"/"0" (null → ""), array
// comma-joined, object as compact JSON, null → "", and anything else as
// text unless it is falsy (then "").
func serializePositional(typ string, v any) string {
	switch typ {
	case "string", "number", "float":
		if v == nil {
			return ""
		}
		return py.Str(v)
	case "boolean":
		if v == nil {
			return ""
		}
		if truthy(v) {
			return "1"
		}
		return "0"
	case "array", "list":
		if !truthy(v) {
			return ""
		}
		var items []string
		switch x := v.(type) {
		case []any:
			for _, e := range x {
				items = append(items, py.Str(e))
			}
		case string:
			for _, r := range x {
				items = append(items, string(r))
			}
		default:
			return py.Str(v)
		}
		return strings.Join(items, ",")
	case "object":
		if !truthy(v) {
			return ""
		}
		var b bytes.Buffer
		enc := json.NewEncoder(&b)
		enc.SetEscapeHTML(false)
		if err := enc.Encode(v); err != nil {
			return py.Str(v)
		}
		return strings.TrimSuffix(b.String(), "\n")
	case "null":
		return ""
	}
	if !truthy(v) {
		return ""
	}
	return py.Str(v)
}

// truthy is Python's bool().
func truthy(v any) bool {
	switch x := v.(type) {
	case nil:
		return false
	case bool:
		return x
	case string:
		return x != ""
	case []any:
		return len(x) > 0
	case map[string]any:
		return len(x) > 0
	case json.Number:
		f, err := x.Float64()
		return err != nil || f != 0
	}
	if f, ok := toFloat(v); ok {
		return f != 0
	}
	return true
}

// toFloat reads any Go number.
func toFloat(v any) (float64, bool) {
	switch x := v.(type) {
	case float64:
		return x, true
	case int:
		return float64(x), true
	case json.Number:
		f, err := x.Float64()
		return f, err == nil
	case bool, nil, string:
		return 0, false
	}
	rv := reflect.ValueOf(v)
	switch {
	case rv.CanInt():
		return float64(rv.Int()), true
	case rv.CanUint():
		return float64(rv.Uint()), true
	case rv.CanFloat():
		return rv.Float(), true
	}
	return 0, false
}
