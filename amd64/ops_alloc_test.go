package amd64

import (
	"fmt"
	"runtime"
	"strings"
	"testing"
)

// TestSelectOperandLists: selection takes instructions' operand lists from chunks of the
// function's (issue 21), not an array each, so that selecting 2,000 additions of a
// constant (a mov and a lea each) makes far fewer allocations than instructions: 1.51
// an instruction before, 0.01 now.
func TestSelectOperandLists(t *testing.T) {
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(1))
	const n = 2000
	var b strings.Builder
	b.WriteString("func $f(i64) -> i64 {\nb0(v0:i64):\n")
	for k := 1; k <= n; k++ {
		fmt.Fprintf(&b, "    v%d:i64 = iconst 4886718345\n    v%d:i64 = iadd v%d, v%d\n", n+k, k, k-1, n+k)
	}
	fmt.Fprintf(&b, "    return v%d\n}\n", n)
	m := parseModule(t, b.String())
	env := testEnv(m)
	isa := New()
	if _, err := isa.Select(m.Funcs[0], env); err != nil {
		t.Fatal(err)
	}
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	mf, err := isa.Select(m.Funcs[0], env)
	runtime.ReadMemStats(&after)
	if err != nil {
		t.Fatal(err)
	}
	insts := len(mf.(*mfunc).Insts)
	per := float64(after.Mallocs-before.Mallocs) / float64(insts)
	t.Logf("%d instructions, %.2f allocations each", insts, per)
	if per > 0.2 {
		t.Errorf("selection made %.2f allocations an instruction, want at most 0.2", per)
	}
}
