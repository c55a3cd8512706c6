package wasmgen

import "github.com/wasmc/wasmc/frontend"

// refExpr pushes a reference of type t: a table's slot, a function, a null, a local or a
// global.
func (f *fgen) refExpr(t frontend.ValType, depth int) {
	switch f.r.IntN(3) {
	case 0:
		if x := f.pickTable(f.tablesOf(t)); x >= 0 {
			f.tableIndex(x, depth)
			f.opIdx(frontend.OpTableGet, x)
			return
		}
	case 1:
		if t == frontend.FuncRef {
			f.opIdx(frontend.OpRefFunc, f.r.IntN(f.n))
			return
		}
	}
	f.leaf(t)
}

// tablesOf returns the tables whose elements have type t.
func (f *fgen) tablesOf(t frontend.ValType) []int {
	var xs []int
	for x, tt := range f.m.Tables {
		if tt.Elem == t {
			xs = append(xs, x)
		}
	}
	return xs
}

// elemsOf returns element segments of type t for table.init: mostly the passive ones,
// since instantiation drops the others, whose table.init then traps unless it copies
// nothing.
func (f *fgen) elemsOf(t frontend.ValType) []int {
	var es, passive []int
	for e, el := range f.m.Elems {
		if el.Type == t {
			es = append(es, e)
			if el.Mode == frontend.SegPassive {
				passive = append(passive, e)
			}
		}
	}
	if len(passive) > 0 && f.r.IntN(8) > 0 {
		return passive
	}
	return es
}

func (f *fgen) refType() frontend.ValType {
	if f.r.IntN(2) == 0 {
		return frontend.FuncRef
	}
	return frontend.ExternRef
}

// refI32 pushes an i32 that a reference or a table gives: ref.is_null, table.size,
// table.grow.
func (f *fgen) refI32(depth int) {
	x := f.r.IntN(len(f.m.Tables))
	switch f.r.IntN(4) {
	case 0:
		f.opIdx(frontend.OpTableSize, x)
	case 1:
		if !f.cfg.Bare {
			f.tableGrow(x, depth)
			return
		}
		fallthrough
	default:
		f.expr(f.refType(), depth+1)
		f.op(frontend.OpRefIsNull)
	}
}

// tableGrow pushes table.grow's result: the old size, or -1 past the maximum.
func (f *fgen) tableGrow(x, depth int) {
	f.expr(f.m.Tables[x].Elem, depth+1)
	if f.r.IntN(8) == 0 {
		f.expr(frontend.I32, depth+1)
	} else {
		f.i32(int32(f.r.IntN(3)))
	}
	f.opIdx(frontend.OpTableGrow, x)
}

// pickTable picks one of the tables xs, mostly one that had slots from the start; -1,
// mostly, if all start empty (every index into them traps until they grow).
func (f *fgen) pickTable(xs []int) int {
	var full []int
	for _, x := range xs {
		if f.m.Tables[x].Limits.Min > 0 {
			full = append(full, x)
		}
	}
	switch {
	case len(full) > 0 && f.r.IntN(8) > 0:
		return full[f.r.IntN(len(full))]
	case len(xs) == 0 || len(full) == 0 && f.r.IntN(4) > 0:
		return -1
	}
	return xs[f.r.IntN(len(xs))]
}

// tableIndex pushes an index into table x: mostly a slot it has had from the start, or
// one near its current end, where the last slot is in bounds and the next is not.
func (f *fgen) tableIndex(x, depth int) {
	size := int(f.m.Tables[x].Limits.Min)
	switch k := f.r.IntN(16); {
	case k == 0:
		f.expr(frontend.I32, depth+1)
		f.i32(7)
		f.op(opI32And)
	case k < 3 || size == 0:
		f.opIdx(frontend.OpTableSize, x)
		f.i32(int32(1 + f.r.IntN(2) - f.r.IntN(2)))
		f.op(opI32Sub)
	default:
		f.i32(int32(f.r.IntN(size)))
	}
}

// half is half table x's initial size: a bulk operation starts at most there and spans
// at most that much, so that it stays in bounds unless its operands say otherwise.
func (f *fgen) half(x int) int { return int(f.m.Tables[x].Limits.Min) / 2 }

// tableStart pushes where a bulk operation on table x starts: mostly in its first half.
func (f *fgen) tableStart(x, depth int) {
	if f.r.IntN(8) == 0 {
		f.tableIndex(x, depth)
		return
	}
	f.i32(int32(f.r.IntN(f.half(x) + 1)))
}

// count pushes the length of a bulk operation: mostly at most small, now and then
// more or anything.
func (f *fgen) count(small int, depth int) {
	switch f.r.IntN(24) {
	case 0:
		f.expr(frontend.I32, depth+1)
	case 1:
		f.i32(int32(small + 1 + f.r.IntN(4)))
	default:
		f.i32(int32(f.r.IntN(small + 1)))
	}
}

// tableStmt emits an instruction that changes a table or drops an element segment.
func (f *fgen) tableStmt(depth int) {
	x := f.pickTable(f.tablesOf(f.refType()))
	if x < 0 {
		x = 0 // funcref, never empty
	}
	et := f.m.Tables[x].Elem
	k := f.r.IntN(8)
	if f.cfg.Bare && k >= 2 && k < 7 {
		k = 0
	}
	switch k {
	case 0, 1:
		f.tableIndex(x, depth)
		f.expr(et, depth+1)
		f.opIdx(frontend.OpTableSet, x)
	case 2:
		f.tableStart(x, depth)
		f.expr(et, depth+1)
		f.count(f.half(x), depth)
		f.opIdx(frontend.OpTableFill, x)
	case 3:
		y := f.pickTable(f.tablesOf(et))
		if y < 0 {
			y = x
		}
		f.tableStart(x, depth)
		f.tableStart(y, depth)
		f.count(min(f.half(x), f.half(y)), depth)
		f.opIdx(frontend.OpTableCopy, x)
		f.b = uleb(f.b, uint64(y))
	case 4, 5:
		es := f.elemsOf(et)
		if len(es) == 0 {
			f.tableIndex(x, depth)
			f.expr(et, depth+1)
			f.opIdx(frontend.OpTableSet, x)
			return
		}
		e := es[f.r.IntN(len(es))]
		n := f.m.Elems[e].Len()
		src := f.r.IntN(n + 1)
		f.tableStart(x, depth)
		f.i32(int32(src))
		f.count(min(n-src, f.half(x)), depth)
		f.opIdx(frontend.OpTableInit, e)
		f.b = uleb(f.b, uint64(x))
	case 6:
		f.tableGrow(x, depth)
		f.op(frontend.OpDrop)
	default:
		f.opIdx(frontend.OpElemDrop, f.r.IntN(len(f.m.Elems)))
	}
}
