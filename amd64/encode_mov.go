package amd64

// Data movement between general-purpose registers and memory: MOV, MOVZX, MOVSX, MOVSXD, LEA,
// XCHG.

// MovRR encodes MOV r/m, r with both operands registers: dst = src. At W32 the upper half of
// dst is zeroed; at W8 and W16 it is kept. Intel SDM vol. 2B, MOV—Move (88 /r, 89 /r).
func MovRR(w Width, dst, src Reg) Inst {
	s, d := gpr(src), gpr(dst)
	if w == W8 {
		return encRR(0, w, byteReg(s)|byteReg(d), 0x88, s, d)
	}
	checkWidth(w, W16, W32, W64)
	return encRR(0, w, 0, 0x89, s, d)
}

// MovRM encodes MOV r, r/m with a memory source, a load: dst = [m]. Intel SDM vol. 2B,
// MOV—Move (8A /r, 8B /r).
func MovRM(w Width, dst Reg, m Mem) Inst {
	d := gpr(dst)
	if w == W8 {
		return encRM(0, w, byteReg(d), 0x8A, d, m)
	}
	checkWidth(w, W16, W32, W64)
	return encRM(0, w, 0, 0x8B, d, m)
}

// MovMR encodes MOV r/m, r with a memory destination, a store: [m] = src. Intel SDM vol. 2B,
// MOV—Move (88 /r, 89 /r).
func MovMR(w Width, m Mem, src Reg) Inst {
	s := gpr(src)
	if w == W8 {
		return encRM(0, w, byteReg(s), 0x88, s, m)
	}
	checkWidth(w, W16, W32, W64)
	return encRM(0, w, 0, 0x89, s, m)
}

// MovRI encodes MOV r, imm: dst = imm, truncated to w bits at W8 and W16, zero-extended to 64
// bits at W32 (B8+rd id) and sign-extended at W64 (REX.W C7 /0 id). For other 64-bit constants
// see [MovAbs] and [MovConst]. Intel SDM vol. 2B, MOV—Move (B0+rb ib, B8+rw iw, B8+rd id,
// REX.W C7 /0 id).
func MovRI(w Width, dst Reg, imm int32) Inst {
	d := gpr(dst)
	switch w {
	case W8:
		i := encO(w, byteReg(d), 0xB0, d)
		i.imm8(int64(imm))
		return i
	case W16, W32:
		i := encO(w, 0, 0xB8, d)
		i.immW(w, int64(imm))
		return i
	}
	checkWidth(w, W64)
	i := encRR(0, w, 0, 0xC7, 0, d)
	i.imm32(int64(imm))
	return i
}

// MovAbs encodes MOV r64, imm64, which GNU calls movabs: dst = imm, 10 bytes. Intel SDM vol. 2B,
// MOV—Move (REX.W B8+rd io).
func MovAbs(dst Reg, imm int64) Inst {
	i := encO(W64, 0, 0xB8, gpr(dst))
	i.imm64(imm)
	return i
}

// MovConst returns the shortest MOV that sets all 64 bits of dst to v: [MovRI] at W32 when v
// fits in 32 unsigned bits, at W64 when it fits in 32 signed bits, else [MovAbs]. It leaves the
// flags alone, unlike XOR r, r for zero, which isel may prefer.
func MovConst(dst Reg, v uint64) Inst {
	switch {
	case v <= 0xFFFF_FFFF:
		return MovRI(W32, dst, int32(uint32(v)))
	case int64(int32(int64(v))) == int64(v):
		return MovRI(W64, dst, int32(int64(v)))
	}
	return MovAbs(dst, int64(v))
}

// MovMI encodes MOV r/m, imm with a memory destination: [m] = imm, truncated to w bits, or
// sign-extended from 32 bits at W64. Intel SDM vol. 2B, MOV—Move (C6 /0 ib, C7 /0 iw, C7 /0 id,
// REX.W C7 /0 id).
func MovMI(w Width, m Mem, imm int32) Inst {
	op := uint32(0xC7)
	if w == W8 {
		op = 0xC6
	}
	checkWidth(w, W8, W16, W32, W64)
	i := encRM(0, w, 0, op, 0, m)
	i.immW(w, int64(imm))
	return i
}

// movx encodes MOVZX or MOVSX (op is the 8-bit-source opcode; +1 for a 16-bit source).
func movxRR(op uint32, dw, sw Width, dst, src Reg) Inst {
	d, s := gpr(dst), gpr(src)
	switch sw {
	case W8:
		checkWidth(dw, W16, W32, W64)
		return encRR(0, dw, byteReg(s), op, d, s)
	case W16:
		checkWidth(dw, W32, W64)
		return encRR(0, dw, 0, op+1, d, s)
	}
	panic("amd64: MOVZX/MOVSX source must be W8 or W16")
}

func movxRM(op uint32, dw, sw Width, dst Reg, m Mem) Inst {
	d := gpr(dst)
	switch sw {
	case W8:
		checkWidth(dw, W16, W32, W64)
		return encRM(0, dw, 0, op, d, m)
	case W16:
		checkWidth(dw, W32, W64)
		return encRM(0, dw, 0, op+1, d, m)
	}
	panic("amd64: MOVZX/MOVSX source must be W8 or W16")
}

// MovzxRR encodes MOVZX r, r/m with a register source: dst (dw bits) = zero-extended src (sw
// bits, W8 or W16). At dw W32 the upper half of dst is zeroed too, so W64 is never needed but is
// accepted. Intel SDM vol. 2B, MOVZX—Move With Zero-Extend (0F B6 /r, 0F B7 /r).
func MovzxRR(dw, sw Width, dst, src Reg) Inst { return movxRR(0x0FB6, dw, sw, dst, src) }

// MovzxRM encodes MOVZX r, r/m with a memory source: a zero-extending load of sw bits.
// Intel SDM vol. 2B, MOVZX—Move With Zero-Extend (0F B6 /r, 0F B7 /r).
func MovzxRM(dw, sw Width, dst Reg, m Mem) Inst { return movxRM(0x0FB6, dw, sw, dst, m) }

// MovsxRR encodes MOVSX r, r/m with a register source: dst (dw bits) = sign-extended src (sw
// bits, W8 or W16). Intel SDM vol. 2B, MOVSX/MOVSXD—Move With Sign-Extension (0F BE /r,
// 0F BF /r).
func MovsxRR(dw, sw Width, dst, src Reg) Inst { return movxRR(0x0FBE, dw, sw, dst, src) }

// MovsxRM encodes MOVSX r, r/m with a memory source: a sign-extending load of sw bits.
// Intel SDM vol. 2B, MOVSX/MOVSXD—Move With Sign-Extension (0F BE /r, 0F BF /r).
func MovsxRM(dw, sw Width, dst Reg, m Mem) Inst { return movxRM(0x0FBE, dw, sw, dst, m) }

// MovsxdRR encodes MOVSXD r64, r/m32 with a register source: dst = sign-extended low 32 bits
// of src. Intel SDM vol. 2B, MOVSX/MOVSXD—Move With Sign-Extension (REX.W 63 /r).
func MovsxdRR(dst, src Reg) Inst { return encRR(0, W64, 0, 0x63, gpr(dst), gpr(src)) }

// MovsxdRM encodes MOVSXD r64, r/m32 with a memory source: a sign-extending 32-bit load.
// Intel SDM vol. 2B, MOVSX/MOVSXD—Move With Sign-Extension (REX.W 63 /r).
func MovsxdRM(dst Reg, m Mem) Inst { return encRM(0, W64, 0, 0x63, gpr(dst), m) }

// Lea encodes LEA r, m: dst = the address of m, truncated to w bits (W16, W32 or W64); nothing is
// loaded and the flags are kept. Intel SDM vol. 2A, LEA—Load Effective Address (8D /r).
func Lea(w Width, dst Reg, m Mem) Inst {
	checkWidth(w, W16, W32, W64)
	return encRM(0, w, 0, 0x8D, gpr(dst), m)
}

// XchgRR encodes XCHG r/m, r with both operands registers: swaps a and b. It never uses the
// one-byte 90+r form, since 90 is NOP in 64-bit mode and would not zero-extend. Intel SDM vol. 2C,
// XCHG—Exchange Register/Memory With Register (86 /r, 87 /r).
func XchgRR(w Width, a, b Reg) Inst {
	an, bn := gpr(a), gpr(b)
	if w == W8 {
		return encRR(0, w, byteReg(an)|byteReg(bn), 0x86, bn, an)
	}
	checkWidth(w, W16, W32, W64)
	return encRR(0, w, 0, 0x87, bn, an)
}
