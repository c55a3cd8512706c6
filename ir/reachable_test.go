package ir

import (
	"slices"
	"strings"
	"testing"

	"golang.org/x/tools/txtar"
)

// TestReachableMatchesCFG compares Func.Reachable, which selection uses instead of
// building the CFG, with the CFG's answer on every block of every testdata function
// (testdata/dom/unreachable.txtar has unreachable blocks, some of which branch to
// reachable ones), and reversePostorder, which Fold walks, with the CFG's order.
func TestReachableMatchesCFG(t *testing.T) {
	files := append(glob(t, "testdata/*.ir"), glob(t, "testdata/dom/*.txtar")...)
	unreachable := 0
	for _, path := range files {
		src := readFile(t, path)
		if strings.HasSuffix(path, ".txtar") {
			src = section(t, txtar.Parse([]byte(src)), "in.ir")
		}
		m, err := Parse(src)
		if err != nil {
			t.Fatalf("%s:%v", path, err)
		}
		for _, f := range m.Funcs {
			if f.IsImport() {
				continue
			}
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
	}
	if unreachable == 0 {
		t.Error("no testdata function has an unreachable block")
	}
}
