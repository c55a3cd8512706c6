package arm64

import (
	"math/bits"

	"github.com/wasmc/wasmc/ir"
	"github.com/wasmc/wasmc/regalloc"
)

// Instruction selection for integer arithmetic and width changes. A64 is three-address, so
// no input is copied first: the allocator may give the result the register of an input that
// dies there, and every instruction reads all its inputs before it writes.

// Machine ops of IR ops, indexed by ir.Op.
var intBinaryOps = [...]op{ir.OpIAdd: opAdd, ir.OpISub: opSub, ir.OpIMul: opMul,
	ir.OpIAnd: opAnd, ir.OpIOr: opOrr, ir.OpIXor: opEor}

// negOps are the ops that take their second operand inverted: bic, orn, eon.
var negOps = [...]op{ir.OpIAnd: opBic, ir.OpIOr: opOrn, ir.OpIXor: opEon}

// rrr emits d = a o b, b shifted by sh amt.
func (l *lowerer) rrr(o op, w Width, d regalloc.Operand, a, b regalloc.VReg, sh Shift, amt uint8) {
	l.emit(inst{op: o, form: fRRR, w: w, sh: sh, amt: amt, nvis: 3, ops: l.ops(d, use(a), use(b))})
}

// rri emits d = a o imm.
func (l *lowerer) rri(o op, w Width, d regalloc.Operand, a regalloc.VReg, imm uint64) {
	l.emit(inst{op: o, form: fRRI, w: w, imm: int64(imm), nvis: 2, ops: l.ops(d, use(a))})
}

// rr emits d = o a.
func (l *lowerer) rr(o op, w Width, d regalloc.Operand, a regalloc.VReg) {
	l.emit(inst{op: o, form: fRR, w: w, nvis: 2, ops: l.ops(d, use(a))})
}

// intBinary lowers iadd, isub, imul, iand, ior and ixor.
func (l *lowerer) intBinary(in *ir.Instr) {
	a, b := in.Args[0], in.Args[1]
	w := widthOf(l.typeOf(in.Results[0]))
	d := def(in.Results[0])
	if l.absorbed[a] {
		a, b = b, a // only commutative ops absorb their first operand (absorb.go)
	}
	if l.absorbed[b] {
		l.absorbedBinary(in.Op, w, d, a, l.def(b))
		return
	}
	_, aConst := l.intConst(a, w)
	_, bConst := l.intConst(b, w)
	if aConst && !bConst && in.Op.Flags().Has(ir.Commutative) {
		a, b = b, a
	}
	c, bConst := l.intConst(b, w)
	if bConst {
		if l.binaryImm(in.Op, w, d, a, c) {
			return
		}
	}
	if c, ok := l.intConst(a, w); ok && c == 0 && in.Op == ir.OpISub {
		l.rr(opNeg, w, d, l.vr(b))
		return
	}
	l.rrr(intBinaryOps[in.Op], w, d, l.vr(a), l.vr(b), ShiftLSL, 0)
}

// binaryImm lowers a op c where an immediate form or a shorter op does it, and reports
// whether it did.
func (l *lowerer) binaryImm(o ir.Op, w Width, d regalloc.Operand, a ir.Value, c uint64) bool {
	neg := -c & ones(w)
	switch {
	case c == 0 && (o == ir.OpIAdd || o == ir.OpISub || o == ir.OpIOr || o == ir.OpIXor):
		l.into(d, a)
	case c == 0 && (o == ir.OpIAnd || o == ir.OpIMul):
		l.emit(l.movImm(w, d, 0))
	case c == ones(w) && o == ir.OpIAnd:
		l.into(d, a)
	case c == ones(w) && o == ir.OpIOr:
		l.emit(l.movImm(w, d, c))
	case c == ones(w) && o == ir.OpIXor:
		l.rr(opMvn, w, d, l.vr(a))
	case o == ir.OpIAdd && IsAddImm(c), o == ir.OpISub && IsAddImm(neg):
		imm := c
		if o == ir.OpISub {
			imm = neg
		}
		l.rri(opAdd, w, d, l.vr(a), imm)
	case o == ir.OpISub && IsAddImm(c), o == ir.OpIAdd && IsAddImm(neg):
		imm := c
		if o == ir.OpIAdd {
			imm = neg
		}
		l.rri(opSub, w, d, l.vr(a), imm)
	case o == ir.OpIMul && c&(c-1) == 0:
		l.rri(opLsl, w, d, l.vr(a), uint64(bits.TrailingZeros64(c)))
	case (o == ir.OpIAnd || o == ir.OpIOr || o == ir.OpIXor) && IsLogicalImm(w, c):
		l.rri(intBinaryOps[o], w, d, l.vr(a), c)
	default:
		return false
	}
	return true
}

// absorbedBinary lowers a o v, where v's definition dv was absorbed (absorb.go): a shifted
// operand, a multiply-add or an inverted operand.
func (l *lowerer) absorbedBinary(o ir.Op, w Width, d regalloc.Operand, a ir.Value, dv *ir.Instr) {
	if x, sh, amt, ok := l.shiftOf(dv, w); ok {
		l.rrr(intBinaryOps[o], w, d, l.vr(a), l.vr(x), sh, amt)
		return
	}
	if x, ok := l.notOf(dv, w); ok {
		l.rrr(negOps[o], w, d, l.vr(a), l.vr(x), ShiftLSL, 0)
		return
	}
	mo := opMadd
	if o == ir.OpISub {
		mo = opMsub
	}
	l.emit(inst{op: mo, form: fRRRR, w: w, nvis: 4,
		ops: l.ops(d, use(l.vr(dv.Args[0])), use(l.vr(dv.Args[1])), use(l.vr(a)))})
}

// div lowers the divisions. The IR has already trapped on a zero divisor and on sdiv's MIN /
// -1 (SDIV would give MIN; it never faults). A remainder is a - (a/b)*b, a division and an
// msub; for srem MIN, -1 that is MIN - MIN*-1 = 0, as wasm wants.
func (l *lowerer) div(in *ir.Instr) {
	a, b := in.Args[0], in.Args[1]
	t := l.typeOf(in.Results[0])
	w := widthOf(t)
	signed := in.Op == ir.OpSDiv || in.Op == ir.OpSRem
	o := opUdiv
	if signed {
		o = opSdiv
	}
	ra, rb := l.vr(a), l.vr(b)
	if in.Op == ir.OpSDiv || in.Op == ir.OpUDiv {
		l.rrr(o, w, def(in.Results[0]), ra, rb, ShiftLSL, 0)
		return
	}
	q := l.newVReg(t)
	l.rrr(o, w, regalloc.Def(q), ra, rb, ShiftLSL, 0)
	l.emit(inst{op: opMsub, form: fRRRR, w: w, nvis: 4, ops: l.ops(def(in.Results[0]), use(q), use(rb), use(ra))})
}

// shiftOps are the machine ops of the shifts, indexed by ir.Op.
var shiftOps = [...]op{ir.OpIShl: opLsl, ir.OpUShr: opLsr, ir.OpSShr: opAsr, ir.OpRotr: opRor}

// shift lowers shifts and rotates: by an immediate, or by a register, which LSLV and friends
// take modulo the width, as wasm does. A64 rotates only right: rotl by n is rotr by -n.
func (l *lowerer) shift(in *ir.Instr) {
	a, b := in.Args[0], in.Args[1]
	t := l.typeOf(in.Results[0])
	w := widthOf(t)
	d := def(in.Results[0])
	mask := uint64(w.Bits() - 1)
	if c, ok := l.intConst(b, w); ok {
		n := c & mask
		if in.Op == ir.OpRotl {
			n = -n & mask
		}
		if n == 0 {
			l.into(d, a)
			return
		}
		o := opRor
		if in.Op != ir.OpRotl {
			o = shiftOps[in.Op]
		}
		l.rri(o, w, d, l.vr(a), n)
		return
	}
	if in.Op == ir.OpRotl {
		n := l.newVReg(t)
		l.rr(opNeg, w, regalloc.Def(n), l.vr(b))
		l.rrr(opRor, w, d, l.vr(a), n, ShiftLSL, 0)
		return
	}
	l.rrr(shiftOps[in.Op], w, d, l.vr(a), l.vr(b), ShiftLSL, 0)
}

// bitCount lowers clz to CLZ, ctz to RBIT and CLZ (both give the width for zero, as wasm
// wants), and popcnt to the Advanced SIMD sequence (Popcnt).
func (l *lowerer) bitCount(in *ir.Instr) {
	t := l.typeOf(in.Results[0])
	w := widthOf(t)
	d := def(in.Results[0])
	a := l.vr(in.Args[0])
	switch in.Op {
	case ir.OpClz:
		l.rr(opClz, w, d, a)
	case ir.OpCtz:
		r := l.newVReg(t)
		l.rr(opRbit, w, regalloc.Def(r), a)
		l.rr(opClz, w, d, r)
	case ir.OpPopcnt:
		l.rr(opPopcnt, w, d, a)
	}
}

// extend lowers the width changes. zext is a copy: an i32 is kept zero-extended (abi.go).
func (l *lowerer) extend(in *ir.Instr) {
	a := in.Args[0]
	d := def(in.Results[0])
	w := widthOf(l.typeOf(in.Results[0]))
	ext := func(o op) {
		l.emit(inst{op: o, form: fRR, w: w, w2: W32, nvis: 2, ops: l.ops(d, use(l.vr(a)))})
	}
	switch in.Op {
	case ir.OpExtend8:
		ext(opSxtb)
	case ir.OpExtend16:
		ext(opSxth)
	case ir.OpExtend32, ir.OpSExt:
		ext(opSxtw)
	case ir.OpZExt:
		l.into(d, a)
	case ir.OpWrap:
		// A 32-bit mov clears the upper half, as the i32 invariant needs; it is not a copy
		// the allocator could drop.
		l.rr(opMov, W32, d, l.vr(a))
	}
}
