package wat

import (
	"bytes"
	"fmt"
)

// SyntaxError reports malformed text. It prints as "file:line:col: msg", the form editors
// jump to; Line and Col are 1-based and Col counts bytes.
type SyntaxError struct {
	File      string
	Line, Col int
	Msg       string
	// Offset is the byte offset that Line and Col were computed from: into the text
	// parsed, which for every module of a script (quote modules included) is the script.
	Offset int64
}

func (e *SyntaxError) Error() string {
	return fmt.Sprintf("%s:%d:%d: %s", e.File, e.Line, e.Col, e.Msg)
}

// Position converts a byte offset in src into a 1-based line and column (in bytes), for
// turning the Offset fields of a parsed module into positions. Offsets beyond src clamp
// to its end.
func Position(src []byte, offset int64) (line, col int) {
	if offset < 0 {
		offset = 0
	}
	if offset > int64(len(src)) {
		offset = int64(len(src))
	}
	before := src[:offset]
	line = 1 + bytes.Count(before, []byte{'\n'})
	col = int(offset) - (bytes.LastIndexByte(before, '\n') + 1) + 1
	return line, col
}

// errorAt builds a SyntaxError at byte offset off of src.
func errorAt(file string, src []byte, off int, format string, args ...any) *SyntaxError {
	line, col := Position(src, int64(off))
	return &SyntaxError{File: file, Line: line, Col: col, Msg: fmt.Sprintf(format, args...), Offset: int64(off)}
}
