package wasmgen

import (
	"strings"

	"github.com/wasmc/wasmc/frontend"
)

// The SIMD instructions, from the frontend's opcode table, kept apart from the scalar
// tables so that a module generated without Config.SIMD draws exactly what it did before
// SIMD existed (a seed keeps naming the same module).
var (
	simdByResult = map[frontend.ValType][]frontend.Opcode{} // operators and lane ops
	simdLoads    []frontend.Opcode                          // i32 -> v128, and load_lane
	simdStores   []frontend.Opcode                          // v128.store and store_lane
	_            = simdTables()
)

func simdTables() bool {
	frontend.ForEachOp(func(op frontend.Opcode, info *frontend.OpInfo) {
		if op>>16 != frontend.PrefixSIMD || !info.Fixed || op == frontend.OpV128Const {
			return
		}
		switch {
		case info.Imm == frontend.ImmMemArg || info.Imm == frontend.ImmMemArgLane:
			if len(info.Out) == 1 {
				simdLoads = append(simdLoads, op)
			} else {
				simdStores = append(simdStores, op)
			}
		case len(info.Out) == 1:
			simdByResult[info.Out[0]] = append(simdByResult[info.Out[0]], op)
		}
	})
	return true
}

var (
	opI64x2ExtractLane = mustSIMD("i64x2.extract_lane")
	opF32x4Eq          = mustSIMD("f32x4.eq")
	opF64x2Eq          = mustSIMD("f64x2.eq")
	opV128Bitselect    = mustSIMD("v128.bitselect")
)

func mustSIMD(name string) frontend.Opcode {
	var found frontend.Opcode
	frontend.ForEachOp(func(op frontend.Opcode, info *frontend.OpInfo) {
		if op>>16 == frontend.PrefixSIMD && info.Name == name {
			found = op
		}
	})
	if found == 0 {
		panic("wasmgen: no opcode " + name)
	}
	return found
}

// simdOperator emits a SIMD instruction with result t (v128, or a scalar from a lane,
// any_true, all_true or bitmask).
func (f *fgen) simdOperator(t frontend.ValType, depth int) {
	ops := simdByResult[t]
	op := ops[f.r.IntN(len(ops))]
	info, _ := frontend.Info(op)
	for _, in := range info.In {
		f.expr(in, depth+1)
		// A scalar float's NaN bits are open; in a lane they become any lane type's bits.
		if in == frontend.F32 || in == frontend.F64 {
			f.canon(in)
		}
	}
	f.op(op)
	switch info.Imm {
	case frontend.ImmLane:
		f.b = append(f.b, byte(f.r.IntN(int(info.Lanes))))
	case frontend.ImmShuffle:
		for range 16 {
			f.b = append(f.b, byte(f.r.IntN(32)))
		}
	}
	f.canonShape(info)
}

// canonShape canonicalizes the NaN lanes of a v128 that info's instruction just produced
// as floats. A v128's lanes are read as any shape later (a NaN as f32 need not be one as
// f64), so it is canonicalized where it is produced, in the shape it was produced as.
// Comparisons give masks, and splat, replace_lane, abs, neg and copysign only move bits
// of operands already canonical, so they need none.
func (f *fgen) canonShape(info *frontend.OpInfo) {
	if len(info.Out) != 1 || info.Out[0] != frontend.V128 {
		return
	}
	shape, op, _ := strings.Cut(info.Name, ".")
	if shape != "f32x4" && shape != "f64x2" {
		return
	}
	for _, s := range []string{"eq", "ne", "lt", "gt", "le", "ge", "splat", "replace_lane", "abs", "neg"} {
		if op == s {
			return
		}
	}
	f.canonV128(shape == "f32x4")
}

// canonV128 replaces the NaN lanes of the v128 on top of the stack, as f32x4 lanes or as
// f64x2 lanes, by the positive canonical NaN.
func (f *fgen) canonV128(f32 bool) {
	j, ok := f.tmp[frontend.V128]
	if !ok {
		j = f.newLocal(frontend.V128)
		f.tmp[frontend.V128] = j
	}
	f.opIdx(frontend.OpLocalTee, j) // bitselect's first operand, kept where the mask is set
	f.op(frontend.OpV128Const)
	for i := range 16 {
		if f32 {
			f.b = le(f.b, 0x7FC00000>>(8*(i%4)), 1)
		} else {
			f.b = le(f.b, 0x7FF8000000000000>>(8*(i%8)), 1)
		}
	}
	f.opIdx(frontend.OpLocalGet, j)
	f.opIdx(frontend.OpLocalGet, j)
	if f32 {
		f.op(opF32x4Eq)
	} else {
		f.op(opF64x2Eq)
	}
	f.op(opV128Bitselect)
}

// simdLoad pushes a v128 loaded from memory, whole or in part.
func (f *fgen) simdLoad(depth int) {
	op := simdLoads[f.r.IntN(len(simdLoads))]
	info, _ := frontend.Info(op)
	f.address(depth)
	if info.Imm == frontend.ImmMemArgLane {
		f.expr(frontend.V128, depth+1)
	}
	f.op(op)
	f.memarg(op)
	if info.Imm == frontend.ImmMemArgLane {
		f.b = append(f.b, byte(f.r.IntN(int(info.Lanes))))
	}
}

// simdStore stores a v128, whole or one lane. Every v128 is canonical, so memory stays so.
func (f *fgen) simdStore(depth int) {
	op := simdStores[f.r.IntN(len(simdStores))]
	info, _ := frontend.Info(op)
	f.address(depth)
	f.expr(frontend.V128, depth+1)
	f.op(op)
	f.memarg(op)
	if info.Imm == frontend.ImmMemArgLane {
		f.b = append(f.b, byte(f.r.IntN(int(info.Lanes))))
	}
}

// v128Const encodes a v128.const: each lane, as one shape, an interesting constant of
// its scalar type, or random bytes. NaN constants are deterministic, so they stay.
func (g *gen) v128Const() []byte {
	b := uleb([]byte{byte(frontend.PrefixSIMD)}, uint64(frontend.OpV128Const&0xFFFF))
	if g.r.IntN(4) == 0 {
		for range 16 {
			b = append(b, byte(g.r.Uint32()))
		}
		return b
	}
	t := numTypes[g.r.IntN(4)]
	size := 4
	if t == frontend.I64 || t == frontend.F64 {
		size = 8
	}
	for range 16 / size {
		c := g.constBytes(t)
		if t == frontend.I32 || t == frontend.I64 { // LEB128: decode it back
			v, _ := decodeSLEB(c[1:])
			b = le(b, uint64(v), size)
		} else {
			b = append(b, c[1:]...)
		}
	}
	return b
}

func decodeSLEB(b []byte) (int64, int) {
	var v int64
	var shift uint
	for i, c := range b {
		v |= int64(c&0x7F) << shift
		shift += 7
		if c&0x80 == 0 {
			if shift < 64 && c&0x40 != 0 {
				v |= -1 << shift
			}
			return v, i + 1
		}
	}
	return v, len(b)
}
