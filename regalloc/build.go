package regalloc

import "math/bits"

// buildIntervals builds the live intervals of virtual registers, with their holes and use
// positions, and the fixed intervals of physical registers (Wimmer & Franz, section 4,
// BuildIntervals, with exact liveness in place of the loop-end extension).
//
// Each virtual register's interval is built on its own, from the blocks it is live into
// (liveness.go) and its own uses, so the work is its uses plus the runs of consecutive
// blocks it lives through, not blocks × registers. The result is what a walk backwards
// over all blocks with per-block live sets gives: spans arrive in decreasing order and
// [interval.addSpan] merges touching ones, so a run of blocks without uses is added as
// one span.
func (a *allocator) buildIntervals() error {
	a.buildIndex()
	a.first = resize(a.first, a.nvregs)
	a.children = resize(a.children, a.nvregs)
	notDominated := -1
	a.walk.across = resize(a.walk.across, (a.nvregs+63)/64)
	for _, v := range a.walkOrder() {
		// v's uses, looked up once for liveness and the interval both.
		uses := a.idx.uses(v)
		if a.isLocal(v, uses) {
			a.buildLocal(v, uses)
			continue
		}
		runs := a.liveIn(v, uses)
		if len(runs) > 0 {
			a.walk.across.add(int(v))
		}
		if len(runs) > 0 && runs[0].from == 0 {
			if notDominated < 0 || int(v) < notDominated {
				notDominated = int(v)
			}
			continue
		}
		if a.defBlock[v] < 0 {
			a.noteUndefinedLiveIn(v, runs)
		}
		a.buildVReg(v, runs, uses)
	}
	if notDominated >= 0 {
		return a.errorf(-1, -1, "%%%d is used where its definition does not dominate", notDominated)
	}
	if err := a.buildFixed(); err != nil {
		return err
	}
	a.finishIntervals()
	return nil
}

// noteUndefinedLiveIn records, for the error buildFixed reports, the blocks a register
// that is never defined is live into (only unreachable code gets that far: a use the
// entry reaches makes the register live into the entry).
func (a *allocator) noteUndefinedLiveIn(v VReg, runs []blockRun) {
	for _, r := range runs {
		for b := r.from; b < r.to; b++ {
			if a.undefinedIn == nil {
				a.undefinedIn = map[int32]VReg{}
			}
			if u, ok := a.undefinedIn[b]; !ok || v < u {
				a.undefinedIn[b] = v
			}
		}
	}
}

// buildVReg builds the interval of v, walking backwards over the blocks where v is live or
// defined. Blocks v is live through without a use or its definition come as parts of runs
// and are covered whole; the others (special blocks) are walked instruction by
// instruction.
func (a *allocator) buildVReg(v VReg, runs []blockRun, uses []int32) {
	// Field by field: a struct assigned whole, with its slices, went through the write
	// barrier's copy, a third of this function's time.
	b := &a.building
	b.vreg, b.spans, b.uses = v, b.spans[:0], b.uses[:0]
	a.touched = false
	a.walkVReg(v, runs, uses)
	if a.touched {
		a.first[v] = a.carve(&a.building)
	}
}

// isLocal reports whether v is defined, passed to no block, and read, if at all, only in
// its defining block after its definition, as most values are: then it is live into no
// block, which liveIn need not find out. uses are v's, a.idx.uses(v), in order, and a
// block's instructions are consecutive, so the first and last use tell.
func (a *allocator) isLocal(v VReg, uses []int32) bool {
	d := a.defBlock[v]
	if d < 0 || a.idx.argStart[v] != a.idx.argStart[v+1] {
		return false
	}
	if len(uses) == 0 {
		return true
	}
	lo := a.blockStart[d]
	if di := a.defInstr[v]; di >= 0 {
		lo = di + 1
	}
	return uses[0] >= lo && uses[len(uses)-1] < a.blockStart[d+1]
}

// buildLocal builds the interval of a value isLocal accepts. That interval is one span,
// so it goes into the arena directly, without buildVReg's backward walk, which it
// matches (issue 21). uses are v's, a.idx.uses(v).
func (a *allocator) buildLocal(v VReg, uses []int32) {
	di := a.defInstr[v]
	if di < 0 && len(uses) == 0 {
		return // a parameter never read has no interval
	}
	from, n := a.blockFrom(int(a.defBlock[v])), 0
	if di >= 0 {
		from, n = late(int(di)), 1 // and a use at the definition
	}
	for k, i := range uses {
		if k == 0 || uses[k-1] != i {
			n++
		}
	}
	to := from + 1
	if len(uses) > 0 {
		to = early(int(uses[len(uses)-1])) + 1
	}
	it := a.ar.newInterval()
	it.vreg, it.class, it.reg, it.def = v, a.class[v], NoReg, true
	it.spans = a.ar.spans.take(1)
	it.spans[0] = span{from, to}
	it.uses = a.ar.uses.take(n)
	k := 0
	if di >= 0 {
		it.uses[0] = usePos{from, true}
		k = 1
	}
	for j, i := range uses {
		if j == 0 || uses[j-1] != i {
			it.uses[k] = usePos{early(int(i)), !a.isCopy[i]}
			k++
		}
	}
	a.first[v] = it
}

// walkVReg gathers v's spans and uses into a.building, backwards (see buildVReg).
// uses are v's uses, a.idx.uses(v).
func (a *allocator) walkVReg(v VReg, runs []blockRun, uses []int32) {
	def := a.defBlock[v]
	defDone := def < 0
	ri := len(runs) - 1
	var cur blockRun // the part of runs[ri] not yet walked
	if ri >= 0 {
		cur = runs[ri]
	}
	for {
		// The highest special block not yet walked: the block of the last use left, or
		// the defining block.
		special := int32(-1)
		if len(uses) > 0 {
			special = a.instrBlock[uses[len(uses)-1]]
		}
		if !defDone && def > special {
			special = def
		}
		if ri >= 0 && cur.to-1 > special {
			// Blocks v lives through above the special block.
			lo := max(cur.from, special+1)
			a.ivFor(v).addSpan(a.blockFrom(int(lo)), a.blockTo(int(cur.to-1)))
			cur.to = lo
			if cur.to == cur.from {
				if ri--; ri >= 0 {
					cur = runs[ri]
				}
			}
			continue
		}
		if special < 0 {
			return
		}
		liveIn := ri >= 0 && cur.from <= special && special < cur.to
		uses = a.walkBlock(v, int(special), liveIn, runs, uses)
		if special == def {
			defDone = true
		}
		if liveIn {
			cur.to = special
			if cur.to == cur.from {
				if ri--; ri >= 0 {
					cur = runs[ri]
				}
			}
		}
	}
}

// walkBlock adds the spans and uses of v in block b, walking its instructions backwards
// from b's end, where v is live if it is live into a successor or passed as a branch
// argument. uses are v's uses not yet walked, those in b last; walkBlock returns the
// others.
func (a *allocator) walkBlock(v VReg, b int, liveIn bool, runs []blockRun, uses []int32) []int32 {
	liveEnd := int32(-1)
	if a.liveOut(v, b, runs) {
		liveEnd = a.blockTo(b)
	}
	defInstr := int32(-1)
	if int(a.defBlock[v]) == b {
		defInstr = a.defInstr[v]
	}
	start := a.blockStart[b]
	for {
		i := int32(-1)
		if n := len(uses); n > 0 && uses[n-1] >= start {
			i = uses[n-1]
		}
		if defInstr >= i {
			i = defInstr
		}
		if i < 0 {
			break
		}
		if i == defInstr {
			d := late(int(i))
			it := a.ivFor(v)
			if liveEnd >= 0 {
				it.addSpan(d, liveEnd)
				liveEnd = -1
			} else {
				it.addSpan(d, d+1)
			}
			it.addUse(d, true)
			defInstr = -1
		}
		for n := len(uses); n > 0 && uses[n-1] == i; n-- {
			u := early(int(i))
			if liveEnd < 0 {
				liveEnd = u + 1
			}
			a.ivFor(v).addUse(u, !a.isCopy[i])
			uses = uses[:n-1]
		}
	}
	from := a.blockFrom(b)
	if int(a.defBlock[v]) == b && a.defInstr[v] < 0 && liveEnd >= 0 {
		a.ivFor(v).addSpan(from, liveEnd)
	}
	if liveIn {
		a.ivFor(v).addSpan(from, liveEnd)
	}
	return uses
}

// liveOut reports whether v is live at the end of block b: live into a successor, or
// passed to one.
func (a *allocator) liveOut(v VReg, b int, runs []blockRun) bool {
	if len(runs) > 0 { // most values are live into no block (issue 21)
		for _, s := range a.succs.at(b) {
			if inRuns(runs, int32(s)) {
				return true
			}
		}
	}
	args := a.idx.args(v)
	if len(args) == 0 {
		return false
	}
	lo, hi := 0, len(args)
	for lo < hi {
		m := (lo + hi) / 2
		if args[m] < int32(b) {
			lo = m + 1
		} else {
			hi = m
		}
	}
	return lo < len(args) && args[lo] == int32(b)
}

// ivFor is the interval being built for v: a scratch one, whose spans and uses carve
// copies into the arena once v is walked, in order.
func (a *allocator) ivFor(VReg) *interval {
	a.touched = true
	return &a.building
}

// carve returns the interval of the arena holding b's spans and uses, gathered backwards,
// in increasing order.
func (a *allocator) carve(b *interval) *interval {
	it := a.ar.newInterval()
	it.vreg, it.class, it.reg, it.def = b.vreg, a.class[b.vreg], NoReg, true
	it.spans = a.ar.spans.take(len(b.spans))
	for i, sp := range b.spans {
		it.spans[len(b.spans)-1-i] = sp
	}
	it.uses = a.ar.uses.take(len(b.uses))
	for i, u := range b.uses {
		it.uses[len(b.uses)-1-i] = u
	}
	return it
}

// buildFixed builds the fixed intervals of physical registers in one backward walk over
// the code, and checks what only that walk sees, in the order of the walk, so that the
// first problem is reported: a ReuseDef whose input lives on, a clobbered register read
// afterwards, a register used or live in but never defined, a fixed register read before
// its block writes it.
//
// Only the instructions buildIndex listed as special add spans or fail checks, but for
// the never-defined registers; so unless one is live into a block, the walk visits those
// alone: on gobig -O2 they are 37% of the instructions (issue 21). A register read but
// never defined is live into the blocks that read it (liveIn seeds them all), so it is
// either live into the entry, which buildIntervals reported, or into some block.
func (a *allocator) buildFixed() error {
	fw := &fixedWalk{}
	for r := range fw.physEnd {
		fw.physEnd[r] = -1
	}
	if a.undefinedIn != nil {
		for b := a.nblocks - 1; b >= 0; b-- {
			for i := int(a.blockStart[b+1]) - 1; i >= int(a.blockStart[b]); i-- {
				if err := a.fixedInstr(fw, b, i); err != nil {
					return err
				}
				for _, o := range a.ops[a.opStart[i]:a.opStart[i+1]] {
					if !o.def && o.reg == NoReg && a.defBlock[o.vreg] < 0 {
						return a.errorf(b, i, "%%%d is used but never defined", o.vreg)
					}
				}
			}
			if v, ok := a.undefinedIn[int32(b)]; ok {
				return a.errorf(b, -1, "%%%d is live in but never defined", v)
			}
			if err := a.fixedBlockStart(fw, b); err != nil {
				return err
			}
		}
	} else {
		// The blocks without special instructions add nothing and cannot fail: what
		// is pending at a block's start was read in that block.
		special := a.idx.special
		for n := len(special) - 1; n >= 0; {
			i := int(special[n])
			b := int(a.instrBlock[i])
			for ; n >= 0 && int(a.instrBlock[special[n]]) == b; n-- {
				if err := a.fixedInstr(fw, b, int(special[n])); err != nil {
					return err
				}
			}
			if err := a.fixedBlockStart(fw, b); err != nil {
				return err
			}
		}
	}
	for r, it := range a.fixed {
		if it != nil {
			it.finish()
			a.fixedSpans[r] = it.spans[:0]
		}
	}
	return nil
}

// fixedWalk is the state of buildFixed's backward walk.
type fixedWalk struct {
	physEnd [MaxPRegs]int32 // end of the fixed span being built, or -1
	pending RegSet          // the registers with physEnd >= 0, so blocks need not scan them all
}

// fixedFor is the fixed interval of r, begun if it has none yet.
func (a *allocator) fixedFor(r PReg) *interval {
	if it := a.fixed[r]; it != nil {
		return it
	}
	return a.newFixed(r)
}

// newFixed begins the fixed interval of r, whose spans grow in an array kept from the
// function before (fixedSpans).
func (a *allocator) newFixed(r PReg) *interval {
	it := a.ar.newInterval()
	it.vreg, it.reg, it.spans = ^VReg(0), r, a.fixedSpans[r][:0]
	a.fixed[r] = it
	return it
}

// fixedInstr is buildFixed's step over instruction i of block b: the spans of its fixed
// defs, clobbers and fixed uses, and the checks of its reused registers and clobbers.
func (a *allocator) fixedInstr(fw *fixedWalk, b, i int) error {
	physEnd := &fw.physEnd
	ops := a.ops[a.opStart[i]:a.opStart[i+1]]
	d := late(i)
	for k, o := range ops {
		if !o.def {
			continue
		}
		if o.reg != NoReg {
			if physEnd[o.reg] >= 0 {
				a.fixedFor(o.reg).addSpan(d, physEnd[o.reg])
				physEnd[o.reg] = -1
				fw.pending[o.reg>>6] &^= 1 << (o.reg & 63)
			} else {
				a.fixedFor(o.reg).addSpan(d, d+1)
			}
			continue
		}
		if src := a.reuseSrc[o.vreg]; src >= 0 && a.liveAfterDefs(VReg(src), i, k) {
			return a.errorf(b, i, "%%%d reuses the register of %%%d, which is live after the instruction", o.vreg, src)
		}
	}
	if c := a.clobberOf[i]; c != 0 { // clobbers[0] is the empty set, most instructions'
		clobbers := a.clobbers[c]
		// pending is the registers read later, with physEnd >= 0: the first of them
		// clobbered, in register order, is the one to report.
		if read := clobbers.Intersect(fw.pending); read != (RegSet{}) {
			return a.errorf(b, i, "%s is read after this instruction clobbers it", a.cfg.RegName(read.Regs()[0]))
		}
		for w, word := range clobbers {
			for ; word != 0; word &= word - 1 {
				a.fixedFor(PReg(64*w+bits.TrailingZeros64(word))).addSpan(d, d+1)
			}
		}
	}
	u := early(i)
	for _, o := range ops {
		if !o.def && o.reg != NoReg && physEnd[o.reg] < 0 {
			physEnd[o.reg] = u + 1
			fw.pending = fw.pending.Add(o.reg)
		}
	}
	return nil
}

// fixedBlockStart ends buildFixed's walk of block b: a fixed register still read is
// live into b, which only the entry allows.
func (a *allocator) fixedBlockStart(fw *fixedWalk, b int) error {
	for w, word := range fw.pending {
		for ; word != 0; word &= word - 1 {
			r := PReg(64*w + bits.TrailingZeros64(word))
			if b != 0 {
				return a.errorf(b, -1, "%s is read before this block writes it", a.cfg.RegName(r))
			}
			a.fixedFor(r).addSpan(a.blockFrom(b), fw.physEnd[r])
			fw.physEnd[r] = -1
		}
	}
	fw.pending = RegSet{}
	return nil
}

// liveAfterDefs reports whether v is live just after instruction i writes its defs up to
// operand k: v's interval covers i's late point, unless v is itself defined by i at or
// before operand k (its value before that def is another matter).
func (a *allocator) liveAfterDefs(v VReg, i, k int) bool {
	if int(a.defInstr[v]) == i {
		for _, o := range a.ops[a.opStart[i] : int(a.opStart[i])+k+1] {
			if o.def && o.reg == NoReg && o.vreg == v {
				return false
			}
		}
	}
	it := a.first[v]
	if it == nil {
		return false
	}
	return it.covers(late(i))
}

// childBatch is how many children lists finishIntervals takes from the arena at once.
const childBatch = 128

// finishIntervals lists each value's first interval as its only child and, where the
// value is live in blocks laid out before its definition (a loop entered in the middle, or
// any layout that is not a reverse postorder), splits off the part before the definition
// into an interval of its own, so that the interval from the definition starts there: its
// value arrives only through edges, so no move joins the two.
func (a *allocator) finishIntervals() {
	with := a.tables.withInterval[:0]
	// Each list holds only the value's interval, with room for one split before it
	// grows, and comes from the arena a batch at a time: a take per value was a third
	// of this function (issue 21).
	var room []*interval
	for v, it := range a.first {
		if it == nil {
			continue
		}
		with = append(with, VReg(v))
		if len(room) == 0 {
			room = a.ar.lists.take(2 * childBatch)
		}
		l := room[:2:2]
		room = room[2:]
		l[0], l[1] = it, nil
		a.children[v] = l[:1]
		defPos := late(int(a.defInstr[v]))
		if a.defInstr[v] < 0 {
			defPos = a.blockFrom(int(a.defBlock[v]))
		}
		if it.start() < defPos {
			rest := it.splitAt(defPos, &a.ar)
			it.def, rest.def = false, true
			a.first[v] = rest
			a.children[v] = append(a.children[v], rest)
		}
	}
	a.tables.withInterval = with
}
