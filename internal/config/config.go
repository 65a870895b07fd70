package config

import (
	"errors"
	"fmt"
	"os"
	"reflect"
	"slices"
	"strings"
)

// Config is the effective st2.conf: one field per section, filled from the
// built-in defaults, the config file and the environment. Build it with Load
// or Default; the zero value is not useful.
type Config struct {
	ActionSensor     ActionSensor     `ini:"action_sensor"`
	Actionrunner     Actionrunner     `ini:"actionrunner"`
	API              API              `ini:"api"`
	Auth             Auth             `ini:"auth"`
	Content          Content          `ini:"content"`
	Coordination     Coordination     `ini:"coordination"`
	Database         Database         `ini:"database"`
	Garbagecollector Garbagecollector `ini:"garbagecollector"`
	Keyvalue         Keyvalue         `ini:"keyvalue"`
	Log              Log              `ini:"log"`
	Messaging        Messaging        `ini:"messaging"`
	Metrics          Metrics          `ini:"metrics"`
	Mistral          Mistral          `ini:"mistral"`
	Notifier         Notifier         `ini:"notifier"`
	Packs            Packs            `ini:"packs"`
	RBAC             RBAC             `ini:"rbac"`
	ResultsTracker   ResultsTracker   `ini:"results_tracker"`
	Rulesengine      Rulesengine      `ini:"rulesengine"`
	Scheduler        Scheduler        `ini:"scheduler"`
	Schema           Schema           `ini:"schema"`
	Sensorcontainer  Sensorcontainer  `ini:"sensorcontainer"`
	SSHRunner        SSHRunner        `ini:"ssh_runner"`
	Stream           Stream           `ini:"stream"`
	Syslog           Syslog           `ini:"syslog"`
	System           System           `ini:"system"`
	SystemUser       SystemUser       `ini:"system_user"`
	Timer            Timer            `ini:"timer"`
	Timersengine     Timersengine     `ini:"timersengine"`
	Webui            Webui            `ini:"webui"`
	WorkflowEngine   WorkflowEngine   `ini:"workflow_engine"`
	ST2Go            ST2Go            `ini:"st2go"`

	path   string
	values []Value
	index  map[string]int
}

// Source says where an effective value came from.
type Source int

// Sources, in rising precedence.
const (
	SourceDefault Source = iota
	SourceFile
	SourceEnv
)

func (s Source) String() string {
	switch s {
	case SourceDefault:
		return "default"
	case SourceFile:
		return "file"
	case SourceEnv:
		return "environment"
	default:
		return "unknown"
	}
}

// Value is the effective value of one declared option.
type Value struct {
	Section string
	Option  Option
	// Text is the value as st2go uses it: interpolated, not yet converted
	// to the option's type. It is the clear text even for secrets; use
	// Display to print it.
	Text   string
	Source Source
	// File and Line locate a SourceFile value; Name is the option name
	// used there, which may be a deprecated one.
	File string
	Line int
	Name string
	// EnvVar names the variable of a SourceEnv value.
	EnvVar string
}

// Where describes the origin of the value: "st2.conf:12",
// "$ST2_API__PORT" or "default".
func (v Value) Where() string {
	switch v.Source {
	case SourceFile:
		return fmt.Sprintf("%s:%d", v.File, v.Line)
	case SourceEnv:
		return "$" + v.EnvVar
	default:
		return "default"
	}
}

// Load reads the st2.conf at path, applies ST2_<SECTION>__<OPTION>
// variables from env (in os.Environ form), and validates everything.
// path "" means no config file: st2go's embedded defaults (see Default)
// plus env. A path that cannot be read is an error.
//
// Warnings (unknown or deprecated names, values set twice) come back even
// when loading fails. The error, if any, joins one *Error per problem.
func Load(path string, env []string) (*Config, []Warning, error) {
	if path == "" {
		return load("", nil, false, env, true)
	}
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, nil, fmt.Errorf("reading config file: %w", err)
	}
	return load(path, data, true, env, true)
}

// Default returns st2go's configuration for running without a config file:
// StackStorm's defaults, except that [system] base_path is a per-user
// directory ($ST2GO_HOME, else $XDG_DATA_HOME/st2go, else
// ~/.local/share/st2go, looked up in env) and [content]
// system_packs_base_path is <base_path>/packs. ST2_* variables in env are
// not applied; Load("", env) does that.
func Default(env []string) *Config {
	c, _, err := load("", nil, false, env, false)
	if err != nil {
		// The declarations are checked by the package tests.
		panic(fmt.Sprintf("config: built-in defaults do not load: %v", err))
	}
	return c
}

// Path is the config file the configuration was loaded from, or "" for
// none.
func (c *Config) Path() string { return c.path }

// Get returns the effective value of section.option as text (interpolated,
// secrets in clear). ok is false if st2go declares no such option.
// Deprecated option names are accepted.
func (c *Config) Get(section, option string) (value string, ok bool) {
	v, ok := c.Lookup(section, option)
	return v.Text, ok
}

// Lookup returns the effective value of section.option with its origin.
func (c *Config) Lookup(section, option string) (Value, bool) {
	o, ok := LookupOption(section, option)
	if !ok {
		return Value{}, false
	}
	i, ok := c.index[key(normalizeSection(section), o.Name)]
	if !ok {
		return Value{}, false
	}
	return c.values[i], true
}

// Values returns every effective value, in declaration order (sections as
// in the sample config, options alphabetical).
func (c *Config) Values() []Value { return slices.Clone(c.values) }

func key(section, option string) string { return section + "." + option }

// rawValue is an option's text before interpolation, with its origin.
type rawValue struct {
	section string
	name    string // the name as written; a deprecated one for aliases
	decl    *Option
	text    string
	source  Source
	file    string
	line    int
	envVar  string
}

// errorf builds the error for a problem with this value, positioned where
// the value came from.
func (r *rawValue) errorf(format string, args ...any) *Error {
	e := &Error{Section: r.section, Option: r.name, Msg: fmt.Sprintf(format, args...)}
	switch r.source {
	case SourceFile:
		e.File, e.Line = r.file, r.line
	case SourceEnv:
		e.File = "environment variable " + r.envVar
	default:
		e.File = "built-in default"
	}
	return e
}

type loader struct {
	name     string
	warnings []Warning
	errs     []error

	// raw holds every declared option (keyed section.option by its
	// current name) and every undeclared key of [DEFAULT] and of declared
	// sections, which interpolation may refer to.
	raw        map[string]*rawValue
	interp     *interpolator
	referenced map[string]bool
}

func (l *loader) warnf(file string, line int, format string, args ...any) {
	l.warnings = append(l.warnings, Warning{File: file, Line: line, Msg: fmt.Sprintf(format, args...)})
}

func load(name string, data []byte, hasFile bool, env []string, envOverrides bool) (*Config, []Warning, error) {
	l := &loader{name: name, raw: map[string]*rawValue{}, referenced: map[string]bool{}}
	l.defaults(hasFile, env)
	if hasFile {
		f, errs := parseINI(name, data)
		l.errs = append(l.errs, errs...)
		l.file(f)
	}
	if envOverrides {
		l.environment(env)
	}
	texts := l.interpolate()
	typed := l.convert(texts)
	if len(l.errs) > 0 {
		l.sortErrors()
		return nil, l.warnings, errors.Join(l.errs...)
	}
	l.unusedDefaults()

	c := &Config{path: name, index: map[string]int{}}
	for _, s := range declarations {
		for i := range s.Options {
			o := &s.Options[i]
			k := key(s.Name, o.Name)
			r := l.raw[k]
			c.index[k] = len(c.values)
			c.values = append(c.values, Value{
				Section: s.Name, Option: o.clone(), Text: texts[k], Source: r.source,
				File: r.file, Line: r.line, Name: r.name, EnvVar: r.envVar,
			})
		}
	}
	c.fill(typed)
	c.foldTimer()
	return c, l.warnings, nil
}

// defaults seeds every declared option with its default. Without a file
// the base path moves to a per-user directory and the system packs
// directory follows it; with a file StackStorm's defaults apply unchanged
// (StackStorm computes system_packs_base_path from the default base_path,
// not from the configured one).
func (l *loader) defaults(hasFile bool, env []string) {
	for _, s := range declarations {
		for i := range s.Options {
			o := &s.Options[i]
			l.raw[key(s.Name, o.Name)] = &rawValue{section: s.Name, name: o.Name, decl: o, text: o.Default}
		}
	}
	if !hasFile {
		l.raw[key("system", "base_path")].text = escapeDollar(userBasePath(env))
		l.raw[key("content", "system_packs_base_path")].text = "${system.base_path}/packs"
	}
}

// file records the values of a parsed config file, warning about names
// st2go does not know.
func (l *loader) file(f *INIFile) {
	warnedSection := map[string]bool{}
	for _, sec := range f.Sections {
		name := normalizeSection(sec.Name)
		if name == defaultSection {
			for _, e := range sec.Entries {
				l.set(name, e.Key, nil, e, f.Name)
			}
			continue
		}
		decl, ok := lookupSection(name)
		if !ok {
			if !warnedSection[name] {
				warnedSection[name] = true
				l.warnUnknownSection(f.Name, sec.Line, name)
			}
			continue
		}
		// Deprecated and legacy options draw a warning only when set to
		// something other than their default, so that a dump of the
		// effective configuration loads back without warnings.
		for _, e := range sec.Entries {
			o, ok := decl.Option(e.Key)
			if !ok {
				l.warnUnknownOption(f.Name, e.Line, decl, e.Key)
				l.set(name, e.Key, nil, e, f.Name)
				continue
			}
			if e.Value != o.Default {
				if decl.Legacy != "" && !warnedSection[name] {
					warnedSection[name] = true
					l.warnf(f.Name, sec.Line, "[%s]: %s; its options are accepted and ignored", name, decl.Legacy)
				}
				if o.Deprecated != "" {
					l.warnf(f.Name, e.Line, "[%s] %s is deprecated: %s", name, e.Key, o.Deprecated)
				}
			}
			l.set(name, e.Key, o, e, f.Name)
		}
	}
}

// set records one file assignment. For a declared option the current name
// beats a deprecated one; otherwise the last assignment wins, as in
// oslo.config.
func (l *loader) set(section, name string, o *Option, e INIEntry, file string) {
	canon := name
	if o != nil {
		canon = o.Name
	}
	k := key(section, canon)
	prev, seen := l.raw[k]
	if seen && prev.source == SourceFile {
		switch {
		case prev.name == name:
			l.warnf(file, e.Line, "[%s] %s is set again (first at line %d); this value wins", section, name, prev.line)
		case name != canon:
			l.warnf(file, e.Line, "[%s] %s is a deprecated name of %s, which is already set at line %d; ignoring this line", section, name, canon, prev.line)
			return
		default:
			l.warnf(file, e.Line, "[%s] %s replaces the deprecated name %s set at line %d", section, name, prev.name, prev.line)
		}
	} else if name != canon {
		l.warnf(file, e.Line, "[%s] %s is a deprecated name; use %s", section, name, canon)
	}
	l.raw[k] = &rawValue{section: section, name: name, decl: o, text: e.Value, source: SourceFile, file: file, line: e.Line}
}

func (l *loader) warnUnknownSection(file string, line int, name string) {
	if why, ok := removedSections[name]; ok {
		l.warnf(file, line, "section [%s] is ignored: %s", name, why)
		return
	}
	names := make([]string, len(declarations))
	for i, s := range declarations {
		names[i] = s.Name
	}
	l.warnf(file, line, "unknown section [%s]%s; its options are ignored", name, suggestion(name, names, "[%s]"))
}

func (l *loader) warnUnknownOption(file string, line int, s *Section, name string) {
	if why, ok := removedOptions[key(s.Name, name)]; ok {
		l.warnf(file, line, "[%s] %s is ignored: it was removed from StackStorm (%s)", s.Name, name, why)
		return
	}
	var names []string
	for _, o := range s.Options {
		names = append(names, o.Name)
	}
	l.warnf(file, line, "unknown option %s in [%s]%s; it is ignored", name, s.Name, suggestion(name, names, "%s"))
}

// environment applies ST2_<SECTION>__<OPTION> variables. Section and option
// are matched case-insensitively, as the variable name is upper case.
func (l *loader) environment(env []string) {
	for _, kv := range env {
		name, value, ok := strings.Cut(kv, "=")
		rest, isST2 := strings.CutPrefix(name, "ST2_")
		if !ok || !isST2 {
			continue
		}
		group, option, ok := strings.Cut(rest, "__")
		if !ok || group == "" || option == "" {
			continue
		}
		where := "environment variable " + name
		section := strings.ToLower(group)
		decl, ok := lookupSection(section)
		if !ok {
			if strings.EqualFold(group, defaultSection) {
				continue // st2go declares no [DEFAULT] options
			}
			l.warnf(where, 0, "unknown section [%s]; variable ignored", section)
			continue
		}
		o, ok := decl.Option(strings.ToLower(option))
		if !ok {
			l.warnf(where, 0, "unknown option %s in [%s]; variable ignored", strings.ToLower(option), section)
			continue
		}
		l.raw[key(section, o.Name)] = &rawValue{
			section: section, name: o.Name, decl: o, text: value, source: SourceEnv, envVar: name,
		}
	}
}

// interpolate resolves $references in every declared option.
func (l *loader) interpolate() map[string]string {
	l.interp = &interpolator{l: l, done: map[string]result{}, active: map[string]bool{}}
	out := map[string]string{}
	for _, s := range declarations {
		for _, o := range s.Options {
			k := key(s.Name, o.Name)
			text, err := l.interp.resolve(k)
			if err != nil {
				l.errs = append(l.errs, l.raw[k].errorf("%v", err))
				continue
			}
			out[k] = text
		}
	}
	return out
}

// convert checks every interpolated value against its declaration.
func (l *loader) convert(texts map[string]string) map[string]any {
	out := map[string]any{}
	for _, s := range declarations {
		for i := range s.Options {
			o := &s.Options[i]
			k := key(s.Name, o.Name)
			text, ok := texts[k]
			if !ok {
				continue // interpolation failed and was reported
			}
			v, err := convert(o, text)
			if err != nil {
				r := l.raw[k]
				msg := err.Error()
				if text != r.text {
					msg += fmt.Sprintf(" (from %q after interpolation)", r.text)
				}
				l.errs = append(l.errs, r.errorf("%s", msg))
				continue
			}
			out[k] = v
		}
	}
	return out
}

// sortErrors puts the errors in the order a reader fixes them: file
// errors by line, then the rest (environment, defaults) as found.
func (l *loader) sortErrors() {
	rank := func(err error) (int, int) {
		var e *Error
		if errors.As(err, &e) && e.File == l.name && e.Line > 0 {
			return 0, e.Line
		}
		return 1, 0
	}
	slices.SortStableFunc(l.errs, func(a, b error) int {
		ra, la := rank(a)
		rb, lb := rank(b)
		if ra != rb {
			return ra - rb
		}
		return la - lb
	})
}

// unusedDefaults warns about [DEFAULT] keys nothing refers to: st2go
// declares no options there, so such a key has no effect.
func (l *loader) unusedDefaults() {
	var unused []*rawValue
	for k, r := range l.raw {
		if r.section == defaultSection && !l.referenced[k] {
			unused = append(unused, r)
		}
	}
	slices.SortFunc(unused, func(a, b *rawValue) int { return a.line - b.line })
	for _, r := range unused {
		l.warnf(r.file, r.line, "[DEFAULT] %s has no effect: st2go reads no options from [DEFAULT] and no value refers to $%s", r.name, r.name)
	}
}

// fill copies converted values into the typed section structs, matching
// ini tags to declarations.
func (c *Config) fill(typed map[string]any) {
	cv := reflect.ValueOf(c).Elem()
	ct := cv.Type()
	for i := range ct.NumField() {
		section := ct.Field(i).Tag.Get("ini")
		if section == "" {
			continue
		}
		sv := cv.Field(i)
		st := sv.Type()
		for j := range st.NumField() {
			option := st.Field(j).Tag.Get("ini")
			setField(sv.Field(j), typed[key(section, option)])
		}
	}
}

func setField(f reflect.Value, v any) {
	switch {
	case v == nil:
		f.SetZero()
	case f.Kind() == reflect.Pointer:
		p := reflect.New(f.Type().Elem())
		p.Elem().Set(reflect.ValueOf(v))
		f.Set(p)
	default:
		f.Set(reflect.ValueOf(v))
	}
}

// foldTimer applies the deprecated [timer] section the way StackStorm's
// timers engine reads it: timer values win when set, and timers run if
// either section enables them.
func (c *Config) foldTimer() {
	if c.Timer.Enable != nil && *c.Timer.Enable {
		c.Timersengine.Enable = true
	}
	if c.Timer.LocalTimezone != "" {
		c.Timersengine.LocalTimezone = c.Timer.LocalTimezone
	}
	if c.Timer.Logging != "" {
		c.Timersengine.Logging = c.Timer.Logging
	}
}

// suggestion returns ` (did you mean X?)` for the closest known name, or "".
func suggestion(name string, known []string, format string) string {
	best, bestDist := "", 3
	for _, k := range known {
		d := editDistance(strings.ToLower(strings.TrimSpace(name)), k)
		if d < bestDist {
			best, bestDist = k, d
		}
	}
	if best == "" {
		return ""
	}
	return " (did you mean " + fmt.Sprintf(format, best) + "?)"
}

// editDistance is the Levenshtein distance between a and b.
func editDistance(a, b string) int {
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}
