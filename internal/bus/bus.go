// Package bus defines how st2go's services tell each other to look at the
// store: topic exchanges, queues bound to them, and deliveries that are
// acknowledged once handled.
//
// Guarantees every backend gives (checked by bustest):
//   - At least once: a delivery that is not acked (consumer closed, Nack
//     with requeue) is delivered again. Consumers must be idempotent; the
//     store, not the message, is the truth.
//   - A named queue is a work queue: consumers of the same name compete and
//     each message goes to one of them. Every queue bound to an exchange
//     gets its own copy (fan-out). An unnamed queue is exclusive to its
//     consumer and disappears with it.
//   - Per-queue FIFO for a single consumer.
//   - Publish never blocks on a slow consumer in the memory backend; queues
//     grow instead. (RabbitMQ applies its own flow control.)
//
// Exchange and queue names mirror StackStorm's (st2.liveaction.status,
// st2.actionrunner.work, ...). The package imports nothing from st2go.
package bus

import (
	"context"
	"errors"
	"strings"
	"sync"
)

// Exchanges, as StackStorm names them.
const (
	ExchangeLiveActionStatus = "st2.liveaction.status" // routing key: the new status
	ExchangeLiveAction       = "st2.liveaction"        // create/update/delete
	ExchangeExecution        = "st2.execution"         // create/update/delete
	ExchangeExecutionOutput  = "st2.execution.output"  // create
	// ExchangeTriggerDispatch carries trigger instances to the rules
	// engine (routing key "trigger_instance", body {trigger, payload, trace_context}).
	ExchangeTriggerDispatch = "st2.trigger_instances_dispatch"
)

// Work queues, as StackStorm names them.
const (
	QueueSchedulerRequests = "st2.actionrunner.req"
	QueueRunnerWork        = "st2.actionrunner.work"
	QueueRunnerCancel      = "st2.actionrunner.cancel"
)

// ErrClosed is returned by operations on a closed backend or consumer.
var ErrClosed = errors.New("bus closed")

// QueueSpec says which queue to consume and how it is bound.
type QueueSpec struct {
	// Name is the queue's name; "" makes an exclusive, auto-deleted queue.
	Name     string
	Bindings []Binding
}

// Binding routes messages of an exchange whose routing key matches one of
// Keys (AMQP topic syntax: * one word, # any) into a queue. A queue bound
// to several exchanges receives their messages in publish order.
type Binding struct {
	Exchange string
	Keys     []string
}

// Bind is a shorthand for a one-binding QueueSpec.
func Bind(name, exchange string, keys ...string) QueueSpec {
	return QueueSpec{Name: name, Bindings: []Binding{{Exchange: exchange, Keys: keys}}}
}

// Delivery is one message handed to a consumer.
type Delivery interface {
	Body() []byte
	Exchange() string
	RoutingKey() string
	Ack() error
	Nack(requeue bool) error
}

// Consumer receives deliveries from one queue.
type Consumer interface {
	// Receive blocks until a delivery arrives, ctx ends or the consumer closes.
	Receive(ctx context.Context) (Delivery, error)
	// Close stops consuming; unacked deliveries are requeued.
	Close() error
}

// Backend is a message bus.
type Backend interface {
	Publish(ctx context.Context, exchange, routingKey string, body []byte) error
	Consume(ctx context.Context, q QueueSpec) (Consumer, error)
	Close() error
}

// MatchTopic reports whether routing key matches an AMQP topic pattern.
func MatchTopic(pattern, key string) bool {
	return matchWords(strings.Split(pattern, "."), strings.Split(key, "."))
}

func matchWords(p, k []string) bool {
	for len(p) > 0 {
		switch p[0] {
		case "#":
			if len(p) == 1 {
				return true
			}
			for i := 0; i <= len(k); i++ {
				if matchWords(p[1:], k[i:]) {
					return true
				}
			}
			return false
		case "*":
			if len(k) == 0 {
				return false
			}
		default:
			if len(k) == 0 || p[0] != k[0] {
				return false
			}
		}
		p, k = p[1:], k[1:]
	}
	return len(k) == 0
}

// Declare makes sure the queues exist and are bound, without consuming
// from them (StackStorm's st2-bootstrap-rmq), so messages published before
// their consumers start wait in the queue.
func Declare(ctx context.Context, b Backend, specs ...QueueSpec) error {
	for _, s := range specs {
		if s.Name == "" {
			return errors.New("declaring a queue: a declared queue needs a name")
		}
		c, err := b.Consume(ctx, s)
		if err != nil {
			return err
		}
		if err := c.Close(); err != nil {
			return err
		}
	}
	return nil
}

// Serve consumes queue q with the given number of workers, passes each
// delivery's body to handle and acks it afterwards, until ctx ends. It
// returns once every worker has stopped.
func Serve(ctx context.Context, b Backend, q QueueSpec, workers int, handle func(ctx context.Context, body []byte)) error {
	c, err := b.Consume(ctx, q)
	if err != nil {
		return err
	}
	defer c.Close()
	var wg sync.WaitGroup
	for range max(workers, 1) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				d, err := c.Receive(ctx)
				if err != nil {
					return
				}
				handle(ctx, d.Body())
				d.Ack()
			}
		}()
	}
	wg.Wait()
	return nil
}
