package backend

import (
	"fmt"

	"github.com/wasmc/wasmc/ir"
	"github.com/wasmc/wasmc/regalloc"
)

// Func is one function's machine code between instruction selection and encoding, over an
// ISA's instruction type I: the container that every ISA's [MachineFunc] embeds, and the
// [regalloc.Func] the allocator reads. It is written once here so that amd64 and arm64 share
// blocks, edges, virtual registers, layout (layout.go), applying an allocation and jump
// threading (apply.go) and the dump's scaffold (dump.go); an ISA adds its instructions'
// selection, frames, encoding and printing.
//
// Blocks are in layout order: the IR's, with each split critical edge's block right after
// the edge's source. Each block keeps its IR block's number as its label (split blocks get
// numbers past the IR's), so dumps of every stage line up. Virtual register n is IR value n;
// temporaries follow the values.
//
// I is stored by value in one dense slice: no instruction is boxed in an interface, and the
// shared code reaches what it needs of one through P, I's pointer type ([Inst]).
type Func[I any, P Inst[I]] struct {
	Name string
	Env  *Env

	Blocks []Block
	Insts  []I
	VTypes []ir.Type // per virtual register

	// CallClobbers is what an instruction whose [Inst.IsCall] holds destroys: the ISA's
	// allocatable caller-saved registers.
	CallClobbers regalloc.RegSet

	// Finished is set by [Func.Apply]: operands then name physical registers, the edits are
	// in, and only blocks that do more than jump are left.
	Finished bool

	// Operands are the chunks the instructions' operand lists are carved from, given back
	// with the instructions ([Func.RecycleInsts]).
	Operands OperandLists

	// The blocks' edges and parameters as the allocator reads them, each kind in one array
	// indexed through a start per block (or per edge), not in slices per block: a function
	// of 300,000 blocks spent more on those slices than on its instructions. They describe
	// the blocks as selected, so Apply drops them.
	succStart  []int32 // per block, and one past: its successors are succs[succStart[b]:succStart[b+1]]
	succs      []int
	argStart   []int32 // per edge (an index into succs), and one past: its arguments in args
	args       []regalloc.VReg
	predStart  []int32 // per block, and one past: its predecessors in preds
	preds      []int
	paramStart []int32 // per block, and one past: its parameters in params
	params     []regalloc.VReg
	// edgeArrays is the pooled holder of the arrays above (but the parameters', which
	// are the layout's), which Apply gives back.
	edgeArrays *edgeArrays
}

// Inst is what the shared code needs of an ISA's machine instruction; the ISA implements it
// on *I. An instruction's operands are regalloc operands, in the order [regalloc.Result]
// answers them; only terminators have targets, which are machine block numbers.
type Inst[I any] interface {
	*I
	// Operands are the instruction's register operands, as the allocator sees them.
	Operands() []regalloc.Operand
	// IsCall reports whether the instruction destroys [Func.CallClobbers].
	IsCall() bool
	// IsCopy reports whether the instruction copies its only use to its only def, a move
	// the allocator may coalesce, read from a spill slot or drop.
	IsCopy() bool
	// Describe is Operands, IsCall and IsCopy at once: the allocator reads every
	// instruction through it ([regalloc.InstrReader]).
	Describe() (ops []regalloc.Operand, isCall, isCopy bool)
	// IsJump reports whether the instruction is an unconditional jump to Targets()[0], so
	// that a block holding only it can be threaded away.
	IsJump() bool
	// Targets are the machine blocks a terminator may go to, in a slice the instruction
	// owns: jump threading rewrites it in place.
	Targets() []int32
}

// Block is one machine block: a range of Insts. Its edges and parameters are the Func's
// ([Func.BlockSuccs], [Func.BlockPreds], [Func.BlockParams], [Func.BranchArgs]).
type Block struct {
	Label      int32 // the IR block number, or a number past them for a split edge
	Start, End int32 // Insts[Start:End]
}

// NewVReg returns a new virtual register of type t, a temporary numbered after the IR's
// values.
func (f *Func[I, P]) NewVReg(t ir.Type) regalloc.VReg {
	f.VTypes = append(f.VTypes, t)
	return regalloc.VReg(len(f.VTypes) - 1)
}

// AddSucc records that machine block b goes to machine block s, passing args to its
// parameters. A terminator's targets are recorded in [Func.BlockSuccs] order. b must be
// the block [Func.Select] is filling: the edges are stored block after block.
func (f *Func[I, P]) AddSucc(b int, s int32, args []regalloc.VReg) {
	if b != len(f.succStart)-1 {
		panic(fmt.Sprintf("backend: AddSucc for block %d while selecting block %d", b, len(f.succStart)-1))
	}
	f.succs = append(f.succs, int(s))
	f.args = append(f.args, args...)
	f.argStart = append(f.argStart, int32(len(f.args)))
}

// ClassOf is the register class of values of type t. Both ISAs keep floats (and, later,
// v128) in their vector registers and everything else in general ones.
func ClassOf(t ir.Type) regalloc.Class {
	if t.IsFloat() || t == ir.V128 {
		return regalloc.ClassFloat
	}
	return regalloc.ClassInt
}

// NumBlocks implements [regalloc.Func].
func (f *Func[I, P]) NumBlocks() int { return len(f.Blocks) }

// BlockInstrs implements [regalloc.Func].
func (f *Func[I, P]) BlockInstrs(b int) (start, end int) {
	return int(f.Blocks[b].Start), int(f.Blocks[b].End)
}

// BlockPreds implements [regalloc.Func].
func (f *Func[I, P]) BlockPreds(b int) []int { return f.preds[f.predStart[b]:f.predStart[b+1]] }

// BlockSuccs implements [regalloc.Func].
func (f *Func[I, P]) BlockSuccs(b int) []int { return f.succs[f.succStart[b]:f.succStart[b+1]] }

// BlockParams implements [regalloc.Func].
func (f *Func[I, P]) BlockParams(b int) []regalloc.VReg {
	return f.params[f.paramStart[b]:f.paramStart[b+1]]
}

// BranchArgs implements [regalloc.Func].
func (f *Func[I, P]) BranchArgs(b, k int) []regalloc.VReg {
	e := int(f.succStart[b]) + k
	return f.args[f.argStart[e]:f.argStart[e+1]]
}

// NumVRegs implements [regalloc.Func].
func (f *Func[I, P]) NumVRegs() int { return len(f.VTypes) }

// VRegClass implements [regalloc.Func].
func (f *Func[I, P]) VRegClass(v regalloc.VReg) regalloc.Class { return ClassOf(f.VTypes[v]) }

// AppendOperands implements [regalloc.Func].
func (f *Func[I, P]) AppendOperands(i int, ops []regalloc.Operand) []regalloc.Operand {
	return append(ops, P(&f.Insts[i]).Operands()...)
}

// Clobbers implements [regalloc.Func]: calls destroy the caller-saved registers.
func (f *Func[I, P]) Clobbers(i int) regalloc.RegSet {
	if P(&f.Insts[i]).IsCall() {
		return f.CallClobbers
	}
	return regalloc.RegSet{}
}

// IsCopy implements [regalloc.Func].
func (f *Func[I, P]) IsCopy(i int) bool { return P(&f.Insts[i]).IsCopy() }

// Instr implements [regalloc.InstrReader].
func (f *Func[I, P]) Instr(i int) (ops []regalloc.Operand, clobbers regalloc.RegSet, isCopy bool) {
	ops, call, isCopy := P(&f.Insts[i]).Describe()
	if call {
		clobbers = f.CallClobbers
	}
	return ops, clobbers, isCopy
}

// Edges implements [regalloc.DenseFunc].
func (f *Func[I, P]) Edges() regalloc.Edges {
	return regalloc.Edges{
		PredStart: f.predStart, SuccStart: f.succStart, ParamStart: f.paramStart, ArgStart: f.argStart,
		Preds: f.preds, Succs: f.succs, Params: f.params, Args: f.args,
	}
}

// AppendClasses implements [regalloc.DenseFunc].
func (f *Func[I, P]) AppendClasses(cs []regalloc.Class) []regalloc.Class {
	for _, t := range f.VTypes {
		cs = append(cs, ClassOf(t))
	}
	return cs
}

// AppendInstrs implements [regalloc.DenseFunc], as [Func.Instr] describes each instruction.
func (f *Func[I, P]) AppendInstrs(l *regalloc.InstrList) {
	insts := f.Insts // not reloaded after each Describe, an indirect call (issue 21)
	for i := range insts {
		ops, call, isCopy := P(&insts[i]).Describe()
		var clobbers regalloc.RegSet
		if call {
			clobbers = f.CallClobbers
		}
		l.Add(ops, clobbers, isCopy)
	}
}
