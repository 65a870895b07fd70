// Package yamlfile reads YAML files the way StackStorm's PyYAML safe_load
// does, with file:line errors.
//
// StackStorm reads packs, actions, rules and configs with PyYAML, which
// speaks YAML 1.1; go.yaml.in/yaml speaks YAML 1.2. This package parses
// with go.yaml.in/yaml and bridges the differences its callers meet:
//
//   - Parse reports a syntax error on the one-based line it is on, which
//     go.yaml.in/yaml gets wrong by one for its parser's problems, and
//     refuses a document whose aliases expand past MaxNodes values or
//     refer to the value they stand in (ErrTooLarge), so that no caller
//     builds an exponentially large or endless value;
//   - Entries expands merge keys (<<) as PyYAML does: keys written in the
//     mapping win over merged ones, an earlier mapping in a merge list wins
//     over a later one, and a repeated key keeps its first place and takes
//     its last value (merged keys are listed after the mapping's own, where
//     PyYAML's dict has them first);
//   - Scalar, Value, Bool and Number read the plain scalars yes, no, on and
//     off in any of PyYAML's spellings as booleans, and leave None (not a
//     null in YAML) a string.
//
// Other plain scalars get go.yaml.in/yaml's types, which differ from
// PyYAML's in rare spellings: 1e3 and 0o17 are numbers here and strings
// there, 1:30 is a string here and 90 there, and an integer too large for
// 64 bits is a float here. Package rules, whose criteria compare values
// exactly, builds its tree from Parse and Entries but types plain scalars
// by YAML 1.1's rules itself.
//
// It imports no other st2go package; any package that reads StackStorm
// YAML content may import it.
package yamlfile
