package amd64

import (
	"bytes"
	"testing"

	"golang.org/x/arch/x86/x86asm"
)

// decodeAll decodes code with x86asm and returns, for each instruction, its offset and the
// absolute target of its PC-relative operand (a branch's rel or a RIP-relative disp), or -1.
func decodeAll(t *testing.T, code []byte) (offs, targets []int) {
	t.Helper()
	for pc := 0; pc < len(code); {
		d, err := x86asm.Decode(code[pc:], 64)
		if err != nil {
			t.Fatalf("at %#x: % x: %v", pc, code[pc:], err)
		}
		end := pc + d.Len
		target := -1
		for _, a := range d.Args {
			switch a := a.(type) {
			case x86asm.Rel:
				target = end + int(a)
			case x86asm.Mem:
				if a.Base == x86asm.RIP {
					target = end + int(int32(a.Disp)) // x86asm holds disp32 unsigned
				}
			}
		}
		offs = append(offs, pc)
		targets = append(targets, target)
		pc = end
	}
	return offs, targets
}

func TestLabels(t *testing.T) {
	var a Asm
	top, fwd, far, data := a.NewLabel(), a.NewLabel(), a.NewLabel(), a.NewLabel()
	a.Bind(top)
	a.Jmp(fwd)                               // 0: forward, unbound: rel32
	a.JccShort(CondE, fwd)                   // 1: forward, forced rel8
	a.EmitTo(CmpMI(W32, RIPRel(0), 7), data) // 2: RIP-relative with an imm after the disp
	a.EmitTo(Lea(W64, RAX, RIPRel(0)), data) // 3
	a.Call(fwd)                              // 4
	a.Bind(fwd)
	a.Jcc(CondNE, top) // 5: backward, in reach: rel8
	a.Jmp(top)         // 6: backward, in reach: rel8
	for range 40 {
		a.Emit(Nop(4))
	}
	a.Jcc(CondL, top) // 47: backward, out of reach: rel32
	a.Jmp(far)        // 48
	a.Align(16)
	a.Bind(far)
	a.Emit(Ret())
	a.Bind(data)
	a.Emit(Int3())
	code, err := a.Finish()
	if err != nil {
		t.Fatal(err)
	}
	offs, targets := decodeAll(t, code)
	at := func(l Label) int {
		off, ok := a.Offset(l)
		if !ok {
			t.Fatalf("label %d unbound", l)
		}
		return off
	}
	want := map[int]int{0: at(fwd), 1: at(fwd), 2: at(data), 3: at(data), 4: at(fwd), 5: at(top), 6: at(top),
		47: at(top), 48: at(far)}
	for k, w := range want {
		if targets[k] != w {
			t.Errorf("instruction %d at %#x targets %#x, want %#x", k, offs[k], targets[k], w)
		}
	}
	// Forms: the short jumps are 2 bytes, the far backward Jcc 6.
	for k, n := range map[int]int{0: 5, 1: 2, 5: 2, 6: 2, 47: 6} {
		if got := offs[k+1] - offs[k]; got != n {
			t.Errorf("instruction %d is %d bytes, want %d", k, got, n)
		}
	}
	if at(far)%16 != 0 {
		t.Errorf("far label at %#x, not 16-byte aligned", at(far))
	}
}

func TestRef(t *testing.T) {
	var a Asm
	a.Emit(Push(RBP))
	call := a.EmitRef(CallRel32(0))
	load := a.EmitRef(CmpMI(W64, RIPRel(0), 1))
	if call != (Ref{Off: 2, End: 6}) {
		t.Errorf("call ref = %+v", call)
	}
	if load.End-load.Off != 5 { // disp32 then imm8
		t.Errorf("load ref = %+v, want the disp32 5 bytes before the end", load)
	}
	a.PatchRef(call, 0)
	a.PatchRef(load, 0x100)
	_, targets := decodeAll(t, a.Bytes())
	if targets[1] != 0 || targets[2] != 0x100 {
		t.Errorf("targets %v, want [_ 0 0x100]", targets)
	}
}

func TestAlign(t *testing.T) {
	for start := range 40 {
		var a Asm
		for range start {
			a.Emit(Nop(1))
		}
		a.Align(32)
		if a.Len()%32 != 0 || a.Len()-start >= 32 {
			t.Fatalf("from %d: aligned to %d", start, a.Len())
		}
		offs, _ := decodeAll(t, a.Bytes()) // all NOPs, each decodes
		if want := start + (a.Len()-start+MaxNop-1)/MaxNop; len(offs) != want {
			t.Errorf("from %d: %d NOPs, want %d", start, len(offs), want)
		}
	}
}

func TestUnboundLabel(t *testing.T) {
	var a Asm
	l := a.NewLabel()
	a.NewLabel() // unused labels are fine
	a.Jmp(l)
	if _, err := a.Finish(); err == nil {
		t.Error("Finish with a jump to an unbound label succeeded")
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

func TestInvalidOperands(t *testing.T) {
	mustPanic(t, "short jump out of reach", func() {
		var a Asm
		l := a.NewLabel()
		a.JmpShort(l)
		a.Emit(Nop(9))
		for range 14 {
			a.Emit(Nop(9))
		}
		a.Bind(l)
	})
	mustPanic(t, "rsp index", func() { MovRM(W64, RAX, Mem{Base: RAX, Index: RSP}) })
	mustPanic(t, "rip with index", func() { MovRM(W64, RAX, Mem{Base: RIP, Index: RCX}) })
	mustPanic(t, "scale 3", func() { MovRM(W64, RAX, Mem{Base: RAX, Index: RCX, Scale: 3}) })
	mustPanic(t, "xmm in add", func() { AddRR(W64, X0, RAX) })
	mustPanic(t, "gpr in addsd", func() { AddsdRR(X0, RAX) })
	mustPanic(t, "8-bit imul", func() { ImulRR(W8, RAX, RCX) })
	mustPanic(t, "16-bit bswap", func() { Bswap(W16, RAX) })
	mustPanic(t, "nop 10", func() { Nop(10) })
	mustPanic(t, "bind twice", func() {
		var a Asm
		l := a.NewLabel()
		a.Bind(l)
		a.Bind(l)
	})
}

func TestInstBytesIsACopy(t *testing.T) {
	i := AddRR(W64, RAX, RCX)
	b := i.Bytes()
	b[0] = 0
	if bytes.Equal(b, i.Bytes()) {
		t.Error("Bytes aliases the instruction")
	}
}

// TestJumpFastPaths: Jmp, Jcc, JmpShort and JccShort append what EmitTo appends of the
// constructors' jumps, to labels bound behind (near and far) and ahead, for every
// condition.
func TestJumpFastPaths(t *testing.T) {
	for c := range Cond(16) {
		var fast, slow Asm
		for _, a := range []*Asm{&fast, &slow} {
			a.Bind(a.NewLabel()) // label 0 at the start
			a.NewLabel()         // label 1 ahead
		}
		// to emits through EmitTo what Jmp or Jcc emits: rel8 if it reaches l.
		to := func(l Label, short, long Inst) {
			if slow.reachesShort(l, 2) {
				slow.EmitTo(short, l)
			} else {
				slow.EmitTo(long, l)
			}
		}
		for _, pad := range []int{0, 200} {
			for _, a := range []*Asm{&fast, &slow} {
				for range pad {
					a.Emit(Nop(1))
				}
			}
			fast.Jmp(0)
			fast.Jcc(c, 0)
			fast.Jmp(1)
			fast.Jcc(c, 1)
			to(0, JmpRel8(0), JmpRel32(0))
			to(0, JccRel8(c, 0), JccRel32(c, 0))
			to(1, JmpRel8(0), JmpRel32(0))
			to(1, JccRel8(c, 0), JccRel32(c, 0))
		}
		fast.JmpShort(1)
		fast.JccShort(c, 1)
		slow.EmitTo(JmpRel8(0), 1)
		slow.EmitTo(JccRel8(c, 0), 1)
		fast.Bind(1)
		slow.Bind(1)
		if !bytes.Equal(fast.buf, slow.buf) {
			t.Errorf("cond %v: % x, want % x", c, fast.buf, slow.buf)
		}
	}
}
