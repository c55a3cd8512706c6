package arm64

import (
	"fmt"

	"github.com/wasmc/wasmc/backend"
)

// Expansions of the memory pseudo-instructions. A64 addresses memory as a base register plus
// one of an immediate (12 bits scaled by the access size, or 9 bits signed) or an index
// register, extended and scaled (Arm ARM C1, "Addressing modes"); wasm's base + address +
// offset and the frame's large displacements need more, which x17 (and x16, when x17 is the
// base) provide. Program state is reached with ADRP and the low 12 bits of its address.

// access emits the load or store that mk makes for an A64 operand, with in's operand (of an
// access of w2 bytes) resolved into one.
func (e *emitter) access(in *inst, mk func(m Mem) Inst) {
	m := in.m
	switch m.kind {
	case memSP:
		e.offsetAccess(SP, m.disp, in.w2, mk)
	case memFP:
		e.offsetAccess(FP, m.disp, in.w2, mk)
	case memSlot:
		e.offsetAccess(SP, e.f.slotDisp(m.disp), in.w2, mk)
	case memReg:
		base := memBaseReg
		if m.base != baseMem0 {
			base = in.regs[m.base]
		}
		if m.index < 0 {
			e.offsetAccess(base, m.disp, in.w2, mk)
			return
		}
		idx := in.regs[m.index]
		if m.disp == 0 && (m.scale == 0 || Width(1)<<m.scale == in.w2) {
			e.a.Emit(mk(MemIndex(base, idx, m.ext, m.scale != 0)))
			return
		}
		e.a.Emit(AddExt(W64, scratch2, base, idx, m.ext, m.scale))
		e.offsetAccess(scratch2, m.disp, in.w2, mk)
	default:
		panic(fmt.Sprintf("arm64: memory operand of kind %d", m.kind))
	}
}

// offsetAccess emits mk for [base, #disp] of a w-byte access, or through a register holding
// disp when no immediate form takes it.
func (e *emitter) offsetAccess(base Reg, disp int64, w Width, mk func(m Mem) Inst) {
	if IsLoadStoreOff(w, disp) {
		e.a.Emit(mk(MemOff(base, int32(disp))))
		return
	}
	tmp := scratch2
	if base == scratch2 {
		tmp = scratch
	}
	e.a.Emit(MovImm(W64, tmp, uint64(disp))...)
	e.a.Emit(mk(MemIndex(base, tmp, ExtUXTX, false)))
}

// loadInst returns the constructor of the load of w2 bytes into rt, extended to w bits.
func loadInst(rt Reg, w, w2 Width, signed bool) func(Mem) Inst {
	return func(m Mem) Inst {
		switch {
		case rt.IsV():
			return LdrV(w2, rt, m)
		case w2 == W8 && signed:
			return Ldrsb(w, rt, m)
		case w2 == W8:
			return Ldrb(rt, m)
		case w2 == W16 && signed:
			return Ldrsh(w, rt, m)
		case w2 == W16:
			return Ldrh(rt, m)
		case w2 == W32 && signed:
			return Ldrsw(rt, m)
		}
		return Ldr(w2, rt, m)
	}
}

// storeInst returns the constructor of the store of the low w2 bytes of rt.
func storeInst(rt Reg, w2 Width) func(Mem) Inst {
	return func(m Mem) Inst {
		switch {
		case rt.IsV():
			return StrV(w2, rt, m)
		case w2 == W8:
			return Strb(rt, m)
		case w2 == W16:
			return Strh(rt, m)
		}
		return Str(w2, rt, m)
	}
}

// stored is the register a store writes: its visible operand, or the zero register.
func stored(in *inst) Reg {
	if in.nvis == 0 {
		return XZR
	}
	return in.regs[0]
}

func (e *emitter) load(in *inst) { e.access(in, loadInst(in.regs[0], in.w, in.w2, in.signed)) }

func (e *emitter) store(in *inst) { e.access(in, storeInst(stored(in), in.w2)) }

// adrp emits adrp rd, sym+disp.
func (e *emitter) adrp(rd Reg, sym backend.SymRef, disp int64) {
	e.ref(Adrp(rd, 0), backend.RelocARM64AdrpPage21, sym, disp)
}

// ldrSymTo loads the 8-byte word at sym+disp into rt, through x16.
func (e *emitter) ldrSymTo(rt Reg, sym backend.SymRef, disp int64) {
	e.adrp(scratch, sym, disp)
	e.ref(loadInst(rt, W64, W64, false)(MemOff(scratch, 0)), backend.RelocARM64Ldst64Lo12, sym, disp)
}

func (e *emitter) ldrSym(in *inst) { e.ldrSymTo(in.regs[0], in.sym, in.imm) }

func (e *emitter) strSym(in *inst) {
	e.adrp(scratch, in.sym, in.imm)
	e.ref(storeInst(stored(in), W64)(MemOff(scratch, 0)), backend.RelocARM64Ldst64Lo12, in.sym, in.imm)
}

func (e *emitter) adrSym(in *inst) {
	d := in.regs[0]
	e.adrp(d, in.sym, in.imm)
	e.ref(AddImm(W64, d, d, 0), backend.RelocARM64AddLo12, in.sym, in.imm)
}

// boundsCheck traps with oob_memory unless address + imm, the end of the access, is at most
// the memory's size. The size goes to x16 and the end to x17, computed in 64 bits: a 32-bit
// address is zero-extended (abi.go), so the sum cannot wrap; a memory64 address can, and the
// carry traps too.
func (e *emitter) boundsCheck(in *inst) {
	stub := e.Stub(in.trap)
	e.ldrSymTo(scratch, in.sym, descSize)
	n := uint64(in.imm)
	if in.form != fR {
		// A constant end: trap if size < end.
		if IsAddImm(n) {
			e.a.Emit(CmpImm(W64, scratch, uint32(n)))
		} else {
			e.a.Emit(MovImm(W64, scratch2, n)...)
			e.a.Emit(Cmp(W64, scratch, scratch2))
		}
		e.bcond(CondLO, stub)
		return
	}
	addr := in.regs[0]
	switch {
	case in.w == W32 && IsAddImm(n):
		e.a.Emit(AddImm(W64, scratch2, addr, uint32(n)))
	case in.w == W32:
		e.a.Emit(MovImm(W64, scratch2, n)...)
		e.a.Emit(AddExt(W64, scratch2, scratch2, addr, ExtUXTW, 0))
	case IsAddImm(n):
		e.a.Emit(AddsImm(W64, scratch2, addr, uint32(n)))
		e.bcond(CondHS, stub)
	default:
		e.a.Emit(MovImm(W64, scratch2, n)...)
		e.a.Emit(Adds(W64, scratch2, scratch2, addr))
		e.bcond(CondHS, stub)
	}
	e.a.Emit(Cmp(W64, scratch2, scratch))
	e.bcond(CondHI, stub)
}
