package ir

// DomTree is a function's dominator tree over the blocks reachable from the entry,
// computed with the iterative algorithm of Cooper, Harvey and Kennedy ("A Simple, Fast
// Dominance Algorithm", 2001). Get it from [Func.Dom].
type DomTree struct {
	idom     []BlockID // indexed by BlockID; NoBlock for the entry and unreachable blocks
	children [][]BlockID
	pre      []int32 // preorder number in the tree, -1 when unreachable
	post     []int32 // postorder number in the tree
}

// domCache holds the dominator tree with the CFG generation it was built from.
type domCache struct {
	tree *DomTree
	gen  uint64
}

// Dom returns the dominator tree, recomputing it only if the CFG changed since it was
// built (see [Func.CFG]); callers never refresh it. The result must not be modified.
func (f *Func) Dom() *DomTree {
	f.CFG()
	return f.domCurrent()
}

// domCurrent is Dom for a caller that has just had the CFG from [Func.CFG] (or
// reachableCFG) and changed no block or branch since: it trusts the cached CFG rather
// than compare its key with every branch again, which cost more than all the lookups
// it guarded when a pass asked for the CFG, the dominators and the loops in a row
// (issue 21).
func (f *Func) domCurrent() *DomTree {
	if f.dom.tree != nil && f.dom.gen == f.cfg.gen {
		return f.dom.tree
	}
	f.dom.tree = computeDom(f.cfg.cfg, len(f.Blocks))
	f.dom.gen = f.cfg.gen
	return f.dom.tree
}

func computeDom(c *CFG, n int) *DomTree {
	d := &DomTree{idom: make([]BlockID, n), children: make([][]BlockID, n), pre: make([]int32, n), post: make([]int32, n)}
	for i := range d.idom {
		d.idom[i] = NoBlock
		d.pre[i] = -1
		d.post[i] = -1
	}
	if len(c.RPO) == 0 {
		return d
	}
	entry := c.RPO[0]
	d.idom[entry] = entry
	intersect := func(a, b BlockID) BlockID {
		for a != b {
			for c.rpoNum[a] > c.rpoNum[b] {
				a = d.idom[a]
			}
			for c.rpoNum[b] > c.rpoNum[a] {
				b = d.idom[b]
			}
		}
		return a
	}
	for changed := true; changed; {
		changed = false
		for _, b := range c.RPO[1:] {
			idom := NoBlock
			for _, p := range c.Preds[b] {
				if c.rpoNum[p] < 0 || d.idom[p] == NoBlock {
					continue
				}
				if idom == NoBlock {
					idom = p
				} else {
					idom = intersect(p, idom)
				}
			}
			if d.idom[b] != idom {
				d.idom[b] = idom
				changed = true
			}
		}
	}
	d.idom[entry] = NoBlock
	// The children lists are carved from one slab, counted first, rather than grown by
	// append one list per block, which was most of the allocations of the passes that
	// ask for the tree (issue 21). Each lists its children in reverse postorder, as
	// appending them did; a block without children keeps a nil list.
	nkids := d.post // free until the numbering below, which sets every entry it reads
	clear(nkids)
	total := 0
	for _, b := range c.RPO[1:] {
		if p := d.idom[b]; p != NoBlock {
			nkids[p]++
			total++
		}
	}
	slab := make([]BlockID, total)
	for _, b := range c.RPO {
		if k := int(nkids[b]); k > 0 {
			d.children[b], slab = slab[:0:k], slab[k:]
		}
	}
	for _, b := range c.RPO[1:] {
		if p := d.idom[b]; p != NoBlock {
			d.children[p] = append(d.children[p], b)
		}
	}
	for i := range d.post {
		d.post[i] = -1
	}
	// Number the tree in pre- and postorder, so Dominates is two comparisons.
	var pre, post int32
	type frame struct {
		b    BlockID
		next int
	}
	stack := make([]frame, 1, 64)
	stack[0] = frame{entry, 0}
	d.pre[entry] = pre
	pre++
	for len(stack) > 0 {
		top := &stack[len(stack)-1]
		if top.next < len(d.children[top.b]) {
			ch := d.children[top.b][top.next]
			top.next++
			d.pre[ch] = pre
			pre++
			stack = append(stack, frame{ch, 0})
			continue
		}
		d.post[top.b] = post
		post++
		stack = stack[:len(stack)-1]
	}
	return d
}

// IDom returns b's immediate dominator, or NoBlock for the entry block and for blocks
// the entry cannot reach.
func (d *DomTree) IDom(b BlockID) BlockID {
	if int(b) >= len(d.idom) {
		return NoBlock
	}
	return d.idom[b]
}

// Children returns the blocks b immediately dominates, in reverse postorder of the CFG.
func (d *DomTree) Children(b BlockID) []BlockID {
	if int(b) >= len(d.children) {
		return nil
	}
	return d.children[b]
}

// Reachable reports whether b is in the tree, that is, reachable from the entry.
func (d *DomTree) Reachable(b BlockID) bool { return int(b) < len(d.pre) && d.pre[b] >= 0 }

// Dominates reports whether every path from the entry to b passes through a. A block
// dominates itself; among blocks that are not both reachable, only that holds.
func (d *DomTree) Dominates(a, b BlockID) bool {
	if a == b {
		return true
	}
	if !d.Reachable(a) || !d.Reachable(b) {
		return false
	}
	return d.pre[a] <= d.pre[b] && d.post[b] <= d.post[a]
}
