package config

import (
	"errors"
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"
)

// INIFile is the syntax tree of one st2.conf file: its sections in file
// order. A section that appears twice appears twice here; merging is the
// loader's job.
type INIFile struct {
	Name     string
	Sections []*INISection
}

// INISection is one [name] header and the assignments under it.
type INISection struct {
	// Name is the text between the brackets, as written.
	Name    string
	Line    int
	Entries []INIEntry
}

// INIEntry is one "key = value" assignment. Value is the text after quote
// removal, with continuation lines joined by "\n"; interpolation has not
// happened yet. Line is the line of the key.
type INIEntry struct {
	Key   string
	Value string
	Line  int
}

// ParseINI parses st2.conf syntax the way oslo.config's parser does (see
// the package documentation). name is used in error positions only. On a
// syntax error ParseINI keeps going, so the returned file holds every
// well-formed entry and the error (an errors.Join of *Error) names every
// bad line.
func ParseINI(name string, data []byte) (*INIFile, error) {
	f, errs := parseINI(name, data)
	return f, errors.Join(errs...)
}

func parseINI(name string, data []byte) (*INIFile, []error) {
	p := &iniParser{file: &INIFile{Name: name}}
	p.parse(data)
	return p.file, p.errs
}

type iniParser struct {
	file *INIFile
	errs []error

	cur *INISection
	// skipping is set after a malformed section header: the entries under
	// it belong to no section we know, and one error for the header is
	// enough.
	skipping bool

	pending *INIEntry
	parts   []string
}

func (p *iniParser) errorf(line int, format string, args ...any) {
	p.errs = append(p.errs, &Error{File: p.file.Name, Line: line, Msg: fmt.Sprintf(format, args...)})
}

// flush ends the value being collected, if any.
func (p *iniParser) flush() {
	if p.pending == nil {
		return
	}
	p.pending.Value = strings.Join(p.parts, "\n")
	p.cur.Entries = append(p.cur.Entries, *p.pending)
	p.pending, p.parts = nil, nil
}

func (p *iniParser) parse(data []byte) {
	text := string(data)
	text = strings.TrimPrefix(text, "\ufeff")
	// Python reads text files with universal newlines: \r\n and a lone \r
	// both end a line.
	text = strings.ReplaceAll(text, "\r\n", "\n")
	text = strings.ReplaceAll(text, "\r", "\n")

	for i, line := range strings.Split(text, "\n") {
		n := i + 1
		if !utf8.ValidString(line) {
			p.flush()
			p.errorf(n, "line is not valid UTF-8")
			continue
		}
		line = strings.TrimRightFunc(line, unicode.IsSpace)
		switch {
		case line == "":
			// A blank line ends a multi-line value.
			p.flush()
		case line[0] == ' ' || line[0] == '\t':
			if p.pending == nil {
				if !p.skipping {
					p.errorf(n, "indented line %q continues no option (only lines right after an option, with no blank line between, may be indented)", strings.TrimSpace(line))
				}
				continue
			}
			p.parts = append(p.parts, strings.TrimLeftFunc(line, unicode.IsSpace))
		case line[0] == '[':
			p.flush()
			p.section(n, line)
		case line[0] == '#' || line[0] == ';':
			p.flush()
		default:
			p.flush()
			p.assignment(n, line)
		}
	}
	p.flush()
}

func (p *iniParser) section(n int, line string) {
	p.cur = nil
	p.skipping = true
	if !strings.HasSuffix(line, "]") {
		p.errorf(n, "section header %q has no closing ]", line)
		return
	}
	if len(line) <= 2 {
		p.errorf(n, "empty section name")
		return
	}
	p.cur = &INISection{Name: line[1 : len(line)-1], Line: n}
	p.skipping = false
	p.file.Sections = append(p.file.Sections, p.cur)
}

func (p *iniParser) assignment(n int, line string) {
	key, value, ok := splitKeyValue(line)
	switch {
	case !ok:
		p.errorf(n, "expected \"option = value\", a [section] header or a comment, got %q", line)
		return
	case key == "":
		p.errorf(n, "empty option name in %q", line)
		return
	case p.cur == nil:
		if !p.skipping {
			p.errorf(n, "option %q comes before any [section] header", key)
		}
		return
	}
	p.pending = &INIEntry{Key: key, Line: n}
	p.parts = []string{value}
}

// splitKeyValue splits at the first "=" or ":", whichever comes first, and
// removes surrounding whitespace and one pair of matching quotes from the
// value, as oslo.config does.
func splitKeyValue(line string) (key, value string, ok bool) {
	i := strings.IndexAny(line, "=:")
	if i < 0 {
		return "", "", false
	}
	key = strings.TrimFunc(line[:i], unicode.IsSpace)
	value = strings.TrimFunc(line[i+1:], unicode.IsSpace)
	if n := len(value); n > 0 && (value[0] == '"' || value[0] == '\'') && value[n-1] == value[0] {
		if n == 1 {
			value = ""
		} else {
			value = value[1 : n-1]
		}
	}
	return key, value, true
}
