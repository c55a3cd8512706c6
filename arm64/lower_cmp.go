package arm64

import (
	"github.com/wasmc/wasmc/backend"
	"github.com/wasmc/wasmc/ir"
	"github.com/wasmc/wasmc/regalloc"
)

// Instruction selection for compares and what consumes them: cset, csel and fcsel, and the
// conditions of branches and trapifs, where a test of one register against zero becomes
// cbz or cbnz with no compare at all.

// intConds maps icmp conditions to A64 conditions after cmp a, b.
var intConds = [...]Cond{
	ir.CondEq: CondEQ, ir.CondNe: CondNE,
	ir.CondSLT: CondLT, ir.CondSLE: CondLE, ir.CondSGT: CondGT, ir.CondSGE: CondGE,
	ir.CondULT: CondLO, ir.CondULE: CondLS, ir.CondUGT: CondHI, ir.CondUGE: CondHS,
}

// swapCond gives the condition for cmp b, a that holds when c holds for cmp a, b.
func swapCond(c Cond) Cond {
	switch c {
	case CondLT:
		return CondGT
	case CondGT:
		return CondLT
	case CondLE:
		return CondGE
	case CondGE:
		return CondLE
	case CondLO:
		return CondHI
	case CondHI:
		return CondLO
	case CondLS:
		return CondHS
	case CondHS:
		return CondLS
	}
	return c
}

// floatConds maps fcmp conditions to A64 conditions after fcmp a, b. An unordered compare
// sets C and V and clears N and Z (Arm ARM C7.2, FCMP), so that MI (N), LS (!C or Z), GT (!Z
// and N == V) and GE (N == V) are false and NE true for NaN operands: each wasm condition is
// one condition code, and its inverse is the IR condition's negation.
var floatConds = [...]Cond{
	ir.CondEq: CondEQ, ir.CondNe: CondNE,
	ir.CondLT: CondMI, ir.CondLE: CondLS, ir.CondGT: CondGT, ir.CondGE: CondGE,
}

// floatSwapped gives the fcmp condition of b, a for the IR condition of a, b.
var floatSwapped = [...]Cond{
	ir.CondEq: CondEQ, ir.CondNe: CondNE,
	ir.CondLT: CondGT, ir.CondLE: CondGE, ir.CondGT: CondMI, ir.CondGE: CondLS,
}

// cmpImm emits the compare of register r, w bits, with the constant c: cmp, or cmn with -c,
// when an immediate holds either, else cmp with c in a register.
func (l *lowerer) cmpImm(w Width, r regalloc.VReg, c uint64) {
	switch neg := -c & ones(w); {
	case IsAddImm(c):
		l.emit(inst{op: opCmp, form: fRI, w: w, imm: int64(c), nvis: 1, ops: l.ops(use(r))})
	case IsAddImm(neg):
		l.emit(inst{op: opCmn, form: fRI, w: w, imm: int64(neg), nvis: 1, ops: l.ops(use(r))})
	default:
		k := l.immReg(w, c)
		l.emit(inst{op: opCmp, form: fRR, w: w, nvis: 2, ops: l.ops(use(r), use(k))})
	}
}

// compare emits the compare of an icmp, fcmp, eqz or refisnull and returns the condition
// that holds when its result would be 1. Operands are materialized before the compare.
func (l *lowerer) compare(in *ir.Instr) Cond {
	switch in.Op {
	case ir.OpEqz, ir.OpRefIsNull:
		l.cmpImm(widthOf(l.typeOf(in.Args[0])), l.vr(in.Args[0]), 0)
		return CondEQ
	case ir.OpFCmp:
		return l.fcompare(in)
	}
	a, b := in.Args[0], in.Args[1]
	w := widthOf(l.typeOf(a))
	cc := intConds[in.Cond]
	_, aConst := l.intConst(a, w)
	_, bConst := l.intConst(b, w)
	if aConst && !bConst {
		a, b, cc = b, a, swapCond(cc)
	}
	if c, ok := l.intConst(b, w); ok {
		l.cmpImm(w, l.vr(a), c)
		return cc
	}
	ra, rb := l.vr(a), l.vr(b)
	l.emit(inst{op: opCmp, form: fRR, w: w, nvis: 2, ops: l.ops(use(ra), use(rb))})
	return cc
}

// fcompare emits fcmp a, b, or fcmp a, #0.0 against a constant +0 (-0 compares equal to it,
// so either zero will do), and returns the condition.
func (l *lowerer) fcompare(in *ir.Instr) Cond {
	a, b := in.Args[0], in.Args[1]
	w := widthOf(l.typeOf(a))
	cc := floatConds[in.Cond]
	isZero := func(v ir.Value) bool {
		c, ok := l.constOf(v)
		return ok && (c<<1 == 0 || w == W32 && uint32(c)<<1 == 0)
	}
	if isZero(a) && !isZero(b) {
		a, cc = b, floatSwapped[in.Cond]
		b = in.Args[0]
	}
	if isZero(b) {
		l.emit(inst{op: opFcmp, form: fR, w: w, nvis: 1, ops: l.ops(use(l.vr(a)))})
		return cc
	}
	ra, rb := l.vr(a), l.vr(b)
	l.emit(inst{op: opFcmp, form: fRR, w: w, nvis: 2, ops: l.ops(use(ra), use(rb))})
	return cc
}

// flags emits what sets the flags for the i32 condition v and returns the condition that
// holds when v is non-zero: the fused compare itself, or a compare of v with 0.
func (l *lowerer) flags(v ir.Value) Cond {
	if l.Kind[v] == backend.ValFused {
		return l.compare(l.def(v))
	}
	l.cmpImm(W32, l.vr(v), 0)
	return CondNE
}

// testKind says what a branch or trapif tests.
type testKind uint8

const (
	testFlags testKind = iota // the flags a compare set
	testZero                  // a register against zero: cbz, cbnz
	testBit                   // one bit of a register: tbz, tbnz
)

// test is what a branch or trapif tests: the flags, a register against zero, or one of its
// bits.
type test struct {
	kind testKind
	cc   Cond // testFlags: the condition; else EQ for "zero" and NE for "not zero"
	reg  regalloc.VReg
	w    Width
	bit  uint8
}

// branchTest lowers the condition v of a brif or trapif. A test of one register against zero
// needs no compare: v itself, or the operand of a fused eqz, refisnull or icmp eq or ne with
// 0, is cbz or cbnz; a sign test (icmp slt x, 0 and its kin) or an iand with a power of two
// that absorb.go absorbed is tbz or tbnz of that bit. Anything else is a fused compare's
// flags.
func (l *lowerer) branchTest(v ir.Value) test {
	if l.Kind[v] != backend.ValFused {
		if t, ok := l.bitTest(v, CondNE); ok {
			return t
		}
		return test{kind: testZero, cc: CondNE, reg: l.vr(v), w: W32}
	}
	in := l.def(v)
	switch in.Op {
	case ir.OpEqz, ir.OpRefIsNull:
		a := in.Args[0]
		if t, ok := l.bitTest(a, CondEQ); ok {
			return t
		}
		return test{kind: testZero, cc: CondEQ, reg: l.vr(a), w: widthOf(l.typeOf(a))}
	case ir.OpICmp:
		a := in.Args[0]
		w := widthOf(l.typeOf(a))
		c, ok := l.intConst(in.Args[1], w)
		if !ok {
			break
		}
		sign := test{kind: testBit, reg: l.vr(a), w: w, bit: uint8(w.Bits() - 1)}
		switch {
		case (in.Cond == ir.CondEq || in.Cond == ir.CondNe) && c == 0:
			return test{kind: testZero, cc: intConds[in.Cond], reg: l.vr(a), w: w}
		case in.Cond == ir.CondSLT && c == 0, in.Cond == ir.CondSLE && c == ones(w):
			sign.cc = CondNE // negative: the sign bit is set
			return sign
		case in.Cond == ir.CondSGE && c == 0, in.Cond == ir.CondSGT && c == ones(w):
			sign.cc = CondEQ
			return sign
		}
	}
	return test{cc: l.compare(in)}
}

// bitTest returns the test of v's one bit, if v is an iand with a power of two that absorb.go
// absorbed into its branch: cc NE holds when v is not zero, EQ when it is.
func (l *lowerer) bitTest(v ir.Value, cc Cond) (test, bool) {
	if !l.absorbed[v] {
		return test{}, false
	}
	x, bit, _ := l.singleBit(l.def(v))
	return test{kind: testBit, cc: cc, reg: l.vr(x), w: widthOf(l.typeOf(v)), bit: bit}, true
}

// trapIf lowers trapif v: a branch to a trap stub.
func (l *lowerer) trapIf(v ir.Value, code ir.TrapCode) {
	t := l.branchTest(v)
	switch t.kind {
	case testZero:
		l.emit(inst{op: opTrapIfZero, form: fR, w: t.w, cc: t.cc, trap: code, nvis: 1, ops: l.ops(use(t.reg))})
	case testBit:
		l.emit(inst{op: opTrapIfBit, form: fR, w: t.w, cc: t.cc, imm: int64(t.bit), trap: code, nvis: 1, ops: l.ops(use(t.reg))})
	default:
		l.emit(inst{op: opTrapIf, cc: t.cc, trap: code})
	}
}

// setcc materializes a compare as 0 or 1.
func (l *lowerer) setcc(in *ir.Instr) {
	cc := l.compare(in)
	l.emit(inst{op: opCset, form: fR, w: W32, cc: cc, nvis: 1, ops: l.ops(def(in.Results[0]))})
}

// selectOp lowers select to csel or fcsel.
func (l *lowerer) selectOp(in *ir.Instr) {
	c, a, b := in.Args[0], in.Args[1], in.Args[2]
	t := l.typeOf(in.Results[0])
	d := def(in.Results[0])
	if a == b {
		l.into(d, a)
		return
	}
	ra, rb := l.vr(a), l.vr(b)
	cc := l.flags(c)
	if t == ir.V128 {
		l.vselect(d, cc, ra, rb)
		return
	}
	o := opCsel
	if t.IsFloat() {
		o = opFcsel
	}
	l.emit(inst{op: o, form: fRRR, w: widthOf(t), cc: cc, nvis: 3, ops: l.ops(d, use(ra), use(rb))})
}
