package regalloc

// loopDepths computes, from the CFG alone, how many natural loops contain each block. The
// backend need not supply loop information. Dominators come from Lengauer and Tarjan
// (dom.go), which stays near-linear on 100,000 nested loops where the iterative algorithm
// of Cooper, Harvey and Kennedy is quadratic; a back edge is an
// edge to a dominator, and its natural loop is everything that reaches the edge's source
// without passing the header. Loops sharing a header count once. Blocks in irreducible cycles
// and unreachable blocks get no depth for those cycles: depth only steers split positions.
func loopDepths(n int, preds, succs [][]int) []int32 {
	p, s := listsOf(preds), listsOf(succs)
	depth, _, _ := newDomTree(n, &p, &s).loops(&p)
	return depth
}

// loops is loopDepths on the CFG whose dominator tree is t, and also, per block, the
// header of the innermost loop holding it (the block itself for a header) or -1, and per
// header, the header of the loop enclosing it or -1. The arrays are t's, valid until t is
// built again.
func (t *domTree) loops(preds *lists[int]) (depth, header, parent []int32) {
	n, order, dominates := len(t.idom), t.postorder, t.dominates
	// Natural loops, innermost first (a header comes after the headers that dominate it
	// in reverse postorder), each collapsed into its header with union-find once walked,
	// so that an enclosing loop's walk steps over it in one step: nested loops cost their
	// blocks once, not once per level (Havlak, "Nesting of reducible and irreducible
	// loops", 1997, without the irreducible part).
	t.loopRep = resize(t.loopRep, n) // union-find: the outermost header walked so far that holds b
	rep := t.loopRep
	for i := range rep {
		rep[i] = int32(i)
	}
	find := func(b int) int {
		for int(rep[b]) != b {
			rep[b] = rep[rep[b]]
			b = int(rep[b])
		}
		return b
	}
	t.inner, t.parent = resize(t.inner, n), resize(t.parent, n)
	inner := t.inner  // the innermost loop header holding b, or -1
	parent = t.parent // a header's enclosing loop header, or -1
	for i := range inner {
		inner[i], parent[i] = -1, -1
	}
	t.mark = resize(t.mark, n)
	mark := t.mark // header+1 that last walked the block
	work := t.work[:0]
	for _, h := range order { // postorder: inner headers first
		work = work[:0]
		for _, p := range preds.at(h) {
			if dominates(h, p) {
				work = append(work, p)
			}
		}
		if len(work) == 0 {
			continue
		}
		inner[h] = int32(h)
		mark[h] = h + 1
		for len(work) > 0 {
			b := find(work[len(work)-1])
			work = work[:len(work)-1]
			if mark[b] == h+1 {
				continue
			}
			mark[b] = h + 1
			if inner[b] == int32(b) { // an inner loop's header: that loop is inside h's
				parent[b] = int32(h)
			} else {
				inner[b] = int32(h)
			}
			rep[b] = int32(h)
			for _, p := range preds.at(b) {
				if dominates(h, p) && mark[find(p)] != h+1 {
					work = append(work, p)
				}
			}
		}
	}
	// A header's depth is one more than its enclosing loop's; outer headers come first in
	// reverse postorder.
	t.work = work
	t.depth = resize(t.depth, n)
	depth = t.depth
	for i := len(order) - 1; i >= 0; i-- {
		if h := order[i]; inner[h] == int32(h) {
			depth[h] = 1
			if parent[h] >= 0 {
				depth[h] += depth[parent[h]]
			}
		}
	}
	for b := range depth {
		if h := inner[b]; h >= 0 && h != int32(b) {
			depth[b] = depth[h]
		}
	}
	return depth, inner, parent
}
