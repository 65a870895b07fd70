// Package packs holds the built-in packs as data: core (the system actions
// every StackStorm install has) and default (the empty pack that content
// created through the API without a pack lands in).
//
// The server copies these into the system packs directory at start (see
// pack.InstallBuiltin); nothing reads them in place. Any package may import
// this one.
package packs

import "embed"

// FS holds the directories core/ and default/, each a complete pack.
//
//go:embed all:core all:default
var FS embed.FS
