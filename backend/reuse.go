package backend

import (
	"sync"

	"github.com/wasmc/wasmc/regalloc"
)

// InstPool keeps the instruction arrays of encoded functions for the selection of the
// next ones (issue 21): a fresh array per function, of instructions that hold slices, was
// with Apply's larger copy a fifth of what the compiler allocated at -O0 on encoding/json's
// test binary, all of it zeroed, then scanned by the collector. An ISA keeps one pool,
// takes its selection's array from it ([InstPool.Get]) and gives it back once the function
// is encoded ([Func.RecycleInsts], through [Recycler]). The zero value is ready to use.
type InstPool[I any] struct{ p sync.Pool }

// reuseInstsMax is the most instructions an array may hold to go back to a pool: a huge
// function's would stay alive through the next function's selection and allocation, the
// compiler's peak (issue 19). 32,768 are past nearly every function of real programs.
const reuseInstsMax = 1 << 15

// Get returns an empty array with room for at least n instructions, one the pool holds
// if it is large enough.
func (p *InstPool[I]) Get(n int) []I {
	if s, ok := p.p.Get().(*[]I); ok && cap(*s) >= n {
		return *s
	}
	return make([]I, 0, n)
}

// put gives s, cleared up to its length and clean beyond it, back to the pool.
func (p *InstPool[I]) put(s []I) {
	if s == nil || cap(s) > reuseInstsMax {
		return
	}
	clear(s)
	s = s[:0]
	p.p.Put(&s)
}

// Recycler is a [MachineFunc] whose storage can serve the next function once it is
// encoded. [Compile] calls Recycle after Encode; the function is not used again.
type Recycler interface {
	Recycle()
}

// RecycleInsts gives f's instructions to p, and the chunks of their operand lists to the
// next selections, for an ISA's Recycle: f must be finished and
// encoded, and is of no more use. Apply and jump threading leave nothing past the
// instructions' length, so that only those need clearing.
func (f *Func[I, P]) RecycleInsts(p *InstPool[I]) {
	if f.Finished {
		p.put(f.Insts)
		f.Operands.recycle()
	}
	f.Insts, f.Operands = nil, OperandLists{}
}

// layoutPool holds the arrays of block layouts whose selection is done
// ([BlockLayout.Release]), for the next LayOutBlocks: each layout's dozen arrays (the
// edges, grown past their estimate by brtables, the most) were a ninth of what the
// compiler allocated at -O0 on encoding/json's test binary (issue 21).
var layoutPool sync.Pool // of *BlockLayout holding only arrays

// reuseBlocksMax is the most IR blocks, or edges, of a function whose layout arrays go
// back to the pool, for the reason of reuseInstsMax.
const reuseBlocksMax = 1 << 15

// newLayout returns a BlockLayout to fill, holding a released layout's arrays if the pool
// has one.
func newLayout() *BlockLayout {
	if l, ok := layoutPool.Get().(*BlockLayout); ok {
		return l
	}
	return &BlockLayout{}
}

// Release gives l's arrays to the next [LayOutBlocks], but for the parameters', which
// the [Func] it was selected into keeps (Func.Select): the selection that read l is done,
// and nothing may use l afterwards.
func (l *BlockLayout) Release() {
	if len(l.MBlock) > reuseBlocksMax || len(l.edges) > reuseBlocksMax {
		return
	}
	clear(l.edges) // the arguments, which are the body's
	*l = BlockLayout{
		MBlock: l.MBlock, BlockIR: l.BlockIR[:0], edges: l.edges[:0], edgeOf: l.edgeOf[:0],
		edgeLo: l.edgeLo, edgeHi: l.edgeHi, ofLo: l.ofLo, ofHi: l.ofHi, splitOf: l.splitOf[:0],
		reach: l.reach[:0], edgeFirst: l.edgeFirst, preds: l.preds, lastTo: l.lastTo, sameTo: l.sameTo[:0],
	}
	layoutPool.Put(l)
}

// resize returns a cleared slice of length n, in s's array when it is large enough.
func resize[T any](s []T, n int) []T {
	if cap(s) < n {
		return make([]T, n)
	}
	s = s[:n]
	clear(s)
	return s
}

// valuesPool holds the arrays of value analyses whose selection is done
// ([Values.Release]), for the next AnalyzeValues (issue 21).
var valuesPool sync.Pool // of *Values holding only arrays

// newValues returns a Values to fill, holding a released one's arrays if the pool has
// one; Unchecked is nil, its array in spare.
func newValues() Values {
	if v, ok := valuesPool.Get().(*Values); ok {
		return *v
	}
	return Values{}
}

// Release gives v's arrays to the next [AnalyzeValues]: the selection that read v is
// done, and nothing may use v afterwards.
func (v *Values) Release() {
	spare := v.Unchecked
	if spare == nil {
		spare = v.spare
	}
	if len(v.Uses) <= reuseValuesMax && len(spare) <= reuseValuesMax {
		valuesPool.Put(&Values{Uses: v.Uses[:0], Kind: v.Kind[:0], spare: spare[:0], fusers: v.fusers[:0]})
	}
	*v = Values{}
}

// reuseValuesMax is the most values (or instructions) of a function whose analysis's
// arrays go back to the pool, for the reason of reuseInstsMax.
const reuseValuesMax = 1 << 16

// edgeArrays are the arrays of a Func's edges and predecessors and Select's scratch for
// them, which Apply gives back once the blocks they describe are gone, for the next
// Select (issue 21: 4% of what the compiler allocated at -O0 on encoding/json's test
// binary). They hold no pointers, so they need no clearing.
type edgeArrays struct {
	succStart, argStart, predStart, next []int32
	succs, preds                         []int
	args                                 []regalloc.VReg
}

var edgePool sync.Pool // of *edgeArrays

// newEdgeArrays returns the arrays of an applied function, if the pool has them.
func newEdgeArrays() *edgeArrays {
	if e, ok := edgePool.Get().(*edgeArrays); ok {
		return e
	}
	return &edgeArrays{}
}

// recycleEdges gives f's edge arrays to the pool, unless they are a huge function's.
func (f *Func[I, P]) recycleEdges() {
	e := f.edgeArrays
	f.edgeArrays = nil
	if e == nil || len(f.succStart) > reuseBlocksMax || len(f.succs) > reuseBlocksMax || len(f.args) > reuseBlocksMax {
		return
	}
	e.succStart, e.argStart, e.predStart = f.succStart[:0], f.argStart[:0], f.predStart[:0]
	e.succs, e.preds, e.args = f.succs[:0], f.preds[:0], f.args[:0]
	edgePool.Put(e)
}
