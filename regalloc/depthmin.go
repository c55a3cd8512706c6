package regalloc

// depthMin answers, for a range of blocks, which one has the least loop depth (the last
// one among equals), in O(log n) with a segment tree, where scanning the blocks between
// an interval's split bounds made splitting quadratic: 20,000 values spilled across
// 20,000 blocks each scanned them all.
type depthMin struct {
	n     int
	depth []int32
	tree  []int32 // tree[n+b] = b; tree[k] = the better of tree[2k] and tree[2k+1]
}

// build makes m answer for depth, in m's array when it is large enough.
func (m *depthMin) build(depth []int32) {
	n := len(depth)
	m.n, m.depth, m.tree = n, depth, resize(m.tree, 2*n)
	for b := range n {
		m.tree[n+b] = int32(b)
	}
	for k := n - 1; k > 0; k-- {
		m.tree[k] = m.better(m.tree[2*k], m.tree[2*k+1])
	}
}

// better is the block of lesser depth, or the later one if equal.
func (m *depthMin) better(x, y int32) int32 {
	if m.depth[y] < m.depth[x] || m.depth[y] == m.depth[x] && y > x {
		return y
	}
	return x
}

// last returns the last block of least depth among blocks [lo, hi), which must not be
// empty.
func (m *depthMin) last(lo, hi int) int {
	best := int32(lo)
	for l, r := lo+m.n, hi+m.n; l < r; l, r = l/2, r/2 {
		if l&1 == 1 {
			best = m.better(best, m.tree[l])
			l++
		}
		if r&1 == 1 {
			r--
			best = m.better(best, m.tree[r])
		}
	}
	return int(best)
}
