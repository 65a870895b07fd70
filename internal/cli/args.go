package cli

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
)

// A small argparse-compatible parser: options and positionals may be mixed
// (st2 run core.local cmd=date -a), long options may be abbreviated to a
// unique prefix, "--opt=value" and "-nVALUE" forms work, options with
// several values (nargs "+" or "*") take every following argument up to
// the next option, and "-1"-like words are values, not options.

type optKind int

const (
	optBool optKind = iota
	optString
	optInt
	optList      // nargs="+": one or more values
	optListEmpty // nargs="*": zero or more values
	optIntList   // nargs="+" of integers
)

type option struct {
	names   []string // "-a", "--async"
	dest    string
	kind    optKind
	help    string
	metavar string
	// required options are shown without brackets and must be given.
	required bool
}

type positional struct {
	name  string
	nargs byte // '1', '?', '*', '+'
	help  string
}

// spec describes one command's arguments.
type spec struct {
	prog        string // "st2 run"
	description string
	opts        []option
	pos         []positional
	// noHelp disables -h/--help handling (st2 run uses -h for action help).
	noHelp bool
}

// args holds parsed values by dest.
type args struct {
	vals map[string]any
	set  map[string]bool
}

func (a *args) str(k string) string {
	s, _ := a.vals[k].(string)
	return s
}

func (a *args) boolean(k string) bool {
	b, _ := a.vals[k].(bool)
	return b
}

func (a *args) integer(k string) (int, bool) {
	i, ok := a.vals[k].(int)
	return i, ok
}

func (a *args) list(k string) []string {
	l, _ := a.vals[k].([]string)
	return l
}

func (a *args) ints(k string) []int {
	l, _ := a.vals[k].([]int)
	return l
}

// isSet reports whether the option or positional was given.
func (a *args) isSet(k string) bool { return a.set[k] }

// usageError is a command-line mistake; it prints usage and exits 2.
type usageError struct {
	prog string
	msg  string
	sp   *spec
}

func (e *usageError) Error() string { return e.msg }

// helpRequested is returned when -h/--help was given.
type helpRequested struct{ sp *spec }

func (helpRequested) Error() string { return "help requested" }

var negativeNumber = regexp.MustCompile(`^-\d+$|^-\d*\.\d+$`)

func looksLikeOption(s string) bool {
	return len(s) > 1 && s[0] == '-' && !negativeNumber.MatchString(s) && !strings.Contains(s, " ")
}

func (sp *spec) find(name string) (*option, error) {
	for i := range sp.opts {
		for _, n := range sp.opts[i].names {
			if n == name {
				return &sp.opts[i], nil
			}
		}
	}
	if strings.HasPrefix(name, "--") {
		var matches []*option
		var matchNames []string
		for i := range sp.opts {
			for _, n := range sp.opts[i].names {
				if strings.HasPrefix(n, "--") && strings.HasPrefix(n, name) {
					matches = append(matches, &sp.opts[i])
					matchNames = append(matchNames, n)
					break
				}
			}
		}
		if len(matches) == 1 {
			return matches[0], nil
		}
		if len(matches) > 1 {
			return nil, fmt.Errorf("ambiguous option: %s could match %s", name, strings.Join(matchNames, ", "))
		}
	}
	return nil, nil
}

func (o *option) display() string { return strings.Join(o.names, "/") }

func (sp *spec) parse(argv []string) (*args, error) {
	a := &args{vals: map[string]any{}, set: map[string]bool{}}
	uerr := func(format string, v ...any) error {
		return &usageError{prog: sp.prog, msg: fmt.Sprintf(format, v...), sp: sp}
	}
	var posArgs []string
	for i := 0; i < len(argv); i++ {
		arg := argv[i]
		if arg == "--" {
			posArgs = append(posArgs, argv[i+1:]...)
			break
		}
		if !looksLikeOption(arg) {
			posArgs = append(posArgs, arg)
			continue
		}
		if !sp.noHelp && (arg == "-h" || arg == "--help") {
			return nil, helpRequested{sp}
		}
		name, attached, hasAttached := arg, "", false
		if strings.HasPrefix(arg, "--") {
			if k, v, ok := strings.Cut(arg, "="); ok {
				name, attached, hasAttached = k, v, true
			}
		}
		opt, err := sp.find(name)
		if err != nil {
			return nil, uerr("%v", err)
		}
		if opt == nil && !strings.HasPrefix(arg, "--") && len(arg) > 2 {
			// -n5 (value attached) or -aj (bundled flags)
			if short, _ := sp.find(arg[:2]); short != nil {
				if short.kind == optBool {
					for _, c := range arg[1:] {
						o, _ := sp.find("-" + string(c))
						if o == nil || o.kind != optBool {
							return nil, uerr("unrecognized arguments: %s", arg)
						}
						a.vals[o.dest], a.set[o.dest] = true, true
					}
					continue
				}
				opt, attached, hasAttached = short, strings.TrimPrefix(arg[2:], "="), true
			}
		}
		if opt == nil {
			return nil, uerr("unrecognized arguments: %s", arg)
		}
		switch opt.kind {
		case optBool:
			if hasAttached {
				return nil, uerr("argument %s: ignored explicit argument '%s'", opt.display(), attached)
			}
			a.vals[opt.dest] = true
		case optString, optInt:
			val := attached
			if !hasAttached {
				if i+1 >= len(argv) || looksLikeOption(argv[i+1]) {
					return nil, uerr("argument %s: expected one argument", opt.display())
				}
				i++
				val = argv[i]
			}
			if opt.kind == optInt {
				n, err := strconv.Atoi(val)
				if err != nil {
					return nil, uerr("argument %s: invalid int value: '%s'", opt.display(), val)
				}
				a.vals[opt.dest] = n
			} else {
				a.vals[opt.dest] = val
			}
		case optList, optListEmpty, optIntList:
			var vals []string
			if hasAttached {
				vals = append(vals, attached)
			}
			for i+1 < len(argv) && !looksLikeOption(argv[i+1]) && argv[i+1] != "--" {
				i++
				vals = append(vals, argv[i])
			}
			if len(vals) == 0 && opt.kind != optListEmpty {
				return nil, uerr("argument %s: expected at least one argument", opt.display())
			}
			if opt.kind == optIntList {
				var ns []int
				for _, v := range vals {
					n, err := strconv.Atoi(v)
					if err != nil {
						return nil, uerr("argument %s: invalid int value: '%s'", opt.display(), v)
					}
					ns = append(ns, n)
				}
				a.vals[opt.dest] = ns
			} else {
				if vals == nil {
					vals = []string{}
				}
				a.vals[opt.dest] = vals
			}
		}
		a.set[opt.dest] = true
	}
	if err := sp.assignPositionals(a, posArgs); err != nil {
		return nil, err
	}
	var missing []string
	for _, o := range sp.opts {
		if o.required && !a.set[o.dest] {
			missing = append(missing, o.display())
		}
	}
	if len(missing) > 0 {
		return nil, uerr("the following arguments are required: %s", strings.Join(missing, ", "))
	}
	return a, nil
}

// assignPositionals distributes positional words over the declared
// positionals the way argparse does: required ones first, greedy lists
// leaving enough for the ones after them.
func (sp *spec) assignPositionals(a *args, words []string) error {
	minAfter := func(i int) int {
		n := 0
		for _, p := range sp.pos[i+1:] {
			if p.nargs == '1' || p.nargs == '+' {
				n++
			}
		}
		return n
	}
	idx := 0
	for i, p := range sp.pos {
		avail := len(words) - idx - minAfter(i)
		switch p.nargs {
		case '1':
			if avail < 1 {
				return &usageError{prog: sp.prog, sp: sp, msg: "the following arguments are required: " + sp.missing(i)}
			}
			a.vals[p.name], a.set[p.name] = words[idx], true
			idx++
		case '?':
			if avail >= 1 {
				a.vals[p.name], a.set[p.name] = words[idx], true
				idx++
			}
		case '*', '+':
			n := max(avail, 0)
			if p.nargs == '+' && n < 1 {
				return &usageError{prog: sp.prog, sp: sp, msg: "the following arguments are required: " + sp.missing(i)}
			}
			vals := append([]string{}, words[idx:idx+n]...)
			a.vals[p.name] = vals
			a.set[p.name] = n > 0
			idx += n
		}
	}
	if idx < len(words) {
		return &usageError{prog: sp.prog, sp: sp, msg: "unrecognized arguments: " + strings.Join(words[idx:], " ")}
	}
	return nil
}

func (sp *spec) missing(from int) string {
	var names []string
	for _, p := range sp.pos[from:] {
		if p.nargs == '1' || p.nargs == '+' {
			names = append(names, p.name)
		}
	}
	return strings.Join(names, ", ")
}

// usage returns the one-line usage string.
func (sp *spec) usage() string {
	parts := []string{"usage: " + sp.prog}
	if !sp.noHelp {
		parts = append(parts, "[-h]")
	}
	for _, o := range sp.opts {
		if o.help == "-" {
			continue
		}
		n := o.names[0]
		var part string
		switch o.kind {
		case optBool:
			part = n
		case optList, optIntList:
			m := o.meta()
			part = n + " " + m + " [" + m + " ...]"
		case optListEmpty:
			m := o.meta()
			part = n + " [" + m + " ...]"
		default:
			part = n + " " + o.meta()
		}
		if !o.required {
			part = "[" + part + "]"
		}
		parts = append(parts, part)
	}
	for _, p := range sp.pos {
		switch p.nargs {
		case '?':
			parts = append(parts, "["+p.name+"]")
		case '*':
			parts = append(parts, "["+p.name+" ...]")
		case '+':
			parts = append(parts, p.name+" ["+p.name+" ...]")
		default:
			parts = append(parts, p.name)
		}
	}
	return wrapUsage(parts)
}

func wrapUsage(parts []string) string {
	var lines []string
	line := ""
	indent := strings.Repeat(" ", len(parts[0])+1)
	for i, p := range parts {
		switch {
		case i == 0:
			line = p
		case len(line)+1+len(p) > 79 && len(line) > len(indent):
			lines = append(lines, line)
			line = indent + p
		default:
			line += " " + p
		}
	}
	return strings.Join(append(lines, line), "\n")
}

func (o *option) meta() string {
	if o.metavar != "" {
		return o.metavar
	}
	return strings.ToUpper(strings.ReplaceAll(o.dest, "-", "_"))
}

// help returns the full help text.
func (sp *spec) help() string {
	var b strings.Builder
	b.WriteString(sp.usage() + "\n")
	if sp.description != "" {
		b.WriteString("\n" + sp.description + "\n")
	}
	if len(sp.pos) > 0 {
		b.WriteString("\npositional arguments:\n")
		for _, p := range sp.pos {
			writeHelpItem(&b, p.name, p.help)
		}
	}
	b.WriteString("\noptions:\n")
	if !sp.noHelp {
		writeHelpItem(&b, "-h, --help", "show this help message and exit")
	}
	for _, o := range sp.opts {
		if o.help == "-" {
			continue
		}
		var names []string
		for _, n := range o.names {
			if o.kind == optBool {
				names = append(names, n)
			} else {
				names = append(names, n+" "+o.meta())
			}
		}
		writeHelpItem(&b, strings.Join(names, ", "), o.help)
	}
	return b.String()
}

func writeHelpItem(b *strings.Builder, name, help string) {
	const col = 24
	line := "  " + name
	if help == "" {
		b.WriteString(line + "\n")
		return
	}
	wrapped := textWrap(help, 78-col)
	if len(line) >= col-1 {
		b.WriteString(line + "\n")
		line = strings.Repeat(" ", col)
	} else {
		line += strings.Repeat(" ", col-len(line))
	}
	for i, w := range wrapped {
		if i > 0 {
			line = strings.Repeat(" ", col)
		}
		b.WriteString(line + w + "\n")
	}
}
