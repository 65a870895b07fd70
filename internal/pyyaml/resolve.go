package pyyaml

import "regexp"

// Kind is the type PyYAML's implicit resolvers give a plain scalar.
type Kind int

// The kinds a plain scalar can resolve to.
const (
	Str Kind = iota
	Null
	Bool
	Int
	Float
	Timestamp
)

// PyYAML's YAML 1.1 implicit resolvers, by the type they resolve to.
var (
	nullRe  = regexp.MustCompile(`^(?:~|null|Null|NULL|)$`)
	boolRe  = regexp.MustCompile(`^(?:yes|Yes|YES|no|No|NO|true|True|TRUE|false|False|FALSE|on|On|ON|off|Off|OFF)$`)
	intRe   = regexp.MustCompile(`^(?:[-+]?0b[0-1_]+|[-+]?0[0-7_]+|[-+]?(?:0|[1-9][0-9_]*)|[-+]?0x[0-9a-fA-F_]+|[-+]?[1-9][0-9_]*(?::[0-5]?[0-9])+)$`)
	floatRe = regexp.MustCompile(`^(?:[-+]?(?:[0-9][0-9_]*)\.[0-9_]*(?:[eE][-+][0-9]+)?|\.[0-9][0-9_]*(?:[eE][-+][0-9]+)?|[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+\.[0-9_]*|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$`)
	timeRe  = regexp.MustCompile(`^(?:[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]|[0-9][0-9][0-9][0-9]-[0-9][0-9]?-[0-9][0-9]?(?:[Tt]|[ \t]+)[0-9][0-9]?:[0-9][0-9]:[0-9][0-9](?:\.[0-9]*)?(?:[ \t]*(?:Z|[-+][0-9][0-9]?(?::[0-9][0-9])?))?)$`)
)

// Resolve reports the type PyYAML's safe_load gives the plain (unquoted,
// untagged) scalar s.
func Resolve(s string) Kind {
	switch {
	case nullRe.MatchString(s):
		return Null
	case boolRe.MatchString(s):
		return Bool
	case intRe.MatchString(s):
		return Int
	case floatRe.MatchString(s):
		return Float
	case timeRe.MatchString(s):
		return Timestamp
	}
	return Str
}

// PlainIsString reports whether s, written plain, reads back as the
// string s under PyYAML's implicit resolvers.
func PlainIsString(s string) bool {
	return Resolve(s) == Str && s != "<<" && s != "="
}
