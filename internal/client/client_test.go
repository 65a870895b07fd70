package client

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

func TestDefaultEndpoints(t *testing.T) {
	got := DefaultEndpoints("", "")
	want := Endpoints{Base: "http://127.0.0.1", API: "http://127.0.0.1:9101/v1", Auth: "http://127.0.0.1:9100", Stream: "http://127.0.0.1:9102/v1"}
	if got != want {
		t.Errorf("got %+v", got)
	}
	if got := DefaultEndpoints("https://st2.example", "v2").API; got != "https://st2.example:9101/v2" {
		t.Errorf("api %s", got)
	}
}

func TestQueryEncodeKeepsOrder(t *testing.T) {
	q := Query{{"limit", "50"}, {"parent", "null"}, {"include_attributes", "id,action.ref"}, {"timestamp_gt", "2024-01-01T00:00:00Z"}}
	if got := q.Encode(); got != "limit=50&parent=null&include_attributes=id%2Caction.ref&timestamp_gt=2024-01-01T00%3A00%3A00Z" {
		t.Errorf("got %s", got)
	}
}

func TestObjectKeepsOrder(t *testing.T) {
	v, err := Decode([]byte(`{"z": 1, "a": {"y": [1, {"b": null}], "x": "s"}, "m": 1.50}`))
	if err != nil {
		t.Fatal(err)
	}
	o := v.(*Object)
	if strings.Join(o.Keys(), ",") != "z,a,m" {
		t.Errorf("keys %v", o.Keys())
	}
	b, err := json.Marshal(o)
	if err != nil {
		t.Fatal(err)
	}
	if string(b) != `{"z":1,"a":{"y":[1,{"b":null}],"x":"s"},"m":1.50}` {
		t.Errorf("marshal %s", b)
	}
	if got, ok := o.Path("a.x"); !ok || got != "s" {
		t.Errorf("path %v %v", got, ok)
	}
	if _, ok := o.Path("a.x.nope"); ok {
		t.Error("path through a string")
	}
	o.Delete("a")
	if strings.Join(o.Keys(), ",") != "z,m" {
		t.Errorf("after delete %v", o.Keys())
	}
	if _, err := Decode([]byte(`{"a": 1} x`)); err == nil {
		t.Error("trailing data accepted")
	}
}

func TestDoErrorsAndHeaders(t *testing.T) {
	var seen *http.Request
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		seen = r
		switch r.URL.Path {
		case "/v1/missing":
			w.WriteHeader(404)
			io.WriteString(w, `{"faultstring": "Action x not found"}`)
		case "/v1/broken":
			w.WriteHeader(502)
			io.WriteString(w, `<html>bad gateway</html>`)
		default:
			io.WriteString(w, `[]`)
		}
	}))
	defer srv.Close()
	c := New(Config{Endpoints: Endpoints{API: srv.URL + "/v1/", Auth: srv.URL}, Token: "tok", APIKey: "key"})
	ctx := context.Background()

	_, err := c.Do(ctx, API, Request{Method: "GET", Path: "/missing"})
	var ae *APIError
	if !errors.As(err, &ae) || ae.StatusCode != 404 || ae.Fault != "Action x not found" {
		t.Fatalf("error %#v", err)
	}
	if want := "404 Client Error: Not Found\nMESSAGE: Action x not found for url: " + srv.URL + "/v1/missing"; err.Error() != want {
		t.Errorf("message %q, want %q", err.Error(), want)
	}
	if StatusOf(err) != 404 {
		t.Errorf("StatusOf %d", StatusOf(err))
	}
	_, err = c.Do(ctx, API, Request{Method: "GET", Path: "/broken"})
	if err == nil || err.Error() != "502 Server Error: Bad Gateway\nUnable to retrieve detailed message from the HTTP response. unexpected character: line 1 column 1 (char 0)\n for url: "+srv.URL+"/v1/broken" {
		t.Errorf("non-JSON error %q", err)
	}
	if _, err := c.Do(ctx, API, Request{Method: "POST", Path: "/things", Body: []byte(`{}`)}); err != nil {
		t.Fatal(err)
	}
	if seen.Header.Get("X-Auth-Token") != "tok" || seen.Header.Get("St2-Api-Key") != "key" || seen.Header.Get("Content-Type") != "application/json" {
		t.Errorf("headers %v", seen.Header)
	}
	if _, err := c.Do(ctx, Auth, Request{Method: "POST", Path: "/tokens", Body: []byte(`{}`), Basic: &[2]string{"u", "p"}}); err != nil {
		t.Fatal(err)
	}
	if u, p, ok := seen.BasicAuth(); !ok || u != "u" || p != "p" || seen.Header.Get("X-Auth-Token") != "" {
		t.Errorf("token request headers %v", seen.Header)
	}

	dead := New(Config{Endpoints: Endpoints{API: "http://127.0.0.1:1/v1"}})
	_, err = dead.Do(ctx, API, Request{Method: "GET", Path: "/actions"})
	var ce *ConnectionError
	if !errors.As(err, &ce) || ce.URL != "http://127.0.0.1:1/v1/actions" {
		t.Errorf("connection error %#v", err)
	}
}

func TestEventStream(t *testing.T) {
	in := ": heartbeat\n\nevent: st2.execution__update\ndata: {\"id\": \"1\"}\n\n\n" +
		"event: ignored-without-data\n\n" +
		"event: st2.execution.output__create\r\ndata: line one\r\ndata: line two\r\n\r\n" +
		"data: last without blank line"
	s := NewEventStream(io.NopCloser(strings.NewReader(in)))
	var got []Event
	for {
		ev, err := s.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		got = append(got, ev)
	}
	want := []Event{
		{Name: "st2.execution__update", Data: `{"id": "1"}`},
		{Name: "st2.execution.output__create", Data: "line one\nline two"},
		{Data: "last without blank line"},
	}
	if len(got) != len(want) {
		t.Fatalf("got %+v", got)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("event %d: %+v, want %+v", i, got[i], want[i])
		}
	}
}

func TestListenPutsAuthInQuery(t *testing.T) {
	var rawQuery string
	var hdr http.Header
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		rawQuery, hdr = r.URL.RawQuery, r.Header
		w.Header().Set("Content-Type", "text/event-stream")
		io.WriteString(w, "event: e\ndata: {}\n\n")
	}))
	defer srv.Close()
	c := New(Config{Endpoints: Endpoints{Stream: srv.URL + "/v1"}, Token: "tok"})
	s, err := c.Listen(context.Background(), Query{{"end_event", "st2.execution__update"}, {"events", "a,b"}})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if _, err := s.Next(); err != nil {
		t.Fatal(err)
	}
	if rawQuery != "x-auth-token=tok&end_event=st2.execution__update&events=a%2Cb" || hdr.Get("X-Auth-Token") != "" {
		t.Errorf("query %q headers %v", rawQuery, hdr)
	}
}
