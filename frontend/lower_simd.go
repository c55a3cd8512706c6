package frontend

// Lowering, the vector instructions (prefix 0xFD). Each maps through one table, simdOps,
// to an IR vector op with its lane shape and signedness, and a shape of operands; the
// vector loads and stores get a boundscheck first, as the scalar ones do (lower_mem.go).

import (
	endian "encoding/binary"

	"github.com/wasmc/wasmc/ir"
)

// simdKind is the shape of a vector instruction's operands and result.
type simdKind uint8

const (
	simdNone      simdKind = iota
	simdUnary              // v -> v
	simdBinary             // v v -> v
	simdTernary            // v v v -> v
	simdTest               // v -> i32
	simdSplat              // scalar -> v
	simdExtract            // v -> scalar, lane immediate
	simdReplace            // v scalar -> v, lane immediate
	simdShift              // v i32 -> v
	simdConst              // v128.const
	simdShuffle            // v v -> v, 16 lane immediates
	simdLoad               // address -> v
	simdStore              // address v ->
	simdLoadLane           // address v -> v, lane immediate
	simdStoreLane          // address v ->, lane immediate
)

// simdOp describes one vector opcode's lowering.
type simdOp struct {
	kind   simdKind
	op     ir.Op
	shape  ir.Shape
	signed bool
	cond   ir.Cond
}

// simdOps maps each 0xFD sub-opcode to its lowering; reserved ones are zero.
var simdOps = func() (t [256]simdOp) {
	set := func(sub int, kind simdKind, op ir.Op, sh ir.Shape, signed bool) {
		t[sub] = simdOp{kind: kind, op: op, shape: sh, signed: signed}
	}
	// Memory.
	set(0, simdLoad, ir.OpLoad, ir.ShapeNone, false)
	for i, sh := range []ir.Shape{ir.I16x8, ir.I32x4, ir.I64x2} {
		set(1+2*i, simdLoad, ir.OpVLoadExt, sh, true)
		set(2+2*i, simdLoad, ir.OpVLoadExt, sh, false)
	}
	ints := []ir.Shape{ir.I8x16, ir.I16x8, ir.I32x4, ir.I64x2}
	for i, sh := range ints {
		set(7+i, simdLoad, ir.OpVLoadSplat, sh, false)
		set(84+i, simdLoadLane, ir.OpVLoadLane, sh, false)
		set(88+i, simdStoreLane, ir.OpVStoreLane, sh, false)
	}
	set(11, simdStore, ir.OpStore, ir.ShapeNone, false)
	set(92, simdLoad, ir.OpVLoadZero, ir.I32x4, false)
	set(93, simdLoad, ir.OpVLoadZero, ir.I64x2, false)

	set(12, simdConst, ir.OpV128Const, ir.ShapeNone, false)
	set(13, simdShuffle, ir.OpVShuffle, ir.ShapeNone, false)
	set(14, simdBinary, ir.OpVSwizzle, ir.ShapeNone, false)
	all := []ir.Shape{ir.I8x16, ir.I16x8, ir.I32x4, ir.I64x2, ir.F32x4, ir.F64x2}
	for i, sh := range all {
		set(15+i, simdSplat, ir.OpVSplat, sh, false)
	}
	set(21, simdExtract, ir.OpVExtract, ir.I8x16, true)
	set(22, simdExtract, ir.OpVExtract, ir.I8x16, false)
	set(23, simdReplace, ir.OpVReplace, ir.I8x16, false)
	set(24, simdExtract, ir.OpVExtract, ir.I16x8, true)
	set(25, simdExtract, ir.OpVExtract, ir.I16x8, false)
	set(26, simdReplace, ir.OpVReplace, ir.I16x8, false)
	for i, sh := range all[2:] {
		set(27+2*i, simdExtract, ir.OpVExtract, sh, false)
		set(28+2*i, simdReplace, ir.OpVReplace, sh, false)
	}

	// Comparisons, in the order of the scalar ones.
	icmp := []ir.Cond{ir.CondEq, ir.CondNe, ir.CondSLT, ir.CondULT, ir.CondSGT, ir.CondUGT,
		ir.CondSLE, ir.CondULE, ir.CondSGE, ir.CondUGE}
	for i, sh := range ints[:3] {
		for j, c := range icmp {
			t[35+10*i+j] = simdOp{kind: simdBinary, op: ir.OpVICmp, shape: sh, cond: c}
		}
	}
	for j, c := range []ir.Cond{ir.CondEq, ir.CondNe, ir.CondSLT, ir.CondSGT, ir.CondSLE, ir.CondSGE} {
		t[214+j] = simdOp{kind: simdBinary, op: ir.OpVICmp, shape: ir.I64x2, cond: c}
	}
	fcmp := []ir.Cond{ir.CondEq, ir.CondNe, ir.CondLT, ir.CondGT, ir.CondLE, ir.CondGE}
	for i, sh := range []ir.Shape{ir.F32x4, ir.F64x2} {
		for j, c := range fcmp {
			t[65+6*i+j] = simdOp{kind: simdBinary, op: ir.OpVFCmp, shape: sh, cond: c}
		}
	}

	// Bitwise.
	set(77, simdUnary, ir.OpVNot, ir.ShapeNone, false)
	set(78, simdBinary, ir.OpVAnd, ir.ShapeNone, false)
	set(79, simdBinary, ir.OpVAndNot, ir.ShapeNone, false)
	set(80, simdBinary, ir.OpVOr, ir.ShapeNone, false)
	set(81, simdBinary, ir.OpVXor, ir.ShapeNone, false)
	set(82, simdTernary, ir.OpVBitselect, ir.ShapeNone, false)
	set(83, simdTest, ir.OpVAnyTrue, ir.ShapeNone, false)

	// Integer lanes: each shape's block starts at 96, 128, 160 or 192 with the same
	// layout; not every shape has every instruction.
	for i, sh := range ints {
		b := 96 + 32*i
		set(b, simdUnary, ir.OpVIAbs, sh, false)
		set(b+1, simdUnary, ir.OpVINeg, sh, false)
		set(b+3, simdTest, ir.OpVAllTrue, sh, false)
		set(b+4, simdTest, ir.OpVBitmask, sh, false)
		set(b+11, simdShift, ir.OpVIShl, sh, false)
		set(b+12, simdShift, ir.OpVIShr, sh, true)
		set(b+13, simdShift, ir.OpVIShr, sh, false)
		set(b+14, simdBinary, ir.OpVIAdd, sh, false)
		set(b+17, simdBinary, ir.OpVISub, sh, false)
		if sh != ir.I8x16 {
			set(b+7, simdUnary, ir.OpVExtendLo, sh, true)
			set(b+8, simdUnary, ir.OpVExtendHi, sh, true)
			set(b+9, simdUnary, ir.OpVExtendLo, sh, false)
			set(b+10, simdUnary, ir.OpVExtendHi, sh, false)
			set(b+21, simdBinary, ir.OpVIMul, sh, false)
			set(b+28, simdBinary, ir.OpVExtMulLo, sh, true)
			set(b+29, simdBinary, ir.OpVExtMulHi, sh, true)
			set(b+30, simdBinary, ir.OpVExtMulLo, sh, false)
			set(b+31, simdBinary, ir.OpVExtMulHi, sh, false)
		}
		if sh == ir.I8x16 || sh == ir.I16x8 {
			set(b+5, simdBinary, ir.OpVNarrow, sh, true)
			set(b+6, simdBinary, ir.OpVNarrow, sh, false)
			set(b+15, simdBinary, ir.OpVAddSat, sh, true)
			set(b+16, simdBinary, ir.OpVAddSat, sh, false)
			set(b+18, simdBinary, ir.OpVSubSat, sh, true)
			set(b+19, simdBinary, ir.OpVSubSat, sh, false)
			set(b+27, simdBinary, ir.OpVAvgr, sh, false)
		}
		if sh != ir.I64x2 {
			set(b+22, simdBinary, ir.OpVIMin, sh, true)
			set(b+23, simdBinary, ir.OpVIMin, sh, false)
			set(b+24, simdBinary, ir.OpVIMax, sh, true)
			set(b+25, simdBinary, ir.OpVIMax, sh, false)
		}
	}
	set(98, simdUnary, ir.OpVPopcnt, ir.I8x16, false)
	set(130, simdBinary, ir.OpVQ15MulrSat, ir.I16x8, false)
	set(186, simdBinary, ir.OpVDot, ir.I32x4, false)
	set(124, simdUnary, ir.OpVExtAddPairs, ir.I16x8, true)
	set(125, simdUnary, ir.OpVExtAddPairs, ir.I16x8, false)
	set(126, simdUnary, ir.OpVExtAddPairs, ir.I32x4, true)
	set(127, simdUnary, ir.OpVExtAddPairs, ir.I32x4, false)

	// Float lanes; the rounding ops sit in gaps of the integer blocks.
	for i, sh := range []ir.Shape{ir.F32x4, ir.F64x2} {
		b := 224 + 12*i
		set(b, simdUnary, ir.OpVFAbs, sh, false)
		set(b+1, simdUnary, ir.OpVFNeg, sh, false)
		set(b+3, simdUnary, ir.OpVFSqrt, sh, false)
		for j, op := range []ir.Op{ir.OpVFAdd, ir.OpVFSub, ir.OpVFMul, ir.OpVFDiv, ir.OpVFMin, ir.OpVFMax, ir.OpVFPMin, ir.OpVFPMax} {
			set(b+4+j, simdBinary, op, sh, false)
		}
	}
	for i, op := range []ir.Op{ir.OpVFCeil, ir.OpVFFloor, ir.OpVFTrunc, ir.OpVFNearest} {
		set(103+i, simdUnary, op, ir.F32x4, false)
		set([]int{116, 117, 122, 148}[i], simdUnary, op, ir.F64x2, false)
	}

	// Conversions.
	set(94, simdUnary, ir.OpVDemote, ir.ShapeNone, false)
	set(95, simdUnary, ir.OpVPromote, ir.ShapeNone, false)
	set(248, simdUnary, ir.OpVTruncSat, ir.F32x4, true)
	set(249, simdUnary, ir.OpVTruncSat, ir.F32x4, false)
	set(250, simdUnary, ir.OpVConvert, ir.F32x4, true)
	set(251, simdUnary, ir.OpVConvert, ir.F32x4, false)
	set(252, simdUnary, ir.OpVTruncSat, ir.F64x2, true)
	set(253, simdUnary, ir.OpVTruncSat, ir.F64x2, false)
	set(254, simdUnary, ir.OpVConvert, ir.F64x2, true)
	set(255, simdUnary, ir.OpVConvert, ir.F64x2, false)
	return t
}()

// simd lowers a vector instruction.
func (l *funcLowerer) simd(in *Instr) error {
	sub := in.Op & 0xFFFF
	if sub >= Opcode(len(simdOps)) || simdOps[sub].kind == simdNone {
		return l.unsupported(in.Op.String())
	}
	s := &simdOps[sub]
	ins := ir.Instr{Op: s.op, Shape: s.shape, Signed: s.signed, Cond: s.cond}
	switch s.kind {
	case simdUnary, simdSplat:
		ins.Args = l.args1(l.pop())
		l.push(l.value(ins, ir.V128))
	case simdBinary, simdShift:
		y := l.pop()
		ins.Args = l.args2(l.pop(), y)
		l.push(l.value(ins, ir.V128))
	case simdTernary:
		z := l.pop()
		y := l.pop()
		ins.Args = l.args3(l.pop(), y, z)
		l.push(l.value(ins, ir.V128))
	case simdTest:
		ins.Args = l.args1(l.pop())
		l.push(l.value(ins, ir.I32))
	case simdExtract:
		ins.Imm2 = uint64(in.Lane)
		ins.Args = l.args1(l.pop())
		l.push(l.value(ins, s.shape.LaneType()))
	case simdReplace:
		ins.Imm2 = uint64(in.Lane)
		x := l.pop()
		ins.Args = l.args2(l.pop(), x)
		l.push(l.value(ins, ir.V128))
	case simdConst:
		l.push(l.b.V128Const(endian.LittleEndian.Uint64(in.V128[:8]), endian.LittleEndian.Uint64(in.V128[8:])))
	case simdShuffle:
		ins.Imm, ins.Imm2 = endian.LittleEndian.Uint64(in.V128[:8]), endian.LittleEndian.Uint64(in.V128[8:])
		y := l.pop()
		ins.Args = l.args2(l.pop(), y)
		l.push(l.value(ins, ir.V128))
	default:
		l.simdMem(in, s, ins)
	}
	return nil
}

// simdMem lowers a vector load or store: a boundscheck of the bytes it accesses, then
// the access, as for scalar loads and stores.
func (l *funcLowerer) simdMem(in *Instr, s *simdOp, ins ir.Instr) {
	width := uint64(ir.VecAccessWidth(s.op, s.shape))
	if s.op == ir.OpLoad || s.op == ir.OpStore {
		width = 16
		ins.Width = 16
	}
	ins.Index, ins.Imm = in.Mem, in.MemOffset
	switch s.kind {
	case simdLoad:
		addr := l.pop()
		l.boundsCheck(in.Mem, addr, in.MemOffset+width)
		ins.Args = l.args1(addr)
		l.push(l.value(ins, ir.V128))
	case simdStore:
		v := l.pop()
		addr := l.pop()
		l.boundsCheck(in.Mem, addr, in.MemOffset+width)
		ins.Args = l.args2(addr, v)
		l.b.Emit(ins)
	case simdLoadLane, simdStoreLane:
		ins.Imm2 = uint64(in.Lane)
		v := l.pop()
		addr := l.pop()
		l.boundsCheck(in.Mem, addr, in.MemOffset+width)
		ins.Args = l.args2(addr, v)
		if s.kind == simdLoadLane {
			l.push(l.value(ins, ir.V128))
		} else {
			l.b.Emit(ins)
		}
	}
}
