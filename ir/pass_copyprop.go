package ir

// CopyProp replaces every use of a copy, of a Builder alias and of a trivial block
// parameter by the value it stands for, and deletes them. A parameter is trivial when
// every branch to its block passes it the same value w (or the parameter itself, around
// a loop): it is then w on every path, as in the removal of trivial phis of Braun et al.
// (CC 2013). Such parameters appear once Fold turns a brif into a jump, SimplifyCFG
// merges blocks or GVN makes two arguments equal.
//
// w can replace the parameter everywhere: on the first entry into the block the edge
// passes w from a predecessor whose path from the entry avoids the block, so w's
// definition strictly dominates the block, and with it every use of the parameter.
//
// Preserves: the CFG and the numbers of surviving values. Needs: nothing.
func CopyProp(f *Func) { copyProp(f) }

// copyProp is CopyProp; it returns how many branch targets it read to find the trivial
// parameters, which TestCopyPropLinear bounds.
func copyProp(f *Func) (visits int) {
	h, ok := f.takeHandoff()
	rpo, current := reachableOrderWith(f, h, ok)
	defer func() {
		f.leaveHandoff(rpo, current) // it changes no block or branch
		f.handoffNoCopies()
	}()
	var s subst
	aliases := hasAliases(f)
	found, copies := aliases, false
	// first is the position in rpo of the first block defining a value s replaces: the
	// uses, which its definition dominates, are in the blocks from there on, and a
	// function whose first trivial parameter is far down is not rewritten from the top
	// (issue 21).
	first := len(rpo)
	// Right after Fold there is no copy to look for in every instruction, which was a
	// tenth of the pass (issue 21).
	for i, b := range rpo {
		if ok && h.noCopies {
			break
		}
		for _, id := range f.Blocks[b].Instrs {
			if in := &f.Instrs[id]; in.Op == OpCopy {
				s.set(f, in.Results[0], in.Args[0])
				found, copies = true, true
				first = min(first, i)
			}
		}
	}
	in := inEdges(f)
	defer in.release()
	var drop []bool
	var dropIn []BlockID // the blocks with a parameter in drop, each once
	// Parameters chain (a trivial parameter may pass another block's), so iterate to a
	// fixed point; in reverse postorder one round settles all but loop-carried chains.
	for changed := true; changed; {
		changed = false
		for k, b := range rpo[1:] {
			params := f.Blocks[b].Params
			if len(params) == 0 {
				continue
			}
			edges := in.into(b) // once per block, not twice per parameter
			for i, p := range params {
				if int(p) < len(drop) && drop[p] {
					continue
				}
				visits += len(edges)
				if w := trivialArg(f, edges, s, aliases, i, p); w != NoValue {
					if drop == nil {
						drop = takeZeroed[bool](&boolsPool, len(f.Values))
					}
					if !anyDropped(drop, params) {
						dropIn = append(dropIn, b)
					}
					s.set(f, p, w)
					drop[p] = true
					changed, found = true, true
					first = min(first, k+1)
				}
			}
		}
	}
	if !found {
		return visits
	}
	rewriteUses(f, s, aliases, rpo[first:])
	s.release()
	// Lowering makes no copies, so mostly there are none to delete, and no second sweep
	// over every instruction to find them (issue 21).
	if copies {
		for _, b := range rpo[first:] {
			ins := f.Blocks[b].Instrs
			out := ins[:0]
			for _, id := range ins {
				if f.Instrs[id].Op == OpCopy {
					deleteInstr(f, id)
					continue
				}
				out = append(out, id)
			}
			f.Blocks[b].Instrs = out
		}
	}
	// The edge index, still valid (only operands changed), names the branches to update.
	dropParamsInto(f, drop, dropIn, in)
	giveScratch(&boolsPool, drop)
	if aliases {
		for v := range f.Values { // every use of an alias was rewritten: free the slots
			if f.Values[v].Kind == DefAlias {
				f.Values[v] = ValueData{}
			}
		}
	}
	return visits
}

// trivialArg returns the one value other than p that the branches to p's block, edges,
// pass as its parameter i (p), or NoValue if they pass several. aliases says whether f
// may hold Builder aliases ([hasAliases]): without them only s moves a value, and the
// test of s's entry alone spares reading each argument's record (issue 21).
func trivialArg(f *Func, edges []*BlockCall, s subst, aliases bool, i int, p Value) Value {
	w := NoValue
	for _, bc := range edges {
		a := bc.Args[i]
		if uint(a) < uint(len(s)) && s[a] != 0 || aliases && s.moves(f, a) {
			a = s.resolve(f, a)
		}
		switch {
		case a == p || a == w:
		case w == NoValue:
			w = a
		default:
			return NoValue
		}
	}
	return w
}

// anyDropped reports whether drop marks one of params.
func anyDropped(drop []bool, params []Value) bool {
	for _, p := range params {
		if int(p) < len(drop) && drop[p] {
			return true
		}
	}
	return false
}
