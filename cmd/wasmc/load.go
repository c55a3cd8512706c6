package main

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/wasmc/wasmc/frontend"
	"github.com/wasmc/wasmc/frontend/wat"
)

// source is a module file as read from disk.
type source struct {
	path string
	data []byte
	text bool // the text format; offsets in errors are then offsets into data
}

// readSource reads a module file and decides its format: by the extension .wasm or .wat
// when it has one, otherwise by content (a binary starts with a NUL byte, as its magic
// "\0asm" does; text never does).
func readSource(path string) (*source, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	text := !bytes.HasPrefix(data, []byte{0})
	switch strings.ToLower(filepath.Ext(path)) {
	case ".wasm":
		text = false
	case ".wat", ".wast":
		text = true
	}
	return &source{path: path, data: data, text: text}, nil
}

// decode parses the source into a module without validating it.
func (s *source) decode() (*frontend.Module, error) {
	if s.text {
		return wat.ParseModule(s.path, s.data)
	}
	return frontend.Decode(s.data)
}

// load decodes and validates.
func (s *source) load() (*frontend.Module, error) {
	m, err := s.decode()
	if err != nil {
		return nil, err
	}
	if err := frontend.Validate(m); err != nil {
		return nil, err
	}
	return m, nil
}

// describe formats an error from decode or load as "FILE:0xOFFSET: message" for binaries and
// "FILE:LINE:COL: message" for text, the forms editors and scripts expect.
func (s *source) describe(err error) string {
	return describeErr(s.path, s.data, s.text, err)
}

func describeErr(path string, data []byte, text bool, err error) string {
	var de *frontend.DecodeError
	var ve *frontend.ValidationError
	var se *wat.SyntaxError
	switch {
	case errors.As(err, &se):
		return se.Error()
	case errors.As(err, &de):
		msg := de.Err.Error()
		if de.Section != "" {
			msg += " (in " + de.Section + " section)"
		}
		return fmt.Sprintf("%s:0x%x: %s", path, de.Offset, msg)
	case errors.As(err, &ve):
		msg := ve.Msg
		if ve.Func >= 0 {
			msg = fmt.Sprintf("func %d: %s", ve.Func, msg)
		}
		if text {
			line, col := wat.Position(data, ve.Offset)
			return fmt.Sprintf("%s:%d:%d: %s", path, line, col, msg)
		}
		return fmt.Sprintf("%s:0x%x: %s", path, ve.Offset, msg)
	}
	return fmt.Sprintf("%s: %v", path, err)
}
