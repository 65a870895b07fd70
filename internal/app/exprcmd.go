package app

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"

	"github.com/st2go/st2go/internal/expr"
	"github.com/st2go/st2go/internal/expr/jinja"
	"github.com/st2go/st2go/internal/expr/yaql"
)

// runExpr is `st2d expr`: an operator's tool to evaluate YAQL (<% %>) and
// Jinja ({{ }} / {% %}) the way an Orquesta workflow would, against a JSON
// context that ctx() sees.
//
//	st2d expr [--context FILE] EXPR      one expression → its value as JSON (exit 0) or the error (exit 1)
//	st2d expr --batch FILE               JSON lines {"expr", "ctx"} → one {"result"} or {"error"} line each
func runExpr(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("st2d expr", flag.ContinueOnError)
	fs.SetOutput(stderr)
	ctxFile := fs.String("context", "", "JSON file with the workflow context ctx() returns")
	batch := fs.String("batch", "", `JSON-lines file of {"expr": ..., "ctx": ...} ("-" = standard input)`)
	fs.Usage = func() {
		fmt.Fprint(stderr, "usage: st2d expr [--context FILE] EXPR\n       st2d expr --batch FILE\n")
	}
	if err := fs.Parse(args); err != nil {
		return 2
	}
	if *batch != "" {
		if fs.NArg() > 0 {
			fs.Usage()
			return 2
		}
		return exprBatch(*batch, stdin, stdout, stderr)
	}
	if fs.NArg() != 1 {
		fs.Usage()
		return 2
	}
	var vars any = expr.NewDict(0)
	if *ctxFile != "" {
		data, err := os.ReadFile(*ctxFile)
		if err != nil {
			fmt.Fprintf(stderr, "st2d expr: %v\n", err)
			return 1
		}
		if vars, err = expr.FromJSON(data); err != nil {
			fmt.Fprintf(stderr, "st2d expr: %s: %v\n", *ctxFile, err)
			return 1
		}
	}
	out, err := evalExpr(fs.Arg(0), vars)
	if err != nil {
		fmt.Fprintf(stderr, "%v\n", err)
		return 1
	}
	fmt.Fprintln(stdout, out)
	return 0
}

// evalExpr evaluates a statement as Orquesta does (YAQL first, then
// Jinja) and returns the result as JSON.
func evalExpr(statement string, vars any) (string, error) {
	d, ok := vars.(*expr.Dict)
	if !ok {
		return "", errors.New("the context must be a JSON object")
	}
	v, err := expr.EvaluateAny(context.Background(), statement, &expr.Env{Vars: d}, expr.DefaultLimits(),
		yaql.Default(), jinja.OrquestaEvaluator{})
	if err != nil {
		return "", err
	}
	return expr.ToJSONWith(v, expr.JSONOptions{})
}

func exprBatch(path string, stdin io.Reader, stdout, stderr io.Writer) int {
	in := stdin
	if path != "-" {
		f, err := os.Open(path)
		if err != nil {
			fmt.Fprintf(stderr, "st2d expr: %v\n", err)
			return 1
		}
		defer f.Close()
		in = f
	}
	sc := bufio.NewScanner(in)
	sc.Buffer(make([]byte, 1<<20), 64<<20)
	w := bufio.NewWriter(stdout)
	defer w.Flush()
	line := 0
	for sc.Scan() {
		line++
		if len(sc.Bytes()) == 0 {
			continue
		}
		var c struct {
			Expr string          `json:"expr"`
			Ctx  json.RawMessage `json:"ctx"`
		}
		var result string
		err := json.Unmarshal(sc.Bytes(), &c)
		if err == nil {
			var vars any = expr.NewDict(0)
			if len(c.Ctx) > 0 && string(c.Ctx) != "null" {
				vars, err = expr.FromJSON(c.Ctx)
			}
			if err == nil {
				result, err = evalExpr(c.Expr, vars)
			}
		} else {
			err = fmt.Errorf("line %d: %w", line, err)
		}
		if err != nil {
			b, _ := json.Marshal(map[string]string{"error": err.Error()})
			fmt.Fprintln(w, string(b))
			continue
		}
		fmt.Fprintf(w, "{\"result\": %s}\n", result)
	}
	if err := sc.Err(); err != nil {
		fmt.Fprintf(stderr, "st2d expr: %v\n", err)
		return 1
	}
	return 0
}
