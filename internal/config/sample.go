package config

import "strings"

// SampleConfig renders conf/st2.conf.sample from the declarations: every
// section and option with its help and its default, commented out.
func SampleConfig() string {
	var b strings.Builder
	b.WriteString(`# st2.conf for st2go: every section and option st2go reads, with its default.
#
# Generated from internal/config/options.go; do not edit by hand. Regenerate
# with: go test ./internal/config -run TestSample -update
#
# st2go reads StackStorm's st2.conf as it is: same sections, options,
# defaults and syntax. Every option line below is commented out and shows the
# default; uncomment and change the ones you need. Any option can also be set
# with an environment variable ST2_<SECTION>__<OPTION>, for example
# ST2_API__PORT=9101, which wins over the file.
#
# Without a config file st2go runs on embedded defaults that need nothing
# installed: the same values, except [system] base_path, which becomes a
# per-user directory, and [content] system_packs_base_path, which follows it.
`)
	for _, s := range declarations {
		b.WriteString("\n")
		writeComment(&b, s.Help)
		if s.Legacy != "" {
			writeComment(&b, "Legacy: "+s.Legacy+".")
		}
		b.WriteString("[" + s.Name + "]\n")
		for _, o := range s.Options {
			b.WriteString("\n")
			writeComment(&b, o.Help)
			writeComment(&b, describe(&o))
			if o.Deprecated != "" {
				writeComment(&b, "Deprecated: "+o.Deprecated+".")
			}
			b.WriteString("#" + o.Name + " =")
			if o.Default != "" {
				b.WriteString(" " + o.Default)
			}
			b.WriteString("\n")
		}
	}
	return b.String()
}

// describe is the one-line summary of an option's type and constraints.
func describe(o *Option) string {
	parts := []string{"Type: " + o.Type.String()}
	if o.Range != nil {
		parts = append(parts, o.Range.String())
	}
	if len(o.Choices) > 0 {
		parts = append(parts, "one of "+strings.Join(o.Choices, ", "))
	}
	if o.Default == "" {
		switch o.Type {
		case TypeInt, TypeFloat, TypeBool:
			parts = append(parts, "unset by default")
		default:
			parts = append(parts, "empty by default")
		}
	}
	if o.Secret {
		parts = append(parts, "secret (masked when printed)")
	}
	if len(o.DeprecatedNames) > 0 {
		parts = append(parts, "deprecated name "+strings.Join(o.DeprecatedNames, ", "))
	}
	return strings.Join(parts, "; ") + "."
}

// writeComment writes text as "# " lines wrapped at 79 columns.
func writeComment(b *strings.Builder, text string) {
	const width = 79 - len("# ")
	line := ""
	for _, word := range strings.Fields(text) {
		if line != "" && len(line)+1+len(word) > width {
			b.WriteString("# " + line + "\n")
			line = ""
		}
		if line != "" {
			line += " "
		}
		line += word
	}
	if line != "" {
		b.WriteString("# " + line + "\n")
	}
}
