package ir

// DCE deletes unreachable blocks, and instructions and block parameters whose values
// nothing needs. Liveness is computed by marking from the roots, not by counting uses,
// so a value that only feeds itself around a loop (an induction variable whose result
// is never read) dies too.
//
// The roots are the operands of every instruction DCE must keep: those that change
// state, may trap or end a block (SideEffect, CanTrap, Terminator). A trapif, a
// boundscheck or a call therefore always stays, used or not; proving a check redundant
// is Fold's, GVN's and BCE's business. A branch argument is live only if the parameter
// it feeds is, and an instruction's operands only if one of its results is. Loads and
// other Reads ops are deleted when unused: they change nothing and their guard stays.
//
// Preserves: the CFG of reachable blocks, the numbers of surviving values, the entry
// block's parameters (the signature). Needs: nothing.
func DCE(f *Func) { dce(f) }

// dce is DCE; it returns how many branch targets it read to mark the arguments of live
// parameters, which TestDCELinear bounds.
func dce(f *Func) (visits int) {
	rpo, current := reachableOrder(f)
	defer f.leaveHandoff(rpo, current) // it changes no block or branch

	var in *edgeIndex // built when the first parameter is live
	live := takeZeroed[bool](&boolsPool, len(f.Values))
	defer giveScratch(&boolsPool, live)
	work := takeScratch[Value](&valuesPool, 0, 0)
	defer func() { giveScratch(&valuesPool, work) }()
	mark := func(v Value) {
		if !live[v] {
			live[v] = true
			work = append(work, v)
		}
	}
	for _, b := range f.Layout {
		for _, id := range f.Blocks[b].Instrs {
			if in := &f.Instrs[id]; hasEffect(in.Op) {
				for _, a := range in.Args {
					mark(a)
				}
			}
		}
	}
	for len(work) > 0 {
		v := work[len(work)-1]
		work = work[:len(work)-1]
		switch d := f.Values[v]; d.Kind {
		case DefResult:
			for _, a := range f.Instrs[d.Instr].Args {
				mark(a)
			}
		case DefParam:
			if in == nil {
				in = inEdges(f)
			}
			edges := in.into(d.Block)
			visits += len(edges)
			for _, bc := range edges {
				mark(bc.Args[d.Index])
			}
		}
	}
	in.release()
	var drop []bool
	entry := f.Entry()
	for _, b := range f.Layout {
		if b != entry {
			for _, p := range f.Blocks[b].Params {
				if !live[p] {
					if drop == nil {
						drop = takeZeroed[bool](&boolsPool, len(f.Values))
					}
					drop[p] = true
				}
			}
		}
		ins := f.Blocks[b].Instrs
		out := ins[:0]
		for _, id := range ins {
			if in := &f.Instrs[id]; !hasEffect(in.Op) && !anyLive(live, in.Results) {
				deleteInstr(f, id)
				continue
			}
			out = append(out, id)
		}
		f.Blocks[b].Instrs = out
	}
	dropParams(f, drop)
	giveScratch(&boolsPool, drop)
	return visits
}

func anyLive(live []bool, vs []Value) bool {
	for _, v := range vs {
		if live[v] {
			return true
		}
	}
	return false
}
