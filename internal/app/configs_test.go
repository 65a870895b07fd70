package app_test

import (
	"encoding/json"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/st2go/st2go/internal/app/apptest"
)

// configResponse is StackStorm's ConfigAPI as the tests read it.
type configResponse struct {
	ID     string `json:"id"`
	Pack   string `json:"pack"`
	Values struct {
		Region    string           `json:"region"`
		Instances []map[string]any `json:"instances"`
	} `json:"values"`
}

// writePackWithConfig writes the BL-18 pack (an array of objects with a
// secret property in its config schema) and its site config, and
// registers the pack.
func writePackWithConfig(t *testing.T, s *apptest.Server) {
	t.Helper()
	files := map[string]string{
		"packs/bl18/pack.yaml": "ref: bl18\nname: bl18\ndescription: pack config secrets\nversion: 0.1.0\nauthor: me\n",
		"packs/bl18/config.schema.yaml": `
region:
  type: string
  default: us-east-1
instances:
  type: array
  items:
    type: object
    properties:
      alias:    {type: string}
      base_url: {type: string}
      token:    {type: string, secret: true}
`,
		// StackStorm's configs dir is [system] base_path + /configs.
		"configs/bl18.yaml": `
instances:
  - alias: one
    base_url: https://one.example.com
    token: t-one
  - alias: two
    base_url: https://two.example.com
    token: t-two
`,
	}
	for name, text := range files {
		p := filepath.Join(s.Home, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(text), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	var counts map[string]int
	if code := s.Do(t, "POST", "/packs/register", map[string]any{"packs": []string{"bl18"}}, &counts); code != http.StatusOK {
		t.Fatalf("registering pack bl18: status %d", code)
	}
}

func checkInstances(t *testing.T, what string, got []map[string]any, tokens ...string) {
	t.Helper()
	if len(got) != len(tokens) {
		t.Fatalf("%s: %d instances, want %d: %v", what, len(got), len(tokens), got)
	}
	names := []string{"one", "two", "three"}
	for i, inst := range got {
		if inst["alias"] != names[i] || inst["base_url"] != "https://"+names[i]+".example.com" || inst["token"] != tokens[i] {
			t.Errorf("%s: instance %d = %v, want alias %s, its base_url and token %q", what, i, inst, names[i], tokens[i])
		}
	}
}

// TestPackConfigSecretsInArraysBL18 reproduces BL-18 (st2#4139): secrets
// inside an array of objects in a pack config must be masked by
// GET /configs/<pack>, and shown to an admin who asks show_secrets=true.
func TestPackConfigSecretsInArraysBL18(t *testing.T) {
	s := apptest.Start(t, apptest.Options{})
	writePackWithConfig(t, s)

	var masked configResponse
	if code := s.Do(t, "GET", "/configs/bl18", nil, &masked); code != http.StatusOK {
		t.Fatalf("GET /configs/bl18: status %d", code)
	}
	if masked.Pack != "bl18" || masked.ID == "" {
		t.Errorf("config id %q pack %q", masked.ID, masked.Pack)
	}
	checkInstances(t, "masked", masked.Values.Instances, "********", "********")
	if masked.Values.Region != "" {
		t.Errorf("the API served a schema default as a config value: region %q", masked.Values.Region)
	}

	var shown configResponse
	if code := s.Do(t, "GET", "/configs/bl18?show_secrets=true", nil, &shown); code != http.StatusOK {
		t.Fatalf("GET /configs/bl18?show_secrets=true: status %d", code)
	}
	checkInstances(t, "show_secrets", shown.Values.Instances, "t-one", "t-two")
	if shown.ID != masked.ID {
		t.Errorf("config id changed between requests: %s, %s", masked.ID, shown.ID)
	}

	// The list masks the same way.
	var list []json.RawMessage
	if code := s.Do(t, "GET", "/configs", nil, &list); code != http.StatusOK {
		t.Fatalf("GET /configs: status %d", code)
	}
	found := false
	for _, raw := range list {
		if strings.Contains(string(raw), "t-one") || strings.Contains(string(raw), "t-two") {
			t.Errorf("GET /configs shows a secret: %s", raw)
		}
		var c configResponse
		if err := json.Unmarshal(raw, &c); err == nil && c.Pack == "bl18" {
			found = true
			checkInstances(t, "list", c.Values.Instances, "********", "********")
		}
	}
	if !found {
		t.Errorf("GET /configs does not list bl18: %s", list)
	}

	// The schema, as StackStorm's ConfigSchemaAPI.
	var schema struct {
		Pack       string
		Attributes map[string]map[string]any
	}
	if code := s.Do(t, "GET", "/config_schemas/bl18", nil, &schema); code != http.StatusOK {
		t.Fatalf("GET /config_schemas/bl18: status %d", code)
	}
	token := schema.Attributes["instances"]["items"].(map[string]any)["properties"].(map[string]any)["token"].(map[string]any)
	if schema.Pack != "bl18" || token["secret"] != true {
		t.Errorf("config schema: pack %q, token item %v", schema.Pack, token)
	}

	var fault struct{ Faultstring string }
	if code := s.Do(t, "GET", "/configs/no_such_pack", nil, &fault); code != http.StatusNotFound ||
		fault.Faultstring != `Unable to identify resource with pack_ref "no_such_pack".` {
		t.Errorf("GET /configs/no_such_pack: %d %q", code, fault.Faultstring)
	}
}

// TestPackConfigPut saves a config through the API: it is validated
// against the schema, written to the configs dir, and answered masked.
func TestPackConfigPut(t *testing.T) {
	s := apptest.Start(t, apptest.Options{})
	writePackWithConfig(t, s)
	path := filepath.Join(s.Home, "configs", "bl18.yaml")

	values := map[string]any{"region": "eu-west-1", "instances": []any{
		map[string]any{"alias": "one", "base_url": "https://one.example.com", "token": "t-one"},
		map[string]any{"alias": "two", "base_url": "https://two.example.com", "token": "t-two"},
		map[string]any{"alias": "three", "base_url": "https://three.example.com", "token": "t-three"},
	}}
	var saved configResponse
	if code := s.Do(t, "PUT", "/configs/bl18", values, &saved); code != http.StatusOK {
		t.Fatalf("PUT /configs/bl18: status %d", code)
	}
	checkInstances(t, "PUT answer", saved.Values.Instances, "********", "********", "********")
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(data), "t-three") || !strings.Contains(string(data), "region: eu-west-1") {
		t.Errorf("config file after PUT:\n%s", data)
	}
	var shown configResponse
	s.Do(t, "GET", "/configs/bl18?show_secrets=true", nil, &shown)
	checkInstances(t, "after PUT", shown.Values.Instances, "t-one", "t-two", "t-three")
	if shown.Values.Region != "eu-west-1" {
		t.Errorf("region after PUT: %q", shown.Values.Region)
	}

	// A config that does not match the schema is refused, names the
	// attribute, does not echo the secret, and leaves the file alone.
	var fault struct{ Faultstring string }
	bad := map[string]any{"instances": []any{map[string]any{"alias": "one", "token": 90210}}}
	code := s.Do(t, "PUT", "/configs/bl18", bad, &fault)
	if code != http.StatusBadRequest || !strings.Contains(fault.Faultstring, `Failed validating attribute "instances.0.token" in config for pack "bl18"`) {
		t.Errorf("PUT of an invalid config: %d %q", code, fault.Faultstring)
	}
	if strings.Contains(fault.Faultstring, "90210") {
		t.Errorf("the error shows the secret: %q", fault.Faultstring)
	}
	if after, _ := os.ReadFile(path); string(after) != string(data) {
		t.Errorf("a refused PUT changed the file:\n%s", after)
	}
	if code := s.Do(t, "PUT", "/configs/bl18", []any{1}, &fault); code != http.StatusBadRequest {
		t.Errorf("PUT of a list: status %d", code)
	}
}
