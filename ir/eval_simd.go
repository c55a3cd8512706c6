package ir

import (
	endian "encoding/binary"
	"math/bits"
)

// This file computes the pure vector ops on constant bits, lane by lane, with
// WebAssembly's exact semantics. Float lanes go through evalScalar, so a vector lane and
// the scalar op agree bit for bit (NaN results included: the canonical NaN, see eval.go);
// the interpreter runs vector ops through evalVector, as it runs scalar ops through
// evalScalar.

// vec is a v128 value: lo holds bytes 0 to 7 (lane 0 first, little-endian), hi bytes 8
// to 15. A scalar operand or result of a vector op (splat's operand, extract's result,
// a shift count) is in lo, as a scalar slot holds it.
type vec struct{ lo, hi uint64 }

func (v vec) bytes() (b [16]byte) {
	endian.LittleEndian.PutUint64(b[:8], v.lo)
	endian.LittleEndian.PutUint64(b[8:], v.hi)
	return b
}

func vecOf(b []byte) vec {
	return vec{endian.LittleEndian.Uint64(b[:8]), endian.LittleEndian.Uint64(b[8:16])}
}

// lane returns lane i of width w bits, zero-extended.
func (v vec) lane(w, i int) uint64 {
	bit := w * i
	word := v.lo
	if bit >= 64 {
		word, bit = v.hi, bit-64
	}
	if w == 64 {
		return word
	}
	return word >> bit & (1<<w - 1)
}

// setLane sets lane i of width w bits to the low w bits of x.
func (v *vec) setLane(w, i int, x uint64) {
	bit := w * i
	word := &v.lo
	if bit >= 64 {
		word, bit = &v.hi, bit-64
	}
	if w == 64 {
		*word = x
		return
	}
	m := uint64(1<<w-1) << bit
	*word = *word&^m | x<<bit&m
}

// sext sign-extends the low w bits of x.
func sext(x uint64, w int) int64 { return int64(x<<(64-w)) >> (64 - w) }

// vecOp is what a vector op's evaluation needs of its instruction besides the operands.
type vecOp struct {
	op     Op
	shape  Shape
	signed bool
	cond   Cond
	imm    vec // vshuffle's lane indices; the lane of vextract and vreplace in imm.hi
}

// isVectorOp reports whether op is one of the pure vector ops evalVector computes.
func isVectorOp(op Op) bool { return op >= OpVSplat && op <= OpVPromote }

func vecOpOf(in *Instr) vecOp {
	return vecOp{op: in.Op, shape: in.Shape, signed: in.Signed, cond: in.Cond, imm: vec{in.Imm, in.Imm2}}
}

// mapLanes computes r[i] = fn(a[i], b[i]) over lanes of w bits.
func mapLanes(w int, a, b vec, fn func(x, y uint64) uint64) vec {
	var r vec
	for i := range 128 / w {
		r.setLane(w, i, fn(a.lane(w, i), b.lane(w, i)))
	}
	return r
}

// floatKind is the scalar kind of a float lane op: k32 for f32x4, the matching f64 kind
// (k32 + the distance from sF32Add to sF64Add) for f64x2.
func floatKind(s Shape, k32 scalar) scalar {
	if s == F64x2 {
		return k32 + (sF64Add - sF32Add)
	}
	return k32
}

// satS and satU clamp x to the signed or unsigned range of w bits.
func satS(x int64, w int) uint64 {
	lo, hi := -int64(1)<<(w-1), int64(1)<<(w-1)-1
	return uint64(min(max(x, lo), hi))
}

func satU(x int64, w int) uint64 { return uint64(min(max(x, 0), int64(1)<<w-1)) }

// evalVector computes a pure vector op on operands a, b and c (as many as it takes).
func evalVector(o vecOp, a, b, c vec) vec {
	w := o.shape.LaneBits()
	n := o.shape.Lanes()
	ext := func(x uint64, w int) int64 { // a lane of w bits as a number, by o.signed
		if o.signed {
			return sext(x, w)
		}
		return int64(x)
	}
	switch o.op {
	case OpVSplat:
		var r vec
		for i := range n {
			r.setLane(w, i, a.lo)
		}
		return r
	case OpVExtract:
		x := a.lane(w, int(o.imm.hi))
		if o.signed {
			return vec{lo: uint64(uint32(sext(x, w)))}
		}
		return vec{lo: x}
	case OpVReplace:
		a.setLane(w, int(o.imm.hi), b.lo)
		return a
	case OpVShuffle:
		ab, bb, idx := a.bytes(), b.bytes(), o.imm.bytes()
		var r [16]byte
		for i, j := range idx {
			if j < 16 {
				r[i] = ab[j]
			} else if j < 32 {
				r[i] = bb[j-16]
			}
		}
		return vecOf(r[:])
	case OpVSwizzle:
		ab, sb := a.bytes(), b.bytes()
		var r [16]byte
		for i, j := range sb {
			if j < 16 {
				r[i] = ab[j]
			}
		}
		return vecOf(r[:])
	case OpVNot:
		return vec{^a.lo, ^a.hi}
	case OpVAnd:
		return vec{a.lo & b.lo, a.hi & b.hi}
	case OpVAndNot:
		return vec{a.lo &^ b.lo, a.hi &^ b.hi}
	case OpVOr:
		return vec{a.lo | b.lo, a.hi | b.hi}
	case OpVXor:
		return vec{a.lo ^ b.lo, a.hi ^ b.hi}
	case OpVBitselect:
		return vec{a.lo&c.lo | b.lo&^c.lo, a.hi&c.hi | b.hi&^c.hi}
	case OpVAnyTrue:
		return vec{lo: b2u(a.lo|a.hi != 0)}
	case OpVAllTrue:
		for i := range n {
			if a.lane(w, i) == 0 {
				return vec{}
			}
		}
		return vec{lo: 1}
	case OpVBitmask:
		var m uint64
		for i := range n {
			m |= a.lane(w, i) >> (w - 1) << i
		}
		return vec{lo: m}
	case OpVIAdd:
		return mapLanes(w, a, b, func(x, y uint64) uint64 { return x + y })
	case OpVISub:
		return mapLanes(w, a, b, func(x, y uint64) uint64 { return x - y })
	case OpVIMul:
		return mapLanes(w, a, b, func(x, y uint64) uint64 { return x * y })
	case OpVINeg:
		return mapLanes(w, a, b, func(x, _ uint64) uint64 { return -x })
	case OpVIAbs:
		return mapLanes(w, a, b, func(x, _ uint64) uint64 {
			if sext(x, w) < 0 {
				return -x
			}
			return x
		})
	case OpVPopcnt:
		return mapLanes(w, a, b, func(x, _ uint64) uint64 { return uint64(bits.OnesCount64(x)) })
	case OpVAddSat, OpVSubSat:
		return mapLanes(w, a, b, func(x, y uint64) uint64 {
			s := ext(x, w)
			if o.op == OpVAddSat {
				s += ext(y, w)
			} else {
				s -= ext(y, w)
			}
			if o.signed {
				return satS(s, w)
			}
			return satU(s, w)
		})
	case OpVIMin, OpVIMax:
		return mapLanes(w, a, b, func(x, y uint64) uint64 {
			if ext(x, w) < ext(y, w) == (o.op == OpVIMin) {
				return x
			}
			return y
		})
	case OpVAvgr:
		return mapLanes(w, a, b, func(x, y uint64) uint64 { return (x + y + 1) >> 1 })
	case OpVQ15MulrSat:
		return mapLanes(w, a, b, func(x, y uint64) uint64 {
			return satS((sext(x, 16)*sext(y, 16)+1<<14)>>15, 16)
		})
	case OpVDot:
		var r vec
		for i := range 4 {
			p := sext(a.lane(16, 2*i), 16)*sext(b.lane(16, 2*i), 16) +
				sext(a.lane(16, 2*i+1), 16)*sext(b.lane(16, 2*i+1), 16)
			r.setLane(32, i, uint64(p))
		}
		return r
	case OpVIShl, OpVIShr:
		s := b.lo & uint64(w-1)
		return mapLanes(w, a, b, func(x, _ uint64) uint64 {
			switch {
			case o.op == OpVIShl:
				return x << s
			case o.signed:
				return uint64(sext(x, w) >> s)
			}
			return x >> s
		})
	case OpVICmp:
		k := sI64Eq + scalar(o.cond-CondEq)
		return mapLanes(w, a, b, func(x, y uint64) uint64 {
			// Signed lanes compare as their sign-extended 64-bit values.
			r, _ := evalScalar(k, uint64(sext(x, w)), uint64(sext(y, w)), 0)
			if o.cond >= CondULT {
				r, _ = evalScalar(k, x, y, 0)
			}
			return -r
		})
	case OpVFCmp:
		off := scalar(o.cond - CondEq)
		if o.cond >= CondLT {
			off = 2 + scalar(o.cond-CondLT)
		}
		k := floatKind(o.shape, sF32Eq+off)
		return mapLanes(w, a, b, func(x, y uint64) uint64 {
			r, _ := evalScalar(k, x, y, 0)
			return -r
		})
	case OpVFAdd, OpVFSub, OpVFMul, OpVFDiv, OpVFMin, OpVFMax:
		k := floatKind(o.shape, sF32Add+scalar(o.op-OpVFAdd))
		return mapLanes(w, a, b, func(x, y uint64) uint64 {
			r, _ := evalScalar(k, x, y, 0)
			return r
		})
	case OpVFAbs, OpVFNeg, OpVFSqrt, OpVFCeil, OpVFFloor, OpVFTrunc, OpVFNearest:
		k := floatKind(o.shape, sF32Abs+scalar(o.op-OpVFAbs))
		return mapLanes(w, a, b, func(x, _ uint64) uint64 {
			r, _ := evalScalar(k, x, 0, 0)
			return r
		})
	case OpVFPMin, OpVFPMax:
		lt := floatKind(o.shape, sF32Lt)
		return mapLanes(w, a, b, func(x, y uint64) uint64 {
			if o.op == OpVFPMin {
				if r, _ := evalScalar(lt, y, x, 0); r != 0 {
					return y
				}
				return x
			}
			if r, _ := evalScalar(lt, x, y, 0); r != 0 {
				return y
			}
			return x
		})
	case OpVNarrow:
		var r vec
		for i := range n {
			src, j := a, i
			if i >= n/2 {
				src, j = b, i-n/2
			}
			x := sext(src.lane(2*w, j), 2*w) // the operands' lanes are always signed
			if o.signed {
				r.setLane(w, i, satS(x, w))
			} else {
				r.setLane(w, i, satU(x, w))
			}
		}
		return r
	case OpVExtendLo, OpVExtendHi:
		base := 0
		if o.op == OpVExtendHi {
			base = n
		}
		var r vec
		for i := range n {
			r.setLane(w, i, uint64(ext(a.lane(w/2, base+i), w/2)))
		}
		return r
	case OpVExtMulLo, OpVExtMulHi:
		base := 0
		if o.op == OpVExtMulHi {
			base = n
		}
		var r vec
		for i := range n {
			r.setLane(w, i, uint64(ext(a.lane(w/2, base+i), w/2)*ext(b.lane(w/2, base+i), w/2)))
		}
		return r
	case OpVExtAddPairs:
		var r vec
		for i := range n {
			r.setLane(w, i, uint64(ext(a.lane(w/2, 2*i), w/2)+ext(a.lane(w/2, 2*i+1), w/2)))
		}
		return r
	case OpVTruncSat:
		k := sI32TruncSatF32S
		if o.shape == F64x2 {
			k = sI32TruncSatF64S
		}
		if !o.signed {
			k++
		}
		var r vec
		for i := range n {
			x, _ := evalScalar(k, a.lane(w, i), 0, 0)
			r.setLane(32, i, x)
		}
		return r
	case OpVConvert:
		k := sF32ConvertI32S
		if o.shape == F64x2 {
			k = sF64ConvertI32S
		}
		if !o.signed {
			k++
		}
		var r vec
		for i := range n {
			x, _ := evalScalar(k, a.lane(32, i), 0, 0)
			r.setLane(w, i, x)
		}
		return r
	case OpVDemote:
		var r vec
		for i := range 2 {
			x, _ := evalScalar(sF32DemoteF64, a.lane(64, i), 0, 0)
			r.setLane(32, i, x)
		}
		return r
	case OpVPromote:
		var r vec
		for i := range 2 {
			x, _ := evalScalar(sF64PromoteF32, a.lane(32, i), 0, 0)
			r.setLane(64, i, x)
		}
		return r
	}
	return vec{}
}
