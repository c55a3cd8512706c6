package regalloc

import (
	"maps"
	"slices"
	"testing"
)

// TestFastLoopCounterInRegister: a counted single-block loop keeps its counter, a block
// parameter, and its bound, defined before it, in registers: the loop's block neither
// loads nor stores anything, and its back edge reloads nothing. Before, the counter lived
// in its slot only, so b1 reloaded it on every iteration after b2 stored it, and reloaded
// the bound too (issue 21, matmul at -O0).
func TestFastLoopCounterInRegister(t *testing.T) {
	cfg, _ := parseConfig("")
	f, r := runFastChecked(t, cfg, `b0:
  %0:i = copy r0
  %1:i = const
  jump b1(%1)
b1(%2:i):
  %3:i = load %2
  store %3, %0
  %4:i = inc %2
  %5:i = lt %4, %0
  br %5, b2, b3
b2:
  jump b1(%4)
b3:
  ret
`)
	start, end := f.BlockInstrs(1)
	back, _ := f.BlockInstrs(2)
	for _, e := range r.Edits {
		inLoop := e.Before >= start && e.Before < end
		if inLoop && (e.From.IsSlot() || e.To.IsSlot()) {
			t.Errorf("the loop's block moves %%%d between a slot and a register:\n%s", e.VReg, f.format(cfg, r))
		}
		if e.Before == back && e.Kind() == Reload {
			t.Errorf("the back edge reloads %%%d:\n%s", e.VReg, f.format(cfg, r))
		}
	}
}

// TestFastLoopSwap: a loop exchanging two parameters on its back edge (a cycle between
// their home registers) and passing its counter on.
// Check must accept the allocation, and running it must give what the function computes:
// with n iterations (n-1 swaps), the difference of the two values, sign flipped when n is
// even.
func TestFastLoopSwap(t *testing.T) {
	cfg, _ := parseConfig("int: r0 r1 r2 r3 r4 r5 r6 r7")
	f, r := runFastChecked(t, cfg, `b0:
  %0:i = copy r0
  %1:i = copy r1
  %2:i = copy r2
  %3:i = const
  jump b1(%1, %2, %3)
b1(%4:i, %5:i, %6:i):
  %7:i = inc %6
  %8:i = lt %7, %0
  br %8, b2, b3
b2:
  jump b1(%5, %4, %7)
b3:
  r0 = sub %4, %5
  ret r0
`)
	swapped := false // whether the back edge moves a register into another
	back, _ := f.BlockInstrs(2)
	for _, e := range r.Edits {
		swapped = swapped || e.Before == back && e.Kind() == Move
	}
	if !swapped {
		t.Errorf("the back edge moves no register into another: the parameters are not in registers\n%s", f.format(cfg, r))
	}
	for _, n := range []int64{1, 2, 3, 6, 7} {
		in := map[PReg]int64{0: n, 1: 100, 2: 7}
		want := int64(100 - 7)
		if n%2 == 0 {
			want = -want
		}
		if got := evalIR(t, f, in)[0]; got != want {
			t.Fatalf("n=%d: the function computes %d, want %d", n, got, want)
		}
		if got := evalAllocated(t, f, r, in)[0]; got != want {
			t.Errorf("n=%d: the allocated function computes %d, want %d\n%s", n, got, want, f.format(cfg, r))
		}
	}
}

// evalOp computes the ops the loop tests use.
func evalOp(t *testing.T, op string, in []int64) int64 {
	switch op {
	case "const":
		return 0
	case "copy":
		return in[0]
	case "inc":
		return in[0] + 1
	case "lt":
		if in[0] < in[1] {
			return 1
		}
		return 0
	case "sub":
		return in[0] - in[1]
	}
	t.Fatalf("evalOp: no op %q", op)
	return 0
}

// step runs f's block b: before each instruction it calls before, then the instruction
// reads its uses through read and writes its defs through write; at the terminator it
// returns the next block and the index of the target taken, or -1 after ret.
func step(t *testing.T, f *testFunc, b int, before func(i int), read func(i, k int) int64, write func(i, k int, x int64)) (next, k int) {
	blk := f.blocks[b]
	for i := blk.start; i < blk.end; i++ {
		before(i)
		in := f.instrs[i]
		var vals []int64
		for k, o := range in.ops {
			if !o.IsDef() {
				vals = append(vals, read(i, k))
			}
		}
		switch in.op {
		case "ret":
			return -1, -1
		case "jump":
			return in.targets[0], 0
		case "br":
			if vals[0] != 0 {
				return in.targets[0], 0
			}
			return in.targets[1], 1
		}
		x := evalOp(t, in.op, vals)
		for k, o := range in.ops {
			if o.IsDef() {
				write(i, k, x)
			}
		}
	}
	t.Fatalf("b%d has no terminator", b)
	return 0, 0
}

// evalIR runs f on the values of the registers in and returns the registers' values.
func evalIR(t *testing.T, f *testFunc, in map[PReg]int64) map[PReg]int64 {
	regs, vals := maps.Clone(in), map[VReg]int64{}
	read := func(i, k int) int64 {
		o := f.instrs[i].ops[k]
		if r, ok := o.PReg(); ok {
			return regs[r]
		}
		return vals[o.vreg]
	}
	write := func(i, k int, x int64) {
		o := f.instrs[i].ops[k]
		if r, ok := o.PReg(); ok {
			regs[r] = x
			return
		}
		vals[o.vreg] = x
	}
	for b, n := 0, 0; b >= 0; n++ {
		next, k := step(t, f, b, func(int) {}, read, write)
		if next >= 0 {
			args := make([]int64, len(f.blocks[b].args[k]))
			for j, v := range f.blocks[b].args[k] {
				args[j] = vals[v]
			}
			for j, p := range f.blocks[next].params {
				vals[p] = args[j]
			}
		}
		b = limitSteps(t, next, n)
	}
	return regs
}

// evalAllocated runs f as allocated by r: each operand in its location, and the edits
// before the instruction they name, in their order.
func evalAllocated(t *testing.T, f *testFunc, r *Result, in map[PReg]int64) map[PReg]int64 {
	locs := map[Loc]int64{}
	for p, x := range in {
		locs[RegLoc(p)] = x
	}
	edits := slices.Clone(r.Edits)
	slices.SortStableFunc(edits, func(d, e Edit) int { return d.Before - e.Before })
	before := func(i int) {
		for _, e := range edits {
			if e.Before == i {
				locs[e.To] = locs[e.From]
			}
		}
	}
	read := func(i, k int) int64 { return locs[r.Alloc(i, k)] }
	write := func(i, k int, x int64) { locs[r.Alloc(i, k)] = x }
	for b, n := 0, 0; b >= 0; n++ {
		next, _ := step(t, f, b, before, read, write)
		b = limitSteps(t, next, n)
	}
	regs := map[PReg]int64{}
	for l, x := range locs {
		if l.IsReg() {
			regs[l.Reg()] = x
		}
	}
	return regs
}

// limitSteps returns the next block, failing the test after too many.
func limitSteps(t *testing.T, next, n int) int {
	if n > 1000 {
		t.Fatal("more than 1,000 blocks run")
	}
	return next
}
