package stream

import (
	"encoding/json"
	"net/http"

	"github.com/st2go/st2go/internal/bus"
)

// serveOutput streams one execution's output: what is stored so far, then
// new lines as they come, until the execution ends.
func (s *Stream) serveOutput(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("id")
	outputType := r.URL.Query().Get("output_type")
	e, err := s.opts.Store.Executions().Get(r.Context(), id)
	if err != nil {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusNotFound)
		b, _ := json.Marshal(map[string]string{"faultstring": "Resource with a id \"" + id + "\" not found"})
		w.Write(b)
		return
	}
	// Subscribe before reading what is stored, so no line falls in between.
	sub := s.subscribe()
	defer s.unsubscribe(sub)
	fl, ok := sseHeaders(w)
	if !ok {
		return
	}
	var last int64
	chunks, _ := s.opts.Store.Output().List(r.Context(), id, outputType)
	for _, c := range chunks {
		b, _ := json.Marshal(c)
		writeEvent(w, bus.ExchangeExecutionOutput+"__create", b)
		last = c.ID
	}
	fl.Flush()
	if e.Status.Completed() {
		writeEvent(w, "EOF", []byte(`""`))
		fl.Flush()
		return
	}
	s.pump(r.Context(), w, fl, sub, func(ev event) (bool, error) {
		if ev.executionID != id {
			return false, nil
		}
		switch ev.name {
		case bus.ExchangeExecutionOutput + "__create":
			if ev.seq <= last {
				return false, nil // already sent from the store
			}
			var c struct {
				OutputType string `json:"output_type"`
			}
			json.Unmarshal(ev.data, &c)
			if outputType != "" && outputType != "all" && c.OutputType != outputType {
				return false, nil
			}
			return false, writeEvent(w, ev.name, ev.data)
		case bus.ExchangeExecution + "__update":
			if ev.status.Completed() {
				return true, writeEvent(w, "EOF", []byte(`""`))
			}
		}
		return false, nil
	})
}
