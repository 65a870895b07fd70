package embedded_test

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/st2go/st2go/internal/store"
	"github.com/st2go/st2go/internal/store/embedded"
	"github.com/st2go/st2go/internal/store/storetest"
)

func TestConformance(t *testing.T) {
	storetest.Run(t, func(t *testing.T) store.Backend {
		s, err := embedded.Open(t.Context(), filepath.Join(t.TempDir(), "st2.db"))
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { s.Close() })
		return s
	})
}

// TestPathWithURIChars opens a store whose path holds characters a file:
// URI gives meaning to; the database must land at exactly that path.
func TestPathWithURIChars(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "odd # dir ? 100%")
	path := filepath.Join(dir, "st2.db")
	s, err := embedded.Open(t.Context(), path)
	if err != nil {
		t.Fatal(err)
	}
	s.Close()
	if _, err := os.Stat(path); err != nil {
		t.Fatalf("database not at %s: %v", path, err)
	}
}
