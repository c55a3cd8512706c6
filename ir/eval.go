package ir

import (
	"math"
	"math/bits"
)

// This file computes scalar ops on constant bits, with WebAssembly's exact semantics.
// Constant folding ([EvalPure]) and the reference interpreter both call evalScalar, so a
// folded program and an interpreted one can never disagree.
//
// Values are raw bits in a uint64: i32 and f32 in the low 32 bits, zero-extended; i64,
// f64 and ptr in all 64. Every i32 or f32 result is zero-extended again.
//
// NaN results. WebAssembly lets an arithmetic op that produces a NaN return any
// canonical NaN when its NaN operands are all canonical, and any arithmetic NaN (quiet
// bit set) otherwise; a canonical NaN is an arithmetic NaN, so the positive canonical NaN
// is always allowed. It is what we return, rather than whatever the host FPU makes: x86
// and arm64 pick different default NaNs, and a folded constant must not depend on the
// machine that ran the compiler (DESIGN.md, decision 9). The bitwise ops (fabs, fneg,
// fcopysign, bitcast, copy, select) keep every bit, as the spec requires.

// Canonical NaNs: the sign clear, the quiet bit set, the rest of the payload zero.
const (
	canonNaN32 = 0x7fc00000
	canonNaN64 = 0x7ff8000000000000
)

// scalar names one scalar op at one type: the op table's generic ops, specialized by
// type (and by condition for comparisons) so that evaluation is a single switch. The
// interpreter decodes instructions to these same numbers.
type scalar uint16

// The scalar kinds. i64 kinds also serve ptr, which is 64 bits on every target.
const (
	sNone scalar = iota
	sConst
	sCopy
	sSelect

	sI32Add
	sI32Sub
	sI32Mul
	sI32DivS
	sI32DivU
	sI32RemS
	sI32RemU
	sI32And
	sI32Or
	sI32Xor
	sI32Shl
	sI32ShrU
	sI32ShrS
	sI32Rotl
	sI32Rotr
	sI32Clz
	sI32Ctz
	sI32Popcnt
	sI32Eqz
	sI32Eq
	sI32Ne
	sI32LtS
	sI32LeS
	sI32GtS
	sI32GeS
	sI32LtU
	sI32LeU
	sI32GtU
	sI32GeU
	sI32Extend8
	sI32Extend16

	sI64Add
	sI64Sub
	sI64Mul
	sI64DivS
	sI64DivU
	sI64RemS
	sI64RemU
	sI64And
	sI64Or
	sI64Xor
	sI64Shl
	sI64ShrU
	sI64ShrS
	sI64Rotl
	sI64Rotr
	sI64Clz
	sI64Ctz
	sI64Popcnt
	sI64Eqz
	sI64Eq
	sI64Ne
	sI64LtS
	sI64LeS
	sI64GtS
	sI64GeS
	sI64LtU
	sI64LeU
	sI64GtU
	sI64GeU
	sI64Extend8
	sI64Extend16
	sI64Extend32

	sSExt // i32 to i64
	sZExt // i32 to i64
	sWrap // i64 to i32

	sF32Add
	sF32Sub
	sF32Mul
	sF32Div
	sF32Min
	sF32Max
	sF32Copysign
	sF32Abs
	sF32Neg
	sF32Sqrt
	sF32Ceil
	sF32Floor
	sF32Trunc
	sF32Nearest
	sF32Eq
	sF32Ne
	sF32Lt
	sF32Le
	sF32Gt
	sF32Ge

	sF64Add
	sF64Sub
	sF64Mul
	sF64Div
	sF64Min
	sF64Max
	sF64Copysign
	sF64Abs
	sF64Neg
	sF64Sqrt
	sF64Ceil
	sF64Floor
	sF64Trunc
	sF64Nearest
	sF64Eq
	sF64Ne
	sF64Lt
	sF64Le
	sF64Gt
	sF64Ge

	sF64PromoteF32
	sF32DemoteF64

	// Float to int: source f32/f64, target i32/i64, signed/unsigned, trapping/saturating.
	sI32TruncF32S
	sI32TruncF32U
	sI32TruncF64S
	sI32TruncF64U
	sI64TruncF32S
	sI64TruncF32U
	sI64TruncF64S
	sI64TruncF64U
	sI32TruncSatF32S
	sI32TruncSatF32U
	sI32TruncSatF64S
	sI32TruncSatF64U
	sI64TruncSatF32S
	sI64TruncSatF32U
	sI64TruncSatF64S
	sI64TruncSatF64U

	sF32ConvertI32S
	sF32ConvertI32U
	sF32ConvertI64S
	sF32ConvertI64U
	sF64ConvertI32S
	sF64ConvertI32U
	sF64ConvertI64S
	sF64ConvertI64U

	numScalars
)

// EvalPure computes the single result of instruction id of f from the raw bits of its
// operands, args[i] standing for f.Instrs[id].Args[i] (i32 and f32 in the low 32 bits,
// zero-extended). The result is in the same form. It folds the constants, the integer and
// float arithmetic, comparisons, width changes, conversions, bitcast, select and copy,
// with WebAssembly's exact semantics (see the top of eval.go for the NaNs it returns).
// Guarded ops (sdiv, udiv, srem, urem, fptosi, fptoui) fold only where they are defined:
// ok is false for a zero divisor, MIN sdiv -1, and a NaN or out-of-range conversion,
// where the check in front of them traps instead. ok is also false for every other op
// (v128, references, memory, calls) and for ill-typed instructions; the caller then
// leaves the instruction alone.
func EvalPure(f *Func, id InstrID, args []uint64) (result uint64, ok bool) {
	if int(id) >= len(f.Instrs) {
		return 0, false
	}
	in := &f.Instrs[id]
	if len(in.Results) != 1 || len(args) != len(in.Args) {
		return 0, false
	}
	res := f.TypeOf(in.Results[0])
	arg := NoType
	if len(in.Args) > 0 {
		arg = f.TypeOf(in.Args[len(in.Args)-1]) // select's controlling type is its last operand's
	}
	k := scalarKind(in.Op, in.Cond, res, arg)
	if k == sNone {
		return 0, false
	}
	var a, b, c uint64
	switch len(args) {
	case 3:
		a, b, c = args[0], args[1], args[2]
	case 2:
		a, b = args[0], args[1]
	case 1:
		a = args[0]
	case 0:
		switch in.Op {
		case OpIConst, OpF32Const, OpF64Const:
			return mask(res, in.Imm), true
		}
		return 0, false
	}
	return evalScalar(k, a, b, c)
}

// mask zero-extends 32-bit values, so that bits above a value's width never leak.
func mask(t Type, x uint64) uint64 {
	if t == I32 || t == F32 {
		return x & 0xffffffff
	}
	return x
}

// scalarKind picks the scalar kind of an op given its result type and the type of its
// (last) operand, or sNone if the op is not a scalar op at these types.
func scalarKind(op Op, cond Cond, res, arg Type) scalar {
	is64 := func(t Type) bool { return t == I64 || t == Ptr }
	intPick := func(k32, k64 scalar) scalar {
		switch {
		case arg == I32 && res == arg:
			return k32
		case is64(arg) && res == arg:
			return k64
		}
		return sNone
	}
	floatPick := func(k32, k64 scalar) scalar {
		switch {
		case arg == F32 && res == F32:
			return k32
		case arg == F64 && res == F64:
			return k64
		}
		return sNone
	}
	switch op {
	case OpIConst:
		if res.IsInt() {
			return sConst
		}
	case OpF32Const:
		if res == F32 {
			return sConst
		}
	case OpF64Const:
		if res == F64 {
			return sConst
		}
	case OpCopy, OpSelect:
		if res == arg && (res.IsInt() || res.IsFloat()) {
			if op == OpCopy {
				return sCopy
			}
			return sSelect
		}
	case OpBitcast:
		if res.Size() == arg.Size() && res != arg && (res.Size() == 4 || res.Size() == 8) && res != Ptr && arg != Ptr {
			return sCopy
		}
	case OpEqz:
		if res == I32 {
			if arg == I32 {
				return sI32Eqz
			} else if is64(arg) {
				return sI64Eqz
			}
		}
	case OpICmp:
		if res != I32 || cond < CondEq || cond > CondUGE {
			return sNone
		}
		off := scalar(cond - CondEq)
		if arg == I32 {
			return sI32Eq + off
		} else if is64(arg) {
			return sI64Eq + off
		}
	case OpFCmp:
		var off scalar
		switch cond {
		case CondEq, CondNe:
			off = scalar(cond - CondEq)
		case CondLT, CondLE, CondGT, CondGE:
			off = 2 + scalar(cond-CondLT)
		default:
			return sNone
		}
		if res == I32 && arg == F32 {
			return sF32Eq + off
		} else if res == I32 && arg == F64 {
			return sF64Eq + off
		}
	case OpExtend8:
		return intPick(sI32Extend8, sI64Extend8)
	case OpExtend16:
		return intPick(sI32Extend16, sI64Extend16)
	case OpExtend32:
		if res == I64 && arg == I64 {
			return sI64Extend32
		}
	case OpSExt, OpZExt:
		if arg == I32 && is64(res) {
			if op == OpSExt {
				return sSExt
			}
			return sZExt
		}
	case OpWrap:
		if res == I32 && is64(arg) {
			return sWrap
		}
	case OpFPromote:
		if res == F64 && arg == F32 {
			return sF64PromoteF32
		}
	case OpFDemote:
		if res == F32 && arg == F64 {
			return sF32DemoteF64
		}
	case OpFPToSI, OpFPToUI, OpFPToSISat, OpFPToUISat:
		if !arg.IsFloat() || (res != I32 && res != I64) {
			return sNone
		}
		k := sI32TruncF32S
		if op == OpFPToSISat || op == OpFPToUISat {
			k = sI32TruncSatF32S
		}
		if op == OpFPToUI || op == OpFPToUISat {
			k++
		}
		if arg == F64 {
			k += 2
		}
		if res == I64 {
			k += 4
		}
		return k
	case OpSIToFP, OpUIToFP:
		if !res.IsFloat() || (arg != I32 && arg != I64) {
			return sNone
		}
		k := sF32ConvertI32S
		if op == OpUIToFP {
			k++
		}
		if arg == I64 {
			k += 2
		}
		if res == F64 {
			k += 4
		}
		return k
	}
	if op >= OpIAdd && op <= OpPopcnt {
		return intPick(sI32Add+scalar(op-OpIAdd), sI64Add+scalar(op-OpIAdd))
	}
	if op >= OpFAdd && op <= OpFNearest {
		return floatPick(sF32Add+scalar(op-OpFAdd), sF64Add+scalar(op-OpFAdd))
	}
	return sNone
}

// evalScalar computes scalar kind k on operands a, b, c (only as many as the op takes;
// select's condition is a). ok is false where the op is undefined: a guarded op outside
// the inputs its check admits.
func evalScalar(k scalar, a, b, c uint64) (uint64, bool) {
	switch k {
	case sConst, sCopy:
		return a, true
	case sSelect:
		if uint32(a) != 0 {
			return b, true
		}
		return c, true

	case sI32Add:
		return uint64(uint32(a) + uint32(b)), true
	case sI32Sub:
		return uint64(uint32(a) - uint32(b)), true
	case sI32Mul:
		return uint64(uint32(a) * uint32(b)), true
	case sI32DivS:
		x, y := int32(a), int32(b)
		if y == 0 || x == math.MinInt32 && y == -1 {
			return 0, false
		}
		return uint64(uint32(x / y)), true
	case sI32DivU:
		if uint32(b) == 0 {
			return 0, false
		}
		return uint64(uint32(a) / uint32(b)), true
	case sI32RemS:
		x, y := int32(a), int32(b)
		if y == 0 {
			return 0, false
		}
		if y == -1 {
			return 0, true // MIN rem -1 is 0; Go's % would also give 0, but say why
		}
		return uint64(uint32(x % y)), true
	case sI32RemU:
		if uint32(b) == 0 {
			return 0, false
		}
		return uint64(uint32(a) % uint32(b)), true
	case sI32And:
		return uint64(uint32(a) & uint32(b)), true
	case sI32Or:
		return uint64(uint32(a) | uint32(b)), true
	case sI32Xor:
		return uint64(uint32(a) ^ uint32(b)), true
	case sI32Shl:
		return uint64(uint32(a) << (b & 31)), true
	case sI32ShrU:
		return uint64(uint32(a) >> (b & 31)), true
	case sI32ShrS:
		return uint64(uint32(int32(a) >> (b & 31))), true
	case sI32Rotl:
		return uint64(bits.RotateLeft32(uint32(a), int(b&31))), true
	case sI32Rotr:
		return uint64(bits.RotateLeft32(uint32(a), -int(b&31))), true
	case sI32Clz:
		return uint64(bits.LeadingZeros32(uint32(a))), true
	case sI32Ctz:
		return uint64(bits.TrailingZeros32(uint32(a))), true
	case sI32Popcnt:
		return uint64(bits.OnesCount32(uint32(a))), true
	case sI32Eqz:
		return b2u(uint32(a) == 0), true
	case sI32Eq:
		return b2u(uint32(a) == uint32(b)), true
	case sI32Ne:
		return b2u(uint32(a) != uint32(b)), true
	case sI32LtS:
		return b2u(int32(a) < int32(b)), true
	case sI32LeS:
		return b2u(int32(a) <= int32(b)), true
	case sI32GtS:
		return b2u(int32(a) > int32(b)), true
	case sI32GeS:
		return b2u(int32(a) >= int32(b)), true
	case sI32LtU:
		return b2u(uint32(a) < uint32(b)), true
	case sI32LeU:
		return b2u(uint32(a) <= uint32(b)), true
	case sI32GtU:
		return b2u(uint32(a) > uint32(b)), true
	case sI32GeU:
		return b2u(uint32(a) >= uint32(b)), true
	case sI32Extend8:
		return uint64(uint32(int32(int8(a)))), true
	case sI32Extend16:
		return uint64(uint32(int32(int16(a)))), true

	case sI64Add:
		return a + b, true
	case sI64Sub:
		return a - b, true
	case sI64Mul:
		return a * b, true
	case sI64DivS:
		x, y := int64(a), int64(b)
		if y == 0 || x == math.MinInt64 && y == -1 {
			return 0, false
		}
		return uint64(x / y), true
	case sI64DivU:
		if b == 0 {
			return 0, false
		}
		return a / b, true
	case sI64RemS:
		x, y := int64(a), int64(b)
		if y == 0 {
			return 0, false
		}
		if y == -1 {
			return 0, true
		}
		return uint64(x % y), true
	case sI64RemU:
		if b == 0 {
			return 0, false
		}
		return a % b, true
	case sI64And:
		return a & b, true
	case sI64Or:
		return a | b, true
	case sI64Xor:
		return a ^ b, true
	case sI64Shl:
		return a << (b & 63), true
	case sI64ShrU:
		return a >> (b & 63), true
	case sI64ShrS:
		return uint64(int64(a) >> (b & 63)), true
	case sI64Rotl:
		return bits.RotateLeft64(a, int(b&63)), true
	case sI64Rotr:
		return bits.RotateLeft64(a, -int(b&63)), true
	case sI64Clz:
		return uint64(bits.LeadingZeros64(a)), true
	case sI64Ctz:
		return uint64(bits.TrailingZeros64(a)), true
	case sI64Popcnt:
		return uint64(bits.OnesCount64(a)), true
	case sI64Eqz:
		return b2u(a == 0), true
	case sI64Eq:
		return b2u(a == b), true
	case sI64Ne:
		return b2u(a != b), true
	case sI64LtS:
		return b2u(int64(a) < int64(b)), true
	case sI64LeS:
		return b2u(int64(a) <= int64(b)), true
	case sI64GtS:
		return b2u(int64(a) > int64(b)), true
	case sI64GeS:
		return b2u(int64(a) >= int64(b)), true
	case sI64LtU:
		return b2u(a < b), true
	case sI64LeU:
		return b2u(a <= b), true
	case sI64GtU:
		return b2u(a > b), true
	case sI64GeU:
		return b2u(a >= b), true
	case sI64Extend8:
		return uint64(int64(int8(a))), true
	case sI64Extend16:
		return uint64(int64(int16(a))), true
	case sI64Extend32:
		return uint64(int64(int32(a))), true

	case sSExt:
		return uint64(int64(int32(a))), true
	case sZExt:
		return uint64(uint32(a)), true
	case sWrap:
		return uint64(uint32(a)), true
	}
	return evalFloat(k, a, b)
}

func b2u(b bool) uint64 {
	if b {
		return 1
	}
	return 0
}
