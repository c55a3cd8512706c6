package arm64

import (
	"fmt"
	"math/bits"
)

// The logical instructions AND, ORR, EOR, ANDS, BIC, ORN, with shifted registers and with
// bitmask immediates, and their aliases TST and MVN.

// LogicalImm returns the N:immr:imms fields that encode v as the bitmask immediate of a w-bit
// logical instruction, and false if v is not one (Arm ARM C6.2, AND (immediate), and the
// shared pseudocode function DecodeBitMasks). Only the low w bits of v count.
//
// A bitmask immediate is a w-bit value made of copies of one element of e = 2, 4, …, w bits,
// the element a run of 1 to e-1 ones rotated right by 0 to e-1. So 0 and all ones are never
// bitmasks; 0x5555… (e = 2) and 0x00ff_00ff (e = 16) are. imms holds the run length minus one
// under a prefix that gives e, immr the rotation, and N is 1 only for e = 64.
func LogicalImm(w Width, v uint64) (n, immr, imms uint32, ok bool) {
	if sf(w) == 0 {
		v = v&0xFFFFFFFF | v<<32 // as a 64-bit pattern, a 32-bit value repeats
	}
	if v == 0 || v == ^uint64(0) {
		return 0, 0, 0, false
	}
	// The element size: halve e while v repeats every e/2 bits.
	e := 64
	for e > 2 && v == bits.RotateLeft64(v, e/2) {
		e /= 2
	}
	mask := ^uint64(0) >> (64 - e)
	elt := v & mask
	// A single run of ones, possibly wrapping around, has exactly one bit set whose lower
	// neighbour (cyclically, within the element) is clear: where the run starts.
	below := (elt<<1 | elt>>(e-1)) & mask
	start := elt &^ below
	if bits.OnesCount64(start) != 1 {
		return 0, 0, 0, false
	}
	p := bits.TrailingZeros64(start) // elt is the run ROL p, that is ROR (e-p)
	s := bits.OnesCount64(elt)
	immr = uint32(e-p) & uint32(e-1)
	imms = ^uint32(0)<<(bits.TrailingZeros(uint(e))+1)&0x3F | uint32(s-1)
	if e == 64 {
		n = 1
	}
	return n, immr, imms, true
}

// IsLogicalImm reports whether the low w bits of v are a bitmask immediate ([LogicalImm]), the
// immediates that [AndImm], [OrrImm], [EorImm], [AndsImm] and [TstImm] take.
func IsLogicalImm(w Width, v uint64) bool {
	_, _, _, ok := LogicalImm(w, v)
	return ok
}

// The opc field of the logical instructions: AND, ORR, EOR, ANDS. With N = 1 in the
// shifted-register form they become BIC, ORN, EON, BICS (Arm ARM C4.1, "Logical (shifted
// register)").
const (
	logAnd  = 0
	logOrr  = 1
	logEor  = 2
	logAnds = 3
)

// logicalImm encodes sf opc 100100 N immr imms Rn Rd (Arm ARM C4.1, "Logical
// (immediate)"). Rd is a number: SP-typed for AND, ORR and EOR, XZR-typed for ANDS.
func logicalImm(opc uint32, w Width, rd uint32, rn Reg, v uint64) Inst {
	n, immr, imms, ok := LogicalImm(w, v)
	if !ok {
		panic(fmt.Sprintf("arm64: %#x is not a %d-bit bitmask immediate", v, w.Bits()))
	}
	return Inst{word: sf(w)<<31 | opc<<29 | 0x12000000 | n<<22 | immr<<16 | imms<<10 | rz(rn)<<5 | rd}
}

// logicalShift encodes sf opc 01010 shift N Rm imm6 Rn Rd (Arm ARM C4.1, "Logical (shifted
// register)"); all three registers are XZR-typed.
func logicalShift(opc, neg uint32, w Width, rd, rn, rm Reg, sh Shift, amount uint8) Inst {
	if sh > ShiftROR {
		panic(fmt.Sprintf("arm64: bad shift %v", sh))
	}
	checkImm("shift amount", int64(amount), 0, int64(w.Bits()-1))
	return Inst{word: sf(w)<<31 | opc<<29 | 0x0A000000 | uint32(sh)<<22 | neg<<21 | rz(rm)<<16 |
		uint32(amount)<<10 | rz(rn)<<5 | rz(rd)}
}

// And encodes AND (shifted register) with no shift: rd = rn & rm. Arm ARM C6.2, AND (shifted
// register).
func And(w Width, rd, rn, rm Reg) Inst { return logicalShift(logAnd, 0, w, rd, rn, rm, ShiftLSL, 0) }

// AndShift encodes AND (shifted register): rd = rn & (rm sh amount). Arm ARM C6.2, AND
// (shifted register).
func AndShift(w Width, rd, rn, rm Reg, sh Shift, amount uint8) Inst {
	return logicalShift(logAnd, 0, w, rd, rn, rm, sh, amount)
}

// AndImm encodes AND (immediate): rd = rn & imm, imm a bitmask immediate. rd may be SP, as
// when aligning the stack pointer. Arm ARM C6.2, AND (immediate).
func AndImm(w Width, rd, rn Reg, imm uint64) Inst { return logicalImm(logAnd, w, rsp(rd), rn, imm) }

// Orr encodes ORR (shifted register) with no shift: rd = rn | rm. Arm ARM C6.2, ORR (shifted
// register).
func Orr(w Width, rd, rn, rm Reg) Inst { return logicalShift(logOrr, 0, w, rd, rn, rm, ShiftLSL, 0) }

// OrrShift encodes ORR (shifted register): rd = rn | (rm sh amount). Arm ARM C6.2, ORR
// (shifted register).
func OrrShift(w Width, rd, rn, rm Reg, sh Shift, amount uint8) Inst {
	return logicalShift(logOrr, 0, w, rd, rn, rm, sh, amount)
}

// OrrImm encodes ORR (immediate): rd = rn | imm, imm a bitmask immediate; with rn XZR it is
// MOV (bitmask immediate). rd may be SP. Arm ARM C6.2, ORR (immediate).
func OrrImm(w Width, rd, rn Reg, imm uint64) Inst { return logicalImm(logOrr, w, rsp(rd), rn, imm) }

// Eor encodes EOR (shifted register) with no shift: rd = rn ^ rm. Arm ARM C6.2, EOR (shifted
// register).
func Eor(w Width, rd, rn, rm Reg) Inst { return logicalShift(logEor, 0, w, rd, rn, rm, ShiftLSL, 0) }

// EorShift encodes EOR (shifted register): rd = rn ^ (rm sh amount). Arm ARM C6.2, EOR
// (shifted register).
func EorShift(w Width, rd, rn, rm Reg, sh Shift, amount uint8) Inst {
	return logicalShift(logEor, 0, w, rd, rn, rm, sh, amount)
}

// EorImm encodes EOR (immediate): rd = rn ^ imm, imm a bitmask immediate. rd may be SP. Arm ARM
// C6.2, EOR (immediate).
func EorImm(w Width, rd, rn Reg, imm uint64) Inst { return logicalImm(logEor, w, rsp(rd), rn, imm) }

// Ands encodes ANDS (shifted register) with no shift: rd = rn & rm, setting N and Z from the
// result and clearing C and V. Arm ARM C6.2, ANDS (shifted register).
func Ands(w Width, rd, rn, rm Reg) Inst {
	return logicalShift(logAnds, 0, w, rd, rn, rm, ShiftLSL, 0)
}

// AndsShift encodes ANDS (shifted register): rd = rn & (rm sh amount), setting the flags. Arm
// ARM C6.2, ANDS (shifted register).
func AndsShift(w Width, rd, rn, rm Reg, sh Shift, amount uint8) Inst {
	return logicalShift(logAnds, 0, w, rd, rn, rm, sh, amount)
}

// AndsImm encodes ANDS (immediate): rd = rn & imm, setting the flags. Arm ARM C6.2, ANDS
// (immediate).
func AndsImm(w Width, rd, rn Reg, imm uint64) Inst { return logicalImm(logAnds, w, rz(rd), rn, imm) }

// Tst encodes TST (shifted register), ANDS xzr, rn, rm: sets the flags from rn & rm. Arm ARM
// C6.2, TST (shifted register).
func Tst(w Width, rn, rm Reg) Inst { return Ands(w, XZR, rn, rm) }

// TstImm encodes TST (immediate), ANDS xzr, rn, #imm. Arm ARM C6.2, TST (immediate).
func TstImm(w Width, rn Reg, imm uint64) Inst { return AndsImm(w, XZR, rn, imm) }

// Bic encodes BIC (shifted register) with no shift: rd = rn &^ rm. Arm ARM C6.2, BIC (shifted
// register).
func Bic(w Width, rd, rn, rm Reg) Inst { return logicalShift(logAnd, 1, w, rd, rn, rm, ShiftLSL, 0) }

// BicShift encodes BIC (shifted register): rd = rn &^ (rm sh amount). Arm ARM C6.2, BIC
// (shifted register).
func BicShift(w Width, rd, rn, rm Reg, sh Shift, amount uint8) Inst {
	return logicalShift(logAnd, 1, w, rd, rn, rm, sh, amount)
}

// Orn encodes ORN (shifted register) with no shift: rd = rn | ^rm. Arm ARM C6.2, ORN (shifted
// register).
func Orn(w Width, rd, rn, rm Reg) Inst { return logicalShift(logOrr, 1, w, rd, rn, rm, ShiftLSL, 0) }

// OrnShift encodes ORN (shifted register): rd = rn | ^(rm sh amount). Arm ARM C6.2, ORN
// (shifted register).
func OrnShift(w Width, rd, rn, rm Reg, sh Shift, amount uint8) Inst {
	return logicalShift(logOrr, 1, w, rd, rn, rm, sh, amount)
}

// Eon encodes EON (shifted register) with no shift: rd = rn ^ ^rm. Arm ARM C6.2, EON (shifted
// register).
func Eon(w Width, rd, rn, rm Reg) Inst { return logicalShift(logEor, 1, w, rd, rn, rm, ShiftLSL, 0) }

// EonShift encodes EON (shifted register): rd = rn ^ ^(rm sh amount). Arm ARM C6.2, EON
// (shifted register).
func EonShift(w Width, rd, rn, rm Reg, sh Shift, amount uint8) Inst {
	return logicalShift(logEor, 1, w, rd, rn, rm, sh, amount)
}

// Mvn encodes MVN, ORN rd, xzr, rm: rd = ^rm. Arm ARM C6.2, MVN.
func Mvn(w Width, rd, rm Reg) Inst { return Orn(w, rd, XZR, rm) }
