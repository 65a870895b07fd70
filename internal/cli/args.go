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
	// grouped options belong to an argument group without a title, which
	// help lists after the other options.
	grouped bool
	// mutex names a mutually exclusive group: at most one of the options
	// sharing it may be given, and usage shows them as "[--a | --b]".
	mutex string
}

type positional struct {
	name  string
	nargs byte // '1', '?', '*', '+', or 'A' for a subcommand and its arguments
	help  string
	// choices are the subcommands (name, help) help lists under it.
	choices [][2]string
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
	mutexSeen := map[string]string{}
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
		if opt.mutex != "" {
			if prev, ok := mutexSeen[opt.mutex]; ok && prev != opt.display() {
				return nil, uerr("argument %s: not allowed with argument %s", opt.display(), prev)
			}
			mutexSeen[opt.mutex] = opt.display()
		}
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

// usage returns the usage text, wrapped as argparse wraps it.
func (sp *spec) usage() string {
	var opts, pos []string
	if !sp.noHelp {
		opts = append(opts, "[-h]")
	}
	for i, o := range sp.opts {
		if o.help == "-" {
			continue
		}
		if o.mutex != "" {
			if i > 0 && sp.opts[i-1].mutex == o.mutex {
				continue
			}
			var alts []string
			for _, m := range sp.opts[i:] {
				if m.mutex != o.mutex {
					break
				}
				alts = append(alts, m.usagePart())
			}
			opts = append(opts, "["+strings.Join(alts, " | ")+"]")
			continue
		}
		part := o.usagePart()
		if !o.required {
			part = "[" + part + "]"
		}
		opts = append(opts, part)
	}
	for _, p := range sp.pos {
		switch p.nargs {
		case '?':
			pos = append(pos, "["+p.name+"]")
		case '*':
			pos = append(pos, "["+p.name+" ...]")
		case '+':
			pos = append(pos, p.name+" ["+p.name+" ...]")
		case 'A':
			pos = append(pos, p.name+" ...")
		default:
			pos = append(pos, p.name)
		}
	}
	return wrapUsage(sp.prog, opts, pos)
}

// usagePart is the option as the usage line shows it, without brackets.
func (o *option) usagePart() string { return o.invocation(o.names[0]) }

// invocation is one of the option's names with its values, as argparse
// shows it ("-a ATTR [ATTR ...]").
func (o *option) invocation(n string) string {
	switch o.kind {
	case optBool:
		return n
	case optList, optIntList:
		m := o.meta()
		return n + " " + m + " [" + m + " ...]"
	case optListEmpty:
		return n + " [" + o.meta() + " ...]"
	}
	return n + " " + o.meta()
}

// usageWidth is the width argparse fills with an 80-column terminal.
const usageWidth = 78

// wrapUsage lays the usage out as argparse's HelpFormatter does: on one
// line when it fits, else the options wrapped after the program name and
// the positionals starting on a line of their own (and, for a long
// program name, everything below it).
func wrapUsage(prog string, opts, pos []string) string {
	const prefix = "usage: "
	all := append(append([]string{prog}, opts...), pos...)
	if one := strings.Join(all, " "); len(prefix)+len(one) <= usageWidth {
		return prefix + one
	}
	lines := func(parts []string, indent string, first bool) []string {
		var out, line []string
		lineLen := len(indent) - 1
		if first {
			lineLen = len(prefix) - 1
		}
		for _, p := range parts {
			if lineLen+1+len(p) > usageWidth && len(line) > 0 {
				out = append(out, indent+strings.Join(line, " "))
				line, lineLen = nil, len(indent)-1
			}
			line = append(line, p)
			lineLen += len(p) + 1
		}
		if len(line) > 0 {
			out = append(out, indent+strings.Join(line, " "))
		}
		if first && len(out) > 0 {
			out[0] = out[0][len(indent):]
		}
		return out
	}
	var out []string
	if float64(len(prefix)+len(prog)) <= 0.75*usageWidth {
		indent := strings.Repeat(" ", len(prefix)+len(prog)+1)
		switch {
		case len(opts) > 0:
			out = lines(append([]string{prog}, opts...), indent, true)
			out = append(out, lines(pos, indent, false)...)
		case len(pos) > 0:
			out = lines(append([]string{prog}, pos...), indent, true)
		default:
			out = []string{prog}
		}
	} else {
		indent := strings.Repeat(" ", len(prefix))
		out = lines(append(append([]string{}, opts...), pos...), indent, false)
		if len(out) > 1 {
			out = append(lines(opts, indent, false), lines(pos, indent, false)...)
		}
		out = append([]string{prog}, out...)
	}
	return prefix + strings.Join(out, "\n")
}

func (o *option) meta() string {
	if o.metavar != "" {
		return o.metavar
	}
	return strings.ToUpper(strings.ReplaceAll(o.dest, "-", "_"))
}

// help returns the full help text, laid out as argparse's HelpFormatter
// does for an 80-column terminal.
func (sp *spec) help() string {
	var b strings.Builder
	b.WriteString(sp.usage() + "\n")
	if sp.description != "" {
		b.WriteString("\n" + strings.Join(textWrap(collapseSpace(sp.description), usageWidth), "\n") + "\n")
	}
	invocation := func(o option) string {
		var names []string
		for _, n := range o.names {
			names = append(names, o.invocation(n))
		}
		return strings.Join(names, ", ")
	}
	// The help column follows the longest argument, up to 24.
	longest := 0
	if !sp.noHelp {
		longest = 2 + len("-h, --help")
	}
	for _, o := range sp.opts {
		if o.help != "-" {
			longest = max(longest, 2+len(invocation(o)))
		}
	}
	for _, p := range sp.pos {
		longest = max(longest, 2+len(p.name))
		for _, c := range p.choices {
			longest = max(longest, 4+len(c[0]))
		}
	}
	col := min(longest+2, 24)
	if len(sp.pos) > 0 {
		b.WriteString("\npositional arguments:\n")
		for _, p := range sp.pos {
			writeHelpRow(&b, 2, col, p.name, p.help)
			for _, c := range p.choices {
				writeHelpRow(&b, 4, col, c[0], c[1])
			}
		}
	}
	b.WriteString("\noptions:\n")
	if !sp.noHelp {
		writeHelpRow(&b, 2, col, "-h, --help", "show this help message and exit")
	}
	var grouped []option
	for _, o := range sp.opts {
		switch {
		case o.help == "-":
		case o.grouped:
			grouped = append(grouped, o)
		default:
			writeHelpRow(&b, 2, col, invocation(o), o.help)
		}
	}
	// argparse shows an argument group without a title after the
	// options, set apart by a blank line.
	if len(grouped) > 0 {
		b.WriteString("\n")
		for _, o := range grouped {
			writeHelpRow(&b, 2, col, invocation(o), o.help)
		}
	}
	return b.String()
}

func collapseSpace(s string) string { return strings.Join(strings.Fields(s), " ") }

func writeHelpItem(b *strings.Builder, name, help string) { writeHelpRow(b, 2, 24, name, help) }

// writeHelpRow writes one argument: its name indented, its help from
// column col (on the next line when the name reaches it), wrapped to 78
// columns.
func writeHelpRow(b *strings.Builder, indent, col int, name, help string) {
	line := strings.Repeat(" ", indent) + name
	if help == "" {
		b.WriteString(line + "\n")
		return
	}
	wrapped := textWrap(collapseSpace(help), max(usageWidth-col, 11))
	if len(name) > col-indent-2 {
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
