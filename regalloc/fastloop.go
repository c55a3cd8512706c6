package regalloc

import "slices"

// A loop's block parameters would otherwise reach it in their slots only, so that a
// loop's induction variable makes a store-to-load round trip through memory on every
// iteration, on the loop's critical path (matmul at -O0 took 3.8 times its -O2 time,
// issue 21). So RunFast gives the parameters of a loop of one block home registers:
// every edge into the block moves each argument into its parameter's home register, as
// one parallel move, and then stores the register into the parameter's slot, and the
// block starts with its parameters in their homes. The slot still holds every parameter,
// so the block may evict a home like any register of a value whose slot holds it, and
// every other block reads the slot as before. The values the block reads and defines
// elsewhere (its invariants: matmul's inner loop reloaded three, one of them twice) get
// homes too, which the edges fill as they fill the parameters'.

// homed reports whether block b's parameters have home registers: b is a loop of one
// block, with at most maxHomed parameters, and several predecessors, one of them b
// itself or a block whose only predecessor is b (a split back edge), and every
// predecessor ends in a jump that reads and clobbers nothing, before which the edge's
// moves write the homes. A block with several predecessors is entered only by jumps (an
// edge passing arguments is not critical), and no block continues such a jump's block
// nor starts with its registers, so nothing reads what the homes held before.
//
// Larger loops, and headers of many parameters (a Go program's dispatch loops), keep
// their parameters in slots: their edges' moves would more often need sequentializing,
// which cost about 2% of -O0's compile time (encoding/json's test) when every loop
// header had homes, and a home kept only for the header's own block gains little there.
func (x *fastAlloc) homed(b int) bool {
	a := &x.allocator
	if n := len(a.params.at(b)); n == 0 || n > maxHomed || len(a.preds.at(b)) < 2 {
		return false
	}
	back := false
	for _, p := range a.preds.at(b) {
		last := a.blockStart[p+1] - 1
		if last < a.blockStart[p] || a.opStart[last] != a.opStart[last+1] || a.clobberOf[last] != 0 {
			return false
		}
		pp := a.preds.at(p)
		back = back || p == b || len(pp) == 1 && pp[0] == b
	}
	return back
}

// maxHomed is the most parameters a block with home registers has.
const maxHomed = 8

// homes is the iteration over a homed block's parameters and their home registers: per
// class, the first registers in the configured order, at most half of them, so that the
// loop keeps registers for its own values; a parameter beyond those has none (NoReg).
type homes struct {
	cfg   *Config
	class []Class
	n     [NumClasses]int
}

// next is the home of the next parameter, p.
func (h *homes) next(p VReg) PReg {
	c := h.class[p]
	regs := h.cfg.Regs[c]
	if h.n[c] >= len(regs)/2 {
		return NoReg
	}
	h.n[c]++
	return regs[h.n[c]-1]
}

// bindHomes starts homed block b with its parameters and invariants in their home
// registers, where the edges into it left them.
func (x *fastAlloc) bindHomes(b, start, l int) {
	a := &x.allocator
	h := homes{cfg: a.cfg, class: a.class}
	for _, p := range a.params.at(b) {
		if r := h.next(p); r != NoReg {
			x.bind(p, r, start)
		}
	}
	for _, v := range x.inv[x.loops[l].from:x.loops[l].to] {
		x.bind(v, h.next(v), start)
	}
}

// invariants adds homed block b to x.loops, and appends to x.inv the values b reads and
// defines elsewhere, as many as have homes left after its parameters', in the order of
// their first reads. Each is global (read outside its run: b starts its own), so its slot
// holds it, and its definition dominates b and so the end of every predecessor, where its
// slot is live: the edges can move it from wherever it is into its home, and b reloads
// it no more, even around the loop.
func (x *fastAlloc) invariants(b int) {
	a := &x.allocator
	h := homes{cfg: a.cfg, class: a.class}
	for _, p := range a.params.at(b) {
		h.next(p)
	}
	first := len(x.inv)
	start, end := a.blockStart[b], a.blockStart[b+1]
	for _, o := range a.ops[a.opStart[start]:a.opStart[end]] {
		v := o.vreg
		if o.def || o.reg != NoReg || a.defBlock[v] == int32(b) || slices.Contains(x.inv[first:], v) {
			continue
		}
		if h.next(v) != NoReg {
			x.inv = append(x.inv, v)
		}
	}
	x.loops = append(x.loops, homedLoop{int32(b), int32(first), int32(len(x.inv))})
}

// homedLoop is a homed block and where its invariants are in x.inv.
type homedLoop struct{ b, from, to int32 }

// loopAt finds block b among the homed loops: usually none, or a few.
func (x *fastAlloc) loopAt(b int) (int, bool) {
	if len(x.loops) == 0 || len(x.params.at(b)) == 0 {
		return 0, false
	}
	return slices.BinarySearchFunc(x.loops, int32(b), func(l homedLoop, b int32) int { return int(l.b - b) })
}
