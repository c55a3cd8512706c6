package amd64

import (
	"fmt"

	"github.com/wasmc/wasmc/backend"
	"github.com/wasmc/wasmc/ir"
)

// memFill emits memory.fill: trap unless rdi + rcx, computed without wrapping, is within
// the memory's size (before any byte is written), then rep stosb from base + rdi.
func (e *emitter) memFill(in *inst) {
	mem := uint32(in.imm)
	e.rangeCheck(mem, RDI)
	e.addBase(mem, RDI)
	e.a.Emit(RepStosb())
}

// memCopy emits memory.copy: both ranges checked first, then rep movsb forwards, or
// backwards (direction flag set, from the last byte) when the destination starts inside
// the source, which a forward copy would overwrite before reading.
func (e *emitter) memCopy(in *inst) {
	dst, src := uint32(in.imm), uint32(in.imm>>32)
	e.rangeCheck(src, RSI)
	e.rangeCheck(dst, RDI)
	e.addBase(src, RSI)
	e.addBase(dst, RDI)
	backward, done := e.a.NewLabel(), e.a.NewLabel()
	e.a.Emit(MovRR(W64, scratchGPR, RDI))
	e.a.Emit(SubRR(W64, scratchGPR, RSI))
	e.a.Emit(CmpRR(W64, scratchGPR, RCX))
	e.a.JccShort(CondB, backward) // 0 < dst - src < n: overlapping, destination above
	e.a.Emit(RepMovsb())
	e.a.JmpShort(done)
	e.a.Bind(backward)
	e.a.Emit(Lea(W64, RSI, Mem{Base: RSI, Index: RCX, Scale: 1, Disp: -1}))
	e.a.Emit(Lea(W64, RDI, Mem{Base: RDI, Index: RCX, Scale: 1, Disp: -1}))
	e.a.Emit(Std())
	e.a.Emit(RepMovsb())
	e.a.Emit(Cld())
	e.a.Bind(done)
}

// rangeCheck branches to the out-of-bounds stub unless addr + rcx (both zero-extended for
// a 32-bit memory) neither wraps nor passes memory mem's size.
func (e *emitter) rangeCheck(mem uint32, addr Reg) {
	stub := e.Stub(ir.TrapOutOfBoundsMemory)
	e.a.Emit(MovRR(W64, scratchGPR, addr))
	e.a.Emit(AddRR(W64, scratchGPR, RCX))
	e.jcc1(CondB, stub) // carry: a memory64 range that wraps
	e.ref(CmpRM(W64, scratchGPR, RIPRel(0)), memSym(mem), descSize)
	e.jcc1(CondA, stub)
}

// addBase turns the wasm address in r into the host address.
func (e *emitter) addBase(mem uint32, r Reg) {
	if mem == 0 {
		e.a.Emit(AddRR(W64, r, memBaseReg))
		return
	}
	e.ref(MovRM(W64, scratchGPR, RIPRel(0)), memSym(mem), descBase)
	e.a.Emit(AddRR(W64, r, scratchGPR))
}

// printBulk prints memfill and memcopy with their memories.
func (f *mfunc) printBulk(in *inst, _ int) []string {
	dst := backend.SymName(f.Env.Module, memSym(uint32(in.imm)))
	if in.op == opMemFill {
		return []string{fmt.Sprintf("memfill %s, %s, %s, %s", dst, f.opnd(in, 0, W64), f.opnd(in, 1, W8), f.opnd(in, 2, W64))}
	}
	src := backend.SymName(f.Env.Module, memSym(uint32(in.imm>>32)))
	return []string{fmt.Sprintf("memcopy %s, %s, %s, %s, %s", dst, f.opnd(in, 0, W64), src, f.opnd(in, 1, W64), f.opnd(in, 2, W64))}
}
