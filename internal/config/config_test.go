package config

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

var testEnv = []string{"HOME=/home/u"}

// loadString loads a config snippet as if it were the file t.conf.
func loadString(t *testing.T, text string, env ...string) (*Config, []Warning, error) {
	t.Helper()
	return load("t.conf", []byte(text), true, env, true)
}

func mustLoadString(t *testing.T, text string, env ...string) *Config {
	t.Helper()
	c, _, err := loadString(t, text, env...)
	if err != nil {
		t.Fatalf("load: %v", err)
	}
	return c
}

func warningStrings(ws []Warning) []string {
	out := make([]string, len(ws))
	for i, w := range ws {
		out[i] = w.String()
	}
	return out
}

func TestDefaultNoFile(t *testing.T) {
	t.Parallel()
	c := Default(testEnv)
	checks := []struct {
		name      string
		got, want any
	}{
		{"system.base_path", c.System.BasePath, "/home/u/.local/share/st2go"},
		{"content.system_packs_base_path", c.Content.SystemPacksBasePath, "/home/u/.local/share/st2go/packs"},
		{"content.packs_base_paths", c.Content.PacksBasePaths, []string{}},
		{"st2go.data_dir", c.ST2Go.DataDir, "/home/u/.local/share/st2go/data"},
		{"st2go.log_dir", c.ST2Go.LogDir, "/home/u/.local/share/st2go/logs"},
		{"st2go.store", c.ST2Go.Store, "embedded"},
		{"st2go.bus", c.ST2Go.Bus, "memory"},
		{"api", c.API.Addr(), "127.0.0.1:9101"},
		{"auth", c.Auth.Addr(), "127.0.0.1:9100"},
		{"auth.enable", c.Auth.Enable, true},
		{"stream", c.Stream.Addr(), "127.0.0.1:9102"},
		{"stream.heartbeat", c.Stream.Heartbeat, 25},
		{"system_user.user", c.SystemUser.User, "stanley"},
		{"system_user.ssh_key_file", c.SystemUser.SSHKeyFile, "/home/stanley/.ssh/stanley_rsa"},
		{"actionrunner.stream_output", c.Actionrunner.StreamOutput, true},
		{"actionrunner.virtualenv_opts", c.Actionrunner.VirtualenvOpts, []string{"--system-site-packages"}},
		{"webui.webui_base_url", c.Webui.WebuiBaseURL, "https://localhost"},
		{"database.port", c.Database.Port, 27017},
		{"database.zlib_compression_level", c.Database.ZlibCompressionLevel, (*int)(nil)},
		{"database.tls_allow_invalid_certificates", c.Database.TLSAllowInvalidCertificates, (*bool)(nil)},
		{"messaging.url", c.Messaging.URL, "amqp://guest:guest@127.0.0.1:5672//"},
		{"coordination.url", c.Coordination.URL, ""},
		{"action_sensor.emit_when", c.ActionSensor.EmitWhen, []string{"succeeded", "failed", "timeout", "canceled", "abandoned"}},
		{"sensorcontainer.partition_provider", c.Sensorcontainer.PartitionProvider, map[string]string{"name": "default"}},
		{"scheduler.sleep_interval", c.Scheduler.SleepInterval, 0.1},
		{"garbagecollector.action_executions_ttl", c.Garbagecollector.ActionExecutionsTTL, 0},
		{"garbagecollector.action_executions_output_ttl", c.Garbagecollector.ActionExecutionsOutputTTL, 7},
		{"timersengine.enable", c.Timersengine.Enable, true},
		{"mistral.v2_base_url", c.Mistral.V2BaseURL, "http://127.0.0.1:8989/v2"},
		{"mistral.retry_stop_max_msec", c.Mistral.RetryStopMaxMsec, 600000},
		{"path", c.Path(), ""},
	}
	for _, ch := range checks {
		if diff := cmp.Diff(ch.want, ch.got); diff != "" {
			t.Errorf("%s (-want +got):\n%s", ch.name, diff)
		}
	}
	for _, v := range c.Values() {
		if v.Source != SourceDefault {
			t.Errorf("[%s] %s: source %v, want default", v.Section, v.Option.Name, v.Source)
		}
	}
}

func TestDefaultBasePath(t *testing.T) {
	t.Parallel()
	tests := []struct {
		env  []string
		want string
	}{
		{[]string{"HOME=/h", "XDG_DATA_HOME=/xdg", "ST2GO_HOME=/st2go"}, "/st2go"},
		{[]string{"HOME=/h", "XDG_DATA_HOME=/xdg"}, "/xdg/st2go"},
		{[]string{"HOME=/h", "XDG_DATA_HOME=relative"}, "/h/.local/share/st2go"},
		{[]string{"HOME=/h", "ST2GO_HOME="}, "/h/.local/share/st2go"},
		{[]string{"HOME=/first", "HOME=/h"}, "/h/.local/share/st2go"},
		{[]string{"ST2GO_HOME=/a$b"}, "/a$b"},
	}
	for _, tc := range tests {
		c := Default(tc.env)
		if c.System.BasePath != tc.want {
			t.Errorf("env %q: base_path = %q, want %q", tc.env, c.System.BasePath, tc.want)
		}
		if want := tc.want + "/packs"; c.Content.SystemPacksBasePath != want {
			t.Errorf("env %q: system_packs_base_path = %q, want %q", tc.env, c.Content.SystemPacksBasePath, want)
		}
	}
}

func TestDefaultIgnoresST2Variables(t *testing.T) {
	t.Parallel()
	c := Default([]string{"HOME=/h", "ST2_API__PORT=1"})
	if c.API.Port != 9101 {
		t.Errorf("Default applied ST2_API__PORT: port = %d", c.API.Port)
	}
}

func TestLoadNoFile(t *testing.T) {
	t.Parallel()
	c, ws, err := Load("", []string{"HOME=/h", "ST2_API__PORT=9999", "ST2_SYSTEM__BASE_PATH=/srv/st2"})
	if err != nil {
		t.Fatalf("Load: %v", err)
	}
	if len(ws) != 0 {
		t.Errorf("warnings: %q", warningStrings(ws))
	}
	if c.API.Port != 9999 || c.System.BasePath != "/srv/st2" || c.Content.SystemPacksBasePath != "/srv/st2/packs" || c.ST2Go.DataDir != "/srv/st2/data" {
		t.Errorf("got port %d, base %q, packs %q, data %q", c.API.Port, c.System.BasePath, c.Content.SystemPacksBasePath, c.ST2Go.DataDir)
	}
}

func TestLoadFileKeepsStackStormDefaults(t *testing.T) {
	t.Parallel()
	c := mustLoadString(t, "[api]\nport = 9101\n", "HOME=/h", "ST2GO_HOME=/ignored")
	if c.System.BasePath != "/opt/stackstorm" || c.Content.SystemPacksBasePath != "/opt/stackstorm/packs" {
		t.Errorf("base %q, packs %q; want StackStorm's defaults", c.System.BasePath, c.Content.SystemPacksBasePath)
	}
	// As in StackStorm, the packs directory does not follow a configured
	// base_path; st2go's own directories do.
	c = mustLoadString(t, "[system]\nbase_path = /srv\n")
	if c.Content.SystemPacksBasePath != "/opt/stackstorm/packs" || c.ST2Go.DataDir != "/srv/data" || c.ST2Go.LogDir != "/srv/logs" {
		t.Errorf("packs %q, data %q, logs %q", c.Content.SystemPacksBasePath, c.ST2Go.DataDir, c.ST2Go.LogDir)
	}
}

func TestLoadMissingFile(t *testing.T) {
	t.Parallel()
	_, _, err := Load(filepath.Join(t.TempDir(), "nope.conf"), nil)
	if !errors.Is(err, os.ErrNotExist) || !strings.Contains(err.Error(), "nope.conf") {
		t.Errorf("err = %v, want a not-exist error naming the file", err)
	}
}

func TestLoadGoodFiles(t *testing.T) {
	t.Parallel()
	tests := []struct {
		file  string
		check func(t *testing.T, c *Config)
		warns []string
	}{
		{
			file: "package.conf",
			check: func(t *testing.T, c *Config) {
				if c.Database.Username != "st2" || c.Database.Password != "StackStorm" {
					t.Errorf("database credentials %q/%q", c.Database.Username, c.Database.Password)
				}
				if diff := cmp.Diff([]string{"*"}, c.API.AllowOrigin); diff != "" {
					t.Errorf("allow_origin: %s", diff)
				}
				if diff := cmp.Diff([]string{"requests", "paramiko"}, c.Log.Excludes); diff != "" {
					t.Errorf("excludes: %s", diff)
				}
				if c.Auth.BackendKwargs != `{"file_path": "/etc/st2/htpasswd"}` {
					t.Errorf("backend_kwargs %q", c.Auth.BackendKwargs)
				}
				v, _ := c.Lookup("api", "port")
				if v.Where() != "testdata/good/package.conf:6" {
					t.Errorf("api.port from %s", v.Where())
				}
			},
		},
		{
			file: "syntax.conf",
			check: func(t *testing.T, c *Config) {
				checks := []struct {
					name      string
					got, want any
				}{
					{"base_path from [DEFAULT]", c.System.BasePath, "/srv/st2"},
					{"debug with colon", c.System.Debug, true},
					{"cross-section reference", c.Content.SystemPacksBasePath, "/srv/st2/packs"},
					{"colon paths", c.Content.PacksBasePaths, []string{"/srv/extra", "/srv/more"}},
					{"list over continuation", c.Content.IndexURL, []string{"https://a.example/index.json", "https://b.example/index.json"}},
					{"section case", c.API.Port, 9999},
					{"quoted list", c.API.AllowOrigin, []string{"http://a.example", "http://b.example"}},
					{"single quotes", c.API.Host, "0.0.0.0"},
					{"bool OFF", c.Auth.Enable, false},
					{"multi-line JSON", c.Auth.BackendKwargs, "{\"bind_dn\": \"cn=st2\",\n\"bind_pw\": \"hunter2\"}"},
					{"no spaces around =", c.Stream.Heartbeat, 5},
					{"escaped dollar", c.Webui.WebuiBaseURL, "https://st2.example.com/$path"},
					{"dict", c.Sensorcontainer.PartitionProvider, map[string]string{"name": "file", "partition_file": "/etc/st2/partition.yaml"}},
					{"compressors", c.Database.Compressors, []string{"zstd", "zlib"}},
					{"nullable int set", *c.Database.ZlibCompressionLevel, 9},
				}
				for _, ch := range checks {
					if diff := cmp.Diff(ch.want, ch.got); diff != "" {
						t.Errorf("%s (-want +got):\n%s", ch.name, diff)
					}
				}
			},
		},
		{
			file: "warnings.conf",
			warns: []string{
				"testdata/good/warnings.conf:5: unknown option prot in [api] (did you mean port?); it is ignored",
				"testdata/good/warnings.conf:7: unknown section [apii] (did you mean [api]?); its options are ignored",
				"testdata/good/warnings.conf:10: section [exporter] is ignored: st2exporter was removed from StackStorm",
				"testdata/good/warnings.conf:14: [database] ssl is a deprecated name; use tls",
				"testdata/good/warnings.conf:15: [database] ssl_keyfile is deprecated: ignored since StackStorm 3.9",
				"testdata/good/warnings.conf:17: [mistral]: Mistral was removed from StackStorm in 3.3",
				"testdata/good/warnings.conf:22: [stream] port is set again (first at line 21); this value wins",
				"testdata/good/warnings.conf:2: [DEFAULT] unused has no effect",
			},
			check: func(t *testing.T, c *Config) {
				if !c.Database.TLS || c.Stream.Port != 2 || c.API.Port != 9101 {
					t.Errorf("tls %v, stream port %d, api port %d", c.Database.TLS, c.Stream.Port, c.API.Port)
				}
			},
		},
	}
	for _, tc := range tests {
		t.Run(tc.file, func(t *testing.T) {
			t.Parallel()
			c, ws, err := Load(filepath.Join("testdata", "good", tc.file), testEnv)
			if err != nil {
				t.Fatalf("Load: %v", err)
			}
			got := warningStrings(ws)
			if len(got) != len(tc.warns) {
				t.Errorf("got %d warnings, want %d:\n%s", len(got), len(tc.warns), strings.Join(got, "\n"))
			}
			for _, w := range tc.warns {
				if !slices.ContainsFunc(got, func(g string) bool { return strings.HasPrefix(g, w) }) {
					t.Errorf("no warning starting %q in:\n%s", w, strings.Join(got, "\n"))
				}
			}
			tc.check(t, c)
			if c.Path() != filepath.Join("testdata", "good", tc.file) {
				t.Errorf("Path() = %q", c.Path())
			}
		})
	}
}

func TestLoadBadFiles(t *testing.T) {
	t.Parallel()
	tests := []struct {
		file string
		want []string
	}{
		{"port.conf", []string{`bad/port.conf:2: [api] port: invalid integer value "abc"`}},
		{"bool.conf", []string{`bad/bool.conf:3: [auth] enable: invalid boolean value "maybe"`}},
		{"syntax.conf", []string{`bad/syntax.conf:3: expected "option = value", a [section] header or a comment, got "just some words"`}},
		{"header.conf", []string{`bad/header.conf:1: section header "[api" has no closing ]`}},
		{"nosection.conf", []string{`bad/nosection.conf:1: option "port" comes before any [section] header`}},
		{"continuation.conf", []string{`bad/continuation.conf:4: indented line "continued" continues no option`}},
		{"interpolation.conf", []string{`bad/interpolation.conf:2: [database] password: $word refers to no option (write $$ for a literal $)`}},
		{"cycle.conf", []string{
			"bad/cycle.conf:2: [api] host: interpolation cycle: [api] host -> [api] port -> [api] host",
			"bad/cycle.conf:3: [api] port: interpolation cycle",
		}},
		{"choice.conf", []string{`bad/choice.conf:2: [api] auth_cookie_same_site: invalid value "sometimes": must be one of strict, lax, none, unset`}},
		{"range.conf", []string{"bad/range.conf:2: [stream] port: value 70000 out of range: must be from 0 to 65535"}},
		{"dict.conf", []string{`bad/dict.conf:2: [sensorcontainer] partition_provider: invalid entry "default" in "default": want key:value`}},
		{"empty.conf", []string{"bad/empty.conf:2: [api] port: empty value: write a integer, or remove the line to use the default 9101"}},
		{"many.conf", []string{
			`bad/many.conf:2: [api] port: invalid integer value "abc"`,
			`bad/many.conf:4: [auth] enable: invalid boolean value "maybe"`,
			`bad/many.conf:6: [metrics] sample_rate: invalid float value "lots"`,
			`bad/many.conf:7: empty option name`,
		}},
	}
	for _, tc := range tests {
		t.Run(tc.file, func(t *testing.T) {
			t.Parallel()
			c, _, err := Load(filepath.Join("testdata", "bad", tc.file), testEnv)
			if err == nil {
				t.Fatal("Load succeeded, want an error")
			}
			if c != nil {
				t.Error("Load returned a config along with an error")
			}
			for _, w := range tc.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error does not contain %q:\n%v", w, err)
				}
			}
			var ce *Error
			if !errors.As(err, &ce) {
				t.Errorf("error %v holds no *Error", err)
			}
		})
	}
}

func TestInterpolation(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, in string
		want     string // effective [webui] webui_base_url
		wantErr  string
	}{
		{name: "same section", in: "[webui]\nwebui_base_url = $x/ui\nx = https://h", want: "https://h/ui"},
		{name: "braces", in: "[webui]\nwebui_base_url = ${x}ui\nx = https://h/", want: "https://h/ui"},
		{name: "DEFAULT", in: "[DEFAULT]\nx = https://d\n[webui]\nwebui_base_url = $x", want: "https://d"},
		{name: "same section beats DEFAULT", in: "[DEFAULT]\nx = d\n[webui]\nx = s\nwebui_base_url = $x", want: "s"},
		{name: "other section", in: "[webui]\nwebui_base_url = http://${api.host}:${api.port}", want: "http://127.0.0.1:9101"},
		{name: "reference to a default", in: "[webui]\nwebui_base_url = ${system.base_path}", want: "/opt/stackstorm"},
		{name: "chain", in: "[DEFAULT]\na = $b\nb = ${c}c\nc = c\n[webui]\nwebui_base_url = $a", want: "cc"},
		{name: "double dollar", in: "[webui]\nwebui_base_url = a$$b", want: "a$b"},
		{name: "backslash dollar", in: "[webui]\nwebui_base_url = a\\$b", want: "a$b"},
		{name: "lone dollar kept", in: "[webui]\nwebui_base_url = a$ $1 ${ $", want: "a$ $1 ${ $"},
		{name: "unset reference is empty", in: "[webui]\nwebui_base_url = <${auth.api_url}>", want: "<>"},
		{name: "deprecated name", in: "[database]\ntls_ca_file = /ca\n[webui]\nwebui_base_url = ${database.ssl_ca_certs}", want: "/ca"},
		{name: "undefined", in: "[webui]\nwebui_base_url = $nope", wantErr: "t.conf:2: [webui] webui_base_url: $nope refers to no option"},
		{name: "dotted name is a section", in: "[webui]\nwebui_base_url = $host.example", wantErr: "$host.example refers to no option"},
		{name: "self reference", in: "[webui]\nwebui_base_url = $webui_base_url", wantErr: "interpolation cycle: [webui] webui_base_url -> [webui] webui_base_url"},
		{name: "broken reference", in: "[DEFAULT]\nx = $nope\n[webui]\nwebui_base_url = $x", wantErr: "t.conf:2: [DEFAULT] x: $nope refers to no option"},
		{name: "broken reference reported twice", in: "[DEFAULT]\nx = $nope\n[webui]\nwebui_base_url = $x", wantErr: "t.conf:4: [webui] webui_base_url: $x refers to a value that has an error"},
		{name: "doubling", in: "[DEFAULT]\n" + doubling(40) + "[webui]\nwebui_base_url = $v40", wantErr: "t.conf:22: [DEFAULT] v20: value is longer than 1048576 bytes after interpolation"},
		{name: "typed after interpolation", in: "[DEFAULT]\np = x1\n[api]\nport = $p", wantErr: `t.conf:4: [api] port: invalid integer value "x1" (from "$p" after interpolation)`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			c, _, err := loadString(t, tc.in)
			if tc.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
					t.Fatalf("err = %v, want it to contain %q", err, tc.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatalf("load: %v", err)
			}
			if c.Webui.WebuiBaseURL != tc.want {
				t.Errorf("webui_base_url = %q, want %q", c.Webui.WebuiBaseURL, tc.want)
			}
		})
	}
}

// doubling returns [DEFAULT] lines where each value is twice the previous.
func doubling(n int) string {
	var b strings.Builder
	b.WriteString("v0 = xx\n")
	for i := 1; i <= n; i++ {
		fmt.Fprintf(&b, "v%d = $v%d$v%d\n", i, i-1, i-1)
	}
	return b.String()
}

func TestInterpolatedInt(t *testing.T) {
	t.Parallel()
	c, ws, err := loadString(t, "[DEFAULT]\nbase = 91\n[api]\nport = ${base}01\n")
	if err != nil {
		t.Fatal(err)
	}
	if c.API.Port != 9101 {
		t.Errorf("port = %d", c.API.Port)
	}
	if len(ws) != 0 {
		t.Errorf("a referenced [DEFAULT] key drew warnings: %q", warningStrings(ws))
	}
}

func TestContinuation(t *testing.T) {
	t.Parallel()
	c := mustLoadString(t, "[action_sensor]\nemit_when = succeeded,\n  failed,\n\ttimeout\nenable = no\n")
	if diff := cmp.Diff([]string{"succeeded", "failed", "timeout"}, c.ActionSensor.EmitWhen); diff != "" {
		t.Errorf("emit_when (-want +got):\n%s", diff)
	}
	if c.ActionSensor.Enable {
		t.Error("enable = no read as true")
	}
	v, _ := c.Lookup("action_sensor", "emit_when")
	if v.Text != "succeeded,\nfailed,\ntimeout" || v.Line != 2 {
		t.Errorf("text %q at line %d", v.Text, v.Line)
	}
}

func TestBooleans(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]bool{
		"true": true, "True": true, "YES": true, "on": true, "1": true,
		"false": false, "FALSE": false, "no": false, "Off": false, "0": false,
	} {
		c := mustLoadString(t, "[api]\ndebug = "+in+"\n")
		if c.API.Debug != want {
			t.Errorf("debug = %s read as %v", in, c.API.Debug)
		}
	}
	for _, in := range []string{"maybe", "2", "y", "t", "enabled"} {
		if _, _, err := loadString(t, "[api]\ndebug = "+in+"\n"); err == nil || !strings.Contains(err.Error(), `invalid boolean value "`+in+`"`) {
			t.Errorf("debug = %s: err %v", in, err)
		}
	}
}

func TestLists(t *testing.T) {
	t.Parallel()
	tests := []struct {
		in   string
		want []string
	}{
		{"", []string{}},
		{"a", []string{"a"}},
		{" a , b ,c ", []string{"a", "b", "c"}},
		{"a,b,,", []string{"a", "b"}},
		{"a,,b", []string{"a", "", "b"}},
		{"--a=1,--b", []string{"--a=1", "--b"}},
	}
	for _, tc := range tests {
		c := mustLoadString(t, "[actionrunner]\npip_opts = "+tc.in+"\n")
		if diff := cmp.Diff(tc.want, c.Actionrunner.PipOpts); diff != "" {
			t.Errorf("pip_opts = %q (-want +got):\n%s", tc.in, diff)
		}
	}
}

func TestPackPaths(t *testing.T) {
	t.Parallel()
	c := mustLoadString(t, "[content]\npacks_base_paths = /a::/opt/stackstorm/packs:/b:/a:\n")
	if diff := cmp.Diff([]string{"/a", "/opt/stackstorm/packs", "/b", "/a"}, c.Content.PacksBasePaths); diff != "" {
		t.Errorf("PacksBasePaths: %s", diff)
	}
	if diff := cmp.Diff([]string{"/opt/stackstorm/packs", "/a", "/b"}, c.Content.PackPaths()); diff != "" {
		t.Errorf("PackPaths: %s", diff)
	}
}

func TestEnvOverrides(t *testing.T) {
	t.Parallel()
	file := "[api]\nport = 1234\n[database]\nhost = filehost\n"
	c, ws, err := loadString(t, file,
		"PATH=/bin", "ST2_API__PORT=9999", "ST2_DATABASE__HOST=envhost", "ST2_AUTH__ENABLE=false",
		"ST2_WORKFLOW_ENGINE__GC_MAX_IDLE_SEC=30", "ST2_DATABASE__SSL=true", "ST2_API_URL=http://cli-only",
		"ST2_CONTENT__PACKS_BASE_PATHS=/x:/y", "ST2_DEFAULT__DEBUG=true")
	if err != nil {
		t.Fatal(err)
	}
	if len(ws) != 0 {
		t.Errorf("warnings: %q", warningStrings(ws))
	}
	if c.API.Port != 9999 || c.Database.Host != "envhost" || c.Auth.Enable || c.WorkflowEngine.GCMaxIdleSec != 30 || !c.Database.TLS {
		t.Errorf("port %d host %q auth %v gc %d tls %v", c.API.Port, c.Database.Host, c.Auth.Enable, c.WorkflowEngine.GCMaxIdleSec, c.Database.TLS)
	}
	if diff := cmp.Diff([]string{"/x", "/y"}, c.Content.PacksBasePaths); diff != "" {
		t.Errorf("packs_base_paths: %s", diff)
	}
	v, _ := c.Lookup("api", "port")
	if v.Source != SourceEnv || v.Where() != "$ST2_API__PORT" {
		t.Errorf("api.port source %v %s", v.Source, v.Where())
	}
}

func TestEnvProblems(t *testing.T) {
	t.Parallel()
	_, ws, err := loadString(t, "", "ST2_API__PORT=abc", "ST2_NOPE__X=1", "ST2_API__NOPE=1")
	if err == nil || !strings.Contains(err.Error(), `environment variable ST2_API__PORT: [api] port: invalid integer value "abc"`) {
		t.Errorf("err = %v", err)
	}
	want := []string{
		"environment variable ST2_NOPE__X: unknown section [nope]; variable ignored",
		"environment variable ST2_API__NOPE: unknown option nope in [api]; variable ignored",
	}
	if diff := cmp.Diff(want, warningStrings(ws)); diff != "" {
		t.Errorf("warnings (-want +got):\n%s", diff)
	}
}

func TestDeprecatedNames(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, in string
		tls      bool
		ca       string
		warn     string
	}{
		{"old names", "[database]\nssl = true\nssl_ca_certs = /ca\n", true, "/ca", "t.conf:2: [database] ssl is a deprecated name; use tls"},
		{"new beats old after", "[database]\nssl = true\ntls = false\n", false, "", "t.conf:3: [database] tls replaces the deprecated name ssl set at line 2"},
		{"new beats old before", "[database]\ntls = false\nssl = true\n", false, "", "t.conf:3: [database] ssl is a deprecated name of tls, which is already set at line 2; ignoring this line"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			c, ws, err := loadString(t, tc.in)
			if err != nil {
				t.Fatal(err)
			}
			if c.Database.TLS != tc.tls || c.Database.TLSCAFile != tc.ca {
				t.Errorf("tls %v ca %q", c.Database.TLS, c.Database.TLSCAFile)
			}
			if !slices.Contains(warningStrings(ws), tc.warn) {
				t.Errorf("warnings %q lack %q", warningStrings(ws), tc.warn)
			}
			old, _ := c.Get("database", "ssl")
			cur, _ := c.Get("database", "tls")
			if old != cur {
				t.Errorf("Get(database, ssl) = %q, Get(database, tls) = %q", old, cur)
			}
		})
	}
}

func TestTimerFolding(t *testing.T) {
	t.Parallel()
	tests := []struct {
		in     string
		enable bool
		tz     string
	}{
		{"[timersengine]\nenable = false\n", false, "America/Los_Angeles"},
		{"[timersengine]\nenable = false\n[timer]\nenable = true\nlocal_timezone = UTC\n", true, "UTC"},
		{"[timer]\nenable = false\n", true, "America/Los_Angeles"},
	}
	for _, tc := range tests {
		c, ws, err := loadString(t, tc.in)
		if err != nil {
			t.Fatal(err)
		}
		if c.Timersengine.Enable != tc.enable || c.Timersengine.LocalTimezone != tc.tz {
			t.Errorf("%q: enable %v tz %q", tc.in, c.Timersengine.Enable, c.Timersengine.LocalTimezone)
		}
		if strings.Contains(tc.in, "[timer]") && !slices.ContainsFunc(ws, func(w Warning) bool { return strings.Contains(w.Msg, "use [timersengine]") }) {
			t.Errorf("%q: no deprecation warning in %q", tc.in, warningStrings(ws))
		}
	}
}

func TestEffectiveTLS(t *testing.T) {
	t.Parallel()
	tests := []struct {
		in   string
		want DatabaseTLS
	}{
		{"", DatabaseTLS{}},
		{"tls = true", DatabaseTLS{Enabled: true}},
		{"ssl = true\nssl_match_hostname = false", DatabaseTLS{Enabled: true, AllowInvalidHostnames: true}},
		{"tls_ca_file = /ca\nssl_cert_reqs = none", DatabaseTLS{Enabled: true, CAFile: "/ca", AllowInvalidCertificates: true}},
		{"tls = true\nssl_cert_reqs = none\ntls_allow_invalid_certificates = false\ntls_allow_invalid_hostnames = true\nssl_match_hostname = true",
			DatabaseTLS{Enabled: true, AllowInvalidHostnames: true}},
		{"tls_certificate_key_file = /k.pem\ntls_certificate_key_file_password = pw",
			DatabaseTLS{Enabled: true, CertificateKeyFile: "/k.pem", CertificateKeyFilePassword: "pw"}},
	}
	for _, tc := range tests {
		c := mustLoadString(t, "[database]\n"+tc.in+"\n")
		if diff := cmp.Diff(tc.want, c.Database.EffectiveTLS()); diff != "" {
			t.Errorf("%q (-want +got):\n%s", tc.in, diff)
		}
	}
}

func TestGet(t *testing.T) {
	t.Parallel()
	c := mustLoadString(t, "[API]\nport = 1\n[database]\npassword = p$$w\n")
	tests := []struct {
		section, option, want string
		ok                    bool
	}{
		{"api", "port", "1", true},
		{"API", "port", "1", true},
		{"api", "host", "127.0.0.1", true},
		{"database", "password", "p$w", true},
		{"database", "ssl_ca_certs", "", true},
		{"api", "Port", "", false},
		{"nope", "port", "", false},
		{"st2go", "store", "embedded", true},
	}
	for _, tc := range tests {
		got, ok := c.Get(tc.section, tc.option)
		if got != tc.want || ok != tc.ok {
			t.Errorf("Get(%q, %q) = %q, %v; want %q, %v", tc.section, tc.option, got, ok, tc.want, tc.ok)
		}
	}
}

// TestDeclarations checks the declaration table against itself and against
// the typed struct: every option has exactly one field of a matching Go
// type, and every default converts.
func TestDeclarations(t *testing.T) {
	t.Parallel()
	fields := map[string]reflect.Type{}
	ct := reflect.TypeFor[Config]()
	for i := range ct.NumField() {
		section := ct.Field(i).Tag.Get("ini")
		if section == "" {
			continue
		}
		st := ct.Field(i).Type
		for j := range st.NumField() {
			k := key(section, st.Field(j).Tag.Get("ini"))
			if _, dup := fields[k]; dup {
				t.Errorf("two fields for %s", k)
			}
			fields[k] = st.Field(j).Type
		}
	}
	goTypes := map[Type]reflect.Type{
		TypeString: reflect.TypeFor[string](),
		TypeInt:    reflect.TypeFor[int](),
		TypeFloat:  reflect.TypeFor[float64](),
		TypeBool:   reflect.TypeFor[bool](),
		TypeList:   reflect.TypeFor[[]string](),
		TypeDict:   reflect.TypeFor[map[string]string](),
		TypePaths:  reflect.TypeFor[[]string](),
	}
	seenSections := map[string]bool{}
	for _, s := range declarations {
		if seenSections[s.Name] || normalizeSection(s.Name) != s.Name {
			t.Errorf("section %q declared twice or not in normal form", s.Name)
		}
		seenSections[s.Name] = true
		names := map[string]bool{}
		for i := range s.Options {
			o := &s.Options[i]
			k := key(s.Name, o.Name)
			for _, n := range append([]string{o.Name}, o.DeprecatedNames...) {
				if names[n] {
					t.Errorf("%s: name %q used twice", s.Name, n)
				}
				names[n] = true
			}
			if o.Help == "" {
				t.Errorf("%s has no help", k)
			}
			if i > 0 && s.Options[i-1].Name >= o.Name {
				t.Errorf("%s is out of alphabetical order", k)
			}
			ft, ok := fields[k]
			if !ok {
				t.Errorf("%s has no field in Config", k)
				continue
			}
			delete(fields, k)
			want := goTypes[o.Type]
			if ft.Kind() == reflect.Pointer {
				if o.Default != "" {
					t.Errorf("%s: pointer field but a default", k)
				}
				ft = ft.Elem()
			}
			if ft != want {
				t.Errorf("%s: field type %v, want %v for %v", k, ft, want, o.Type)
			}
			if o.Secret && o.Type != TypeString {
				t.Errorf("%s: secret but not a string", k)
			}
			if o.Range != nil && o.Type != TypeInt {
				t.Errorf("%s: range on a non-integer", k)
			}
			if _, err := convert(o, o.Default); err != nil && !strings.Contains(o.Default, "$") {
				t.Errorf("%s: default %q does not convert: %v", k, o.Default, err)
			}
		}
	}
	for k := range fields {
		t.Errorf("field for %s has no declaration", k)
	}
}

// TestRequiredOptions lists the options StackStorm's documentation and
// sample config name (ST2-REFERENCE §2); each must be declared, under its
// own name or as a deprecated name.
func TestRequiredOptions(t *testing.T) {
	t.Parallel()
	required := map[string][]string{
		"action_sensor": {"enable", "emit_when"},
		"actionrunner": {"actions_pool_size", "workflows_pool_size", "graceful_shutdown", "exit_still_active_check",
			"still_active_check_interval", "logging", "python_binary", "virtualenv_binary", "virtualenv_opts", "pip_opts",
			"python_runner_log_level", "stream_output", "stream_output_buffer_size"},
		"api": {"host", "port", "allow_origin", "mask_secrets", "max_page_size", "auth_cookie_secure", "auth_cookie_same_site", "debug", "logging"},
		"auth": {"enable", "mode", "api_url", "token_ttl", "service_token_ttl", "backend", "backend_kwargs", "host", "port",
			"use_ssl", "cert", "key", "sso", "sso_backend", "sso_backend_kwargs", "debug", "logging"},
		"content":      {"system_packs_base_path", "packs_base_paths", "index_url", "pack_group", "system_runners_base_path", "runners_base_paths"},
		"coordination": {"url", "lock_timeout", "service_registry"},
		"database": {"host", "port", "db_name", "username", "password", "authentication_mechanism", "connection_timeout",
			"connection_retry_max_delay_m", "connection_retry_backoff_max_s", "connection_retry_backoff_mul", "compressors",
			"zlib_compression_level", "tls", "ssl", "tls_ca_file", "ssl_ca_certs", "tls_certificate_key_file",
			"tls_certificate_key_file_password", "tls_allow_invalid_certificates", "tls_allow_invalid_hostnames",
			"ssl_keyfile", "ssl_certfile", "ssl_cert_reqs", "ssl_match_hostname"},
		"garbagecollector": {"collection_interval", "sleep_delay", "action_executions_ttl", "action_executions_output_ttl",
			"trigger_instances_ttl", "traces_ttl", "tokens_ttl", "rule_enforcements_ttl", "workflow_executions_ttl",
			"task_executions_ttl", "purge_inquiries", "logging"},
		"keyvalue": {"enable_encryption", "encryption_key_path"},
		"log":      {"mask_secrets", "mask_secrets_blacklist", "excludes", "redirect_stderr"},
		"messaging": {"url", "cluster_urls", "prefix", "ssl", "ssl_keyfile", "ssl_certfile", "ssl_cert_reqs", "ssl_ca_certs",
			"login_method", "compression", "connection_retries", "connection_retry_wait"},
		"metrics": {"driver", "host", "port", "prefix", "sample_rate"},
		"mistral": {"v2_base_url", "retry_exp_msec", "retry_exp_max_msec", "retry_stop_max_msec", "keystone_username",
			"keystone_password", "keystone_project_name", "keystone_auth_url", "api_url", "jitter_interval", "insecure",
			"enable_polling", "cacert"},
		"notifier":    {"logging"},
		"rulesengine": {"logging"},
		"scheduler": {"logging", "pool_size", "sleep_interval", "gc_interval", "execution_scheduling_timeout_threshold_min",
			"retry_max_attempt", "retry_wait_msec"},
		"sensorcontainer": {"logging", "sensor_node_name", "partition_provider", "single_sensor_mode"},
		"stream":          {"host", "port", "heartbeat", "debug", "logging"},
		"timersengine":    {"enable", "local_timezone", "logging"},
		"timer":           {"enable", "local_timezone", "logging"},
		"workflow_engine": {"logging", "retry_wait_fixed_msec", "retry_max_jitter_msec", "retry_stop_max_msec",
			"gc_max_idle_sec", "exit_still_active_check", "still_active_check_interval"},
		"packs":           {"enable_common_libs"},
		"rbac":            {"enable", "backend", "sync_remote_groups", "permission_isolation"},
		"results_tracker": {"query_interval", "thread_pool_size"},
		"schema":          {"draft", "version"},
		"ssh_runner": {"use_ssh_config", "ssh_config_file_path", "remote_dir", "allow_partial_failure",
			"max_parallel_actions", "ssh_connect_timeout"},
		"syslog":      {"host", "port", "facility", "protocol"},
		"system":      {"base_path", "debug", "validate_trigger_parameters", "validate_trigger_payload", "validate_output_schema"},
		"system_user": {"user", "ssh_key_file"},
		"webui":       {"webui_base_url"},
		"st2go":       {"data_dir", "store", "bus", "log_dir"},
	}
	c := Default(testEnv)
	for section, options := range required {
		for _, o := range options {
			if _, ok := LookupOption(section, o); !ok {
				t.Errorf("[%s] %s is not declared", section, o)
			}
			if _, ok := c.Get(section, o); !ok {
				t.Errorf("Get(%q, %q) is not ok", section, o)
			}
		}
	}
	secrets := []string{"database.password", "database.tls_certificate_key_file_password", "mistral.keystone_password"}
	for _, s := range secrets {
		section, option, _ := strings.Cut(s, ".")
		if o, ok := LookupOption(section, option); !ok || !o.Secret {
			t.Errorf("%s is not declared secret", s)
		}
	}
	mistral := map[string]string{
		"v2_base_url": "http://127.0.0.1:8989/v2", "retry_exp_msec": "1000",
		"retry_exp_max_msec": "300000", "retry_stop_max_msec": "600000",
	}
	for o, want := range mistral {
		if got, _ := c.Get("mistral", o); got != want {
			t.Errorf("mistral.%s = %q, want %q", o, got, want)
		}
	}
}

func TestSuggestion(t *testing.T) {
	t.Parallel()
	known := []string{"port", "host"}
	for in, want := range map[string]string{"prot": " (did you mean port?)", "Port": " (did you mean port?)", "hostname": "", "zzz": ""} {
		if got := suggestion(in, known, "%s"); got != want {
			t.Errorf("suggestion(%q) = %q, want %q", in, got, want)
		}
	}
}
