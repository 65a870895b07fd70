package client

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"sort"
	"strings"
)

// Default ports and base URL, as StackStorm's client uses them when only a
// base URL is known.
const (
	DefaultBaseURL    = "http://127.0.0.1"
	DefaultAPIVersion = "v1"
	DefaultAPIPort    = 9101
	DefaultAuthPort   = 9100
	DefaultStreamPort = 9102
)

// Endpoints are the root URLs of the three services.
type Endpoints struct {
	Base   string // e.g. http://127.0.0.1
	API    string // e.g. http://127.0.0.1:9101/v1
	Auth   string // e.g. http://127.0.0.1:9100
	Stream string // e.g. http://127.0.0.1:9102/v1
}

// DefaultEndpoints derives the service URLs from a base URL and API
// version the way StackStorm does: <base>:9101/<version>, <base>:9100 and
// <base>:9102/<version>. Empty arguments take the defaults.
func DefaultEndpoints(base, version string) Endpoints {
	if base == "" {
		base = DefaultBaseURL
	}
	if version == "" {
		version = DefaultAPIVersion
	}
	return Endpoints{
		Base:   base,
		API:    fmt.Sprintf("%s:%d/%s", base, DefaultAPIPort, version),
		Auth:   fmt.Sprintf("%s:%d", base, DefaultAuthPort),
		Stream: fmt.Sprintf("%s:%d/%s", base, DefaultStreamPort, version),
	}
}

// Service selects which root URL a request goes to.
type Service int

// The services a request can address.
const (
	API Service = iota
	Auth
	Stream
)

// Config configures a Client.
type Config struct {
	Endpoints Endpoints
	// Token is sent as X-Auth-Token (or x-auth-token in stream queries).
	Token string
	// APIKey is sent as St2-Api-Key (or st2-api-key in stream queries).
	APIKey string
	// BasicAuth, "user:password", adds an Authorization header to every
	// request that has none of its own (for a proxy in front of st2).
	BasicAuth string
	// HTTPClient defaults to a client without timeout, as the stream
	// stays open for as long as an execution runs.
	HTTPClient *http.Client
	// Debug, when set, receives a curl command line and the response body
	// of every request.
	Debug io.Writer
	// UserAgent defaults to "st2go-cli".
	UserAgent string
}

// Client calls the st2 REST API. It is safe for concurrent use.
type Client struct {
	cfg  Config
	http *http.Client
}

// New returns a client for cfg.
func New(cfg Config) *Client {
	h := cfg.HTTPClient
	if h == nil {
		h = &http.Client{}
	}
	if cfg.UserAgent == "" {
		cfg.UserAgent = "st2go-cli"
	}
	return &Client{cfg: cfg, http: h}
}

// Endpoints returns the URLs the client uses.
func (c *Client) Endpoints() Endpoints { return c.cfg.Endpoints }

// Token returns the auth token the client sends, if any.
func (c *Client) Token() string { return c.cfg.Token }

// APIKey returns the API key the client sends, if any.
func (c *Client) APIKey() string { return c.cfg.APIKey }

// SetToken changes the token sent with later requests.
func (c *Client) SetToken(token string) { c.cfg.Token = token }

// Param is one query-string parameter.
type Param struct{ Key, Value string }

// Query is an ordered list of query parameters; StackStorm's CLI sends them
// in a fixed order and so do we.
type Query []Param

// Add appends a parameter.
func (q *Query) Add(key, value string) { *q = append(*q, Param{key, value}) }

// Encode returns the URL-encoded query string, without the "?".
func (q Query) Encode() string {
	parts := make([]string, 0, len(q))
	for _, p := range q {
		parts = append(parts, url.QueryEscape(p.Key)+"="+url.QueryEscape(p.Value))
	}
	return strings.Join(parts, "&")
}

// Request is one API call.
type Request struct {
	Method string
	// Path is relative to the service root, e.g. "/actions/core.local" or
	// "/executions/" (the trailing slash is sent as given).
	Path  string
	Query Query
	// Body is sent as JSON: []byte and json.RawMessage are sent as they
	// are, anything else is encoded with encoding/json. A nil Body sends no
	// body and no content type.
	Body any
	// Basic, when set, authenticates this request with HTTP basic auth
	// ("user", "password") instead of a token (POST /tokens).
	Basic *[2]string
}

// Response is a successful (2xx) answer.
type Response struct {
	StatusCode int
	Header     http.Header
	Body       []byte
	URL        string
}

// JSON decodes the body with [Decode].
func (r *Response) JSON() (any, error) {
	if len(bytes.TrimSpace(r.Body)) == 0 {
		return nil, nil
	}
	return Decode(r.Body)
}

// APIError is a non-2xx answer.
type APIError struct {
	StatusCode int
	// Reason is the HTTP reason phrase ("Not Found").
	Reason string
	// Fault is the faultstring of the JSON error body, if any.
	Fault string
	// DecodeErr is set when no message could be read from the error body
	// (not JSON, or JSON but not an object); its text is the one
	// StackStorm's CLI shows in that case, e.g. orjson's
	// "unexpected content after document: line 1 column 5 (char 4)" for a
	// plain-text "404 page not found".
	DecodeErr error
	URL       string
	Body      []byte
}

// Error formats the error the way StackStorm's CLI (through python
// requests) shows it:
//
//	404 Client Error: Not Found
//	MESSAGE: Resource not found for url: http://...
func (e *APIError) Error() string {
	kind := "Client"
	if e.StatusCode >= 500 {
		kind = "Server"
	}
	reason := e.Reason
	switch {
	case e.Fault != "":
		reason += "\nMESSAGE: " + e.Fault
	case e.DecodeErr != nil:
		reason += "\nUnable to retrieve detailed message from the HTTP response. " + e.DecodeErr.Error() + "\n"
	}
	return fmt.Sprintf("%d %s Error: %s for url: %s", e.StatusCode, kind, reason, e.URL)
}

// StatusOf returns the HTTP status of an *APIError in err's chain, or 0.
func StatusOf(err error) int {
	var ae *APIError
	if errors.As(err, &ae) {
		return ae.StatusCode
	}
	return 0
}

// ConnectionError means the server could not be reached at all.
type ConnectionError struct {
	URL string
	Err error
}

func (e *ConnectionError) Error() string {
	return fmt.Sprintf("connecting to %s: %v", e.URL, e.Err)
}

func (e *ConnectionError) Unwrap() error { return e.Err }

func (c *Client) root(svc Service) string {
	var r string
	switch svc {
	case Auth:
		r = c.cfg.Endpoints.Auth
	case Stream:
		r = c.cfg.Endpoints.Stream
	default:
		r = c.cfg.Endpoints.API
	}
	return strings.TrimSuffix(r, "/")
}

// URL returns the full URL of path (with query) on a service.
func (c *Client) URL(svc Service, path string, q Query) string {
	u := c.root(svc) + path
	if len(q) > 0 {
		u += "?" + q.Encode()
	}
	return u
}

// Do sends a request and returns the 2xx response; any other status is an
// *APIError, and a failure to connect is a *ConnectionError.
func (c *Client) Do(ctx context.Context, svc Service, r Request) (*Response, error) {
	u := c.URL(svc, r.Path, r.Query)
	var body []byte
	if r.Body != nil {
		switch b := r.Body.(type) {
		case []byte:
			body = b
		case json.RawMessage:
			body = b
		default:
			var err error
			if body, err = json.Marshal(b); err != nil {
				return nil, fmt.Errorf("encoding request body: %w", err)
			}
		}
	}
	var rd io.Reader
	if body != nil {
		rd = bytes.NewReader(body)
	}
	req, err := http.NewRequestWithContext(ctx, r.Method, u, rd)
	if err != nil {
		return nil, fmt.Errorf("building request %s %s: %w", r.Method, u, err)
	}
	req.Header.Set("User-Agent", c.cfg.UserAgent)
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	switch {
	case r.Basic != nil:
		req.SetBasicAuth(r.Basic[0], r.Basic[1])
	default:
		if svc != Stream {
			if c.cfg.Token != "" {
				req.Header.Set("X-Auth-Token", c.cfg.Token)
			}
			if c.cfg.APIKey != "" {
				req.Header.Set("St2-Api-Key", c.cfg.APIKey)
			}
		}
		if c.cfg.BasicAuth != "" {
			req.Header.Set("Authorization", "Basic "+base64.StdEncoding.EncodeToString([]byte(c.cfg.BasicAuth)))
		}
	}
	resp, err := c.http.Do(req)
	if err != nil {
		if ctx.Err() != nil {
			return nil, ctx.Err()
		}
		return nil, &ConnectionError{URL: u, Err: err}
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(resp.Body)
	if err != nil {
		return nil, fmt.Errorf("reading response of %s %s: %w", r.Method, u, err)
	}
	if c.cfg.Debug != nil {
		c.writeDebug(req, body, data)
	}
	out := &Response{StatusCode: resp.StatusCode, Header: resp.Header, Body: data, URL: u}
	if resp.StatusCode >= 400 {
		return nil, newAPIError(resp, data, u)
	}
	return out, nil
}

func newAPIError(resp *http.Response, data []byte, u string) *APIError {
	e := &APIError{StatusCode: resp.StatusCode, URL: u, Body: data}
	e.Reason = strings.TrimSpace(strings.TrimPrefix(resp.Status, fmt.Sprint(resp.StatusCode)))
	if e.Reason == "" {
		e.Reason = http.StatusText(resp.StatusCode)
	}
	fault, problem := errorDetail(data)
	e.Fault = fault
	if problem != "" {
		e.DecodeErr = errors.New(problem)
	}
	return e
}

// writeDebug prints the request as a curl command line and the response
// body, like StackStorm's --debug.
func (c *Client) writeDebug(req *http.Request, body, resp []byte) {
	w := c.cfg.Debug
	id := fmt.Sprintf("%p", c)
	parts := []string{"curl", "-X", shellQuote(req.Method)}
	keys := make([]string, 0, len(req.Header))
	for k := range req.Header {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		for _, v := range req.Header[k] {
			parts = append(parts, "-H ", shellQuote(k+": "+v))
		}
	}
	if len(body) > 0 {
		parts = append(parts, "--data-binary", shellQuote(string(body)))
	}
	parts = append(parts, shellQuote(req.URL.String()))
	fmt.Fprintf(w, "# -------- begin %s request ----------\n", id)
	fmt.Fprintln(w, strings.Join(parts, " "))
	fmt.Fprintf(w, "# -------- begin %s response ----------\n", id)
	fmt.Fprintln(w, string(resp))
	fmt.Fprintf(w, "# -------- end %s response ------------\n\n", id)
}

// shellQuote quotes s for a POSIX shell the way Python's shlex.quote does.
func shellQuote(s string) string {
	if s == "" {
		return "''"
	}
	safe := true
	for _, r := range s {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || strings.ContainsRune("@%+=:,./-_", r)) {
			safe = false
			break
		}
	}
	if safe {
		return s
	}
	return "'" + strings.ReplaceAll(s, "'", `'"'"'`) + "'"
}
