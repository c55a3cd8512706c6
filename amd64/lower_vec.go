package amd64

import (
	"math"

	"github.com/wasmc/wasmc/ir"
	"github.com/wasmc/wasmc/regalloc"
)

// Instruction selection for the vector ops (issue 17), with SSE up to SSE4.2, the
// x86-64-v2 baseline: no AVX, so every instruction but the loads and the ones that write
// their destination whole (pshufd, pmovsx, cvt, sqrt, round) is two-address. Each op is a
// short sequence of opVec instructions over new virtual registers, one value each, so
// that the allocator sees every temporary and no expansion needs a scratch register;
// constants (masks, lane tables) are built with movq and pshufd or punpcklqdq, once per
// block (vconst). The float ops whose wasm semantics SSE lacks are in lower_vec_float.go,
// the loads and stores of part of a v128 in lower_vec_mem.go.

// vtemp returns a new V128 temporary.
func (l *lowerer) vtemp() regalloc.VReg { return l.newVReg(ir.V128) }

// vcopy returns a copy of r that the next two-address instruction may overwrite.
func (l *lowerer) vcopy(r regalloc.VReg) regalloc.VReg {
	t := l.vtemp()
	l.copy(regalloc.Def(t), use(r), ir.V128)
	return t
}

// vform is the register form of row o: fRRI when it takes an immediate.
func vform(o VecOp) form {
	if o.info().flags&vImm != 0 {
		return fRRI
	}
	return fRR
}

// v2 is a two-address row: a new register holding a o b.
func (l *lowerer) v2(o VecOp, a, b regalloc.VReg) regalloc.VReg { return l.v2i(o, a, b, 0) }

func (l *lowerer) v2i(o VecOp, a, b regalloc.VReg, imm uint8) regalloc.VReg {
	t, d := l.vcopy(a), l.vtemp()
	l.emit(inst{op: opVec, vop: o, form: vform(o), imm: int64(imm), nvis: 2,
		ops: l.ops(regalloc.ReuseDef(d, 2), use(b), use(t))})
	return d
}

// v1 is a row that writes its destination whole from src: pshufd, pmovsx, cvtdq2ps.
func (l *lowerer) v1(o VecOp, src regalloc.VReg, imm uint8) regalloc.VReg {
	d := l.vtemp()
	l.emit(inst{op: opVec, vop: o, form: vform(o), imm: int64(imm), nvis: 2, ops: l.ops(regalloc.Def(d), use(src))})
	return d
}

// vshift shifts a by the immediate n with row o (the 66 0F 71/72/73 group).
func (l *lowerer) vshift(o VecOp, a regalloc.VReg, n uint8) regalloc.VReg {
	t, d := l.vcopy(a), l.vtemp()
	l.emit(inst{op: opVec, vop: o, form: fRI, imm: int64(n), nvis: 1, ops: l.ops(regalloc.ReuseDef(d, 1), use(t))})
	return d
}

// vconst returns a register holding the v128 whose low and high 64 bits are lo, hi: built
// once per epoch (a block, or the stretch between two calls), as scalar constants are.
func (l *lowerer) vconst(lo, hi uint64) regalloc.VReg {
	k := [2]uint64{lo, hi}
	if c, ok := l.vconsts[k]; ok && c.epoch == l.epoch {
		return c.r
	}
	if l.vconsts == nil {
		l.vconsts = map[[2]uint64]cachedReg{}
	}
	d := l.vtemp()
	l.emit(inst{op: opFConst, form: fR, w: W64, imm: int64(lo), nvis: 1, ops: l.ops(regalloc.Def(d))})
	switch {
	case hi == lo && lo != 0:
		d = l.v1(Pshufd, d, 0x44) // the low half twice
	case hi != 0:
		h := l.vtemp()
		l.emit(inst{op: opFConst, form: fR, w: W64, imm: int64(hi), nvis: 1, ops: l.ops(regalloc.Def(h))})
		d = l.v2(Punpcklqdq, d, h)
	} // else movq and xorps have cleared the high half
	l.vconsts[k] = cachedReg{d, l.epoch}
	return d
}

// cachedReg is a register that holds a value in one epoch.
type cachedReg struct {
	r     regalloc.VReg
	epoch int32
}

// splat8, splat16, splat32 and splat64 are the constants with every lane x.
func (l *lowerer) splat8(x uint8) regalloc.VReg { return l.splat64(uint64(x) * 0x0101010101010101) }

func (l *lowerer) splat16(x uint16) regalloc.VReg {
	return l.splat64(uint64(x) * 0x0001000100010001)
}

func (l *lowerer) splat32(x uint32) regalloc.VReg { return l.splat64(uint64(x) * 0x0000000100000001) }

func (l *lowerer) splat64(x uint64) regalloc.VReg { return l.vconst(x, x) }

func (l *lowerer) vzero() regalloc.VReg { return l.vconst(0, 0) }

func (l *lowerer) vones() regalloc.VReg { return l.vconst(math.MaxUint64, math.MaxUint64) }

// vnot is ^a.
func (l *lowerer) vnot(a regalloc.VReg) regalloc.VReg { return l.v2(Pxor, a, l.vones()) }

// toXMM moves the w-bit general register g to the low lane of a new XMM register, the rest
// zeroed.
func (l *lowerer) toXMM(g regalloc.VReg, w Width) regalloc.VReg {
	d := l.vtemp()
	l.emit(inst{op: opMovdToX, form: fRR, w: w, nvis: 2, ops: l.ops(regalloc.Def(d), use(g))})
	return d
}

// shape-indexed rows, by the shapes' lane widths: b, w, d, q.
func laneIdx(sh ir.Shape) int {
	switch sh.LaneBits() {
	case 8:
		return 0
	case 16:
		return 1
	case 32:
		return 2
	}
	return 3
}

var (
	vAdd   = [4]VecOp{Paddb, Paddw, Paddd, Paddq}
	vSub   = [4]VecOp{Psubb, Psubw, Psubd, Psubq}
	vCmpEq = [4]VecOp{Pcmpeqb, Pcmpeqw, Pcmpeqd, Pcmpeqq}
	vCmpGt = [4]VecOp{Pcmpgtb, Pcmpgtw, Pcmpgtd, Pcmpgtq}
	vMinS  = [4]VecOp{Pminsb, Pminsw, Pminsd}
	vMinU  = [4]VecOp{Pminub, Pminuw, Pminud}
	vMaxS  = [4]VecOp{Pmaxsb, Pmaxsw, Pmaxsd}
	vMaxU  = [4]VecOp{Pmaxub, Pmaxuw, Pmaxud}
	vAbs   = [4]VecOp{Pabsb, Pabsw, Pabsd}
	vShl   = [4]VecOp{1: Psllw, 2: Pslld, 3: Psllq}
	vShr   = [4]VecOp{1: Psrlw, 2: Psrld, 3: Psrlq}
	vSar   = [4]VecOp{1: Psraw, 2: Psrad}
	vShlI  = [4]VecOp{1: PsllwI, 2: PslldI, 3: PsllqI}
	vShrI  = [4]VecOp{1: PsrlwI, 2: PsrldI, 3: PsrlqI}
	vSarI  = [4]VecOp{1: PsrawI, 2: PsradI}
	// by the extended shape, i16x8 … i64x2
	vSx = [4]VecOp{1: Pmovsxbw, 2: Pmovsxwd, 3: Pmovsxdq}
	vZx = [4]VecOp{1: Pmovzxbw, 2: Pmovzxwd, 3: Pmovzxdq}
)

// fops picks the ps or pd row of a float shape.
func fops(sh ir.Shape, ps, pd VecOp) VecOp {
	if sh == ir.F32x4 {
		return ps
	}
	return pd
}

// SupportsVector reports whether instruction selection handles vector op op of shape sh
// and signedness signed (or v128const, or a load or store of v128): the driver refuses
// the rest with the one-line "not supported yet" error. Every shape and signedness of
// every vector op is selected.
func SupportsVector(op ir.Op, _ ir.Shape, _ bool) bool {
	return op == ir.OpLoad || op == ir.OpStore || isVector(op)
}

// isVector reports whether op is v128const or a vector op, which vector lowers.
func isVector(op ir.Op) bool {
	return op == ir.OpV128Const || op >= ir.OpVSplat && op <= ir.OpVStoreLane
}

// vector lowers one vector op, or v128const.
func (l *lowerer) vector(in *ir.Instr) {
	sh := in.Shape
	a := func(i int) regalloc.VReg { return l.vr(in.Args[i]) }
	var r regalloc.VReg
	switch in.Op {
	case ir.OpV128Const:
		r = l.vconst(in.Imm, in.Imm2)
	case ir.OpVSplat:
		r = l.splat(sh, a(0))
	case ir.OpVExtract:
		l.extract(in)
		return
	case ir.OpVReplace:
		r = l.replace(sh, a(0), a(1), uint8(in.Imm2))
	case ir.OpVShuffle:
		r = l.shuffle(a(0), a(1), in.Imm, in.Imm2)
	case ir.OpVSwizzle:
		m := l.v2(Paddusb, a(1), l.splat8(0x70)) // indices past 15 get their top bit: zero
		r = l.v2(Pshufb, a(0), m)
	case ir.OpVNot:
		r = l.vnot(a(0))
	case ir.OpVAnd:
		r = l.v2(Pand, a(0), a(1))
	case ir.OpVAndNot:
		r = l.v2(Pandn, a(1), a(0)) // pandn is ^dst & src
	case ir.OpVOr:
		r = l.v2(Por, a(0), a(1))
	case ir.OpVXor:
		r = l.v2(Pxor, a(0), a(1))
	case ir.OpVBitselect:
		m := a(2)
		r = l.v2(Por, l.v2(Pand, a(0), m), l.v2(Pandn, m, a(1)))
	case ir.OpVAnyTrue, ir.OpVAllTrue, ir.OpVBitmask:
		l.test(in)
		return
	case ir.OpVIAdd:
		r = l.v2(vAdd[laneIdx(sh)], a(0), a(1))
	case ir.OpVISub:
		r = l.v2(vSub[laneIdx(sh)], a(0), a(1))
	case ir.OpVIMul:
		r = l.imul(sh, a(0), a(1))
	case ir.OpVINeg:
		r = l.v2(vSub[laneIdx(sh)], l.vzero(), a(0))
	case ir.OpVIAbs:
		if sh == ir.I64x2 {
			x := a(0)
			s := l.v2(Pcmpgtq, l.vzero(), x) // all ones where negative
			r = l.v2(Psubq, l.v2(Pxor, x, s), s)
		} else {
			r = l.v1(vAbs[laneIdx(sh)], a(0), 0)
		}
	case ir.OpVPopcnt:
		r = l.popcnt(a(0))
	case ir.OpVAddSat, ir.OpVSubSat:
		r = l.v2(satOp(in.Op, sh, in.Signed), a(0), a(1))
	case ir.OpVIMin, ir.OpVIMax:
		r = l.v2(minMaxOp(in.Op == ir.OpVIMin, in.Signed)[laneIdx(sh)], a(0), a(1))
	case ir.OpVAvgr:
		r = l.v2([2]VecOp{Pavgb, Pavgw}[laneIdx(sh)], a(0), a(1))
	case ir.OpVQ15MulrSat:
		// pmulhrsw gives 0x8000 for 0x8000 * 0x8000, where wasm saturates to 0x7fff.
		t := l.v2(Pmulhrsw, a(0), a(1))
		r = l.v2(Pxor, t, l.v2(Pcmpeqw, t, l.splat16(0x8000)))
	case ir.OpVDot:
		r = l.v2(Pmaddwd, a(0), a(1))
	case ir.OpVIShl, ir.OpVIShr:
		r = l.shiftVec(in)
	case ir.OpVICmp:
		r = l.icmpVec(sh, in.Cond, a(0), a(1))
	case ir.OpVFCmp:
		r = l.fcmpVec(sh, in.Cond, a(0), a(1))
	case ir.OpVFAdd:
		r = l.v2(fops(sh, Addps, Addpd), a(0), a(1))
	case ir.OpVFSub:
		r = l.v2(fops(sh, Subps, Subpd), a(0), a(1))
	case ir.OpVFMul:
		r = l.v2(fops(sh, Mulps, Mulpd), a(0), a(1))
	case ir.OpVFDiv:
		r = l.v2(fops(sh, Divps, Divpd), a(0), a(1))
	case ir.OpVFMin:
		r = l.fminVec(sh, a(0), a(1))
	case ir.OpVFMax:
		r = l.fmaxVec(sh, a(0), a(1))
	case ir.OpVFPMin:
		// minps d, s is d < s ? d : s, so min(b, a) is b < a ? b : a, bits kept.
		r = l.v2(fops(sh, Minps, Minpd), a(1), a(0))
	case ir.OpVFPMax:
		r = l.v2(fops(sh, Maxps, Maxpd), a(1), a(0))
	case ir.OpVFAbs:
		m := l.splat32(math.MaxInt32)
		if sh == ir.F64x2 {
			m = l.splat64(math.MaxInt64)
		}
		r = l.v2(Andps, a(0), m)
	case ir.OpVFNeg:
		m := l.splat32(1 << 31)
		if sh == ir.F64x2 {
			m = l.splat64(1 << 63)
		}
		r = l.v2(Xorps, a(0), m)
	case ir.OpVFSqrt:
		r = l.v1(fops(sh, Sqrtps, Sqrtpd), a(0), 0)
	case ir.OpVFCeil, ir.OpVFFloor, ir.OpVFTrunc, ir.OpVFNearest:
		r = l.v1(fops(sh, Roundps, Roundpd), a(0), uint8(roundMode(in.Op)|RoundNoInexact))
	case ir.OpVNarrow:
		o := [2][2]VecOp{{Packuswb, Packsswb}, {Packusdw, Packssdw}}[laneIdx(sh)][b2i(in.Signed)]
		r = l.v2(o, a(0), a(1))
	case ir.OpVExtendLo:
		r = l.vextend(sh, in.Signed, a(0), false)
	case ir.OpVExtendHi:
		r = l.vextend(sh, in.Signed, a(0), true)
	case ir.OpVExtMulLo, ir.OpVExtMulHi:
		r = l.extMul(sh, in.Signed, a(0), a(1), in.Op == ir.OpVExtMulHi)
	case ir.OpVExtAddPairs:
		r = l.extAddPairs(sh, in.Signed, a(0))
	case ir.OpVTruncSat:
		r = l.truncSat(sh, in.Signed, a(0))
	case ir.OpVConvert:
		r = l.convertVec(sh, in.Signed, a(0))
	case ir.OpVDemote:
		r = l.v1(Cvtpd2ps, a(0), 0)
	case ir.OpVPromote:
		r = l.v1(Cvtps2pd, a(0), 0)
	case ir.OpVLoadExt, ir.OpVLoadSplat, ir.OpVLoadZero, ir.OpVLoadLane:
		r = l.vload(in)
	case ir.OpVStoreLane:
		l.vstoreLane(in)
		return
	default:
		l.unsupported("%v %v is not supported", in.Op, sh)
	}
	l.copy(def(in.Results[0]), use(r), ir.V128)
}

func b2i(b bool) int {
	if b {
		return 1
	}
	return 0
}

func satOp(op ir.Op, sh ir.Shape, signed bool) VecOp {
	k := laneIdx(sh)
	switch {
	case op == ir.OpVAddSat && signed:
		return [2]VecOp{Paddsb, Paddsw}[k]
	case op == ir.OpVAddSat:
		return [2]VecOp{Paddusb, Paddusw}[k]
	case signed:
		return [2]VecOp{Psubsb, Psubsw}[k]
	}
	return [2]VecOp{Psubusb, Psubusw}[k]
}

func minMaxOp(isMin, signed bool) [4]VecOp {
	switch {
	case isMin && signed:
		return vMinS
	case isMin:
		return vMinU
	case signed:
		return vMaxS
	}
	return vMaxU
}

// splat puts scalar x (in a general register, or an XMM one for float shapes) in every lane.
func (l *lowerer) splat(sh ir.Shape, x regalloc.VReg) regalloc.VReg {
	switch sh {
	case ir.I8x16:
		return l.v2(Pshufb, l.toXMM(x, W32), l.vzero())
	case ir.I16x8:
		return l.v1(Pshufd, l.v1(Pshuflw, l.toXMM(x, W32), 0), 0)
	case ir.I32x4:
		return l.v1(Pshufd, l.toXMM(x, W32), 0)
	case ir.I64x2:
		return l.v1(Pshufd, l.toXMM(x, W64), 0x44)
	case ir.F32x4:
		return l.v1(Pshufd, x, 0)
	}
	return l.v1(Pshufd, x, 0x44)
}

// extract lowers vextract: a lane to a general register, or to the low lane of an XMM one.
func (l *lowerer) extract(in *ir.Instr) {
	sh, x, lane := in.Shape, l.vr(in.Args[0]), uint8(in.Imm2)
	res := in.Results[0]
	gpr := func(o VecOp, w Width) regalloc.VReg {
		d := l.newVReg(sh.LaneType())
		l.emit(inst{op: opVec, vop: o, form: fRRI, w: w, imm: int64(lane), nvis: 2, ops: l.ops(regalloc.Def(d), use(x))})
		return d
	}
	switch sh {
	case ir.I8x16, ir.I16x8:
		o, w2 := Pextrb, W8
		if sh == ir.I16x8 {
			o, w2 = Pextrw, W16
		}
		d := gpr(o, W32) // zero-extended
		if in.Signed {
			l.emit(inst{op: opMovsx, form: fRR, w: W32, w2: w2, nvis: 2, ops: l.ops(def(res), use(d))})
			return
		}
		l.copy(def(res), use(d), ir.I32)
	case ir.I32x4:
		l.copy(def(res), use(gpr(Pextrd, W32)), ir.I32)
	case ir.I64x2:
		l.copy(def(res), use(gpr(Pextrq, W64)), ir.I64)
	case ir.F32x4:
		if lane != 0 {
			x = l.v1(Pshufd, x, lane)
		}
		l.copy(def(res), use(x), ir.F32)
	case ir.F64x2:
		if lane != 0 {
			x = l.v1(Pshufd, x, 0xEE)
		}
		l.copy(def(res), use(x), ir.F64)
	}
}

// replace lowers vreplace: pinsr for integer lanes, insertps, movsd or movlhps for floats.
func (l *lowerer) replace(sh ir.Shape, x, s regalloc.VReg, lane uint8) regalloc.VReg {
	switch sh {
	case ir.F32x4:
		return l.v2i(Insertps, x, s, lane<<4)
	case ir.F64x2:
		if lane == 0 {
			return l.v2(Movsd, x, s)
		}
		return l.v2(Movlhps, x, s)
	}
	o := [4]VecOp{Pinsrb, Pinsrw, Pinsrd, Pinsrq}[laneIdx(sh)]
	return l.v2i(o, x, s, lane)
}

// shuffle lowers vshuffle as a pshufb of each operand and an or, or one pshufb when the
// lanes come from one operand.
func (l *lowerer) shuffle(x, y regalloc.VReg, lo, hi uint64) regalloc.VReg {
	var mx, my [2]uint64
	fromX, fromY := false, false
	for i := 0; i < 16; i++ {
		k := byte(lo >> (8 * i))
		if i >= 8 {
			k = byte(hi >> (8 * (i - 8)))
		}
		bx, by := byte(0x80), byte(0x80)
		switch {
		case x == y:
			bx, fromX = k&15, true
		case k < 16:
			bx, fromX = k, true
		default:
			by, fromY = k-16, true
		}
		mx[i/8] |= uint64(bx) << (8 * (i % 8))
		my[i/8] |= uint64(by) << (8 * (i % 8))
	}
	switch {
	case !fromY:
		return l.v2(Pshufb, x, l.vconst(mx[0], mx[1]))
	case !fromX:
		return l.v2(Pshufb, y, l.vconst(my[0], my[1]))
	}
	return l.v2(Por, l.v2(Pshufb, x, l.vconst(mx[0], mx[1])), l.v2(Pshufb, y, l.vconst(my[0], my[1])))
}

// test lowers vanytrue, valltrue and vbitmask, whose results are i32s.
func (l *lowerer) test(in *ir.Instr) {
	x, d := l.vr(in.Args[0]), regalloc.VReg(in.Results[0])
	setIf := func(cc Cond, t regalloc.VReg) {
		z := l.zero() // before ptest: the xor clobbers the flags
		l.emit(inst{op: opVec, vop: Ptest, form: fRR, nvis: 2, ops: l.ops(use(t), use(t))})
		l.emit(inst{op: opSetcc, form: fR, cc: cond(cc), nvis: 1, ops: l.ops(regalloc.ReuseDef(d, 1), use(z))})
	}
	switch in.Op {
	case ir.OpVAnyTrue:
		setIf(CondNE, x)
	case ir.OpVAllTrue:
		// Lanes equal to zero become all ones: all true when none is.
		setIf(CondE, l.v2(vCmpEq[laneIdx(in.Shape)], x, l.vzero()))
	case ir.OpVBitmask:
		o := [4]VecOp{Pmovmskb, Pmovmskb, Movmskps, Movmskpd}[laneIdx(in.Shape)]
		if in.Shape == ir.I16x8 {
			// Saturating to bytes keeps each lane's sign; the zero half adds no bits.
			x = l.v2(Packsswb, x, l.vzero())
		}
		l.emit(inst{op: opVec, vop: o, form: fRR, w: W32, nvis: 2, ops: l.ops(regalloc.Def(d), use(x))})
	}
}

// imul is vimul: pmullw, pmulld, or for i64x2 three pmuludq of the 32-bit halves.
func (l *lowerer) imul(sh ir.Shape, x, y regalloc.VReg) regalloc.VReg {
	switch sh {
	case ir.I16x8:
		return l.v2(Pmullw, x, y)
	case ir.I32x4:
		return l.v2(Pmulld, x, y)
	}
	// x*y = xlo*ylo + (xhi*ylo + xlo*yhi) << 32, modulo 2^64.
	cross := l.v2(Paddq, l.v2(Pmuludq, l.vshift(PsrlqI, x, 32), y), l.v2(Pmuludq, l.vshift(PsrlqI, y, 32), x))
	return l.v2(Paddq, l.v2(Pmuludq, x, y), l.vshift(PsllqI, cross, 32))
}

// popcnt counts the bits of each byte with a table of the sixteen nibbles' counts.
func (l *lowerer) popcnt(x regalloc.VReg) regalloc.VReg {
	mask := l.splat8(0x0f)
	lo := l.v2(Pand, x, mask)
	hi := l.v2(Pand, l.vshift(PsrlwI, x, 4), mask)
	tbl := l.vconst(0x0302020102010100, 0x0403030203020201)
	return l.v2(Paddb, l.v2(Pshufb, tbl, lo), l.v2(Pshufb, tbl, hi))
}

// shiftVec lowers vishl and vishr. The count is taken modulo the lane width; SSE has no
// byte shifts and no 64-bit arithmetic shift, which get sequences.
func (l *lowerer) shiftVec(in *ir.Instr) regalloc.VReg {
	sh, x := in.Shape, l.vr(in.Args[0])
	bits := uint64(sh.LaneBits())
	k := laneIdx(sh)
	left, arith := in.Op == ir.OpVIShl, in.Op == ir.OpVIShr && in.Signed
	c, isConst := l.constOf(in.Args[1])
	c &= bits - 1
	// count returns the count, plus add, as an XMM register for the shifts by register.
	count := func(add int32) regalloc.VReg {
		if isConst {
			return l.vconst(c+uint64(add), 0)
		}
		t := l.fresh(in.Args[1])
		m := l.newVReg(ir.I32)
		l.emit(inst{op: opAnd, form: fRI, w: W32, imm: int64(bits - 1), nvis: 1, ops: l.ops(regalloc.ReuseDef(m, 1), use(t))})
		if add != 0 {
			n := l.newVReg(ir.I32)
			l.emit(inst{op: opAdd, form: fRI, w: W32, imm: int64(add), nvis: 1, ops: l.ops(regalloc.ReuseDef(n, 1), use(m))})
			m = n
		}
		return l.toXMM(m, W32)
	}
	switch {
	case sh == ir.I8x16 && arith:
		// Each byte into the high half of a word, shifted arithmetically by 8 more, packed back.
		n := count(8)
		lo := l.v2(Psraw, l.v2(Punpcklbw, x, x), n)
		hi := l.v2(Psraw, l.v2(Punpckhbw, x, x), n)
		return l.v2(Packsswb, lo, hi)
	case sh == ir.I8x16:
		// Shift words, then clear the bits that crossed from the neighbouring byte.
		if isConst {
			m := uint8(0xff << c)
			o := PsllwI
			if !left {
				m, o = uint8(0xff>>c), PsrlwI
			}
			return l.v2(Pand, l.vshift(o, x, uint8(c)), l.splat8(m))
		}
		n := count(0)
		if left {
			mask := l.v2(Pshufb, l.v2(Psllw, l.vones(), n), l.vzero()) // byte 0 of 0xffff << n, everywhere
			return l.v2(Pand, l.v2(Psllw, x, n), mask)
		}
		mask := l.v2(Pshufb, l.v2(Psrlw, l.vones(), n), l.splat8(1)) // byte 1 of 0xffff >> n
		return l.v2(Pand, l.v2(Psrlw, x, n), mask)
	case sh == ir.I64x2 && arith:
		// (x >>u n ^ m) - m with m the sign bit shifted alike sign-extends.
		n := count(0)
		m := l.v2(Psrlq, l.splat64(1<<63), n)
		return l.v2(Psubq, l.v2(Pxor, l.v2(Psrlq, x, n), m), m)
	}
	if isConst {
		o := vShrI[k]
		switch {
		case left:
			o = vShlI[k]
		case arith:
			o = vSarI[k]
		}
		return l.vshift(o, x, uint8(c))
	}
	o := vShr[k]
	switch {
	case left:
		o = vShl[k]
	case arith:
		o = vSar[k]
	}
	return l.v2(o, x, count(0))
}

// icmpVec is vicmp: pcmpeq and pcmpgt, the other conditions by swapping and inverting,
// the unsigned ones through min and max.
func (l *lowerer) icmpVec(sh ir.Shape, cc ir.Cond, x, y regalloc.VReg) regalloc.VReg {
	k := laneIdx(sh)
	eq := func(a, b regalloc.VReg) regalloc.VReg { return l.v2(vCmpEq[k], a, b) }
	gt := func(a, b regalloc.VReg) regalloc.VReg { return l.v2(vCmpGt[k], a, b) }
	switch cc {
	case ir.CondEq:
		return eq(x, y)
	case ir.CondNe:
		return l.vnot(eq(x, y))
	case ir.CondSGT:
		return gt(x, y)
	case ir.CondSLT:
		return gt(y, x)
	case ir.CondSLE:
		return l.vnot(gt(x, y))
	case ir.CondSGE:
		return l.vnot(gt(y, x))
	case ir.CondUGE: // max(x, y) == x
		return eq(l.v2(vMaxU[k], x, y), x)
	case ir.CondULE:
		return eq(l.v2(vMinU[k], x, y), x)
	case ir.CondUGT:
		return l.vnot(eq(l.v2(vMinU[k], x, y), x))
	case ir.CondULT:
		return l.vnot(eq(l.v2(vMaxU[k], x, y), x))
	}
	l.unsupported("vicmp %v %v is not supported", sh, cc)
	return 0
}

// vextend is vextendlo and vextendhi: pmovsx or pmovzx of the low half, after moving the
// high half down for hi.
func (l *lowerer) vextend(sh ir.Shape, signed bool, x regalloc.VReg, high bool) regalloc.VReg {
	if high {
		x = l.v1(Pshufd, x, 0xEE)
	}
	o := vZx[laneIdx(sh)]
	if signed {
		o = vSx[laneIdx(sh)]
	}
	return l.v1(o, x, 0)
}

// extMul is vextmullo and vextmulhi: the extended halves multiplied; for i64x2 pmuldq or
// pmuludq of lanes 0 and 2 after spreading the half's two lanes there.
func (l *lowerer) extMul(sh ir.Shape, signed bool, x, y regalloc.VReg, high bool) regalloc.VReg {
	if sh == ir.I64x2 {
		imm := uint8(0x50) // lanes 0, 0, 1, 1
		if high {
			imm = 0xFA // lanes 2, 2, 3, 3
		}
		o := Pmuludq
		if signed {
			o = Pmuldq
		}
		return l.v2(o, l.v1(Pshufd, x, imm), l.v1(Pshufd, y, imm))
	}
	return l.imul(sh, l.vextend(sh, signed, x, high), l.vextend(sh, signed, y, high))
}

// extAddPairs is vextaddpairs: pmaddubsw or pmaddwd against ones; unsigned i16 lanes are
// biased to signed and the bias added back.
func (l *lowerer) extAddPairs(sh ir.Shape, signed bool, x regalloc.VReg) regalloc.VReg {
	if sh == ir.I16x8 {
		// pmaddubsw multiplies unsigned bytes of its destination by signed ones of its source.
		if signed {
			return l.v2(Pmaddubsw, l.splat8(1), x)
		}
		return l.v2(Pmaddubsw, x, l.splat8(1))
	}
	if signed {
		return l.v2(Pmaddwd, x, l.splat16(1))
	}
	t := l.v2(Pmaddwd, l.v2(Pxor, x, l.splat16(0x8000)), l.splat16(1))
	return l.v2(Paddd, t, l.splat32(0x10000))
}
