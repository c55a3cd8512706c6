package arm64

import (
	"fmt"
	"maps"
	"slices"
	"testing"
)

// The sweeps run every form over every register, with register number 31 as both SP and XZR
// and a SIMD&FP register where a general one belongs (and the reverse), and check each case
// against arm64asm (see checkGNU). An operand a field cannot take must make the constructor
// panic; the expected text of every other case is built from the operands, following the
// Arm ARM's rules for when a disassembler prints an alias (MOV, CMP, NEG, TST, CINC, ...).

var (
	xregs []Reg // X0–X30
	gprs  []Reg // X0–X30, SP, XZR
	vregs []Reg // V0–V31
	// sweepRegs is what the integer sweeps try in each operand: all general registers and a
	// SIMD&FP one; vSweepRegs is the SIMD&FP registers and the two meanings of 31.
	sweepRegs, vSweepRegs []Reg
)

func init() {
	for r := X0; r <= X30; r++ {
		xregs = append(xregs, r)
	}
	for r := V0; r <= V31; r++ {
		vregs = append(vregs, r)
	}
	gprs = append(append(gprs, xregs...), SP, XZR)
	sweepRegs = append(append(sweepRegs, gprs...), V7)
	vSweepRegs = append(append(vSweepRegs, vregs...), X3, SP, XZR)
}

// isX reports whether r is X0–X30; isZR and isSP whether r may be in a field where 31 means
// XZR or SP.
func isX(r Reg) bool  { return X0 <= r && r <= X30 }
func isZR(r Reg) bool { return isX(r) || r == XZR }
func isSP(r Reg) bool { return isX(r) || r == SP }

type sweep struct {
	t                *testing.T
	checked, refused int
}

func (s *sweep) check(i Inst, want string) {
	s.t.Helper()
	s.checked++
	checkGNU(s.t, i, want)
}

// try runs f, which must panic if ok is false and otherwise encode what decodes to want.
func (s *sweep) try(ok bool, want string, f func() Inst) {
	s.t.Helper()
	var i Inst
	panicked := func() (p bool) {
		defer func() {
			if r := recover(); r != nil {
				p = true
				if ok {
					s.t.Errorf("want %q: panic: %v", want, r)
				}
			}
		}()
		i = f()
		return false
	}()
	switch {
	case !ok && !panicked:
		s.t.Errorf("want a panic, got %v (%s)", i, want)
	case ok && !panicked:
		s.check(i, want)
	case !ok:
		s.refused++
	}
}

func (s *sweep) done() {
	s.t.Logf("%d cases checked against arm64asm, %d invalid operand sets refused", s.checked, s.refused)
}

var gprWidths = []Width{W32, W64}

// rrrForm is an integer form with three register operands d, n, m.
type rrrForm struct {
	f    func(Width, Reg, Reg, Reg) Inst
	ok   func(d, n, m Reg) bool
	text func(w Width, d, n, m string, rd, rn, rm Reg) string
}

func allZR(rs ...Reg) bool {
	for _, r := range rs {
		if !isZR(r) {
			return false
		}
	}
	return true
}

func zr3(d, n, m Reg) bool { return allZR(d, n, m) }

// plain3 is the text "mnem d, n, m".
func plain3(mnem string) func(Width, string, string, string, Reg, Reg, Reg) string {
	return func(_ Width, d, n, m string, _, _, _ Reg) string { return fmt.Sprintf("%s %s, %s, %s", mnem, d, n, m) }
}

// addOK: ADD and SUB (register) encode SP in d or n through the extended form, which cannot
// then name XZR in the other.
func addOK(d, n, m Reg) bool {
	if d == SP || n == SP {
		return isSP(d) && isSP(n) && isZR(m)
	}
	return allZR(d, n, m)
}

// addsOK: ADDS and SUBS may take SP in n only (through the extended form) and XZR in any.
func addsOK(d, n, m Reg) bool { return isZR(d) && n.IsGPR() && isZR(m) }

var rrrForms = map[string]rrrForm{
	"add": {Add, addOK, plain3("add")},
	"sub": {Sub, addOK, func(w Width, d, n, m string, rd, rn, rm Reg) string {
		if rn == XZR {
			return fmt.Sprintf("neg %s, %s", d, m)
		}
		return fmt.Sprintf("sub %s, %s, %s", d, n, m)
	}},
	"adds": {Adds, addsOK, func(w Width, d, n, m string, rd, rn, rm Reg) string {
		if rd == XZR {
			return fmt.Sprintf("cmn %s, %s", n, m)
		}
		return fmt.Sprintf("adds %s, %s, %s", d, n, m)
	}},
	"subs": {Subs, addsOK, func(w Width, d, n, m string, rd, rn, rm Reg) string {
		switch {
		case rd == XZR:
			return fmt.Sprintf("cmp %s, %s", n, m)
		case rn == XZR:
			return fmt.Sprintf("negs %s, %s", d, m)
		}
		return fmt.Sprintf("subs %s, %s, %s", d, n, m)
	}},
	"and": {And, zr3, plain3("and")},
	"orr": {Orr, zr3, func(w Width, d, n, m string, rd, rn, rm Reg) string {
		if rn == XZR {
			return fmt.Sprintf("mov %s, %s", d, m)
		}
		return fmt.Sprintf("orr %s, %s, %s", d, n, m)
	}},
	"eor": {Eor, zr3, plain3("eor")},
	"ands": {Ands, zr3, func(w Width, d, n, m string, rd, rn, rm Reg) string {
		if rd == XZR {
			return fmt.Sprintf("tst %s, %s", n, m)
		}
		return fmt.Sprintf("ands %s, %s, %s", d, n, m)
	}},
	"bic": {Bic, zr3, plain3("bic")},
	"orn": {Orn, zr3, func(w Width, d, n, m string, rd, rn, rm Reg) string {
		if rn == XZR {
			return fmt.Sprintf("mvn %s, %s", d, m)
		}
		return fmt.Sprintf("orn %s, %s, %s", d, n, m)
	}},
	"mul":  {Mul, zr3, plain3("mul")},
	"udiv": {Udiv, zr3, plain3("udiv")},
	"sdiv": {Sdiv, zr3, plain3("sdiv")},
	"lsl":  {Lsl, zr3, plain3("lsl")},
	"lsr":  {Lsr, zr3, plain3("lsr")},
	"asr":  {Asr, zr3, plain3("asr")},
	"ror":  {Ror, zr3, plain3("ror")},
	"smulh": {func(w Width, d, n, m Reg) Inst { return Smulh(d, n, m) }, zr3, func(_ Width, _, _, _ string, d, n, m Reg) string {
		return fmt.Sprintf("smulh %v, %v, %v", d, n, m)
	}},
	"umulh": {func(w Width, d, n, m Reg) Inst { return Umulh(d, n, m) }, zr3, func(_ Width, _, _, _ string, d, n, m Reg) string {
		return fmt.Sprintf("umulh %v, %v, %v", d, n, m)
	}},
	// Conditional selects with GT: CINC, CINV and CNEG when n == m, CSET and CSETM when both are
	// XZR, and then the condition printed is the inverse, LE.
	"csel": {func(w Width, d, n, m Reg) Inst { return Csel(w, d, n, m, CondGT) }, zr3, func(w Width, d, n, m string, _, _, _ Reg) string {
		return fmt.Sprintf("csel %s, %s, %s, gt", d, n, m)
	}},
	"csinc": {func(w Width, d, n, m Reg) Inst { return Csinc(w, d, n, m, CondGT) }, zr3, condAlias("csinc", "cinc", "cset")},
	"csinv": {func(w Width, d, n, m Reg) Inst { return Csinv(w, d, n, m, CondGT) }, zr3, condAlias("csinv", "cinv", "csetm")},
	"csneg": {func(w Width, d, n, m Reg) Inst { return Csneg(w, d, n, m, CondGT) }, zr3, condAlias("csneg", "cneg", "cneg")},
	"extr": {func(w Width, d, n, m Reg) Inst { return Extr(w, d, n, m, 5) }, zr3, func(w Width, d, n, m string, _, rn, rm Reg) string {
		if rn == rm {
			return fmt.Sprintf("ror %s, %s, #5", d, n)
		}
		return fmt.Sprintf("extr %s, %s, %s, #5", d, n, m)
	}},
}

// condAlias is the text of a conditional select with condition GT: the aliases with one
// source when n == m (two with zero when both are XZR and there is such an alias).
func condAlias(mnem, one, zero string) func(Width, string, string, string, Reg, Reg, Reg) string {
	return func(w Width, d, n, m string, _, rn, rm Reg) string {
		switch {
		case rn == rm && rn == XZR && zero != one:
			return fmt.Sprintf("%s %s, le", zero, d)
		case rn == rm:
			return fmt.Sprintf("%s %s, %s, le", one, d, n)
		}
		return fmt.Sprintf("%s %s, %s, %s, gt", mnem, d, n, m)
	}
}

func TestSweepRRR(t *testing.T) {
	s := sweep{t: t}
	for _, name := range slices.Sorted(maps.Keys(rrrForms)) {
		f := rrrForms[name]
		widths := gprWidths
		if name == "smulh" || name == "umulh" {
			widths = []Width{W64}
		}
		for _, w := range widths {
			for i, d := range sweepRegs {
				for j, n := range sweepRegs {
					// m cycles through every register as n does, and equals n when i is 0.
					m := sweepRegs[(i*7+j)%len(sweepRegs)]
					ok := f.ok(d, n, m) && d.IsGPR() && n.IsGPR() && m.IsGPR()
					var want string
					if ok {
						want = f.text(w, d.Name(w), n.Name(w), m.Name(w), d, n, m)
					}
					s.try(ok, want, func() Inst { return f.f(w, d, n, m) })
				}
			}
		}
	}
	// MADD and MSUB, with MUL and MNEG when ra is XZR.
	for _, w := range gprWidths {
		for i, d := range sweepRegs {
			for j, a := range sweepRegs {
				n, m := sweepRegs[(i+j)%len(sweepRegs)], sweepRegs[(i*5+j*3)%len(sweepRegs)]
				ok := allZR(d, n, m, a)
				for _, op := range []struct {
					mnem, alias string
					f           func(Width, Reg, Reg, Reg, Reg) Inst
				}{{"madd", "mul", Madd}, {"msub", "mneg", Msub}} {
					want := fmt.Sprintf("%s %s, %s, %s, %s", op.mnem, d.Name(w), n.Name(w), m.Name(w), a.Name(w))
					if a == XZR {
						want = fmt.Sprintf("%s %s, %s, %s", op.alias, d.Name(w), n.Name(w), m.Name(w))
					}
					s.try(ok, want, func() Inst { return op.f(w, d, n, m, a) })
				}
			}
		}
	}
	s.done()
}

// TestSweepRR covers the forms with two register operands and the immediate forms, where
// the field types differ most: AND (immediate) writes SP but reads XZR, ADDS (immediate) the
// reverse.
func TestSweepRR(t *testing.T) {
	s := sweep{t: t}
	for _, w := range gprWidths {
		g := func(r Reg) string { return r.Name(w) }
		for _, d := range sweepRegs {
			for _, n := range sweepRegs {
				zz := isZR(d) && isZR(n)
				ss := isSP(d) && isSP(n)
				zs := isZR(d) && isSP(n)
				sz := isSP(d) && isZR(n)
				two := func(mnem string) string { return fmt.Sprintf("%s %s, %s", mnem, g(d), g(n)) }
				s.try(zz, two("clz"), func() Inst { return Clz(w, d, n) })
				s.try(zz, two("rbit"), func() Inst { return Rbit(w, d, n) })
				s.try(zz, two("rev"), func() Inst { return Rev(w, d, n) })
				s.try(zz, two("neg"), func() Inst { return Neg(w, d, n) })
				s.try(zz, two("mvn"), func() Inst { return Mvn(w, d, n) })
				s.try(zz, fmt.Sprintf("sxtb %s, %s", g(d), n.Name(W32)), func() Inst { return Sxtb(w, d, n) })
				s.try(zz, fmt.Sprintf("sxth %s, %s", g(d), n.Name(W32)), func() Inst { return Sxth(w, d, n) })
				// MOV: ADD #0 with SP on either side, else ORR.
				movOK := zz || (d == SP || n == SP) && ss
				s.try(movOK, two("mov"), func() Inst { return Mov(w, d, n) })
				// Immediates.
				imm := func(mnem, imm string) string { return fmt.Sprintf("%s %s, %s, #%s", mnem, g(d), g(n), imm) }
				s.try(ss, imm("add", "0x1"), func() Inst { return AddImm(w, d, n, 1) })
				s.try(ss, imm("sub", "0x1, lsl #12"), func() Inst { return SubImm(w, d, n, 4096) })
				cmpText := func(mnem, alias string) string {
					if d == XZR {
						return fmt.Sprintf("%s %s, #0x2", alias, g(n))
					}
					return imm(mnem, "0x2")
				}
				s.try(zs, cmpText("adds", "cmn"), func() Inst { return AddsImm(w, d, n, 2) })
				s.try(zs, cmpText("subs", "cmp"), func() Inst { return SubsImm(w, d, n, 2) })
				s.try(sz, imm("and", "0xff"), func() Inst { return AndImm(w, d, n, 0xff) })
				s.try(sz, imm("orr", "0xff"), func() Inst { return OrrImm(w, d, n, 0xff) })
				s.try(sz, imm("eor", "0xff"), func() Inst { return EorImm(w, d, n, 0xff) })
				tst := imm("ands", "0xff")
				if d == XZR {
					tst = fmt.Sprintf("tst %s, #0xff", g(n))
				}
				s.try(zz, tst, func() Inst { return AndsImm(w, d, n, 0xff) })
				s.try(zz, imm("lsl", "3"), func() Inst { return LslImm(w, d, n, 3) })
				s.try(zz, imm("lsr", "3"), func() Inst { return LsrImm(w, d, n, 3) })
				s.try(zz, imm("asr", "3"), func() Inst { return AsrImm(w, d, n, 3) })
				s.try(zz, imm("ror", "3"), func() Inst { return RorImm(w, d, n, 3) })
				s.try(zz, fmt.Sprintf("ubfx %s, %s, #4, #8", g(d), g(n)), func() Inst { return Ubfx(w, d, n, 4, 8) })
				s.try(zz, fmt.Sprintf("sbfx %s, %s, #4, #8", g(d), g(n)), func() Inst { return Sbfx(w, d, n, 4, 8) })
			}
		}
	}
	for _, d := range sweepRegs {
		for _, n := range sweepRegs {
			zz := isZR(d) && isZR(n)
			s.try(zz, fmt.Sprintf("sxtw %s, %s", d, n.Name(W32)), func() Inst { return Sxtw(d, n) })
			s.try(zz, fmt.Sprintf("uxtb %s, %s", d.Name(W32), n.Name(W32)), func() Inst { return Uxtb(d, n) })
			s.try(zz, fmt.Sprintf("uxth %s, %s", d.Name(W32), n.Name(W32)), func() Inst { return Uxth(d, n) })
		}
	}
	s.done()
}

// TestSweepExt covers the extended-register forms: d and n may be SP (only n for ADDS and
// SUBS), m is XZR-typed, and with SP in d or n and the extension as wide as the operation the
// disassembler writes LSL for it.
func TestSweepExt(t *testing.T) {
	s := sweep{t: t}
	forms := []struct {
		mnem, alias string // alias: when d is XZR
		f           func(Width, Reg, Reg, Reg, Extend, uint8) Inst
		flags       bool
	}{
		{"add", "", AddExt, false}, {"sub", "", SubExt, false},
		{"adds", "cmn", AddsExt, true}, {"subs", "cmp", SubsExt, true},
	}
	for _, w := range gprWidths {
		full := map[Width]Extend{W32: ExtUXTW, W64: ExtUXTX}[w]
		for _, ext := range []Extend{ExtSXTB, full} {
			for i, d := range sweepRegs {
				for j, n := range sweepRegs {
					m := sweepRegs[(i*3+j)%len(sweepRegs)]
					for _, f := range forms {
						ok := isSP(n) && isZR(m) && (isSP(d) && !f.flags || isZR(d) && f.flags)
						mv := m.Name(W32)
						if w == W64 && ext == ExtUXTX {
							mv = m.Name(W64)
						}
						e := ext.String()
						if ext == full && (d == SP || n == SP) {
							e = "lsl"
						}
						want := fmt.Sprintf("%s %s, %s, %s, %s #2", f.mnem, d.Name(w), n.Name(w), mv, e)
						if f.flags && d == XZR {
							want = fmt.Sprintf("%s %s, %s, %s #2", f.alias, n.Name(w), mv, e)
						}
						s.try(ok, want, func() Inst { return f.f(w, d, n, m, ext, 2) })
					}
				}
			}
		}
	}
	s.done()
}

// TestSweepShifted covers every shift type and amount of the shifted-register forms.
func TestSweepShifted(t *testing.T) {
	s := sweep{t: t}
	arith := []struct {
		mnem string
		f    func(Width, Reg, Reg, Reg, Shift, uint8) Inst
	}{{"add", AddShift}, {"sub", SubShift}, {"adds", AddsShift}, {"subs", SubsShift}}
	logical := []struct {
		mnem string
		f    func(Width, Reg, Reg, Reg, Shift, uint8) Inst
	}{{"and", AndShift}, {"orr", OrrShift}, {"eor", EorShift}, {"ands", AndsShift}, {"bic", BicShift}, {"orn", OrnShift}}
	for _, w := range gprWidths {
		for sh := ShiftLSL; sh <= ShiftROR; sh++ {
			for amt := range uint8(65) {
				ok := int(amt) < w.Bits()
				want := fmt.Sprintf("%s, %s, %s, %v #%d", X1.Name(w), X2.Name(w), X3.Name(w), sh, amt)
				if amt == 0 && sh == ShiftLSL {
					want = fmt.Sprintf("%s, %s, %s", X1.Name(w), X2.Name(w), X3.Name(w))
				}
				for _, f := range arith {
					s.try(ok && sh != ShiftROR, f.mnem+" "+want, func() Inst { return f.f(w, X1, X2, X3, sh, amt) })
				}
				for _, f := range logical {
					s.try(ok, f.mnem+" "+want, func() Inst { return f.f(w, X1, X2, X3, sh, amt) })
				}
			}
		}
	}
	s.done()
}
