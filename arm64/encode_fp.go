package arm64

import (
	"fmt"
	"math"
)

// Scalar floating point on the s (W32) and d (W64) views of the SIMD&FP registers, moves
// between them and the general registers, conversions, and the SIMD byte count behind popcnt.

// fp2 encodes 000 11110 ftype 1 Rm opcode 10 Rn Rd (Arm ARM C4.1, "Floating-point
// data-processing (2 source)").
func fp2(w Width, opcode uint32, vd, vn, vm Reg) Inst {
	return Inst{word: 0x1E200800 | ftype(w)<<22 | vr(vm)<<16 | opcode<<12 | vr(vn)<<5 | vr(vd)}
}

// Fmul encodes FMUL (scalar): vd = vn * vm. Arm ARM C7.2, FMUL (scalar).
func Fmul(w Width, vd, vn, vm Reg) Inst { return fp2(w, 0b0000, vd, vn, vm) }

// Fdiv encodes FDIV (scalar): vd = vn / vm. Arm ARM C7.2, FDIV (scalar).
func Fdiv(w Width, vd, vn, vm Reg) Inst { return fp2(w, 0b0001, vd, vn, vm) }

// Fadd encodes FADD (scalar): vd = vn + vm. Arm ARM C7.2, FADD (scalar).
func Fadd(w Width, vd, vn, vm Reg) Inst { return fp2(w, 0b0010, vd, vn, vm) }

// Fsub encodes FSUB (scalar): vd = vn - vm. Arm ARM C7.2, FSUB (scalar).
func Fsub(w Width, vd, vn, vm Reg) Inst { return fp2(w, 0b0011, vd, vn, vm) }

// Fmax encodes FMAX (scalar): the larger of vn and vm, NaN if either is NaN, +0 over -0:
// WebAssembly's fmax. Arm ARM C7.2, FMAX (scalar).
func Fmax(w Width, vd, vn, vm Reg) Inst { return fp2(w, 0b0100, vd, vn, vm) }

// Fmin encodes FMIN (scalar): the smaller of vn and vm, NaN if either is NaN, -0 under +0:
// WebAssembly's fmin. Arm ARM C7.2, FMIN (scalar).
func Fmin(w Width, vd, vn, vm Reg) Inst { return fp2(w, 0b0101, vd, vn, vm) }

// fp1 encodes 000 11110 ftype 1 opcode 10000 Rn Rd (Arm ARM C4.1, "Floating-point
// data-processing (1 source)").
func fp1(w Width, opcode uint32, vd, vn Reg) Inst {
	return Inst{word: 0x1E204000 | ftype(w)<<22 | opcode<<15 | vr(vn)<<5 | vr(vd)}
}

// Fmov encodes FMOV (register): vd = vn. Arm ARM C7.2, FMOV (register).
func Fmov(w Width, vd, vn Reg) Inst { return fp1(w, 0b000000, vd, vn) }

// Fabs encodes FABS (scalar): clears the sign bit. Arm ARM C7.2, FABS (scalar).
func Fabs(w Width, vd, vn Reg) Inst { return fp1(w, 0b000001, vd, vn) }

// Fneg encodes FNEG (scalar): flips the sign bit. Arm ARM C7.2, FNEG (scalar).
func Fneg(w Width, vd, vn Reg) Inst { return fp1(w, 0b000010, vd, vn) }

// Fsqrt encodes FSQRT (scalar). Arm ARM C7.2, FSQRT (scalar).
func Fsqrt(w Width, vd, vn Reg) Inst { return fp1(w, 0b000011, vd, vn) }

// Frintn encodes FRINTN (scalar): round to nearest, ties to even (wasm nearest). Arm ARM
// C7.2, FRINTN (scalar).
func Frintn(w Width, vd, vn Reg) Inst { return fp1(w, 0b001000, vd, vn) }

// Frintp encodes FRINTP (scalar): round toward +∞ (wasm ceil). Arm ARM C7.2, FRINTP (scalar).
func Frintp(w Width, vd, vn Reg) Inst { return fp1(w, 0b001001, vd, vn) }

// Frintm encodes FRINTM (scalar): round toward -∞ (wasm floor). Arm ARM C7.2, FRINTM (scalar).
func Frintm(w Width, vd, vn Reg) Inst { return fp1(w, 0b001010, vd, vn) }

// Frintz encodes FRINTZ (scalar): round toward zero (wasm trunc). Arm ARM C7.2, FRINTZ
// (scalar).
func Frintz(w Width, vd, vn Reg) Inst { return fp1(w, 0b001011, vd, vn) }

// Fcvt encodes FCVT: converts vn from sw to dw precision, W32 to W64 or back. Arm ARM C7.2,
// FCVT.
func Fcvt(dw, sw Width, vd, vn Reg) Inst {
	if dw == sw {
		panic(fmt.Sprintf("arm64: FCVT from %v to itself", sw))
	}
	return fp1(sw, 0b000100|ftype(dw), vd, vn)
}

// Fcmp encodes FCMP: sets the flags from comparing vn with vm; unordered sets C and V (see
// [Cond]). Quiet NaNs do not raise Invalid Operation. Arm ARM C7.2, FCMP.
func Fcmp(w Width, vn, vm Reg) Inst {
	return Inst{word: 0x1E202000 | ftype(w)<<22 | vr(vm)<<16 | vr(vn)<<5}
}

// FcmpZero encodes FCMP with #0.0: compares vn with zero. Arm ARM C7.2, FCMP.
func FcmpZero(w Width, vn Reg) Inst { return Inst{word: 0x1E202008 | ftype(w)<<22 | vr(vn)<<5} }

// Fcsel encodes FCSEL: vd = c ? vn : vm. Arm ARM C7.2, FCSEL.
func Fcsel(w Width, vd, vn, vm Reg, c Cond) Inst {
	if c > CondNV {
		panic(fmt.Sprintf("arm64: bad condition %v", c))
	}
	return Inst{word: 0x1E200C00 | ftype(w)<<22 | vr(vm)<<16 | uint32(c)<<12 | vr(vn)<<5 | vr(vd)}
}

// FPImm returns the 8-bit immediate of FMOV (scalar, immediate) that encodes f, and false if
// none does. The representable values are ±n/16 × 2^e with n in 16–31 and e in -3–4 (Arm ARM
// shared pseudocode VFPExpandImm); zero is not among them.
func FPImm(f float64) (uint8, bool) {
	for imm := range 256 {
		if fpImmValue(uint8(imm)) == f {
			return uint8(imm), true
		}
	}
	return 0, false
}

// fpImmValue expands imm8 = a:b:cd:efgh into sign a, exponent NOT(b):Replicate(b):cd and
// fraction efgh (VFPExpandImm): ±(16+efgh)/16 × 2^e with e = cd+1 if b is 0, cd-3 if it is 1.
func fpImmValue(imm uint8) float64 {
	e := int(imm>>4&3) + 1
	if imm&0x40 != 0 {
		e = int(imm>>4&3) - 3
	}
	v := math.Ldexp(float64(16+imm&15), e-4)
	if imm&0x80 != 0 {
		v = -v
	}
	return v
}

// FmovImm encodes FMOV (scalar, immediate): vd = f, which must satisfy [FPImm]. Arm ARM C7.2,
// FMOV (scalar, immediate).
func FmovImm(w Width, vd Reg, f float64) Inst {
	imm, ok := FPImm(f)
	if !ok {
		panic(fmt.Sprintf("arm64: %v is not an FMOV immediate", f))
	}
	return Inst{word: 0x1E201000 | ftype(w)<<22 | uint32(imm)<<13 | vr(vd)}
}

// fpInt encodes sf 0 0 11110 ftype 1 rmode opcode 000000 Rn Rd (Arm ARM C4.1, "Conversion
// between floating-point and integer").
func fpInt(iw, fw Width, rmode, opcode, d, n uint32) Inst {
	return Inst{word: sf(iw)<<31 | 0x1E200000 | ftype(fw)<<22 | rmode<<19 | opcode<<16 | n<<5 | d}
}

// Scvtf encodes SCVTF (scalar, integer): vd (dw: s or d) = the signed sw-bit integer rn,
// rounded per FPCR (to nearest). Arm ARM C7.2, SCVTF (scalar, integer).
func Scvtf(dw, sw Width, vd, rn Reg) Inst { return fpInt(sw, dw, 0b00, 0b010, vr(vd), rz(rn)) }

// Ucvtf encodes UCVTF (scalar, integer): vd = the unsigned sw-bit integer rn. Arm ARM C7.2,
// UCVTF (scalar, integer).
func Ucvtf(dw, sw Width, vd, rn Reg) Inst { return fpInt(sw, dw, 0b00, 0b011, vr(vd), rz(rn)) }

// Fcvtzs encodes FCVTZS (scalar, integer): rd (dw bits) = vn (sw: s or d) rounded toward zero
// to a signed integer, saturating, NaN to 0 (wasm's trunc_sat; the trapping truncations check
// first). Arm ARM C7.2, FCVTZS (scalar, integer).
func Fcvtzs(dw, sw Width, rd, vn Reg) Inst { return fpInt(dw, sw, 0b11, 0b000, rz(rd), vr(vn)) }

// Fcvtzu encodes FCVTZU (scalar, integer): the unsigned counterpart of [Fcvtzs]. Arm ARM C7.2,
// FCVTZU (scalar, integer).
func Fcvtzu(dw, sw Width, rd, vn Reg) Inst { return fpInt(dw, sw, 0b11, 0b001, rz(rd), vr(vn)) }

// FmovVR encodes FMOV (general) from a general register: the s view of vd = wn at W32, the d
// view = xn at W64, bit for bit (wasm's reinterpret), zeroing the rest of vd. Arm ARM C7.2,
// FMOV (general).
func FmovVR(w Width, vd, rn Reg) Inst { return fpInt(w, w, 0b00, 0b111, vr(vd), rz(rn)) }

// FmovRV encodes FMOV (general) to a general register: wd = the s view of vn at W32, xd = the
// d view at W64. Arm ARM C7.2, FMOV (general).
func FmovRV(w Width, rd, vn Reg) Inst { return fpInt(w, w, 0b00, 0b110, rz(rd), vr(vn)) }

// Cnt8B encodes CNT vd.8b, vn.8b: the number of one bits of each of the low eight bytes.
// Arm ARM C7.2, CNT.
func Cnt8B(vd, vn Reg) Inst { return Inst{word: 0x0E205800 | vr(vn)<<5 | vr(vd)} }

// Addv8B encodes ADDV bd, vn.8b: the sum of the low eight bytes of vn into the b view of vd,
// zeroing the rest. Arm ARM C7.2, ADDV.
func Addv8B(vd, vn Reg) Inst { return Inst{word: 0x0E31B800 | vr(vn)<<5 | vr(vd)} }

// Popcnt returns the sequence that sets rd to the number of one bits of the w-bit rn through
// the SIMD&FP register tmp, which it clobbers; base A64 has no population count:
//
//	fmov dtmp, xn (stmp, wn at W32); cnt vtmp.8b, vtmp.8b; addv btmp, vtmp.8b; fmov wd, stmp
//
// FMOV from a w register zeroes the upper bytes, so one sequence serves both widths.
func Popcnt(w Width, rd, rn, tmp Reg) []Inst {
	return []Inst{FmovVR(w, tmp, rn), Cnt8B(tmp, tmp), Addv8B(tmp, tmp), FmovRV(W32, rd, tmp)}
}
