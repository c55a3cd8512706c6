package amd64

// The eight classic ALU operations, TEST, and the flag consumers SETcc and CMOVcc.
//
// ADD, OR, ADC, SBB, AND, SUB, XOR and CMP share one encoding scheme (Intel SDM vol. 2A,
// appendix B.1.4, and each instruction's opcode table): an operation number n from 0 to 7 gives
// opcodes 8n+0 (r/m8, r8), 8n+1 (r/m, r), 8n+2 (r8, r/m8), 8n+3 (r, r/m), 8n+4 (AL, imm8),
// 8n+5 (eAX, imm), and the /n extension of 80 (r/m8, imm8), 81 (r/m, imm) and 83 (r/m,
// sign-extended imm8). The helpers below take n; the exported functions name the instruction.

const (
	aluAdd = 0
	aluOr  = 1
	aluAdc = 2
	aluSbb = 3
	aluAnd = 4
	aluSub = 5
	aluXor = 6
	aluCmp = 7
)

// aluRR encodes op r/m, r with both registers: dst op= src.
func aluRR(n byte, w Width, dst, src Reg) Inst {
	d, s := gpr(dst), gpr(src)
	if w == W8 {
		return encRR(0, w, byteReg(d)|byteReg(s), uint32(8*n), s, d)
	}
	checkWidth(w, W16, W32, W64)
	return encRR(0, w, 0, uint32(8*n+1), s, d)
}

// aluRM encodes op r, r/m with a memory source: dst op= [m].
func aluRM(n byte, w Width, dst Reg, m Mem) Inst {
	d := gpr(dst)
	if w == W8 {
		return encRM(0, w, byteReg(d), uint32(8*n+2), d, m)
	}
	checkWidth(w, W16, W32, W64)
	return encRM(0, w, 0, uint32(8*n+3), d, m)
}

// aluMR encodes op r/m, r with a memory destination: [m] op= src.
func aluMR(n byte, w Width, m Mem, src Reg) Inst {
	s := gpr(src)
	if w == W8 {
		return encRM(0, w, byteReg(s), uint32(8*n), s, m)
	}
	checkWidth(w, W16, W32, W64)
	return encRM(0, w, 0, uint32(8*n+1), s, m)
}

// truncImm returns imm truncated to w bits and sign-extended back, the value the instruction
// will see.
func truncImm(w Width, imm int32) int64 {
	switch w {
	case W8:
		return int64(int8(imm))
	case W16:
		return int64(int16(imm))
	}
	return int64(imm)
}

func fitsInt8(v int64) bool { return int64(int8(v)) == v }

// aluRI encodes op r/m, imm with a register: dst op= imm. It picks the shortest form: a
// sign-extended imm8 (83 /n), else the accumulator form (8n+4, 8n+5) for AL/AX/EAX/RAX, else
// 80 /n or 81 /n. At W8 and W16 imm is truncated; at W64 it is sign-extended from 32 bits.
func aluRI(n byte, w Width, dst Reg, imm int32) Inst {
	d := gpr(dst)
	v := truncImm(w, imm)
	checkWidth(w, W8, W16, W32, W64)
	var i Inst
	switch {
	case w == W8 && dst == RAX:
		i.byte1(8*n + 4)
	case w == W8:
		i = encRR(0, w, byteReg(d), 0x80, n, d)
	case fitsInt8(v):
		i = encRR(0, w, 0, 0x83, n, d)
		i.imm8(v)
		return i
	case dst == RAX:
		i.prefixes(0, w, 0)
		i.byte1(8*n + 5)
	default:
		i = encRR(0, w, 0, 0x81, n, d)
	}
	i.immW(w, v)
	return i
}

// aluMI encodes op r/m, imm with a memory destination: [m] op= imm, with a sign-extended imm8
// when it fits.
func aluMI(n byte, w Width, m Mem, imm int32) Inst {
	v := truncImm(w, imm)
	checkWidth(w, W8, W16, W32, W64)
	var i Inst
	switch {
	case w == W8:
		i = encRM(0, w, 0, 0x80, n, m)
	case fitsInt8(v):
		i = encRM(0, w, 0, 0x83, n, m)
		i.imm8(v)
		return i
	default:
		i = encRM(0, w, 0, 0x81, n, m)
	}
	i.immW(w, v)
	return i
}

// AddRR encodes ADD r/m, r with registers: dst += src. Intel SDM vol. 2A, ADD—Add.
func AddRR(w Width, dst, src Reg) Inst { return aluRR(aluAdd, w, dst, src) }

// AddRI encodes ADD r/m, imm with a register: dst += imm. Intel SDM vol. 2A, ADD—Add.
func AddRI(w Width, dst Reg, imm int32) Inst { return aluRI(aluAdd, w, dst, imm) }

// AddRM encodes ADD r, r/m with a memory source: dst += [m]. Intel SDM vol. 2A, ADD—Add.
func AddRM(w Width, dst Reg, m Mem) Inst { return aluRM(aluAdd, w, dst, m) }

// AddMR encodes ADD r/m, r with a memory destination: [m] += src. Intel SDM vol. 2A, ADD—Add.
func AddMR(w Width, m Mem, src Reg) Inst { return aluMR(aluAdd, w, m, src) }

// AddMI encodes ADD r/m, imm with a memory destination: [m] += imm. Intel SDM vol. 2A, ADD—Add.
func AddMI(w Width, m Mem, imm int32) Inst { return aluMI(aluAdd, w, m, imm) }

// OrRR encodes OR r/m, r with registers: dst |= src. Intel SDM vol. 2B, OR—Logical Inclusive OR.
func OrRR(w Width, dst, src Reg) Inst { return aluRR(aluOr, w, dst, src) }

// OrRI encodes OR r/m, imm with a register: dst |= imm. Intel SDM vol. 2B, OR—Logical Inclusive OR.
func OrRI(w Width, dst Reg, imm int32) Inst { return aluRI(aluOr, w, dst, imm) }

// OrRM encodes OR r, r/m with a memory source: dst |= [m]. Intel SDM vol. 2B, OR—Logical
// Inclusive OR.
func OrRM(w Width, dst Reg, m Mem) Inst { return aluRM(aluOr, w, dst, m) }

// OrMR encodes OR r/m, r with a memory destination: [m] |= src. Intel SDM vol. 2B, OR—Logical
// Inclusive OR.
func OrMR(w Width, m Mem, src Reg) Inst { return aluMR(aluOr, w, m, src) }

// OrMI encodes OR r/m, imm with a memory destination: [m] |= imm. Intel SDM vol. 2B,
// OR—Logical Inclusive OR.
func OrMI(w Width, m Mem, imm int32) Inst { return aluMI(aluOr, w, m, imm) }

// AdcRR encodes ADC r/m, r with registers: dst += src + CF. Intel SDM vol. 2A, ADC—Add With Carry.
func AdcRR(w Width, dst, src Reg) Inst { return aluRR(aluAdc, w, dst, src) }

// AdcRI encodes ADC r/m, imm with a register: dst += imm + CF. Intel SDM vol. 2A, ADC—Add With
// Carry.
func AdcRI(w Width, dst Reg, imm int32) Inst { return aluRI(aluAdc, w, dst, imm) }

// AdcRM encodes ADC r, r/m with a memory source: dst += [m] + CF. Intel SDM vol. 2A, ADC—Add
// With Carry.
func AdcRM(w Width, dst Reg, m Mem) Inst { return aluRM(aluAdc, w, dst, m) }

// AdcMR encodes ADC r/m, r with a memory destination: [m] += src + CF. Intel SDM vol. 2A,
// ADC—Add With Carry.
func AdcMR(w Width, m Mem, src Reg) Inst { return aluMR(aluAdc, w, m, src) }

// AdcMI encodes ADC r/m, imm with a memory destination: [m] += imm + CF. Intel SDM vol. 2A,
// ADC—Add With Carry.
func AdcMI(w Width, m Mem, imm int32) Inst { return aluMI(aluAdc, w, m, imm) }

// SbbRR encodes SBB r/m, r with registers: dst -= src + CF. Intel SDM vol. 2B, SBB—Integer
// Subtraction With Borrow.
func SbbRR(w Width, dst, src Reg) Inst { return aluRR(aluSbb, w, dst, src) }

// SbbRI encodes SBB r/m, imm with a register: dst -= imm + CF. Intel SDM vol. 2B, SBB—Integer
// Subtraction With Borrow.
func SbbRI(w Width, dst Reg, imm int32) Inst { return aluRI(aluSbb, w, dst, imm) }

// SbbRM encodes SBB r, r/m with a memory source: dst -= [m] + CF. Intel SDM vol. 2B,
// SBB—Integer Subtraction With Borrow.
func SbbRM(w Width, dst Reg, m Mem) Inst { return aluRM(aluSbb, w, dst, m) }

// SbbMR encodes SBB r/m, r with a memory destination: [m] -= src + CF. Intel SDM vol. 2B,
// SBB—Integer Subtraction With Borrow.
func SbbMR(w Width, m Mem, src Reg) Inst { return aluMR(aluSbb, w, m, src) }

// SbbMI encodes SBB r/m, imm with a memory destination: [m] -= imm + CF. Intel SDM vol. 2B,
// SBB—Integer Subtraction With Borrow.
func SbbMI(w Width, m Mem, imm int32) Inst { return aluMI(aluSbb, w, m, imm) }

// AndRR encodes AND r/m, r with registers: dst &= src. Intel SDM vol. 2A, AND—Logical AND.
func AndRR(w Width, dst, src Reg) Inst { return aluRR(aluAnd, w, dst, src) }

// AndRI encodes AND r/m, imm with a register: dst &= imm. Intel SDM vol. 2A, AND—Logical AND.
func AndRI(w Width, dst Reg, imm int32) Inst { return aluRI(aluAnd, w, dst, imm) }

// AndRM encodes AND r, r/m with a memory source: dst &= [m]. Intel SDM vol. 2A, AND—Logical AND.
func AndRM(w Width, dst Reg, m Mem) Inst { return aluRM(aluAnd, w, dst, m) }

// AndMR encodes AND r/m, r with a memory destination: [m] &= src. Intel SDM vol. 2A,
// AND—Logical AND.
func AndMR(w Width, m Mem, src Reg) Inst { return aluMR(aluAnd, w, m, src) }

// AndMI encodes AND r/m, imm with a memory destination: [m] &= imm. Intel SDM vol. 2A,
// AND—Logical AND.
func AndMI(w Width, m Mem, imm int32) Inst { return aluMI(aluAnd, w, m, imm) }

// SubRR encodes SUB r/m, r with registers: dst -= src. Intel SDM vol. 2B, SUB—Subtract.
func SubRR(w Width, dst, src Reg) Inst { return aluRR(aluSub, w, dst, src) }

// SubRI encodes SUB r/m, imm with a register: dst -= imm. Intel SDM vol. 2B, SUB—Subtract.
func SubRI(w Width, dst Reg, imm int32) Inst { return aluRI(aluSub, w, dst, imm) }

// SubRM encodes SUB r, r/m with a memory source: dst -= [m]. Intel SDM vol. 2B, SUB—Subtract.
func SubRM(w Width, dst Reg, m Mem) Inst { return aluRM(aluSub, w, dst, m) }

// SubMR encodes SUB r/m, r with a memory destination: [m] -= src. Intel SDM vol. 2B,
// SUB—Subtract.
func SubMR(w Width, m Mem, src Reg) Inst { return aluMR(aluSub, w, m, src) }

// SubMI encodes SUB r/m, imm with a memory destination: [m] -= imm. Intel SDM vol. 2B,
// SUB—Subtract.
func SubMI(w Width, m Mem, imm int32) Inst { return aluMI(aluSub, w, m, imm) }

// XorRR encodes XOR r/m, r with registers: dst ^= src. XorRR(W32, r, r) is the idiomatic way to
// zero r. Intel SDM vol. 2C, XOR—Logical Exclusive OR.
func XorRR(w Width, dst, src Reg) Inst { return aluRR(aluXor, w, dst, src) }

// XorRI encodes XOR r/m, imm with a register: dst ^= imm. Intel SDM vol. 2C, XOR—Logical
// Exclusive OR.
func XorRI(w Width, dst Reg, imm int32) Inst { return aluRI(aluXor, w, dst, imm) }

// XorRM encodes XOR r, r/m with a memory source: dst ^= [m]. Intel SDM vol. 2C, XOR—Logical
// Exclusive OR.
func XorRM(w Width, dst Reg, m Mem) Inst { return aluRM(aluXor, w, dst, m) }

// XorMR encodes XOR r/m, r with a memory destination: [m] ^= src. Intel SDM vol. 2C,
// XOR—Logical Exclusive OR.
func XorMR(w Width, m Mem, src Reg) Inst { return aluMR(aluXor, w, m, src) }

// XorMI encodes XOR r/m, imm with a memory destination: [m] ^= imm. Intel SDM vol. 2C,
// XOR—Logical Exclusive OR.
func XorMI(w Width, m Mem, imm int32) Inst { return aluMI(aluXor, w, m, imm) }

// CmpRR encodes CMP r/m, r with registers: sets the flags from a - b. Intel SDM vol. 2A,
// CMP—Compare Two Operands.
func CmpRR(w Width, a, b Reg) Inst { return aluRR(aluCmp, w, a, b) }

// CmpRI encodes CMP r/m, imm with a register: sets the flags from a - imm. Intel SDM vol. 2A,
// CMP—Compare Two Operands.
func CmpRI(w Width, a Reg, imm int32) Inst { return aluRI(aluCmp, w, a, imm) }

// CmpRM encodes CMP r, r/m with a memory operand: sets the flags from a - [m]. Intel SDM
// vol. 2A, CMP—Compare Two Operands.
func CmpRM(w Width, a Reg, m Mem) Inst { return aluRM(aluCmp, w, a, m) }

// CmpMR encodes CMP r/m, r with a memory operand: sets the flags from [m] - b. Intel SDM
// vol. 2A, CMP—Compare Two Operands.
func CmpMR(w Width, m Mem, b Reg) Inst { return aluMR(aluCmp, w, m, b) }

// CmpMI encodes CMP r/m, imm with a memory operand: sets the flags from [m] - imm. Intel SDM
// vol. 2A, CMP—Compare Two Operands.
func CmpMI(w Width, m Mem, imm int32) Inst { return aluMI(aluCmp, w, m, imm) }

// TestRR encodes TEST r/m, r with registers: sets the flags from a & b. Intel SDM vol. 2B,
// TEST—Logical Compare (84 /r, 85 /r).
func TestRR(w Width, a, b Reg) Inst {
	an, bn := gpr(a), gpr(b)
	if w == W8 {
		return encRR(0, w, byteReg(an)|byteReg(bn), 0x84, bn, an)
	}
	checkWidth(w, W16, W32, W64)
	return encRR(0, w, 0, 0x85, bn, an)
}

// TestMR encodes TEST r/m, r with a memory operand: sets the flags from [m] & b. Intel SDM
// vol. 2B, TEST—Logical Compare (84 /r, 85 /r).
func TestMR(w Width, m Mem, b Reg) Inst {
	bn := gpr(b)
	if w == W8 {
		return encRM(0, w, byteReg(bn), 0x84, bn, m)
	}
	checkWidth(w, W16, W32, W64)
	return encRM(0, w, 0, 0x85, bn, m)
}

// TestRI encodes TEST r/m, imm with a register: sets the flags from a & imm. TEST has no imm8
// form above W8, so it uses the accumulator form (A8, A9) for RAX, else F6 /0 or F7 /0.
// Intel SDM vol. 2B, TEST—Logical Compare.
func TestRI(w Width, a Reg, imm int32) Inst {
	an := gpr(a)
	checkWidth(w, W8, W16, W32, W64)
	var i Inst
	switch {
	case a == RAX:
		i.prefixes(0, w, 0)
		if w == W8 {
			i.byte1(0xA8)
		} else {
			i.byte1(0xA9)
		}
	case w == W8:
		i = encRR(0, w, byteReg(an), 0xF6, 0, an)
	default:
		i = encRR(0, w, 0, 0xF7, 0, an)
	}
	i.immW(w, int64(imm))
	return i
}

// TestMI encodes TEST r/m, imm with a memory operand: sets the flags from [m] & imm. Intel SDM
// vol. 2B, TEST—Logical Compare (F6 /0 ib, F7 /0 iw, F7 /0 id).
func TestMI(w Width, m Mem, imm int32) Inst {
	checkWidth(w, W8, W16, W32, W64)
	op := uint32(0xF7)
	if w == W8 {
		op = 0xF6
	}
	i := encRM(0, w, 0, op, 0, m)
	i.immW(w, int64(imm))
	return i
}

// Setcc encodes SETcc r/m8 with a register: the low byte of dst = 1 if c holds, else 0; the
// other bits are kept, so isel zero-extends or zeroes dst first. Intel SDM vol. 2B,
// SETcc—Set Byte on Condition (0F 90+cc /0).
func Setcc(c Cond, dst Reg) Inst {
	d := gpr(dst)
	return encRR(0, W8, byteReg(d), 0x0F90+uint32(c&15), 0, d)
}

// CmovRR encodes CMOVcc r, r/m with a register source: dst = src if c holds. At W32 the upper
// half of dst is zeroed even when c does not hold. Intel SDM vol. 2A, CMOVcc—Conditional Move
// (0F 40+cc /r).
func CmovRR(c Cond, w Width, dst, src Reg) Inst {
	checkWidth(w, W16, W32, W64)
	return encRR(0, w, 0, 0x0F40+uint32(c&15), gpr(dst), gpr(src))
}

// CmovRM encodes CMOVcc r, r/m with a memory source: dst = [m] if c holds. The load happens
// (and may fault) either way. Intel SDM vol. 2A, CMOVcc—Conditional Move (0F 40+cc /r).
func CmovRM(c Cond, w Width, dst Reg, m Mem) Inst {
	checkWidth(w, W16, W32, W64)
	return encRM(0, w, 0, 0x0F40+uint32(c&15), gpr(dst), m)
}
