package ir

// ExitValues rewrites what a loop's stepped parameters are after their step in terms of
// their next values. A header parameter p that the back edge passes as q = iadd p, c
// lives after the loop when code after the loop reads it (a partition loop's
// while (a[j] > p) j-- leaves j, and its address, for the code after it): then p and q
// are both live from q's definition to the exit, in two registers, and every back edge
// moves q into p's register. Reading p after the loop as q - c instead lets p die at q,
// so q takes p's register and the back edge moves nothing; the subtraction runs once per
// exit instead of a move per pass. LLVM's IndVarSimplify rewrites exit values with the
// same aim.
//
// A use is rewritten only in a block outside the loop that q's block strictly dominates,
// so that q, computed in the same pass as the p the use sees, is available there; each
// such block gets one iconst and one iadd, at its start, for each p it reads. An add of p
// and a constant that q dominates, in the loop too, becomes one add of q and another
// constant: nbody's inner loop steps its pointer (q = p + 56, also the first field's
// address) before it reads the later fields at p + 72, p + 80 and so on, which kept p
// live past q, and the back edge moved q into p's register and jumped back.
//
// Preserves: the CFG, the dominator tree and the loops. Needs: loops ([Func.Loops]).
func ExitValues(f *Func) {
	if len(f.Layout) == 0 || !hasSteppedArg(f) {
		f.forwardHandoff() // it asked and changed nothing
		return
	}
	c := reachableCFG(f)
	lf := f.loopsCurrent()
	if len(lf.Loops) == 0 {
		f.leaveHandoff(c.RPO, true)
		return
	}
	d := f.domCurrent()
	steps := make(map[Value]exitStep)
	stamp := make([]int32, len(f.Blocks))
	for li := range lf.Loops {
		l := &lf.Loops[li]
		for _, b := range l.Blocks {
			stamp[b] = int32(li + 1)
		}
		for k, p := range f.Blocks[l.Header].Params {
			if t := f.TypeOf(p); t != I32 && t != I64 {
				continue
			}
			if s, ok := steppedBy(f, c, l, stamp, int32(li+1), k, p); ok {
				steps[p] = s
			}
		}
	}
	if len(steps) == 0 {
		return
	}
	isNext := make(map[Value]bool, len(steps))
	for _, s := range steps {
		isNext[s.next] = true
	}
	inLoop := func(b BlockID, li int) bool {
		for l := lf.LoopOf(b); l >= 0; l = lf.Loops[l].Parent {
			if l == li {
				return true
			}
		}
		return false
	}
	for _, b := range f.Layout {
		var made map[Value]Value // per block: p's replacement made here
		var front []InstrID
		var seen map[Value]bool // the steps defined so far in b
		// after reports whether v is a stepped parameter whose step is available here.
		after := func(v Value) (exitStep, bool) {
			s, ok := steps[v]
			if !ok {
				return s, false
			}
			if s.block == b {
				return s, seen[s.next]
			}
			return s, d.Dominates(s.block, b)
		}
		// applies reports whether v is read here after its loop, with its step available.
		applies := func(v Value) (exitStep, bool) {
			s, ok := after(v)
			return s, ok && !inLoop(b, s.loop)
		}
		constant := func(t Type, bits uint64) Value {
			if t == I32 {
				bits &= 0xffffffff // iconst holds its bits zero-extended from the type's width
			}
			k := newInstr(f, Instr{Op: OpIConst, Imm: bits}, b, t)
			front = append(front, k)
			return f.Instrs[k].Results[0]
		}
		replace := func(v Value) Value {
			s, ok := applies(v)
			if !ok {
				return v
			}
			if r, ok := made[v]; ok {
				return r
			}
			t := f.TypeOf(v)
			k := constant(t, -s.add)
			a := newInstr(f, Instr{Op: OpIAdd, Args: []Value{s.next, k}}, b, t)
			front = append(front, a)
			if made == nil {
				made = map[Value]Value{}
			}
			made[v] = f.Instrs[a].Results[0]
			return made[v]
		}
		for _, iid := range f.Blocks[b].Instrs {
			// p + c2 becomes q + (c2 - c) in place, in the loop too: one add, not two,
			// and p's last read is q's.
			if in := &f.Instrs[iid]; in.Op == OpIAdd {
				if s, ok := after(in.Args[0]); ok {
					if c2, ok := constOf(f, in.Args[1]); ok {
						k := constant(f.TypeOf(in.Args[0]), c2-s.add)
						f.Instrs[iid].Args = []Value{s.next, k}
					}
				}
			}
			in := &f.Instrs[iid]
			for i, a := range in.Args {
				if r := replace(a); r != a {
					f.Instrs[iid].Args[i] = r
					in = &f.Instrs[iid]
				}
			}
			for t := range in.Targets {
				for i, a := range in.Targets[t].Args {
					if r := replace(a); r != a {
						f.Instrs[iid].Targets[t].Args[i] = r
						in = &f.Instrs[iid]
					}
				}
			}
			if r := f.Instrs[iid].Result(); r != NoValue && isNext[r] {
				if seen == nil {
					seen = map[Value]bool{}
				}
				seen[r] = true
			}
		}
		if len(front) > 0 {
			setInstrs(f, b, append(front, f.Blocks[b].Instrs...))
		}
	}
}

// hasSteppedArg reports whether some branch passes a block's parameter p, as that
// parameter, an iadd of p and a constant: every stepped parameter steppedBy finds is
// passed one by its back edges, so without any there is nothing to rewrite, and most
// functions have none (issue 21). One sweep over the branches spares them the CFG, the
// dominators and the loops, which the passes before left stale.
func hasSteppedArg(f *Func) bool {
	for _, b := range f.Layout {
		t := f.Terminator(b)
		if t == nil {
			continue
		}
		for _, bc := range t.Targets {
			if int(bc.Block) >= len(f.Blocks) {
				continue
			}
			params := f.Blocks[bc.Block].Params
			for k, q := range bc.Args {
				if in := defInstr(f, q); in != nil && in.Op == OpIAdd && k < len(params) && in.Args[0] == params[k] {
					if _, ok := constOf(f, in.Args[1]); ok {
						return true
					}
				}
			}
		}
	}
	return false
}

// exitStep is a header parameter's next value: next = iadd p, add, defined in block of
// the loop numbered loop in the forest.
type exitStep struct {
	next  Value
	add   uint64
	block BlockID
	loop  int
}

// steppedBy finds the step of header parameter p (the k-th of loop l, whose blocks carry
// stamp id): an iadd of p and a constant in the loop that every back edge passes for p.
func steppedBy(f *Func, c *CFG, l *Loop, stamp []int32, id int32, k int, p Value) (exitStep, bool) {
	var s exitStep
	found := false
	for _, pred := range c.Preds[l.Header] {
		if stamp[pred] != id {
			continue
		}
		term := f.Terminator(pred)
		if term == nil {
			return s, false
		}
		for _, t := range term.Targets {
			if t.Block != l.Header {
				continue
			}
			q := t.Args[k]
			in := defInstr(f, q)
			if in == nil || in.Op != OpIAdd || in.Args[0] != p || stamp[in.Block] != id {
				return s, false
			}
			add, ok := constOf(f, in.Args[1])
			if !ok || found && q != s.next {
				return s, false
			}
			s, found = exitStep{next: q, add: add, block: in.Block}, true
		}
	}
	s.loop = int(id - 1)
	return s, found
}
