package regalloc

import (
	"slices"
	"sync"
)

// DenseFunc is what a [Func] may also implement to hand over what it holds packed, in a
// call per block and three per function: load asked several interface questions per block,
// per virtual register and per instruction, and checked each instruction in a call of its
// own, about a tenth of -O0's code generation (issue 21). The answers must agree with the per-item methods of Func.
// load checks them as it checks those, and when it finds anything amiss it loads f again
// through the per-item methods, so that a broken function fails with the same [*Error].
type DenseFunc interface {
	Func
	// Edges returns the blocks' edges and parameters. The allocator copies them and never
	// writes them.
	Edges() Edges
	// AppendClasses appends VRegClass(v) for every v below NumVRegs to cs, in order.
	AppendClasses(cs []Class) []Class
	// AppendInstrs calls l.Add for each instruction, in order, and nothing else of l.
	AppendInstrs(l *InstrList)
}

// Edges is a function's blocks' edges and parameters, each kind in one array: block b's
// predecessors are Preds[PredStart[b]:PredStart[b+1]], its successors
// Succs[SuccStart[b]:SuccStart[b+1]] and its parameters Params[ParamStart[b]:ParamStart[b+1]];
// what b passes to its k-th successor is Args[ArgStart[e]:ArgStart[e+1]] with e =
// SuccStart[b]+k. They say what [Func.BlockPreds], [Func.BlockSuccs], [Func.BlockParams]
// and [Func.BranchArgs] say.
type Edges struct {
	PredStart, SuccStart, ParamStart, ArgStart []int32
	Preds, Succs                               []int
	Params, Args                               []VReg
}

// loadDense is load's reading and checking of f through [DenseFunc], once a.nblocks is
// set, with fast as load's. It reports false, having set nothing that load's per-item
// reading does not set again, when f breaks an invariant of [Func], so that load can say
// which.
func (a *allocator) loadDense(f DenseFunc, fast *fastAlloc) bool {
	a.blockStart = resize(a.blockStart, a.nblocks+1)
	next := 0
	for b := 0; b < a.nblocks; b++ {
		start, end := f.BlockInstrs(b)
		if start != next || end <= start {
			return false
		}
		a.blockStart[b] = int32(start)
		next = end
	}
	a.blockStart[a.nblocks] = int32(next)
	a.ninstrs = next
	e := f.Edges()
	if !a.preds.copyFrom(e.PredStart, e.Preds, a.nblocks) || !a.succs.copyFrom(e.SuccStart, e.Succs, a.nblocks) ||
		!a.params.copyFrom(e.ParamStart, e.Params, a.nblocks) || !a.args.copyFrom(e.ArgStart, e.Args, len(e.Succs)) {
		return false
	}
	a.nvregs = f.NumVRegs()
	a.class = f.AppendClasses(a.class[:0])
	if len(a.class) != a.nvregs {
		return false
	}
	for _, c := range a.class {
		if c >= NumClasses {
			return false
		}
	}
	a.resetDefs()
	if a.checkCFG() != nil {
		return false
	}
	a.opStart = resize(a.opStart, a.ninstrs+1)
	a.clobbers = append(a.clobbers[:0], RegSet{})
	a.clobberOf = resize(a.clobberOf, a.ninstrs)
	a.isCopy = resize(a.isCopy, a.ninstrs)
	l := instrLists.Get().(*InstrList)
	*l = InstrList{end: int(a.blockStart[1]), t: loadTables{
		ninstrs: a.ninstrs, blockStart: a.blockStart, opStart: a.opStart,
		defBlock: a.defBlock, defInstr: a.defInstr, reuseSrc: a.reuseSrc, paramIndex: a.paramIndex,
		paramStart: a.params.start, succStart: a.succs.start, predStart: a.preds.start,
		params: a.params.all, succs: a.succs.all, class: a.class, useHint: a.useHint,
		isCopy: a.isCopy, clobberOf: a.clobberOf, ops: a.ops[:cap(a.ops)], clobbers: a.clobbers,
	}}
	for _, s := range a.cfg.Scratch {
		if s < MaxPRegs {
			l.forbidden = l.forbidden.Add(s)
		}
	}
	for c := range l.hasRegs {
		l.hasRegs[c] = len(a.cfg.Regs[c]) > 0
	}
	if fast != nil {
		l.fast = fast.startLoad()
		a.slot = filled(a.slot, a.nvregs, -1)
	}
	ok := l.defineParams() // the entry block's, which checkCFG found to be none
	if ok {
		f.AppendInstrs(l)
		ok = !l.bad && l.i == a.ninstrs
	}
	if fast != nil {
		fast.loaded = ok && !l.fast.again
	}
	a.ops, a.clobbers = l.t.ops[:l.nops], l.t.clobbers
	a.opStart[a.ninstrs] = int32(l.nops)
	*l = InstrList{}
	instrLists.Put(l)
	return ok
}

// instrLists holds InstrLists for the next function's load: one passed to a DenseFunc
// escapes, and a new one each time was an allocation per function.
var instrLists = sync.Pool{New: func() any { return new(InstrList) }}

// InstrList receives the instructions of a [DenseFunc], one call of Add each: the
// allocator takes in each operand, checks it and records what it defines in one pass
// (what load does with an [InstrReader]'s answers, through checkInstr).
type InstrList struct {
	// t are the allocator's tables, not the allocator, which a pointer passed to the
	// DenseFunc would move to the heap.
	t         loadTables
	i         int // the next instruction
	b, end    int // its block, and where the block ends
	forbidden RegSet
	hasRegs   [NumClasses]bool
	nops      int  // the operands added, in t.ops, which is in use to its capacity
	bad       bool // an instruction broke an invariant of Func (or there are too many)
	fast      fastLoad
}

// loadTables are the allocator's tables that InstrList reads and fills.
type loadTables struct {
	ninstrs                                           int
	blockStart, opStart, defBlock, defInstr, reuseSrc []int32
	paramIndex, paramStart, succStart, predStart      []int32
	params                                            []VReg
	succs                                             []int
	class                                             []Class
	useHint                                           []PReg
	isCopy                                            []bool
	clobberOf                                         []uint32
	ops                                               []operand
	clobbers                                          []RegSet
}

// Add describes the next instruction: what AppendOperands, Clobbers and IsCopy say of it.
// The allocator copies ops before Add returns and never writes it.
func (l *InstrList) Add(ops []Operand, clobbers RegSet, isCopy bool) {
	t, i := &l.t, l.i
	l.i++
	if l.bad || i >= t.ninstrs {
		l.bad = true
		return
	}
	if i == l.end { // blocks are not empty: this starts the next one
		l.b++
		l.end = int(t.blockStart[l.b+1])
		if !l.defineParams() {
			l.bad = true
			return
		}
	}
	b, first := l.b, l.nops
	t.opStart[i] = int32(first)
	t.isCopy[i] = isCopy
	if clobbers != (RegSet{}) {
		t.clobberOf[i] = l.clobbersIndex(clobbers)
	}
	// t.ops is used to its capacity and changed only to grow: storing the slice for each
	// instruction (or operand) paid a write barrier while the collector ran.
	if first+len(ops) > len(t.ops) {
		t.ops = slices.Grow(t.ops[:first], len(ops))
		t.ops = t.ops[:cap(t.ops)]
	}
	l.nops = first + len(ops)
	in := t.ops[first:l.nops]
	// Locals, which the stores below do not make the compiler read again.
	class, defBlock, defInstr, forbidden, hasRegs := t.class, t.defBlock, t.defInstr, l.forbidden, l.hasRegs
	var defRegs RegSet
	anyDef, fixed, reuse := false, false, false
	fl := &l.fast
	for k, o := range ops {
		io := o.internal()
		in[k] = io
		if io.reg != NoReg {
			if io.reg >= MaxPRegs || forbidden.Has(io.reg) || io.def && defRegs.Has(io.reg) {
				l.bad = true
				return
			}
			if io.def {
				defRegs = defRegs.Add(io.reg)
				anyDef = true
			}
			fixed = true
			continue
		}
		v := io.vreg
		if int(v) >= len(class) {
			l.bad = true
			return
		}
		if !io.def {
			if fl.on {
				// As fastAlloc.use (fastload.go), once the definition is seen. A use
				// before it (a later block's, in this instruction, or none) is left to
				// classify, which walks the operands itself.
				switch d := defBlock[v]; {
				case d < 0 || anyDef && d == int32(b) && defInstr[v] >= int32(i):
					fl.again = true
				case d < fl.runStart:
					fl.global[v] = true
				}
				fl.lastUse[v], fl.to[v] = int32(i), int32(i)
			}
			continue
		}
		anyDef = true
		if defBlock[v] >= 0 || !hasRegs[class[v]] {
			l.bad = true
			return
		}
		defBlock[v], defInstr[v] = int32(b), int32(i)
		if io.reuse >= 0 {
			if !l.reuses(v, ops, int(io.reuse)) {
				l.bad = true
				return
			}
			reuse = true
		}
		if fl.on {
			// Stored before the next instruction; the first position of v, unless a use
			// came before, which set fl.again.
			fl.from[v], fl.to[v] = int32(i+1), int32(i+1)
		}
	}
	if isCopy && !l.readCopy(in) ||
		i == l.end-1 && t.succStart[b+1] > t.succStart[b] && (anyDef || !l.jumpMoves(b, len(ops) > 0 || clobbers != (RegSet{}))) {
		l.bad = true
	}
	if fl.on {
		fl.special[i] = fixed || reuse || isCopy || clobbers != (RegSet{})
		if fixed {
			fx := &fl.fixedOps[b]
			if fx[0] == 0 {
				fx[0] = int32(i + 1)
			}
			fx[1] = int32(i + 1)
		}
	}
}

// defineParams records the definitions of the parameters of block l.b and reports
// whether they are well formed.
func (l *InstrList) defineParams() bool {
	t := &l.t
	ps := t.params[t.paramStart[l.b]:t.paramStart[l.b+1]]
	for k, p := range ps {
		if int(p) >= len(t.class) || t.defBlock[p] >= 0 || !l.hasRegs[t.class[p]] {
			return false
		}
		t.defBlock[p], t.defInstr[p] = int32(l.b), -1
		t.paramIndex[p] = int32(k)
	}
	if l.fast.on {
		l.fast.runStart = l.fast.runOf[l.b]
		l.fast.params(ps, t.blockStart[l.b])
	}
	return true
}

// clobbersIndex is the index of c in t.clobbers, where it is added if new: a function
// has a handful of distinct sets (none, a call's), so a search beats a map.
func (l *InstrList) clobbersIndex(c RegSet) uint32 {
	t := &l.t
	for k := len(t.clobbers) - 1; k > 0; k-- {
		if t.clobbers[k] == c {
			return uint32(k)
		}
	}
	t.clobbers = append(t.clobbers, c)
	return uint32(len(t.clobbers) - 1)
}

// reuses records that v, defined by an instruction with operands ops, takes the register
// of ops[k], and reports whether that is a virtual use of v's class.
func (l *InstrList) reuses(v VReg, ops []Operand, k int) bool {
	t := &l.t
	if k >= len(ops) {
		return false
	}
	src := ops[k]
	if src.def || src.fixed != 0 || int(src.vreg) >= len(t.class) || t.class[src.vreg] != t.class[v] {
		return false
	}
	t.reuseSrc[v] = int32(src.vreg)
	return true
}

// readCopy records the hint of a copy with operands ops and reports whether it is one.
func (l *InstrList) readCopy(ops []operand) bool {
	t := &l.t
	if len(ops) != 2 || ops[0].def == ops[1].def {
		return false
	}
	src, dst := ops[0], ops[1]
	if src.def {
		src, dst = dst, src
	}
	if dst.reg != NoReg && src.reg == NoReg && t.useHint[src.vreg] == NoReg {
		t.useHint[src.vreg] = dst.reg
	}
	return dst.reg != NoReg || src.reg != NoReg || t.class[src.vreg] == t.class[dst.vreg]
}

// jumpMoves reports whether the last instruction of block b, which has successors and
// defines nothing, may end it: not if b has one successor, which has several
// predecessors, and the instruction has operands or clobbers (busy), since edge moves go
// before it. checkCFG has found the successors in range.
func (l *InstrList) jumpMoves(b int, busy bool) bool {
	t := &l.t
	lo, hi := t.succStart[b], t.succStart[b+1]
	if hi-lo != 1 || !busy {
		return true
	}
	s := t.succs[lo]
	return t.predStart[s+1]-t.predStart[s] <= 1
}

// copyFrom makes l the n lists that start indexes in all, if start is well formed.
func (l *lists[T]) copyFrom(start []int32, all []T, n int) bool {
	if len(start) != n+1 || start[0] != 0 || int(start[n]) != len(all) {
		return false
	}
	for i := range n {
		if start[i] > start[i+1] {
			return false
		}
	}
	l.start = append(l.start[:0], start...)
	l.all = append(l.all[:0], all...)
	return true
}

// sized returns a slice of length n in s's array when it is large enough, its contents
// left as they were: for a table the caller fills entirely.
func sized[T any](s []T, n int) []T {
	if cap(s) < n {
		return make([]T, n)
	}
	return s[:n]
}

// filled returns a slice of length n holding only v, in s's array when it is large
// enough; it fills by doubling copies, which run as block moves rather than a store per
// element.
func filled[T any](s []T, n int, v T) []T {
	s = sized(s, n)
	if n == 0 {
		return s
	}
	s[0] = v
	for k := 1; k < n; k *= 2 {
		copy(s[k:], s[:k])
	}
	return s
}
