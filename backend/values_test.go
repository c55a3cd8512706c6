package backend

import (
	"fmt"
	"strings"
	"testing"

	"github.com/wasmc/wasmc/ir"
)

// TestAnalyzeValuesWalks analyzes 100 blocks of a boundscheck and the load it guards on a
// guarded memory, and counts the walks over a block's instructions: the uses, the kinds,
// and one walk that both folds loads and finds the checks left to the guard region (issue
// 21). Before, finding the checks was a walk of its own: 404 walks for 101 blocks; 303 now.
// Every check must still be found.
func TestAnalyzeValuesWalks(t *testing.T) {
	const n = 100
	var b strings.Builder
	b.WriteString("memory mem0 min 1\n\nfunc $f(i32) -> i64 {\nb0(v0:i32):\n    v1:i64 = iconst 0\n    jump b1(v1)\n")
	for k := 1; k <= n; k++ {
		fmt.Fprintf(&b, "b%d(v%d:i64):\n    boundscheck mem0, v0, 8\n    v%d:i64 = load mem0[v0 + 0]\n    v%d:i64 = iadd v%d, v%d\n",
			k, 3*k, 3*k+1, 3*k+2, 3*k, 3*k+1)
		if k < n {
			fmt.Fprintf(&b, "    jump b%d(v%d)\n", k+1, 3*k+2)
		} else {
			fmt.Fprintf(&b, "    return v%d\n", 3*k+2)
		}
	}
	b.WriteString("}\n")
	m, err := ir.Parse(b.String())
	if err != nil {
		t.Fatal(err)
	}
	f := m.Funcs[0]
	v := AnalyzeValues(f, toyFolding{}, &Env{Module: m, BoundsChecks: BoundsGuard})
	checks := 0
	for id := range f.Instrs {
		if f.Instrs[id].Op == ir.OpBoundsCheck && v.IsUnchecked(ir.InstrID(id)) {
			checks++
		}
	}
	t.Logf("%d blocks: %d walks, %d checks left to the guard region", len(f.Layout), v.walks, checks)
	if checks != n {
		t.Errorf("%d checks left to the guard region, want %d", checks, n)
	}
	if want := 3 * len(f.Layout); v.walks > want {
		t.Errorf("%d walks over the blocks' instructions, more than three a block (%d)", v.walks, want)
	}
}
