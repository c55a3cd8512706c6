package wasmgen

import (
	"math"

	"github.com/wasmc/wasmc/frontend"
)

// constBytes encodes a constant instruction of type t with an interesting value; of a
// reference type, a null or a function.
func (g *gen) constBytes(t frontend.ValType) []byte {
	r := g.r
	switch t {
	case frontend.FuncRef, frontend.ExternRef:
		if t == frontend.FuncRef && r.IntN(2) == 0 {
			return uleb([]byte{byte(frontend.OpRefFunc)}, uint64(r.IntN(g.n)))
		}
		return []byte{byte(frontend.OpRefNull), byte(t)}
	case frontend.V128:
		return g.v128Const()
	case frontend.I32:
		v := []int64{0, 1, -1, 2, 7, 8, 31, 32, 33, 255, 0xFFFF, 0x10000, math.MaxInt32, math.MinInt32,
			int64(int32(r.Uint32())), int64(r.IntN(100))}[r.IntN(16)]
		return sleb([]byte{byte(frontend.OpI32Const)}, v)
	case frontend.I64:
		v := []int64{0, 1, -1, 2, 63, 64, 65, 0xFFFFFFFF, 1 << 32, math.MaxInt32, math.MinInt32,
			math.MaxInt64, math.MinInt64, int64(r.Uint64()), int64(r.IntN(100))}[r.IntN(15)]
		return sleb([]byte{byte(frontend.OpI64Const)}, v)
	case frontend.F32:
		var bits uint32
		if r.IntN(6) == 0 {
			bits = r.Uint32()
		} else {
			v := []float32{0, float32(math.Copysign(0, -1)), 1, -1, 0.5, -1.5, 2.5, 3.5,
				float32(math.Inf(1)), float32(math.Inf(-1)), float32(math.NaN()), math.MaxFloat32,
				math.SmallestNonzeroFloat32, 2147483648, -2147483904, 4294967296, 9.2233720e18, 1e10, 123.456}[r.IntN(19)]
			bits = math.Float32bits(v)
			if r.IntN(20) == 0 {
				bits = 0xFFC00001 // a negative NaN with a payload
			}
		}
		return le([]byte{byte(frontend.OpF32Const)}, uint64(bits), 4)
	case frontend.F64:
		var bits uint64
		if r.IntN(6) == 0 {
			bits = r.Uint64()
		} else {
			v := []float64{0, math.Copysign(0, -1), 1, -1, 0.5, -1.5, 2.5, 3.5, math.Inf(1), math.Inf(-1),
				math.NaN(), math.MaxFloat64, math.SmallestNonzeroFloat64, 2147483648, -2147483649,
				4294967296, 9223372036854775807, -9223372036854777856, 18446744073709551616, 1e-300, 123.456}[r.IntN(21)]
			bits = math.Float64bits(v)
			if r.IntN(20) == 0 {
				bits = 0xFFF8000000000001
			}
		}
		return le([]byte{byte(frontend.OpF64Const)}, bits, 8)
	}
	panic("wasmgen: no constant of type " + t.String())
}

// uleb and sleb append LEB128 integers.
var uleb, sleb = frontend.AppendULEB, frontend.AppendSLEB

func le(b []byte, v uint64, n int) []byte {
	for i := range n {
		b = append(b, byte(v>>(8*i)))
	}
	return b
}

func float32bits(v float32) uint32 { return math.Float32bits(v) }
func float64bits(v float64) uint64 { return math.Float64bits(v) }
