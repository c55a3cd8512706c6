package wasmgen

import (
	"slices"

	"math"
	"strings"

	"github.com/wasmc/wasmc/frontend"
)

// The fixed-typed numeric instructions, from the frontend's opcode table, so that a new
// opcode there is generated without a change here.
var (
	opsByResult = map[frontend.ValType][]frontend.Opcode{} // operators (no immediates)
	loads       = map[frontend.ValType][]frontend.Opcode{}
	stores      []frontend.Opcode
	binary      = map[frontend.ValType][]frontend.Opcode{} // t, t -> t, never trapping, copysign aside
	opByName    = opTables()
)

// opTables fills the maps above and returns opByName; a function, not init, because the
// opcode variables below are initialized from it before any init runs.
func opTables() map[string]frontend.Opcode {
	byName := map[string]frontend.Opcode{}
	frontend.ForEachOp(func(op frontend.Opcode, info *frontend.OpInfo) {
		if op>>16 == frontend.PrefixSIMD || !info.Fixed {
			return
		}
		byName[info.Name] = op
		switch {
		case info.Imm == frontend.ImmMemArg && len(info.Out) == 1:
			loads[info.Out[0]] = append(loads[info.Out[0]], op)
		case info.Imm == frontend.ImmMemArg:
			stores = append(stores, op)
		case info.Imm == frontend.ImmNone && len(info.Out) == 1:
			t := info.Out[0]
			opsByResult[t] = append(opsByResult[t], op)
			if slices.Equal(info.In, []frontend.ValType{t, t}) && !strings.Contains(info.Name, "div_") &&
				!strings.Contains(info.Name, "rem_") && !strings.Contains(info.Name, "copysign") {
				binary[t] = append(binary[t], op)
			}
		}
	})
	return byName
}

func mustOp(name string) frontend.Opcode {
	op, ok := opByName[name]
	if !ok {
		panic("wasmgen: no opcode " + name)
	}
	return op
}

var (
	opI32Add            = mustOp("i32.add")
	opI32Sub            = mustOp("i32.sub")
	opI32And            = mustOp("i32.and")
	opI32Or             = mustOp("i32.or")
	opI32Shl            = mustOp("i32.shl")
	opI32GeU            = mustOp("i32.ge_u")
	opI32Eqz            = mustOp("i32.eqz")
	opI64Or             = mustOp("i64.or")
	opI64Xor            = mustOp("i64.xor")
	opI64Mul            = mustOp("i64.mul")
	opI64Load           = mustOp("i64.load")
	opI64ExtendI32U     = mustOp("i64.extend_i32_u")
	opI32ReinterpretF32 = mustOp("i32.reinterpret_f32")
	opI64ReinterpretF64 = mustOp("i64.reinterpret_f64")
	opF32Eq             = mustOp("f32.eq")
	opF64Eq             = mustOp("f64.eq")
	opF32Copysign       = mustOp("f32.copysign")
	opF64Copysign       = mustOp("f64.copysign")
)

// expr emits code that pushes one value of type t.
func (f *fgen) expr(t frontend.ValType, depth int) {
	f.budget--
	if depth >= f.cfg.Depth || f.budget <= 0 {
		f.leaf(t)
		return
	}
	k := f.r.IntN(22)
	if t.IsRef() && (k >= 4 && k < 12 || k >= 19) {
		f.refExpr(t, depth)
		return
	}
	switch {
	case k < 4:
		f.leaf(t)
	case k < 10:
		f.operator(t, depth)
	case k < 12:
		f.load(t, depth)
	case k == 12:
		f.expr(t, depth+1)
		f.expr(t, depth+1)
		f.expr(frontend.I32, depth+1)
		if t.IsRef() || f.r.IntN(3) == 0 {
			f.op(frontend.OpSelectT)
			f.b = append(f.b, 1, byte(t))
		} else {
			f.op(frontend.OpSelect)
		}
	case k < 15: // a block, if or loop, sometimes with parameters or more results
		var params, res []frontend.ValType
		if f.r.IntN(3) == 0 {
			params, res = f.blockSig()
		}
		f.structured(params, append([]frontend.ValType{t}, res...), depth)
		f.drops(len(res))
	case k == 15: // br_if as an expression: the value stays when the branch is not taken
		l := f.target([]frontend.ValType{t})
		if l < 0 {
			f.leaf(t)
			return
		}
		f.expr(t, depth+1)
		f.expr(frontend.I32, depth+1)
		f.opIdx(frontend.OpBrIf, l)
	case k < 18:
		if !f.callOne(t, depth) {
			f.leaf(t)
		}
	case k == 18:
		j := f.pickLocal(t)
		if j < 0 {
			f.leaf(t)
			return
		}
		f.expr(t, depth+1)
		f.opIdx(frontend.OpLocalTee, j)
	case t == frontend.I32 && k == 19:
		if f.r.IntN(2) == 0 {
			f.op(frontend.OpMemorySize)
			f.b = append(f.b, 0)
		} else {
			f.i32(int32(f.r.IntN(3)) - int32(f.r.IntN(2))*f.r.Int32()) // mostly 0..2 pages
			f.op(frontend.OpMemoryGrow)
			f.b = append(f.b, 0)
		}
	case t == frontend.I32:
		f.refI32(depth)
	default:
		f.operator(t, depth)
	}
}

// leaf pushes a constant, a local or a global of type t.
func (f *fgen) leaf(t frontend.ValType) {
	switch f.r.IntN(3) {
	case 0:
		if j := f.pickLocal(t); j >= 0 {
			f.opIdx(frontend.OpLocalGet, j)
			return
		}
	case 1:
		var ok []int
		for j, gl := range f.m.Globals {
			if gl.Type.Type == t {
				ok = append(ok, j)
			}
		}
		if len(ok) > 0 {
			f.opIdx(frontend.OpGlobalGet, ok[f.r.IntN(len(ok))])
			return
		}
	}
	f.b = append(f.b, f.constBytes(t)...)
}

func (f *fgen) pickLocal(t frontend.ValType) int {
	var ok []int
	for _, j := range f.free {
		if f.locals[j] == t {
			ok = append(ok, j)
		}
	}
	if len(ok) == 0 {
		return -1
	}
	return ok[f.r.IntN(len(ok))]
}

// transform changes the value of type t on top of the stack, or leaves it, without
// trapping: a block's parameter on its way to becoming its result.
func (f *fgen) transform(t frontend.ValType, depth int) {
	ops := binary[t]
	if len(ops) == 0 || f.r.IntN(3) == 0 {
		return
	}
	f.expr(t, depth+1)
	f.op(ops[f.r.IntN(len(ops))])
}

// operator emits a numeric instruction with result t. Most divisors are made non-zero and
// most trapping truncations get a small operand, so that programs usually run on past
// them; some get an operand chosen to trap (zero, MIN / -1, NaN, out of range), and the
// saturating truncations get those same operands.
func (f *fgen) operator(t frontend.ValType, depth int) {
	if t == frontend.V128 || f.cfg.SIMD && f.r.IntN(8) == 0 {
		f.simdOperator(t, depth)
		return
	}
	ops := opsByResult[t]
	op := ops[f.r.IntN(len(ops))]
	info, _ := frontend.Info(op)
	name := info.Name
	divide := strings.Contains(name, ".div_") || strings.Contains(name, ".rem_")
	trunc := strings.Contains(name, ".trunc_f") || strings.Contains(name, ".trunc_sat_")
	mode := f.r.IntN(8) // 0..5 safe, 6 any operand, 7 an operand chosen to trap
	if strings.Contains(name, "sat") && mode < 6 && f.r.IntN(2) == 0 {
		mode = 7
	}
	for i, in := range info.In {
		switch {
		case divide && mode == 7:
			f.b = append(f.b, f.divOperand(in, i)...)
		case trunc && mode == 7:
			f.b = append(f.b, f.badFloat(in)...)
		case divide && i == 1 && mode < 6:
			f.expr(in, depth+1)
			if in == frontend.I32 {
				f.i32(1)
				f.op(opI32Or)
			} else {
				f.op(frontend.OpI64Const)
				f.b = sleb(f.b, 1)
				f.op(opI64Or)
			}
		case trunc && mode < 6 && !strings.Contains(name, "sat"):
			f.b = append(f.b, f.smallFloat(in)...)
		default:
			f.expr(in, depth+1)
		}
		// Float bits become observable through reinterpret and copysign's sign.
		if in.String()[0] == 'f' && (strings.Contains(name, "reinterpret") || op == opF32Copysign && i == 1 || op == opF64Copysign && i == 1) {
			f.canon(in)
		}
	}
	f.op(op)
}

// divOperand is operand i of a division that traps: MIN / -1, or anything / 0.
func (f *fgen) divOperand(t frontend.ValType, i int) []byte {
	var v int64
	switch {
	case i == 0 && f.r.IntN(2) == 0:
		v = math.MinInt64
		if t == frontend.I32 {
			v = math.MinInt32
		}
	case i == 0:
		v = int64(f.r.IntN(1000)) - 500
	default:
		v = -int64(f.r.IntN(2)) // 0 or -1
	}
	if t == frontend.I32 {
		return sleb([]byte{byte(frontend.OpI32Const)}, v)
	}
	return sleb([]byte{byte(frontend.OpI64Const)}, v)
}

// badFloat is a float constant out of range for some truncations: NaN (an invalid
// conversion), infinities, the powers of two just past the integer types, -1 (integer
// overflows).
func (f *fgen) badFloat(t frontend.ValType) []byte {
	v := math.NaN()
	if f.r.IntN(3) > 0 {
		v = []float64{math.Inf(1), math.Inf(-1), 2147483648, -2147483904, -2147483649, 4294967296,
			9223372036854775808, -9223372036854777856, 18446744073709551616, -1, -0.99, 1e30}[f.r.IntN(12)]
	}
	if t == frontend.F32 {
		return le([]byte{byte(frontend.OpF32Const)}, uint64(float32bits(float32(v))), 4)
	}
	return le([]byte{byte(frontend.OpF64Const)}, float64bits(v), 8)
}

// smallFloat is a float constant that every trapping truncation accepts.
func (f *fgen) smallFloat(t frontend.ValType) []byte {
	v := []float64{0, 1, 2.5, 99.75, -0.5, 65535.9}[f.r.IntN(6)]
	if t == frontend.F32 {
		return le([]byte{byte(frontend.OpF32Const)}, uint64(float32bits(float32(v))), 4)
	}
	return le([]byte{byte(frontend.OpF64Const)}, float64bits(v), 8)
}

// address pushes an address: mostly in the first page, sometimes anywhere (out of bounds
// unless memory has grown that far), sometimes a few bytes before the end of memory as it
// is now, where an access may straddle the end (the guard pages' edge).
func (f *fgen) address(depth int) {
	switch f.r.IntN(16) {
	case 0:
		f.expr(frontend.I32, depth+1)
	case 1:
		f.memoryEnd(int32([]int{0, 1, 2, 3, 4, 6, 7, 8, 9, 16, 64, 80, 128}[f.r.IntN(13)]))
	case 2, 3:
		f.i32(int32([]int{0, 1, 7, 65528, 65532, 65535, 65536, 131064, 1 << 30}[f.r.IntN(9)]))
	default:
		f.expr(frontend.I32, depth+1)
		f.i32(0xFFF)
		f.op(opI32And)
	}
}

// memarg appends an alignment up to natural and an offset, rarely one that is out of bounds.
func (f *fgen) memarg(op frontend.Opcode) {
	info, _ := frontend.Info(op)
	f.b = uleb(f.b, uint64(f.r.IntN(int(info.Align)+1)))
	off := 0
	switch f.r.IntN(20) {
	case 0:
		off = []int{65535, 65536, 0x7FFFFFFF, 0xFFFFFFFF}[f.r.IntN(4)]
	case 1, 2, 3, 4, 5, 6:
		off = f.r.IntN(64)
	}
	f.b = uleb(f.b, uint64(off))
}

// memoryEnd pushes the address k bytes before the end of memory.
func (f *fgen) memoryEnd(k int32) {
	f.op(frontend.OpMemorySize)
	f.b = append(f.b, 0)
	f.i32(16)
	f.op(opI32Shl)
	f.i32(k)
	f.op(opI32Sub)
}

func (f *fgen) load(t frontend.ValType, depth int) {
	if t == frontend.V128 {
		f.simdLoad(depth)
		return
	}
	ls := loads[t]
	op := ls[f.r.IntN(len(ls))]
	f.address(depth)
	f.op(op)
	f.memarg(op)
}

func (f *fgen) store(depth int) {
	if f.cfg.SIMD && f.r.IntN(4) == 0 {
		f.simdStore(depth)
		return
	}
	op := stores[f.r.IntN(len(stores))]
	info, _ := frontend.Info(op)
	f.address(depth)
	v := info.In[1]
	f.expr(v, depth+1)
	if v == frontend.F32 || v == frontend.F64 {
		f.canon(v)
	}
	f.op(op)
	f.memarg(op)
}
