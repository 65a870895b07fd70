package yaql

import (
	"bufio"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/st2go/st2go/internal/expr"
)

// pyTree renders a node as Python yaql's str() of the parsed
// expression, to compare trees with the oracle.
func pyTree(n node) string {
	switch x := n.(type) {
	case *constNode:
		switch v := x.val.(type) {
		case string:
			return "'" + v + "'"
		case nil:
			return "None"
		case bool:
			if v {
				return "True"
			}
			return "False"
		}
		return expr.Repr(x.val)
	case *dollarNode:
		return x.text
	case *wrapNode:
		return pyTree(x.x)
	case *mappingNode:
		return pyTree(x.src) + " => " + pyTree(x.dst)
	case *noValueNode:
		return "<NoValue>"
	case *callNode:
		parts := make([]string, len(x.args))
		for i, a := range x.args {
			parts[i] = pyTree(a)
		}
		return x.name + "(" + strings.Join(parts, ", ") + ")"
	}
	return "?"
}

func TestParseOracle(t *testing.T) {
	f, err := os.Open(filepath.Join("testdata", "parse.jsonl"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	n := 0
	for sc.Scan() {
		var c struct {
			Expr  string `json:"expr"`
			Tree  string `json:"tree"`
			Error string `json:"error"`
		}
		if err := json.Unmarshal(sc.Bytes(), &c); err != nil {
			t.Fatal(err)
		}
		n++
		root, err := parse(c.Expr)
		if c.Error != "" {
			if err == nil {
				t.Errorf("%q: parsed as %s, want error %s", c.Expr, pyTree(root), c.Error)
				continue
			}
			var pe *expr.PyError
			if !errors.As(err, &pe) {
				t.Errorf("%q: error %v is not a PyError", c.Expr, err)
				continue
			}
			if got := pe.Type + ": " + pe.Msg; got != c.Error {
				t.Errorf("%q:\n got  %s\n want %s", c.Expr, got, c.Error)
			}
			continue
		}
		if err != nil {
			t.Errorf("%q: %v, want %s", c.Expr, err, c.Tree)
			continue
		}
		if got := pyTree(root); got != c.Tree {
			t.Errorf("%q:\n got  %s\n want %s", c.Expr, got, c.Tree)
			continue
		}
		// String() renders text that parses back to the same tree.
		again, err := parse(root.String())
		if err != nil {
			t.Errorf("%q: re-parsing %q: %v", c.Expr, root.String(), err)
			continue
		}
		if pyTree(again) != c.Tree {
			t.Errorf("%q: round trip through %q gives %s", c.Expr, root.String(), pyTree(again))
		}
	}
	t.Logf("%d parse cases", n)
}
