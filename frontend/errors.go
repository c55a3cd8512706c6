package frontend

import (
	"errors"
	"fmt"
)

// DecodeError reports a malformed binary: what is wrong and the byte offset where it was
// found. It prints as "section code, func 12, at 0x1a3f: message".
type DecodeError struct {
	Offset  int64
	Section string // "" outside a section
	Func    int    // defined-function index within the code section, or -1
	Err     error
}

func (e *DecodeError) Error() string {
	s := ""
	if e.Section != "" {
		s = e.Section + " section, "
	}
	if e.Func >= 0 {
		s += fmt.Sprintf("func %d, ", e.Func)
	}
	return fmt.Sprintf("%sat 0x%x: %v", s, e.Offset, e.Err)
}

// Unwrap returns the underlying error.
func (e *DecodeError) Unwrap() error { return e.Err }

// ValidationError reports an invalid module. Offset is the source offset of the offending
// item or instruction (see the package doc); Func is the index in the function index space
// of the function whose body is at fault, or -1.
type ValidationError struct {
	Offset int64
	Func   int
	Msg    string
}

func (e *ValidationError) Error() string {
	if e.Func >= 0 {
		return fmt.Sprintf("at 0x%x: func %d: %s", e.Offset, e.Func, e.Msg)
	}
	return fmt.Sprintf("at 0x%x: %s", e.Offset, e.Msg)
}

// Errors that the decoder wraps; callers may test for them with errors.Is.
var (
	ErrUnexpectedEOF = errors.New("unexpected end")
	ErrIntTooLong    = errors.New("integer representation too long")
	ErrIntTooLarge   = errors.New("integer too large")
)
