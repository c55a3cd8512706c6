package arm64

import (
	"github.com/wasmc/wasmc/backend"
	"github.com/wasmc/wasmc/ir"
	"github.com/wasmc/wasmc/regalloc"
)

// This file defines the machine instructions that instruction selection produces and the
// register allocator, the frame code and the emitter consume: one [inst] per A64
// instruction, except for a few pseudo-instructions that expand to a short fixed sequence
// (a bounds check, popcnt, an access at a large offset, a symbol's address, a jump table)
// because their temporaries are the scratch registers, invisible to the allocator. The
// shared code (backend.Func) stores them densely and reads them through the methods of
// [backend.Inst].

// op is what a machine instruction does. Its mnemonic, encoder, dump format and flags are
// one row of opTable (ops.go); the comments here say what each op means.
type op uint8

const (
	opNone op = iota

	// General-purpose data movement.
	opCopy   // a copy the allocator may coalesce or drop: mov, fmov, or a reload
	opMov    // mov: a real move, such as wrap's (w clears the upper half)
	opMovImm // dst = imm, the shortest movz/movn/movk/orr sequence (MovImm)

	// General-purpose arithmetic. The fRRR forms may shift their last operand (sh, amt).
	opAdd // RRR, RRI (imm an add/sub immediate)
	opSub
	opAnd // RRR, RRI (imm a bitmask immediate)
	opOrr
	opEor
	opBic // RRR: a &^ b
	opOrn // RRR: a | ^b
	opEon // RRR: a ^ ^b
	opNeg
	opMvn
	opMul
	opMadd // RRRR: ops[3] + ops[1]*ops[2]
	opMsub // RRRR: ops[3] - ops[1]*ops[2]
	opSdiv
	opUdiv
	opLsl // RRR (the count in a register, taken modulo the width), RRI
	opLsr
	opAsr
	opRor
	opClz
	opRbit
	opPopcnt // pseudo: through v31 (Popcnt)
	opSxtb   // sign-extend the low byte to w bits
	opSxth
	opSxtw
	opCmp // RR (sh), RI (imm an add/sub immediate)
	opCmn // RI: compare with -imm
	opTst // RR, RI (imm a bitmask immediate)
	opCset
	opCsel

	// Scalar floating point; w is W32 for f32 (the s view) and W64 for f64 (d).
	opFmov // register to register
	opFadd
	opFsub
	opFmul
	opFdiv
	opFmin
	opFmax
	opFabs
	opFneg
	opFsqrt
	opFrintn
	opFrintp
	opFrintm
	opFrintz
	opFcmp  // RR, or R against +0.0
	opFcsel // RRR
	opFcvt  // float of width w from the other width, w2
	opScvtf // float of width w from a w2-bit signed integer
	opUcvtf
	opFcvtzs // w-bit integer from a float of width w2, toward zero, saturating
	opFcvtzu
	opFmovToV // SIMD&FP register = the bits of a w-bit general register
	opFmovToR // w-bit general register = the bits of a SIMD&FP register

	// Advanced SIMD (lower_vec.go): the row vop of vecTable with Q vq, size vsz and its
	// other fields in imm (VecLane, VecShift). The visible operands are d, n, m as the row
	// has them; a row that reads its destination (bsl, ins, tbx, the narrowing second
	// halves) has it as a hidden use the destination reuses.
	opVec

	// Pseudo-instructions (emit*.go expand them).
	opFConst    // dst = float bits imm: fmov from zero, fmov immediate, or through x16
	opFCopysign // RRR: a with b's sign, through x16 and x17
	opLdr       // RM: load w2 bytes, extended (signed) to w bits; float when the register is
	opStr       // MR: store the low w2 bytes
	opLdrSym    // R: load the 8-byte word at sym+disp (adrp x16 and ldr, relocated)
	opStrSym    // R: store the 8 bytes of a register at sym+disp
	opAdrSym    // R: dst = the address of sym+disp (adrp and add, relocated)
	opBoundsCheck
	opTrapIf     // branch to a trap stub if cc
	opTrapIfZero // branch to a trap stub if the register is zero (cc EQ: cbz) or not (NE: cbnz)
	opTrapIfBit  // branch to a trap stub if bit imm of the register is 0 (cc EQ: tbz) or 1 (NE: tbnz)
	opTrap       // call RtTrap inline: a terminator
	opB
	opBCond   // b.cc to targets[0], else to targets[1]
	opCbz     // to targets[0] if the register is zero (cc EQ) or not (NE), else targets[1]
	opTbz     // to targets[0] if bit imm of the register is 0 (cc EQ) or 1 (NE), else targets[1]
	opBrTable // jump through a table to targets[i], or to the last target
	opRet
	opCall // bl sym, or blr through ops[0]
	opSvc  // svc #0: x8 the number, x0 … x5 the arguments, x0 the result
	// darwin's system call: a libSystem function through its import slot (emit_libcall.go)
	opLibcall

	// The frame (finish.go).
	opStackCheck // trap with stack_exhausted if sp - imm is below the stack limit
	opPushFrame  // stp x29, x30, [sp, #-16]!; mov x29, sp
	opSubSP      // sp -= imm, 16-aligned, through x17 if no immediate holds it
	opPopFrame   // mov sp, x29 (if imm, the frame's size, is not 0); ldp x29, x30, [sp], #16
	numOps
)

// form says what kind each explicit operand of an instruction is, in the manual's order.
type form uint8

const (
	fNone form = iota
	fR         // one register
	fRR        // two registers
	fRRR       // three registers, the last maybe shifted
	fRRRR      // four registers (madd, msub)
	fRI        // register, immediate
	fRRI       // two registers, immediate
	fRM        // register, memory (a load)
	fMR        // memory, register (a store), written as ARM does: str rt, [addr]
	fSym       // register, program symbol (sym)
)

// memKind says how a memory operand is addressed.
type memKind uint8

const (
	memNone memKind = iota
	memReg          // [base + ext(index) << scale + disp]; base and index are operand numbers
	memSP           // [sp + disp]: the outgoing argument and result area
	memFP           // [x29 + disp]: incoming stack arguments and results
	memSlot         // spill slot disp, which Finish places above the outgoing area
)

// mem is a memory operand. base and index name operands of the instruction (or -1), so
// that the allocator sees them as ordinary uses. The displacement may be any size: an access
// that no immediate form reaches goes through x17 (emit_mem.go).
type mem struct {
	kind        memKind
	base, index int8
	ext         Extend // of the index: UXTW for a 32-bit one, UXTX (lsl) for 64
	scale       uint8  // the index is shifted left by scale: 0 or log2 of the access size
	disp        int64
}

// baseMem0 as a mem's base stands for memBaseReg, which is no operand: the allocator
// never sees it.
const baseMem0 = -2

func regMem(base int, disp int64) mem {
	return mem{kind: memReg, base: int8(base), index: -1, disp: disp}
}

func indexMem(base, index int, ext Extend, scale uint8, disp int64) mem {
	return mem{kind: memReg, base: int8(base), index: int8(index), ext: ext, scale: scale, disp: disp}
}

func frameMem(k memKind, disp int64) mem { return mem{kind: k, base: -1, index: -1, disp: disp} }

// inst is one machine instruction. Its operands are regalloc operands: the first nvis are the
// explicit register operands of its form in the manual's order (ops[0] the destination of
// most); the rest are implicit (a memory operand's base and index, fixed registers such as a
// call's arguments and results). After Finish, regs holds the register of every operand.
type inst struct {
	op     op
	form   form
	w      Width // operand size
	w2     Width // source size of conversions; the access size of loads and stores
	cc     Cond
	sh     Shift // of the last register of an fRRR form
	amt    uint8 // its shift amount
	signed bool  // a sign-extending load
	vop    VecOp // of opVec
	vq     bool
	vsz    uint8
	nvis   uint8
	imm    int64
	m      mem
	ops    []regalloc.Operand
	regs   []Reg
	// sym is a call's target or an fSym form's symbol, at sym + imm; a call with none
	// calls through ops[0] (callindirect).
	sym backend.SymRef
	// targets are a terminator's successors (machine block numbers); for opBrTable the
	// table entries then the default.
	targets []int32
	trap    ir.TrapCode // of opTrapIf, opTrapIfZero, opTrap and opBoundsCheck
	call    bool        // clobbers the caller-saved registers
}

// Operands implements [backend.Inst].
func (in *inst) Operands() []regalloc.Operand { return in.ops }

// IsCall implements [backend.Inst]: calls and svc destroy the caller-saved registers.
func (in *inst) IsCall() bool { return in.call }

// IsCopy implements [backend.Inst].
func (in *inst) IsCopy() bool { return in.op == opCopy }

// Describe implements [backend.Inst].
func (in *inst) Describe() ([]regalloc.Operand, bool, bool) {
	return in.ops, in.call, in.op == opCopy
}

// IsJump implements [backend.Inst].
func (in *inst) IsJump() bool { return in.op == opB }

// Targets implements [backend.Inst].
func (in *inst) Targets() []int32 { return in.targets }

// isTerminator reports whether in ends its block.
func (in *inst) isTerminator() bool { return opTable[in.op].flags&term != 0 }
