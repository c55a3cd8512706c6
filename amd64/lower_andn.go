package amd64

import (
	"github.com/wasmc/wasmc/backend"
	"github.com/wasmc/wasmc/ir"
	"github.com/wasmc/wasmc/regalloc"
)

// andn at x86-64-v3 (BMI1): wasm has no not, so a & ~b arrives as iand a, (ixor b, -1).
// When that ixor's only use is an iand of the same block, the ixor is not computed (its
// value is marked fused) and the iand is one three-operand andn d, b, a instead of a
// not, a copy and an and.

// markAndn marks the ixors that fuse into andn. It runs after the value analysis, and only
// at x86-64-v3, so that the code depends on the flag alone.
func (l *lowerer) markAndn() {
	if !l.v3() {
		return
	}
	for _, b := range l.BlockIR {
		if b == ir.NoBlock {
			continue
		}
		for _, id := range l.f.Blocks[b].Instrs {
			in := &l.f.Instrs[id]
			if in.Op != ir.OpIAnd || l.Kind[in.Results[0]] != backend.ValNormal {
				continue
			}
			for k, x := range in.Args {
				other := in.Args[1-k]
				if l.Kind[x] != backend.ValNormal || l.Uses[x] != 1 || l.Kind[other] == backend.ValFolded || l.notOf(x, b) == ir.NoValue {
					continue
				}
				l.Kind[x] = backend.ValFused
				break
			}
		}
	}
}

// notOf returns b if x is ixor b, -1 (or ixor -1, b) in block blk, otherwise ir.NoValue.
func (l *lowerer) notOf(x ir.Value, blk ir.BlockID) ir.Value {
	vd := l.f.Values[x]
	if vd.Kind != ir.DefResult {
		return ir.NoValue
	}
	def := &l.f.Instrs[vd.Instr]
	if def.Op != ir.OpIXor || def.Block != blk {
		return ir.NoValue
	}
	ones := uint64(1)<<32 - 1
	if widthOf(l.typeOf(x)) == W64 {
		ones = 1<<64 - 1
	}
	for k, a := range def.Args {
		if c, ok := l.constOf(a); ok && c == ones && l.Kind[def.Args[1-k]] != backend.ValFolded {
			return def.Args[1-k]
		}
	}
	return ir.NoValue
}

// andn lowers in, an iand, as andn if markAndn fused one of its operands, and reports
// whether it did.
func (l *lowerer) andn(in *ir.Instr) bool {
	for k, x := range in.Args {
		if l.Kind[x] != backend.ValFused {
			continue
		}
		b := l.notOf(x, in.Block)
		w := widthOf(l.typeOf(in.Results[0]))
		l.emit(inst{op: opAndn, form: fRRR, w: w, nvis: 3,
			ops: l.ops(regalloc.Def(regalloc.VReg(in.Results[0])), use(l.vr(b)), use(l.vr(in.Args[1-k])))})
		return true
	}
	return false
}
