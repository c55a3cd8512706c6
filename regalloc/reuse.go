package regalloc

import "sync"

// Reusing the fast allocator's tables (issue 21). RunFast built a dozen tables per
// function, per block, instruction, operand and virtual register, and dropped them when it
// returned: at -O0 on encoding/json's test binary, a quarter of what the compiler then
// allocated. A worker allocates one function after another, so the tables of the last one
// are kept in a pool and the next one resizes them; only what the [Result] holds (the
// edits, the slots, each operand's location) is new each time.

// reuseMax bounds the instructions and virtual registers of a function whose tables go
// back to the pool: a huge function's would stay alive through the next function's
// selection, the compiler's peak (issue 19).
const reuseMax = 1 << 16

var fastPool sync.Pool // of *fastAlloc holding only tables

// resultPool holds released Results, whose arrays the next RunFast fills: what the
// Result holds (the edits, each operand's location, where each instruction's operands
// start, the slots) was a sixth of what the compiler allocated at -O0 on
// encoding/json's test binary, dropped as soon as the backend had applied it.
var resultPool sync.Pool // of *Result

// Release tells the allocator that r is no longer needed (a backend has applied it), so
// that a later [Run] or [RunFast] may fill r and its arrays again. Nothing may use r
// afterwards.
func (r *Result) Release() {
	if len(r.opStart) > reuseMax+1 || cap(r.allocs) > 4*reuseMax || cap(r.Edits) > 4*reuseMax {
		return // a huge function's, whose arrays would stay alive (issue 19)
	}
	*r = Result{Edits: r.Edits[:0], Slots: r.Slots[:0], allocs: r.allocs[:0], opStart: r.opStart[:0]}
	resultPool.Put(r)
}

// adoptResult takes the arrays of a released Result, if the pool has one.
func (x *fastAlloc) adoptResult() {
	r, ok := resultPool.Get().(*Result)
	if !ok {
		r = &Result{}
	}
	x.result = r
	x.edits, x.slots, x.allocs, x.opStart = r.Edits, r.Slots, r.allocs, r.opStart
}

// adopt takes the tables of a function allocated before, if the pool has them.
func (x *fastAlloc) adopt() {
	old, ok := fastPool.Get().(*fastAlloc)
	if !ok {
		return
	}
	x.spare = old
	a, o := &x.allocator, &old.allocator
	a.blockStart, a.class, a.clobberOf, a.isCopy, a.ops = o.blockStart, o.class, o.clobberOf, o.isCopy, o.ops
	a.defInstr, a.defBlock, a.reuseSrc, a.useHint, a.paramIndex = o.defInstr, o.defBlock, o.reuseSrc, o.useHint, o.paramIndex
	a.preds, a.succs, a.params, a.args, a.slot = o.preds, o.succs, o.params, o.args, o.slot
	x.written, x.snapAt, x.inReg, x.global, x.lastUse = old.written, old.snapAt, old.inReg, old.global, old.lastUse
	x.fixedOps, x.special, x.loops, x.inv, a.predCount = old.fixedOps, old.special, old.loops, old.inv, o.predCount
	a.clobbers, a.clobberIndex = o.clobbers, o.clobberIndex // load empties both
	x.from, x.to, x.spans, x.runOf = old.from, old.to, old.spans, old.inEdge
	// Lists that grow from empty.
	x.globals, x.freeHeap, x.busyHeap = old.globals, old.freeHeap, old.busyHeap
	x.moves, x.snaps, x.fixLast = old.moves[:0], old.snaps[:0], old.fixLast
	x.locals, x.dying = old.locals[:0], old.dying[:0]
	for c := range x.freeSlots {
		x.freeSlots[c] = old.freeSlots[c][:0]
	}
}

// recycle gives x's tables to the pool, none of which the Result holds, and nothing of the
// function itself.
func (x *fastAlloc) recycle() {
	a := &x.allocator
	if a.ninstrs > reuseMax || a.nvregs > reuseMax || len(a.ops) > 4*reuseMax {
		return
	}
	keep := x.spare // the struct is large (tables per register): one per worker too
	if keep == nil {
		keep = &fastAlloc{}
	} else {
		*keep = fastAlloc{}
	}
	k := &keep.allocator
	k.blockStart, k.class, k.clobberOf, k.isCopy, k.ops = a.blockStart, a.class, a.clobberOf, a.isCopy, a.ops
	k.defInstr, k.defBlock, k.reuseSrc, k.useHint, k.paramIndex = a.defInstr, a.defBlock, a.reuseSrc, a.useHint, a.paramIndex
	k.preds, k.succs, k.params, k.args, k.slot = a.preds, a.succs, a.params, a.args, a.slot
	keep.written, keep.snapAt, keep.inReg, keep.global, keep.lastUse = x.written, x.snapAt, x.inReg, x.global, x.lastUse
	keep.fixedOps, keep.special, keep.loops, keep.inv, k.predCount = x.fixedOps, x.special, x.loops, x.inv, a.predCount
	k.clobbers, k.clobberIndex = a.clobbers, a.clobberIndex
	keep.from, keep.to, keep.spans, keep.inEdge = x.from, x.to, x.spans, x.inEdge
	keep.globals, keep.freeHeap, keep.busyHeap = x.globals, x.freeHeap, x.busyHeap
	keep.moves, keep.snaps, keep.fixLast = x.moves, x.snaps, x.fixLast
	keep.locals, keep.dying, keep.freeSlots = x.locals, x.dying, x.freeSlots
	fastPool.Put(keep)
}

// resize returns a cleared slice of length n, in s's array when it is large enough: what
// make would return, without allocating.
func resize[T any](s []T, n int) []T {
	if cap(s) < n {
		return make([]T, n)
	}
	s = s[:n]
	clear(s)
	return s
}

// reset empties l for n lists of total elements, reusing its arrays when they are large
// enough.
func (l *lists[T]) reset(n, total int) {
	if cap(l.start) < n+1 {
		l.start = make([]int32, 1, n+1)
	} else {
		l.start = append(l.start[:0], 0)
	}
	if cap(l.all) < total {
		l.all = make([]T, 0, total)
	} else {
		l.all = l.all[:0]
	}
}
