package amd64

import (
	"github.com/wasmc/wasmc/backend"
	"github.com/wasmc/wasmc/ir"
	"github.com/wasmc/wasmc/regalloc"
)

// This file defines the machine instructions that instruction selection produces and the
// register allocator, the frame code and the emitter consume: one [inst] per x86 instruction,
// except for a few pseudo-instructions that expand to a short fixed sequence (fmin, the
// saturating conversions, a bounds check) because their inner branches and temporaries are
// invisible to the allocator. The shared code (backend.Func) stores them densely and reads
// them through the methods of [backend.Inst].

// op is what a machine instruction does. Its mnemonic, encoder, dump format and flags are
// one row of opTable (ops.go); the comments here say what each op means.
type op uint8

const (
	opNone op = iota

	// General-purpose data movement.
	opCopy   // a copy the allocator may coalesce or drop: mov, movaps, or a reload
	opMov    // mov: RR (a real move such as wrap's), RM load, MR store, MI store
	opMovImm // dst = imm: xor for 0, else the shortest mov (imm is 64 bits)
	opMovzx  // zero-extending move, w the destination width, w2 the source width
	opMovsx  // sign-extending move
	opMovsxd // sign-extending 32-to-64-bit move
	opLea

	// General-purpose arithmetic.
	opAdd
	opSub
	opAnd
	opOr
	opXor
	opCmp
	opTest
	opImul // RR two-address, or RRI three-operand
	opNeg
	opNot
	opShl // R shifts by cl, RI by imm
	opShr
	opSar
	opRol
	opRor
	opBsr
	opBsf
	opPopcnt
	// x86-64-v3 only (Env.CPU, encode_bmi.go): lzcnt and tzcnt are fRR; shlx, shrx and
	// sarx are fRRR dst, src, count; rorx is fRRI; andn is fRRR dst = ^a & b.
	opLzcnt
	opTzcnt
	opShlx
	opShrx
	opSarx
	opRorx
	opAndn
	opCdq // cdq (W32) or cqo (W64): rdx = the sign of rax
	opDiv
	opIdiv
	opSetcc
	opCmov
	opPush
	opPop

	// SSE scalar; w is W32 for the ss forms (f32) and W64 for the sd forms (f64).
	opMovs   // movss/movsd load or store
	opMovaps // full-register copy
	opAdds
	opSubs
	opMuls
	opDivs
	opSqrts
	opRounds // imm is the rounding mode
	opUcomis
	opAndps
	opOrps
	opXorps
	opCvtsi2s  // float (w) from a w2-bit signed integer
	opCvtts2si // w-bit integer from a w2 float, truncating
	opCvts2s   // float of width w from the other width
	opMovdToX  // xmm = w-bit GPR bits
	opMovdToR  // w-bit GPR = xmm bits

	// Packed SSE (lower_vec.go): the instruction is vop, a row of vecTable. fRR and fRRI
	// are dst, src (two-address when the row reads dst); fRI shifts by an immediate; fRM
	// reads memory; fMR stores a lane (pextr, movq, movd).
	opVec

	// Pseudo-instructions (emit.go and emit_float.go expand them).
	opFConst     // dst = float bits imm
	opFMin       // wasm fmin: NaN-propagating, -0 below +0
	opFMax       // wasm fmax
	opFAbs       // clear the sign bit
	opFNeg       // flip the sign bit
	opFCopysign  // dst = |dst| with src's sign
	opFSel       // dst = src if cc (an XMM conditional move)
	opCvtU64ToF  // float from an unsigned 64-bit integer
	opCvtFToU64  // unsigned 64-bit integer from a float the IR's checks admit
	opCvtFToSSat // saturating float to signed w-bit integer
	opCvtFToUSat // saturating float to unsigned w-bit integer
	opBoundsCheck
	opTrapIf // jump to a trap stub if cc
	opTrap   // call RtTrap inline: a terminator
	opJmp
	opBr      // jcc to targets[0], else to targets[1]
	opBrTable // jump through a table to targets[i], or to the last target
	opRet
	opCall
	opSyscall // the syscall instruction: rax the number, rdi … r9 the arguments
	opLibcall // darwin's system call: a libSystem function through its import slot (emitLibcall)
	opMemFill // memory.fill: rdi the address, al the byte, rcx the count (emit_bulk.go)
	opMemCopy // memory.copy: rdi the destination, rsi the source, rcx the count
	numOps
)

// form says what kind each explicit operand of an instruction is, in Intel order.
type form uint8

const (
	fNone form = iota
	fR         // one register
	fRR        // two registers
	fRI        // register, immediate
	fRRI       // two registers, immediate
	fRM        // register, memory
	fMR        // memory, register
	fMI        // memory, immediate
	fM         // memory
	fRRR       // three registers
)

// cond is a branch, set or move condition: an x86 [Cond], or one of the two that an
// unordered float compare needs two flags for.
type cond uint8

const (
	condFEq cond = 16 + iota // equal and ordered: ZF=1, PF=0
	condFNe                  // not equal or unordered: ZF=0 or PF=1
)

func (c cond) String() string {
	switch c {
	case condFEq:
		return "eq.ord"
	case condFNe:
		return "ne.unord"
	}
	return Cond(c).String()
}

// invert returns the condition that holds exactly when c does not.
func (c cond) invert() cond {
	switch c {
	case condFEq:
		return condFNe
	case condFNe:
		return condFEq
	}
	return cond(Cond(c).Invert())
}

// memKind says how a memory operand is addressed.
type memKind uint8

const (
	memNone memKind = iota
	memReg          // [base + index*scale + disp]; base and index are operand numbers
	memRIP          // [rip + sym + disp]: program state (backend.SymRef)
	memSP           // [rsp + disp]: the outgoing argument and result area
	memFP           // [rbp + disp]: incoming stack arguments and results, and spill slots
	memJT           // [rip + the jump table of the block labelled disp]
)

// mem is a memory operand. base and index name operands of the instruction (or -1), so
// that the allocator sees them as ordinary uses.
type mem struct {
	kind        memKind
	base, index int8
	scale       uint8
	disp        int32
	sym         backend.SymRef
}

// baseMem0 as a mem's base stands for memBaseReg, which is no operand: the allocator
// never sees it.
const baseMem0 = -2

func regMem(base, index int, scale uint8, disp int32) mem {
	return mem{kind: memReg, base: int8(base), index: int8(index), scale: scale, disp: disp}
}

func ripMem(sym backend.SymRef, disp int32) mem {
	return mem{kind: memRIP, base: -1, index: -1, sym: sym, disp: disp}
}

func frameMem(k memKind, disp int32) mem { return mem{kind: k, base: -1, index: -1, disp: disp} }

// inst is one machine instruction. Its operands are regalloc operands: the first nvis are the
// explicit register operands of its form in Intel order (so ops[0] is the destination of a
// two-address instruction, a ReuseDef tied to a later use); the rest are implicit (the tied
// use, a memory operand's base and index, fixed registers such as rdx:rax of a division or
// a call's arguments and results). After Finish, regs holds the register of every operand
// but a call's past the first maxRegs, which nothing reads (calls take their fixed
// registers as they are).
//
// A function holds one inst per machine instruction, twice while Apply copies them, so
// the fields are packed: a huge function's instructions were the largest part of the
// compiler's peak memory at 120 bytes each (issue 19).
type inst struct {
	op   op
	form form
	w    Width // operand size
	w2   Width // source size of extensions and conversions
	cc   cond
	nvis uint8
	vop  VecOp       // of opVec
	trap ir.TrapCode // of opTrapIf and opTrap
	imm  int64
	// m is the memory operand; a direct call (form fNone) has its target in m.sym.
	m   mem
	ops []regalloc.Operand
	// targets are a terminator's successors (machine block numbers); for opBrTable the
	// table entries then the default.
	targets []int32
	regs    [maxRegs]Reg
}

// maxRegs is the most operands an instruction other than a call has (a vector op's
// registers and its memory operand's base and index), checked by Place.
const maxRegs = 8

// callTo is a direct call of sym, to be completed by callSeq.
func callTo(sym backend.SymRef) inst { return inst{m: mem{sym: sym}} }

// Operands implements [backend.Inst].
func (in *inst) Operands() []regalloc.Operand { return in.ops }

// IsCall implements [backend.Inst]: calls and syscall destroy the caller-saved registers.
func (in *inst) IsCall() bool { return in.op == opCall || in.op == opSyscall || in.op == opLibcall }

// IsCopy implements [backend.Inst].
func (in *inst) IsCopy() bool { return in.op == opCopy }

// Describe implements [backend.Inst].
func (in *inst) Describe() ([]regalloc.Operand, bool, bool) {
	return in.ops, in.IsCall(), in.IsCopy()
}

// IsJump implements [backend.Inst].
func (in *inst) IsJump() bool { return in.op == opJmp }

// Targets implements [backend.Inst].
func (in *inst) Targets() []int32 { return in.targets }

// isTerminator reports whether in ends its block.
func (in *inst) isTerminator() bool { return opTable[in.op].flags&term != 0 }
