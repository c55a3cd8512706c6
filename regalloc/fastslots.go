package regalloc

import (
	"cmp"
	"math"
	"slices"
)

// globalSlots gives RunFast's global values their slots, sharing a slot between values
// whose lifetimes do not overlap (unless cfg.Slots says otherwise), so that a function
// with thousands of such values does not get a frame of thousands of slots.
//
// A lifetime is a range of instructions in layout order: from the first to the last at
// which the value is defined, read or moved on an edge, widened to cover every loop it
// reaches into. Without liveness, loops are the spans of back edges (to a block laid out
// no later than the branch), merged where they overlap: a path that leaves the range and
// comes back into it must take a back edge whose span holds one end of the range, and the
// merged span holding that end then holds the whole path. Slots are then handed out first
// fit by start, as assignSlots does for Run.
func (x *fastAlloc) globalSlots() {
	a := &x.allocator
	from := make([]int32, a.nvregs)
	to := make([]int32, a.nvregs)
	for v := range from {
		from[v], to[v] = math.MaxInt32, -1
	}
	at := func(v VReg, i int32) {
		if x.global[v] {
			from[v], to[v] = min(from[v], i), max(to[v], i)
		}
	}
	// Loops: per block, the first and last instruction of the merged back-edge spans
	// holding it, or -1.
	loopFrom := make([]int32, a.nblocks)
	loopTo := make([]int32, a.nblocks)
	for b := range loopFrom {
		loopFrom[b], loopTo[b] = -1, -1
	}
	var spans [][2]int32 // blocks
	for b := 0; b < a.nblocks; b++ {
		for k, s := range a.succs.at(b) {
			if s <= b {
				spans = append(spans, [2]int32{int32(s), int32(b)})
			}
			pos := a.blockStart[s] // where the edge's moves run
			if len(a.preds.at(s)) > 1 {
				pos = a.blockStart[b+1] - 1
			}
			for j, v := range a.argsOf(b, k) {
				at(v, pos)
				at(a.params.at(s)[j], pos)
			}
		}
		for i := a.blockStart[b]; i < a.blockStart[b+1]; i++ {
			for _, o := range a.ops[a.opStart[i]:a.opStart[i+1]] {
				if o.reg == NoReg && o.def {
					at(o.vreg, i+1) // stored before the next instruction
				} else if o.reg == NoReg {
					at(o.vreg, i)
				}
			}
		}
		for _, p := range a.params.at(b) {
			at(p, a.blockStart[b])
		}
	}
	slices.SortFunc(spans, func(p, q [2]int32) int { return cmp.Compare(p[0], q[0]) })
	for j := 0; j < len(spans); {
		lo, hi := spans[j][0], spans[j][1]
		for j++; j < len(spans) && spans[j][0] <= hi; j++ {
			hi = max(hi, spans[j][1])
		}
		for b := lo; b <= hi; b++ {
			loopFrom[b], loopTo[b] = a.blockStart[lo], a.blockStart[hi+1]-1
		}
	}
	var globals []VReg
	for v, g := range x.global {
		if !g {
			continue
		}
		globals = append(globals, VReg(v))
		if b := a.blockOf(2 * from[v]); loopFrom[b] >= 0 {
			from[v] = loopFrom[b]
		}
		if b := a.blockOf(2 * to[v]); loopTo[b] >= 0 {
			to[v] = loopTo[b]
		}
	}
	slices.SortStableFunc(globals, func(v, w VReg) int { return cmp.Compare(from[v], from[w]) })
	var free, busy [NumClasses]minHeap[slotUse] // free by slot number, busy by lifetime end
	for c := range free {
		free[c].less, busy[c].less = slotUse.before, slotUse.before
	}
	for _, v := range globals {
		c := a.class[v]
		s := int32(-1)
		if a.cfg.Slots == SlotsShared {
			for busy[c].len() > 0 && busy[c].min().until < from[v] {
				free[c].push(slotUse{slot: busy[c].pop().slot})
			}
			if free[c].len() > 0 {
				s = free[c].pop().slot
			}
		}
		if s < 0 {
			s = int32(len(a.slots))
			a.slots = append(a.slots, c)
		}
		busy[c].push(slotUse{until: to[v], slot: s})
		a.slot[v] = s
	}
}
