package arm64

import "fmt"

// Loads and stores of general and SIMD&FP registers, load and store pair, load literal, and
// the PC-relative address computations ADR and ADRP.

// AddrMode says how a [Mem] forms its address and whether it writes the base back.
type AddrMode uint8

// The addressing modes (Arm ARM C1, "Addressing modes" — there "base plus offset",
// "pre-indexed" and "post-indexed").
const (
	ModeOffset AddrMode = iota // [base, #off] or [base, index{, ext #amount}]
	ModePre                    // [base, #off]!: base += off, then access at base
	ModePost                   // [base], #off: access at base, then base += off
)

// Mem is a memory operand. Base is X0–X30 or SP. In ModeOffset the address is Base + Off, or,
// with an Index, Base + (ext(Index) << scale), where scale is log2 of the access size if
// Scaled, else 0; Ext is UXTW or SXTW (a w register index) or UXTX or SXTX (an x register;
// UXTX is written LSL). ModePre and ModePost take Off alone. Build one with [MemOff],
// [MemIndex], [MemPre] or [MemPost].
type Mem struct {
	Base   Reg
	Index  Reg
	Ext    Extend
	Scaled bool
	Off    int32
	Mode   AddrMode
}

// MemOff returns the operand [base, #off].
func MemOff(base Reg, off int32) Mem { return Mem{Base: base, Off: off} }

// MemIndex returns the register-offset operand [base, index, ext #scale]: scaled by the access
// size if scaled is set.
func MemIndex(base, index Reg, ext Extend, scaled bool) Mem {
	return Mem{Base: base, Index: index, Ext: ext, Scaled: scaled}
}

// MemPre returns the pre-indexed operand [base, #off]!.
func MemPre(base Reg, off int32) Mem { return Mem{Base: base, Off: off, Mode: ModePre} }

// MemPost returns the post-indexed operand [base], #off.
func MemPost(base Reg, off int32) Mem { return Mem{Base: base, Off: off, Mode: ModePost} }

// IsLoadStoreOff reports whether a w-byte load or store takes offset off in ModeOffset without
// a register: a multiple of w in [0, 4095*w] (the unsigned-offset form), or any offset in
// [-256, 255] (the unscaled form, LDUR and STUR).
func IsLoadStoreOff(w Width, off int64) bool {
	n := int64(w)
	return off >= 0 && off%n == 0 && off/n <= 0xFFF || -256 <= off && off <= 255
}

// ldst encodes a single-register load or store (Arm ARM C4.1, "Loads and stores": "Load/store
// register (unsigned immediate)", "(unscaled immediate)", "(immediate post-indexed)",
// "(immediate pre-indexed)" and "(register offset)"): size 111 V 0x opc ... Rn Rt. size and
// opc pick the instruction, v is 1 for SIMD&FP, w is the access size for scaling and t the
// number of Rt.
func ldst(size, v, opc uint32, w Width, t uint32, m Mem) Inst {
	n := rsp(m.Base)
	base := size<<30 | 0x38000000 | v<<26 | opc<<22 | n<<5 | t
	if m.Mode != ModeOffset {
		if m.Index != NoReg {
			panic(fmt.Sprintf("arm64: index register with writeback in %v", m))
		}
		if v == 0 && t == n && n != 31 {
			// Arm ARM, LDR and STR (immediate): "if wback && n == t && n != 31" the result
			// is CONSTRAINED UNPREDICTABLE.
			panic(fmt.Sprintf("arm64: transfer of the base register with writeback in %v", m))
		}
		checkImm("pre/post-index offset", int64(m.Off), -256, 255)
		idx := uint32(0b01) // post-indexed
		if m.Mode == ModePre {
			idx = 0b11
		} else if m.Mode != ModePost {
			panic(fmt.Sprintf("arm64: bad addressing mode %d", m.Mode))
		}
		return Inst{word: base | uint32(m.Off)&0x1FF<<12 | idx<<10}
	}
	if m.Index != NoReg {
		if m.Off != 0 {
			panic(fmt.Sprintf("arm64: index register and offset in %v", m))
		}
		if m.Ext&2 == 0 { // option<1> = 0 is reserved: UXTB, UXTH, SXTB, SXTH
			panic(fmt.Sprintf("arm64: extend %v not valid in an address", m.Ext))
		}
		s := uint32(0)
		if m.Scaled {
			s = 1
		}
		return Inst{word: base | 1<<21 | rz(m.Index)<<16 | uint32(m.Ext)<<13 | s<<12 | 0b10<<10}
	}
	off, scale := int64(m.Off), int64(w)
	switch {
	case off >= 0 && off%scale == 0 && off/scale <= 0xFFF:
		return Inst{word: base | 1<<24 | uint32(off/scale)<<10}
	case -256 <= off && off <= 255:
		return Inst{word: base | uint32(off)&0x1FF<<12}
	}
	panic(fmt.Sprintf("arm64: offset %d not valid for a %d-byte access", off, w))
}

// Ldr encodes LDR (immediate, register), or LDUR for a negative or unaligned offset: loads w
// bytes, W32 zero-extended into the x register. Arm ARM C6.2, LDR (immediate), LDR (register),
// LDUR.
func Ldr(w Width, rt Reg, m Mem) Inst { return ldst(2+sf(w), 0, 0b01, w, rz(rt), m) }

// Str encodes STR (immediate, register) or STUR: stores the low w bytes of rt. Arm ARM C6.2,
// STR (immediate), STR (register), STUR.
func Str(w Width, rt Reg, m Mem) Inst { return ldst(2+sf(w), 0, 0b00, w, rz(rt), m) }

// Ldrb encodes LDRB or LDURB: loads a byte, zero-extended. Arm ARM C6.2, LDRB (immediate),
// LDRB (register), LDURB.
func Ldrb(rt Reg, m Mem) Inst { return ldst(0, 0, 0b01, W8, rz(rt), m) }

// Ldrh encodes LDRH or LDURH: loads a halfword, zero-extended. Arm ARM C6.2, LDRH
// (immediate), LDRH (register), LDURH.
func Ldrh(rt Reg, m Mem) Inst { return ldst(1, 0, 0b01, W16, rz(rt), m) }

// Strb encodes STRB or STURB: stores the low byte of rt. Arm ARM C6.2, STRB (immediate), STRB
// (register), STURB.
func Strb(rt Reg, m Mem) Inst { return ldst(0, 0, 0b00, W8, rz(rt), m) }

// Strh encodes STRH or STURH: stores the low halfword of rt. Arm ARM C6.2, STRH (immediate),
// STRH (register), STURH.
func Strh(rt Reg, m Mem) Inst { return ldst(1, 0, 0b00, W16, rz(rt), m) }

// signedOpc returns the opc of a sign-extending load to w bits: 10 for 64, 11 for 32.
func signedOpc(w Width) uint32 { return 0b11 - sf(w) }

// Ldrsb encodes LDRSB or LDURSB: loads a byte sign-extended to w bits (W32 then zero-extends
// to 64). Arm ARM C6.2, LDRSB (immediate), LDRSB (register), LDURSB.
func Ldrsb(w Width, rt Reg, m Mem) Inst { return ldst(0, 0, signedOpc(w), W8, rz(rt), m) }

// Ldrsh encodes LDRSH or LDURSH: loads a halfword sign-extended to w bits. Arm ARM C6.2, LDRSH
// (immediate), LDRSH (register), LDURSH.
func Ldrsh(w Width, rt Reg, m Mem) Inst { return ldst(1, 0, signedOpc(w), W16, rz(rt), m) }

// Ldrsw encodes LDRSW or LDURSW: loads a word sign-extended to 64 bits. Arm ARM C6.2, LDRSW
// (immediate), LDRSW (register), LDURSW.
func Ldrsw(rt Reg, m Mem) Inst { return ldst(2, 0, 0b10, W32, rz(rt), m) }

// vSizeOpc returns the size field and the opc bit 1 of a SIMD&FP load or store of w bytes:
// B, H, S and D use size 00 to 11; Q uses size 00 with opc<1> set.
func vSizeOpc(w Width) (size, opc1 uint32) {
	if w == W128 {
		return 0, 0b10
	}
	return w.log2(), 0
}

// LdrV encodes LDR (immediate, SIMD&FP), LDR (register, SIMD&FP) or LDUR (SIMD&FP): loads w
// bytes, W8 to W128, into the b, h, s, d or q view of vt, zeroing the rest. Arm ARM C7.2,
// LDR (immediate, SIMD&FP), LDR (register, SIMD&FP), LDUR (SIMD&FP).
func LdrV(w Width, vt Reg, m Mem) Inst {
	size, opc1 := vSizeOpc(w)
	return ldst(size, 1, opc1|1, w, vr(vt), m)
}

// StrV encodes STR (immediate, SIMD&FP), STR (register, SIMD&FP) or STUR (SIMD&FP). Arm ARM
// C7.2, STR (immediate, SIMD&FP), STR (register, SIMD&FP), STUR (SIMD&FP).
func StrV(w Width, vt Reg, m Mem) Inst {
	size, opc1 := vSizeOpc(w)
	return ldst(size, 1, opc1, w, vr(vt), m)
}

// ldstPair encodes opc 101 V mode L imm7 Rt2 Rn Rt (Arm ARM C4.1, "Load/store register pair
// (offset)", "(pre-indexed)", "(post-indexed)"); the offset is imm7 scaled by w.
func ldstPair(opc, v, l uint32, w Width, t, t2 uint32, m Mem) Inst {
	if m.Index != NoReg {
		panic(fmt.Sprintf("arm64: index register in a pair operand %v", m))
	}
	n := rsp(m.Base)
	if l == 1 && t == t2 {
		panic("arm64: load pair into one register twice") // CONSTRAINED UNPREDICTABLE
	}
	if m.Mode != ModeOffset && v == 0 && n != 31 && (t == n || t2 == n) {
		panic(fmt.Sprintf("arm64: pair with writeback names its base %v", m)) // CONSTRAINED UNPREDICTABLE
	}
	scale := int64(w)
	off := int64(m.Off)
	if off%scale != 0 {
		panic(fmt.Sprintf("arm64: pair offset %d not a multiple of %d", off, scale))
	}
	checkImm("pair offset", off/scale, -64, 63)
	var mode uint32
	switch m.Mode {
	case ModePost:
		mode = 0b001
	case ModeOffset:
		mode = 0b010
	case ModePre:
		mode = 0b011
	default:
		panic(fmt.Sprintf("arm64: bad addressing mode %d", m.Mode))
	}
	return Inst{word: opc<<30 | 0x28000000 | v<<26 | mode<<23 | l<<22 | uint32(off/scale)&0x7F<<15 |
		t2<<10 | n<<5 | t}
}

// Ldp encodes LDP: loads rt1 from the address and rt2 from the next w bytes. Arm ARM C6.2, LDP.
func Ldp(w Width, rt1, rt2 Reg, m Mem) Inst {
	return ldstPair(sf(w)<<1, 0, 1, w, rz(rt1), rz(rt2), m)
}

// Stp encodes STP: stores rt1 and rt2 to consecutive w-byte slots, as a prologue saves the
// frame pointer and link register. Arm ARM C6.2, STP.
func Stp(w Width, rt1, rt2 Reg, m Mem) Inst {
	return ldstPair(sf(w)<<1, 0, 0, w, rz(rt1), rz(rt2), m)
}

// vPairOpc returns the opc of a SIMD&FP pair of w bytes each: S 00, D 01, Q 10.
func vPairOpc(w Width) uint32 {
	switch w {
	case W32, W64, W128:
		return w.log2() - 2
	}
	panic(fmt.Sprintf("arm64: width %v not valid for a SIMD&FP pair", w))
}

// LdpV encodes LDP (SIMD&FP), W32 to W128. Arm ARM C7.2, LDP (SIMD&FP).
func LdpV(w Width, vt1, vt2 Reg, m Mem) Inst {
	return ldstPair(vPairOpc(w), 1, 1, w, vr(vt1), vr(vt2), m)
}

// StpV encodes STP (SIMD&FP), as a prologue saves the callee-saved d8–d15. Arm ARM C7.2, STP
// (SIMD&FP).
func StpV(w Width, vt1, vt2 Reg, m Mem) Inst {
	return ldstPair(vPairOpc(w), 1, 0, w, vr(vt1), vr(vt2), m)
}

// LdrLit encodes LDR (literal): loads w bytes, W32 or W64, from off bytes after this
// instruction, a multiple of 4 within ±1 MiB. Arm ARM C6.2, LDR (literal).
func LdrLit(w Width, rt Reg, off int32) Inst {
	return pcRel(sf(w)<<30|0x18000000|rz(rt), relImm19, int64(off))
}

// LdrLitV encodes LDR (literal, SIMD&FP): loads an s, d or q register, as for a floating-point
// constant kept in the code. Arm ARM C7.2, LDR (literal, SIMD&FP).
func LdrLitV(w Width, vt Reg, off int32) Inst {
	return pcRel(vPairOpc(w)<<30|0x1C000000|vr(vt), relImm19, int64(off))
}

// Adr encodes ADR: rd = the address of this instruction + off, within ±1 MiB. Arm ARM C6.2,
// ADR.
func Adr(rd Reg, off int32) Inst { return pcRel(0x10000000|rz(rd), relAdr, int64(off)) }

// Adrp encodes ADRP: rd = the address of this instruction's 4 KiB page + off, a multiple of
// 4096 within ±4 GiB. With an ADD or a load of the low 12 bits it addresses anything that
// far: see [Asm.EmitRef]. Arm ARM C6.2, ADRP.
func Adrp(rd Reg, off int64) Inst { return pcRel(0x90000000|rz(rd), relAdrp, off) }

func (m Mem) String() string {
	switch {
	case m.Mode == ModePre:
		return fmt.Sprintf("[%v, #%d]!", m.Base, m.Off)
	case m.Mode == ModePost:
		return fmt.Sprintf("[%v], #%d", m.Base, m.Off)
	case m.Index != NoReg:
		s := fmt.Sprintf("[%v, %s, %v", m.Base, m.Index.Name(m.Ext.regWidth()), m.Ext)
		if m.Scaled {
			s += " (scaled)"
		}
		return s + "]"
	}
	return fmt.Sprintf("[%v, #%d]", m.Base, m.Off)
}
