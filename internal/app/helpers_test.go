package app_test

import (
	"bufio"
	"context"
	"encoding/json"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"golang.org/x/crypto/bcrypt"

	"github.com/st2go/st2go/internal/app"
	"github.com/st2go/st2go/internal/app/apptest"
)

func writeFile(path string) error { return os.WriteFile(path, []byte("x"), 0o600) }

func runST2D(t *testing.T, args ...string) (int, string) {
	t.Helper()
	var out strings.Builder
	code := app.Main(args, &out, &out)
	return code, out.String()
}

func contextWithTimeout(d time.Duration) (context.Context, context.CancelFunc) {
	return context.WithTimeout(context.Background(), d)
}

// collectStream records every stream event from now on; the returned
// function stops and returns them.
func collectStream(t *testing.T, s *apptest.Server) func() string {
	t.Helper()
	resp, err := http.Get(s.StreamURL + "/v1/stream")
	if err != nil {
		t.Fatal(err)
	}
	var mu sync.Mutex
	var b strings.Builder
	done := make(chan struct{})
	go func() {
		defer close(done)
		sc := bufio.NewScanner(resp.Body)
		sc.Buffer(make([]byte, 1<<20), 1<<24)
		for sc.Scan() {
			mu.Lock()
			b.WriteString(sc.Text() + "\n")
			mu.Unlock()
		}
	}()
	return func() string {
		time.Sleep(100 * time.Millisecond)
		resp.Body.Close()
		<-done
		mu.Lock()
		defer mu.Unlock()
		return b.String()
	}
}

// authServer is an st2d with auth on and users alice and bob (password "pw").
type authServer struct{ *apptest.Server }

func startWithAuthUsers(t *testing.T) authServer {
	t.Helper()
	var lines []string
	for _, u := range []string{"alice", "bob"} {
		h, _ := bcrypt.GenerateFromPassword([]byte("pw"), bcrypt.MinCost)
		lines = append(lines, u+":"+string(h))
	}
	path := filepath.Join(t.TempDir(), "htpasswd")
	os.WriteFile(path, []byte(strings.Join(lines, "\n")+"\n"), 0o600)
	return authServer{apptest.Start(t, apptest.Options{Env: []string{"ST2_AUTH__ENABLE=True",
		`ST2_AUTH__BACKEND_KWARGS={"file_path": "` + path + `"}`}})}
}

func (s authServer) token(t *testing.T, user string) string {
	t.Helper()
	req, _ := http.NewRequest("POST", s.AuthURL+"/tokens", nil)
	req.SetBasicAuth(user, "pw")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var tok struct{ Token string }
	json.NewDecoder(resp.Body).Decode(&tok)
	return tok.Token
}

func (s authServer) kv(t *testing.T, token, method, path, body string) string {
	t.Helper()
	r := send(t, method, s.APIURL+"/api/v1"+path, body, map[string]string{"X-Auth-Token": token, "Content-Type": "application/json"})
	if r.status >= 300 {
		t.Fatalf("%s %s: %d %s", method, path, r.status, r.body)
	}
	return r.body
}

func TestMain(m *testing.M) {
	code := m.Run()
	if st2dBin != "" {
		os.RemoveAll(filepath.Dir(st2dBin))
	}
	os.Exit(code)
}

func writeFileAt(t *testing.T, path, text string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
}
