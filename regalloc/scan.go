package regalloc

import "slices"

// This file is the linear scan proper: Wimmer & Franz (CGO 2010) section 5, built on Wimmer &
// Mössenböck, "Optimized Interval Splitting in a Linear Scan Register Allocator" (VEE 2005):
// intervals are taken in order of their start; an interval gets a register free for its whole
// lifetime, or free for a prefix of it (and is split there), or else either it or the
// intervals that hold the register whose next use is farthest are split and spilled.

// evenFloor and evenCeil round to the positions where a move can take place: moves happen
// between instructions, so a part of an interval that lives in a register starts at an even
// (early) position, or at its definition.
func evenFloor(p int32) int32 { return p &^ 1 }
func evenCeil(p int32) int32  { return (p + 1) &^ 1 }

func (a *allocator) isReuseStart(it *interval) bool { return it.def && a.reuseSrc[it.vreg] >= 0 }

// scanState is the part of the allocator that lives only during the scan.
type scanState struct {
	unhandled unhandledQueue // by startKey
	active    []*interval    // hold a register at the current position
	inactive  []*interval    // hold a register but are in a hole at the current position
	// spare is the array advance builds inactive in when an active interval enters a
	// hole: new ones each time were the allocator's most frequent allocation.
	spare   []*interval
	used    RegSet
	until   [MaxPRegs]int32 // freeAt's answers (free.go); scratch for allocateBlocked's next uses
	blocked [MaxPRegs]int32 // scratch for blockPos
	// fixedAt is, per register, the first span of its fixed interval that ends after the
	// position the scan last asked about (fixedNext).
	fixedAt [MaxPRegs]int32
	free    freeState
	at      int32 // the position advance last moved the intervals for, or -1
	// next is the first position after at where an interval of active or inactive
	// changes list: before it, and from at on, advance has nothing to move.
	next int32
}

// scan assigns a register or the spill slot to every interval, splitting as it goes.
func (a *allocator) scan() error {
	s := &a.scanning
	*s = scanState{
		unhandled: s.unhandled,
		active:    s.active[:0], inactive: s.inactive[:0],
		spare: s.spare[:0],
		free:  freeState{prev: s.free.prev[:0]}, // stamps from 0, gen from 1
		at:    -1,
	}
	a.s = s
	n := 0
	for _, v := range a.tables.withInterval {
		n += len(a.children[v])
	}
	s.unhandled.fill(a, n)
	for s.unhandled.len() > 0 {
		cur := s.unhandled.pop(a)
		pos := cur.start()
		a.advance(pos)
		var err error
		switch {
		case a.isReuseStart(cur):
			err = a.allocateReuse(cur)
		case a.tryAllocateFree(cur):
		default:
			err = a.allocateBlocked(cur)
		}
		if err != nil {
			return err
		}
		if cur.reg != NoReg {
			s.active = append(s.active, cur)
			s.next = min(s.next, cur.spans[0].to) // cur starts at s.at
		}
	}
	return nil
}

// advance moves intervals between active, inactive and handled for position pos. At the
// position it last moved them for (the intervals of one block's parameters, or of one
// instruction's defs), none would move: the intervals allocated since start there, and
// those evicted have left the lists.
func (a *allocator) advance(pos int32) {
	s := a.s
	// Most steps move nothing: only the ends of the current spans of the intervals in the
	// lists change them, and looking at each interval at each step was most of advance
	// (issue 21). Going back (an evicted part queued from before at) looks again.
	if pos >= s.at && pos < s.next {
		s.at = pos
		return
	}
	s.at = pos
	next := maxPos
	// The lists keep their order: active is those that stay active, then those that
	// leave a hole; inactive those that enter one, then those that stay in it. They are
	// compacted in place, writing only the intervals that move, where rebuilding both
	// wrote every pointer again at every step, each through the collector's write
	// barrier while it marks (issue 21).
	active, toHole := s.active[:0], s.spare[:0]
	for i, it := range s.active {
		k := it.spanFrom(pos)
		switch {
		case k == len(it.spans):
		case it.spans[k].from <= pos:
			next = min(next, it.spans[k].to)
			if len(active) != i {
				active = append(active, it)
			} else {
				active = active[:i+1]
			}
		default:
			next = min(next, it.spans[k].from)
			toHole = append(toHole, it)
		}
	}
	inactive := toHole
	if len(toHole) == 0 {
		inactive = s.inactive[:0]
	}
	for i, it := range s.inactive {
		k := it.spanFrom(pos)
		switch {
		case k == len(it.spans):
		case it.spans[k].from <= pos:
			next = min(next, it.spans[k].to)
			active = append(active, it)
		default:
			next = min(next, it.spans[k].from)
			if len(toHole) != 0 || len(inactive) != i {
				inactive = append(inactive, it)
			} else {
				inactive = inactive[:i+1]
			}
		}
	}
	if len(toHole) != 0 {
		s.spare = s.inactive[:0]
	}
	s.active, s.inactive, s.next = active, inactive, next
}

// fixedNext is the first position from cur's start where cur and r's fixed interval are
// both live, or maxPos. The fixed interval of a caller-saved register has a span per call,
// thousands in a large function, and the scan asks about each register for each interval:
// rather than search them each time, a cursor per register follows the scan's position,
// which only grows but when an evicted part is queued again from before it. It steps at
// most a few spans; farther, or back, it searches.
func (a *allocator) fixedNext(r PReg, cur *interval) int32 {
	const fixedSteps = 8
	fx := a.fixed[r]
	if fx == nil {
		return maxPos
	}
	pos := cur.start()
	k := int(a.s.fixedAt[r])
	if k > 0 && fx.spans[k-1].to > pos || k+fixedSteps < len(fx.spans) && fx.spans[k+fixedSteps].to <= pos {
		k = fx.spanFrom(pos)
	} else {
		for k < len(fx.spans) && fx.spans[k].to <= pos {
			k++
		}
	}
	a.s.fixedAt[r] = int32(k)
	return fx.intersectionFrom(k, cur, pos)
}

// tryAllocateFree gives cur a register that is free at its start, preferring its hint, then a
// register free for all of cur (a caller-saved one, or a callee-saved one already in use),
// then the one free the longest, splitting cur where that register stops being free; unless
// a call or fixed operand takes that one before cur's next use, when cur stays in its slot
// up to that use.
func (a *allocator) tryAllocateFree(cur *interval) bool {
	s := a.s
	a.freeUntil(cur)
	pos, end := cur.start(), cur.end()
	regs := a.cfg.Regs[cur.class]
	hint := a.hint(cur)
	best := NoReg
	if hint != NoReg && a.freeAt(hint, cur) >= end {
		best = hint
	}
	if best == NoReg && cur.def {
		if r, h := a.paramHint(cur.vreg, pos); r != NoReg && a.regClass[r] == int8(cur.class) {
			switch {
			case a.freeAt(r, cur) >= end:
				best = r
			case a.loopHeader[h] == int32(h) && a.freeAt(r, cur) >= a.spanOf(int32(h)).to && cur.nextUse(pos) < a.freeAt(r, cur):
				// Free through the loop but not after it (a call after the loop
				// clobbers it): cur holds it in the loop and is split after, where
				// splitPos puts the move outside the loop.
				best = r
			}
		}
	}
	if best == NoReg {
		firstFree := NoReg
		for _, r := range regs {
			if a.freeAt(r, cur) < end {
				continue
			}
			if !a.cfg.CalleeSaved.Has(r) || s.used.Has(r) {
				best = r
				break
			}
			if firstFree == NoReg {
				firstFree = r
			}
		}
		if best == NoReg {
			best = firstFree
		}
	}
	if best == NoReg {
		for _, r := range regs {
			if best == NoReg || a.freeAt(r, cur) > a.freeAt(best, cur) {
				best = r
			}
		}
		if hint != NoReg && a.freeAt(hint, cur) == a.freeAt(best, cur) {
			best = hint
		}
	}
	until := a.freeAt(best, cur)
	if until <= pos {
		return false
	}
	if until < end {
		if u := cur.nextUse(pos); u >= until && a.blockedByFixed(cur, best) && !a.feedsUseBefore(cur, pos, until) {
			// No use before a fixed operand or a call takes even the register free the
			// longest, so cur must be in its slot then: holding the register until there
			// would only cost a reload into it on the way here (a loop's back edge, on every
			// pass), so cur lives in its slot up to its next use instead.
			if u := cur.nextMustUse(pos); u != maxPos {
				a.splitAndQueue(cur, a.splitPos(evenCeil(pos+1), u))
			}
			a.spill(cur)
			return true
		}
		a.splitAndQueue(cur, a.splitPos(evenCeil(pos+1), until))
	}
	a.assign(cur, best)
	return true
}

// feedsUseBefore reports whether cur's value is passed, on an edge between from and to, to
// a block parameter that is used before to. Then the register is worth holding after
// all: a value carried around a loop in a parameter the loop reads (a sieve's count of
// primes, passed back to the loop's header and incremented there) would otherwise be
// stored on the way into the block and loaded on every back edge.
func (a *allocator) feedsUseBefore(cur *interval, from, to int32) bool {
	for _, e := range a.argEdgesOf(cur.vreg) {
		if e.pos < from || e.pos >= to {
			continue
		}
		if p := a.first[e.param]; p != nil && p.nextUse(a.blockFrom(e.block)) < to {
			return true
		}
	}
	return false
}

// paramHint is the register that a block parameter which v, defined at pos, is passed to
// holds at the start of its block, and that block, if the block comes before pos and so
// is allocated: a loop header's. A count or pointer stepped in the loop (i = i+1) then
// takes the register of the header's parameter, free from there when the old value dies
// at the step, and the back edge needs no move. It is taken when free for all of v's
// lifetime, or for all of the loop when v is used before the register is taken (v is
// split after the loop); a register free for less would split v inside the loop, where a
// move on the edge costs less.
func (a *allocator) paramHint(v VReg, pos int32) (PReg, int) {
	for _, e := range a.argEdgesOf(v) {
		if e.pos < pos {
			continue
		}
		if from := a.blockFrom(e.block); from <= pos {
			if r := a.regAt(e.param, from); r != NoReg {
				return r, e.block
			}
		}
	}
	return NoReg, -1
}

// argEdge is one edge on which a value is passed: the position of the branch, the block
// it enters and the parameter there that takes the value.
type argEdge struct {
	pos   int32
	block int
	param VReg
}

// argEdgesOf returns the edges on which v is passed as a branch argument, in layout
// order, which buildIndex lists with the blocks that pass v.
func (a *allocator) argEdgesOf(v VReg) []argEdge {
	x := &a.idx
	return x.argEdges[x.argStart[v]:x.argStart[v+1]]
}

// blockedByFixed reports whether what ends cur's time in register r (free at cur's start)
// is r's fixed interval: a call's clobber or a fixed operand.
func (a *allocator) blockedByFixed(cur *interval, r PReg) bool {
	fx := a.fixed[r]
	return fx != nil && evenFloor(a.fixedNext(r, cur)) == a.freeAt(r, cur)
}

// allocateBlocked handles cur when no register is free at its start. If every register's
// holder needs it before cur needs a register, cur is spilled up to (a good position before)
// its first use; otherwise cur takes the register whose holders' next use is farthest (a
// value a loop needs again on its back edge counts as used there: evictionUse), and those
// holders are split at cur's start and spilled up to their next use.
func (a *allocator) allocateBlocked(cur *interval) error {
	s, pos := a.s, cur.start()
	regs := a.cfg.Regs[cur.class]
	nextUse, blockPos := &s.until, &s.blocked
	for _, r := range regs {
		nextUse[r], blockPos[r] = maxPos, maxPos
		if q := a.fixedNext(r, cur); q != maxPos {
			nextUse[r], blockPos[r] = evenFloor(q), evenFloor(q)
		}
	}
	for _, it := range s.active {
		if it.class == cur.class {
			nextUse[it.reg] = min(nextUse[it.reg], a.evictionUse(it, pos))
		}
	}
	for _, it := range s.inactive {
		if it.class == cur.class && it.nextIntersection(cur, pos) != maxPos {
			nextUse[it.reg] = min(nextUse[it.reg], a.evictionUse(it, pos))
		}
	}
	best := NoReg
	for _, r := range regs {
		if best == NoReg || nextUse[r] > nextUse[best] {
			best = r
		}
	}
	if hint := a.hint(cur); hint != NoReg && nextUse[hint] == nextUse[best] {
		best = hint
	}
	firstUse := cur.nextMustUse(pos)
	if nextUse[best] <= cur.nextUse(pos) {
		if firstUse <= pos {
			i := int(pos / 2)
			return a.errorf(a.blockOf(pos), i, "no register left for %%%d: more %s values need registers at this instruction than there are", cur.vreg, cur.class)
		}
		if firstUse != maxPos {
			a.splitAndQueue(cur, a.splitPos(evenCeil(pos+1), firstUse))
		}
		a.spill(cur)
		return nil
	}
	if blockPos[best] < cur.end() {
		a.splitAndQueue(cur, a.splitPos(evenCeil(pos+1), blockPos[best]))
	}
	a.assign(cur, best)
	keep := s.active[:0]
	for _, it := range s.active {
		if it.class == cur.class && it.reg == best {
			a.evict(it, pos)
		} else {
			keep = append(keep, it)
		}
	}
	s.active = keep
	keep = s.inactive[:0]
	for _, it := range s.inactive {
		if it.class == cur.class && it.reg == best && it.nextIntersection(cur, pos) != maxPos {
			a.evict(it, pos)
		} else {
			keep = append(keep, it)
		}
	}
	s.inactive = keep
	return nil
}

// evict takes it out of its register from pos on, or from an earlier block boundary after its
// last use (or its start) if that leaves a loop, so that a value a loop does not use is not
// reloaded on the loop's back edge: the part from there lives in the spill slot (which holds the
// value since its definition, so no store is needed even at an odd position) until a good
// position before its next use, from where it is queued again.
func (a *allocator) evict(it *interval, pos int32) {
	from := evenCeil(it.start() + 1)
	if last := it.lastUseBefore(pos); last >= 0 {
		from = max(evenCeil(last+1), from)
	}
	at := a.splitPos(from, pos)
	child := it
	if at > it.start() {
		child = it.splitAt(at, &a.ar)
		if child == nil {
			return
		}
		a.addChild(it, child)
	} else {
		child.reg = NoReg
	}
	u := child.nextMustUse(child.start())
	switch {
	case u == maxPos:
		a.spill(child)
	case u <= child.start():
		a.s.unhandled.push(a, child)
	default:
		a.splitAndQueue(child, a.splitPos(max(evenCeil(pos+1), evenCeil(child.start()+1)), u))
		a.spill(child)
	}
}

// allocateReuse gives a ReuseDef the register its reused input had at the instruction. The
// input dies there (checked when building intervals) and the def goes first among the
// instruction's defs, so the register is free unless the instruction clobbers it.
func (a *allocator) allocateReuse(cur *interval) error {
	pos := cur.start()
	i := int(pos / 2)
	src := VReg(a.reuseSrc[cur.vreg])
	r := a.regAt(src, early(i))
	a.freeUntil(cur)
	if r == NoReg || a.freeAt(r, cur) <= pos {
		return a.errorf(a.blockOf(pos), i, "%%%d cannot have the register of %%%d", cur.vreg, src)
	}
	if a.freeAt(r, cur) < cur.end() {
		a.splitAndQueue(cur, a.splitPos(evenCeil(pos+1), a.freeAt(r, cur)))
	}
	a.assign(cur, r)
	return nil
}

// splitPos picks where to split between minPos and maxPos (even, or maxPos odd when the part
// after it is spilled, which needs no move): as late as possible, unless a block boundary in
// between ends a block of lower loop depth than maxPos's, in which case the boundary after the
// shallowest such block (the last of equals), so that moves and reloads happen outside loops
// (Wimmer & Mössenböck 2005, section 4.2; HotSpot C1's find_optimal_split_pos).
func (a *allocator) splitPos(minPos, maxPos int32) int32 {
	if minPos >= maxPos {
		return maxPos
	}
	bmin, bmax := a.blockOf(minPos), a.blockOf(maxPos)
	if bmin == bmax || a.loopDepth[bmax] == 0 {
		return maxPos
	}
	if a.depthMin == nil {
		a.depthMin = &a.tables.depthMin
		a.depthMin.build(a.loopDepth)
	}
	if b := a.depthMin.last(bmin, bmax); a.loopDepth[b] < a.loopDepth[bmax] {
		return a.blockTo(b)
	}
	return maxPos
}

func (a *allocator) splitAndQueue(it *interval, pos int32) {
	if child := it.splitAt(pos, &a.ar); child != nil {
		a.addChild(it, child)
		a.s.unhandled.push(a, child)
	}
}

// addChild records child, just split off parent, right after it among the vreg's
// intervals. They stay sorted by start, since they are disjoint, so that regAt and hint
// find the one they need by binary search: looking through all of them was quadratic in
// the splits of a value reloaded after each of 20,000 calls. Splits happen mostly at the
// end of the list, so inserting moves little.
func (a *allocator) addChild(parent, child *interval) {
	cs := a.children[child.vreg]
	if len(cs) == cap(cs) {
		grown := a.ar.lists.take(2 * len(cs)) // from the arena, not the heap
		copy(grown, cs)
		cs = grown[:len(cs)]
	}
	a.children[child.vreg] = slices.Insert(cs, childAt(cs, parent.start())+1, child)
}

// childAt is the index of the last interval of cs starting at or before pos, or -1.
// The search is written out: slices.BinarySearchFunc called its comparison per step,
// which was most of regAt (issue 21).
func childAt(cs []*interval, pos int32) int {
	lo, hi := 0, len(cs)
	for lo < hi {
		m := int(uint(lo+hi) >> 1)
		if cs[m].spans[0].from <= pos {
			lo = m + 1
		} else {
			hi = m
		}
	}
	return lo - 1
}

func (a *allocator) assign(it *interval, r PReg) {
	it.reg = r
	a.s.used = a.s.used.Add(r)
}

func (a *allocator) spill(it *interval) {
	it.reg = NoReg
	it.spilled = true
}

// regAt is the register holding v at pos, if an interval already allocated puts it in one.
func (a *allocator) regAt(v VReg, pos int32) PReg {
	cs := a.children[v]
	if i := childAt(cs, pos); i >= 0 && cs[i].reg != NoReg && cs[i].covers(pos) {
		return cs[i].reg
	}
	return NoReg
}

// hint is the register that would make a move unnecessary: for a split child, the register of
// the part before it; for a copy's destination, the source's register; for a block parameter,
// an argument's register at the end of a predecessor already allocated; else the register a
// later copy moves the value into (an argument or result register).
func (a *allocator) hint(cur *interval) PReg {
	v, pos := cur.vreg, cur.start()
	h := NoReg
	if !cur.def {
		// The part just before cur.
		if i := childAt(a.children[v], pos); i > 0 {
			h = a.children[v][i-1].reg
		}
	} else if i := a.defInstr[v]; i >= 0 {
		if a.isCopy[i] {
			for _, o := range a.ops[a.opStart[i]:a.opStart[i+1]] {
				switch {
				case o.def:
				case o.reg != NoReg:
					h = o.reg
				default:
					h = a.regAt(o.vreg, early(int(i)))
				}
			}
		}
	} else if b := int(a.defBlock[v]); b >= 0 {
		j := a.paramIndex[v]
		for _, p := range a.preds.at(b) {
			if a.blockTo(p) > pos {
				continue
			}
			k := 0
			for a.succs.at(p)[k] != b {
				k++
			}
			if h = a.regAt(a.argsOf(p, k)[j], a.blockTo(p)-1); h != NoReg {
				break
			}
		}
	}
	if h == NoReg {
		h = a.useHint[v]
	}
	if h == NoReg || a.regClass[h] != int8(cur.class) {
		return NoReg
	}
	return h
}
