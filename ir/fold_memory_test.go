package ir

import (
	"fmt"
	"runtime"
	"strings"
	"testing"
)

// constDiamonds is a function of n ifs in a row on constant conditions, which Fold
// turns into jumps, cutting off one arm of each.
func constDiamonds(n int) string {
	var b strings.Builder
	b.WriteString("func $f() {\nb0:\n    jump b1\n")
	for k := range n {
		h := 3*k + 1
		fmt.Fprintf(&b, "b%d:\n    v%d:i32 = iconst 1\n    brif v%d, b%d, b%d\nb%d:\n    jump b%d\nb%d:\n    jump b%d\n",
			h, k, k, h+1, h+2, h+1, h+3, h+2, h+3)
	}
	fmt.Fprintf(&b, "b%d:\n    return\n}\n", 3*n+1)
	return b.String()
}

// TestFoldMemoryPerBlock bounds what Fold allocates per block of a function whose ifs
// all fold away. Fold needs only an order of the blocks for its walk, and which blocks
// it cut off; building a CFG for each (stale as soon as Fold changed a branch, or
// deleted a block) was most of its allocation on a huge function (issue 19): 354 bytes
// a block here with both, 221 with the walk's only, 91 now.
func TestFoldMemoryPerBlock(t *testing.T) {
	const n = 20000
	m, err := Parse(constDiamonds(n))
	if err != nil {
		t.Fatal(err)
	}
	f := m.Funcs[0]
	blocks := len(f.Blocks)
	runtime.GC()
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	Fold(f)
	runtime.ReadMemStats(&after)
	if len(f.Layout) != 2*n+2 {
		t.Fatalf("%d blocks after Fold, want %d: the case is meant to cut one arm of each if", len(f.Layout), 2*n+2)
	}
	perBlock := int(after.TotalAlloc-before.TotalAlloc) / blocks
	t.Logf("%d blocks: %d bytes each", blocks, perBlock)
	if perBlock > 150 {
		t.Errorf("Fold allocated %d bytes a block, more than 150", perBlock)
	}
}
