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
	// Loops: the merged back-edge spans, as ranges of instructions, in order. A table per
	// block of the span holding it, searched by binary search over the blocks for each
	// global value's ends, was a twentieth of RunFast (issue 21); the spans are few.
	slices.SortFunc(spans, func(p, q [2]int32) int { return cmp.Compare(p[0], q[0]) })
	n := 0
	for j := 0; j < len(spans); n++ {
		lo, hi := spans[j][0], spans[j][1]
		for j++; j < len(spans) && spans[j][0] <= hi; j++ {
			hi = max(hi, spans[j][1])
		}
		spans[n] = [2]int32{a.blockStart[lo], a.blockStart[hi+1] - 1} // j > n: read already
	}
	loops := spans[:n]
	globals := x.globals[:0]
	for v, g := range x.global {
		if !g {
			continue
		}
		globals = append(globals, VReg(v))
		if l, ok := loopHolding(loops, from[v], a.ninstrs); ok {
			from[v] = l[0]
		}
		if l, ok := loopHolding(loops, to[v], a.ninstrs); ok {
			to[v] = l[1]
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

// loopHolding finds the range of loops holding the block of instruction i (the last block
// for the end, ninstrs).
func loopHolding(loops [][2]int32, i int32, ninstrs int) ([2]int32, bool) {
	if len(loops) == 0 {
		return [2]int32{}, false
	}
	i = min(i, int32(ninstrs)-1)
	// The first loop that ends at i or later, by a search written out: BinarySearchFunc
	// called its comparison through a closure at each step (issue 21).
	k, n := 0, len(loops)
	for k < n {
		h := int(uint(k+n) >> 1)
		if loops[h][1] < i {
			k = h + 1
		} else {
			n = h
		}
	}
	if k < len(loops) && loops[k][0] <= i {
		return loops[k], true
	}
	return [2]int32{}, false
}
