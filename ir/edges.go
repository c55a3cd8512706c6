package ir

// edgeIndex lists the branches into each block: for a pass that looks at what the edges
// into a block pass it, and would otherwise walk every target of every predecessor, as
// many times as the block has parameters. Go's dispatch loops make that quadratic: their
// head is a predecessor with a brtable over hundreds of blocks, and each of those blocks
// would walk the whole table (issue 21).
type edgeIndex struct {
	start []int32      // by BlockID: where its edges begin in calls; one more at the end
	calls []*BlockCall // the branch targets, grouped by the block they go to
}

// inEdges indexes the branches of f's laid-out blocks by their target. The pointers
// stay valid while no instruction is added to f and no terminator's targets change. The
// pass gives its arrays back with release when it is done with it.
func inEdges(f *Func) *edgeIndex {
	n := len(f.Blocks)
	e := &edgeIndex{start: takeScratch[int32](&int32sPool, n+1, 0)}
	clear(e.start)
	for _, b := range f.Layout {
		if t := f.Terminator(b); t != nil {
			for _, bc := range t.Targets {
				e.start[bc.Block+1]++
			}
		}
	}
	for b := range n {
		e.start[b+1] += e.start[b]
	}
	e.calls = takeScratch[*BlockCall](&callsPool, int(e.start[n]), 0)
	fill := takeScratch[int32](&int32sPool, n, 0)
	copy(fill, e.start[:n])
	for _, b := range f.Layout {
		if t := f.Terminator(b); t != nil {
			for i := range t.Targets {
				s := t.Targets[i].Block
				e.calls[fill[s]] = &t.Targets[i]
				fill[s]++
			}
		}
	}
	giveScratch(&int32sPool, fill)
	return e
}

// release gives e's arrays back; e is not used after.
func (e *edgeIndex) release() {
	if e == nil {
		return
	}
	giveScratch(&int32sPool, e.start)
	clear(e.calls) // the pool keeps no instruction's targets alive
	giveScratch(&callsPool, e.calls)
	*e = edgeIndex{}
}

// into returns the branch targets that go to block b.
func (e *edgeIndex) into(b BlockID) []*BlockCall {
	return e.calls[e.start[b]:e.start[b+1]]
}
