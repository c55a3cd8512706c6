package rtlib

import _ "embed" // rt.wasm

//go:embed rt.wasm
var rtWasm string

// Wasm returns the runtime module, rt.wasm, built from c/ by `go generate`. Each call
// returns a fresh copy, so callers may keep or modify it.
func Wasm() []byte { return []byte(rtWasm) }
