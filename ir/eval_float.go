package ir

import "math"

// The float half of evalScalar: arithmetic, comparisons, min and max, rounding, and the
// conversions between floats and integers, each with WebAssembly's exact semantics.

// evalFloat is evalScalar's float half: arithmetic, comparisons and conversions.
func evalFloat(k scalar, a, b uint64) (uint64, bool) {
	switch k {
	// f32 arithmetic is done in float32: each Go float32 operation rounds once to
	// single precision, and the explicit conversions stop the compiler from fusing a
	// multiply and an add (the Go spec allows fusion only without them).
	case sF32Add:
		return f32res(float32(f32(a) + f32(b))), true
	case sF32Sub:
		return f32res(float32(f32(a) - f32(b))), true
	case sF32Mul:
		return f32res(float32(f32(a) * f32(b))), true
	case sF32Div:
		return f32res(float32(f32(a) / f32(b))), true
	case sF32Min:
		return fmin32(uint32(a), uint32(b)), true
	case sF32Max:
		return fmax32(uint32(a), uint32(b)), true
	case sF32Copysign:
		return a&0x7fffffff | b&0x80000000, true
	case sF32Abs:
		return a & 0x7fffffff, true
	case sF32Neg:
		return (a ^ 0x80000000) & 0xffffffff, true
	case sF32Sqrt:
		// The square root rounded to double and then to single is correctly rounded:
		// double has more than 2*24+2 bits (Figueroa, "When is double rounding
		// innocuous?", 1995).
		return f32res(float32(math.Sqrt(float64(f32(a))))), true
	case sF32Ceil: // exact in float64, as every float32 integer is a float64 integer
		return f32res(float32(math.Ceil(float64(f32(a))))), true
	case sF32Floor:
		return f32res(float32(math.Floor(float64(f32(a))))), true
	case sF32Trunc:
		return f32res(float32(math.Trunc(float64(f32(a))))), true
	case sF32Nearest:
		return f32res(float32(math.RoundToEven(float64(f32(a))))), true
	case sF32Eq:
		return b2u(f32(a) == f32(b)), true
	case sF32Ne:
		return b2u(f32(a) != f32(b)), true
	case sF32Lt:
		return b2u(f32(a) < f32(b)), true
	case sF32Le:
		return b2u(f32(a) <= f32(b)), true
	case sF32Gt:
		return b2u(f32(a) > f32(b)), true
	case sF32Ge:
		return b2u(f32(a) >= f32(b)), true

	case sF64Add:
		return f64res(f64(a) + f64(b)), true
	case sF64Sub:
		return f64res(f64(a) - f64(b)), true
	case sF64Mul:
		return f64res(f64(a) * f64(b)), true
	case sF64Div:
		return f64res(f64(a) / f64(b)), true
	case sF64Min:
		return fmin64(a, b), true
	case sF64Max:
		return fmax64(a, b), true
	case sF64Copysign:
		return a&(1<<63-1) | b&(1<<63), true
	case sF64Abs:
		return a & (1<<63 - 1), true
	case sF64Neg:
		return a ^ 1<<63, true
	case sF64Sqrt:
		return f64res(math.Sqrt(f64(a))), true
	case sF64Ceil:
		return f64res(math.Ceil(f64(a))), true
	case sF64Floor:
		return f64res(math.Floor(f64(a))), true
	case sF64Trunc:
		return f64res(math.Trunc(f64(a))), true
	case sF64Nearest:
		return f64res(math.RoundToEven(f64(a))), true
	case sF64Eq:
		return b2u(f64(a) == f64(b)), true
	case sF64Ne:
		return b2u(f64(a) != f64(b)), true
	case sF64Lt:
		return b2u(f64(a) < f64(b)), true
	case sF64Le:
		return b2u(f64(a) <= f64(b)), true
	case sF64Gt:
		return b2u(f64(a) > f64(b)), true
	case sF64Ge:
		return b2u(f64(a) >= f64(b)), true

	case sF64PromoteF32:
		return f64res(float64(f32(a))), true
	case sF32DemoteF64:
		return f32res(float32(f64(a))), true
	}
	return evalConvert(k, a)
}

// evalConvert is evalScalar's float/int conversion half.
func evalConvert(k scalar, a uint64) (uint64, bool) {
	switch k {
	case sI32TruncF32S, sI32TruncF64S, sI32TruncSatF32S, sI32TruncSatF64S:
		t, r := truncRange(k, a, -1<<31, 1<<31)
		return satInt(r, k, uint64(uint32(int32(t))), 1<<31, math.MaxInt32)
	case sI32TruncF32U, sI32TruncF64U, sI32TruncSatF32U, sI32TruncSatF64U:
		t, r := truncRange(k, a, 0, 1<<32)
		return satInt(r, k, uint64(uint32(t)), 0, math.MaxUint32)
	case sI64TruncF32S, sI64TruncF64S, sI64TruncSatF32S, sI64TruncSatF64S:
		t, r := truncRange(k, a, -1<<63, 1<<63)
		return satInt(r, k, uint64(int64(t)), 1<<63, math.MaxInt64)
	case sI64TruncF32U, sI64TruncF64U, sI64TruncSatF32U, sI64TruncSatF64U:
		t, r := truncRange(k, a, 0, 1<<64)
		return satInt(r, k, uint64(t), 0, math.MaxUint64)

	case sF32ConvertI32S:
		return uint64(math.Float32bits(float32(int32(a)))), true
	case sF32ConvertI32U:
		return uint64(math.Float32bits(float32(uint32(a)))), true
	case sF32ConvertI64S:
		return uint64(math.Float32bits(float32(int64(a)))), true
	case sF32ConvertI64U:
		return uint64(math.Float32bits(u64ToF32(a))), true
	case sF64ConvertI32S:
		return math.Float64bits(float64(int32(a))), true
	case sF64ConvertI32U:
		return math.Float64bits(float64(uint32(a))), true
	case sF64ConvertI64S:
		return math.Float64bits(float64(int64(a))), true
	case sF64ConvertI64U:
		return math.Float64bits(u64ToF64(a)), true
	}
	return 0, false
}

// Where a truncated float lies relative to the target integer range.
const (
	inRange = iota
	belowRange
	aboveRange
	isNaN
)

// truncRange truncates the float operand of conversion k toward zero, as a float64
// (which holds every float32 exactly), and says whether the result lies in [lo, hi): the
// target's range, whose bounds are powers of two (or 0) and so exact.
func truncRange(k scalar, a uint64, lo, hi float64) (float64, int) {
	var x float64
	switch k {
	case sI32TruncF32S, sI32TruncF32U, sI64TruncF32S, sI64TruncF32U,
		sI32TruncSatF32S, sI32TruncSatF32U, sI64TruncSatF32S, sI64TruncSatF32U:
		x = float64(f32(a))
	default:
		x = f64(a)
	}
	t := math.Trunc(x)
	switch {
	case t != t:
		return 0, isNaN
	case t < lo:
		return 0, belowRange
	case t >= hi:
		return 0, aboveRange
	}
	return t, inRange
}

// satInt finishes a float-to-int conversion: v is the in-range result; out of range the
// trapping kinds are undefined (ok false) and the saturating ones give min or max, and
// 0 for NaN.
func satInt(r int, k scalar, v, min, max uint64) (uint64, bool) {
	switch {
	case r == inRange:
		return v, true
	case k < sI32TruncSatF32S:
		return 0, false
	case r == belowRange:
		return min, true
	case r == aboveRange:
		return max, true
	}
	return 0, true
}

// u64ToF32 converts an unsigned 64-bit integer to float32 with a single rounding. Values
// of 2^63 and up are halved first, keeping the lost low bit as a sticky bit, so the
// halving cannot create a tie the full value does not have; no host conversion
// instruction for unsigned 64-bit integers is assumed.
func u64ToF32(x uint64) float32 {
	if int64(x) >= 0 {
		return float32(int64(x))
	}
	return float32(int64(x>>1|x&1)) * 2
}

// u64ToF64 is u64ToF32 for float64.
func u64ToF64(x uint64) float64 {
	if int64(x) >= 0 {
		return float64(int64(x))
	}
	return float64(int64(x>>1|x&1)) * 2
}

// fmin32 is wasm's f32.min: NaN if either operand is NaN, and -0 below +0.
func fmin32(a, b uint32) uint64 {
	x, y := math.Float32frombits(a), math.Float32frombits(b)
	switch {
	case x != x || y != y:
		return canonNaN32
	case x == y: // equal, or zeros of either sign: the one with the sign bit
		return uint64(a | b&0x80000000)
	case x < y:
		return uint64(a)
	}
	return uint64(b)
}

// fmax32 is wasm's f32.max: NaN if either operand is NaN, and +0 above -0.
func fmax32(a, b uint32) uint64 {
	x, y := math.Float32frombits(a), math.Float32frombits(b)
	switch {
	case x != x || y != y:
		return canonNaN32
	case x == y:
		return uint64(a & (b | 0x7fffffff))
	case x > y:
		return uint64(a)
	}
	return uint64(b)
}

// fmin64 is wasm's f64.min.
func fmin64(a, b uint64) uint64 {
	x, y := f64(a), f64(b)
	switch {
	case x != x || y != y:
		return canonNaN64
	case x == y:
		return a | b&(1<<63)
	case x < y:
		return a
	}
	return b
}

// fmax64 is wasm's f64.max.
func fmax64(a, b uint64) uint64 {
	x, y := f64(a), f64(b)
	switch {
	case x != x || y != y:
		return canonNaN64
	case x == y:
		return a & (b | (1<<63 - 1))
	case x > y:
		return a
	}
	return b
}

func f32(x uint64) float32 { return math.Float32frombits(uint32(x)) }
func f64(x uint64) float64 { return math.Float64frombits(x) }

// f32res returns a float32 result's bits, with any NaN made the canonical NaN.
func f32res(x float32) uint64 {
	if x != x {
		return canonNaN32
	}
	return uint64(math.Float32bits(x))
}

// f64res returns a float64 result's bits, with any NaN made the canonical NaN.
func f64res(x float64) uint64 {
	if x != x {
		return canonNaN64
	}
	return math.Float64bits(x)
}
