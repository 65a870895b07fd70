package config

import (
	"errors"
	"fmt"
	"strings"
)

// Interpolation follows oslo.config, which uses Python's string.Template:
//
//	$$         a literal $ (and \$ is rewritten to $$ first)
//	$name      name matches [_a-zA-Z][._a-zA-Z0-9]*
//	${name}    the same, delimited
//	$ + other  left as it is
//
// A name without a dot is an option of the same section, else a key of
// [DEFAULT]; "section.option" is an option of another section. A name that
// resolves to nothing is an error (oslo.config raises too), which catches
// a password like "pa$word" that needs "pa$$word".

// maxValueLen bounds an interpolated value: each reference may double the
// length, so a few lines could otherwise ask for gigabytes.
const maxValueLen = 1 << 20

type result struct {
	text string
	err  error
}

type interpolator struct {
	l      *loader
	done   map[string]result
	active map[string]bool
	stack  []string
}

// cycleError reports values that refer to each other.
type cycleError struct{ path []string }

func (e *cycleError) Error() string {
	return "interpolation cycle: " + strings.Join(e.path, " -> ")
}

// refError reports a reference to a value whose own error is reported
// elsewhere.
type refError struct{ name string }

func (e *refError) Error() string {
	return "$" + e.name + " refers to a value that has an error"
}

func (in *interpolator) resolve(k string) (string, error) {
	if r, ok := in.done[k]; ok {
		return r.text, r.err
	}
	if in.active[k] {
		start := 0
		for i, s := range in.stack {
			if s == k {
				start = i
			}
		}
		path := append(append([]string{}, in.stack[start:]...), k)
		for i, p := range path {
			path[i] = "[" + strings.Replace(p, ".", "] ", 1)
		}
		return "", &cycleError{path: path}
	}
	in.active[k] = true
	in.stack = append(in.stack, k)
	r := in.l.raw[k]
	text, err := expand(r.text, func(name string) (string, error) {
		ref, ok := in.l.reference(r.section, name)
		if !ok {
			return "", fmt.Errorf("$%s refers to no option (write $$ for a literal $)", name)
		}
		in.l.referenced[ref] = true
		v, err := in.resolve(ref)
		if err != nil {
			if ce := (*cycleError)(nil); errors.As(err, &ce) {
				return "", err
			}
			return "", &refError{name: name}
		}
		return v, nil
	})
	in.stack = in.stack[:len(in.stack)-1]
	delete(in.active, k)
	in.done[k] = result{text, err}
	// Declared options report their own errors; a [DEFAULT] variable only
	// gets resolved because something refers to it, so report it here.
	ce, re := (*cycleError)(nil), (*refError)(nil)
	if err != nil && r.decl == nil && !errors.As(err, &ce) && !errors.As(err, &re) {
		in.l.errs = append(in.l.errs, r.errorf("%v", err))
	}
	return text, err
}

// reference finds the raw value a $name in section refers to.
func (l *loader) reference(section, name string) (string, bool) {
	if group, option, ok := strings.Cut(name, "."); ok {
		if k, ok := l.known(normalizeSection(group), option); ok {
			return k, true
		}
		// oslo.config falls back to the whole name in [DEFAULT].
		return l.known(defaultSection, name)
	}
	if k, ok := l.known(section, name); ok {
		return k, true
	}
	return l.known(defaultSection, name)
}

// known resolves section.option to a raw key: a declared option (by any of
// its names) or a key present in the file.
func (l *loader) known(section, option string) (string, bool) {
	if s, ok := lookupSection(section); ok {
		if o, ok := s.Option(option); ok {
			return key(s.Name, o.Name), true
		}
	}
	k := key(section, option)
	_, ok := l.raw[k]
	return k, ok
}

// expand substitutes the references in s, calling lookup for each name.
func expand(s string, lookup func(name string) (string, error)) (string, error) {
	if !strings.ContainsRune(s, '$') {
		return s, nil
	}
	s = strings.ReplaceAll(s, `\$`, `$$`)
	var b strings.Builder
	for i := 0; i < len(s); {
		if s[i] != '$' {
			b.WriteByte(s[i])
			i++
			continue
		}
		rest := s[i+1:]
		name, width := "", 0
		switch {
		case strings.HasPrefix(rest, "$"):
			b.WriteByte('$')
			i += 2
			continue
		case identLen(rest) > 0:
			n := identLen(rest)
			name, width = rest[:n], 1+n
		case strings.HasPrefix(rest, "{"):
			n := identLen(rest[1:])
			if n > 0 && strings.HasPrefix(rest[1+n:], "}") {
				name, width = rest[1:1+n], 3+n
			}
		}
		if width == 0 {
			// Not a reference: keep the $ as it is.
			b.WriteByte('$')
			i++
			continue
		}
		v, err := lookup(name)
		if err != nil {
			return "", err
		}
		if b.Len()+len(v) > maxValueLen {
			return "", fmt.Errorf("value is longer than %d bytes after interpolation", maxValueLen)
		}
		b.WriteString(v)
		i += width
	}
	return b.String(), nil
}

// identLen is the length of the reference name at the start of s, 0 if
// there is none.
func identLen(s string) int {
	for i := 0; i < len(s); i++ {
		c := s[i]
		letter := c == '_' || ('a' <= c && c <= 'z') || ('A' <= c && c <= 'Z')
		if letter || (i > 0 && (c == '.' || ('0' <= c && c <= '9'))) {
			continue
		}
		return i
	}
	return len(s)
}

// escapeDollar returns INI text that interpolates back to s. A $ right
// after a backslash is written \$ (which the parser turns into $$, since
// "\$" is rewritten before substitution), any other $ as $$.
func escapeDollar(s string) string {
	if !strings.ContainsRune(s, '$') {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		switch {
		case s[i] != '$':
			b.WriteByte(s[i])
		case i > 0 && s[i-1] == '\\':
			b.WriteString(`\$`)
		default:
			b.WriteString("$$")
		}
	}
	return b.String()
}
