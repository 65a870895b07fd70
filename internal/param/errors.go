package param

// Error is a parameter problem a user caused: a bad value, a missing
// required parameter, a template that cannot be rendered, an action schema
// that overrides what it may not. The API answers it with 400.
//
// Error() is the message StackStorm gives for the same problem where there
// is one, so it is not always lowercase.
type Error struct {
	// Param names the parameter at fault ("" when the problem is not one
	// parameter's, like several unexpected ones).
	Param string
	Msg   string
	// Err is the underlying error, if any (a *CastError, *UnsupportedError ...).
	Err error
}

func (e *Error) Error() string { return e.Msg }

func (e *Error) Unwrap() error { return e.Err }
