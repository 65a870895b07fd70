package http

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/st2go/st2go/internal/model"
	"github.com/st2go/st2go/internal/runner"
)

// seen is what the test server received.
type seen struct {
	Method, Path, Query, Body, ContentType, UserAgent, Action, Custom, Cookie string
	User, Pass                                                                string
	BasicOK                                                                   bool
}

func newServer(t *testing.T) (*httptest.Server, chan seen) {
	t.Helper()
	got := make(chan seen, 10)
	mux := http.NewServeMux()
	record := func(r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		u, p, ok := r.BasicAuth()
		got <- seen{Method: r.Method, Path: r.URL.Path, Query: r.URL.RawQuery, Body: string(b),
			ContentType: r.Header.Get("Content-Type"), UserAgent: r.Header.Get("User-Agent"),
			Action: r.Header.Get("X-Stanley-Action"), Custom: r.Header.Get("X-Custom"),
			Cookie: r.Header.Get("Cookie"), User: u, Pass: p, BasicOK: ok}
	}
	mux.HandleFunc("/json", func(w http.ResponseWriter, r *http.Request) {
		record(r)
		w.Header().Set("Content-Type", "application/json; charset=utf-8")
		io.WriteString(w, `{"ok": true, "n": 3}`)
	})
	mux.HandleFunc("/text", func(w http.ResponseWriter, r *http.Request) {
		record(r)
		io.WriteString(w, "plain words")
	})
	mux.HandleFunc("/badjson", func(w http.ResponseWriter, r *http.Request) {
		record(r)
		w.Header().Set("Content-Type", "application/json")
		io.WriteString(w, `{not json`)
	})
	mux.HandleFunc("/missing", func(w http.ResponseWriter, r *http.Request) {
		record(r)
		w.WriteHeader(http.StatusNotFound)
	})
	mux.HandleFunc("/redirect", func(w http.ResponseWriter, r *http.Request) {
		record(r)
		http.Redirect(w, r, "/text", http.StatusFound)
	})
	mux.HandleFunc("/hang", func(w http.ResponseWriter, r *http.Request) {
		record(r)
		<-r.Context().Done()
	})
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	mux.HandleFunc("/offhost", func(w http.ResponseWriter, r *http.Request) {
		record(r)
		http.Redirect(w, r, strings.Replace(srv.URL, "127.0.0.1", "localhost", 1)+"/text", http.StatusFound)
	})
	return srv, got
}

func run(t *testing.T, ctx context.Context, rp, ap map[string]any) (*runner.Result, map[string]any) {
	t.Helper()
	r, err := Definition.New()
	if err != nil {
		t.Fatal(err)
	}
	res, err := r.Run(ctx, &runner.Request{
		Action:       &model.Action{Name: "http", Pack: "core", Ref: "core.http"},
		RunnerParams: rp, ActionParams: ap,
	})
	if err != nil {
		t.Fatalf("Run: %v", err)
	}
	raw, err := runner.MarshalOutput(res.Output)
	if err != nil {
		t.Fatal(err)
	}
	var out map[string]any
	if err := json.Unmarshal(raw, &out); err != nil {
		t.Fatal(err)
	}
	return res, out
}

func TestRequests(t *testing.T) {
	srv, got := newServer(t)
	host := mustHost(t, srv.URL)
	cases := []struct {
		name       string
		rp, ap     map[string]any
		status     model.Status
		statusCode float64
		body       any // expected result body (nil: not checked)
		parsed     bool
		check      func(t *testing.T, s seen)
	}{
		{
			name:   "get json",
			rp:     map[string]any{"url": srv.URL + "/json", "headers": map[string]any{"X-Custom": "yes"}},
			status: model.StatusSucceeded, statusCode: 200, parsed: true,
			body: map[string]any{"ok": true, "n": 3.0},
			check: func(t *testing.T, s seen) {
				if s.Method != "GET" || s.Custom != "yes" || s.UserAgent != "st2/v"+stackStormVersion || s.Action != "http" {
					t.Errorf("seen %+v", s)
				}
			},
		},
		{
			name:   "post json body",
			rp:     map[string]any{"url": srv.URL + "/json", "headers": map[string]any{"Content-Type": "application/json"}},
			ap:     map[string]any{"method": "post", "body": `{"b": 1,  "a": [1, 2]}`},
			status: model.StatusSucceeded, statusCode: 200, parsed: true,
			check: func(t *testing.T, s seen) {
				if s.Method != "POST" || s.Body != `{"b":1,"a":[1,2]}` || s.ContentType != "application/json" {
					t.Errorf("seen %+v", s)
				}
			},
		},
		{
			name:   "body without method posts",
			rp:     map[string]any{"url": srv.URL + "/text"},
			ap:     map[string]any{"body": "raw text"},
			status: model.StatusSucceeded, statusCode: 200, body: "plain words",
			check: func(t *testing.T, s seen) {
				if s.Method != "POST" || s.Body != "raw text" {
					t.Errorf("seen %+v", s)
				}
			},
		},
		{
			name:   "query params and cookies",
			rp:     map[string]any{"url": srv.URL + "/text?x=1", "cookies": map[string]any{"c": "v"}},
			ap:     map[string]any{"params": map[string]any{"q": "a b", "flag": true, "multi": []any{"1", "2"}}},
			status: model.StatusSucceeded, statusCode: 200,
			check: func(t *testing.T, s seen) {
				q, _ := url.ParseQuery(s.Query)
				if q.Get("x") != "1" || q.Get("q") != "a b" || q.Get("flag") != "True" || len(q["multi"]) != 2 || s.Cookie != "c=v" {
					t.Errorf("seen %+v", s)
				}
			},
		},
		{
			name:   "basic auth",
			rp:     map[string]any{"url": srv.URL + "/text", "username": "stanley", "password": "s3cret"},
			status: model.StatusSucceeded, statusCode: 200,
			check: func(t *testing.T, s seen) {
				if !s.BasicOK || s.User != "stanley" || s.Pass != "s3cret" {
					t.Errorf("seen %+v", s)
				}
			},
		},
		{
			name:   "not found fails",
			rp:     map[string]any{"url": srv.URL + "/missing"},
			status: model.StatusFailed, statusCode: 404, body: "",
		},
		{
			name:   "json that does not parse stays text",
			rp:     map[string]any{"url": srv.URL + "/badjson"},
			status: model.StatusSucceeded, statusCode: 200, body: "{not json", parsed: false,
		},
		{
			name:   "redirect not followed by default",
			rp:     map[string]any{"url": srv.URL + "/redirect"},
			status: model.StatusFailed, statusCode: 302,
		},
		{
			name:   "redirect followed when allowed",
			rp:     map[string]any{"url": srv.URL + "/redirect", "allow_redirects": true},
			status: model.StatusSucceeded, statusCode: 200, body: "plain words",
			check: func(t *testing.T, s seen) {
				if s.Path != "/redirect" {
					t.Errorf("first request %+v", s)
				}
				if s2 := <-got; s2.Path != "/text" {
					t.Errorf("second request %+v", s2)
				}
			},
		},
		{
			name:   "whitelisted host",
			rp:     map[string]any{"url": srv.URL + "/text", "url_hosts_whitelist": []any{host}},
			status: model.StatusSucceeded, statusCode: 200,
		},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			res, out := run(t, context.Background(), c.rp, c.ap)
			if res.Status != c.status || out["status_code"] != c.statusCode {
				t.Fatalf("status %s, result %v; want %s with %v", res.Status, out, c.status, c.statusCode)
			}
			if out["parsed"] != c.parsed {
				t.Errorf("parsed = %v, want %v", out["parsed"], c.parsed)
			}
			if _, ok := out["headers"].(map[string]any); !ok {
				t.Errorf("headers = %v", out["headers"])
			}
			if c.body != nil {
				want, _ := json.Marshal(c.body)
				have, _ := json.Marshal(out["body"])
				if string(want) != string(have) {
					t.Errorf("body = %s, want %s", have, want)
				}
			}
			s := <-got
			if c.check != nil {
				c.check(t, s)
			}
		})
	}
}

func TestRefused(t *testing.T) {
	srv, got := newServer(t)
	host := mustHost(t, srv.URL)
	cases := []struct {
		name  string
		rp    map[string]any
		error string
	}{
		{"blacklisted", map[string]any{"url": srv.URL + "/text", "url_hosts_blacklist": []any{host}},
			`URL "` + srv.URL + `/text" is blacklisted`},
		{"not whitelisted", map[string]any{"url": srv.URL + "/text", "url_hosts_whitelist": []any{"example.com"}},
			`URL "` + srv.URL + `/text" is not whitelisted`},
		{"both lists", map[string]any{"url": srv.URL + "/text", "url_hosts_whitelist": []any{"a"}, "url_hosts_blacklist": []any{"b"}},
			exclusiveMsg},
		{"redirect leaves whitelist", map[string]any{"url": srv.URL + "/offhost", "allow_redirects": true,
			"url_hosts_whitelist": []any{host}}, `URL "http://localhost:`},
		{"no url", map[string]any{}, "URL must be specified."},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			res, out := run(t, context.Background(), c.rp, nil)
			if c.name == "redirect leaves whitelist" {
				msg, _ := out["error"].(string)
				if res.Status != model.StatusFailed || !strings.Contains(msg, c.error) || !strings.Contains(msg, "is not whitelisted") {
					t.Fatalf("status %s, result %v", res.Status, out)
				}
				if s := <-got; s.Path != "/offhost" {
					t.Fatalf("server saw %+v", s)
				}
				return
			}
			if res.Status != model.StatusFailed || out["error"] != c.error {
				t.Fatalf("status %s, result %v; want failed with %q", res.Status, out, c.error)
			}
			select {
			case s := <-got:
				t.Fatalf("server was called: %+v", s)
			default:
			}
		})
	}
}

func TestTimeoutAndCancel(t *testing.T) {
	srv, got := newServer(t)
	t.Run("timeout", func(t *testing.T) {
		res, out := run(t, context.Background(), map[string]any{"url": srv.URL + "/hang"}, map[string]any{"timeout": 0.2})
		if res.Status != model.StatusTimeout || !strings.Contains(out["error"].(string), "timed out") {
			t.Fatalf("status %s, result %v", res.Status, out)
		}
		<-got
	})
	t.Run("cancel", func(t *testing.T) {
		ctx, cancel := context.WithCancel(context.Background())
		go func() {
			<-got // the request reached the server
			cancel()
		}()
		res, out := run(t, ctx, map[string]any{"url": srv.URL + "/hang"}, nil)
		if res.Status != model.StatusCanceled {
			t.Fatalf("status %s, result %v", res.Status, out)
		}
	})
}

func TestFileUpload(t *testing.T) {
	var name, content, ctype string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		f, h, err := r.FormFile("report.txt")
		if err == nil {
			b, _ := io.ReadAll(f)
			name, content, ctype = h.Filename, string(b), h.Header.Get("Content-Type")
		}
	}))
	defer srv.Close()
	res, out := run(t, context.Background(), map[string]any{"url": srv.URL},
		map[string]any{"file_name": "report.txt", "file_content": "hello", "file_content_type": "text/plain"})
	if res.Status != model.StatusSucceeded || name != "report.txt" || content != "hello" || ctype != "text/plain" {
		t.Fatalf("status %s %v; server saw %q %q %q", res.Status, out, name, content, ctype)
	}
}

func mustHost(t *testing.T, raw string) string {
	t.Helper()
	u, err := url.Parse(raw)
	if err != nil {
		t.Fatal(err)
	}
	return u.Hostname()
}
