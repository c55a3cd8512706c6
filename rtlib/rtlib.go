package rtlib

import _ "embed" // rt.wasm

//go:embed rt.wasm
var rtWasm string

//go:embed rt_darwin.wasm
var rtDarwinWasm string

// Wasm returns the runtime module, rt.wasm, built from c/ by `go generate`. Each call
// returns a fresh copy, so callers may keep or modify it.
func Wasm() []byte { return []byte(rtWasm) }

// WasmFor returns the runtime of operating system goos: rt.wasm for Linux, and for
// darwin rt_darwin.wasm, built from the same sources with WASMC_DARWIN defined, which
// selects Darwin's flags, structures and errno numbers and the libSystem calls
// (libsystem.go). Two builds rather than tables chosen at run time keep each OS's code
// free of the other's, and Linux's byte for byte what it was.
func WasmFor(goos string) []byte {
	if goos == "darwin" {
		return []byte(rtDarwinWasm)
	}
	return Wasm()
}

// Memories and Tables are how many memories and tables rt.wasm defines: linked last, they
// are the program's last ones, which the guest cannot reach and no resource limit applies
// to (backend.Limits). TestModule checks them against rt.wasm.
const (
	Memories = 1
	Tables   = 1
)
