package ir

import (
	"bytes"
	le "encoding/binary"
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
)

// slpCases are loops in the shape clang leaves a loop it unrolled for wasm without
// SIMD: one block, a counter stepping by the unrolled width, addresses invariant +
// counter + constant. Each function takes the bases of its streams, the counter's start
// and its bound, so the test can make the streams overlap, the trip count inexact, the
// addresses wrap and the accesses run off the end of memory.
var slpCases = []struct {
	name      string
	vectorize bool // whether SLP must pack the loop
	src       string
}{
	{"f64_axpy", true, `
memory mem0 min 1
func $f(i32, i32, i32, i32, f64) -> i32 {
b0(v0:i32, v1:i32, v2:i32, v3:i32, v4:f64):
    v20:i32 = iconst 8
    jump b1(v2)
b1(v5:i32):
    v6:i32 = iadd v0, v5
    v7:i32 = iadd v1, v5
    boundscheck mem0, v7, 8
    v8:f64 = load mem0[v7 + 0]
    v9:f64 = fmul v4, v8
    boundscheck mem0, v6, 8
    v10:f64 = load mem0[v6 + 0]
    v11:f64 = fadd v9, v10
    store mem0[v6 + 0], v11
    v12:i32 = iadd v6, v20
    v13:i32 = iadd v7, v20
    boundscheck mem0, v13, 8
    v14:f64 = load mem0[v13 + 0]
    v15:f64 = fmul v4, v14
    boundscheck mem0, v12, 8
    v16:f64 = load mem0[v12 + 0]
    v17:f64 = fadd v15, v16
    store mem0[v12 + 0], v17
    v18:i32 = iconst 16
    v19:i32 = iadd v5, v18
    v21:i32 = icmp ne v19, v3
    brif v21, b1(v19), b2
b2:
    return v19
}
`},
	{"i32_three_streams", true, `
memory mem0 min 1
func $f(i32, i32, i32, i32, i32, i32) -> i32 {
b0(v0:i32, v1:i32, v2:i32, v3:i32, v4:i32, v5:i32):
    jump b1(v3, v2)
b1(v6:i32, v7:i32):
    v8:i32 = iadd v1, v6
    v9:i32 = iadd v0, v6
    boundscheck mem0, v8, 16
    boundscheck mem0, v9, 16
    v10:i32 = load mem0[v8 + 0]
    v11:i32 = load mem0[v9 + 0]
    v12:i32 = imul v10, v5
    v13:i32 = iadd v12, v11
    v40:i32 = iconst 1
    v14:i32 = iadd v13, v40
    v15:i32 = copy v7
    store mem0[v15 + 0], v14
    v16:i32 = load mem0[v8 + 4]
    v17:i32 = load mem0[v9 + 4]
    v18:i32 = imul v16, v5
    v19:i32 = iadd v18, v17
    v41:i32 = iconst 2
    v20:i32 = iadd v19, v41
    store mem0[v15 + 4], v20
    v21:i32 = load mem0[v8 + 8]
    v22:i32 = load mem0[v9 + 8]
    v23:i32 = imul v21, v5
    v24:i32 = iadd v23, v22
    v42:i32 = iconst 3
    v25:i32 = iadd v24, v42
    store mem0[v15 + 8], v25
    v26:i32 = load mem0[v8 + 12]
    v27:i32 = load mem0[v9 + 12]
    v28:i32 = imul v26, v5
    v29:i32 = iadd v28, v27
    v43:i32 = iconst 4
    v30:i32 = iadd v29, v43
    store mem0[v15 + 12], v30
    v31:i32 = iconst 16
    v32:i32 = iadd v6, v31
    v33:i32 = iadd v7, v31
    v34:i32 = icmp eq v32, v4
    brif v34, b2, b1(v32, v33)
b2:
    v35:i32 = isub v33, v32
    return v35
}
`},
	{"f32_live_out", true, `
memory mem0 min 1
func $f(i32, i32, i32, i32, f32) -> i32 {
b0(v0:i32, v1:i32, v2:i32, v3:i32, v4:f32):
    v50:i32 = iconst 0
    jump b1(v2, v50)
b1(v5:i32, v6:i32):
    v7:i32 = iadd v0, v5
    v8:i32 = iadd v1, v5
    v9:f32 = load mem0[v8 + 0]
    v10:f32 = load mem0[v8 + 4]
    v11:f32 = load mem0[v8 + 8]
    v12:f32 = load mem0[v8 + 12]
    v13:f32 = fsub v9, v4
    v14:f32 = fsub v10, v4
    v15:f32 = fsub v11, v4
    v16:f32 = fsub v12, v4
    v17:f32 = fneg v13
    v18:f32 = fneg v14
    v19:f32 = fneg v15
    v20:f32 = fneg v16
    boundscheck mem0, v7, 16
    store mem0[v7 + 0], v17
    store mem0[v7 + 4], v18
    store mem0[v7 + 8], v19
    store mem0[v7 + 12], v20
    v21:i32 = iconst 1
    v22:i32 = iadd v6, v21
    v23:i32 = iconst 16
    v24:i32 = iadd v5, v23
    v25:i32 = icmp ne v24, v3
    brif v25, b1(v24, v22), b2
b2:
    v26:i32 = iconst 100
    v27:i32 = imul v22, v26
    v28:i32 = iadd v27, v24
    return v28
}
`},
	// Unrolled by two, 32-bit lanes fill half a vector: 8-byte loads and stores.
	{"f32_half", true, `
memory mem0 min 1
func $f(i32, i32, i32, i32, f32) -> i32 {
b0(v0:i32, v1:i32, v2:i32, v3:i32, v4:f32):
    jump b1(v2)
b1(v6:i32):
    v7:i32 = iadd v0, v6
    v9:i32 = iadd v1, v6
    boundscheck mem0, v9, 4
    v10:f32 = load mem0[v9 + 0]
    v14:f32 = f32const 0.5
    v15:f32 = fmul v10, v14
    v16:f32 = fdiv v15, v4
    boundscheck mem0, v7, 4
    store mem0[v7 + 0], v16
    v17:i32 = iconst 4
    v18:i32 = iadd v7, v17
    v20:i32 = iadd v9, v17
    boundscheck mem0, v20, 4
    v21:f32 = load mem0[v20 + 0]
    v26:f32 = fmul v21, v14
    v27:f32 = fdiv v26, v4
    boundscheck mem0, v18, 4
    store mem0[v18 + 0], v27
    v28:i32 = iconst 8
    v29:i32 = iadd v6, v28
    v31:i32 = icmp ne v29, v3
    brif v31, b1(v29), b2
b2:
    return v29
}
`},
	{"i32_half", true, `
memory mem0 min 1
func $f(i32, i32, i32, i32, i32) -> i32 {
b0(v0:i32, v1:i32, v2:i32, v3:i32, v4:i32):
    jump b1(v2)
b1(v6:i32):
    v7:i32 = iadd v0, v6
    v9:i32 = iadd v1, v6
    v10:i32 = load mem0[v9 + 0]
    v11:i32 = load mem0[v7 + 0]
    v15:i32 = imul v10, v4
    v16:i32 = ixor v15, v11
    boundscheck mem0, v7, 8
    boundscheck mem0, v9, 8
    store mem0[v7 + 0], v16
    v21:i32 = load mem0[v9 + 4]
    v22:i32 = load mem0[v7 + 4]
    v26:i32 = imul v21, v4
    v27:i32 = ixor v26, v22
    store mem0[v7 + 4], v27
    v28:i32 = iconst 8
    v29:i32 = iadd v6, v28
    v31:i32 = icmp ne v29, v3
    brif v31, b1(v29), b2
b2:
    return v29
}
`},
	// c[j+1] = 2*c[j], unrolled: a true recurrence through memory, which packing would
	// break; SLP must leave it alone.
	{"recurrence", false, `
memory mem0 min 1
func $f(i32, i32, i32, i32, f64) -> i32 {
b0(v0:i32, v1:i32, v2:i32, v3:i32, v4:f64):
    jump b1(v2)
b1(v5:i32):
    v6:i32 = iadd v0, v5
    v7:f64 = load mem0[v6 + 0]
    v8:f64 = fmul v7, v4
    store mem0[v6 + 8], v8
    v9:f64 = load mem0[v6 + 8]
    v10:f64 = fmul v9, v4
    store mem0[v6 + 16], v10
    v11:i32 = iconst 16
    v12:i32 = iadd v5, v11
    v13:i32 = icmp ne v12, v3
    brif v13, b1(v12), b2
b2:
    return v12
}
`},
}

// slpArgs are the (base, base, start, bound) combinations each case runs with: streams
// apart, equal, overlapping by a lane or part of one either way; trip counts exact,
// inexact and wrapping; accesses in bounds, past the end from the first iteration or
// only in the last.
func slpArgs() [][4]uint32 {
	var out [][4]uint32
	for _, d := range []int32{-4096, -24, -16, -12, -8, -4, -1, 0, 1, 4, 8, 12, 16, 24, 4096} {
		for _, r := range [][2]uint32{{0, 256}, {16, 32}, {32, 16}, {0, 24}, {8, 264}, {0, 0}, {0xfffffff0, 64}} {
			out = append(out, [4]uint32{20000, uint32(20000 + d), r[0], r[1]})
		}
	}
	for _, b := range []uint32{65536 - 256, 65536 - 248, 65536 - 264, 65536, 0xfffffff0, 0} {
		out = append(out, [4]uint32{b, 1000, 0, 256}, [4]uint32{1000, b, 0, 256}, [4]uint32{b, 1000, 0xfffffff0, 64}, [4]uint32{1000, b, 0xffffffe0, 32})
	}
	return out
}

func TestSLPDifferential(t *testing.T) {
	for _, c := range slpCases {
		t.Run(c.name, func(t *testing.T) {
			orig, err := Parse(c.src)
			if err != nil {
				t.Fatal(err)
			}
			opt, _ := Parse(c.src)
			if err := runPass(opt.Funcs[0], Pass{Name: "slp", Run: SLP}, Config{Verify: true, Dump: func(string, *Func) {}}); err != nil {
				t.Fatal(err)
			}
			if errs := VerifyModule(opt); len(errs) > 0 {
				t.Fatalf("after slp:\n%s\n%s", errorLines(errs), opt.Funcs[0])
			}
			if got := countVectorStores(opt.Funcs[0]); (got > 0) != c.vectorize {
				t.Fatalf("%d vector stores after slp, want vectorize=%v:\n%s", got, c.vectorize, opt.Funcs[0])
			}
			io, err1 := Instantiate(orig, nil, InterpConfig{})
			ip, err2 := Instantiate(opt, nil, InterpConfig{})
			if err1 != nil || err2 != nil {
				t.Fatal(err1, err2)
			}
			sig := orig.Funcs[0].Sig
			for _, a := range slpArgs() {
				args := make([]Val, len(sig.Params))
				for i, pt := range sig.Params {
					args[i] = Val{Type: pt}
					switch {
					case i < 4:
						args[i].Bits = uint64(a[i])
					case pt == F64:
						args[i].Bits = 0x4008000000000000 // 3.0
					case pt == F32:
						args[i].Bits = 0x40400000
					default:
						args[i].Bits = uint64(a[i%4] + 3)
					}
				}
				if len(sig.Params) == 6 { // three streams: two sources 32 bytes apart, then the destination
					args[0].Bits, args[1].Bits, args[2].Bits = uint64(a[0]), uint64(a[0]+32), uint64(a[1])
					args[3].Bits, args[4].Bits = uint64(a[2]), uint64(a[3])
				}
				for _, in := range []*Instance{io, ip} {
					fillPattern(in.mems[0].data)
				}
				r1, e1 := io.funcs[0].Call(args)
				r2, e2 := ip.funcs[0].Call(args)
				if o1, o2 := outcome(r1, e1), outcome(r2, e2); o1 != o2 {
					t.Fatalf("args %v: %s before slp, %s after\n%s", a, o1, o2, opt.Funcs[0])
				}
				if !bytes.Equal(io.mems[0].data, ip.mems[0].data) {
					t.Fatalf("args %v: memory differs after slp (%s)\n%s", a, outcome(r1, e1), opt.Funcs[0])
				}
			}
		})
	}
}

func countVectorStores(f *Func) int {
	n := 0
	for _, b := range f.Layout {
		for _, id := range f.Blocks[b].Instrs {
			if in := &f.Instrs[id]; in.Op == OpStore && in.Width == 16 || in.Op == OpVStoreLane {
				n++
			}
		}
	}
	return n
}

// fillPattern gives memory small numbers that read as f64, f32 and i32 values.
func fillPattern(mem []byte) {
	for i := 0; i+8 <= len(mem); i += 8 {
		le.LittleEndian.PutUint64(mem[i:], uint64(i*2654435761)>>7)
	}
}

// TestSLPRandom generates unrolled loops in the shape SLP packs, and near misses: a
// lane type and count, up to three streams (a destination and two sources, which the
// arguments place apart or overlapping), a random expression per lane over the lanes'
// loads, an invariant and constants, with the lanes isomorphic or, in one case in four,
// one lane's op changed so that nothing packs. Each runs before and after SLP over
// argument sets as TestSLPDifferential's, comparing results, traps and memory.
func TestSLPRandom(t *testing.T) {
	n := 300
	if testing.Short() {
		n = 60
	}
	packed := 0
	for seed := range uint64(n) {
		src := genSLPLoop(seed)
		orig, err := Parse(src)
		if err != nil {
			t.Fatalf("seed %d: %v\n%s", seed, err, src)
		}
		opt, _ := Parse(src)
		if err := runPass(opt.Funcs[0], Pass{Name: "slp", Run: SLP}, Config{Verify: true, Dump: func(string, *Func) {}}); err != nil {
			t.Fatalf("seed %d: %v\n%s", seed, err, src)
		}
		if countVectorStores(opt.Funcs[0]) > 0 {
			packed++
		}
		io, err1 := Instantiate(orig, nil, InterpConfig{})
		ip, err2 := Instantiate(opt, nil, InterpConfig{})
		if err1 != nil || err2 != nil {
			t.Fatal(err1, err2)
		}
		for _, a := range slpArgs() {
			args := []Val{I32Val(int32(a[0])), I32Val(int32(a[1])), I32Val(int32(a[1] + 24)), I32Val(int32(a[2])), I32Val(int32(a[3])), {Type: orig.Funcs[0].Sig.Params[5], Bits: 0x4008000000000000 ^ uint64(seed)}}
			if args[5].Type == F32 || args[5].Type == I32 {
				args[5].Bits &= 0xffffffff
			}
			for _, in := range []*Instance{io, ip} {
				fillPattern(in.mems[0].data)
			}
			r1, e1 := io.funcs[0].Call(args)
			r2, e2 := ip.funcs[0].Call(args)
			if o1, o2 := outcome(r1, e1), outcome(r2, e2); o1 != o2 {
				t.Fatalf("seed %d, args %v: %s before slp, %s after\n%s\nafter:\n%s", seed, a, o1, o2, src, opt.Funcs[0])
			}
			if !bytes.Equal(io.mems[0].data, ip.mems[0].data) {
				t.Fatalf("seed %d, args %v: memory differs after slp\n%s\nafter:\n%s", seed, a, src, opt.Funcs[0])
			}
		}
	}
	if packed < n/3 {
		t.Errorf("only %d of %d loops packed: the generator no longer makes what SLP packs", packed, n)
	}
	t.Logf("%d of %d loops packed", packed, n)
}

// genSLPLoop writes one loop for TestSLPRandom: $f(dst, src1, src2, start, bound, k).
func genSLPLoop(seed uint64) string {
	rng := rand.New(rand.NewPCG(seed, 7))
	types := []Type{F64, I64, F32, I32}
	t := types[rng.IntN(len(types))]
	w := t.Size()
	lanes := 2
	if w == 4 && rng.IntN(2) == 0 {
		lanes = 4
	}
	ops := []string{"fadd", "fsub", "fmul", "fdiv"}
	if t == I32 || t == I64 {
		ops = []string{"iadd", "isub", "iand", "ior", "ixor"}
		if t == I32 {
			ops = append(ops, "imul")
		}
	}
	var b strings.Builder
	nv := 6
	val := func(ty Type, format string, a ...any) string {
		v := fmt.Sprintf("v%d", nv)
		nv++
		fmt.Fprintf(&b, "    %s:%s = %s\n", v, ty, fmt.Sprintf(format, a...))
		return v
	}
	fmt.Fprintf(&b, "memory mem0 min 1\nfunc $f(i32, i32, i32, i32, i32, %s) -> i32 {\nb0(v0:i32, v1:i32, v2:i32, v3:i32, v4:i32, v5:%s):\n    jump b1(v3)\nb1(v%d:i32):\n", t, t, 100)
	iv := "v100"
	base := []string{val(I32, "iadd v0, %s", iv), val(I32, "iadd v1, %s", iv), val(I32, "iadd v2, %s", iv)}
	// Which source the second operand reads: the other source or the destination.
	second := 1 + rng.IntN(2)
	if rng.IntN(3) == 0 {
		second = 0
	}
	off := []int{rng.IntN(3) * w, rng.IntN(3) * w, rng.IntN(3) * w}
	shape := rng.IntN(4) // the expression's form, the same in every lane
	breakLane := -1
	if rng.IntN(4) == 0 {
		breakLane = rng.IntN(lanes)
	}
	op1, op2 := ops[rng.IntN(len(ops))], ops[rng.IntN(len(ops))]
	constant := func(lane int) string {
		if t == F32 || t == F64 {
			return val(t, "%sconst %d.5", t, lane+rng.IntN(2))
		}
		return val(t, "iconst %d", 3+lane*rng.IntN(2))
	}
	for lane := range lanes {
		o1 := op1
		if lane == breakLane {
			o1 = ops[(slices.Index(ops, op1)+1)%len(ops)]
		}
		check := func(i int) { fmt.Fprintf(&b, "    boundscheck mem0, %s, %d\n", base[i], off[i]+(lane+1)*w) }
		check(1)
		x := val(t, "load mem0[%s + %d]", base[1], off[1]+lane*w)
		check(second)
		y := val(t, "load mem0[%s + %d]", base[second], off[second]+lane*w)
		var e string
		switch shape {
		case 0:
			e = val(t, "%s %s, %s", o1, x, y)
		case 1:
			e = val(t, "%s %s, %s", o1, val(t, "%s v5, %s", op2, x), y)
		case 2:
			e = val(t, "%s %s, %s", o1, x, constant(lane))
		default:
			e = val(t, "%s %s, %s", o1, val(t, "%s %s, %s", op2, x, x), val(t, "%s %s, v5", op2, y))
		}
		check(0)
		fmt.Fprintf(&b, "    store mem0[%s + %d], %s\n", base[0], off[0]+lane*w, e)
	}
	step := val(I32, "iconst %d", lanes*w)
	next := val(I32, "iadd %s, %s", iv, step)
	cond := val(I32, "icmp ne %s, v4", next)
	fmt.Fprintf(&b, "    brif %s, b1(%s), b2\nb2:\n    return %s\n}\n", cond, next, next)
	return b.String()
}
