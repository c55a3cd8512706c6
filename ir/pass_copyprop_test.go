package ir

import (
	"fmt"
	"strings"
	"testing"
)

// wideDispatch is a function whose entry branches through a brtable of n targets to n
// blocks, each with params parameters that only the brtable passes: every one of them
// is trivial.
func wideDispatch(n, params int) string {
	var sb strings.Builder
	sb.WriteString("func $f(i32, i32) -> i32 {\nb0(v0:i32, v1:i32):\n    brtable v0, [")
	args := strings.TrimSuffix(strings.Repeat("v1, ", params), ", ")
	for k := range n {
		if k > 0 {
			sb.WriteString(", ")
		}
		fmt.Fprintf(&sb, "b%d(%s)", k+1, args)
	}
	fmt.Fprintf(&sb, "], default b%d\n", n+1)
	nv := 2
	for k := range n {
		fmt.Fprintf(&sb, "b%d(", k+1)
		for i := range params {
			if i > 0 {
				sb.WriteString(", ")
			}
			fmt.Fprintf(&sb, "v%d:i32", nv+i)
		}
		fmt.Fprintf(&sb, "):\n    v%d:i32 = iadd v%d, v%d\n    return v%d\n", nv+params, nv, nv+params-1, nv+params)
		nv += params + 1
	}
	fmt.Fprintf(&sb, "b%d:\n    return v1\n}\n", n+1)
	return sb.String()
}

// TestCopyPropLinear counts the branch targets CopyProp reads to find trivial
// parameters, on a brtable over n blocks with parameters, at two sizes: the reads per
// block must not grow with n. Reading every target of each predecessor once per
// parameter read the whole table for each of the n blocks' parameters: 98 reads a block
// at 50 blocks, 798 at 400; now 2, one per parameter.
func TestCopyPropLinear(t *testing.T) {
	checkTargetsReadLinear(t, "CopyProp", copyProp, func(f *Func, blocks int) {
		for _, b := range f.Layout[1:] {
			if len(f.Blocks[b].Params) > 0 {
				t.Fatalf("%s keeps %d parameters, all trivial", b, len(f.Blocks[b].Params))
			}
		}
	})
}

// checkTargetsReadLinear runs pass, which returns the branch targets it read, on
// wideDispatch's brtable over 50 and then 400 blocks of two parameters, checks the result
// with check, and fails if the reads per block grow with the table.
func checkTargetsReadLinear(t *testing.T, name string, pass func(*Func) int, check func(f *Func, blocks int)) {
	t.Helper()
	var per [2]float64
	for i, n := range []int{50, 400} {
		m, err := Parse(wideDispatch(n, 2))
		if err != nil {
			t.Fatal(err)
		}
		f := m.Funcs[0]
		blocks := len(f.Layout)
		visits := pass(f)
		if errs := Verify(f); len(errs) > 0 {
			t.Fatalf("after %s: %s", name, errorLines(errs))
		}
		check(f, blocks)
		per[i] = float64(visits) / float64(blocks)
		t.Logf("%d blocks: %d targets read, %.1f a block", blocks, visits, per[i])
	}
	if per[1] > per[0]*1.2 {
		t.Errorf("%s read %.1f targets a block on the larger function, %.1f on the smaller", name, per[1], per[0])
	}
}

// TestCopyPropDCEBuildNoCFG: CopyProp and DCE need only a reverse postorder and the
// edges into each block, not the CFG (issue 21); building it, with its successor and
// predecessor lists and its cache key, cost as much as either pass's own work, and the
// next pass that changes the CFG made it stale again. Both built it before.
func TestCopyPropDCEBuildNoCFG(t *testing.T) {
	for _, p := range []Pass{{"copyprop", CopyProp}, {"dce", DCE}} {
		m, err := Parse(wideDispatch(50, 2))
		if err != nil {
			t.Fatal(err)
		}
		f := m.Funcs[0]
		f.cfg.cfg = nil // as a pass that changed the CFG leaves it
		p.Run(f)
		built := f.cfg.cfg != nil
		if errs := Verify(f); len(errs) > 0 {
			t.Fatalf("after %s: %s", p.Name, errorLines(errs))
		}
		if built {
			t.Errorf("%s built the CFG", p.Name)
		}
	}
}
