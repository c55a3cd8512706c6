package wasmgen

import (
	"slices"

	"github.com/wasmc/wasmc/frontend"
)

// label is one enclosing block: what a branch to it carries, and whether it is a loop
// (whose only branch is the counted back edge).
type label struct {
	res  []frontend.ValType
	loop bool
}

// fgen generates one function body.
type fgen struct {
	*gen
	idx    int
	b      []byte
	locals []frontend.ValType // parameters, then declared locals
	nparam int
	free   []int // locals that random code may read and write (not loop counters)
	labels []label
	budget int
	tmp    map[frontend.ValType]int // scratch local per float type, for canon
}

func (g *gen) function(i int) frontend.Code {
	ft := g.m.Types[i]
	f := &fgen{gen: g, idx: i, budget: g.cfg.Size, tmp: map[frontend.ValType]int{}}
	f.locals = append(f.locals, ft.Params...)
	f.nparam = len(ft.Params)
	for range 1 + g.r.IntN(4) { // at least one, for setLocal
		f.locals = append(f.locals, g.valType())
	}
	for j := range f.locals {
		f.free = append(f.free, j)
	}
	f.labels = []label{{res: ft.Results}}
	f.body(nil, ft.Results, 0)
	f.op(frontend.OpEnd)
	return f.code()
}

func (f *fgen) code() frontend.Code {
	c := frontend.Code{Body: f.b}
	for _, t := range f.locals[f.nparam:] {
		c.Locals = append(c.Locals, frontend.LocalDecl{Count: 1, Type: t})
	}
	return c
}

func (f *fgen) newLocal(t frontend.ValType) int {
	f.locals = append(f.locals, t)
	return len(f.locals) - 1
}

func (f *fgen) op(o frontend.Opcode) {
	if o>>16 != 0 {
		f.b = append(f.b, byte(o>>16))
		f.b = uleb(f.b, uint64(o&0xFFFF))
		return
	}
	f.b = append(f.b, byte(o))
}

func (f *fgen) opIdx(o frontend.Opcode, idx int) {
	f.op(o)
	f.b = uleb(f.b, uint64(idx))
}

func (f *fgen) i32(v int32) {
	f.op(frontend.OpI32Const)
	f.b = sleb(f.b, int64(v))
}

func (f *fgen) drops(n int) {
	for range n {
		f.op(frontend.OpDrop)
	}
}

// blockType appends the block type of a block from params to res: a value type when it
// can, else a type index.
func (f *fgen) blockType(params, res []frontend.ValType) {
	switch {
	case len(params) == 0 && len(res) == 0:
		f.b = append(f.b, byte(frontend.BlockEmpty&0x7F))
	case len(params) == 0 && len(res) == 1:
		f.b = append(f.b, byte(res[0]))
	default:
		f.b = sleb(f.b, int64(f.typeIndex(frontend.FuncType{Params: params, Results: res})))
	}
}

// blockSig picks a block's parameters and results: mostly none and none or one, as real
// code has, sometimes several.
func (f *fgen) blockSig() (params, res []frontend.ValType) {
	if f.r.IntN(3) == 0 {
		params = f.types(3)
	}
	if f.r.IntN(3) == 0 {
		res = f.types(3)
	} else if f.r.IntN(2) == 0 {
		res = []frontend.ValType{f.valType()}
	}
	return params, res
}

// body emits the inside of a block whose params are on the stack: statements, then either
// res's values or a terminator. When params and res agree, the params may stay on the
// stack to become the results, the top one changed on the way.
func (f *fgen) body(params, res []frontend.ValType, depth int) {
	keep := len(params) > 0 && slices.Equal(params, res) && f.r.IntN(2) == 0
	if !keep {
		f.consume(params)
	}
	for range f.r.IntN(4) {
		f.stmt(depth)
	}
	if f.r.IntN(10) == 0 {
		f.terminator(depth)
		return
	}
	if keep {
		f.transform(res[len(res)-1], depth)
		return
	}
	f.values(res, depth)
}

// consume pops the values of ts, keeping some in new locals that later code may read.
func (f *fgen) consume(ts []frontend.ValType) {
	for i := len(ts) - 1; i >= 0; i-- {
		if f.r.IntN(2) == 0 {
			f.op(frontend.OpDrop)
			continue
		}
		j := f.newLocal(ts[i])
		f.opIdx(frontend.OpLocalSet, j)
		f.free = append(f.free, j)
	}
}

// values emits code that pushes values of the types ts: one expression each, or one
// instruction with several results (a call, a block).
func (f *fgen) values(ts []frontend.ValType, depth int) {
	if len(ts) > 0 && depth < f.cfg.Depth && f.budget > 0 {
		switch f.r.IntN(8) {
		case 0:
			if _, ok := f.call(depth, func(rs []frontend.ValType) bool { return slices.Equal(rs, ts) }); ok {
				return
			}
		case 1:
			params, _ := f.blockSig()
			f.structured(params, ts, depth)
			return
		}
	}
	for _, t := range ts {
		f.expr(t, depth+1)
	}
}

// structured emits a block, if or loop from params to res.
func (f *fgen) structured(params, res []frontend.ValType, depth int) {
	switch f.r.IntN(3) {
	case 0:
		f.block(params, res, depth)
	case 1:
		f.ifElse(params, res, depth)
	default:
		f.loop(params, res, depth)
	}
}

// terminator emits an instruction after which the stack is polymorphic.
func (f *fgen) terminator(depth int) {
	switch f.r.IntN(8) {
	case 0:
		if f.r.IntN(4) == 0 { // rare: most programs should run to the end
			f.op(frontend.OpUnreachable)
			return
		}
		fallthrough
	case 1:
		f.values(f.labels[0].res, depth+1)
		f.op(frontend.OpReturn)
	case 2, 3, 4:
		l := f.target(nil)
		f.values(f.labels[len(f.labels)-1-l].res, depth+1)
		f.opIdx(frontend.OpBr, l)
	default:
		l := f.target(nil)
		res := f.labels[len(f.labels)-1-l].res
		var ts []int
		for j := range f.labels {
			if d := len(f.labels) - 1 - j; !f.labels[j].loop && slices.Equal(f.labels[j].res, res) {
				ts = append(ts, d)
			}
		}
		f.values(res, depth+1)
		f.expr(frontend.I32, depth+1)
		k := 1 + f.r.IntN(4)
		f.op(frontend.OpBrTable)
		f.b = uleb(f.b, uint64(k))
		for range k {
			f.b = uleb(f.b, uint64(ts[f.r.IntN(len(ts))]))
		}
		f.b = uleb(f.b, uint64(l))
	}
}

// target picks a non-loop label, relative to the innermost, whose results are res (any
// results when res is nil and most labels qualify).
func (f *fgen) target(res []frontend.ValType) int {
	var ok []int
	for j := range f.labels {
		if !f.labels[j].loop && (res == nil || slices.Equal(f.labels[j].res, res)) {
			ok = append(ok, len(f.labels)-1-j)
		}
	}
	if len(ok) == 0 {
		return -1
	}
	return ok[f.r.IntN(len(ok))]
}

// stmt emits code that leaves the stack as it found it.
func (f *fgen) stmt(depth int) {
	f.budget--
	if depth >= f.cfg.Depth || f.budget <= 0 {
		f.setLocal(depth)
		return
	}
	switch f.r.IntN(17) {
	case 0, 1:
		f.setLocal(depth)
	case 2:
		f.setGlobal(depth)
	case 3, 4:
		f.store(depth)
	case 5:
		ts := f.types(3)
		f.values(ts, depth+1)
		f.drops(len(ts))
	case 6, 7, 8:
		var params, res []frontend.ValType
		if f.r.IntN(3) == 0 {
			params, res = f.blockSig()
		}
		f.structured(params, res, depth)
		f.drops(len(res))
	case 9: // br_if: the values stay when the branch is not taken
		l := f.target(nil)
		res := f.labels[len(f.labels)-1-l].res
		f.values(res, depth+1)
		f.expr(frontend.I32, depth+1)
		f.opIdx(frontend.OpBrIf, l)
		f.drops(len(res))
	case 10:
		rs, _ := f.call(depth, func([]frontend.ValType) bool { return true })
		f.drops(len(rs))
	case 11:
		f.expr(frontend.I32, depth+1)
		f.op(frontend.OpMemoryGrow)
		f.b = append(f.b, 0)
		f.op(frontend.OpDrop)
	case 12, 13:
		f.bulkMemory(depth)
	case 14, 15:
		f.tableStmt(depth)
	default:
		f.op(frontend.OpNop)
	}
}

func (f *fgen) setLocal(depth int) {
	j := f.free[f.r.IntN(len(f.free))]
	f.expr(f.locals[j], depth+1)
	f.opIdx(frontend.OpLocalSet, j)
}

// setGlobal sets a mutable global other than the fuel, which only indirect calls change.
func (f *fgen) setGlobal(depth int) {
	var ok []int
	for j, gl := range f.m.Globals {
		if gl.Type.Mutable && j != f.fuel {
			ok = append(ok, j)
		}
	}
	if len(ok) == 0 {
		f.setLocal(depth)
		return
	}
	j := ok[f.r.IntN(len(ok))]
	f.expr(f.m.Globals[j].Type.Type, depth+1)
	f.opIdx(frontend.OpGlobalSet, j)
}

func (f *fgen) block(params, res []frontend.ValType, depth int) {
	f.values(params, depth+1)
	f.op(frontend.OpBlock)
	f.blockType(params, res)
	f.labels = append(f.labels, label{res: res})
	f.body(params, res, depth+1)
	f.labels = f.labels[:len(f.labels)-1]
	f.op(frontend.OpEnd)
}

// ifElse emits an if, with an else unless its absence is valid (params equal to results)
// and a coin says so.
func (f *fgen) ifElse(params, res []frontend.ValType, depth int) {
	f.values(params, depth+1)
	f.expr(frontend.I32, depth+1)
	f.op(frontend.OpIf)
	f.blockType(params, res)
	f.labels = append(f.labels, label{res: res})
	f.body(params, res, depth+1)
	if !slices.Equal(params, res) || f.r.IntN(2) == 0 {
		f.op(frontend.OpElse)
		f.body(params, res, depth+1)
	}
	f.labels = f.labels[:len(f.labels)-1]
	f.op(frontend.OpEnd)
}

// loop emits a loop that runs 1..4 times: its back edge is a br_if on a private counter,
// sometimes and'ed with a random condition, and carries new values of the parameters.
func (f *fgen) loop(params, res []frontend.ValType, depth int) {
	c := f.newLocal(frontend.I32)
	f.i32(int32(1 + f.r.IntN(4)))
	f.opIdx(frontend.OpLocalSet, c)
	f.values(params, depth+1)
	f.op(frontend.OpLoop)
	f.blockType(params, res)
	f.labels = append(f.labels, label{res: params, loop: true})
	f.consume(params)
	for range 1 + f.r.IntN(3) {
		f.stmt(depth + 1)
	}
	f.values(params, depth+1)
	f.opIdx(frontend.OpLocalGet, c)
	f.i32(1)
	f.op(opI32Sub)
	f.opIdx(frontend.OpLocalTee, c)
	if f.r.IntN(3) == 0 {
		f.expr(frontend.I32, depth+1)
		f.op(opI32And)
	}
	f.opIdx(frontend.OpBrIf, 0)
	if !slices.Equal(params, res) || f.r.IntN(2) == 0 {
		f.drops(len(params))
		f.values(res, depth+1)
	}
	f.labels = f.labels[:len(f.labels)-1]
	f.op(frontend.OpEnd)
}
