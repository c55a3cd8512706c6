package ir

import "testing"

// TestComputeDomAllocations counts the allocations of building the dominator tree: they
// must not grow with the number of blocks that have children (issue 21). Each child list
// grown by append allocated once per parent and again at each doubling; the lists are now
// carved from one array, and only the walk's stack grows, with the tree's depth. Before:
// 12 and 15 allocations for wideDispatch's 52 and 402 blocks, one parent of them all;
// 1,350 and 2,019 for checkedLoop's 2,002 and 3,004, most of them parents; now 6, 6, 10
// and 11.
func TestComputeDomAllocations(t *testing.T) {
	for _, src := range []string{wideDispatch(50, 1), wideDispatch(400, 1), checkedLoop(666), checkedLoop(1000)} {
		m, err := Parse(src)
		if err != nil {
			t.Fatal(err)
		}
		f := m.Funcs[0]
		c := f.CFG()
		n := len(f.Blocks)
		got := testing.AllocsPerRun(5, func() { computeDom(c, n) })
		t.Logf("%d blocks: %.0f allocations", n, got)
		if got > 16 {
			t.Errorf("building the dominator tree of %d blocks took %.0f allocations, want at most 16", n, got)
		}
	}
}
