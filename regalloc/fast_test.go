package regalloc

import (
	"fmt"
	"math/rand/v2"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"testing"
)

// TestFastRandom allocates TestRandom's random functions (and as many again from another
// seed) with RunFast, and requires Check to accept every allocation and a second run to
// give the same result.
func TestFastRandom(t *testing.T) {
	n := 20000
	if testing.Short() {
		n = 4000
	}
	var edits, reloads, withSlots int
	for s, rng := range []*rand.Rand{rand.New(rand.NewPCG(1, 2)), rand.New(rand.NewPCG(3, 4))} {
		for seed := range n / 2 {
			g := newGen(rng)
			f := g.function()
			r, err := RunFast(f, g.cfg)
			if err != nil {
				t.Fatalf("stream %d function %d: %v\n%s", s, seed, err, f.format(g.cfg, nil))
			}
			if err := Check(f, g.cfg, r); err != nil {
				t.Fatalf("stream %d function %d: %v\n%s", s, seed, err, f.format(g.cfg, r))
			}
			r2, _ := RunFast(f, g.cfg)
			if !slices.Equal(r.Edits, r2.Edits) || !slices.Equal(r.allocs, r2.allocs) || !slices.Equal(r.Slots, r2.Slots) {
				t.Fatalf("stream %d function %d: two runs differ", s, seed)
			}
			edits += len(r.Edits)
			for _, e := range r.Edits {
				if e.Kind() == Reload {
					reloads++
				}
			}
			if len(r.Slots) > 0 {
				withSlots++
			}
		}
	}
	t.Logf("checked %d random functions: %d with spill slots, %d edits, %d reloads", n, withSlots, edits, reloads)
}

// TestFastGolden allocates the golden files' functions with RunFast: where Run allocates,
// Check must accept RunFast's allocation; where Run reports bad input, RunFast must too
// (the message may differ, except for a function needing more registers than exist, which
// RunFast, spilling more eagerly, reports as well).
func TestFastGolden(t *testing.T) {
	// fastAccepts are the files whose function Run rejects and RunFast allocates: a
	// critical edge passing no arguments, which RunFast needs no block for.
	fastAccepts := map[string]bool{"critical_edge_error": true}
	files, err := filepath.Glob("testdata/*.txtar")
	if err != nil || len(files) == 0 {
		t.Fatalf("no test files: %v", err)
	}
	for _, file := range files {
		t.Run(strings.TrimSuffix(filepath.Base(file), ".txtar"), func(t *testing.T) {
			_, cfg, f := goldenFile(t, file)
			_, want := Run(f, cfg)
			r, err := RunFast(f, cfg)
			name := strings.TrimSuffix(filepath.Base(file), ".txtar")
			switch {
			case want != nil && err == nil && fastAccepts[name]:
				// Check below must still accept what RunFast made of it.
			case want != nil && err == nil:
				t.Fatalf("Run: %v; RunFast allocated:\n%s", want, f.format(cfg, r))
			case want == nil && err != nil:
				t.Fatalf("RunFast: %v", err)
			case err != nil:
				t.Logf("Run: %v; RunFast: %v", want, err)
				return
			}
			if err := Check(f, cfg, r); err != nil {
				t.Fatalf("Check:\n%v\n%s", err, f.format(cfg, r))
			}
		})
	}
}

// TestFastHostile allocates the hostile functions with RunFast and checks the
// allocations, and bounds the bytes a 20,000-value instance allocates per instruction or
// block (without -short, the log compares them with Run's: 190 to 260 bytes against 580
// to 760, and 650 against 1,200 for loop-parameters, whose edges move 20,000 values from
// slot to slot).
func TestFastHostile(t *testing.T) {
	cfg, _ := parseConfig("")
	for _, h := range hostile {
		for _, n := range []int{1, 2, 30, 150, 500} {
			f, err := parseFunc(h.gen(n))
			if err != nil {
				t.Fatalf("%s %d: %v", h.name, n, err)
			}
			r, err := RunFast(f, cfg)
			if err != nil {
				t.Fatalf("%s %d: %v", h.name, n, err)
			}
			if err := Check(f, cfg, r); err != nil {
				t.Fatalf("%s %d: %v", h.name, n, err)
			}
		}
		f, err := parseFunc(h.gen(20000))
		if err != nil {
			t.Fatal(err)
		}
		units := max(len(f.instrs), len(f.blocks))
		bytes := func(run func(Func, *Config) (*Result, error)) int {
			runtime.GC()
			var before, after runtime.MemStats
			runtime.ReadMemStats(&before)
			if _, err := run(f, cfg); err != nil {
				t.Fatalf("%s: %v", h.name, err)
			}
			runtime.ReadMemStats(&after)
			return int(after.TotalAlloc - before.TotalAlloc)
		}
		fast := bytes(RunFast)
		if !testing.Short() {
			t.Logf("%s: %d instructions, %d blocks: RunFast allocated %d bytes per unit, Run %d",
				h.name, len(f.instrs), len(f.blocks), fast/units, bytes(Run)/units)
		}
		if fast > h.fast*units {
			t.Errorf("%s: RunFast allocated %d bytes, more than %d per instruction or block", h.name, fast, h.fast)
		}
	}
}

// TestFastSlotsShared: values live across one if each, one after another, share a few
// slots rather than taking one each (with a slot per value, 200 ifs took 201 slots).
// Inside a loop around them all they do not (without liveness, a lifetime reaching into a
// loop covers all of it), but Check must accept that allocation too.
func TestFastSlotsShared(t *testing.T) {
	cfg, _ := parseConfig("")
	for _, loop := range []bool{false, true} {
		var b strings.Builder
		b.WriteString("b0:\n  %0:i = copy r0\n  jump b1\nb1:\n")
		const n = 200
		next := n + 1
		for k := range n {
			h := 3*k + 1
			fmt.Fprintf(&b, "  %%%d:i = load %%0\n  br %%0, b%d, b%d\nb%d:\n  store %%0\n  jump b%d\nb%d:\n  jump b%d\nb%d:\n",
				k+1, h+1, h+2, h+1, h+3, h+2, h+3, h+3)
			fmt.Fprintf(&b, "  %%%d:i = add %%%d, %%0\n  store %%%d\n", next, k+1, next)
			next++
		}
		if loop {
			fmt.Fprintf(&b, "  br %%0, b%d, b%d\nb%d:\n  jump b1\nb%d:\n", 3*n+2, 3*n+3, 3*n+2, 3*n+3)
		}
		b.WriteString("  ret %0\n")
		t.Run(fmt.Sprintf("loop=%v", loop), func(t *testing.T) {
			_, r := runFastChecked(t, cfg, b.String())
			if !loop && len(r.Slots) > 4 {
				t.Errorf("%d slots for %d values live across one if each", len(r.Slots), n)
			}
		})
	}
}

// TestFastSnapshot: a block whose only predecessor is laid out before it, but not just
// before it (the split edge of the predecessor's other arm sits between them), starts with
// the global values the predecessor left in registers, so it reloads neither %0 nor %1.
func TestFastSnapshot(t *testing.T) {
	cfg, _ := parseConfig("")
	f, r := runFastChecked(t, cfg, `b0:
  %0:i = copy r0
  %1:i = load %0
  br %0, b1, b2
b1:
  store %0
  jump b3
b2:
  %2:i = add %1, %0
  store %2
  jump b3
b3:
  ret %0
`)
	start, end := f.BlockInstrs(2)
	for _, e := range r.Edits {
		if e.Before >= start && e.Before < end && e.Kind() == Reload {
			t.Errorf("b2 reloads %%%d:\n%s", e.VReg, f.format(cfg, r))
		}
	}
}

// TestScanFixedAroundCall counts the instructions scanFixed visits in a block of 1,000
// additions, a call taking and returning r0, and 1,000 more: the registers a call
// reserves are live from its arguments' copies to its result's, and the scan need not
// visit the rest of the block. Before, it walked every block back from its end: 2,005
// instructions counted (b1's 2,004 and b0's jump); 3 now (bound 10).
func TestScanFixedAroundCall(t *testing.T) {
	const n = 1000
	var b strings.Builder
	b.WriteString("b0:\n  %0:i = copy r0\n  jump b1\nb1:\n")
	v := 0
	for range n {
		fmt.Fprintf(&b, "  %%%d:i = add %%%d, %%0\n", v+1, v)
		v++
	}
	fmt.Fprintf(&b, "  r0 = copy %%%d\n  r0 = call r0 clobbers r0 r1 r2\n  %%%d:i = copy r0\n", v, v+1)
	v++
	for range n {
		fmt.Fprintf(&b, "  %%%d:i = add %%%d, %%0\n", v+1, v)
		v++
	}
	fmt.Fprintf(&b, "  jump b2\nb2:\n  r0 = copy %%%d\n  ret r0\n", v)
	cfg, err := parseConfig("int: r0 r1 r2 r3\ncallee: r3\n")
	if err != nil {
		t.Fatal(err)
	}
	f, err := parseFunc(b.String())
	if err != nil {
		t.Fatal(err)
	}
	x := &fastAlloc{allocator: allocator{f: f, cfg: cfg, argless: true}}
	x.adoptResult()
	r, err := x.run()
	if err != nil {
		t.Fatal(err)
	}
	if err := Check(f, cfg, r); err != nil {
		t.Fatal(err)
	}
	scanned := x.fixedScanned - 1 - 2 // b0's copy, b2's copy and ret
	t.Logf("scanFixed visited %d of b1's %d instructions", scanned, 2*n+4)
	if scanned > 10 {
		t.Errorf("scanFixed visited %d instructions of a block whose fixed operands are around a call, more than 10", scanned)
	}
}

// TestRunFastKeepsClobberTable allocates a small function with a call again and again, as
// a worker does, releasing each Result, and counts the allocations: the table of distinct
// clobber sets (a map and a list) is the previous function's, as the linear scan's pooled
// allocator keeps it (issue 21). Before, RunFast made both afresh for each function with
// a call: 6 allocations a run; 2 now, both the test Func's AppendOperands (bound 2.5).
func TestRunFastKeepsClobberTable(t *testing.T) {
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(1)) // the pools are per processor
	cfg, err := parseConfig("int: r0 r1 r2 r3\ncallee: r3\n")
	if err != nil {
		t.Fatal(err)
	}
	f, err := parseFunc("b0:\n  %0:i = copy r0\n  %1:i = add %0, %0\n  r0 = copy %0\n  r0 = call r0 clobbers r0 r1 r2\n  %2:i = copy r0\n  %3:i = add %2, %1\n  r0 = copy %3\n  ret r0\n")
	if err != nil {
		t.Fatal(err)
	}
	r, err := RunFast(f, cfg)
	if err != nil {
		t.Fatal(err)
	}
	r.Release()
	const rounds = 100
	before, after := runFastRounds(t, f, cfg, rounds)
	per := float64(after.Mallocs-before.Mallocs) / rounds
	t.Logf("%.2f allocations a run", per)
	if per > 2.5 {
		t.Errorf("RunFast made %.2f allocations a run of a small function with a call, more than 2.5", per)
	}
}

// runFastChecked parses src, allocates it with RunFast under cfg and checks the
// allocation with Check, failing the test on any error.
func runFastChecked(t *testing.T, cfg *Config, src string) (*testFunc, *Result) {
	t.Helper()
	f, err := parseFunc(src)
	if err != nil {
		t.Fatal(err)
	}
	r, err := RunFast(f, cfg)
	if err != nil {
		t.Fatal(err)
	}
	if err := Check(f, cfg, r); err != nil {
		t.Fatal(err)
	}
	return f, r
}

// runFastRounds allocates f with RunFast rounds times, releasing each Result, and
// returns the memory statistics from before and after.
func runFastRounds(t *testing.T, f *testFunc, cfg *Config, rounds int) (before, after runtime.MemStats) {
	t.Helper()
	runtime.ReadMemStats(&before)
	for range rounds {
		r, err := RunFast(f, cfg)
		if err != nil {
			t.Fatal(err)
		}
		r.Release()
	}
	runtime.ReadMemStats(&after)
	return before, after
}
