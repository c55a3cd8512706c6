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
