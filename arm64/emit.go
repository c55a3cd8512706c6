package arm64

import (
	"errors"
	"fmt"

	"github.com/wasmc/wasmc/backend"
	"github.com/wasmc/wasmc/ir"
)

// Encoding a finished function: the blocks in layout order, then the out-of-line trap stubs
// (backend.Emitter keeps that bookkeeping). Every instruction goes through its op's emit
// function (ops.go), the encoder's constructors and an [Asm], which resolves branches to
// blocks and stubs; references to program symbols become relocations. The emit functions of
// the ops with no single constructor per form are here and in emit_mem.go and emit_misc.go.
//
// Branch ranges: B reaches ±128 MiB, but B.cond, CBZ and CBNZ only ±1 MiB and TBZ and TBNZ
// ±32 KiB (Arm ARM C6.2), so a conditional branch in a large function may not reach its
// block or its trap stub. Such a branch becomes its inverse over a B: b.ne skip; b target;
// skip:. Encoding first assumes every conditional branch reaches, which holds for nearly
// every function, and is done if the assembler found none out of range. Otherwise it
// encodes twice more, as backend.Emitter relaxes: every conditional branch long, measuring,
// then short where that distance reaches the branch's field. Shortening a branch only brings
// code closer together, so every distance that fit in the long pass still fits.

// emitter holds the state of one encoding pass.
type emitter struct {
	backend.Emitter
	f *mfunc
	a Asm
	b int32 // the machine block being encoded
	// fields, in the long pass, is the PC-relative field of the conditional branch at each
	// offset: what its short form can reach.
	fields map[int]relKind
}

// Encode implements [backend.MachineFunc].
func (f *mfunc) Encode() (*backend.Code, error) {
	if !f.Finished {
		return nil, errors.New("arm64: Encode before Finish")
	}
	short := make([]bool, len(f.Insts)+1) // at most one relaxable branch per instruction
	for i := range short {
		short[i] = true
	}
	e := f.encode(short)
	code, err := e.a.Finish()
	var rerr *RangeError
	if errors.As(err, &rerr) {
		long := f.encode(nil)
		e = f.encode(long.Relax(func(start, target int) bool {
			k, ok := long.fields[start]
			return ok && k.fits(int64(target-start))
		}))
		code, err = e.a.Finish()
	}
	if err != nil {
		return nil, fmt.Errorf("arm64: $%s: %w", f.Name, err)
	}
	return &backend.Code{Bytes: code, Relocs: e.Relocs, TrapSites: e.Traps}, nil
}

// encode runs one pass of the emitter.
func (f *mfunc) encode(short []bool) *emitter {
	e := &emitter{f: f}
	if short == nil {
		e.fields = make(map[int]relKind)
	}
	e.Begin(&e.a, len(f.Blocks), short)
	for b := range f.Blocks {
		e.a.Bind(e.Blocks[b])
		e.b = int32(b)
		blk := &f.Blocks[b]
		for i := blk.Start; i < blk.End; i++ {
			in := &f.Insts[i]
			emit := opTable[in.op].emit
			if emit == nil {
				panic(fmt.Sprintf("arm64: $%s: %v is never encoded", f.Name, in.op))
			}
			emit(e, in)
		}
	}
	e.End(e.trapCall, func(int32) { panic("arm64: jump tables are inline") })
	return e
}

// condBranch emits a branch to l taken when the instruction that mk makes for condition c
// branches: short, or, where the previous pass found it out of reach, mk(inverse of c) over
// a B.
func (e *emitter) condBranch(c Cond, l Label, mk func(Cond) Inst) {
	if e.fields != nil {
		e.fields[e.a.Len()] = mk(c).rel
	}
	if e.Jump(l) {
		e.a.EmitTo(mk(c), l)
		return
	}
	skip := e.a.NewLabel()
	e.a.EmitTo(mk(c.Invert()), skip)
	e.a.B(l)
	e.a.Bind(skip)
}

// bcond emits b.c to l.
func (e *emitter) bcond(c Cond, l Label) {
	e.condBranch(c, l, func(c Cond) Inst { return BCond(c, 0) })
}

// cbz emits cbz (c EQ) or cbnz (c NE) of the w-bit r to l.
func (e *emitter) cbz(c Cond, w Width, r Reg, l Label) {
	e.condBranch(c, l, func(c Cond) Inst {
		if c == CondEQ {
			return Cbz(w, r, 0)
		}
		return Cbnz(w, r, 0)
	})
}

// tbz emits tbz (c EQ) or tbnz (c NE) of bit of r to l.
func (e *emitter) tbz(c Cond, r Reg, bit uint8, l Label) {
	e.condBranch(c, l, func(c Cond) Inst {
		if c == CondEQ {
			return Tbz(r, bit, 0)
		}
		return Tbnz(r, bit, 0)
	})
}

// ref appends i with a relocation of kind k to sym+add.
func (e *emitter) ref(i Inst, k backend.RelocKind, sym backend.SymRef, add int64) {
	r := e.a.EmitRef(i, k)
	e.Relocs = append(e.Relocs, backend.Reloc{Offset: uint32(r.Off), Kind: k, Sym: sym, Addend: add})
}

// trapCall calls RtTrap with code in w0; the return address in x30 is the trap site.
func (e *emitter) trapCall(code ir.TrapCode) {
	e.a.Emit(MovImm(W32, X0, uint64(code))...)
	e.ref(Bl(0), backend.RelocARM64Call26, backend.SymRef{Kind: backend.RefRuntime, Index: uint32(backend.RtTrap)}, 0)
	e.TrapSite(code)
}

// jumpStep is one branch of a two-way branch: to target if cc holds, or always.
type jumpStep struct {
	cc     Cond
	always bool
	target int32
}

// branchSteps gives the branches that send control to t when c holds and to f otherwise,
// with the block next falling through. The dump prints the same steps, so it shows what is
// encoded.
func branchSteps(c Cond, t, f, next int32) []jumpStep {
	if t == next {
		return []jumpStep{{cc: c.Invert(), target: f}}
	}
	s := []jumpStep{{cc: c, target: t}}
	if f != next {
		s = append(s, jumpStep{always: true, target: f})
	}
	return s
}

// The emit functions of opTable's rows that are not built from one constructor per form.

func (e *emitter) trapIf(in *inst) { e.bcond(in.cc, e.Stub(in.trap)) }

// trapIfZero emits opTrapIfZero and opTrapIfBit.
func (e *emitter) trapIfZero(in *inst) {
	if in.op == opTrapIfBit {
		e.tbz(in.cc, in.regs[0], uint8(in.imm), e.Stub(in.trap))
		return
	}
	e.cbz(in.cc, in.w, in.regs[0], e.Stub(in.trap))
}

func (e *emitter) trap(in *inst) { e.trapCall(in.trap) }

// jump emits nothing when the target is the next block.
func (e *emitter) jump(in *inst) {
	if in.targets[0] != e.b+1 {
		e.a.B(e.Blocks[in.targets[0]])
	}
}

// branch emits a b.cond (opBCond), cbz or cbnz (opCbz), or tbz or tbnz (opTbz) two-way
// branch.
func (e *emitter) branch(in *inst) {
	for _, s := range branchSteps(in.cc, in.targets[0], in.targets[1], e.b+1) {
		l := e.Blocks[s.target]
		switch {
		case s.always:
			e.a.B(l)
		case in.op == opCbz:
			e.cbz(s.cc, in.w, in.regs[0], l)
		case in.op == opTbz:
			e.tbz(s.cc, in.regs[0], uint8(in.imm), l)
		default:
			e.bcond(s.cc, l)
		}
	}
}

// jumpTable emits the bounds check against the entry count, the dispatch and the table,
// inline after the BR that ends the block, so that ADR reaches it however large the
// function. An entry is the distance from itself to its target:
//
//	cmp widx, #n; b.hs default
//	adr x16, table; add x16, x16, widx, uxtw #2; ldrsw x17, [x16]; add x16, x16, x17; br x16
//	table: .word b0-., b1-., …
func (e *emitter) jumpTable(in *inst) {
	idx := in.regs[0]
	n := len(in.targets) - 1
	if IsAddImm(uint64(n)) {
		e.a.Emit(CmpImm(W32, idx, uint32(n)))
	} else {
		e.a.Emit(MovImm(W32, scratch2, uint64(n))...)
		e.a.Emit(Cmp(W32, idx, scratch2))
	}
	e.bcond(CondHS, e.Blocks[in.targets[n]])
	table := e.a.NewLabel()
	e.a.EmitTo(Adr(scratch, 0), table)
	e.a.Emit(AddExt(W64, scratch, scratch, idx, ExtUXTW, 2),
		Ldrsw(scratch2, MemOff(scratch, 0)),
		Add(W64, scratch, scratch, scratch2),
		Br(scratch))
	e.a.Bind(table)
	for _, t := range in.targets[:n] {
		e.a.WordTo(e.Blocks[t])
	}
}

func (e *emitter) ret(*inst) { e.a.Emit(Ret()) }

// call is a direct call (relocated), or one through a register.
func (e *emitter) call(in *inst) {
	if in.form == fR {
		e.a.Emit(Blr(in.regs[0]))
		return
	}
	e.ref(Bl(0), backend.RelocARM64Call26, in.sym, 0)
}

func (e *emitter) svc(*inst) { e.a.Emit(Svc(0)) }

// subFrom emits rd = rn - v, rn possibly SP: one SUB when v is an immediate, two below 2^24,
// else through x17 (which rd may be).
func (e *emitter) subFrom(rd, rn Reg, v uint64) {
	switch {
	case IsAddImm(v):
		e.a.Emit(SubImm(W64, rd, rn, uint32(v)))
	case v < 1<<24:
		e.a.Emit(SubImm(W64, rd, rn, uint32(v&^0xFFF)), SubImm(W64, rd, rd, uint32(v&0xFFF)))
	default:
		e.a.Emit(MovImm(W64, scratch2, v)...)
		e.a.Emit(Sub(W64, rd, rn, scratch2))
	}
}

// stackCheck loads the stack limit and traps unless sp - imm, the whole frame, stays at or
// above it. It runs first in the prologue, before sp moves.
func (e *emitter) stackCheck(in *inst) {
	e.ldrSymTo(scratch, backend.SymRef{Kind: backend.RefStackLimit}, 0)
	e.subFrom(scratch2, SP, uint64(in.imm))
	e.a.Emit(Cmp(W64, scratch2, scratch))
	e.bcond(CondLO, e.Stub(in.trap))
}

func (e *emitter) pushFrame(*inst) {
	e.a.Emit(Stp(W64, FP, LR, MemPre(SP, -16)), Mov(W64, FP, SP))
}

func (e *emitter) subSP(in *inst) { e.subFrom(SP, SP, uint64(in.imm)) }

func (e *emitter) popFrame(in *inst) {
	if in.imm != 0 {
		e.a.Emit(Mov(W64, SP, FP))
	}
	e.a.Emit(Ldp(W64, FP, LR, MemPost(SP, 16)))
}
