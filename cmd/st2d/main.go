// Command st2d is the st2go server: every StackStorm service in one binary.
package main

import (
	"os"

	"github.com/st2go/st2go/internal/app"
)

func main() {
	os.Exit(app.Main(os.Args[1:], os.Stdout, os.Stderr))
}
