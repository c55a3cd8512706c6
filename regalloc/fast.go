package regalloc

import (
	"math"
)

// RunFast allocates registers for f like [Run], with a local allocator that trades code
// quality for speed: -O0's (issue 21). It makes one forward pass over the blocks in layout
// order, assigning registers on the fly within each block, and needs no liveness, no
// intervals, no dominators and no loops, so time and memory are linear in the
// instructions, operands and blocks. Its Result is of the same form as Run's; [Check]
// accepts it and backends apply it unchanged.
//
// Blocks go in runs: a block, then each block after it whose only predecessor is the block
// laid out just before it, which starts with that block's registers (a fallthrough, an if's
// then-arm). A value used outside the run defining it, or a block parameter, is "global":
// it has a spill slot of its own for its lifetime (fastslots.go), is stored there right
// after its definition (a parameter arrives there by the edge moves) and is reloaded in any
// block that reads it before a register holds it. A block that starts a run starts with
// nothing in registers, except one whose only predecessor is laid out earlier, which starts
// with the global values that predecessor left in registers. Other values live in their run
// only: they get a slot, shared with other runs' values, only when evicted while still
// needed. Edge moves go from where each argument is to the parameter's slot, as one
// parallel move: before the jump into a block with several predecessors, at the start of
// one with a single predecessor. An argument into a block with a single predecessor not
// laid out right after it is made global, so that its slot holds it wherever that block's
// edits run.
//
// Within a block, a value keeps its register until it dies or the register is wanted;
// the victim is one whose slot already holds it, if any, else the least recently used
// (stored first). Calls' clobbers and fixed defs evict what their registers hold, storing
// values still needed. A copy reads its source from the slot when no register holds it,
// and its destination gets the source's register when the source dies there, so that the
// copy disappears.
//
// RunFast checks f as Run does, except that a critical edge passing no arguments is
// accepted (it needs no block of its own: nothing moves on it), and uses in other blocks
// are not checked against dominance: such a use reads a slot that the definition may not
// have written, which [Check] reports.
func RunFast(f Func, cfg *Config) (*Result, error) {
	x := &fastAlloc{allocator: allocator{f: f, cfg: cfg, argless: true}}
	x.adopt()
	x.adoptResult()
	r, err := x.run()
	x.recycle()
	return r, err
}

// noVReg marks a register that holds no virtual register.
const noVReg = ^VReg(0)

// fastAlloc is the state of one RunFast. The allocator's slices describe f as for Run;
// slot is every value's spill slot, or -1.
type fastAlloc struct {
	allocator

	global   []bool     // per vreg: a block parameter, or read outside its run of blocks
	fixedOps [][2]int32 // per block: 1 + its first and last instruction with a fixed operand, or 0s
	special  []bool     // per instruction: not plain (plainInstr): an operand is fixed or a ReuseDef, or it clobbers or copies
	// inEdge is, per block with one predecessor, the edge into it (an index in a.args).
	inEdge []int32
	// The loops whose parameters, and values they read, have home registers (fastloop.go),
	// in block order, and the values: loop l's are inv[loops[l].from:loops[l].to].
	loops   []homedLoop
	inv     []VReg
	lastUse []int32 // per local vreg: its last reader (its block's end for a branch argument)
	inReg   []PReg  // per vreg, the register holding it, or NoReg

	holds   [MaxPRegs]VReg  // per register, the vreg it holds, or noVReg
	touched [MaxPRegs]int32 // per register, the last instruction that read or wrote its vreg

	// fixed are the registers holding what a fixed def (or, in the entry block, the
	// caller) wrote, to be read by fixed uses of the block up to instruction fixedTo.
	fixed   regs
	fixedTo [MaxPRegs]int32
	fixLast []int32 // per operand of the block, for a fixed def: its last reader, or -1
	fixBase int32   // the block's first operand, fixLast[0]'s
	// loaded says that the load classified the operands of instructions (fastload.go).
	loaded bool
	// fixedScanned counts the instructions scanFixed visits, for a test.
	fixedScanned int

	freeSlots [NumClasses][]int32 // slots of dead local values
	locals    []VReg              // the local values of the run being allocated
	dying     []VReg              // local values whose slot frees after the instruction

	edits  []Edit
	allocs []Loc
	used   regs
	moves  []pmove

	written  []int32 // per slot, the last edge whose moves write it
	edge     int32   // edges moved so far
	occupied regs    // registers holding a vreg

	// The global values in registers at the end of each block that has a successor
	// laid out after it but not just after it, and no other predecessor: block b's are
	// snaps[snapAt[b]:snapAt[b+1]].
	snaps  []held
	snapAt []int32

	// What classify finds for globalSlots: per vreg, the first and last instruction at
	// which it is defined, read or moved on an edge (from and to), and the back edges
	// (spans, from target to source block). runOf is per block the first block of its run.
	from, to []int32
	spans    [][2]int32
	runOf    []int32
	// globalSlots' list of the global values, and its heaps of free slots (by number)
	// and busy ones (by lifetime end), per class.
	globals            []VReg
	freeHeap, busyHeap [NumClasses]minHeap[slotUse]

	spare *fastAlloc // the pooled struct whose tables x adopted, to give them back in
	// result is the Result to fill: a released one, whose arrays edits, allocs,
	// a.slots and a.opStart took, or a new one.
	result *Result
}

func (x *fastAlloc) run() (*Result, error) {
	a := &x.allocator
	x.loaded = false
	if err := a.load(x); err != nil {
		return nil, err
	}
	if err := x.classify(); err != nil {
		return nil, err
	}
	for c := range a.cycleSlot {
		a.cycleSlot[c] = -1
	}
	x.allocs = resize(x.allocs, len(a.ops))
	x.written = resize(x.written, len(a.slots)) // parameters' slots are among the first
	x.snapAt = resize(x.snapAt, a.nblocks+1)
	x.inReg = filled(x.inReg, a.nvregs, NoReg)
	for r := range x.holds {
		x.holds[r] = noVReg
	}
	for b := 0; b < a.nblocks; b++ {
		if err := x.block(b); err != nil {
			return nil, err
		}
	}
	r := x.result
	*r = Result{Edits: x.edits, Slots: a.slots, allocs: x.allocs, opStart: a.opStart}
	used := x.used
	for _, e := range r.Edits {
		if e.From.IsReg() {
			used = used.add(e.From.Reg())
		}
		if e.To.IsReg() {
			used = used.add(e.To.Reg())
		}
	}
	r.UsedRegs = used.set()
	return r, nil
}

// classify finds the global values and gives them their slots, and each local value its
// last use: one pass over the operands and branch arguments, which also finds every
// value's first and last position and the back edges, for globalSlots. The load has
// done the operands of instructions when it could (fastload.go).
func (x *fastAlloc) classify() error {
	a := &x.allocator
	x.spans = x.spans[:0]
	if x.loaded {
		if err := x.edgeUses(0, a.nblocks); err != nil {
			return err
		}
	} else if err := x.walk(); err != nil {
		return err
	}
	x.inEdges()
	x.loops, x.inv = x.loops[:0], x.inv[:0]
	for b := 0; b < a.nblocks; b++ {
		// Most blocks have no parameters: no call for those.
		if a.params.start[b+1] > a.params.start[b] && x.homed(b) {
			x.invariants(b)
		}
	}
	x.globalSlots()
	return nil
}

// walk is classify's pass over the block parameters, the operands and the branch
// arguments, when the load has not classified the operands.
func (x *fastAlloc) walk() error {
	a := &x.allocator
	x.global = resize(x.global, a.nvregs)
	x.lastUse = resize(x.lastUse, a.nvregs)
	x.fixedOps = resize(x.fixedOps, a.nblocks)
	x.special = resize(x.special, a.ninstrs)
	a.slot = resize(a.slot, a.nvregs)
	x.from = resize(x.from, a.nvregs)
	x.to = resize(x.to, a.nvregs)
	for v := range x.lastUse {
		x.lastUse[v], a.slot[v] = -1, -1
		x.from[v], x.to[v] = math.MaxInt32, -1
	}
	x.runs()
	from, to := x.from, x.to
	for b := 0; b < a.nblocks; b++ {
		for _, p := range a.params.at(b) {
			x.global[p] = true
			from[p], to[p] = min(from[p], a.blockStart[b]), max(to[p], a.blockStart[b])
		}
		start, end := a.blockStart[b], a.blockStart[b+1]
		for i := start; i < end; i++ {
			x.special[i] = a.clobberOf[i] != 0 || a.isCopy[i]
			for _, o := range a.ops[a.opStart[i]:a.opStart[i+1]] {
				switch v := o.vreg; {
				case o.reg != NoReg:
					if x.fixedOps[b][0] == 0 {
						x.fixedOps[b][0] = i + 1
					}
					x.fixedOps[b][1] = i + 1
					x.special[i] = true
				case o.def:
					if o.reuse >= 0 {
						x.special[i] = true
					}
					// Stored before the next instruction.
					from[v], to[v] = min(from[v], i+1), max(to[v], i+1)
				default:
					if err := x.use(v, b, int(i)); err != nil {
						return err
					}
					from[v], to[v] = min(from[v], i), max(to[v], i)
				}
			}
		}
		if err := x.edgeUses(b, b+1); err != nil {
			return err
		}
	}
	return nil
}

// liveAfter reports whether v is read after instruction i.
func (x *fastAlloc) liveAfter(v VReg, i int) bool {
	return x.global[v] || x.lastUse[v] > int32(i)
}

// continues reports whether block b continues the block laid out before it: that is its
// only predecessor, so b starts with its registers.
func (x *fastAlloc) continues(b int) bool {
	return b > 0 && len(x.preds.at(b)) == 1 && x.preds.at(b)[0] == b-1
}

func (x *fastAlloc) block(b int) error {
	a := &x.allocator
	start, end := int(a.blockStart[b]), int(a.blockStart[b+1])
	// The lists' arrays, read directly: what block asks of them per block was a tenth of
	// its time, each list with its bounds checks.
	predStart := a.preds.start
	pred := -1 // the only predecessor, if one
	if predStart[b+1]-predStart[b] == 1 {
		pred = a.preds.all[predStart[b]]
	}
	continued := b > 0 && pred == b-1 // x.continues(b)
	if !continued {
		for s := x.occupied; !s.empty(); { // a copy: drop changes x.occupied
			r := s.first()
			s = s.remove(r)
			x.drop(r)
		}
		// A block whose only predecessor came earlier, not just before (a split edge's
		// block sits between them), starts with the global values that predecessor left
		// in registers: whatever the path, their slots hold them too.
		if p := pred; p >= 0 && p < b {
			for _, h := range x.snaps[x.snapAt[p]:x.snapAt[p+1]] {
				x.bind(h.v, h.r, start)
			}
		}
	}
	if err := x.scanFixed(b); err != nil {
		return err
	}
	if params := a.params.at(b); pred >= 0 && len(params) > 0 { // else nothing moves
		x.edgeMoves(start, a.args.at(int(x.inEdge[b])), params, b, false)
	}
	// The previous run's local values are dead, now that the moves have read them.
	if !continued {
		for _, v := range x.locals {
			x.dropVReg(v)
			x.freeSlot(v)
		}
		x.locals = x.locals[:0]
		if l, ok := x.loopAt(b); ok {
			x.bindHomes(b, start, l)
		}
	}
	succs := a.succs.at(b)
	opStart := a.opStart[start : end+1]
	for i := start; i < end; i++ {
		if i == end-1 {
			if len(succs) == 1 && predStart[succs[0]+1]-predStart[succs[0]] > 1 {
				x.edgeMoves(i, a.argsOf(b, 0), a.params.at(succs[0]), succs[0], true)
			}
		}
		lo, hi := opStart[i-start], opStart[i-start+1]
		var err error
		switch {
		case x.special[i]:
			err = x.instr(b, i, lo, hi)
		case lo != hi: // a plain instruction without operands has nothing to allocate
			err = x.plainInstr(b, i, lo, hi)
		}
		if err != nil {
			return err
		}
	}
	for _, s := range succs {
		if predStart[s+1]-predStart[s] == 1 && s > b+1 {
			for s := x.occupied; !s.empty(); {
				r := s.first()
				s = s.remove(r)
				if v := x.holds[r]; x.global[v] {
					x.snaps = append(x.snaps, held{r, v})
				}
			}
			break
		}
	}
	x.snapAt[b+1] = int32(len(x.snaps))
	return nil
}

// held is a register and the value it holds.
type held struct {
	r PReg
	v VReg
}

// edgeMoves moves each argument of the edge into block target, from where it is, to the
// slot of its parameter, before instruction before; with home, to the parameter's home
// register if target is a homed loop and the parameter has one (fastloop.go), and then
// from there to the slot, and the loop's invariants to their home registers.
func (x *fastAlloc) edgeMoves(before int, args, params []VReg, target int, home bool) {
	a := &x.allocator
	x.moves = x.moves[:0]
	l := 0
	if home {
		l, home = x.loopAt(target)
	}
	h := homes{cfg: a.cfg, class: a.class}
	var homeRegs regs // the homes the moves write
	stores := 0       // the moves after the parallel move: from home to slot
	for j, p := range params {
		v := args[j]
		from := x.where(v)
		to := SlotLoc(int(a.slot[p]))
		if r := NoReg; home {
			if r = h.next(p); r != NoReg {
				to = RegLoc(r)
				if v != p { // else the slot holds it already
					stores++
				}
			}
		}
		if to != from { // a parameter passed to itself
			x.moves = append(x.moves, pmove{from, to, v})
			if to.IsReg() {
				homeRegs = homeRegs.add(to.Reg())
			}
		}
	}
	if home {
		for _, v := range x.inv[x.loops[l].from:x.loops[l].to] {
			to := RegLoc(h.next(v))
			if x.inReg[v] != to.Reg() {
				x.moves = append(x.moves, pmove{x.where(v), to, v})
				homeRegs = homeRegs.add(to.Reg())
			}
		}
	}
	x.parallelMoves(before, homeRegs)
	if stores == 0 {
		return
	}
	h = homes{cfg: a.cfg, class: a.class}
	for j, p := range params {
		if r := h.next(p); r != NoReg && args[j] != p {
			x.edits = append(x.edits, Edit{before, RegLoc(r), SlotLoc(int(a.slot[p])), args[j]})
		}
	}
}

// where is the location of v before a branch: its register, or else its slot.
func (x *fastAlloc) where(v VReg) Loc {
	if r := x.inReg[v]; r != NoReg {
		return RegLoc(r)
	}
	if x.slot[v] < 0 {
		panic("regalloc: a branch argument is neither in a register nor in a slot")
	}
	return SlotLoc(int(x.slot[v]))
}

// parallelMoves emits x.moves, a parallel move writing registers homeRegs and slots, before
// instruction before.
func (x *fastAlloc) parallelMoves(before int, homeRegs regs) {
	a := &x.allocator
	// Usually no move reads a location another writes (only a loop passing its parameters
	// on does), and the moves can go in any order.
	x.edge++
	for _, m := range x.moves {
		if m.to.IsSlot() {
			x.written[m.to.Slot()] = x.edge
		}
	}
	for _, m := range x.moves {
		s := m.from.Slot()
		if m.from.IsSlot() && s < len(x.written) && x.written[s] == x.edge || m.from.IsReg() && homeRegs.has(m.from.Reg()) {
			x.edits = a.sequentialize(before, x.moves, x.edits)
			return
		}
	}
	for _, m := range x.moves {
		if m.from.IsSlot() && m.to.IsSlot() {
			sc := RegLoc(a.cfg.Scratch[a.class[m.v]])
			x.edits = append(x.edits, Edit{before, m.from, sc, m.v}, Edit{before, sc, m.to, m.v})
		} else {
			x.edits = append(x.edits, Edit{before, m.from, m.to, m.v})
		}
	}
}

// scanFixed walks block b backwards to find, for each fixed def, its last reader, and the
// registers live into the block (the entry block's incoming arguments; any other block
// reading a register before writing it is an error). It starts at the last instruction
// with a fixed operand, as no register is reserved after it, and stops at the first unless
// a register is live there, to check the clobbers before: a call's block is often long,
// and its fixed operands are around the call.
func (x *fastAlloc) scanFixed(b int) error {
	a := &x.allocator
	fx := x.fixedOps[b]
	if fx[0] == 0 {
		// Most blocks: no register is reserved, and there is nothing to check.
		x.fixed = regs{}
		return nil
	}
	start, end := int(a.blockStart[b]), int(a.blockStart[b+1])
	first, last := int(fx[0]-1), int(fx[1]-1)
	base := a.opStart[start]
	x.fixBase = base
	x.fixLast = grow(x.fixLast, int(a.opStart[end]-base))
	var live regs
	i := last
	for hi := a.opStart[i+1]; i >= start && (i >= first || !live.empty()); i-- {
		lo := a.opStart[i]
		if !x.special[i] {
			hi = lo
			continue // no fixed operand, no clobber
		}
		ops := a.ops[lo:hi]
		hi = lo
		for k, o := range ops {
			if o.def && o.reg != NoReg {
				j := lo + int32(k) - base
				x.fixLast[j] = -1
				if live.has(o.reg) {
					x.fixLast[j] = x.fixedTo[o.reg]
				}
				live = live.remove(o.reg)
			}
		}
		if k := a.clobberOf[i]; k != 0 {
			if cl := regsOf(a.clobbers[k]).intersect(live); !cl.empty() {
				return a.errorf(b, i, "%s is read after this instruction clobbers it", a.cfg.RegName(cl.first()))
			}
		}
		for _, o := range ops {
			if !o.def && o.reg != NoReg && !live.has(o.reg) {
				live = live.add(o.reg)
				x.fixedTo[o.reg] = int32(i)
			}
		}
	}
	x.fixedScanned += last - i
	if b != 0 && !live.empty() {
		return a.errorf(b, -1, "%s is read before this block writes it", a.cfg.RegName(live.first()))
	}
	x.fixed = live
	return nil
}

// instr allocates instruction i of block b, with operands a.ops[lo:hi]: its uses at the
// early point, then what its clobbers and fixed defs destroy, then its defs at the late
// point.
func (x *fastAlloc) instr(b, i int, lo, hi int32) error {
	a := &x.allocator
	ops, allocs := a.ops[lo:hi], x.allocs[lo:hi]
	var fixedDefs, pinned regs
	reusedUse := -1
	for _, o := range ops {
		switch {
		case o.def && o.reg != NoReg:
			fixedDefs = fixedDefs.add(o.reg)
		case o.def && o.reuse >= 0:
			reusedUse = int(o.reuse)
		case !o.def && o.reg == NoReg:
			if r := x.inReg[o.vreg]; r != NoReg {
				pinned = pinned.add(r)
			}
		}
	}
	kills := fixedDefs
	if k := a.clobberOf[i]; k != 0 { // most instructions clobber nothing
		kills = kills.union(regsOf(a.clobbers[k]))
	}

	// Uses. A fixed use's register was reserved since its def; a virtual one gets a
	// register (not one a fixed def writes, if a def reuses it), or its slot in a copy.
	var reads regs
	for k, o := range ops {
		if o.def {
			continue
		}
		if o.reg != NoReg {
			if !x.fixed.has(o.reg) {
				return a.errorf(b, i, "%s is read before this block writes it", a.cfg.RegName(o.reg))
			}
			allocs[k] = RegLoc(o.reg)
			continue
		}
		v := o.vreg
		if a.isCopy[i] && x.inReg[v] == NoReg && reusedUse < 0 {
			allocs[k] = SlotLoc(int(a.slot[v]))
			continue
		}
		var avoid regs
		if k == reusedUse {
			avoid = fixedDefs
		}
		r, err := x.useReg(b, i, v, avoid, pinned.union(reads), kills)
		if err != nil {
			return err
		}
		allocs[k] = RegLoc(r)
		reads = reads.add(r)
	}

	// The late point destroys the registers of clobbers and fixed defs: a value there that
	// is read later must be in its slot.
	for s := kills.intersect(x.occupied); !s.empty(); {
		r := s.first()
		s = s.remove(r)
		x.evict(r, i)
	}
	// Reads that end here free their registers for the defs.
	for _, o := range ops {
		switch {
		case o.def:
		case o.reg != NoReg:
			if x.fixedTo[o.reg] == int32(i) {
				x.fixed = x.fixed.remove(o.reg)
			}
		case !x.liveAfter(o.vreg, i):
			x.dropVReg(o.vreg)
			x.dying = append(x.dying, o.vreg)
		}
	}

	// Defs. Another def must not take the register of the use a ReuseDef takes.
	taken := fixedDefs
	if reusedUse >= 0 {
		taken = taken.add(allocs[reusedUse].Reg())
	}
	for k, o := range ops {
		if !o.def {
			continue
		}
		if o.reg != NoReg {
			allocs[k] = RegLoc(o.reg)
			if t := x.fixLast[lo+int32(k)-x.fixBase]; t >= 0 {
				x.fixed = x.fixed.add(o.reg)
				x.fixedTo[o.reg] = t
			}
			continue
		}
		v := o.vreg
		var r PReg
		if o.reuse >= 0 {
			if src := ops[o.reuse].vreg; !x.global[src] && x.lastUse[src] > int32(i) {
				return a.errorf(b, i, "%%%d reuses the register of %%%d, which is live after the instruction", v, src)
			}
			r = allocs[o.reuse].Reg()
			if x.holds[r] != noVReg {
				x.evict(r, i) // the input, if it lives on in its slot
			}
		} else {
			hint := a.useHint[v]
			if a.isCopy[i] {
				for _, l := range allocs {
					if l.IsReg() && l != allocs[k] {
						hint = l.Reg()
					}
				}
			}
			var err error
			if r, err = x.pick(b, i, a.class[v], taken.union(x.fixed), regs{}, hint); err != nil {
				return err
			}
		}
		allocs[k] = RegLoc(r)
		taken = taken.add(r)
		if err := x.defined(b, i, v, r); err != nil {
			return err
		}
	}
	if len(x.dying) > 0 {
		x.retire(i)
	}
	return nil
}

// plainInstr is instr for a plain instruction i, with operands a.ops[lo:hi]: its operands
// are all virtual, none a ReuseDef (x.special), it clobbers nothing and is no copy. It does what instr does
// for one, without the cases that cannot arise, whose setup was most of instr's cost:
// six instructions in ten at -O0 on Go's wasm are plain (issue 21).
func (x *fastAlloc) plainInstr(b, i int, lo, hi int32) error {
	a := &x.allocator
	ops, allocs := a.ops[lo:hi], x.allocs[lo:hi]
	// Most instructions find every use in a register already: the loop that pins those
	// registers takes them, and only when a use is not in one does a second loop place
	// the uses in order, with the others' registers pinned (issue 21). The uses in
	// registers get the same locations either way, since useReg leaves pinned registers
	// alone, and their touched only ever decides between registers outside pinned.
	var pinned regs
	missed := false
	for k, o := range ops {
		if o.def {
			continue
		}
		r := x.inReg[o.vreg]
		if r == NoReg {
			missed = true
			continue
		}
		x.touched[r] = int32(i)
		allocs[k] = RegLoc(r)
		pinned = pinned.add(r)
	}
	if missed {
		var reads regs
		for k, o := range ops {
			if o.def {
				continue
			}
			r := x.inReg[o.vreg]
			if r != NoReg { // useReg's first case, most uses'
				x.touched[r] = int32(i)
			} else {
				var err error
				if r, err = x.useReg(b, i, o.vreg, regs{}, pinned.union(reads), regs{}); err != nil {
					return err
				}
			}
			allocs[k] = RegLoc(r)
			reads = reads.add(r)
		}
	}
	for _, o := range ops {
		if !o.def && !x.liveAfter(o.vreg, i) {
			x.dropVReg(o.vreg)
			x.dying = append(x.dying, o.vreg)
		}
	}
	var taken regs
	for k, o := range ops {
		if !o.def {
			continue
		}
		v := o.vreg
		r, err := x.pick(b, i, a.class[v], taken.union(x.fixed), regs{}, a.useHint[v])
		if err != nil {
			return err
		}
		allocs[k] = RegLoc(r)
		taken = taken.add(r)
		if err := x.defined(b, i, v, r); err != nil {
			return err
		}
	}
	if len(x.dying) > 0 {
		x.retire(i)
	}
	return nil
}

// defined binds def v of instruction i, in block b, to register r: a value other blocks
// read is stored to its slot after i, and one only its own run reads stays a local, dying
// at once if nothing reads it.
func (x *fastAlloc) defined(b, i int, v VReg, r PReg) error {
	a := &x.allocator
	x.bind(v, r, i)
	if x.global[v] {
		if i+1 >= int(a.blockStart[b+1]) {
			return a.errorf(b, i, "%%%d is defined by its block's last instruction and used in another block", v)
		}
		x.edits = append(x.edits, Edit{i + 1, RegLoc(r), SlotLoc(int(a.slot[v])), v})
		return nil
	}
	x.locals = append(x.locals, v)
	if x.lastUse[v] < int32(i) {
		x.dying = append(x.dying, v)
	}
	return nil
}

// retire frees the registers and slots of the values instruction i read for the last
// time, and of its defs nothing reads.
func (x *fastAlloc) retire(i int) {
	for _, v := range x.dying {
		if x.inReg[v] != NoReg && x.lastUse[v] < int32(i) {
			x.dropVReg(v) // a def never read
		}
		x.freeSlot(v)
	}
	x.dying = x.dying[:0]
}

// useReg puts v in a register for a read by instruction i, not in avoid: where it is, or
// moved or reloaded into one not in busy (the registers of i's uses) or reserved, and
// preferably not in kills.
func (x *fastAlloc) useReg(b, i int, v VReg, avoid, busy, kills regs) (PReg, error) {
	a := &x.allocator
	old := x.inReg[v]
	if old != NoReg && !avoid.has(old) {
		x.touched[old] = int32(i)
		return old, nil
	}
	exclude := busy.union(avoid).union(x.fixed)
	if old != NoReg {
		exclude = exclude.add(old)
	}
	r, err := x.pick(b, i, a.class[v], exclude, kills, NoReg)
	if err != nil {
		return NoReg, err
	}
	if old != NoReg {
		x.edits = append(x.edits, Edit{i, RegLoc(old), RegLoc(r), v})
		x.drop(old)
	} else {
		if a.slot[v] < 0 {
			panic("regalloc: a value is read where it is neither in a register nor in a slot")
		}
		x.edits = append(x.edits, Edit{i, SlotLoc(int(a.slot[v])), RegLoc(r), v})
	}
	x.bind(v, r, i)
	return r, nil
}

// pick chooses a register of class c outside exclude for instruction i and empties it:
// hint if it is free; else the first free register in the configured order, preferring
// those outside unlikely; else one whose value it evicts, preferring values already in
// their slots, then the least recently used.
func (x *fastAlloc) pick(b, i int, c Class, exclude, unlikely regs, hint PReg) (PReg, error) {
	a := &x.allocator
	if hint != NoReg && hint < MaxPRegs && a.regClass[hint] == int8(c) && !exclude.has(hint) && x.holds[hint] == noVReg {
		return hint, nil
	}
	regs := a.cfg.Regs[c]
	best := NoReg
	for _, r := range regs {
		if exclude.has(r) || x.holds[r] != noVReg {
			continue
		}
		if !unlikely.has(r) {
			return r, nil
		}
		if best == NoReg {
			best = r
		}
	}
	if best != NoReg {
		return best, nil
	}
	victim, victimClean := NoReg, false
	for _, r := range regs {
		if exclude.has(r) {
			continue
		}
		w := x.holds[r]
		clean := a.slot[w] >= 0 || !x.liveAfter(w, i)
		if victim == NoReg || clean && !victimClean || clean == victimClean && x.touched[r] < x.touched[victim] {
			victim, victimClean = r, clean
		}
	}
	if victim == NoReg {
		return NoReg, a.errorf(b, i, "needs more %s registers than the %d there are", c, len(regs))
	}
	x.evict(victim, i)
	return victim, nil
}

// evict empties register r before instruction i, storing its value first if it is read
// later and no slot holds it yet.
func (x *fastAlloc) evict(r PReg, i int) {
	a := &x.allocator
	w := x.holds[r]
	if a.slot[w] < 0 && x.liveAfter(w, i) {
		c := a.class[w]
		if n := len(x.freeSlots[c]); n > 0 {
			a.slot[w] = x.freeSlots[c][n-1]
			x.freeSlots[c] = x.freeSlots[c][:n-1]
		} else {
			a.slot[w] = int32(len(a.slots))
			a.slots = append(a.slots, c)
		}
		x.edits = append(x.edits, Edit{i, RegLoc(r), SlotLoc(int(a.slot[w])), w})
	}
	x.drop(r)
}

// freeSlot returns the slot of a dead local value for reuse.
func (x *fastAlloc) freeSlot(v VReg) {
	a := &x.allocator
	if s := a.slot[v]; s >= 0 && !x.global[v] {
		x.freeSlots[a.class[v]] = append(x.freeSlots[a.class[v]], s)
		a.slot[v] = -1
	}
}

// bind puts v in r. It adds r to the sets with addReg, as r indexes holds first: the
// cheaper add lets bind inline into its callers, which call it for every def (issue 21).
func (x *fastAlloc) bind(v VReg, r PReg, i int) {
	x.holds[r], x.inReg[v], x.touched[r] = v, r, int32(i)
	x.used = x.used.addReg(r)
	x.occupied = x.occupied.addReg(r)
}

func (x *fastAlloc) drop(r PReg) {
	x.inReg[x.holds[r]] = NoReg
	x.holds[r] = noVReg
	x.occupied = x.occupied.remove(r)
}

func (x *fastAlloc) dropVReg(v VReg) {
	if r := x.inReg[v]; r != NoReg {
		x.drop(r)
	}
}
