package ir

import (
	"slices"
	"sync"
)

// The rewriting half of [Thread]: moving the edges and repairing SSA for the values of
// the dispatch block that the moved edges now bypass.

// rewrite moves each edge into dispatch block h to the target h's terminator picks for
// it, with copies of h's instructions on the edge, then gives every block that reads a
// value of h the value that reaches it. d is the dominator tree before the edges move.
func (t *threader) rewrite(h BlockID, d *DomTree, edges []threadEdge) {
	f := t.f
	hins := f.Blocks[h].Instrs
	body := hins[:len(hins)-1]
	termID := hins[len(hins)-1]
	r := &repair{f: f, h: h, dom: d}
	r.hIndex = takeScratch[int32](&int32sPool, len(f.Values), 0)
	for i := range r.hIndex {
		r.hIndex[i] = -1
	}
	defer giveScratch(&int32sPool, r.hIndex)
	r.addH(f.Blocks[h].Params...)
	for _, id := range body {
		r.addH(f.Instrs[id].Results...)
	}
	after := map[BlockID][]BlockID{} // the blocks made on edges, after their source
	var edgeBlocks []BlockID         // the block at the end of each edge, as r.edgeDefs
	for _, e := range edges {
		old := f.Terminator(e.p).Targets[e.i].Args
		local := make([]Value, len(r.hTypes)) // by index among h's values, parameters first
		for k := range local {
			local[k] = NoValue
		}
		copy(local, old[:len(f.Blocks[h].Params)])
		// The copies go at the end of P when the edge is P's only one; otherwise into a
		// block of their own on the edge, so that they define h's values on that edge
		// alone.
		s := e.p
		jump := f.Terminator(e.p).Op == OpJump
		if !jump {
			s = BlockID(len(f.Blocks))
			f.Blocks = append(f.Blocks, Block{})
			f.Terminator(e.p).Targets[e.i] = BlockCall{Block: s}
			after[e.p] = append(after[e.p], s)
		}
		list := make([]InstrID, 0, len(body)+1)
		for _, id := range body {
			in := f.Instrs[id]
			in.Args = r.mapValues(in.Args, local)
			types := make([]Type, len(in.Results))
			for k, res := range in.Results {
				types[k] = f.Values[res].Type
			}
			nid := newInstr(f, in, s, types...)
			for k, res := range f.Instrs[id].Results {
				local[r.hIndex[res]] = f.Instrs[nid].Results[k]
			}
			list = append(list, nid)
		}
		to := f.Instrs[termID].Targets[e.j]
		bc := BlockCall{Block: to.Block, Args: r.mapValues(to.Args, local)}
		if jump {
			pins := f.Blocks[e.p].Instrs
			last := pins[len(pins)-1]
			f.Instrs[last].Targets[0] = bc
			out := make([]InstrID, 0, len(pins)+len(list))
			out = append(append(append(out, pins[:len(pins)-1]...), list...), last)
			f.Blocks[e.p].Instrs = out
		} else {
			j := newInstr(f, Instr{Op: OpJump, Targets: []BlockCall{bc}}, s)
			f.Blocks[s].Instrs = append(list, j)
		}
		edgeBlocks = append(edgeBlocks, s)
		r.edgeDefs = append(r.edgeDefs, local)
	}
	r.edgeOf = takeScratch[int32](&int32sPool, len(f.Blocks), 0)
	for i := range r.edgeOf {
		r.edgeOf[i] = -1
	}
	defer giveScratch(&int32sPool, r.edgeOf)
	for i, s := range edgeBlocks {
		r.edgeOf[s] = int32(i)
	}
	if len(after) > 0 {
		layout := make([]BlockID, 0, len(f.Layout)+len(edges))
		for _, b := range f.Layout {
			layout = append(append(layout, b), after[b]...)
		}
		f.Layout = layout
	}
	// Blocks that only h reached, and h itself when every edge into it moved, go first,
	// so that no new parameter is passed from them; every path to a use of h's values
	// still passes h or a threaded edge, where the walks stop.
	removeUnreachable(f)
	r.run()
	t.steps += r.steps
}

// addH numbers vs, values of h, in r.hIndex and r.hTypes.
func (r *repair) addH(vs ...Value) {
	for _, v := range vs {
		r.hIndex[v] = int32(len(r.hTypes))
		r.hTypes = append(r.hTypes, r.f.Values[v].Type)
	}
}

// mapValues returns vs with each value of h replaced by what local, by index among h's
// values, has for it so far, as a new slice. Those an edge's copies have not defined
// yet are left alone: h's instructions read only those before them.
func (r *repair) mapValues(vs []Value, local []Value) []Value {
	out := make([]Value, len(vs))
	for i, v := range vs {
		if r.isH(v) {
			if w := local[r.hIndex[v]]; w != NoValue {
				v = w
			}
		}
		out[i] = v
	}
	return out
}

// repair finds, for each use of a value of the dispatch block h outside h, the value
// that reaches it now that some edges bypass h.
type repair struct {
	f   *Func
	h   BlockID
	dom *DomTree // before the edges moved
	// hIndex numbers h's parameters, then the results of its instructions, by Value
	// (-1 for the others), and hTypes holds their types by that number: h is deleted
	// when every edge into it moved. Dense arrays, not maps: the walks look values up
	// for every block they pass.
	hIndex []int32
	hTypes []Type
	// edgeDefs holds, for the block at the end of each threaded edge (its source, or the
	// block made on it; edgeOf numbers them by BlockID, -1 for the others), what each
	// value of h is on that edge, by hIndex: the argument the edge passed for a
	// parameter, the copy for a result. Such a value may itself be one of h's, read
	// where the edge leaves.
	edgeDefs [][]Value
	edgeOf   []int32
	preds    [][]BlockID // each block's distinct predecessors, edges threaded
	// memo holds, by hIndex, the value at the start of each block (NoValue until read);
	// a value's array is made when it is first read.
	memo [][]Value
	// phis are the parameters made, some trivial; the i-th is value base+i.
	phis []threadPhi
	base Value
	// uses lists, in the order the walk made them, each (parameter made, parameter it
	// is passed to) pair, by index in phis, flattened: dropTrivial's users.
	uses []int32
	// ops holds the operands of the parameters made, each one's together (opsOf).
	// It, phis and uses come from the scratch pools and go back when run ends: they
	// were most of what the pass allocated (issue 21).
	ops   []Value
	steps int // instructions, targets and reads visited, for tests
}

// threadPhi is a parameter the repair made: value v of block b, which each of the
// distinct predecessors of b (repair.preds) passes an operand, from index ops in
// repair.ops on.
type threadPhi struct {
	v   Value
	b   BlockID
	ops int32
}

// phisPool holds the arrays of threadPhi that repair.phis is grown in.
var phisPool sync.Pool // of *[]threadPhi

// opsOf returns the operands of parameter made ph.
func (r *repair) opsOf(ph *threadPhi) []Value {
	return r.ops[ph.ops : int(ph.ops)+len(r.preds[ph.b])]
}

// isH reports whether v is a parameter or result of h.
func (r *repair) isH(v Value) bool { return int(v) < len(r.hIndex) && r.hIndex[v] >= 0 }

func (r *repair) run() {
	f := r.f
	c := f.CFG()
	// A block's edges from one predecessor are listed together; only a block with
	// such edges gets a list of its own, the others share the CFG's.
	r.preds = make([][]BlockID, len(f.Blocks))
	for b, ps := range c.Preds {
		r.preds[b] = ps
		for i := 1; i < len(ps); i++ {
			if ps[i-1] == ps[i] {
				r.preds[b] = slices.Compact(slices.Clone(ps))
				break
			}
		}
	}
	r.memo = make([][]Value, len(r.hTypes))
	r.base = Value(len(f.Values))
	r.phis = takeScratch[threadPhi](&phisPool, 0, 0)
	r.uses = takeScratch[int32](&int32sPool, 0, 0)
	r.ops = takeScratch[Value](&valuesPool, 0, 0)
	defer func() {
		giveScratch(&phisPool, r.phis)
		giveScratch(&int32sPool, r.uses)
		giveScratch(&valuesPool, r.ops)
		r.phis, r.uses, r.ops = nil, nil, nil
	}()
	var touched []BlockID // the blocks that read a value of h, in layout order
	for _, b := range f.Layout {
		if b == r.h {
			continue // the only block where h's values are defined throughout
		}
		if !r.dom.Dominates(r.h, b) && r.edgeOf[b] < 0 {
			// Only the blocks h dominated can use its values (a branch argument is used
			// at the end of its block), and the copies on the edges.
			continue
		}
		read := false
		for _, id := range f.Blocks[b].Instrs {
			r.steps++
			args := f.Instrs[id].Args
			for k, a := range args {
				if r.isH(a) {
					args[k], read = r.read(b, a), true
				}
			}
		}
		// Only the terminator, last in the block, has targets: they are read after its
		// operands as before, without a test for targets in every instruction (issue 21).
		if t := f.Terminator(b); t != nil {
			for i := range t.Targets {
				args := t.Targets[i].Args
				for k, a := range args {
					if r.isH(a) {
						args[k], read = r.read(b, a), true
					}
				}
			}
		}
		if read {
			touched = append(touched, b)
		}
	}
	s := r.dropTrivial()
	r.addParams(s)
	// The parameters dropped as trivial were read only where the walk above wrote them
	// (the operands addParams passed are resolved already).
	for _, b := range touched {
		for _, id := range f.Blocks[b].Instrs {
			s.operands(f, &f.Instrs[id])
		}
	}
	for _, ph := range r.phis {
		if s.replaced(ph.v) {
			f.Values[ph.v] = ValueData{}
		}
	}
	s.release()
	for _, memo := range r.memo {
		giveScratch(&valuesPool, memo)
	}
}

// addParams gives each parameter made that s does not replace its place in its block,
// and passes it on every edge into the block. Each predecessor's targets are walked once
// for all the parameters of the blocks it reaches: a brtable head reaches many blocks
// that get one, and a walk per parameter made the repair quadratic in the head's targets.
// Arguments are appended in the order the parameters were made, as the parameters are.
func (r *repair) addParams(s subst) {
	f := r.f
	// next links the kept parameters of a block in the order they were made; first and
	// last hold each block's chain, -1 when it has none.
	nb := len(f.Blocks)
	ends := takeScratch[int32](&int32sPool, 2*nb, 0)
	defer giveScratch(&int32sPool, ends)
	first, last := ends[:nb], ends[nb:]
	for i := range ends {
		ends[i] = -1
	}
	next := takeScratch[int32](&int32sPool, len(r.phis), 0) // set for every kept one
	defer giveScratch(&int32sPool, next)
	var blocks []BlockID // the blocks that get parameters, each once
	for i := range r.phis {
		ph := &r.phis[i]
		if s.replaced(ph.v) {
			continue
		}
		next[i] = -1
		if first[ph.b] < 0 {
			first[ph.b] = int32(i)
			blocks = append(blocks, ph.b)
		} else {
			next[last[ph.b]] = int32(i)
		}
		last[ph.b] = int32(i)
	}
	if len(blocks) == 0 {
		return
	}
	for _, b := range blocks {
		n := 0
		for i := first[b]; i >= 0; i = next[i] {
			n++
		}
		blk := &f.Blocks[b]
		blk.Params = slices.Grow(blk.Params, n)
		for i := first[b]; i >= 0; i = next[i] {
			v := r.phis[i].v
			f.Values[v].Index = uint32(len(blk.Params))
			blk.Params = append(blk.Params, v)
		}
	}
	// Group the edges by predecessor: edge e of pred p's group is block to[e] with p at
	// index k[e] among to[e]'s distinct predecessors (counting sort, by p).
	start := takeZeroed[int32](&int32sPool, nb+1)
	defer giveScratch(&int32sPool, start)
	for _, b := range blocks {
		for _, p := range r.preds[b] {
			start[p+1]++
		}
	}
	for p := range nb {
		start[p+1] += start[p]
	}
	n := start[nb]
	to, kOf := make([]BlockID, n), make([]int32, n)
	fill := takeScratch[int32](&int32sPool, nb, 0)
	defer giveScratch(&int32sPool, fill)
	copy(fill, start[:nb])
	for _, b := range blocks {
		for k, p := range r.preds[b] {
			to[fill[p]], kOf[fill[p]] = b, int32(k)
			fill[p]++
		}
	}
	slot := fill // reused: each block's k for the predecessor walked, -1 otherwise
	for i := range slot {
		slot[i] = -1
	}
	for p := range nb {
		if start[p] == start[p+1] {
			continue
		}
		for e := start[p]; e < start[p+1]; e++ {
			slot[to[e]] = kOf[e]
		}
		term := f.Terminator(BlockID(p))
		// Each target gets a new array, as the old one may be shared; they are carved
		// from one per predecessor: a brtable head's targets made one allocation each
		// (issue 21). A target's new arguments are as many as its block's parameters.
		size := 0
		for _, bc := range term.Targets {
			if slot[bc.Block] >= 0 {
				size += len(f.Blocks[bc.Block].Params)
			}
		}
		chunk := make([]Value, size)
		for t := range term.Targets {
			r.steps++
			bc := &term.Targets[t]
			k := slot[bc.Block]
			if k < 0 {
				continue
			}
			m := len(f.Blocks[bc.Block].Params)
			args := append(chunk[:0:m], bc.Args...)
			chunk = chunk[m:]
			for i := first[bc.Block]; i >= 0; i = next[i] {
				args = append(args, s.resolve(f, r.ops[r.phis[i].ops+k]))
			}
			bc.Args = args
		}
		for e := start[p]; e < start[p+1]; e++ {
			slot[to[e]] = -1
		}
	}
}

// read returns the value that v, a value of h, has at the start of block b, making a
// parameter of b when its predecessors pass different ones.
func (r *repair) read(b BlockID, v Value) Value {
	r.steps++
	memo := r.memo[r.hIndex[v]]
	if memo == nil {
		memo = takeScratch[Value](&valuesPool, len(r.f.Blocks), 0) // run gives it back
		for i := range memo {
			memo[i] = NoValue
		}
		r.memo[r.hIndex[v]] = memo
	}
	if x := memo[b]; x != NoValue {
		return x
	}
	ps := r.preds[b]
	switch len(ps) {
	case 0:
		panic("thread: " + v.String() + " is read in " + b.String() + ", which its definition does not reach")
	case 1:
		x := r.end(ps[0], v)
		memo[b] = x
		return x
	}
	f := r.f
	x := f.newValue(ValueData{Type: r.hTypes[r.hIndex[v]], Kind: DefParam, Block: b})
	memo[b] = x // before the operands, which a loop leads back here
	i := int32(len(r.phis))
	at := int32(len(r.ops))
	r.phis = append(r.phis, threadPhi{v: x, b: b, ops: at})
	r.ops = slices.Grow(r.ops, len(ps))[:int(at)+len(ps)]
	for k, p := range ps {
		// r.ops may grow in the reads end makes: index it only after.
		op := r.end(p, v)
		r.ops[int(at)+k] = op
		if op >= r.base {
			r.uses = append(r.uses, int32(op-r.base), i)
		}
	}
	return x
}

// end returns the value v, a value of h, has at the end of block p, on its way out.
func (r *repair) end(p BlockID, v Value) Value {
	if p == r.h {
		return v
	}
	if e := r.edgeOf[p]; e >= 0 {
		w := r.edgeDefs[e][r.hIndex[v]]
		if !r.isH(w) {
			return w
		}
		v = w // what the edge passed, as it is where the edge leaves
	}
	return r.read(p, v)
}

// dropTrivial finds the parameters made whose predecessors all pass one value (or the
// parameter itself) and returns the replacement of each by that value; dropping one can
// make the parameters it was passed to trivial in turn.
func (r *repair) dropTrivial() subst {
	f := r.f
	var s subst
	// users[start[j]:start[j+1]] are the parameters phis[j] is passed to, in the order
	// of r.uses (counting sort, stable).
	np, nu := len(r.phis), len(r.uses)/2
	scratch := takeZeroed[int32](&int32sPool, 2*np+1+nu)
	defer giveScratch(&int32sPool, scratch)
	start, fill, users := scratch[:np+1], scratch[np+1:2*np+1], scratch[2*np+1:]
	for u := 0; u < len(r.uses); u += 2 {
		start[r.uses[u]+1]++
	}
	for j := range np {
		start[j+1] += start[j]
	}
	copy(fill, start[:np])
	for u := 0; u < len(r.uses); u += 2 {
		j := r.uses[u]
		users[fill[j]] = r.uses[u+1]
		fill[j]++
	}
	work := takeScratch[int32](&int32sPool, np, 0)
	defer func() { giveScratch(&int32sPool, work) }()
	for i := range work {
		work[i] = int32(len(work) - 1 - i)
	}
	for len(work) > 0 {
		i := work[len(work)-1]
		work = work[:len(work)-1]
		ph := &r.phis[i]
		if s.replaced(ph.v) {
			continue
		}
		same := NoValue
		trivial := true
		for _, op := range r.opsOf(ph) {
			op = s.resolve(f, op)
			if op == ph.v || op == same {
				continue
			}
			if same != NoValue {
				trivial = false
				break
			}
			same = op
		}
		if !trivial || same == NoValue {
			continue
		}
		s.set(f, ph.v, same)
		j := ph.v - r.base
		work = append(work, users[start[j]:start[j+1]]...)
	}
	return s
}
