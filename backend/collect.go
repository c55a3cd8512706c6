package backend

import "runtime"

// hugeBody is the size, in IR instruction slots, from which a function's body is large
// enough that the compiler collects garbage itself around it (collectAfter).
const hugeBody = 1 << 16

// collectAfter runs the garbage collector when a huge function has just dropped a
// structure about its own size: the lowerer's scaffolding once the body is built, the
// body once selection is done. Go's collector aims the next collection at twice what
// the last one found live, and the last one ran while that structure was still live,
// so without this the heap would grow into its garbage to twice the peak before anyone
// looked: a function of 100,000 nested ifs peaked at 210 MB of heap for 120 MB live. A
// collection costs time in proportion to what is live, about as much as building the
// body did, and only functions of 65,536 instructions (about 160 KB of wasm) pay it.
func collectAfter(slots int) {
	if slots >= hugeBody {
		runtime.GC()
	}
}
