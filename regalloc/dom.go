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
func dominators(n int, preds [][]int, vertex []int, parent []int) []int {
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
		for _, v := range preds[w] {
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
