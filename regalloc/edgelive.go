package regalloc

// liveReg is a value live into a block in a register.
type liveReg struct {
	v   VReg
	reg PReg
}

// regsLiveIn lists, per block, the values live into it (block parameters excluded) that
// the allocation keeps in a register at its start, by increasing vreg: block b's are
// list[start[b]:start[b+1]]. These are the values an edge into b may have to move; a value
// in its spill slot there needs nothing, since the slot holds it from its definition on.
//
// The list comes from the register intervals, not from live sets per block: no two
// intervals of one register cover the same position, so each block start is covered by at
// most one interval per register, and the work is the spans plus blocks × registers,
// however many values are live (spilled) across the block.
func (a *allocator) regsLiveIn() (start []int32, list []liveReg) {
	type hit struct {
		b int32
		liveReg
	}
	var hits []hit // by increasing vreg, then position
	for v, cs := range a.children {
		for _, c := range cs {
			if c.reg == NoReg {
				continue
			}
			for _, s := range c.spans {
				for b := a.blockAtOrAfter(s.from); b < a.nblocks && a.blockFrom(b) < s.to; b++ {
					if a.defInstr[v] < 0 && int(a.defBlock[v]) == b {
						continue // a parameter of b: its edge moves are the arguments'
					}
					hits = append(hits, hit{int32(b), liveReg{VReg(v), c.reg}})
				}
			}
		}
	}
	// A counting sort by block keeps each block's values in vreg order.
	start = make([]int32, a.nblocks+1)
	for _, h := range hits {
		start[h.b+1]++
	}
	for b := 0; b < a.nblocks; b++ {
		start[b+1] += start[b]
	}
	list = make([]liveReg, len(hits))
	next := append([]int32(nil), start[:a.nblocks]...)
	for _, h := range hits {
		list[next[h.b]] = h.liveReg
		next[h.b]++
	}
	return start, list
}

// blockAtOrAfter is the first block starting at or after pos, or nblocks.
func (a *allocator) blockAtOrAfter(pos int32) int {
	lo, hi := 0, a.nblocks
	for lo < hi {
		m := (lo + hi) / 2
		if a.blockFrom(m) < pos {
			lo = m + 1
		} else {
			hi = m
		}
	}
	return lo
}
