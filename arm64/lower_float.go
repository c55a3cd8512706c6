package arm64

import (
	"github.com/wasmc/wasmc/ir"
)

// Instruction selection for float arithmetic and conversions. A64 has wasm's float semantics
// almost instruction for instruction (Arm ARM C7.2):
//
//   - FMIN and FMAX return a NaN when either operand is one and order -0 below +0, which is
//     exactly wasm's fmin and fmax (IEEE 754-2019 minimum and maximum); their NaN is the
//     quieted input NaN (FPCR.DN is 0), an arithmetic NaN as wasm allows.
//   - FABS and FNEG only clear or flip the sign bit, NaN payloads included, as wasm's
//     non-arithmetic ops must.
//   - FRINTP, FRINTM, FRINTZ and FRINTN are ceil, floor, trunc and nearest (ties to even).
//   - FCVTZS and FCVTZU saturate and give 0 for NaN: the saturating truncations are one
//     instruction. The trapping ones are the same instruction after the frontend's explicit
//     range checks (ir/ops.go: fptosi is undefined where wasm traps).
//   - SCVTF and UCVTF convert signed and unsigned integers of either width, rounding to
//     nearest (FPCR.RMode is 0), so no unsigned conversion needs a fix-up.
//
// Only copysign is two instructions' worth, done on the bits in general registers.

var floatBinaryOps = [...]op{
	ir.OpFAdd: opFadd, ir.OpFSub: opFsub, ir.OpFMul: opFmul, ir.OpFDiv: opFdiv,
	ir.OpFMin: opFmin, ir.OpFMax: opFmax, ir.OpFCopysign: opFCopysign,
}

var floatUnaryOps = [...]op{
	ir.OpFAbs: opFabs, ir.OpFNeg: opFneg, ir.OpFSqrt: opFsqrt,
	ir.OpFCeil: opFrintp, ir.OpFFloor: opFrintm, ir.OpFTrunc: opFrintz, ir.OpFNearest: opFrintn,
}

// floatBinary lowers the binary float ops.
func (l *lowerer) floatBinary(in *ir.Instr) {
	w := widthOf(l.typeOf(in.Results[0]))
	l.rrr(floatBinaryOps[in.Op], w, def(in.Results[0]), l.vr(in.Args[0]), l.vr(in.Args[1]), ShiftLSL, 0)
}

// floatUnary lowers fabs, fneg, fsqrt and the roundings.
func (l *lowerer) floatUnary(in *ir.Instr) {
	w := widthOf(l.typeOf(in.Results[0]))
	l.rr(floatUnaryOps[in.Op], w, def(in.Results[0]), l.vr(in.Args[0]))
}

// convert lowers the conversions between types. w is the destination's width, w2 the
// source's.
func (l *lowerer) convert(in *ir.Instr) {
	from, to := l.typeOf(in.Args[0]), l.typeOf(in.Results[0])
	w, w2 := widthOf(to), widthOf(from)
	src := l.vr(in.Args[0])
	emit := func(o op) {
		l.emit(inst{op: o, form: fRR, w: w, w2: w2, nvis: 2, ops: l.ops(def(in.Results[0]), use(src))})
	}
	switch in.Op {
	case ir.OpFPromote, ir.OpFDemote:
		emit(opFcvt)
	case ir.OpFPToSI, ir.OpFPToSISat:
		emit(opFcvtzs)
	case ir.OpFPToUI, ir.OpFPToUISat:
		emit(opFcvtzu)
	case ir.OpSIToFP:
		emit(opScvtf)
	case ir.OpUIToFP:
		emit(opUcvtf)
	case ir.OpBitcast:
		if to.IsFloat() {
			emit(opFmovToV)
		} else {
			emit(opFmovToR)
		}
	}
}
