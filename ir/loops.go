package ir

import "slices"

// Loop is a natural loop: a header block and the blocks that reach one of its back
// edges (an edge whose source the header dominates) without passing through the header.
// Back edges to the same header make one loop. A cycle of an irreducible graph, which
// no block dominates, is not a loop: passes leave it alone.
type Loop struct {
	// Header is the loop's only entry from outside; it dominates every block of the loop.
	Header BlockID
	// Blocks is the loop's body in reverse postorder, so the header comes first.
	Blocks []BlockID
	// Parent is the index in [LoopForest].Loops of the innermost loop enclosing this
	// one, or -1.
	Parent int
	// Depth is the number of loops enclosing the body, this one included: 1 for an
	// outermost loop.
	Depth int
}

// LoopForest is a function's loops. Get it from [Func.Loops].
type LoopForest struct {
	// Loops lists the loops with every loop after the loops nested in it, so a pass that
	// walks it handles inner loops first.
	Loops []Loop

	loopOf []int32 // by BlockID: the innermost loop holding the block, or -1; nil without loops
}

// LoopOf returns the index of the innermost loop holding b, or -1.
func (lf *LoopForest) LoopOf(b BlockID) int {
	if int(b) >= len(lf.loopOf) {
		return -1
	}
	return int(lf.loopOf[b])
}

// Depth returns the number of loops holding b: 0 outside every loop.
func (lf *LoopForest) Depth(b BlockID) int {
	if l := lf.LoopOf(b); l >= 0 {
		return lf.Loops[l].Depth
	}
	return 0
}

// loopCache holds the loop forest with the CFG generation it was built from.
type loopCache struct {
	forest *LoopForest
	gen    uint64
}

// Loops returns the function's natural loops, recomputing them only if the CFG changed
// since they were found (see [Func.CFG]). The result must not be modified.
func (f *Func) Loops() *LoopForest {
	f.CFG() // refreshes the CFG, and with it the generation compared below
	return f.loopsCurrent()
}

// loopsCurrent is Loops for a caller that has just had the CFG and changed no block or
// branch since, as [Func.domCurrent].
func (f *Func) loopsCurrent() *LoopForest {
	d := f.domCurrent()
	if f.loops.forest != nil && f.loops.gen == f.cfg.gen {
		return f.loops.forest
	}
	f.loops.forest = computeLoops(f.cfg.cfg, d, len(f.Blocks))
	f.loops.gen = f.cfg.gen
	return f.loops.forest
}

func computeLoops(c *CFG, d *DomTree, n int) *LoopForest {
	// Most functions have no loop: the arrays are made when the first one is found, and
	// a forest without loops has no loopOf, which LoopOf reads as -1 everywhere.
	lf := &LoopForest{}
	var loops []Loop
	var stamp []int32 // loop number + 1 of the body being collected
	var stack []BlockID
	for _, h := range c.RPO {
		for _, p := range c.Preds[h] {
			if c.Reachable(p) && d.Dominates(h, p) {
				stack = append(stack, p)
			}
		}
		if len(stack) == 0 {
			continue
		}
		if stamp == nil {
			stamp = takeZeroed[int32](&int32sPool, n)
			defer giveScratch(&int32sPool, stamp)
		}
		id := int32(len(loops) + 1)
		stamp[h] = id
		body := []BlockID{h}
		for len(stack) > 0 {
			x := stack[len(stack)-1]
			stack = stack[:len(stack)-1]
			if stamp[x] == id {
				continue
			}
			stamp[x] = id
			body = append(body, x)
			for _, p := range c.Preds[x] {
				if c.Reachable(p) && stamp[p] != id {
					stack = append(stack, p)
				}
			}
		}
		slices.SortFunc(body, func(a, b BlockID) int { return int(c.rpoNum[a] - c.rpoNum[b]) })
		loops = append(loops, Loop{Header: h, Blocks: body, Parent: -1})
	}
	if len(loops) == 0 {
		return lf
	}
	lf.loopOf = make([]int32, n)
	for i := range lf.loopOf {
		lf.loopOf[i] = -1
	}
	// Natural loops with different headers are disjoint or nested, and a nested loop is
	// smaller, so visiting the larger ones first leaves each block with its innermost
	// loop, and finds each loop's parent where its header was before.
	order := make([]int, len(loops))
	for i := range order {
		order[i] = i
	}
	slices.SortStableFunc(order, func(a, b int) int { return len(loops[b].Blocks) - len(loops[a].Blocks) })
	for _, li := range order {
		l := &loops[li]
		if p := lf.loopOf[l.Header]; p >= 0 {
			l.Parent = int(p)
			l.Depth = loops[p].Depth + 1
		} else {
			l.Depth = 1
		}
		for _, b := range l.Blocks {
			lf.loopOf[b] = int32(li)
		}
	}
	// Renumber so that inner loops come first: the reverse of the order above.
	newIndex := make([]int, len(loops))
	lf.Loops = make([]Loop, len(loops))
	for i, li := range order {
		newIndex[li] = len(loops) - 1 - i
	}
	for li, l := range loops {
		if l.Parent >= 0 {
			l.Parent = newIndex[l.Parent]
		}
		lf.Loops[newIndex[li]] = l
	}
	for b, li := range lf.loopOf {
		if li >= 0 {
			lf.loopOf[b] = int32(newIndex[li])
		}
	}
	return lf
}
