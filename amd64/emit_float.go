package amd64

import "math"

// Expansions of the float pseudo-instructions. Each is one instruction to the register
// allocator, so its inner branches are local labels and its temporaries the scratch registers
// r11 and xmm15 (abi.go); a destination of the other class than the source is free to use as a
// temporary too, since the allocator cannot have given it an operand's register.

// signMask is the sign bit of a float of width w.
func signMask(w Width) uint64 {
	if w == W32 {
		return 1 << 31
	}
	return 1 << 63
}

// xmmConst puts the bits c of a float of width w in xmm register x, through r11.
func (e *emitter) xmmConst(x Reg, c uint64, w Width) {
	e.a.Emit(MovConst(scratchGPR, c))
	e.a.Emit(MovdXR(w, x, scratchGPR))
}

func ucomis(w Width, a, b Reg) Inst {
	if w == W32 {
		return UcomissRR(a, b)
	}
	return UcomisdRR(a, b)
}

// cvtToInt is cvttss2si or cvttsd2si: a wi-bit integer from a float of width wf.
func cvtToInt(wi, wf Width, d, s Reg) Inst {
	if wf == W32 {
		return Cvttss2siRR(wi, d, s)
	}
	return Cvttsd2siRR(wi, d, s)
}

// cvtToFloat is cvtsi2ss or cvtsi2sd from a wi-bit signed integer.
func cvtToFloat(wf, wi Width, d, s Reg) Inst {
	if wf == W32 {
		return Cvtsi2ssRR(wi, d, s)
	}
	return Cvtsi2sdRR(wi, d, s)
}

// twoToThe63 is 2^63 as a float of width w.
func twoToThe63(w Width) uint64 {
	if w == W32 {
		return uint64(math.Float32bits(1 << 63))
	}
	return math.Float64bits(1 << 63)
}

func (e *emitter) float(in *inst) {
	a := &e.a
	r := func(k int) Reg { return in.regs[k] }
	w := in.w
	switch in.op {
	case opFConst:
		bits := uint64(in.imm)
		if w == W32 {
			bits = uint64(uint32(bits))
		}
		if bits == 0 {
			a.Emit(XorpsRR(r(0), r(0)))
			return
		}
		e.xmmConst(r(0), bits, w)

	case opFMin, opFMax:
		// minss/maxss return the second operand when either is NaN or both are zeros, so
		// handle equal and unordered operands apart: equal ones are or-ed (min: -0 wins)
		// or and-ed (max: +0 wins) bitwise, unordered ones added to make a NaN.
		d, b := r(0), r(1)
		ne, nan, done := a.NewLabel(), a.NewLabel(), a.NewLabel()
		a.Emit(ucomis(w, d, b))
		a.JccShort(CondNE, ne)
		a.JccShort(CondP, nan)
		if in.op == opFMin {
			a.Emit(OrpsRR(d, b))
		} else {
			a.Emit(AndpsRR(d, b))
		}
		a.JmpShort(done)
		a.Bind(nan)
		a.Emit(opTable[opAdds].rr(w, d, b))
		a.JmpShort(done)
		a.Bind(ne)
		switch {
		case in.op == opFMin && w == W32:
			a.Emit(MinssRR(d, b))
		case in.op == opFMin:
			a.Emit(MinsdRR(d, b))
		case w == W32:
			a.Emit(MaxssRR(d, b))
		default:
			a.Emit(MaxsdRR(d, b))
		}
		a.Bind(done)

	case opFAbs:
		e.xmmConst(scratchXMM, ^signMask(w)&(signMask(w)<<1-1), w)
		a.Emit(AndpsRR(r(0), scratchXMM))
	case opFNeg:
		e.xmmConst(scratchXMM, signMask(w), w)
		a.Emit(XorpsRR(r(0), scratchXMM))
	case opFCopysign:
		d, b := r(0), r(1)
		e.xmmConst(scratchXMM, ^signMask(w)&(signMask(w)<<1-1), w)
		a.Emit(AndpsRR(d, scratchXMM))
		e.xmmConst(scratchXMM, signMask(w), w)
		a.Emit(AndpsRR(scratchXMM, b))
		a.Emit(OrpsRR(d, scratchXMM))

	case opFSel:
		skip := a.NewLabel()
		if in.cc == condFEq || in.cc == condFNe {
			panic("amd64: fsel with a two-flag condition")
		}
		a.JccShort(Cond(in.cc.invert()), skip)
		a.Emit(MovapsRR(r(0), r(1)))
		a.Bind(skip)

	case opCvtU64ToF:
		// Non-negative as signed: convert directly. Otherwise halve, keeping the lost bit
		// sticky so that rounding stays right, convert and double.
		d, s := r(0), r(1)
		big, odd, done := a.NewLabel(), a.NewLabel(), a.NewLabel()
		a.Emit(TestRR(W64, s, s))
		a.JccShort(CondS, big)
		a.Emit(cvtToFloat(w, W64, d, s))
		a.JmpShort(done)
		a.Bind(big)
		a.Emit(MovRR(W64, scratchGPR, s))
		a.Emit(ShrRI(W64, scratchGPR, 1))
		a.JccShort(CondAE, odd) // CF is the bit shifted out
		a.Emit(OrRI(W64, scratchGPR, 1))
		a.Bind(odd)
		a.Emit(cvtToFloat(w, W64, d, scratchGPR))
		a.Emit(opTable[opAdds].rr(w, d, d))
		a.Bind(done)

	case opCvtFToU64:
		// Below 2^63 the signed conversion is exact. At or above, convert 2^63 - s, which
		// is exact and non-positive, negate it and set the top bit.
		d, s := r(0), r(1)
		big, done := a.NewLabel(), a.NewLabel()
		e.xmmConst(scratchXMM, twoToThe63(in.w2), in.w2)
		a.Emit(ucomis(in.w2, s, scratchXMM))
		a.JccShort(CondAE, big)
		a.Emit(cvtToInt(W64, in.w2, d, s))
		a.JmpShort(done)
		a.Bind(big)
		a.Emit(opTable[opSubs].rr(in.w2, scratchXMM, s))
		a.Emit(cvtToInt(W64, in.w2, d, scratchXMM))
		a.Emit(NegR(W64, d))
		a.Emit(MovConst(scratchGPR, 1<<63))
		a.Emit(XorRR(W64, d, scratchGPR))
		a.Bind(done)

	case opCvtFToSSat:
		e.cvtSignedSat(in)
	case opCvtFToUSat:
		e.cvtUnsignedSat(in)
	}
}

// cvtSignedSat converts with saturation to a signed integer: the truncating conversion gives
// the minimum for NaN and out-of-range inputs (the "integer indefinite"), so only that result
// needs a second look: NaN gives 0, a positive input the maximum, a negative one the minimum
// (which is also the right result for exactly the minimum).
func (e *emitter) cvtSignedSat(in *inst) {
	a := &e.a
	d, s := in.regs[0], in.regs[1]
	wi, wf := in.w, in.w2
	nan, done := a.NewLabel(), a.NewLabel()
	a.Emit(cvtToInt(wi, wf, d, s))
	if wi == W32 {
		a.Emit(CmpRI(W32, d, math.MinInt32))
	} else {
		a.Emit(MovConst(scratchGPR, 1<<63))
		a.Emit(CmpRR(W64, d, scratchGPR))
	}
	a.JccShort(CondNE, done)
	a.Emit(ucomis(wf, s, s))
	a.JccShort(CondP, nan)
	a.Emit(XorpsRR(scratchXMM, scratchXMM))
	a.Emit(ucomis(wf, s, scratchXMM))
	a.JccShort(CondB, done)
	if wi == W32 {
		a.Emit(MovRI(W32, d, math.MaxInt32))
	} else {
		a.Emit(MovConst(d, math.MaxInt64))
	}
	a.JmpShort(done)
	a.Bind(nan)
	a.Emit(XorRR(W32, d, d))
	a.Bind(done)
}

// cvtUnsignedSat converts with saturation to an unsigned integer: NaN and inputs at most 0
// give 0; for 32 bits a 64-bit conversion is exact below 2^63, and anything above 2^32-1
// (including the indefinite result) gives the maximum; for 64 bits the large half goes
// through 2^63 - s as in opCvtFToU64, and an overflow of the negation means s >= 2^64.
func (e *emitter) cvtUnsignedSat(in *inst) {
	a := &e.a
	d, s := in.regs[0], in.regs[1]
	wi, wf := in.w, in.w2
	zero, done := a.NewLabel(), a.NewLabel()
	a.Emit(XorpsRR(scratchXMM, scratchXMM))
	a.Emit(ucomis(wf, s, scratchXMM))
	a.JccShort(CondBE, zero) // s <= 0 or unordered
	if wi == W32 {
		a.Emit(cvtToInt(W64, wf, d, s))
		a.Emit(MovRR(W64, scratchGPR, d))
		a.Emit(ShrRI(W64, scratchGPR, 32))
		a.JccShort(CondE, done)
		a.Emit(MovRI(W32, d, -1))
		a.JmpShort(done)
	} else {
		big, max := a.NewLabel(), a.NewLabel()
		e.xmmConst(scratchXMM, twoToThe63(wf), wf)
		a.Emit(ucomis(wf, s, scratchXMM))
		a.JccShort(CondAE, big)
		a.Emit(cvtToInt(W64, wf, d, s))
		a.JmpShort(done)
		a.Bind(big)
		a.Emit(opTable[opSubs].rr(wf, scratchXMM, s))
		a.Emit(cvtToInt(W64, wf, d, scratchXMM))
		a.Emit(NegR(W64, d))
		a.JccShort(CondO, max)
		a.Emit(MovConst(scratchGPR, 1<<63))
		a.Emit(XorRR(W64, d, scratchGPR))
		a.JmpShort(done)
		a.Bind(max)
		a.Emit(MovRI(W64, d, -1))
		a.JmpShort(done)
	}
	a.Bind(zero)
	a.Emit(XorRR(W32, d, d))
	a.Bind(done)
}
