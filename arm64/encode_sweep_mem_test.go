package arm64

import (
	"fmt"
	"testing"
)

// Sweeps of the loads and stores, branches and floating point over every register.

// gnuMem returns m as arm64asm prints it for an access of w bytes: no spaces after commas,
// an offset of 0 omitted, an unscaled x index written alone, UXTX written LSL, a scaled
// index's amount always shown (#0 for bytes, where S = 1 still means a shift of 0).
func gnuMem(m Mem, w Width) string {
	switch m.Mode {
	case ModePre:
		return fmt.Sprintf("[%v,#%d]!", m.Base, m.Off)
	case ModePost:
		return fmt.Sprintf("[%v],#%d", m.Base, m.Off)
	}
	if m.Index != NoReg {
		idx := m.Index.Name(m.Ext.regWidth())
		ext := m.Ext.String()
		if m.Ext == ExtUXTX {
			ext = "lsl"
		}
		switch {
		case m.Scaled:
			return fmt.Sprintf("[%v,%s,%s #%d]", m.Base, idx, ext, w.log2())
		case m.Ext == ExtUXTX:
			return fmt.Sprintf("[%v,%s]", m.Base, idx)
		}
		return fmt.Sprintf("[%v,%s,%s]", m.Base, idx, ext)
	}
	if m.Off == 0 {
		return fmt.Sprintf("[%v]", m.Base)
	}
	return fmt.Sprintf("[%v,#%d]", m.Base, m.Off)
}

// ldstForm is a single-register load or store: its mnemonic, the access size, the view of
// rt, and whether rt is a SIMD&FP register.
type ldstForm struct {
	mnem string
	size Width
	view Width
	v    bool
	f    func(Reg, Mem) Inst
}

func (f ldstForm) rtOK(r Reg) bool { return f.v && r.IsV() || !f.v && isZR(r) }

// unscaled returns the mnemonic of the unscaled-offset form: ldr → ldur, ldrsb → ldursb.
func (f ldstForm) unscaled() string { return f.mnem[:2] + "u" + f.mnem[2:] }

func ldstForms() []ldstForm {
	bind := func(g func(Width, Reg, Mem) Inst, w Width) func(Reg, Mem) Inst {
		return func(r Reg, m Mem) Inst { return g(w, r, m) }
	}
	fs := []ldstForm{
		{"ldr", W32, W32, false, bind(Ldr, W32)}, {"ldr", W64, W64, false, bind(Ldr, W64)},
		{"str", W32, W32, false, bind(Str, W32)}, {"str", W64, W64, false, bind(Str, W64)},
		{"ldrb", W8, W32, false, Ldrb}, {"ldrh", W16, W32, false, Ldrh},
		{"strb", W8, W32, false, Strb}, {"strh", W16, W32, false, Strh},
		{"ldrsb", W8, W32, false, bind(Ldrsb, W32)}, {"ldrsb", W8, W64, false, bind(Ldrsb, W64)},
		{"ldrsh", W16, W32, false, bind(Ldrsh, W32)}, {"ldrsh", W16, W64, false, bind(Ldrsh, W64)},
		{"ldrsw", W32, W64, false, Ldrsw},
	}
	for _, w := range []Width{W8, W16, W32, W64, W128} {
		fs = append(fs, ldstForm{"ldr", w, w, true, bind(LdrV, w)}, ldstForm{"str", w, w, true, bind(StrV, w)})
	}
	return fs
}

func TestSweepLoadStore(t *testing.T) {
	s := sweep{t: t}
	exts := []struct {
		ext    Extend
		scaled bool
	}{{ExtUXTX, true}, {ExtSXTW, false}, {ExtUXTW, true}, {ExtSXTX, true}, {ExtUXTX, false}, {ExtSXTW, true}}
	for _, f := range ldstForms() {
		rts := sweepRegs
		if f.v {
			rts = vSweepRegs
		}
		for i, rt := range rts {
			for _, base := range sweepRegs {
				ok := f.rtOK(rt) && isSP(base)
				// Unsigned offset, unscaled offset, pre- and post-index.
				for _, c := range []struct {
					mnem string
					m    Mem
					ok   bool
				}{
					{f.mnem, MemOff(base, int32(3*f.size)), ok},
					{f.unscaled(), MemOff(base, -3), ok},
					{f.mnem, MemPre(base, -8), ok && (f.v || rt != base)},
					{f.mnem, MemPost(base, 8), ok && (f.v || rt != base)},
				} {
					want := fmt.Sprintf("%s %s, %s", c.mnem, rt.Name(f.view), gnuMem(c.m, f.size))
					s.try(c.ok, want, func() Inst { return f.f(rt, c.m) })
				}
			}
			// Register offset: rt against every index, the base cycling.
			for j, index := range sweepRegs {
				base := sweepRegs[(i+j*5)%len(sweepRegs)]
				e := exts[(i+j)%len(exts)]
				m := MemIndex(base, index, e.ext, e.scaled)
				want := fmt.Sprintf("%s %s, %s", f.mnem, rt.Name(f.view), gnuMem(m, f.size))
				s.try(f.rtOK(rt) && isSP(base) && isZR(index), want, func() Inst { return f.f(rt, m) })
			}
		}
	}
	s.done()
}

func TestSweepPair(t *testing.T) {
	s := sweep{t: t}
	type pairForm struct {
		mnem string
		w    Width
		v    bool
		load bool
		f    func(Width, Reg, Reg, Mem) Inst
	}
	forms := []pairForm{
		{"ldp", W32, false, true, Ldp}, {"ldp", W64, false, true, Ldp},
		{"stp", W32, false, false, Stp}, {"stp", W64, false, false, Stp},
	}
	for _, w := range []Width{W32, W64, W128} {
		forms = append(forms, pairForm{"ldp", w, true, true, LdpV}, pairForm{"stp", w, true, false, StpV})
	}
	for _, f := range forms {
		rts := sweepRegs
		if f.v {
			rts = vSweepRegs
		}
		rtOK := func(r Reg) bool { return f.v && r.IsV() || !f.v && isZR(r) }
		for i, t1 := range rts {
			for j, t2 := range rts {
				base := sweepRegs[(i+j*3)%len(sweepRegs)]
				ok := rtOK(t1) && rtOK(t2) && isSP(base) && !(f.load && t1 == t2)
				for _, m := range []Mem{MemOff(base, -2*int32(f.w)), MemPre(base, -4*int32(f.w)), MemPost(base, 2*int32(f.w))} {
					mok := ok && (m.Mode == ModeOffset || f.v || t1 != base && t2 != base)
					want := fmt.Sprintf("%s %s, %s, %s", f.mnem, t1.Name(f.w), t2.Name(f.w), gnuMem(m, f.w))
					s.try(mok, want, func() Inst { return f.f(f.w, t1, t2, m) })
				}
			}
		}
	}
	s.done()
}

func TestSweepBranch(t *testing.T) {
	s := sweep{t: t}
	for _, r := range sweepRegs {
		ok := isZR(r)
		for _, w := range gprWidths {
			s.try(ok, fmt.Sprintf("cbz %s, .+0x8", r.Name(w)), func() Inst { return Cbz(w, r, 8) })
			s.try(ok, fmt.Sprintf("cbnz %s, .+0xfffffffffffffff8", r.Name(w)), func() Inst { return Cbnz(w, r, -8) })
			s.try(ok, fmt.Sprintf("ldr %s, .+0x10", r.Name(w)), func() Inst { return LdrLit(w, r, 16) })
		}
		for bit := range uint8(64) {
			view := W32
			if bit >= 32 {
				view = W64
			}
			s.try(ok, fmt.Sprintf("tbz %s, #%d, .+0x4", r.Name(view), bit), func() Inst { return Tbz(r, bit, 4) })
			s.try(ok, fmt.Sprintf("tbnz %s, #%d, .+0x4", r.Name(view), bit), func() Inst { return Tbnz(r, bit, 4) })
		}
		s.try(ok, fmt.Sprintf("br %v", r), func() Inst { return Br(r) })
		s.try(ok, fmt.Sprintf("blr %v", r), func() Inst { return Blr(r) })
		s.try(ok, fmt.Sprintf("adr %v, .+0x4", r), func() Inst { return Adr(r, 4) })
		s.try(ok, fmt.Sprintf("adrp %v, .+0x2000", r), func() Inst { return Adrp(r, 0x2000) })
	}
	for _, v := range vSweepRegs {
		for _, w := range []Width{W32, W64, W128} {
			s.try(v.IsV(), fmt.Sprintf("ldr %s, .+0x8", v.Name(w)), func() Inst { return LdrLitV(w, v, 8) })
		}
	}
	for c := CondEQ; c <= CondNV; c++ {
		name := c.String()
		if c == CondNV {
			name = "al" // arm64asm's quirk: 1111 prints as al
		}
		s.check(BCond(c, 0x40), fmt.Sprintf("b.%s .+0x40", name))
		s.check(Csel(W64, X1, X2, X3, c), fmt.Sprintf("csel x1, x2, x3, %s", name))
		s.check(Fcsel(W32, V1, V2, V3, c), fmt.Sprintf("fcsel s1, s2, s3, %s", name))
		if c < CondAL {
			s.check(Cset(W32, X4, c), fmt.Sprintf("cset w4, %s", name))
			s.check(Csetm(W64, X4, c), fmt.Sprintf("csetm x4, %s", name))
		}
	}
	s.done()
}

func TestSweepFP(t *testing.T) {
	s := sweep{t: t}
	fp2s := []struct {
		mnem string
		f    func(Width, Reg, Reg, Reg) Inst
	}{{"fadd", Fadd}, {"fsub", Fsub}, {"fmul", Fmul}, {"fdiv", Fdiv}, {"fmin", Fmin}, {"fmax", Fmax}}
	fp1s := []struct {
		mnem string
		f    func(Width, Reg, Reg) Inst
	}{
		{"fmov", Fmov}, {"fabs", Fabs}, {"fneg", Fneg}, {"fsqrt", Fsqrt},
		{"frintn", Frintn}, {"frintm", Frintm}, {"frintp", Frintp}, {"frintz", Frintz},
	}
	for _, w := range gprWidths {
		other := W64 + W32 - w
		for i, d := range vSweepRegs {
			for j, n := range vSweepRegs {
				m := vSweepRegs[(i*7+j)%len(vSweepRegs)]
				ok := d.IsV() && n.IsV()
				for _, f := range fp2s {
					want := fmt.Sprintf("%s %s, %s, %s", f.mnem, d.Name(w), n.Name(w), m.Name(w))
					s.try(ok && m.IsV(), want, func() Inst { return f.f(w, d, n, m) })
				}
				for _, f := range fp1s {
					s.try(ok, fmt.Sprintf("%s %s, %s", f.mnem, d.Name(w), n.Name(w)), func() Inst { return f.f(w, d, n) })
				}
				s.try(ok, fmt.Sprintf("fcvt %s, %s", d.Name(other), n.Name(w)), func() Inst { return Fcvt(other, w, d, n) })
				s.try(ok, fmt.Sprintf("fcmp %s, %s", d.Name(w), n.Name(w)), func() Inst { return Fcmp(w, d, n) })
				want := fmt.Sprintf("fcsel %s, %s, %s, vs", d.Name(w), n.Name(w), m.Name(w))
				s.try(ok && m.IsV(), want, func() Inst { return Fcsel(w, d, n, m, CondVS) })
			}
			s.try(d.IsV(), fmt.Sprintf("fcmp %s, #0", d.Name(w)), func() Inst { return FcmpZero(w, d) })
			s.try(d.IsV(), fmt.Sprintf("fmov %s, #-2.000000000000000000e+00", d.Name(w)), func() Inst { return FmovImm(w, d, -2) })
		}
		// Between general and SIMD&FP registers, every width pair.
		for _, v := range vSweepRegs {
			for _, r := range sweepRegs {
				ok := v.IsV() && isZR(r)
				for _, iw := range gprWidths {
					s.try(ok, fmt.Sprintf("scvtf %s, %s", v.Name(w), r.Name(iw)), func() Inst { return Scvtf(w, iw, v, r) })
					s.try(ok, fmt.Sprintf("ucvtf %s, %s", v.Name(w), r.Name(iw)), func() Inst { return Ucvtf(w, iw, v, r) })
					s.try(ok, fmt.Sprintf("fcvtzs %s, %s", r.Name(iw), v.Name(w)), func() Inst { return Fcvtzs(iw, w, r, v) })
					s.try(ok, fmt.Sprintf("fcvtzu %s, %s", r.Name(iw), v.Name(w)), func() Inst { return Fcvtzu(iw, w, r, v) })
				}
				s.try(ok, fmt.Sprintf("fmov %s, %s", v.Name(w), r.Name(w)), func() Inst { return FmovVR(w, v, r) })
				s.try(ok, fmt.Sprintf("fmov %s, %s", r.Name(w), v.Name(w)), func() Inst { return FmovRV(w, r, v) })
			}
		}
	}
	for _, d := range vSweepRegs {
		for _, n := range vSweepRegs {
			ok := d.IsV() && n.IsV()
			s.try(ok, fmt.Sprintf("cnt %v.8b, %v.8b", d, n), func() Inst { return Cnt8B(d, n) })
			s.try(ok, fmt.Sprintf("addv %s, %v.8b", d.Name(W8), n), func() Inst { return Addv8B(d, n) })
		}
	}
	s.done()
}
