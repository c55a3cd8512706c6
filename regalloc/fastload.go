package regalloc

import "math"

// RunFast's classify walked every operand again after the load had just walked them all,
// a sixth of -O0's register allocation on a large Go program (issue 21). So when f is
// read through [DenseFunc], [InstrList.Add] classifies each instruction's operands as it
// takes them in: a use's last reader and the value's last position, whether a use is in
// another run than the definition (the value is then global), a def's first position,
// and which instructions and blocks have fixed operands. classify is then left with the
// block parameters, the branch arguments and the loops.
//
// The walk is in layout order, so that it sees a definition before the uses in its own
// run, and usually before all its uses. A use whose definition it has not seen yet (in a
// later block, or never) needs the whole function, and so does a use before its
// definition in the same instruction, an error: then classify walks the operands again
// as before, which finds the same errors in the same order (fastLoad.again).

// fastLoad is RunFast's part of an [InstrList]: x's tables that Add fills.
type fastLoad struct {
	on bool // RunFast's load: Add fills the tables below
	// again says that a use came before its definition was seen: classify must walk the
	// operands itself.
	again             bool
	runStart          int32 // the first block of the current block's run
	runOf             []int32
	global            []bool
	lastUse, from, to []int32
	special           []bool
	fixedOps          [][2]int32
}

// startLoad readies the tables that classify fills from the operands, for the load to
// fill instead, and returns them; the load has checked the CFG.
func (x *fastAlloc) startLoad() fastLoad {
	a := &x.allocator
	x.global = resize(x.global, a.nvregs)
	x.lastUse = filled(x.lastUse, a.nvregs, -1)
	x.from = filled(x.from, a.nvregs, math.MaxInt32)
	x.to = filled(x.to, a.nvregs, -1)
	x.fixedOps = resize(x.fixedOps, a.nblocks)
	x.special = sized(x.special, a.ninstrs) // Add writes each
	x.runs()
	return fastLoad{on: true, runOf: x.runOf, global: x.global, lastUse: x.lastUse, from: x.from, to: x.to,
		special: x.special, fixedOps: x.fixedOps}
}

// runs finds x.runOf: per block, the first block of its run, a block and the blocks that
// continue it: code that only enters at the top.
func (x *fastAlloc) runs() {
	x.runOf = resize(x.runOf, x.nblocks)
	run := x.runOf
	for b := range run {
		run[b] = int32(b)
		if x.continues(b) {
			run[b] = run[b-1]
		}
	}
}

// params records the parameters of block b, which Add has just started, as classify
// does: each is global, and its lifetime starts with the block.
func (fl *fastLoad) params(ps []VReg, start int32) {
	for _, p := range ps {
		fl.global[p] = true
		fl.from[p], fl.to[p] = min(fl.from[p], start), max(fl.to[p], start)
	}
}

// use records v's use by instruction i of block b (its end for a branch argument): v is
// global if defined in another run, and otherwise i is its last reader so far.
func (x *fastAlloc) use(v VReg, b, i int) error {
	a := &x.allocator
	switch d := a.defBlock[v]; {
	case d < 0:
		return a.errorf(b, i, "%%%d is used but never defined", v)
	case x.runOf[d] != x.runOf[b]:
		x.global[v] = true
	case a.defInstr[v] >= int32(i):
		return a.errorf(b, i, "%%%d is used before its definition", v)
	}
	// The maximum, as the edges may come after the instructions of later blocks.
	x.lastUse[v] = max(x.lastUse[v], int32(i))
	return nil
}

// edgeUses classifies what blocks [lo, hi) pass their successors: uses at the end of the
// block, moved at the edge's moves, and the back edges.
func (x *fastAlloc) edgeUses(lo, hi int) error {
	a := &x.allocator
	from, to, lastUse, global := x.from, x.to, x.lastUse, x.global
	defBlock, defInstr, runOf := a.defBlock, a.defInstr, x.runOf
	predStart, params := a.preds.start, a.params
	for b := lo; b < hi; b++ {
		end, run := a.blockStart[b+1], runOf[b]
		for e := a.succs.start[b]; e < a.succs.start[b+1]; e++ {
			s := a.succs.all[e]
			if s <= b {
				x.spans = append(x.spans, [2]int32{int32(s), int32(b)})
			}
			npreds := predStart[s+1] - predStart[s]
			pos := a.blockStart[s] // where the edge's moves run
			if npreds > 1 {
				pos = end - 1
			}
			lone := npreds == 1 && s != b+1
			ps := params.at(s)
			for j, v := range a.args.at(int(e)) {
				// use's cases, inline: this runs for every argument.
				d := defBlock[v]
				if d < 0 || runOf[d] == run && defInstr[v] >= end {
					return x.use(v, b, int(end))
				}
				if lone || runOf[d] != run {
					global[v] = true
				}
				lastUse[v] = max(lastUse[v], end)
				p := ps[j]
				from[v], to[v] = min(from[v], pos), max(to[v], pos)
				from[p], to[p] = min(from[p], pos), max(to[p], pos)
			}
		}
	}
	return nil
}

// inEdges finds x.inEdge, in the array of x.runOf, which only classify reads: a table per
// block more was 2% more memory for a function of many small blocks, within the bound of
// TestFastHostile.
func (x *fastAlloc) inEdges() {
	a := &x.allocator
	x.inEdge, x.runOf = x.runOf, nil
	for e, s := range a.succs.all {
		if len(a.preds.at(s)) == 1 {
			x.inEdge[s] = int32(e)
		}
	}
}
