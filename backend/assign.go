package backend

import (
	"errors"
	"fmt"

	"github.com/wasmc/wasmc/regalloc"
)

// Finishing without rewriting the code (issue 21): [Func.Apply] moves every instruction to
// interleave the allocation's edits, then moves them again to thread jumps, and at -O0,
// where an edit comes every other instruction or so, that was a tenth of the compiler's
// CPU on encoding/json's test binary. [Func.Assign] instead gives each instruction its
// registers where it is and threads jumps by counting what each block will hold; the
// encoder then emits the edits, the prologue and what the ISA makes of copies and returns
// between the instructions as it encodes them.

// Deferrer is a [MachineFunc] that can finish without rewriting its code. FinishDeferred
// does what Finish does, but for the instructions' places: the registers are assigned in
// place ([Func.Assign]), and Encode then interleaves r's edits, the prologue and the
// epilogues as Finish would have. r must stay unreleased until Encode has run. Format does
// not show what Encode will interleave, so [Compile] finishes through Finish when it dumps.
type Deferrer interface {
	FinishDeferred(r *regalloc.Result) error
}

// Assign does what [Func.Apply] does without moving an instruction: isa places each one
// (Place) with its operands' locations, which are checked as Apply checks them; the blocks
// that would hold only a jump are threaded away ([Func.Blocks] keeps the others, each still
// the range of its selected instructions, and the terminators' targets are renumbered); f
// is then finished. What Place would put in an instruction's place rather than keep it, r's
// edits and the prologue are the encoder's to emit, in Apply's order: the prologue first,
// each edit before the instruction it precedes.
func (f *Func[I, P]) Assign(r *regalloc.Result, isa Finisher[I]) error {
	if f.Finished {
		return errors.New("backend: Assign called twice")
	}
	sc := newThreadScratch()
	defer sc.release()
	empty := resize(sc.empty, len(f.Blocks))
	sc.empty = empty
	var placed []I
	edits, e := r.Edits, 0
	rp, _ := isa.(RangePlacer)
	for b := range f.Blocks {
		blk := &f.Blocks[b]
		n, kept := 0, false // instructions the applied block would hold; whether its last is kept
		// The block's edits are counted at once rather than looked for before each
		// instruction: only how many there are matters here.
		start, end := int(blk.Start), int(blk.End)
		for ; e < len(edits) && edits[e].Before >= start && edits[e].Before < end; e++ {
			n++
		}
		first := start
		if rp != nil {
			// The instructions up to the first that does not fit are placed; the loop
			// below then reports that one as it would have.
			m, k, bad := rp.PlaceRange(r, start, end)
			n, kept, first = n+m, k, end
			if bad >= 0 {
				first = bad
			}
		}
		for i, insts := first, f.Insts[:end]; i < end; i++ {
			in := P(&insts[i])
			// The locations are read where r holds them, not copied out one by one.
			ops := in.Operands()
			locs := r.Locs(i)
			if len(locs) != len(ops) {
				return fmt.Errorf("backend: $%s: allocation has %d operands for instruction %d, which has %d",
					f.Name, len(locs), i, len(ops))
			}
			// Only a copy's source may be in a slot; most instructions' are all in
			// registers, and need not be asked whether they are copies.
			if k := firstNotReg(locs); k >= 0 && !in.IsCopy() {
				return fmt.Errorf("backend: $%s: operand %d of instruction %d is not in a register", f.Name, k, i)
			}
			placed, kept = isa.Place(placed[:0], in, locs)
			if kept {
				n++
			} else {
				n += len(placed)
			}
		}
		// The entry block stays whatever it holds; Apply's empty blocks hold one jump.
		empty[b] = b != 0 && n == 1 && kept && P(&f.Insts[blk.End-1]).IsJump()
	}
	if e != len(edits) {
		return fmt.Errorf("backend: $%s: edit before instruction %d is past the end", f.Name, edits[e].Before)
	}
	f.thread(empty, false, sc)
	f.Finished = true
	f.recycleEdges()
	f.succStart, f.succs, f.argStart, f.args = nil, nil, nil, nil
	f.predStart, f.preds, f.paramStart, f.params = nil, nil, nil, nil
	return nil
}

// RangePlacer is a [Finisher] that places a block's instructions in one call rather than
// one call each (issue 21): at -O0, the call per instruction through the interface, and
// the one more for its operands, were most of what Assign cost.
type RangePlacer interface {
	// PlaceRange does what Assign does with each of instructions start to end-1 (end
	// excluded): it checks the instruction's operands against r's locations and places
	// it. It returns how many instructions they become, whether the last is kept, and the
	// first that fails the checks, or -1: that one and those after it are not placed.
	PlaceRange(r *regalloc.Result, start, end int) (n int, kept bool, bad int)
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
