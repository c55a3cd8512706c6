package amd64

import (
	"encoding/binary"
	"fmt"
)

// Inst is one encoded instruction: its bytes, at most 15 (Intel SDM vol. 2A, 2.3.11), and where
// its PC-relative field is, if it has one, so that an [Asm] can point it at a [Label] or report
// it as a [Ref].
type Inst struct {
	b       [15]byte
	n       uint8
	rel     uint8 // offset of the rel8, rel32 or RIP-relative disp32 field; 0 if none
	relSize uint8 // 1 or 4 when rel != 0
}

// Bytes returns the encoded instruction.
func (i Inst) Bytes() []byte { return i.b[:i.n:i.n] }

// Len returns the length of the encoding in bytes.
func (i Inst) Len() int { return int(i.n) }

func (i Inst) String() string { return fmt.Sprintf("% x", i.Bytes()) }

func (i *Inst) byte1(b byte) {
	i.b[i.n] = b
	i.n++
}

func (i *Inst) imm8(v int64) { i.byte1(byte(v)) }

func (i *Inst) imm16(v int64) {
	binary.LittleEndian.PutUint16(i.b[i.n:], uint16(v))
	i.n += 2
}

func (i *Inst) imm32(v int64) {
	binary.LittleEndian.PutUint32(i.b[i.n:], uint32(v))
	i.n += 4
}

func (i *Inst) imm64(v int64) {
	binary.LittleEndian.PutUint64(i.b[i.n:], uint64(v))
	i.n += 8
}

// immW appends an immediate of w bytes, except that W64 takes a sign-extended imm32, as every
// x86-64 instruction but MOV r64, imm64 does.
func (i *Inst) immW(w Width, v int64) {
	switch w {
	case W8:
		i.imm8(v)
	case W16:
		i.imm16(v)
	default:
		i.imm32(v)
	}
}

// rel32 appends a zero rel32 field and marks it as the instruction's PC-relative field.
func (i *Inst) rel32(v int32) {
	i.rel, i.relSize = i.n, 4
	i.imm32(int64(v))
}

func (i *Inst) rel8(v int8) {
	i.rel, i.relSize = i.n, 1
	i.imm8(int64(v))
}

// opcode appends one to three opcode bytes packed big-endian into op: 0x01, 0x0FAF, 0x0F3A0A.
// Two- and three-byte opcodes start with 0x0F, so the value's size says how many bytes it has.
func (i *Inst) opcode(op uint32) {
	switch {
	case op > 0xFFFF:
		i.byte1(byte(op >> 16))
		fallthrough
	case op > 0xFF:
		i.byte1(byte(op >> 8))
	}
	i.byte1(byte(op))
}

// REX prefix bits (Intel SDM vol. 2A, 2.2.1.2). rex alone forces an empty REX prefix, which
// makes register numbers 4–7 in byte operations mean spl, bpl, sil and dil instead of ah, ch,
// dh and bh.
const (
	rex  = 0x40
	rexW = 0x08
	rexR = 0x04
	rexX = 0x02
	rexB = 0x01
)

// prefixes appends, in the order the manual requires, a mandatory or legacy prefix p (0 for
// none), the operand-size prefix for W16, and a REX prefix if x has any bits or W64 asks for
// REX.W. W8 and W32 add nothing, so forms whose operand size is fixed (near branches, PUSH and
// POP default to 64 bits; SSE forms take their size from the opcode) pass W32.
func (i *Inst) prefixes(p byte, w Width, x byte) {
	if p != 0 {
		i.byte1(p)
	}
	if w == W16 {
		i.byte1(0x66)
	}
	if w == W64 {
		x |= rexW
	}
	if x != 0 {
		i.byte1(rex | x)
	}
}

// gpr returns r's number, panicking unless r is a general-purpose register.
func gpr(r Reg) uint8 {
	if !r.IsGPR() {
		panic(fmt.Sprintf("amd64: %v is not a general-purpose register", r))
	}
	return r.Num()
}

// xmm returns r's number, panicking unless r is an XMM register.
func xmm(r Reg) uint8 {
	if !r.IsXMM() {
		panic(fmt.Sprintf("amd64: %v is not an XMM register", r))
	}
	return r.Num()
}

// byteReg returns the REX bits a byte operation on register number n needs: spl, bpl, sil and
// dil exist only with a REX prefix (Intel SDM vol. 2A, 2.2.1.2, table 2-4 note).
func byteReg(n uint8) byte {
	if 4 <= n && n <= 7 {
		return rex
	}
	return 0
}

func checkWidth(w Width, ok ...Width) {
	for _, o := range ok {
		if w == o {
			return
		}
	}
	panic(fmt.Sprintf("amd64: width %v not valid here", w))
}

// encRR encodes [p] [66] [REX] opcode ModRM with mod = 11: reg is a register number or an opcode
// extension (/digit), rm a register number. x carries extra REX bits (rex for byte registers).
// Intel SDM vol. 2A, 2.1 and 2.2.1.
func encRR(p byte, w Width, x byte, op uint32, reg, rm uint8) Inst {
	var i Inst
	if reg >= 8 {
		x |= rexR
	}
	if rm >= 8 {
		x |= rexB
	}
	i.prefixes(p, w, x)
	i.opcode(op)
	i.byte1(0xC0 | (reg&7)<<3 | rm&7)
	return i
}

// encRM is encRR with a memory operand in ModRM.rm.
func encRM(p byte, w Width, x byte, op uint32, reg uint8, m Mem) Inst {
	var i Inst
	if reg >= 8 {
		x |= rexR
	}
	x |= m.rex()
	i.prefixes(p, w, x)
	i.opcode(op)
	i.modrmMem(reg, m)
	return i
}

// encO encodes [p] [66] [REX] opcode+r, the forms with the register in the opcode's low three
// bits (PUSH, POP, BSWAP, MOV r, imm).
func encO(w Width, x byte, op byte, r uint8) Inst {
	var i Inst
	if r >= 8 {
		x |= rexB
	}
	i.prefixes(0, w, x)
	i.byte1(op + r&7)
	return i
}

// Mem is a memory operand, Base + Index*Scale + Disp (Intel SDM vol. 2A, 2.1.5 and 2.2.1).
// Base and Index are general-purpose registers or [NoReg]; RSP cannot be an index. A zero Scale
// with an Index means 1. With Base [RIP] the address is Disp from the end of the instruction
// and there may be no index; an [Asm] can point such an operand at a [Label] or report it as a
// [Ref] to be relocated.
type Mem struct {
	Base, Index Reg
	Scale       uint8
	Disp        int32
}

// RIPRel returns the RIP-relative operand disp(%rip).
func RIPRel(disp int32) Mem { return Mem{Base: RIP, Disp: disp} }

func (m Mem) String() string {
	s := ""
	if m.Disp != 0 || m.Base == NoReg {
		s = fmt.Sprintf("%#x", m.Disp)
	}
	s += "("
	if m.Base != NoReg {
		s += "%" + m.Base.String()
	}
	if m.Index != NoReg {
		s += fmt.Sprintf(",%%%v,%d", m.Index, max(m.Scale, 1))
	}
	return s + ")"
}

// rex returns the REX.X and REX.B bits for m's index and base.
func (m Mem) rex() byte {
	var x byte
	if m.Base.IsGPR() && m.Base.Num() >= 8 {
		x |= rexB
	}
	if m.Index.IsGPR() && m.Index.Num() >= 8 {
		x |= rexX
	}
	return x
}

// modrmMem appends ModRM, SIB and displacement for m with reg in ModRM.reg (appendMem),
// and marks a RIP-relative displacement as the instruction's PC-relative field.
func (i *Inst) modrmMem(reg uint8, m Mem) {
	b := appendMem(i.b[:i.n], reg, m)
	if m.Base == RIP {
		i.rel, i.relSize = uint8(len(b)-4), 4
	}
	i.n = uint8(len(b))
}

// appendMem appends ModRM, SIB and displacement for m with reg in ModRM.reg (Intel SDM
// vol. 2A, 2.2.1.3–2.2.1.6, tables 2-2 and 2-3). The special cases: rm = 100 means a SIB
// byte follows, so an RSP or R12 base needs one; mod = 00 with rm (or SIB base) = 101
// means no base (or RIP), so an RBP or R13 base with no displacement takes a zero disp8;
// SIB index 100 means no index.
func appendMem(b []byte, reg uint8, m Mem) []byte {
	reg = (reg & 7) << 3
	scale := byte(0)
	switch m.Scale {
	case 0, 1:
	case 2:
		scale = 1
	case 4:
		scale = 2
	case 8:
		scale = 3
	default:
		panic(fmt.Sprintf("amd64: bad scale %d in %v", m.Scale, m))
	}
	index := byte(4) // none
	if m.Index != NoReg {
		if !m.Index.IsGPR() || m.Index == RSP {
			panic(fmt.Sprintf("amd64: bad index in %v", m))
		}
		index = m.Index.Num() & 7
	}
	sib := scale<<6 | index<<3
	d := m.Disp
	switch {
	case m.Base == RIP:
		if m.Index != NoReg {
			panic(fmt.Sprintf("amd64: RIP-relative operand with an index: %v", m))
		}
		return append(b, reg|5, byte(d), byte(d>>8), byte(d>>16), byte(d>>24))
	case m.Base == NoReg:
		// No base: SIB with base 101 and mod 00, then disp32. (ModRM rm = 101 alone would be
		// RIP-relative in 64-bit mode.)
		return append(b, reg|4, sib|5, byte(d), byte(d>>8), byte(d>>16), byte(d>>24))
	}
	base := gpr(m.Base) & 7
	var mod byte
	switch {
	case d == 0 && base != 5:
		mod = 0x00
	case int32(int8(d)) == d:
		mod = 0x40
	default:
		mod = 0x80
	}
	if m.Index == NoReg && base != 4 {
		b = append(b, mod|reg|base)
	} else {
		b = append(b, mod|reg|4, sib|base)
	}
	switch mod {
	case 0x40:
		b = append(b, byte(d))
	case 0x80:
		b = append(b, byte(d), byte(d>>8), byte(d>>16), byte(d>>24))
	}
	return b
}
