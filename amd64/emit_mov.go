package amd64

import (
	"encoding/binary"

	"github.com/wasmc/wasmc/backend"
	"github.com/wasmc/wasmc/regalloc"
)

// The emit functions of opMov, opMovImm and opLea, which at -O0 are most of the code:
// spills, reloads, register moves, constants and addresses were 65% of the instructions
// of encoding/json's test binary (issue 21). Their usual forms, 32- and 64-bit, between
// general registers, between a register and memory addressed through registers (frame
// slots, linear memory) or a global, a register or that memory and a constant, are appended straight to the buffer;
// every other form goes through the constructors as before, which also check what the
// fast paths assume. TestMovFastPaths compares the two encodings.

// movForms and leaForms encode opMov's and opLea's forms through the constructors.
var (
	movForms = forms{rr: MovRR, rm: MovRM, mr: MovMR, mi: MovMI}
	leaForms = forms{rm: Lea}
)

// mov is opMov's emit function.
func (e *emitter) mov(in *inst) {
	if in.w != W32 && in.w != W64 {
		movForms.emit(e, in)
		return
	}
	r := in.regs[0]
	switch in.form {
	case fRR:
		s := in.regs[1]
		if !r.IsGPR() || !s.IsGPR() {
			break
		}
		// MOV r/m, r (89 /r): the source in ModRM.reg.
		sn, dn := uint8(s-RAX), uint8(r-RAX)
		e.a.buf = appendRR(e.a.buf, in.w, sn>>3<<2|dn>>3, 0x89, 0xC0|(sn&7)<<3|dn&7)
		return
	case fRM:
		// MOV r, r/m (8B /r): a load.
		if e.emitRegMem(in, 0x8B) || e.emitRIP(in, 0x8B, false) {
			return
		}
	case fMR:
		// MOV r/m, r (89 /r): a store.
		if e.emitRegMem(in, 0x89) || e.emitRIP(in, 0x89, false) {
			return
		}
	case fMI:
		// MOV r/m, imm32 (C7 /0 id): a constant's store.
		if k := in.m.kind; k == memReg || k == memFP || k == memSP {
			m := e.mem(in)
			buf := appendMem(append(appendREX(e.a.buf, in.w, m.rex()), 0xC7), 0, m)
			e.a.buf = binary.LittleEndian.AppendUint32(buf, uint32(int32(in.imm)))
			return
		}
		if e.emitRIP(in, 0xC7, true) {
			return
		}
	}
	movForms.emit(e, in)
}

// lea is opLea's emit function: LEA r, m (8D /r).
func (e *emitter) lea(in *inst) {
	if (in.w != W32 && in.w != W64) || !e.emitRegMem(in, 0x8D) {
		leaForms.emit(e, in)
	}
}

// emitRegMem appends in, of width W32 or W64, as the one-byte opcode op with in.regs[0], a
// general register, in ModRM.reg and in's memory operand in ModRM.rm, if that operand is
// addressed through registers (memReg, memFP, memSP): the forms that need no relocation
// and no fix-up. It reports whether it did.
func (e *emitter) emitRegMem(in *inst, op byte) bool {
	r := in.regs[0]
	if k := in.m.kind; !r.IsGPR() || k != memReg && k != memFP && k != memSP {
		return false
	}
	m := e.mem(in)
	n := uint8(r - RAX)
	buf := appendREX(e.a.buf, in.w, n>>3<<2|m.rex())
	e.a.buf = appendMem(append(buf, op), n, m)
	return true
}

// emitRIP appends in, of width W32 or W64, as the one-byte opcode op with in's memory
// operand RIP-relative (memRIP) in ModRM.rm and, in ModRM.reg, in.regs[0], a general
// register, or with imm, zero and in.imm's 32 bits after the field; the field is relocated
// to the operand's symbol, as emitM and ref do it. It reports whether it did: a global's
// read or write, which at -O0 is most of what the other forms of mov encode.
func (e *emitter) emitRIP(in *inst, op byte, imm bool) bool {
	if in.m.kind != memRIP {
		return false
	}
	var n uint8
	if !imm {
		r := in.regs[0]
		if !r.IsGPR() {
			return false
		}
		n = uint8(r - RAX)
	}
	// ModRM mod 00, rm 101: disp32 from the end of the instruction.
	buf := append(appendREX(e.a.buf, in.w, n>>3<<2), op, n&7<<3|5, 0, 0, 0, 0)
	field, end := len(buf)-4, len(buf)
	if imm {
		buf = binary.LittleEndian.AppendUint32(buf, uint32(int32(in.imm)))
		end = len(buf)
	}
	e.a.buf = buf
	e.Relocs = append(e.Relocs, backend.Reloc{Offset: uint32(field), Kind: backend.RelocPC32, Sym: in.m.sym,
		Addend: int64(in.m.disp) + int64(field-end)})
	return true
}

// appendREX appends the REX prefix of a 32- or 64-bit instruction with REX bits x (R, X,
// B), if it needs one (prefixes).
func appendREX(buf []byte, w Width, x byte) []byte {
	if w == W64 {
		x |= rexW
	}
	if x != 0 {
		buf = append(buf, rex|x)
	}
	return buf
}

// appendRR appends a 32- or 64-bit instruction of opcode op and ModRM byte modrm, after
// its REX prefix with bits x if it needs one (appendREX), in one append: a register
// move's or a zeroing xor's, which at -O0 are a fifth of the code (issue 21).
func appendRR(buf []byte, w Width, x, op, modrm byte) []byte {
	if w == W64 {
		x |= rexW
	}
	if x != 0 {
		return append(buf, rex|x, op, modrm)
	}
	return append(buf, op, modrm)
}

// movImm is opMovImm's emit function: zero by xor, else the shortest mov (MovConst).
func (e *emitter) movImm(in *inst) {
	d := in.regs[0]
	if !d.IsGPR() {
		e.movImmSlow(in)
		return
	}
	n := uint8(d - RAX)
	v := uint64(in.imm)
	if in.w == W32 {
		v = uint64(uint32(in.imm))
	}
	switch {
	case in.imm == 0:
		// XOR r/m32, r32 (31 /r).
		e.a.buf = appendRR(e.a.buf, W32, n>>3<<2|n>>3, 0x31, 0xC0|(n&7)<<3|n&7)
	case v <= 0xFFFF_FFFF:
		// MOV r32, imm32 (B8+rd id), with REX.B for r8 to r15, in one append.
		if n >= 8 {
			e.a.buf = append(e.a.buf, rex|rexB, 0xB8+n&7, byte(v), byte(v>>8), byte(v>>16), byte(v>>24))
		} else {
			e.a.buf = append(e.a.buf, 0xB8+n, byte(v), byte(v>>8), byte(v>>16), byte(v>>24))
		}
	default:
		e.movImmSlow(in)
	}
}

// movImmSlow is movImm through the constructors.
func (e *emitter) movImmSlow(in *inst) {
	switch d := in.regs[0]; {
	case in.imm == 0:
		e.a.Emit(XorRR(W32, d, d))
	case in.w == W32:
		e.a.Emit(MovConst(d, uint64(uint32(in.imm))))
	default:
		e.a.Emit(MovConst(d, uint64(in.imm)))
	}
}

// edit encodes allocation edit ed of a function finished by FinishDeferred, the
// instruction Finish's Edit makes of it: a general register's spill, reload or move, about
// a third of the instructions at -O0 (issue 21), straight to the buffer as mov does it,
// without making the instruction; anything else through the instruction. Such an edit is
// the same wherever it is, and only the measuring pass encodes it.
func (e *emitter) edit(ed regalloc.Edit) {
	f := e.f
	switch ed.Kind() {
	case regalloc.Spill:
		// MOV r/m64, r64 (89 /r), as spill makes it.
		if r := Reg(ed.From.Reg()); r.IsGPR() {
			e.frameMov(0x89, r, ed.To.Slot())
			return
		}
	case regalloc.Reload:
		// MOV r64, r/m64 (8B /r), as reload makes it.
		if r := Reg(ed.To.Reg()); r.IsGPR() {
			e.frameMov(0x8B, r, ed.From.Slot())
			return
		}
	default:
		if d, s := Reg(ed.To.Reg()), Reg(ed.From.Reg()); d.IsGPR() && s.IsGPR() {
			e.moveGPR(d, s, f.editWidth(ed))
			return
		}
	}
	e.tmp = f.Edit(ed)
	e.put(&e.tmp)
}

// copy encodes a copy of a function finished by FinishDeferred into register dst, from a
// register or a slot, whose instruction copyInst would make, as edit does: at -O0 most
// copies are of a general register, and copyInst's instruction was made, returned and
// encoded through mov for each. A copy of a register to itself must be left out before.
func (e *emitter) copy(dst, src regalloc.Loc, w Width) {
	f := e.f
	if d := Reg(dst.Reg()); d.IsGPR() {
		if src.IsSlot() {
			e.frameMov(0x8B, d, src.Slot()) // as reload makes it
			return
		}
		if s := Reg(src.Reg()); s.IsGPR() && (w == W32 || w == W64) {
			e.moveGPR(d, s, w) // as move makes it
			return
		}
	}
	e.tmp, _ = f.copyInst(dst, src, w)
	e.put(&e.tmp)
}

// frameMov appends MOV between general register r and slot's 64 bits, op 89 (a store) or
// 8B (a load), as mov encodes a spill's or a reload's instruction: the same wherever it
// is, it records no redo.
func (e *emitter) frameMov(op byte, r Reg, slot int) {
	n := uint8(r - RAX)
	// REX.W, with REX.R for r8 to r15, as appendREX makes it at W64, in the same append
	// as the rest: a third of the cost was the second append's (issue 21).
	x := byte(rex|rexW) | n>>3<<2
	// [rbp+d], as appendMem encodes it: ModRM rm 101 and no SIB, with mod 01 and a disp8
	// (even for zero: mod 00 would be RIP-relative) or mod 10 and a disp32.
	d := e.f.frame.slotDisp(slot)
	if int32(int8(d)) == d {
		e.a.buf = append(e.a.buf, x, op, 0x45|(n&7)<<3, byte(d))
		return
	}
	e.a.buf = append(e.a.buf, x, op, 0x85|(n&7)<<3, byte(d), byte(d>>8), byte(d>>16), byte(d>>24))
}

// moveGPR appends MOV r/m, r (89 /r) from general register s to d, of width w (W32 or
// W64), as mov encodes move's instruction: the same wherever it is, it records no redo.
func (e *emitter) moveGPR(d, s Reg, w Width) {
	sn, dn := uint8(s-RAX), uint8(d-RAX)
	e.a.buf = appendRR(e.a.buf, w, sn>>3<<2|dn>>3, 0x89, 0xC0|(sn&7)<<3|dn&7)
}
