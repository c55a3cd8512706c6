package arm64

import (
	"github.com/wasmc/wasmc/ir"
	"github.com/wasmc/wasmc/regalloc"
)

// Instruction selection for the vector loads and stores of part of a v128 (v128.load and
// v128.store are loads and stores of type v128, lower_mem.go): each touches memory with one
// ldr or str of a b, h, s or d view through the same address operand as a scalar access,
// so that guard pages check it (backend/guard.go), and moves lanes in registers.

// vload lowers the vector loads other than v128.load.
func (l *lowerer) vload(in *ir.Instr) regalloc.VReg {
	sh := in.Shape
	w := Width(ir.VecAccessWidth(in.Op, sh))
	t := l.vtemp()
	m, o := l.address(in.Index, in.Args[0], in.Imm, l.ops(regalloc.Def(t)))
	// ldr of a b, h, s or d view clears the rest of the register.
	l.emit(inst{op: opLdr, form: fRM, w: w, w2: w, nvis: 1, ops: o, m: m})
	lanes := uint32(vsize(sh))
	switch in.Op {
	case ir.OpVLoadExt:
		bits := sh.LaneBits() / 2
		return l.vecq(pick(in.Signed, VSshll, VUshll), false, 0, VecShift(bits, 0, false), t)
	case ir.OpVLoadZero:
		return t
	case ir.OpVLoadSplat:
		return l.vecq(VDupElem, true, 0, VecLane(lanes, 0, 0), t)
	}
	// vloadlane
	return l.vecTied(VInsElem, true, 0, VecLane(lanes, int(in.Imm2), 0), l.vr(in.Args[1]), t)
}

// vstoreLane lowers vstorelane: the lane to the low bits of a register (mov of a scalar
// lane, unless it is lane 0), then str of its b, h, s or d view.
func (l *lowerer) vstoreLane(in *ir.Instr) {
	sh, lane := in.Shape, int(in.Imm2)
	w := Width(ir.VecAccessWidth(in.Op, sh))
	x := l.vr(in.Args[1])
	if lane != 0 {
		x = l.vecq(VDupScalar, false, 0, VecLane(uint32(vsize(sh)), lane, 0), x)
	}
	m, o := l.address(in.Index, in.Args[0], in.Imm, l.ops(use(x)))
	l.emit(inst{op: opStr, form: fMR, w: w, w2: w, nvis: 1, ops: o, m: m})
}
