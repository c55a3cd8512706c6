package amd64

import "fmt"

// Reg is a machine register: one of the sixteen general-purpose registers, one of the sixteen
// XMM registers, or [RIP], which is valid only as the base of a [Mem]. The zero value is [NoReg],
// so a [Mem] with no index leaves Index unset.
type Reg uint8

// The general-purpose registers, in hardware order (Intel SDM vol. 1, 3.4.1), then the XMM
// registers. [Reg.Num] gives the 4-bit number that the encoding uses.
const (
	NoReg Reg = iota
	RAX
	RCX
	RDX
	RBX
	RSP
	RBP
	RSI
	RDI
	R8
	R9
	R10
	R11
	R12
	R13
	R14
	R15
	X0
	X1
	X2
	X3
	X4
	X5
	X6
	X7
	X8
	X9
	X10
	X11
	X12
	X13
	X14
	X15
	RIP // the instruction pointer, only as Mem.Base (RIP-relative addressing)
)

// IsGPR reports whether r is one of RAX…R15.
func (r Reg) IsGPR() bool { return RAX <= r && r <= R15 }

// IsXMM reports whether r is one of X0…X15.
func (r Reg) IsXMM() bool { return X0 <= r && r <= X15 }

// Num is the register's number in the encoding, 0–15: the low three bits go into ModRM, SIB or
// the opcode, the fourth into a REX bit.
func (r Reg) Num() uint8 {
	// One unsigned compare for both files, which are contiguous from RAX, and the panic in
	// a function of its own, so that Num inlines into the encoders that call it for every
	// operand (issue 21).
	if r-RAX > X15-RAX {
		noNum(r)
	}
	return uint8(r-RAX) & 15
}

// noNum panics: r, the operand of Num, is not a register with a number.
//
//go:noinline
func noNum(r Reg) {
	panic(fmt.Sprintf("amd64: %v has no register number", r))
}

var gprNames = [4][16]string{
	{"al", "cl", "dl", "bl", "spl", "bpl", "sil", "dil", "r8b", "r9b", "r10b", "r11b", "r12b", "r13b", "r14b", "r15b"},
	{"ax", "cx", "dx", "bx", "sp", "bp", "si", "di", "r8w", "r9w", "r10w", "r11w", "r12w", "r13w", "r14w", "r15w"},
	{"eax", "ecx", "edx", "ebx", "esp", "ebp", "esi", "edi", "r8d", "r9d", "r10d", "r11d", "r12d", "r13d", "r14d", "r15d"},
	{"rax", "rcx", "rdx", "rbx", "rsp", "rbp", "rsi", "rdi", "r8", "r9", "r10", "r11", "r12", "r13", "r14", "r15"},
}

// String returns the register's name as the GNU assembler writes it, without the %:
// "rax", "r12", "xmm3", "rip".
func (r Reg) String() string { return r.Name(W64) }

// Name returns the name of the w-bit part of a general-purpose register ("eax", "r9w", "sil");
// XMM registers and RIP ignore w.
func (r Reg) Name(w Width) string {
	switch {
	case r.IsGPR():
		return gprNames[w.log2()][r.Num()]
	case r.IsXMM():
		return fmt.Sprintf("xmm%d", r.Num())
	case r == RIP:
		return "rip"
	case r == NoReg:
		return "noreg"
	}
	return fmt.Sprintf("reg%d", uint8(r))
}

// Width is an operand size in bytes.
type Width uint8

// The operand sizes: byte, word, doubleword and quadword.
const (
	W8  Width = 1
	W16 Width = 2
	W32 Width = 4
	W64 Width = 8
	// W128 is a whole XMM register, a v128: only opMovs and copies take it.
	W128 Width = 16
)

// Bits returns the width in bits.
func (w Width) Bits() int { return int(w) * 8 }

func (w Width) String() string { return fmt.Sprintf("W%d", w.Bits()) }

func (w Width) log2() int {
	switch w {
	case W8:
		return 0
	case W16:
		return 1
	case W32:
		return 2
	case W64:
		return 3
	}
	panic(fmt.Sprintf("amd64: bad width %d", uint8(w)))
}

// Cond is a condition code, the 4-bit "tttn" field of Jcc, SETcc and CMOVcc (Intel SDM vol. 1,
// appendix B.1.4.7). Unsigned comparisons use B/AE/BE/A, signed ones L/GE/LE/G; after UCOMISS
// and UCOMISD, P means unordered.
type Cond uint8

// The condition codes in encoding order; each even code's negation is the next odd one.
const (
	CondO  Cond = iota // overflow
	CondNO             // no overflow
	CondB              // below: unsigned <, carry
	CondAE             // above or equal: unsigned >=, no carry
	CondE              // equal, zero
	CondNE             // not equal, not zero
	CondBE             // below or equal: unsigned <=
	CondA              // above: unsigned >
	CondS              // sign
	CondNS             // no sign
	CondP              // parity (unordered after UCOMIS*)
	CondNP             // no parity (ordered)
	CondL              // less: signed <
	CondGE             // greater or equal: signed >=
	CondLE             // less or equal: signed <=
	CondG              // greater: signed >
)

var condNames = [16]string{"o", "no", "b", "ae", "e", "ne", "be", "a", "s", "ns", "p", "np", "l", "ge", "le", "g"}

// Invert returns the condition that holds exactly when c does not.
func (c Cond) Invert() Cond { return c ^ 1 }

// String returns the suffix the GNU assembler writes after j, set and cmov: "e", "ae", "g".
func (c Cond) String() string {
	if c < 16 {
		return condNames[c]
	}
	return fmt.Sprintf("cond%d", uint8(c))
}
