package regalloc

// vregIndex lists, per virtual register, the instructions that read it and the blocks that
// pass it as a branch argument, both in increasing order, so that liveness and intervals
// are built from a register's own occurrences.
type vregIndex struct {
	useStart []int32 // v's uses are useInstr[useStart[v]:useStart[v+1]]
	useInstr []int32 // an instruction using v twice appears twice
	argStart []int32 // v's branch-argument blocks are argBlock[argStart[v]:argStart[v+1]]
	argBlock []int32
	// argEdges are the edges on which v is passed, in the order of argBlock:
	// argEdges[argStart[v]:argStart[v+1]] (argEdgesOf).
	argEdges []argEdge
	next     []int32 // scratch

	// special lists, in increasing order, the instructions buildFixed must look at: those
	// with a fixed-register operand, a def that reuses a use's register, or clobbers.
	special []int32
}

// buildIndex fills a.idx and a.instrBlock by counting sort: one pass counts, one fills.
// The arrays are those of the function before, when they are large enough.
func (a *allocator) buildIndex() {
	// Every array in a local, here too: each store through a's fields made the loops
	// reload them (issue 21). instrBlock is written whole, so it is not cleared first.
	instrBlock, blockStart := sized(a.instrBlock, a.ninstrs), a.blockStart[:a.nblocks+1]
	for b := range a.nblocks {
		in := instrBlock[blockStart[b]:blockStart[b+1]]
		for i := range in {
			in[i] = int32(b)
		}
	}
	a.instrBlock = instrBlock
	x := &a.idx
	useStart, argStart := resize(x.useStart, a.nvregs+1), resize(x.argStart, a.nvregs+1)
	for _, o := range a.ops {
		if !o.def && o.reg == NoReg {
			useStart[o.vreg+1]++
		}
	}
	for _, v := range a.args.all {
		argStart[v+1]++
	}
	for v := 1; v <= a.nvregs; v++ {
		useStart[v] += useStart[v-1]
		argStart[v] += argStart[v-1]
	}
	x.useStart, x.argStart = useStart, argStart
	x.useInstr = resize(x.useInstr, int(x.useStart[a.nvregs]))
	x.argBlock = resize(x.argBlock, int(x.argStart[a.nvregs]))
	next := append(x.next[:0], x.useStart[:a.nvregs]...)
	// The arrays in locals, and the instruction's end read once: the loop stores into
	// arrays the compiler cannot tell from a's, and reloaded them per operand (issue 21).
	// The same walk lists the special instructions (see vregIndex.special).
	ops, opStart, useInstr := a.ops, a.opStart[:a.ninstrs+1], x.useInstr
	clobberOf, reuseSrc := a.clobberOf[:a.ninstrs], a.reuseSrc
	special := x.special[:0]
	k := int(opStart[0])
	for i := 0; i < a.ninstrs; i++ {
		isSpecial := clobberOf[i] != 0
		for end := int(opStart[i+1]); k < end; k++ {
			o := ops[k]
			switch {
			case o.reg != NoReg:
				isSpecial = true
			case !o.def:
				useInstr[next[o.vreg]] = int32(i)
				next[o.vreg]++
			case reuseSrc[o.vreg] >= 0:
				isSpecial = true
			}
		}
		if isSpecial {
			special = append(special, int32(i))
		}
	}
	x.special = special
	// The edges by number through the lists' arrays; the scan's edges of each value
	// are filled on the way, where a walk of their own counted and sorted the same
	// arguments again (issue 21).
	next = append(next[:0], x.argStart[:a.nvregs]...)
	x.argEdges = resize(x.argEdges, len(a.args.all))
	succStart, succs, argStart, args := a.succs.start, a.succs.all, a.args.start, a.args.all
	paramStart, params, argBlock, argEdges := a.params.start, a.params.all, x.argBlock, x.argEdges
	for b := 0; b < a.nblocks; b++ {
		pos := a.blockTo(b) - 1
		for e := succStart[b]; e < succStart[b+1]; e++ {
			s := succs[e]
			ps := params[paramStart[s]:paramStart[s+1]]
			for j, v := range args[argStart[e]:argStart[e+1]] {
				argBlock[next[v]] = int32(b)
				argEdges[next[v]] = argEdge{pos: pos, block: s, param: ps[j]}
				next[v]++
			}
		}
	}
	x.next = next
}

func (x *vregIndex) uses(v VReg) []int32 { return x.useInstr[x.useStart[v]:x.useStart[v+1]] }
func (x *vregIndex) args(v VReg) []int32 { return x.argBlock[x.argStart[v]:x.argStart[v+1]] }
