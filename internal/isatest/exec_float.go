package isatest

import (
	"math"
	"testing"
)

// floatOps computes every float op of type t on (v0, v1).
func floatOps(t string) string {
	g := &fgen{n: 2}
	for _, op := range []string{"fadd", "fsub", "fmul", "fdiv", "fmin", "fmax", "fcopysign"} {
		g.res(t, op+" v0, v1")
		g.res(t, op+" v1, v0")
	}
	for _, op := range []string{"fabs", "fneg", "fsqrt", "fceil", "ffloor", "ftrunc", "fnearest"} {
		g.res(t, op+" v0")
	}
	for _, cc := range []string{"eq", "ne", "lt", "le", "gt", "ge"} {
		g.res("i32", "fcmp "+cc+" v0, v1")
	}
	g.res("i32", "fcmp ne v0, v0")
	g.res("i32", "fcmp eq v1, v1")
	kc := g.val(t, t+"const 1.5")
	kz := g.val(t, t+"const 0")
	kn := g.val(t, t+"const -0")
	g.res(t, "fadd v0, "+kc)
	g.res(t, "fmul "+kz+", v1")
	g.res(t, "fsub "+kn+", v0")
	g.res("i32", "fcmp lt v0, "+kc)
	lt := g.val("i32", "fcmp lt v0, v1")
	g.res(t, "select "+lt+", v0, v1")
	eq := g.val("i32", "fcmp eq v0, v1")
	g.res(t, "select "+eq+", "+kc+", v1")
	ge := g.val("i32", "fcmp ge v1, "+kz)
	g.res("i32", "select "+ge+", "+g.val("i32", "iconst 3")+", "+g.val("i32", "iconst 4"))
	if t == "f32" {
		g.res("f64", "fpromote v0")
		g.res("i32", "bitcast v1")
	} else {
		g.res("f32", "fdemote v0")
		g.res("i64", "bitcast v1")
	}
	return g.text("ops", t, t)
}

var floatPairs = [][2]float64{{1.5, -2.25}, {0, math.Copysign(0, -1)}, {math.Copysign(0, -1), 0}, {math.NaN(), 1},
	{1, math.NaN()}, {math.Inf(1), math.Inf(-1)}, {2.5, 3.5}, {-2.5, 0.5}, {1e30, 1e-30}, {-0.49999997, 4}, {7, 7}}

func execFloatOps(t *testing.T, h *Harness) {
	h.RequireNative(t)
	t.Run("f32", func(t *testing.T) {
		src := Module(floatOps("f32"), "ops")
		for _, p := range floatPairs {
			h.RunDiff(t, src, Call("ops", F32(float32(p[0])), F32(float32(p[1]))))
		}
	})
	t.Run("f64", func(t *testing.T) {
		src := Module(floatOps("f64"), "ops")
		for _, p := range floatPairs {
			h.RunDiff(t, src, Call("ops", F64(p[0]), F64(p[1])))
		}
	})
}

// convSrc holds the conversions: saturating ones from each float type, and ones to each.
const convSrc = `
func $sat_f32(f32) -> i32, i32, i64, i64 {
b0(v0:f32):
    v1:i32 = fptosisat v0
    v2:i32 = fptouisat v0
    v3:i64 = fptosisat v0
    v4:i64 = fptouisat v0
    return v1, v2, v3, v4
}

func $sat_f64(f64) -> i32, i32, i64, i64 {
b0(v0:f64):
    v1:i32 = fptosisat v0
    v2:i32 = fptouisat v0
    v3:i64 = fptosisat v0
    v4:i64 = fptouisat v0
    return v1, v2, v3, v4
}

func $from_i32(i32) -> f32, f32, f64, f64 {
b0(v0:i32):
    v1:f32 = sitofp v0
    v2:f32 = uitofp v0
    v3:f64 = sitofp v0
    v4:f64 = uitofp v0
    return v1, v2, v3, v4
}

func $from_i64(i64) -> f32, f32, f64, f64, f64 {
b0(v0:i64):
    v1:f32 = sitofp v0
    v2:f32 = uitofp v0
    v3:f64 = sitofp v0
    v4:f64 = uitofp v0
    v5:f64 = bitcast v0
    return v1, v2, v3, v4, v5
}

func $u64_f32(f32) -> i64 {
b0(v0:f32):
    v1:i32 = fcmp ne v0, v0
    trapif v1, invalid_conversion
    v2:f32 = f32const -1
    v3:i32 = fcmp le v0, v2
    v4:f32 = f32const 18446744073709551616
    v5:i32 = fcmp ge v0, v4
    v6:i32 = ior v3, v5
    trapif v6, int_overflow
    v7:i64 = fptoui v0
    return v7
}

func $u64_f64(f64) -> i64 {
b0(v0:f64):
    v1:i32 = fcmp ne v0, v0
    trapif v1, invalid_conversion
    v2:f64 = f64const -1
    v3:i32 = fcmp le v0, v2
    v4:f64 = f64const 18446744073709551616
    v5:i32 = fcmp ge v0, v4
    v6:i32 = ior v3, v5
    trapif v6, int_overflow
    v7:i64 = fptoui v0
    return v7
}

func $u32_f64(f64) -> i32 {
b0(v0:f64):
    v1:i32 = fcmp ne v0, v0
    trapif v1, invalid_conversion
    v2:f64 = f64const -1
    v3:i32 = fcmp le v0, v2
    v4:f64 = f64const 4294967296
    v5:i32 = fcmp ge v0, v4
    v6:i32 = ior v3, v5
    trapif v6, int_overflow
    v7:i32 = fptoui v0
    return v7
}

func $s32_f32(f32) -> i32 {
b0(v0:f32):
    v1:i32 = fcmp ne v0, v0
    trapif v1, invalid_conversion
    v2:f32 = f32const -2147483648
    v3:i32 = fcmp lt v0, v2
    v4:f32 = f32const 2147483648
    v5:i32 = fcmp ge v0, v4
    v6:i32 = ior v3, v5
    trapif v6, int_overflow
    v7:i32 = fptosi v0
    return v7
}

func $s64_f64(f64) -> i64 {
b0(v0:f64):
    v1:i32 = fcmp ne v0, v0
    trapif v1, invalid_conversion
    v2:f64 = f64const -9223372036854775808
    v3:i32 = fcmp lt v0, v2
    v4:f64 = f64const 9223372036854775808
    v5:i32 = fcmp ge v0, v4
    v6:i32 = ior v3, v5
    trapif v6, int_overflow
    v7:i64 = fptosi v0
    return v7
}
`

var convFloats = []float64{0, math.Copysign(0, -1), 1, -1, 3.7, -3.7, -0.9, 0.99, 2147483647, 2147483648, -2147483648,
	-2147483649, 4294967295, 4294967296, 1 << 53, 1 << 63, -(1 << 63), 1 << 64, 3 << 62, 1e20, -1e20,
	math.Inf(1), math.Inf(-1), math.NaN(), 18446742974197923840}

var convInts = []int64{0, 1, -1, 42, math.MaxInt32, math.MinInt32, 1<<53 + 1, math.MaxInt64, math.MinInt64,
	math.MinInt64 + 1<<40 + 1, -2, 0x7fffff7fffffffff, math.MinInt64 | 1<<39 | 1, math.MinInt64 | 1<<39,
	math.MinInt64 | 1<<40 | 1<<39}

func execConversions(t *testing.T, h *Harness) {
	h.RequireNative(t)
	src := Module(convSrc, "sat_f32", "sat_f64", "from_i32", "from_i64", "u64_f32", "u64_f64", "u32_f64", "s32_f32", "s64_f64")
	for _, x := range convFloats {
		h.RunDiff(t, src, Call("sat_f32", F32(float32(x))), Call("sat_f64", F64(x)),
			Call("u64_f32", F32(float32(x))), Call("u64_f64", F64(x)), Call("u32_f64", F64(x)),
			Call("s32_f32", F32(float32(x))), Call("s64_f64", F64(x)))
	}
	for _, x := range convInts {
		h.RunDiff(t, src, Call("from_i32", I32(int32(x))), Call("from_i64", I64(x)))
	}
}
