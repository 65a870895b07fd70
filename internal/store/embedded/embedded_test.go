package embedded_test

import (
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
