package amd64

import (
	"encoding/binary"
	"errors"
	"fmt"
	"math"

	"github.com/wasmc/wasmc/backend"
	"github.com/wasmc/wasmc/ir"
	"github.com/wasmc/wasmc/regalloc"
)

// Encoding a finished function: the blocks in layout order, then the out-of-line trap stubs,
// then the jump tables (backend.Emitter keeps that bookkeeping). Every instruction goes
// through its op's emit function (ops.go), the encoder's constructors and an [Asm], which
// resolves jumps to blocks, stubs and tables; references to program symbols become
// relocations. The emit functions of the ops with no single constructor per form are here
// and in emit_float.go.

// emitter holds the state of one encoding pass.
type emitter struct {
	backend.Emitter
	f *mfunc
	a Asm
	b int32 // the machine block being encoded
	// redos are, in order, what the measuring pass encoded that the final pass must do
	// again (replay): the blocks' starts and the items that do not encode the same
	// wherever they are; item is the one being encoded, for put to record. prev and
	// prevRelocs are the measuring pass's code and relocations in the final pass.
	redos      []redo
	item       item
	prev       []byte
	prevRelocs []backend.Reloc
	// runs counts the measuring pass's runs of bytes the final pass appended, for a test.
	runs int
	// editAt is the next of the deferred allocation's edits (encodeDeferred), and scratch
	// and epi hold a prologue and an epilogue; tmp is an edit's or a copy's instruction,
	// which would escape to the heap as a variable (the emit functions are called through
	// opTable).
	editAt  int
	scratch []inst
	epi     []inst
	tmp     inst
	// heads is Encode's loopHeads, kept for the next function.
	heads []bool
}

// marks counts what the emitter has recorded that depends on where code is: labels,
// fixups, jumps, relocations, trap sites, stubs and tables. An instruction whose emission
// leaves it unchanged encodes the same wherever it is.
func (e *emitter) marks() int { return e.Emitter.Marks() + len(e.a.labels) + len(e.a.fixups) }

// Encode implements [backend.MachineFunc]. It encodes twice: the first pass uses rel32 for
// every forward jump and measures, the second uses rel8 for each jump whose first-pass
// distance fits. Making jumps shorter only brings code closer together, so every distance
// that fit in the first pass still fits in the second.
//
// Most instructions encode to the same bytes wherever they are: those that neither jump
// nor refer to a label or a trap (they leave the emitter's lists as they were, but for
// relocations of symbols). The final pass (replay) copies the bytes between the others,
// and their relocations moved along, from the measuring pass instead of encoding them
// again, which was half of encoding (issue 21).
func (f *mfunc) Encode() (*backend.Code, error) {
	if !f.Finished {
		return nil, errors.New("amd64: Encode before Finish")
	}
	e := measuring.get()
	defer measuring.put(e)
	heads := loopHeads(f, e.heads)
	e.heads = heads
	f.encode(e, nil, heads, nil)
	short := e.Relax(rel8Reaches)
	// The final pass's code is no longer than the measuring pass's, and it has as many
	// relocations and trap sites: its own arrays, kept with the function, are sized once.
	kept := e.keep(make([]byte, 0, e.a.Len()), make([]backend.Reloc, 0, len(e.Relocs)), make([]backend.TrapSite, 0, len(e.Traps)))
	f.encode(e, short, heads, &kept)
	code, err := e.a.Finish()
	relocs, traps := e.Relocs, e.Traps
	e.keep(kept.buf, kept.relocs, kept.traps)
	if err != nil {
		return nil, fmt.Errorf("amd64: $%s: %w", f.Name, err)
	}
	return &backend.Code{Bytes: code, Relocs: relocs, TrapSites: traps}, nil
}

// rel8Reaches reports whether a jmp or jcc rel8 (two bytes) at start reaches target.
func rel8Reaches(start, target int) bool {
	d := target - (start + 2)
	return d == int(int8(d))
}

// encode runs one pass of the emitter e. Without prev it encodes every instruction and
// records in e.redos what a final pass must do again; with prev, the measuring pass's code
// and relocations, it is that final pass (replay).
func (f *mfunc) encode(e *emitter, short []bool, heads []bool, prev *emitArrays) {
	redos := e.redos
	e.reset()
	e.f = f
	e.Begin(&e.a, len(f.Blocks), short)
	if prev != nil {
		e.redos, e.prev, e.prevRelocs = redos, prev.buf, prev.relocs
		f.replay(e, heads)
		return
	}
	e.redos = redos[:0]
	for b := range f.Blocks {
		start := len(e.a.buf)
		if heads[b] {
			e.alignLoop(short == nil)
		}
		e.a.Bind(e.Blocks[b])
		e.b = int32(b)
		e.redos = append(e.redos, redo{item: item{redoBlock, int32(b)}, start: int32(start), end: int32(len(e.a.buf)), relocs: int32(len(e.Relocs))})
		if f.deferred != nil {
			f.encodeDeferred(e, b)
			continue
		}
		blk := &f.Blocks[b]
		for i := blk.Start; i < blk.End; i++ {
			e.item = item{redoInst, int32(i)}
			e.put(&f.Insts[i])
		}
	}
	end := int32(len(e.a.buf))
	e.redos = append(e.redos, redo{item: item{kind: redoEnd}, start: end, end: end, relocs: int32(len(e.Relocs))})
	e.End(e.trapCall, e.data32)
}

// encodeDeferred encodes block b of a function finished by FinishDeferred: the selected
// instructions with, as Apply would have placed them, the prologue, the allocation's edits,
// the copies as moves or reloads (or nothing) and the epilogues.
func (f *mfunc) encodeDeferred(e *emitter, b int) {
	r := f.deferred
	blk := &f.Blocks[b]
	if b == 0 {
		e.scratch = f.Prologue(e.scratch[:0])
		for k := range e.scratch {
			e.item = item{redoPrologue, int32(k)}
			e.put(&e.scratch[k])
		}
	}
	// The edits and the block's bounds are held in locals, which the calls below cannot
	// change, rather than read through e and blk before each instruction (issue 21).
	// next is the instruction the next edit goes before, -1 after the last: one
	// comparison per instruction.
	edits, at, insts := r.Edits, e.editAt, f.Insts
	next := editBefore(edits, at)
	for i, end := int(blk.Start), int(blk.End); i < end; i++ {
		for i == next {
			e.item = item{redoEdit, int32(at)}
			e.edit(edits[at])
			at++
			next = editBefore(edits, at)
		}
		in := &insts[i]
		// What put would do for an op that encodes the same anywhere, without its call.
		if info := &opTable[in.op]; info.flags&anywhere != 0 && in.m.kind != memJT {
			info.emit(e, in)
			continue
		}
		switch in.op {
		case opCopy:
			// Nothing for a copy of a register to itself (copyInst's ok).
			dst, src := r.Alloc(i, 0), r.Alloc(i, 1)
			if src.IsSlot() || src.Reg() != dst.Reg() {
				e.item = item{redoCopy, int32(i)}
				e.copy(dst, src, in.w)
			}
			continue
		case opRet:
			e.scratch = f.epilogue(e.scratch[:0])
			for k := range e.scratch {
				e.item = item{redoEpilogue, int32(k)}
				e.put(&e.scratch[k])
			}
		}
		e.item = item{redoInst, int32(i)}
		e.put(in)
	}
	e.editAt = at
}

// editBefore is the instruction edits[at] goes before, or -1 if there is none.
func editBefore(edits []regalloc.Edit, at int) int {
	if at < len(edits) {
		return edits[at].Before
	}
	return -1
}

// put encodes in, the next instruction; the measuring pass records it in e.redos, as
// e.item, unless it encodes the same wherever it is.
func (e *emitter) put(in *inst) {
	info := &opTable[in.op]
	emit := info.emit
	if emit == nil {
		panic(fmt.Sprintf("amd64: $%s: %v is never encoded", e.f.Name, in.op))
	}
	// The moves, constants, addresses and arithmetic that are most of the code leave
	// nothing to watch: counting the emitter's lists before and after was a third of
	// their cost (issue 21).
	if e.prev != nil || info.flags&anywhere != 0 && in.m.kind != memJT {
		emit(e, in)
		return
	}
	start, marks, relocs := int32(len(e.a.buf)), e.marks(), len(e.Relocs)
	emit(e, in)
	if n := len(e.Relocs) - relocs; e.marks() != marks+n {
		e.redos = append(e.redos, redo{item: e.item, start: start, end: int32(len(e.a.buf)), relocs: int32(relocs), nrelocs: int32(n)})
	}
}

// loopAlign is the alignment of a loop's first instruction: the processor fetches and
// decodes in aligned 16- and 32-byte windows, and a short loop that straddles one more than
// it must runs measurably slower (matmul's inner loop: 6%).
const loopAlign = 16

// loopHeads marks the blocks that a jump or branch at or after them in the layout targets:
// the back edges as the final code has them, after jump threading. It fills buf if it is
// large enough.
func loopHeads(f *mfunc, buf []bool) []bool {
	heads := buf[:0]
	if cap(buf) < len(f.Blocks) {
		heads = make([]bool, len(f.Blocks))
	} else {
		heads = buf[:len(f.Blocks)]
		clear(heads)
	}
	// Only terminators have targets, and a block ends with its terminator (as jump
	// threading has it): the other instructions need not be looked at.
	for b := range f.Blocks {
		blk := &f.Blocks[b]
		if blk.End <= blk.Start {
			continue
		}
		for _, t := range f.Insts[blk.End-1].targets {
			if int(t) <= b {
				heads[t] = true
			}
		}
	}
	return heads
}

// alignLoop pads to loopAlign before a loop head. The measuring pass pads the most any
// alignment can need instead, so that no distance in the final pass exceeds its measured
// one: its jumps are no longer and its padding no larger, and every jump found short
// still reaches.
func (e *emitter) alignLoop(measuring bool) {
	if !measuring {
		e.a.Align(loopAlign)
		return
	}
	for pad := loopAlign - 1; pad > 0; {
		k := min(pad, MaxNop)
		e.a.Emit(Nop(k))
		pad -= k
	}
}

// data32 appends four bytes of data to the code, a jump table entry: straight to the
// buffer, as an Inst made and copied per entry was most of the tables' time (issue 21).
func (e *emitter) data32(v int32) {
	e.a.buf = binary.LittleEndian.AppendUint32(e.a.buf, uint32(v))
}

// jmpTo and jcc1 emit the jumps to blocks and stubs: rel8 where the previous pass found it
// fits (or where the target is already bound and near), else rel32.
func (e *emitter) jmpTo(l Label) {
	if e.Jump(l) {
		e.a.JmpShort(l)
		return
	}
	e.a.Jmp(l)
}

func (e *emitter) jcc1(c Cond, l Label) {
	if e.Jump(l) {
		e.a.JccShort(c, l)
		return
	}
	e.a.Jcc(c, l)
}

// jcc emits a jump to l taken when c holds, for the two-flag float conditions too.
func (e *emitter) jcc(c cond, l Label) {
	switch c {
	case condFEq:
		skip := e.a.NewLabel()
		e.a.JccShort(CondP, skip)
		e.jcc1(CondE, l)
		e.a.Bind(skip)
	case condFNe:
		e.jcc1(CondP, l)
		e.jcc1(CondNE, l)
	default:
		e.jcc1(Cond(c), l)
	}
}

// mem is the operand of a memory instruction with its registers. RIP-relative operands get a
// zero displacement: the relocation or label fills the field.
func (e *emitter) mem(in *inst) Mem {
	m := in.m
	switch m.kind {
	case memReg:
		var out Mem
		if m.base >= 0 {
			out.Base = in.regs[m.base]
		} else if m.base == baseMem0 {
			out.Base = memBaseReg
		}
		if m.index >= 0 {
			out.Index, out.Scale = in.regs[m.index], m.scale
		}
		out.Disp = m.disp
		return out
	case memSP:
		return Mem{Base: RSP, Disp: m.disp}
	case memFP:
		return Mem{Base: RBP, Disp: m.disp}
	}
	return RIPRel(0)
}

// emitM appends i, whose memory operand is in's, with a relocation for a symbol or a fix-up
// for a jump table.
func (e *emitter) emitM(i Inst, in *inst) {
	switch in.m.kind {
	case memRIP:
		e.ref(i, in.m.sym, int64(in.m.disp))
	case memJT:
		e.a.EmitTo(i, e.Table(in.m.disp))
	default:
		e.a.Emit(i)
	}
}

// ref appends i, which has a PC-relative field, with a relocation of that field to sym+add.
// The processor adds the field to the end of the instruction, the linker computes S + A - P
// from the field's own address: the addend makes up the difference.
func (e *emitter) ref(i Inst, sym backend.SymRef, add int64) {
	r := e.a.EmitRef(i)
	e.Relocs = append(e.Relocs, backend.Reloc{Offset: uint32(r.Off), Kind: backend.RelocPC32, Sym: sym, Addend: add + int64(r.Off-r.End)})
}

// trapCall calls RtTrap with code; the return address it pushes is the trap site. It
// appends MOV edi, imm32 (BF id) and CALL rel32 (E8 cd), as MovRI and CallRel32 encode
// them, straight to the buffer: every bounds check and trapping conversion has its stub,
// and making the two instructions was most of the stubs' time (issue 21).
func (e *emitter) trapCall(code ir.TrapCode) {
	c, at := uint32(int32(code)), len(e.a.buf)
	e.a.buf = append(e.a.buf, 0xBF, byte(c), byte(c>>8), byte(c>>16), byte(c>>24), 0xE8, 0, 0, 0, 0)
	// The field is the call's last four bytes: the addend is -4, as ref computes it.
	e.Relocs = append(e.Relocs, backend.Reloc{Offset: uint32(at + 6), Kind: backend.RelocPC32,
		Sym: backend.SymRef{Kind: backend.RefRuntime, Index: uint32(backend.RtTrap)}, Addend: -4})
	e.TrapSite(code)
}

// jumpStep is one jump of a branch: to target if cc holds, or always.
type jumpStep struct {
	cc     cond
	always bool
	target int32
}

// branchSteps gives the jumps that send control to t when c holds and to f otherwise, with the
// block next falling through, in buf: the encoder asks for every branch twice, and a new
// slice each time was a tenth of what encoding allocated (issue 21). The dump prints the
// same steps, so it shows what is encoded.
func branchSteps(c cond, t, f, next int32, buf *[3]jumpStep) []jumpStep {
	if t == next {
		// Fall through to t: jump to f when c fails.
		switch c {
		case condFEq: // fails when unordered or not equal
			*buf = [3]jumpStep{{cc: cond(CondP), target: f}, {cc: cond(CondNE), target: f}}
			return buf[:2]
		case condFNe: // holds when unordered, fails when equal
			*buf = [3]jumpStep{{cc: cond(CondP), target: t}, {cc: cond(CondE), target: f}}
			return buf[:2]
		}
		buf[0] = jumpStep{cc: c.invert(), target: f}
		return buf[:1]
	}
	var s []jumpStep
	switch c {
	case condFEq:
		*buf = [3]jumpStep{{cc: cond(CondP), target: f}, {cc: cond(CondE), target: t}}
		s = buf[:2]
	case condFNe:
		*buf = [3]jumpStep{{cc: cond(CondP), target: t}, {cc: cond(CondNE), target: t}}
		s = buf[:2]
	default:
		buf[0] = jumpStep{cc: c, target: t}
		s = buf[:1]
	}
	if f != next {
		s = append(s, jumpStep{always: true, target: f})
	}
	return s
}

// The emit functions of opTable's rows that are not built from one constructor per form.

// imulForms encodes the two-address imul.
var imulForms = forms{rr: ImulRR, rm: ImulRM}

func (e *emitter) imul(in *inst) {
	if in.form == fRRI {
		e.a.Emit(ImulRRI(in.w, in.regs[0], in.regs[1], int32(in.imm)))
		return
	}
	imulForms.emit(e, in)
}

func (e *emitter) cdq(in *inst) {
	if in.w == W32 {
		e.a.Emit(Cdq())
	} else {
		e.a.Emit(Cqo())
	}
}

func (e *emitter) setcc(in *inst) { e.a.Emit(Setcc(Cond(in.cc), in.regs[0])) }

func (e *emitter) cmov(in *inst) { e.a.Emit(CmovRR(Cond(in.cc), in.w, in.regs[0], in.regs[1])) }

func (e *emitter) syscall(*inst) { e.a.Emit(Syscall()) }

func (e *emitter) rounds(in *inst) {
	if in.w == W32 {
		e.a.Emit(RoundssRR(in.regs[0], in.regs[1], RoundMode(in.imm)))
	} else {
		e.a.Emit(RoundsdRR(in.regs[0], in.regs[1], RoundMode(in.imm)))
	}
}

func (e *emitter) cvtsi2s(in *inst) { e.a.Emit(cvtToFloat(in.w, in.w2, in.regs[0], in.regs[1])) }

func (e *emitter) cvtts2si(in *inst) { e.a.Emit(cvtToInt(in.w, in.w2, in.regs[0], in.regs[1])) }

// boundsCheck traps with oob_memory unless address + imm (the end of the access, computed in
// 64 bits so that it cannot wrap for a 32-bit memory) is at most the memory's size. r11 holds
// the end; a memory64 address can wrap, and the carry traps too.
func (e *emitter) boundsCheck(in *inst) {
	stub := e.Stub(in.trap)
	size := RIPRel(0)
	if in.form == fMI {
		// A constant end: trap if size < end.
		e.emitM(CmpMI(W64, size, int32(in.imm)), in)
		e.jcc1(CondB, stub)
		return
	}
	addr := in.regs[0]
	if in.w == W32 && in.imm <= math.MaxInt32 {
		e.a.Emit(Lea(W64, scratchGPR, Mem{Base: addr, Disp: int32(in.imm)}))
	} else {
		e.a.Emit(MovConst(scratchGPR, uint64(in.imm)))
		e.a.Emit(AddRR(W64, scratchGPR, addr))
		if in.w == W64 {
			e.jcc1(CondB, stub) // the end wrapped around
		}
	}
	e.emitM(CmpRM(W64, scratchGPR, size), in)
	e.jcc1(CondA, stub)
}

func (e *emitter) trapIf(in *inst) { e.jcc(in.cc, e.Stub(in.trap)) }

func (e *emitter) trap(in *inst) { e.trapCall(in.trap) }

// jump emits nothing when the target is the next block.
func (e *emitter) jump(in *inst) {
	if in.targets[0] != e.b+1 {
		e.jmpTo(e.Blocks[in.targets[0]])
	}
}

func (e *emitter) branch(in *inst) {
	var buf [3]jumpStep
	for _, s := range branchSteps(in.cc, in.targets[0], in.targets[1], e.b+1, &buf) {
		if s.always {
			e.jmpTo(e.Blocks[s.target])
		} else {
			e.jcc(s.cc, e.Blocks[s.target])
		}
	}
}

// jumpTable is cmp idx, n; jae default; movsxd r11, [table + idx*4]; add r11, table; jmp r11.
func (e *emitter) jumpTable(in *inst) {
	idx, table := in.regs[0], in.regs[1]
	n := len(in.targets) - 1
	e.a.Emit(CmpRI(W32, idx, int32(n)))
	e.jcc1(CondAE, e.Blocks[in.targets[n]])
	e.a.Emit(MovsxdRM(scratchGPR, Mem{Base: table, Index: idx, Scale: 4}))
	e.a.Emit(AddRR(W64, scratchGPR, table))
	e.a.Emit(JmpR(scratchGPR))
	e.SetTable(e.f.Blocks[e.b].Label, in.targets)
}

func (e *emitter) ret(*inst) { e.a.Emit(Ret()) }

// call is a direct call (relocated), or one through a register or memory.
func (e *emitter) call(in *inst) {
	switch in.form {
	case fM:
		e.emitM(CallM(e.mem(in)), in)
	case fR:
		e.a.Emit(CallR(in.regs[0]))
	default:
		e.ref(CallRel32(0), in.m.sym, 0)
	}
}
