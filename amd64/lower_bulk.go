package amd64

import (
	"github.com/wasmc/wasmc/ir"
	"github.com/wasmc/wasmc/regalloc"
)

// memory.fill and memory.copy are inline string instructions (emit_bulk.go) rather than
// calls of the runtime's C: Go's runtime clears and moves memory with them, and a call per
// operation, with the C looping over 8-byte words, was a third of compress/gzip's tests.
// The operands go in the registers rep stosb and rep movsb take; the instruction leaves
// rdi and rcx (and rsi) changed, which its fixed defs tell the allocator.

// bulkMems packs a memory.copy's destination and source memories into an inst's imm.
func bulkMems(dst, src uint32) int64 { return int64(dst) | int64(src)<<32 }

func (l *lowerer) memFill(in *ir.Instr) {
	rdi, rax, rcx := preg(RDI), preg(RAX), preg(RCX)
	l.into(regalloc.FixedDef(rdi), in.Args[0])
	l.into(regalloc.FixedDef(rax), in.Args[1])
	l.into(regalloc.FixedDef(rcx), in.Args[2])
	l.emit(inst{op: opMemFill, imm: bulkMems(in.Index, in.Index), ops: l.ops(
		regalloc.FixedUse(rdi), regalloc.FixedUse(rax), regalloc.FixedUse(rcx),
		regalloc.FixedDef(rdi), regalloc.FixedDef(rcx))})
}

func (l *lowerer) memCopy(in *ir.Instr) {
	rdi, rsi, rcx := preg(RDI), preg(RSI), preg(RCX)
	l.into(regalloc.FixedDef(rdi), in.Args[0])
	l.into(regalloc.FixedDef(rsi), in.Args[1])
	l.into(regalloc.FixedDef(rcx), in.Args[2])
	l.emit(inst{op: opMemCopy, imm: bulkMems(in.Index, in.Index2), ops: l.ops(
		regalloc.FixedUse(rdi), regalloc.FixedUse(rsi), regalloc.FixedUse(rcx),
		regalloc.FixedDef(rdi), regalloc.FixedDef(rsi), regalloc.FixedDef(rcx))})
}
