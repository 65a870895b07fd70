// Command st2 is the st2go command-line client, compatible with
// StackStorm's st2 CLI. It talks to the API over HTTP only.
package main

import "github.com/st2go/st2go/internal/cli"

func main() { cli.Main() }
