package regalloc

import "slices"

// resolve turns the allocated intervals into a Result (Wimmer & Franz section 6): spill slots,
// the location of every operand, and the edits: a store right after each spilled value's
// definition, moves and reloads where an interval was split inside a block, and the moves on
// each CFG edge that bring every live value and block argument to where the successor expects
// it.
//
// Spilled values are stored once, at their definition: in SSA form the slot then holds the
// value wherever it is live, so moving a value into its slot later costs nothing, and a split
// child in the slot needs no store. The definition of a block parameter is its block's
// entry, which a loop header has on every pass: when some edge brings the value already in
// the parameter's slot (the parameter itself, passed around a loop unchanged, or an argument
// assignSlots put there), the parameter is stored on the other edges instead, after their
// moves, so that every way into the block leaves the value in the slot.
func (a *allocator) resolve() *Result {
	a.assignSlots()
	r := a.result
	if r == nil {
		r = &Result{}
	}
	*r = Result{Edits: r.Edits[:0], allocs: resize(r.allocs, len(a.ops)), opStart: a.opStart}
	// One walk over all operands, the instruction's end read once: the arrays are locals,
	// which the stores into allocs cannot change, so the loop reloads nothing (issue 21).
	ops, allocs, opStart, children := a.ops, r.allocs[:len(a.ops)], a.opStart[:a.ninstrs+1], a.children
	k := int(opStart[0])
	for i := 0; i < a.ninstrs; i++ {
		for end := int(opStart[i+1]); k < end; k++ {
			o := ops[k]
			if o.reg != NoReg {
				allocs[k] = RegLoc(o.reg)
				continue
			}
			pos := early(i)
			if o.def {
				pos = late(i)
			}
			// locAt's common case, a value never split, here rather than in a call
			// per operand.
			if cs := children[o.vreg]; len(cs) == 1 {
				if c := cs[0]; c.spans[0].from <= pos && pos < c.spans[len(c.spans)-1].to {
					allocs[k] = a.loc(c)
					continue
				}
			}
			allocs[k] = a.locAt(o.vreg, pos)
		}
	}

	t := &a.tables
	moves := t.moves[:0]
	add := func(before int, order uint8, from, to Loc, v VReg) {
		if from != to {
			moves = append(moves, keyedMove{before, order, pmove{from, to, v}})
		}
	}

	// Stores at definitions, and moves where an interval was split inside a block.
	for _, v := range a.tables.withInterval {
		cs := a.children[v]
		// (A block parameter's store is placed with the moves on the edges into its block.)
		if s, i := a.slot[v], a.defInstr[v]; s >= 0 && i >= 0 && a.first[v].reg != NoReg {
			add(int(i)+1, orderSplit, RegLoc(a.first[v].reg), SlotLoc(int(s)), VReg(v))
		}
		for j := 1; j < len(cs); j++ {
			c, p := cs[j], cs[j-1]
			if c.spilled || c.start() != p.end() || a.isBlockStart(c.start()) {
				continue
			}
			if c.start()%2 != 0 {
				panic("regalloc: register part of an interval starts between uses and defs")
			}
			add(int(c.start()/2), orderSplit, a.loc(p), a.loc(c), VReg(v))
		}
	}

	// Moves on edges, at the successor's start if it has one predecessor, else before the
	// predecessor's jump. The edge's moves form one parallel move. A spilled parameter that
	// starts in a register is then stored from there into its slot on each edge whose
	// argument does not share the slot (assignSlots prefers that it does), or, when no edge's
	// does, once at the block's start, which costs each entry the same and is smaller.
	liveStart, live := a.regsLiveIn()
	onEdges := t.onEdges[:0] // per parameter of b, whether its stores go on the edges
	paramTo := t.paramTo[:0] // per parameter of b, where it lives at b's start
	// The block's lists, and each parameter's location, once per block rather than per
	// edge or per argument: they were a fifth of resolve (issue 21).
	blockStart, slot, first := a.blockStart, a.slot, a.first
	for b := 0; b < a.nblocks; b++ {
		succStart := a.blockFrom(b)
		preds, params := a.preds.at(b), a.params.at(b)
		onEdges = onEdges[:0]
		for j, pv := range params {
			edges := false
			if s := slot[pv]; s >= 0 && first[pv] != nil && a.locAt(pv, succStart).IsReg() {
				edges = a.paramInSlotOnSomeEdge(b, j)
				if !edges {
					add(int(blockStart[b]), orderSplit, a.locAt(pv, succStart), SlotLoc(int(s)), pv)
				}
			}
			onEdges = append(onEdges, edges)
		}
		if len(preds) == 0 {
			continue
		}
		paramTo = paramTo[:0]
		for _, pv := range params {
			var to Loc
			if first[pv] != nil {
				to = a.locAt(pv, succStart)
			}
			paramTo = append(paramTo, to)
		}
		liveIn := live[liveStart[b]:liveStart[b+1]]
		for _, p := range preds {
			before, order, store, inSucc := int(blockStart[b]), orderEdgeIn, orderSplit, true
			if len(preds) > 1 {
				before, order, store, inSucc = int(blockStart[p+1])-1, orderEdgeOut, orderEdgeStore, false
			}
			predEnd := a.blockTo(p) - 1
			for _, l := range liveIn {
				add(before, order, a.locAt(l.v, predEnd), RegLoc(l.reg), l.v)
			}
			if len(params) == 0 {
				continue
			}
			args := a.argsOf(p, slices.Index(a.succs.at(p), b))
			for j, pv := range params {
				if first[pv] == nil {
					continue
				}
				arg := args[j]
				to, s := paramTo[j], slot[pv]
				inSlot := s >= 0 && slot[arg] == s
				if !inSlot || to.IsReg() {
					add(before, order, a.locAt(arg, predEnd), to, arg)
				}
				if onEdges[j] && !inSlot {
					// After the edge's moves (the argument may have been in a slot): before
					// the jump the value is still the argument's; in the successor (inSucc),
					// the parameter's, and the store goes before any move of its own edge out.
					v := arg
					if inSucc {
						v = pv
					}
					add(before, store, to, SlotLoc(int(s)), v)
				}
			}
		}
	}
	t.paramTo = paramTo

	// By instruction and order, then in the order added: a sort of keys, where a stable
	// sort of the moves took a tenth of resolve.
	keys := t.keys[:0]
	for i, m := range moves {
		keys = append(keys, uint64(m.before)<<34|uint64(m.order)<<32|uint64(i))
	}
	slices.Sort(keys)
	sorted := t.sortedMoves[:0]
	for _, k := range keys {
		sorted = append(sorted, moves[uint32(k)])
	}
	t.keys, t.sortedMoves, moves = keys, moves, sorted
	group := t.group[:0]
	for i, m := range moves {
		group = append(group, m.pmove)
		if i+1 == len(moves) || moves[i+1].before != m.before || moves[i+1].order != m.order {
			r.Edits = a.sequentialize(m.before, group, r.Edits)
			group = group[:0]
		}
	}
	t.moves, t.onEdges, t.group = moves, onEdges, group // the two arrays of moves swap
	r.Slots = a.slots
	r.UsedRegs = a.s.used
	for _, e := range r.Edits {
		for _, l := range [2]Loc{e.From, e.To} {
			if l.IsReg() {
				r.UsedRegs = r.UsedRegs.Add(l.Reg())
			}
		}
	}
	return r
}

// paramInSlotOnSomeEdge reports whether some edge into block b passes to its parameter j an
// argument that shares the parameter's slot, so that storing the parameter on the other
// edges saves that one a store: the parameter itself, passed around a loop unchanged, or an
// argument assignSlots gave the slot. A store at b's start would run on that edge too.
func (a *allocator) paramInSlotOnSomeEdge(b, j int) bool {
	s := a.slot[a.params.at(b)[j]]
	for _, p := range a.preds.at(b) {
		if a.slot[a.argsOf(p, slices.Index(a.succs.at(p), b))[j]] == s {
			return true
		}
	}
	return false
}

// The order of move groups before one instruction: moves from the edge into a block with one
// predecessor, then stores of its parameters (which those moves may have just written) or,
// inside a block, split moves and stores of the previous instruction's defs, then moves for
// the edge out of a block ending in a jump, then stores of the successor's parameters (from
// the registers those moves just wrote).
const (
	orderEdgeIn uint8 = iota
	orderSplit
	orderEdgeOut
	orderEdgeStore
)

// pmove is one move of a parallel move.
type pmove struct {
	from, to Loc
	v        VReg
}

// keyedMove is a move of the parallel move placed before instruction before, in the given
// order among such parallel moves.
type keyedMove struct {
	before int
	order  uint8
	pmove
}

// loc is where interval c lives.
func (a *allocator) loc(c *interval) Loc {
	if c.spilled {
		return SlotLoc(int(a.slot[c.vreg]))
	}
	return RegLoc(c.reg)
}

// locAt is where v lives at pos; v must be live there.
func (a *allocator) locAt(v VReg, pos int32) Loc {
	cs := a.children[v]
	if len(cs) == 1 { // most values are never split
		if c := cs[0]; c.start() <= pos && pos < c.end() {
			return a.loc(c)
		}
	}
	i := childAt(cs, pos)
	if i < 0 || cs[i].end() <= pos {
		panic("regalloc: value not live where its location is needed")
	}
	return a.loc(cs[i])
}
