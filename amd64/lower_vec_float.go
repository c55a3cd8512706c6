package amd64

import (
	"math"

	"github.com/wasmc/wasmc/ir"
	"github.com/wasmc/wasmc/regalloc"
)

// Instruction selection for the float vector ops whose wasm semantics SSE lacks (lower_vec.go
// has the rest): compares with swapped operands, min and max with NaN and -0, the
// saturating truncations and the unsigned conversions, after V8's sequences.

// fcmpVec is vfcmp: cmpps and cmppd with predicates eq (0), lt (1), le (2) and neq (4,
// true when unordered, as wasm's ne); gt and ge swap the operands.
func (l *lowerer) fcmpVec(sh ir.Shape, cc ir.Cond, x, y regalloc.VReg) regalloc.VReg {
	o := fops(sh, Cmpps, Cmppd)
	switch cc {
	case ir.CondEq:
		return l.v2i(o, x, y, 0)
	case ir.CondNe:
		return l.v2i(o, x, y, 4)
	case ir.CondLT:
		return l.v2i(o, x, y, 1)
	case ir.CondLE:
		return l.v2i(o, x, y, 2)
	case ir.CondGT:
		return l.v2i(o, y, x, 1)
	case ir.CondGE:
		return l.v2i(o, y, x, 2)
	}
	l.unsupported("vfcmp %v %v is not supported", sh, cc)
	return 0
}

// fminVec is wasm's min per lane: minps in both orders (each returns its second operand
// for a NaN or a pair of zeros), or-ed so that -0 and NaNs propagate, and NaN lanes made
// canonical by clearing their payload.
func (l *lowerer) fminVec(sh ir.Shape, x, y regalloc.VReg) regalloc.VReg {
	minp := fops(sh, Minps, Minpd)
	s := l.v2(minp, y, x)
	d := l.v2(minp, x, y)
	s = l.v2(Orps, s, d)
	d = l.v2i(fops(sh, Cmpps, Cmppd), d, s, 3) // unordered: NaN lanes
	s = l.v2(Orps, s, d)
	d = l.vshift(fops(sh, PsrldI, PsrlqI), d, payloadBits(sh))
	return l.v2(Andnps, d, s)
}

// payloadBits shifts an all-ones lane right so that it covers the payload of a NaN but
// not its quiet bit: and-not with it leaves the canonical NaN.
func payloadBits(sh ir.Shape) uint8 {
	if sh == ir.F32x4 {
		return 10
	}
	return 13
}

// fmaxVec is wasm's max per lane: maxps in both orders; their difference (xor) marks the
// lanes where the order mattered, which the or and the subtraction turn into +0 or a NaN.
func (l *lowerer) fmaxVec(sh ir.Shape, x, y regalloc.VReg) regalloc.VReg {
	maxp := fops(sh, Maxps, Maxpd)
	s := l.v2(maxp, y, x)
	d := l.v2(maxp, x, y)
	d = l.v2(Xorps, d, s)
	s = l.v2(Orps, s, d)
	s = l.v2(fops(sh, Subps, Subpd), s, d)
	d = l.v2i(fops(sh, Cmpps, Cmppd), d, s, 3)
	d = l.vshift(fops(sh, PsrldI, PsrlqI), d, payloadBits(sh))
	return l.v2(Andnps, d, s)
}

// truncSat is vtruncsat to i32x4 lanes.
func (l *lowerer) truncSat(sh ir.Shape, signed bool, x regalloc.VReg) regalloc.VReg {
	switch {
	case sh == ir.F32x4 && signed:
		m := l.v2i(Cmpps, x, x, 0) // ordered lanes
		d := l.v2(Pand, x, m)      // NaN to 0
		m = l.v2(Pxor, m, d)       // top bit set where d >= 0
		d = l.v1(Cvttps2dq, d, 0)  // 0x80000000 where out of range
		m = l.vshift(PsradI, l.v2(Pand, m, d), 31)
		return l.v2(Pxor, d, m) // positive overflow to 0x7fffffff
	case sh == ir.F32x4:
		z := l.vzero()
		d := l.v2(Maxps, x, z)     // NaN and negative lanes to 0
		c := l.splat32(0x4f000000) // 2^31
		t := l.v2(Subps, d, c)     // d - 2^31
		m := l.v2i(Cmpps, c, t, 2) // d - 2^31 >= 2^31: overflow
		t = l.v2(Pxor, l.v1(Cvttps2dq, t, 0), m)
		t = l.v2(Pmaxsd, t, z)
		return l.v2(Paddd, l.v1(Cvttps2dq, d, 0), t)
	case signed:
		m := l.v2i(Cmppd, x, x, 0)
		m = l.v2(Andpd, m, l.splat64(math.Float64bits(math.MaxInt32)))
		return l.v1(Cvttpd2dq, l.v2(Minpd, x, m), 0) // NaN lanes: minpd returns 0
	}
	z := l.vzero()
	d := l.v2(Maxpd, x, z)
	d = l.v2(Minpd, d, l.splat64(math.Float64bits(math.MaxUint32)))
	d = l.v1(Roundpd, d, uint8(RoundTrunc|RoundNoInexact))
	d = l.v2(Addpd, d, l.splat64(0x4330000000000000)) // 2^52: the integer in the low word
	return l.v2i(Shufps, d, z, 0x88)
}

// convertVec is vconvert from i32x4 lanes.
func (l *lowerer) convertVec(sh ir.Shape, signed bool, x regalloc.VReg) regalloc.VReg {
	switch {
	case sh == ir.F32x4 && signed:
		return l.v1(Cvtdq2ps, x, 0)
	case sh == ir.F32x4:
		// The low 16 bits and the rest convert exactly apart; the sum rounds once.
		lo := l.v2i(Pblendw, l.vzero(), x, 0x55)
		hi := l.v2(Psubd, x, lo)
		flo := l.v1(Cvtdq2ps, lo, 0)
		fhi := l.v1(Cvtdq2ps, l.vshift(PsrldI, hi, 1), 0)
		return l.v2(Addps, l.v2(Addps, fhi, fhi), flo)
	case signed:
		return l.v1(Cvtdq2pd, x, 0)
	}
	// 2^52 + x as doubles, from x under the exponent of 2^52, less 2^52.
	t := l.v2(Unpcklps, x, l.splat32(0x43300000))
	return l.v2(Subpd, t, l.splat64(0x4330000000000000))
}

// roundMode is the roundps immediate of vfceil, vffloor, vftrunc or vfnearest.
func roundMode(op ir.Op) RoundMode {
	switch op {
	case ir.OpVFCeil:
		return RoundCeil
	case ir.OpVFFloor:
		return RoundFloor
	case ir.OpVFTrunc:
		return RoundTrunc
	}
	return RoundNearest
}
