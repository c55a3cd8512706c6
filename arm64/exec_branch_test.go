package arm64

import (
	"fmt"
	"math"
	"strings"
	"testing"
)

// Branches on one bit (tbz, tbnz) and on zero (cbz, cbnz), run natively and in the
// interpreter, with bodies of n adds between each branch and its target: past 32 KiB, tbz
// must be relaxed, and cbz past 1 MiB (TestExecLargeFunction).
func bitBranchSrc(n int) string {
	var b strings.Builder
	body := func(from string) string {
		prev := from
		for range n {
			v := fmt.Sprintf("v%d", 100+b.Len()) // unique: the text only grows
			fmt.Fprintf(&b, "    %s:i64 = iadd %s, v1\n", v, prev)
			prev = v
		}
		return prev
	}
	b.WriteString(`func $bits(i32, i64) -> i64 {
b0(v0:i32, v1:i64):
    v2:i32 = iconst 0
    v3:i32 = icmp slt v0, v2
    trapif v3, unreachable
    v4:i64 = iconst 0x100000000
    v5:i64 = iand v1, v4
    v6:i32 = eqz v5
    brif v6, b1, b2
b1:
    v7:i32 = iconst 8
    v8:i32 = iand v0, v7
    brif v8, b3(v1), b4
b2:
    v9:i64 = iconst -1
    v10:i32 = icmp sgt v1, v9
    brif v10, b3(v9), b4
b4:
`)
	last := body("v1")
	fmt.Fprintf(&b, "    jump b3(%s)\nb3(v11:i64):\n    return v11\n}\n", last)
	return b.String()
}

func TestExecBitBranches(t *testing.T) {
	requireNative(t)
	for _, n := range []int{3, 10_000} { // 40 KB of adds: tbz must go over a b
		src := module(bitBranchSrc(n), "bits")
		runDiff(t, src, call("bits", i32(0), i64(0)), call("bits", i32(8), i64(1)),
			call("bits", i32(9), i64(1<<32|5)), call("bits", i32(9), i64(-3)),
			call("bits", i32(-1), i64(0)), call("bits", i32(math.MaxInt32), i64(math.MinInt64)))
	}
}
