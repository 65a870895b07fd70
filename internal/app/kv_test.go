package app_test

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/st2go/st2go/internal/app/apptest"
	"github.com/st2go/st2go/internal/bus"
)

type kvItem struct {
	Name            string `json:"name"`
	Value           string `json:"value"`
	Secret          bool   `json:"secret"`
	Encrypted       bool   `json:"encrypted"`
	Scope           string `json:"scope"`
	User            string `json:"user"`
	ExpireTimestamp string `json:"expire_timestamp"`
}

func TestDatastore(t *testing.T) {
	s := apptest.Start(t, apptest.Options{})
	var kv kvItem
	if code := s.Do(t, "PUT", "/keys/a", map[string]any{"name": "a", "scope": "system", "user": nil, "value": "b"}, &kv); code != 200 || kv.Scope != "st2kv.system" || kv.Value != "b" {
		t.Fatalf("set: %d %+v", code, kv)
	}
	s.Do(t, "PUT", "/keys/app.one", map[string]any{"value": "1"}, nil)
	s.Do(t, "PUT", "/keys/app.two", map[string]any{"value": "2"}, nil)
	s.Do(t, "PUT", "/keys/mine", map[string]any{"value": "u", "scope": "user"}, &kv)
	if kv.Scope != "st2kv.user" || kv.Name != "mine" || kv.User != "stanley" {
		t.Fatalf("user scope: %+v", kv)
	}
	var list []kvItem
	s.Do(t, "GET", "/keys/?prefix=app.", nil, &list)
	if len(list) != 2 {
		t.Fatalf("prefix list: %+v", list)
	}
	s.Do(t, "GET", "/keys/?decrypt=false&scope=all&limit=50", nil, &list)
	if len(list) != 4 {
		t.Fatalf("scope=all: %+v", list)
	}
	if code := s.Do(t, "GET", "/keys/mine?scope=user", nil, &kv); code != 200 || kv.Value != "u" {
		t.Fatalf("get user key: %d %+v", code, kv)
	}
	var fault struct{ Faultstring string }
	if code := s.Do(t, "GET", "/keys/nope?scope=system", nil, &fault); code != 404 || fault.Faultstring != "KeyValuePair with name: nope and scope: st2kv.system not found in db." {
		t.Fatalf("missing key: %d %q", code, fault.Faultstring)
	}

	// Secrets are encrypted at rest and shown decrypted only on request.
	s.Do(t, "PUT", "/keys/pw", map[string]any{"value": "hunter2", "secret": true}, &kv)
	if !kv.Secret || !kv.Encrypted || kv.Value == "hunter2" || !strings.HasPrefix(kv.Value, "3030303030") {
		t.Fatalf("secret set: %+v", kv)
	}
	s.Do(t, "GET", "/keys/pw?decrypt=true", nil, &kv)
	if kv.Value != "hunter2" || kv.Encrypted {
		t.Fatalf("decrypt: %+v", kv)
	}
	raw, _ := os.ReadFile(filepath.Join(s.Home, "data", "st2go.db"))
	if strings.Contains(string(raw), "hunter2") {
		t.Fatal("the secret is stored in clear")
	}

	// TTL: the item disappears once it expires.
	s.Do(t, "PUT", "/keys/brief", map[string]any{"value": "x", "ttl": 1}, &kv)
	if kv.ExpireTimestamp == "" {
		t.Fatalf("ttl: %+v", kv)
	}
	time.Sleep(1100 * time.Millisecond)
	if code := s.Do(t, "GET", "/keys/brief", nil, nil); code != 404 {
		t.Fatalf("expired key: %d", code)
	}
	if code := s.Do(t, "DELETE", "/keys/a?scope=system", nil, nil); code != 204 {
		t.Fatalf("delete: %d", code)
	}
	if code := s.Do(t, "GET", "/keys/a", nil, nil); code != 404 {
		t.Fatalf("after delete: %d", code)
	}
}

// TestDatastoreStackStormValues stores a value StackStorm encrypted (with
// a StackStorm key file) as pre-encrypted and reads it back in clear.
func TestDatastoreStackStormValues(t *testing.T) {
	dir := "../datastore/crypto/testdata"
	var vectors []struct{ Plaintext, Ciphertext string }
	b, err := os.ReadFile(filepath.Join(dir, "python-aes256.json"))
	if err != nil {
		t.Fatal(err)
	}
	json.Unmarshal(b, &vectors)
	s := apptest.Start(t, apptest.Options{Env: []string{"ST2_KEYVALUE__ENCRYPTION_KEY_PATH=" + filepath.Join(dir, "key-aes256.json")}})
	for i, v := range vectors[:3] {
		name := "migrated" + string(rune('a'+i))
		if code := s.Do(t, "PUT", "/keys/"+name, map[string]any{"value": v.Ciphertext, "secret": true, "encrypted": true}, nil); code != 200 {
			t.Fatalf("store pre-encrypted: %d", code)
		}
		var kv kvItem
		s.Do(t, "GET", "/keys/"+name+"?decrypt=true", nil, &kv)
		if kv.Value != v.Plaintext {
			t.Fatalf("decrypted %q, want %q", kv.Value, v.Plaintext)
		}
	}
	var fault struct{ Faultstring string }
	if code := s.Do(t, "PUT", "/keys/bad", map[string]any{"value": "3030303030DEADBEEF", "secret": true, "encrypted": true}, &fault); code != 400 || !strings.Contains(fault.Faultstring, "integrity") {
		t.Fatalf("corrupt pre-encrypted value: %d %q", code, fault.Faultstring)
	}
}

// TestDatastoreEvents checks the core.st2.key_value_pair.* trigger instances.
func TestDatastoreEvents(t *testing.T) {
	s := apptest.Start(t, apptest.Options{})
	c, err := s.App.Bus().Consume(t.Context(), bus.Bind("", bus.ExchangeTriggerDispatch, "#"))
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	s.Do(t, "PUT", "/keys/k", map[string]any{"value": "1"}, nil)
	s.Do(t, "PUT", "/keys/k", map[string]any{"value": "2"}, nil)
	s.Do(t, "DELETE", "/keys/k", nil, nil)
	var got []string
	for range 4 {
		d, err := c.Receive(t.Context())
		if err != nil {
			t.Fatal(err)
		}
		var m struct {
			Trigger string         `json:"trigger"`
			Payload map[string]any `json:"payload"`
		}
		json.Unmarshal(d.Body(), &m)
		got = append(got, strings.TrimPrefix(m.Trigger, "core.st2.key_value_pair."))
		d.Ack()
	}
	if strings.Join(got, ",") != "create,update,value_change,delete" {
		t.Fatalf("events %v", got)
	}
}

func TestGenerateKeyCommand(t *testing.T) {
	path := filepath.Join(t.TempDir(), "key.json")
	code, out := runST2D(t, "generate-key", "--key-path", path)
	if code != 0 || !strings.Contains(out, "Key written to "+path) {
		t.Fatalf("generate-key: %d %s", code, out)
	}
	if code, out := runST2D(t, "generate-key", "--key-path", path); code != 1 || !strings.Contains(out, "already have a key") {
		t.Fatalf("second generate-key: %d %s", code, out)
	}
	b, _ := os.ReadFile(path)
	if !strings.Contains(string(b), `"mode":"CBC"`) {
		t.Fatalf("key file %s", b)
	}
}
