package memory_test

import (
	"testing"

	"github.com/st2go/st2go/internal/bus"
	"github.com/st2go/st2go/internal/bus/bustest"
	"github.com/st2go/st2go/internal/bus/memory"
)

func TestConformance(t *testing.T) {
	bustest.Run(t, func(t *testing.T) bus.Backend {
		b := memory.New()
		t.Cleanup(func() { b.Close() })
		return b
	})
}
