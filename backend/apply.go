package backend

import (
	"errors"
	"fmt"
	"sync"

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
	// Place sets the registers of in's operands from locs, which are registers except for
	// a copy's source and which Place must not change (they are the allocation's), and says what takes in's place: in itself, as it now is (keep),
	// which is most instructions and which Apply then copies once, straight to where it
	// goes; or what Place appends to out instead (a copy becomes a move or a reload, or
	// nothing when both ends are the same register; a return gets the epilogue before it).
	Place(out []I, in *I, locs []regalloc.Loc) (placed []I, keep bool)
}

// ApplyRoom is how many instructions beyond one per IR instruction and one per machine block
// an ISA's selection should leave room for in its Insts: the prologue and a few epilogues,
// so that [Func.Apply] can rewrite the code in place when allocation inserts no edits.
const ApplyRoom = 32

// Apply rewrites f for allocation r: each instruction placed by the ISA with its operands'
// locations, r's edits inserted where they belong, the prologue at the start. Then it
// threads jumps, and f is finished.
//
// The code is rewritten in the array that holds it when its capacity allows (see
// [ApplyRoom]): a second array of instructions, each of them large, was the compiler's peak
// on a huge function (issue 19). The selected instructions are moved to the array's end
// and the new ones written from its start, never past the next instruction to read; an ISA
// places each instruction into a scratch slice first, so that it never overwrites what it
// reads. When the new code would catch up with the old, the rest moves to a larger array.
func (f *Func[I, P]) Apply(r *regalloc.Result, isa Finisher[I]) error {
	if f.Finished {
		return errors.New("backend: Apply called twice")
	}
	ninsts := len(f.Insts)
	buf := f.Insts[:cap(f.Insts)]
	if need := ninsts + len(r.Edits) + ApplyRoom; len(buf) < need {
		buf = make([]I, need)
		copy(buf, f.Insts)
	}
	// The instruction i is at buf[i+off] until it is read.
	off := len(buf) - ninsts
	copy(buf[off:], buf[:ninsts])
	tail := off // where buf holds instructions to read, up to its end
	out := buf[:0]
	// room makes sure k more instructions can be written without overwriting the ones from
	// instruction next on (unread), moving them to a new array when they would be.
	room := func(k, next, edits int) {
		if len(out)+k <= next+off {
			return
		}
		grown := make([]I, len(out)+k+ninsts-next+edits+ApplyRoom)
		copy(grown, out)
		noff := len(grown) - (ninsts - next)
		copy(grown[noff:], buf[next+off:])
		clear(buf) // for the GC, which would otherwise keep all their slices alive
		buf, out, off, tail = grown, grown[:len(out)], noff-next, noff
	}
	var placed []I
	e := 0
	for b := range f.Blocks {
		blk := &f.Blocks[b]
		start := int32(len(out))
		if b == 0 {
			placed = isa.Prologue(placed[:0])
			room(len(placed), int(blk.Start), len(r.Edits))
			out = append(out, placed...)
		}
		for i := int(blk.Start); i < int(blk.End); i++ {
			for ; e < len(r.Edits) && r.Edits[e].Before == i; e++ {
				room(1, i, len(r.Edits)-e)
				out = append(out, isa.Edit(r.Edits[e]))
			}
			in := P(&buf[i+off])
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
			var keep bool
			if placed, keep = isa.Place(placed[:0], in, locs); keep {
				// Instruction i, moved along if the rest moves, goes before its place.
				room(1, i, len(r.Edits)-e)
				out = append(out, buf[i+off])
				continue
			}
			// Instruction i is read: its place may be written.
			room(len(placed), i+1, len(r.Edits)-e)
			out = append(out, placed...)
		}
		blk.Start, blk.End = start, int32(len(out))
	}
	if e != len(r.Edits) {
		return fmt.Errorf("backend: $%s: edit before instruction %d is past the end", f.Name, r.Edits[e].Before)
	}
	// The old instructions' copies, for the GC: those out did not overwrite, and those
	// moved to the end. Between them buf is clean, which matters when it is an array
	// reused from a larger function (issue 21), whose spare room clearing would cost more
	// than the function.
	clear(buf[len(out):max(len(out), min(ninsts, tail))])
	clear(buf[max(len(out), tail):])
	f.Insts = out
	f.threadJumps()
	f.Finished = true
	// The edges and parameters describe the blocks as selected, which are gone: the
	// arrays go to the next Select.
	f.recycleEdges()
	f.succStart, f.succs, f.argStart, f.args = nil, nil, nil, nil
	f.predStart, f.preds, f.paramStart, f.params = nil, nil, nil, nil
	return nil
}

// threadJumps removes the blocks that allocation left holding only a jump (split edges that
// needed no moves, mostly), sending every branch to such a block straight to where it jumps.
// The entry block stays, whatever it holds.
func (f *Func[I, P]) threadJumps() {
	sc := newThreadScratch()
	defer sc.release()
	empty := resize(sc.empty, len(f.Blocks))
	sc.empty = empty
	empty[0] = false
	for b := 1; b < len(f.Blocks); b++ {
		blk := &f.Blocks[b]
		empty[b] = blk.End-blk.Start == 1 && P(&f.Insts[blk.Start]).IsJump()
	}
	f.thread(empty, true, sc)
}

// thread removes the empty blocks, each of which ends with a jump, sending every branch to
// one straight to where the jump goes, and renumbers the terminators' targets. With move,
// the instructions of the blocks left are moved together, the removed jumps dropped;
// without, the blocks left keep their ranges of Insts (Assign's code, which the encoder
// reads block by block). sc holds its arrays.
func (f *Func[I, P]) thread(empty []bool, move bool, sc *threadScratch) {
	forward := resize(sc.forward, len(f.Blocks))
	sc.forward = forward
	// Each chain of empty blocks is walked once: every block on it learns where the chain
	// ends, so 100,000 nested loops cost 100,000 steps, not their square. A cycle of empty
	// blocks (an empty infinite loop) keeps the block where the walk met it again.
	const unseen, onPath, done = 0, 1, 2
	state := resize(sc.state, len(f.Blocks))
	sc.state = state
	clear(state)
	path := sc.path[:0]
	defer func() { sc.path = path }()
	for b := range forward {
		t := int32(b)
		for state[t] == unseen && empty[t] {
			state[t] = onPath
			path = append(path, t)
			t = P(&f.Insts[f.Blocks[t].End-1]).Targets()[0]
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
	// Compact blocks (and insts) in place: blocks keep their order and only drop out, so
	// the write position never passes the read position. Copying into fresh slices instead
	// was a fifth of the backend's allocation (instructions are large). Up to the first
	// removed block, the instructions are where they go already.
	renum := resize(sc.renum, len(f.Blocks))
	sc.renum = renum
	blocks := f.Blocks[:0]
	insts := f.Insts[:0]
	for b := range f.Blocks {
		renum[b] = int32(len(blocks))
		if forward[b] != int32(b) {
			continue
		}
		blk := f.Blocks[b]
		if move {
			start := int32(len(insts))
			if start == blk.Start {
				insts = insts[:blk.End]
			} else {
				insts = append(insts, f.Insts[blk.Start:blk.End]...)
			}
			blk.Start, blk.End = start, int32(len(insts))
		}
		blocks = append(blocks, blk)
	}
	if move {
		clear(f.Insts[len(insts):]) // drop the removed jumps' slices for the GC
		f.Insts = insts
	}
	clear(f.Blocks[len(blocks):])
	for _, blk := range blocks {
		// Only terminators have targets, and a block ends with its terminator.
		ts := P(&f.Insts[blk.End-1]).Targets()
		for k, t := range ts {
			ts[k] = renum[forward[t]]
		}
	}
	f.Blocks = blocks
}

// threadScratch holds the arrays of Assign and jump threading, per block, for the next
// function (issue 21): four arrays a function, each as small as its blocks.
type threadScratch struct {
	empty          []bool
	forward, renum []int32
	state          []uint8
	path           []int32
}

// threadScratches holds the threadScratch of finished functions.
var threadScratches sync.Pool // of *threadScratch

func newThreadScratch() *threadScratch {
	if sc, ok := threadScratches.Get().(*threadScratch); ok {
		return sc
	}
	return &threadScratch{}
}

// release gives sc back, unless it holds a huge function's arrays.
func (sc *threadScratch) release() {
	if cap(sc.forward) <= reuseBlocksMax && cap(sc.path) <= reuseBlocksMax {
		threadScratches.Put(sc)
	}
}
