package cli

import (
	"testing"

	"github.com/st2go/st2go/internal/client"
	"github.com/st2go/st2go/internal/pyfmt"
)

func mustObject(t *testing.T, s string) *client.Object {
	t.Helper()
	v, err := client.Decode([]byte(s))
	if err != nil {
		t.Fatal(err)
	}
	return v.(*client.Object)
}

func TestCastParameters(t *testing.T) {
	actionParams := `{"i": {"type": "integer"}, "n": {"type": "number"}, "b": {"type": "boolean"}, "arr": {"type": "array"},
	 "objs": {"type": "array", "items": {"type": "object"}, "properties": {"port": {"type": "integer"}}},
	 "o": {"type": "object"}, "s": {"type": "string"}}`
	runnerParams := `{"timeout": {"type": "integer"}, "env": {"type": "object"}, "hosts": {"type": "array"}}`
	tests := []struct {
		name     string
		words    []string
		autoDict bool
		want     string
		wantErr  string
	}{
		{name: "integer", words: []string{"i=42", "timeout=-7"}, want: `{"i": 42, "timeout": -7}`},
		{name: "integer with spaces and underscores", words: []string{"i= 1_000 "}, want: `{"i": 1000}`},
		{name: "bad integer", words: []string{"i=abc"}, wantErr: "invalid literal for int() with base 10: 'abc'"},
		{name: "number", words: []string{"n=5", "n=1.25"}, want: `{"n": 1.25}`},
		{name: "number from int keeps float", words: []string{"n=5"}, want: `{"n": 5.0}`},
		{name: "boolean", words: []string{"b=true"}, want: `{"b": true}`},
		{name: "boolean capitalized", words: []string{"b=FALSE"}, want: `{"b": false}`},
		{name: "bad boolean", words: []string{"b=yes"}, wantErr: "Invalid value for boolean parameter. Valid values are: true, false"},
		{name: "array comma list", words: []string{"arr=a, b,c"}, want: `{"arr": ["a", "b", "c"]}`},
		{name: "array json", words: []string{`arr=["a", 1]`}, want: `{"arr": ["a", 1]}`},
		{name: "array single int", words: []string{"arr=51"}, want: `{"arr": [51]}`},
		{name: "array repeated appends", words: []string{"arr=a", "arr=b,c"}, want: `{"arr": ["a", "b", "c"]}`},
		{name: "runner array", words: []string{"hosts=h1,h2"}, want: `{"hosts": ["h1", "h2"]}`},
		{name: "object json", words: []string{`o={"k": [1, 2], "a": null}`}, want: `{"o": {"k": [1, 2], "a": null}}`},
		{name: "object pairs", words: []string{"env=A=1,B=x=y,junk"}, want: `{"env": {"A": "1", "B": "x=y"}}`},
		{name: "string and unknown stay strings", words: []string{"s=01", "other=true"}, want: `{"s": "01", "other": "true"}`},
		{name: "cmd catch-all", words: []string{"i=1", "echo", "a=b"}, want: `{"i": 1, "cmd": "echo a=b"}`},
		{name: "auto dict", words: []string{"objs=host:h1,port:22"}, autoDict: true, want: `{"objs": [{"host": "h1", "port": 22}]}`},
		{name: "auto dict off", words: []string{"objs=host:h1,port:22"}, want: `{"objs": ["host:h1", "port:22"]}`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			c := &paramCaster{actionRef: "x.y", actionParams: mustObject(t, actionParams), runnerParams: mustObject(t, runnerParams), autoDict: tc.autoDict}
			got, err := c.cast(tc.words, nil)
			if tc.wantErr != "" {
				if err == nil || err.Error() != tc.wantErr {
					t.Fatalf("error %v, want %q", err, tc.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if s := pyfmt.JSON(got, -1, false); s != tc.want {
				t.Errorf("got %s\nwant %s", s, tc.want)
			}
		})
	}
}

func TestInheritEnv(t *testing.T) {
	c := &paramCaster{actionParams: client.NewObject(), runnerParams: client.NewObject()}
	got, err := c.cast([]string{"cmd=env"}, map[string]string{"PATH": "/bin", "HOME": "/root", "FOO": "bar", "user": "x"})
	if err != nil {
		t.Fatal(err)
	}
	if s := pyfmt.JSON(got, -1, false); s != `{"env": {"FOO": "bar"}, "cmd": "env"}` {
		t.Errorf("got %s", s)
	}
}
