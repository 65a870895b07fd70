package client

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"
	"unicode/utf8"
)

// errorDetail reads an error body the way StackStorm's client does
// (ResourceManager.handle_error): the body is decoded as UTF-8 and parsed
// with orjson; a JSON object's truthy "faultstring" is the fault. When the
// body cannot be read that way, problem is the text of the Python
// exception st2client reports after "Unable to retrieve detailed message
// from the HTTP response." (orjson's JSONDecodeError for a plain-text 404,
// an AttributeError for a JSON list, ...). A body that parses to a falsy
// value ({}, [], null, "", 0, false) gives neither.
func errorDetail(body []byte) (fault, problem string) {
	if !utf8.Valid(body) {
		return "", utf8Problem(body)
	}
	v, err := decodeLikeOrjson(body)
	if err != nil {
		return "", err.Error()
	}
	if !pyTruthy(v) {
		return "", ""
	}
	o, ok := v.(*Object)
	if !ok {
		return "", fmt.Sprintf("'%s' object has no attribute 'get'", pyTypeName(v))
	}
	f, _ := o.Get("faultstring")
	if !pyTruthy(f) {
		return "", ""
	}
	return pyString(f), ""
}

// orjsonError is orjson's JSONDecodeError: msg at a character position.
type orjsonError struct {
	msg string
	doc string
	pos int // byte offset into doc
}

// Error formats the error as Python's JSONDecodeError does:
// "msg: line L column C (char P)", P counted in characters.
func (e *orjsonError) Error() string {
	before := e.doc[:e.pos]
	char := utf8.RuneCountInString(before)
	line := strings.Count(before, "\n") + 1
	col := char + 1
	if i := strings.LastIndexByte(before, '\n'); i >= 0 {
		col = utf8.RuneCountInString(before[i+1:]) + 1
	}
	return fmt.Sprintf("%s: line %d column %d (char %d)", e.msg, line, col, char)
}

func isJSONSpace(c byte) bool { return c == ' ' || c == '\t' || c == '\n' || c == '\r' }

// decodeLikeOrjson parses body as one JSON document and, when it is not
// one, reports the error orjson 3.10 (yyjson 0.9 backend, as pinned by
// StackStorm) gives for the common cases: empty input, text that is not
// JSON at all, a value followed by more text ("404 page not found"). For
// malformed documents inside an object or array the message and position
// are close to, but not always exactly, yyjson's.
func decodeLikeOrjson(body []byte) (any, error) {
	doc := string(body)
	fail := func(msg string, pos int) error { return &orjsonError{msg: msg, doc: doc, pos: pos} }
	if len(body) == 0 {
		return nil, fail("Input is a zero-length, empty document", 0)
	}
	start := 0
	for start < len(body) && isJSONSpace(body[start]) {
		start++
	}
	if start == len(body) {
		return nil, fail("input data is empty", 0)
	}
	end := start
	switch c := body[start]; {
	case c == '{' || c == '[' || c == '"':
		dec := json.NewDecoder(bytes.NewReader(body[start:]))
		var raw json.RawMessage
		if err := dec.Decode(&raw); err != nil {
			var se *json.SyntaxError
			switch {
			case errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, io.EOF):
				return nil, fail("unexpected end of data", len(body))
			case errors.As(err, &se):
				return nil, fail("unexpected character", start+int(se.Offset)-1)
			}
			return nil, fail(err.Error(), start)
		}
		end = start + int(dec.InputOffset())
	case c == '-' || c >= '0' && c <= '9':
		n, msg := scanJSONNumber(body[start:])
		if msg != "" {
			if start+n >= len(body) {
				return nil, fail("unexpected end of data", len(body))
			}
			return nil, fail(msg, start+n)
		}
		end = start + n
	case c == 't' || c == 'f' || c == 'n':
		rest := body[start:]
		lit := map[byte]string{'t': "true", 'f': "false", 'n': "null"}[c]
		switch {
		case bytes.HasPrefix(rest, []byte(lit)):
			end = start + len(lit)
		case bytes.HasPrefix([]byte(lit), rest):
			return nil, fail("unexpected end of data", len(body))
		default:
			return nil, fail("invalid literal", start)
		}
	default:
		return nil, fail("unexpected character", start)
	}
	for i := end; i < len(body); i++ {
		if !isJSONSpace(body[i]) {
			return nil, fail("unexpected content after document", i)
		}
	}
	return Decode(body)
}

// scanJSONNumber returns the length of the number at the start of b, or
// the offset and yyjson's message of what is wrong with it.
func scanJSONNumber(b []byte) (int, string) {
	i := 0
	digits := func() int {
		n := 0
		for i < len(b) && b[i] >= '0' && b[i] <= '9' {
			i++
			n++
		}
		return n
	}
	if b[i] == '-' {
		i++
		if i >= len(b) || b[i] < '0' || b[i] > '9' {
			return i, "no digit after minus sign"
		}
	}
	if b[i] == '0' {
		i++
		if i < len(b) && b[i] >= '0' && b[i] <= '9' {
			return i, "number with leading zero is not allowed"
		}
	} else {
		digits()
	}
	if i < len(b) && b[i] == '.' {
		i++
		if digits() == 0 {
			return i, "no digit after decimal point"
		}
	}
	if i < len(b) && (b[i] == 'e' || b[i] == 'E') {
		i++
		if i < len(b) && (b[i] == '+' || b[i] == '-') {
			i++
		}
		if digits() == 0 {
			return i, "no digit after exponent sign"
		}
	}
	return i, ""
}

// utf8Problem is Python's UnicodeDecodeError text for the first invalid
// sequence in b.
func utf8Problem(b []byte) string {
	for i := 0; i < len(b); {
		r, size := utf8.DecodeRune(b[i:])
		if r != utf8.RuneError || size > 1 {
			i += size
			continue
		}
		c := b[i]
		need := 0
		switch {
		case c >= 0xc2 && c <= 0xdf:
			need = 1
		case c >= 0xe0 && c <= 0xef:
			need = 2
		case c >= 0xf0 && c <= 0xf4:
			need = 3
		default:
			return fmt.Sprintf("'utf-8' codec can't decode byte 0x%02x in position %d: invalid start byte", c, i)
		}
		// Count the continuation bytes that are there.
		j := i + 1
		for j < len(b) && j <= i+need && b[j]&0xc0 == 0x80 {
			j++
		}
		if j == len(b) && j-i <= need {
			if j-i == 1 {
				return fmt.Sprintf("'utf-8' codec can't decode byte 0x%02x in position %d: unexpected end of data", c, i)
			}
			return fmt.Sprintf("'utf-8' codec can't decode bytes in position %d-%d: unexpected end of data", i, j-1)
		}
		if j-i == 1 {
			return fmt.Sprintf("'utf-8' codec can't decode byte 0x%02x in position %d: invalid continuation byte", c, i)
		}
		return fmt.Sprintf("'utf-8' codec can't decode bytes in position %d-%d: invalid continuation byte", i, j-1)
	}
	return "'utf-8' codec can't decode the body"
}

// pyTruthy is Python's truth value of a decoded JSON value.
func pyTruthy(v any) bool {
	switch t := v.(type) {
	case nil:
		return false
	case bool:
		return t
	case string:
		return t != ""
	case json.Number:
		f, err := t.Float64()
		return err != nil || f != 0
	case []any:
		return len(t) > 0
	case *Object:
		return t.Len() > 0
	}
	return true
}

func pyTypeName(v any) string {
	switch t := v.(type) {
	case bool:
		return "bool"
	case string:
		return "str"
	case json.Number:
		if strings.ContainsAny(string(t), ".eE") {
			return "float"
		}
		return "int"
	case []any:
		return "list"
	}
	return "dict"
}

// pyString is str() of a scalar fault (faultstrings are nearly always
// strings).
func pyString(v any) string {
	switch t := v.(type) {
	case string:
		return t
	case bool:
		if t {
			return "True"
		}
		return "False"
	case json.Number:
		return string(t)
	}
	b, _ := json.Marshal(v)
	return string(b)
}
