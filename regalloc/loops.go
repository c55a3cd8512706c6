package regalloc

// loopDepths computes, from the CFG alone, how many natural loops contain each block. The
// backend need not supply loop information. Dominators come from the iterative algorithm of
// Cooper, Harvey and Kennedy ("A Simple, Fast Dominance Algorithm", 2001); a back edge is an
// edge to a dominator, and its natural loop is everything that reaches the edge's source
// without passing the header. Loops sharing a header count once. Blocks in irreducible cycles
// and unreachable blocks get no depth for those cycles: depth only steers split positions.
func loopDepths(n int, preds, succs [][]int) []int32 {
	// Reverse postorder from the entry, iteratively.
	order := make([]int, 0, n) // postorder
	rpoNum := make([]int, n)
	for i := range rpoNum {
		rpoNum[i] = -1
	}
	type frame struct{ b, next int }
	visited := make([]bool, n)
	stack := []frame{{0, 0}}
	visited[0] = true
	for len(stack) > 0 {
		top := &stack[len(stack)-1]
		if top.next < len(succs[top.b]) {
			s := succs[top.b][top.next]
			top.next++
			if !visited[s] {
				visited[s] = true
				stack = append(stack, frame{s, 0})
			}
			continue
		}
		order = append(order, top.b)
		stack = stack[:len(stack)-1]
	}
	for i, b := range order {
		rpoNum[b] = len(order) - 1 - i
	}

	idom := make([]int, n)
	for i := range idom {
		idom[i] = -1
	}
	idom[0] = 0
	intersect := func(x, y int) int {
		for x != y {
			for rpoNum[x] > rpoNum[y] {
				x = idom[x]
			}
			for rpoNum[y] > rpoNum[x] {
				y = idom[y]
			}
		}
		return x
	}
	for changed := true; changed; {
		changed = false
		for i := len(order) - 1; i >= 0; i-- {
			b := order[i]
			if b == 0 {
				continue
			}
			nd := -1
			for _, p := range preds[b] {
				if idom[p] < 0 {
					continue
				}
				if nd < 0 {
					nd = p
				} else {
					nd = intersect(p, nd)
				}
			}
			if nd != idom[b] {
				idom[b] = nd
				changed = true
			}
		}
	}
	dominates := func(h, b int) bool {
		for {
			if b == h {
				return true
			}
			if b == 0 || idom[b] < 0 {
				return false
			}
			b = idom[b]
		}
	}

	depth := make([]int32, n)
	mark := make([]int, n) // header+1 that last marked the block
	var work []int
	for h := 0; h < n; h++ {
		if idom[h] < 0 {
			continue
		}
		work = work[:0]
		for _, p := range preds[h] {
			if idom[p] >= 0 && dominates(h, p) {
				work = append(work, p)
			}
		}
		if len(work) == 0 {
			continue
		}
		mark[h] = h + 1
		depth[h]++
		for len(work) > 0 {
			b := work[len(work)-1]
			work = work[:len(work)-1]
			if mark[b] == h+1 {
				continue
			}
			mark[b] = h + 1
			depth[b]++
			for _, p := range preds[b] {
				if idom[p] >= 0 && mark[p] != h+1 {
					work = append(work, p)
				}
			}
		}
	}
	return depth
}
