package amd64

// Multiplication and division, the other one-operand groups (NOT, NEG, INC, DEC), shifts and
// rotates, and bit scans and counts.

// unaryR encodes a one-operand instruction of group 3 (F6/F7 /n) or group 4/5 (FE/FF /n) on a
// register.
func unaryR(op8 uint32, n uint8, w Width, r Reg) Inst {
	rn := gpr(r)
	if w == W8 {
		return encRR(0, w, byteReg(rn), op8, n, rn)
	}
	checkWidth(w, W16, W32, W64)
	return encRR(0, w, 0, op8+1, n, rn)
}

func unaryM(op8 uint32, n uint8, w Width, m Mem) Inst {
	checkWidth(w, W8, W16, W32, W64)
	if w == W8 {
		return encRM(0, w, 0, op8, n, m)
	}
	return encRM(0, w, 0, op8+1, n, m)
}

// NotR encodes NOT r/m with a register: dst = ^dst. Intel SDM vol. 2B, NOT—One's Complement
// Negation (F6 /2, F7 /2).
func NotR(w Width, dst Reg) Inst { return unaryR(0xF6, 2, w, dst) }

// NotM encodes NOT r/m with memory: [m] = ^[m]. Intel SDM vol. 2B, NOT—One's Complement
// Negation (F6 /2, F7 /2).
func NotM(w Width, m Mem) Inst { return unaryM(0xF6, 2, w, m) }

// NegR encodes NEG r/m with a register: dst = -dst. Intel SDM vol. 2B, NEG—Two's Complement
// Negation (F6 /3, F7 /3).
func NegR(w Width, dst Reg) Inst { return unaryR(0xF6, 3, w, dst) }

// NegM encodes NEG r/m with memory: [m] = -[m]. Intel SDM vol. 2B, NEG—Two's Complement
// Negation (F6 /3, F7 /3).
func NegM(w Width, m Mem) Inst { return unaryM(0xF6, 3, w, m) }

// MulR encodes MUL r/m with a register: rdx:rax = rax * src, unsigned (ax = al * src at W8).
// Intel SDM vol. 2B, MUL—Unsigned Multiply (F6 /4, F7 /4).
func MulR(w Width, src Reg) Inst { return unaryR(0xF6, 4, w, src) }

// MulM encodes MUL r/m with memory: rdx:rax = rax * [m], unsigned. Intel SDM vol. 2B,
// MUL—Unsigned Multiply (F6 /4, F7 /4).
func MulM(w Width, m Mem) Inst { return unaryM(0xF6, 4, w, m) }

// ImulR encodes the one-operand IMUL r/m with a register: rdx:rax = rax * src, signed.
// Intel SDM vol. 2A, IMUL—Signed Multiply (F6 /5, F7 /5).
func ImulR(w Width, src Reg) Inst { return unaryR(0xF6, 5, w, src) }

// ImulM encodes the one-operand IMUL r/m with memory: rdx:rax = rax * [m], signed.
// Intel SDM vol. 2A, IMUL—Signed Multiply (F6 /5, F7 /5).
func ImulM(w Width, m Mem) Inst { return unaryM(0xF6, 5, w, m) }

// DivR encodes DIV r/m with a register: rax = rdx:rax / src, rdx = the remainder, unsigned;
// it raises #DE on a zero divisor or a quotient that does not fit. Intel SDM vol. 2A,
// DIV—Unsigned Divide (F6 /6, F7 /6).
func DivR(w Width, src Reg) Inst { return unaryR(0xF6, 6, w, src) }

// DivM encodes DIV r/m with memory: rax = rdx:rax / [m], rdx = the remainder, unsigned.
// Intel SDM vol. 2A, DIV—Unsigned Divide (F6 /6, F7 /6).
func DivM(w Width, m Mem) Inst { return unaryM(0xF6, 6, w, m) }

// IdivR encodes IDIV r/m with a register: rax = rdx:rax / src, rdx = the remainder, signed;
// it raises #DE on a zero divisor and on MinInt / -1. Intel SDM vol. 2A, IDIV—Signed Divide
// (F6 /7, F7 /7).
func IdivR(w Width, src Reg) Inst { return unaryR(0xF6, 7, w, src) }

// IdivM encodes IDIV r/m with memory: rax = rdx:rax / [m], rdx = the remainder, signed.
// Intel SDM vol. 2A, IDIV—Signed Divide (F6 /7, F7 /7).
func IdivM(w Width, m Mem) Inst { return unaryM(0xF6, 7, w, m) }

// IncR encodes INC r/m with a register: dst++, leaving CF alone. Intel SDM vol. 2A,
// INC—Increment by 1 (FE /0, FF /0).
func IncR(w Width, dst Reg) Inst { return unaryR(0xFE, 0, w, dst) }

// IncM encodes INC r/m with memory: [m]++. Intel SDM vol. 2A, INC—Increment by 1 (FE /0, FF /0).
func IncM(w Width, m Mem) Inst { return unaryM(0xFE, 0, w, m) }

// DecR encodes DEC r/m with a register: dst--, leaving CF alone. Intel SDM vol. 2A,
// DEC—Decrement by 1 (FE /1, FF /1).
func DecR(w Width, dst Reg) Inst { return unaryR(0xFE, 1, w, dst) }

// DecM encodes DEC r/m with memory: [m]--. Intel SDM vol. 2A, DEC—Decrement by 1 (FE /1, FF /1).
func DecM(w Width, m Mem) Inst { return unaryM(0xFE, 1, w, m) }

// ImulRR encodes the two-operand IMUL r, r/m with a register: dst *= src, the low w bits.
// Intel SDM vol. 2A, IMUL—Signed Multiply (0F AF /r).
func ImulRR(w Width, dst, src Reg) Inst {
	checkWidth(w, W16, W32, W64)
	return encRR(0, w, 0, 0x0FAF, gpr(dst), gpr(src))
}

// ImulRM encodes the two-operand IMUL r, r/m with memory: dst *= [m]. Intel SDM vol. 2A,
// IMUL—Signed Multiply (0F AF /r).
func ImulRM(w Width, dst Reg, m Mem) Inst {
	checkWidth(w, W16, W32, W64)
	return encRM(0, w, 0, 0x0FAF, gpr(dst), m)
}

// ImulRRI encodes the three-operand IMUL r, r/m, imm with a register: dst = src * imm, with a
// sign-extended imm8 when it fits. Intel SDM vol. 2A, IMUL—Signed Multiply (6B /r ib, 69 /r iw,
// 69 /r id).
func ImulRRI(w Width, dst, src Reg, imm int32) Inst {
	checkWidth(w, W16, W32, W64)
	v := truncImm(w, imm)
	if fitsInt8(v) {
		i := encRR(0, w, 0, 0x6B, gpr(dst), gpr(src))
		i.imm8(v)
		return i
	}
	i := encRR(0, w, 0, 0x69, gpr(dst), gpr(src))
	i.immW(w, v)
	return i
}

// ImulRMI encodes the three-operand IMUL r, r/m, imm with memory: dst = [m] * imm.
// Intel SDM vol. 2A, IMUL—Signed Multiply (6B /r ib, 69 /r iw, 69 /r id).
func ImulRMI(w Width, dst Reg, m Mem, imm int32) Inst {
	checkWidth(w, W16, W32, W64)
	v := truncImm(w, imm)
	if fitsInt8(v) {
		i := encRM(0, w, 0, 0x6B, gpr(dst), m)
		i.imm8(v)
		return i
	}
	i := encRM(0, w, 0, 0x69, gpr(dst), m)
	i.immW(w, v)
	return i
}

// Cwd encodes CWD: dx = the sign of ax, before a 16-bit IDIV. Intel SDM vol. 2A,
// CWD/CDQ/CQO—Convert Word to Doubleword/Convert Doubleword to Quadword (66 99).
func Cwd() Inst { return oneByte(W16, 0x99) }

// Cdq encodes CDQ: edx = the sign of eax, before a 32-bit IDIV. Intel SDM vol. 2A,
// CWD/CDQ/CQO—Convert Word to Doubleword/Convert Doubleword to Quadword (99).
func Cdq() Inst { return oneByte(W32, 0x99) }

// Cqo encodes CQO: rdx = the sign of rax, before a 64-bit IDIV. Intel SDM vol. 2A,
// CWD/CDQ/CQO—Convert Word to Doubleword/Convert Doubleword to Quadword (REX.W 99).
func Cqo() Inst { return oneByte(W64, 0x99) }

// Cdqe encodes CDQE: rax = sign-extended eax. Intel SDM vol. 2A, CBW/CWDE/CDQE—Convert Byte to
// Word/Convert Word to Doubleword/Convert Doubleword to Quadword (REX.W 98).
func Cdqe() Inst { return oneByte(W64, 0x98) }

// oneByte encodes a one-byte opcode with the operand-size prefix or REX.W that w asks for.
func oneByte(w Width, op byte) Inst {
	var i Inst
	i.prefixes(0, w, 0)
	i.byte1(op)
	return i
}

// Shifts and rotates: group 2, C0/C1 /n ib (by imm8), D0/D1 /n (by 1), D2/D3 /n (by CL).
// Intel SDM vol. 2B, RCL/RCR/ROL/ROR—Rotate and SAL/SAR/SHL/SHR—Shift. The count is masked to
// 5 bits (6 at W64) by the processor, as WebAssembly wants.

func shiftRCL(n uint8, w Width, dst Reg) Inst { return unaryR(0xD2, n, w, dst) }

// shiftRI uses the one-byte-shorter by-1 form when count is 1, as the GNU assembler does.
func shiftRI(n uint8, w Width, dst Reg, count uint8) Inst {
	if count == 1 {
		return unaryR(0xD0, n, w, dst)
	}
	i := unaryR(0xC0, n, w, dst)
	i.imm8(int64(count))
	return i
}

// RolRCL encodes ROL r/m, CL: rotate dst left by cl. Intel SDM vol. 2B, RCL/RCR/ROL/ROR—Rotate
// (D2 /0, D3 /0).
func RolRCL(w Width, dst Reg) Inst { return shiftRCL(0, w, dst) }

// RolRI encodes ROL r/m, imm8: rotate dst left by count. Intel SDM vol. 2B,
// RCL/RCR/ROL/ROR—Rotate (D0 /0, D1 /0, C0 /0 ib, C1 /0 ib).
func RolRI(w Width, dst Reg, count uint8) Inst { return shiftRI(0, w, dst, count) }

// RorRCL encodes ROR r/m, CL: rotate dst right by cl. Intel SDM vol. 2B,
// RCL/RCR/ROL/ROR—Rotate (D2 /1, D3 /1).
func RorRCL(w Width, dst Reg) Inst { return shiftRCL(1, w, dst) }

// RorRI encodes ROR r/m, imm8: rotate dst right by count. Intel SDM vol. 2B,
// RCL/RCR/ROL/ROR—Rotate (D0 /1, D1 /1, C0 /1 ib, C1 /1 ib).
func RorRI(w Width, dst Reg, count uint8) Inst { return shiftRI(1, w, dst, count) }

// ShlRCL encodes SHL r/m, CL: dst <<= cl. Intel SDM vol. 2B, SAL/SAR/SHL/SHR—Shift (D2 /4,
// D3 /4).
func ShlRCL(w Width, dst Reg) Inst { return shiftRCL(4, w, dst) }

// ShlRI encodes SHL r/m, imm8: dst <<= count. Intel SDM vol. 2B, SAL/SAR/SHL/SHR—Shift (D0 /4,
// D1 /4, C0 /4 ib, C1 /4 ib).
func ShlRI(w Width, dst Reg, count uint8) Inst { return shiftRI(4, w, dst, count) }

// ShrRCL encodes SHR r/m, CL: dst >>= cl, unsigned. Intel SDM vol. 2B, SAL/SAR/SHL/SHR—Shift
// (D2 /5, D3 /5).
func ShrRCL(w Width, dst Reg) Inst { return shiftRCL(5, w, dst) }

// ShrRI encodes SHR r/m, imm8: dst >>= count, unsigned. Intel SDM vol. 2B,
// SAL/SAR/SHL/SHR—Shift (D0 /5, D1 /5, C0 /5 ib, C1 /5 ib).
func ShrRI(w Width, dst Reg, count uint8) Inst { return shiftRI(5, w, dst, count) }

// SarRCL encodes SAR r/m, CL: dst >>= cl, signed. Intel SDM vol. 2B, SAL/SAR/SHL/SHR—Shift
// (D2 /7, D3 /7).
func SarRCL(w Width, dst Reg) Inst { return shiftRCL(7, w, dst) }

// SarRI encodes SAR r/m, imm8: dst >>= count, signed. Intel SDM vol. 2B,
// SAL/SAR/SHL/SHR—Shift (D0 /7, D1 /7, C0 /7 ib, C1 /7 ib).
func SarRI(w Width, dst Reg, count uint8) Inst { return shiftRI(7, w, dst, count) }

// bitRR encodes the bit scans and counts, [p] 0F op /r, at W16, W32 and W64.
func bitRR(p byte, op uint32, w Width, dst, src Reg) Inst {
	checkWidth(w, W16, W32, W64)
	return encRR(p, w, 0, op, gpr(dst), gpr(src))
}

func bitRM(p byte, op uint32, w Width, dst Reg, m Mem) Inst {
	checkWidth(w, W16, W32, W64)
	return encRM(p, w, 0, op, gpr(dst), m)
}

// BsfRR encodes BSF r, r/m: dst = the index of the lowest set bit of src; dst is undefined
// and ZF set when src is 0. Intel SDM vol. 2A, BSF—Bit Scan Forward (0F BC /r).
func BsfRR(w Width, dst, src Reg) Inst { return bitRR(0, 0x0FBC, w, dst, src) }

// BsfRM encodes BSF r, r/m with memory. Intel SDM vol. 2A, BSF—Bit Scan Forward (0F BC /r).
func BsfRM(w Width, dst Reg, m Mem) Inst { return bitRM(0, 0x0FBC, w, dst, m) }

// BsrRR encodes BSR r, r/m: dst = the index of the highest set bit of src; dst is undefined
// and ZF set when src is 0. Intel SDM vol. 2A, BSR—Bit Scan Reverse (0F BD /r).
func BsrRR(w Width, dst, src Reg) Inst { return bitRR(0, 0x0FBD, w, dst, src) }

// BsrRM encodes BSR r, r/m with memory. Intel SDM vol. 2A, BSR—Bit Scan Reverse (0F BD /r).
func BsrRM(w Width, dst Reg, m Mem) Inst { return bitRM(0, 0x0FBD, w, dst, m) }

// LzcntRR encodes LZCNT r, r/m: dst = the number of leading zero bits of src (w when src is
// 0). It needs ABM/LZCNT; older processors run it as BSR. Intel SDM vol. 2A, LZCNT—Count the
// Number of Leading Zero Bits (F3 0F BD /r).
func LzcntRR(w Width, dst, src Reg) Inst { return bitRR(0xF3, 0x0FBD, w, dst, src) }

// LzcntRM encodes LZCNT r, r/m with memory. Intel SDM vol. 2A, LZCNT—Count the Number of
// Leading Zero Bits (F3 0F BD /r).
func LzcntRM(w Width, dst Reg, m Mem) Inst { return bitRM(0xF3, 0x0FBD, w, dst, m) }

// TzcntRR encodes TZCNT r, r/m: dst = the number of trailing zero bits of src (w when src is
// 0). It needs BMI1; older processors run it as BSF. Intel SDM vol. 2B, TZCNT—Count the Number
// of Trailing Zero Bits (F3 0F BC /r).
func TzcntRR(w Width, dst, src Reg) Inst { return bitRR(0xF3, 0x0FBC, w, dst, src) }

// TzcntRM encodes TZCNT r, r/m with memory. Intel SDM vol. 2B, TZCNT—Count the Number of
// Trailing Zero Bits (F3 0F BC /r).
func TzcntRM(w Width, dst Reg, m Mem) Inst { return bitRM(0xF3, 0x0FBC, w, dst, m) }

// PopcntRR encodes POPCNT r, r/m: dst = the number of set bits of src. Intel SDM vol. 2B,
// POPCNT—Return the Count of Number of Bits Set to 1 (F3 0F B8 /r).
func PopcntRR(w Width, dst, src Reg) Inst { return bitRR(0xF3, 0x0FB8, w, dst, src) }

// PopcntRM encodes POPCNT r, r/m with memory. Intel SDM vol. 2B, POPCNT—Return the Count of
// Number of Bits Set to 1 (F3 0F B8 /r).
func PopcntRM(w Width, dst Reg, m Mem) Inst { return bitRM(0xF3, 0x0FB8, w, dst, m) }

// Bswap encodes BSWAP r: reverses the byte order of dst, at W32 or W64 (the W16 form is
// undefined). Intel SDM vol. 2A, BSWAP—Byte Swap (0F C8+rd, REX.W 0F C8+rd).
func Bswap(w Width, dst Reg) Inst {
	checkWidth(w, W32, W64)
	d := gpr(dst)
	var x byte
	if d >= 8 {
		x = rexB
	}
	var i Inst
	i.prefixes(0, w, x)
	i.byte1(0x0F)
	i.byte1(0xC8 + d&7)
	return i
}
