package amd64

import (
	"bytes"
	"fmt"
	"slices"
	"testing"

	"github.com/wasmc/wasmc/backend"
	"github.com/wasmc/wasmc/ir"
	"github.com/wasmc/wasmc/regalloc"
)

// TestMovFastPaths: opMov's, opMovImm's and opLea's emit functions append the same bytes
// as the constructors they bypass (movForms, movImmSlow, leaForms), for every general
// register, width, memory operand (frame slots; base, index and scale; memory 0's base)
// and displacement size, and constant size: the fast paths are an encoder of their own
// (issue 21), and an error in one (a REX bit, rsp's SIB byte, rbp's zero displacement)
// would still assemble, into another instruction.
func TestMovFastPaths(t *testing.T) {
	check := func(what string, in inst, fast, slow func(*emitter, *inst)) {
		t.Helper()
		var ef, es emitter
		a, b := in, in
		fast(&ef, &a)
		slow(&es, &b)
		if !bytes.Equal(ef.a.buf, es.a.buf) || !slices.Equal(ef.Relocs, es.Relocs) {
			t.Errorf("%s: % x %v, want % x %v", what, ef.a.buf, ef.Relocs, es.a.buf, es.Relocs)
		}
	}
	gprs := []Reg{RAX, RCX, RDX, RBX, RSP, RBP, RSI, RDI, R8, R9, R10, R11, R12, R13, R14, R15}
	mov, movSlow := (*emitter).mov, movForms.emit
	disps := []int32{0, 1, -8, 127, 128, -128, -129, 1 << 20, -1 << 20}
	// Memory operands: frame slots, and through registers (operands 1 and 2).
	mems := []mem{frameMem(memFP, 0), frameMem(memSP, 0), regMem(1, -1, 0, 0), regMem(1, 2, 1, 0),
		regMem(1, 2, 8, 0), regMem(baseMem0, 2, 4, 0), regMem(baseMem0, -1, 0, 0),
		ripMem(backend.SymRef{Kind: backend.RefGlobal, Index: 3}, 0)}
	for _, w := range []Width{W8, W16, W32, W64} {
		for _, d := range gprs {
			for _, s := range gprs {
				in := inst{op: opMov, form: fRR, w: w, regs: [maxRegs]Reg{d, s}}
				check(fmt.Sprintf("mov%v %v, %v", w, d, s), in, mov, movSlow)
			}
			for _, m := range mems {
				for _, disp := range disps {
					m.disp = disp
					for _, base := range gprs {
						index := base + 1
						if index == RSP || index > R15 {
							index = RAX
						}
						regs := [maxRegs]Reg{d, base, index}
						what := fmt.Sprintf("%v, kind %d base %v index %v scale %d%+d", d, m.kind, base, index, m.scale, disp)
						for _, f := range []form{fRM, fMR} {
							in := inst{op: opMov, form: f, w: w, m: m, regs: regs}
							check(fmt.Sprintf("mov%v form %d %s", w, f, what), in, mov, movSlow)
						}
						for _, imm := range []int64{0, -1, 0x7fff_ffff, -1 << 31} {
							in := inst{op: opMov, form: fMI, w: w, m: m, imm: imm, regs: regs}
							check(fmt.Sprintf("mov%v %s, %#x", w, what, imm), in, mov, movSlow)
						}
						if w != W8 {
							in := inst{op: opLea, form: fRM, w: w, m: m, regs: regs}
							check(fmt.Sprintf("lea%v %s", w, what), in, (*emitter).lea, leaForms.emit)
						}
						if m.kind != memReg {
							break // no registers to vary
						}
					}
				}
			}
		}
	}
	imms := []int64{0, 1, -1, 0x7fff_ffff, 0x8000_0000, 0xffff_ffff, -1 << 31, 1 << 32, 1 << 40, -1 << 40}
	for _, w := range []Width{W32, W64} {
		for _, d := range gprs {
			for _, v := range imms {
				in := inst{op: opMovImm, form: fR, w: w, imm: v, regs: [maxRegs]Reg{d}}
				check(fmt.Sprintf("movimm%v %v, %#x", w, d, v), in, (*emitter).movImm, (*emitter).movImmSlow)
			}
		}
	}
}

// TestEditFastPath: the encoder's edit appends the same bytes as encoding the instruction
// Finish's Edit makes of the edit, for spills, reloads and moves of every general
// register (moves of i32 and i64 values), frame slots near and far, saved registers or
// none, and the XMM registers' edits, which go through the instruction.
func TestEditFastPath(t *testing.T) {
	gprs := []Reg{RAX, RCX, RDX, RBX, RSI, RDI, R8, R9, R10, R11, R12, R13, R14, R15}
	regs := append(gprs, X0, X7, X8, X15)
	for _, saved := range [][]Reg{nil, {RBX, R12, R13}} {
		f := &mfunc{}
		f.VTypes = []ir.Type{ir.I32, ir.I64, ir.F64}
		f.frame = frame{saved: saved, slotSize: 8}
		check := func(ed regalloc.Edit) {
			t.Helper()
			fast, slow := &emitter{f: f}, &emitter{f: f}
			fast.edit(ed)
			in := f.Edit(ed)
			slow.put(&in)
			if !bytes.Equal(fast.a.buf, slow.a.buf) {
				t.Errorf("%v (saved %v): % x, want % x", ed, saved, fast.a.buf, slow.a.buf)
			}
			// Neither encoding is to be done again in the final pass: the fast one
			// records nothing, and the instruction must be the same wherever it is.
			if len(fast.redos) != 0 || len(slow.redos) != 0 {
				t.Errorf("%v (saved %v): redos %v and %v, want none", ed, saved, fast.redos, slow.redos)
			}
		}
		for _, r := range regs {
			for _, slot := range []int{0, 1, 13, 14, 15, 16, 17, 100, 5000} {
				check(regalloc.Edit{From: regalloc.RegLoc(preg(r)), To: regalloc.SlotLoc(slot), VReg: 1})
				check(regalloc.Edit{From: regalloc.SlotLoc(slot), To: regalloc.RegLoc(preg(r)), VReg: 1})
			}
			for _, s := range regs {
				if r.IsXMM() != s.IsXMM() {
					continue
				}
				for v := range f.VTypes {
					check(regalloc.Edit{From: regalloc.RegLoc(preg(s)), To: regalloc.RegLoc(preg(r)), VReg: regalloc.VReg(v)})
				}
			}
		}
	}
}

// TestTrapCallFastPath: trapCall appends what its instructions encode to through the
// constructors and ref, with the same relocation, and records the trap site after them.
func TestTrapCallFastPath(t *testing.T) {
	for _, code := range []ir.TrapCode{ir.TrapUnreachable, ir.TrapStackExhausted, ir.TrapCode(200)} {
		fast, slow := &emitter{}, &emitter{}
		fast.Asm, slow.Asm = &fast.a, &slow.a
		fast.a.buf = append(fast.a.buf, 0x90) // not at offset zero
		slow.a.buf = append(slow.a.buf, 0x90)
		fast.trapCall(code)
		slow.a.Emit(MovRI(W32, RDI, int32(code)))
		slow.ref(CallRel32(0), backend.SymRef{Kind: backend.RefRuntime, Index: uint32(backend.RtTrap)}, 0)
		slow.TrapSite(code)
		if !bytes.Equal(fast.a.buf, slow.a.buf) || !slices.Equal(fast.Relocs, slow.Relocs) || !slices.Equal(fast.Traps, slow.Traps) {
			t.Errorf("trap %v: % x %v %v, want % x %v %v", code, fast.a.buf, fast.Relocs, fast.Traps, slow.a.buf, slow.Relocs, slow.Traps)
		}
	}
}
