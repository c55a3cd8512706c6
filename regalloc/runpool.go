package regalloc

import "sync"

// Reusing the linear scan's tables (issue 21), as reuse.go does for RunFast's: Run built
// its tables per block, instruction, operand and virtual register afresh for each
// function, its intervals one by one, and dropped them all when it returned. A worker
// allocates one function after another, so an allocator that has run goes back to a pool
// with its arrays, and the next Run resizes them; the [Result] is filled into a released
// one's arrays when there is one.

var runPool sync.Pool // of *allocator holding only tables

// newRun returns an allocator for f with the tables of one that ran before, if the pool
// has one, and the arrays of a released Result.
func newRun(f Func, cfg *Config) *allocator {
	a, ok := runPool.Get().(*allocator)
	if !ok {
		a = &allocator{}
	}
	a.f, a.cfg = f, cfg
	r, ok := resultPool.Get().(*Result)
	if !ok {
		r = &Result{}
	}
	a.result = r
	a.opStart, a.slots = r.opStart, r.Slots[:0]
	return a
}

// recycle gives a's tables to the pool, keeping nothing of the function (the arrays the
// Result holds went with it), unless the function was huge: its tables would stay alive
// through the next function's selection, the compiler's peak (issue 19).
func (a *allocator) recycle() {
	if a.ninstrs > reuseMax || a.nvregs > reuseMax || len(a.ops) > 4*reuseMax {
		return
	}
	keep := allocator{
		blockStart: a.blockStart, preds: a.preds, succs: a.succs, params: a.params, args: a.args,
		ops: a.ops, clobbers: a.clobbers[:0], clobberOf: a.clobberOf, clobberIndex: a.clobberIndex,
		isCopy: a.isCopy, predCount: a.predCount,
		class: a.class, defInstr: a.defInstr, defBlock: a.defBlock, paramIndex: a.paramIndex,
		reuseSrc: a.reuseSrc, useHint: a.useHint,
		instrBlock: a.instrBlock, idx: a.idx, walk: a.walk.tables(),
		first: a.first, children: a.children, slot: a.slot,
		seq: a.seq, scanning: a.scanning, ar: a.ar, building: a.building, fixedSpans: a.fixedSpans,
		tables: a.tables,
	}
	keep.ar.reset()
	if keep.ar.large() {
		// Dropped, with what points into it.
		keep.ar = arena{}
		clear(keep.first[:cap(keep.first)])
		clear(keep.children[:cap(keep.children)])
		keep.scanning = scanState{}
	}
	keep.tables.trim()
	if keep.walk.keptRuns.size() > 8*reuseMax {
		keep.walk.keptRuns = chunks[blockRun]{}
	}
	keep.seq.cur.less = nil
	*a = keep
	runPool.Put(a)
}
