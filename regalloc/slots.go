package regalloc

import (
	"cmp"
	"slices"
)

// assignSlots gives each virtual register with a spilled part a slot for its whole lifetime
// (definition to last use, in layout order, holes included), sharing slots of a class between
// lifetimes that do not overlap unless cfg.Slots says otherwise.
//
// Lifetimes are taken by start, and each gets the lowest-numbered slot of its class whose
// last lifetime has ended (first fit). Since starts only grow, a slot once free stays free
// until it is taken, so the free slots are kept in a heap by number and the busy ones in a
// heap by the end of their lifetime: O(log slots) per register, where scanning every slot
// was quadratic with 20,000 values spilled at once.
func (a *allocator) assignSlots() {
	a.slot = make([]int32, a.nvregs)
	for c := range a.cycleSlot {
		a.cycleSlot[c] = -1
	}
	var spilled []VReg
	for v, cs := range a.children {
		a.slot[v] = -1
		if slices.ContainsFunc(cs, func(c *interval) bool { return c.spilled }) {
			spilled = append(spilled, VReg(v))
		}
	}
	start := func(v VReg) int32 { return a.children[v][0].start() }
	slices.SortStableFunc(spilled, func(x, y VReg) int { return cmp.Compare(start(x), start(y)) })
	var free, busy [NumClasses]minHeap[slotUse] // free by slot number, busy by lifetime end
	for c := range free {
		free[c].less, busy[c].less = slotUse.before, slotUse.before
	}
	for _, v := range spilled {
		cs := a.children[v]
		from, to := start(v), cs[len(cs)-1].end()
		c := a.class[v]
		s := int32(-1)
		if a.cfg.Slots == SlotsShared {
			for busy[c].len() > 0 && busy[c].min().until <= from {
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
		busy[c].push(slotUse{until: to, slot: s})
		a.slot[v] = s
	}
}

// slotUse is a spill slot busy until a position; in the heap of free slots, until is 0, so
// the order is by slot number.
type slotUse struct {
	until int32
	slot  int32
}

func (u slotUse) before(v slotUse) bool {
	return u.until < v.until || u.until == v.until && u.slot < v.slot
}
