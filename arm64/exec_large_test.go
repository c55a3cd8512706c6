package arm64

import (
	"fmt"
	"strings"
	"testing"

	"github.com/wasmc/wasmc/ir"
)

// Functions larger than what A64's short fields reach, each run natively and in the
// interpreter: conditional branches and trap stubs more than 1 MiB away (branch relaxation),
// a jump table of 100,000 entries, frames whose stack arguments and spill slots lie beyond
// every load and store immediate, and a frame larger than the whole stack, which must trap
// before sp moves rather than die of SIGSEGV.

// bigFuncSrc is a loop whose body is n adds (4 bytes each): its back edge, its trapif's stub
// and the brif that skips it are all farther than 1 MiB when n is past 2^18.
func bigFuncSrc(n int) string {
	var b strings.Builder
	b.WriteString(`func $big(i32) -> i32 {
b0(v0:i32):
    v1:i32 = iconst 7
    v2:i32 = icmp eq v0, v1
    trapif v2, unreachable
    v3:i32 = eqz v0
    brif v3, b2(v0), b1(v0, v0)
b1(v4:i32, v5:i32):
`)
	prev := "v5"
	for i := range n {
		v := fmt.Sprintf("v%d", 10+i)
		fmt.Fprintf(&b, "    %s:i32 = iadd %s, v4\n", v, prev)
		prev = v
	}
	fmt.Fprintf(&b, `    v6:i32 = iconst -1
    v7:i32 = iadd v4, v6
    brif v7, b1(v7, %s), b2(%s)
b2(v8:i32):
    return v8
}
`, prev, prev)
	return b.String()
}

func TestExecLargeFunction(t *testing.T) {
	requireNative(t)
	if testing.Short() {
		t.Skip("a function of more than 1 MiB")
	}
	const n = 350_000 // 1.4 MB of adds
	src := module(bigFuncSrc(n), "big")
	m := parseModule(t, src)
	var size int
	for _, c := range compileModule(t, m) {
		size = len(c.code.Bytes)
	}
	if size < 1<<20+1<<17 {
		t.Fatalf("$big is %d bytes, not well past 1 MiB", size)
	}
	runDiff(t, src, call("big", i32(0)), call("big", i32(3)), call("big", i32(7)))
}

// brTableSrc is a brtable of n entries over k blocks, each returning its number.
func brTableSrc(n, k int) string {
	var b strings.Builder
	b.WriteString("func $table(i32) -> i32 {\nb0(v0:i32):\n    brtable v0, [")
	for i := range n {
		if i > 0 {
			b.WriteString(", ")
		}
		fmt.Fprintf(&b, "b%d", 1+i%k)
	}
	fmt.Fprintf(&b, "], default b%d\n", k+1)
	for j := 1; j <= k+1; j++ {
		fmt.Fprintf(&b, "b%d:\n    v%d:i32 = iconst %d\n    return v%d\n", j, j, j*3, j)
	}
	b.WriteString("}\n")
	return b.String()
}

func TestExecBrTable100k(t *testing.T) {
	requireNative(t)
	src := module(brTableSrc(100_000, 1000), "table")
	runDiff(t, src, call("table", i32(0)), call("table", i32(1)), call("table", i32(12345)),
		call("table", i32(99_999)), call("table", i32(100_000)), call("table", i32(-1)))
}

// manyArgsSrc calls a function of n i64 parameters, which returns a mix of the first, a
// middle and the last, and keeps live values across the call: the outgoing area, the
// callee's incoming words and the caller's spill slots all lie past the immediate forms'
// reach once n*8 passes 32 KiB.
func manyArgsSrc(n, live int) string {
	var b strings.Builder
	b.WriteString("func $callee(")
	for i := range n {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString("i64")
	}
	b.WriteString(") -> i64 {\nb0(")
	for i := range n {
		if i > 0 {
			b.WriteString(", ")
		}
		fmt.Fprintf(&b, "v%d:i64", i)
	}
	fmt.Fprintf(&b, `):
    v%d:i64 = iconst 3
    v%d:i64 = imul v%d, v%d
    v%d:i64 = iadd v%d, v0
    v%d:i64 = isub v%d, v%d
    return v%d
}
`, n, n+1, n/2, n, n+2, n+1, n+3, n+2, n-1, n+3)
	b.WriteString("func $caller(i64) -> i64 {\nb0(v0:i64):\n")
	next := 1
	val := func(rhs string) string {
		v := fmt.Sprintf("v%d", next)
		next++
		fmt.Fprintf(&b, "    %s:i64 = %s\n", v, rhs)
		return v
	}
	var lives []string
	for i := range live {
		lives = append(lives, val(fmt.Sprintf("iadd v0, %s", val(fmt.Sprintf("iconst %d", i*7+1)))))
	}
	var args []string
	for i := range n {
		args = append(args, val(fmt.Sprintf("iconst %d", i*11+5)))
	}
	args[n-1] = "v0"
	sum := val("call $callee(" + strings.Join(args, ", ") + ")")
	for _, l := range lives {
		sum = val(fmt.Sprintf("ixor %s, %s", sum, l))
	}
	fmt.Fprintf(&b, "    return %s\n}\n", sum)
	return b.String()
}

func TestExecLargeFrame(t *testing.T) {
	requireNative(t)
	// 6000 stack words (48 KB) and 5000 values live across the call (40 KB of slots).
	src := module(manyArgsSrc(6000, 5000), "caller")
	runDiff(t, src, call("caller", i64(0)), call("caller", i64(-12345)))
}

// TestExecFrameBeyondStack: a frame larger than all the stack left (the test runtime gives
// 1 MiB; here 140,000 stack argument words) traps with stack_exhausted: the prologue compares
// before it moves sp, so nothing is written below the limit. (The module is not verified:
// ir.Verify takes time quadratic in an instruction's operands.)
func TestExecFrameBeyondStack(t *testing.T) {
	requireNative(t)
	m, err := ir.Parse(module(manyArgsSrc(140_000, 0), "caller"))
	if err != nil {
		t.Fatal(err)
	}
	got := harness.RunModule(t, m, call("caller", i64(1)))
	if got.Trap != ir.TrapStackExhausted {
		t.Errorf("a 1.1 MB frame: %v, want trap stack_exhausted", got)
	}
}
