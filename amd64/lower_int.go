package amd64

import (
	"math"
	"math/bits"

	"github.com/wasmc/wasmc/backend"
	"github.com/wasmc/wasmc/ir"
	"github.com/wasmc/wasmc/regalloc"
)

// Instruction selection for integer arithmetic, compares and selects.

func def(v ir.Value) regalloc.Operand { return regalloc.Def(regalloc.VReg(v)) }

func use(r regalloc.VReg) regalloc.Operand { return regalloc.Use(r) }

// ops builds an operand list ([backend.OperandLists]); a new chunk is sized for the
// function.
func (l *lowerer) ops(o ...regalloc.Operand) []regalloc.Operand {
	return l.mf.Operands.Make(2*len(l.f.Instrs), o...)
}

// more returns list o, from ops, with extra after it.
func (l *lowerer) more(o []regalloc.Operand, extra ...regalloc.Operand) []regalloc.Operand {
	return l.mf.Operands.More(2*len(l.f.Instrs), o, extra...)
}

// twoAddr emits dst = a op b in x86's two-address form: a's value goes in a fresh register
// that the result takes over, b is a register or an immediate.
func (l *lowerer) twoAddr(o op, w Width, dst regalloc.VReg, a, b ir.Value) {
	ta := l.fresh(a)
	if imm, ok := l.imm32(b, w); ok {
		l.emit(inst{op: o, form: fRI, w: w, imm: int64(imm), nvis: 1,
			ops: l.ops(regalloc.ReuseDef(dst, 1), use(ta))})
		return
	}
	rb := l.vr(b)
	l.emit(inst{op: o, form: fRR, w: w, nvis: 2, ops: l.ops(regalloc.ReuseDef(dst, 2), use(rb), use(ta))})
}

// lea emits dst = [base + index + disp] at width w; index may be NoValue.
func (l *lowerer) lea(w Width, dst regalloc.Operand, base, index ir.Value, disp int32) {
	m := regMem(1, -1, 1, disp)
	var o []regalloc.Operand
	if index != ir.NoValue {
		o = l.ops(dst, use(l.vr(base)), use(l.vr(index)))
		m.index = 2
	} else {
		o = l.ops(dst, use(l.vr(base)))
	}
	l.emit(inst{op: opLea, form: fRM, w: w, nvis: 1, ops: o, m: m})
}

// Machine ops of IR ops, indexed by ir.Op.
var (
	intBinaryOps = [...]op{ir.OpIAdd: opAdd, ir.OpISub: opSub, ir.OpIMul: opImul, ir.OpIAnd: opAnd, ir.OpIOr: opOr, ir.OpIXor: opXor}
	shiftOps     = [...]op{ir.OpIShl: opShl, ir.OpUShr: opShr, ir.OpSShr: opSar, ir.OpRotl: opRol, ir.OpRotr: opRor}
)

// intBinary lowers iadd, isub, imul, iand, ior and ixor.
func (l *lowerer) intBinary(in *ir.Instr) {
	a, b := in.Args[0], in.Args[1]
	t := l.typeOf(in.Results[0])
	w := widthOf(t)
	d := regalloc.VReg(in.Results[0])
	if in.Op == ir.OpIAnd && l.andn(in) {
		return
	}
	_, aConst := l.constOf(a)
	_, bConst := l.constOf(b)
	if l.Kind[b] == backend.ValFolded {
		// Load folding: the two-address form with a memory source.
		ta := l.fresh(a)
		m, o := l.folded(b, l.ops(regalloc.ReuseDef(d, 1), use(ta)))
		l.emit(inst{op: intBinaryOps[in.Op], form: fRM, w: w, nvis: 1, ops: o, m: m})
		return
	}
	if aConst && !bConst && in.Op.Flags().Has(ir.Commutative) {
		a, b = b, a
	}
	switch in.Op {
	case ir.OpIAdd:
		// lea is three-address: no copy of the input, and it leaves the flags alone.
		if imm, ok := l.imm32(b, w); ok {
			if imm == 0 {
				l.into(regalloc.Def(d), a)
				return
			}
			l.lea(w, regalloc.Def(d), a, ir.NoValue, imm)
			return
		}
		l.lea(w, regalloc.Def(d), a, b, 0)
	case ir.OpISub:
		if imm, ok := l.imm32(b, w); ok && imm != math.MinInt32 {
			if imm == 0 {
				l.into(regalloc.Def(d), a)
				return
			}
			l.lea(w, regalloc.Def(d), a, ir.NoValue, -imm)
			return
		}
		if c, ok := l.constOf(a); ok && c == 0 {
			tb := l.fresh(b)
			l.emit(inst{op: opNeg, form: fR, w: w, nvis: 1, ops: l.ops(regalloc.ReuseDef(d, 1), use(tb))})
			return
		}
		l.twoAddr(opSub, w, d, a, b)
	case ir.OpIMul:
		if imm, ok := l.imm32(b, w); ok {
			if imm > 0 && imm&(imm-1) == 0 {
				ta := l.fresh(a)
				l.emit(inst{op: opShl, form: fRI, w: w, imm: int64(bits.TrailingZeros32(uint32(imm))), nvis: 1,
					ops: l.ops(regalloc.ReuseDef(d, 1), use(ta))})
				return
			}
			l.emit(inst{op: opImul, form: fRRI, w: w, imm: int64(imm), nvis: 2, ops: l.ops(regalloc.Def(d), use(l.vr(a)))})
			return
		}
		l.twoAddr(opImul, w, d, a, b)
	case ir.OpIAnd:
		if c, ok := l.constOf(b); ok {
			// Masks that are zero-extensions need no copy of the input.
			switch {
			case c == 0xff:
				l.emit(inst{op: opMovzx, form: fRR, w: W32, w2: W8, nvis: 2, ops: l.ops(regalloc.Def(d), use(l.vr(a)))})
				return
			case c == 0xffff:
				l.emit(inst{op: opMovzx, form: fRR, w: W32, w2: W16, nvis: 2, ops: l.ops(regalloc.Def(d), use(l.vr(a)))})
				return
			case c == 0xffffffff && w == W64:
				l.emit(inst{op: opMov, form: fRR, w: W32, nvis: 2, ops: l.ops(regalloc.Def(d), use(l.vr(a)))})
				return
			}
		}
		l.twoAddr(opAnd, w, d, a, b)
	case ir.OpIOr:
		l.twoAddr(opOr, w, d, a, b)
	case ir.OpIXor:
		l.twoAddr(opXor, w, d, a, b)
	}
}

// div lowers the divisions: the dividend in rdx:rax, the quotient in rax and the remainder
// in rdx (Intel SDM vol. 2A, DIV and IDIV). The IR has already trapped on a zero divisor and
// on sdiv's MIN / -1; srem's MIN srem -1 is defined to be 0, but idiv faults on it, so a
// divisor of -1 is replaced by 1, which gives the same remainder for every dividend.
func (l *lowerer) div(in *ir.Instr) {
	a, b := in.Args[0], in.Args[1]
	t := l.typeOf(in.Results[0])
	w := widthOf(t)
	d := regalloc.VReg(in.Results[0])
	signed := in.Op == ir.OpSDiv || in.Op == ir.OpSRem
	rem := in.Op == ir.OpSRem || in.Op == ir.OpURem
	var rb regalloc.VReg
	c, bConst := l.constOf(b)
	switch {
	case in.Op == ir.OpSRem && bConst && (w == W32 && uint32(c) == math.MaxUint32 || w == W64 && c == math.MaxUint64):
		l.emit(inst{op: opMovImm, form: fR, w: w, nvis: 1, ops: l.ops(regalloc.Def(d))})
		return
	case in.Op == ir.OpSRem && !bConst:
		tb := l.fresh(b)
		one := l.newVReg(t)
		l.emit(inst{op: opMovImm, form: fR, w: w, imm: 1, nvis: 1, ops: l.ops(regalloc.Def(one))})
		l.emit(inst{op: opCmp, form: fRI, w: w, imm: -1, nvis: 1, ops: l.ops(use(l.vr(b)))})
		rb = l.newVReg(t)
		l.emit(inst{op: opCmov, form: fRR, w: w, cc: cond(CondE), nvis: 2,
			ops: l.ops(regalloc.ReuseDef(rb, 2), use(one), use(tb))})
	default:
		rb = l.vr(b)
	}
	rax, rdx := preg(RAX), preg(RDX)
	l.into(regalloc.FixedDef(rax), a)
	if signed {
		l.emit(inst{op: opCdq, w: w, ops: l.ops(regalloc.FixedDef(rdx), regalloc.FixedUse(rax))})
	} else {
		l.emit(inst{op: opMovImm, form: fR, w: W32, nvis: 1, ops: l.ops(regalloc.FixedDef(rdx))})
	}
	o := opDiv
	if signed {
		o = opIdiv
	}
	l.emit(inst{op: o, form: fR, w: w, nvis: 1, ops: l.ops(use(rb),
		regalloc.FixedUse(rax), regalloc.FixedUse(rdx), regalloc.FixedDef(rax), regalloc.FixedDef(rdx))})
	res := rax
	if rem {
		res = rdx
	}
	l.copy(regalloc.Def(d), regalloc.FixedUse(res), t)
}

// shift lowers shifts and rotates: by an immediate, or by cl. The processor masks the count
// to the operand width, as wasm does.
func (l *lowerer) shift(in *ir.Instr) {
	a, b := in.Args[0], in.Args[1]
	t := l.typeOf(in.Results[0])
	w := widthOf(t)
	d := regalloc.VReg(in.Results[0])
	o := shiftOps[in.Op]
	if c, ok := l.constOf(b); ok {
		n := int64(c) & int64(w.Bits()-1)
		if n == 0 {
			l.into(regalloc.Def(d), a)
			return
		}
		if (o == opRol || o == opRor) && l.v3() {
			// rorx is three-operand: no copy of the input. A left rotate by n is a right
			// one by w-n.
			if o == opRol {
				n = int64(w.Bits()) - n
			}
			l.emit(inst{op: opRorx, form: fRRI, w: w, imm: n, nvis: 2, ops: l.ops(regalloc.Def(d), use(l.vr(a)))})
			return
		}
		ta := l.fresh(a)
		l.emit(inst{op: o, form: fRI, w: w, imm: n, nvis: 1, ops: l.ops(regalloc.ReuseDef(d, 1), use(ta))})
		return
	}
	if x := bmi2Shifts[in.Op]; x != opNone && l.v3() {
		l.emit(inst{op: x, form: fRRR, w: w, nvis: 3, ops: l.ops(regalloc.Def(d), use(l.vr(a)), use(l.vr(b)))})
		return
	}
	rcx := preg(RCX)
	l.into(regalloc.FixedDef(rcx), b)
	ta := l.fresh(a)
	l.emit(inst{op: o, form: fR, w: w, nvis: 1, ops: l.ops(regalloc.ReuseDef(d, 1), use(ta), regalloc.FixedUse(rcx))})
}

// bmi2Shifts are the x86-64-v3 shifts by a register, indexed like shiftOps:
// three-operand, so that neither the count's move to cl nor the copy of the input a
// two-address shift overwrites is needed. A rotate by a register has no such form.
var bmi2Shifts = [...]op{ir.OpIShl: opShlx, ir.OpUShr: opShrx, ir.OpSShr: opSarx, ir.OpRotl: opNone, ir.OpRotr: opNone}

// v3 reports whether the code may use x86-64-v3's instructions (--cpu x86-64-v3): the
// flag decides, never the build host (DESIGN.md decision 12).
func (l *lowerer) v3() bool { return l.env.CPU >= backend.CPUX8664V3 }

// bitCount lowers clz, ctz and popcnt. At x86-64-v3 clz and ctz are lzcnt and tzcnt; at
// x86-64-v2 they use bsr and bsf, which every x86-64 has, rather than lzcnt and tzcnt: a CPU without LZCNT or BMI1 runs those as bsr and bsf, whose
// answers differ, and would print wrong results without a fault (issue 19, finding 10).
// bsr and bsf set ZF for a zero operand, whose answer the cmov supplies:
//
//	clz: mov k, 2w-1; bsr i, x; cmovz i, k; xor i, w-1   ((w-1) - index, and w for zero)
//	ctz: mov k, w;    bsf i, x; cmovz i, k
//
// popcnt needs POPCNT (x86-64-v2), which process entry checks.
func (l *lowerer) bitCount(in *ir.Instr) {
	t := l.typeOf(in.Results[0])
	w := widthOf(t)
	x, d := l.vr(in.Args[0]), regalloc.VReg(in.Results[0])
	if in.Op == ir.OpPopcnt {
		l.emit(inst{op: opPopcnt, form: fRR, w: w, nvis: 2, ops: l.ops(regalloc.Def(d), use(x))})
		return
	}
	if l.v3() {
		// lzcnt and tzcnt answer w for zero themselves; entry has checked LZCNT and BMI1,
		// without which they would run as bsr and bsf and answer wrongly.
		o := opTzcnt
		if in.Op == ir.OpClz {
			o = opLzcnt
		}
		l.emit(inst{op: o, form: fRR, w: w, nvis: 2, ops: l.ops(regalloc.Def(d), use(x))})
		return
	}
	bits := int64(32)
	if w == W64 {
		bits = 64
	}
	zero, scan, res := bits, opBsf, d
	if in.Op == ir.OpClz {
		zero, scan, res = 2*bits-1, opBsr, l.newVReg(t)
	}
	k, i := l.newVReg(t), l.newVReg(t)
	l.emit(inst{op: opMovImm, form: fR, w: w, imm: zero, nvis: 1, ops: l.ops(regalloc.Def(k))})
	l.emit(inst{op: scan, form: fRR, w: w, nvis: 2, ops: l.ops(regalloc.Def(i), use(x))})
	l.emit(inst{op: opCmov, form: fRR, w: w, cc: cond(CondE), nvis: 2, ops: l.ops(regalloc.ReuseDef(res, 2), use(k), use(i))})
	if in.Op == ir.OpClz {
		l.emit(inst{op: opXor, form: fRI, w: w, imm: bits - 1, nvis: 1, ops: l.ops(regalloc.ReuseDef(d, 1), use(res))})
	}
}

// extend lowers the width changes. zext is a copy: an i32 is kept zero-extended (abi.go).
func (l *lowerer) extend(in *ir.Instr) {
	a := in.Args[0]
	d := def(in.Results[0])
	t := l.typeOf(in.Results[0])
	switch in.Op {
	case ir.OpExtend8:
		l.emit(inst{op: opMovsx, form: fRR, w: widthOf(t), w2: W8, nvis: 2, ops: l.ops(d, use(l.vr(a)))})
	case ir.OpExtend16:
		l.emit(inst{op: opMovsx, form: fRR, w: widthOf(t), w2: W16, nvis: 2, ops: l.ops(d, use(l.vr(a)))})
	case ir.OpExtend32, ir.OpSExt:
		l.emit(inst{op: opMovsxd, form: fRR, w: W64, w2: W32, nvis: 2, ops: l.ops(d, use(l.vr(a)))})
	case ir.OpZExt:
		l.into(d, a)
	case ir.OpWrap:
		// A 32-bit mov clears the upper half, as the i32 invariant needs; it is not a copy
		// the allocator could drop.
		l.emit(inst{op: opMov, form: fRR, w: W32, nvis: 2, ops: l.ops(d, use(l.vr(a)))})
	}
}

// intConds maps icmp conditions to x86 conditions after cmp a, b.
var intConds = [...]Cond{
	ir.CondEq: CondE, ir.CondNe: CondNE,
	ir.CondSLT: CondL, ir.CondSLE: CondLE, ir.CondSGT: CondG, ir.CondSGE: CondGE,
	ir.CondULT: CondB, ir.CondULE: CondBE, ir.CondUGT: CondA, ir.CondUGE: CondAE,
}

// swapCond gives the condition for cmp b, a that holds when c holds for cmp a, b.
func swapCond(c Cond) Cond {
	switch c {
	case CondL:
		return CondG
	case CondG:
		return CondL
	case CondLE:
		return CondGE
	case CondGE:
		return CondLE
	case CondB:
		return CondA
	case CondA:
		return CondB
	case CondBE:
		return CondAE
	case CondAE:
		return CondBE
	}
	return c
}

// cond emits what sets the flags for the i32 condition v and returns the condition that
// holds when v is non-zero: the fused compare itself, or a test of v.
func (l *lowerer) cond(v ir.Value) cond {
	if l.Kind[v] == backend.ValFused {
		return l.compare(&l.f.Instrs[l.f.Values[v].Instr])
	}
	r := l.vr(v)
	l.emit(inst{op: opTest, form: fRR, w: W32, nvis: 2, ops: l.ops(use(r), use(r))})
	return cond(CondNE)
}

// compare emits the compare of an icmp, fcmp, eqz or refisnull and returns the condition
// that holds when its result would be 1. Operands are materialized before the compare.
func (l *lowerer) compare(in *ir.Instr) cond {
	switch in.Op {
	case ir.OpEqz, ir.OpRefIsNull:
		r := l.vr(in.Args[0])
		w := widthOf(l.typeOf(in.Args[0]))
		l.emit(inst{op: opTest, form: fRR, w: w, nvis: 2, ops: l.ops(use(r), use(r))})
		return cond(CondE)
	case ir.OpFCmp:
		return l.fcompare(in)
	}
	a, b := in.Args[0], in.Args[1]
	w := widthOf(l.typeOf(a))
	cc := intConds[in.Cond]
	_, aConst := l.constOf(a)
	_, bConst := l.constOf(b)
	if aConst && !bConst {
		a, b, cc = b, a, swapCond(cc)
	}
	if imm, ok := l.imm32(b, w); ok {
		ra := l.vr(a)
		if imm == 0 {
			// test sets the flags exactly as cmp with 0 would, one byte shorter.
			l.emit(inst{op: opTest, form: fRR, w: w, nvis: 2, ops: l.ops(use(ra), use(ra))})
		} else {
			l.emit(inst{op: opCmp, form: fRI, w: w, imm: int64(imm), nvis: 1, ops: l.ops(use(ra))})
		}
		return cond(cc)
	}
	ra, rb := l.vr(a), l.vr(b)
	l.emit(inst{op: opCmp, form: fRR, w: w, nvis: 2, ops: l.ops(use(ra), use(rb))})
	return cond(cc)
}

// fcompare emits ucomiss or ucomisd. It sets ZF, PF and CF: all three for unordered, CF for
// less, ZF for equal (Intel SDM vol. 2B, UCOMISS). Ordered greater is then "above", and less
// is greater with the operands swapped, so only eq and ne need two flags.
func (l *lowerer) fcompare(in *ir.Instr) cond {
	a, b := in.Args[0], in.Args[1]
	w := widthOf(l.typeOf(a))
	cc := cond(CondA)
	switch in.Cond {
	case ir.CondEq:
		cc = condFEq
		if a == b {
			cc = cond(CondNP)
		}
	case ir.CondNe:
		cc = condFNe
		if a == b {
			cc = cond(CondP)
		}
	case ir.CondGE:
		cc = cond(CondAE)
	case ir.CondLT:
		a, b = b, a
	case ir.CondLE:
		a, b, cc = b, a, cond(CondAE)
	}
	ra, rb := l.vr(a), l.vr(b)
	l.emit(inst{op: opUcomis, form: fRR, w: w, nvis: 2, ops: l.ops(use(ra), use(rb))})
	return cc
}

// zero emits a new register holding 0, before a compare: the xor clobbers the flags.
func (l *lowerer) zero() regalloc.VReg {
	z := l.newVReg(ir.I32)
	l.emit(inst{op: opMovImm, form: fR, w: W32, nvis: 1, ops: l.ops(regalloc.Def(z))})
	return z
}

// setcc materializes a compare as 0 or 1: the destination is zeroed before the compare, so
// that setcc's byte write leaves a clean 32-bit value.
func (l *lowerer) setcc(in *ir.Instr) {
	d := regalloc.VReg(in.Results[0])
	if in.Op == ir.OpFCmp && in.Args[0] != in.Args[1] && (in.Cond == ir.CondEq || in.Cond == ir.CondNe) {
		// eq is ZF and not PF; ne is not ZF or PF.
		z1, z2 := l.zero(), l.zero()
		cc := l.fcompare(in)
		c1, c2, combine := cond(CondE), cond(CondNP), opAnd
		if cc == condFNe {
			c1, c2, combine = cond(CondNE), cond(CondP), opOr
		}
		s1, s2 := l.newVReg(ir.I32), l.newVReg(ir.I32)
		l.emit(inst{op: opSetcc, form: fR, cc: c1, nvis: 1, ops: l.ops(regalloc.ReuseDef(s1, 1), use(z1))})
		l.emit(inst{op: opSetcc, form: fR, cc: c2, nvis: 1, ops: l.ops(regalloc.ReuseDef(s2, 1), use(z2))})
		l.emit(inst{op: combine, form: fRR, w: W32, nvis: 2, ops: l.ops(regalloc.ReuseDef(d, 2), use(s2), use(s1))})
		return
	}
	z := l.zero()
	cc := l.compare(in)
	l.emit(inst{op: opSetcc, form: fR, cc: cc, nvis: 1, ops: l.ops(regalloc.ReuseDef(d, 1), use(z))})
}

// selectOp lowers select to cmov, or to a short branch over a movaps for floats.
func (l *lowerer) selectOp(in *ir.Instr) {
	c, a, b := in.Args[0], in.Args[1], in.Args[2]
	t := l.typeOf(in.Results[0])
	d := regalloc.VReg(in.Results[0])
	if a == b {
		l.into(regalloc.Def(d), a)
		return
	}
	tb := l.fresh(b)
	ra := l.vr(a)
	cc := l.cond(c)
	o := opCmov
	if isXMMType(t) {
		o = opFSel
	}
	l.emit(inst{op: o, form: fRR, w: widthOf(t), cc: cc, nvis: 2, ops: l.ops(regalloc.ReuseDef(d, 2), use(ra), use(tb))})
}
