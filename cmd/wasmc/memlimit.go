package main

import (
	"os"
	"runtime/debug"
)

// limitMemory sets the Go runtime's soft memory limit for compiling a module of size
// bytes, unless GOMEMLIMIT does: 16 bytes per byte of module, and never below 256 MiB.
// The compiler streams (DESIGN.md decision 14), so what it keeps grows with the module
// by about 12× (code, relocations, the module itself); the limit makes the collector run
// more often only near it, instead of letting the heap double past what is live.
func limitMemory(size int) {
	if os.Getenv("GOMEMLIMIT") != "" {
		return
	}
	debug.SetMemoryLimit(max(256<<20, 16*int64(size)))
}
