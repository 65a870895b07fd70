// Package bustest is the conformance suite every bus backend must pass.
package bustest

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/st2go/st2go/internal/bus"
)

// Run runs the suite against fresh backends made by newBackend.
func Run(t *testing.T, newBackend func(t *testing.T) bus.Backend) {
	t.Run("WorkQueueFIFO", func(t *testing.T) { testFIFO(t, newBackend(t)) })
	t.Run("FanOut", func(t *testing.T) { testFanOut(t, newBackend(t)) })
	t.Run("Competing", func(t *testing.T) { testCompeting(t, newBackend(t)) })
	t.Run("Redelivery", func(t *testing.T) { testRedelivery(t, newBackend(t)) })
	t.Run("RoutingKeys", func(t *testing.T) { testRouting(t, newBackend(t)) })
	t.Run("SeveralExchanges", func(t *testing.T) { testSeveralExchanges(t, newBackend(t)) })
}

func receive(t *testing.T, c bus.Consumer) bus.Delivery {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	d, err := c.Receive(ctx)
	if err != nil {
		t.Fatalf("receive: %v", err)
	}
	return d
}

func consume(t *testing.T, b bus.Backend, q bus.QueueSpec) bus.Consumer {
	t.Helper()
	c, err := b.Consume(t.Context(), q)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	return c
}

func testFIFO(t *testing.T, b bus.Backend) {
	c := consume(t, b, bus.Bind("t.fifo", "t.ex", "k"))
	for i := range 100 {
		if err := b.Publish(t.Context(), "t.ex", "k", []byte(fmt.Sprint(i))); err != nil {
			t.Fatal(err)
		}
	}
	for i := range 100 {
		d := receive(t, c)
		if string(d.Body()) != fmt.Sprint(i) {
			t.Fatalf("message %d: got %s", i, d.Body())
		}
		d.Ack()
	}
}

func testFanOut(t *testing.T, b bus.Backend) {
	a := consume(t, b, bus.Bind("", "t.ex", "#"))
	c := consume(t, b, bus.Bind("", "t.ex", "#"))
	b.Publish(t.Context(), "t.ex", "update", []byte("x"))
	for _, cons := range []bus.Consumer{a, c} {
		if d := receive(t, cons); string(d.Body()) != "x" || d.RoutingKey() != "update" {
			t.Fatalf("fan-out got %q %q", d.Body(), d.RoutingKey())
		}
	}
}

func testCompeting(t *testing.T, b bus.Backend) {
	a := consume(t, b, bus.Bind("t.work", "t.ex", "k"))
	c := consume(t, b, bus.Bind("t.work", "t.ex", "k"))
	const n = 50
	for i := range n {
		b.Publish(t.Context(), "t.ex", "k", []byte(fmt.Sprint(i)))
	}
	got := map[string]int{}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	results := make(chan string)
	for _, cons := range []bus.Consumer{a, c} {
		go func() {
			for {
				d, err := cons.Receive(ctx)
				if err != nil {
					return
				}
				d.Ack()
				results <- string(d.Body())
			}
		}()
	}
	for range n {
		select {
		case s := <-results:
			got[s]++
		case <-ctx.Done():
			t.Fatalf("only %d of %d messages arrived", len(got), n)
		}
	}
	for k, v := range got {
		if v != 1 {
			t.Fatalf("message %s delivered %d times", k, v)
		}
	}
}

func testRedelivery(t *testing.T, b bus.Backend) {
	c := consume(t, b, bus.Bind("t.redo", "t.ex", "k"))
	b.Publish(t.Context(), "t.ex", "k", []byte("m"))
	d := receive(t, c)
	d.Nack(true)
	d = receive(t, c)
	if string(d.Body()) != "m" {
		t.Fatal("nacked message not redelivered")
	}
	// Not acked, then the consumer goes away: the next consumer gets it.
	c.Close()
	c2 := consume(t, b, bus.Bind("t.redo", "t.ex", "k"))
	if d := receive(t, c2); string(d.Body()) != "m" {
		t.Fatal("unacked message lost on close")
	}
	if _, err := c.Receive(t.Context()); !errors.Is(err, bus.ErrClosed) {
		t.Fatalf("receive on closed consumer: %v", err)
	}
}

func testRouting(t *testing.T, b bus.Backend) {
	c := consume(t, b, bus.Bind("t.route", "t.ex", "requested"))
	b.Publish(t.Context(), "t.ex", "scheduled", []byte("no"))
	b.Publish(t.Context(), "t.other", "requested", []byte("no"))
	b.Publish(t.Context(), "t.ex", "requested", []byte("yes"))
	if d := receive(t, c); string(d.Body()) != "yes" {
		t.Fatalf("routing: got %s", d.Body())
	}
}

func testSeveralExchanges(t *testing.T, b bus.Backend) {
	c := consume(t, b, bus.QueueSpec{Bindings: []bus.Binding{
		{Exchange: "t.a", Keys: []string{"#"}}, {Exchange: "t.b", Keys: []string{"#"}},
	}})
	b.Publish(t.Context(), "t.a", "x", []byte("1"))
	b.Publish(t.Context(), "t.b", "y", []byte("2"))
	b.Publish(t.Context(), "t.a", "z", []byte("3"))
	for _, want := range []string{"1", "2", "3"} {
		if d := receive(t, c); string(d.Body()) != want {
			t.Fatalf("got %s, want %s (publish order across exchanges)", d.Body(), want)
		}
	}
}
