package ir

// BCE removes bounds checks that cannot fail:
//   - "boundscheck memN, a, n" dominated by "boundscheck memN, a, m" with m >= n, on the
//     same memory and the same address value: if the first passed, a+m, and so a+n, was
//     within the memory then, and a wasm memory never shrinks (memory.grow only adds
//     pages; wasm 2.0 has no way to give them back), so a call or memgrow in between
//     changes nothing;
//   - "boundscheck memN, b+c, n", the address an iadd of a value b and a constant c,
//     dominated by "boundscheck memN, b, m" with m >= c+n: b+m fits a memory of at most
//     2^32 bytes (2^64 for memory64), so with n > 0 the sum b+c did not wrap and b+c+n
//     <= b+m (with n = 0 a wrapped b+c is 0, which passes anyway); lowering checks
//     each access at its own address, so a struct's fields at base+8, base+16 … are
//     covered by the first check on base that reaches past them;
//   - a check whose address is a constant c with c+n within the memory's declared
//     minimum size, which an instance's memory (imported ones included: import matching
//     requires at least the declared minimum) always has.
//
// Other checks on different address values are kept, even when the addresses are equal
// in value; running GVN first makes equal addresses one value. The walk follows the
// dominator tree with an undo log, so only checks in dominating blocks (or earlier in
// the same block) count.
//
// Preserves: the CFG. Needs: GVN before it for the best result.
func BCE(f *Func) {
	c := reachableCFG(f)
	defer f.leaveHandoff(c.RPO, true) // it changes no block or branch
	bc := &bce{f: f}
	domPreorder(f, f.domCurrent(), bc.enter, bc.leave)
	for _, known := range bc.known {
		giveScratch(&uint64sPool, known)
	}
}

type bce struct {
	f *Func
	// known[mem][a] is 1 + the largest n that a dominating "boundscheck mem, a, n"
	// checked, or 0. Each memory's slice is dense by Value and allocated when the
	// function first checks that memory: a program has few memories (the guest's and the
	// runtime's), and most functions touch one.
	known [][]uint64
	undo  []bceUndo
	marks []int
}

type bceUndo struct {
	mem  uint32
	addr Value
	old  uint64
}

func (bc *bce) enter(b BlockID) {
	f := bc.f
	bc.marks = append(bc.marks, len(bc.undo))
	// The surviving instructions move down over the deleted checks in place, as in
	// GVN: most blocks lose none and are not written (issue 21).
	ins := f.Blocks[b].Instrs
	w := 0
	for i, id := range ins {
		if in := &f.Instrs[id]; in.Op == OpBoundsCheck && bc.redundant(in) {
			deleteInstr(f, id)
			continue
		}
		if w != i {
			ins[w] = id
		}
		w++
	}
	if w != len(ins) {
		f.Blocks[b].Instrs = ins[:w]
	}
}

// redundant reports whether check in cannot fail, and records what it checks if it can.
func (bc *bce) redundant(in *Instr) bool {
	a, n, mem := in.Args[0], in.Imm, in.Index
	if c, ok := constOf(bc.f, a); ok && bc.withinMin(mem, c, n) {
		return true
	}
	if m := bc.f.Module; m != nil && int(mem) >= len(m.Memories) || mem >= 1<<10 {
		return false // no such memory: the verifier reports it
	}
	for int(mem) >= len(bc.known) {
		bc.known = append(bc.known, nil)
	}
	known := bc.known[mem]
	if known == nil {
		known = takeZeroed[uint64](&uint64sPool, len(bc.f.Values))
		bc.known[mem] = known
	}
	old := known[a]
	if old > n {
		return true
	}
	if d := defInstr(bc.f, a); d != nil && d.Op == OpIAdd {
		if c, ok := constOf(bc.f, d.Args[1]); ok && c+n >= c && known[d.Args[0]] > c+n {
			return true
		}
	}
	if n+1 != 0 { // n = 2^64-1 cannot be recorded; no later check needs it
		bc.undo = append(bc.undo, bceUndo{mem, a, old})
		known[a] = n + 1
	}
	return false
}

// withinMin reports whether c+n bytes, computed without wrapping, fit the declared
// minimum size of memory mem.
func (bc *bce) withinMin(mem uint32, c, n uint64) bool {
	m := bc.f.Module
	if m == nil || int(mem) >= len(m.Memories) {
		return false
	}
	minPages := m.Memories[mem].Limits.Min
	if minPages >= 1<<48 { // 2^48 pages of 2^16 bytes: from there the size wraps uint64
		return false
	}
	end := c + n
	return end >= c && end <= minPages<<16
}

func (bc *bce) leave(BlockID) {
	mark := bc.marks[len(bc.marks)-1]
	bc.marks = bc.marks[:len(bc.marks)-1]
	for i := len(bc.undo) - 1; i >= mark; i-- {
		u := bc.undo[i]
		bc.known[u.mem][u.addr] = u.old
	}
	bc.undo = bc.undo[:mark]
}
