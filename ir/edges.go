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
// stay valid while no instruction is added to f and no terminator's targets change.
func inEdges(f *Func) *edgeIndex {
	n := len(f.Blocks)
	e := &edgeIndex{start: make([]int32, n+1)}
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
	e.calls = make([]*BlockCall, e.start[n])
	fill := make([]int32, n)
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
	return e
}

// into returns the branch targets that go to block b.
func (e *edgeIndex) into(b BlockID) []*BlockCall {
	return e.calls[e.start[b]:e.start[b+1]]
}
