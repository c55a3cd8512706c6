package amd64

// Control flow, the stack, and instructions with no operands. The rel8 and rel32 forms take
// a displacement from the end of the instruction; an [Asm] fills them in for [Label]s.

// JmpRel8 encodes JMP rel8: a short jump, disp bytes from the next instruction. Intel SDM
// vol. 2A, JMP—Jump (EB cb).
func JmpRel8(disp int8) Inst {
	var i Inst
	i.byte1(0xEB)
	i.rel8(disp)
	return i
}

// JmpRel32 encodes JMP rel32: a near jump, disp bytes from the next instruction. Intel SDM
// vol. 2A, JMP—Jump (E9 cd).
func JmpRel32(disp int32) Inst {
	var i Inst
	i.byte1(0xE9)
	i.rel32(disp)
	return i
}

// JccRel8 encodes Jcc rel8: a short jump taken if c holds. Intel SDM vol. 2A, Jcc—Jump if
// Condition Is Met (70+cc cb).
func JccRel8(c Cond, disp int8) Inst {
	var i Inst
	i.byte1(0x70 + byte(c&15))
	i.rel8(disp)
	return i
}

// JccRel32 encodes Jcc rel32: a near jump taken if c holds. Intel SDM vol. 2A, Jcc—Jump if
// Condition Is Met (0F 80+cc cd).
func JccRel32(c Cond, disp int32) Inst {
	var i Inst
	i.byte1(0x0F)
	i.byte1(0x80 + byte(c&15))
	i.rel32(disp)
	return i
}

// JmpR encodes JMP r/m64 with a register: an indirect jump to the address in target.
// Intel SDM vol. 2A, JMP—Jump (FF /4).
func JmpR(target Reg) Inst { return encRR(0, W32, 0, 0xFF, 4, gpr(target)) }

// JmpM encodes JMP r/m64 with memory: an indirect jump to the address stored at m, as through a
// jump table. Intel SDM vol. 2A, JMP—Jump (FF /4).
func JmpM(m Mem) Inst { return encRM(0, W32, 0, 0xFF, 4, m) }

// CallRel32 encodes CALL rel32: a near call disp bytes from the next instruction. Intel SDM
// vol. 2A, CALL—Call Procedure (E8 cd).
func CallRel32(disp int32) Inst {
	var i Inst
	i.byte1(0xE8)
	i.rel32(disp)
	return i
}

// CallR encodes CALL r/m64 with a register: an indirect call to the address in target.
// Intel SDM vol. 2A, CALL—Call Procedure (FF /2).
func CallR(target Reg) Inst { return encRR(0, W32, 0, 0xFF, 2, gpr(target)) }

// CallM encodes CALL r/m64 with memory: an indirect call to the address stored at m, as through
// a function table. Intel SDM vol. 2A, CALL—Call Procedure (FF /2).
func CallM(m Mem) Inst { return encRM(0, W32, 0, 0xFF, 2, m) }

// Ret encodes RET: a near return. Intel SDM vol. 2B, RET—Return From Procedure (C3).
func Ret() Inst { return oneByte(W32, 0xC3) }

// Push encodes PUSH r64. Intel SDM vol. 2B, PUSH—Push Word, Doubleword, or Quadword Onto the
// Stack (50+rd).
func Push(src Reg) Inst { return encO(W32, 0, 0x50, gpr(src)) }

// Pop encodes POP r64. Intel SDM vol. 2B, POP—Pop a Value From the Stack (58+rd).
func Pop(dst Reg) Inst { return encO(W32, 0, 0x58, gpr(dst)) }

// PushI encodes PUSH imm: pushes imm sign-extended to 64 bits, with an imm8 when it fits.
// Intel SDM vol. 2B, PUSH—Push Word, Doubleword, or Quadword Onto the Stack (6A ib, 68 id).
func PushI(imm int32) Inst {
	var i Inst
	if fitsInt8(int64(imm)) {
		i.byte1(0x6A)
		i.imm8(int64(imm))
		return i
	}
	i.byte1(0x68)
	i.imm32(int64(imm))
	return i
}

// Ud2 encodes UD2, which always raises #UD: the trap instruction. Intel SDM vol. 2B,
// UD—Undefined Instruction (0F 0B).
func Ud2() Inst {
	var i Inst
	i.byte1(0x0F)
	i.byte1(0x0B)
	return i
}

// Int3 encodes INT3, the breakpoint trap. Intel SDM vol. 2A, INTn/INTO/INT3/INT1—Call to
// Interrupt Procedure (CC).
func Int3() Inst { return oneByte(W32, 0xCC) }

// Syscall encodes SYSCALL: enters the kernel; rcx and r11 are clobbered. Intel SDM vol. 2B,
// SYSCALL—Fast System Call (0F 05).
func Syscall() Inst {
	var i Inst
	i.byte1(0x0F)
	i.byte1(0x05)
	return i
}

// nops are the recommended multi-byte NOP sequences, from Intel SDM vol. 2B, NOP—No Operation,
// table 4-12.
var nops = [10][]byte{
	1: {0x90},
	2: {0x66, 0x90},
	3: {0x0F, 0x1F, 0x00},
	4: {0x0F, 0x1F, 0x40, 0x00},
	5: {0x0F, 0x1F, 0x44, 0x00, 0x00},
	6: {0x66, 0x0F, 0x1F, 0x44, 0x00, 0x00},
	7: {0x0F, 0x1F, 0x80, 0x00, 0x00, 0x00, 0x00},
	8: {0x0F, 0x1F, 0x84, 0x00, 0x00, 0x00, 0x00, 0x00},
	9: {0x66, 0x0F, 0x1F, 0x84, 0x00, 0x00, 0x00, 0x00, 0x00},
}

// MaxNop is the longest single NOP that [Nop] encodes.
const MaxNop = 9

// Nop encodes one NOP of n bytes, 1 ≤ n ≤ [MaxNop], for padding. Intel SDM vol. 2B, NOP—No
// Operation (90, 66 90, 0F 1F /0), table 4-12.
func Nop(n int) Inst {
	if n < 1 || n > MaxNop {
		panic("amd64: NOP length out of range")
	}
	var i Inst
	i.n = uint8(copy(i.b[:], nops[n]))
	return i
}

// Cpuid encodes CPUID: eax, ebx, ecx and edx = the processor's identification for leaf eax
// (and subleaf ecx). Intel SDM vol. 2A, CPUID—CPU Identification (0F A2).
func Cpuid() Inst {
	var i Inst
	i.byte1(0x0F)
	i.byte1(0xA2)
	return i
}

// Xgetbv encodes XGETBV: edx:eax = the extended control register ecx names (0: XCR0, which
// state components the OS saves). It exists when CPUID leaf 1's OSXSAVE is set. Intel SDM
// vol. 2C, XGETBV—Get Value of Extended Control Register (0F 01 D0).
func Xgetbv() Inst {
	var i Inst
	i.byte1(0x0F)
	i.byte1(0x01)
	i.byte1(0xD0)
	return i
}

// RepStosb encodes REP STOSB: store al at [rdi], rcx times, advancing rdi (backwards
// when the direction flag is set). Intel SDM vol. 2B, STOS/STOSB and REP (F3 AA).
func RepStosb() Inst {
	var i Inst
	i.byte1(0xF3)
	i.byte1(0xAA)
	return i
}

// RepMovsb encodes REP MOVSB: copy rcx bytes from [rsi] to [rdi], advancing both
// (backwards when the direction flag is set). Intel SDM vol. 2B, MOVS/MOVSB and REP
// (F3 A4).
func RepMovsb() Inst {
	var i Inst
	i.byte1(0xF3)
	i.byte1(0xA4)
	return i
}

// Std and Cld set and clear the direction flag (FD, FC). The convention keeps it clear
// everywhere but inside a backward copy.
func Std() Inst { var i Inst; i.byte1(0xFD); return i }

// Cld clears the direction flag (FC).
func Cld() Inst { var i Inst; i.byte1(0xFC); return i }
