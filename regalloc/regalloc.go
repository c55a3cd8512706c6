package regalloc

import "fmt"

// Run allocates registers for f: it builds live intervals, scans them, resolves the
// allocation into operand locations and edits, and returns it. An [*Error] means f or cfg
// broke an invariant of [Func] or [Config], or an instruction needs more registers at once
// than cfg provides. What Run keeps between calls is only arrays for the next one to
// fill (runpool.go): its output depends on f and cfg alone.
func Run(f Func, cfg *Config) (*Result, error) {
	a := newRun(f, cfg)
	r, err := a.run()
	a.recycle()
	return r, err
}

func (a *allocator) run() (*Result, error) {
	if err := a.setup(); err != nil {
		return nil, err
	}
	if err := a.buildIntervals(); err != nil {
		return nil, err
	}
	if err := a.scan(); err != nil {
		return nil, err
	}
	return a.resolve(), nil
}

// allocator is the state of one Run. Everything is a dense slice indexed by block,
// instruction or virtual register number.
type allocator struct {
	f   Func
	cfg *Config
	// argless accepts critical edges that pass no arguments: RunFast's, which moves
	// nothing but arguments on an edge.
	argless bool

	nblocks, ninstrs int
	blockStart       []int32     // instruction numbers; blockStart[nblocks] == ninstrs
	jumpsBefore      []int32     // per block b, how many blocks before b only jump (liveness.go bridge), built on first use
	preds, succs     lists[int]  // per block
	params           lists[VReg] // per block
	// args are per edge, numbered as succs.all: argsOf(b, k) are the values b passes to
	// its k-th successor.
	args      lists[VReg]
	dom       *domTree
	loopDepth []int32
	// loopHeader is, per block, the header of the innermost loop holding it, or -1, and
	// loopParent, per header, the header of the enclosing loop, or -1; loopSpans, per
	// header, the positions its loop's blocks cover (loopspan.go), built on first use.
	loopHeader, loopParent []int32
	loopSpans              []loopSpan
	depthMin               *depthMin // over loopDepth, built for the first split that needs it

	ops     []operand // all operands; instruction i's are ops[opStart[i]:opStart[i+1]]
	opStart []int32
	// clobbers[clobberOf[i]] is what instruction i clobbers: the distinct sets are few
	// (none, a call's), and a set per instruction was 16 bytes of each.
	clobbers     []RegSet
	clobberOf    []uint32
	clobberIndex map[RegSet]uint32 // the index of each set in clobbers, kept for the next function
	isCopy       []bool
	predCount    []int32 // checkCFG's, per block

	nvregs     int
	class      []Class
	defInstr   []int32 // defining instruction, or -1 for a block parameter or an undefined vreg
	defBlock   []int32 // block of the definition, -1 if undefined
	paramIndex []int32 // for a block parameter, its index among its block's parameters
	reuseSrc   []int32 // for a ReuseDef: the vreg whose register it takes, else -1
	useHint    []PReg  // a physical register a copy later moves v into, else NoReg

	regClass [MaxPRegs]int8 // class of an allocatable register, or -1

	instrBlock  []int32        // per instruction, its block
	idx         vregIndex      // per vreg, its uses and branch-argument blocks
	walk        liveWalker     // scratch for liveness
	undefinedIn map[int32]VReg // per block, the least never-defined vreg live into it, if any

	first    []*interval   // per vreg, the interval from its definition (nil if dead)
	children [][]*interval // per vreg, all its intervals (split children), sorted by start
	fixed    [MaxPRegs]*interval

	s        *scanState // during the scan
	scanning scanState  // what s points to, kept for the next function's scan

	// ar holds the intervals; building is the one buildVReg gathers, touched once it has
	// anything; fixedSpans, per register, the array its fixed interval's spans grew in.
	ar         arena
	building   interval
	touched    bool
	fixedSpans [MaxPRegs][]span

	slot      []int32           // per vreg, its spill slot, or -1
	slots     []Class           // class of each slot
	cycleSlot [NumClasses]int32 // per class, a slot for breaking move cycles, or -1
	seq       moveState         // scratch for sequentialize

	// result is the Result to fill, a released one's when there is one (runpool.go).
	result *Result
	// tables are scratch arrays of the steps, kept for the next function.
	tables runTables
}

func (a *allocator) errorf(block, instr int, format string, args ...any) *Error {
	return &Error{Block: block, Instr: instr, Msg: fmt.Sprintf(format, args...)}
}

// early and late are the positions at which instruction i reads its uses and writes its defs.
// Moves inserted before instruction i happen between late(i-1) and early(i), so a value that
// moves there has a child interval starting at early(i); a block starts at early of its first
// instruction and ends at early of the next block's.
func early(i int) int32 { return int32(2 * i) }
func late(i int) int32  { return int32(2*i + 1) }

func (a *allocator) blockFrom(b int) int32 { return 2 * a.blockStart[b] }
func (a *allocator) blockTo(b int) int32   { return 2 * a.blockStart[b+1] }

// blockOf is the block holding position pos (the last block for the end position).
func (a *allocator) blockOf(pos int32) int {
	lo, hi := 0, a.nblocks-1
	for lo < hi {
		m := (lo + hi + 1) / 2
		if a.blockFrom(m) <= pos {
			lo = m
		} else {
			hi = m - 1
		}
	}
	return lo
}

// isBlockStart reports whether pos is the first position of a block.
func (a *allocator) isBlockStart(pos int32) bool {
	return pos%2 == 0 && a.blockFrom(a.blockOf(pos)) == pos
}

// setup copies f into dense slices, checks the invariants of Func and Config, and finds
// dominators and loops.
func (a *allocator) setup() error {
	if err := a.load(nil); err != nil {
		return err
	}
	a.tables.dom.build(a.nblocks, &a.preds, &a.succs)
	a.dom = &a.tables.dom
	a.loopDepth, a.loopHeader, a.loopParent = a.dom.loops(&a.preds)
	return nil
}

// load copies f into dense slices and checks the invariants of Func and Config: the part
// of setup that [RunFast] shares. For RunFast, fast is its state, whose classification
// the load does on the way when it can (fastload.go); nil for Run.
func (a *allocator) load(fast *fastAlloc) error {
	f := a.f
	if err := a.checkConfig(); err != nil {
		return err
	}
	a.nblocks = f.NumBlocks()
	if a.nblocks == 0 {
		return a.errorf(-1, -1, "function has no blocks")
	}
	if d, ok := f.(DenseFunc); ok && a.loadDense(d, fast) {
		return nil
	}
	return a.loadEach()
}

// loadEach is load through the per-item methods of [Func], once a.nblocks is set.
func (a *allocator) loadEach() error {
	f := a.f
	a.blockStart = resize(a.blockStart, a.nblocks+1)
	// Count first, so that each list is allocated once at its size.
	var npreds, nsuccs, nparams, nargs int
	for b := 0; b < a.nblocks; b++ {
		npreds += len(f.BlockPreds(b))
		nparams += len(f.BlockParams(b))
		nsuccs += len(f.BlockSuccs(b))
		for k := range f.BlockSuccs(b) {
			nargs += len(f.BranchArgs(b, k))
		}
	}
	a.preds.reset(a.nblocks, npreds)
	a.succs.reset(a.nblocks, nsuccs)
	a.params.reset(a.nblocks, nparams)
	a.args.reset(nsuccs, nargs)
	next := 0
	for b := 0; b < a.nblocks; b++ {
		start, end := f.BlockInstrs(b)
		if start != next || end <= start {
			return a.errorf(b, -1, "instructions [%d,%d) do not follow the previous block's end %d or are empty", start, end, next)
		}
		a.blockStart[b] = int32(start)
		next = end
		a.preds.add(f.BlockPreds(b))
		a.succs.add(f.BlockSuccs(b))
		a.params.add(f.BlockParams(b))
		for k := range f.BlockSuccs(b) {
			a.args.add(f.BranchArgs(b, k))
		}
	}
	a.blockStart[a.nblocks] = int32(next)
	a.ninstrs = next
	a.nvregs = f.NumVRegs()
	a.class = resize(a.class, a.nvregs)
	for v := range a.class {
		a.class[v] = f.VRegClass(VReg(v))
		if a.class[v] >= NumClasses {
			return a.errorf(-1, -1, "%%%d has class %d", v, a.class[v])
		}
	}
	a.opStart = resize(a.opStart, a.ninstrs+1) // a released Result's, in RunFast
	a.clobbers = append(a.clobbers[:0], RegSet{})
	a.clobberOf = resize(a.clobberOf, a.ninstrs)
	if a.clobberIndex == nil {
		a.clobberIndex = map[RegSet]uint32{}
	}
	clobberIndex := a.clobberIndex
	clear(clobberIndex)
	a.isCopy = resize(a.isCopy, a.ninstrs)
	a.ops = a.ops[:0]
	a.resetDefs()
	// Instructions are read and checked in one pass, block by block as checkInstr wants
	// them; its first error is reported once checkCFG has found none, as if it ran after.
	rd, _ := f.(InstrReader)
	var buf, ops []Operand
	var instrErr error
	for b := 0; b < a.nblocks && instrErr == nil; b++ {
		instrErr = a.defineParams(b)
		end := int(a.blockStart[b+1])
		for i := int(a.blockStart[b]); i < end && instrErr == nil; i++ {
			a.opStart[i] = int32(len(a.ops))
			var c RegSet
			if rd != nil {
				ops, c, a.isCopy[i] = rd.Instr(i)
			} else {
				buf = f.AppendOperands(i, buf[:0])
				ops, c, a.isCopy[i] = buf, f.Clobbers(i), f.IsCopy(i)
			}
			for _, o := range ops {
				a.ops = append(a.ops, o.internal())
			}
			if c != (RegSet{}) {
				k, ok := clobberIndex[c]
				if !ok {
					k = uint32(len(a.clobbers))
					clobberIndex[c] = k
					a.clobbers = append(a.clobbers, c)
				}
				a.clobberOf[i] = k
			}
			instrErr = a.checkInstr(b, i, end, a.ops[a.opStart[i]:])
		}
	}
	a.opStart[a.ninstrs] = int32(len(a.ops))
	if err := a.checkCFG(); err != nil {
		return err
	}
	return instrErr
}

func (a *allocator) checkConfig() error {
	cfg := a.cfg
	for r := range a.regClass {
		a.regClass[r] = -1
	}
	for c := Class(0); c < NumClasses; c++ {
		for _, r := range cfg.Regs[c] {
			if r >= MaxPRegs {
				return a.errorf(-1, -1, "config: register %d out of range", r)
			}
			if a.regClass[r] >= 0 {
				return a.errorf(-1, -1, "config: %s listed twice", cfg.RegName(r))
			}
			a.regClass[r] = int8(c)
		}
	}
	for c := Class(0); c < NumClasses; c++ {
		s := cfg.Scratch[c]
		if len(cfg.Regs[c]) == 0 {
			continue
		}
		if s >= MaxPRegs {
			return a.errorf(-1, -1, "config: class %s has no scratch register", c)
		}
		if a.regClass[s] >= 0 {
			return a.errorf(-1, -1, "config: scratch %s is allocatable", cfg.RegName(s))
		}
	}
	return nil
}

// checkCFG checks preds against succs, the entry block, critical edges and branch arguments.
func (a *allocator) checkCFG() error {
	if len(a.preds.at(0)) != 0 || len(a.params.at(0)) != 0 {
		return a.errorf(0, -1, "entry block has predecessors or parameters")
	}
	a.predCount = resize(a.predCount, a.nblocks)
	count := a.predCount
	// The lists' arrays, indexed directly: this runs for every function (issue 21).
	predStart, succStart, paramStart, argStart := a.preds.start, a.succs.start, a.params.start, a.args.start
	preds, succs, params, args := a.preds.all, a.succs.all, a.params.all, a.args.all
	for b := 0; b < a.nblocks; b++ {
		for _, p := range preds[predStart[b]:predStart[b+1]] {
			if p < 0 || p >= a.nblocks {
				return a.errorf(b, -1, "predecessor b%d out of range", p)
			}
			count[b]--
		}
		lo, hi := succStart[b], succStart[b+1]
		for e := lo; e < hi; e++ {
			s := succs[e]
			if s < 0 || s >= a.nblocks {
				return a.errorf(b, -1, "successor b%d out of range", s)
			}
			count[s]++
			from, to := argStart[e], argStart[e+1]
			if hi-lo > 1 && predStart[s+1]-predStart[s] > 1 && !(a.argless && from == to) {
				return a.errorf(b, -1, "critical edge to b%d: split it before allocation", s)
			}
			ps := params[paramStart[s]:paramStart[s+1]]
			if int(to-from) != len(ps) {
				return a.errorf(b, -1, "passes %d arguments to b%d, which has %d parameters", to-from, s, len(ps))
			}
			for j, v := range args[from:to] {
				if int(v) >= a.nvregs {
					return a.errorf(b, -1, "argument %%%d out of range", v)
				}
				if p := ps[j]; int(p) < a.nvregs && a.class[v] != a.class[p] {
					return a.errorf(b, -1, "argument %%%d (%s) for parameter %%%d (%s) of b%d", v, a.class[v], p, a.class[p], s)
				}
			}
		}
	}
	for b, n := range count {
		if n != 0 {
			return a.errorf(b, -1, "predecessor list does not match the successor lists")
		}
	}
	return nil
}

// resetDefs clears what checkInstr records per vreg.
func (a *allocator) resetDefs() {
	a.defInstr = filled(a.defInstr, a.nvregs, -1)
	a.defBlock = filled(a.defBlock, a.nvregs, -1)
	a.reuseSrc = filled(a.reuseSrc, a.nvregs, -1)
	a.useHint = filled(a.useHint, a.nvregs, NoReg)
	a.paramIndex = resize(a.paramIndex, a.nvregs)
}

// define records that instruction i of block b (-1 for a parameter) defines v.
func (a *allocator) define(v VReg, b, i int) error {
	if int(v) >= a.nvregs {
		return a.errorf(b, i, "%%%d out of range", v)
	}
	if a.defBlock[v] >= 0 {
		return a.errorf(b, i, "%%%d defined twice", v)
	}
	if len(a.cfg.Regs[a.class[v]]) == 0 {
		return a.errorf(b, i, "%%%d has class %s, which has no registers", v, a.class[v])
	}
	a.defBlock[v], a.defInstr[v] = int32(b), int32(i)
	return nil
}

// defineParams records the definitions of block b's parameters.
func (a *allocator) defineParams(b int) error {
	for j, p := range a.params.at(b) {
		if err := a.define(p, b, -1); err != nil {
			return err
		}
		a.paramIndex[p] = int32(j)
	}
	return nil
}

// checkInstr checks ops, the operands of instruction i of block b ending at end, and
// records where it defines vregs. The CFG need not have been checked yet: a successor out of range
// is left to checkCFG.
func (a *allocator) checkInstr(b, i, end int, ops []operand) error {
	var defRegs RegSet
	for k, o := range ops {
		if o.reg != NoReg {
			if o.reg >= MaxPRegs {
				return a.errorf(b, i, "operand %d: register %d out of range", k, o.reg)
			}
			for _, s := range a.cfg.Scratch {
				if o.reg == s {
					return a.errorf(b, i, "operand %d: scratch register %s used as a fixed operand", k, a.cfg.RegName(s))
				}
			}
			if o.def {
				if defRegs.Has(o.reg) {
					return a.errorf(b, i, "%s defined twice", a.cfg.RegName(o.reg))
				}
				defRegs = defRegs.Add(o.reg)
			}
			continue
		}
		if int(o.vreg) >= a.nvregs {
			return a.errorf(b, i, "operand %d: %%%d out of range", k, o.vreg)
		}
		if !o.def {
			continue
		}
		if err := a.define(o.vreg, b, i); err != nil {
			return err
		}
		if o.reuse >= 0 {
			if int(o.reuse) >= len(ops) || ops[o.reuse].def || ops[o.reuse].reg != NoReg {
				return a.errorf(b, i, "%%%d reuses operand %d, which is not a virtual use", o.vreg, o.reuse)
			}
			src := ops[o.reuse].vreg
			if a.class[src] != a.class[o.vreg] {
				return a.errorf(b, i, "%%%d reuses %%%d of another class", o.vreg, src)
			}
			a.reuseSrc[o.vreg] = int32(src)
		}
	}
	if a.isCopy[i] {
		if len(ops) != 2 || ops[0].def == ops[1].def {
			return a.errorf(b, i, "copy must have one use and one def")
		}
		src, dst := ops[0], ops[1]
		if src.def {
			src, dst = dst, src
		}
		if dst.reg != NoReg && src.reg == NoReg && a.useHint[src.vreg] == NoReg {
			a.useHint[src.vreg] = dst.reg
		}
		if dst.reg == NoReg && src.reg == NoReg && a.class[src.vreg] != a.class[dst.vreg] {
			return a.errorf(b, i, "copy between classes")
		}
	}
	if succs := a.succs.at(b); i == end-1 && len(succs) > 0 {
		for _, o := range ops {
			if o.def {
				return a.errorf(b, i, "the last instruction of a block with successors defines something")
			}
		}
		if s := succs[0]; len(succs) == 1 && s >= 0 && s < a.nblocks && len(a.preds.at(s)) > 1 && (len(ops) > 0 || a.clobbersAt(i) != (RegSet{})) {
			return a.errorf(b, i, "jump to b%d, which has several predecessors, has operands or clobbers: edge moves go before it", s)
		}
	}
	return nil
}

// argsOf is the values block b passes to its k-th successor.
func (a *allocator) argsOf(b, k int) []VReg { return a.args.at(int(a.succs.start[b]) + k) }

// clobbersAt is what instruction i clobbers.
func (a *allocator) clobbersAt(i int) RegSet { return a.clobbers[a.clobberOf[i]] }
