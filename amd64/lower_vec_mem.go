package amd64

import (
	"github.com/wasmc/wasmc/ir"
	"github.com/wasmc/wasmc/regalloc"
)

// Instruction selection for the vector loads and stores of part of a v128 (v128.load and
// v128.store are loads and stores of type v128, lower_mem.go): each touches memory with one
// instruction through the same address operand as a scalar access, so that guard pages
// check it (backend/guard.go).

// vload lowers the vector loads other than v128.load (a load of type v128, lower_mem.go).
func (l *lowerer) vload(in *ir.Instr) regalloc.VReg {
	sh := in.Shape
	d := l.vtemp()
	loadTo := func(o VecOp, imm uint8, first []regalloc.Operand) {
		m, o2 := l.address(in.Index, in.Args[0], in.Imm, first)
		l.emit(inst{op: opVec, vop: o, form: fRM, imm: int64(imm), nvis: 1, ops: o2, m: m})
	}
	switch in.Op {
	case ir.OpVLoadExt:
		o := vZx[laneIdx(sh)]
		if in.Signed {
			o = vSx[laneIdx(sh)]
		}
		loadTo(o, 0, l.ops(regalloc.Def(d)))
		return d
	case ir.OpVLoadZero:
		o := MovdX
		if sh == ir.I64x2 {
			o = MovqX
		}
		loadTo(o, 0, l.ops(regalloc.Def(d)))
		return d
	case ir.OpVLoadLane:
		t := l.vcopy(l.vr(in.Args[1]))
		o := [4]VecOp{Pinsrb, Pinsrw, Pinsrd, Pinsrq}[laneIdx(sh)]
		loadTo(o, uint8(in.Imm2), l.ops(regalloc.ReuseDef(d, 1), use(t)))
		return d
	}
	// vloadsplat: the lane into a register, then splat.
	switch sh {
	case ir.I32x4, ir.I64x2:
		o, imm := MovdX, uint8(0)
		if sh == ir.I64x2 {
			o, imm = MovqX, 0x44
		}
		loadTo(o, 0, l.ops(regalloc.Def(d)))
		return l.v1(Pshufd, d, imm)
	}
	g := l.newVReg(ir.I32)
	m, o := l.address(in.Index, in.Args[0], in.Imm, l.ops(regalloc.Def(g)))
	l.emit(inst{op: opMovzx, form: fRM, w: W32, w2: widths[sh.LaneBits()/8], nvis: 1, ops: o, m: m})
	return l.splat(sh, g)
}

// vstoreLane lowers vstorelane: pextr to memory, or movd/movq for lane 0.
func (l *lowerer) vstoreLane(in *ir.Instr) {
	sh, lane := in.Shape, uint8(in.Imm2)
	x := l.vr(in.Args[1])
	o := [4]VecOp{Pextrb, PextrwM, Pextrd, Pextrq}[laneIdx(sh)]
	switch {
	case lane == 0 && sh == ir.I32x4:
		o = MovdX
	case lane == 0 && sh == ir.I64x2:
		o = MovqX
	}
	m, ops := l.address(in.Index, in.Args[0], in.Imm, l.ops(use(x)))
	l.emit(inst{op: opVec, vop: o, form: fMR, imm: int64(lane), nvis: 1, ops: ops, m: m})
}
