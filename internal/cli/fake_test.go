package cli

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"
)

// recorded is one request the fake API received.
type recorded struct {
	Method string
	// URL is the path and query as sent, e.g. "/v1/actions?include_attributes=ref%2Cpack".
	URL     string
	Token   string // X-Auth-Token
	APIKey  string // St2-Api-Key
	Auth    string // Authorization
	CType   string // Content-Type
	Body    string
	Headers http.Header
}

func (r recorded) String() string {
	s := r.Method + " " + r.URL
	if r.Body != "" {
		s += " " + r.Body
	}
	return s
}

// reply is a canned answer.
type reply struct {
	status  int
	body    string
	headers map[string]string
	// stream, when set, is written as server-sent events and flushed.
	stream []string
	// hangup drops the connection after the stream, without ending the
	// chunked body (a server that died).
	hangup bool
}

// fakeAPI is an httptest server that serves canned replies keyed by
// "METHOD /path?query" (exact) and records every request. A key may map to
// several replies, served in turn (the last one repeats).
type fakeAPI struct {
	t       *testing.T
	srv     *httptest.Server
	mu      sync.Mutex
	routes  map[string][]reply
	served  map[string]int
	records []recorded
}

func newFakeAPI(t *testing.T) *fakeAPI {
	f := &fakeAPI{t: t, routes: map[string][]reply{}, served: map[string]int{}}
	f.srv = httptest.NewServer(http.HandlerFunc(f.serve))
	t.Cleanup(f.srv.Close)
	return f
}

func (f *fakeAPI) on(key string, replies ...reply) *fakeAPI {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.routes[key] = append(f.routes[key], replies...)
	return f
}

func jsonReply(body string) reply { return reply{status: 200, body: body} }

func (f *fakeAPI) serve(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	u := r.URL.EscapedPath()
	if r.URL.RawQuery != "" {
		u += "?" + r.URL.RawQuery
	}
	rec := recorded{Method: r.Method, URL: u, Token: r.Header.Get("X-Auth-Token"), APIKey: r.Header.Get("St2-Api-Key"),
		Auth: r.Header.Get("Authorization"), CType: r.Header.Get("Content-Type"), Body: string(body), Headers: r.Header.Clone()}
	key := r.Method + " " + u
	f.mu.Lock()
	f.records = append(f.records, rec)
	replies, ok := f.routes[key]
	var rep reply
	if ok {
		i := min(f.served[key], len(replies)-1)
		f.served[key]++
		rep = replies[i]
	}
	f.mu.Unlock()
	if !ok {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusNotFound)
		fmt.Fprintf(w, `{"faultstring": "fake: no route for %s"}`, key)
		return
	}
	for k, v := range rep.headers {
		w.Header().Set(k, v)
	}
	if rep.stream != nil {
		w.Header().Set("Content-Type", "text/event-stream")
		w.WriteHeader(http.StatusOK)
		for _, ev := range rep.stream {
			io.WriteString(w, ev)
			w.(http.Flusher).Flush()
		}
		if rep.hangup {
			conn, _, err := w.(http.Hijacker).Hijack()
			if err != nil {
				f.t.Errorf("hijacking the stream connection: %v", err)
				return
			}
			conn.Close()
		}
		return
	}
	if rep.status == 0 {
		rep.status = 200
	}
	if w.Header().Get("Content-Type") == "" {
		w.Header().Set("Content-Type", "application/json")
	}
	w.WriteHeader(rep.status)
	io.WriteString(w, rep.body)
}

func (f *fakeAPI) requests() []recorded {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]recorded(nil), f.records...)
}

// env returns the environment pointing the CLI at the fake server (API at
// /v1, auth at /auth, stream at /stream/v1) with a token and 120 columns.
func (f *fakeAPI) env(t *testing.T, extra ...string) []string {
	return append([]string{
		"HOME=" + t.TempDir(),
		"ST2_API_URL=" + f.srv.URL + "/v1",
		"ST2_AUTH_URL=" + f.srv.URL + "/auth",
		"ST2_STREAM_URL=" + f.srv.URL + "/stream/v1",
		"ST2_AUTH_TOKEN=" + testToken,
		"COLUMNS=120",
	}, extra...)
}

const testToken = "5e86421776f946e98faea07e5b1ae31a"

type result struct {
	code           int
	stdout, stderr string
}

// run drives the CLI in-process; polling is made fast.
func run(t *testing.T, env []string, stdin string, args ...string) result {
	t.Helper()
	var out, errb bytes.Buffer
	a := newApp(env, strings.NewReader(stdin), &out, &errb)
	a.pollInterval = time.Millisecond
	a.now = func() time.Time { return time.Date(2024, 5, 1, 10, 0, 30, 0, time.UTC) }
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	code := a.run(ctx, args)
	return result{code: code, stdout: out.String(), stderr: errb.String()}
}

// wantRequests compares "METHOD URL [body]" lines.
func wantRequests(t *testing.T, got []recorded, want ...string) {
	t.Helper()
	var g []string
	for _, r := range got {
		g = append(g, r.String())
	}
	if strings.Join(g, "\n") != strings.Join(want, "\n") {
		t.Errorf("requests:\n got:\n  %s\nwant:\n  %s", strings.Join(g, "\n  "), strings.Join(want, "\n  "))
	}
}

func wantOutput(t *testing.T, name, got, want string) {
	t.Helper()
	if got != want {
		t.Errorf("%s:\n--- got ---\n%s\n--- want ---\n%s\n--- (quoted) ---\n got %q\nwant %q", name, got, want, got, want)
	}
}
