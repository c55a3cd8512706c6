package amd64

import "fmt"

// Packed SSE instructions (SSE2 to SSE4.2, the x86-64-v2 baseline) for the vector ops:
// one row per instruction in vecTable, whose encoders VecRR, VecRM and VecShiftI read it,
// so that the dump, the encoder and its test name each instruction from one place. Every
// row's encoding is p [REX] 0F op /r [ib] (Intel SDM vol. 2A, 2.1.2), the prefix p part of
// the opcode.

// VecOp is one packed SSE instruction.
type VecOp uint8

// vecFlags say how a row's operands are encoded.
type vecFlags uint8

const (
	vImm     vecFlags = 1 << iota // an imm8 follows
	vGPRDst                       // ModRM.reg is a general-purpose destination (pmovmskb, movmskps, pextrw C5)
	vGPRRM                        // ModRM.rm is a general-purpose register: pinsr's source
	vRMDst                        // ModRM.rm is the destination, ModRM.reg the XMM source (pextrb/d/q)
	vRexW                         // REX.W (pextrq, pinsrq)
	vShift                        // the imm8 shift group: ModRM.reg is ext, ModRM.rm the register
	vRegOnly                      // the memory form is another instruction (movlhps is movhps)
)

// vecInfo is one row of vecTable.
type vecInfo struct {
	name  string // x86asm's GNU mnemonic
	p     byte   // mandatory prefix: 0, 0x66, 0xF2 or 0xF3
	op    uint32 // opcode bytes after the prefix, 0x0F…
	ext   uint8  // ModRM.reg of the vShift forms
	flags vecFlags
}

// The packed instructions.
const (
	VNone VecOp = iota
	// SSE2 integer, 66 0F.
	Paddb
	Paddw
	Paddd
	Paddq
	Psubb
	Psubw
	Psubd
	Psubq
	Pmullw
	Pmulhw
	Pmuludq
	Paddsb
	Paddsw
	Paddusb
	Paddusw
	Psubsb
	Psubsw
	Psubusb
	Psubusw
	Pminub
	Pmaxub
	Pminsw
	Pmaxsw
	Pavgb
	Pavgw
	Pand
	Pandn
	Por
	Pxor
	Pcmpeqb
	Pcmpeqw
	Pcmpeqd
	Pcmpgtb
	Pcmpgtw
	Pcmpgtd
	Pmaddwd
	Packsswb
	Packuswb
	Packssdw
	Punpcklbw
	Punpcklwd
	Punpckldq
	Punpcklqdq
	Punpckhbw
	Punpckhwd
	Punpckhdq
	Punpckhqdq
	Psllw
	Pslld
	Psllq
	Psrlw
	Psrld
	Psrlq
	Psraw
	Psrad
	Pshufd
	Pshuflw
	Pshufhw
	Pmovmskb
	Pinsrw
	Pextrw
	Movdqu
	MovqX // movq xmm, xmm/m64: the low quadword, the high one zeroed (F3 0F 7E)
	MovdX // movd xmm, r/m32: the low doubleword, the rest zeroed (66 0F 6E)
	// Shifts by an immediate, 66 0F 71/72/73 /ext ib.
	PsllwI
	PsrlwI
	PsrawI
	PslldI
	PsrldI
	PsradI
	PsllqI
	PsrlqI
	PsrldqI
	PslldqI
	// SSSE3, 66 0F 38.
	Pshufb
	Pmulhrsw
	Pmaddubsw
	Pabsb
	Pabsw
	Pabsd
	// SSE4.1, 66 0F 38 and 66 0F 3A.
	Pminsb
	Pminsd
	Pminuw
	Pminud
	Pmaxsb
	Pmaxsd
	Pmaxuw
	Pmaxud
	Pmulld
	Pmuldq
	Pcmpeqq
	Packusdw
	Ptest
	Pmovsxbw
	Pmovsxwd
	Pmovsxdq
	Pmovzxbw
	Pmovzxwd
	Pmovzxdq
	Roundps
	Roundpd
	Pextrb
	PextrwM // pextrw to memory or a register, the SSE4.1 form (66 0F 3A 15)
	Pextrd
	Pextrq
	Pinsrb
	Pinsrd
	Pinsrq
	Insertps
	Pblendw
	// SSE4.2.
	Pcmpgtq
	// Packed floats, 0F (ps) and 66 0F (pd).
	Addps
	Addpd
	Subps
	Subpd
	Mulps
	Mulpd
	Divps
	Divpd
	Minps
	Minpd
	Maxps
	Maxpd
	Sqrtps
	Sqrtpd
	Andps
	Andpd
	Andnps
	Andnpd
	Orps
	Orpd
	Xorps
	Xorpd
	Cmpps
	Cmppd
	Cvtdq2ps
	Cvttps2dq
	Cvtdq2pd
	Cvttpd2dq
	Cvtps2pd
	Cvtpd2ps
	Shufps
	Shufpd
	Movmskps
	Movmskpd
	Unpcklps
	Movlhps
	Movhlps
	Movsd // movsd xmm, xmm: the low quadword of src, the rest kept
	Movss // movss xmm, xmm: the low doubleword of src, the rest kept
	numVecOps
)

var vecTable = [numVecOps]vecInfo{
	Paddb: {"paddb", 0x66, 0x0FFC, 0, 0}, Paddw: {"paddw", 0x66, 0x0FFD, 0, 0},
	Paddd: {"paddd", 0x66, 0x0FFE, 0, 0}, Paddq: {"paddq", 0x66, 0x0FD4, 0, 0},
	Psubb: {"psubb", 0x66, 0x0FF8, 0, 0}, Psubw: {"psubw", 0x66, 0x0FF9, 0, 0},
	Psubd: {"psubd", 0x66, 0x0FFA, 0, 0}, Psubq: {"psubq", 0x66, 0x0FFB, 0, 0},
	Pmullw: {"pmullw", 0x66, 0x0FD5, 0, 0}, Pmulhw: {"pmulhw", 0x66, 0x0FE5, 0, 0},
	Pmuludq: {"pmuludq", 0x66, 0x0FF4, 0, 0},
	Paddsb:  {"paddsb", 0x66, 0x0FEC, 0, 0}, Paddsw: {"paddsw", 0x66, 0x0FED, 0, 0},
	Paddusb: {"paddusb", 0x66, 0x0FDC, 0, 0}, Paddusw: {"paddusw", 0x66, 0x0FDD, 0, 0},
	Psubsb: {"psubsb", 0x66, 0x0FE8, 0, 0}, Psubsw: {"psubsw", 0x66, 0x0FE9, 0, 0},
	Psubusb: {"psubusb", 0x66, 0x0FD8, 0, 0}, Psubusw: {"psubusw", 0x66, 0x0FD9, 0, 0},
	Pminub: {"pminub", 0x66, 0x0FDA, 0, 0}, Pmaxub: {"pmaxub", 0x66, 0x0FDE, 0, 0},
	Pminsw: {"pminsw", 0x66, 0x0FEA, 0, 0}, Pmaxsw: {"pmaxsw", 0x66, 0x0FEE, 0, 0},
	Pavgb: {"pavgb", 0x66, 0x0FE0, 0, 0}, Pavgw: {"pavgw", 0x66, 0x0FE3, 0, 0},
	Pand: {"pand", 0x66, 0x0FDB, 0, 0}, Pandn: {"pandn", 0x66, 0x0FDF, 0, 0},
	Por: {"por", 0x66, 0x0FEB, 0, 0}, Pxor: {"pxor", 0x66, 0x0FEF, 0, 0},
	Pcmpeqb: {"pcmpeqb", 0x66, 0x0F74, 0, 0}, Pcmpeqw: {"pcmpeqw", 0x66, 0x0F75, 0, 0},
	Pcmpeqd: {"pcmpeqd", 0x66, 0x0F76, 0, 0}, Pcmpgtb: {"pcmpgtb", 0x66, 0x0F64, 0, 0},
	Pcmpgtw: {"pcmpgtw", 0x66, 0x0F65, 0, 0}, Pcmpgtd: {"pcmpgtd", 0x66, 0x0F66, 0, 0},
	Pmaddwd:  {"pmaddwd", 0x66, 0x0FF5, 0, 0},
	Packsswb: {"packsswb", 0x66, 0x0F63, 0, 0}, Packuswb: {"packuswb", 0x66, 0x0F67, 0, 0},
	Packssdw:  {"packssdw", 0x66, 0x0F6B, 0, 0},
	Punpcklbw: {"punpcklbw", 0x66, 0x0F60, 0, 0}, Punpcklwd: {"punpcklwd", 0x66, 0x0F61, 0, 0},
	Punpckldq: {"punpckldq", 0x66, 0x0F62, 0, 0}, Punpcklqdq: {"punpcklqdq", 0x66, 0x0F6C, 0, 0},
	Punpckhbw: {"punpckhbw", 0x66, 0x0F68, 0, 0}, Punpckhwd: {"punpckhwd", 0x66, 0x0F69, 0, 0},
	Punpckhdq: {"punpckhdq", 0x66, 0x0F6A, 0, 0}, Punpckhqdq: {"punpckhqdq", 0x66, 0x0F6D, 0, 0},
	Psllw: {"psllw", 0x66, 0x0FF1, 0, 0}, Pslld: {"pslld", 0x66, 0x0FF2, 0, 0},
	Psllq: {"psllq", 0x66, 0x0FF3, 0, 0}, Psrlw: {"psrlw", 0x66, 0x0FD1, 0, 0},
	Psrld: {"psrld", 0x66, 0x0FD2, 0, 0}, Psrlq: {"psrlq", 0x66, 0x0FD3, 0, 0},
	Psraw: {"psraw", 0x66, 0x0FE1, 0, 0}, Psrad: {"psrad", 0x66, 0x0FE2, 0, 0},
	Pshufd:   {"pshufd", 0x66, 0x0F70, 0, vImm},
	Pshuflw:  {"pshuflw", 0xF2, 0x0F70, 0, vImm},
	Pshufhw:  {"pshufhw", 0xF3, 0x0F70, 0, vImm},
	Pmovmskb: {"pmovmskb", 0x66, 0x0FD7, 0, vGPRDst},
	Pinsrw:   {"pinsrw", 0x66, 0x0FC4, 0, vImm | vGPRRM},
	Pextrw:   {"pextrw", 0x66, 0x0FC5, 0, vImm | vGPRDst},
	Movdqu:   {"movdqu", 0xF3, 0x0F6F, 0, 0},
	MovqX:    {"movq", 0xF3, 0x0F7E, 0, 0},
	MovdX:    {"movd", 0x66, 0x0F6E, 0, vGPRRM},

	PsllwI: {"psllw", 0x66, 0x0F71, 6, vImm | vShift}, PsrlwI: {"psrlw", 0x66, 0x0F71, 2, vImm | vShift},
	PsrawI: {"psraw", 0x66, 0x0F71, 4, vImm | vShift}, PslldI: {"pslld", 0x66, 0x0F72, 6, vImm | vShift},
	PsrldI: {"psrld", 0x66, 0x0F72, 2, vImm | vShift}, PsradI: {"psrad", 0x66, 0x0F72, 4, vImm | vShift},
	PsllqI: {"psllq", 0x66, 0x0F73, 6, vImm | vShift}, PsrlqI: {"psrlq", 0x66, 0x0F73, 2, vImm | vShift},
	PsrldqI: {"psrldq", 0x66, 0x0F73, 3, vImm | vShift}, PslldqI: {"pslldq", 0x66, 0x0F73, 7, vImm | vShift},

	Pshufb: {"pshufb", 0x66, 0x0F3800, 0, 0}, Pmulhrsw: {"pmulhrsw", 0x66, 0x0F380B, 0, 0},
	Pmaddubsw: {"pmaddubsw", 0x66, 0x0F3804, 0, 0},
	Pabsb:     {"pabsb", 0x66, 0x0F381C, 0, 0}, Pabsw: {"pabsw", 0x66, 0x0F381D, 0, 0},
	Pabsd: {"pabsd", 0x66, 0x0F381E, 0, 0},

	Pminsb: {"pminsb", 0x66, 0x0F3838, 0, 0}, Pminsd: {"pminsd", 0x66, 0x0F3839, 0, 0},
	Pminuw: {"pminuw", 0x66, 0x0F383A, 0, 0}, Pminud: {"pminud", 0x66, 0x0F383B, 0, 0},
	Pmaxsb: {"pmaxsb", 0x66, 0x0F383C, 0, 0}, Pmaxsd: {"pmaxsd", 0x66, 0x0F383D, 0, 0},
	Pmaxuw: {"pmaxuw", 0x66, 0x0F383E, 0, 0}, Pmaxud: {"pmaxud", 0x66, 0x0F383F, 0, 0},
	Pmulld: {"pmulld", 0x66, 0x0F3840, 0, 0}, Pmuldq: {"pmuldq", 0x66, 0x0F3828, 0, 0},
	Pcmpeqq: {"pcmpeqq", 0x66, 0x0F3829, 0, 0}, Packusdw: {"packusdw", 0x66, 0x0F382B, 0, 0},
	Ptest:    {"ptest", 0x66, 0x0F3817, 0, 0},
	Pmovsxbw: {"pmovsxbw", 0x66, 0x0F3820, 0, 0}, Pmovsxwd: {"pmovsxwd", 0x66, 0x0F3823, 0, 0},
	Pmovsxdq: {"pmovsxdq", 0x66, 0x0F3825, 0, 0}, Pmovzxbw: {"pmovzxbw", 0x66, 0x0F3830, 0, 0},
	Pmovzxwd: {"pmovzxwd", 0x66, 0x0F3833, 0, 0}, Pmovzxdq: {"pmovzxdq", 0x66, 0x0F3835, 0, 0},
	Roundps: {"roundps", 0x66, 0x0F3A08, 0, vImm}, Roundpd: {"roundpd", 0x66, 0x0F3A09, 0, vImm},
	Pextrb:   {"pextrb", 0x66, 0x0F3A14, 0, vImm | vRMDst},
	PextrwM:  {"pextrw", 0x66, 0x0F3A15, 0, vImm | vRMDst},
	Pextrd:   {"pextrd", 0x66, 0x0F3A16, 0, vImm | vRMDst},
	Pextrq:   {"pextrq", 0x66, 0x0F3A16, 0, vImm | vRMDst | vRexW},
	Pinsrb:   {"pinsrb", 0x66, 0x0F3A20, 0, vImm | vGPRRM},
	Pinsrd:   {"pinsrd", 0x66, 0x0F3A22, 0, vImm | vGPRRM},
	Pinsrq:   {"pinsrq", 0x66, 0x0F3A22, 0, vImm | vGPRRM | vRexW},
	Insertps: {"insertps", 0x66, 0x0F3A21, 0, vImm},
	Pblendw:  {"pblendw", 0x66, 0x0F3A0E, 0, vImm},
	Pcmpgtq:  {"pcmpgtq", 0x66, 0x0F3837, 0, 0},

	Addps: {"addps", 0, 0x0F58, 0, 0}, Addpd: {"addpd", 0x66, 0x0F58, 0, 0},
	Subps: {"subps", 0, 0x0F5C, 0, 0}, Subpd: {"subpd", 0x66, 0x0F5C, 0, 0},
	Mulps: {"mulps", 0, 0x0F59, 0, 0}, Mulpd: {"mulpd", 0x66, 0x0F59, 0, 0},
	Divps: {"divps", 0, 0x0F5E, 0, 0}, Divpd: {"divpd", 0x66, 0x0F5E, 0, 0},
	Minps: {"minps", 0, 0x0F5D, 0, 0}, Minpd: {"minpd", 0x66, 0x0F5D, 0, 0},
	Maxps: {"maxps", 0, 0x0F5F, 0, 0}, Maxpd: {"maxpd", 0x66, 0x0F5F, 0, 0},
	Sqrtps: {"sqrtps", 0, 0x0F51, 0, 0}, Sqrtpd: {"sqrtpd", 0x66, 0x0F51, 0, 0},
	Andps: {"andps", 0, 0x0F54, 0, 0}, Andpd: {"andpd", 0x66, 0x0F54, 0, 0},
	Andnps: {"andnps", 0, 0x0F55, 0, 0}, Andnpd: {"andnpd", 0x66, 0x0F55, 0, 0},
	Orps: {"orps", 0, 0x0F56, 0, 0}, Orpd: {"orpd", 0x66, 0x0F56, 0, 0},
	Xorps: {"xorps", 0, 0x0F57, 0, 0}, Xorpd: {"xorpd", 0x66, 0x0F57, 0, 0},
	Cmpps: {"cmpps", 0, 0x0FC2, 0, vImm}, Cmppd: {"cmppd", 0x66, 0x0FC2, 0, vImm},
	Cvtdq2ps: {"cvtdq2ps", 0, 0x0F5B, 0, 0}, Cvttps2dq: {"cvttps2dq", 0xF3, 0x0F5B, 0, 0},
	Cvtdq2pd: {"cvtdq2pd", 0xF3, 0x0FE6, 0, 0}, Cvttpd2dq: {"cvttpd2dq", 0x66, 0x0FE6, 0, 0},
	Cvtps2pd: {"cvtps2pd", 0, 0x0F5A, 0, 0}, Cvtpd2ps: {"cvtpd2ps", 0x66, 0x0F5A, 0, 0},
	Shufps: {"shufps", 0, 0x0FC6, 0, vImm}, Shufpd: {"shufpd", 0x66, 0x0FC6, 0, vImm},
	Movmskps: {"movmskps", 0, 0x0F50, 0, vGPRDst}, Movmskpd: {"movmskpd", 0x66, 0x0F50, 0, vGPRDst},
	Unpcklps: {"unpcklps", 0, 0x0F14, 0, 0},
	Movlhps:  {"movlhps", 0, 0x0F16, 0, vRegOnly}, Movhlps: {"movhlps", 0, 0x0F12, 0, vRegOnly},
	Movsd: {"movsd", 0xF2, 0x0F10, 0, 0}, Movss: {"movss", 0xF3, 0x0F10, 0, 0},
}

func (o VecOp) String() string {
	if o < numVecOps && vecTable[o].name != "" {
		return vecTable[o].name
	}
	return fmt.Sprintf("vecop%d", uint8(o))
}

func (o VecOp) info() *vecInfo {
	if o == VNone || o >= numVecOps || vecTable[o].name == "" {
		panic(fmt.Sprintf("amd64: no packed instruction %d", uint8(o)))
	}
	return &vecTable[o]
}

// vecRex is the REX bits a row asks for besides those of its register numbers.
func (v *vecInfo) rex() byte {
	if v.flags&vRexW != 0 {
		return rexW
	}
	return 0
}

// VecRR encodes the register form of o: dst, src in Intel order; imm is the imm8 of the
// rows that take one and ignored otherwise. dst is a general-purpose register for the rows
// that write one (pmovmskb, movmskps, pextr), src for pinsr.
func VecRR(o VecOp, dst, src Reg, imm uint8) Inst {
	v := o.info()
	var reg, rm uint8
	switch {
	case v.flags&vGPRDst != 0:
		reg, rm = gpr(dst), xmm(src)
	case v.flags&vGPRRM != 0:
		reg, rm = xmm(dst), gpr(src)
	case v.flags&vRMDst != 0:
		reg, rm = xmm(src), gpr(dst)
	case v.flags&vShift != 0:
		panic(fmt.Sprintf("amd64: %v takes an immediate count: use VecShiftI", o))
	default:
		reg, rm = xmm(dst), xmm(src)
	}
	i := encRR(v.p, W32, v.rex(), v.op, reg, rm)
	if v.flags&vImm != 0 {
		i.imm8(int64(imm))
	}
	return i
}

// VecRM encodes the memory form of o: dst = dst op [m], or for pextr the store of a lane
// to m; imm as for [VecRR]. SSE faults on a memory operand that is not 16-byte aligned
// for most rows: selection uses memory forms only for the rows that read fewer than 16
// bytes (movq, movd, pinsr, pextr, pmovsx/zx) or have no alignment rule (movdqu).
func VecRM(o VecOp, dst Reg, m Mem, imm uint8) Inst {
	v := o.info()
	if v.flags&(vShift|vGPRDst|vRegOnly) != 0 {
		panic(fmt.Sprintf("amd64: %v has no memory form here", o))
	}
	i := encRM(v.p, W32, v.rex(), v.op, xmm(dst), m)
	if v.flags&vImm != 0 {
		i.imm8(int64(imm))
	}
	return i
}

// VecShiftI encodes a shift of the XMM register dst by the immediate count n: the 66 0F
// 71/72/73 /ext ib group.
func VecShiftI(o VecOp, dst Reg, n uint8) Inst {
	v := o.info()
	if v.flags&vShift == 0 {
		panic(fmt.Sprintf("amd64: %v is not an immediate shift", o))
	}
	i := encRR(v.p, W32, 0, v.op, v.ext, xmm(dst))
	i.imm8(int64(n))
	return i
}

// MovqMR encodes MOVQ m64, xmm: stores the low quadword of src. Intel SDM vol. 2B,
// MOVQ—Move Quadword (66 0F D6 /r).
func MovqMR(m Mem, src Reg) Inst { return encRM(0x66, W32, 0, 0x0FD6, xmm(src), m) }

// MovdMR encodes MOVD m32, xmm: stores the low doubleword of src. Intel SDM vol. 2B,
// MOVD/MOVQ—Move Doubleword/Move Quadword (66 0F 7E /r).
func MovdMR(m Mem, src Reg) Inst { return encRM(0x66, W32, 0, 0x0F7E, xmm(src), m) }
