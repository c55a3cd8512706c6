package wasmgen

import "github.com/wasmc/wasmc/frontend"

// bulkMemory emits memory.fill, memory.copy (overlapping either way, or anywhere),
// memory.init or data.drop, with lengths mostly in bounds; under Config.Bare, only
// data.drop or a store.
func (f *fgen) bulkMemory(depth int) {
	k := f.r.IntN(8)
	if len(f.m.Datas) == 0 && k >= 5 {
		k = 0
	}
	if f.cfg.Bare && k < 7 || len(f.m.Datas) == 0 && k == 7 {
		f.store(depth)
		return
	}
	switch k {
	case 0, 1:
		f.address(depth)
		f.expr(frontend.I32, depth+1)
		f.count(64, depth)
		f.op(frontend.OpMemoryFill)
		f.b = append(f.b, 0)
	case 2, 3: // dst and src 16 bytes apart at most, so that the ranges mostly overlap
		a := f.r.IntN(4096)
		f.i32(int32(max(0, a+f.r.IntN(33)-16)))
		f.i32(int32(a))
		f.count(48, depth)
		f.op(frontend.OpMemoryCopy)
		f.b = append(f.b, 0, 0)
	case 4:
		f.address(depth)
		f.address(depth)
		f.count(64, depth)
		f.op(frontend.OpMemoryCopy)
		f.b = append(f.b, 0, 0)
	case 5, 6:
		d := f.r.IntN(len(f.m.Datas))
		for range 4 { // mostly a passive segment: instantiation drops the active ones
			if f.m.Datas[d].Mode == frontend.SegPassive {
				break
			}
			d = f.r.IntN(len(f.m.Datas))
		}
		n := len(f.m.Datas[d].Init)
		src := f.r.IntN(n + 1)
		f.address(depth)
		f.i32(int32(src))
		f.count(n-src, depth)
		f.opIdx(frontend.OpMemoryInit, d)
		f.b = append(f.b, 0)
	default:
		f.opIdx(frontend.OpDataDrop, f.r.IntN(len(f.m.Datas)))
	}
}
