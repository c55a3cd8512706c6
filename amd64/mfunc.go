package amd64

import (
	"github.com/wasmc/wasmc/backend"
	"github.com/wasmc/wasmc/ir"
	"github.com/wasmc/wasmc/regalloc"
)

// mfunc is one function's machine code between instruction selection and encoding: the
// [backend.MachineFunc] of this ISA. Its blocks are in layout order, which is the IR's
// layout with each critical edge's new block right after the edge's source; each block keeps
// its IR block's number as its label (new blocks get numbers past the IR's), so dumps of
// every stage line up. Virtual register n is IR value n; temporaries follow the values.
// Finish drops the blocks that allocation left holding only a jump.
type mfunc struct {
	name string
	env  *backend.Env
	conv callConv

	blocks []block
	insts  []inst
	vtypes []ir.Type // per virtual register

	// outWords is the size of the outgoing argument and result area, in 8-byte words: the
	// largest any call of the function needs.
	outWords int32

	finished bool
	frame    frame // set by Finish
}

// block is one machine block: a range of insts, its edges and its parameters as the register
// allocator sees them.
type block struct {
	label      int32 // the IR block number, or a number past them for a split edge
	start, end int32 // insts[start:end]
	preds      []int
	succs      []int
	params     []regalloc.VReg
	args       [][]regalloc.VReg // per successor
}

func (f *mfunc) newVReg(t ir.Type) regalloc.VReg {
	f.vtypes = append(f.vtypes, t)
	return regalloc.VReg(len(f.vtypes) - 1)
}

// NumBlocks implements [regalloc.Func].
func (f *mfunc) NumBlocks() int { return len(f.blocks) }

// BlockInstrs implements [regalloc.Func].
func (f *mfunc) BlockInstrs(b int) (start, end int) {
	return int(f.blocks[b].start), int(f.blocks[b].end)
}

// BlockPreds implements [regalloc.Func].
func (f *mfunc) BlockPreds(b int) []int { return f.blocks[b].preds }

// BlockSuccs implements [regalloc.Func].
func (f *mfunc) BlockSuccs(b int) []int { return f.blocks[b].succs }

// BlockParams implements [regalloc.Func].
func (f *mfunc) BlockParams(b int) []regalloc.VReg { return f.blocks[b].params }

// BranchArgs implements [regalloc.Func].
func (f *mfunc) BranchArgs(b, k int) []regalloc.VReg { return f.blocks[b].args[k] }

// NumVRegs implements [regalloc.Func].
func (f *mfunc) NumVRegs() int { return len(f.vtypes) }

// VRegClass implements [regalloc.Func].
func (f *mfunc) VRegClass(v regalloc.VReg) regalloc.Class { return classOf(f.vtypes[v]) }

// AppendOperands implements [regalloc.Func].
func (f *mfunc) AppendOperands(i int, ops []regalloc.Operand) []regalloc.Operand {
	return append(ops, f.insts[i].ops...)
}

// Clobbers implements [regalloc.Func]: calls destroy the caller-saved registers.
func (f *mfunc) Clobbers(i int) regalloc.RegSet {
	if f.insts[i].call {
		return callClobbers
	}
	return regalloc.RegSet{}
}

// IsCopy implements [regalloc.Func].
func (f *mfunc) IsCopy(i int) bool { return f.insts[i].op == opCopy }
