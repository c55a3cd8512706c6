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
//	[rbp-...]     spill slots, 8 bytes each (slot s at [rbp - 8*len(saved) - 8*(s+1)])
//	[rsp+8k]      the outgoing area: stack arguments and results of the calls it makes
//
// rbp is 16-byte aligned (the call pushed 8 bytes, the prologue pushes rbp), and the size
// below the pushes is chosen so that rsp is too, as every call needs.
type frame struct {
	saved []Reg // pushed after rbp, in this order
	size  int32 // subtracted from rsp after the pushes
}

// slotDisp is the rbp-relative displacement of spill slot s.
func (fr *frame) slotDisp(s int) int32 { return -8*int32(len(fr.saved)) - 8*int32(s+1) }

// Finish implements [backend.MachineFunc]: it lays out the frame, rewrites every operand to
// its register, turns the allocator's edits into moves, spills and reloads, drops the copies
// that allocation made redundant, and adds the prologue and the epilogues.
func (f *mfunc) Finish(r *regalloc.Result) error {
	if f.finished {
		return errors.New("amd64: Finish called twice")
	}
	fr := &f.frame
	for _, c := range calleeSaved {
		if r.UsedRegs.Has(preg(c)) {
			fr.saved = append(fr.saved, c)
		}
	}
	pushed := 8 * int32(len(fr.saved))
	below := pushed + 8*int32(len(r.Slots)) + 8*f.outWords
	fr.size = (below+15)&^15 - pushed

	out := make([]inst, 0, len(f.insts)+len(r.Edits)+16)
	// The registers of all instructions come from one slab, and locs is reused: two small
	// allocations per instruction showed up in the profile of the large module.
	nops := 0
	for i := range f.insts {
		nops += len(f.insts[i].ops)
	}
	regSlab := make([]Reg, nops)
	var locs []regalloc.Loc
	e := 0
	for b := range f.blocks {
		blk := &f.blocks[b]
		start := int32(len(out))
		if b == 0 {
			out = f.prologue(out)
		}
		for i := int(blk.start); i < int(blk.end); i++ {
			for ; e < len(r.Edits) && r.Edits[e].Before == i; e++ {
				out = append(out, f.edit(r.Edits[e]))
			}
			in := f.insts[i]
			if r.NumOperands(i) != len(in.ops) {
				return fmt.Errorf("amd64: $%s: allocation has %d operands for instruction %d, which has %d", f.name, r.NumOperands(i), i, len(in.ops))
			}
			locs = append(locs[:0], make([]regalloc.Loc, len(in.ops))...)
			n := len(in.ops)
			in.regs, regSlab = regSlab[:n:n], regSlab[n:]
			for k := range in.ops {
				locs[k] = r.Alloc(i, k)
				if locs[k].IsReg() {
					in.regs[k] = Reg(locs[k].Reg())
				}
			}
			if in.op == opCopy {
				c, ok := f.copyInst(locs[0], locs[1], in.w)
				if ok {
					out = append(out, c)
				}
				continue
			}
			for k, l := range locs {
				if !l.IsReg() {
					return fmt.Errorf("amd64: $%s: operand %d of instruction %d is not in a register", f.name, k, i)
				}
			}
			if in.op == opRet {
				out = f.epilogue(out)
			}
			out = append(out, in)
		}
		blk.start, blk.end = start, int32(len(out))
	}
	if e != len(r.Edits) {
		return fmt.Errorf("amd64: $%s: edit before instruction %d is past the end", f.name, r.Edits[e].Before)
	}
	f.insts = out
	f.threadJumps()
	f.finished = true
	return nil
}

// threadJumps removes the blocks that allocation left holding only a jump (split edges that
// needed no moves, mostly), sending every branch to such a block straight to where it jumps.
func (f *mfunc) threadJumps() {
	forward := make([]int32, len(f.blocks))
	empty := func(b int32) bool {
		blk := &f.blocks[b]
		return b != 0 && blk.end-blk.start == 1 && f.insts[blk.start].op == opJmp
	}
	for b := range forward {
		t := int32(b)
		for n := 0; n < len(f.blocks) && empty(t); n++ {
			t = f.insts[f.blocks[t].start].targets[0]
		}
		forward[b] = t
	}
	// Compact blocks and insts in place: blocks keep their order and only drop out, so the
	// write position never passes the read position. Copying into fresh slices instead was
	// a fifth of the backend's allocation (insts are large).
	renum := make([]int32, len(f.blocks))
	blocks := f.blocks[:0]
	insts := f.insts[:0]
	for b := range f.blocks {
		renum[b] = int32(len(blocks))
		if forward[b] != int32(b) {
			continue
		}
		blk := f.blocks[b]
		start := int32(len(insts))
		insts = append(insts, f.insts[blk.start:blk.end]...)
		blk.start, blk.end = start, int32(len(insts))
		blocks = append(blocks, blk)
	}
	clear(f.insts[len(insts):]) // drop the removed jumps' slices for the GC
	clear(f.blocks[len(blocks):])
	for i := range insts {
		in := &insts[i]
		if len(in.targets) > 0 {
			ts := make([]int32, len(in.targets))
			for k, t := range in.targets {
				ts[k] = renum[forward[t]]
			}
			in.targets = ts
		}
		if in.m.kind == memJT {
			in.m.disp = renum[in.m.disp]
		}
	}
	f.blocks, f.insts = blocks, insts
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
		return inst{op: opMovaps, form: fRR, nvis: 2, regs: []Reg{d, s}}
	}
	return inst{op: opMov, form: fRR, w: w, nvis: 2, regs: []Reg{d, s}}
}

// reload and spill move whole 8-byte words, whatever the value's type.
func (f *mfunc) reload(d Reg, slot int) inst {
	o := opMov
	if d.IsXMM() {
		o = opMovs
	}
	return inst{op: o, form: fRM, w: W64, nvis: 1, regs: []Reg{d}, m: frameMem(memFP, f.frame.slotDisp(slot))}
}

func (f *mfunc) spill(slot int, s Reg) inst {
	o := opMov
	if s.IsXMM() {
		o = opMovs
	}
	return inst{op: o, form: fMR, w: W64, nvis: 1, regs: []Reg{s}, m: frameMem(memFP, f.frame.slotDisp(slot))}
}

// edit turns an allocator edit into an instruction.
func (f *mfunc) edit(e regalloc.Edit) inst {
	switch e.Kind() {
	case regalloc.Spill:
		return f.spill(e.To.Slot(), Reg(e.From.Reg()))
	case regalloc.Reload:
		return f.reload(Reg(e.To.Reg()), e.From.Slot())
	}
	w := W64
	if int(e.VReg) < len(f.vtypes) && f.vtypes[e.VReg] == ir.I32 {
		w = W32
	}
	return f.move(Reg(e.To.Reg()), Reg(e.From.Reg()), w)
}

// prologue saves the caller's frame pointer and the callee-saved registers the function
// uses, allocates the frame, and compares rsp with the stack limit: below it, the function
// traps with stack_exhausted before it writes anything to its frame. The limit must leave
// room below for the pushes and for RtTrap itself.
func (f *mfunc) prologue(out []inst) []inst {
	out = append(out,
		inst{op: opPush, form: fR, nvis: 1, regs: []Reg{RBP}},
		inst{op: opMov, form: fRR, w: W64, nvis: 2, regs: []Reg{RBP, RSP}})
	for _, r := range f.frame.saved {
		out = append(out, inst{op: opPush, form: fR, nvis: 1, regs: []Reg{r}})
	}
	if f.frame.size > 0 {
		out = append(out, inst{op: opSub, form: fRI, w: W64, imm: int64(f.frame.size), nvis: 1, regs: []Reg{RSP}})
	}
	if f.env.StackCheck {
		out = append(out,
			inst{op: opCmp, form: fRM, w: W64, nvis: 1, regs: []Reg{RSP}, m: ripMem(backend.SymRef{Kind: backend.RefStackLimit}, 0)},
			inst{op: opTrapIf, cc: cond(CondB), trap: ir.TrapStackExhausted})
	}
	return out
}

// epilogue undoes the prologue before a ret.
func (f *mfunc) epilogue(out []inst) []inst {
	if f.frame.size > 0 {
		out = append(out, inst{op: opLea, form: fRM, w: W64, nvis: 1, regs: []Reg{RSP},
			m: frameMem(memFP, -8*int32(len(f.frame.saved)))})
	}
	for i := len(f.frame.saved) - 1; i >= 0; i-- {
		out = append(out, inst{op: opPop, form: fR, nvis: 1, regs: []Reg{f.frame.saved[i]}})
	}
	return append(out, inst{op: opPop, form: fR, nvis: 1, regs: []Reg{RBP}})
}
