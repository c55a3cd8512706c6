package amd64

import (
	"errors"
	"fmt"

	"github.com/wasmc/wasmc/backend"
	"github.com/wasmc/wasmc/ir"
	"github.com/wasmc/wasmc/regalloc"
)

// frame is a function's stack frame. From the top (higher addresses) down:
//
//	[rbp+16+8k]   incoming stack argument and result words (the caller's outgoing area)
//	[rbp+8]       return address
//	[rbp]         the caller's rbp
//	[rbp-8i-8]    callee-saved registers the function writes, pushed in calleeSaved order
//	[rbp-...]     spill slots, 8 bytes each, or 16 in a function with v128 values (slot s
//	              at [rbp - 8*len(saved) - slotSize*(s+1)])
//	[rsp+8k]      the outgoing area: stack arguments and results of the calls it makes
//
// rbp is 16-byte aligned (the call pushed 8 bytes, the prologue pushes rbp), and the size
// below the pushes is chosen so that rsp is too, as every call needs.
type frame struct {
	saved []Reg // pushed after rbp, in this order
	size  int32 // subtracted from rsp after the pushes
	// slotSize is 8, or 16 when the function has v128 values: the allocator's slots are
	// untyped, so every slot of such a function holds a whole XMM register (movups, which
	// needs no alignment).
	slotSize int32
}

// slotDisp is the rbp-relative displacement of spill slot s.
func (fr *frame) slotDisp(s int) int32 {
	return -8*int32(len(fr.saved)) - fr.slotSize*int32(s+1)
}

// Finish implements [backend.MachineFunc]: it lays out the frame, then has backend apply the
// allocation (Func.Apply), which calls back for the prologue, each edit and each instruction
// (Place): every operand gets its register, the allocator's edits become moves, spills and
// reloads, the copies that allocation made redundant go, and the epilogues come in.
func (f *mfunc) Finish(r *regalloc.Result) error {
	if f.Finished {
		return errors.New("amd64: Finish called twice")
	}
	f.layOutFrame(r)
	return f.Apply(r, f)
}

// FinishDeferred implements [backend.Deferrer]: Finish's frame, with the registers
// assigned in place (Func.Assign); Encode emits r's edits, the prologue, the copies and
// the epilogues as it goes (encodeDeferred).
func (f *mfunc) FinishDeferred(r *regalloc.Result) error {
	if f.Finished {
		return errors.New("amd64: Finish called twice")
	}
	f.layOutFrame(r)
	if err := f.Assign(r, f); err != nil {
		return err
	}
	f.deferred = r
	return nil
}

// layOutFrame sets f.frame for allocation r.
func (f *mfunc) layOutFrame(r *regalloc.Result) {
	fr := &f.frame
	for _, c := range calleeSaved {
		if r.UsedRegs.Has(preg(c)) {
			fr.saved = append(fr.saved, c)
		}
	}
	fr.slotSize = 8
	for _, t := range f.VTypes {
		if t == ir.V128 {
			fr.slotSize = 16
			break
		}
	}
	pushed := 8 * int32(len(fr.saved))
	below := pushed + fr.slotSize*int32(len(r.Slots)) + 8*f.outWords
	fr.size = (below+15)&^15 - pushed
}

// Place implements [backend.Finisher]: in gets its registers; a copy becomes a move or a
// reload, or nothing; a return gets the epilogue first.
func (f *mfunc) Place(out []inst, in *inst, locs []regalloc.Loc) ([]inst, bool) {
	if len(locs) > maxRegs && !in.IsCall() {
		panic(fmt.Sprintf("amd64: %s has %d operands, more than %d", opTable[in.op].name, len(locs), maxRegs))
	}
	for k, l := range locs[:min(len(locs), maxRegs)] {
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
	return f.move(d, s, w), true
}

// move is a register-to-register move: W32 for i32 (which also keeps the upper half clear),
// the whole register otherwise.
func (f *mfunc) move(d, s Reg, w Width) inst {
	if d.IsXMM() {
		return inst{op: opMovaps, form: fRR, nvis: 2, regs: [maxRegs]Reg{d, s}}
	}
	return inst{op: opMov, form: fRR, w: w, nvis: 2, regs: [maxRegs]Reg{d, s}}
}

// reload and spill move whole slots, whatever the value's type: 8-byte words, or whole XMM
// registers where slots are 16 bytes.
func (f *mfunc) reload(d Reg, slot int) inst {
	o, w := opMov, W64
	if d.IsXMM() {
		o, w = opMovs, f.xmmSlotWidth()
	}
	return inst{op: o, form: fRM, w: w, nvis: 1, regs: [maxRegs]Reg{d}, m: frameMem(memFP, f.frame.slotDisp(slot))}
}

// xmmSlotWidth is the width at which XMM registers are spilled and reloaded.
func (f *mfunc) xmmSlotWidth() Width {
	if f.frame.slotSize == 16 {
		return W128
	}
	return W64
}

func (f *mfunc) spill(slot int, s Reg) inst {
	o, w := opMov, W64
	if s.IsXMM() {
		o, w = opMovs, f.xmmSlotWidth()
	}
	return inst{op: o, form: fMR, w: w, nvis: 1, regs: [maxRegs]Reg{s}, m: frameMem(memFP, f.frame.slotDisp(slot))}
}

// Edit implements [backend.Finisher].
func (f *mfunc) Edit(e regalloc.Edit) inst {
	switch e.Kind() {
	case regalloc.Spill:
		return f.spill(e.To.Slot(), Reg(e.From.Reg()))
	case regalloc.Reload:
		return f.reload(Reg(e.To.Reg()), e.From.Slot())
	}
	return f.move(Reg(e.To.Reg()), Reg(e.From.Reg()), f.editWidth(e))
}

// editWidth is the width of a move edit between general registers: W32 for an i32, which
// also keeps the upper half clear, the whole register otherwise.
func (f *mfunc) editWidth(e regalloc.Edit) Width {
	if int(e.VReg) < len(f.VTypes) && f.VTypes[e.VReg] == ir.I32 {
		return W32
	}
	return W64
}

// Prologue implements [backend.Finisher]. It saves the caller's frame pointer and the
// callee-saved registers the function uses, allocates the frame, and compares rsp with the
// stack limit: below it, the function traps with stack_exhausted before it writes anything
// to its frame. The limit leaves stackMargin below it for the pushes, a small frame and
// RtTrap itself; a frame larger than smallFrame is compared before it is allocated
// (r11 = rsp - size), so that whatever its size the trap runs on mapped stack.
func (f *mfunc) Prologue(out []inst) []inst {
	out = append(out,
		inst{op: opPush, form: fR, nvis: 1, regs: [maxRegs]Reg{RBP}},
		inst{op: opMov, form: fRR, w: W64, nvis: 2, regs: [maxRegs]Reg{RBP, RSP}})
	for _, r := range f.frame.saved {
		out = append(out, inst{op: opPush, form: fR, nvis: 1, regs: [maxRegs]Reg{r}})
	}
	limit := ripMem(backend.SymRef{Kind: backend.RefStackLimit}, 0)
	if f.frame.size > smallFrame && f.Env.StackCheck {
		// r11 is the allocator's scratch register, free before the body runs.
		return append(out,
			inst{op: opLea, form: fRM, w: W64, nvis: 1, regs: [maxRegs]Reg{scratchGPR}, m: frameMem(memSP, -f.frame.size)},
			inst{op: opCmp, form: fRM, w: W64, nvis: 1, regs: [maxRegs]Reg{scratchGPR}, m: limit},
			inst{op: opTrapIf, cc: cond(CondB), trap: ir.TrapStackExhausted},
			inst{op: opMov, form: fRR, w: W64, nvis: 2, regs: [maxRegs]Reg{RSP, scratchGPR}})
	}
	if f.frame.size > 0 {
		out = append(out, inst{op: opSub, form: fRI, w: W64, imm: int64(f.frame.size), nvis: 1, regs: [maxRegs]Reg{RSP}})
	}
	if f.Env.StackCheck {
		out = append(out,
			inst{op: opCmp, form: fRM, w: W64, nvis: 1, regs: [maxRegs]Reg{RSP}, m: limit},
			inst{op: opTrapIf, cc: cond(CondB), trap: ir.TrapStackExhausted})
	}
	return out
}

// smallFrame is the largest frame the prologue allocates before comparing with the stack
// limit: well inside stackMargin, with room for the pushes and the trap routine.
const smallFrame = 4 << 10

// epilogue undoes the prologue before a ret.
func (f *mfunc) epilogue(out []inst) []inst {
	if f.frame.size > 0 {
		out = append(out, inst{op: opLea, form: fRM, w: W64, nvis: 1, regs: [maxRegs]Reg{RSP},
			m: frameMem(memFP, -8*int32(len(f.frame.saved)))})
	}
	for i := len(f.frame.saved) - 1; i >= 0; i-- {
		out = append(out, inst{op: opPop, form: fR, nvis: 1, regs: [maxRegs]Reg{f.frame.saved[i]}})
	}
	return append(out, inst{op: opPop, form: fR, nvis: 1, regs: [maxRegs]Reg{RBP}})
}

var _ backend.RangePlacer = (*mfunc)(nil)

// PlaceRange implements [backend.RangePlacer]. Most instructions only take their
// registers, which is done here; copies, returns and instructions with more operands than
// registers go to Place.
func (f *mfunc) PlaceRange(r *regalloc.Result, start, end int) (n int, kept bool, bad int) {
	insts := f.Insts[:end]
	for i := start; i < end; i++ {
		in := &insts[i]
		locs := r.Locs(i)
		if len(locs) != len(in.ops) {
			return n, kept, i
		}
		if in.op != opCopy && in.op != opRet && len(locs) <= maxRegs {
			// One loop both checks and assigns: an operand that is not in a register
			// fails the function, whatever its instruction then holds.
			regs, ok := in.regs[:len(locs)], true
			for k, l := range locs {
				ok = ok && l.IsReg()
				regs[k] = Reg(l.Reg())
			}
			if !ok {
				return n, kept, i
			}
			n, kept = n+1, true
			continue
		}
		if in.op != opCopy && firstNotReg(locs) >= 0 {
			return n, kept, i
		}
		f.placed, kept = f.Place(f.placed[:0], in, locs)
		if kept {
			n++
		} else {
			n += len(f.placed)
		}
	}
	return n, kept, -1
}

// firstNotReg is the index of the first of locs that is not a register, or -1.
func firstNotReg(locs []regalloc.Loc) int {
	for k, l := range locs {
		if !l.IsReg() {
			return k
		}
	}
	return -1
}
