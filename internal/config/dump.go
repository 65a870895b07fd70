package config

import (
	"io"
	"strings"
)

// Dump writes the effective configuration as st2.conf: every section and
// every option, in the order of the sample config. With maskSecrets set,
// secrets are shown as ******** (see Value.Display).
//
// Unmasked output loads back to the same values, except for values that
// st2.conf syntax cannot hold: multi-line values whose continuation lines
// start or end with spaces or are blank.
func (c *Config) Dump(w io.Writer, maskSecrets bool) error {
	var b strings.Builder
	section := ""
	for _, v := range c.values {
		if v.Section != section {
			if section != "" {
				b.WriteByte('\n')
			}
			section = v.Section
			b.WriteString("[" + section + "]\n")
		}
		text := v.Display(maskSecrets)
		b.WriteString(v.Option.Name + " =")
		if text != "" {
			b.WriteString(" " + encodeValue(text))
		}
		b.WriteByte('\n')
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// encodeValue writes text so that the parser reads it back: $ escaped,
// the first line quoted when the parser would strip its spaces or quotes,
// further lines indented as continuation lines.
func encodeValue(text string) string {
	lines := strings.Split(escapeDollar(text), "\n")
	first := lines[0]
	if needsQuotes(first) {
		first = `"` + first + `"`
	}
	lines[0] = first
	return strings.Join(lines, "\n    ")
}

func needsQuotes(s string) bool {
	if s == "" {
		return false
	}
	if strings.TrimSpace(s) != s {
		return true
	}
	c := s[0]
	return (c == '"' || c == '\'') && s[len(s)-1] == c
}
