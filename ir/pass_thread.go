package ir

// Thread sends an edge that passes a constant to a dispatch block straight to the
// block the dispatch would choose. A dispatch block H ends in brtable (or brif) on one
// of its own parameters and holds a few pure instructions before it; Go's resume-point
// loops are made of one (every function's loop head is "brtable PC_B" over its resume
// points), and most of its back edges pass a constant PC_B. Such an edge P→H becomes
// P→T, T being the block H's terminator picks for that constant, and skips an
// indirect jump and H's moves on every pass.
//
// H's instructions are copied onto the edge: at P's end when P ends in a jump, else in
// a new block on the edge. The blocks that read H's parameters and results directly
// may now be reached without H, so SSA is repaired for each such value: its value at
// the start of a block is read backwards through the predecessors (Braun et al.,
// "Simple and Efficient Construction of Static Single Assignment Form", CC 2013, with
// every block sealed), which stops at H and at the threaded edges, where the value is
// what the edge passed or the copy made. A block reached by several different values
// gets a new parameter; parameters that turn out trivial are dropped again.
//
// Threading never makes the control flow irreducible: the backends and the loop passes
// only understand natural loops (an irreducible cycle is no loop to LICM, SLP, or the
// register allocator's loop depths). When H heads a loop, only edges from inside it (P
// dominated by H) are threaded, and an edge P→T only if T cannot reach P without passing
// H once the edges taken before it are threaded: then every new cycle passes H, which
// still dominates all of them. When H is in no cycle, an edge is threaded only if T
// cannot reach P at all. This leaves most of a Go loop's back edges alone: the resume
// dispatch enters the middle of every Go loop, so a back edge that bypassed it would
// make a second entry into the loop.
//
// The work is bounded so that the pass stays linear: at most threadMaxHeaders dispatch
// blocks a function, threadMaxInstrs instructions in each, threadDupBudget copied
// instructions in all, and searches and repair walks of at most a few times the
// function's size.
//
// Preserves: block numbers and values of surviving blocks. Needs: nothing.
func Thread(f *Func) {
	threadFunc(f, false)
}

const (
	threadMaxHeaders = 8   // dispatch blocks threaded per function
	threadMaxInstrs  = 8   // instructions before a dispatch's terminator
	threadDupBudget  = 256 // instructions copied per function
)

// threadEdge is one edge to thread: target i of P's terminator, which goes to the
// header, goes to the header's target j instead.
type threadEdge struct {
	p    BlockID
	i, j int
}

// threader holds one function's state across its dispatch blocks.
type threader struct {
	f           *Func
	dups, work  int // instructions copied so far; search and repair steps left
	irreducible bool
	// steps counts what the SSA repairs visited (instructions, branch targets, blocks
	// read through), which TestThreadRepairLinear bounds.
	steps int
}

// threadFunc is Thread; irreducible lets it thread edges that make irreducible cycles,
// which only tests use, to give the SSA repair harder graphs. It returns the steps of the
// SSA repairs, for tests.
func threadFunc(f *Func, irreducible bool) int {
	if f.IsImport() || len(f.Layout) == 0 {
		f.forwardHandoff()
		return 0
	}
	cur := removeUnreachableCFG(f)
	t := &threader{f: f, irreducible: irreducible, work: 8*(len(f.Instrs)+len(f.Blocks)) + 4096}
	// Only a dispatch block that some edge passes a constant is worth the CFG and
	// dominators that threading it needs, which the one before it made stale: one sweep
	// over the branches finds them, so that blocks ending in a brif on a parameter never
	// passed a constant cost nothing and take no place among the threadMaxHeaders.
	dispatch := takeZeroed[bool](&boolsPool, len(f.Blocks))
	defer giveScratch(&boolsPool, dispatch)
	found := false
	for _, b := range f.Layout {
		if t.isDispatch(b) {
			dispatch[b], found = true, true
		}
	}
	if !found {
		f.leaveHandoff(rpoOf(cur), cur != nil)
		return 0
	}
	var heads []BlockID
	for _, b := range f.Layout {
		for _, bc := range f.Terminator(b).Targets {
			h := bc.Block
			if !dispatch[h] || h == b {
				continue
			}
			if _, ok := constOf(f, bc.Args[f.Values[f.Terminator(h).Args[0]].Index]); ok {
				dispatch[h] = false // listed once
				heads = append(heads, h)
			}
		}
		if len(heads) >= threadMaxHeaders {
			break
		}
	}
	// cur is f's CFG while it is known current, or nil: header leaves it current, and
	// comparing its key with every branch before each use was a third of the pass's CFG
	// work (issue 21).
	changed := false
	for _, h := range heads {
		if len(f.Blocks[h].Instrs) > 0 && t.isDispatch(h) {
			changed = t.header(h, cur) || changed
			cur = f.cfg.cfg
		}
	}
	switch {
	case !changed:
		f.leaveHandoff(rpoOf(cur), cur != nil)
	case cur == nil:
		removeUnreachable(f)
	case removeUnreachableOf(f, cur):
		f.leaveHandoff(nil, false) // nothing is unreachable now, though cur is stale
	default:
		f.leaveHandoff(cur.RPO, true)
	}
	return t.steps
}

// isDispatch reports whether b ends in brtable or brif on one of its own parameters
// after at most threadMaxInstrs pure instructions.
func (t *threader) isDispatch(b BlockID) bool {
	f := t.f
	term := f.Terminator(b)
	if term == nil || (term.Op != OpBrTable && term.Op != OpBrIf) || b == f.Entry() {
		return false
	}
	if d := f.Values[term.Args[0]]; d.Kind != DefParam || d.Block != b {
		return false
	}
	ins := f.Blocks[b].Instrs
	if len(ins)-1 > threadMaxInstrs {
		return false
	}
	for _, id := range ins[:len(ins)-1] {
		if !f.Instrs[id].Op.Flags().Has(Pure) {
			return false
		}
	}
	return true
}

// pick returns the index of the target that terminator term chooses when its i32
// condition is the constant x.
func pick(term *Instr, x uint64) int {
	if term.Op == OpBrIf {
		if uint32(x) != 0 {
			return 0
		}
		return 1
	}
	if i := uint64(uint32(x)); i < uint64(len(term.Targets)-1) {
		return int(i)
	}
	return len(term.Targets) - 1
}

// header threads the edges into dispatch block h that it may, and reports whether it
// threaded any. c is f's current CFG, or nil when it may be stale. It leaves f's cached
// CFG current: it changes no block or branch after the repair's [Func.CFG], nor at all
// when it threads nothing.
func (t *threader) header(h BlockID, c *CFG) bool {
	f := t.f
	if c == nil {
		c = f.CFG()
	}
	d := f.domCurrent()
	term := f.Terminator(h)
	cond := f.Values[term.Args[0]].Index
	loop := false
	for _, p := range c.Preds[h] {
		if d.Dominates(h, p) {
			loop = true
		}
	}
	var edges []threadEdge
	for k, p := range c.Preds[h] {
		if p == h || (k > 0 && c.Preds[h][k-1] == p) || (loop && !d.Dominates(h, p)) {
			continue // h's own edges, a predecessor seen, an entry into the loop
		}
		for i, bc := range f.Terminator(p).Targets {
			if bc.Block != h {
				continue
			}
			x, ok := constOf(f, bc.Args[cond])
			if !ok {
				continue
			}
			if j := pick(term, x); term.Targets[j].Block != h {
				edges = append(edges, threadEdge{p, i, j})
			}
		}
	}
	nins := len(f.Blocks[h].Instrs) - 1
	if n := (threadDupBudget - t.dups) / max(nins, 1); len(edges) > n {
		edges = edges[:n]
	}
	if !t.irreducible {
		edges = t.keepReducible(h, edges)
	}
	if len(edges) == 0 || !t.afford(h, d, len(edges)) {
		return false
	}
	t.dups += len(edges) * nins
	t.rewrite(h, d, edges)
	return true
}

// keepReducible returns the edges that can be threaded one after the other without
// making a cycle that no block dominates: an edge P→T only if T cannot reach P without
// passing h, through the function's edges and those threaded before it. Every cycle
// the edge closes then passes h, which dominates all of them when h heads a loop (and
// when it does not, T cannot reach h's predecessor P at all). A self-loop P→P is
// always fine.
//
// A search per edge would cost the edges times the function; instead the strongly
// connected components of the graph with every candidate threaded and h left out are
// found once. An edge between two components is in no cycle avoiding h whatever else
// is threaded; only an edge within one is searched for, inside that component alone.
func (t *threader) keepReducible(h BlockID, edges []threadEdge) []threadEdge {
	f := t.f
	term := f.Terminator(h)
	mv := newThreadMoves(len(f.Blocks), len(edges)) // the candidates, by source
	defer mv.release()
	for _, e := range edges {
		mv.add(e.p, e.i, term.Targets[e.j].Block)
	}
	comp := t.components(h, mv)
	defer giveScratch(&int32sPool, comp)
	mv.reset(edges) // from here on, the edges kept so far
	seen := takeZeroed[int32](&int32sPool, len(f.Blocks))
	defer giveScratch(&int32sPool, seen)
	var stack []BlockID
	kept := edges[:0]
	for n, e := range edges {
		to := term.Targets[e.j].Block
		if to != e.p && comp[to] == comp[e.p] {
			if t.reaches(to, e.p, h, comp, mv, seen, int32(n+1), stack) {
				continue
			}
		}
		kept = append(kept, e)
		mv.add(e.p, e.i, to)
	}
	return kept
}

// threadMoves holds threaded edges by their source block: a list per block, newest
// first, chained through dense arrays rather than kept in a map of slices, which made
// most of the pass's allocations (issue 21).
type threadMoves struct {
	head  []int32 // by BlockID: the newest move from the block, or -1
	moves []threadMove
}

// threadMove is a threaded edge from a block: its target i goes to block to; next is
// the block's older move, or -1.
type threadMove struct {
	i    int
	to   BlockID
	next int32
}

// newThreadMoves returns an empty set of moves for a function of n blocks, with room
// for room moves.
func newThreadMoves(n, room int) *threadMoves {
	head := takeScratch[int32](&int32sPool, n, 0)
	for i := range head {
		head[i] = -1
	}
	return &threadMoves{head: head, moves: make([]threadMove, 0, room)}
}

// add records that target i of block b goes to block to.
func (mv *threadMoves) add(b BlockID, i int, to BlockID) {
	mv.moves = append(mv.moves, threadMove{i, to, mv.head[b]})
	mv.head[b] = int32(len(mv.moves) - 1)
}

// reset forgets every move; the sources of all of them are among edges'.
func (mv *threadMoves) reset(edges []threadEdge) {
	for _, e := range edges {
		mv.head[e.p] = -1
	}
	mv.moves = mv.moves[:0]
}

// release gives the moves' arrays back; mv is not used after.
func (mv *threadMoves) release() {
	giveScratch(&int32sPool, mv.head)
	*mv = threadMoves{}
}

// succ returns where target i of block b's terminator goes once the edges in mv are
// threaded: the newest move of that target, if any.
func (t *threader) succ(b BlockID, i int, mv *threadMoves) BlockID {
	for m := mv.head[b]; m >= 0; m = mv.moves[m].next {
		if mv.moves[m].i == i {
			return mv.moves[m].to
		}
	}
	return t.f.Terminator(b).Targets[i].Block
}

// reaches reports whether from reaches to without passing h, through the edges of
// from's component with those in mv threaded; mark tells this search's blocks in
// seen from earlier ones'. When the work runs out it answers yes, which keeps the
// edge from being threaded.
func (t *threader) reaches(from, to, h BlockID, comp []int32, mv *threadMoves, seen []int32, mark int32, stack []BlockID) bool {
	stack = append(stack[:0], from)
	seen[from] = mark
	for len(stack) > 0 {
		b := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		if t.work--; t.work < 0 {
			return true
		}
		for i := range t.f.Terminator(b).Targets {
			s := t.succ(b, i, mv)
			if s == to {
				return true
			}
			if s == h || comp[s] != comp[from] || seen[s] == mark {
				continue
			}
			seen[s] = mark
			stack = append(stack, s)
		}
	}
	return false
}

// components numbers the strongly connected components of f's graph without h, with
// the edges in mv threaded (Tarjan's algorithm, iterative): comp[b] is b's component,
// -1 for h and blocks outside the layout. comp comes from int32sPool; the caller gives
// it back.
func (t *threader) components(h BlockID, mv *threadMoves) []int32 {
	f := t.f
	n := len(f.Blocks)
	comp := takeScratch[int32](&int32sPool, n, 0)
	for i := range comp {
		comp[i] = -1
	}
	index := takeZeroed[int32](&int32sPool, n)   // 1 + the visit number; 0 unvisited
	low := takeScratch[int32](&int32sPool, n, 0) // set on each visit
	onStack := takeZeroed[bool](&boolsPool, n)
	defer func() {
		giveScratch(&int32sPool, index)
		giveScratch(&int32sPool, low)
		giveScratch(&boolsPool, onStack)
	}()
	var stack []BlockID
	type frame struct {
		b    BlockID
		next int
	}
	var frames []frame
	next, ncomp := int32(0), int32(0)
	for _, root := range f.Layout {
		if root == h || index[root] != 0 {
			continue
		}
		next++
		index[root], low[root] = next, next
		stack = append(stack, root)
		onStack[root] = true
		frames = append(frames[:0], frame{root, 0})
		for len(frames) > 0 {
			fr := &frames[len(frames)-1]
			b := fr.b
			targets := f.Terminator(b).Targets
			if fr.next < len(targets) {
				s := t.succ(b, fr.next, mv)
				fr.next++
				switch {
				case s == h:
				case index[s] == 0:
					next++
					index[s], low[s] = next, next
					stack = append(stack, s)
					onStack[s] = true
					frames = append(frames, frame{s, 0})
				case onStack[s]:
					low[b] = min(low[b], index[s])
				}
				continue
			}
			frames = frames[:len(frames)-1]
			if len(frames) > 0 {
				p := frames[len(frames)-1].b
				low[p] = min(low[p], low[b])
			}
			if low[b] == index[b] {
				for {
					x := stack[len(stack)-1]
					stack = stack[:len(stack)-1]
					onStack[x] = false
					comp[x] = ncomp
					if x == b {
						break
					}
				}
				ncomp++
			}
		}
	}
	return comp
}

// afford reports whether the repair walks for h's values fit in the work left, and
// takes their cost: each value's walks visit at most the blocks h dominates and the
// threaded edges' blocks.
func (t *threader) afford(h BlockID, d *DomTree, nedges int) bool {
	f := t.f
	region := nedges
	for _, b := range f.Layout {
		if d.Dominates(h, b) {
			region++
		}
	}
	nvals := len(f.Blocks[h].Params)
	for _, id := range f.Blocks[h].Instrs {
		nvals += len(f.Instrs[id].Results)
	}
	cost := region * nvals
	if cost > t.work {
		return false
	}
	t.work -= cost
	return true
}
