package amd64

// SSE, SSE2 and SSE4.1: scalar floating point, the bitwise operations used for float sign
// tricks, and full-register moves. Every operand named dst or src is an XMM register unless
// the doc says otherwise. The prefix 66, F2 or F3 is part of the opcode (Intel SDM vol. 2A,
// 2.1.2), and REX comes after it.

// sseRR encodes p 0F op /r with two XMM registers.
func sseRR(p byte, op uint32, dst, src Reg) Inst { return encRR(p, W32, 0, op, xmm(dst), xmm(src)) }

// sseRM encodes p 0F op /r with an XMM register and memory; for stores dst is the source.
func sseRM(p byte, op uint32, dst Reg, m Mem) Inst { return encRM(p, W32, 0, op, xmm(dst), m) }

// MovssRR encodes MOVSS xmm1, xmm2: the low 32 bits of dst = those of src, the rest kept.
// To copy a whole register use [MovapsRR]. Intel SDM vol. 2B, MOVSS—Move or Merge Scalar
// Single Precision Floating-Point Value (F3 0F 10 /r).
func MovssRR(dst, src Reg) Inst { return sseRR(0xF3, 0x0F10, dst, src) }

// MovssRM encodes MOVSS xmm1, m32: loads a float32 and zeroes the rest of dst. Intel SDM
// vol. 2B, MOVSS—Move or Merge Scalar Single Precision Floating-Point Value (F3 0F 10 /r).
func MovssRM(dst Reg, m Mem) Inst { return sseRM(0xF3, 0x0F10, dst, m) }

// MovssMR encodes MOVSS m32, xmm1: stores the low float32 of src. Intel SDM vol. 2B,
// MOVSS—Move or Merge Scalar Single Precision Floating-Point Value (F3 0F 11 /r).
func MovssMR(m Mem, src Reg) Inst { return sseRM(0xF3, 0x0F11, src, m) }

// MovsdRR encodes MOVSD xmm1, xmm2: the low 64 bits of dst = those of src, the rest kept.
// To copy a whole register use [MovapdRR]. Intel SDM vol. 2B, MOVSD—Move or Merge Scalar
// Double Precision Floating-Point Value (F2 0F 10 /r).
func MovsdRR(dst, src Reg) Inst { return sseRR(0xF2, 0x0F10, dst, src) }

// MovsdRM encodes MOVSD xmm1, m64: loads a float64 and zeroes the rest of dst. Intel SDM
// vol. 2B, MOVSD—Move or Merge Scalar Double Precision Floating-Point Value (F2 0F 10 /r).
func MovsdRM(dst Reg, m Mem) Inst { return sseRM(0xF2, 0x0F10, dst, m) }

// MovsdMR encodes MOVSD m64, xmm1: stores the low float64 of src. Intel SDM vol. 2B,
// MOVSD—Move or Merge Scalar Double Precision Floating-Point Value (F2 0F 11 /r).
func MovsdMR(m Mem, src Reg) Inst { return sseRM(0xF2, 0x0F11, src, m) }

// MovdXR encodes MOVD xmm, r/m32 (w W32) or MOVQ xmm, r/m64 (w W64) with a general-purpose
// source: the low bits of XMM dst = src, the rest zeroed; the bit pattern is kept, as in
// f32.reinterpret_i32. Intel SDM vol. 2B, MOVD/MOVQ—Move Doubleword/Move Quadword
// (66 0F 6E /r, 66 REX.W 0F 6E /r).
func MovdXR(w Width, dst, src Reg) Inst {
	checkWidth(w, W32, W64)
	return encRR(0x66, w, 0, 0x0F6E, xmm(dst), gpr(src))
}

// MovdRX encodes MOVD r/m32, xmm (w W32) or MOVQ r/m64, xmm (w W64) with a general-purpose
// destination: dst = the low bits of XMM src. Intel SDM vol. 2B, MOVD/MOVQ—Move
// Doubleword/Move Quadword (66 0F 7E /r, 66 REX.W 0F 7E /r).
func MovdRX(w Width, dst, src Reg) Inst {
	checkWidth(w, W32, W64)
	return encRR(0x66, w, 0, 0x0F7E, xmm(src), gpr(dst))
}

// AddssRR encodes ADDSS: dst += src, float32. Intel SDM vol. 2A, ADDSS—Add Scalar
// Single Precision Floating-Point Values (F3 0F 58 /r).
func AddssRR(dst, src Reg) Inst { return sseRR(0xF3, 0x0F58, dst, src) }

// AddssRM encodes ADDSS with memory: dst += [m], float32. Intel SDM vol. 2A, ADDSS—Add Scalar
// Single Precision Floating-Point Values (F3 0F 58 /r).
func AddssRM(dst Reg, m Mem) Inst { return sseRM(0xF3, 0x0F58, dst, m) }

// AddsdRR encodes ADDSD: dst += src, float64. Intel SDM vol. 2A, ADDSD—Add Scalar Double
// Precision Floating-Point Values (F2 0F 58 /r).
func AddsdRR(dst, src Reg) Inst { return sseRR(0xF2, 0x0F58, dst, src) }

// AddsdRM encodes ADDSD with memory: dst += [m], float64. Intel SDM vol. 2A, ADDSD—Add Scalar
// Double Precision Floating-Point Values (F2 0F 58 /r).
func AddsdRM(dst Reg, m Mem) Inst { return sseRM(0xF2, 0x0F58, dst, m) }

// SubssRR encodes SUBSS: dst -= src, float32. Intel SDM vol. 2B, SUBSS—Subtract Scalar
// Single Precision Floating-Point Value (F3 0F 5C /r).
func SubssRR(dst, src Reg) Inst { return sseRR(0xF3, 0x0F5C, dst, src) }

// SubssRM encodes SUBSS with memory: dst -= [m], float32. Intel SDM vol. 2B, SUBSS—Subtract
// Scalar Single Precision Floating-Point Value (F3 0F 5C /r).
func SubssRM(dst Reg, m Mem) Inst { return sseRM(0xF3, 0x0F5C, dst, m) }

// SubsdRR encodes SUBSD: dst -= src, float64. Intel SDM vol. 2B, SUBSD—Subtract Scalar
// Double Precision Floating-Point Value (F2 0F 5C /r).
func SubsdRR(dst, src Reg) Inst { return sseRR(0xF2, 0x0F5C, dst, src) }

// SubsdRM encodes SUBSD with memory: dst -= [m], float64. Intel SDM vol. 2B, SUBSD—Subtract
// Scalar Double Precision Floating-Point Value (F2 0F 5C /r).
func SubsdRM(dst Reg, m Mem) Inst { return sseRM(0xF2, 0x0F5C, dst, m) }

// MulssRR encodes MULSS: dst *= src, float32. Intel SDM vol. 2B, MULSS—Multiply Scalar
// Single Precision Floating-Point Values (F3 0F 59 /r).
func MulssRR(dst, src Reg) Inst { return sseRR(0xF3, 0x0F59, dst, src) }

// MulssRM encodes MULSS with memory: dst *= [m], float32. Intel SDM vol. 2B, MULSS—Multiply
// Scalar Single Precision Floating-Point Values (F3 0F 59 /r).
func MulssRM(dst Reg, m Mem) Inst { return sseRM(0xF3, 0x0F59, dst, m) }

// MulsdRR encodes MULSD: dst *= src, float64. Intel SDM vol. 2B, MULSD—Multiply Scalar
// Double Precision Floating-Point Value (F2 0F 59 /r).
func MulsdRR(dst, src Reg) Inst { return sseRR(0xF2, 0x0F59, dst, src) }

// MulsdRM encodes MULSD with memory: dst *= [m], float64. Intel SDM vol. 2B, MULSD—Multiply
// Scalar Double Precision Floating-Point Value (F2 0F 59 /r).
func MulsdRM(dst Reg, m Mem) Inst { return sseRM(0xF2, 0x0F59, dst, m) }

// DivssRR encodes DIVSS: dst /= src, float32. Intel SDM vol. 2A, DIVSS—Divide Scalar
// Single Precision Floating-Point Values (F3 0F 5E /r).
func DivssRR(dst, src Reg) Inst { return sseRR(0xF3, 0x0F5E, dst, src) }

// DivssRM encodes DIVSS with memory: dst /= [m], float32. Intel SDM vol. 2A, DIVSS—Divide
// Scalar Single Precision Floating-Point Values (F3 0F 5E /r).
func DivssRM(dst Reg, m Mem) Inst { return sseRM(0xF3, 0x0F5E, dst, m) }

// DivsdRR encodes DIVSD: dst /= src, float64. Intel SDM vol. 2A, DIVSD—Divide Scalar
// Double Precision Floating-Point Value (F2 0F 5E /r).
func DivsdRR(dst, src Reg) Inst { return sseRR(0xF2, 0x0F5E, dst, src) }

// DivsdRM encodes DIVSD with memory: dst /= [m], float64. Intel SDM vol. 2A, DIVSD—Divide
// Scalar Double Precision Floating-Point Value (F2 0F 5E /r).
func DivsdRM(dst Reg, m Mem) Inst { return sseRM(0xF2, 0x0F5E, dst, m) }

// SqrtssRR encodes SQRTSS: dst = sqrt(src), float32. Intel SDM vol. 2B, SQRTSS—Compute
// Square Root of Scalar Single Precision Value (F3 0F 51 /r).
func SqrtssRR(dst, src Reg) Inst { return sseRR(0xF3, 0x0F51, dst, src) }

// SqrtssRM encodes SQRTSS with memory: dst = sqrt([m]), float32. Intel SDM vol. 2B,
// SQRTSS—Compute Square Root of Scalar Single Precision Value (F3 0F 51 /r).
func SqrtssRM(dst Reg, m Mem) Inst { return sseRM(0xF3, 0x0F51, dst, m) }

// SqrtsdRR encodes SQRTSD: dst = sqrt(src), float64. Intel SDM vol. 2B, SQRTSD—Compute
// Square Root of Scalar Double Precision Floating-Point Value (F2 0F 51 /r).
func SqrtsdRR(dst, src Reg) Inst { return sseRR(0xF2, 0x0F51, dst, src) }

// SqrtsdRM encodes SQRTSD with memory: dst = sqrt([m]), float64. Intel SDM vol. 2B,
// SQRTSD—Compute Square Root of Scalar Double Precision Floating-Point Value (F2 0F 51 /r).
func SqrtsdRM(dst Reg, m Mem) Inst { return sseRM(0xF2, 0x0F51, dst, m) }

// MinssRR encodes MINSS: dst = src if dst < src is false, else dst, float32; so it returns src
// when either is NaN or both are zeros, which WebAssembly's min must patch. Intel SDM vol. 2B,
// MINSS—Return Minimum Scalar Single Precision Floating-Point Value (F3 0F 5D /r).
func MinssRR(dst, src Reg) Inst { return sseRR(0xF3, 0x0F5D, dst, src) }

// MinssRM encodes MINSS with memory. Intel SDM vol. 2B, MINSS—Return Minimum Scalar Single
// Precision Floating-Point Value (F3 0F 5D /r).
func MinssRM(dst Reg, m Mem) Inst { return sseRM(0xF3, 0x0F5D, dst, m) }

// MinsdRR encodes MINSD, float64, with the NaN and zero behaviour of [MinssRR]. Intel SDM
// vol. 2B, MINSD—Return Minimum Scalar Double Precision Floating-Point Value (F2 0F 5D /r).
func MinsdRR(dst, src Reg) Inst { return sseRR(0xF2, 0x0F5D, dst, src) }

// MinsdRM encodes MINSD with memory. Intel SDM vol. 2B, MINSD—Return Minimum Scalar Double
// Precision Floating-Point Value (F2 0F 5D /r).
func MinsdRM(dst Reg, m Mem) Inst { return sseRM(0xF2, 0x0F5D, dst, m) }

// MaxssRR encodes MAXSS, float32, returning src when either is NaN or both are zeros.
// Intel SDM vol. 2B, MAXSS—Return Maximum Scalar Single Precision Floating-Point Value
// (F3 0F 5F /r).
func MaxssRR(dst, src Reg) Inst { return sseRR(0xF3, 0x0F5F, dst, src) }

// MaxssRM encodes MAXSS with memory. Intel SDM vol. 2B, MAXSS—Return Maximum Scalar Single
// Precision Floating-Point Value (F3 0F 5F /r).
func MaxssRM(dst Reg, m Mem) Inst { return sseRM(0xF3, 0x0F5F, dst, m) }

// MaxsdRR encodes MAXSD, float64, returning src when either is NaN or both are zeros.
// Intel SDM vol. 2B, MAXSD—Return Maximum Scalar Double Precision Floating-Point Value
// (F2 0F 5F /r).
func MaxsdRR(dst, src Reg) Inst { return sseRR(0xF2, 0x0F5F, dst, src) }

// MaxsdRM encodes MAXSD with memory. Intel SDM vol. 2B, MAXSD—Return Maximum Scalar Double
// Precision Floating-Point Value (F2 0F 5F /r).
func MaxsdRM(dst Reg, m Mem) Inst { return sseRM(0xF2, 0x0F5F, dst, m) }

// UcomissRR encodes UCOMISS: sets ZF, PF and CF from comparing float32s a and b (PF set when
// unordered), without raising an exception on quiet NaNs. Intel SDM vol. 2B, UCOMISS—Unordered
// Compare Scalar Single Precision Floating-Point Values and Set EFLAGS (0F 2E /r).
func UcomissRR(a, b Reg) Inst { return sseRR(0, 0x0F2E, a, b) }

// UcomissRM encodes UCOMISS with memory. Intel SDM vol. 2B, UCOMISS—Unordered Compare Scalar
// Single Precision Floating-Point Values and Set EFLAGS (0F 2E /r).
func UcomissRM(a Reg, m Mem) Inst { return sseRM(0, 0x0F2E, a, m) }

// UcomisdRR encodes UCOMISD, the float64 [UcomissRR]. Intel SDM vol. 2B, UCOMISD—Unordered
// Compare Scalar Double Precision Floating-Point Values and Set EFLAGS (66 0F 2E /r).
func UcomisdRR(a, b Reg) Inst { return sseRR(0x66, 0x0F2E, a, b) }

// UcomisdRM encodes UCOMISD with memory. Intel SDM vol. 2B, UCOMISD—Unordered Compare Scalar
// Double Precision Floating-Point Values and Set EFLAGS (66 0F 2E /r).
func UcomisdRM(a Reg, m Mem) Inst { return sseRM(0x66, 0x0F2E, a, m) }

// ComissRR encodes COMISS, which is [UcomissRR] but signals on quiet NaNs too. Intel SDM
// vol. 2A, COMISS—Compare Scalar Ordered Single Precision Floating-Point Values and Set EFLAGS
// (0F 2F /r).
func ComissRR(a, b Reg) Inst { return sseRR(0, 0x0F2F, a, b) }

// ComisdRR encodes COMISD, which is [UcomisdRR] but signals on quiet NaNs too. Intel SDM
// vol. 2A, COMISD—Compare Scalar Ordered Double Precision Floating-Point Values and Set EFLAGS
// (66 0F 2F /r).
func ComisdRR(a, b Reg) Inst { return sseRR(0x66, 0x0F2F, a, b) }

// Cvtsi2ssRR encodes CVTSI2SS xmm, r/m: dst = float32(src), a signed w-bit (W32 or W64)
// general-purpose register; the rest of dst is kept. Intel SDM vol. 2A, CVTSI2SS—Convert
// Doubleword Integer to Scalar Single Precision Floating-Point Value (F3 [REX.W] 0F 2A /r).
func Cvtsi2ssRR(w Width, dst, src Reg) Inst {
	checkWidth(w, W32, W64)
	return encRR(0xF3, w, 0, 0x0F2A, xmm(dst), gpr(src))
}

// Cvtsi2ssRM encodes CVTSI2SS xmm, m: dst = float32 of a signed w-bit integer loaded from m.
// Intel SDM vol. 2A, CVTSI2SS—Convert Doubleword Integer to Scalar Single Precision
// Floating-Point Value (F3 [REX.W] 0F 2A /r).
func Cvtsi2ssRM(w Width, dst Reg, m Mem) Inst {
	checkWidth(w, W32, W64)
	return encRM(0xF3, w, 0, 0x0F2A, xmm(dst), m)
}

// Cvtsi2sdRR encodes CVTSI2SD xmm, r/m: dst = float64(src), a signed w-bit (W32 or W64)
// general-purpose register. Intel SDM vol. 2A, CVTSI2SD—Convert Doubleword Integer to Scalar
// Double Precision Floating-Point Value (F2 [REX.W] 0F 2A /r).
func Cvtsi2sdRR(w Width, dst, src Reg) Inst {
	checkWidth(w, W32, W64)
	return encRR(0xF2, w, 0, 0x0F2A, xmm(dst), gpr(src))
}

// Cvtsi2sdRM encodes CVTSI2SD xmm, m: dst = float64 of a signed w-bit integer loaded from m.
// Intel SDM vol. 2A, CVTSI2SD—Convert Doubleword Integer to Scalar Double Precision
// Floating-Point Value (F2 [REX.W] 0F 2A /r).
func Cvtsi2sdRM(w Width, dst Reg, m Mem) Inst {
	checkWidth(w, W32, W64)
	return encRM(0xF2, w, 0, 0x0F2A, xmm(dst), m)
}

// Cvttss2siRR encodes CVTTSS2SI r, xmm: dst (a w-bit general-purpose register) = src truncated
// toward zero; NaN and out-of-range values give the "integer indefinite" 1<<(w-1), which
// WebAssembly must trap on or saturate. Intel SDM vol. 2A, CVTTSS2SI—Convert With Truncation
// Scalar Single Precision Floating-Point Value to Integer (F3 [REX.W] 0F 2C /r).
func Cvttss2siRR(w Width, dst, src Reg) Inst {
	checkWidth(w, W32, W64)
	return encRR(0xF3, w, 0, 0x0F2C, gpr(dst), xmm(src))
}

// Cvttss2siRM encodes CVTTSS2SI r, m32. Intel SDM vol. 2A, CVTTSS2SI—Convert With Truncation
// Scalar Single Precision Floating-Point Value to Integer (F3 [REX.W] 0F 2C /r).
func Cvttss2siRM(w Width, dst Reg, m Mem) Inst {
	checkWidth(w, W32, W64)
	return encRM(0xF3, w, 0, 0x0F2C, gpr(dst), m)
}

// Cvttsd2siRR encodes CVTTSD2SI r, xmm, the float64 [Cvttss2siRR]. Intel SDM vol. 2A,
// CVTTSD2SI—Convert With Truncation Scalar Double Precision Floating-Point Value to Signed
// Integer (F2 [REX.W] 0F 2C /r).
func Cvttsd2siRR(w Width, dst, src Reg) Inst {
	checkWidth(w, W32, W64)
	return encRR(0xF2, w, 0, 0x0F2C, gpr(dst), xmm(src))
}

// Cvttsd2siRM encodes CVTTSD2SI r, m64. Intel SDM vol. 2A, CVTTSD2SI—Convert With Truncation
// Scalar Double Precision Floating-Point Value to Signed Integer (F2 [REX.W] 0F 2C /r).
func Cvttsd2siRM(w Width, dst Reg, m Mem) Inst {
	checkWidth(w, W32, W64)
	return encRM(0xF2, w, 0, 0x0F2C, gpr(dst), m)
}

// Cvtss2sdRR encodes CVTSS2SD: dst = float64(src). Intel SDM vol. 2A, CVTSS2SD—Convert Scalar
// Single Precision Floating-Point Value to Scalar Double Precision Floating-Point Value
// (F3 0F 5A /r).
func Cvtss2sdRR(dst, src Reg) Inst { return sseRR(0xF3, 0x0F5A, dst, src) }

// Cvtss2sdRM encodes CVTSS2SD with memory: dst = float64 of the float32 at m. Intel SDM
// vol. 2A, CVTSS2SD (F3 0F 5A /r).
func Cvtss2sdRM(dst Reg, m Mem) Inst { return sseRM(0xF3, 0x0F5A, dst, m) }

// Cvtsd2ssRR encodes CVTSD2SS: dst = float32(src), rounded by MXCSR. Intel SDM vol. 2A,
// CVTSD2SS—Convert Scalar Double Precision Floating-Point Value to Scalar Single Precision
// Floating-Point Value (F2 0F 5A /r).
func Cvtsd2ssRR(dst, src Reg) Inst { return sseRR(0xF2, 0x0F5A, dst, src) }

// Cvtsd2ssRM encodes CVTSD2SS with memory: dst = float32 of the float64 at m. Intel SDM
// vol. 2A, CVTSD2SS (F2 0F 5A /r).
func Cvtsd2ssRM(dst Reg, m Mem) Inst { return sseRM(0xF2, 0x0F5A, dst, m) }

// RoundMode is the immediate of ROUNDSS and ROUNDSD (Intel SDM vol. 2B, ROUNDSD, table 4-18):
// bits 1:0 pick the rounding, bit 2 says to use MXCSR instead, bit 3 suppresses the precision
// exception.
type RoundMode uint8

// The rounding modes that WebAssembly's nearest, floor, ceil and trunc need.
const (
	RoundNearest   RoundMode = 0 // to nearest, ties to even
	RoundFloor     RoundMode = 1 // toward -∞
	RoundCeil      RoundMode = 2 // toward +∞
	RoundTrunc     RoundMode = 3 // toward zero
	RoundNoInexact RoundMode = 8 // or-ed in: do not signal the precision exception
)

// RoundssRR encodes ROUNDSS (SSE4.1): dst = src rounded to an integral float32 as mode says.
// Intel SDM vol. 2B, ROUNDSS—Round Scalar Single Precision Floating-Point Values
// (66 0F 3A 0A /r ib).
func RoundssRR(dst, src Reg, mode RoundMode) Inst {
	i := sseRR(0x66, 0x0F3A0A, dst, src)
	i.imm8(int64(mode))
	return i
}

// RoundssRM encodes ROUNDSS with memory. Intel SDM vol. 2B, ROUNDSS—Round Scalar Single
// Precision Floating-Point Values (66 0F 3A 0A /r ib).
func RoundssRM(dst Reg, m Mem, mode RoundMode) Inst {
	i := sseRM(0x66, 0x0F3A0A, dst, m)
	i.imm8(int64(mode))
	return i
}

// RoundsdRR encodes ROUNDSD (SSE4.1): dst = src rounded to an integral float64 as mode says.
// Intel SDM vol. 2B, ROUNDSD—Round Scalar Double Precision Floating-Point Values
// (66 0F 3A 0B /r ib).
func RoundsdRR(dst, src Reg, mode RoundMode) Inst {
	i := sseRR(0x66, 0x0F3A0B, dst, src)
	i.imm8(int64(mode))
	return i
}

// RoundsdRM encodes ROUNDSD with memory. Intel SDM vol. 2B, ROUNDSD—Round Scalar Double
// Precision Floating-Point Values (66 0F 3A 0B /r ib).
func RoundsdRM(dst Reg, m Mem, mode RoundMode) Inst {
	i := sseRM(0x66, 0x0F3A0B, dst, m)
	i.imm8(int64(mode))
	return i
}

// AndpsRR encodes ANDPS: dst &= src, all 128 bits. Intel SDM vol. 2A, ANDPS—Bitwise Logical AND
// of Packed Single Precision Floating-Point Values (0F 54 /r).
func AndpsRR(dst, src Reg) Inst { return sseRR(0, 0x0F54, dst, src) }

// AndpsRM encodes ANDPS with a 16-byte-aligned memory operand. Intel SDM vol. 2A, ANDPS
// (0F 54 /r).
func AndpsRM(dst Reg, m Mem) Inst { return sseRM(0, 0x0F54, dst, m) }

// AndpdRR encodes ANDPD: dst &= src. Intel SDM vol. 2A, ANDPD—Bitwise Logical AND of Packed
// Double Precision Floating-Point Values (66 0F 54 /r).
func AndpdRR(dst, src Reg) Inst { return sseRR(0x66, 0x0F54, dst, src) }

// AndpdRM encodes ANDPD with a 16-byte-aligned memory operand. Intel SDM vol. 2A, ANDPD
// (66 0F 54 /r).
func AndpdRM(dst Reg, m Mem) Inst { return sseRM(0x66, 0x0F54, dst, m) }

// AndnpsRR encodes ANDNPS: dst = ^dst & src. Intel SDM vol. 2A, ANDNPS—Bitwise Logical AND NOT
// of Packed Single Precision Floating-Point Values (0F 55 /r).
func AndnpsRR(dst, src Reg) Inst { return sseRR(0, 0x0F55, dst, src) }

// AndnpsRM encodes ANDNPS with a 16-byte-aligned memory operand. Intel SDM vol. 2A, ANDNPS
// (0F 55 /r).
func AndnpsRM(dst Reg, m Mem) Inst { return sseRM(0, 0x0F55, dst, m) }

// AndnpdRR encodes ANDNPD: dst = ^dst & src. Intel SDM vol. 2A, ANDNPD—Bitwise Logical AND NOT
// of Packed Double Precision Floating-Point Values (66 0F 55 /r).
func AndnpdRR(dst, src Reg) Inst { return sseRR(0x66, 0x0F55, dst, src) }

// AndnpdRM encodes ANDNPD with a 16-byte-aligned memory operand. Intel SDM vol. 2A, ANDNPD
// (66 0F 55 /r).
func AndnpdRM(dst Reg, m Mem) Inst { return sseRM(0x66, 0x0F55, dst, m) }

// OrpsRR encodes ORPS: dst |= src. Intel SDM vol. 2B, ORPS—Bitwise Logical OR of Packed Single
// Precision Floating-Point Values (0F 56 /r).
func OrpsRR(dst, src Reg) Inst { return sseRR(0, 0x0F56, dst, src) }

// OrpsRM encodes ORPS with a 16-byte-aligned memory operand. Intel SDM vol. 2B, ORPS (0F 56 /r).
func OrpsRM(dst Reg, m Mem) Inst { return sseRM(0, 0x0F56, dst, m) }

// OrpdRR encodes ORPD: dst |= src. Intel SDM vol. 2B, ORPD—Bitwise Logical OR of Packed Double
// Precision Floating-Point Values (66 0F 56 /r).
func OrpdRR(dst, src Reg) Inst { return sseRR(0x66, 0x0F56, dst, src) }

// OrpdRM encodes ORPD with a 16-byte-aligned memory operand. Intel SDM vol. 2B, ORPD
// (66 0F 56 /r).
func OrpdRM(dst Reg, m Mem) Inst { return sseRM(0x66, 0x0F56, dst, m) }

// XorpsRR encodes XORPS: dst ^= src; XorpsRR(x, x) zeroes x. Intel SDM vol. 2C, XORPS—Bitwise
// Logical XOR of Packed Single Precision Floating-Point Values (0F 57 /r).
func XorpsRR(dst, src Reg) Inst { return sseRR(0, 0x0F57, dst, src) }

// XorpsRM encodes XORPS with a 16-byte-aligned memory operand. Intel SDM vol. 2C, XORPS
// (0F 57 /r).
func XorpsRM(dst Reg, m Mem) Inst { return sseRM(0, 0x0F57, dst, m) }

// XorpdRR encodes XORPD: dst ^= src. Intel SDM vol. 2C, XORPD—Bitwise Logical XOR of Packed
// Double Precision Floating-Point Values (66 0F 57 /r).
func XorpdRR(dst, src Reg) Inst { return sseRR(0x66, 0x0F57, dst, src) }

// XorpdRM encodes XORPD with a 16-byte-aligned memory operand. Intel SDM vol. 2C, XORPD
// (66 0F 57 /r).
func XorpdRM(dst Reg, m Mem) Inst { return sseRM(0x66, 0x0F57, dst, m) }

// PxorRR encodes PXOR xmm1, xmm2: dst ^= src, the integer-domain XOR. Intel SDM vol. 2B,
// PXOR—Logical Exclusive OR (66 0F EF /r).
func PxorRR(dst, src Reg) Inst { return sseRR(0x66, 0x0FEF, dst, src) }

// PxorRM encodes PXOR with a 16-byte-aligned memory operand. Intel SDM vol. 2B, PXOR
// (66 0F EF /r).
func PxorRM(dst Reg, m Mem) Inst { return sseRM(0x66, 0x0FEF, dst, m) }

// MovapsRR encodes MOVAPS xmm1, xmm2: copies all 128 bits, the register-to-register move for
// floats. Intel SDM vol. 2B, MOVAPS—Move Aligned Packed Single Precision Floating-Point Values
// (0F 28 /r).
func MovapsRR(dst, src Reg) Inst { return sseRR(0, 0x0F28, dst, src) }

// MovapsRM encodes MOVAPS xmm, m128: a 16-byte load that faults unless m is 16-byte aligned.
// Intel SDM vol. 2B, MOVAPS (0F 28 /r).
func MovapsRM(dst Reg, m Mem) Inst { return sseRM(0, 0x0F28, dst, m) }

// MovapsMR encodes MOVAPS m128, xmm: a 16-byte aligned store. Intel SDM vol. 2B, MOVAPS
// (0F 29 /r).
func MovapsMR(m Mem, src Reg) Inst { return sseRM(0, 0x0F29, src, m) }

// MovapdRR encodes MOVAPD xmm1, xmm2: copies all 128 bits. Intel SDM vol. 2B, MOVAPD—Move
// Aligned Packed Double Precision Floating-Point Values (66 0F 28 /r).
func MovapdRR(dst, src Reg) Inst { return sseRR(0x66, 0x0F28, dst, src) }

// MovapdRM encodes MOVAPD xmm, m128: a 16-byte aligned load. Intel SDM vol. 2B, MOVAPD
// (66 0F 28 /r).
func MovapdRM(dst Reg, m Mem) Inst { return sseRM(0x66, 0x0F28, dst, m) }

// MovapdMR encodes MOVAPD m128, xmm: a 16-byte aligned store. Intel SDM vol. 2B, MOVAPD
// (66 0F 29 /r).
func MovapdMR(m Mem, src Reg) Inst { return sseRM(0x66, 0x0F29, src, m) }

// MovupsRM encodes MOVUPS xmm, m128: a 16-byte load with no alignment requirement. Intel SDM
// vol. 2B, MOVUPS—Move Unaligned Packed Single Precision Floating-Point Values (0F 10 /r).
func MovupsRM(dst Reg, m Mem) Inst { return sseRM(0, 0x0F10, dst, m) }

// MovupsMR encodes MOVUPS m128, xmm: a 16-byte unaligned store. Intel SDM vol. 2B, MOVUPS
// (0F 11 /r).
func MovupsMR(m Mem, src Reg) Inst { return sseRM(0, 0x0F11, src, m) }

// MovdquRR encodes MOVDQU xmm1, xmm2: copies all 128 bits in the integer domain. Intel SDM
// vol. 2B, MOVDQU—Move Unaligned Packed Integer Values (F3 0F 6F /r).
func MovdquRR(dst, src Reg) Inst { return sseRR(0xF3, 0x0F6F, dst, src) }

// MovdquRM encodes MOVDQU xmm, m128: a 16-byte unaligned load, for v128.load. Intel SDM
// vol. 2B, MOVDQU (F3 0F 6F /r).
func MovdquRM(dst Reg, m Mem) Inst { return sseRM(0xF3, 0x0F6F, dst, m) }

// MovdquMR encodes MOVDQU m128, xmm: a 16-byte unaligned store, for v128.store. Intel SDM
// vol. 2B, MOVDQU (F3 0F 7F /r).
func MovdquMR(m Mem, src Reg) Inst { return sseRM(0xF3, 0x0F7F, src, m) }
