package arm64

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"testing"

	"github.com/wasmc/wasmc/backend"
	"golang.org/x/arch/arm64/arm64asm"
)

// decodeAll decodes code with arm64asm and returns, for each instruction, the absolute target
// of its PC-relative operand, or -1.
func decodeAll(t *testing.T, code []byte) (targets []int) {
	t.Helper()
	for pc := 0; pc < len(code); pc += 4 {
		d, err := arm64asm.Decode(code[pc:])
		if err != nil {
			t.Fatalf("at %#x: % x: %v", pc, code[pc:pc+4], err)
		}
		target := -1
		for _, a := range d.Args {
			if rel, ok := a.(arm64asm.PCRel); ok {
				target = pc + int(rel)
			}
		}
		targets = append(targets, target)
	}
	return targets
}

func TestLabels(t *testing.T) {
	var a Asm
	top, fwd, end := a.NewLabel(), a.NewLabel(), a.NewLabel()
	// Each label-relative form, forward to an unbound label and backward to a bound one.
	forms := []Inst{
		B(0), Bl(0), BCond(CondGE, 0), Cbz(W32, X1, 0), Cbnz(W64, X2, 0), Tbz(X3, 5, 0),
		Tbnz(X4, 60, 0), LdrLit(W64, X5, 0), LdrLitV(W64, V6, 0), Adr(X7, 0),
	}
	a.Bind(top)
	a.Emit(Nop())
	for _, i := range forms {
		a.EmitTo(i, fwd)
	}
	a.B(fwd)
	a.BCond(CondEQ, fwd)
	a.Bl(end)
	a.Emit(Nop(), Nop())
	a.Bind(fwd)
	for _, i := range forms {
		a.EmitTo(i, top)
	}
	a.EmitTo(B(0), fwd) // backward to fwd, now bound
	a.B(end)
	a.Align(64)
	a.Bind(end)
	a.Emit(Ret())
	code, err := a.Finish()
	if err != nil {
		t.Fatal(err)
	}
	at := func(l Label) int {
		off, ok := a.Offset(l)
		if !ok {
			t.Fatalf("label %d unbound", l)
		}
		return off
	}
	var want []int
	want = append(want, -1) // nop
	for range forms {
		want = append(want, at(fwd))
	}
	want = append(want, at(fwd), at(fwd), at(end), -1, -1)
	for range forms {
		want = append(want, at(top))
	}
	want = append(want, at(fwd), at(end))
	targets := decodeAll(t, code)
	for k, w := range want {
		if targets[k] != w {
			t.Errorf("instruction %d at %#x targets %#x, want %#x", k, 4*k, targets[k], w)
		}
	}
	if at(end)%64 != 0 || len(code) != at(end)+4 {
		t.Errorf("end label at %#x of %#x bytes, not 64-byte aligned", at(end), len(code))
	}
	t.Logf("%d label references checked against arm64asm", len(want))
}

// TestWordTo: a data word holds the distance from itself to its label, forward or backward,
// as a jump table's entries do.
func TestWordTo(t *testing.T) {
	var a Asm
	back, fwd := a.NewLabel(), a.NewLabel()
	a.Bind(back)
	a.Emit(Nop())
	a.WordTo(back)
	a.WordTo(fwd)
	a.Emit(Nop(), Nop())
	a.Bind(fwd)
	code, err := a.Finish()
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct{ off, want int32 }{{4, -4}, {8, 12}} {
		if got := int32(binary.LittleEndian.Uint32(code[c.off:])); got != c.want {
			t.Errorf("word at %#x holds %d, want %d", c.off, got, c.want)
		}
	}
}

// TestLabelRange binds labels at the very ends of each field's reach, and one instruction
// beyond, forward and backward; the latter must make Finish fail with a RangeError.
func TestLabelRange(t *testing.T) {
	for _, c := range []struct {
		name string
		inst Inst
		lim  int // bytes
	}{
		{"tbz", Tbz(X0, 1, 0), 1 << 15},
		{"b.cond", BCond(CondNE, 0), 1 << 20},
		{"cbnz", Cbnz(W32, X0, 0), 1 << 20},
		{"ldr literal", LdrLit(W32, X0, 0), 1 << 20},
		{"adr", Adr(X0, 0), 1 << 20},
	} {
		for _, dist := range []int{c.lim - 4, c.lim, -c.lim, -c.lim - 4} {
			var a Asm
			l := a.NewLabel()
			if dist < 0 {
				a.Bind(l)
				a.Emit(nops(-dist)...)
				a.EmitTo(c.inst, l)
			} else {
				a.EmitTo(c.inst, l)
				a.Emit(nops(dist - 4)...)
				a.Bind(l)
			}
			code, err := a.Finish()
			var re *RangeError
			switch ok := -c.lim <= dist && dist < c.lim; {
			case ok && err != nil:
				t.Errorf("%s %+#x: %v", c.name, dist, err)
			case ok:
				at := 0
				if dist < 0 {
					at = -dist
				}
				if got := decodeAll(t, code[at:at+4])[0]; got != dist {
					t.Errorf("%s %+#x: decodes to %+#x", c.name, dist, got)
				}
			case !errors.As(err, &re):
				t.Errorf("%s %+#x: Finish error %v, want a RangeError", c.name, dist, err)
			case re.Dist != int64(dist):
				t.Errorf("%s %+#x: RangeError %v", c.name, dist, re)
			}
		}
	}
}

func nops(n int) []Inst {
	is := make([]Inst, n/4)
	for k := range is {
		is[k] = Nop()
	}
	return is
}

// TestRefs emits each relocatable form, applies its relocation as a linker would, and reads
// the result back through arm64asm.
func TestRefs(t *testing.T) {
	var a Asm
	a.Emit(Nop())
	call := a.EmitRef(Bl(0), backend.RelocARM64Call26)
	jump := a.EmitRef(B(0), backend.RelocARM64Call26)
	page := a.EmitRef(Adrp(X0, 0), backend.RelocARM64AdrpPage21)
	add := a.EmitRef(AddImm(W64, X0, X0, 0), backend.RelocARM64AddLo12)
	ldr := a.EmitRef(Ldr(W64, X1, MemOff(X0, 0)), backend.RelocARM64Ldst64Lo12)
	str := a.EmitRef(StrV(W64, V1, MemOff(X0, 0)), backend.RelocARM64Ldst64Lo12)
	if call != (Ref{Off: 4, Kind: backend.RelocARM64Call26}) || str.Off != 24 {
		t.Errorf("refs at %+v, %+v", call, str)
	}
	const base = 0x40_0ffc // the code's address: ADRP's page arithmetic depends on it
	code := a.Bytes()
	for _, c := range []struct {
		r     Ref
		value uint64
		want  string // text, with the PC-relative target replaced by its absolute address
	}{
		{call, base + 4 - 0x100, "bl 0x400f00"},
		{jump, base + 8 + 1<<27 - 4, "b 0x8401000"}, // the farthest forward
		{page, 0x1234_5678, "adrp x0, 0x12345000"},
		{add, 0x1234_5678, "add x0, x0, #0x678"},
		{ldr, 0x1234_5ff8, "ldr x1, [x0,#4088]"},
		{str, 0x1234_5008, "str d1, [x0,#8]"},
	} {
		place := uint64(base + c.r.Off)
		if err := ApplyReloc(code[c.r.Off:c.r.Off+4], c.r.Kind, place, c.value); err != nil {
			t.Errorf("%s: %v", c.want, err)
			continue
		}
		d, err := arm64asm.Decode(code[c.r.Off:])
		if err != nil {
			t.Fatal(err)
		}
		text := arm64asm.GNUSyntax(d)
		if before, rel, ok := strings.Cut(text, ".+"); ok {
			v, _ := strconv.ParseUint(rel, 0, 64)
			target := place + v
			if c.r.Kind == backend.RelocARM64AdrpPage21 {
				target = place&^0xFFF + v
			}
			text = fmt.Sprintf("%s%#x", before, target)
		}
		if text != c.want {
			t.Errorf("after relocation: %q, want %q", text, c.want)
		}
	}
	// Out of reach, misaligned, and another ISA's kind.
	var re *RangeError
	b := Bl(0).Bytes()
	if err := ApplyReloc(b, backend.RelocARM64Call26, 0, 1<<27); !errors.As(err, &re) {
		t.Errorf("BL 128 MiB ahead: %v", err)
	}
	if err := ApplyReloc(b, backend.RelocARM64Call26, 1<<27+4, 0); err == nil {
		t.Errorf("BL 128 MiB + 4 back: no error")
	}
	b = Adrp(X0, 0).Bytes()
	if err := ApplyReloc(b, backend.RelocARM64AdrpPage21, 0xFFF, 1<<32-1); err != nil {
		t.Errorf("ADRP 4 GiB - 1 page ahead: %v", err)
	}
	if err := ApplyReloc(b, backend.RelocARM64AdrpPage21, 0, 1<<32); !errors.As(err, &re) {
		t.Errorf("ADRP 4 GiB ahead: %v", err)
	}
	if err := ApplyReloc(Ldr(W64, X0, MemOff(X0, 0)).Bytes(), backend.RelocARM64Ldst64Lo12, 0, 4); err == nil {
		t.Errorf("LDR of a misaligned address: no error")
	}
	if err := ApplyReloc(b, backend.RelocPC32, 0, 0); err == nil {
		t.Errorf("RelocPC32 applied to arm64 code")
	}
	// Forms that a kind does not fit.
	for _, c := range []struct {
		i Inst
		k backend.RelocKind
	}{
		{BCond(CondEQ, 0), backend.RelocARM64Call26},
		{Adr(X0, 0), backend.RelocARM64AdrpPage21},
		{AddImm(W32, X0, X0, 0), backend.RelocARM64AddLo12},
		{AddsImm(W64, X0, X0, 0), backend.RelocARM64AddLo12},
		{Ldr(W32, X0, MemOff(X0, 0)), backend.RelocARM64Ldst64Lo12},
		{Ldr(W64, X0, MemOff(X0, -8)), backend.RelocARM64Ldst64Lo12},
		{Bl(0), backend.RelocPC32},
	} {
		mustPanic(t, fmt.Sprintf("EmitRef(%v, %d)", c.i, c.k), func() { new(Asm).EmitRef(c.i, c.k) })
	}
}

func TestAlign(t *testing.T) {
	for start := range 20 {
		var a Asm
		a.Emit(nops(4 * start)...)
		a.Align(32)
		if a.Len()%32 != 0 || a.Len()-4*start >= 32 {
			t.Fatalf("from %d: aligned to %d", 4*start, a.Len())
		}
	}
	mustPanic(t, "Align(2)", func() { new(Asm).Align(2) })
	mustPanic(t, "Align(12)", func() { new(Asm).Align(12) })
}

func TestUnboundLabel(t *testing.T) {
	var a Asm
	l := a.NewLabel()
	a.NewLabel() // unused labels are fine
	a.B(l)
	if _, err := a.Finish(); err == nil {
		t.Error("Finish with a branch to an unbound label succeeded")
	}
}

// mustPanic checks that f panics: invalid operands are compiler bugs.
func mustPanic(t *testing.T, name string, f func()) {
	t.Helper()
	defer func() {
		if recover() == nil {
			t.Errorf("%s did not panic", name)
		}
	}()
	f()
}

func TestAsmMisuse(t *testing.T) {
	mustPanic(t, "bind twice", func() {
		var a Asm
		l := a.NewLabel()
		a.Bind(l)
		a.Bind(l)
	})
	mustPanic(t, "EmitTo of ADD", func() {
		var a Asm
		a.EmitTo(Add(W64, X0, X1, X2), a.NewLabel())
	})
	mustPanic(t, "EmitTo of ADRP", func() {
		var a Asm
		a.EmitTo(Adrp(X0, 0), a.NewLabel())
	})
}

func TestInstBytes(t *testing.T) {
	i := Add(W64, X0, X1, X2)
	b := i.Bytes()
	if binary.LittleEndian.Uint32(b) != i.Word() || i.Len() != 4 || i.String() != "8b020020" {
		t.Errorf("%v: bytes % x", i, b)
	}
	b[0] = 0
	if bytes.Equal(b, i.Bytes()) {
		t.Error("Bytes aliases the instruction")
	}
}

func TestNames(t *testing.T) {
	for _, c := range []struct {
		r    Reg
		w    Width
		want string
	}{
		{X0, W64, "x0"}, {X30, W32, "w30"}, {SP, W64, "sp"}, {SP, W32, "wsp"}, {XZR, W64, "xzr"},
		{XZR, W32, "wzr"}, {V3, W8, "b3"}, {V3, W16, "h3"}, {V3, W32, "s3"}, {V3, W64, "d3"},
		{V31, W128, "q31"}, {NoReg, W64, "noreg"},
	} {
		if got := c.r.Name(c.w); got != c.want {
			t.Errorf("%v.Name(%v) = %q, want %q", c.r, c.w, got, c.want)
		}
	}
	if V7.String() != "v7" || LR.String() != "x30" || FP != X29 {
		t.Errorf("V7 %v, LR %v", V7, LR)
	}
	if SP.Num() != 31 || XZR.Num() != 31 || V31.Num() != 31 || X17.Num() != 17 {
		t.Error("register numbers")
	}
	for c := CondEQ; c < CondAL; c++ {
		if c.Invert().Invert() != c || c.Invert() == c {
			t.Errorf("%v inverts to %v", c, c.Invert())
		}
	}
	if CondHS != CondCS || CondLO != CondCC || CondGE.Invert() != CondLT || CondHI.Invert() != CondLS {
		t.Error("condition aliases")
	}
}
