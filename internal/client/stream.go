package client

import (
	"bufio"
	"context"
	"encoding/base64"
	"fmt"
	"io"
	"net/http"
	"strings"
)

// Event is one server-sent event.
type Event struct {
	// Name is the "event:" field, e.g. "st2.execution__update".
	Name string
	// Data is the "data:" field (several data lines joined with "\n").
	Data string
	ID   string
}

// EventStream reads events from an open stream. Close it when done.
type EventStream struct {
	body io.ReadCloser
	r    *bufio.Reader
	url  string
}

// URL returns the stream's URL (with its query, token included), or "" for
// a stream made with [NewEventStream].
func (s *EventStream) URL() string { return s.url }

// Listen opens GET <stream url>/stream with the given query. The auth token
// or API key goes into the query string (x-auth-token / st2-api-key), not
// a header, as StackStorm's stream expects; callers pass the other
// parameters (end_event, end_execution_id, events) in q.
func (c *Client) Listen(ctx context.Context, q Query) (*EventStream, error) {
	var full Query
	if c.cfg.Token != "" {
		full.Add("x-auth-token", c.cfg.Token)
	}
	if c.cfg.APIKey != "" {
		full.Add("st2-api-key", c.cfg.APIKey)
	}
	full = append(full, q...)
	u := c.URL(Stream, "/stream", full)
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
	if err != nil {
		return nil, fmt.Errorf("building stream request: %w", err)
	}
	req.Header.Set("User-Agent", c.cfg.UserAgent)
	req.Header.Set("Accept", "text/event-stream")
	if c.cfg.BasicAuth != "" {
		req.Header.Set("Authorization", "Basic "+base64.StdEncoding.EncodeToString([]byte(c.cfg.BasicAuth)))
	}
	resp, err := c.http.Do(req)
	if err != nil {
		if ctx.Err() != nil {
			return nil, ctx.Err()
		}
		return nil, &ConnectionError{URL: u, Err: err}
	}
	if resp.StatusCode >= 400 {
		data, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		return nil, newAPIError(resp, data, u)
	}
	return &EventStream{body: resp.Body, r: bufio.NewReader(resp.Body), url: u}, nil
}

// NewEventStream reads events from r (for tests and other transports).
func NewEventStream(r io.ReadCloser) *EventStream {
	return &EventStream{body: r, r: bufio.NewReader(r)}
}

// Next returns the next event that carries data. Comment lines
// (heartbeats) and events without data are skipped. When the server ends
// the stream it returns io.EOF; when the connection breaks, the read error
// (io.ErrUnexpectedEOF for a chunked body cut short).
func (s *EventStream) Next() (Event, error) {
	var ev Event
	var data []string
	hasData := false
	for {
		line, err := s.r.ReadString('\n')
		if err != nil && line == "" {
			if err == io.EOF && hasData {
				ev.Data = strings.Join(data, "\n")
				return ev, nil
			}
			return Event{}, err
		}
		line = strings.TrimRight(line, "\r\n")
		if line == "" {
			if hasData && strings.Join(data, "\n") != "" {
				ev.Data = strings.Join(data, "\n")
				return ev, nil
			}
			ev, data, hasData = Event{}, nil, false
			continue
		}
		if strings.HasPrefix(line, ":") {
			continue
		}
		field, value, _ := strings.Cut(line, ":")
		value = strings.TrimPrefix(value, " ")
		switch field {
		case "event":
			ev.Name = value
		case "data":
			data = append(data, value)
			hasData = true
		case "id":
			ev.ID = value
		}
	}
}

// Close closes the underlying connection.
func (s *EventStream) Close() error { return s.body.Close() }
