package app_test

import (
	"os"
	"strings"
	"testing"

	"github.com/st2go/st2go/internal/app"
)

func writeFile(path string) error { return os.WriteFile(path, []byte("x"), 0o600) }

func runST2D(t *testing.T, args ...string) (int, string) {
	t.Helper()
	var out strings.Builder
	code := app.Main(args, &out, &out)
	return code, out.String()
}
