package amd64

import (
	"fmt"
	"math"
	"testing"
)

// The sweeps run every form over every register, the edge immediates and a grid of memory
// operands, and check each case against x86asm (see checkGNU). The expected text is built
// from the operands by gnuMem and friends, which follow x86asm's GNU printing.

var (
	gprs       = []Reg{RAX, RCX, RDX, RBX, RSP, RBP, RSI, RDI, R8, R9, R10, R11, R12, R13, R14, R15}
	xmms       = []Reg{X0, X1, X2, X3, X4, X5, X6, X7, X8, X9, X10, X11, X12, X13, X14, X15}
	allWidths  = []Width{W8, W16, W32, W64}
	wideWidths = []Width{W16, W32, W64}
	edgeImms   = []int32{0, 1, -1, 127, 128, -128, -129, 255, 256, 0x7fff, -0x8000, 0xffff, math.MaxInt32, math.MinInt32}
	edgeDisps  = []int32{0, 1, -1, 127, -128, 128, -129, math.MaxInt32, math.MinInt32}
)

// sweepMems returns the memory operands of the sweeps: every base with every edge
// displacement; every base with every legal index (all but RSP) at every displacement, the
// scale cycling through 1, 2, 4, 8; index without base; absolute; RIP-relative.
func sweepMems() []Mem {
	scales := []uint8{1, 2, 4, 8}
	var ms []Mem
	for _, b := range gprs {
		for _, d := range edgeDisps {
			ms = append(ms, Mem{Base: b, Disp: d})
		}
	}
	k := 0
	for _, b := range gprs {
		for _, x := range gprs {
			if x == RSP {
				continue
			}
			for _, d := range edgeDisps {
				ms = append(ms, Mem{Base: b, Index: x, Scale: scales[k%4], Disp: d})
				k++
			}
		}
	}
	for _, x := range gprs {
		if x != RSP {
			ms = append(ms, Mem{Index: x, Scale: scales[k%4], Disp: edgeDisps[k%len(edgeDisps)]})
			k++
		}
	}
	for _, d := range edgeDisps {
		ms = append(ms, Mem{Disp: d}, RIPRel(d))
	}
	ms = append(ms, Mem{Base: RAX, Index: RCX}) // Scale 0 means 1
	return ms
}

func gnuReg(r Reg, w Width) string { return "%" + r.Name(w) }

func gnuX(r Reg) string { return "%" + r.String() }

// gnuMem returns m as x86asm prints it: a disp8 signed, a disp32 as an unsigned 32-bit number,
// an R12 base without index as (%r12,%riz), scale 1 omitted.
func gnuMem(m Mem) string {
	disp := ""
	if m.Disp != 0 {
		if m.Base != NoReg && m.Base != RIP && m.Disp == int32(int8(m.Disp)) {
			disp = fmt.Sprintf("%#x", m.Disp)
		} else {
			disp = fmt.Sprintf("%#x", uint32(m.Disp))
		}
	}
	switch {
	case m.Base == RIP:
		return disp + "(%rip)"
	case m.Base == NoReg && m.Index == NoReg:
		return disp
	case m.Index == NoReg && m.Base == R12:
		return disp + "(%r12,%riz)"
	case m.Index == NoReg:
		return disp + "(" + gnuX(m.Base) + ")"
	}
	s := disp + "("
	if m.Base != NoReg {
		s += gnuX(m.Base)
	}
	s += "," + gnuX(m.Index)
	if m.Scale > 1 {
		s += fmt.Sprintf(",%d", m.Scale)
	}
	return s + ")"
}

// gnuImm returns an immediate of a w-bit operation as x86asm prints it: unsigned at W8, else
// signed after truncation to w bits (W64 immediates are sign-extended 32-bit ones).
func gnuImm(w Width, v int32) string {
	switch w {
	case W8:
		return fmt.Sprintf("$%#x", uint8(v))
	case W16:
		return fmt.Sprintf("$%#x", int16(v))
	}
	return fmt.Sprintf("$%#x", v)
}

// suffix is the AT&T operand-size suffix that GNU syntax adds when no register shows the size.
func suffix(w Width) string { return map[Width]string{W8: "b", W16: "w", W32: "l", W64: "q"}[w] }

// memBytes is the length of ModRM, SIB and displacement for m, from Intel SDM vol. 2A,
// tables 2-2 and 2-3: a SIB byte for an index, for no base, and for an RSP or R12 base; a
// disp32 with RIP or no base; a disp8 if the displacement fits, or if it is 0 with an RBP or
// R13 base, which cannot go without one.
func memBytes(m Mem) int {
	switch {
	case m.Base == RIP:
		return 1 + 4
	case m.Base == NoReg:
		return 1 + 1 + 4
	}
	n := 1
	if m.Index != NoReg || m.Base == RSP || m.Base == R12 {
		n++
	}
	switch {
	case m.Disp == 0 && m.Base != RBP && m.Base != R13:
	case m.Disp >= -128 && m.Disp <= 127:
		n++
	default:
		n += 4
	}
	return n
}

// memLenCheck checks that the encoder picks the shortest ModRM, SIB and displacement: for one
// form, len(inst) - memBytes(m) may differ only by the REX prefix that an R8–R15 base or index
// can add.
type memLenCheck struct {
	t    *testing.T
	name string
	rest [2]int // len - memBytes, for operands without and with REX.B/REX.X; 0 until seen
}

func (c *memLenCheck) check(i Inst, m Mem) {
	c.t.Helper()
	x := 0
	if m.rex() != 0 {
		x = 1
	}
	rest := i.Len() - memBytes(m)
	if c.rest[x] == 0 {
		c.rest[x] = rest
	} else if c.rest[x] != rest {
		c.t.Errorf("%s with %v: % x is not the shortest encoding", c.name, m, i.Bytes())
	}
	if c.rest[0] != 0 && c.rest[1] != 0 && c.rest[1]-c.rest[0] > 1 {
		c.t.Errorf("%s with %v: a REX.B or REX.X costs more than one byte", c.name, m)
	}
}

type sweep struct {
	t *testing.T
	n int
}

func (s *sweep) check(i Inst, want string) {
	s.t.Helper()
	s.n++
	checkGNU(s.t, i, want)
}

func (s *sweep) done() { s.t.Logf("%d cases checked against x86asm", s.n) }

// gprRR are the forms "op %src,%dst" with two general-purpose registers.
var gprRR = []struct {
	mnem   string
	widths []Width
	f      func(Width, Reg, Reg) Inst
}{
	{"add", allWidths, AddRR}, {"or", allWidths, OrRR}, {"adc", allWidths, AdcRR}, {"sbb", allWidths, SbbRR},
	{"and", allWidths, AndRR}, {"sub", allWidths, SubRR}, {"xor", allWidths, XorRR}, {"cmp", allWidths, CmpRR},
	{"test", allWidths, TestRR}, {"mov", allWidths, MovRR}, {"xchg", allWidths, XchgRR},
	{"imul", wideWidths, ImulRR}, {"bsf", wideWidths, BsfRR}, {"bsr", wideWidths, BsrRR},
	{"lzcnt", wideWidths, LzcntRR}, {"tzcnt", wideWidths, TzcntRR}, {"popcnt", wideWidths, PopcntRR},
}

func TestSweepRR(t *testing.T) {
	s := sweep{t: t}
	forms := gprRR
	for c := Cond(0); c < 16; c++ {
		forms = append(forms, struct {
			mnem   string
			widths []Width
			f      func(Width, Reg, Reg) Inst
		}{"cmov" + c.String(), wideWidths, func(w Width, d, s Reg) Inst { return CmovRR(c, w, d, s) }})
	}
	for _, f := range forms {
		for _, w := range f.widths {
			for _, d := range gprs {
				for _, r := range gprs {
					s.check(f.f(w, d, r), fmt.Sprintf("%s %s,%s", f.mnem, gnuReg(r, w), gnuReg(d, w)))
				}
			}
		}
	}
	extends := []struct {
		mnem   string
		dw, sw Width
		f      func(Width, Width, Reg, Reg) Inst
	}{
		{"movzbw", W16, W8, MovzxRR}, {"movzbl", W32, W8, MovzxRR}, {"movzbq", W64, W8, MovzxRR},
		{"movzwl", W32, W16, MovzxRR}, {"movzwq", W64, W16, MovzxRR},
		{"movsbw", W16, W8, MovsxRR}, {"movsbl", W32, W8, MovsxRR}, {"movsbq", W64, W8, MovsxRR},
		{"movswl", W32, W16, MovsxRR}, {"movswq", W64, W16, MovsxRR},
	}
	for _, e := range extends {
		for _, d := range gprs {
			for _, r := range gprs {
				s.check(e.f(e.dw, e.sw, d, r), fmt.Sprintf("%s %s,%s", e.mnem, gnuReg(r, e.sw), gnuReg(d, e.dw)))
			}
		}
	}
	for _, d := range gprs {
		for _, r := range gprs {
			s.check(MovsxdRR(d, r), fmt.Sprintf("movsxd %s,%s", gnuReg(r, W32), gnuReg(d, W64)))
		}
	}
	s.done()
}

func TestSweepR(t *testing.T) {
	s := sweep{t: t}
	unary := []struct {
		mnem string
		f    func(Width, Reg) Inst
	}{
		{"not", NotR}, {"neg", NegR}, {"mul", MulR}, {"imul", ImulR}, {"div", DivR}, {"idiv", IdivR},
		{"inc", IncR}, {"dec", DecR},
	}
	shifts := []struct {
		mnem string
		cl   func(Width, Reg) Inst
		imm  func(Width, Reg, uint8) Inst
	}{
		{"rol", RolRCL, RolRI}, {"ror", RorRCL, RorRI}, {"shl", ShlRCL, ShlRI}, {"shr", ShrRCL, ShrRI},
		{"sar", SarRCL, SarRI},
	}
	for _, r := range gprs {
		for _, w := range allWidths {
			for _, u := range unary {
				s.check(u.f(w, r), fmt.Sprintf("%s %s", u.mnem, gnuReg(r, w)))
			}
			for _, sh := range shifts {
				s.check(sh.cl(w, r), fmt.Sprintf("%s %%cl,%s", sh.mnem, gnuReg(r, w)))
				s.check(sh.imm(w, r, 1), fmt.Sprintf("%s %s", sh.mnem, gnuReg(r, w)))
				for _, n := range []uint8{0, 2, 7, 8, 15, 31, 32, 63, 255} {
					s.check(sh.imm(w, r, n), fmt.Sprintf("%s $%#x,%s", sh.mnem, n, gnuReg(r, w)))
				}
			}
		}
		for c := Cond(0); c < 16; c++ {
			s.check(Setcc(c, r), fmt.Sprintf("set%v %s", c, gnuReg(r, W8)))
		}
		s.check(Bswap(W32, r), "bswap "+gnuReg(r, W32))
		s.check(Bswap(W64, r), "bswap "+gnuReg(r, W64))
		s.check(Push(r), "push "+gnuReg(r, W64))
		s.check(Pop(r), "pop "+gnuReg(r, W64))
		s.check(JmpR(r), "jmp *"+gnuReg(r, W64))
		s.check(CallR(r), "call *"+gnuReg(r, W64))
	}
	s.done()
}

func TestSweepRI(t *testing.T) {
	s := sweep{t: t}
	alu := []struct {
		mnem string
		f    func(Width, Reg, int32) Inst
	}{
		{"add", AddRI}, {"or", OrRI}, {"adc", AdcRI}, {"sbb", SbbRI}, {"and", AndRI}, {"sub", SubRI},
		{"xor", XorRI}, {"cmp", CmpRI},
	}
	for _, r := range gprs {
		for _, w := range allWidths {
			// The length, from the opcode tables of ADD etc.: REX if needed, 66 at W16,
			// opcode, ModRM unless the accumulator form applies, then the immediate.
			rex := 0
			if w == W64 || r >= R8 || w == W8 && (r == RSP || r == RBP || r == RSI || r == RDI) {
				rex = 1
			}
			p66 := 0
			if w == W16 {
				p66 = 1
			}
			for _, v := range edgeImms {
				tv := int64(v)
				switch w {
				case W8:
					tv = int64(int8(v))
				case W16:
					tv = int64(int16(v))
				}
				imm8 := w == W8 || tv >= -128 && tv <= 127
				immBytes := map[bool]int{true: 1, false: min(int(w), 4)}[imm8]
				acc := r == RAX && (w == W8 || !imm8)
				modrm := map[bool]int{true: 0, false: 1}[acc]
				for _, a := range alu {
					i := a.f(w, r, v)
					s.check(i, fmt.Sprintf("%s %s,%s", a.mnem, gnuImm(w, v), gnuReg(r, w)))
					if want := rex + p66 + 1 + modrm + immBytes; i.Len() != want {
						t.Errorf("%s %d, %v: % x is %d bytes, want %d", a.mnem, v, r, i.Bytes(), i.Len(), want)
					}
				}
				s.check(TestRI(w, r, v), fmt.Sprintf("test %s,%s", gnuImm(w, v), gnuReg(r, w)))
				if w != W64 {
					s.check(MovRI(w, r, v), fmt.Sprintf("mov %s,%s", gnuImm(w, v), gnuReg(r, w)))
				} else {
					s.check(MovRI(w, r, v), fmt.Sprintf("mov $%#x,%s", v, gnuReg(r, w)))
				}
				if w != W8 {
					for _, src := range []Reg{RAX, RSP, R12, R15} {
						s.check(ImulRRI(w, r, src, v), fmt.Sprintf("imul %s,%s,%s", gnuImm(w, v), gnuReg(src, w), gnuReg(r, w)))
					}
				}
			}
		}
		for _, v := range []uint64{0, 1, 0x7fffffff, 0x80000000, 0xffffffff, 0x100000000, 1 << 63, math.MaxUint64, 0xffffffff80000000, 0xffffffff7fffffff} {
			i := MovConst(r, v)
			var want string
			switch {
			case v <= math.MaxUint32:
				want = fmt.Sprintf("mov $%#x,%s", int32(v), gnuReg(r, W32))
			default:
				want = fmt.Sprintf("mov $%#x,%s", int64(v), gnuReg(r, W64))
			}
			s.check(i, want)
			s.check(MovAbs(r, int64(v)), fmt.Sprintf("mov $%#x,%s", int64(v), gnuReg(r, W64)))
		}
	}
	for _, v := range edgeImms {
		s.check(PushI(v), fmt.Sprintf("pushq $%#x", v))
	}
	s.done()
}

// memForm is a form with a memory operand and, for most, a register: the register goes in
// ModRM.reg, so cycling it through all sixteen while the operands vary covers REX.R with
// REX.X and REX.B.
type memForm struct {
	name string
	regs []Reg                    // the registers to cycle through; nil for forms without one
	f    func(Reg, Mem) Inst      // builds the instruction
	text func(Reg, string) string // the expected text given the register and gnuMem
}

func memForms() []memForm {
	var fs []memForm
	rm := func(mnem string, w Width, f func(Width, Reg, Mem) Inst) memForm {
		return memForm{fmt.Sprintf("%s/%v", mnem, w), gprs,
			func(r Reg, m Mem) Inst { return f(w, r, m) },
			func(r Reg, m string) string { return fmt.Sprintf("%s %s,%s", mnem, m, gnuReg(r, w)) }}
	}
	mr := func(mnem string, w Width, f func(Width, Mem, Reg) Inst) memForm {
		return memForm{fmt.Sprintf("%s/%v", mnem, w), gprs,
			func(r Reg, m Mem) Inst { return f(w, m, r) },
			func(r Reg, m string) string { return fmt.Sprintf("%s %s,%s", mnem, gnuReg(r, w), m) }}
	}
	mi := func(mnem string, w Width, v int32, f func(Width, Mem, int32) Inst) memForm {
		return memForm{fmt.Sprintf("%s/%v/%d", mnem, w, v), nil,
			func(_ Reg, m Mem) Inst { return f(w, m, v) },
			func(_ Reg, m string) string { return fmt.Sprintf("%s%s %s,%s", mnem, suffix(w), gnuImm(w, v), m) }}
	}
	m1 := func(mnem string, w Width, f func(Width, Mem) Inst) memForm {
		return memForm{fmt.Sprintf("%s/%v", mnem, w), nil,
			func(_ Reg, m Mem) Inst { return f(w, m) },
			func(_ Reg, m string) string { return fmt.Sprintf("%s%s %s", mnem, suffix(w), m) }}
	}
	type (
		rmF = func(Width, Reg, Mem) Inst
		mrF = func(Width, Mem, Reg) Inst
		miF = func(Width, Mem, int32) Inst
	)
	alu := []struct {
		mnem string
		rm   rmF
		mr   mrF
		mi   miF
	}{
		{"add", AddRM, AddMR, AddMI}, {"or", OrRM, OrMR, OrMI}, {"adc", AdcRM, AdcMR, AdcMI},
		{"sbb", SbbRM, SbbMR, SbbMI}, {"and", AndRM, AndMR, AndMI}, {"sub", SubRM, SubMR, SubMI},
		{"xor", XorRM, XorMR, XorMI}, {"cmp", CmpRM, CmpMR, CmpMI},
		{"mov", MovRM, MovMR, MovMI}, {"test", nil, TestMR, TestMI},
	}
	for _, w := range allWidths {
		for _, a := range alu {
			if a.rm != nil {
				fs = append(fs, rm(a.mnem, w, a.rm))
			}
			fs = append(fs, mr(a.mnem, w, a.mr))
			for _, v := range []int32{-1, 128, math.MinInt32} {
				fs = append(fs, mi(a.mnem, w, v, a.mi))
			}
		}
		for _, u := range []struct {
			mnem string
			f    func(Width, Mem) Inst
		}{
			{"not", NotM}, {"neg", NegM}, {"mul", MulM}, {"imul", ImulM}, {"div", DivM}, {"idiv", IdivM},
			{"inc", IncM}, {"dec", DecM},
		} {
			fs = append(fs, m1(u.mnem, w, u.f))
		}
	}
	for _, w := range wideWidths {
		fs = append(fs, rm("lea", w, Lea), rm("imul", w, ImulRM), rm("bsf", w, BsfRM), rm("bsr", w, BsrRM),
			rm("lzcnt", w, LzcntRM), rm("tzcnt", w, TzcntRM), rm("popcnt", w, PopcntRM))
		for c := Cond(0); c < 16; c++ {
			fs = append(fs, rm("cmov"+c.String(), w, func(w Width, r Reg, m Mem) Inst { return CmovRM(c, w, r, m) }))
		}
		for _, v := range []int32{-1, 1000} {
			fs = append(fs, memForm{fmt.Sprintf("imul/%v/%d", w, v), gprs,
				func(r Reg, m Mem) Inst { return ImulRMI(w, r, m, v) },
				func(r Reg, m string) string { return fmt.Sprintf("imul %s,%s,%s", gnuImm(w, v), m, gnuReg(r, w)) }})
		}
	}
	for _, e := range []struct {
		mnem   string
		dw, sw Width
		f      func(Width, Width, Reg, Mem) Inst
	}{
		{"movzbw", W16, W8, MovzxRM}, {"movzbl", W32, W8, MovzxRM}, {"movzbq", W64, W8, MovzxRM},
		{"movzwl", W32, W16, MovzxRM}, {"movzwq", W64, W16, MovzxRM},
		{"movsbw", W16, W8, MovsxRM}, {"movsbl", W32, W8, MovsxRM}, {"movsbq", W64, W8, MovsxRM},
		{"movswl", W32, W16, MovsxRM}, {"movswq", W64, W16, MovsxRM},
	} {
		fs = append(fs, rm(e.mnem, e.dw, func(_ Width, r Reg, m Mem) Inst { return e.f(e.dw, e.sw, r, m) }))
	}
	fs = append(fs, rm("movsxd", W64, func(_ Width, r Reg, m Mem) Inst { return MovsxdRM(r, m) }),
		memForm{"jmp", nil, func(_ Reg, m Mem) Inst { return JmpM(m) }, func(_ Reg, m string) string { return "jmpq *" + m }},
		memForm{"call", nil, func(_ Reg, m Mem) Inst { return CallM(m) }, func(_ Reg, m string) string { return "callq *" + m }})

	// SSE: "op mem,%xmm" loads and "op %xmm,mem" stores.
	xrm := func(mnem string, f func(Reg, Mem) Inst) memForm {
		return memForm{mnem, xmms, f, func(r Reg, m string) string { return fmt.Sprintf("%s %s,%s", mnem, m, gnuX(r)) }}
	}
	xmr := func(mnem string, f func(Mem, Reg) Inst) memForm {
		return memForm{mnem + "/store", xmms, func(r Reg, m Mem) Inst { return f(m, r) },
			func(r Reg, m string) string { return fmt.Sprintf("%s %s,%s", mnem, gnuX(r), m) }}
	}
	fs = append(fs,
		xrm("movss", MovssRM), xmr("movss", MovssMR), xrm("movsd", MovsdRM), xmr("movsd", MovsdMR),
		xrm("addss", AddssRM), xrm("addsd", AddsdRM), xrm("subss", SubssRM), xrm("subsd", SubsdRM),
		xrm("mulss", MulssRM), xrm("mulsd", MulsdRM), xrm("divss", DivssRM), xrm("divsd", DivsdRM),
		xrm("sqrtss", SqrtssRM), xrm("sqrtsd", SqrtsdRM), xrm("minss", MinssRM), xrm("minsd", MinsdRM),
		xrm("maxss", MaxssRM), xrm("maxsd", MaxsdRM), xrm("ucomiss", UcomissRM), xrm("ucomisd", UcomisdRM),
		xrm("cvtss2sd", Cvtss2sdRM), xrm("cvtsd2ss", Cvtsd2ssRM),
		xrm("andps", AndpsRM), xrm("andpd", AndpdRM), xrm("andnps", AndnpsRM), xrm("andnpd", AndnpdRM),
		xrm("orps", OrpsRM), xrm("orpd", OrpdRM), xrm("xorps", XorpsRM), xrm("xorpd", XorpdRM),
		xrm("pxor", PxorRM), xrm("movaps", MovapsRM), xmr("movaps", MovapsMR), xrm("movapd", MovapdRM),
		xmr("movapd", MovapdMR), xrm("movups", MovupsRM), xmr("movups", MovupsMR), xrm("movdqu", MovdquRM),
		xmr("movdqu", MovdquMR),
	)
	for _, mode := range []RoundMode{RoundNearest, RoundFloor, RoundCeil, RoundTrunc | RoundNoInexact} {
		fs = append(fs,
			memForm{fmt.Sprintf("roundss/%d", mode), xmms, func(r Reg, m Mem) Inst { return RoundssRM(r, m, mode) },
				func(r Reg, m string) string { return fmt.Sprintf("roundss $%#x,%s,%s", mode, m, gnuX(r)) }},
			memForm{fmt.Sprintf("roundsd/%d", mode), xmms, func(r Reg, m Mem) Inst { return RoundsdRM(r, m, mode) },
				func(r Reg, m string) string { return fmt.Sprintf("roundsd $%#x,%s,%s", mode, m, gnuX(r)) }},
		)
	}
	for _, w := range []Width{W32, W64} {
		fs = append(fs,
			memForm{"cvtsi2ss/" + w.String(), xmms, func(r Reg, m Mem) Inst { return Cvtsi2ssRM(w, r, m) },
				func(r Reg, m string) string { return fmt.Sprintf("cvtsi2ss%s %s,%s", suffix(w), m, gnuX(r)) }},
			memForm{"cvtsi2sd/" + w.String(), xmms, func(r Reg, m Mem) Inst { return Cvtsi2sdRM(w, r, m) },
				func(r Reg, m string) string { return fmt.Sprintf("cvtsi2sd%s %s,%s", suffix(w), m, gnuX(r)) }},
			rm("cvttss2si", w, Cvttss2siRM), rm("cvttsd2si", w, Cvttsd2siRM),
		)
	}
	return fs
}

func TestSweepMem(t *testing.T) {
	s := sweep{t: t}
	mems := sweepMems()
	for _, f := range memForms() {
		lc := memLenCheck{t: t, name: f.name}
		for k, m := range mems {
			r := NoReg
			if f.regs != nil {
				r = f.regs[k%len(f.regs)]
			}
			i := f.f(r, m)
			s.check(i, f.text(r, gnuMem(m)))
			// Compare lengths with a register that cannot add a REX prefix of its own
			// (numbers 0–3: not R8–R15, nor SPL–DIL in a byte operation).
			if f.regs != nil {
				i = f.f(f.regs[k%4], m)
			}
			lc.check(i, m)
		}
	}
	s.done()
}

func TestSweepSSE(t *testing.T) {
	s := sweep{t: t}
	xx := []struct {
		mnem string
		f    func(Reg, Reg) Inst
	}{
		{"movss", MovssRR}, {"movsd", MovsdRR}, {"addss", AddssRR}, {"addsd", AddsdRR},
		{"subss", SubssRR}, {"subsd", SubsdRR}, {"mulss", MulssRR}, {"mulsd", MulsdRR},
		{"divss", DivssRR}, {"divsd", DivsdRR}, {"sqrtss", SqrtssRR}, {"sqrtsd", SqrtsdRR},
		{"minss", MinssRR}, {"minsd", MinsdRR}, {"maxss", MaxssRR}, {"maxsd", MaxsdRR},
		{"ucomiss", UcomissRR}, {"ucomisd", UcomisdRR}, {"comiss", ComissRR}, {"comisd", ComisdRR},
		{"cvtss2sd", Cvtss2sdRR}, {"cvtsd2ss", Cvtsd2ssRR}, {"andps", AndpsRR}, {"andpd", AndpdRR},
		{"andnps", AndnpsRR}, {"andnpd", AndnpdRR}, {"orps", OrpsRR}, {"orpd", OrpdRR},
		{"xorps", XorpsRR}, {"xorpd", XorpdRR}, {"pxor", PxorRR}, {"movaps", MovapsRR},
		{"movapd", MovapdRR}, {"movdqu", MovdquRR},
	}
	for _, d := range xmms {
		for _, r := range xmms {
			for _, x := range xx {
				s.check(x.f(d, r), fmt.Sprintf("%s %s,%s", x.mnem, gnuX(r), gnuX(d)))
			}
			for _, mode := range []RoundMode{RoundNearest, RoundFloor, RoundCeil, RoundTrunc, RoundTrunc | RoundNoInexact} {
				s.check(RoundssRR(d, r, mode), fmt.Sprintf("roundss $%#x,%s,%s", mode, gnuX(r), gnuX(d)))
				s.check(RoundsdRR(d, r, mode), fmt.Sprintf("roundsd $%#x,%s,%s", mode, gnuX(r), gnuX(d)))
			}
		}
		for _, g := range gprs {
			for _, w := range []Width{W32, W64} {
				movd := map[Width]string{W32: "movd", W64: "movq"}[w]
				s.check(MovdXR(w, d, g), fmt.Sprintf("%s %s,%s", movd, gnuReg(g, w), gnuX(d)))
				s.check(MovdRX(w, g, d), fmt.Sprintf("%s %s,%s", movd, gnuX(d), gnuReg(g, w)))
				s.check(Cvtsi2ssRR(w, d, g), fmt.Sprintf("cvtsi2ss %s,%s", gnuReg(g, w), gnuX(d)))
				s.check(Cvtsi2sdRR(w, d, g), fmt.Sprintf("cvtsi2sd %s,%s", gnuReg(g, w), gnuX(d)))
				s.check(Cvttss2siRR(w, g, d), fmt.Sprintf("cvttss2si %s,%s", gnuX(d), gnuReg(g, w)))
				s.check(Cvttsd2siRR(w, g, d), fmt.Sprintf("cvttsd2si %s,%s", gnuX(d), gnuReg(g, w)))
			}
		}
	}
	s.done()
}

func TestSweepBranch(t *testing.T) {
	s := sweep{t: t}
	for _, d := range []int32{0, 1, -1, 127, -128, 128, -129, math.MaxInt32, math.MinInt32} {
		// With pc 0, x86asm prints the rel field itself: .+0x10 means 0x10 past the instruction.
		if d == int32(int8(d)) {
			s.check(JmpRel8(int8(d)), fmt.Sprintf("jmp .%+#x", d))
			for c := Cond(0); c < 16; c++ {
				s.check(JccRel8(c, int8(d)), fmt.Sprintf("j%v .%+#x", c, d))
			}
		}
		s.check(JmpRel32(d), fmt.Sprintf("jmpq .%+#x", int64(d)))
		s.check(CallRel32(d), fmt.Sprintf("callq .%+#x", int64(d)))
		for c := Cond(0); c < 16; c++ {
			s.check(JccRel32(c, d), fmt.Sprintf("j%v .%+#x", c, int64(d)))
		}
	}
	s.done()
}
