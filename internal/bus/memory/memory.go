// Package memory is the in-process bus backend st2go uses on its embedded
// defaults. It meets the guarantees of package bus within one process;
// nothing survives a restart (the services re-read their work from the
// store on start).
package memory

import (
	"context"
	"sync"

	"github.com/st2go/st2go/internal/bus"
)

// Bus is the in-memory backend.
type Bus struct {
	mu       sync.Mutex
	closed   bool
	queues   map[string]*queue // named queues
	bindings map[string][]binding
	done     chan struct{}
}

var _ bus.Backend = (*Bus)(nil)

type binding struct {
	pattern string
	q       *queue
}

type message struct {
	exchange string
	key      string
	body     []byte
}

type queue struct {
	name      string
	mu        sync.Mutex
	items     []message
	ready     chan struct{}
	consumers int
}

// New returns an empty bus.
func New() *Bus {
	return &Bus{queues: map[string]*queue{}, bindings: map[string][]binding{}, done: make(chan struct{})}
}

func (q *queue) push(m message, front bool) {
	q.mu.Lock()
	if front {
		q.items = append([]message{m}, q.items...)
	} else {
		q.items = append(q.items, m)
	}
	q.mu.Unlock()
	q.signal()
}

func (q *queue) signal() {
	select {
	case q.ready <- struct{}{}:
	default:
	}
}

func (q *queue) pop() (message, bool) {
	q.mu.Lock()
	defer q.mu.Unlock()
	if len(q.items) == 0 {
		return message{}, false
	}
	m := q.items[0]
	q.items[0] = message{}
	q.items = q.items[1:]
	if len(q.items) > 0 {
		q.signal()
	}
	return m, true
}

// Publish copies the message into every queue bound to the exchange with a matching key.
func (b *Bus) Publish(_ context.Context, exchange, key string, body []byte) error {
	b.mu.Lock()
	if b.closed {
		b.mu.Unlock()
		return bus.ErrClosed
	}
	var targets []*queue
	seen := map[*queue]bool{}
	for _, bd := range b.bindings[exchange] {
		if !seen[bd.q] && bus.MatchTopic(bd.pattern, key) {
			seen[bd.q] = true
			targets = append(targets, bd.q)
		}
	}
	b.mu.Unlock()
	for _, q := range targets {
		q.push(message{exchange: exchange, key: key, body: body}, false)
	}
	return nil
}

// Consume declares (if needed) and binds the queue, and returns a consumer.
func (b *Bus) Consume(_ context.Context, spec bus.QueueSpec) (bus.Consumer, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.closed {
		return nil, bus.ErrClosed
	}
	q := b.queues[spec.Name]
	if q == nil || spec.Name == "" {
		q = &queue{name: spec.Name, ready: make(chan struct{}, 1)}
		if spec.Name != "" {
			b.queues[spec.Name] = q
		}
	}
	for _, bd := range spec.Bindings {
		for _, k := range bd.Keys {
			if !b.bound(bd.Exchange, k, q) {
				b.bindings[bd.Exchange] = append(b.bindings[bd.Exchange], binding{pattern: k, q: q})
			}
		}
	}
	q.consumers++
	return &consumer{b: b, q: q, unacked: map[*delivery]bool{}, closed: make(chan struct{})}, nil
}

func (b *Bus) bound(exchange, pattern string, q *queue) bool {
	for _, bd := range b.bindings[exchange] {
		if bd.q == q && bd.pattern == pattern {
			return true
		}
	}
	return false
}

// Close stops the bus; blocked receivers return ErrClosed.
func (b *Bus) Close() error {
	b.mu.Lock()
	defer b.mu.Unlock()
	if !b.closed {
		b.closed = true
		close(b.done)
	}
	return nil
}

func (b *Bus) unbind(q *queue) {
	b.mu.Lock()
	defer b.mu.Unlock()
	for ex, bds := range b.bindings {
		kept := bds[:0]
		for _, bd := range bds {
			if bd.q != q {
				kept = append(kept, bd)
			}
		}
		b.bindings[ex] = kept
	}
}

type consumer struct {
	b         *Bus
	q         *queue
	mu        sync.Mutex
	unacked   map[*delivery]bool
	closeOnce sync.Once
	closed    chan struct{}
}

func (c *consumer) Receive(ctx context.Context) (bus.Delivery, error) {
	for {
		if m, ok := c.q.pop(); ok {
			d := &delivery{c: c, m: m}
			c.mu.Lock()
			c.unacked[d] = true
			c.mu.Unlock()
			return d, nil
		}
		select {
		case <-c.q.ready:
		case <-ctx.Done():
			return nil, ctx.Err()
		case <-c.closed:
			return nil, bus.ErrClosed
		case <-c.b.done:
			return nil, bus.ErrClosed
		}
	}
}

func (c *consumer) Close() error {
	c.closeOnce.Do(func() {
		close(c.closed)
		c.mu.Lock()
		pending := c.unacked
		c.unacked = map[*delivery]bool{}
		c.mu.Unlock()
		for d := range pending {
			c.q.push(d.m, true)
		}
		c.b.mu.Lock()
		c.q.consumers--
		last := c.q.consumers == 0 && c.q.name == ""
		c.b.mu.Unlock()
		if last {
			c.b.unbind(c.q)
		}
		c.q.signal()
	})
	return nil
}

type delivery struct {
	c    *consumer
	m    message
	once sync.Once
}

func (d *delivery) Body() []byte       { return d.m.body }
func (d *delivery) RoutingKey() string { return d.m.key }
func (d *delivery) Exchange() string   { return d.m.exchange }

func (d *delivery) settle() bool {
	d.c.mu.Lock()
	defer d.c.mu.Unlock()
	if !d.c.unacked[d] {
		return false
	}
	delete(d.c.unacked, d)
	return true
}

func (d *delivery) Ack() error {
	d.settle()
	return nil
}

func (d *delivery) Nack(requeue bool) error {
	if d.settle() && requeue {
		d.c.q.push(d.m, true)
	}
	return nil
}
