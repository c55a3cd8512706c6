package regalloc

// loopDepths computes, from the CFG alone, how many natural loops contain each block. The
// backend need not supply loop information. Dominators come from Lengauer and Tarjan
// (dom.go), which stays near-linear on 100,000 nested loops where the iterative algorithm
// of Cooper, Harvey and Kennedy is quadratic; a back edge is an
// edge to a dominator, and its natural loop is everything that reaches the edge's source
// without passing the header. Loops sharing a header count once. Blocks in irreducible cycles
// and unreachable blocks get no depth for those cycles: depth only steers split positions.
func loopDepths(n int, preds, succs [][]int) []int32 {
	// A depth-first search from the entry, iteratively: its postorder orders the loops
	// (inner headers first), its preorder and spanning tree feed the dominators.
	order := make([]int, 0, n) // postorder
	type frame struct{ b, next int }
	visited := make([]bool, n)
	stack := []frame{{0, 0}}
	visited[0] = true
	vertex := []int{0}          // blocks in preorder
	dfsParent := make([]int, n) // in the depth-first spanning tree
	for len(stack) > 0 {
		top := &stack[len(stack)-1]
		if top.next < len(succs[top.b]) {
			s := succs[top.b][top.next]
			top.next++
			if !visited[s] {
				visited[s] = true
				dfsParent[s] = top.b
				vertex = append(vertex, s)
				stack = append(stack, frame{s, 0})
			}
			continue
		}
		order = append(order, top.b)
		stack = stack[:len(stack)-1]
	}

	idom := dominators(n, preds, vertex, dfsParent)
	// Dominance queries in O(1): pre- and postorder numbers of the dominator tree.
	children := make([][]int32, n)
	for b := 1; b < n; b++ {
		if idom[b] >= 0 {
			children[idom[b]] = append(children[idom[b]], int32(b))
		}
	}
	pre, post := make([]int32, n), make([]int32, n)
	var clock int32
	type dframe struct {
		b    int32
		next int
	}
	dstack := []dframe{{0, 0}}
	pre[0] = clock
	for len(dstack) > 0 {
		top := &dstack[len(dstack)-1]
		if top.next < len(children[top.b]) {
			c := children[top.b][top.next]
			top.next++
			clock++
			pre[c] = clock
			dstack = append(dstack, dframe{c, 0})
			continue
		}
		clock++
		post[top.b] = clock
		dstack = dstack[:len(dstack)-1]
	}
	dominates := func(h, b int) bool {
		return idom[b] >= 0 && pre[h] <= pre[b] && post[b] <= post[h]
	}

	// Natural loops, innermost first (a header comes after the headers that dominate it
	// in reverse postorder), each collapsed into its header with union-find once walked,
	// so that an enclosing loop's walk steps over it in one step: nested loops cost their
	// blocks once, not once per level (Havlak, "Nesting of reducible and irreducible
	// loops", 1997, without the irreducible part).
	rep := make([]int32, n) // union-find: the outermost header walked so far that holds b
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
	inner := make([]int32, n)  // the innermost loop header holding b, or -1
	parent := make([]int32, n) // a header's enclosing loop header, or -1
	for i := range inner {
		inner[i], parent[i] = -1, -1
	}
	mark := make([]int, n) // header+1 that last walked the block
	var work []int
	for _, h := range order { // postorder: inner headers first
		work = work[:0]
		for _, p := range preds[h] {
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
			for _, p := range preds[b] {
				if dominates(h, p) && mark[find(p)] != h+1 {
					work = append(work, p)
				}
			}
		}
	}
	// A header's depth is one more than its enclosing loop's; outer headers come first in
	// reverse postorder.
	depth := make([]int32, n)
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
	return depth
}
