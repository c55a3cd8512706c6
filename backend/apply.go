package backend

import (
	"errors"
	"fmt"

	"github.com/wasmc/wasmc/regalloc"
)

// Applying an allocation: the allocator's answer ([regalloc.Result]) is a location per
// operand and a list of edits (moves, spills, reloads) to insert. Walking the instructions,
// interleaving the edits and checking the answer's shape is the same on every ISA; making
// the instructions is not, and the ISA does it through [Finisher].

// Finisher makes an ISA's instructions for [Func.Apply]. The ISA's machine function
// implements it, having laid out its frame, so that it knows where spill slots are.
type Finisher[I any] interface {
	// Prologue appends the function's prologue to out: it starts the entry block.
	Prologue(out []I) []I
	// Edit is the instruction for one of the allocator's moves, spills or reloads.
	Edit(e regalloc.Edit) I
	// Place appends in to out with its operands in locs, which are registers except for a
	// copy's source: in with its registers set, or what replaces it (a copy becomes a move
	// or a reload, or nothing when both ends are the same register; a return gets the
	// epilogue before it).
	Place(out []I, in *I, locs []regalloc.Loc) []I
}

// Apply rewrites f for allocation r: each instruction placed by the ISA with its operands'
// locations, r's edits inserted where they belong, the prologue at the start. Then it
// threads jumps, and f is finished.
func (f *Func[I, P]) Apply(r *regalloc.Result, isa Finisher[I]) error {
	if f.Finished {
		return errors.New("backend: Apply called twice")
	}
	out := make([]I, 0, len(f.Insts)+len(r.Edits)+16)
	var locs []regalloc.Loc
	e := 0
	for b := range f.Blocks {
		blk := &f.Blocks[b]
		start := int32(len(out))
		if b == 0 {
			out = isa.Prologue(out)
		}
		for i := int(blk.Start); i < int(blk.End); i++ {
			for ; e < len(r.Edits) && r.Edits[e].Before == i; e++ {
				out = append(out, isa.Edit(r.Edits[e]))
			}
			in := P(&f.Insts[i])
			n := len(in.Operands())
			if r.NumOperands(i) != n {
				return fmt.Errorf("backend: $%s: allocation has %d operands for instruction %d, which has %d",
					f.Name, r.NumOperands(i), i, n)
			}
			locs = locs[:0]
			for k := range n {
				locs = append(locs, r.Alloc(i, k))
			}
			if !in.IsCopy() {
				for k, l := range locs {
					if !l.IsReg() {
						return fmt.Errorf("backend: $%s: operand %d of instruction %d is not in a register", f.Name, k, i)
					}
				}
			}
			out = isa.Place(out, in, locs)
		}
		blk.Start, blk.End = start, int32(len(out))
	}
	if e != len(r.Edits) {
		return fmt.Errorf("backend: $%s: edit before instruction %d is past the end", f.Name, r.Edits[e].Before)
	}
	f.Insts = out
	f.threadJumps()
	f.Finished = true
	// The edges and parameters describe the blocks as selected, which are gone.
	f.succStart, f.succs, f.argStart, f.args = nil, nil, nil, nil
	f.predStart, f.preds, f.paramStart, f.params = nil, nil, nil, nil
	return nil
}

// threadJumps removes the blocks that allocation left holding only a jump (split edges that
// needed no moves, mostly), sending every branch to such a block straight to where it jumps.
// The entry block stays, whatever it holds.
func (f *Func[I, P]) threadJumps() {
	forward := make([]int32, len(f.Blocks))
	empty := func(b int32) bool {
		blk := &f.Blocks[b]
		return b != 0 && blk.End-blk.Start == 1 && P(&f.Insts[blk.Start]).IsJump()
	}
	// Each chain of empty blocks is walked once: every block on it learns where the chain
	// ends, so 100,000 nested loops cost 100,000 steps, not their square. A cycle of empty
	// blocks (an empty infinite loop) keeps the block where the walk met it again.
	const unseen, onPath, done = 0, 1, 2
	state := make([]uint8, len(f.Blocks))
	var path []int32
	for b := range forward {
		t := int32(b)
		for state[t] == unseen && empty(t) {
			state[t] = onPath
			path = append(path, t)
			t = P(&f.Insts[f.Blocks[t].Start]).Targets()[0]
		}
		end := t
		if state[t] == done {
			end = forward[t]
		}
		for _, p := range path {
			forward[p], state[p] = end, done
		}
		if state[t] != done {
			forward[t], state[t] = t, done
		}
		path = path[:0]
	}
	// Compact blocks and insts in place: blocks keep their order and only drop out, so the
	// write position never passes the read position. Copying into fresh slices instead was
	// a fifth of the backend's allocation (instructions are large).
	renum := make([]int32, len(f.Blocks))
	blocks := f.Blocks[:0]
	insts := f.Insts[:0]
	for b := range f.Blocks {
		renum[b] = int32(len(blocks))
		if forward[b] != int32(b) {
			continue
		}
		blk := f.Blocks[b]
		start := int32(len(insts))
		insts = append(insts, f.Insts[blk.Start:blk.End]...)
		blk.Start, blk.End = start, int32(len(insts))
		blocks = append(blocks, blk)
	}
	clear(f.Insts[len(insts):]) // drop the removed jumps' slices for the GC
	clear(f.Blocks[len(blocks):])
	for _, blk := range blocks {
		// Only terminators have targets, and a block ends with its terminator.
		ts := P(&insts[blk.End-1]).Targets()
		for k, t := range ts {
			ts[k] = renum[forward[t]]
		}
	}
	f.Blocks, f.Insts = blocks, insts
}
