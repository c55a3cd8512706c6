package ir

// CFG is a function's control-flow graph: successors and predecessors per block, and a
// reverse postorder of the blocks reachable from the entry. Get it from [Func.CFG].
type CFG struct {
	// Succs lists each block's successors, indexed by BlockID: one entry per target of
	// its terminator, in order, so a brif to the same block twice lists it twice.
	Succs [][]BlockID
	// Preds lists each block's predecessors, indexed by BlockID: one entry per branch
	// target naming the block, in layout order.
	Preds [][]BlockID
	// RPO lists the blocks reachable from the entry in reverse postorder: every block
	// comes after its dominators.
	RPO []BlockID

	rpoNum []int32 // position in RPO, indexed by BlockID; -1 when unreachable
}

// Reachable reports whether b can be reached from the entry block.
func (c *CFG) Reachable(b BlockID) bool {
	return int(b) < len(c.rpoNum) && c.rpoNum[b] >= 0
}

// cfgCache holds a function's CFG with the edge list it was computed from. Every
// [Func.CFG] call compares that list with the function's current blocks and branches in
// O(blocks + edges), so no edit, through the Builder or not, can leave it stale.
type cfgCache struct {
	cfg *CFG
	key []BlockID // layout and targets, as cfgKey writes them
	gen uint64    // bumped whenever cfg is recomputed; caches built on it compare it
}

// cfgKey walks the function's layout and branch targets in order, handing each to emit;
// emit returns false to stop early. Each block contributes its number, its targets'
// numbers, then NoBlock; the key starts with the number of blocks.
func (f *Func) cfgKey(emit func(BlockID) bool) bool {
	if !emit(BlockID(len(f.Blocks))) {
		return false
	}
	for _, b := range f.Layout {
		if !emit(b) {
			return false
		}
		if t := f.Terminator(b); t != nil {
			for _, bc := range t.Targets {
				if !emit(bc.Block) {
					return false
				}
			}
		}
		if !emit(NoBlock) {
			return false
		}
	}
	return true
}

// CFG returns the function's control-flow graph, recomputing it only if blocks or
// branches changed since the last call. The result must not be modified.
func (f *Func) CFG() *CFG {
	c := &f.cfg
	if c.cfg != nil {
		i := 0
		same := f.cfgKey(func(b BlockID) bool {
			if i >= len(c.key) || c.key[i] != b {
				return false
			}
			i++
			return true
		})
		if same && i == len(c.key) {
			return c.cfg
		}
	}
	c.key = c.key[:0]
	f.cfgKey(func(b BlockID) bool { c.key = append(c.key, b); return true })
	c.cfg = f.computeCFG()
	c.gen++
	return c.cfg
}

func (f *Func) computeCFG() *CFG {
	n := len(f.Blocks)
	c := &CFG{Succs: make([][]BlockID, n), Preds: make([][]BlockID, n), rpoNum: make([]int32, n)}
	inLayout := make([]bool, n)
	for _, b := range f.Layout {
		if int(b) < n {
			inLayout[b] = true
		}
	}
	seen := make([]bool, n)
	for _, b := range f.Layout {
		if int(b) >= n || seen[b] {
			continue // a bad layout: the verifier reports it
		}
		seen[b] = true
		t := f.Terminator(b)
		if t == nil {
			continue
		}
		for _, bc := range t.Targets {
			if int(bc.Block) < n && inLayout[bc.Block] {
				c.Succs[b] = append(c.Succs[b], bc.Block)
				c.Preds[bc.Block] = append(c.Preds[bc.Block], b)
			}
		}
	}
	for i := range c.rpoNum {
		c.rpoNum[i] = -1
	}
	entry := f.Entry()
	if entry == NoBlock || int(entry) >= n {
		return c
	}
	// Iterative depth-first search; postorder reversed is the RPO.
	post := make([]BlockID, 0, n)
	visited := make([]bool, n)
	type frame struct {
		b    BlockID
		next int
	}
	stack := []frame{{entry, 0}}
	visited[entry] = true
	for len(stack) > 0 {
		top := &stack[len(stack)-1]
		if top.next < len(c.Succs[top.b]) {
			s := c.Succs[top.b][top.next]
			top.next++
			if !visited[s] {
				visited[s] = true
				stack = append(stack, frame{s, 0})
			}
			continue
		}
		post = append(post, top.b)
		stack = stack[:len(stack)-1]
	}
	c.RPO = make([]BlockID, len(post))
	for i, b := range post {
		j := len(post) - 1 - i
		c.RPO[j] = b
		c.rpoNum[b] = int32(j)
	}
	return c
}
