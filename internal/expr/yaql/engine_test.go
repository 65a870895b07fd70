package yaql

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/st2go/st2go/internal/expr"
)

func TestLexerTokens(t *testing.T) {
	type tok struct {
		Kind tokKind
		Pos  int
		Text string
	}
	tests := []struct {
		src  string
		want []tok
	}{
		{"$.x", []tok{{tokDollar, 0, "$"}, {tokOp, 1, "."}, {tokKeyword, 2, "x"}}},
		{"$x1 = 12.5", []tok{{tokDollar, 0, "$x1"}, {tokOp, 4, "="}, {tokNumber, 6, "12.5"}}},
		{"f(a => 1)", []tok{{tokFunc, 0, "f"}, {tokKeyword, 2, "a"}, {tokMapping, 4, "=>"}, {tokNumber, 7, "1"}, {tokRParen, 8, ")"}}},
		{"a->b?.c", []tok{{tokKeyword, 0, "a"}, {tokOp, 1, "->"}, {tokKeyword, 3, "b"}, {tokOp, 4, "?."}, {tokKeyword, 6, "c"}}},
		{"x =~ 'é' !~ y", []tok{{tokKeyword, 0, "x"}, {tokOp, 2, "=~"}, {tokString, 5, "'é'"}, {tokOp, 9, "!~"}, {tokKeyword, 12, "y"}}},
		{"not a and b or c in d mod e", []tok{{tokOp, 0, "not"}, {tokKeyword, 4, "a"}, {tokOp, 6, "and"}, {tokKeyword, 10, "b"}, {tokOp, 12, "or"}, {tokKeyword, 15, "c"}, {tokOp, 17, "in"}, {tokKeyword, 20, "d"}, {tokOp, 22, "mod"}, {tokKeyword, 26, "e"}}},
		{"[true, null]{", []tok{{tokLBracket, 0, "["}, {tokTrue, 1, "true"}, {tokComma, 5, ","}, {tokNull, 7, "null"}, {tokRBracket, 11, "]"}, {tokLBrace, 12, "{"}}},
		{"`a\\`b` \"q\"", []tok{{tokString, 0, "`a\\`b`"}, {tokString, 7, "\"q\""}}},
		{">= <= != >", []tok{{tokOp, 0, ">="}, {tokOp, 3, "<="}, {tokOp, 6, "!="}, {tokOp, 9, ">"}}},
	}
	for _, tc := range tests {
		t.Run(tc.src, func(t *testing.T) {
			l := newLexer(tc.src)
			var got []tok
			for {
				tk, err := l.next()
				if err != nil {
					t.Fatal(err)
				}
				if tk.kind == tokEOF {
					break
				}
				got = append(got, tok{tk.kind, tk.pos, tk.text})
			}
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("tokens (-want +got):\n%s", diff)
			}
		})
	}
}

func TestLexerErrors(t *testing.T) {
	tests := []struct{ src, want string }{
		{"1.5e3", "YaqlLexicalException: Lexical error: illegal character '5' at position 2"},
		{"ctx(__x)", "YaqlLexicalException: Lexical error: illegal character '_' at position 4"},
		{"'abc", "YaqlLexicalException: Lexical error: illegal character ''' at position 0"},
		{"a @ b", "YaqlLexicalException: Lexical error: illegal character '@' at position 2"},
		{`'\xZZ'`, "UnicodeDecodeError: 'unicodeescape' codec can't decode bytes in position 0-1: truncated \\xXX escape"},
	}
	for _, tc := range tests {
		t.Run(tc.src, func(t *testing.T) {
			_, err := Parse(tc.src)
			var pe *expr.PyError
			if !errors.As(err, &pe) {
				t.Fatalf("got %v, want a PyError", err)
			}
			if got := pe.Error(); got != tc.want {
				t.Errorf("got %s, want %s", got, tc.want)
			}
		})
	}
}

// TestPrecedence spells out yaql's operator table as groupings.
func TestPrecedence(t *testing.T) {
	tests := []struct{ src, want string }{
		{"a.b[0]", "(a.b)[0]"},
		{"-a.b", "(- (a.b))"},
		{"-a * b", "((- a) * b)"},
		{"a =~ b * c", "((a =~ b) * c)"},
		{"a * b + c", "((a * b) + c)"},
		{"a + b > c", "((a + b) > c)"},
		{"not a = b", "(not (a = b))"},
		{"not a and b", "((not a) and b)"},
		{"a and b or c", "((a and b) or c)"},
		{"a or b -> c", "((a or b) -> c)"},
		{"a -> b -> c", "(a -> (b -> c))"},
		{"a - b - c", "((a - b) - c)"},
		{"a in b = c", "((a in b) = c)"},
		{"a.b(c).d", "((a.b(c)).d)"},
		{"f(x => a + b)", "f(x => (a + b))"},
	}
	for _, tc := range tests {
		t.Run(tc.src, func(t *testing.T) {
			x, err := Parse(tc.src)
			if err != nil {
				t.Fatal(err)
			}
			if got := x.String(); got != tc.want {
				t.Errorf("got %s, want %s", got, tc.want)
			}
		})
	}
}

func TestEval(t *testing.T) {
	env := &expr.Env{Vars: expr.DictOf("xs", []any{int64(1), int64(2), int64(3)}, "name", "st2")}
	tests := []struct {
		src  string
		want any
	}{
		{"ctx(xs).where($ > 1).select($ * 10)", []any{int64(20), int64(30)}},
		{"ctx(name).toUpper()", "ST2"},
		{"let(n => 2) -> ctx(xs).select($ * $n).sum()", int64(12)},
		{"{a => [1, 2]}", expr.DictOf("a", []any{int64(1), int64(2)})},
	}
	for _, tc := range tests {
		t.Run(tc.src, func(t *testing.T) {
			x, err := Parse(tc.src)
			if err != nil {
				t.Fatal(err)
			}
			got, err := x.Eval(context.Background(), env)
			if err != nil {
				t.Fatal(err)
			}
			if !expr.Equal(got, tc.want) {
				t.Errorf("got %s, want %s", expr.Repr(got), expr.Repr(tc.want))
			}
		})
	}
	x, _ := Parse("$.a + 1")
	got, err := x.EvalWith(context.Background(), nil, expr.DictOf("a", int64(41)))
	if err != nil || got != int64(42) {
		t.Errorf("EvalWith: got %v, %v", got, err)
	}
}

func TestEvaluateText(t *testing.T) {
	env := &expr.Env{Vars: expr.DictOf("x", int64(1), "xs", []any{int64(1), int64(2)}, "s", "<% ctx(x) + 1 %>")}
	tests := []struct {
		text string
		want any
	}{
		{"plain", "plain"},
		{"<% ctx(x) %>", int64(1)},
		{"v=<% ctx(xs) %>", "v=[1, 2]"},
		{"<% ctx(x) %>-<% ctx(x) %>", "1-1"},
		{"<% ctx(s) %>", int64(2)},
		{"<% null %> and <% true %>", "None and True"},
	}
	for _, tc := range tests {
		t.Run(tc.text, func(t *testing.T) {
			got, err := Default().Evaluate(context.Background(), tc.text, env, expr.Limits{})
			if err != nil {
				t.Fatal(err)
			}
			if !expr.Equal(got, tc.want) {
				t.Errorf("got %s, want %s", expr.Repr(got), expr.Repr(tc.want))
			}
		})
	}
}

func TestErrorsNamePosition(t *testing.T) {
	_, err := Default().Evaluate(context.Background(), "x = <% 1 + 'a' %>", nil, expr.Limits{})
	var xe *expr.Error
	if !errors.As(err, &xe) {
		t.Fatalf("got %T %v, want *expr.Error", err, err)
	}
	if xe.Expr != "x = <% 1 + 'a' %>" || xe.Pos != 7 {
		t.Errorf("got expr %q pos %d, want the text and 7", xe.Expr, xe.Pos)
	}
	var ee *EvaluationError
	if !errors.As(err, &ee) || !strings.Contains(ee.Msg, `No function "#operator_+" matches supplied arguments`) {
		t.Errorf("got %v", err)
	}
	var pe *expr.PyError
	if !errors.As(err, &pe) || pe.Type != classNoMatchFunction {
		t.Errorf("cause: got %v", pe)
	}
}

func TestLimits(t *testing.T) {
	deep := strings.Repeat("(", 1000) + "1" + strings.Repeat(")", 1000)
	if _, err := Parse(deep); !errors.Is(err, expr.ErrLimit) {
		t.Errorf("deep nesting: got %v, want a limit error", err)
	}
	tests := []struct {
		name string
		src  string
		lim  expr.Limits
	}{
		{"steps", "range(1000000).sum()", expr.Limits{MaxSteps: 10000}},
		{"output", "'ab' * 100000000", expr.Limits{MaxOutput: 1 << 20}},
		{"output list", "[1] * 100000000", expr.Limits{MaxOutput: 1 << 20}},
		{"depth", "let(x => 1) -> " + strings.Repeat("[", 150) + "1" + strings.Repeat("]", 150), expr.Limits{MaxDepth: 100}},
		{"infinite", "sequence().sum()", expr.Limits{MaxSteps: 100000}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			x, err := Parse(tc.src)
			if err != nil {
				t.Fatal(err)
			}
			_, err = x.EvalLimits(context.Background(), nil, tc.lim)
			if !errors.Is(err, expr.ErrLimit) {
				t.Errorf("got %v, want a limit error", err)
			}
		})
	}
}

func TestCancellation(t *testing.T) {
	x, err := Parse("sequence().sum()")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := x.Eval(ctx, nil); !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled: got %v", err)
	}
	ctx, cancel = context.WithTimeout(context.Background(), 20*time.Millisecond)
	defer cancel()
	_, err = x.EvalLimits(ctx, nil, expr.Limits{MaxSteps: -1, Timeout: -1})
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("deadline: got %v", err)
	}
}

// TestConcurrent evaluates shared, cached expressions from several
// goroutines (run with -race).
func TestConcurrent(t *testing.T) {
	env := &expr.Env{Vars: expr.DictOf("xs", []any{int64(3), int64(1), int64(2)})}
	texts := []string{"<% ctx(xs).orderBy($).select($ * 2) %>", "n=<% ctx(xs).sum() %>", "<% let(a => 1) -> ctx(xs).where($ > $a).len() %>"}
	want := []any{[]any{int64(2), int64(4), int64(6)}, "n=6", int64(2)}
	done := make(chan error)
	for g := 0; g < 8; g++ {
		go func() {
			for i := 0; i < 50; i++ {
				for j, text := range texts {
					got, err := Default().Evaluate(context.Background(), text, env, expr.Limits{})
					if err != nil {
						done <- err
						return
					}
					if !expr.Equal(got, want[j]) {
						done <- errors.New("got " + expr.Repr(got) + " for " + text)
						return
					}
				}
			}
			done <- nil
		}()
	}
	for g := 0; g < 8; g++ {
		if err := <-done; err != nil {
			t.Error(err)
		}
	}
}
