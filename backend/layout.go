package backend

import (
	"slices"

	"github.com/wasmc/wasmc/ir"
	"github.com/wasmc/wasmc/regalloc"
)

// Block layout for instruction selection: which IR blocks get machine blocks, in what
// order, and where critical edges are split. The register allocator needs no critical
// edges (regalloc.Func): it puts a block's incoming moves on the edge, so an edge from a
// block with several successors into one with several predecessors gets a block of its own.

// Edge is one distinct successor of an IR block: a target and its arguments. A branch
// naming the same target with the same arguments twice has one edge.
type Edge struct {
	Target ir.BlockID
	Args   []ir.Value
	MBlock int32 // the machine block the edge enters: the target's, or the split block's
	Split  bool  // the edge has a machine block of its own
}

// BlockLayout maps IR blocks to machine blocks.
type BlockLayout struct {
	MBlock  []int32      // per IR block: its machine block, or -1 when unreachable
	BlockIR []ir.BlockID // per machine block: its IR block, or NoBlock for a split edge
	// The machine blocks' parameters: block mb's are Params[ParamStart[mb]:ParamStart[mb+1]].
	// [Func.Select] hands them to the Func.
	ParamStart []int32
	Params     []regalloc.VReg

	// Per IR block b, its distinct successors are edges[edgeLo[b]:edgeHi[b]]
	// ([BlockLayout.Edges]) and the edge of each terminator target is in
	// edgeOf[ofLo[b]:ofHi[b]] ([BlockLayout.EdgeOf]): ranges of two arrays rather than two
	// slices a block, which on a function of 200,000 blocks were 10 MB live through
	// selection.
	edges          []Edge
	edgeOf         []int32
	edgeLo, edgeHi []int32
	ofLo, ofHi     []int32
	splitOf        []int32 // per machine block: the index in edges of the edge a split block carries, or -1
	// nsuccs and nargs are how many successors and arguments the machine blocks have, for
	// sizing [Func]'s arrays.
	nsuccs, nargs int

	// LayOutBlocks' scratch, kept with the rest for the next layout (Release).
	reach          []ir.BlockID
	edgeFirst      []int32
	preds          []int32
	lastTo, sameTo []int32
}

// Edges are the distinct successors of IR block b; the ISA may not change them.
func (l *BlockLayout) Edges(b ir.BlockID) []Edge {
	lo, hi := l.edgeLo[b], l.edgeHi[b]
	return l.edges[lo:hi:hi]
}

// EdgeOf gives, for each target of IR block b's terminator, its index in Edges(b).
func (l *BlockLayout) EdgeOf(b ir.BlockID) []int32 {
	lo, hi := l.ofLo[b], l.ofHi[b]
	return l.edgeOf[lo:hi:hi]
}

// LayOutBlocks orders the machine blocks of f: its reachable blocks in layout order, each split
// edge's block right after the edge's source. It returns the layout, with the blocks'
// parameters, and the blocks, labelled, for [Func.Blocks]; the entry block has no
// parameters, since the function's arrive in the ABI's places. With argless false every
// critical edge is split; with it true (for [regalloc.RunFast]) only those passing
// arguments are, which at -O0 spares a block and a jump per if without else. reachable
// is f.Reachable() if the caller has it ([Values.Reach]), else nil.
func LayOutBlocks(f *ir.Func, argless bool, reachable []bool) (*BlockLayout, []Block) {
	if reachable == nil {
		reachable = f.Reachable()
	}
	l := newLayout()
	l.MBlock = resize(l.MBlock, len(f.Blocks))
	l.edgeLo = resize(l.edgeLo, len(f.Blocks))
	l.edgeHi = resize(l.edgeHi, len(f.Blocks))
	l.ofLo = resize(l.ofLo, len(f.Blocks))
	l.ofHi = resize(l.ofHi, len(f.Blocks))
	for i := range l.MBlock {
		l.MBlock[i] = -1
	}
	reach := slices.Grow(l.reach[:0], len(f.Layout))
	targets, guess := 0, 0
	for _, b := range f.Layout {
		if reachable[b] {
			reach = append(reach, b)
			n := len(f.Terminator(b).Targets)
			targets += n
			guess += min(n, 8)
		}
	}
	// One backing array for all EdgeOf entries and one for all edges, each block's a
	// capped part of it: a slice per block cost a function of 300,000 blocks more memory
	// than its instructions. The edges' array is sized for every target of a small
	// terminator and grows past that only for brtables, whose targets are mostly
	// repeats; the blocks take their parts once it is complete, since a part taken while
	// it grows would keep each outgrown array alive (five times the edges).
	edges := slices.Grow(l.edges[:0], guess)
	l.edgeFirst = resize(l.edgeFirst, len(reach)+1)
	edgeFirst := l.edgeFirst
	edgeOf := slices.Grow(l.edgeOf[:0], targets)
	l.preds = resize(l.preds, len(f.Blocks))
	preds := l.preds
	// For brtables, a block's edges by target, as chains through the edges: lastTo[b]-1
	// is the latest edge to b, a brtable's own when at least first, and sameTo[e]-1 the
	// one to the same target before e. (Go's wasm gives every function a brtable over
	// its resume points.)
	var lastTo []int32
	sameTo := l.sameTo[:0]
	for i, b := range reach {
		t := f.Terminator(b)
		first := len(edges)
		edgeFirst[i] = int32(first)
		if len(t.Targets) > 8 && lastTo == nil {
			l.lastTo = resize(l.lastTo, len(f.Blocks))
			lastTo = l.lastTo
		}
		for _, bc := range t.Targets {
			k := -1
			if len(t.Targets) > 8 {
				for e := int(lastTo[bc.Block]) - 1; e >= first; e = int(sameTo[e]) - 1 {
					if slices.Equal(edges[e].Args, bc.Args) {
						k = e - first
						break
					}
				}
			} else {
				for j, e := range edges[first:] {
					if e.Target == bc.Block && slices.Equal(e.Args, bc.Args) {
						k = j
					}
				}
			}
			if k < 0 {
				k = len(edges) - first
				edges = append(edges, Edge{Target: bc.Block, Args: bc.Args})
				preds[bc.Block]++
				if len(t.Targets) > 8 {
					if n := first + k; len(sameTo) < n { // edges of small terminators
						sameTo = append(sameTo, make([]int32, n-len(sameTo))...)
					}
					sameTo = append(sameTo, lastTo[bc.Block])
					lastTo[bc.Block] = int32(first + k + 1)
				}
			}
			edgeOf = append(edgeOf, int32(k))
		}
		l.ofLo[b], l.ofHi[b] = int32(len(edgeOf)-len(t.Targets)), int32(len(edgeOf))
		l.edgeLo[b], l.edgeHi[b] = int32(first), int32(len(edges))
	}
	edgeFirst[len(reach)] = int32(len(edges))
	l.edges, l.edgeOf, l.reach, l.sameTo = edges, edgeOf, reach, sameTo
	split := func(es []Edge, e *Edge) bool {
		return len(es) > 1 && preds[e.Target] > 1 && (!argless || len(e.Args) > 0)
	}
	nblocks := len(reach)
	for _, b := range reach {
		es := l.Edges(b)
		for k := range es {
			if split(es, &es[k]) {
				nblocks++
			}
		}
	}
	blocks := make([]Block, 0, nblocks)
	l.BlockIR = slices.Grow(l.BlockIR[:0], nblocks)
	l.splitOf = slices.Grow(l.splitOf[:0], nblocks)
	next := int32(len(f.Blocks))
	// Each block's edges are taken once, and the layout's fields are appended to through
	// locals: an Edges call per edge and per use was a tenth of LayOutBlocks' instructions
	// at -O0 (issue 21).
	mblock, blockIR, splitOf := l.MBlock, l.BlockIR, l.splitOf
	nsuccs, nargs := l.nsuccs, l.nargs
	entry, nparams := f.Entry(), 0
	for i, b := range reach {
		if b != entry {
			nparams += len(f.Blocks[b].Params)
		}
		mblock[b] = int32(len(blocks))
		blocks = append(blocks, Block{Label: int32(b)})
		blockIR = append(blockIR, b)
		splitOf = append(splitOf, -1)
		es := l.Edges(b)
		for k := range es {
			e := &es[k]
			nsuccs++
			if split(es, e) {
				e.Split = true
				e.MBlock = int32(len(blocks))
				blocks = append(blocks, Block{Label: next})
				blockIR = append(blockIR, ir.NoBlock)
				splitOf = append(splitOf, edgeFirst[i]+int32(k))
				nsuccs++
				next++
			}
			nargs += len(e.Args)
		}
	}
	l.BlockIR, l.splitOf, l.nsuccs, l.nargs = blockIR, splitOf, nsuccs, nargs
	// Machine blocks are in the order of reach, each split block (which has no
	// parameters) after its source, so the parameters are filled block after block. The
	// same walk enters the edges that are not split, now that every target has its
	// machine block: a walk of its own over the blocks cost as much (issue 21).
	l.ParamStart = make([]int32, len(blocks)+1)
	// In an array of their number: grown by append, it was reallocated several times
	// a function (issue 21).
	l.Params = make([]regalloc.VReg, 0, nparams)
	for mb, b := range l.BlockIR {
		if b != ir.NoBlock {
			es := l.Edges(b)
			for k := range es {
				if e := &es[k]; !e.Split {
					e.MBlock = mblock[e.Target]
				}
			}
			if b != entry {
				for _, p := range f.Blocks[b].Params {
					l.Params = append(l.Params, regalloc.VReg(p))
				}
			}
		}
		l.ParamStart[mb+1] = int32(len(l.Params))
	}
	return l, blocks
}

// BlockSelector is an ISA's instruction selection, block by block, for [Func.Select].
type BlockSelector interface {
	// SelectBlock appends the instructions of IR block b to [Func.Insts] as machine block
	// mb, recording its successors ([Func.AddSucc]) as it lowers the terminator.
	SelectBlock(mb int, b ir.BlockID)
	// SelectEdge fills machine block mb, which carries split edge e: the edge's arguments,
	// then a jump to the target's machine block.
	SelectEdge(mb int, e Edge)
}

// Select fills the blocks that [LayOutBlocks] made, in layout order, and then their
// predecessors.
func (f *Func[I, P]) Select(l *BlockLayout, s BlockSelector) {
	f.paramStart, f.params = l.ParamStart, l.Params
	e := newEdgeArrays()
	f.succStart = append(slices.Grow(e.succStart[:0], len(f.Blocks)+1), 0)
	f.succs = slices.Grow(e.succs[:0], l.nsuccs)
	f.argStart = append(slices.Grow(e.argStart[:0], l.nsuccs+1), 0)
	f.args = slices.Grow(e.args[:0], l.nargs)
	for mb := range f.Blocks {
		f.Blocks[mb].Start = int32(len(f.Insts))
		if b := l.BlockIR[mb]; b != ir.NoBlock {
			s.SelectBlock(mb, b)
		} else {
			s.SelectEdge(mb, l.edges[l.splitOf[mb]])
		}
		f.Blocks[mb].End = int32(len(f.Insts))
		f.succStart = append(f.succStart, int32(len(f.succs)))
	}
	// Predecessors by a counting sort of the edges, each block's in increasing order.
	f.predStart = resize(e.predStart, len(f.Blocks)+1)
	for _, s := range f.succs {
		f.predStart[s+1]++
	}
	for b := range f.Blocks {
		f.predStart[b+1] += f.predStart[b]
	}
	f.preds = slices.Grow(e.preds[:0], len(f.succs))[:len(f.succs)]
	next := append(e.next[:0], f.predStart[:len(f.Blocks)]...)
	e.next, f.edgeArrays = next, e
	for b := range f.Blocks {
		for _, s := range f.BlockSuccs(b) {
			f.preds[next[s]] = b
			next[s]++
		}
	}
}
