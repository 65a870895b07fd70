package cli

import (
	"errors"
	"reflect"
	"testing"
)

func TestParseArgs(t *testing.T) {
	sp := &spec{prog: "st2 test", opts: []option{
		{names: []string{"-a", "--async"}, dest: "async", kind: optBool},
		{names: []string{"-j", "--json"}, dest: "json", kind: optBool},
		{names: []string{"-n", "--last"}, dest: "last", kind: optInt},
		{names: []string{"-tg", "--timestamp-gt"}, dest: "tg", kind: optString},
		{names: []string{"--attr"}, dest: "attr", kind: optList},
		{names: []string{"--tasks"}, dest: "tasks", kind: optListEmpty},
		{names: []string{"--status"}, dest: "status", kind: optString},
		{names: []string{"--stream"}, dest: "stream", kind: optString},
	}, pos: []positional{{name: "ref", nargs: '?'}, {name: "params", nargs: '*'}}}
	tests := []struct {
		name    string
		argv    []string
		want    map[string]any
		wantErr string
	}{
		{name: "mixed positionals and flags", argv: []string{"core.local", "cmd=date", "-a", "x=1"},
			want: map[string]any{"ref": "core.local", "params": []string{"cmd=date", "x=1"}, "async": true}},
		{name: "negative number is a value", argv: []string{"-n", "-1"}, want: map[string]any{"last": -1, "params": []string{}}},
		{name: "attached short value", argv: []string{"-n5"}, want: map[string]any{"last": 5, "params": []string{}}},
		{name: "long with equals", argv: []string{"--last=7"}, want: map[string]any{"last": 7, "params": []string{}}},
		{name: "bundled flags", argv: []string{"-aj"}, want: map[string]any{"async": true, "json": true, "params": []string{}}},
		{name: "multi-char short option", argv: []string{"-tg", "2024"}, want: map[string]any{"tg": "2024", "params": []string{}}},
		{name: "list stops at next option", argv: []string{"--attr", "id", "status", "-j", "ref"},
			want: map[string]any{"attr": []string{"id", "status"}, "json": true, "ref": "ref", "params": []string{}}},
		{name: "empty list allowed", argv: []string{"--tasks"}, want: map[string]any{"tasks": []string{}, "params": []string{}}},
		{name: "unique prefix", argv: []string{"--la", "3"}, want: map[string]any{"last": 3, "params": []string{}}},
		{name: "ambiguous prefix", argv: []string{"--st", "x"}, wantErr: "ambiguous option: --st could match --status, --stream"},
		{name: "double dash", argv: []string{"r", "--", "-x"}, want: map[string]any{"ref": "r", "params": []string{"-x"}}},
		{name: "missing value", argv: []string{"-n"}, wantErr: "argument -n/--last: expected one argument"},
		{name: "bad int", argv: []string{"-n", "x"}, wantErr: "argument -n/--last: invalid int value: 'x'"},
		{name: "unknown", argv: []string{"--bogus"}, wantErr: "unrecognized arguments: --bogus"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := sp.parse(tc.argv)
			if tc.wantErr != "" {
				var ue *usageError
				if !errors.As(err, &ue) || ue.msg != tc.wantErr {
					t.Fatalf("error %v, want %q", err, tc.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(got.vals, tc.want) {
				t.Errorf("got %#v\nwant %#v", got.vals, tc.want)
			}
		})
	}
}

func TestRequiredPositional(t *testing.T) {
	sp := &spec{prog: "st2 key set", pos: []positional{{name: "name", nargs: '1'}, {name: "value", nargs: '?'}}}
	if _, err := sp.parse(nil); err == nil || err.Error() != "the following arguments are required: name" {
		t.Errorf("error %v", err)
	}
	got, err := sp.parse([]string{"a"})
	if err != nil || got.str("name") != "a" || got.isSet("value") {
		t.Errorf("got %v %v", got, err)
	}
	if _, err := sp.parse([]string{"a", "b", "c"}); err == nil || err.Error() != "unrecognized arguments: c" {
		t.Errorf("error %v", err)
	}
}

func TestHelpAndVersion(t *testing.T) {
	f := newFakeAPI(t)
	r := run(t, f.env(t), "", "--version")
	if r.code != 0 || r.stdout == "" {
		t.Errorf("--version: %d %q", r.code, r.stdout)
	}
	r = run(t, f.env(t), "", "execution", "list", "-h")
	if r.code != 0 || !contains([]string{r.stdout[:24]}, "usage: st2 execution lis") {
		t.Errorf("help: %d %q", r.code, r.stdout)
	}
	r = run(t, f.env(t), "")
	if r.code != 2 || r.stderr == "" {
		t.Errorf("no args: %d %q", r.code, r.stderr)
	}
	r = run(t, f.env(t), "", "action")
	if r.code != 2 {
		t.Errorf("branch without subcommand: %d", r.code)
	}
	r = run(t, f.env(t), "", "--skip-config", "--print-config")
	if r.code != 3 || !contains([]string{r.stdout[:10]}, "[general]\n") {
		t.Errorf("print-config: %d %q", r.code, r.stdout)
	}
}
