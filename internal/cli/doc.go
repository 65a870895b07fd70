// Package cli implements the st2 command-line client: the same commands,
// flags, environment variables (ST2_BASE_URL, ST2_AUTH_TOKEN, ...),
// ~/.st2/config file and output formats as StackStorm's Python st2 CLI,
// over HTTP through internal/client.
//
// The entry point is [Run], which takes the arguments, environment and
// standard streams and returns the exit code, so tests drive the whole CLI
// in-process against a fake API. What the CLI prints reproduces Python's
// renderings (prettytable tables, PyYAML and json.dumps output, Python's
// str() of values) so scripts written against the official client keep
// working.
//
// Only cmd/st2 imports this package. It must never import a server
// package: of this module it depends on internal/client, internal/model
// and internal/pyfmt (which renders values as Python does) only, plus
// go.yaml.in/yaml/v3 to read the files of "key load", "apikey load" and
// the create/update commands (rule, trigger, rule-enforcement).
package cli
