package regalloc

import (
	"math/rand/v2"
	"slices"
	"testing"
	"time"
)

// TestRandom allocates many random SSA functions (random CFGs with loops, block parameters,
// calls, divisions, shifts, two-address ops, two classes) with two to four int and one to
// three float registers, and requires Check to accept every allocation and a second Run to
// give the same result.
func TestRandom(t *testing.T) {
	n := 3000
	if testing.Short() {
		n = 500
	}
	start := time.Now()
	rng := rand.New(rand.NewPCG(1, 2))
	var edits, reloads, scratch, withSlots int
	for seed := 0; seed < n; seed++ {
		g := newGen(rng)
		f := g.function()
		r, err := runChecked(f, g.cfg)
		if err != nil {
			t.Fatalf("function %d: %v\n%s", seed, err, f.format(g.cfg, nil))
		}
		if err := Check(f, g.cfg, r); err != nil {
			t.Fatalf("function %d: %v\n%s", seed, err, f.format(g.cfg, r))
		}
		r2, _ := Run(f, g.cfg)
		if !slices.Equal(r.Edits, r2.Edits) || !slices.Equal(r.allocs, r2.allocs) || !slices.Equal(r.Slots, r2.Slots) {
			t.Fatalf("function %d: two runs differ\n%s\n%s", seed, f.format(g.cfg, r), f.format(g.cfg, r2))
		}
		edits += len(r.Edits)
		for _, e := range r.Edits {
			if e.Kind() == Reload {
				reloads++
			}
			if e.To.IsReg() && e.To.Reg() == g.cfg.Scratch[f.class[e.VReg]] {
				scratch++
			}
		}
		if len(r.Slots) > 0 {
			withSlots++
		}
	}
	t.Logf("checked %d random functions in %v: %d with spill slots, %d edits, %d reloads, %d through a scratch register",
		n, time.Since(start).Round(time.Millisecond), withSlots, edits, reloads, scratch)
}

// gen builds one random function.
type gen struct {
	rng      *rand.Rand
	cfg      *Config
	k        [NumClasses]int // registers per class
	clobbers RegSet          // what a call clobbers
	f        *testFunc
	code     [][]*testInstr // per block
	avail    [NumClasses][]VReg
}

func newGen(rng *rand.Rand) *gen {
	g := &gen{rng: rng, cfg: &Config{RegNames: testRegNames}, f: &testFunc{}}
	g.k = [NumClasses]int{2 + rng.IntN(3), 1 + rng.IntN(3)}
	for c := Class(0); c < NumClasses; c++ {
		for i := 0; i < g.k[c]; i++ {
			g.cfg.Regs[c] = append(g.cfg.Regs[c], PReg(16*int(c)+i))
		}
		g.cfg.Scratch[c] = PReg(16*int(c) + 15)
		for i, r := range g.cfg.Regs[c] {
			// The last register is callee-saved half the time (never r0/r1, the call's).
			if i == g.k[c]-1 && i >= 2 && rng.IntN(2) == 0 {
				g.cfg.CalleeSaved = g.cfg.CalleeSaved.Add(r)
			} else {
				g.clobbers = g.clobbers.Add(r)
			}
		}
	}
	if rng.IntN(4) == 0 {
		g.cfg.Slots = SlotPerVReg
	}
	return g
}

func (g *gen) newVReg(c Class) VReg {
	g.f.class = append(g.f.class, c)
	return VReg(len(g.f.class) - 1)
}

func (g *gen) pick(c Class) VReg { return g.avail[c][g.rng.IntN(len(g.avail[c]))] }

func (g *gen) emit(b int, op string, ops ...Operand) *testInstr {
	in := &testInstr{op: op, ops: ops}
	g.code[b] = append(g.code[b], in)
	for _, o := range ops {
		if v, ok := o.VReg(); ok && o.IsDef() {
			g.avail[g.f.class[v]] = append(g.avail[g.f.class[v]], v)
		}
	}
	return in
}

// cfgShape makes a CFG: block b falls to b+1 or branches to b+1 and any non-entry block, the
// last block returns; then critical edges are split by new blocks at the end.
func (g *gen) cfgShape() [][]int {
	n := 1 + g.rng.IntN(8)
	succs := make([][]int, n)
	for b := 0; b < n-1; b++ {
		t := 1 + g.rng.IntN(n-1)
		switch g.rng.IntN(3) {
		case 0:
			succs[b] = []int{b + 1}
		case 1:
			succs[b] = []int{b + 1, t}
		default:
			succs[b] = []int{t, b + 1}
		}
	}
	npred := make([]int, n)
	for _, ss := range succs {
		for _, s := range ss {
			npred[s]++
		}
	}
	for b := 0; b < n; b++ {
		if len(succs[b]) < 2 {
			continue
		}
		for k, s := range succs[b] {
			if npred[s] > 1 {
				succs[b][k] = len(succs)
				succs = append(succs, []int{s})
			}
		}
	}
	return succs
}

func (g *gen) function() *testFunc {
	succs := g.cfgShape()
	nb := len(succs)
	preds := make([][]int, nb)
	for b, ss := range succs {
		for _, s := range ss {
			preds[s] = append(preds[s], b)
		}
	}
	// Dominators as bit masks (nb < 64), and a reverse postorder.
	dom := make([]uint64, nb)
	for b := range dom {
		dom[b] = 1<<nb - 1
	}
	dom[0] = 1
	for changed := true; changed; {
		changed = false
		for b := 1; b < nb; b++ {
			d := uint64(1<<nb - 1)
			for _, p := range preds[b] {
				d &= dom[p]
			}
			d |= 1 << b
			if d != dom[b] {
				dom[b], changed = d, true
			}
		}
	}
	var post []int
	seen := make([]bool, nb)
	var dfs func(int)
	dfs = func(b int) {
		seen[b] = true
		for _, s := range succs[b] {
			if !seen[s] {
				dfs(s)
			}
		}
		post = append(post, b)
	}
	dfs(0)

	g.code = make([][]*testInstr, nb)
	params := make([][]VReg, nb)
	defs := make([][]VReg, nb) // params and defs of each block
	for i := len(post) - 1; i >= 0; i-- {
		b := post[i]
		g.avail = [NumClasses][]VReg{}
		for d := 0; d < nb; d++ {
			if d != b && dom[b]&(1<<d) != 0 {
				for _, v := range defs[d] {
					g.avail[g.f.class[v]] = append(g.avail[g.f.class[v]], v)
				}
			}
		}
		if b == 0 {
			g.emit(b, "copy", FixedUse(0), Def(g.newVReg(ClassInt)))
			g.emit(b, "copy", FixedUse(16), Def(g.newVReg(ClassFloat)))
		} else {
			for j := g.rng.IntN(3); j > 0; j-- {
				p := g.newVReg(Class(g.rng.IntN(2)))
				params[b] = append(params[b], p)
				g.avail[g.f.class[p]] = append(g.avail[g.f.class[p]], p)
			}
		}
		size := g.rng.IntN(6)
		if g.rng.IntN(5) == 0 {
			size += 20
		}
		for j := 0; j < size; j++ {
			g.instr(b)
		}
		switch len(succs[b]) {
		case 0:
			if g.rng.IntN(2) == 0 {
				g.emit(b, "ret", Use(g.pick(ClassInt)))
			} else {
				g.emit(b, "copy", Use(g.pick(ClassInt)), FixedDef(0))
				g.emit(b, "ret", FixedUse(0))
			}
		case 1:
			g.emit(b, "jump")
		default:
			g.emit(b, "br", Use(g.pick(ClassInt)))
		}
		defs[b] = append(slices.Clone(params[b]), g.avail[ClassInt]...)
		defs[b] = append(defs[b], g.avail[ClassFloat]...)
		slices.Sort(defs[b])
		defs[b] = slices.Compact(defs[b])
	}
	// Branch arguments, from the values available at the end of each block.
	for b := 0; b < nb; b++ {
		term := g.code[b][len(g.code[b])-1]
		term.targets = succs[b]
		term.args = make([][]VReg, len(succs[b]))
		g.avail = [NumClasses][]VReg{}
		for _, v := range defs[b] {
			g.avail[g.f.class[v]] = append(g.avail[g.f.class[v]], v)
		}
		for k, s := range succs[b] {
			for _, p := range params[s] {
				term.args[k] = append(term.args[k], g.pick(g.f.class[p]))
			}
		}
	}
	f := g.f
	for b := 0; b < nb; b++ {
		f.blocks = append(f.blocks, &testBlock{start: len(f.instrs), params: params[b]})
		f.instrs = append(f.instrs, g.code[b]...)
		f.blocks[b].end = len(f.instrs)
	}
	f.link()
	return f
}

// instr appends one random instruction (or a short sequence) to block b.
func (g *gen) instr(b int) {
	c := Class(g.rng.IntN(2))
	k := g.k[c]
	uses := func(n int) []Operand {
		var ops []Operand
		for range n {
			ops = append(ops, Use(g.pick(c)))
		}
		return ops
	}
	switch g.rng.IntN(10) {
	case 0:
		g.emit(b, "const", Def(g.newVReg(c)))
	case 1:
		g.emit(b, "copy", Use(g.pick(c)), Def(g.newVReg(c)))
	case 2: // conversion between classes
		src := Use(g.pick(1 - c))
		g.emit(b, "cvt", src, Def(g.newVReg(c)))
	case 3: // two-address op: copy the first input, then reuse its register
		t := g.newVReg(c)
		g.emit(b, "copy", Use(g.pick(c)), Def(t))
		ops := []Operand{Use(t)}
		if k >= 2 {
			ops = append(ops, Use(g.pick(c)))
		}
		g.emit(b, "sub", append(ops, ReuseDef(g.newVReg(c), 0))...)
		g.avail[c] = slices.DeleteFunc(g.avail[c], func(v VReg) bool { return v == t })
	case 4: // call: arguments in r0, r1 (and f0), result in r0, caller-saved clobbered
		g.emit(b, "copy", Use(g.pick(ClassInt)), FixedDef(0))
		g.emit(b, "copy", Use(g.pick(ClassInt)), FixedDef(1))
		ops := []Operand{FixedUse(0), FixedUse(1)}
		if g.rng.IntN(2) == 0 {
			g.emit(b, "copy", Use(g.pick(ClassFloat)), FixedDef(16))
			ops = append(ops, FixedUse(16))
		}
		in := g.emit(b, "call", append(ops, FixedDef(0))...)
		in.clobbers = g.clobbers
		g.emit(b, "copy", FixedUse(0), Def(g.newVReg(ClassInt)))
	case 5: // division: dividend in r1:r0, divisor anywhere else, results in r0 and r1
		if g.k[ClassInt] < 3 {
			return
		}
		g.emit(b, "copy", Use(g.pick(ClassInt)), FixedDef(0))
		g.emit(b, "copy", Use(g.pick(ClassInt)), FixedDef(1))
		g.emit(b, "div", FixedUse(0), FixedUse(1), Use(g.pick(ClassInt)), FixedDef(0), FixedDef(1))
		g.emit(b, "copy", FixedUse(0), Def(g.newVReg(ClassInt)))
		g.emit(b, "copy", FixedUse(1), Def(g.newVReg(ClassInt)))
	case 6: // shift: count in r1 (rcx), two-address
		t := g.newVReg(ClassInt)
		g.emit(b, "copy", Use(g.pick(ClassInt)), Def(t))
		g.emit(b, "copy", Use(g.pick(ClassInt)), FixedDef(1))
		g.emit(b, "shl", Use(t), FixedUse(1), ReuseDef(g.newVReg(ClassInt), 0))
		g.avail[ClassInt] = slices.DeleteFunc(g.avail[ClassInt], func(v VReg) bool { return v == t })
	default: // an op with one to k uses (at most 3)
		n := 1 + g.rng.IntN(min(k, 3))
		g.emit(b, "op", append(uses(n), Def(g.newVReg(c)))...)
	}
}

// BenchmarkRandom allocates TestRandom's first 500 functions, small functions of a few
// blocks: the common case, where per-function costs show.
func BenchmarkRandom(b *testing.B) {
	rng := rand.New(rand.NewPCG(1, 2))
	var fs []*testFunc
	var cfgs []*Config
	for range 500 {
		g := newGen(rng)
		fs, cfgs = append(fs, g.function()), append(cfgs, g.cfg)
	}
	b.ReportAllocs()
	for b.Loop() {
		for i, f := range fs {
			if _, err := Run(f, cfgs[i]); err != nil {
				b.Fatal(err)
			}
		}
	}
}
