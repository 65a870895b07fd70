package cli

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/signal"
	"path/filepath"
	"runtime"
	"strings"
	"syscall"
	"time"

	"github.com/st2go/st2go/internal/client"
)

// Version is the StackStorm release whose CLI this one follows.
const Version = "3.10dev"

// Exit codes.
const (
	exitOK      = 0
	exitError   = 1
	exitUsage   = 2
	exitPrinted = 3 // --print-config
)

// Main runs the CLI with the process's arguments, environment and standard
// streams, and exits with its exit code. It is all cmd/st2 calls.
func Main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := RunContext(ctx, os.Args[1:], os.Environ(), os.Stdin, os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}

// Run executes one st2 command line (without the program name) with the
// given environment ("KEY=value" entries) and streams, and returns the exit
// code: 0 on success, 1 on errors (and failed executions), 2 on usage
// errors.
func Run(args []string, env []string, stdin io.Reader, stdout, stderr io.Writer) int {
	return RunContext(context.Background(), args, env, stdin, stdout, stderr)
}

// RunContext is Run with a context that cancels polling and streaming.
func RunContext(ctx context.Context, args []string, env []string, stdin io.Reader, stdout, stderr io.Writer) int {
	a := newApp(env, stdin, stdout, stderr)
	return a.run(ctx, args)
}

type app struct {
	env            map[string]string
	stdin          io.Reader
	stdout, stderr io.Writer

	client *client.Client
	cfg    *cliConfig
	// configPath is the config file in use (it may not exist).
	configPath string
	tz         *time.Location
	color      bool
	debug      bool

	pollInterval time.Duration
	now          func() time.Time
	httpClient   *http.Client
	termWidth    func() int

	lastTableWidth int
	global         *args
}

func newApp(env []string, stdin io.Reader, stdout, stderr io.Writer) *app {
	m := map[string]string{}
	for _, kv := range env {
		if k, v, ok := strings.Cut(kv, "="); ok {
			m[k] = v
		}
	}
	a := &app{env: m, stdin: stdin, stdout: stdout, stderr: stderr,
		pollInterval: time.Second, now: time.Now, tz: time.UTC}
	if f, ok := stdout.(*os.File); ok {
		if fi, err := f.Stat(); err == nil && fi.Mode()&os.ModeCharDevice != 0 {
			switch strings.ToLower(m["TERM"]) {
			case "xterm", "xterm-color", "screen", "vt100", "vt100-color", "xterm-256color":
				a.color = m["ST2_COLORIZE"] == ""
			}
		}
	}
	return a
}

func (a *app) outf(format string, v ...any) { fmt.Fprintf(a.stdout, format, v...) }
func (a *app) errf(format string, v ...any) { fmt.Fprintf(a.stderr, format, v...) }
func (a *app) println(s string)             { fmt.Fprintln(a.stdout, s) }

// Errors that decide how the CLI ends.
type (
	// exitCode ends the CLI with a code; whatever had to be said is printed.
	exitCode int
	// notFoundError is StackStorm's ResourceNotFoundError.
	notFoundError struct{ msg string }
)

func (e exitCode) Error() string       { return fmt.Sprintf("exit status %d", int(e)) }
func (e *notFoundError) Error() string { return e.msg }

func errf(format string, v ...any) error { return fmt.Errorf(format, v...) }

func globalSpec() *spec {
	return &spec{prog: "st2", description: "CLI for StackStorm event-driven automation platform. https://stackstorm.com",
		opts: []option{
			{names: []string{"--version"}, dest: "version", kind: optBool, help: "show program's version number and exit"},
			{names: []string{"--url"}, dest: "base_url", kind: optString, help: "Base URL for the API servers. Assumes all servers use the same base URL and default ports are used. Get ST2_BASE_URL from the environment variables by default."},
			{names: []string{"--auth-url"}, dest: "auth_url", kind: optString, help: "URL for the authentication service. Get ST2_AUTH_URL from the environment variables by default."},
			{names: []string{"--api-url"}, dest: "api_url", kind: optString, help: "URL for the API server. Get ST2_API_URL from the environment variables by default."},
			{names: []string{"--stream-url"}, dest: "stream_url", kind: optString, help: "URL for the stream endpoint. Get ST2_STREAM_URL from the environment variables by default."},
			{names: []string{"--api-version"}, dest: "api_version", kind: optString, help: "API version to use. Get ST2_API_VERSION from the environment variables by default."},
			{names: []string{"--cacert"}, dest: "cacert", kind: optString, help: "Path to the CA cert bundle for the SSL endpoints. Get ST2_CACERT from the environment variables by default. If this is not provided, then SSL cert will not be verified."},
			{names: []string{"--basic-auth"}, dest: "basic_auth", kind: optString, help: "Optional additional basic auth credentials used to authenticate"},
			{names: []string{"--config-file"}, dest: "config_file", kind: optString, help: "Path to the CLI config file"},
			{names: []string{"--print-config"}, dest: "print_config", kind: optBool, help: "Parse the config and print the values"},
			{names: []string{"--skip-config"}, dest: "skip_config", kind: optBool, help: "Don't parse and use the CLI config file"},
			{names: []string{"--debug"}, dest: "debug", kind: optBool, help: "Enable debug mode"},
		}}
}

const usageString = `Usage: st2 [options] <command> <sub command> [options]

For example:

    st2 action list --pack=st2
    st2 run core.local cmd=date
    st2 --debug run core.local cmd=date`

func (a *app) mainHelp(gs *spec) string {
	var b strings.Builder
	b.WriteString(usageString + "\n\n" + gs.description + "\n\npositional arguments:\n  {" + strings.Join(commandNames(), ",") + "}\n")
	for _, c := range commandTree() {
		writeHelpRow(&b, 4, 24, c.name, c.help)
	}
	opts := gs.help()
	if i := strings.Index(opts, "\noptions:\n"); i >= 0 {
		b.WriteString(opts[i:])
	}
	return b.String()
}

func (a *app) run(ctx context.Context, argv []string) (code int) {
	gs := globalSpec()
	if len(argv) == 0 {
		a.errf("%s", a.mainHelp(gs))
		return exitUsage
	}
	if contains(argv, "--print-config") {
		argv = append(argv, "action", "list")
	}
	// Global options come before the command name.
	i := 0
	for i < len(argv) && looksLikeOption(argv[i]) {
		if argv[i] == "-h" || argv[i] == "--help" {
			a.outf("%s", a.mainHelp(gs))
			return exitOK
		}
		opt, err := gs.find(strings.SplitN(argv[i], "=", 2)[0])
		if err != nil || opt == nil {
			return a.usageFailure(&usageError{prog: "st2", sp: gs, msg: "unrecognized arguments: " + argv[i]})
		}
		i++
		if opt.kind != optBool && !strings.Contains(argv[i-1], "=") {
			i++
		}
	}
	global, err := gs.parse(argv[:min(i, len(argv))])
	if err != nil {
		return a.usageFailure(err)
	}
	if global.boolean("version") {
		a.println(fmt.Sprintf("st2 %s (st2go), on Go %s", Version, strings.TrimPrefix(runtime.Version(), "go")))
		return exitOK
	}
	if i >= len(argv) {
		return a.usageFailure(&usageError{prog: "st2", sp: gs, msg: "the following arguments are required: parser"})
	}
	cmd, rest, err := findCommand(argv[i], argv[i+1:])
	if err != nil {
		return a.usageFailure(err)
	}
	sp := cmd.spec()
	sp.prog = "st2 " + cmd.path
	for _, o := range gs.opts {
		if o.dest != "version" {
			o.help = "-"
			sp.opts = append(sp.opts, o)
		}
	}
	args, err := sp.parse(rest)
	if err != nil {
		return a.usageFailure(err)
	}
	for k, v := range global.vals {
		if !args.isSet(k) {
			args.vals[k], args.set[k] = v, true
		}
	}
	a.global = args
	a.debug = args.boolean("debug")

	if err := a.loadConfig(args); err != nil {
		return a.fail(err)
	}
	if args.boolean("print_config") {
		var b strings.Builder
		a.cfg.printConfig(&b)
		a.outf("%s", b.String())
		return exitPrinted
	}
	if err := a.setupClient(ctx, args, cmd.skipAuth); err != nil {
		return a.fail(err)
	}
	if err := cmd.run(ctx, a, args); err != nil {
		return a.fail(err)
	}
	return exitOK
}

func (a *app) usageFailure(err error) int {
	var h helpRequested
	if errors.As(err, &h) {
		a.outf("%s", h.sp.help())
		return exitOK
	}
	var ue *usageError
	if errors.As(err, &ue) {
		if ue.sp != nil {
			a.errf("%s\n", ue.sp.usage())
		}
		a.errf("%s: error: %s\n", ue.prog, ue.msg)
		return exitUsage
	}
	return a.fail(err)
}

// fail prints an error the way StackStorm's shell does ("ERROR: ..." on
// stdout, then a blank line) and returns the exit code.
func (a *app) fail(err error) int {
	var ec exitCode
	if errors.As(err, &ec) {
		return int(ec)
	}
	var ue *usageError
	if errors.As(err, &ue) {
		return a.usageFailure(err)
	}
	var ce *client.ConnectionError
	if errors.As(err, &ce) {
		a.outf("ERROR: Unable to connect to %s: %v\n", ce.URL, rootCause(ce.Err))
		a.outf("Is the StackStorm API (st2d) running and reachable there? The URLs come from --url/--api-url/--auth-url/--stream-url, ST2_BASE_URL/ST2_API_URL/ST2_AUTH_URL/ST2_STREAM_URL or ~/.st2/config.\n\n")
		return exitError
	}
	var sl *streamLostError
	if errors.As(err, &sl) {
		// StackStorm's CLI ends with "ERROR: ('Connection broken: ...')"
		// when the stream breaks and says nothing when the server closes
		// it; both are reported here, on stderr, with a way to go on.
		a.errf("ERROR: %s\n", sl.Error())
		a.errf("The execution may still be running: \"st2 execution get %s\" shows its state, \"st2 execution tail %s\" follows it again.\n", sl.id, sl.id)
		return exitError
	}
	if errors.Is(err, context.Canceled) {
		a.errf("\nInterrupted.\n")
		return 130
	}
	a.outf("ERROR: %s\n\n", err.Error())
	return exitError
}

func rootCause(err error) error {
	for {
		u := errors.Unwrap(err)
		if u == nil {
			return err
		}
		err = u
	}
}

// loadConfig reads ~/.st2/config (or --config-file / ST2_CONFIG_FILE).
func (a *app) loadConfig(args *args) error {
	def := filepath.Join(configDir(a.env), "config")
	path := def
	if p := a.env["ST2_CONFIG_FILE"]; p != "" {
		path = p
	}
	if p := args.str("config_file"); p != "" {
		path = p
	}
	path = expandUser(path, a.env)
	if abs, err := filepath.Abs(path); err == nil {
		path = abs
	}
	a.configPath = path
	if _, err := os.Stat(path); err != nil {
		if path != def {
			return fmt.Errorf("Config %q not found", path)
		}
		a.cfg = nil
	} else {
		cfg, err := parseINI(path)
		if err != nil {
			return err
		}
		a.cfg = cfg
	}
	if tz := a.cfg.get("cli", "timezone"); tz != "" {
		loc, err := time.LoadLocation(tz)
		if err != nil {
			return fmt.Errorf("loading time zone %q from %s: %w", tz, path, err)
		}
		a.tz = loc
	}
	return nil
}

func (a *app) skipConfig(args *args) bool {
	return args.boolean("skip_config") || (a.env["ST2_CLI_SKIP_CONFIG"] != "" && a.env["ST2_CLI_SKIP_CONFIG"] != "0")
}

// first returns the first non-empty string.
func first(vals ...string) string {
	for _, v := range vals {
		if v != "" {
			return v
		}
	}
	return ""
}

// setupClient builds the REST client from flags, environment and config
// (in that order of precedence) and, when the config holds credentials and
// no token or API key is given, logs in first.
func (a *app) setupClient(ctx context.Context, args *args, skipAuth bool) error {
	cfg := a.cfg
	if a.skipConfig(args) {
		cfg = nil
	}
	base := first(args.str("base_url"), a.env["ST2_BASE_URL"], cfg.get("general", "base_url"), client.DefaultBaseURL)
	version := first(args.str("api_version"), a.env["ST2_API_VERSION"], cfg.get("general", "api_version"), client.DefaultAPIVersion)
	def := client.DefaultEndpoints(base, version)
	ep := client.Endpoints{
		Base:   base,
		API:    first(args.str("api_url"), a.env["ST2_API_URL"], cfg.get("api", "url"), def.API),
		Auth:   first(args.str("auth_url"), a.env["ST2_AUTH_URL"], cfg.get("auth", "url"), def.Auth),
		Stream: first(args.str("stream_url"), a.env["ST2_STREAM_URL"], cfg.get("stream", "url"), def.Stream),
	}
	basic := first(args.str("basic_auth"), cfg.get("credentials", "basic_auth"))
	if basic != "" && !strings.Contains(basic, ":") {
		return errors.New("basic_auth config options needs to be in the username:password notation")
	}
	hc, err := a.newHTTPClient(first(args.str("cacert"), a.env["ST2_CACERT"], cfg.get("general", "cacert")))
	if err != nil {
		return err
	}
	token := first(args.str("token"), a.env["ST2_AUTH_TOKEN"])
	apiKey := first(args.str("api_key"), a.env["ST2_API_KEY"], cfg.get("credentials", "api_key"))
	c := client.Config{Endpoints: ep, Token: token, APIKey: apiKey, BasicAuth: basic, HTTPClient: hc,
		UserAgent: "st2go-cli/" + Version}
	if a.debug {
		c.Debug = a.stdout
	}
	a.client = client.New(c)
	if skipAuth || token != "" || apiKey != "" || cfg == nil {
		return nil
	}
	username := cfg.get("credentials", "username")
	if username == "" {
		return nil
	}
	cache, err := cfg.boolean("cli", "cache_token", true)
	if err != nil {
		return err
	}
	tok, err := a.configToken(ctx, username, cfg.get("credentials", "password"), cache)
	if err != nil {
		var ce *client.ConnectionError
		if errors.As(err, &ce) {
			a.errf("WARNING: Auth API server is not available, skipping authentication (%v).\n", ce)
			return nil
		}
		a.println("Failed to authenticate with credentials provided in the config.")
		return err
	}
	a.client.SetToken(tok)
	return nil
}

func (a *app) newHTTPClient(cacert string) (*http.Client, error) {
	if a.httpClient != nil {
		return a.httpClient, nil
	}
	tr := http.DefaultTransport.(*http.Transport).Clone()
	switch strings.ToLower(cacert) {
	case "", "false", "0", "f", "no":
		// StackStorm's client does not verify certificates unless given a CA bundle.
		tr.TLSClientConfig = &tls.Config{InsecureSkipVerify: true} //nolint:gosec // StackStorm-compatible default
	case "true", "1", "t", "y", "yes":
	default:
		pem, err := os.ReadFile(cacert)
		if err != nil {
			return nil, fmt.Errorf("CA cert file %q does not exist.", cacert)
		}
		pool := x509.NewCertPool()
		if !pool.AppendCertsFromPEM(pem) {
			return nil, fmt.Errorf("reading CA cert file %q: no certificates found", cacert)
		}
		tr.TLSClientConfig = &tls.Config{RootCAs: pool}
	}
	return &http.Client{Transport: tr}, nil
}
