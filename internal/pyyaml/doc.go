// Package pyyaml reproduces the parts of PyYAML that StackStorm's output
// depends on: the YAML 1.1 implicit resolvers that decide what type a plain
// scalar reads back as, and the block-style safe_dump emitter, so that the
// st2 CLI and the to_yaml expression filters print byte for byte what
// StackStorm prints.
package pyyaml
