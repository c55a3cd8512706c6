package regalloc

import (
	"cmp"
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
	from, to, spans := x.from, x.to, x.spans
	// Loops: per block, the first and last instruction of the merged back-edge spans
	// holding it, or -1.
	x.loopFrom = resize(x.loopFrom, a.nblocks)
	x.loopTo = resize(x.loopTo, a.nblocks)
	loopFrom, loopTo := x.loopFrom, x.loopTo
	for b := range loopFrom {
		loopFrom[b], loopTo[b] = -1, -1
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
	globals := x.globals[:0]
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
	x.globals = globals
	free, busy := &x.freeHeap, &x.busyHeap // free by slot number, busy by lifetime end
	for c := range free {
		free[c] = minHeap[slotUse]{items: free[c].items[:0], less: slotUse.before}
		busy[c] = minHeap[slotUse]{items: busy[c].items[:0], less: slotUse.before}
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
