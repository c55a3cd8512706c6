package backend

import (
	"slices"

	"github.com/wasmc/wasmc/ir"
)

// The machine-independent half of encoding a finished function. An ISA encodes its
// instructions into its own code buffer; what it shares is the shape of the code and its
// bookkeeping: the blocks in layout order, then one out-of-line trap stub per trapping site,
// then the jump tables; labels for blocks, stubs and tables; the jumps recorded for branch
// relaxation; relocations and trap sites.
//
// Branch relaxation runs the ISA's encoding twice. The first pass records every jump to a
// label with [Emitter.Jump] and uses the long form; [Emitter.Relax] then asks the ISA which
// jumps the short form reaches at their first-pass distance, and the second pass uses the
// short form for those. When shortening jumps only brings code closer together (amd64's rel8
// after rel32), every distance that fit in the first pass still fits in the second.

// Label is a position in an ISA's code buffer that may be bound after jumps to it are
// emitted. Each ISA's assembler uses this type for its labels, so that the shared
// bookkeeping can hold them.
type Label int32

// Assembler is what the shared bookkeeping needs of an ISA's code buffer.
type Assembler interface {
	// Len is the number of bytes emitted so far, the offset of the next instruction.
	Len() int
	// NewLabel returns a label not yet bound.
	NewLabel() Label
	// Bind binds l to the current offset and patches what was emitted for it.
	Bind(l Label)
	// Offset returns the offset l is bound to, and false if it is not bound yet.
	Offset(l Label) (int, bool)
	// Align pads the code (with the ISA's no-ops) to a multiple of n, a power of two.
	Align(n int)
}

// Emitter is the shared state of one encoding pass over a function. An ISA's emitter embeds
// it and calls [Emitter.Begin] first.
type Emitter struct {
	Asm    Assembler
	Blocks []Label // per machine block, bound where the block's code starts
	Relocs []Reloc
	Traps  []TrapSite

	stubs  []trapStub
	tables []jumpTable
	jumps  []jump
	short  []bool // per jump, in emission order: whether the short form reaches
	sets   int    // calls of SetTable, which Marks counts
	// relaxed is the array Relax fills, kept for the next function's (issue 21).
	relaxed []bool
}

// trapStub is an out-of-line trap: reached by a jump from the code, it calls RtTrap with
// its code.
type trapStub struct {
	label Label
	code  ir.TrapCode
}

// jumpTable is a brtable's table: 32-bit offsets of its targets from the table's start.
type jumpTable struct {
	owner   int32 // the label of the machine block whose brtable uses it
	label   Label
	targets []int32
}

// jump is a jump to a block or a trap stub, recorded for relaxation.
type jump struct {
	start  int // offset of the jump instruction
	target Label
}

// Begin starts a pass over a function of n machine blocks that emits into a. short is what
// [Emitter.Relax] returned after the previous pass, or nil in the first.
func (e *Emitter) Begin(a Assembler, n int, short []bool) {
	e.Asm = a
	e.short = short
	e.Blocks = slices.Grow(e.Blocks[:0], n)[:n]
	for b := range e.Blocks {
		e.Blocks[b] = a.NewLabel()
	}
}

// Reset readies e for another pass, over any function, keeping the capacity of its lists
// (issue 21: an ISA that encodes a function twice keeps its measuring pass's emitter per
// worker). Begin must follow, as for a new Emitter.
func (e *Emitter) Reset() {
	clear(e.tables) // their targets are the machine function's
	e.Asm, e.short, e.sets = nil, nil, 0
	e.Blocks, e.Relocs, e.Traps = e.Blocks[:0], e.Relocs[:0], e.Traps[:0]
	e.stubs, e.tables, e.jumps = e.stubs[:0], e.tables[:0], e.jumps[:0]
}

// Marks counts the jumps, relocations, trap sites, stubs and tables e has recorded in this
// pass: an ISA learns from it whether emitting an instruction recorded any of them.
func (e *Emitter) Marks() int {
	return len(e.jumps) + len(e.Relocs) + len(e.Traps) + len(e.stubs) + len(e.tables) + e.sets
}

// Jump records a jump to l that the ISA is about to emit at the current offset, and reports
// whether it may use the short form.
func (e *Emitter) Jump(l Label) (short bool) {
	k := len(e.jumps)
	e.jumps = append(e.jumps, jump{start: e.Asm.Len(), target: l})
	return k < len(e.short) && e.short[k]
}

// Relax ends a pass: it returns, per jump of the pass in order, whether the short form
// reaches, as reaches judges from the offsets of the jump and of its target. The next pass
// takes it in [Emitter.Begin].
func (e *Emitter) Relax(reaches func(start, target int) bool) []bool {
	short := resize(e.relaxed, len(e.jumps))
	e.relaxed = short
	for k, j := range e.jumps {
		to, _ := e.Asm.Offset(j.target)
		short[k] = reaches(j.start, to)
	}
	return short
}

// Stub returns the label of a new trap stub that raises code.
func (e *Emitter) Stub(code ir.TrapCode) Label {
	l := e.Asm.NewLabel()
	e.stubs = append(e.stubs, trapStub{label: l, code: code})
	return l
}

// Table returns the label of the jump table of the machine block labelled owner (a
// [Block.Label], which jump threading leaves alone).
func (e *Emitter) Table(owner int32) Label {
	for _, t := range e.tables {
		if t.owner == owner {
			return t.label
		}
	}
	e.tables = append(e.tables, jumpTable{owner: owner, label: e.Asm.NewLabel()})
	return e.tables[len(e.tables)-1].label
}

// SetTable gives the jump table of owner its targets, machine block numbers: the entries,
// then the default, which has no entry.
func (e *Emitter) SetTable(owner int32, targets []int32) {
	e.sets++
	e.Table(owner)
	for i := range e.tables {
		if e.tables[i].owner == owner {
			e.tables[i].targets = targets
		}
	}
}

// TrapSite records that the call the ISA just emitted raises code: its return address is
// the current offset.
func (e *Emitter) TrapSite(code ir.TrapCode) {
	e.Traps = append(e.Traps, TrapSite{CodeOffset: uint32(e.Asm.Len()), Code: code})
}

// End emits what follows the blocks: each trap stub (its label, then trapCall's call of
// RtTrap) and then each jump table, 4-aligned, one 32-bit entry per target, which word
// emits: the offset of the target from the table's start.
func (e *Emitter) End(trapCall func(ir.TrapCode), word func(int32)) {
	a := e.Asm
	for _, s := range e.stubs {
		a.Bind(s.label)
		trapCall(s.code)
	}
	for _, t := range e.tables {
		a.Align(4)
		a.Bind(t.label)
		start := a.Len()
		for _, b := range t.targets[:len(t.targets)-1] {
			off, _ := a.Offset(e.Blocks[b])
			word(int32(off - start))
		}
	}
}
