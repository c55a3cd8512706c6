package ir

import (
	"fmt"
	"math/rand/v2"
	"runtime"
	"strings"
	"testing"
)

// TestThreadRandom generates dispatch loops shaped like Go's resume points (a loop head
// that branches on its parameter over case blocks, which read the head's parameters and
// results directly, go back with constant or computed indices, or return) and runs each
// through the interpreter before and after Thread, as TestPipelineRandom does for -O2.
// Each function also goes through Thread with irreducible results allowed, whose SSA
// repair then meets cycles with several entries. Thread itself must leave every loop
// natural: each retreating edge of a depth-first order goes to a block that dominates
// its source.
func TestThreadRandom(t *testing.T) {
	n := 600
	if testing.Short() {
		n = 200
	}
	var threaded, irreducible, calls int
	for seed := range uint64(n) {
		src := genDispatch(seed)
		orig, err := Parse(src)
		if err != nil {
			t.Fatalf("seed %d: the generator wrote bad text: %v\n%s", seed, err, src)
		}
		if errs := VerifyModule(orig); len(errs) > 0 {
			t.Fatalf("seed %d: the generator wrote invalid IR:\n%s\n%s", seed, errorLines(errs), src)
		}
		var opts [2]*Module
		for i, irr := range []bool{false, true} {
			m, _ := Parse(src)
			name := "thread"
			if irr {
				name = "thread-irreducible"
			}
			pass := Pass{Name: name, Run: func(f *Func) { threadFunc(f, irr) }}
			if err := runPass(m.Funcs[0], pass, Config{Verify: true}); err != nil {
				t.Fatalf("seed %d: %v\n%s", seed, err, src)
			}
			opts[i] = m
		}
		if got := opts[0].Funcs[0].String(); got != orig.Funcs[0].String() {
			threaded++
		}
		if !reducible(opts[0].Funcs[0]) {
			t.Fatalf("seed %d: Thread made an irreducible cycle\nbefore:\n%s\nafter:\n%s", seed, src, opts[0].Funcs[0])
		}
		if !reducible(opts[1].Funcs[0]) {
			irreducible++
		}
		// Fuel, added after the pass, turns a repair that loses the count-down into a
		// trap rather than a hang.
		fuel := addFuel(orig)
		io, err := Instantiate(orig, nil, InterpConfig{})
		if err != nil {
			t.Fatal(err)
		}
		var insts [2]*Instance
		for i, m := range opts {
			addFuel(m)
			if insts[i], err = Instantiate(m, nil, InterpConfig{}); err != nil {
				t.Fatal(err)
			}
		}
		rng := rand.New(rand.NewPCG(seed, 7))
		vals := sampleValues[I32]
		for pc := range uint64(9) {
			args := []Val{{Type: I32, Bits: pc}, {Type: I32, Bits: vals[rng.IntN(len(vals))]}, {Type: I32, Bits: vals[rng.IntN(len(vals))]}}
			for _, in := range append([]*Instance{io}, insts[:]...) {
				if err := in.globals[fuel].Set(I64Val(fuelPerCall)); err != nil {
					t.Fatal(err)
				}
			}
			r, e := io.funcs[0].Call(args)
			want := outcome(r, e)
			for i, in := range insts {
				r, e := in.funcs[0].Call(args)
				if got := outcome(r, e); got != want {
					t.Fatalf("seed %d: %v: %s before, %s after (irreducible allowed: %v)\nbefore:\n%s\nafter:\n%s",
						seed, args, want, got, i == 1, src, opts[i].Funcs[0])
				}
			}
			calls++
		}
	}
	t.Logf("%d calls of %d functions; Thread changed %d, %d became irreducible when allowed", calls, n, threaded, irreducible)
	if threaded < n/2 || irreducible < n/4 {
		t.Fatalf("the generator no longer exercises the pass: %d of %d threaded, %d irreducible", threaded, n, irreducible)
	}
}

// reducible reports whether every retreating edge of f's reverse postorder goes to a
// block that dominates its source, which holds for every depth-first order exactly when
// the graph is reducible.
func reducible(f *Func) bool {
	c, d := f.CFG(), f.Dom()
	pos := make([]int, len(f.Blocks))
	for i, b := range c.RPO {
		pos[b] = i
	}
	for _, b := range c.RPO {
		for _, s := range c.Succs[b] {
			if pos[s] <= pos[b] && !d.Dominates(s, b) {
				return false
			}
		}
	}
	return true
}

// genDispatch writes a function $f(pc, x, y) shaped like a Go resume-point loop: b0
// enters the head b1(s, x, y, n) with the counter n = 30; b1 computes a few pure values
// from x, y and n, then dispatches on s (brtable, or brif in one function in five) to
// case blocks, some of which take head values as parameters. Each case block counts n
// down and returns when it reaches zero, else computes and goes back to b1 with a
// constant index, one of two by a brif, or a computed one, or on to a later case
// block; the default returns. Case blocks read the head's values directly, which is
// what the SSA repair must get right. In half the functions, returning goes through an
// exit dispatch outside the loop, which most of its predecessors pass a constant.
func genDispatch(seed uint64) string {
	rng := rand.New(rand.NewPCG(seed, 1))
	var sb strings.Builder
	nv := 0
	val := func() string { nv++; return fmt.Sprintf("v%d", nv-1) }
	ops := []string{"iadd", "isub", "imul", "ixor"}
	pick := func(vs []string) string { return vs[rng.IntN(len(vs))] }
	op := func(a, b string) (string, string) {
		v := val()
		return v, fmt.Sprintf("    %s:i32 = %s %s, %s\n", v, pick(ops), a, b)
	}

	ncase := 2 + rng.IntN(4)
	// In one function in two, the blocks that return pass their result to an exit
	// dispatch instead, most with a constant index: a dispatch outside any loop.
	exit := rng.IntN(2) == 0
	var ret func(w string)
	brif := rng.IntN(5) == 0
	if brif {
		ncase = 2
	}
	sb.WriteString("func $f(i32, i32, i32) -> i32 {\n")
	a0, a1, a2 := val(), val(), val()
	fmt.Fprintf(&sb, "b0(%s:i32, %s:i32, %s:i32):\n", a0, a1, a2)
	cnt := val()
	fmt.Fprintf(&sb, "    %s:i32 = iconst 30\n    jump b1(%s, %s, %s, %s)\n", cnt, a0, a1, a2, cnt)
	s, x, y, n := val(), val(), val(), val()
	fmt.Fprintf(&sb, "b1(%s:i32, %s:i32, %s:i32, %s:i32):\n", s, x, y, n)
	head := []string{x, y, n}
	for range rng.IntN(3) {
		v, line := op(pick(head), pick(head))
		sb.WriteString(line)
		head = append(head, v)
	}
	// Case i is block b(2+3i), its continuation b(3+3i), its return b(4+3i); the
	// default is the block after them.
	caseB := func(i int) int { return 2 + 3*i }
	def := caseB(ncase)
	nparams := make([]int, ncase)
	for i := range nparams {
		nparams[i] = rng.IntN(3)
	}
	call := func(i int, from []string) string {
		if i >= ncase {
			return fmt.Sprintf("b%d", def)
		}
		if nparams[i] == 0 {
			return fmt.Sprintf("b%d", caseB(i))
		}
		args := make([]string, nparams[i])
		for k := range args {
			args[k] = pick(from)
		}
		return fmt.Sprintf("b%d(%s)", caseB(i), strings.Join(args, ", "))
	}
	if brif {
		fmt.Fprintf(&sb, "    brif %s, %s, %s\n", s, call(0, head), call(1, head))
	} else {
		targets := make([]string, ncase+rng.IntN(2))
		for k := range targets {
			targets[k] = call(k%ncase, head)
		}
		fmt.Fprintf(&sb, "    brtable %s, [%s], default %s\n", s, strings.Join(targets, ", "), call(ncase, head))
	}
	ret = func(w string) {
		if !exit {
			fmt.Fprintf(&sb, "    return %s\n", w)
			return
		}
		if rng.IntN(4) == 0 {
			fmt.Fprintf(&sb, "    jump b%d(%s, %s)\n", def+1, w, w)
			return
		}
		k := val()
		fmt.Fprintf(&sb, "    %s:i32 = iconst %d\n    jump b%d(%s, %s)\n", k, rng.IntN(3), def+1, k, w)
	}
	index := func() string { // a constant index, the default's included
		v := val()
		fmt.Fprintf(&sb, "    %s:i32 = iconst %d\n", v, rng.IntN(ncase+1))
		return v
	}
	for i := range ncase {
		params := make([]string, nparams[i])
		decl := make([]string, nparams[i])
		for k := range params {
			params[k] = val()
			decl[k] = params[k] + ":i32"
		}
		if len(decl) > 0 {
			fmt.Fprintf(&sb, "b%d(%s):\n", caseB(i), strings.Join(decl, ", "))
		} else {
			fmt.Fprintf(&sb, "b%d:\n", caseB(i))
		}
		avail := append(append([]string(nil), head...), params...)
		one := val()
		nn := val()
		fmt.Fprintf(&sb, "    %s:i32 = iconst 1\n    %s:i32 = isub %s, %s\n", one, nn, n, one)
		z, line := op(pick(avail), pick(avail))
		sb.WriteString(line)
		fmt.Fprintf(&sb, "    brif %s, b%d, b%d\n", nn, caseB(i)+1, caseB(i)+2)

		fmt.Fprintf(&sb, "b%d:\n", caseB(i)+1)
		tv, line := op(z, pick(avail))
		sb.WriteString(line)
		avail = append(avail, z, tv)
		switch k := rng.IntN(10); {
		case k < 4:
			fmt.Fprintf(&sb, "    jump b1(%s, %s, %s, %s)\n", index(), z, tv, nn)
		case k < 7:
			k1, k2 := index(), index()
			fmt.Fprintf(&sb, "    brif %s, b1(%s, %s, %s, %s), b1(%s, %s, %s, %s)\n", tv, k1, tv, z, nn, k2, pick(avail), pick(head), nn)
		case k < 8:
			three := val()
			sv := val()
			fmt.Fprintf(&sb, "    %s:i32 = iconst 3\n    %s:i32 = iand %s, %s\n", three, sv, tv, three)
			fmt.Fprintf(&sb, "    jump b1(%s, %s, %s, %s)\n", sv, tv, pick(head), nn)
		default:
			if i+1 < ncase {
				// On to a later case: its own count-down stops the chain.
				fmt.Fprintf(&sb, "    jump %s\n", call(i+1+rng.IntN(ncase-i-1), avail))
			} else {
				fmt.Fprintf(&sb, "    jump b1(%s, %s, %s, %s)\n", index(), y, x, nn)
			}
		}

		fmt.Fprintf(&sb, "b%d:\n", caseB(i)+2)
		w, line := op(z, pick(head))
		sb.WriteString(line)
		ret(w)
	}
	fmt.Fprintf(&sb, "b%d:\n", def)
	w, line := op(pick(head), pick(head))
	sb.WriteString(line)
	ret(w)
	if exit {
		// The exit dispatch, in no cycle: its predecessors are the return blocks.
		k, r := val(), val()
		fmt.Fprintf(&sb, "b%d(%s:i32, %s:i32):\n", def+1, k, r)
		fmt.Fprintf(&sb, "    brtable %s, [b%d(%s), b%d], default b%d\n", k, def+2, r, def+3, def+3)
		q := val()
		fmt.Fprintf(&sb, "b%d(%s:i32):\n", def+2, q)
		w, line := op(q, r)
		sb.WriteString(line)
		fmt.Fprintf(&sb, "    return %s\n", w)
		fmt.Fprintf(&sb, "b%d:\n", def+3)
		w, line = op(r, k)
		sb.WriteString(line)
		fmt.Fprintf(&sb, "    return %s\n", w)
	}
	sb.WriteString("}\n")
	return sb.String()
}

// dispatchChain is a function of heads dispatch loops in a row, each a head b(s, x)
// whose brtable picks one of cases case blocks; case k adds k to x and goes back with the
// constant index k+1, the last case leaves for the next loop.
func dispatchChain(heads, cases int) string {
	var sb strings.Builder
	sb.WriteString("func $f(i32, i32) -> i32 {\nb0(v0:i32, v1:i32):\n    jump b1(v0, v1)\n")
	nv, nb := 2, 1
	for range heads {
		h := nb
		s, x := nv, nv+1
		nv += 2
		fmt.Fprintf(&sb, "b%d(v%d:i32, v%d:i32):\n    brtable v%d, [", h, s, x, s)
		for k := range cases {
			if k > 0 {
				sb.WriteString(", ")
			}
			fmt.Fprintf(&sb, "b%d", h+1+k)
		}
		next := h + 1 + cases
		fmt.Fprintf(&sb, "], default b%d(v%d, v%d)\n", next, s, x)
		for k := range cases {
			c, y := nv, nv+1
			nv += 2
			fmt.Fprintf(&sb, "b%d:\n    v%d:i32 = iconst %d\n    v%d:i32 = iadd v%d, v%d\n    jump b%d(v%d, v%d)\n",
				h+1+k, c, k+1, y, x, c, h, c, y)
		}
		nb = next
	}
	fmt.Fprintf(&sb, "b%d(v%d:i32, v%d:i32):\n    return v%d\n}\n", nb, nv, nv+1, nv+1)
	return sb.String()
}

// TestThreadMemoryLinear bounds what Thread allocates per block on functions of eight
// dispatch loops with many constant back edges each, at two sizes: the bytes per block
// must not grow with the function, as they would if a search or a repair walk ran once
// per edge over the whole function.
func TestThreadMemoryLinear(t *testing.T) {
	var per [2]int
	for i, cases := range []int{500, 4000} {
		m, err := Parse(dispatchChain(threadMaxHeaders, cases))
		if err != nil {
			t.Fatal(err)
		}
		f := m.Funcs[0]
		blocks := len(f.Blocks)
		runtime.GC()
		var before, after runtime.MemStats
		runtime.ReadMemStats(&before)
		Thread(f)
		runtime.ReadMemStats(&after)
		if errs := Verify(f); len(errs) > 0 {
			t.Fatalf("after Thread: %s", errorLines(errs))
		}
		per[i] = int(after.TotalAlloc-before.TotalAlloc) / blocks
		t.Logf("%d blocks: %d bytes each", blocks, per[i])
	}
	if per[1] > per[0]*3/2 {
		t.Errorf("Thread allocated %d bytes a block on the larger function, %d on the smaller", per[1], per[0])
	}
}

// TestThreadRepairLinear counts what Thread's SSA repair visits (instructions, branch
// targets, reads) on one dispatch loop of n cases, every case's constant back edge
// threaded to the next case, at two sizes under the copy budget: the visits per block
// must not grow with n. Each case then reads the head's parameter through a new
// parameter with the head as one predecessor, and passing it walked the head's whole
// brtable once per parameter made: n² visits (61 a block at 60 cases, 241 at 240).
func TestThreadRepairLinear(t *testing.T) {
	var per [2]float64
	for i, cases := range []int{60, 240} {
		var text string
		per[i], text = threadRepairSteps(t, dispatchChain(1, cases))
		if got := strings.Count(text, "jump b1("); got != 1 {
			t.Fatalf("%d jumps to the head after Thread, want only the entry's: every back edge threaded", got)
		}
		t.Logf("%d cases: %.1f repair steps a block", cases, per[i])
	}
	if per[1] > per[0]*1.2 {
		t.Errorf("the repair visited %.1f times a block on the larger function, %.1f on the smaller", per[1], per[0])
	}
}

// threadRepairSteps threads the one function of src, checks the result verifies, and
// returns the steps Thread's repair took per block of the function before, and the
// function's text after.
func threadRepairSteps(t *testing.T, src string) (float64, string) {
	t.Helper()
	m, err := Parse(src)
	if err != nil {
		t.Fatal(err)
	}
	f := m.Funcs[0]
	blocks := len(f.Layout)
	steps := threadFunc(f, false)
	if errs := Verify(f); len(errs) > 0 {
		t.Fatalf("after Thread: %s", errorLines(errs))
	}
	return float64(steps) / float64(blocks), f.String()
}

// dispatchWide is one dispatch loop b1 of cases case blocks over vals values, which
// the head takes as parameters and every case reads and passes back changed, with the
// constant index of the next case; the last case returns.
func dispatchWide(cases, vals int) string {
	var sb strings.Builder
	params := func(first int) string {
		var p []string
		for i := range vals {
			p = append(p, fmt.Sprintf("v%d:i32", first+i))
		}
		return strings.Join(p, ", ")
	}
	args := func(first int) string {
		var p []string
		for i := range vals {
			p = append(p, fmt.Sprintf("v%d", first+i))
		}
		return strings.Join(p, ", ")
	}
	fmt.Fprintf(&sb, "func $f(i32, i32) -> i32 {\nb0(v0:i32, v1:i32):\n    jump b1(v0%s)\n", strings.Repeat(", v1", vals))
	// b1(s, x0 … x(vals-1)): s is v2, x_i is v(3+i).
	fmt.Fprintf(&sb, "b1(v2:i32, %s):\n    brtable v2, [", params(3))
	for k := range cases {
		if k > 0 {
			sb.WriteString(", ")
		}
		fmt.Fprintf(&sb, "b%d", k+2)
	}
	fmt.Fprintf(&sb, "], default b%d\n", cases+2)
	nv := 3 + vals
	for k := range cases {
		c := nv
		fmt.Fprintf(&sb, "b%d:\n    v%d:i32 = iconst %d\n", k+2, c, k+1)
		for i := range vals {
			fmt.Fprintf(&sb, "    v%d:i32 = iadd v%d, v%d\n", c+1+i, 3+i, c)
		}
		fmt.Fprintf(&sb, "    jump b1(v%d, %s)\n", c, args(c+1))
		nv = c + 1 + vals
	}
	fmt.Fprintf(&sb, "b%d:\n    return v3\n}\n", cases+2)
	return sb.String()
}

// TestThreadAllocationsPerBlock counts what Thread allocates on a dispatch loop of 240
// cases that each read the head's 16 values and pass them back, every back edge
// threaded, so that every case gets 16 new parameters: 77 allocations a block before
// (issue 21), the repair keeping its lookups in maps, a slice of operands a parameter
// made, a list of predecessors a block, and growing each argument list and parameter
// list one value at a time; 9 now.
func TestThreadAllocationsPerBlock(t *testing.T) {
	m, err := Parse(dispatchWide(240, 16))
	if err != nil {
		t.Fatal(err)
	}
	f := m.Funcs[0]
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	Thread(f)
	runtime.ReadMemStats(&after)
	if errs := Verify(f); len(errs) > 0 {
		t.Fatalf("after Thread: %s", errorLines(errs))
	}
	if got := strings.Count(f.String(), "jump b1("); got != 1 {
		t.Fatalf("%d jumps to the head after Thread, want only the entry's: every back edge threaded", got)
	}
	per := float64(after.Mallocs-before.Mallocs) / float64(len(f.Layout))
	t.Logf("%d blocks: %.2f allocations each", len(f.Layout), per)
	if per > 15 {
		t.Errorf("Thread made %.2f allocations a block, more than 15", per)
	}
}

// TestThreadRepairScansRegion counts the repair's visits on functions of one and of
// eight dispatch loops side by side, of 60 cases each: the visits per block must not
// grow with the number of loops. The uses of a dispatch block's values are in the blocks
// it dominates (and on the edges threaded), so the repair looks for them there alone;
// scanning the whole function for each dispatch block made the visits grow with their
// number (5.7 a block for one loop, 26.3 for eight, before).
func TestThreadRepairScansRegion(t *testing.T) {
	var per [2]float64
	for i, heads := range []int{1, threadMaxHeaders} {
		var text string
		per[i], text = threadRepairSteps(t, dispatchSiblings(heads, 60))
		for i := range heads {
			if h := 1 + i*62; strings.Contains(text, fmt.Sprintf("jump b%d(", h)) {
				t.Fatalf("b%d is still jumped to after Thread: every back edge should be threaded", h)
			}
		}
		t.Logf("%d dispatch loops: %.1f repair steps a block", heads, per[i])
	}
	if per[1] > per[0]*1.2 {
		t.Errorf("the repair visited %.1f times a block with eight dispatch loops, %.1f with one", per[1], per[0])
	}
}

// dispatchSiblings is a function whose entry picks one of heads dispatch loops, none
// dominating another, each a head b(s, x) whose brtable picks one of cases case blocks;
// case k adds k to x and goes back with the constant index k+1, and the head's default
// returns x.
func dispatchSiblings(heads, cases int) string {
	var sb strings.Builder
	sb.WriteString("func $f(i32, i32) -> i32 {\nb0(v0:i32, v1:i32):\n    brtable v0, [")
	for i := range heads {
		if i > 0 {
			sb.WriteString(", ")
		}
		fmt.Fprintf(&sb, "b%d(v0, v1)", 1+i*(cases+2))
	}
	fmt.Fprintf(&sb, "], default b%d\n", 1+heads*(cases+2))
	nv := 2
	for i := range heads {
		h := 1 + i*(cases+2)
		s, x := nv, nv+1
		nv += 2
		fmt.Fprintf(&sb, "b%d(v%d:i32, v%d:i32):\n    brtable v%d, [", h, s, x, s)
		for k := range cases {
			if k > 0 {
				sb.WriteString(", ")
			}
			fmt.Fprintf(&sb, "b%d", h+1+k)
		}
		fmt.Fprintf(&sb, "], default b%d\n", h+1+cases)
		for k := range cases {
			c, y := nv, nv+1
			nv += 2
			fmt.Fprintf(&sb, "b%d:\n    v%d:i32 = iconst %d\n    v%d:i32 = iadd v%d, v%d\n    jump b%d(v%d, v%d)\n",
				h+1+k, c, k+1, y, x, c, h, c, y)
		}
		fmt.Fprintf(&sb, "b%d:\n    return v%d\n", h+1+cases, x)
	}
	fmt.Fprintf(&sb, "b%d:\n    return v1\n}\n", 1+heads*(cases+2))
	return sb.String()
}
