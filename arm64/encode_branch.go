package arm64

import "fmt"

// Branches, exception generation and hints. The PC-relative forms take the distance in bytes
// from the branch itself, a multiple of 4; an [Asm] fills it in for [Label]s.

// B encodes B: an unconditional branch off bytes away, within ±128 MiB. Arm ARM C6.2, B.
func B(off int32) Inst { return pcRel(0x14000000, relImm26, int64(off)) }

// Bl encodes BL: a call off bytes away, within ±128 MiB; the return address goes to LR.
// Arm ARM C6.2, BL.
func Bl(off int32) Inst { return pcRel(0x94000000, relImm26, int64(off)) }

// BCond encodes B.cond: a branch off bytes away, within ±1 MiB, taken if c holds. Arm ARM
// C6.2, B.cond.
func BCond(c Cond, off int32) Inst {
	if c > CondNV {
		panic(fmt.Sprintf("arm64: bad condition %v", c))
	}
	return pcRel(0x54000000|uint32(c), relImm19, int64(off))
}

// Cbz encodes CBZ: a branch off bytes away, within ±1 MiB, taken if the w-bit rt is zero.
// Arm ARM C6.2, CBZ.
func Cbz(w Width, rt Reg, off int32) Inst {
	return pcRel(sf(w)<<31|0x34000000|rz(rt), relImm19, int64(off))
}

// Cbnz encodes CBNZ: a branch taken if the w-bit rt is not zero. Arm ARM C6.2, CBNZ.
func Cbnz(w Width, rt Reg, off int32) Inst {
	return pcRel(sf(w)<<31|0x35000000|rz(rt), relImm19, int64(off))
}

// testBranch encodes b5 011011 op b40 imm14 Rt (Arm ARM C4.1, "Test and branch (immediate)").
func testBranch(op uint32, rt Reg, bit uint8, off int32) Inst {
	checkImm("bit number", int64(bit), 0, 63)
	return pcRel(uint32(bit>>5)<<31|0x36000000|op<<24|uint32(bit&31)<<19|rz(rt), relImm14, int64(off))
}

// Tbz encodes TBZ: a branch off bytes away, within ±32 KiB, taken if bit 0–63 of rt is
// zero. Arm ARM C6.2, TBZ.
func Tbz(rt Reg, bit uint8, off int32) Inst { return testBranch(0, rt, bit, off) }

// Tbnz encodes TBNZ: a branch taken if bit 0–63 of rt is one. Arm ARM C6.2, TBNZ.
func Tbnz(rt Reg, bit uint8, off int32) Inst { return testBranch(1, rt, bit, off) }

// Br encodes BR: an indirect branch to the address in rn. Arm ARM C6.2, BR.
func Br(rn Reg) Inst { return Inst{word: 0xD61F0000 | rz(rn)<<5} }

// Blr encodes BLR: an indirect call to the address in rn; the return address goes to LR.
// Arm ARM C6.2, BLR.
func Blr(rn Reg) Inst { return Inst{word: 0xD63F0000 | rz(rn)<<5} }

// Ret encodes RET: a return to the address in LR. Arm ARM C6.2, RET.
func Ret() Inst { return Inst{word: 0xD65F0000 | LR.Num()<<5} }

// Svc encodes SVC: a supervisor call, the system call instruction; Linux ignores imm and
// takes the number from x8, Darwin wants imm 0x80 and the number in x16. Arm ARM C6.2, SVC.
func Svc(imm uint16) Inst { return Inst{word: 0xD4000001 | uint32(imm)<<5} }

// Brk encodes BRK: a breakpoint exception, SIGTRAP under Linux and Darwin. Arm ARM C6.2, BRK.
func Brk(imm uint16) Inst { return Inst{word: 0xD4200000 | uint32(imm)<<5} }

// Udf encodes UDF: a permanently undefined instruction, SIGILL. The word is imm alone, the
// upper 16 bits zero. Arm ARM C6.2, UDF.
func Udf(imm uint16) Inst { return Inst{word: uint32(imm)} }

// Nop encodes NOP. Arm ARM C6.2, NOP.
func Nop() Inst { return Inst{word: 0xD503201F} }
