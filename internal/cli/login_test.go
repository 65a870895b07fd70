package cli

import (
	"encoding/base64"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

const tokenReply = `{"id": "t1", "user": "testu", "token": "tok123", "expiry": "2030-01-01T00:00:00.000000Z", "metadata": {}}`

// loginEnv points the CLI at the fake server without a token (login must
// not need one) and returns the environment and the home directory.
func loginEnv(t *testing.T, f *fakeAPI) ([]string, string) {
	home := t.TempDir()
	return []string{"HOME=" + home, "ST2_API_URL=" + f.srv.URL + "/v1", "ST2_AUTH_URL=" + f.srv.URL + "/auth", "COLUMNS=120"}, home
}

const loginNote = `
Note: You didn't use --write-password option so the password hasn't been stored in the client config and you will need to login again in 24 hours when the auth token expires.
As an alternative, you can run st2 login command with the "--write-password" flag, but keep it mind this will cause it to store the password in plain-text in the client config file (~/.st2/config).
`

func TestLogin(t *testing.T) {
	f := newFakeAPI(t)
	f.on("POST /auth/tokens", reply{status: 201, body: tokenReply})
	env, home := loginEnv(t, f)
	dir := filepath.Join(home, ".st2")
	if err := os.MkdirAll(dir, 0o700); err != nil {
		t.Fatal(err)
	}
	cfg := filepath.Join(dir, "config")
	// The expected rewrite is what Python's ConfigParser.write produced for
	// this file after set(username) and remove_option(password).
	in := "# my config\n[general]\nbase_url = " + f.srv.URL + "\n; comment\nMixedCase: v\n\n[credentials]\nusername = old\npassword = secret\n\n" +
		"[cli]\ncache_token = True\nlong = first\n   second\n\n   third\n\n[DEFAULT]\nd = 1\n"
	if err := os.WriteFile(cfg, []byte(in), 0o640); err != nil {
		t.Fatal(err)
	}
	r := run(t, env, "", "login", "testu", "-p", "pw")
	wantOutput(t, "login", r.stdout, "Logged in as testu\n"+loginNote)
	if r.code != 0 {
		t.Fatalf("exit %d: %s", r.code, r.stderr)
	}
	got, _ := os.ReadFile(cfg)
	wantOutput(t, "config", string(got), "[DEFAULT]\nd = 1\n\n[general]\nbase_url = "+f.srv.URL+"\nmixedcase = v\n\n[credentials]\nusername = testu\n\n"+
		"[cli]\ncache_token = True\nlong = first\n\tsecond\n\t\n\tthird\n\n")
	if fi, _ := os.Stat(cfg); fi.Mode().Perm() != 0o640 {
		t.Errorf("existing config mode changed to %v", fi.Mode().Perm())
	}
	cached, err := os.ReadFile(filepath.Join(dir, "token-testu"))
	if err != nil || string(cached) != `{"token": "tok123", "expire_timestamp": 1893456000}` {
		t.Errorf("token cache %q %v", cached, err)
	}
	reqs := f.requests()
	wantRequests(t, reqs, "POST /auth/tokens {}")
	if reqs[0].Auth != "Basic "+base64.StdEncoding.EncodeToString([]byte("testu:pw")) || reqs[0].Token != "" {
		t.Errorf("token request headers %v", reqs[0].Headers)
	}

	// -w keeps the password, -l asks for a TTL; the cached token is then
	// used by the next command.
	r = run(t, env, "", "login", "testu", "--password", "p%%w", "-w", "-l", "3600")
	wantOutput(t, "login -w", r.stdout, "Logged in as testu\n")
	got, _ = os.ReadFile(cfg)
	if !strings.Contains(string(got), "[credentials]\nusername = testu\npassword = p%%w\n\n") {
		t.Errorf("config with password:\n%s", got)
	}
	f.on("GET /v1/user", jsonReply(`{"username": "testu", "authentication": {"method": "authentication token", "token_expire": "2030"}, "rbac": {"enabled": false, "roles": []}}`))
	run(t, env, "", "whoami")
	reqs = f.requests()
	wantRequests(t, reqs, "POST /auth/tokens {}", `POST /auth/tokens {"ttl": 3600}`, "GET /v1/user")
	if reqs[2].Token != "tok123" {
		t.Errorf("whoami after login sent token %q", reqs[2].Token)
	}
}

func TestLoginNewConfigAndFailures(t *testing.T) {
	f := newFakeAPI(t)
	f.on("POST /auth/tokens", reply{status: 201, body: tokenReply})
	env, home := loginEnv(t, f)
	r := run(t, env, "pw\n", "login", "testu")
	if r.code != 0 || r.stderr != "Password: \n" {
		t.Fatalf("exit %d, stderr %q", r.code, r.stderr)
	}
	cfg := filepath.Join(home, ".st2", "config")
	got, err := os.ReadFile(cfg)
	if err != nil || string(got) != "[credentials]\nusername = testu\n\n" {
		t.Errorf("new config %q %v", got, err)
	}
	if fi, _ := os.Stat(cfg); fi.Mode().Perm() != 0o660 {
		t.Errorf("new config mode %v", fi.Mode().Perm())
	}

	// A lone % cannot go through ConfigParser: the token is cached, the
	// config left alone.
	r = run(t, env, "", "login", "testu", "-p", "50%off", "-w")
	wantOutput(t, "percent", r.stdout, "ERROR: Failed to log in as testu: invalid interpolation syntax in '50%off' at position 2\n\n")
	if r.code != 1 {
		t.Errorf("exit %d", r.code)
	}

	bad := newFakeAPI(t)
	bad.on("POST /auth/tokens", reply{status: 401, body: `{"faultstring": "Invalid or missing credentials"}`})
	env, _ = loginEnv(t, bad)
	r = run(t, env, "", "login", "bad", "-p", "x")
	wantOutput(t, "401", r.stdout, "ERROR: Failed to log in as bad: 401 Client Error: Unauthorized\nMESSAGE: Invalid or missing credentials for url: "+bad.srv.URL+"/auth/tokens\n\n")
	if r.code != 1 {
		t.Errorf("exit %d", r.code)
	}
}
