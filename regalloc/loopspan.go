package regalloc

import (
	"cmp"
	"slices"
)

// This file steers the choice of what to evict inside a loop. In layout order, a value
// that a loop reads at its top and keeps for the next pass (an invariant) has no use after
// its last one in the loop body, so it looked like the best value to evict, and was then
// reloaded on every back edge; a value of an enclosing loop that only passes through has
// its next use after the loop, where one reload per pass of the outer loop brings it back.

// loopSpan is the range of positions from the start of a loop's first block in the layout
// to the end of its last one, nested loops included. Blocks of other code laid out in
// between fall inside it: it only steers eviction.
type loopSpan struct{ from, to int32 }

// maxLoopLevels bounds how many enclosing loops evictionUse looks through for one value, so
// that 100,000 nested loops cost no more than a few.
const maxLoopLevels = 4

// spanOf returns the span of the loop whose header is h, computing all of them on first use.
func (a *allocator) spanOf(h int32) loopSpan {
	if a.loopSpans == nil {
		a.tables.loopSpans = resize(a.tables.loopSpans, a.nblocks)
		a.loopSpans = a.tables.loopSpans
		for b := range a.nblocks {
			a.loopSpans[b] = loopSpan{maxPos, -1}
		}
		for b := range a.nblocks {
			if h := a.loopHeader[b]; h >= 0 {
				sp := &a.loopSpans[h]
				sp.from, sp.to = min(sp.from, a.blockFrom(b)), max(sp.to, a.blockTo(b))
			}
		}
		// A loop's header dominates the headers of the loops inside it, so comes before
		// them in reverse postorder: walking postorder, inner spans are complete before
		// they widen their parent's.
		for _, h := range a.dom.postorder {
			if p := a.loopParent[h]; p >= 0 && a.loopHeader[h] == int32(h) {
				sp, in := &a.loopSpans[p], a.loopSpans[h]
				sp.from, sp.to = min(sp.from, in.from), max(sp.to, in.to)
			}
		}
	}
	return a.loopSpans[h]
}

// evictionUse is the next use of it from pos as the choice of what to evict weighs it: if
// pos is in a loop that passes the value on an edge after pos (to the header, on the back
// edge), that edge needs it, though a branch argument is no use of the interval; if the
// loop reads the value before pos in the layout, and nothing reads it after pos in the
// loop, the next pass needs it again, before the end of the loop's span, even when its
// next use in layout order comes after the loop or never.
func (a *allocator) evictionUse(it *interval, pos int32) int32 {
	u := it.nextUse(pos)
	h := a.loopHeader[a.blockOf(pos)]
	for range maxLoopLevels {
		if h < 0 {
			break
		}
		sp := a.spanOf(h)
		if u < sp.to {
			break
		}
		if e := a.passedIn(it.vreg, pos, sp.to); e < sp.to {
			return e
		}
		if a.usedIn(it.vreg, sp.from, pos) {
			return sp.to - 1 // the back edge, before any use after the loop
		}
		h = a.loopParent[h]
	}
	return u
}

// usedIn reports whether an instruction or a branch between positions from and to reads v.
func (a *allocator) usedIn(v VReg, from, to int32) bool {
	us := a.idx.uses(v)
	if k, _ := slices.BinarySearch(us, from/2); k < len(us) && early(int(us[k])) < to {
		return true
	}
	bs := a.idx.args(v)
	k, _ := slices.BinarySearchFunc(bs, from, func(b int32, pos int32) int { return int(a.blockTo(int(b)) - pos) })
	return k < len(bs) && a.blockTo(int(bs[k]))-2 < to
}

// passedIn is the position of the first branch in [from, to) that passes v to a block
// parameter, or maxPos. The edges are in layout order, so a value passed on thousands of
// edges (a dispatch loop's) costs a binary search, not a walk, each time it is weighed.
func (a *allocator) passedIn(v VReg, from, to int32) int32 {
	es := a.argEdgesOf(v)
	k, _ := slices.BinarySearchFunc(es, from, func(e argEdge, pos int32) int { return cmp.Compare(e.pos, pos) })
	if k < len(es) && es[k].pos < to {
		return es[k].pos
	}
	return maxPos
}
