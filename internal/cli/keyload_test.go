package cli

import (
	"os"
	"path/filepath"
	"testing"
)

// Expected bodies and tables are what st2client's KeyValuePairLoadCommand
// logic and MultiColumnTable / JsonFormatter produced for the same files.
func TestKeyLoad(t *testing.T) {
	f := newFakeAPI(t)
	for _, k := range []string{"a", "b", "c", "y", "z", "n"} {
		f.on("PUT /v1/keys/"+k, jsonReply(`{"name": "`+k+`", "value": "ignored", "scope": "st2kv.system"}`))
	}
	dir := t.TempDir()
	jsonFile := filepath.Join(dir, "keys.json")
	os.WriteFile(jsonFile, []byte(`[{"name": "a", "value": "x"}, {"name": "b", "value": {"k": [1, 2.5]}, "scope": "user", "user": "bob", "secret": true, "ttl": 60}, {"name": "c", "value": true}]`), 0o600)
	r := run(t, f.env(t), "", "key", "load", jsonFile, "-c")
	wantOutput(t, "json -c", r.stdout, `+------+-----------------+--------+--------+------+-----+
| name | value           | secret | scope  | user | ttl |
+------+-----------------+--------+--------+------+-----+
| a    | x               |        | system |      |     |
| b    | {"k": [1, 2.5]} | True   | user   | bob  | 60  |
| c    | true            |        | system |      |     |
+------+-----------------+--------+--------+------+-----+
`)
	wantRequests(t, f.requests(),
		`PUT /v1/keys/a {"name": "a", "value": "x", "scope": "system"}`,
		`PUT /v1/keys/b {"name": "b", "value": "{\"k\": [1, 2.5]}", "scope": "user", "user": "bob", "secret": true, "ttl": 60}`,
		`PUT /v1/keys/c {"name": "c", "value": "true", "scope": "system"}`)

	// YAML 1.1 as PyYAML reads it: yes is a boolean, 010 octal 8.
	yamlFile := filepath.Join(dir, "keys.yaml")
	os.WriteFile(yamlFile, []byte("- name: y\n  value: yes\n- name: z\n  value: '010'\n  encrypted: true\n  secret: true\n- name: n\n  value: 010\n"), 0o600)
	r = run(t, f.env(t), "", "key", "load", "--convert", yamlFile, "-j")
	wantOutput(t, "yaml -j", r.stdout, `[
    {
        "name": "y",
        "scope": "system",
        "value": "true"
    },
    {
        "name": "z",
        "scope": "system",
        "secret": true,
        "value": "010"
    },
    {
        "name": "n",
        "scope": "system",
        "value": "8"
    }
]
`)
	reqs := f.requests()[3:]
	wantRequests(t, reqs,
		`PUT /v1/keys/y {"name": "y", "value": "true", "scope": "system"}`,
		`PUT /v1/keys/z {"name": "z", "value": "010", "scope": "system", "encrypted": true, "secret": true}`,
		`PUT /v1/keys/n {"name": "n", "value": "8", "scope": "system"}`)

	// Without -c a non-string value stops the load (items before it are
	// already stored, as in StackStorm).
	r = run(t, f.env(t), "", "key", "load", jsonFile)
	wantOutput(t, "no -c", r.stdout, "ERROR: Item 'b' has a value that is not a string. Either pass in the -c/--convert option to convert non-string types to JSON strings automatically, or convert the data to a string in the file\n\n")
	if r.code != 1 || len(f.requests()) != 7 {
		t.Errorf("exit %d, %d requests", r.code, len(f.requests()))
	}
	empty := filepath.Join(dir, "empty.yaml")
	os.WriteFile(empty, []byte("# nothing\n"), 0o600)
	r = run(t, f.env(t), "", "key", "load", empty)
	wantOutput(t, "empty", r.stdout, "No matching items found\n")
}

func TestKeyDeleteByPrefix(t *testing.T) {
	f := newFakeAPI(t)
	f.on("GET /v1/keys?prefix=twitter.", jsonReply(`[{"name": "twitter.a", "value": "1"}, {"name": "twitter.b", "value": "2"}]`))
	f.on("DELETE /v1/keys/twitter.a", reply{status: 204})
	f.on("DELETE /v1/keys/twitter.b", reply{status: 404, body: `{"faultstring": "gone"}`})
	f.on("GET /v1/keys?prefix=none", jsonReply(`[]`))
	r := run(t, f.env(t), "", "key", "delete_by_prefix", "-p", "twitter.")
	wantOutput(t, "deleted", r.stdout, "Deleted 2 keys\nDeleted key ids: twitter.a, twitter.b\n")
	r = run(t, f.env(t), "", "key", "delete_by_prefix", "--prefix", "none")
	wantOutput(t, "none", r.stdout, "Deleted 0 keys\nDeleted key ids: \n")
	wantRequests(t, f.requests(),
		"GET /v1/keys?prefix=twitter.",
		"DELETE /v1/keys/twitter.a",
		"DELETE /v1/keys/twitter.b",
		"GET /v1/keys?prefix=none")
	r = run(t, f.env(t), "", "key", "delete_by_prefix")
	if r.code != 2 || r.stderr != "usage: st2 key delete_by_prefix [-h] [-t TOKEN] [--api-key API_KEY] [-j] [-y]\n                                -p PREFIX\nst2 key delete_by_prefix: error: the following arguments are required: -p/--prefix\n" {
		t.Errorf("missing -p: exit %d %q", r.code, r.stderr)
	}
}

// The flags of key list, get, set and delete, as StackStorm's CLI sends
// them (ST2-CLI-REQUESTS.md and st2client's keyvalue.py).
func TestKeyFlags(t *testing.T) {
	f := newFakeAPI(t)
	kv := `{"name": "a", "value": "b", "scope": "st2kv.user", "user": "bob"}`
	f.on("GET /v1/keys/?decrypt=true&scope=user&user=bob&limit=10&prefix=p", jsonReply("["+kv+"]"))
	f.on("GET /v1/keys/a?decrypt=true&scope=user", jsonReply(kv))
	f.on("PUT /v1/keys/a", jsonReply(kv))
	f.on("GET /v1/keys/a?scope=user&user=bob", jsonReply(kv))
	f.on("DELETE /v1/keys/a?scope=user&user=bob", reply{status: 204})
	for _, argv := range [][]string{
		{"key", "list", "--decrypt", "--scope", "user", "-u", "bob", "--prefix", "p", "-n", "10"},
		{"key", "get", "a", "-d", "-s", "user"},
		{"key", "set", "a", "b", "-u", "bob", "--scope", "user", "--encrypted", "-l", "30"},
		{"key", "set", "a", "b", "--encrypt"},
		{"key", "delete", "a", "-s", "user", "-u", "bob"},
	} {
		if r := run(t, f.env(t), "", argv...); r.code != 0 {
			t.Errorf("%v: exit %d %s", argv, r.code, r.stdout)
		}
	}
	wantRequests(t, f.requests(),
		"GET /v1/keys/?decrypt=true&scope=user&user=bob&limit=10&prefix=p",
		"GET /v1/keys/a?decrypt=true&scope=user",
		`PUT /v1/keys/a {"name": "a", "scope": "user", "user": "bob", "value": "b", "encrypted": true, "ttl": 30}`,
		`PUT /v1/keys/a {"name": "a", "scope": "system", "user": null, "value": "b", "secret": true}`,
		"GET /v1/keys/a?scope=user&user=bob",
		"DELETE /v1/keys/a?scope=user&user=bob")
}
