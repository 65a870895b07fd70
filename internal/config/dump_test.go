package config

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestDumpMasksSecrets(t *testing.T) {
	t.Parallel()
	c := mustLoadString(t, `[database]
password = hunter2
tls_certificate_key_file_password = keypass
host = mongodb://st2:dbpass@n1:27017,n2:27017/st2?replicaSet=rs0
[messaging]
url = amqp://st2:mqpass@rabbit:5672/
cluster_urls = amqp://a:pa1@r1:5672//, amqp://b:pa2@r2:5672//
[coordination]
url = redis://:redispass@127.0.0.1:6379?db=0&password=qpass
[mistral]
keystone_password = kspass
[auth]
backend_kwargs = {"bind_dn": "cn=admin", "bind_pw": "ldappass", "nested": {"api_key": "k1"}}
sso_backend_kwargs = not json but has a secret inside
`)
	var masked, clear strings.Builder
	if err := c.Dump(&masked, true); err != nil {
		t.Fatal(err)
	}
	if err := c.Dump(&clear, false); err != nil {
		t.Fatal(err)
	}
	secrets := []string{"hunter2", "keypass", "dbpass", "mqpass", "pa1", "pa2", "redispass", "qpass", "kspass", "ldappass", "k1", "secret inside"}
	for _, s := range secrets {
		if strings.Contains(masked.String(), s) {
			t.Errorf("masked dump shows %q", s)
		}
		if !strings.Contains(clear.String(), s) {
			t.Errorf("clear dump lacks %q", s)
		}
	}
	for _, want := range []string{
		"password = ********\n",
		"tls_certificate_key_file_password = ********\n",
		"host = mongodb://st2:********@n1:27017,n2:27017/st2?replicaSet=rs0\n",
		"url = amqp://st2:********@rabbit:5672/\n",
		"cluster_urls = amqp://a:********@r1:5672//, amqp://b:********@r2:5672//\n",
		"url = redis://:********@127.0.0.1:6379?db=0&password=********\n",
		"keystone_password = ********\n",
		`backend_kwargs = {"bind_dn":"cn=admin","bind_pw":"********","nested":{"api_key":"********"}}` + "\n",
		"sso_backend_kwargs = ********\n",
		"username =\n",
		"[st2go]\n",
		"webui_base_url = https://localhost\n",
	} {
		if !strings.Contains(masked.String(), want) {
			t.Errorf("masked dump lacks %q", want)
		}
	}
}

func TestDumpListsEveryOption(t *testing.T) {
	t.Parallel()
	var b strings.Builder
	if err := Default(testEnv).Dump(&b, true); err != nil {
		t.Fatal(err)
	}
	for _, s := range declarations {
		if !strings.Contains(b.String(), "["+s.Name+"]\n") {
			t.Errorf("no [%s]", s.Name)
		}
		for _, o := range s.Options {
			if !strings.Contains(b.String(), "\n"+o.Name+" =") {
				t.Errorf("no [%s] %s", s.Name, o.Name)
			}
		}
	}
}

// TestDumpRoundTrip checks that an unmasked dump loads back to the same
// values, including values that need quoting and escaping.
func TestDumpRoundTrip(t *testing.T) {
	t.Parallel()
	texts := []string{
		"plain", "", " leading", "trailing ", `"quoted"`, `'single'`, `"`, `'`, `"half`,
		"a$b", "$$", `\$`, `a\$b$`, `\\$x`, "${api.host}", "#not a comment", "; neither",
		"multi\nline\nvalue", "x = y", "tab\there",
	}
	for _, text := range texts {
		c := Default(testEnv)
		i := c.index[key("webui", "webui_base_url")]
		c.values[i].Text = text

		var b strings.Builder
		if err := c.Dump(&b, false); err != nil {
			t.Fatal(err)
		}
		back, ws, err := load("dump.conf", []byte(b.String()), true, nil, true)
		if err != nil {
			t.Fatalf("text %q: dump does not load: %v\n%s", text, err, b.String())
		}
		if len(ws) != 0 {
			t.Errorf("text %q: warnings %q", text, warningStrings(ws))
		}
		if got := back.Webui.WebuiBaseURL; got != text {
			t.Errorf("text %q came back as %q", text, got)
		}
		for j, v := range back.Values() {
			if v.Text != c.values[j].Text {
				t.Errorf("text %q: [%s] %s = %q, want %q", text, v.Section, v.Option.Name, v.Text, c.values[j].Text)
			}
		}
	}
}

func TestRedactURLs(t *testing.T) {
	t.Parallel()
	tests := []struct{ in, want string }{
		{"amqp://guest:guest@127.0.0.1:5672//", "amqp://guest:********@127.0.0.1:5672//"},
		{"amqp://user@host/", "amqp://user@host/"},
		{"amqp://host:5672/", "amqp://host:5672/"},
		{"redis://:pw@h:6379", "redis://:********@h:6379"},
		{"mongodb://u:p@ss@h1,h2/db", "mongodb://u:********@h1,h2/db"},
		{"amqp://a:x@h1,amqp://b:y@h2", "amqp://a:********@h1,amqp://b:********@h2"},
		{"zookeeper://h:2181?password=pw&x=1", "zookeeper://h:2181?password=********&x=1"},
		{"not a url", "not a url"},
	}
	for _, tc := range tests {
		if got := redactURLs(tc.in); got != tc.want {
			t.Errorf("redactURLs(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

func TestRedactJSON(t *testing.T) {
	t.Parallel()
	tests := []struct{ in, want string }{
		{`{"file_path": "/etc/st2/htpasswd"}`, `{"file_path":"/etc/st2/htpasswd"}`},
		{`{"password": 1, "list": [{"token": "t"}], "url": "<a&b>"}`, `{"list":[{"token":"********"}],"password":"********","url":"<a&b>"}`},
		{`not json`, `not json`},
		{`not json with password=x`, Mask},
	}
	for _, tc := range tests {
		if diff := cmp.Diff(tc.want, redactJSON(tc.in)); diff != "" {
			t.Errorf("redactJSON(%q) (-want +got):\n%s", tc.in, diff)
		}
	}
}
