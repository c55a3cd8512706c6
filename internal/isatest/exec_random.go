package isatest

import (
	"fmt"
	"math"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/wasmc/wasmc/ir"
)

// A random differential test: functions with diamonds, loops (whose back edges are critical),
// calls and memory accesses over a wide mix of ops, run natively and in the interpreter. Nothing
// traps, and a float that may be NaN never reaches an integer or a sign (wasm leaves NaN bits
// and signs unspecified, so the two runs could rightly differ there).

type rval struct {
	name  string
	clean bool // a float that cannot be NaN
}

type rgen struct {
	rng  *rand.Rand
	b    strings.Builder
	nv   int
	nb   int
	pool map[string][]rval
}

var rtypes = []string{"i32", "i64", "f32", "f64"}

func (g *rgen) pick(t string) rval {
	p := g.pool[t]
	// Prefer recent values, so that chains form and live ranges vary.
	if len(p) > 4 && g.rng.IntN(3) > 0 {
		return p[len(p)-1-g.rng.IntN(4)]
	}
	return p[g.rng.IntN(len(p))]
}

func (g *rgen) pickClean(t string) rval {
	var clean []rval
	for _, v := range g.pool[t] {
		if v.clean {
			clean = append(clean, v)
		}
	}
	return clean[g.rng.IntN(len(clean))]
}

func (g *rgen) def(t, rhs string, clean bool) rval {
	v := rval{name: fmt.Sprintf("v%d", g.nv), clean: clean}
	g.nv++
	fmt.Fprintf(&g.b, "    %s:%s = %s\n", v.name, t, rhs)
	g.pool[t] = append(g.pool[t], v)
	return v
}

func (g *rgen) konst(t string) rval {
	switch t {
	case "i32", "i64":
		vals := []int64{0, 1, -1, 7, 255, 0x7fffffff, -0x80000000, 0x12345678, int64(g.rng.Uint32())}
		if t == "i64" {
			vals = append(vals, math.MinInt64, 0x123456789abc, int64(g.rng.Uint64()))
		}
		c := vals[g.rng.IntN(len(vals))]
		if t == "i32" {
			c = int64(int32(c))
		}
		return g.def(t, fmt.Sprintf("iconst %d", c), true)
	}
	vals := []string{"0", "-0", "1.5", "-2.25", "1e10", "0.1", "inf", "-inf", "3"}
	return g.def(t, t+"const "+vals[g.rng.IntN(len(vals))], true)
}

func other(t string) string {
	return map[string]string{"i32": "i64", "i64": "i32", "f32": "f64", "f64": "f32"}[t]
}

// instr defines one random value.
func (g *rgen) instr() {
	t := rtypes[g.rng.IntN(len(rtypes))]
	isInt := t[0] == 'i'
	a := func() string { return g.pick(t).name }
	switch n := g.rng.IntN(20); {
	case n == 0:
		g.konst(t)
	case isInt && n < 8:
		ops := []string{"iadd", "isub", "imul", "iand", "ior", "ixor", "ishl", "ushr", "sshr", "rotl", "rotr"}
		g.def(t, fmt.Sprintf("%s %s, %s", ops[g.rng.IntN(len(ops))], a(), a()), true)
	case isInt && n < 10:
		ops := []string{"clz", "ctz", "popcnt", "extend8", "extend16"}
		g.def(t, fmt.Sprintf("%s %s", ops[g.rng.IntN(len(ops))], a()), true)
	case isInt && n < 12:
		ccs := []string{"eq", "ne", "slt", "sle", "sgt", "sge", "ult", "ule", "ugt", "uge"}
		c := g.def("i32", fmt.Sprintf("icmp %s %s, %s", ccs[g.rng.IntN(len(ccs))], a(), a()), true)
		if g.rng.IntN(2) == 0 {
			g.def(t, fmt.Sprintf("select %s, %s, %s", c.name, a(), a()), true)
		}
	case isInt && n < 14:
		// Division by a divisor forced positive: never traps, never MIN / -1.
		m := g.def(t, "iconst 0x7fff", true)
		d := g.def(t, fmt.Sprintf("iand %s, %s", a(), m.name), true)
		one := g.def(t, "iconst 1", true)
		d = g.def(t, fmt.Sprintf("ior %s, %s", d.name, one.name), true)
		ops := []string{"sdiv", "udiv", "srem", "urem"}
		g.def(t, fmt.Sprintf("%s %s, %s", ops[g.rng.IntN(len(ops))], a(), d.name), true)
	case isInt && n < 16:
		if t == "i32" {
			g.def("i32", "wrap "+g.pick("i64").name, true)
		} else {
			g.def("i64", []string{"sext ", "zext "}[g.rng.IntN(2)]+g.pick("i32").name, true)
		}
	case isInt && n < 18:
		f := []string{"f32", "f64"}[g.rng.IntN(2)]
		g.def(t, []string{"fptosisat ", "fptouisat "}[g.rng.IntN(2)]+g.pick(f).name, true)
	case isInt:
		g.memory(t)
	case n < 8:
		ops := []string{"fadd", "fsub", "fmul", "fdiv", "fmin", "fmax"}
		g.def(t, fmt.Sprintf("%s %s, %s", ops[g.rng.IntN(len(ops))], a(), a()), false)
	case n < 10:
		x := g.pick(t)
		g.def(t, fmt.Sprintf("fcopysign %s, %s", x.name, g.pickClean(t).name), x.clean)
	case n < 12:
		ops := []string{"fabs", "fneg", "fsqrt", "fceil", "ffloor", "ftrunc", "fnearest"}
		op := ops[g.rng.IntN(len(ops))]
		x := g.pick(t)
		g.def(t, op+" "+x.name, x.clean && op != "fsqrt")
	case n < 14:
		ccs := []string{"eq", "ne", "lt", "le", "gt", "ge"}
		c := g.def("i32", fmt.Sprintf("fcmp %s %s, %s", ccs[g.rng.IntN(len(ccs))], a(), a()), true)
		x, y := g.pick(t), g.pick(t)
		g.def(t, fmt.Sprintf("select %s, %s, %s", c.name, x.name, y.name), x.clean && y.clean)
	case n < 16:
		i := []string{"i32", "i64"}[g.rng.IntN(2)]
		g.def(t, []string{"sitofp ", "uitofp "}[g.rng.IntN(2)]+g.pick(i).name, true)
	case n < 18:
		x := g.pick(other(t))
		op := map[string]string{"f32": "fdemote ", "f64": "fpromote "}[t]
		g.def(t, op+x.name, x.clean)
	default:
		i := map[string]string{"f32": "i32", "f64": "i64"}[t]
		g.def(t, "bitcast "+g.pick(i).name, false) // any bits, NaNs included
	}
}

// memory stores a value and loads one back at an address masked into the first page.
func (g *rgen) memory(t string) {
	m := g.def("i32", "iconst 0xff0", true)
	addr := g.def("i32", fmt.Sprintf("iand %s, %s", g.pick("i32").name, m.name), true)
	fmt.Fprintf(&g.b, "    boundscheck mem0, %s, 24\n", addr.name)
	widths := map[string][]string{"i32": {"", ".8", ".16"}, "i64": {"", ".8", ".16", ".32"}}[t]
	fmt.Fprintf(&g.b, "    store%s mem0[%s + %d], %s\n", widths[g.rng.IntN(len(widths))], addr.name, g.rng.IntN(9), g.pick(t).name)
	loads := map[string][]string{"i32": {"", ".s8", ".u8", ".s16", ".u16"}, "i64": {"", ".s8", ".u8", ".s16", ".u16", ".s32", ".u32"}}[t]
	g.def(t, fmt.Sprintf("load%s mem0[%s + %d]", loads[g.rng.IntN(len(loads))], addr.name, g.rng.IntN(9)), true)
}

// block names a new block.
func (g *rgen) block() string {
	name := fmt.Sprintf("b%d", g.nb)
	g.nb++
	return name
}

// scope runs body with a copy of the pool, which is restored after it.
func (g *rgen) scope(body func()) {
	saved := map[string][]rval{}
	for t, p := range g.pool {
		saved[t] = append([]rval(nil), p...)
	}
	body()
	g.pool = saved
}

// region emits straight-line code, a diamond, a loop or a call; depth bounds nesting.
func (g *rgen) region(depth int) {
	switch n := g.rng.IntN(10); {
	case depth > 0 && n < 3:
		g.diamond(depth - 1)
	case depth > 0 && n < 5:
		g.loop(depth - 1)
	case n < 6:
		x, y := g.pick("i64"), g.pick("f64")
		r1, r2 := fmt.Sprintf("v%d", g.nv), fmt.Sprintf("v%d", g.nv+1)
		g.nv += 2
		fmt.Fprintf(&g.b, "    %s:i64, %s:f64 = call $helper(%s, %s)\n", r1, r2, x.name, y.name)
		g.pool["i64"] = append(g.pool["i64"], rval{name: r1, clean: true})
		g.pool["f64"] = append(g.pool["f64"], rval{name: r2})
	default:
		for range 2 + g.rng.IntN(12) {
			g.instr()
		}
	}
}

// jumpArgs picks one branch argument of each type in ts.
func (g *rgen) jumpArgs(ts []string) string {
	var args []string
	for _, t := range ts {
		args = append(args, g.pick(t).name)
	}
	return strings.Join(args, ", ")
}

// params declares block parameters of types ts.
func (g *rgen) params(ts []string) ([]rval, string) {
	var vs []rval
	var ds []string
	for _, t := range ts {
		v := rval{name: fmt.Sprintf("v%d", g.nv)}
		g.nv++
		vs = append(vs, v)
		ds = append(ds, v.name+":"+t)
	}
	return vs, strings.Join(ds, ", ")
}

// someTypes picks the types of a join's parameters.
func (g *rgen) someTypes() []string {
	var ts []string
	for range 1 + g.rng.IntN(3) {
		ts = append(ts, rtypes[g.rng.IntN(len(rtypes))])
	}
	return ts
}

// diamond branches on a compare to two regions that join with block parameters.
func (g *rgen) diamond(depth int) {
	bt, bf, bj := g.block(), g.block(), g.block()
	ts := g.someTypes()
	c := g.def("i32", fmt.Sprintf("icmp slt %s, %s", g.pick("i32").name, g.pick("i32").name), true)
	fmt.Fprintf(&g.b, "    brif %s, %s, %s\n", c.name, bt, bf)
	for _, b := range []string{bt, bf} {
		g.scope(func() {
			fmt.Fprintf(&g.b, "%s:\n", b)
			g.region(depth)
			fmt.Fprintf(&g.b, "    jump %s(%s)\n", bj, g.jumpArgs(ts))
		})
	}
	vs, decl := g.params(ts)
	fmt.Fprintf(&g.b, "%s(%s):\n", bj, decl)
	for i, v := range vs {
		g.pool[ts[i]] = append(g.pool[ts[i]], v) // a join may bring a NaN: not clean
	}
}

// loop runs a region one to five times; its brif goes back to the header, which has two
// predecessors, so that edge is critical and gets split.
func (g *rgen) loop(depth int) {
	bh, bx := g.block(), g.block()
	ts := g.someTypes()
	zero := g.def("i32", "iconst 0", true)
	fmt.Fprintf(&g.b, "    jump %s(%s, %s)\n", bh, zero.name, g.jumpArgs(ts))
	var exitVals []rval
	var exitDecl string
	g.scope(func() {
		vs, decl := g.params(append([]string{"i32"}, ts...))
		fmt.Fprintf(&g.b, "%s(%s):\n", bh, decl)
		for i, v := range vs[1:] {
			g.pool[ts[i]] = append(g.pool[ts[i]], v)
		}
		g.region(depth)
		one := g.def("i32", "iconst 1", true)
		i2 := g.def("i32", fmt.Sprintf("iadd %s, %s", vs[0].name, one.name), true)
		n := g.def("i32", fmt.Sprintf("iconst %d", 1+g.rng.IntN(5)), true)
		c := g.def("i32", fmt.Sprintf("icmp slt %s, %s", i2.name, n.name), true)
		args := g.jumpArgs(ts)
		fmt.Fprintf(&g.b, "    brif %s, %s(%s, %s), %s(%s)\n", c.name, bh, i2.name, args, bx, args)
		exitVals, exitDecl = g.params(ts)
	})
	fmt.Fprintf(&g.b, "%s(%s):\n", bx, exitDecl)
	for i, v := range exitVals {
		g.pool[ts[i]] = append(g.pool[ts[i]], v)
	}
}

// RandomProgram returns a module with $f(i32, i64, f32, f64) and its helper.
func RandomProgram(seed uint64) string {
	g := &rgen{rng: rand.New(rand.NewPCG(seed, 7)), nv: 4, nb: 1, pool: map[string][]rval{}}
	for i, t := range rtypes {
		g.pool[t] = []rval{{name: fmt.Sprintf("v%d", i), clean: true}}
	}
	for range 3 {
		g.instr()
	}
	for range 3 + g.rng.IntN(6) {
		g.region(2)
	}
	var res, rts []string
	for range 2 + g.rng.IntN(12) {
		t := rtypes[g.rng.IntN(len(rtypes))]
		res = append(res, g.pick(t).name) // float results compare as floats: any NaN matches
		rts = append(rts, t)
	}
	return fmt.Sprintf(`memory mem0 min 1

func $helper(i64, f64) -> i64, f64 {
b0(v0:i64, v1:f64):
    v2:i64 = iconst 3
    v3:i64 = imul v0, v2
    v4:f64 = fadd v1, v1
    return v3, v4
}

func $f(i32, i64, f32, f64) -> %s {
b0(v0:i32, v1:i64, v2:f32, v3:f64):
%s    return %s
}
export "f" func $f
`, strings.Join(rts, ", "), g.b.String(), strings.Join(res, ", "))
}

func execRandom(t *testing.T, h *Harness) {
	h.RequireNative(t)
	n := 150
	if testing.Short() {
		n = 20
	}
	args := [][]ir.Val{
		{I32(7), I64(-3), F32(1.5), F64(-2.75)},
		{I32(-0x12345), I64(0x7edcba9876543210), F32(-0), F64(1e300)},
	}
	for seed := range uint64(n) {
		src := RandomProgram(seed)
		ok := t.Run(fmt.Sprint(seed), func(t *testing.T) {
			for _, a := range args {
				h.RunDiff(t, src, Call("f", a...))
			}
		})
		if !ok {
			t.Logf("seed %d:\n%s", seed, src)
		}
	}
}
