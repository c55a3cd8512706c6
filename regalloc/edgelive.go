package regalloc

import "math/bits"

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
	// Two walks over the intervals: the first counts per block, the second places each
	// value at its block's next free index. The walk visits values in increasing order,
	// so each block's list comes out in vreg order. The list is an array kept for the
	// next function. Collecting (block, value) pairs in one walk and then sorting them
	// saved the second walk, which costs little, but the pairs' array, grown by append,
	// was the largest allocation of a cold allocator on a huge function (TestHostileWork).
	//
	// Only a register live into some block can be in a register at a block's start other
	// than its own definition's (a parameter's): the interval of any other lies within its
	// defining block, after its start. So only those are walked (a.walk.across), not every
	// register, which cost most of this function. The walks are loops rather than a
	// walker calling a closure per block, which cost a quarter more (issue 21).
	t := &a.tables
	t.liveStart = resize(t.liveStart, a.nblocks+1)
	start = t.liveStart
	blockStart := a.blockStart[:a.nblocks+1]
	var next []int32
	for fill := range 2 {
		for wi, word := range a.walk.across {
			for ; word != 0; word &= word - 1 {
				v := 64*wi + bits.TrailingZeros64(word)
				param := -1 // a parameter's block: its edge moves are the arguments'
				if a.defInstr[v] < 0 {
					param = int(a.defBlock[v])
				}
				for _, c := range a.children[v] {
					if c.reg == NoReg {
						continue
					}
					for _, s := range c.spans {
						for b := a.blockAtOrAfter(s.from); b < a.nblocks && 2*blockStart[b] < s.to; b++ {
							switch {
							case b == param:
							case fill == 0:
								start[b+1]++
							default:
								list[next[b]] = liveReg{VReg(v), c.reg}
								next[b]++
							}
						}
					}
				}
			}
		}
		if fill == 0 {
			for b := 0; b < a.nblocks; b++ {
				start[b+1] += start[b]
			}
			t.live = resize(t.live, int(start[a.nblocks]))
			list = t.live
			next = append(t.liveNext[:0], start[:a.nblocks]...)
		}
	}
	t.liveNext = next
	return start, list
}

// blockAtOrAfter is the first block starting at or after pos, or nblocks: the block of
// the first instruction whose early position is at or after pos, unless that block
// starts before pos, when it is the next one.
func (a *allocator) blockAtOrAfter(pos int32) int {
	i := int((pos + 1) / 2)
	if i >= a.ninstrs {
		return a.nblocks
	}
	b := int(a.instrBlock[i])
	if a.blockFrom(b) < pos {
		b++
	}
	return b
}
