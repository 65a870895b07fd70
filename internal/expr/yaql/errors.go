package yaql

import (
	"fmt"

	"github.com/st2go/st2go/internal/expr"
)

// The Python exception classes yaql and Orquesta raise; Orquesta prints
// the class name in its error messages, so they are part of the
// observable behaviour.
const (
	classLexical          = "YaqlLexicalException"
	classGrammar          = "YaqlGrammarException"
	classNoFunction       = "NoFunctionRegisteredException"
	classNoMethod         = "NoMethodRegisteredException"
	classNoMatchFunction  = "NoMatchingFunctionException"
	classNoMatchMethod    = "NoMatchingMethodException"
	classAmbiguousFunc    = "AmbiguousFunctionException"
	classAmbiguousMethod  = "AmbiguousMethodException"
	classMappingTranslate = "MappingTranslationException"
	classArgument         = "ArgumentException"
	classKeyError         = "KeyError"
	classIndexError       = "IndexError"
	classTypeError        = "TypeError"
	classValueError       = "ValueError"
	classStopIteration    = "StopIteration"
	classZeroDivision     = "ZeroDivisionError"
)

// posError carries the position (in characters of the expression) where
// an error was detected, so that the public error can point at it.
type posError struct {
	pos int
	err error
}

func (e *posError) Error() string { return e.err.Error() }
func (e *posError) Unwrap() error { return e.err }

func pyErr(class, format string, args ...any) error {
	return &expr.PyError{Type: class, Msg: fmt.Sprintf(format, args...)}
}

func lexicalError(r rune, pos int) error {
	return &posError{pos: pos, err: pyErr(classLexical, "Lexical error: illegal character '%c' at position %d", r, pos)}
}

// decodeError is the UnicodeDecodeError Python's unicode-escape codec
// raises for a malformed escape inside a string literal.
func decodeError(end int, reason string) error {
	return pyErr("UnicodeDecodeError", "'unicodeescape' codec can't decode bytes in position 0-%d: %s", end, reason)
}

// grammarError is yaql's parse error for an unexpected token.
func grammarError(src string, t token) error {
	if t.kind == tokEOF {
		return &posError{pos: t.pos, err: pyErr(classGrammar, "Parse error: unexpected end of statement")}
	}
	return &posError{pos: t.pos, err: pyErr(classGrammar, "Parse error: unexpected '%s' at position %d of expression '%s'", tokenValueText(t), t.pos, src)}
}

// tokenValueText is how Python formats a token's value in a parse error.
func tokenValueText(t token) string {
	switch t.kind {
	case tokString:
		return t.val.(string)
	case tokNumber:
		return expr.Repr(t.val)
	case tokTrue:
		return "True"
	case tokFalse:
		return "False"
	case tokNull:
		return "None"
	case tokFunc:
		return t.text
	}
	return t.text
}
