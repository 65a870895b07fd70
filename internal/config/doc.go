// Package config models st2.conf, StackStorm's INI configuration file, for
// st2go: every section and option StackStorm declares (plus st2go's own
// [st2go] section), their defaults, loading from a file and from
// ST2_<GROUP>__<OPTION> environment variables, validation with file:line
// positions, masking of secrets when printing, and generation of
// conf/st2.conf.sample.
//
// The declaration table in options.go is the single source of truth. The
// typed Config struct (one struct per section, one field per option) is
// filled from it by field tags, and a test keeps the two in step.
//
// File syntax follows oslo.config, the library StackStorm uses, so an
// existing /etc/st2/st2.conf reads the same way:
//
//   - lines starting with # or ; are comments; there are no inline
//     comments ("a = b # c" sets a to "b # c");
//   - [section] headers; section names are case-insensitive except DEFAULT;
//     option names are case-sensitive;
//   - "key = value" and "key: value"; surrounding whitespace and one pair
//     of matching quotes around the value are removed;
//   - a line starting with a space or tab continues the previous value
//     (joined with a newline); a blank line or comment ends it;
//   - $name and ${name} refer to another option of the same section or of
//     [DEFAULT]; ${section.name} to an option of another section; $$ and \$
//     are a literal $. A reference to something undefined is an error;
//   - booleans accept true/false, yes/no, on/off and 1/0 in any case; lists
//     are comma separated with spaces around items removed.
//
// Values come from, in rising precedence: the built-in default, the file,
// the environment. Load reports problems the way an operator needs them:
// unknown sections and options are warnings naming file:line, bad values
// and syntax errors are errors naming file:line, and all of them are
// reported at once.
//
// With no config file, Default and Load("", env) give st2go's embedded
// defaults: StackStorm's, except that [system] base_path is a per-user
// directory so st2go runs for an ordinary user with nothing installed.
//
// Any package may import config; config imports only the standard library.
package config
