package regalloc

// computeLiveness finds the virtual registers live into each block by iterating the backward
// dataflow equations to a fixed point, which is exact for any CFG, irreducible ones included.
// A block parameter is defined at its block's start, so it is not live into the block; a
// branch argument is used at the end of its block.
func (a *allocator) computeLiveness() (liveOut []bitset, err error) {
	n := a.nvregs
	gen := make([]bitset, a.nblocks)
	kill := make([]bitset, a.nblocks)
	a.liveIn = make([]bitset, a.nblocks)
	liveOut = make([]bitset, a.nblocks)
	// All four sets of every block are carved from one slab: four allocations per block
	// were a tenth of the backend's allocation on the large module.
	words := (n + 63) / 64
	slab := make([]uint64, 4*words*a.nblocks)
	set := func() bitset {
		s := bitset(slab[:words:words])
		slab = slab[words:]
		return s
	}
	for b := 0; b < a.nblocks; b++ {
		gen[b], kill[b] = set(), set()
		a.liveIn[b], liveOut[b] = set(), set()
		for _, p := range a.params[b] {
			kill[b].add(int(p))
		}
		for i := a.blockStart[b]; i < a.blockStart[b+1]; i++ {
			ops := a.ops[a.opStart[i]:a.opStart[i+1]]
			for _, o := range ops {
				if !o.def && o.reg == NoReg && !kill[b].has(int(o.vreg)) {
					gen[b].add(int(o.vreg))
				}
			}
			for _, o := range ops {
				if o.def && o.reg == NoReg {
					kill[b].add(int(o.vreg))
				}
			}
		}
	}
	tmp := newBitset(n)
	for changed := true; changed; {
		changed = false
		for b := a.nblocks - 1; b >= 0; b-- {
			out := liveOut[b]
			for k, s := range a.succs[b] {
				out.unionWith(a.liveIn[s])
				for _, v := range a.args[b][k] {
					out.add(int(v))
				}
			}
			for w := range tmp {
				tmp[w] = gen[b][w] | out[w]&^kill[b][w]
			}
			if !tmp.equal(a.liveIn[b]) {
				a.liveIn[b].copyFrom(tmp)
				changed = true
			}
		}
	}
	for v := 0; v < n; v++ {
		if a.liveIn[0].has(v) {
			return nil, a.errorf(-1, -1, "%%%d is used where its definition does not dominate", v)
		}
	}
	return liveOut, nil
}

// buildIntervals builds the live intervals of virtual registers, with their holes and use
// positions, and the fixed intervals of physical registers, in one backward walk over the
// blocks (Wimmer & Franz, section 4, BuildIntervals, with exact liveness in place of the
// loop-end extension).
func (a *allocator) buildIntervals() error {
	liveOut, err := a.computeLiveness()
	if err != nil {
		return err
	}
	a.first = make([]*interval, a.nvregs)
	a.children = make([][]*interval, a.nvregs)
	ivFor := func(v VReg) *interval {
		if a.first[v] == nil {
			a.first[v] = &interval{vreg: v, class: a.class[v], reg: NoReg, def: true}
		}
		return a.first[v]
	}
	fixedFor := func(r PReg) *interval {
		if a.fixed[r] == nil {
			a.fixed[r] = &interval{vreg: ^VReg(0), reg: r}
		}
		return a.fixed[r]
	}
	liveEnd := make([]int32, a.nvregs) // end of the span being built, or -1
	for v := range liveEnd {
		liveEnd[v] = -1
	}
	var physEnd [MaxPRegs]int32
	for r := range physEnd {
		physEnd[r] = -1
	}
	for b := a.nblocks - 1; b >= 0; b-- {
		from, to := a.blockFrom(b), a.blockTo(b)
		liveOut[b].each(func(v int) { liveEnd[v] = to })
		for i := int(a.blockStart[b+1]) - 1; i >= int(a.blockStart[b]); i-- {
			ops := a.ops[a.opStart[i]:a.opStart[i+1]]
			d := late(i)
			for _, o := range ops {
				if !o.def {
					continue
				}
				if o.reg != NoReg {
					if physEnd[o.reg] >= 0 {
						fixedFor(o.reg).addSpan(d, physEnd[o.reg])
						physEnd[o.reg] = -1
					} else {
						fixedFor(o.reg).addSpan(d, d+1)
					}
					continue
				}
				it := ivFor(o.vreg)
				if liveEnd[o.vreg] >= 0 {
					it.addSpan(d, liveEnd[o.vreg])
					liveEnd[o.vreg] = -1
				} else {
					it.addSpan(d, d+1)
				}
				it.addUse(d, true)
				if src := a.reuseSrc[o.vreg]; src >= 0 && liveEnd[src] >= 0 {
					return a.errorf(b, i, "%%%d reuses the register of %%%d, which is live after the instruction", o.vreg, src)
				}
			}
			for _, r := range a.clobbers[i].Regs() {
				if physEnd[r] >= 0 {
					return a.errorf(b, i, "%s is read after this instruction clobbers it", a.cfg.RegName(r))
				}
				fixedFor(r).addSpan(d, d+1)
			}
			u := early(i)
			for _, o := range ops {
				if o.def {
					continue
				}
				if o.reg != NoReg {
					if physEnd[o.reg] < 0 {
						physEnd[o.reg] = u + 1
					}
					continue
				}
				if a.defBlock[o.vreg] < 0 {
					return a.errorf(b, i, "%%%d is used but never defined", o.vreg)
				}
				if liveEnd[o.vreg] < 0 {
					liveEnd[o.vreg] = u + 1
				}
				ivFor(o.vreg).addUse(u, !a.isCopy[i])
			}
		}
		for _, p := range a.params[b] {
			if liveEnd[p] >= 0 {
				ivFor(p).addSpan(from, liveEnd[p])
				liveEnd[p] = -1
			}
		}
		var undefined error
		a.liveIn[b].each(func(v int) {
			if a.defBlock[v] < 0 && undefined == nil {
				undefined = a.errorf(b, -1, "%%%d is live in but never defined", v)
			}
			ivFor(VReg(v)).addSpan(from, liveEnd[v])
			liveEnd[v] = -1
		})
		if undefined != nil {
			return undefined
		}
		for r := range physEnd {
			if physEnd[r] < 0 {
				continue
			}
			if b != 0 {
				return a.errorf(b, -1, "%s is read before this block writes it", a.cfg.RegName(PReg(r)))
			}
			fixedFor(PReg(r)).addSpan(from, physEnd[r])
			physEnd[r] = -1
		}
	}
	for v, it := range a.first {
		if it == nil {
			continue
		}
		it.finish()
		a.children[v] = append(a.children[v], it)
		// A value may be live in blocks laid out before its definition (a loop entered in
		// the middle, or any layout that is not a reverse postorder). The part before the
		// definition gets an interval of its own, so that the interval from the definition
		// starts there: its value arrives only through edges, so no move joins the two.
		defPos := late(int(a.defInstr[v]))
		if a.defInstr[v] < 0 {
			defPos = a.blockFrom(int(a.defBlock[v]))
		}
		if it.start() < defPos {
			rest := it.splitAt(defPos)
			it.def, rest.def = false, true
			a.first[v] = rest
			a.children[v] = append(a.children[v], rest)
		}
	}
	for _, it := range a.fixed {
		if it != nil {
			it.finish()
		}
	}
	return nil
}
