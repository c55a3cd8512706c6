package isatest

import "testing"

func execLoop(t *testing.T, h *Harness) {
	src := Module(`
func $sum(i32) -> i32 {
b0(v0:i32):
    v1:i32 = iconst 0
    jump b1(v0, v1)
b1(v2:i32, v3:i32):
    v4:i32 = eqz v2
    brif v4, b3(v3), b2
b2:
    v5:i32 = iadd v3, v2
    v6:i32 = iconst -1
    v7:i32 = iadd v2, v6
    jump b1(v7, v5)
b3(v8:i32):
    return v8
}
`, "sum")
	h.RunDiff(t, src, Call("sum", I32(0)), Call("sum", I32(10)), Call("sum", I32(100000)))
}
