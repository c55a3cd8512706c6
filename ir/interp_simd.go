package ir

import endian "encoding/binary"

// The interpreter's v128 values: each takes two adjacent number slots, the low 64 bits
// first, so frames, branches and calls move them as two numbers (a list entry marked
// vecSlot). The pure vector ops are computed by evalVector (eval_simd.go), which constant
// folding may share; loads and stores of vectors are here.

// vecInfo packs what a kVec or kVecMem op needs of its instruction into dop.y: the
// shape, the signedness, the condition, which operands are v128 (bit i for operand i)
// and whether the result is; the memory of a memory op goes in the top byte.
func vecInfo(in *Instr, f *Func) uint32 {
	y := uint32(in.Shape) | uint32(in.Cond)<<8
	if in.Signed {
		y |= 1 << 16
	}
	for i, a := range in.Args {
		if i < 3 && f.TypeOf(a) == V128 {
			y |= 1 << (17 + i)
		}
	}
	if len(in.Results) == 1 && f.TypeOf(in.Results[0]) == V128 {
		y |= 1 << 20
	}
	return y
}

// vector decodes an instruction with a v128 operand or result, if it is one the
// generic decoding does not cover (calls, returns and branches are).
func (d *decoder) vector(o *dop, in *Instr, res, last Type) (bool, error) {
	switch in.Op {
	case OpV128Const:
		o.k = kConstV128
	case OpCopy:
		o.k = kCopyV128
	case OpSelect:
		o.k = kSelectV128
	case OpGlobalGet:
		o.k = kGlobalGetV128
	case OpGlobalSet:
		o.k = kGlobalSetV128
	case OpLoad, OpStore, OpVLoadExt, OpVLoadSplat, OpVLoadZero, OpVLoadLane, OpVStoreLane:
		o.k, o.x = kVecMem, uint32(in.Op)
		o.y = vecInfo(in, d.f) | in.Index<<24
		if in.Index >= 1<<8 {
			return true, ErrUnsupported // 256 memories: far beyond any linked program
		}
	default:
		if !isVectorOp(in.Op) {
			return false, nil
		}
		o.k, o.x, o.y = kVec, uint32(in.Op), vecInfo(in, d.f)
	}
	return true, nil
}

// vecOperands reads a vector op's operands from their slots: two for a v128, one for a
// scalar.
func vecOperands(o *dop, regs []uint64) (a, b, c vec) {
	get := func(slot uint32, bit uint32) vec {
		if o.y&(1<<bit) != 0 {
			return vec{regs[slot], regs[slot+1]}
		}
		return vec{lo: regs[slot]}
	}
	return get(o.a, 17), get(o.b, 18), get(o.c, 19)
}

// setResult writes a vector op's result: two slots for a v128, else one.
func setResult(o *dop, regs []uint64, r vec) {
	regs[o.d] = r.lo
	if o.y&(1<<20) != 0 {
		regs[o.d+1] = r.hi
	}
}

// execVec runs a kVec op.
func execVec(o *dop, regs []uint64) {
	a, b, c := vecOperands(o, regs)
	op := vecOp{op: Op(o.x), shape: Shape(o.y & 0xff), cond: Cond(o.y >> 8 & 0xff), signed: o.y&(1<<16) != 0,
		imm: vec{o.imm, o.imm2}}
	setResult(o, regs, evalVector(op, a, b, c))
}

// execVecMem runs a kVecMem op on memory mem; ok is false for an access outside it,
// which its boundscheck should have refused.
func execVecMem(o *dop, regs []uint64, mem []byte) bool {
	op, sh, signed := Op(o.x), Shape(o.y&0xff), o.y&(1<<16) != 0
	n := uint64(16)
	if op != OpLoad && op != OpStore {
		n = uint64(VecAccessWidth(op, sh))
	}
	ea, ok := access(len(mem), regs[o.a], o.imm, n)
	if !ok {
		return false
	}
	b := mem[ea : ea+int(n)]
	w := sh.LaneBits()
	var r vec
	switch op {
	case OpLoad:
		r = vecOf(b)
	case OpStore:
		endian.LittleEndian.PutUint64(b, regs[o.b])
		endian.LittleEndian.PutUint64(b[8:], regs[o.b+1])
		return true
	case OpVLoadExt:
		x := endian.LittleEndian.Uint64(b)
		for i := range sh.Lanes() {
			lane := x >> (i * w / 2) & (1<<(w/2) - 1)
			if signed {
				lane = uint64(sext(lane, w/2))
			}
			r.setLane(w, i, lane)
		}
	case OpVLoadSplat:
		x := loadLane(b)
		for i := range sh.Lanes() {
			r.setLane(w, i, x)
		}
	case OpVLoadZero:
		r.setLane(w, 0, loadLane(b))
	case OpVLoadLane:
		r = vec{regs[o.b], regs[o.b+1]}
		r.setLane(w, int(o.imm2), loadLane(b))
	case OpVStoreLane:
		x := vec{regs[o.b], regs[o.b+1]}.lane(w, int(o.imm2))
		for i := range b {
			b[i] = byte(x >> (8 * i))
		}
		return true
	}
	setResult(o, regs, r)
	return true
}

// loadLane reads a little-endian lane of len(b) bytes.
func loadLane(b []byte) uint64 {
	var x uint64
	for i := len(b) - 1; i >= 0; i-- {
		x = x<<8 | uint64(b[i])
	}
	return x
}
