package rtlib

import _ "embed" // rt.wasm

//go:embed rt.wasm
var rtWasm string

// Wasm returns the runtime module, rt.wasm, built from c/ by `go generate`. Each call
// returns a fresh copy, so callers may keep or modify it.
func Wasm() []byte { return []byte(rtWasm) }

// Memories and Tables are how many memories and tables rt.wasm defines: linked last, they
// are the program's last ones, which the guest cannot reach and no resource limit applies
// to (backend.Limits). TestModule checks them against rt.wasm.
const (
	Memories = 1
	Tables   = 1
)
