package backend

import (
	"runtime"
	"runtime/debug"
	"sync"

	"github.com/wasmc/wasmc/ir"
)

// Memory policy for huge functions. A function's compile holds its body and its machine
// code, each a few hundred bytes per wasm instruction; on a real program's functions
// (gobig's largest is 50 KB of code, encoding/json's test binary's 93 KB) that is
// nothing beside what the program's code keeps, but a single function of 500 KB (100,000
// nested ifs, 20,000 values live across 20,000 ifs) holds 100 MB, and Go's collector
// lets the heap grow to twice what it last found live: the compiler's peak was twice
// the function's. For such a function the compiler collects when a large structure
// dies, and keeps the heap within half again of what is live while it compiles, at the
// cost of more collections (about 10% more CPU on the worst cases, none elsewhere).

// hugeCode is the size, in bytes of wasm code, from which a function is huge.
const hugeCode = 128 << 10

// hugeBody is the same for a body built without a source, in IR instruction slots.
const hugeBody = 1 << 16

// hugeGCPercent is the collector's growth target (GOGC) while a huge function compiles.
const hugeGCPercent = 50

// isHuge reports whether f is huge, before its body is built.
func isHuge(f *ir.Func) bool {
	return f.SourceSize() >= hugeCode || len(f.Instrs) >= hugeBody
}

// collectNow runs the collector when a huge function's compile has just dropped a
// structure about its own size: the lowerer's scaffolding once the body is built, the
// body once selection is done. The last collection ran while that structure was live,
// so without this the heap would grow into its garbage before the next one.
func collectNow(huge bool) {
	if huge {
		runtime.GC()
	}
}

// hugeGC counts the huge functions compiling, which share one collector.
var hugeGC struct {
	sync.Mutex
	n   int
	old int // the growth target to restore when the last one is done
}

// tightenGC sets the collector's growth target to hugeGCPercent while a huge function
// compiles, and returns the function that undoes it.
func tightenGC(huge bool) func() {
	if !huge {
		return func() {}
	}
	hugeGC.Lock()
	if hugeGC.n == 0 {
		hugeGC.old = debug.SetGCPercent(hugeGCPercent)
	}
	hugeGC.n++
	hugeGC.Unlock()
	return func() {
		hugeGC.Lock()
		if hugeGC.n--; hugeGC.n == 0 {
			debug.SetGCPercent(hugeGC.old)
		}
		hugeGC.Unlock()
	}
}
