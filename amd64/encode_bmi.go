package amd64

// The BMI1, BMI2 and LZCNT instructions of x86-64-v3 that scalar code uses (--cpu
// x86-64-v3, backend.CPUX8664V3). andn, shlx, shrx, sarx and rorx are VEX-encoded
// general-register instructions: three operands and, but for andn, no flags written, so
// a shift needs neither cl nor a copy of its input. lzcnt and tzcnt are legacy-encoded
// (encode_arith.go).

// VEX fields (Intel SDM vol. 2A, 2.3.5 and 2.3.6): the implied prefix pp and the opcode
// map m-mmmm.
const (
	vexPPNone = 0
	vexPP66   = 1
	vexPPF3   = 2
	vexPPF2   = 3

	vexMap0F38 = 2
	vexMap0F3A = 3
)

// vexRR encodes a three-byte VEX prefix, opcode and ModRM with mod = 11 for a general
// register instruction of width w (W32: VEX.W0, W64: VEX.W1; VEX.L is 0): reg and rm are
// ModRM's fields and v the register in VEX.vvvv. R, B and vvvv are stored inverted.
// Intel SDM vol. 2A, 2.3.5.
func vexRR(pp, mmmmm byte, w Width, op byte, reg, v, rm uint8) Inst {
	checkWidth(w, W32, W64)
	var i Inst
	b1 := mmmmm | 0x40 // X̄ set: no index register
	if reg < 8 {
		b1 |= 0x80
	}
	if rm < 8 {
		b1 |= 0x20
	}
	b2 := (^v&15)<<3 | pp
	if w == W64 {
		b2 |= 0x80
	}
	i.byte1(0xC4)
	i.byte1(b1)
	i.byte1(b2)
	i.byte1(op)
	i.byte1(0xC0 | (reg&7)<<3 | rm&7)
	return i
}

// AndnRR encodes ANDN r, r, r/m: dst = ^a & b, setting SF and ZF, clearing OF and CF.
// Needs BMI1. Intel SDM vol. 2A, ANDN—Logical AND NOT (VEX.LZ.0F38.W0/W1 F2 /r).
func AndnRR(w Width, dst, a, b Reg) Inst {
	return vexRR(vexPPNone, vexMap0F38, w, 0xF2, gpr(dst), gpr(a), gpr(b))
}

// ShlxRR encodes SHLX r, r/m, r: dst = src << (count mod w), flags unchanged. Needs BMI2.
// Intel SDM vol. 2B, SARX/SHLX/SHRX—Shift Without Affecting Flags (VEX.LZ.66.0F38 F7 /r).
func ShlxRR(w Width, dst, src, count Reg) Inst {
	return vexRR(vexPP66, vexMap0F38, w, 0xF7, gpr(dst), gpr(count), gpr(src))
}

// ShrxRR encodes SHRX r, r/m, r: dst = src >> (count mod w), unsigned, flags unchanged.
// Needs BMI2. Intel SDM vol. 2B, SARX/SHLX/SHRX (VEX.LZ.F2.0F38 F7 /r).
func ShrxRR(w Width, dst, src, count Reg) Inst {
	return vexRR(vexPPF2, vexMap0F38, w, 0xF7, gpr(dst), gpr(count), gpr(src))
}

// SarxRR encodes SARX r, r/m, r: dst = src >> (count mod w), signed, flags unchanged.
// Needs BMI2. Intel SDM vol. 2B, SARX/SHLX/SHRX (VEX.LZ.F3.0F38 F7 /r).
func SarxRR(w Width, dst, src, count Reg) Inst {
	return vexRR(vexPPF3, vexMap0F38, w, 0xF7, gpr(dst), gpr(count), gpr(src))
}

// RorxRI encodes RORX r, r/m, imm8: dst = src rotated right by count mod w, flags
// unchanged. Needs BMI2. Intel SDM vol. 2B, RORX—Rotate Right Logical Without Affecting
// Flags (VEX.LZ.F2.0F3A F0 /r ib).
func RorxRI(w Width, dst, src Reg, count uint8) Inst {
	i := vexRR(vexPPF2, vexMap0F3A, w, 0xF0, gpr(dst), 0, gpr(src))
	i.imm8(int64(count))
	return i
}
