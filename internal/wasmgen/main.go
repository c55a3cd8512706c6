package wasmgen

import "github.com/wasmc/wasmc/frontend"

// main emits the exported entry: call function 0, then hash memory, its size, the
// globals and the tables, and return both.
func (g *gen) main() {
	res := g.m.Types[0].Results
	typ := g.typeIndex(frontend.FuncType{Results: []frontend.ValType{res[0], frontend.I64}})
	g.m.Funcs = append(g.m.Funcs, frontend.Func{Type: uint32(typ)})
	f := &fgen{gen: g, idx: g.n, tmp: map[frontend.ValType]int{}}
	i, h := f.newLocal(frontend.I32), f.newLocal(frontend.I64)
	f.opIdx(frontend.OpCall, 0)
	f.op(frontend.OpI64Const)
	f.b = sleb(f.b, -3750763034362895579) // FNV-1a offset basis
	f.opIdx(frontend.OpLocalSet, h)
	mix := func() { // h = (h ^ top) * prime
		f.opIdx(frontend.OpLocalGet, h)
		f.op(opI64Xor)
		f.op(frontend.OpI64Const)
		f.b = sleb(f.b, 1099511628211)
		f.op(opI64Mul)
		f.opIdx(frontend.OpLocalSet, h)
	}
	// each runs body for i = 0, step, 2*step, … while i < the end that end pushes.
	each := func(step int32, end, body func()) {
		f.i32(0)
		f.opIdx(frontend.OpLocalSet, i)
		f.op(frontend.OpBlock)
		f.b = append(f.b, 0x40)
		f.op(frontend.OpLoop)
		f.b = append(f.b, 0x40)
		f.opIdx(frontend.OpLocalGet, i)
		end()
		f.op(opI32GeU)
		f.opIdx(frontend.OpBrIf, 1)
		body()
		f.opIdx(frontend.OpLocalGet, i)
		f.i32(step)
		f.op(opI32Add)
		f.opIdx(frontend.OpLocalSet, i)
		f.opIdx(frontend.OpBr, 0)
		f.op(frontend.OpEnd)
		f.op(frontend.OpEnd)
	}
	each(8, func() {
		f.op(frontend.OpMemorySize)
		f.b = append(f.b, 0)
		f.i32(16)
		f.op(opI32Shl)
	}, func() {
		f.opIdx(frontend.OpLocalGet, i)
		f.op(opI64Load)
		f.b = append(f.b, 3, 0)
		mix()
	})
	f.op(frontend.OpMemorySize)
	f.b = append(f.b, 0)
	f.op(opI64ExtendI32U)
	mix()
	for j, gl := range g.m.Globals {
		f.opIdx(frontend.OpGlobalGet, j)
		f.toI64(gl.Type.Type)
		mix()
	}
	for x := range g.m.Tables {
		f.opIdx(frontend.OpTableSize, x)
		f.op(opI64ExtendI32U)
		mix()
		each(1, func() { f.opIdx(frontend.OpTableSize, x) }, func() {
			f.opIdx(frontend.OpLocalGet, i)
			f.opIdx(frontend.OpTableGet, x)
			f.toI64(g.m.Tables[x].Elem)
			mix()
		})
	}
	f.opIdx(frontend.OpLocalGet, h)
	f.op(frontend.OpEnd)
	g.m.Codes = append(g.m.Codes, f.code())
}

// toI64 turns the value on top of the stack into an i64 of its (canonical) bits; of a
// reference, whether it is null.
func (f *fgen) toI64(t frontend.ValType) {
	switch t {
	case frontend.I32:
		f.op(opI64ExtendI32U)
	case frontend.F32:
		f.canon(t)
		f.op(opI32ReinterpretF32)
		f.op(opI64ExtendI32U)
	case frontend.F64:
		f.canon(t)
		f.op(opI64ReinterpretF64)
	case frontend.V128: // its two halves, the high one multiplied so that swapping them shows
		j, ok := f.tmp[t]
		if !ok {
			j = f.newLocal(t)
			f.tmp[t] = j
		}
		f.opIdx(frontend.OpLocalTee, j)
		f.op(opI64x2ExtractLane)
		f.b = append(f.b, 0)
		f.opIdx(frontend.OpLocalGet, j)
		f.op(opI64x2ExtractLane)
		f.b = append(f.b, 1)
		f.op(frontend.OpI64Const)
		f.b = sleb(f.b, 1099511628211)
		f.op(opI64Mul)
		f.op(opI64Xor)
	case frontend.FuncRef, frontend.ExternRef:
		f.op(frontend.OpRefIsNull)
		f.op(opI64ExtendI32U)
	}
}

// canon replaces a NaN on top of the stack by the positive canonical NaN.
func (f *fgen) canon(t frontend.ValType) {
	j, ok := f.tmp[t]
	if !ok {
		j = f.newLocal(t)
		f.tmp[t] = j
	}
	f.opIdx(frontend.OpLocalTee, j)
	if t == frontend.F32 {
		f.op(frontend.OpF32Const)
		f.b = le(f.b, 0x7FC00000, 4)
	} else {
		f.op(frontend.OpF64Const)
		f.b = le(f.b, 0x7FF8000000000000, 8)
	}
	f.opIdx(frontend.OpLocalGet, j)
	f.opIdx(frontend.OpLocalGet, j)
	if t == frontend.F32 {
		f.op(opF32Eq)
	} else {
		f.op(opF64Eq)
	}
	f.op(frontend.OpSelect)
}
