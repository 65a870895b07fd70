package actionrunner

import (
	"context"
	"encoding/json"
	"sync"

	"github.com/st2go/st2go/internal/bus"
	"github.com/st2go/st2go/internal/model"
	"github.com/st2go/st2go/internal/store"
)

// outputWriter stores and publishes an execution's output lines in the
// order they arrive, off the runner's goroutines: lines queue up and are
// written in batches, so a chatty action does not wait on the store.
type outputWriter struct {
	r      *Runner
	e      *model.Execution
	mu     sync.Mutex
	buf    []*store.OutputChunk
	wake   chan struct{}
	done   chan struct{}
	once   sync.Once
	closed bool // guarded by mu; no line is queued after close
}

func newOutputWriter(r *Runner, e *model.Execution) *outputWriter {
	w := &outputWriter{r: r, e: e, wake: make(chan struct{}, 1), done: make(chan struct{})}
	if r.opts.StreamOutput {
		go w.loop()
	} else {
		close(w.done)
	}
	return w
}

func (w *outputWriter) line(stream, data string) {
	if !w.r.opts.StreamOutput {
		return
	}
	c := &store.OutputChunk{
		ExecutionID: w.e.ID, ActionRef: w.e.Action.Ref, RunnerRef: w.e.Action.RunnerType,
		Timestamp: model.Now(), OutputType: stream, Data: data,
	}
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.closed {
		return
	}
	w.buf = append(w.buf, c)
	select {
	case w.wake <- struct{}{}:
	default:
	}
}

func (w *outputWriter) loop() {
	defer close(w.done)
	for {
		_, open := <-w.wake
		w.flush()
		if !open {
			return
		}
	}
}

func (w *outputWriter) flush() {
	w.mu.Lock()
	batch := w.buf
	w.buf = nil
	w.mu.Unlock()
	if len(batch) == 0 {
		return
	}
	ctx := context.Background()
	if err := w.r.opts.Store.Output().Append(ctx, batch...); err != nil {
		w.r.log.Error("storing action output", "execution", w.e.ID, "err", err)
	}
	for _, c := range batch {
		b, _ := json.Marshal(c)
		if err := w.r.opts.Bus.Publish(ctx, bus.ExchangeExecutionOutput, "create", b); err != nil {
			w.r.log.Error("publishing action output", "execution", w.e.ID, "err", err)
		}
	}
}

// close flushes what is left and waits until it is written, so the output
// is complete before the execution is marked finished.
func (w *outputWriter) close() {
	w.once.Do(func() {
		w.mu.Lock()
		w.closed = true
		w.mu.Unlock()
		if w.r.opts.StreamOutput {
			close(w.wake)
		}
	})
	<-w.done
}
