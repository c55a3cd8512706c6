package arm64

import (
	"fmt"
	"strings"
	"testing"
)

// burnSrc is $burn(f64) -> f64, which keeps n products of its argument live at once: past
// the 23 caller-saved SIMD&FP registers it writes v8 and up, saving and restoring only
// their low halves (abi.go).
func burnSrc(n int) string {
	var b strings.Builder
	b.WriteString("func $burn(f64) -> f64 {\nb0(v0:f64):\n")
	for i := 1; i <= n; i++ {
		fmt.Fprintf(&b, "    v%d:f64 = f64const %d\n    v%d:f64 = fmul v0, v%d\n", 2*i-1, i+1, 2*i, 2*i-1)
	}
	sum := 2
	for i := 2; i <= n; i++ {
		fmt.Fprintf(&b, "    v%d:f64 = fadd v%d, v%d\n", 2*n+i, sum, 2*i)
		sum = 2*n + i
	}
	fmt.Fprintf(&b, "    return v%d\n}\n", sum)
	return b.String()
}

// TestExecV128AcrossCall: a v128 live across a call to a function that writes v8-v15 keeps
// its upper half. The allocator kept it in v8, which the callee saves only as d8, until
// a function with v128 values treated v8-v15 as clobbered by its calls; lane 3 came back 0.
func TestExecV128AcrossCall(t *testing.T) {
	src := module(burnSrc(28)+`
func $across(i32, f64) -> i32 {
b0(v0:i32, v1:f64):
    v2:v128 = vsplat i32x4 v0
    v3:v128 = viadd i32x4 v2, v2
    v4:f64 = call $burn(v1)
    v5:i32 = vextract i32x4 v3, 3
    v6:i32 = vextract i32x4 v3, 0
    v7:i32 = iadd v5, v6
    return v7
}
`, "across")
	runDiff(t, src, call("across", i32(21), f64(1)), call("across", i32(-5), f64(2)))
}

// TestExecShuffle mixes lanes of both operands within each 8-byte half: tbx's indices are
// the literal's less 16 in each byte, which a 64-bit subtraction got wrong wherever an index
// below 16 borrowed from the byte above it (simd_lane.wast's as-v8x16_shuffle-operands).
func TestExecShuffle(t *testing.T) {
	src := module(`
func $shuffle(i64, i64) -> i64 {
b0(v0:i64, v1:i64):
    v2:v128 = vsplat i64x2 v0
    v3:v128 = vsplat i64x2 v1
    v4:v128 = vshuffle v2, v3, 0x1f0e1d0c1b0a19081706150413021100
    v5:i64 = vextract i64x2 v4, 0
    v6:i64 = vextract i64x2 v4, 1
    v7:i64 = iconst 1
    v8:i64 = rotl v6, v7
    v9:i64 = ixor v5, v8
    return v9
}
`, "shuffle")
	runDiff(t, src, call("shuffle", i64(0x0706050403020100), i64(0x1716151413121110)),
		call("shuffle", i64(-1), i64(0x55aa55aa55aa55aa)))
}
