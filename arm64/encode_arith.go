package arm64

import "fmt"

// Integer arithmetic: ADD and SUB in their immediate, shifted-register and extended-register
// forms with the flag-setting variants and CMP, CMN, NEG; multiply and divide; shifts and the
// bitfield moves behind them; bit counting and reversal; conditional select.

// The op and S bits of the add/sub classes.
const (
	addOp = 0
	subOp = 1
)

// IsAddImm reports whether v is an immediate ADD and SUB take: 12 bits, optionally shifted left
// by 12.
func IsAddImm(v uint64) bool { return v <= 0xFFF || v&0xFFF == 0 && v>>12 <= 0xFFF }

// addSubImm encodes sf op S 100010 sh imm12 Rn Rd (Arm ARM C4.1, "Add/subtract (immediate)"),
// with sh = 1 when imm needs the shift. rd and rn are numbers: which of them may be SP depends
// on S.
func addSubImm(op, s uint32, w Width, rd, rn uint32, imm uint32) Inst {
	if !IsAddImm(uint64(imm)) {
		panic(fmt.Sprintf("arm64: %#x is not an add/sub immediate", imm))
	}
	sh := uint32(0)
	if imm > 0xFFF {
		sh, imm = 1, imm>>12
	}
	return Inst{word: sf(w)<<31 | op<<30 | s<<29 | 0x11000000 | sh<<22 | imm<<10 | rn<<5 | rd}
}

// AddImm encodes ADD (immediate): rd = rn + imm, imm 0–4095 or a multiple of 4096 up to
// 4095<<12 ([IsAddImm]). rd and rn may be SP. Arm ARM C6.2, ADD (immediate).
func AddImm(w Width, rd, rn Reg, imm uint32) Inst {
	return addSubImm(addOp, 0, w, rsp(rd), rsp(rn), imm)
}

// SubImm encodes SUB (immediate): rd = rn - imm. rd and rn may be SP. Arm ARM C6.2, SUB
// (immediate).
func SubImm(w Width, rd, rn Reg, imm uint32) Inst {
	return addSubImm(subOp, 0, w, rsp(rd), rsp(rn), imm)
}

// AddsImm encodes ADDS (immediate): rd = rn + imm, setting the flags. rn may be SP, rd XZR.
// Arm ARM C6.2, ADDS (immediate).
func AddsImm(w Width, rd, rn Reg, imm uint32) Inst {
	return addSubImm(addOp, 1, w, rz(rd), rsp(rn), imm)
}

// SubsImm encodes SUBS (immediate): rd = rn - imm, setting the flags. Arm ARM C6.2, SUBS
// (immediate).
func SubsImm(w Width, rd, rn Reg, imm uint32) Inst {
	return addSubImm(subOp, 1, w, rz(rd), rsp(rn), imm)
}

// CmpImm encodes CMP (immediate), SUBS xzr, rn, #imm. Arm ARM C6.2, CMP (immediate).
func CmpImm(w Width, rn Reg, imm uint32) Inst { return SubsImm(w, XZR, rn, imm) }

// CmnImm encodes CMN (immediate), ADDS xzr, rn, #imm: compares rn with -imm. Arm ARM C6.2, CMN
// (immediate).
func CmnImm(w Width, rn Reg, imm uint32) Inst { return AddsImm(w, XZR, rn, imm) }

// addSubShift encodes sf op S 01011 shift 0 Rm imm6 Rn Rd (Arm ARM C4.1, "Add/subtract
// (shifted register)"); all registers are XZR-typed and ROR is reserved.
func addSubShift(op, s uint32, w Width, rd, rn, rm Reg, sh Shift, amount uint8) Inst {
	if sh > ShiftASR {
		panic(fmt.Sprintf("arm64: shift %v not valid in add/sub", sh))
	}
	checkImm("shift amount", int64(amount), 0, int64(w.Bits()-1))
	return Inst{word: sf(w)<<31 | op<<30 | s<<29 | 0x0B000000 | uint32(sh)<<22 | rz(rm)<<16 |
		uint32(amount)<<10 | rz(rn)<<5 | rz(rd)}
}

// addSubExt encodes sf op S 01011 00 1 Rm option imm3 Rn Rd (Arm ARM C4.1, "Add/subtract
// (extended register)"). rd and rn are numbers (SP-typed, but rd is XZR-typed when S is 1);
// rm is extended by ext, then shifted left by amount, 0–4.
func addSubExt(op, s uint32, w Width, rd, rn uint32, rm Reg, ext Extend, amount uint8) Inst {
	if ext > ExtSXTX {
		panic(fmt.Sprintf("arm64: bad extend %v", ext))
	}
	checkImm("extend amount", int64(amount), 0, 4)
	return Inst{word: sf(w)<<31 | op<<30 | s<<29 | 0x0B200000 | rz(rm)<<16 | uint32(ext)<<13 |
		uint32(amount)<<10 | rn<<5 | rd}
}

// addSubReg encodes op rd, rn, rm with no shift: the shifted-register form, or, when rd or rn
// is SP, which that form cannot name, the extended-register form with UXTX (UXTW at W32),
// which is what the assembler does for "add sp, sp, x1".
func addSubReg(op, s uint32, w Width, rd, rn, rm Reg) Inst {
	if rn == SP || rd == SP && s == 0 {
		ext := ExtUXTX
		if w == W32 {
			ext = ExtUXTW
		}
		var d uint32
		if s == 1 {
			d = rz(rd)
		} else {
			d = rsp(rd)
		}
		return addSubExt(op, s, w, d, rsp(rn), rm, ext, 0)
	}
	return addSubShift(op, s, w, rd, rn, rm, ShiftLSL, 0)
}

// Add encodes ADD (shifted register) rd = rn + rm, or ADD (extended register) with LSL #0 if
// rd or rn is SP. Arm ARM C6.2, ADD (shifted register), ADD (extended register).
func Add(w Width, rd, rn, rm Reg) Inst { return addSubReg(addOp, 0, w, rd, rn, rm) }

// Sub encodes SUB rd = rn - rm as [Add] does ADD. Arm ARM C6.2, SUB (shifted register), SUB
// (extended register).
func Sub(w Width, rd, rn, rm Reg) Inst { return addSubReg(subOp, 0, w, rd, rn, rm) }

// Adds encodes ADDS rd = rn + rm, setting the flags; rn may be SP. Arm ARM C6.2, ADDS
// (shifted register), ADDS (extended register).
func Adds(w Width, rd, rn, rm Reg) Inst { return addSubReg(addOp, 1, w, rd, rn, rm) }

// Subs encodes SUBS rd = rn - rm, setting the flags; rn may be SP. Arm ARM C6.2, SUBS
// (shifted register), SUBS (extended register).
func Subs(w Width, rd, rn, rm Reg) Inst { return addSubReg(subOp, 1, w, rd, rn, rm) }

// Cmp encodes CMP, SUBS xzr, rn, rm; rn may be SP, as in the prologue's stack-limit check.
// Arm ARM C6.2, CMP (shifted register), CMP (extended register).
func Cmp(w Width, rn, rm Reg) Inst { return Subs(w, XZR, rn, rm) }

// Cmn encodes CMN, ADDS xzr, rn, rm: compares rn with -rm. Arm ARM C6.2, CMN (shifted
// register), CMN (extended register).
func Cmn(w Width, rn, rm Reg) Inst { return Adds(w, XZR, rn, rm) }

// Neg encodes NEG, SUB rd, xzr, rm: rd = -rm. Arm ARM C6.2, NEG (shifted register).
func Neg(w Width, rd, rm Reg) Inst { return addSubShift(subOp, 0, w, rd, XZR, rm, ShiftLSL, 0) }

// AddShift encodes ADD (shifted register): rd = rn + (rm sh amount), sh LSL, LSR or ASR.
// Arm ARM C6.2, ADD (shifted register).
func AddShift(w Width, rd, rn, rm Reg, sh Shift, amount uint8) Inst {
	return addSubShift(addOp, 0, w, rd, rn, rm, sh, amount)
}

// SubShift encodes SUB (shifted register): rd = rn - (rm sh amount). Arm ARM C6.2, SUB
// (shifted register).
func SubShift(w Width, rd, rn, rm Reg, sh Shift, amount uint8) Inst {
	return addSubShift(subOp, 0, w, rd, rn, rm, sh, amount)
}

// AddsShift encodes ADDS (shifted register), setting the flags. Arm ARM C6.2, ADDS (shifted
// register).
func AddsShift(w Width, rd, rn, rm Reg, sh Shift, amount uint8) Inst {
	return addSubShift(addOp, 1, w, rd, rn, rm, sh, amount)
}

// SubsShift encodes SUBS (shifted register), setting the flags. Arm ARM C6.2, SUBS (shifted
// register).
func SubsShift(w Width, rd, rn, rm Reg, sh Shift, amount uint8) Inst {
	return addSubShift(subOp, 1, w, rd, rn, rm, sh, amount)
}

// CmpShift encodes CMP (shifted register), SUBS xzr, rn, rm sh amount. Arm ARM C6.2, CMP
// (shifted register).
func CmpShift(w Width, rn, rm Reg, sh Shift, amount uint8) Inst {
	return addSubShift(subOp, 1, w, XZR, rn, rm, sh, amount)
}

// AddExt encodes ADD (extended register): rd = rn + (ext(rm) << amount), amount 0–4. rd and
// rn may be SP; rm is a w register unless ext is UXTX or SXTX. Arm ARM C6.2, ADD (extended
// register).
func AddExt(w Width, rd, rn, rm Reg, ext Extend, amount uint8) Inst {
	return addSubExt(addOp, 0, w, rsp(rd), rsp(rn), rm, ext, amount)
}

// SubExt encodes SUB (extended register): rd = rn - (ext(rm) << amount). Arm ARM C6.2, SUB
// (extended register).
func SubExt(w Width, rd, rn, rm Reg, ext Extend, amount uint8) Inst {
	return addSubExt(subOp, 0, w, rsp(rd), rsp(rn), rm, ext, amount)
}

// AddsExt encodes ADDS (extended register), setting the flags; rn may be SP, rd XZR. Arm ARM
// C6.2, ADDS (extended register).
func AddsExt(w Width, rd, rn, rm Reg, ext Extend, amount uint8) Inst {
	return addSubExt(addOp, 1, w, rz(rd), rsp(rn), rm, ext, amount)
}

// SubsExt encodes SUBS (extended register), setting the flags. Arm ARM C6.2, SUBS (extended
// register).
func SubsExt(w Width, rd, rn, rm Reg, ext Extend, amount uint8) Inst {
	return addSubExt(subOp, 1, w, rz(rd), rsp(rn), rm, ext, amount)
}

// CmpExt encodes CMP (extended register), SUBS xzr, rn, ext(rm) << amount. Arm ARM C6.2, CMP
// (extended register).
func CmpExt(w Width, rn, rm Reg, ext Extend, amount uint8) Inst {
	return SubsExt(w, XZR, rn, rm, ext, amount)
}

// dp3 encodes sf 00 11011 op31 Rm o0 Ra Rn Rd (Arm ARM C4.1, "Data-processing (3 source)").
func dp3(w Width, op31, o0 uint32, rd, rn, rm, ra Reg) Inst {
	return Inst{word: sf(w)<<31 | 0x1B000000 | op31<<21 | rz(rm)<<16 | o0<<15 | rz(ra)<<10 |
		rz(rn)<<5 | rz(rd)}
}

// Madd encodes MADD: rd = ra + rn*rm. Arm ARM C6.2, MADD.
func Madd(w Width, rd, rn, rm, ra Reg) Inst { return dp3(w, 0, 0, rd, rn, rm, ra) }

// Msub encodes MSUB: rd = ra - rn*rm, as in a remainder after a division. Arm ARM C6.2, MSUB.
func Msub(w Width, rd, rn, rm, ra Reg) Inst { return dp3(w, 0, 1, rd, rn, rm, ra) }

// Mul encodes MUL, MADD rd, rn, rm, xzr. Arm ARM C6.2, MUL.
func Mul(w Width, rd, rn, rm Reg) Inst { return Madd(w, rd, rn, rm, XZR) }

// Smulh encodes SMULH: rd = the high 64 bits of the signed 128-bit product rn*rm. Arm ARM
// C6.2, SMULH.
func Smulh(rd, rn, rm Reg) Inst { return dp3(W64, 2, 0, rd, rn, rm, XZR) }

// Umulh encodes UMULH: rd = the high 64 bits of the unsigned product rn*rm. Arm ARM C6.2,
// UMULH.
func Umulh(rd, rn, rm Reg) Inst { return dp3(W64, 6, 0, rd, rn, rm, XZR) }

// dp2 encodes sf 0 0 11010110 Rm opcode Rn Rd (Arm ARM C4.1, "Data-processing (2 source)").
func dp2(w Width, opcode uint32, rd, rn, rm Reg) Inst {
	return Inst{word: sf(w)<<31 | 0x1AC00000 | rz(rm)<<16 | opcode<<10 | rz(rn)<<5 | rz(rd)}
}

// Udiv encodes UDIV: rd = rn / rm unsigned, rounding toward zero; a zero divisor gives 0, no
// trap. Arm ARM C6.2, UDIV.
func Udiv(w Width, rd, rn, rm Reg) Inst { return dp2(w, 0b000010, rd, rn, rm) }

// Sdiv encodes SDIV: rd = rn / rm signed, rounding toward zero; a zero divisor gives 0 and
// MinInt / -1 gives MinInt, no trap. Arm ARM C6.2, SDIV.
func Sdiv(w Width, rd, rn, rm Reg) Inst { return dp2(w, 0b000011, rd, rn, rm) }

// Lsl encodes LSL (register), LSLV: rd = rn << (rm mod w bits). Arm ARM C6.2, LSLV.
func Lsl(w Width, rd, rn, rm Reg) Inst { return dp2(w, 0b001000, rd, rn, rm) }

// Lsr encodes LSR (register), LSRV: logical shift right by rm mod w bits. Arm ARM C6.2, LSRV.
func Lsr(w Width, rd, rn, rm Reg) Inst { return dp2(w, 0b001001, rd, rn, rm) }

// Asr encodes ASR (register), ASRV: arithmetic shift right by rm mod w bits. Arm ARM C6.2,
// ASRV.
func Asr(w Width, rd, rn, rm Reg) Inst { return dp2(w, 0b001010, rd, rn, rm) }

// Ror encodes ROR (register), RORV: rotate right by rm mod w bits. Arm ARM C6.2, RORV.
func Ror(w Width, rd, rn, rm Reg) Inst { return dp2(w, 0b001011, rd, rn, rm) }

// dp1 encodes sf 1 0 11010110 00000 opcode Rn Rd (Arm ARM C4.1, "Data-processing (1
// source)").
func dp1(w Width, opcode uint32, rd, rn Reg) Inst {
	return Inst{word: sf(w)<<31 | 0x5AC00000 | opcode<<10 | rz(rn)<<5 | rz(rd)}
}

// Rbit encodes RBIT: reverses the order of the bits of rn; with CLZ it counts trailing zeros.
// Arm ARM C6.2, RBIT.
func Rbit(w Width, rd, rn Reg) Inst { return dp1(w, 0b000000, rd, rn) }

// Rev encodes REV: reverses the order of the bytes of rn. Arm ARM C6.2, REV.
func Rev(w Width, rd, rn Reg) Inst { return dp1(w, 0b000010|sf(w), rd, rn) }

// Clz encodes CLZ: the number of leading zero bits of rn, w bits for 0. Arm ARM C6.2, CLZ.
func Clz(w Width, rd, rn Reg) Inst { return dp1(w, 0b000100, rd, rn) }

// bitfield encodes sf opc 100110 N immr imms Rn Rd with N = sf (Arm ARM C4.1, "Bitfield"):
// opc 00 SBFM, 01 BFM, 10 UBFM.
func bitfield(opc uint32, w Width, rd, rn Reg, immr, imms uint8) Inst {
	checkImm("immr", int64(immr), 0, int64(w.Bits()-1))
	checkImm("imms", int64(imms), 0, int64(w.Bits()-1))
	s := sf(w)
	return Inst{word: s<<31 | opc<<29 | 0x13000000 | s<<22 | uint32(immr)<<16 | uint32(imms)<<10 |
		rz(rn)<<5 | rz(rd)}
}

// Sbfm encodes SBFM, the signed bitfield move behind ASR, SBFX and SXT*. Arm ARM C6.2, SBFM.
func Sbfm(w Width, rd, rn Reg, immr, imms uint8) Inst { return bitfield(0, w, rd, rn, immr, imms) }

// Bfm encodes BFM, the bitfield move that keeps rd's other bits, behind BFI and BFXIL. Arm ARM
// C6.2, BFM.
func Bfm(w Width, rd, rn Reg, immr, imms uint8) Inst { return bitfield(1, w, rd, rn, immr, imms) }

// Ubfm encodes UBFM, the unsigned bitfield move behind LSL, LSR, UBFX and UXT*. Arm ARM C6.2,
// UBFM.
func Ubfm(w Width, rd, rn Reg, immr, imms uint8) Inst { return bitfield(2, w, rd, rn, immr, imms) }

// LslImm encodes LSL (immediate), UBFM rd, rn, #(-n mod w), #(w-1-n): rd = rn << n, n below
// w bits. Arm ARM C6.2, LSL (immediate).
func LslImm(w Width, rd, rn Reg, n uint8) Inst {
	checkImm("shift", int64(n), 0, int64(w.Bits()-1))
	bw := uint8(w.Bits())
	return Ubfm(w, rd, rn, (bw-n)%bw, bw-1-n)
}

// LsrImm encodes LSR (immediate), UBFM rd, rn, #n, #(w-1). Arm ARM C6.2, LSR (immediate).
func LsrImm(w Width, rd, rn Reg, n uint8) Inst { return Ubfm(w, rd, rn, n, uint8(w.Bits()-1)) }

// AsrImm encodes ASR (immediate), SBFM rd, rn, #n, #(w-1). Arm ARM C6.2, ASR (immediate).
func AsrImm(w Width, rd, rn Reg, n uint8) Inst { return Sbfm(w, rd, rn, n, uint8(w.Bits()-1)) }

// Extr encodes EXTR: rd = the w bits of the concatenation rn:rm starting at bit lsb. Arm ARM
// C6.2, EXTR.
func Extr(w Width, rd, rn, rm Reg, lsb uint8) Inst {
	checkImm("lsb", int64(lsb), 0, int64(w.Bits()-1))
	s := sf(w)
	return Inst{word: s<<31 | 0x13800000 | s<<22 | rz(rm)<<16 | uint32(lsb)<<10 | rz(rn)<<5 | rz(rd)}
}

// RorImm encodes ROR (immediate), EXTR rd, rn, rn, #n: rotate right by n. Arm ARM C6.2, ROR
// (immediate).
func RorImm(w Width, rd, rn Reg, n uint8) Inst { return Extr(w, rd, rn, rn, n) }

// Ubfx encodes UBFX, UBFM rd, rn, #lsb, #(lsb+width-1): rd = the width bits of rn at lsb,
// zero-extended. Arm ARM C6.2, UBFX.
func Ubfx(w Width, rd, rn Reg, lsb, width uint8) Inst {
	checkImm("width", int64(width), 1, int64(w.Bits())-int64(lsb))
	return Ubfm(w, rd, rn, lsb, lsb+width-1)
}

// Sbfx encodes SBFX, SBFM rd, rn, #lsb, #(lsb+width-1): the field sign-extended. Arm ARM C6.2,
// SBFX.
func Sbfx(w Width, rd, rn Reg, lsb, width uint8) Inst {
	checkImm("width", int64(width), 1, int64(w.Bits())-int64(lsb))
	return Sbfm(w, rd, rn, lsb, lsb+width-1)
}

// Sxtb encodes SXTB, SBFM rd, rn, #0, #7: the low byte of rn sign-extended to w bits. Arm ARM
// C6.2, SXTB.
func Sxtb(w Width, rd, rn Reg) Inst { return Sbfm(w, rd, rn, 0, 7) }

// Sxth encodes SXTH, SBFM rd, rn, #0, #15. Arm ARM C6.2, SXTH.
func Sxth(w Width, rd, rn Reg) Inst { return Sbfm(w, rd, rn, 0, 15) }

// Sxtw encodes SXTW, SBFM xd, xn, #0, #31: the low word sign-extended to 64 bits. Arm ARM
// C6.2, SXTW.
func Sxtw(rd, rn Reg) Inst { return Sbfm(W64, rd, rn, 0, 31) }

// Uxtb encodes UXTB, UBFM wd, wn, #0, #7: the low byte zero-extended; writing a w register
// zeroes the upper half, so this serves 64 bits too. Arm ARM C6.2, UXTB.
func Uxtb(rd, rn Reg) Inst { return Ubfm(W32, rd, rn, 0, 7) }

// Uxth encodes UXTH, UBFM wd, wn, #0, #15. Arm ARM C6.2, UXTH.
func Uxth(rd, rn Reg) Inst { return Ubfm(W32, rd, rn, 0, 15) }

// condSelect encodes sf op 0 11010100 Rm cond o2 Rn Rd (Arm ARM C4.1, "Conditional select").
func condSelect(op, o2 uint32, w Width, rd, rn, rm Reg, c Cond) Inst {
	if c > CondNV {
		panic(fmt.Sprintf("arm64: bad condition %v", c))
	}
	return Inst{word: sf(w)<<31 | op<<30 | 0x1A800000 | rz(rm)<<16 | uint32(c)<<12 | o2<<10 |
		rz(rn)<<5 | rz(rd)}
}

// Csel encodes CSEL: rd = c ? rn : rm. Arm ARM C6.2, CSEL.
func Csel(w Width, rd, rn, rm Reg, c Cond) Inst { return condSelect(0, 0, w, rd, rn, rm, c) }

// Csinc encodes CSINC: rd = c ? rn : rm+1. Arm ARM C6.2, CSINC.
func Csinc(w Width, rd, rn, rm Reg, c Cond) Inst { return condSelect(0, 1, w, rd, rn, rm, c) }

// Csinv encodes CSINV: rd = c ? rn : ^rm. Arm ARM C6.2, CSINV.
func Csinv(w Width, rd, rn, rm Reg, c Cond) Inst { return condSelect(1, 0, w, rd, rn, rm, c) }

// Csneg encodes CSNEG: rd = c ? rn : -rm. Arm ARM C6.2, CSNEG.
func Csneg(w Width, rd, rn, rm Reg, c Cond) Inst { return condSelect(1, 1, w, rd, rn, rm, c) }

// Cset encodes CSET, CSINC rd, xzr, xzr, !c: rd = c ? 1 : 0. c may not be AL or NV. Arm ARM
// C6.2, CSET.
func Cset(w Width, rd Reg, c Cond) Inst { return Csinc(w, rd, XZR, XZR, c.Invert()) }

// Csetm encodes CSETM, CSINV rd, xzr, xzr, !c: rd = c ? -1 : 0. Arm ARM C6.2, CSETM.
func Csetm(w Width, rd Reg, c Cond) Inst { return Csinv(w, rd, XZR, XZR, c.Invert()) }
