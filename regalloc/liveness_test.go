package regalloc

import (
	"fmt"
	"math/bits"
	"math/rand/v2"
	"regexp"
	"slices"
	"testing"
)

// TestIntervalsMatchDataflow compares buildIntervals with the textbook construction it
// replaced (refIntervals): live-in sets per block iterated to a fixed point, then one
// backward walk over all blocks. Both must give the same spans, uses and errors, on
// random functions and on mutations of them that break the input's rules: uses their
// definition does not dominate, registers never defined, and unreachable loops (where
// such uses get past the check at the entry).
func TestIntervalsMatchDataflow(t *testing.T) {
	n := 4000
	if testing.Short() {
		n = 500
	}
	rng := rand.New(rand.NewPCG(3, 4))
	errs := map[string]int{}
	for seed := range n {
		g := newGen(rng)
		f := g.function()
		switch seed % 4 {
		case 1:
			mutateUses(rng, f)
		case 2:
			addUnreachableLoop(rng, f)
		case 3:
			mutateUses(rng, f)
			addUnreachableLoop(rng, f)
		}
		got, want := &allocator{f: f, cfg: g.cfg}, &allocator{f: f, cfg: g.cfg}
		if seed%8 < 4 {
			got.walk.keepMin = 1 // reuse every live-in set
		}
		if err := got.setup(); err != nil {
			continue // bad input caught before liveness
		}
		if err := want.setup(); err != nil {
			t.Fatal(err)
		}
		gerr, werr := got.buildIntervals(), refIntervals(want)
		if fmt.Sprint(gerr) != fmt.Sprint(werr) {
			t.Fatalf("function %d: error %v, want %v\n%s", seed, gerr, werr, f.format(g.cfg, nil))
		}
		if werr != nil {
			errs[regexp.MustCompile(`%\d+`).ReplaceAllString(werr.(*Error).Msg, "%N")]++
			continue
		}
		errs["none"]++
		for v := range got.first {
			for _, iv := range want.children[v] {
				if iv != nil {
					iv.spans = bridgeSpans(want, iv.spans)
				}
			}
			if d := diffIntervals(got.children[v], want.children[v]); d != "" {
				t.Fatalf("function %d: %%%d: %s\n%s", seed, v, d, f.format(g.cfg, nil))
			}
		}
		for r := range got.fixed {
			if d := diffIntervals([]*interval{got.fixed[r]}, []*interval{want.fixed[r]}); d != "" {
				t.Fatalf("function %d: fixed p%d: %s\n%s", seed, r, d, f.format(g.cfg, nil))
			}
		}
	}
	t.Logf("outcomes: %v", errs)
}

// bridgeSpans joins spans as the allocator's liveness does (allocator.bridge): the
// reference computes exact liveness. Bridged blocks start where one span ends at a block
// boundary and end where the next begins.
func bridgeSpans(a *allocator, spans []span) []span {
	a.bridge([]blockRun{{0, 1}, {0, 1}}) // builds jumpsBefore
	var out []span
	for i, sp := range spans {
		if n := len(out); n > 0 {
			b, c := a.blockAt(out[n-1].to), a.blockAt(sp.from)
			var later []blockRun
			for _, l := range spans[i:] {
				if lb, le := a.blockAt(l.from), a.blockAt(l.to); lb >= 0 {
					if le < 0 {
						le = lb + 1
					}
					later = append(later, blockRun{int32(lb), int32(le)})
				}
			}
			if b >= 0 && c > b && a.bridges(int32(b), int32(c), later) {
				out[n-1].to = sp.to
				continue
			}
		}
		out = append(out, sp)
	}
	return out
}

// blockAt returns the block whose first position is pos, or -1.
func (a *allocator) blockAt(pos int32) int {
	for b := range a.nblocks {
		if a.blockFrom(b) == pos {
			return b
		}
	}
	return -1
}

func diffIntervals(got, want []*interval) string {
	if len(got) != len(want) {
		return fmt.Sprintf("%d intervals, want %d", len(got), len(want))
	}
	for j := range got {
		x, y := got[j], want[j]
		if (x == nil) != (y == nil) {
			return fmt.Sprintf("interval %d: %v, want %v", j, x, y)
		}
		if x == nil {
			continue
		}
		if !slices.Equal(x.spans, y.spans) || !slices.Equal(x.uses, y.uses) || x.def != y.def || x.class != y.class {
			return fmt.Sprintf("interval %d: spans %v uses %v def %v, want %v %v %v", j, x.spans, x.uses, x.def, y.spans, y.uses, y.def)
		}
	}
	return ""
}

// mutateUses replaces a few virtual uses with random registers, some of them never
// defined.
func mutateUses(rng *rand.Rand, f *testFunc) {
	extra := VReg(len(f.class))
	f.class = append(f.class, ClassInt, ClassFloat)
	for range 1 + rng.IntN(3) {
		in := f.instrs[rng.IntN(len(f.instrs))]
		for k, o := range in.ops {
			if v, ok := o.VReg(); ok && !o.IsDef() && rng.IntN(2) == 0 {
				w := VReg(rng.IntN(len(f.class)))
				if rng.IntN(4) == 0 {
					w = extra + VReg(f.class[v])
				}
				if f.class[w] == f.class[v] {
					in.ops[k] = Use(w)
				}
			}
		}
	}
}

// addUnreachableLoop appends a block that only jumps to itself, reading random registers
// (defined anywhere, later in the block, or never) and defining new ones.
func addUnreachableLoop(rng *rand.Rand, f *testFunc) {
	b := len(f.blocks)
	blk := &testBlock{start: len(f.instrs)}
	var defs []VReg
	for range 1 + rng.IntN(4) {
		var ops []Operand
		for range rng.IntN(3) {
			v := VReg(rng.IntN(len(f.class) + 2))
			if int(v) >= len(f.class) { // never defined
				v = VReg(len(f.class))
				f.class = append(f.class, ClassInt)
			}
			if f.class[v] == ClassInt {
				ops = append(ops, Use(v))
			}
		}
		v := VReg(len(f.class))
		f.class = append(f.class, ClassInt)
		defs = append(defs, v)
		f.instrs = append(f.instrs, &testInstr{op: "op", ops: append(ops, Def(v))})
	}
	jump := &testInstr{op: "jump", targets: []int{b}, args: [][]VReg{nil}}
	if rng.IntN(2) == 0 { // read one of the block's own defs before it is defined
		f.instrs[blk.start].ops = append([]Operand{Use(defs[len(defs)-1])}, f.instrs[blk.start].ops...)
	}
	f.instrs = append(f.instrs, jump)
	blk.end = len(f.instrs)
	f.blocks = append(f.blocks, blk)
	f.link()
}

// refIntervals is how buildIntervals worked before liveness went sparse, kept as the
// definition to test against: live-in sets per block from the backward data-flow
// equations iterated to a fixed point (exact on any CFG), then intervals in one backward
// walk over the blocks.
func refIntervals(a *allocator) error {
	n := a.nvregs
	type set []uint64
	newSet := func() set { return make(set, (n+63)/64) }
	has := func(s set, i int) bool { return s[i>>6]&(1<<(i&63)) != 0 }
	add := func(s set, i int) { s[i>>6] |= 1 << (i & 63) }
	each := func(s set, fn func(int)) {
		for w, word := range s {
			for ; word != 0; word &= word - 1 {
				fn(64*w + bits.TrailingZeros64(word))
			}
		}
	}
	gen, kill := make([]set, a.nblocks), make([]set, a.nblocks)
	liveIn, liveOut := make([]set, a.nblocks), make([]set, a.nblocks)
	for b := 0; b < a.nblocks; b++ {
		gen[b], kill[b], liveIn[b], liveOut[b] = newSet(), newSet(), newSet(), newSet()
		for _, p := range a.params.at(b) {
			add(kill[b], int(p))
		}
		for i := a.blockStart[b]; i < a.blockStart[b+1]; i++ {
			ops := a.ops[a.opStart[i]:a.opStart[i+1]]
			for _, o := range ops {
				if !o.def && o.reg == NoReg && !has(kill[b], int(o.vreg)) {
					add(gen[b], int(o.vreg))
				}
			}
			for _, o := range ops {
				if o.def && o.reg == NoReg {
					add(kill[b], int(o.vreg))
				}
			}
		}
	}
	for changed := true; changed; {
		changed = false
		for b := a.nblocks - 1; b >= 0; b-- {
			out := liveOut[b]
			for k, s := range a.succs.at(b) {
				for w := range out {
					out[w] |= liveIn[s][w]
				}
				for _, v := range a.argsOf(b, k) {
					add(out, int(v))
				}
			}
			for w := range out {
				if in := gen[b][w] | out[w]&^kill[b][w]; in != liveIn[b][w] {
					liveIn[b][w], changed = in, true
				}
			}
		}
	}
	for v := 0; v < n; v++ {
		if has(liveIn[0], v) {
			return a.errorf(-1, -1, "%%%d is used where its definition does not dominate", v)
		}
	}

	a.first = make([]*interval, a.nvregs)
	a.children = make([][]*interval, a.nvregs)
	ivFor := func(v VReg) *interval {
		if a.first[v] == nil {
			a.first[v] = &interval{vreg: v, class: a.class[v], reg: NoReg, def: true}
		}
		return a.first[v]
	}
	fixedFor := func(r PReg) *interval {
		if a.fixed[r] == nil {
			a.fixed[r] = &interval{vreg: ^VReg(0), reg: r}
		}
		return a.fixed[r]
	}
	liveEnd := make([]int32, a.nvregs)
	for v := range liveEnd {
		liveEnd[v] = -1
	}
	var physEnd [MaxPRegs]int32
	for r := range physEnd {
		physEnd[r] = -1
	}
	for b := a.nblocks - 1; b >= 0; b-- {
		from, to := a.blockFrom(b), a.blockTo(b)
		each(liveOut[b], func(v int) { liveEnd[v] = to })
		for i := int(a.blockStart[b+1]) - 1; i >= int(a.blockStart[b]); i-- {
			ops := a.ops[a.opStart[i]:a.opStart[i+1]]
			d := late(i)
			for _, o := range ops {
				if !o.def {
					continue
				}
				if o.reg != NoReg {
					if physEnd[o.reg] >= 0 {
						fixedFor(o.reg).addSpan(d, physEnd[o.reg])
						physEnd[o.reg] = -1
					} else {
						fixedFor(o.reg).addSpan(d, d+1)
					}
					continue
				}
				it := ivFor(o.vreg)
				if liveEnd[o.vreg] >= 0 {
					it.addSpan(d, liveEnd[o.vreg])
					liveEnd[o.vreg] = -1
				} else {
					it.addSpan(d, d+1)
				}
				it.addUse(d, true)
				if src := a.reuseSrc[o.vreg]; src >= 0 && liveEnd[src] >= 0 {
					return a.errorf(b, i, "%%%d reuses the register of %%%d, which is live after the instruction", o.vreg, src)
				}
			}
			for _, r := range a.clobbersAt(i).Regs() {
				if physEnd[r] >= 0 {
					return a.errorf(b, i, "%s is read after this instruction clobbers it", a.cfg.RegName(r))
				}
				fixedFor(r).addSpan(d, d+1)
			}
			u := early(i)
			for _, o := range ops {
				if o.def {
					continue
				}
				if o.reg != NoReg {
					if physEnd[o.reg] < 0 {
						physEnd[o.reg] = u + 1
					}
					continue
				}
				if a.defBlock[o.vreg] < 0 {
					return a.errorf(b, i, "%%%d is used but never defined", o.vreg)
				}
				if liveEnd[o.vreg] < 0 {
					liveEnd[o.vreg] = u + 1
				}
				ivFor(o.vreg).addUse(u, !a.isCopy[i])
			}
		}
		for _, p := range a.params.at(b) {
			if liveEnd[p] >= 0 {
				ivFor(p).addSpan(from, liveEnd[p])
				liveEnd[p] = -1
			}
		}
		var undefined error
		each(liveIn[b], func(v int) {
			if a.defBlock[v] < 0 && undefined == nil {
				undefined = a.errorf(b, -1, "%%%d is live in but never defined", v)
			}
			ivFor(VReg(v)).addSpan(from, liveEnd[v])
			liveEnd[v] = -1
		})
		if undefined != nil {
			return undefined
		}
		for r := range physEnd {
			if physEnd[r] < 0 {
				continue
			}
			if b != 0 {
				return a.errorf(b, -1, "%s is read before this block writes it", a.cfg.RegName(PReg(r)))
			}
			fixedFor(PReg(r)).addSpan(from, physEnd[r])
			physEnd[r] = -1
		}
	}
	for _, it := range a.first {
		if it != nil {
			it.finish()
		}
	}
	a.finishIntervals()
	for _, it := range a.fixed {
		if it != nil {
			it.finish()
		}
	}
	return nil
}
