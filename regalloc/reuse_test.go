package regalloc

import (
	"runtime"
	"testing"
)

// TestRunFastReusesTables allocates the same function again and again with RunFast, as a
// worker allocates one function after another, and bounds the bytes a run allocates per
// instruction or block (issue 21): the tables of the previous run are resized, and only
// what the Result holds is new. Before, each run built all of them afresh: 149 bytes, 79 now.
func TestRunFastReusesTables(t *testing.T) {
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(1)) // the pool is per processor
	cfg, _ := parseConfig("")
	f, err := parseFunc(liveAcrossIfs(1000))
	if err != nil {
		t.Fatal(err)
	}
	units := max(len(f.instrs), len(f.blocks))
	if _, err := RunFast(f, cfg); err != nil {
		t.Fatal(err)
	}
	const rounds = 10
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	for range rounds {
		if _, err := RunFast(f, cfg); err != nil {
			t.Fatal(err)
		}
	}
	runtime.ReadMemStats(&after)
	perUnit := int(after.TotalAlloc-before.TotalAlloc) / rounds / units
	t.Logf("%d instructions, %d blocks: %d bytes allocated each", len(f.instrs), len(f.blocks), perUnit)
	if perUnit > 110 {
		t.Errorf("RunFast allocated %d bytes an instruction or block, more than 110", perUnit)
	}
}

// TestRunFastAllocationsPerBlock counts the allocations of a run rather than bytes:
// a block costs none of its own (issue 21). Listing the occupied registers at the start
// and end of each block as a slice (RegSet.Regs) cost 1.03 a block before, 0.03 now.
func TestRunFastAllocationsPerBlock(t *testing.T) {
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(1)) // the pool is per processor
	cfg, _ := parseConfig("")
	f, err := parseFunc(liveAcrossIfs(1000))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := RunFast(f, cfg); err != nil {
		t.Fatal(err)
	}
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	if _, err := RunFast(f, cfg); err != nil {
		t.Fatal(err)
	}
	runtime.ReadMemStats(&after)
	per := float64(after.Mallocs-before.Mallocs) / float64(len(f.blocks))
	t.Logf("%d blocks: %.2f allocations each", len(f.blocks), per)
	if per > 0.1 {
		t.Errorf("RunFast made %.2f allocations a block, more than 0.1", per)
	}
}

// TestRunFastReusesResult: a released Result's arrays (the edits, each operand's
// location, where each instruction's operands start, the slots) are what the next
// RunFast fills (issue 21), so that a worker allocating function after function, and
// releasing each Result once applied, allocates almost nothing per instruction. Without
// Release taking them back: 42 bytes an instruction or block, 0 now (bound 8).
func TestRunFastReusesResult(t *testing.T) {
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(1)) // the pool is per processor
	cfg, _ := parseConfig("")
	f, err := parseFunc(liveAcrossIfs(1000))
	if err != nil {
		t.Fatal(err)
	}
	units := max(len(f.instrs), len(f.blocks))
	want, err := RunFast(f, cfg)
	if err != nil {
		t.Fatal(err)
	}
	wantText := f.format(cfg, want)
	want.Release()
	const rounds = 10
	before, after := runFastRounds(t, f, cfg, rounds)
	perUnit := int(after.TotalAlloc-before.TotalAlloc) / rounds / units
	t.Logf("%d instructions, %d blocks: %d bytes allocated each", len(f.instrs), len(f.blocks), perUnit)
	if perUnit > 8 {
		t.Errorf("RunFast allocated %d bytes an instruction or block, more than 8", perUnit)
	}
	r, err := RunFast(f, cfg)
	if err != nil {
		t.Fatal(err)
	}
	if got := f.format(cfg, r); got != wantText {
		t.Errorf("the allocation into a released Result differs:\n%s\nwant\n%s", got, wantText)
	}
}
