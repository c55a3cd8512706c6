package arm64

import (
	"github.com/wasmc/wasmc/ir"
	"github.com/wasmc/wasmc/regalloc"
)

// Instruction selection for the vector ops (issue 17) with the Advanced SIMD instructions
// of Armv8.0-A, which map WebAssembly's almost one to one: each op is one opVec row (or a
// short sequence) over new virtual registers, one value each, so that the allocator sees
// every temporary. The rows that read their destination (bsl, ins, tbx, the second halves
// of narrowing) take it as a hidden use that the definition reuses. The loads and stores
// of part of a v128 are in lower_vec_mem.go.

// SupportsVector reports whether arm64 selects op of shape sh and signedness signed: every
// vector op, v128const, and loads and stores of v128.
func SupportsVector(op ir.Op, _ ir.Shape, _ bool) bool {
	return op == ir.OpLoad || op == ir.OpStore || isVector(op)
}

// isVector reports whether op is v128const or a vector op, which vector lowers.
func isVector(op ir.Op) bool {
	return op == ir.OpV128Const || op >= ir.OpVSplat && op <= ir.OpVStoreLane
}

// vtemp returns a new v128 temporary.
func (l *lowerer) vtemp() regalloc.VReg { return l.newVReg(ir.V128) }

// vsize is the size field for the lanes of sh: 0 to 3 for 8 to 64 bits; for float lanes
// the sz bit, 0 for f32 and 1 for f64.
func vsize(sh ir.Shape) uint8 {
	if sh.IsFloat() {
		return uint8(sh.LaneBits()/32 - 1)
	}
	return [...]uint8{8: 0, 16: 1, 32: 2, 64: 3}[sh.LaneBits()]
}

// vec emits row o (128-bit form) of size sz into a new register: d = o(srcs...).
func (l *lowerer) vec(o VecOp, sz uint8, srcs ...regalloc.VReg) regalloc.VReg {
	return l.vecq(o, true, sz, 0, srcs...)
}

// vecq emits row o with Q q and the extra fields into a new v128 register.
func (l *lowerer) vecq(o VecOp, q bool, sz uint8, extra uint32, srcs ...regalloc.VReg) regalloc.VReg {
	d := l.vtemp()
	l.vecTo(regalloc.Def(d), o, q, sz, extra, srcs...)
	return d
}

// vecTo emits row o into the operand d.
func (l *lowerer) vecTo(d regalloc.Operand, o VecOp, q bool, sz uint8, extra uint32, srcs ...regalloc.VReg) {
	o2 := l.ops(d)
	for _, s := range srcs {
		o2 = append(o2, use(s))
	}
	l.emit(inst{op: opVec, vop: o, vq: q, vsz: sz, imm: int64(extra), nvis: uint8(len(o2)), ops: o2})
}

// vecTied emits row o, which reads its destination: d starts as a copy of acc.
func (l *lowerer) vecTied(o VecOp, q bool, sz uint8, extra uint32, acc regalloc.VReg, srcs ...regalloc.VReg) regalloc.VReg {
	t, d := l.vtemp(), l.vtemp()
	l.copy(regalloc.Def(t), use(acc), ir.V128)
	o2 := l.ops(regalloc.ReuseDef(d, len(srcs)+1))
	for _, s := range srcs {
		o2 = append(o2, use(s))
	}
	nvis := uint8(len(o2))
	o2 = append(o2, use(t))
	l.emit(inst{op: opVec, vop: o, vq: q, vsz: sz, imm: int64(extra), nvis: nvis, ops: o2})
	return d
}

// vconst returns a register holding the v128 whose low and high 64 bits are lo and hi,
// built once per epoch (a block, or the stretch between two calls), as scalar constants
// are: movi when both halves are the same mask of whole bytes (zero, all ones), else from
// a general register with fmov (which clears the upper half) and ins of the upper half,
// or dup of the lower when the halves are equal.
func (l *lowerer) vconst(lo, hi uint64) regalloc.VReg {
	k := [2]uint64{lo, hi}
	if c, ok := l.vconsts[k]; ok && c.epoch == l.epoch {
		return c.r
	}
	if l.vconsts == nil {
		l.vconsts = map[[2]uint64]cachedReg{}
	}
	var d regalloc.VReg
	if m, ok := byteMask(lo); ok && hi == lo {
		d = l.vecq(VMovi2D, true, 0, VecByteMask(m))
	} else {
		x := l.immReg(W64, lo)
		switch {
		case hi == lo:
			d = l.vecq(VDupGen, true, 0, VecLane(3, 0, 0), x)
		default:
			d = l.vtemp()
			l.emit(inst{op: opFmovToV, form: fRR, w: W64, nvis: 2, ops: l.ops(regalloc.Def(d), use(x))})
			if hi != 0 {
				d = l.vecTied(VInsGen, true, 0, VecLane(3, 1, 0), d, l.immReg(W64, hi))
			}
		}
	}
	l.vconsts[k] = cachedReg{d, l.epoch}
	return d
}

// cachedReg is a register that holds a value in one epoch.
type cachedReg struct {
	r     regalloc.VReg
	epoch int32
}

// byteMask returns the movi mask of x, whose bit i says that byte i is 0xff, if every
// byte of x is 0 or 0xff.
func byteMask(x uint64) (uint8, bool) {
	var m uint8
	for i := range 8 {
		switch uint8(x >> (8 * i)) {
		case 0xff:
			m |= 1 << i
		case 0:
		default:
			return 0, false
		}
	}
	return m, true
}

// vector lowers one vector op, or v128const.
func (l *lowerer) vector(in *ir.Instr) {
	sh := in.Shape
	a := func(i int) regalloc.VReg { return l.vr(in.Args[i]) }
	sz := vsize(sh)
	var r regalloc.VReg
	switch in.Op {
	case ir.OpV128Const:
		r = l.vconst(uint64(in.Imm), uint64(in.Imm2))
	case ir.OpVSplat:
		if sh.IsFloat() {
			r = l.vecq(VDupElem, true, 0, VecLane(uint32(sh.LaneBits()/32+1), 0, 0), a(0))
		} else {
			r = l.vecq(VDupGen, true, 0, VecLane(uint32(sz), 0, 0), a(0))
		}
	case ir.OpVExtract:
		l.extract(in)
		return
	case ir.OpVReplace:
		lane := int(in.Imm2)
		if sh.IsFloat() {
			s := uint32(sh.LaneBits()/32 + 1)
			r = l.vecTied(VInsElem, true, 0, VecLane(s, lane, 0), a(0), a(1))
		} else {
			r = l.vecTied(VInsGen, true, 0, VecLane(uint32(sz), lane, 0), a(0), a(1))
		}
	case ir.OpVShuffle:
		r = l.shuffle(a(0), a(1), uint64(in.Imm), uint64(in.Imm2))
	case ir.OpVSwizzle:
		r = l.vec(VTbl, 0, a(0), a(1)) // an index past 15 gives 0, as wasm's
	case ir.OpVNot:
		r = l.vec(VNot, 0, a(0))
	case ir.OpVAnd:
		r = l.vec(VAnd, 0, a(0), a(1))
	case ir.OpVAndNot:
		r = l.vec(VBic, 0, a(0), a(1))
	case ir.OpVOr:
		r = l.vec(VOrr, 0, a(0), a(1))
	case ir.OpVXor:
		r = l.vec(VEor, 0, a(0), a(1))
	case ir.OpVBitselect:
		r = l.vecTied(VBsl, true, 0, 0, a(2), a(0), a(1))
	case ir.OpVAnyTrue, ir.OpVAllTrue:
		l.laneTest(in)
		return
	case ir.OpVBitmask:
		l.bitmask(in)
		return
	case ir.OpVIAdd:
		r = l.vec(VAdd, sz, a(0), a(1))
	case ir.OpVISub:
		r = l.vec(VSub, sz, a(0), a(1))
	case ir.OpVIMul:
		if sh == ir.I64x2 {
			r = l.mul64x2(a(0), a(1))
		} else {
			r = l.vec(VMul, sz, a(0), a(1))
		}
	case ir.OpVINeg:
		r = l.vec(VNeg, sz, a(0))
	case ir.OpVIAbs:
		r = l.vec(VAbs, sz, a(0))
	case ir.OpVPopcnt:
		r = l.vec(VCnt, 0, a(0))
	case ir.OpVAddSat:
		r = l.vec(pick(in.Signed, VSqadd, VUqadd), sz, a(0), a(1))
	case ir.OpVSubSat:
		r = l.vec(pick(in.Signed, VSqsub, VUqsub), sz, a(0), a(1))
	case ir.OpVIMin:
		r = l.vec(pick(in.Signed, VSmin, VUmin), sz, a(0), a(1))
	case ir.OpVIMax:
		r = l.vec(pick(in.Signed, VSmax, VUmax), sz, a(0), a(1))
	case ir.OpVAvgr:
		r = l.vec(VUrhadd, sz, a(0), a(1))
	case ir.OpVQ15MulrSat:
		// sqrdmulh is (2ab + 2^15) >> 16, saturated: wasm's (ab + 2^14) >> 15.
		r = l.vec(VSqrdmulh, sz, a(0), a(1))
	case ir.OpVDot:
		lo := l.vecq(VSmull, false, 1, 0, a(0), a(1))
		hi := l.vecq(VSmull, true, 1, 0, a(0), a(1))
		r = l.vec(VAddp, 2, lo, hi)
	case ir.OpVIShl, ir.OpVIShr:
		r = l.vshift(in, a(0))
	case ir.OpVICmp:
		r = l.icmp(in.Cond, sz, a(0), a(1))
	case ir.OpVFCmp:
		r = l.fcmp(in.Cond, sz, a(0), a(1))
	case ir.OpVFAdd:
		r = l.vec(VFadd, sz, a(0), a(1))
	case ir.OpVFSub:
		r = l.vec(VFsub, sz, a(0), a(1))
	case ir.OpVFMul:
		r = l.vec(VFmul, sz, a(0), a(1))
	case ir.OpVFDiv:
		r = l.vec(VFdiv, sz, a(0), a(1))
	case ir.OpVFMin:
		// fmin propagates NaN and orders -0 below +0, as wasm's min (scalar fmin too).
		r = l.vec(VFmin, sz, a(0), a(1))
	case ir.OpVFMax:
		r = l.vec(VFmax, sz, a(0), a(1))
	case ir.OpVFPMin:
		// b < a ? b : a, NaN keeping a: select b where a > b.
		m := l.vec(VFcmgt, sz, a(0), a(1))
		r = l.vecTied(VBsl, true, 0, 0, m, a(1), a(0))
	case ir.OpVFPMax:
		// a < b ? b : a: select b where b > a.
		m := l.vec(VFcmgt, sz, a(1), a(0))
		r = l.vecTied(VBsl, true, 0, 0, m, a(1), a(0))
	case ir.OpVFAbs:
		r = l.vec(VFabs, sz, a(0))
	case ir.OpVFNeg:
		r = l.vec(VFneg, sz, a(0))
	case ir.OpVFSqrt:
		r = l.vec(VFsqrt, sz, a(0))
	case ir.OpVFCeil:
		r = l.vec(VFrintp, sz, a(0))
	case ir.OpVFFloor:
		r = l.vec(VFrintm, sz, a(0))
	case ir.OpVFTrunc:
		r = l.vec(VFrintz, sz, a(0))
	case ir.OpVFNearest:
		r = l.vec(VFrintn, sz, a(0))
	case ir.OpVNarrow:
		// The operands' lanes are signed: sqxtun saturates them to the unsigned range.
		o := pick(in.Signed, VSqxtn, VSqxtun)
		lo := l.vecq(o, false, sz, 0, a(0))
		r = l.vecTied(o, true, sz, 0, lo, a(1))
	case ir.OpVExtendLo, ir.OpVExtendHi:
		bits := sh.LaneBits() / 2
		r = l.vecq(pick(in.Signed, VSshll, VUshll), in.Op == ir.OpVExtendHi, 0, VecShift(bits, 0, false), a(0))
	case ir.OpVExtMulLo, ir.OpVExtMulHi:
		r = l.vecq(pick(in.Signed, VSmull, VUmull), in.Op == ir.OpVExtMulHi, sz-1, 0, a(0), a(1))
	case ir.OpVExtAddPairs:
		r = l.vec(pick(in.Signed, VSaddlp, VUaddlp), sz-1, a(0))
	case ir.OpVTruncSat:
		// fcvtzs and fcvtzu saturate and give 0 for NaN, as trunc_sat; f64x2 goes to 64-bit
		// lanes first, then narrows saturating into the low half (the upper cleared).
		o := pick(in.Signed, VFcvtzs, VFcvtzu)
		r = l.vec(o, sz, a(0))
		if sh == ir.F64x2 {
			r = l.vecq(pick(in.Signed, VSqxtn, VUqxtn), false, 2, 0, r)
		}
	case ir.OpVConvert:
		o := pick(in.Signed, VScvtf, VUcvtf)
		x := a(0)
		if sh == ir.F64x2 {
			x = l.vecq(pick(in.Signed, VSshll, VUshll), false, 0, VecShift(32, 0, false), x)
		}
		r = l.vec(o, sz, x)
	case ir.OpVDemote:
		r = l.vecq(VFcvtn, false, 1, 0, a(0))
	case ir.OpVPromote:
		r = l.vecq(VFcvtl, false, 1, 0, a(0))
	case ir.OpVLoadExt, ir.OpVLoadSplat, ir.OpVLoadZero, ir.OpVLoadLane:
		r = l.vload(in)
	case ir.OpVStoreLane:
		l.vstoreLane(in)
		return
	default:
		l.unsupported("op %v is not supported", in.Op)
	}
	l.copy(def(in.Results[0]), use(r), ir.V128)
}

// pick is s for a signed op, else u.
func pick(signed bool, s, u VecOp) VecOp {
	if signed {
		return s
	}
	return u
}

// extract lowers vextract: umov or smov to a general register, or a scalar mov (dup) of
// a float lane.
func (l *lowerer) extract(in *ir.Instr) {
	sh, x, lane := in.Shape, l.vr(in.Args[0]), int(in.Imm2)
	d := def(in.Results[0])
	switch {
	case sh.IsFloat():
		s := uint32(sh.LaneBits()/32 + 1)
		l.vecTo(d, VDupScalar, false, 0, VecLane(s, lane, 0), x)
	case sh == ir.I64x2:
		l.vecTo(d, VUmov, true, 0, VecLane(3, lane, 0), x)
	case in.Signed && sh.LaneBits() < 32:
		l.vecTo(d, VSmov, false, 0, VecLane(uint32(vsize(sh)), lane, 0), x)
	default:
		l.vecTo(d, VUmov, false, 0, VecLane(uint32(vsize(sh)), lane, 0), x)
	}
}

// shuffle is tbl of a with the literal's indices (those past 15 give 0), then tbx of b
// with them less 16 (those of a wrap past 15 and keep what tbl wrote).
func (l *lowerer) shuffle(a, b regalloc.VReg, lo, hi uint64) regalloc.VReg {
	t := l.vec(VTbl, 0, a, l.vconst(lo, hi))
	return l.vecTied(VTbx, true, 0, 0, t, b, l.vconst(less16(lo), less16(hi)))
}

// less16 subtracts 16 from each byte of x, modulo 256 in each (no borrow between bytes).
func less16(x uint64) uint64 {
	var r uint64
	for i := 0; i < 64; i += 8 {
		r |= uint64(uint8(x>>i)-16) << i
	}
	return r
}

// mul64x2 multiplies the 64-bit lanes in general registers: Advanced SIMD has no 64-bit
// lane multiply.
func (l *lowerer) mul64x2(a, b regalloc.VReg) regalloc.VReg {
	var p [2]regalloc.VReg
	for i := range p {
		x, y := l.newVReg(ir.I64), l.newVReg(ir.I64)
		l.vecTo(regalloc.Def(x), VUmov, true, 0, VecLane(3, i, 0), a)
		l.vecTo(regalloc.Def(y), VUmov, true, 0, VecLane(3, i, 0), b)
		p[i] = l.newVReg(ir.I64)
		l.rrr(opMul, W64, regalloc.Def(p[i]), x, y, ShiftLSL, 0)
	}
	d := l.vtemp()
	l.emit(inst{op: opFmovToV, form: fRR, w: W64, nvis: 2, ops: l.ops(regalloc.Def(d), use(p[0]))})
	return l.vecTied(VInsGen, true, 0, VecLane(3, 1, 0), d, p[1])
}

// vshift lowers vishl and vishr: by a constant, shl, sshr or ushr by it modulo the lane
// width (nothing for 0: sshr and ushr take 1 to the width); otherwise sshl and ushl,
// which shift each lane by the signed low byte of the matching lane of the count vector,
// right when negative, the count taken modulo the lane width first.
func (l *lowerer) vshift(in *ir.Instr, a regalloc.VReg) regalloc.VReg {
	sh := in.Shape
	bits := sh.LaneBits()
	if c, ok := l.intConst(in.Args[1], W32); ok {
		n := int(c) & (bits - 1)
		switch {
		case n == 0:
			return a
		case in.Op == ir.OpVIShl:
			return l.vecq(VShl, true, 0, VecShift(bits, n, false), a)
		}
		return l.vecq(pick(in.Signed, VSshr, VUshr), true, 0, VecShift(bits, n, true), a)
	}
	n := l.newVReg(ir.I32)
	l.rri(opAnd, W32, regalloc.Def(n), l.vr(in.Args[1]), uint64(bits-1))
	o := VUshl
	if in.Op == ir.OpVIShr {
		neg := l.newVReg(ir.I32)
		l.rr(opNeg, W32, regalloc.Def(neg), n)
		n = neg
		o = pick(in.Signed, VSshl, VUshl)
	}
	sz := vsize(sh)
	c := l.vecq(VDupGen, true, 0, VecLane(uint32(sz), 0, 0), n)
	return l.vec(o, sz, a, c)
}

// icmp compares integer lanes: cmeq, cmgt, cmge, cmhi, cmhs with the operands swapped for
// less than, and not for ne.
func (l *lowerer) icmp(cc ir.Cond, sz uint8, a, b regalloc.VReg) regalloc.VReg {
	switch cc {
	case ir.CondEq:
		return l.vec(VCmeq, sz, a, b)
	case ir.CondNe:
		return l.vec(VNot, 0, l.vec(VCmeq, sz, a, b))
	case ir.CondSGT:
		return l.vec(VCmgt, sz, a, b)
	case ir.CondSGE:
		return l.vec(VCmge, sz, a, b)
	case ir.CondSLT:
		return l.vec(VCmgt, sz, b, a)
	case ir.CondSLE:
		return l.vec(VCmge, sz, b, a)
	case ir.CondUGT:
		return l.vec(VCmhi, sz, a, b)
	case ir.CondUGE:
		return l.vec(VCmhs, sz, a, b)
	case ir.CondULT:
		return l.vec(VCmhi, sz, b, a)
	case ir.CondULE:
		return l.vec(VCmhs, sz, b, a)
	}
	l.unsupported("vicmp %v is not supported", cc)
	return 0
}

// fcmp compares float lanes: false where either is NaN, except ne (not of eq).
func (l *lowerer) fcmp(cc ir.Cond, sz uint8, a, b regalloc.VReg) regalloc.VReg {
	switch cc {
	case ir.CondEq:
		return l.vec(VFcmeq, sz, a, b)
	case ir.CondNe:
		return l.vec(VNot, 0, l.vec(VFcmeq, sz, a, b))
	case ir.CondGT:
		return l.vec(VFcmgt, sz, a, b)
	case ir.CondGE:
		return l.vec(VFcmge, sz, a, b)
	case ir.CondLT:
		return l.vec(VFcmgt, sz, b, a)
	case ir.CondLE:
		return l.vec(VFcmge, sz, b, a)
	}
	l.unsupported("vfcmp %v is not supported", cc)
	return 0
}

// laneTest lowers vanytrue and valltrue: the largest (any) or smallest (all) lane, as a
// scalar, compared with zero. umaxp of the 32-bit lanes folds the vector into its low 64
// bits; uminv has no 64-bit form, so i64x2's all_true asks whether any lane equals zero.
func (l *lowerer) laneTest(in *ir.Instr) {
	a := l.vr(in.Args[0])
	g := l.newVReg(ir.I64)
	cc := CondNE
	switch {
	case in.Op == ir.OpVAllTrue && in.Shape != ir.I64x2:
		m := l.vec(VUminv, vsize(in.Shape), a)
		l.emit(inst{op: opFmovToR, form: fRR, w: W32, nvis: 2, ops: l.ops(regalloc.Def(g), use(m))})
	default:
		if in.Op == ir.OpVAllTrue {
			a, cc = l.vec(VCmeq0, 3, a), CondEQ
		}
		m := l.vec(VUmaxp, 2, a, a)
		l.emit(inst{op: opFmovToR, form: fRR, w: W64, nvis: 2, ops: l.ops(regalloc.Def(g), use(m))})
	}
	l.emit(inst{op: opCmp, form: fRI, w: W64, imm: 0, nvis: 1, ops: l.ops(use(g))})
	l.emit(inst{op: opCset, form: fR, w: W32, cc: cc, nvis: 1, ops: l.ops(def(in.Results[0]))})
}

// bitmask lowers vbitmask: each lane's top bit shifted down to bit 0, then left by its
// lane number (modulo 8 for bytes), then the lanes added: addp thrice for the bytes
// (leaving the two halves' bytes in the low 16 bits), addv's equivalent for the others
// (addp twice or once).
func (l *lowerer) bitmask(in *ir.Instr) {
	sh := in.Shape
	bits, sz := sh.LaneBits(), vsize(sh)
	t := l.vecq(VUshr, true, 0, VecShift(bits, bits-1, true), l.vr(in.Args[0]))
	var lo, hi uint64
	for i := range sh.Lanes() {
		k := uint64(i % 8)
		if i*bits < 64 {
			lo |= k << (i * bits)
		} else {
			hi |= k << (i*bits - 64)
		}
	}
	t = l.vec(VUshl, sz, t, l.vconst(lo, hi))
	rounds := map[int]int{8: 3, 16: 3, 32: 2, 64: 1}[bits]
	for range rounds {
		t = l.vec(VAddp, sz, t, t)
	}
	// Bytes: byte 0 holds lanes 0-7, byte 1 lanes 8-15; a halfword read takes both.
	lane := uint32(1)
	if bits >= 32 {
		lane = 2
	}
	l.vecTo(def(in.Results[0]), VUmov, false, 0, VecLane(lane, 0, 0), t)
}

// vselect lowers select of v128: the condition as an all-ones or zero mask in every lane,
// then bsl.
func (l *lowerer) vselect(d regalloc.Operand, cc Cond, a, b regalloc.VReg) {
	c, m := l.newVReg(ir.I64), l.newVReg(ir.I64)
	l.emit(inst{op: opCset, form: fR, w: W64, cc: cc, nvis: 1, ops: l.ops(regalloc.Def(c))})
	l.rr(opNeg, W64, regalloc.Def(m), c)
	mask := l.vecq(VDupGen, true, 0, VecLane(3, 0, 0), m)
	r := l.vecTied(VBsl, true, 0, 0, mask, a, b)
	l.copy(d, use(r), ir.V128)
}
