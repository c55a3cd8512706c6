package ir

import "slices"

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

// Reachable returns, for each block, whether it is reachable from the entry, as
// [CFG.Reachable] says, without building the CFG: instruction selection needs no more of
// it, and at -O0, where no pass has built it, the CFG of a huge function (a list of
// successors and one of predecessors a block, the order, the cache's key) was selection's
// largest allocation (issue 19).
func (f *Func) Reachable() []bool {
	n := len(f.Blocks)
	reach := make([]bool, n)
	entry := f.Entry()
	if entry == NoBlock || int(entry) >= n {
		return reach
	}
	// The CFG's edges are those between blocks in the layout.
	inLayout := f.inLayout()
	defer giveScratch(&boolsPool, inLayout)
	reach[entry] = true
	var buf [64]BlockID // the stack, on the goroutine's own for most functions
	stack := append(buf[:0], entry)
	for len(stack) > 0 {
		b := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		t := f.Terminator(b)
		if !inLayout[b] || t == nil {
			continue
		}
		for _, bc := range t.Targets {
			if s := bc.Block; int(s) < n && inLayout[s] && !reach[s] {
				reach[s] = true
				stack = append(stack, s)
			}
		}
	}
	return reach
}

// inLayout returns, for each block, whether it is in the layout, in an array from
// boolsPool that the caller gives back.
func (f *Func) inLayout() []bool {
	in := takeZeroed[bool](&boolsPool, len(f.Blocks))
	for _, b := range f.Layout {
		if int(b) < len(in) {
			in[b] = true
		}
	}
	return in
}

// reversePostorder returns the blocks reachable from the entry in the order of
// [CFG.RPO], walking the branches in the order computeCFG lists them, rather than
// building the CFG: a pass that needs only the order (Fold) then builds no CFG that its
// own changes would make stale (issue 19).
func (f *Func) reversePostorder() []BlockID {
	n := len(f.Blocks)
	entry := f.Entry()
	if entry == NoBlock || int(entry) >= n {
		return nil
	}
	// A block's successors in the CFG are its terminator's targets in the layout, if it
	// is in the layout itself. One array says both whether a block is in the layout and
	// whether the walk reached it, and each frame keeps the targets it has yet to visit,
	// so that a block's terminator is looked up once rather than once per target: the
	// walk was three times the cost per branch of comparing the CFG's key (issue 21).
	const inLayout, visited = 1, 2
	state := takeZeroed[uint8](&bytesPool, n)
	defer giveScratch(&bytesPool, state)
	for _, b := range f.Layout {
		if int(b) < n {
			state[b] = inLayout
		}
	}
	post := make([]BlockID, 0, len(f.Layout))
	var buf [32]rpoFrame // the stack, on the goroutine's own for most functions
	stack := append(buf[:0], rpoFrame{entry, f.layoutTargets(entry, state)})
	state[entry] = visited
	for len(stack) > 0 {
		top := &stack[len(stack)-1]
		if len(top.targets) > 0 {
			s := top.targets[0].Block
			top.targets = top.targets[1:]
			if int(s) < n && state[s] == inLayout {
				stack = append(stack, rpoFrame{s, f.layoutTargets(s, state)})
				state[s] = visited
			}
			continue
		}
		post = append(post, top.b)
		stack = stack[:len(stack)-1]
	}
	slices.Reverse(post)
	return post
}

// layoutTargets returns the targets of b's terminator, or none when b has none or is
// not in the layout (state[b] is 0: see reversePostorder).
func (f *Func) layoutTargets(b BlockID, state []uint8) []BlockCall {
	if state[b] == 0 {
		return nil
	}
	if t := f.Terminator(b); t != nil {
		return t.Targets
	}
	return nil
}

// rpoFrame is a block of reversePostorder's path, with the targets of its terminator it
// has yet to visit.
type rpoFrame struct {
	b       BlockID
	targets []BlockCall
}

// dfsFrame is a block of a depth-first search's path, with the index of the next of
// its successors to visit.
type dfsFrame struct {
	b    BlockID
	next int
}

// cfgCache holds a function's CFG with the edge list it was computed from. Every
// [Func.CFG] call compares that list with the function's current blocks and branches in
// O(blocks + edges), so no edit, through the Builder or not, can leave it stale.
type cfgCache struct {
	cfg *CFG
	key []BlockID // layout and targets, as appendCFGKey writes them
	gen uint64    // bumped whenever cfg is recomputed; caches built on it compare it
	// compares counts the comparisons of key with the function, each a walk over every
	// branch, for TestPassesCompareCFGOnce.
	compares int
	pass     int32      // the number of the pipeline pass running, from 1; 0 outside one
	handoff  cfgHandoff // what the last pass left known (cfg_handoff.go)
}

// The key of a function's CFG lists, in layout order, each block's number, its
// terminator's target numbers, then NoBlock; it starts with the number of blocks.
// appendCFGKey writes it and cfgKeySame compares with it. They are plain loops rather than
// one walk with a callback per element, because [Func.CFG] runs the comparison on every
// call and the callback cost a third of the -O2 pass time.

// appendCFGKey appends the function's current key to key.
func (f *Func) appendCFGKey(key []BlockID) []BlockID {
	key = append(key, BlockID(len(f.Blocks)))
	for _, b := range f.Layout {
		key = append(key, b)
		if t := f.Terminator(b); t != nil {
			for _, bc := range t.Targets {
				key = append(key, bc.Block)
			}
		}
		key = append(key, NoBlock)
	}
	return key
}

// cfgKeySame reports whether key equals what appendCFGKey would write now.
func (f *Func) cfgKeySame(key []BlockID) bool {
	f.cfg.compares++
	if len(key) == 0 || key[0] != BlockID(len(f.Blocks)) {
		return false
	}
	i := 1
	for _, b := range f.Layout {
		if i >= len(key) || key[i] != b {
			return false
		}
		i++
		if t := f.Terminator(b); t != nil {
			for _, bc := range t.Targets {
				if i >= len(key) || key[i] != bc.Block {
					return false
				}
				i++
			}
		}
		if i >= len(key) || key[i] != NoBlock {
			return false
		}
		i++
	}
	return i == len(key)
}

// CFG returns the function's control-flow graph, recomputing it only if blocks or
// branches changed since the last call. The result must not be modified.
func (f *Func) CFG() *CFG {
	c := &f.cfg
	if h, ok := f.takeHandoff(); ok && h.cfg {
		return c.cfg
	}
	if c.cfg != nil && f.cfgKeySame(c.key) {
		return c.cfg
	}
	c.key = f.appendCFGKey(c.key[:0])
	c.cfg = f.computeCFG()
	c.gen++
	return c.cfg
}

func (f *Func) computeCFG() *CFG {
	n := len(f.Blocks)
	// Succs and Preds share one array, as the two edge lists share one slab below: a
	// CFG is a handful of allocations rather than one per list (issue 21).
	lists := make([][]BlockID, 2*n)
	c := &CFG{Succs: lists[:n:n], Preds: lists[n:], rpoNum: make([]int32, n)}
	// The temporary array comes from the scratch pools: a CFG is built many times per
	// function at -O2. One byte per block says whether it is in the layout and whether
	// each of the two edge walks below has seen it, so nothing is cleared between them;
	// the walks are plain loops, not a closure calling a visitor per edge (issue 21).
	const inLayout, seen1, seen2 = 1, 2, 4
	state := takeZeroed[uint8](&bytesPool, n)
	defer giveScratch(&bytesPool, state)
	for _, b := range f.Layout {
		if int(b) < n {
			state[b] = inLayout
		}
	}
	// Two walks over the edges: the first counts them per block, the second fills Succs
	// and Preds carved from one slab each, instead of growing two slices per block.
	// Blocks without edges keep nil lists, as before. A block listed twice in a bad
	// layout (the verifier reports it) is walked once.
	counts := takeZeroed[int32](&int32sPool, 2*n)
	defer giveScratch(&int32sPool, counts)
	nsucc, npred := counts[:n], counts[n:]
	total := 0
	for _, b := range f.Layout {
		if int(b) >= n || state[b]&seen1 != 0 {
			continue
		}
		state[b] |= seen1
		t := f.Terminator(b)
		if t == nil {
			continue
		}
		for _, bc := range t.Targets {
			if s := bc.Block; int(s) < n && state[s]&inLayout != 0 {
				nsucc[b]++
				npred[s]++
				total++
			}
		}
	}
	slab := make([]BlockID, 2*total)
	succSlab, predSlab := slab[:total:total], slab[total:]
	for b, i, j := 0, 0, 0; b < n; b++ {
		if k := int(nsucc[b]); k > 0 {
			c.Succs[b] = succSlab[i : i : i+k]
			i += k
		}
		if k := int(npred[b]); k > 0 {
			c.Preds[b] = predSlab[j : j : j+k]
			j += k
		}
	}
	for _, b := range f.Layout {
		if int(b) >= n || state[b]&seen2 != 0 {
			continue
		}
		state[b] |= seen2
		t := f.Terminator(b)
		if t == nil {
			continue
		}
		for _, bc := range t.Targets {
			if s := bc.Block; int(s) < n && state[s]&inLayout != 0 {
				c.Succs[b] = append(c.Succs[b], s)
				c.Preds[s] = append(c.Preds[s], b)
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
	// Iterative depth-first search; postorder reversed is the RPO. A visited block's
	// rpoNum is -2 until it is numbered.
	post := make([]BlockID, 0, n)
	var buf [32]dfsFrame // the stack, on the goroutine's own for most functions
	stack := append(buf[:0], dfsFrame{entry, 0})
	c.rpoNum[entry] = -2
	for len(stack) > 0 {
		top := &stack[len(stack)-1]
		if top.next < len(c.Succs[top.b]) {
			s := c.Succs[top.b][top.next]
			top.next++
			if c.rpoNum[s] == -1 {
				c.rpoNum[s] = -2
				stack = append(stack, dfsFrame{s, 0})
			}
			continue
		}
		post = append(post, top.b)
		stack = stack[:len(stack)-1]
	}
	slices.Reverse(post)
	c.RPO = post
	for j, b := range post {
		c.rpoNum[b] = int32(j)
	}
	return c
}
