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
