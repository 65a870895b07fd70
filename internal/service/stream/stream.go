// Package stream is st2go's st2stream: server-sent events of everything
// that changes (executions, liveactions, action output), with StackStorm's
// event names (<exchange>__<routing key>, e.g. st2.execution__update), its
// query filters and periodic heartbeats, plus the live output of one
// execution.
//
// One bus consumer per exchange feeds an in-process hub; every client gets
// its own bounded queue, and a client that falls too far behind is
// disconnected rather than slowing anyone else down.
package stream

import (
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/st2go/st2go/internal/bus"
	"github.com/st2go/st2go/internal/model"
	"github.com/st2go/st2go/internal/store"
)

// Options configure the stream service.
type Options struct {
	Bus       bus.Backend
	Store     store.Backend
	Heartbeat time.Duration // [stream] heartbeat
	Logger    *slog.Logger
}

// Stream is the SSE service. It is an http.Handler for the routes
// "/stream" and "/executions/{id}/output" (without prefix).
type Stream struct {
	opts Options
	log  *slog.Logger
	mux  *http.ServeMux

	mu   sync.Mutex
	subs map[*subscriber]struct{}
}

// event is one message from the bus, ready to send.
type event struct {
	name string // st2.execution__update
	data []byte
	// executionID is the execution the event is about, for filters.
	executionID string
	status      model.Status
	actionRef   string
	// seq is an output chunk's id (0 for other events).
	seq int64
}

type subscriber struct {
	ch   chan event
	gone chan struct{}
	once sync.Once
}

func (s *subscriber) drop() { s.once.Do(func() { close(s.gone) }) }

// streamed lists the exchanges the stream relays.
var streamed = []string{bus.ExchangeExecution, bus.ExchangeLiveAction, bus.ExchangeExecutionOutput}

// New returns the stream service.
func New(opts Options) *Stream {
	if opts.Heartbeat <= 0 {
		opts.Heartbeat = 25 * time.Second
	}
	l := opts.Logger
	if l == nil {
		l = slog.New(slog.DiscardHandler)
	}
	s := &Stream{opts: opts, log: l.With("component", "stream"), mux: http.NewServeMux(), subs: map[*subscriber]struct{}{}}
	s.mux.HandleFunc(routeStream, s.serveStream)
	s.mux.HandleFunc(routeOutput, s.serveOutput)
	return s
}

const (
	routeStream = "GET /stream"
	routeOutput = "GET /executions/{id}/output"
)

// Routes returns the route patterns the stream serves.
func (s *Stream) Routes() []string { return []string{routeStream, routeOutput} }

// ServeHTTP serves the stream routes (trailing slash ignored).
func (s *Stream) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if len(r.URL.Path) > 1 && strings.HasSuffix(r.URL.Path, "/") {
		r2 := r.Clone(r.Context())
		r2.URL.Path = strings.TrimRight(r.URL.Path, "/")
		r = r2
	}
	s.mux.ServeHTTP(w, r)
}

// Run relays bus messages to subscribers until ctx ends.
func (s *Stream) Run(ctx context.Context) error {
	spec := bus.QueueSpec{}
	for _, ex := range streamed {
		spec.Bindings = append(spec.Bindings, bus.Binding{Exchange: ex, Keys: []string{"#"}})
	}
	// One queue for every exchange keeps events in publish order: an
	// execution's last output line always comes before its final update.
	c, err := s.opts.Bus.Consume(ctx, spec)
	if err != nil {
		return fmt.Errorf("subscribing to the bus: %w", err)
	}
	defer c.Close()
	for {
		d, err := c.Receive(ctx)
		if err != nil {
			break
		}
		s.publish(toEvent(d.Exchange(), d.RoutingKey(), d.Body()))
		d.Ack()
	}
	s.mu.Lock()
	for sub := range s.subs {
		sub.drop()
	}
	s.mu.Unlock()
	return nil
}

func toEvent(exchange, key string, body []byte) event {
	ev := event{name: exchange + "__" + key, data: body}
	var probe struct {
		ID          any             `json:"id"`
		ExecutionID string          `json:"execution_id"`
		Status      model.Status    `json:"status"`
		ActionRef   string          `json:"action_ref"`
		Action      json.RawMessage `json:"action"`
	}
	_ = json.Unmarshal(body, &probe)
	ev.status, ev.actionRef = probe.Status, probe.ActionRef
	id, _ := probe.ID.(string)
	ev.executionID = id
	if exchange == bus.ExchangeExecutionOutput {
		ev.executionID = probe.ExecutionID
		ev.seq, _ = strconv.ParseInt(id, 10, 64)
	}
	if len(probe.Action) > 0 {
		var ref struct {
			Ref string `json:"ref"`
		}
		if json.Unmarshal(probe.Action, &ref) == nil && ref.Ref != "" {
			ev.actionRef = ref.Ref
		} else {
			var s string
			if json.Unmarshal(probe.Action, &s) == nil {
				ev.actionRef = s
			}
		}
	}
	return ev
}

func (s *Stream) publish(ev event) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for sub := range s.subs {
		select {
		case sub.ch <- ev:
		default:
			s.log.Warn("dropping a stream client that fell behind")
			sub.drop()
			delete(s.subs, sub)
		}
	}
}

func (s *Stream) subscribe() *subscriber {
	sub := &subscriber{ch: make(chan event, 4096), gone: make(chan struct{})}
	s.mu.Lock()
	s.subs[sub] = struct{}{}
	s.mu.Unlock()
	return sub
}

func (s *Stream) unsubscribe(sub *subscriber) {
	s.mu.Lock()
	delete(s.subs, sub)
	s.mu.Unlock()
	sub.drop()
}

// filter is what a client asked to see.
type filter struct {
	events       map[string]bool
	executionIDs map[string]bool
	actionRefs   map[string]bool
	endEvent     string
	endExecution string
}

func setOf(vals []string) map[string]bool {
	var m map[string]bool
	for _, v := range vals {
		for _, x := range strings.Split(v, ",") {
			if x = strings.TrimSpace(x); x != "" {
				if m == nil {
					m = map[string]bool{}
				}
				m[x] = true
			}
		}
	}
	return m
}

func (f filter) match(ev event) bool {
	if f.events != nil && !f.events[ev.name] {
		return false
	}
	if f.executionIDs != nil && !f.executionIDs[ev.executionID] {
		return false
	}
	if f.actionRefs != nil && !f.actionRefs[ev.actionRef] {
		return false
	}
	return true
}

// ends reports whether ev is the end event the client asked to stop after.
func (f filter) ends(ev event) bool {
	return f.endEvent != "" && f.endExecution != "" && ev.name == f.endEvent &&
		ev.executionID == f.endExecution && ev.status.Completed()
}

func sseHeaders(w http.ResponseWriter) (http.Flusher, bool) {
	fl, ok := w.(http.Flusher)
	if !ok {
		http.Error(w, `{"faultstring": "streaming unsupported"}`, http.StatusInternalServerError)
		return nil, false
	}
	w.Header().Set("Content-Type", "text/event-stream; charset=UTF-8")
	w.Header().Set("Cache-Control", "no-cache")
	w.Header().Set("X-Accel-Buffering", "no")
	w.WriteHeader(http.StatusOK)
	fl.Flush()
	return fl, true
}

func writeEvent(w http.ResponseWriter, name string, data []byte) error {
	_, err := fmt.Fprintf(w, "event: %s\ndata: %s\n\n", name, data)
	return err
}

func (s *Stream) serveStream(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	f := filter{
		events: setOf(q["events"]), executionIDs: setOf(q["execution_ids"]), actionRefs: setOf(q["action_refs"]),
		endEvent: q.Get("end_event"), endExecution: q.Get("end_execution_id"),
	}
	sub := s.subscribe()
	defer s.unsubscribe(sub)
	fl, ok := sseHeaders(w)
	if !ok {
		return
	}
	// A client following one execution first gets the output it already
	// produced, so `st2 execution tail` shows every line, not only the
	// ones after it connected. If that execution has already ended (its
	// output is then complete in the store), the client would wait forever
	// for the end: send the output and the end at once.
	if f.endExecution != "" && s.opts.Store != nil {
		if e, err := s.opts.Store.Executions().Get(r.Context(), f.endExecution); err == nil && e.Status.Completed() {
			b, _ := json.Marshal(e)
			ev := event{name: bus.ExchangeExecution + "__update", data: b, executionID: e.ID, status: e.Status}
			if f.match(ev) && f.ends(ev) {
				s.replayOutput(r.Context(), w, f)
				writeEvent(w, ev.name, ev.data)
				fl.Flush()
				return
			}
		}
	}
	replayed := s.replayOutput(r.Context(), w, f)
	fl.Flush()
	s.pump(r.Context(), w, fl, sub, func(ev event) (bool, error) {
		if !f.match(ev) || (ev.seq != 0 && ev.executionID == f.endExecution && ev.seq <= replayed) {
			return false, nil
		}
		if err := writeEvent(w, ev.name, ev.data); err != nil {
			return true, err
		}
		return f.ends(ev), nil
	})
}

// pump hands the subscriber's events to handle, and writes a heartbeat
// every [stream] heartbeat seconds, until handle says stop, a write
// fails, the client goes away or the stream shuts down.
func (s *Stream) pump(ctx context.Context, w http.ResponseWriter, fl http.Flusher, sub *subscriber, handle func(event) (stop bool, err error)) {
	hb := time.NewTicker(s.opts.Heartbeat)
	defer hb.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-sub.gone:
			return
		case <-hb.C:
			if _, err := w.Write([]byte("\n")); err != nil {
				return
			}
			fl.Flush()
		case ev := <-sub.ch:
			stop, err := handle(ev)
			if err != nil {
				return
			}
			fl.Flush()
			if stop {
				return
			}
		}
	}
}

// replayOutput writes the stored output chunks of the execution a client
// follows (end_execution_id) when it asked for output events, and returns
// the last chunk id written.
func (s *Stream) replayOutput(ctx context.Context, w http.ResponseWriter, f filter) int64 {
	name := bus.ExchangeExecutionOutput + "__create"
	if f.endExecution == "" || s.opts.Store == nil || (f.events != nil && !f.events[name]) {
		return 0
	}
	chunks, err := s.opts.Store.Output().List(ctx, f.endExecution, "")
	if err != nil {
		return 0
	}
	var last int64
	for _, c := range chunks {
		b, _ := json.Marshal(c)
		ev := event{name: name, data: b, executionID: c.ExecutionID, actionRef: c.ActionRef, seq: c.ID}
		if f.match(ev) {
			writeEvent(w, ev.name, ev.data)
		}
		last = c.ID
	}
	return last
}
