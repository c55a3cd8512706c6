package ir

// SimplifyCFG tidies the control-flow graph after other passes have cut edges, so that
// later passes and the backends see fewer, longer blocks and no jumps to jumps:
//   - a brif whose two targets are the same block with the same arguments, and a brtable
//     whose targets all are, becomes a jump;
//   - a branch to a forwarder, a block other than the entry holding only "jump T(args)"
//     whose parameters nothing else uses, goes straight to T with the arguments
//     substituted (through chains of forwarders; a cycle of forwarders is left alone);
//   - a block whose only predecessor ends in a jump to it is appended to that
//     predecessor, its parameters replaced by the jump's arguments;
//   - blocks the entry cannot reach are deleted.
//
// A forwarder's parameters must have no other use because a block it dominates could
// read them directly, and threading its predecessors past it would leave that use
// undominated. Every other value its jump passes is defined in a block that dominates
// each of its predecessors, so it may be passed from there.
//
// At the end, a function whose instruction or block slots are mostly unlisted is
// compacted ([Func.compact]), which renumbers its blocks and instructions.
//
// Preserves: block numbers of surviving blocks (unless compacted), the layout order,
// the numbers of surviving values. Needs: nothing.
func SimplifyCFG(f *Func) {
	removeUnreachable(f)
	for {
		// Only retargeting can cut a block off; merging deletes the blocks it empties
		// itself. Counting predecessors here rather than asking f.CFG spares a CFG
		// rebuild per round, which the next pass would make again anyway.
		cut := sameTargets(f)
		cut = threadJumps(f) || cut
		if cut {
			removeUnreachable(f)
		}
		if !mergeBlocks(f) && !cut {
			f.compact()
			return
		}
	}
}

// sameTargets turns branches whose targets are all equal into jumps.
func sameTargets(f *Func) bool {
	changed := false
	for _, b := range f.Layout {
		t := f.Terminator(b)
		if t == nil || (t.Op != OpBrIf && t.Op != OpBrTable) {
			continue
		}
		same := true
		for _, bc := range t.Targets[1:] {
			if !sameBlockCall(bc, t.Targets[0]) {
				same = false
				break
			}
		}
		if same {
			t.Op, t.Args, t.Targets = OpJump, nil, t.Targets[:1]
			changed = true
		}
	}
	return changed
}

func sameBlockCall(a, b BlockCall) bool {
	if a.Block != b.Block || len(a.Args) != len(b.Args) {
		return false
	}
	for i := range a.Args {
		if a.Args[i] != b.Args[i] {
			return false
		}
	}
	return true
}

// threadJumps retargets branches to forwarders; the forwarders left without
// predecessors are deleted by the next removeUnreachable.
func threadJumps(f *Func) bool {
	n := len(f.Blocks)
	entry := f.Entry()
	fwd := takeZeroed[bool](&boolsPool, n)
	defer giveScratch(&boolsPool, fwd)
	candidates := false
	for _, b := range f.Layout {
		ins := f.Blocks[b].Instrs
		if b != entry && len(ins) == 1 && f.Instrs[ins[0]].Op == OpJump && f.Instrs[ins[0]].Targets[0].Block != b {
			fwd[b], candidates = true, true
		}
	}
	if !candidates {
		return false
	}
	// A forwarder whose parameter is used outside its own jump is none. The parameters
	// are marked, and the walk over every operand tests the mark alone: counting the uses
	// of every value, and reading each branch argument's definition, was half of the
	// function (issue 21). It stops once every forwarder with parameters is ruled out.
	left := 0 // forwarders with parameters not yet ruled out
	for _, b := range f.Layout {
		if fwd[b] && len(f.Blocks[b].Params) > 0 {
			left++
		}
	}
	var param []bool
	if left > 0 {
		param = takeZeroed[bool](&boolsPool, len(f.Values))
		defer giveScratch(&boolsPool, param)
		for _, b := range f.Layout {
			if fwd[b] {
				for _, p := range f.Blocks[b].Params {
					param[p] = true
				}
			}
		}
	}
	rule := func(p Value) { // rules out the forwarder defining p
		if fb := f.Values[p].Block; fwd[fb] {
			fwd[fb] = false
			left--
		}
	}
walk:
	for _, b := range f.Layout {
		if left == 0 {
			break
		}
		for _, id := range f.Blocks[b].Instrs {
			for _, a := range f.Instrs[id].Args {
				if param[a] {
					rule(a)
				}
			}
			if left == 0 {
				break walk
			}
		}
		// Only the terminator, last in the block, has targets: they are read once per
		// block rather than tested for in every instruction (issue 21).
		if t := f.Terminator(b); t != nil {
			for _, bc := range t.Targets {
				for _, a := range bc.Args {
					// a block passing its own parameter on is not another use
					if param[a] && f.Values[a].Block != b {
						rule(a)
					}
				}
			}
		}
	}
	// Where each forwarder's jump ends after the forwarders it leads through, in terms of
	// its own parameters, worked out once per forwarder, so that a chain of 100,000
	// forwarders costs 100,000 steps and not their square. A chain that ends in a cycle
	// of forwarders is left alone.
	const unseen, onPath, resolved, cyclic = 0, 1, 2, 3
	state := takeZeroed[uint8](&bytesPool, n)
	end := takeScratch[BlockCall](&blockCallsPool, n, 0) // read only where state says resolved
	defer func() {
		giveScratch(&bytesPool, state)
		clear(end) // the argument lists stay the function's
		giveScratch(&blockCallsPool, end)
	}()
	var path []BlockID
	resolve := func(e BlockID) bool {
		t := e
		for fwd[t] && state[t] == unseen {
			state[t] = onPath
			path = append(path, t)
			t = f.Terminator(t).Targets[0].Block
		}
		cycle := fwd[t] && state[t] != resolved
		for i := len(path) - 1; i >= 0; i-- {
			b := path[i]
			if cycle {
				state[b] = cyclic
				continue
			}
			j := f.Terminator(b).Targets[0]
			if fwd[j.Block] {
				j = substitute(f, end[j.Block], j.Block, j.Args)
			} else {
				j = BlockCall{Block: j.Block, Args: j.Args}
			}
			end[b], state[b] = j, resolved
		}
		path = path[:0]
		return state[e] == resolved
	}
	changed := false
	for _, b := range f.Layout {
		t := f.Terminator(b)
		for i := range t.Targets {
			bc := &t.Targets[i]
			if !fwd[bc.Block] || !resolve(bc.Block) {
				continue
			}
			*bc = substitute(f, end[bc.Block], bc.Block, bc.Args)
			changed = true
		}
	}
	return changed
}

// substitute returns bc with each parameter of block e among its arguments replaced by the
// argument args passes for it: where a branch to the forwarder e with args goes, when e's
// jump (through its chain) is bc.
func substitute(f *Func, bc BlockCall, e BlockID, args []Value) BlockCall {
	out := make([]Value, len(bc.Args))
	for i, a := range bc.Args {
		if d := f.Values[a]; d.Kind == DefParam && d.Block == e {
			a = args[d.Index]
		}
		out[i] = a
	}
	return BlockCall{Block: bc.Block, Args: out}
}

// mergeBlocks appends each block with a single predecessor, which jumps to it, to that
// predecessor.
func mergeBlocks(f *Func) bool {
	npred := make([]int32, len(f.Blocks))
	for _, b := range f.Layout {
		for _, bc := range f.Terminator(b).Targets {
			npred[bc.Block]++
		}
	}
	entry := f.Entry()
	// gone marks the blocks merged away; owned, the blocks whose instruction list this
	// call made, which no other block shares, so that a chain of merges into one block
	// appends to it (amortized) where copying the whole list at each merge was quadratic
	// in the chain's length.
	const gone, owned = 1, 2
	state := takeZeroed[uint8](&bytesPool, len(f.Blocks))
	defer giveScratch(&bytesPool, state)
	var s subst
	changed := false
	for _, p := range f.Layout {
		if state[p] == gone {
			continue
		}
		for {
			t := f.Terminator(p)
			if t.Op != OpJump {
				break
			}
			b := t.Targets[0].Block
			if b == p || b == entry || npred[b] != 1 {
				break
			}
			blk := &f.Blocks[b]
			for i, prm := range blk.Params {
				s.set(f, prm, t.Targets[0].Args[i])
				f.Values[prm] = ValueData{}
			}
			pins := f.Blocks[p].Instrs
			deleteInstr(f, pins[len(pins)-1])
			var list []InstrID
			if state[p] == owned {
				list = append(pins[:len(pins)-1], blk.Instrs...)
			} else {
				list = make([]InstrID, 0, len(pins)-1+len(blk.Instrs))
				list = append(append(list, pins[:len(pins)-1]...), blk.Instrs...)
				state[p] = owned
			}
			for _, id := range blk.Instrs {
				f.Instrs[id].Block = p
			}
			f.Blocks[p].Instrs = list
			*blk = Block{}
			state[b], changed = gone, true
		}
	}
	if !changed {
		return false
	}
	out := f.Layout[:0]
	for _, b := range f.Layout {
		if state[b] != gone {
			out = append(out, b)
		}
	}
	f.Layout = out
	// SimplifyCFG runs on verified IR, which holds no aliases (see [subst.operands]): only
	// the merged blocks' parameters move, and when none had any there is nothing to walk.
	rewriteUses(f, s, false, f.Layout)
	s.release()
	return true
}
