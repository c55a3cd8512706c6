package regalloc

// dominators returns the immediate dominator of each block, -1 for a block the entry does
// not reach and 0 for the entry itself. vertex lists the reachable blocks in the preorder of
// a depth-first search from block 0, and parent gives each one's parent in that search.
//
// This is Lengauer and Tarjan's algorithm ("A Fast Algorithm for Finding Dominators in a
// Flowgraph", 1979) with path compression alone, O(m log n): semidominators from the
// spanning tree, then immediate dominators from them. Unlike the iterative algorithm it
// has no input on which it is quadratic, and hostile modules (100,000 nested loops) are
// that input. Its arrays are t's, reused from the function before (issue 21).
func (t *domTree) dominators(n int, preds *lists[int], vertex []int, parent []int) []int {
	t.pre = resize(t.pre, n) // preorder number + 1; 0 for unreachable blocks
	pre := t.pre
	for i, v := range vertex {
		pre[v] = int32(i + 1)
	}
	t.semi = resize(t.semi, n) // preorder number + 1 of the semidominator
	t.label = resize(t.label, n)
	t.ancestor = resize(t.ancestor, n) // in the forest being linked; -1 for a root
	t.idom = resize(t.idom, n)
	semi, label, ancestor, idom := t.semi, t.label, t.ancestor, t.idom
	for i := range n {
		semi[i], label[i], ancestor[i], idom[i] = pre[i], i, -1, -1
	}
	// eval returns the block of least semidominator on the forest path above v,
	// compressing the path as it goes (iteratively: a path may be 100,000 blocks long).
	path := t.path[:0]
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
	// Each block's bucket is a linked list through two arrays: bucket[s] is 1 + the last
	// block added to s's, and inBucket[w] 1 + the one added before w (0: none). A slice
	// per block, kept for the next function, cost a write barrier for each append and
	// each emptying while the collector ran, and the dominators a tenth more (issue 21);
	// the order in which a bucket is taken changes no immediate dominator.
	t.bucket, t.inBucket = resize(t.bucket, n), resize(t.inBucket, n)
	bucket, inBucket := t.bucket, t.inBucket
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
		inBucket[w], bucket[s] = bucket[s], int32(w)+1
		p := parent[w]
		ancestor[w] = p
		for k := bucket[p]; k != 0; k = inBucket[k-1] {
			v := int(k - 1)
			if u := eval(v); semi[u] < semi[v] {
				idom[v] = u
			} else {
				idom[v] = p
			}
		}
		bucket[p] = 0
	}
	for _, w := range vertex[1:] {
		if idom[w] != vertex[semi[w]-1] {
			idom[w] = idom[idom[w]]
		}
	}
	idom[0] = 0
	t.path = path
	return idom
}

// domTree is the dominator tree of a CFG, numbered so that dominance is a comparison, with
// the postorder of the depth-first search it came from. Its arrays, and the scratch space
// of its computation, are reused when it is built again for another function.
type domTree struct {
	idom      []int   // immediate dominator; -1 if unreachable, 0 for the entry
	pre, post []int32 // of each block in a depth-first walk of the dominator tree
	postorder []int   // reachable blocks in the postorder of a depth-first search of the CFG

	// Scratch.
	visited                []bool
	stack                  []domFrame
	vertex, dfsParent      []int
	semi                   []int32
	label, ancestor, path  []int
	bucket, inBucket       []int32
	childStart, childNext  []int32
	children               []int32
	dstack                 []domFrame
	loopRep, inner, parent []int32
	mark, work             []int
	depth                  []int32
}

type domFrame struct{ b, next int }

// newDomTree computes the dominator tree of the CFG of n blocks whose entry is block 0.
func newDomTree(n int, preds, succs *lists[int]) *domTree {
	t := &domTree{}
	t.build(n, preds, succs)
	return t
}

// build computes t as the dominator tree of the CFG of n blocks whose entry is block 0.
func (t *domTree) build(n int, preds, succs *lists[int]) {
	// A depth-first search from the entry, iteratively: its postorder orders the loops
	// (inner headers first), its preorder and spanning tree feed the dominators.
	order := t.postorder[:0]
	t.visited = resize(t.visited, n)
	visited := t.visited
	stack := append(t.stack[:0], domFrame{0, 0})
	visited[0] = true
	vertex := append(t.vertex[:0], 0) // blocks in preorder
	t.dfsParent = resize(t.dfsParent, n)
	dfsParent := t.dfsParent // in the depth-first spanning tree
	// The successor lists' arrays in locals: the walk reloaded them through succs
	// at each step (issue 21). top.next counts from the block's first edge.
	succStart, succAll := succs.start, succs.all
	for len(stack) > 0 {
		top := &stack[len(stack)-1]
		if e := int(succStart[top.b]) + top.next; e < int(succStart[top.b+1]) {
			s := succAll[e]
			top.next++
			if !visited[s] {
				visited[s] = true
				dfsParent[s] = top.b
				vertex = append(vertex, s)
				stack = append(stack, domFrame{s, 0})
			}
			continue
		}
		order = append(order, top.b)
		stack = stack[:len(stack)-1]
	}
	t.stack, t.vertex, t.postorder = stack, vertex, order

	idom := t.dominators(n, preds, vertex, dfsParent)
	// Dominance queries in O(1): pre- and postorder numbers of the dominator tree, whose
	// children are listed by counting sort, each block's in increasing order.
	t.childStart = resize(t.childStart, n+1)
	for b := 1; b < n; b++ {
		if idom[b] >= 0 {
			t.childStart[idom[b]+1]++
		}
	}
	for b := range n {
		t.childStart[b+1] += t.childStart[b]
	}
	t.children = resize(t.children, int(t.childStart[n]))
	t.childNext = append(t.childNext[:0], t.childStart[:n]...)
	for b := 1; b < n; b++ {
		if p := idom[b]; p >= 0 {
			t.children[t.childNext[p]] = int32(b)
			t.childNext[p]++
		}
	}
	childStart, children := t.childStart, t.children
	t.pre, t.post = resize(t.pre, n), resize(t.post, n)
	pre, post := t.pre, t.post
	var clock int32
	dstack := append(t.dstack[:0], domFrame{0, 0})
	pre[0] = clock
	for len(dstack) > 0 {
		top := &dstack[len(dstack)-1]
		if cs := children[childStart[top.b]:childStart[top.b+1]]; top.next < len(cs) {
			c := cs[top.next]
			top.next++
			clock++
			pre[c] = clock
			dstack = append(dstack, domFrame{int(c), 0})
			continue
		}
		clock++
		post[top.b] = clock
		dstack = dstack[:len(dstack)-1]
	}
	t.dstack = dstack
}

// dominates reports whether h dominates b; nothing dominates an unreachable block.
func (t *domTree) dominates(h, b int) bool {
	return t.idom[b] >= 0 && t.idom[h] >= 0 && t.pre[h] <= t.pre[b] && t.post[b] <= t.post[h]
}
