package app_test

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/st2go/st2go/internal/app/apptest"
)

func TestCoreHTTP(t *testing.T) {
	var gotMethod, gotQuery, gotAgent string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		gotMethod, gotQuery, gotAgent = r.Method, r.URL.Query().Get("q"), r.Header.Get("User-Agent")
		if r.URL.Path == "/missing" {
			http.NotFound(w, r)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		io.WriteString(w, `{"hello": "world", "items": [1, 2]}`)
	}))
	defer srv.Close()
	s := apptest.Start(t, apptest.Options{})

	type httpResult struct {
		StatusCode int               `json:"status_code"`
		Body       any               `json:"body"`
		Parsed     bool              `json:"parsed"`
		Headers    map[string]string `json:"headers"`
	}
	cases := []struct {
		name   string
		params map[string]any
		status string
		code   int
		parsed bool
	}{
		{"json response", map[string]any{"url": srv.URL + "/data", "params": map[string]any{"q": "x"}}, "succeeded", 200, true},
		{"not found", map[string]any{"url": srv.URL + "/missing", "method": "DELETE"}, "failed", 404, false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			e := s.Wait(t, s.Run(t, "core.http", c.params).ID, wait)
			if e.Status != c.status {
				t.Fatalf("status %s, want %s: %s", e.Status, c.status, e)
			}
			var r httpResult
			if err := json.Unmarshal(e.Result, &r); err != nil {
				t.Fatalf("decoding result %s: %v", e.Result, err)
			}
			if r.StatusCode != c.code || r.Parsed != c.parsed || r.Headers == nil {
				t.Fatalf("result %+v", r)
			}
			if c.parsed {
				body, _ := json.Marshal(r.Body)
				if string(body) != `{"hello":"world","items":[1,2]}` {
					t.Fatalf("body %s", body)
				}
				if gotMethod != "GET" || gotQuery != "x" || gotAgent == "" {
					t.Fatalf("server saw %s q=%q agent=%q", gotMethod, gotQuery, gotAgent)
				}
			} else if gotMethod != "DELETE" {
				t.Fatalf("server saw %s", gotMethod)
			}
		})
	}
}
