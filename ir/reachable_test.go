package ir

import (
	"slices"
	"testing"
)

// TestReachableMatchesCFG compares Func.Reachable, which selection uses instead of
// building the CFG, with the CFG's answer on every block of every testdata function
// (testdata/dom/unreachable.txtar has unreachable blocks, some of which branch to
// reachable ones), and reversePostorder, which Fold walks, with the CFG's order.
func TestReachableMatchesCFG(t *testing.T) {
	unreachable := 0
	for path, f := range testdataFuncs(t) {
		reach, rpo, cfg := f.Reachable(), f.reversePostorder(), f.CFG()
		if !slices.Equal(rpo, cfg.RPO) {
			t.Errorf("%s: $%s: reversePostorder is %v, the CFG's %v", path, f.Name, rpo, cfg.RPO)
		}
		if len(reach) != len(f.Blocks) {
			t.Fatalf("%s: $%s: Reachable has %d blocks, the function %d", path, f.Name, len(reach), len(f.Blocks))
		}
		for b := range f.Blocks {
			if want := cfg.Reachable(BlockID(b)); reach[b] != want {
				t.Errorf("%s: $%s: b%d: Reachable says %v, the CFG %v", path, f.Name, b, reach[b], want)
			}
			if !reach[b] {
				unreachable++
			}
		}
	}
	if unreachable == 0 {
		t.Error("no testdata function has an unreachable block")
	}
}
