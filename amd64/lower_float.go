package amd64

import (
	"github.com/wasmc/wasmc/backend"
	"github.com/wasmc/wasmc/ir"
	"github.com/wasmc/wasmc/regalloc"
)

// Instruction selection for float arithmetic and conversions: SSE scalar instructions, with
// pseudo-instructions (emit_float.go) where wasm's semantics need a short fixed sequence.

var floatBinaryOps = [...]op{
	ir.OpFAdd: opAdds, ir.OpFSub: opSubs, ir.OpFMul: opMuls, ir.OpFDiv: opDivs,
	ir.OpFMin: opFMin, ir.OpFMax: opFMax, ir.OpFCopysign: opFCopysign,
}

// floatBinary lowers the two-address float ops: the first operand's value goes in a fresh
// register that the result takes over.
func (l *lowerer) floatBinary(in *ir.Instr) {
	w := widthOf(l.typeOf(in.Results[0]))
	d := regalloc.VReg(in.Results[0])
	ta := l.fresh(in.Args[0])
	if l.Kind[in.Args[1]] == backend.ValFolded {
		m, o := l.folded(in.Args[1], l.ops(regalloc.ReuseDef(d, 1), use(ta)))
		l.emit(inst{op: floatBinaryOps[in.Op], form: fRM, w: w, nvis: 1, ops: o, m: m})
		return
	}
	rb := l.vr(in.Args[1])
	l.emit(inst{op: floatBinaryOps[in.Op], form: fRR, w: w, nvis: 2, ops: l.ops(regalloc.ReuseDef(d, 2), use(rb), use(ta))})
}

// roundModes are the ROUNDSS/ROUNDSD immediates of the rounding ops; the precision
// exception is masked anyway, but suppressing it says that inexact results are expected.
var roundModes = [...]RoundMode{
	ir.OpFCeil: RoundCeil, ir.OpFFloor: RoundFloor, ir.OpFTrunc: RoundTrunc, ir.OpFNearest: RoundNearest,
}

// floatUnary lowers fabs, fneg (bit masks), fsqrt and the roundings (SSE4.1 roundss, which
// x86-64-v2 and later have).
func (l *lowerer) floatUnary(in *ir.Instr) {
	w := widthOf(l.typeOf(in.Results[0]))
	d := regalloc.VReg(in.Results[0])
	switch in.Op {
	case ir.OpFAbs, ir.OpFNeg:
		o := opFAbs
		if in.Op == ir.OpFNeg {
			o = opFNeg
		}
		ta := l.fresh(in.Args[0])
		l.emit(inst{op: o, form: fR, w: w, nvis: 1, ops: l.ops(regalloc.ReuseDef(d, 1), use(ta))})
	case ir.OpFSqrt:
		l.emit(inst{op: opSqrts, form: fRR, w: w, nvis: 2, ops: l.ops(regalloc.Def(d), use(l.vr(in.Args[0])))})
	default:
		l.emit(inst{op: opRounds, form: fRR, w: w, imm: int64(roundModes[in.Op] | RoundNoInexact), nvis: 2,
			ops: l.ops(regalloc.Def(d), use(l.vr(in.Args[0])))})
	}
}

// convert lowers the conversions between types. w is the destination's width, w2 the
// source's.
func (l *lowerer) convert(in *ir.Instr) {
	from, to := l.typeOf(in.Args[0]), l.typeOf(in.Results[0])
	w, w2 := widthOf(to), widthOf(from)
	d := regalloc.VReg(in.Results[0])
	src := l.vr(in.Args[0])
	emit := func(o op, w, w2 Width) {
		l.emit(inst{op: o, form: fRR, w: w, w2: w2, nvis: 2, ops: l.ops(regalloc.Def(d), use(src))})
	}
	switch in.Op {
	case ir.OpFPromote, ir.OpFDemote:
		emit(opCvts2s, w, w2)
	case ir.OpFPToSI:
		emit(opCvtts2si, w, w2)
	case ir.OpFPToUI:
		if to == ir.I32 {
			// The checks admit (-1, 2^32): a 64-bit conversion holds every such value,
			// and its upper half is zero, as the i32 invariant wants.
			emit(opCvtts2si, W64, w2)
		} else {
			emit(opCvtFToU64, w, w2)
		}
	case ir.OpFPToSISat:
		emit(opCvtFToSSat, w, w2)
	case ir.OpFPToUISat:
		emit(opCvtFToUSat, w, w2)
	case ir.OpSIToFP:
		emit(opCvtsi2s, w, w2)
	case ir.OpUIToFP:
		if from == ir.I32 {
			// A zero-extended i32 is a non-negative 64-bit integer.
			emit(opCvtsi2s, w, W64)
		} else {
			emit(opCvtU64ToF, w, w2)
		}
	case ir.OpBitcast:
		if to.IsFloat() {
			emit(opMovdToX, w2, w2)
		} else {
			emit(opMovdToR, w, w)
		}
	}
}
