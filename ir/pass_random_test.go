package ir

import (
	"errors"
	"flag"
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
)

var randomFuncs = flag.Int("randomfuncs", 2000, "random functions TestPipelineRandom generates")

// TestPipelineRandom generates random valid functions (straight-line integer, float and
// memory code with guarded divisions and conversions, diamonds and counted loops, edge
// constants that exercise Fold's identities, repeated and near-boundary bounds checks
// for BCE) and runs each before and after -O2 through the interpreter, as
// TestPipelineDifferential does for the hand-written testdata. The seed is fixed, so a
// failure reproduces; raise -randomfuncs to search longer.
func TestPipelineRandom(t *testing.T) {
	n := *randomFuncs
	if testing.Short() {
		n /= 10
	}
	var ncalls int
	for seed := range uint64(n) {
		src := genModule(seed)
		orig, err := Parse(src)
		if err != nil {
			t.Fatalf("seed %d: the generator wrote bad text: %v\n%s", seed, err, src)
		}
		if errs := VerifyModule(orig); len(errs) > 0 {
			t.Fatalf("seed %d: the generator wrote invalid IR:\n%s\n%s", seed, errorLines(errs), src)
		}
		opt, _ := Parse(src)
		fuel := addFuel(orig)
		addFuel(opt)
		if err := RunModule(opt, Config{Level: 2, Verify: true}); err != nil {
			t.Fatalf("seed %d: %v\n%s", seed, err, src)
		}
		io, err1 := Instantiate(orig, nil, InterpConfig{})
		ip, err2 := Instantiate(opt, nil, InterpConfig{})
		if err1 != nil || err2 != nil {
			t.Fatalf("seed %d: instantiate: %v, %v", seed, err1, err2)
		}
		f := orig.Funcs[0]
		rng := rand.New(rand.NewPCG(seed, 99))
		for k := range 8 {
			args := make([]Val, len(f.Sig.Params))
			for i, pt := range f.Sig.Params {
				args[i] = Val{Type: pt}
				if vals := sampleValues[pt]; k > 0 {
					args[i].Bits = vals[rng.IntN(len(vals))]
				}
			}
			for _, in := range []*Instance{io, ip} {
				if err := in.globals[fuel].Set(I64Val(fuelPerCall)); err != nil {
					t.Fatal(err)
				}
			}
			r1, e1 := io.funcs[0].Call(args)
			r2, e2 := ip.funcs[0].Call(args)
			var undef *UndefinedError
			if errors.As(e1, &undef) {
				t.Fatalf("seed %d: the generator left %v unguarded\n%s", seed, e1, src)
			}
			if errors.As(e2, &undef) {
				t.Fatalf("seed %d: %v: -O2 dropped a needed check: %v\nbefore:\n%s\nafter:\n%s", seed, args, e2, src, opt.Funcs[0])
			}
			ncalls++
			if a, b := outcome(r1, e1), outcome(r2, e2); a != b {
				t.Fatalf("seed %d: %v: %s before -O2, %s after\nbefore:\n%s\nafter:\n%s", seed, args, a, b, src, opt.Funcs[0])
			}
			if a, b := stateString(io), stateString(ip); a != b {
				t.Fatalf("seed %d: %v: state differs after the call\nbefore:\n%s\nafter:\n%s", seed, args, src, opt.Funcs[0])
			}
		}
	}
	t.Logf("compared %d calls of %d random functions", ncalls, n)
}

// gen writes one random function in the text form. Values in scope are kept per type
// with an undo mark per open diamond arm, so every use it writes is dominated.
type gen struct {
	r     *rand.Rand
	b     strings.Builder
	nv    int // next value number
	nb    int // next block number
	scope map[Type][]int
	ninst int // instructions written, to bound the function's size
}

func genModule(seed uint64) string {
	g := &gen{r: rand.New(rand.NewPCG(seed, 7)), scope: map[Type][]int{}}
	g.b.WriteString("memory mem0 min 1 max 2\nmemory mem1 min 0 max 1\nglobal $g mut i32 = iconst 5\n\n")
	g.b.WriteString("func $f(i32, i32, i64, f64) -> i32 {\nb0(v0:i32, v1:i32, v2:i64, v3:f64):\n")
	g.nv, g.nb = 4, 1
	g.scope[I32] = []int{0, 1}
	g.scope[I64] = []int{2}
	g.scope[F64] = []int{3}
	g.region(0)
	r, l := g.digest(nil)
	r = g.emit(I32, "iadd v%d, v%d", r, g.emit(I32, "wrap v%d", l))
	fl := g.emit(I64, "bitcast v%d", g.pick(F64))
	g.line("boundscheck mem0, v%d, 16", g.constant(I32, 64))
	g.line("store mem0[v%d + 8], v%d", g.nv-1, fl)
	g.line("return v%d", r)
	g.b.WriteString("}\n")
	return g.b.String()
}

// digest combines every i32, every i64 and the bits of every f64 in scope, beyond the
// given marks, into one i32 and one i64, so that no value computed is unobservable.
func (g *gen) digest(marks map[Type]int) (int, int) {
	i32s := slices.Clone(g.scope[I32][marks[I32]:])
	i64s := slices.Clone(g.scope[I64][marks[I64]:])
	for _, v := range g.scope[F64][marks[F64]:] {
		i64s = append(i64s, g.emit(I64, "bitcast v%d", v))
	}
	r, l := g.pick(I32), g.pick(I64)
	for _, v := range i32s {
		r = g.emit(I32, "ixor v%d, v%d", r, v)
	}
	for _, v := range i64s {
		l = g.emit(I64, "ixor v%d, v%d", l, v)
	}
	return r, l
}

func (g *gen) line(format string, args ...any) {
	g.b.WriteString("    ")
	fmt.Fprintf(&g.b, format, args...)
	g.b.WriteByte('\n')
	g.ninst++
}

// emit writes "vN:t = …" and puts vN in scope.
func (g *gen) emit(t Type, format string, args ...any) int {
	v := g.nv
	g.nv++
	g.line("v%d:%v = "+format, append([]any{v, t}, args...)...)
	g.scope[t] = append(g.scope[t], v)
	return v
}

// pick returns a value of type t in scope, favouring recent ones.
func (g *gen) pick(t Type) int {
	vs := g.scope[t]
	if len(vs) == 0 || g.r.IntN(6) == 0 {
		return g.constant(t, g.edge(t))
	}
	if g.r.IntN(2) == 0 {
		return vs[len(vs)-1-g.r.IntN(min(3, len(vs)))]
	}
	return vs[g.r.IntN(len(vs))]
}

// edge returns a constant that sits on an identity or a boundary.
func (g *gen) edge(t Type) uint64 {
	switch t {
	case F64:
		return []uint64{0, 1 << 63, 0x3ff0000000000000, 0x7ff8000000000000, 0x7ff4000000000000, 0xfff0000000000000, 0x41e0000000000000}[g.r.IntN(7)]
	case F32:
		return []uint64{0, 0x80000000, 0x3f800000, 0x7fc00000}[g.r.IntN(4)]
	}
	x := []uint64{0, 1, 2, 3, 4, 8, 31, 32, 33, 63, 64, 65, 255, 0x7fffffff, 0x80000000, ^uint64(0), ^uint64(0) - 1, 1 << 63}[g.r.IntN(18)]
	if t == I32 {
		x &= 0xffffffff
	}
	return x
}

func (g *gen) constant(t Type, bits uint64) int {
	switch t {
	case F64:
		return g.emit(F64, "f64const %s", formatF64(bits))
	case F32:
		return g.emit(F32, "f32const %s", formatF32(uint32(bits)))
	case I32:
		return g.emit(I32, "iconst %d", int32(bits))
	}
	return g.emit(t, "iconst %d", int64(bits))
}

func (g *gen) newBlock() int {
	b := g.nb
	g.nb++
	return b
}

// region writes a random sequence of instructions, diamonds and loops.
func (g *gen) region(depth int) {
	for range 3 + g.r.IntN(6) {
		if g.ninst > 250 {
			return
		}
		switch k := g.r.IntN(20); {
		case k < 9:
			g.intOp()
		case k < 12:
			g.floatOp()
		case k < 15:
			g.memOp()
		case k < 16:
			g.globalOp()
		case k < 18 && depth < 3:
			g.diamond(depth)
		case k < 20 && depth < 2:
			g.loop(depth)
		default:
			g.intOp()
		}
	}
}

var (
	genBinary = []string{"iadd", "isub", "imul", "iand", "ior", "ixor", "ishl", "ushr", "sshr", "rotl", "rotr"}
	genUnary  = []string{"clz", "ctz", "popcnt", "extend8", "extend16"}
	genConds  = []string{"eq", "ne", "slt", "sle", "sgt", "sge", "ult", "ule", "ugt", "uge"}
)

func (g *gen) intType() Type {
	if g.r.IntN(3) == 0 {
		return I64
	}
	return I32
}

func (g *gen) intOp() {
	t := g.intType()
	switch k := g.r.IntN(12); {
	case k < 6:
		op := genBinary[g.r.IntN(len(genBinary))]
		x, y := g.pick(t), g.pick(t)
		if g.r.IntN(5) == 0 {
			y = x // x-x, x^x, x&x: identities on equal operands
		}
		g.emit(t, "%s v%d, v%d", op, x, y)
	case k < 7:
		g.emit(t, "%s v%d", genUnary[g.r.IntN(len(genUnary))], g.pick(t))
	case k < 8:
		x := g.pick(t)
		y := x
		if g.r.IntN(3) > 0 {
			y = g.pick(t)
		}
		c := g.emit(I32, "icmp %s v%d, v%d", genConds[g.r.IntN(len(genConds))], x, y)
		if g.r.IntN(2) == 0 {
			c = g.emit(I32, "eqz v%d", c)
		}
		g.emit(t, "select v%d, v%d, v%d", c, g.pick(t), g.pick(t))
	case k < 9:
		g.widened()
	case k < 10:
		g.emit(I32, "eqz v%d", g.pick(t))
	default:
		g.division(t)
	}
}

// widened writes i32 arithmetic and comparisons done in i64 on extended values, as Go's
// wasm port computes addresses, for Fold to narrow.
func (g *gen) widened() {
	ext := func() int {
		if g.r.IntN(4) == 0 {
			return g.constant(I64, g.edge(I64))
		}
		return g.emit(I64, "%s v%d", []string{"sext", "zext"}[g.r.IntN(2)], g.pick(I32))
	}
	x, y := ext(), ext()
	switch g.r.IntN(3) {
	case 0:
		op := genBinary[g.r.IntN(len(genBinary))] // shifts and rotates must not narrow
		g.emit(I32, "wrap v%d", g.emit(I64, "%s v%d, v%d", op, x, y))
	case 1:
		g.emit(I32, "icmp %s v%d, v%d", genConds[g.r.IntN(len(genConds))], x, y)
	default:
		g.emit(I32, "eqz v%d", x)
	}
}

// division writes a division guarded the way lowering guards it.
func (g *gen) division(t Type) {
	a, b := g.pick(t), g.pick(t)
	if g.r.IntN(2) == 0 {
		b = g.emit(t, "ior v%d, v%d", b, g.constant(t, 1))
	}
	g.line("trapif v%d, int_divide_by_zero", g.emit(I32, "eqz v%d", b))
	op := []string{"sdiv", "udiv", "srem", "urem"}[g.r.IntN(4)]
	if op == "sdiv" {
		minBits := uint64(1) << 63
		if t == I32 {
			minBits = 1 << 31
		}
		c1 := g.emit(I32, "icmp eq v%d, v%d", a, g.constant(t, minBits))
		c2 := g.emit(I32, "icmp eq v%d, v%d", b, g.constant(t, ^uint64(0)))
		g.line("trapif v%d, int_overflow", g.emit(I32, "iand v%d, v%d", c1, c2))
	}
	g.emit(t, "%s v%d, v%d", op, a, b)
}

func (g *gen) floatOp() {
	switch k := g.r.IntN(8); {
	case k < 3:
		op := []string{"fadd", "fsub", "fmul", "fdiv", "fmin", "fmax", "fcopysign"}[g.r.IntN(7)]
		g.emit(F64, "%s v%d, v%d", op, g.pick(F64), g.pick(F64))
	case k < 4:
		op := []string{"fabs", "fneg", "fsqrt", "fceil", "ffloor", "ftrunc", "fnearest"}[g.r.IntN(7)]
		g.emit(F64, "%s v%d", op, g.pick(F64))
	case k < 5:
		g.emit(I32, "fcmp %s v%d, v%d", []string{"eq", "ne", "lt", "le", "gt", "ge"}[g.r.IntN(6)], g.pick(F64), g.pick(F64))
	case k < 6:
		g.emit(F64, "%s v%d", []string{"sitofp", "uitofp"}[g.r.IntN(2)], g.pick(g.intType()))
	case k < 7:
		g.emit(I32, "fptosisat v%d", g.pick(F64))
	default: // fptosi to i32, guarded as lowering does
		x := g.pick(F64)
		g.line("trapif v%d, invalid_conversion", g.emit(I32, "fcmp ne v%d, v%d", x, x))
		hi := g.emit(I32, "fcmp ge v%d, v%d", x, g.constant(F64, 0x41e0000000000000))
		g.line("trapif v%d, int_overflow", hi)
		lo := g.emit(I32, "fcmp le v%d, v%d", x, g.constant(F64, 0xc1e0000000200000))
		g.line("trapif v%d, int_overflow", lo)
		g.emit(I32, "fptosi v%d", x)
	}
}

// memOp writes loads and stores after their checks: at masked addresses, often checking
// the same address twice with different sizes, and at constants near the end of a page.
func (g *gen) memOp() {
	var addr int
	if g.r.IntN(6) == 0 {
		addr = g.constant(I32, []uint64{0, 65520, 65528, 65532, 65536}[g.r.IntN(5)])
	} else {
		addr = g.emit(I32, "iand v%d, v%d", g.pick(I32), g.constant(I32, []uint64{0xff, 0x7ff8, 0xfff0, 0xffff}[g.r.IntN(4)]))
	}
	if g.r.IntN(3) == 0 { // a field of a struct at addr, as lowering addresses it
		g.line("boundscheck mem0, v%d, %d", addr, 8+4*g.r.IntN(4))
		addr = g.emit(I32, "iadd v%d, v%d", addr, g.constant(I32, []uint64{4, 8, 12, 16, 0xfffffffc}[g.r.IntN(5)]))
	}
	mem := 0
	if g.r.IntN(12) == 0 {
		mem = 1 // a memory of no pages: every check on it traps until memgrow
	}
	// Accesses of every width at small offsets, so that checks on one address differ
	// by as little as a byte.
	for range 1 + g.r.IntN(3) {
		off := []uint64{0, 1, 2, 3, 4, 8}[g.r.IntN(6)]
		width := []uint64{1, 2, 4, 8}[g.r.IntN(4)]
		g.line("boundscheck mem%d, v%d, %d", mem, addr, off+width)
		suffix := map[uint64]string{1: ".u8", 2: ".s16", 4: "", 8: ""}[width]
		t := I32
		if width == 8 {
			t = I64
		}
		if g.r.IntN(2) == 0 {
			g.emit(t, "load%s mem%d[v%d + %d]", suffix, mem, addr, off)
		} else {
			suffix = map[uint64]string{1: ".8", 2: ".16", 4: ".32", 8: ""}[width]
			g.line("store%s mem%d[v%d + %d], v%d", suffix, mem, addr, off, g.pick(I64))
		}
		if g.r.IntN(4) == 0 {
			g.emit(I32, "memgrow mem%d, v%d", mem, g.constant(I32, 1))
		}
	}
}

func (g *gen) globalOp() {
	if g.r.IntN(2) == 0 {
		g.emit(I32, "globalget $g")
	} else {
		g.line("globalset $g, v%d", g.pick(I32))
	}
}

// diamond writes a brif whose arms join in a block taking one value from each.
func (g *gen) diamond(depth int) {
	c := g.pick(I32)
	then, els, join := g.newBlock(), g.newBlock(), g.newBlock()
	g.line("brif v%d, b%d, b%d", c, then, els)
	arm := func(b int) {
		fmt.Fprintf(&g.b, "b%d:\n", b)
		marks := map[Type]int{}
		for t, vs := range g.scope {
			marks[t] = len(vs)
		}
		g.region(depth + 1)
		r, l := g.digest(marks)
		g.line("jump b%d(v%d, v%d)", join, r, l)
		for t := range g.scope {
			g.scope[t] = g.scope[t][:marks[t]]
		}
	}
	arm(then)
	arm(els)
	p, q := g.nv, g.nv+1
	g.nv += 2
	fmt.Fprintf(&g.b, "b%d(v%d:i32, v%d:i64):\n", join, p, q)
	g.scope[I32] = append(g.scope[I32], p)
	g.scope[I64] = append(g.scope[I64], q)
}

// loop writes a counted loop with an invariant-heavy body; the exit follows the latch,
// its only predecessor, so every value in scope at the latch stays in scope.
func (g *gen) loop(depth int) {
	bound := g.emit(I32, "iand v%d, v%d", g.pick(I32), g.constant(I32, 7))
	zero := g.constant(I32, 0)
	acc0 := g.pick(I64)
	head, exit := g.newBlock(), g.newBlock()
	g.line("jump b%d(v%d, v%d)", head, zero, acc0)
	i, acc := g.nv, g.nv+1
	g.nv += 2
	fmt.Fprintf(&g.b, "b%d(v%d:i32, v%d:i64):\n", head, i, acc)
	g.scope[I32] = append(g.scope[I32], i)
	g.scope[I64] = append(g.scope[I64], acc)
	g.region(depth + 1)
	acc1 := g.emit(I64, "iadd v%d, v%d", acc, g.pick(I64))
	i1 := g.emit(I32, "iadd v%d, v%d", i, g.constant(I32, 1))
	c := g.emit(I32, "icmp ult v%d, v%d", i1, bound)
	g.line("brif v%d, b%d(v%d, v%d), b%d", c, head, i1, acc1, exit)
	fmt.Fprintf(&g.b, "b%d:\n", exit)
}
