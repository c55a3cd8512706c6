package ir

// LICM hoists loop-invariant instructions into the loop's preheader, so they run once
// per entry into the loop rather than once per iteration. An instruction is invariant
// when all its operands are defined outside the loop, or by instructions already
// hoisted; inner loops go first, so what leaves an inner loop may leave the outer one
// too.
//
// Only Pure instructions move. Hoisting runs an instruction on paths where the loop body
// would not have (a conditional block, a loop that exits at once), which is harmless
// only for what cannot trap and is defined on every input: a load (Reads, Guarded), a
// division (Guarded: undefined where its trapif would trap), a boundscheck or trapif
// (CanTrap) all stay in the loop.
//
// Constants stay where they are: they cost nothing to recompute, instruction selection
// turns most into immediates, and hoisting them would keep a register busy across the
// loop (across the whole function, for the dispatch loop Go's wasm port wraps around
// every function body). They count as invariant operands, and an instruction that
// moves takes a copy of each constant it uses into the preheader.
//
// The preheader is the single block outside the loop that branches to the header, when
// it ends in a jump; otherwise LICM creates one, taking the header's parameters and
// jumping to it, and redirects the edges from outside the loop there.
//
// Preserves: the dominator tree, except that a new preheader becomes its header's
// immediate dominator. Needs: loops ([Func.Loops]), which it recomputes once after
// adding preheaders.
func LICM(f *Func) {
	c := reachableCFG(f)
	lf := f.loopsCurrent()
	if len(lf.Loops) == 0 {
		f.leaveHandoff(c.RPO, true)
		return
	}
	// Most loops have a preheader already; only new ones make the CFG and the loops
	// stale, and comparing the CFG's key with every branch again found it unchanged in
	// all but a handful of functions (issue 21).
	if addPreheaders(f, c, lf) {
		c = f.CFG()
		lf = f.loopsCurrent()
	}
	// From here on LICM only moves instructions into preheaders, before their jumps.
	defer f.leaveHandoff(c.RPO, true)
	stamp := takeZeroed[int32](&int32sPool, len(f.Blocks))
	h := &hoister{f: f, stamp: stamp, clone: takeScratch[Value](&valuesPool, len(f.Values), 0),
		cloneFor: takeZeroed[int32](&int32sPool, len(f.Values))}
	defer func() {
		giveScratch(&int32sPool, stamp)
		giveScratch(&valuesPool, h.clone)
		giveScratch(&int32sPool, h.cloneFor)
	}()
	for li := range lf.Loops {
		l := &lf.Loops[li]
		id := int32(li + 1)
		for _, b := range l.Blocks {
			stamp[b] = id
		}
		ph := preheader(f, c, l.Header, stamp, id)
		if ph == NoBlock {
			panic("licm: no preheader for " + l.Header.String())
		}
		h.id, h.ph, h.hoisted = id, ph, h.hoisted[:0]
		for _, b := range l.Blocks {
			// The instructions left move down over the hoisted ones in place; most
			// blocks lose none and are not written (issue 21).
			ins := f.Blocks[b].Instrs
			w := 0
			for i, iid := range ins {
				if h.invariant(&f.Instrs[iid]) {
					h.hoist(iid)
					continue
				}
				if w != i {
					ins[w] = iid
				}
				w++
			}
			if w != len(ins) {
				f.Blocks[b].Instrs = ins[:w]
			}
		}
		if len(h.hoisted) > 0 {
			pins := f.Blocks[ph].Instrs
			list := make([]InstrID, 0, len(pins)+len(h.hoisted))
			list = append(append(append(list, pins[:len(pins)-1]...), h.hoisted...), pins[len(pins)-1])
			f.Blocks[ph].Instrs = list
		}
	}
}

// hoister moves the invariant instructions of one loop at a time to its preheader.
type hoister struct {
	f        *Func
	stamp    []int32 // by block: the number of the loop holding it, among those seen
	id       int32   // the current loop's number
	ph       BlockID // its preheader
	hoisted  []InstrID
	clone    []Value // by in-loop constant: its copy in the preheader, if cloneFor is id
	cloneFor []int32
}

// invariant reports whether in may be hoisted: it is Pure but not a constant, and
// defines one value from operands defined outside the loop or by constants.
func (h *hoister) invariant(in *Instr) bool {
	if !in.Op.Flags().Has(Pure) || len(in.Results) != 1 || isConstOp(in.Op) {
		return false
	}
	for _, a := range in.Args {
		b := defBlock(h.f, a)
		if b == NoBlock || h.stamp[b] == h.id && !isConst(h.f, a) {
			return false
		}
	}
	return true
}

// isConst reports whether a constant op defines v.
func isConst(f *Func, v Value) bool {
	d := defInstr(f, v)
	return d != nil && isConstOp(d.Op)
}

// hoist moves instruction id to the preheader, giving it copies there of the constants
// it uses from inside the loop.
func (h *hoister) hoist(id InstrID) {
	f := h.f
	for i, a := range f.Instrs[id].Args {
		if h.stamp[defBlock(f, a)] != h.id {
			continue
		}
		if int(a) < len(h.clone) && h.cloneFor[a] == h.id {
			f.Instrs[id].Args[i] = h.clone[a]
			continue
		}
		c := *defInstr(f, a)
		cid := newInstr(f, Instr{Op: c.Op, Imm: c.Imm, Imm2: c.Imm2, Index: c.Index}, h.ph, f.TypeOf(a))
		h.hoisted = append(h.hoisted, cid)
		v := f.Instrs[cid].Results[0]
		if int(a) < len(h.clone) {
			h.clone[a], h.cloneFor[a] = v, h.id
		}
		f.Instrs[id].Args[i] = v
	}
	f.Instrs[id].Block = h.ph
	h.hoisted = append(h.hoisted, id)
}

// preheader returns the block outside the loop (its blocks stamped id) that is the only
// predecessor of header h from outside and ends in a jump, or NoBlock.
func preheader(f *Func, c *CFG, h BlockID, stamp []int32, id int32) BlockID {
	ph := NoBlock
	for _, p := range c.Preds[h] {
		if int(p) < len(stamp) && stamp[p] == id {
			continue // a back edge
		}
		if ph != NoBlock || f.Terminator(p).Op != OpJump {
			return NoBlock // a second edge from outside, or one that branches elsewhere too
		}
		ph = p
	}
	return ph
}

// addPreheaders gives every loop a preheader, creating the ones missing; c and lf are
// f's current CFG and loops. It reports whether it created any.
func addPreheaders(f *Func, c *CFG, lf *LoopForest) bool {
	stamp := takeZeroed[int32](&int32sPool, len(f.Blocks))
	defer giveScratch(&int32sPool, stamp)
	before := make([]BlockID, len(f.Blocks)) // the preheader to lay out before each header
	for i := range before {
		before[i] = NoBlock
	}
	added := false
	for li := range lf.Loops {
		l := &lf.Loops[li]
		id := int32(li + 1)
		for _, b := range l.Blocks {
			stamp[b] = id
		}
		if preheader(f, c, l.Header, stamp, id) != NoBlock {
			continue
		}
		before[l.Header] = newPreheader(f, c, l.Header, stamp, id)
		added = true
	}
	if !added {
		return false
	}
	layout := make([]BlockID, 0, len(f.Layout)+len(lf.Loops))
	for _, b := range f.Layout {
		if int(b) < len(before) && before[b] != NoBlock {
			layout = append(layout, before[b])
		}
		layout = append(layout, b)
	}
	f.Layout = layout
	return true
}

// newPreheader creates a block taking header h's parameters and jumping to h, and
// redirects the branches from outside the loop (blocks not stamped id) to it. The
// caller lays it out.
func newPreheader(f *Func, c *CFG, h BlockID, stamp []int32, id int32) BlockID {
	ph := BlockID(len(f.Blocks))
	f.Blocks = append(f.Blocks, Block{})
	hp := f.Blocks[h].Params
	params := make([]Value, len(hp))
	for i, p := range hp {
		params[i] = f.newValue(ValueData{Type: f.TypeOf(p), Kind: DefParam, Block: ph, Index: uint32(i)})
	}
	args := append([]Value(nil), params...)
	j := newInstr(f, Instr{Op: OpJump, Targets: []BlockCall{{Block: h, Args: args}}}, ph)
	f.Blocks[ph] = Block{Params: params, Instrs: []InstrID{j}}
	preds := c.Preds[h]
	for k, p := range preds {
		if stamp[p] == id || k > 0 && preds[k-1] == p {
			continue
		}
		t := f.Terminator(p)
		for i := range t.Targets {
			if t.Targets[i].Block == h {
				t.Targets[i].Block = ph
			}
		}
	}
	return ph
}
