package expr

import (
	"errors"
	"fmt"
	"strings"
)

// PyError is a Python exception raised while evaluating: Type is the
// exception class StackStorm's Python would raise ("TypeError",
// "KeyError", "ZeroDivisionError", "UndefinedError", ...) and Msg its
// message. Error() prints them as Python's traceback does ("TypeError:
// unsupported operand ...").
type PyError struct {
	Type string
	Msg  string
}

func (e *PyError) Error() string {
	if e.Msg == "" {
		return e.Type
	}
	return e.Type + ": " + e.Msg
}

// TypeErrorf returns a TypeError.
func TypeErrorf(format string, args ...any) error {
	return &PyError{Type: "TypeError", Msg: fmt.Sprintf(format, args...)}
}

// ValueErrorf returns a ValueError.
func ValueErrorf(format string, args ...any) error {
	return &PyError{Type: "ValueError", Msg: fmt.Sprintf(format, args...)}
}

// Errorf returns a PyError of the given class.
func Errorf(class, format string, args ...any) error {
	return &PyError{Type: class, Msg: fmt.Sprintf(format, args...)}
}

// IsPyError reports whether err is (or wraps) a PyError of the given class.
func IsPyError(err error, class string) bool {
	var pe *PyError
	return errors.As(err, &pe) && pe.Type == class
}

// Error is an evaluation or parse failure, naming the language, the
// expression and the position in it. Err is the cause: a [*PyError], a
// [*LimitError], a syntax error or a context error.
type Error struct {
	Lang string // "jinja", "yaql"
	Expr string // the whole text given to the engine
	Pos  int    // byte offset of the failing part in Expr; -1 if unknown
	Err  error
}

// Position returns the 1-based line and column (in characters) of Pos,
// or 0, 0 when the position is unknown.
func (e *Error) Position() (line, col int) {
	if e.Pos < 0 || e.Pos > len(e.Expr) {
		return 0, 0
	}
	before := e.Expr[:e.Pos]
	line = 1 + strings.Count(before, "\n")
	if i := strings.LastIndexByte(before, '\n'); i >= 0 {
		before = before[i+1:]
	}
	return line, 1 + len([]rune(before))
}

func (e *Error) Error() string {
	var b strings.Builder
	b.WriteString("evaluating ")
	if e.Lang != "" {
		b.WriteString(e.Lang)
		b.WriteByte(' ')
	}
	b.WriteString("expression ")
	b.WriteString(quoteExpr(e.Expr))
	if line, col := e.Position(); line > 0 {
		fmt.Fprintf(&b, " at %d:%d", line, col)
	}
	b.WriteString(": ")
	if e.Err != nil {
		b.WriteString(e.Err.Error())
	}
	return b.String()
}

func (e *Error) Unwrap() error { return e.Err }

// quoteExpr quotes an expression for an error message, shortening a long
// one.
func quoteExpr(s string) string {
	const max = 200
	if r := []rune(s); len(r) > max {
		s = string(r[:max]) + "..."
	}
	return fmt.Sprintf("%q", s)
}

// LimitError reports that an evaluation exceeded one of its [Limits] or
// was cancelled.
type LimitError struct {
	Limit string // "depth", "output", "steps", "time"
	Max   int64
}

func (e *LimitError) Error() string {
	switch e.Limit {
	case "time":
		return "expression took too long"
	case "depth":
		return fmt.Sprintf("expression nesting exceeds the limit of %d", e.Max)
	case "output":
		return fmt.Sprintf("expression output exceeds the limit of %d bytes", e.Max)
	}
	return fmt.Sprintf("expression exceeds the limit of %d %s", e.Max, e.Limit)
}

// ErrLimit matches every [*LimitError] with errors.Is.
var ErrLimit = errors.New("expression limit exceeded")

// Is makes errors.Is(err, ErrLimit) true for any LimitError.
func (e *LimitError) Is(target error) bool { return target == ErrLimit }
