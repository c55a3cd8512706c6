package regalloc

// sequentialize appends to edits a sequence of moves with the effect of the parallel move
// moves (all sources read before any destination is written), placed before instruction
// before. Destinations are distinct.
//
// A move is emitted once no other pending move still reads its destination. When none is
// ready, the pending moves form disjoint cycles (each location written once and read once);
// one cycle is broken by saving a destination in a temporary and reading it from there. The
// temporary is the class's scratch register, or, when the cycle contains a slot-to-slot move,
// a spill slot reserved for cycles, because a slot-to-slot move itself goes through the
// scratch register (slot → scratch, scratch → slot). A cycle is finished before the next is
// broken, so one temporary per class suffices. Swaps (xchg) are not used: arm64 has none.
func (a *allocator) sequentialize(before int, moves []pmove, edits []Edit) []Edit {
	pending := append([]pmove(nil), moves...)
	for i, m := range pending {
		for _, n := range pending[:i] {
			if m.to == n.to {
				panic("regalloc: two values moved to one location")
			}
		}
	}
	emit := func(m pmove) {
		if m.from.IsSlot() && m.to.IsSlot() {
			sc := RegLoc(a.cfg.Scratch[a.class[m.v]])
			edits = append(edits, Edit{before, m.from, sc, m.v}, Edit{before, sc, m.to, m.v})
			return
		}
		edits = append(edits, Edit{before, m.from, m.to, m.v})
	}
	readBy := func(l Loc, skip int) int {
		for j, m := range pending {
			if j != skip && m.from == l {
				return j
			}
		}
		return -1
	}
	for len(pending) > 0 {
		progress := false
		for j := 0; j < len(pending); {
			if readBy(pending[j].to, j) >= 0 {
				j++
				continue
			}
			emit(pending[j])
			pending = append(pending[:j], pending[j+1:]...)
			progress = true
		}
		if progress {
			continue
		}
		// Break the cycle through pending[0]: save its destination in a temporary.
		m := pending[0]
		class := a.class[m.v]
		memToMem := false
		for j := 0; ; {
			memToMem = memToMem || pending[j].from.IsSlot() && pending[j].to.IsSlot()
			j = readBy(pending[j].to, j)
			if j == 0 {
				break
			}
		}
		tmp := RegLoc(a.cfg.Scratch[class])
		if memToMem {
			if a.cycleSlot[class] < 0 {
				a.cycleSlot[class] = int32(len(a.slots))
				a.slots = append(a.slots, class)
			}
			tmp = SlotLoc(int(a.cycleSlot[class]))
		}
		reader := readBy(m.to, 0)
		emit(pmove{m.to, tmp, pending[reader].v})
		for j := range pending {
			if pending[j].from == m.to {
				pending[j].from = tmp
			}
		}
	}
	return edits
}
