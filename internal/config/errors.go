package config

import (
	"fmt"
	"strings"
)

// Error is one problem with a configuration value or line. File is the
// config file name, or a description of another origin such as
// "environment variable ST2_API__PORT"; Line is 0 when there is no line.
// Section and Option are empty for syntax errors.
type Error struct {
	File    string
	Line    int
	Section string
	Option  string
	Msg     string
}

func (e *Error) Error() string {
	var b strings.Builder
	b.WriteString(position(e.File, e.Line))
	if e.Section != "" {
		fmt.Fprintf(&b, "[%s] ", e.Section)
	}
	if e.Option != "" {
		b.WriteString(e.Option)
		b.WriteString(": ")
	}
	b.WriteString(e.Msg)
	return b.String()
}

// Warning is a problem that does not stop st2go from starting: an unknown
// section or option, a deprecated name, a value set twice. Load returns
// warnings for the caller to log or print.
type Warning struct {
	File string
	Line int
	Msg  string
}

// String formats the warning as "file:line: msg".
func (w Warning) String() string { return position(w.File, w.Line) + w.Msg }

// position renders "file:line: ", "file: " or "".
func position(file string, line int) string {
	switch {
	case file != "" && line > 0:
		return fmt.Sprintf("%s:%d: ", file, line)
	case file != "":
		return file + ": "
	default:
		return ""
	}
}
