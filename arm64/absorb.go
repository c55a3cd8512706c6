package arm64

import (
	"math/bits"

	"github.com/wasmc/wasmc/backend"
	"github.com/wasmc/wasmc/ir"
)

// Absorbing: A64's data-processing instructions compute a little more than one IR op. Before
// a block is lowered, each integer add, sub, and, or and xor looks at its operands; one that
// the block computes only for it, by an op the instruction can do on the way, is absorbed:
// not computed on its own, but inside its user, which reads the absorbed op's operands
// instead (Arm ARM C6.2):
//
//	iadd a, (ishl b, k)      add  d, a, b, lsl #k      (also ushr: lsr, sshr: asr; imul by 2^k)
//	isub a, (imul b, c)      msub d, b, c, a           (iadd: madd)
//	iand a, (ixor b, -1)     bic  d, a, b              (ior: orn, ixor: eon)
//	brif (iand a, 1<<k)      tbnz a, #k                (eqz of it: tbz; trapif too)
//
// The absorbed op is pure and its operands are SSA values defined before it, so computing it
// at its user, later in the same block, changes nothing but the instruction count. An op that
// absorbed something itself is not absorbed in turn: its operands are not registers.

// absorb marks the values of block b that their users compute.
func (l *lowerer) absorb(b ir.BlockID) {
	for _, id := range l.f.Blocks[b].Instrs {
		in := &l.f.Instrs[id]
		if in.Op == ir.OpBrIf || in.Op == ir.OpTrapIf {
			l.absorbBit(in.Args[0], b)
			continue
		}
		if len(in.Results) != 1 || l.Kind[in.Results[0]] != backend.ValNormal {
			continue
		}
		switch in.Op {
		case ir.OpIAdd, ir.OpISub, ir.OpIAnd, ir.OpIOr, ir.OpIXor:
		default:
			continue
		}
		w := widthOf(l.typeOf(in.Results[0]))
		for k := 1; k >= 0; k-- {
			if k == 0 && !in.Op.Flags().Has(ir.Commutative) {
				break // a - (b shifted) only: the first operand of sub is a plain register
			}
			other := in.Args[1-k]
			if _, ok := l.intConst(other, w); ok {
				// An immediate form (or mvn) after the op is as short, and needs no
				// register for the constant.
				continue
			}
			d := l.candidate(in.Args[k], b)
			if d == nil {
				continue
			}
			_, _, _, ok := l.shiftOf(d, w)
			switch in.Op {
			case ir.OpIAdd, ir.OpISub:
				ok = ok || d.Op == ir.OpIMul
			default:
				_, not := l.notOf(d, w)
				ok = ok || not
			}
			if ok {
				l.absorbed[in.Args[k]] = true
				break
			}
		}
	}
}

// absorbBit absorbs the iand with a power of two that condition c of a brif or trapif in
// block b tests, directly or through a fused eqz: the branch is tbz or tbnz of that bit
// (lower_cmp.go, branchTest).
func (l *lowerer) absorbBit(c ir.Value, b ir.BlockID) {
	if l.Kind[c] == backend.ValFused {
		d := l.def(c)
		if d.Op != ir.OpEqz {
			return
		}
		c = d.Args[0]
	}
	if d := l.candidate(c, b); d != nil {
		if _, _, ok := l.singleBit(d); ok {
			l.absorbed[c] = true
		}
	}
}

// singleBit returns x and k if d is iand x, 2^k (or iand 2^k, x).
func (l *lowerer) singleBit(d *ir.Instr) (ir.Value, uint8, bool) {
	if d.Op != ir.OpIAnd {
		return 0, 0, false
	}
	w := widthOf(l.typeOf(d.Results[0]))
	for k := range 2 {
		if c, ok := l.intConst(d.Args[k], w); ok && c != 0 && c&(c-1) == 0 {
			return d.Args[1-k], uint8(bits.TrailingZeros64(c)), true
		}
	}
	return 0, 0, false
}

// candidate returns the instruction that defines v if v can be absorbed into a user in block
// b: computed normally, in b, used once, by an instruction that absorbed nothing itself.
func (l *lowerer) candidate(v ir.Value, b ir.BlockID) *ir.Instr {
	d := l.def(v)
	if d == nil || d.Block != b || l.Uses[v] != 1 || l.Kind[v] != backend.ValNormal {
		return nil
	}
	for _, a := range d.Args {
		if l.absorbed[a] {
			return nil
		}
	}
	return d
}

// shiftOf returns the value that d, of width w, shifts and the shift, if d is a shift by a
// constant (or a multiply by a power of two) that a shifted register operand can do.
func (l *lowerer) shiftOf(d *ir.Instr, w Width) (ir.Value, Shift, uint8, bool) {
	switch d.Op {
	case ir.OpIShl, ir.OpUShr, ir.OpSShr:
		c, ok := l.intConst(d.Args[1], w)
		if !ok {
			return 0, 0, 0, false
		}
		sh := ShiftLSL
		switch d.Op {
		case ir.OpUShr:
			sh = ShiftLSR
		case ir.OpSShr:
			sh = ShiftASR
		}
		return d.Args[0], sh, uint8(c & uint64(w.Bits()-1)), true
	case ir.OpIMul:
		for k := range 2 {
			c, ok := l.intConst(d.Args[k], w)
			if ok && c != 0 && c&(c-1) == 0 {
				return d.Args[1-k], ShiftLSL, uint8(bits.TrailingZeros64(c)), true
			}
		}
	}
	return 0, 0, 0, false
}

// notOf returns x if d is ixor x, -1 (or ixor -1, x) at width w.
func (l *lowerer) notOf(d *ir.Instr, w Width) (ir.Value, bool) {
	if d.Op != ir.OpIXor {
		return 0, false
	}
	for k := range 2 {
		if c, ok := l.intConst(d.Args[k], w); ok && c == ones(w) {
			return d.Args[1-k], true
		}
	}
	return 0, false
}

// ones is the all-ones value of width w.
func ones(w Width) uint64 {
	if w == W32 {
		return 0xFFFFFFFF
	}
	return ^uint64(0)
}
