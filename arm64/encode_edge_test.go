package arm64

import (
	"fmt"
	"maps"
	"math"
	"slices"
	"testing"
)

// Edge immediates, offsets and branch distances: each form at the ends of its range must
// encode and decode, and one step past them (or off the alignment) must panic.

func TestEdgeAddImm(t *testing.T) {
	s := sweep{t: t}
	for _, imm := range []uint32{0, 1, 4095, 4096, 8192, 0x1000 * 4095, 4097, 0x1001000, 0xfff001, 1 << 24, math.MaxUint32} {
		ok := IsAddImm(uint64(imm))
		text := fmt.Sprintf("#%#x", imm)
		if imm > 4095 {
			text = fmt.Sprintf("#%#x, lsl #12", imm>>12)
		}
		s.try(ok, "add x0, x1, "+text, func() Inst { return AddImm(W64, X0, X1, imm) })
		s.try(ok, "sub w0, w1, "+text, func() Inst { return SubImm(W32, X0, X1, imm) })
		s.try(ok, "cmp x1, "+text, func() Inst { return CmpImm(W64, X1, imm) })
		s.try(ok, "cmn w1, "+text, func() Inst { return CmnImm(W32, X1, imm) })
	}
	for _, w := range gprWidths {
		for amt := range uint8(6) {
			want := fmt.Sprintf("add %s, %s, w3, sxtw #%d", X1.Name(w), X2.Name(w), amt)
			if amt == 0 {
				want = fmt.Sprintf("add %s, %s, w3, sxtw", X1.Name(w), X2.Name(w))
			}
			s.try(amt <= 4, want, func() Inst { return AddExt(w, X1, X2, X3, ExtSXTW, amt) })
		}
		s.try(false, "", func() Inst { return AddExt(w, X1, X2, X3, Extend(8), 0) })
	}
	s.done()
}

func TestEdgeShiftImm(t *testing.T) {
	s := sweep{t: t}
	for _, w := range gprWidths {
		bitsW := uint8(w.Bits())
		x0, x1 := X0.Name(w), X1.Name(w)
		for n := range bitsW + 2 {
			ok := n < bitsW
			lsl := fmt.Sprintf("lsl %s, %s, #%d", x0, x1, n)
			if n == 0 {
				lsl = fmt.Sprintf("lsr %s, %s, #0", x0, x1) // UBFM #0, #w-1 is LSR's alias
			}
			s.try(ok, lsl, func() Inst { return LslImm(w, X0, X1, n) })
			s.try(ok, fmt.Sprintf("lsr %s, %s, #%d", x0, x1, n), func() Inst { return LsrImm(w, X0, X1, n) })
			s.try(ok, fmt.Sprintf("asr %s, %s, #%d", x0, x1, n), func() Inst { return AsrImm(w, X0, X1, n) })
			s.try(ok, fmt.Sprintf("ror %s, %s, #%d", x0, x1, n), func() Inst { return RorImm(w, X0, X1, n) })
		}
		// UBFX and SBFX: every lsb with the widest field, and one bit too wide.
		for lsb := range bitsW {
			width := bitsW - lsb
			want := fmt.Sprintf("ubfx %s, %s, #%d, #%d", x0, x1, lsb, width)
			if lsb+width == bitsW {
				want = fmt.Sprintf("lsr %s, %s, #%d", x0, x1, lsb) // UBFM #lsb, #w-1 is LSR
			}
			s.try(true, want, func() Inst { return Ubfx(w, X0, X1, lsb, width) })
			s.try(false, "", func() Inst { return Ubfx(w, X0, X1, lsb, width+1) })
			s.try(false, "", func() Inst { return Sbfx(w, X0, X1, lsb, 0) })
		}
	}
	s.done()
}

// TestEdgeMoveWide covers the MOVZ, MOVN and MOVK immediates and shifts, with the Arm ARM's
// rule for when MOVZ and MOVN print as MOV (wide immediate): not for a zero immediate with a
// nonzero shift, and not for a 32-bit MOVN of 0xffff.
func TestEdgeMoveWide(t *testing.T) {
	s := sweep{t: t}
	for _, w := range gprWidths {
		x := X9.Name(w)
		for _, imm := range []uint16{0, 1, 0x8000, 0xffff} {
			for _, shift := range []uint8{0, 16, 32, 48, 8, 64} {
				ok := shift%16 == 0 && int(shift) < w.Bits()
				lsl := ""
				if shift != 0 {
					lsl = fmt.Sprintf(", lsl #%d", shift)
				}
				var zv, nv uint64
				if ok {
					zv = uint64(imm) << shift
					nv = ^zv & w.mask()
				}
				z := fmt.Sprintf("mov %s, #%#x", x, zv)
				if imm == 0 && shift != 0 {
					z = fmt.Sprintf("movz %s, #0x0%s", x, lsl)
				}
				n := fmt.Sprintf("mov %s, #%#x", x, nv)
				if imm == 0 && shift != 0 || w == W32 && imm == 0xffff {
					n = fmt.Sprintf("movn %s, #%#x%s", x, imm, lsl)
				}
				s.try(ok, z, func() Inst { return Movz(w, X9, imm, shift) })
				s.try(ok, n, func() Inst { return Movn(w, X9, imm, shift) })
				s.try(ok, fmt.Sprintf("movk %s, #%#x%s", x, imm, lsl), func() Inst { return Movk(w, X9, imm, shift) })
			}
		}
	}
	s.done()
}

// TestEdgeLoadStoreOffset covers the offsets of every single-register load and store: the
// unsigned scaled form from 0 to 4095 times the size, the unscaled form (LDUR) from -256 to
// 255, and pre- and post-index from -256 to 255.
func TestEdgeLoadStoreOffset(t *testing.T) {
	s := sweep{t: t}
	for _, f := range ldstForms() {
		rt := X2
		if f.v {
			rt = V2
		}
		n := int32(f.size)
		for _, off := range []int32{0, 1, n, 255, 256, -1, -256, -257, 4095 * n, 4096 * n, 4095*n + 1, 4095*n + n, math.MinInt32} {
			m := MemOff(X3, off)
			scaled := off >= 0 && off%n == 0 && off/n <= 4095
			ok := scaled || -256 <= off && off <= 255
			if IsLoadStoreOff(f.size, int64(off)) != ok {
				t.Errorf("IsLoadStoreOff(%v, %d) = %v", f.size, off, !ok)
			}
			mnem := f.mnem
			if !scaled {
				mnem = f.unscaled()
			}
			s.try(ok, fmt.Sprintf("%s %s, %s", mnem, rt.Name(f.view), gnuMem(m, f.size)), func() Inst { return f.f(rt, m) })
		}
		for _, off := range []int32{0, 1, -1, 255, -256, 256, -257} {
			ok := -256 <= off && off <= 255
			for _, m := range []Mem{MemPre(X3, off), MemPost(X3, off)} {
				s.try(ok, fmt.Sprintf("%s %s, %s", f.mnem, rt.Name(f.view), gnuMem(m, f.size)), func() Inst { return f.f(rt, m) })
			}
		}
		// An index with an offset or with writeback, and extensions loads cannot take.
		s.try(false, "", func() Inst { return f.f(rt, Mem{Base: X3, Index: X4, Ext: ExtUXTX, Off: 8}) })
		s.try(false, "", func() Inst { return f.f(rt, Mem{Base: X3, Index: X4, Ext: ExtUXTX, Mode: ModePre}) })
		for _, e := range []Extend{ExtUXTB, ExtUXTH, ExtSXTB, ExtSXTH} {
			s.try(false, "", func() Inst { return f.f(rt, MemIndex(X3, X4, e, false)) })
		}
	}
	// Pairs: imm7 scaled by the size, -64 to 63.
	for _, w := range []Width{W32, W64, W128} {
		n := int32(w)
		for _, off := range []int32{0, n, -64 * n, 63 * n, 64 * n, -65 * n, n / 2} {
			ok := off%n == 0 && -64*n <= off && off <= 63*n
			for _, m := range []Mem{MemOff(SP, off), MemPre(SP, off), MemPost(SP, off)} {
				if w != W128 {
					want := fmt.Sprintf("stp %s, %s, %s", X0.Name(w), X1.Name(w), gnuMem(m, w))
					s.try(ok, want, func() Inst { return Stp(w, X0, X1, m) })
				}
				want := fmt.Sprintf("ldp %s, %s, %s", V0.Name(w), V1.Name(w), gnuMem(m, w))
				s.try(ok, want, func() Inst { return LdpV(w, V0, V1, m) })
			}
		}
	}
	s.try(false, "", func() Inst { return Ldp(W64, X0, X1, MemIndex(SP, X2, ExtUXTX, true)) })
	s.try(false, "", func() Inst { return StpV(W8, V0, V1, MemOff(SP, 0)) })
	s.done()
}

// TestEdgeBranchRange covers every PC-relative form at both ends of its reach, one step
// beyond, and off its alignment.
func TestEdgeBranchRange(t *testing.T) {
	s := sweep{t: t}
	forms := []struct {
		text      string // with %s for the target
		lim, unit int64
		f         func(int64) Inst
	}{
		{"b %s", 1 << 27, 4, func(d int64) Inst { return B(int32(d)) }},
		{"bl %s", 1 << 27, 4, func(d int64) Inst { return Bl(int32(d)) }},
		{"b.ne %s", 1 << 20, 4, func(d int64) Inst { return BCond(CondNE, int32(d)) }},
		{"cbz x1, %s", 1 << 20, 4, func(d int64) Inst { return Cbz(W64, X1, int32(d)) }},
		{"cbnz w1, %s", 1 << 20, 4, func(d int64) Inst { return Cbnz(W32, X1, int32(d)) }},
		{"ldr x1, %s", 1 << 20, 4, func(d int64) Inst { return LdrLit(W64, X1, int32(d)) }},
		{"ldr q1, %s", 1 << 20, 4, func(d int64) Inst { return LdrLitV(W128, V1, int32(d)) }},
		{"tbz w1, #3, %s", 1 << 15, 4, func(d int64) Inst { return Tbz(X1, 3, int32(d)) }},
		{"tbnz x1, #40, %s", 1 << 15, 4, func(d int64) Inst { return Tbnz(X1, 40, int32(d)) }},
		{"adr x1, %s", 1 << 20, 1, func(d int64) Inst { return Adr(X1, int32(d)) }},
		{"adrp x1, %s", 1 << 32, 4096, func(d int64) Inst { return Adrp(X1, d) }},
	}
	for _, f := range forms {
		for _, d := range []int64{0, f.unit, -f.unit, f.lim - f.unit, -f.lim, f.lim, -f.lim - f.unit, f.unit * 1234567 % f.lim} {
			ok := -f.lim <= d && d < f.lim
			s.try(ok, fmt.Sprintf(f.text, fmt.Sprintf(".%+#x", uint64(d))), func() Inst { return f.f(d) })
		}
		if f.unit > 1 {
			for _, d := range []int64{f.unit / 2, -f.unit - 1, 2} {
				s.try(false, "", func() Inst { return f.f(d) })
			}
		}
	}
	s.done()
}

// TestEdgeFPImm checks all 256 FMOV immediates against arm64asm's expansion, and that values
// between and beyond them, and zero, are refused.
func TestEdgeFPImm(t *testing.T) {
	s := sweep{t: t}
	for imm := range 256 {
		f := fpImmValue(uint8(imm))
		if got, ok := FPImm(f); !ok || got != uint8(imm) {
			t.Errorf("FPImm(%v) = %#x, %v, want %#x", f, got, ok, imm)
		}
		s.check(FmovImm(W64, V0, f), fmt.Sprintf("fmov d0, #%.18e", f))
		s.check(FmovImm(W32, V31, f), fmt.Sprintf("fmov s31, #%.18e", f))
	}
	for _, f := range []float64{0, math.Copysign(0, -1), 0.1, 1.03125, 32, 0.0625, 33, math.Inf(1), math.NaN()} {
		s.try(false, "", func() Inst { return FmovImm(W64, V0, f) })
	}
	s.done()
}

func TestInvalidOperands(t *testing.T) {
	s := sweep{t: t}
	bad := map[string]func() Inst{
		"cset al":           func() Inst { return Cset(W32, X0, CondAL) },
		"csetm nv":          func() Inst { return Csetm(W32, X0, CondNV) },
		"cond 16":           func() Inst { return BCond(Cond(16), 0) },
		"w16 add":           func() Inst { return Add(W16, X0, X1, X2) },
		"w128 fadd":         func() Inst { return Fadd(W128, V0, V1, V2) },
		"fcvt to itself":    func() Inst { return Fcvt(W64, W64, V0, V1) },
		"and not bitmask":   func() Inst { return AndImm(W64, X0, X1, 0x1234) },
		"orr zero":          func() Inst { return OrrImm(W32, X0, X1, 0) },
		"ldr w16":           func() Inst { return Ldr(W16, X0, MemOff(X1, 0)) },
		"ldr xzr base":      func() Inst { return Ldr(W64, X0, MemOff(XZR, 0)) },
		"ldrsb w8":          func() Inst { return Ldrsb(W8, X0, MemOff(X1, 0)) },
		"ldr q pair w8":     func() Inst { return LdpV(W16, V0, V1, MemOff(X1, 0)) },
		"ldp same":          func() Inst { return Ldp(W64, X0, X0, MemOff(X1, 0)) },
		"ldp v same":        func() Inst { return LdpV(W64, V0, V0, MemOff(X1, 0)) },
		"addressing mode 3": func() Inst { return Ldr(W64, X0, Mem{Base: X1, Mode: 3}) },
		"tbz bit 64":        func() Inst { return Tbz(X0, 64, 0) },
		"extr lsb 32":       func() Inst { return Extr(W32, X0, X1, X2, 32) },
		"sbfm imms 64":      func() Inst { return Sbfm(W64, X0, X1, 0, 64) },
		"add ror":           func() Inst { return AddShift(W64, X0, X1, X2, ShiftROR, 0) },
		"and shift 4":       func() Inst { return AndShift(W64, X0, X1, X2, Shift(4), 0) },
		"noreg":             func() Inst { return Add(W64, NoReg, X1, X2) },
	}
	for _, name := range slices.Sorted(maps.Keys(bad)) {
		s.try(false, name, bad[name])
	}
	s.done()
}
