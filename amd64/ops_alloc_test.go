package amd64

import (
	"fmt"
	"runtime"
	"strings"
	"testing"

	"github.com/wasmc/wasmc/regalloc"
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

// TestSelectCallsAndBranches: selecting or encoding a call or a branch makes no allocation
// of its own (issue 21): a call's convention, arguments and fixed registers are built in
// arrays the lowerer reuses, terminators' targets and branch arguments are carved from
// chunks or reused too, and the encoder's steps of a branch are an array on the stack.
// Selecting 1,000 blocks of a call and a two-way branch passing arguments made 10.05
// allocations a block before, 0.06 now (bound 0.2); encoding them, 2.01 before, 0.01 now.
func TestSelectCallsAndBranches(t *testing.T) {
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(1))
	const n = 1000
	var b strings.Builder
	b.WriteString("func $g(i64, i32) -> i64 {\nb0(v0:i64, v1:i32):\n    return v0\n}\n\n")
	b.WriteString("func $f(i64, i32) -> i64 {\nb0(v0:i64, v1:i32):\n    jump b1(v0)\n")
	// Block k (from 1) receives v(2k), calls $g and goes on with the call's result or
	// with what it received; block n+1 returns.
	for k := 1; k <= n; k++ {
		fmt.Fprintf(&b, "b%d(v%d:i64):\n    v%d:i64 = call $g(v%d, v1)\n    brif v1, b%d(v%d), b%d(v%d)\n",
			k, 2*k, 2*k+1, 2*k, k+1, 2*k+1, k+1, 2*k)
	}
	fmt.Fprintf(&b, "b%d(v%d:i64):\n    return v%d\n}\n", n+1, 2*n+2, 2*n+2)
	m := parseModule(t, b.String())
	env := testEnv(m)
	isa := New()
	f := m.Funcs[1]
	if _, err := isa.Select(f, env); err != nil {
		t.Fatal(err)
	}
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	mf, err := isa.Select(f, env)
	runtime.ReadMemStats(&after)
	if err != nil {
		t.Fatal(err)
	}
	per := float64(after.Mallocs-before.Mallocs) / n
	t.Logf("selection: %.2f allocations a block", per)
	if per > 0.2 {
		t.Errorf("selection made %.2f allocations a block of a call and a branch, want at most 0.2", per)
	}
	res, err := regalloc.RunFast(mf, isa.RegConfig())
	if err != nil {
		t.Fatal(err)
	}
	if err := mf.(*mfunc).FinishDeferred(res); err != nil {
		t.Fatal(err)
	}
	if _, err := mf.Encode(); err != nil { // for the measuring emitter's pool
		t.Fatal(err)
	}
	runtime.ReadMemStats(&before)
	_, err = mf.Encode()
	runtime.ReadMemStats(&after)
	if err != nil {
		t.Fatal(err)
	}
	per = float64(after.Mallocs-before.Mallocs) / n
	t.Logf("encoding: %.2f allocations a block", per)
	if per > 0.2 {
		t.Errorf("encoding made %.2f allocations a block of a call and a branch, want at most 0.2", per)
	}
}
