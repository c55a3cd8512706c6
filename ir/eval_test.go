package ir

import (
	"errors"
	"fmt"
	"math"
	"strings"
	"testing"
)

// evalCase is one EvalPure row: the op (with its condition), its operand types, its
// result type, the operands' bits and the expected bits, or undefined for a guarded op
// outside its domain.
type evalCase struct {
	op     string // "fmin", "icmp slt"
	params string // operand types, space-separated
	res    string // result type
	args   []uint64
	want   uint64
	undef  bool // EvalPure must say ok=false
}

func f32b(x float32) uint64 { return uint64(math.Float32bits(x)) }
func f64b(x float64) uint64 { return math.Float64bits(x) }

const (
	negZero32 = 0x80000000
	negZero64 = 1 << 63
	inf32     = 0x7f800000
	ninf32    = 0xff800000
	inf64     = 0x7ff0000000000000
	ninf64    = 0xfff0000000000000
	sNaN32    = 0x7fa00001 // a signalling NaN with a payload
	sNaN64    = 0x7ff4000000000001
)

var evalCases = []evalCase{
	// Integers: wrapping, division's defined domain, shift and rotate counts modulo the width.
	{"iadd", "i32 i32", "i32", []uint64{0xffffffff, 2}, 1, false},
	{"isub", "i64 i64", "i64", []uint64{0, 1}, math.MaxUint64, false},
	{"imul", "i32 i32", "i32", []uint64{0x10000, 0x10000}, 0, false},
	{"sdiv", "i32 i32", "i32", []uint64{u32(-7), 2}, u32(-3), false},
	{"sdiv", "i32 i32", "i32", []uint64{0x80000000, u32(-1)}, 0, true},
	{"sdiv", "i64 i64", "i64", []uint64{1 << 63, math.MaxUint64}, 0, true},
	{"sdiv", "i32 i32", "i32", []uint64{1, 0}, 0, true},
	{"udiv", "i64 i64", "i64", []uint64{1, 0}, 0, true},
	{"udiv", "i32 i32", "i32", []uint64{0xfffffffe, 2}, 0x7fffffff, false},
	{"srem", "i32 i32", "i32", []uint64{0x80000000, u32(-1)}, 0, false},
	{"srem", "i64 i64", "i64", []uint64{1 << 63, math.MaxUint64}, 0, false},
	{"srem", "i32 i32", "i32", []uint64{u32(-7), 2}, u32(-1), false},
	{"urem", "i32 i32", "i32", []uint64{5, 0}, 0, true},
	{"ishl", "i32 i32", "i32", []uint64{1, 33}, 2, false},
	{"ishl", "i64 i64", "i64", []uint64{1, 64}, 1, false},
	{"sshr", "i32 i32", "i32", []uint64{0x80000000, 31}, 0xffffffff, false},
	{"ushr", "i32 i32", "i32", []uint64{0x80000000, 63}, 1, false},
	{"sshr", "i64 i64", "i64", []uint64{1 << 63, 127}, math.MaxUint64, false},
	{"rotl", "i32 i32", "i32", []uint64{0x80000001, 33}, 3, false},
	{"rotr", "i64 i64", "i64", []uint64{1, 65}, 1 << 63, false},
	{"clz", "i32", "i32", []uint64{0}, 32, false},
	{"clz", "i64", "i64", []uint64{1}, 63, false},
	{"ctz", "i64", "i64", []uint64{0}, 64, false},
	{"popcnt", "i32", "i32", []uint64{0xffffffff}, 32, false},
	{"eqz", "i64", "i32", []uint64{0}, 1, false},
	{"icmp slt", "i32 i32", "i32", []uint64{0xffffffff, 0}, 1, false},
	{"icmp ult", "i32 i32", "i32", []uint64{0xffffffff, 0}, 0, false},
	{"icmp sge", "i64 i64", "i32", []uint64{1 << 63, 0}, 0, false},
	{"extend8", "i32", "i32", []uint64{0x80}, 0xffffff80, false},
	{"extend16", "i64", "i64", []uint64{0x12348000}, 0xffffffffffff8000, false},
	{"extend32", "i64", "i64", []uint64{0x80000000}, 0xffffffff80000000, false},
	{"sext", "i32", "i64", []uint64{0xffffffff}, math.MaxUint64, false},
	{"zext", "i32", "i64", []uint64{0xffffffff}, 0xffffffff, false},
	{"wrap", "i64", "i32", []uint64{0x123456789}, 0x23456789, false},
	{"select", "i32 i64 i64", "i64", []uint64{2, 7, 9}, 7, false},
	{"select", "i32 f32 f32", "f32", []uint64{0, 7, sNaN32}, sNaN32, false},

	// fmin and fmax: NaN wins, and -0 is below +0 in either order.
	{"fmin", "f32 f32", "f32", []uint64{0, negZero32}, negZero32, false},
	{"fmin", "f32 f32", "f32", []uint64{negZero32, 0}, negZero32, false},
	{"fmax", "f32 f32", "f32", []uint64{negZero32, 0}, 0, false},
	{"fmax", "f32 f32", "f32", []uint64{0, negZero32}, 0, false},
	{"fmin", "f64 f64", "f64", []uint64{0, negZero64}, negZero64, false},
	{"fmax", "f64 f64", "f64", []uint64{negZero64, 0}, 0, false},
	{"fmin", "f32 f32", "f32", []uint64{f32b(1), canonNaN32}, canonNaN32, false},
	{"fmin", "f32 f32", "f32", []uint64{sNaN32, ninf32}, canonNaN32, false},
	{"fmax", "f64 f64", "f64", []uint64{inf64, sNaN64}, canonNaN64, false},
	{"fmin", "f64 f64", "f64", []uint64{ninf64, f64b(1)}, ninf64, false},
	{"fmax", "f32 f32", "f32", []uint64{f32b(-1), f32b(-2)}, f32b(-1), false},

	// fnearest rounds ties to even and keeps the sign of zero.
	{"fnearest", "f32", "f32", []uint64{f32b(0.5)}, 0, false},
	{"fnearest", "f32", "f32", []uint64{f32b(1.5)}, f32b(2), false},
	{"fnearest", "f32", "f32", []uint64{f32b(2.5)}, f32b(2), false},
	{"fnearest", "f32", "f32", []uint64{f32b(-0.5)}, negZero32, false},
	{"fnearest", "f64", "f64", []uint64{f64b(-1.5)}, f64b(-2), false},
	{"fnearest", "f64", "f64", []uint64{f64b(0.5)}, 0, false},
	{"fnearest", "f64", "f64", []uint64{f64b(4503599627370497)}, f64b(4503599627370497), false},
	{"fnearest", "f32", "f32", []uint64{f32b(8388609)}, f32b(8388609), false},
	{"fceil", "f32", "f32", []uint64{f32b(-0.5)}, negZero32, false},
	{"ffloor", "f64", "f64", []uint64{f64b(-0.5)}, f64b(-1), false},
	{"ftrunc", "f64", "f64", []uint64{f64b(-0.7)}, negZero64, false},
	{"fnearest", "f32", "f32", []uint64{sNaN32}, canonNaN32, false},

	// Sign-bit ops keep NaN payloads.
	{"fneg", "f32", "f32", []uint64{sNaN32}, sNaN32 | 0x80000000, false},
	{"fabs", "f64", "f64", []uint64{sNaN64 | 1<<63}, sNaN64, false},
	{"fcopysign", "f32 f32", "f32", []uint64{sNaN32, f32b(-1)}, sNaN32 | 0x80000000, false},
	{"fcopysign", "f64 f64", "f64", []uint64{f64b(2), negZero64}, f64b(-2), false},
	{"bitcast", "f32", "i32", []uint64{sNaN32}, sNaN32, false},
	{"bitcast", "i64", "f64", []uint64{sNaN64}, sNaN64, false},

	// Arithmetic that makes a NaN makes the canonical one.
	{"fadd", "f64 f64", "f64", []uint64{inf64, ninf64}, canonNaN64, false},
	{"fdiv", "f32 f32", "f32", []uint64{0, 0}, canonNaN32, false},
	{"fsqrt", "f32", "f32", []uint64{f32b(-1)}, canonNaN32, false},
	{"fmul", "f64 f64", "f64", []uint64{sNaN64, f64b(1)}, canonNaN64, false},
	{"fsqrt", "f64", "f64", []uint64{negZero64}, negZero64, false},

	// f32 arithmetic rounds once, to single precision, with ties to even.
	{"fadd", "f32 f32", "f32", []uint64{f32b(1), 0x33800000}, f32b(1), false},       // 1 + 2^-24: a tie, stays 1
	{"fadd", "f32 f32", "f32", []uint64{0x3f800001, 0x33800000}, 0x3f800002, false}, // tie to the even neighbour above
	{"fmul", "f32 f32", "f32", []uint64{0x3f800001, 0x3f800001}, 0x3f800002, false}, // 1+2^-22+2^-46
	{"fdiv", "f32 f32", "f32", []uint64{f32b(1), f32b(3)}, 0x3eaaaaab, false},       // 1/3
	{"fsqrt", "f32", "f32", []uint64{f32b(2)}, 0x3fb504f3, false},                   // sqrt 2
	{"fadd", "f32 f32", "f32", []uint64{0x7f7fffff, 0x73000000}, inf32, false},      // overflow on the tie
	{"fsub", "f32 f32", "f32", []uint64{0x00800000, 0x00800001}, 0x80000001, false}, // exact subnormal
	{"fadd", "f64 f64", "f64", []uint64{f64b(0.1), f64b(0.2)}, f64b(0.30000000000000004), false},

	// Comparisons: only ne holds for NaN; -0 equals +0.
	{"fcmp ne", "f32 f32", "i32", []uint64{canonNaN32, canonNaN32}, 1, false},
	{"fcmp eq", "f64 f64", "i32", []uint64{canonNaN64, canonNaN64}, 0, false},
	{"fcmp ge", "f64 f64", "i32", []uint64{canonNaN64, 0}, 0, false},
	{"fcmp eq", "f32 f32", "i32", []uint64{0, negZero32}, 1, false},
	{"fcmp lt", "f32 f32", "i32", []uint64{negZero32, 0}, 0, false},

	// Promotion and demotion: exact or rounded once; NaNs become canonical.
	{"fpromote", "f32", "f64", []uint64{sNaN32}, canonNaN64, false},
	{"fpromote", "f32", "f64", []uint64{0x00000001}, f64b(math.SmallestNonzeroFloat32), false},
	{"fdemote", "f64", "f32", []uint64{sNaN64}, canonNaN32, false},
	{"fdemote", "f64", "f32", []uint64{f64b(math.MaxFloat64)}, inf32, false},
	{"fdemote", "f64", "f32", []uint64{0x3ff0000010000000}, f32b(1), false},    // 1+2^-24: tie to even
	{"fdemote", "f64", "f32", []uint64{0x3ff0000010000001}, 0x3f800001, false}, // just above the tie
	{"fdemote", "f64", "f32", []uint64{0x3690000000000000}, 0, false},          // 2^-150: tie to 0
	{"fdemote", "f64", "f32", []uint64{0x3690000000000001}, 1, false},          // above it: the least subnormal
	{"fdemote", "f64", "f32", []uint64{negZero64}, negZero32, false},

	// Trapping float-to-int conversions are defined only in range, after truncation.
	{"fptosi", "f32", "i32", []uint64{0x4effffff}, 2147483520, false},
	{"fptosi", "f32", "i32", []uint64{0x4f000000}, 0, true},           // 2^31
	{"fptosi", "f32", "i32", []uint64{0xcf000000}, 0x80000000, false}, // -2^31
	{"fptosi", "f64", "i32", []uint64{f64b(-2147483648.9)}, 0x80000000, false},
	{"fptosi", "f64", "i32", []uint64{f64b(-2147483649)}, 0, true},
	{"fptosi", "f64", "i32", []uint64{f64b(2147483647.9)}, 0x7fffffff, false},
	{"fptosi", "f64", "i32", []uint64{canonNaN64}, 0, true},
	{"fptoui", "f32", "i32", []uint64{f32b(-0.9)}, 0, false},
	{"fptoui", "f64", "i32", []uint64{f64b(-1)}, 0, true},
	{"fptoui", "f64", "i32", []uint64{f64b(4294967295.9)}, 0xffffffff, false},
	{"fptoui", "f64", "i32", []uint64{f64b(4294967296)}, 0, true},
	{"fptosi", "f64", "i64", []uint64{f64b(9223372036854775808)}, 0, true},
	{"fptosi", "f64", "i64", []uint64{0x43dfffffffffffff}, 9223372036854774784, false},
	{"fptosi", "f32", "i64", []uint64{0xdf000000}, 1 << 63, false},
	{"fptoui", "f64", "i64", []uint64{f64b(18446744073709551616)}, 0, true},
	{"fptoui", "f64", "i64", []uint64{0x43efffffffffffff}, 18446744073709549568, false},
	{"fptoui", "f32", "i64", []uint64{inf32}, 0, true},

	// Saturating conversions clamp, and NaN gives 0.
	{"fptosisat", "f32", "i32", []uint64{canonNaN32}, 0, false},
	{"fptosisat", "f64", "i32", []uint64{inf64}, 0x7fffffff, false},
	{"fptosisat", "f64", "i32", []uint64{ninf64}, 0x80000000, false},
	{"fptouisat", "f32", "i32", []uint64{f32b(-1)}, 0, false},
	{"fptouisat", "f32", "i32", []uint64{f32b(5e9)}, 0xffffffff, false},
	{"fptosisat", "f32", "i64", []uint64{f32b(1e19)}, math.MaxInt64, false},
	{"fptosisat", "f64", "i64", []uint64{f64b(-1e19)}, 1 << 63, false},
	{"fptouisat", "f64", "i64", []uint64{f64b(1e20)}, math.MaxUint64, false},
	{"fptouisat", "f64", "i64", []uint64{sNaN64}, 0, false},
	{"fptouisat", "f64", "i64", []uint64{f64b(-0.9)}, 0, false},

	// Int-to-float conversions round once, even for unsigned 64-bit sources.
	{"uitofp", "i64", "f32", []uint64{math.MaxUint64}, 0x5f800000, false},
	{"uitofp", "i64", "f32", []uint64{0x8000008000000001}, 0x5f000001, false}, // 2^63+2^39+1: just above a tie
	{"uitofp", "i64", "f32", []uint64{0x8000008000000000}, 0x5f000000, false}, // the tie itself, to even
	{"sitofp", "i64", "f32", []uint64{0x0020000020000001}, 0x5a000001, false}, // 2^53+2^29+1
	{"uitofp", "i64", "f64", []uint64{math.MaxUint64}, 0x43f0000000000000, false},
	{"uitofp", "i64", "f64", []uint64{0x8000000000000401}, 0x43e0000000000001, false},
	{"uitofp", "i32", "f32", []uint64{0xffffffff}, 0x4f800000, false},
	{"sitofp", "i32", "f32", []uint64{0xffffffff}, f32b(-1), false},
	{"sitofp", "i32", "f32", []uint64{0x01000001}, 0x4b800000, false}, // 2^24+1: tie to even
	{"sitofp", "i64", "f64", []uint64{1 << 63}, f64b(-9223372036854775808), false},
	{"uitofp", "i32", "f64", []uint64{0xffffffff}, f64b(4294967295), false},
}

func u32(x int32) uint64 { return uint64(uint32(x)) }

// evalFunc parses a one-instruction function for an evalCase and returns it with the
// instruction's id.
func evalFunc(t *testing.T, c evalCase) (*Func, InstrID) {
	t.Helper()
	src := evalSource(c)
	m, err := Parse(src)
	if err != nil {
		t.Fatalf("%s: %v\n%s", c.op, err, src)
	}
	if errs := VerifyModule(m); len(errs) > 0 {
		t.Fatalf("%s: %s", c.op, errorLines(errs))
	}
	f := m.Funcs[0]
	return f, f.Blocks[f.Layout[0]].Instrs[0]
}

// evalSource is the text of the one-instruction function $t of an evalCase, exported as "t".
func evalSource(c evalCase) string {
	params := strings.Fields(c.params)
	var defs, uses []string
	for i, p := range params {
		defs = append(defs, fmt.Sprintf("v%d:%s", i, p))
		uses = append(uses, fmt.Sprintf("v%d", i))
	}
	return fmt.Sprintf("func $t(%s) -> %s {\nb0(%s):\n    v99:%s = %s %s\n    return v99\n}\nexport \"t\" func $t\n",
		strings.Join(params, ", "), c.res, strings.Join(defs, ", "), c.res, c.op, strings.Join(uses, ", "))
}

func TestEvalPure(t *testing.T) {
	for _, c := range evalCases {
		f, id := evalFunc(t, c)
		got, ok := EvalPure(f, id, c.args)
		name := fmt.Sprintf("%s %s -> %s (%#x)", c.op, c.params, c.res, c.args)
		switch {
		case c.undef && ok:
			t.Errorf("%s = %#x, want undefined (ok=false)", name, got)
		case !c.undef && !ok:
			t.Errorf("%s: ok=false, want %#x", name, c.want)
		case !c.undef && got != c.want:
			t.Errorf("%s = %#x, want %#x", name, got, c.want)
		}
	}
}

// TestEvalPureRefuses checks the ops EvalPure must leave alone.
func TestEvalPureRefuses(t *testing.T) {
	for _, c := range []evalCase{
		{op: "refisnull", params: "funcref", res: "i32", args: []uint64{0}},
		{op: "copy", params: "externref", res: "externref", args: []uint64{0}},
		{op: "copy", params: "v128", res: "v128", args: []uint64{0}},
	} {
		f, id := evalFunc(t, c)
		if got, ok := EvalPure(f, id, c.args); ok {
			t.Errorf("%s %s = %#x, want ok=false", c.op, c.params, got)
		}
	}
}

// TestEvalNoFusion checks that f32 arithmetic in the interpreter's shared evaluator does
// not keep extra precision between ops: (1+2^-12)^2 - (1+2^-11) is 0 in float32, but
// 2^-24 with a fused multiply-add or a float64 intermediate.
func TestEvalNoFusion(t *testing.T) {
	a := f32b(1 + 1.0/4096)
	sq, _ := evalScalar(sF32Mul, a, a, 0)
	d, _ := evalScalar(sF32Sub, sq, f32b(1+1.0/2048), 0)
	if d != 0 {
		t.Errorf("(1+2^-12)^2 - (1+2^-11) = %#x, want 0", d)
	}
}

// TestScalarKindCovers checks that every kind is reachable from some op and type, so the
// tables in scalarKind and evalScalar cannot drift apart silently.
func TestScalarKindCovers(t *testing.T) {
	seen := make([]bool, numScalars)
	types := []Type{I32, I64, F32, F64, Ptr}
	for op := OpInvalid; op < numOps; op++ {
		for c := CondNone; c < numConds; c++ {
			for _, r := range types {
				for _, a := range types {
					seen[scalarKind(op, c, r, a)] = true
				}
			}
		}
	}
	for k := sConst; k < numScalars; k++ {
		if !seen[k] {
			t.Errorf("scalar kind %d is not produced by scalarKind", k)
		}
	}
}

// TestInterpMatchesEval runs every EvalPure row through the interpreter, which decodes
// the instruction on its own path but must reach the same evaluator: results agree bit
// for bit, and where EvalPure refuses, the interpreter reports the op as undefined.
func TestInterpMatchesEval(t *testing.T) {
	for _, c := range evalCases {
		in := mustInstantiate(t, evalSource(c), nil)
		args := make([]Val, len(c.args))
		for i, p := range strings.Fields(c.params) {
			typ, _ := typeByName(p)
			args[i] = Val{Type: typ, Bits: c.args[i]}
		}
		res, err := in.Invoke("t", args)
		name := fmt.Sprintf("%s %s -> %s (%#x)", c.op, c.params, c.res, c.args)
		var undef *UndefinedError
		switch {
		case c.undef && !errors.As(err, &undef):
			t.Errorf("%s: got %v, %v; want an UndefinedError", name, res, err)
		case !c.undef && err != nil:
			t.Errorf("%s: %v", name, err)
		case !c.undef && res[0].Bits != c.want:
			t.Errorf("%s = %#x, want %#x", name, res[0].Bits, c.want)
		}
	}
}
