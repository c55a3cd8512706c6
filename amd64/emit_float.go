package amd64

import "math"

// Expansions of the float pseudo-instructions: the emit functions of their opTable rows.
// Each is one instruction to the register allocator, so its inner branches are local labels
// and its temporaries the scratch registers r11 and xmm15 (abi.go); a destination of the
// other class than the source is free to use as a temporary too, since the allocator cannot
// have given it an operand's register.

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

// adds and subs are addss/addsd and subss/subsd by width.
func adds(w Width, d, s Reg) Inst {
	if w == W32 {
		return AddssRR(d, s)
	}
	return AddsdRR(d, s)
}

func subs(w Width, d, s Reg) Inst {
	if w == W32 {
		return SubssRR(d, s)
	}
	return SubsdRR(d, s)
}

func (e *emitter) fconst(in *inst) {
	bits := uint64(in.imm)
	if in.w == W32 {
		bits = uint64(uint32(bits))
	}
	if bits == 0 {
		e.a.Emit(XorpsRR(in.regs[0], in.regs[0]))
		return
	}
	e.xmmConst(in.regs[0], bits, in.w)
}

func (e *emitter) fmin(in *inst) { e.fminmax(in, true) }

func (e *emitter) fmax(in *inst) { e.fminmax(in, false) }

// fminmax: minss/maxss return the second operand when either is NaN or both are zeros, so
// equal and unordered operands are handled apart: equal ones are or-ed (min: -0 wins) or
// and-ed (max: +0 wins) bitwise, unordered ones added to make a NaN.
func (e *emitter) fminmax(in *inst, isMin bool) {
	a := &e.a
	w, d, b := in.w, in.regs[0], in.regs[1]
	ne, nan, done := a.NewLabel(), a.NewLabel(), a.NewLabel()
	a.Emit(ucomis(w, d, b))
	a.JccShort(CondNE, ne)
	a.JccShort(CondP, nan)
	if isMin {
		a.Emit(OrpsRR(d, b))
	} else {
		a.Emit(AndpsRR(d, b))
	}
	a.JmpShort(done)
	a.Bind(nan)
	a.Emit(adds(w, d, b))
	a.JmpShort(done)
	a.Bind(ne)
	switch {
	case isMin && w == W32:
		a.Emit(MinssRR(d, b))
	case isMin:
		a.Emit(MinsdRR(d, b))
	case w == W32:
		a.Emit(MaxssRR(d, b))
	default:
		a.Emit(MaxsdRR(d, b))
	}
	a.Bind(done)
}

func (e *emitter) fabs(in *inst) {
	w := in.w
	e.xmmConst(scratchXMM, ^signMask(w)&(signMask(w)<<1-1), w)
	e.a.Emit(AndpsRR(in.regs[0], scratchXMM))
}

func (e *emitter) fneg(in *inst) {
	e.xmmConst(scratchXMM, signMask(in.w), in.w)
	e.a.Emit(XorpsRR(in.regs[0], scratchXMM))
}

func (e *emitter) fcopysign(in *inst) {
	w, d, b := in.w, in.regs[0], in.regs[1]
	e.xmmConst(scratchXMM, ^signMask(w)&(signMask(w)<<1-1), w)
	e.a.Emit(AndpsRR(d, scratchXMM))
	e.xmmConst(scratchXMM, signMask(w), w)
	e.a.Emit(AndpsRR(scratchXMM, b))
	e.a.Emit(OrpsRR(d, scratchXMM))
}

// fsel is a conditional movaps: a short branch around it.
func (e *emitter) fsel(in *inst) {
	a := &e.a
	skip := a.NewLabel()
	if in.cc == condFEq || in.cc == condFNe {
		panic("amd64: fsel with a two-flag condition")
	}
	a.JccShort(Cond(in.cc.invert()), skip)
	a.Emit(MovapsRR(in.regs[0], in.regs[1]))
	a.Bind(skip)
}

// cvtU64ToF: non-negative as signed converts directly. Otherwise halve, keeping the lost bit
// sticky so that rounding stays right, convert and double.
func (e *emitter) cvtU64ToF(in *inst) {
	a := &e.a
	w, d, s := in.w, in.regs[0], in.regs[1]
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
	a.Emit(adds(w, d, d))
	a.Bind(done)
}

// cvtFToU64: below 2^63 the signed conversion is exact. At or above, convert 2^63 - s, which
// is exact and non-positive, negate it and set the top bit.
func (e *emitter) cvtFToU64(in *inst) {
	a := &e.a
	wf, d, s := in.w2, in.regs[0], in.regs[1]
	big, done := a.NewLabel(), a.NewLabel()
	e.xmmConst(scratchXMM, twoToThe63(wf), wf)
	a.Emit(ucomis(wf, s, scratchXMM))
	a.JccShort(CondAE, big)
	a.Emit(cvtToInt(W64, wf, d, s))
	a.JmpShort(done)
	a.Bind(big)
	a.Emit(subs(wf, scratchXMM, s))
	a.Emit(cvtToInt(W64, wf, d, scratchXMM))
	a.Emit(NegR(W64, d))
	a.Emit(MovConst(scratchGPR, 1<<63))
	a.Emit(XorRR(W64, d, scratchGPR))
	a.Bind(done)
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
		a.Emit(subs(wf, scratchXMM, s))
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
