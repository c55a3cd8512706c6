package arm64

import (
	"errors"

	"github.com/wasmc/wasmc/ir"
	"github.com/wasmc/wasmc/regalloc"
)

// frame is a function's stack frame. From the top (higher addresses) down:
//
//	[x29+16+8k]   incoming stack argument and result words (the caller's outgoing area)
//	[x29+8]       the return address (x30)
//	[x29]         the caller's x29: with the word above, the frame record (AAPCS64 6.2.3)
//	[x29-8i-8]    callee-saved registers the function writes, in calleeSaved order
//	              spill slots, 8 bytes each, or 16 in a function with v128 values: slot s
//	              at [sp + slotBase + slotSize*s]
//	[sp+8k]       the outgoing area: stack arguments and results of the calls it makes
//
// sp stays 16-byte aligned: the frame record is 16 bytes and size is rounded up.
type frame struct {
	saved []Reg // stored below the frame record, in this order
	size  int64 // subtracted from sp after the frame record is stored
	// slotSize is 8, or 16 when the function has v128 values: the allocator's slots are
	// untyped, so every slot of such a function holds a whole q register. slotBase is
	// 8*outWords, rounded up to 16 then, so that ldr and str q reach slots scaled.
	slotSize, slotBase int64
}

// saveDisp is the x29-relative displacement of saved register i.
func saveDisp(i int) int64 { return -8 * int64(i+1) }

// slotDisp is the sp-relative displacement of spill slot s.
func (f *mfunc) slotDisp(s int64) int64 { return f.frame.slotBase + f.frame.slotSize*s }

// hasV128 reports whether any value of f is a v128.
func (f *mfunc) hasV128() bool {
	for _, t := range f.VTypes {
		if t == ir.V128 {
			return true
		}
	}
	return false
}

// Finish implements [backend.MachineFunc]: it lays out the frame, then has backend apply the
// allocation (Func.Apply), which calls back for the prologue, each edit and each instruction
// (Place): every operand gets its register, the allocator's edits become moves, spills and
// reloads, the copies that allocation made redundant go, and the epilogues come in.
func (f *mfunc) Finish(r *regalloc.Result) error {
	if f.Finished {
		return errors.New("arm64: Finish called twice")
	}
	fr := &f.frame
	for _, c := range calleeSaved {
		if r.UsedRegs.Has(preg(c)) {
			fr.saved = append(fr.saved, c)
		}
	}
	fr.slotSize, fr.slotBase = 8, 8*int64(f.outWords)
	if f.hasV128() {
		fr.slotSize, fr.slotBase = 16, (fr.slotBase+15)&^15
	}
	below := 8*int64(len(fr.saved)) + fr.slotSize*int64(len(r.Slots)) + fr.slotBase
	fr.size = (below + 15) &^ 15

	// The registers of all instructions come from one slab: an allocation per instruction
	// showed up in the profile of the large module.
	nops := 0
	for i := range f.Insts {
		nops += len(f.Insts[i].ops)
	}
	f.regSlab = make([]Reg, nops)
	err := f.Apply(r, f)
	f.regSlab = nil
	return err
}

// Place implements [backend.Finisher]: in gets its registers; a copy becomes a move or a
// reload, or nothing; a return gets the epilogue first.
func (f *mfunc) Place(out []inst, in *inst, locs []regalloc.Loc) ([]inst, bool) {
	n := len(in.ops)
	in.regs, f.regSlab = f.regSlab[:n:n], f.regSlab[n:]
	for k, l := range locs {
		if l.IsReg() {
			in.regs[k] = Reg(l.Reg())
		}
	}
	switch in.op {
	case opCopy:
		if c, ok := f.copyInst(locs[0], locs[1], in.w); ok {
			out = append(out, c)
		}
		return out, false
	case opRet:
		return append(f.epilogue(out), *in), false
	}
	return out, true
}

// copyInst is the instruction for a copy from src to dst (a register), or ok=false when
// allocation put both in the same register.
func (f *mfunc) copyInst(dst, src regalloc.Loc, w Width) (in inst, ok bool) {
	d := Reg(dst.Reg())
	if src.IsSlot() {
		return f.reload(d, src.Slot()), true
	}
	s := Reg(src.Reg())
	if s == d {
		return inst{}, false
	}
	return move(d, s, w), true
}

// move is a register-to-register move: w (W32 for i32, which also keeps the upper half
// clear) for general registers, the whole d view for SIMD&FP ones, or the whole register
// (orr vd.16b, vn.16b, vn.16b) at W128.
func move(d, s Reg, w Width) inst {
	if w == W128 {
		return inst{op: opVec, vop: VOrr, vq: true, nvis: 3, regs: []Reg{d, s, s}}
	}
	if d.IsV() {
		return inst{op: opFmov, form: fRR, w: W64, nvis: 2, regs: []Reg{d, s}}
	}
	return inst{op: opMov, form: fRR, w: w, nvis: 2, regs: []Reg{d, s}}
}

// reload and spill move whole slots, whatever the value's type: 8-byte words, or whole q
// registers where slots are 16 bytes.
func (f *mfunc) reload(d Reg, slot int) inst {
	w := f.slotWidth(d)
	return inst{op: opLdr, form: fRM, w: w, w2: w, nvis: 1, regs: []Reg{d}, m: frameMem(memSlot, int64(slot))}
}

func (f *mfunc) spill(slot int, s Reg) inst {
	w := f.slotWidth(s)
	return inst{op: opStr, form: fMR, w: w, w2: w, nvis: 1, regs: []Reg{s}, m: frameMem(memSlot, int64(slot))}
}

// slotWidth is how much of register r a spill or reload moves.
func (f *mfunc) slotWidth(r Reg) Width {
	if r.IsV() && f.frame.slotSize == 16 {
		return W128
	}
	return W64
}

// Edit implements [backend.Finisher].
func (f *mfunc) Edit(e regalloc.Edit) inst {
	switch e.Kind() {
	case regalloc.Spill:
		return f.spill(e.To.Slot(), Reg(e.From.Reg()))
	case regalloc.Reload:
		return f.reload(Reg(e.To.Reg()), e.From.Slot())
	}
	w := W64
	if int(e.VReg) < len(f.VTypes) {
		switch f.VTypes[e.VReg] {
		case ir.I32:
			w = W32
		case ir.V128:
			w = W128
		}
	}
	return move(Reg(e.To.Reg()), Reg(e.From.Reg()), w)
}

// Prologue implements [backend.Finisher]. It first compares sp minus the whole frame with the
// stack limit, so that a function whose frame would cross the limit traps with
// stack_exhausted before it writes anything, whatever its frame's size (DESIGN.md decision
// 7); then it stores the frame record, points x29 at it, allocates the rest of the frame and
// saves the callee-saved registers the function writes.
func (f *mfunc) Prologue(out []inst) []inst {
	if f.Env.StackCheck {
		out = append(out, inst{op: opStackCheck, imm: 16 + f.frame.size, trap: ir.TrapStackExhausted})
	}
	out = append(out, inst{op: opPushFrame})
	if f.frame.size > 0 {
		out = append(out, inst{op: opSubSP, imm: f.frame.size})
	}
	for i, r := range f.frame.saved {
		out = append(out, inst{op: opStr, form: fMR, w: W64, w2: W64, nvis: 1, regs: []Reg{r}, m: frameMem(memFP, saveDisp(i))})
	}
	return out
}

// epilogue undoes the prologue before a ret.
func (f *mfunc) epilogue(out []inst) []inst {
	for i, r := range f.frame.saved {
		out = append(out, inst{op: opLdr, form: fRM, w: W64, w2: W64, nvis: 1, regs: []Reg{r}, m: frameMem(memFP, saveDisp(i))})
	}
	return append(out, inst{op: opPopFrame, imm: f.frame.size})
}
