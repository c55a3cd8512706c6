package wasmgen

import "github.com/wasmc/wasmc/frontend"

// call calls, directly or through a table, a function of higher index whose results
// match says, and returns its results, left on the stack; false if no function matches.
func (f *fgen) call(depth int, match func([]frontend.ValType) bool) ([]frontend.ValType, bool) {
	var ok []int
	for j := f.idx + 1; j < f.n; j++ {
		if match(f.m.Types[j].Results) {
			ok = append(ok, j)
		}
	}
	if len(ok) == 0 {
		return nil, false
	}
	j := ok[f.r.IntN(len(ok))]
	for _, t := range f.m.Types[j].Params {
		f.expr(t, depth+1)
	}
	if f.r.IntN(2) == 0 {
		f.opIdx(frontend.OpCall, j)
	} else {
		f.callIndirect(j, depth)
	}
	return f.m.Types[j].Results, true
}

// callOne calls a function whose first result is want, keeping that result only.
func (f *fgen) callOne(want frontend.ValType, depth int) bool {
	rs, ok := f.call(depth, func(rs []frontend.ValType) bool { return len(rs) > 0 && rs[0] == want })
	f.drops(len(rs) - 1)
	return ok
}

// callIndirect calls with function j's type, its arguments on the stack. Through table 0,
// whose slots start as the functions at their own index, the slot is mostly j's, but may
// be another higher one (a signature mismatch unless the types agree), a null slot, or out
// of bounds; code may have stored any function there since, or in the other funcref
// tables, which are called at small indices. The fuel bounds the calls, whatever the
// tables hold.
func (f *fgen) callIndirect(j, depth int) {
	x := 0
	if f.r.IntN(3) == 0 {
		x = max(0, f.pickTable(f.tablesOf(frontend.FuncRef)[1:]))
	}
	if x > 0 {
		f.tableIndex(x, depth)
	} else {
		switch f.r.IntN(8) {
		case 0:
			f.expr(frontend.I32, depth+1)
			f.i32(3)
			f.op(opI32And)
			f.i32(int32(f.idx + 1))
			f.op(opI32Add)
		case 1:
			f.i32(int32(f.idx + 1 + f.r.IntN(f.n+3-f.idx)))
		default:
			f.i32(int32(j))
		}
	}
	// if fuel == 0 { unreachable }; fuel--
	f.opIdx(frontend.OpGlobalGet, f.fuel)
	f.op(opI32Eqz)
	f.op(frontend.OpIf)
	f.blockType(nil, nil)
	f.op(frontend.OpUnreachable)
	f.op(frontend.OpEnd)
	f.opIdx(frontend.OpGlobalGet, f.fuel)
	f.i32(1)
	f.op(opI32Sub)
	f.opIdx(frontend.OpGlobalSet, f.fuel)
	f.op(frontend.OpCallIndirect)
	f.b = uleb(f.b, uint64(j)) // type j is function j's
	f.b = uleb(f.b, uint64(x))
}
