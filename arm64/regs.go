package arm64

import "fmt"

// Reg is a machine register: one of the 31 general-purpose registers X0–X30, the stack
// pointer [SP], the zero register [XZR], or one of the 32 SIMD&FP registers V0–V31. The zero
// value is [NoReg], so a [Mem] with no index leaves Index unset.
//
// A Reg names the whole register; the view an instruction uses (w or x for general registers,
// b, h, s, d or q for SIMD&FP ones) comes from the instruction and its [Width] (Arm ARM chapter
// C1, "Register names").
type Reg uint8

// The registers. X29 is the frame pointer and X30 the link register by the procedure call
// standard (AAPCS64 6.1.1); [FP] and [LR] name them. SP and XZR share register number 31.
const (
	NoReg Reg = iota
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
	X16
	X17
	X18
	X19
	X20
	X21
	X22
	X23
	X24
	X25
	X26
	X27
	X28
	X29
	X30
	SP  // the stack pointer: number 31 in the fields that mean it
	XZR // the zero register: number 31 in the fields that mean it; reads 0, ignores writes
	V0
	V1
	V2
	V3
	V4
	V5
	V6
	V7
	V8
	V9
	V10
	V11
	V12
	V13
	V14
	V15
	V16
	V17
	V18
	V19
	V20
	V21
	V22
	V23
	V24
	V25
	V26
	V27
	V28
	V29
	V30
	V31
)

// Aliases of the procedure call standard.
const (
	FP = X29 // frame pointer
	LR = X30 // link register: BL and BLR write the return address here, RET reads it
)

// IsGPR reports whether r is one of X0–X30, SP or XZR.
func (r Reg) IsGPR() bool { return X0 <= r && r <= XZR }

// IsV reports whether r is one of the SIMD&FP registers V0–V31.
func (r Reg) IsV() bool { return V0 <= r && r <= V31 }

// Num is the register's 5-bit number in the encoding: 0–30 for X0–X30, 31 for both SP and
// XZR, 0–31 for V0–V31.
func (r Reg) Num() uint32 {
	switch {
	case X0 <= r && r <= X30:
		return uint32(r - X0)
	case r == SP || r == XZR:
		return 31
	case r.IsV():
		return uint32(r - V0)
	}
	panic(fmt.Sprintf("arm64: %v has no register number", r))
}

// String returns the register's name as the GNU assembler writes its widest view: "x3", "sp",
// "xzr", "v7".
func (r Reg) String() string {
	if r.IsV() {
		return fmt.Sprintf("v%d", r.Num())
	}
	return r.Name(W64)
}

// Name returns the name of r's w-byte view as the GNU assembler writes it: "w3" or "x3",
// "wsp" or "sp", "wzr" or "xzr" for general registers at W32 or W64; "b7", "h7", "s7", "d7" or
// "q7" for a SIMD&FP register at W8 to W128.
func (r Reg) Name(w Width) string {
	switch {
	case r.IsGPR():
		prefix := "x"
		if w != W64 {
			prefix = "w"
		}
		switch r {
		case SP:
			if w == W64 {
				return "sp"
			}
			return "wsp"
		case XZR:
			return prefix + "zr"
		}
		return fmt.Sprintf("%s%d", prefix, r.Num())
	case r.IsV():
		return fmt.Sprintf("%c%d", "bhsdq"[w.log2()], r.Num())
	case r == NoReg:
		return "noreg"
	}
	return fmt.Sprintf("reg%d", uint8(r))
}

// Width is an operand size in bytes.
type Width uint8

// The operand sizes. General-purpose instructions use W32 and W64; floating point uses W32
// (single precision) and W64 (double); loads and stores add W8, W16 and, for SIMD&FP
// registers, W128.
const (
	W8   Width = 1
	W16  Width = 2
	W32  Width = 4
	W64  Width = 8
	W128 Width = 16
)

// Bits returns the width in bits.
func (w Width) Bits() int { return int(w) * 8 }

func (w Width) String() string { return fmt.Sprintf("W%d", w.Bits()) }

// log2 returns log2 of the width in bytes: the size field of loads and stores.
func (w Width) log2() uint32 {
	switch w {
	case W8:
		return 0
	case W16:
		return 1
	case W32:
		return 2
	case W64:
		return 3
	case W128:
		return 4
	}
	panic(fmt.Sprintf("arm64: bad width %d", uint8(w)))
}

// Cond is a condition code, the 4-bit cond field of B.cond, CSEL, FCSEL and friends (Arm ARM
// chapter C1, "Condition code"). After CMP, unsigned comparisons use CS/CC/HI/LS and signed ones
// GE/LT/GT/LE. After FCMP, an unordered result sets C and V: MI and LS hold for "less than" and
// "less or equal" only when ordered, VS means unordered.
type Cond uint8

// The condition codes in encoding order; for all but AL and NV, each even code's negation is
// the next odd one.
const (
	CondEQ Cond = iota // equal, Z
	CondNE             // not equal, !Z
	CondCS             // carry set: unsigned >=
	CondCC             // carry clear: unsigned <
	CondMI             // minus, N; float <
	CondPL             // plus or zero, !N
	CondVS             // overflow, V; float unordered
	CondVC             // no overflow, !V
	CondHI             // unsigned >
	CondLS             // unsigned <=; float <=
	CondGE             // signed >=
	CondLT             // signed <
	CondGT             // signed >
	CondLE             // signed <=
	CondAL             // always
	CondNV             // always, too (the encoding 1111 behaves as AL)
)

// The other names of CS and CC (Arm ARM chapter C1, "Condition code").
const (
	CondHS = CondCS // unsigned higher or same
	CondLO = CondCC // unsigned lower
)

var condNames = [16]string{"eq", "ne", "cs", "cc", "mi", "pl", "vs", "vc", "hi", "ls", "ge", "lt", "gt", "le", "al", "nv"}

// Invert returns the condition that holds exactly when c does not. AL and NV have none and
// panic.
func (c Cond) Invert() Cond {
	if c >= CondAL {
		panic(fmt.Sprintf("arm64: condition %v has no inverse", c))
	}
	return c ^ 1
}

// String returns the condition as the GNU assembler writes it after "b." and in CSEL: "eq",
// "cs", "le".
func (c Cond) String() string {
	if c < 16 {
		return condNames[c]
	}
	return fmt.Sprintf("cond%d", uint8(c))
}

// Shift is the shift applied to the last register operand of the shifted-register forms of
// the arithmetic and logical instructions (Arm ARM C6.2, "shift" field). ROR is valid only in
// the logical ones.
type Shift uint8

// The shift types in encoding order.
const (
	ShiftLSL Shift = iota
	ShiftLSR
	ShiftASR
	ShiftROR
)

func (s Shift) String() string {
	if s < 4 {
		return [4]string{"lsl", "lsr", "asr", "ror"}[s]
	}
	return fmt.Sprintf("shift%d", uint8(s))
}

// Extend is the extension applied to the index register of the extended-register forms of
// ADD and SUB and of the register-offset loads and stores (Arm ARM C6.2, "option" field): the
// low byte, halfword, word or doubleword, zero- or sign-extended. Loads and stores accept only
// UXTW, UXTX (written LSL), SXTW and SXTX.
type Extend uint8

// The extensions in encoding order.
const (
	ExtUXTB Extend = iota
	ExtUXTH
	ExtUXTW
	ExtUXTX
	ExtSXTB
	ExtSXTH
	ExtSXTW
	ExtSXTX
)

func (e Extend) String() string {
	if e < 8 {
		return [8]string{"uxtb", "uxth", "uxtw", "uxtx", "sxtb", "sxth", "sxtw", "sxtx"}[e]
	}
	return fmt.Sprintf("extend%d", uint8(e))
}

// regWidth returns the view of the extended register: W64 for UXTX and SXTX, else W32.
func (e Extend) regWidth() Width {
	if e&3 == 3 {
		return W64
	}
	return W32
}
