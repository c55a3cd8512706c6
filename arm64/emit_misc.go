package arm64

import (
	"fmt"
	"math"
)

// The emit functions of the arithmetic ops that take more than a constructor per form:
// constants, compares, conditional selects, conversions and the two short sequences
// (popcnt, fcopysign), whose temporaries are the scratch registers (abi.go).

func (e *emitter) movImm(in *inst) { e.a.Emit(MovImm(in.w, in.regs[0], uint64(in.imm))...) }

func (e *emitter) cmp(in *inst) {
	switch in.form {
	case fRR:
		e.a.Emit(CmpShift(in.w, in.regs[0], in.regs[1], in.sh, in.amt))
	case fRI:
		e.a.Emit(CmpImm(in.w, in.regs[0], uint32(in.imm)))
	default:
		panic(fmt.Sprintf("arm64: cmp in form %d", in.form))
	}
}

func (e *emitter) cset(in *inst) { e.a.Emit(Cset(in.w, in.regs[0], in.cc)) }

func (e *emitter) csel(in *inst) {
	e.a.Emit(Csel(in.w, in.regs[0], in.regs[1], in.regs[2], in.cc))
}

func (e *emitter) fcsel(in *inst) {
	e.a.Emit(Fcsel(in.w, in.regs[0], in.regs[1], in.regs[2], in.cc))
}

func (e *emitter) fcmp(in *inst) {
	if in.form == fR {
		e.a.Emit(FcmpZero(in.w, in.regs[0]))
		return
	}
	e.a.Emit(Fcmp(in.w, in.regs[0], in.regs[1]))
}

// convert encodes the conversions: w is the destination's width, w2 the source's.
func (e *emitter) convert(in *inst) {
	d, s := in.regs[0], in.regs[1]
	switch in.op {
	case opFcvt:
		e.a.Emit(Fcvt(in.w, in.w2, d, s))
	case opScvtf:
		e.a.Emit(Scvtf(in.w, in.w2, d, s))
	case opUcvtf:
		e.a.Emit(Ucvtf(in.w, in.w2, d, s))
	case opFcvtzs:
		e.a.Emit(Fcvtzs(in.w, in.w2, d, s))
	case opFcvtzu:
		e.a.Emit(Fcvtzu(in.w, in.w2, d, s))
	default:
		panic(fmt.Sprintf("arm64: %v is no conversion", in.op))
	}
}

// popcnt counts through v31: base A64 has no population count (Popcnt).
func (e *emitter) popcnt(in *inst) { e.a.Emit(Popcnt(in.w, in.regs[0], in.regs[1], scratchV)...) }

// fconstBits returns the bits of an fconst at its width.
func fconstBits(in *inst) uint64 {
	if in.w == W32 {
		return uint64(uint32(in.imm))
	}
	return uint64(in.imm)
}

// fconstValue returns the value of an fconst, and whether FMOV (immediate) encodes it.
func fconstValue(in *inst) (float64, bool) {
	bits := fconstBits(in)
	f := math.Float64frombits(bits)
	if in.w == W32 {
		f = float64(math.Float32frombits(uint32(bits)))
	}
	_, ok := FPImm(f)
	return f, ok
}

// fconst puts a float constant in a register: +0 from the zero register, what FMOV
// (immediate) encodes directly, anything else through x16.
func (e *emitter) fconst(in *inst) {
	d, w := in.regs[0], in.w
	bits := fconstBits(in)
	if bits == 0 {
		e.a.Emit(FmovVR(w, d, XZR))
		return
	}
	if f, ok := fconstValue(in); ok {
		e.a.Emit(FmovImm(w, d, f))
		return
	}
	e.a.Emit(MovImm(w, scratch, bits)...)
	e.a.Emit(FmovVR(w, d, scratch))
}

// fcopysign is a with b's sign, on the bits: BFXIL keeps b's sign bit and inserts the rest of
// a below it (Arm ARM C6.2, BFXIL).
//
//	fmov x16, da; fmov x17, db; bfxil x17, x16, #0, #63; fmov dd, x17
func (e *emitter) fcopysign(in *inst) {
	w := in.w
	e.a.Emit(FmovRV(w, scratch, in.regs[1]), FmovRV(w, scratch2, in.regs[2]),
		Bfm(w, scratch2, scratch, 0, uint8(w.Bits()-2)), FmovVR(w, in.regs[0], scratch2))
}
