package driver

import (
	"bytes"
	"errors"
	"fmt"
	"path/filepath"
	"slices"
	"strings"

	"github.com/wasmc/wasmc/backend"
	"github.com/wasmc/wasmc/frontend"
	"github.com/wasmc/wasmc/frontend/wat"
	"github.com/wasmc/wasmc/ir"
	"github.com/wasmc/wasmc/rtlib"
)

// IsText reports whether a module file is in the text format: by the extension when it has
// one (.wat or .wast; .wasm is binary), otherwise by content: a binary starts with a NUL
// byte, as its magic "\0asm" does, and text never does.
func IsText(path string, data []byte) bool {
	switch strings.ToLower(filepath.Ext(path)) {
	case ".wasm":
		return false
	case ".wat", ".wast":
		return true
	}
	return !bytes.HasPrefix(data, []byte{0})
}

// Decode parses a module in either format ([IsText]) without validating it. Its errors are
// *[InputError]s.
func Decode(path string, data []byte) (*frontend.Module, error) {
	if kind := nativeExecutable(data); kind != "" {
		return nil, &InputError{msg: fmt.Sprintf("%s: a native executable (%s), not a WebAssembly module", path, kind), Err: errNative}
	}
	text := IsText(path, data)
	var m *frontend.Module
	var err error
	if text {
		m, err = wat.ParseModule(path, data)
	} else {
		m, err = frontend.Decode(data)
	}
	if err != nil {
		return nil, Locate(path, data, text, err)
	}
	return m, nil
}

// errNative is the error inside the *InputError for a native executable given as a module.
var errNative = errors.New("a native executable, not a WebAssembly module")

// nativeExecutable names the format of data when it is a native executable, such as wasmc
// writes ("ELF", "Mach-O"), which people hand to inspect or run by mistake; otherwise "".
// Neither magic can start a module: a binary starts with NUL and text with a printable
// character or whitespace.
func nativeExecutable(data []byte) string {
	switch {
	case bytes.HasPrefix(data, []byte("\x7fELF")):
		return "ELF"
	case bytes.HasPrefix(data, []byte{0xcf, 0xfa, 0xed, 0xfe}), bytes.HasPrefix(data, []byte{0xce, 0xfa, 0xed, 0xfe}):
		return "Mach-O"
	}
	return ""
}

// Load decodes and validates a module; its errors are *[InputError]s.
func Load(path string, data []byte) (*frontend.Module, error) {
	m, err := Decode(path, data)
	if err != nil {
		return nil, err
	}
	if err := frontend.Validate(m); err != nil {
		return nil, Locate(path, data, IsText(path, data), err)
	}
	return m, nil
}

// InputError is a module that does not decode, parse or validate, said where: its message
// is "FILE:0xOFFSET: message" for the binary format and "FILE:LINE:COL: message" for text,
// the forms editors and scripts expect.
type InputError struct {
	msg string
	Err error // the decoder's, parser's or validator's error
}

func (e *InputError) Error() string { return e.msg }

// Unwrap returns the decoder's, parser's or validator's error.
func (e *InputError) Unwrap() error { return e.Err }

// Locate positions err, an error of decoding, parsing, validating or lowering data (what
// lowering does not support yet, a *frontend.UnsupportedError), in its source:
// name names it in the message, and text says whether offsets count into text, which
// then become line:column.
func Locate(name string, data []byte, text bool, err error) *InputError {
	var de *frontend.DecodeError
	var ve *frontend.ValidationError
	var se *wat.SyntaxError
	var ue *frontend.UnsupportedError
	var msg string
	switch {
	case errors.As(err, &se):
		msg = se.Error()
	case errors.As(err, &de):
		m := de.Err.Error()
		if de.Section != "" && !errors.As(de.Err, new(*frontend.FeatureError)) {
			m += " (in " + de.Section + " section)"
		}
		msg = fmt.Sprintf("%s:0x%x: %s", name, de.Offset, m)
	case errors.As(err, &ue):
		m := ue.Message()
		if ue.Func >= 0 {
			m = fmt.Sprintf("func %d ($%s): %s", ue.Func, ue.Name, m)
		}
		msg = fmt.Sprintf("%s: %s", position(name, data, text, ue.Offset), m)
	case errors.As(err, &ve):
		m := ve.Msg
		if ve.Func >= 0 {
			m = fmt.Sprintf("func %d: %s", ve.Func, m)
		}
		msg = fmt.Sprintf("%s: %s", position(name, data, text, ve.Offset), m)
	default:
		msg = fmt.Sprintf("%s: %v", name, err)
	}
	return &InputError{msg: msg, Err: err}
}

// position is where offset is in the module name with contents data: FILE:LINE:COL in
// the text format, FILE:0xOFFSET in the binary one.
func position(name string, data []byte, text bool, offset int64) string {
	if text {
		line, col := wat.Position(data, offset)
		return fmt.Sprintf("%s:%d:%d", name, line, col)
	}
	return fmt.Sprintf("%s:0x%x", name, offset)
}

// initExport names each input's instantiation function among its exports. A wasm export
// name may be any string, so a module could export it too: Lower refuses that.
const initExport = "wasmc:init"

// Lower lowers a validated module to IR for [Build]. The runtime's names are refused: the
// import module "wasmc" and WASI imports starting with "wasmc". The module's instantiation
// (segments, start function) becomes a function exported as "wasmc:init" (ir.SplitInit).
// SIMD that isa does not select (all of it but for a backend.VectorSelector) is a
// *frontend.UnsupportedError wrapping frontend.ErrSIMD: from Lower in a declaration or
// any body, and in a body built on demand when it is built (refuseSIMD).
func Lower(fm *frontend.Module, isa backend.ISA) (*ir.Module, error) {
	return lower(fm, frontend.Lower, isa)
}

// lower is [Lower] with the frontend's lowering given: frontend.LowerLazy leaves each body
// to be lowered when it is loaded.
func lower(fm *frontend.Module, lowerModule func(*frontend.Module) (*ir.Module, error), isa backend.ISA) (*ir.Module, error) {
	m, err := lowerModule(fm)
	if err != nil {
		return nil, err
	}
	for _, f := range m.Funcs {
		if f.Import != nil && f.Import.Module == rtlib.Module {
			return nil, fmt.Errorf("import %s.%s: the module name %q is reserved for wasmc's runtime", f.Import.Module, f.Import.Name, rtlib.Module)
		}
		if f.Import != nil && f.Import.Module == rtlib.WASIModule && rtlib.IsInternal(f.Import.Name) {
			return nil, fmt.Errorf("import %s.%s: names starting with \"wasmc\" are reserved for wasmc's runtime", f.Import.Module, f.Import.Name)
		}
	}
	if err := refuseSIMD(fm, m, isa); err != nil {
		return nil, err
	}
	return splitInit(m)
}

// splitInit turns m's instantiation into a function exported as initExport.
func splitInit(m *ir.Module) (*ir.Module, error) {
	if slices.ContainsFunc(m.Exports, func(x ir.Export) bool { return x.Name == initExport }) {
		return nil, fmt.Errorf("the export name %q is reserved by wasmc", initExport)
	}
	init := ir.SplitInit(m)
	m.Exports = append(m.Exports, ir.Export{Name: initExport, Kind: ir.ExternFunc, Index: init})
	return m, nil
}
