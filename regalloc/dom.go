package regalloc

// dominators returns the immediate dominator of each block, -1 for a block the entry does
// not reach and 0 for the entry itself. vertex lists the reachable blocks in the preorder of
// a depth-first search from block 0, and parent gives each one's parent in that search.
//
// This is Lengauer and Tarjan's algorithm ("A Fast Algorithm for Finding Dominators in a
// Flowgraph", 1979) with path compression alone, O(m log n): semidominators from the
// spanning tree, then immediate dominators from them. Unlike the iterative algorithm it
// has no input on which it is quadratic, and hostile modules (100,000 nested loops) are
// that input.
func dominators(n int, preds *lists[int], vertex []int, parent []int) []int {
	pre := make([]int32, n) // preorder number + 1; 0 for unreachable blocks
	for i, v := range vertex {
		pre[v] = int32(i + 1)
	}
	semi := make([]int32, n) // preorder number + 1 of the semidominator
	label := make([]int, n)
	ancestor := make([]int, n) // in the forest being linked; -1 for a root
	idom := make([]int, n)
	for i := range n {
		semi[i], label[i], ancestor[i], idom[i] = pre[i], i, -1, -1
	}
	// eval returns the block of least semidominator on the forest path above v,
	// compressing the path as it goes (iteratively: a path may be 100,000 blocks long).
	var path []int
	eval := func(v int) int {
		if ancestor[v] < 0 {
			return v
		}
		for u := v; ancestor[ancestor[u]] >= 0; u = ancestor[u] {
			path = append(path, u)
		}
		for i := len(path) - 1; i >= 0; i-- {
			u := path[i]
			a := ancestor[u]
			if semi[label[a]] < semi[label[u]] {
				label[u] = label[a]
			}
			ancestor[u] = ancestor[a]
		}
		path = path[:0]
		return label[v]
	}
	bucket := make([][]int, n)
	for i := len(vertex) - 1; i > 0; i-- {
		w := vertex[i]
		for _, v := range preds.at(w) {
			if pre[v] == 0 {
				continue
			}
			if u := eval(v); semi[u] < semi[w] {
				semi[w] = semi[u]
			}
		}
		s := vertex[semi[w]-1]
		bucket[s] = append(bucket[s], w)
		p := parent[w]
		ancestor[w] = p
		for _, v := range bucket[p] {
			if u := eval(v); semi[u] < semi[v] {
				idom[v] = u
			} else {
				idom[v] = p
			}
		}
		bucket[p] = nil
	}
	for _, w := range vertex[1:] {
		if idom[w] != vertex[semi[w]-1] {
			idom[w] = idom[idom[w]]
		}
	}
	idom[0] = 0
	return idom
}

// domTree is the dominator tree of a CFG, numbered so that dominance is a comparison, with
// the postorder of the depth-first search it came from.
type domTree struct {
	idom      []int   // immediate dominator; -1 if unreachable, 0 for the entry
	pre, post []int32 // of each block in a depth-first walk of the dominator tree
	postorder []int   // reachable blocks in the postorder of a depth-first search of the CFG
}

// newDomTree computes the dominator tree of the CFG of n blocks whose entry is block 0.
func newDomTree(n int, preds, succs *lists[int]) *domTree {
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
		if ss := succs.at(top.b); top.next < len(ss) {
			s := ss[top.next]
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
	return &domTree{idom: idom, pre: pre, post: post, postorder: order}
}

// dominates reports whether h dominates b; nothing dominates an unreachable block.
func (t *domTree) dominates(h, b int) bool {
	return t.idom[b] >= 0 && t.idom[h] >= 0 && t.pre[h] <= t.pre[b] && t.post[b] <= t.post[h]
}
