// Package http implements StackStorm's http-request runner (used by
// core.http): it sends one HTTP request built from the runner and action
// parameters and returns StackStorm's result document
// {"status_code", "body", "parsed", "headers"}. The execution succeeds for
// status codes 200 to 206 and fails for any other; a request that outlives
// its timeout ends with status timeout and {"error": ...}.
//
// The package imports model and runner only; package builtin registers it.
package http

import (
	"bytes"
	"context"
	"crypto/tls"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"net/textproto"
	"net/url"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/st2go/st2go/internal/model"
	"github.com/st2go/st2go/internal/runner"
)

// Name is the runner's name.
const Name = "http-request"

// stackStormVersion goes into the User-Agent header ("st2/v<version>"), as
// StackStorm sends its own version there. It follows the StackStorm release
// st2go tracks (internal/version.StackStorm, which runner packages may not
// import).
const stackStormVersion = "3.9.0"

// defaultTimeout is the request timeout in seconds when the action has none.
const defaultTimeout = 60.0

// Definition is the http-request runner type. Names, types, defaults and
// the output schema are StackStorm's (contrib/runners/http_runner); the
// descriptions are ours.
var Definition = runner.Definition{
	Name:        Name,
	Description: "Sends an HTTP request and returns the response.",
	Module:      "http_runner",
	Parameters: model.Params{
		"allow_redirects": boolean(false, "Follow redirects of POST, PUT and DELETE requests."),
		"cookies":         object("Cookies to send."),
		"headers":         object("HTTP headers to send."),
		"http_proxy":      str("Proxy URL for http requests, e.g. http://10.0.0.1:3128."),
		"https_proxy":     str("Proxy URL for https requests, e.g. http://10.0.0.1:3128."),
		"password":        {Type: "string", Secret: true, Description: "Password for basic authentication."},
		"url":             {Type: "string", Required: true, Description: "URL to send the request to."},
		"username":        str("User name for basic authentication."),
		"verify_ssl_cert": boolean(true, "Check the server's TLS certificate against the default CA bundle; false skips the check."),
		"url_hosts_blacklist": {Type: "array", Items: map[string]any{"type": "string"},
			Description: "Hosts the action may not call (e.g. example.com, 127.0.0.1); exclusive with url_hosts_whitelist."},
		"url_hosts_whitelist": {Type: "array", Items: map[string]any{"type": "string"},
			Description: "The only hosts the action may call; exclusive with url_hosts_blacklist."},
	},
	OutputKey: "body",
	OutputSchema: map[string]any{
		"type": "object",
		"properties": map[string]any{
			"status_code": map[string]any{"type": "integer"},
			"body":        anyValue(),
			"parsed":      map[string]any{"type": "boolean"},
			"headers":     map[string]any{"type": "object"},
		},
		"additionalProperties": false,
	},
	New: func() (runner.Runner, error) { return httpRunner{}, nil },
}

func str(desc string) *model.ParamSpec    { return &model.ParamSpec{Type: "string", Description: desc} }
func object(desc string) *model.ParamSpec { return &model.ParamSpec{Type: "object", Description: desc} }

func boolean(def bool, desc string) *model.ParamSpec {
	return &model.ParamSpec{Type: "boolean", Default: def, Description: desc}
}

// anyValue is the output-schema property that accepts any JSON value.
func anyValue() map[string]any {
	types := []any{}
	for _, t := range []string{"object", "string", "integer", "number", "boolean", "array", "null"} {
		types = append(types, map[string]any{"type": t})
	}
	return map[string]any{"anyOf": types}
}

type httpRunner struct{}

var _ runner.Runner = httpRunner{}

// Run sends the request. Problems StackStorm reports as a failed action
// (refused host, bad body, connection errors) come back as status failed
// with {"error": ...}, not as an error.
func (httpRunner) Run(ctx context.Context, req *runner.Request) (*runner.Result, error) {
	p := newParams(req)
	c, err := buildCall(p, req)
	if err != nil {
		return failed(err.Error()), nil
	}
	return c.do(ctx)
}

func failed(msg string) *runner.Result {
	return &runner.Result{Status: model.StatusFailed, Output: map[string]any{"error": msg}}
}

// params looks a parameter up among the runner's parameters first and the
// action's second: actions such as core.http redeclare some runner
// parameters (headers) and the split may put them on either side.
type params struct{ runnerSide, actionSide map[string]any }

func newParams(req *runner.Request) params {
	return params{runnerSide: req.RunnerParams, actionSide: req.ActionParams}
}

func (p params) get(name string) (any, bool) {
	if v, ok := p.runnerSide[name]; ok && v != nil {
		return v, true
	}
	if v, ok := p.actionSide[name]; ok && v != nil {
		return v, true
	}
	return nil, false
}

func (p params) str(name string) string {
	v, ok := p.get(name)
	if !ok {
		return ""
	}
	if s, ok := v.(string); ok {
		return s
	}
	return scalarText(v)
}

func (p params) boolean(name string, def bool) bool {
	v, ok := p.get(name)
	if !ok {
		return def
	}
	switch b := v.(type) {
	case bool:
		return b
	case string:
		if parsed, err := strconv.ParseBool(b); err == nil {
			return parsed
		}
	}
	return def
}

func (p params) object(name string) map[string]any {
	v, _ := p.get(name)
	m, _ := v.(map[string]any)
	return m
}

func (p params) strings(name string) []string {
	v, _ := p.get(name)
	var out []string
	switch l := v.(type) {
	case []any:
		for _, e := range l {
			if e != nil {
				out = append(out, scalarText(e))
			}
		}
	case []string:
		out = append(out, l...)
	case string:
		if l != "" {
			out = append(out, l)
		}
	}
	return out
}

// seconds reads the timeout parameter (a number of seconds, maybe
// fractional).
func (p params) seconds(name string, def float64) (float64, error) {
	v, ok := p.get(name)
	if !ok {
		return def, nil
	}
	var f float64
	var err error
	switch n := v.(type) {
	case float64:
		f = n
	case float32:
		f = float64(n)
	case int:
		f = float64(n)
	case int64:
		f = float64(n)
	case json.Number:
		f, err = n.Float64()
	case string:
		f, err = strconv.ParseFloat(strings.TrimSpace(n), 64)
	default:
		err = fmt.Errorf("unsupported type %T", v)
	}
	if err != nil {
		return 0, fmt.Errorf("reading %s parameter %v: %w", name, v, err)
	}
	return f, nil
}

// call is one prepared request.
type call struct {
	url            *url.URL
	method         string
	header         http.Header
	body           []byte
	timeout        time.Duration
	allowRedirects bool
	verify         bool
	httpProxy      string
	httpsProxy     string
	blacklist      []string
	whitelist      []string
}

const exclusiveMsg = `"url_hosts_blacklist" and "url_hosts_whitelist" parameters are mutually exclusive. Only one should be provided.`

func buildCall(p params, req *runner.Request) (*call, error) {
	c := &call{
		allowRedirects: p.boolean("allow_redirects", false),
		verify:         p.boolean("verify_ssl_cert", true),
		httpProxy:      p.str("http_proxy"),
		httpsProxy:     p.str("https_proxy"),
		blacklist:      p.strings("url_hosts_blacklist"),
		whitelist:      p.strings("url_hosts_whitelist"),
		header:         http.Header{},
	}
	if len(c.blacklist) > 0 && len(c.whitelist) > 0 {
		return nil, errors.New(exclusiveMsg)
	}
	rawURL := p.str("url")
	if rawURL == "" {
		return nil, errors.New("URL must be specified.")
	}
	u, err := url.Parse(rawURL)
	if err != nil {
		return nil, fmt.Errorf("parsing URL %q: %w", rawURL, err)
	}
	if err := c.checkHost(u, rawURL); err != nil {
		return nil, err
	}
	if q := p.object("params"); len(q) > 0 {
		values := u.Query()
		for _, k := range sortedKeys(q) {
			addQuery(values, k, q[k])
		}
		u.RawQuery = values.Encode()
	}
	c.url = u

	secs, err := p.seconds("timeout", defaultTimeout)
	if err != nil {
		return nil, err
	}
	if secs > 0 {
		c.timeout = time.Duration(secs * float64(time.Second))
	}

	// The caller's headers, then the two StackStorm always sets.
	for _, k := range sortedKeys(p.object("headers")) {
		if v := p.object("headers")[k]; v != nil {
			c.header.Set(k, scalarText(v))
		}
	}
	c.header.Set("User-Agent", "st2/v"+stackStormVersion)
	actionName := ""
	if req.Action != nil {
		actionName = req.Action.Name
	}
	c.header.Set("X-Stanley-Action", actionName)

	for _, k := range sortedKeys(p.object("cookies")) {
		(&http.Request{Header: c.header}).AddCookie(&http.Cookie{Name: k, Value: scalarText(p.object("cookies")[k])})
	}

	body, hasBody := p.get("body")
	if s, ok := body.(string); ok && s == "" {
		hasBody = false
	}
	fileName, fileContent := p.str("file_name"), p.str("file_content")
	hasFile := fileName != "" && fileContent != ""

	c.method = strings.ToUpper(p.str("method"))
	if c.method == "" {
		c.method = http.MethodGet
		if hasBody || hasFile {
			c.method = http.MethodPost
		}
	}

	switch {
	case hasFile:
		if err := c.setMultipart(body, hasBody, fileName, fileContent, p.str("file_content_type")); err != nil {
			return nil, err
		}
	case hasBody:
		if err := c.setBody(body); err != nil {
			return nil, err
		}
	}

	username, password := p.str("username"), p.str("password")
	if username != "" || password != "" {
		r := &http.Request{Header: c.header}
		r.SetBasicAuth(username, password)
	} else if auth := p.str("auth"); auth != "" {
		// StackStorm hands the string to python-requests as an auth
		// object, which cannot call it: the action fails.
		return nil, errors.New(`the "auth" parameter is not usable with the http-request runner; use the username and password parameters`)
	}
	return c, nil
}

// setBody encodes the request body as StackStorm does: with a
// Content-Type of exactly application/json the body is (parsed and)
// sent as compact JSON; otherwise a string goes as is and an object is
// form-encoded.
func (c *call) setBody(body any) error {
	if strings.EqualFold(strings.TrimSpace(c.header.Get("Content-Type")), "application/json") {
		b, err := jsonBody(body)
		if err != nil {
			return err
		}
		c.body = b
		return nil
	}
	switch b := body.(type) {
	case string:
		c.body = []byte(b)
	case map[string]any:
		values := url.Values{}
		for _, k := range sortedKeys(b) {
			addQuery(values, k, b[k])
		}
		c.body = []byte(values.Encode())
		if c.header.Get("Content-Type") == "" {
			c.header.Set("Content-Type", "application/x-www-form-urlencoded")
		}
	default:
		enc, err := json.Marshal(b)
		if err != nil {
			return fmt.Errorf("encoding request body: %w", err)
		}
		c.body = enc
	}
	return nil
}

func jsonBody(body any) ([]byte, error) {
	if s, ok := body.(string); ok {
		var buf bytes.Buffer
		if err := json.Compact(&buf, []byte(s)); err != nil {
			return nil, fmt.Errorf("Request body (%s) can't be parsed as JSON", s)
		}
		return buf.Bytes(), nil
	}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(body); err != nil {
		return nil, fmt.Errorf("Request body (%v) can't be parsed as JSON", body)
	}
	return bytes.TrimSuffix(buf.Bytes(), []byte("\n")), nil
}

// setMultipart builds a multipart/form-data upload of one file, the field
// and the file both named fileName; an object body adds form fields.
func (c *call) setMultipart(body any, hasBody bool, fileName, content, contentType string) error {
	var buf bytes.Buffer
	w := multipart.NewWriter(&buf)
	if hasBody {
		fields, ok := body.(map[string]any)
		if !ok {
			return errors.New("a request body must be an object, not a string, when a file is uploaded")
		}
		for _, k := range sortedKeys(fields) {
			if err := w.WriteField(k, scalarText(fields[k])); err != nil {
				return fmt.Errorf("writing form field %q: %w", k, err)
			}
		}
	}
	h := textproto.MIMEHeader{}
	h.Set("Content-Disposition", fmt.Sprintf(`form-data; name=%q; filename=%q`, fileName, fileName))
	if contentType != "" {
		h.Set("Content-Type", contentType)
	}
	part, err := w.CreatePart(h)
	if err != nil {
		return fmt.Errorf("writing file %q: %w", fileName, err)
	}
	if _, err := io.WriteString(part, content); err != nil {
		return fmt.Errorf("writing file %q: %w", fileName, err)
	}
	if err := w.Close(); err != nil {
		return fmt.Errorf("writing file %q: %w", fileName, err)
	}
	c.body = buf.Bytes()
	c.header.Set("Content-Type", w.FormDataContentType())
	return nil
}

// checkHost applies url_hosts_blacklist and url_hosts_whitelist to the
// host of u (without port or brackets); shown is the URL as the user gave it.
func (c *call) checkHost(u *url.URL, shown string) error {
	host := u.Hostname()
	if len(c.blacklist) > 0 && contains(c.blacklist, host) {
		return fmt.Errorf("URL %q is blacklisted", shown)
	}
	if len(c.whitelist) > 0 && !contains(c.whitelist, host) {
		return fmt.Errorf("URL %q is not whitelisted", shown)
	}
	return nil
}

func contains(list []string, s string) bool {
	for _, e := range list {
		if e == s {
			return true
		}
	}
	return false
}

func (c *call) client() *http.Client {
	tr := http.DefaultTransport.(*http.Transport).Clone()
	tr.Proxy = func(r *http.Request) (*url.URL, error) {
		proxy := c.httpProxy
		if r.URL.Scheme == "https" {
			proxy = c.httpsProxy
		}
		if proxy == "" {
			return http.ProxyFromEnvironment(r)
		}
		return url.Parse(proxy)
	}
	if !c.verify {
		tr.TLSClientConfig = &tls.Config{InsecureSkipVerify: true} //nolint:gosec // the user asked for it
	}
	return &http.Client{
		Transport: tr,
		CheckRedirect: func(r *http.Request, via []*http.Request) error {
			if !c.allowRedirects {
				return http.ErrUseLastResponse
			}
			if len(via) >= 30 {
				return errors.New("exceeded 30 redirects")
			}
			// Redirects may not lead around the host lists.
			return c.checkHost(r.URL, r.URL.String())
		},
	}
}

func (c *call) do(ctx context.Context) (*runner.Result, error) {
	reqCtx := ctx
	if c.timeout > 0 {
		var cancel context.CancelFunc
		reqCtx, cancel = context.WithTimeout(ctx, c.timeout)
		defer cancel()
	}
	var body io.Reader
	if c.body != nil {
		body = bytes.NewReader(c.body)
	}
	r, err := http.NewRequestWithContext(reqCtx, c.method, c.url.String(), body)
	if err != nil {
		return failed(fmt.Sprintf("building request to %s: %v", c.url.Redacted(), err)), nil
	}
	r.Header = c.header
	if h := c.header.Get("Host"); h != "" {
		r.Host = h
	}
	client := c.client()
	defer client.CloseIdleConnections()

	resp, err := client.Do(r)
	var data []byte
	if err == nil {
		data, err = io.ReadAll(resp.Body)
		resp.Body.Close()
	}
	if err != nil {
		switch {
		case ctx.Err() != nil:
			return &runner.Result{Status: model.StatusCanceled,
				Output: map[string]any{"error": "Request to " + c.url.Redacted() + " was canceled."}}, nil
		case reqCtx.Err() != nil:
			return &runner.Result{Status: model.StatusTimeout,
				Output: map[string]any{"error": fmt.Sprintf("Request to %s timed out (timeout=%gs).", c.url.Redacted(), c.timeout.Seconds())}}, nil
		}
		return failed(fmt.Sprintf("sending request to %s: %v", c.url.Redacted(), err)), nil
	}

	headers := map[string]any{}
	for k, vs := range resp.Header {
		headers[k] = strings.Join(vs, ", ")
	}
	parsedBody, parsed := parseBody(resp.Header.Get("Content-Type"), data)
	status := model.StatusFailed
	if resp.StatusCode >= 200 && resp.StatusCode <= 206 {
		status = model.StatusSucceeded
	}
	return &runner.Result{Status: status, Output: map[string]any{
		"status_code": resp.StatusCode,
		"body":        parsedBody,
		"parsed":      parsed,
		"headers":     headers,
	}}, nil
}

// parseBody decodes a JSON response (Content-Type application/json, any
// parameters ignored); anything else, or JSON that does not decode, stays
// text.
func parseBody(contentType string, data []byte) (any, bool) {
	mediaType, _, _ := strings.Cut(contentType, ";")
	if strings.TrimSpace(mediaType) != "application/json" {
		return string(data), false
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		return string(data), false
	}
	if _, err := dec.Token(); err != io.EOF {
		return string(data), false
	}
	return v, true
}

// addQuery adds one parameter as python-requests encodes it: lists repeat
// the key, nulls are left out.
func addQuery(values url.Values, k string, v any) {
	switch l := v.(type) {
	case nil:
	case []any:
		for _, e := range l {
			if e != nil {
				values.Add(k, scalarText(e))
			}
		}
	default:
		values.Add(k, scalarText(v))
	}
}

// scalarText renders a parameter value as text the way Python's str()
// would for scalars (True/False for booleans); objects and lists become
// JSON.
func scalarText(v any) string {
	switch t := v.(type) {
	case string:
		return t
	case bool:
		if t {
			return "True"
		}
		return "False"
	case float64:
		return strconv.FormatFloat(t, 'f', -1, 64)
	case json.Number:
		return t.String()
	case int, int64, int32:
		return fmt.Sprint(t)
	}
	b, err := json.Marshal(v)
	if err != nil {
		return fmt.Sprint(v)
	}
	return string(b)
}

func sortedKeys(m map[string]any) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
