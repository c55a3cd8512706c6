package ir

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"
)

// TestPromoteRandom generates single-block loops in nbody's shape (fields at an invariant
// address p, loaded and stored on every pass, and accesses through a pointer q that steps
// through memory) and compares each function before and after Promote in the
// interpreter, results and memory, for arguments that put q apart from p, onto p's
// fields, partly over them, out of bounds during the loop and wrapping around 2^32,
// with trip counts from 1 up to a count of 0 that runs until q leaves memory.
func TestPromoteRandom(t *testing.T) {
	n := 300
	if testing.Short() {
		n = 100
	}
	var promoted, calls, fast int
	for seed := range uint64(n) {
		src := genPromote(seed)
		orig, err := Parse(src)
		if err != nil {
			t.Fatalf("seed %d: the generator wrote bad text: %v\n%s", seed, err, src)
		}
		if errs := VerifyModule(orig); len(errs) > 0 {
			t.Fatalf("seed %d: the generator wrote invalid IR:\n%s\n%s", seed, errorLines(errs), src)
		}
		opt, _ := Parse(src)
		if err := runPass(opt.Funcs[0], Pass{Name: "promote", Run: Promote}, Config{Verify: true}); err != nil {
			t.Fatalf("seed %d: %v\n%s", seed, err, src)
		}
		if opt.Funcs[0].String() != orig.Funcs[0].String() {
			promoted++
		}
		rng := rand.New(rand.NewPCG(seed, 3))
		ps := []uint32{0, 8, 64, 1000, 65536 - 32, 65536 - 8, 65536, 0xfffffff8}
		for k := range 12 {
			p := ps[rng.IntN(len(ps))]
			var q uint32
			switch k % 4 {
			case 0: // apart
				q = 2000 + uint32(rng.IntN(8))*8
			case 1: // onto or around p's fields, before or during the loop
				q = p - 64 + uint32(rng.IntN(96))
			case 2: // stepping out of memory, or wrapping
				q = []uint32{65536 - 40, 0xffffffd0, 0xfffffff0}[rng.IntN(3)]
			case 3:
				q = uint32(rng.IntN(70000))
			}
			cnt := []uint32{1, 2, 3, 7, 40, 0}[rng.IntN(6)]
			args := []Val{I32Val(int32(p)), I32Val(int32(q)), I32Val(int32(cnt))}
			io, _ := Instantiate(orig, nil, InterpConfig{})
			ip, _ := Instantiate(opt, nil, InterpConfig{})
			r1, e1 := io.funcs[0].Call(args)
			r2, e2 := ip.funcs[0].Call(args)
			calls++
			if a, b := outcome(r1, e1), outcome(r2, e2); a != b {
				t.Fatalf("seed %d: p=%#x q=%#x n=%d: %s before, %s after\nbefore:\n%s\nafter:\n%s", seed, p, q, cnt, a, b, src, opt.Funcs[0])
			}
			if a, b := stateString(io), stateString(ip); a != b {
				t.Fatalf("seed %d: p=%#x q=%#x n=%d: memory differs\nbefore:\n%s\nafter:\n%s", seed, p, q, cnt, src, opt.Funcs[0])
			}
			if e1 == nil && k%4 == 0 {
				fast++
			}
		}
	}
	t.Logf("%d calls of %d functions; Promote changed %d", calls, n, promoted)
	if promoted < n/2 {
		t.Fatalf("the generator no longer exercises the pass: %d of %d promoted", promoted, n)
	}
}

// genPromote writes a function $f(p, q, n) whose loop body mixes accesses to fields of p
// (some of which Promote may keep in registers) with accesses through q, which steps by
// a constant; the count goes down to zero, or up to n.
func genPromote(seed uint64) string {
	rng := rand.New(rand.NewPCG(seed, 11))
	var b strings.Builder
	next := 20
	val := func() string { next++; return fmt.Sprintf("v%d", next) }
	b.WriteString("memory mem0 min 1\n\nfunc $f(i32, i32, i32) -> i64 {\n")
	// A nonzero start, so that what the stores write, and so what aliasing changes, shows.
	fmt.Fprintf(&b, "b0(v0:i32, v1:i32, v2:i32):\n    v3:i64 = iconst %d\n", 0x1234567+rng.IntN(1000))
	countUp := rng.IntN(3) == 0
	if countUp {
		b.WriteString("    v4:i32 = iconst 0\n    jump b1(v1, v4, v3)\n")
	} else {
		b.WriteString("    jump b1(v1, v2, v3)\n")
	}
	// One access through q on every pass, so that a loop whose count runs around 2^32
	// ends when q leaves memory.
	b.WriteString("b1(v10:i32, v11:i32, v12:i64):\n    boundscheck mem0, v10, 8\n    v13:i64 = load mem0[v10 + 0]\n    v14:i64 = iadd v12, v13\n")
	acc := "v14"
	type field struct {
		off  int
		typ  string
		wide int
	}
	fields := []field{{0, "i64", 8}, {8, "i64", 8}, {16, "i32", 4}, {20, "i32", 4}, {24, "i64", 8}}
	if rng.IntN(4) == 0 {
		fields = append(fields, field{4, "i32", 4}) // overlaps field 0: that key stays
	}
	step := []int{8, 16, 24, 56}[rng.IntN(4)]
	ops := 4 + rng.IntN(8)
	for range ops {
		f := fields[rng.IntN(len(fields))]
		ptr, off := "v0", f.off
		if rng.IntN(3) == 0 {
			// Through q, at q + k (an add of a constant) or q itself.
			ptr = "v10"
			if k := rng.IntN(4) * 8; k > 0 {
				c, a := val(), val()
				fmt.Fprintf(&b, "    %s:i32 = iconst %d\n    %s:i32 = iadd v10, %s\n", c, k, a, c)
				ptr = a
			}
		}
		fmt.Fprintf(&b, "    boundscheck mem0, %s, %d\n", ptr, off+f.wide)
		x := val()
		fmt.Fprintf(&b, "    %s:%s = load mem0[%s + %d]\n", x, f.typ, ptr, off)
		if f.typ == "i32" {
			w := val()
			fmt.Fprintf(&b, "    %s:i64 = zext %s\n", w, x)
			x = w
		}
		sum := val()
		fmt.Fprintf(&b, "    %s:i64 = iadd %s, %s\n", sum, acc, x)
		acc = sum
		if rng.IntN(2) == 0 {
			v := acc
			if f.typ == "i32" {
				v = val()
				fmt.Fprintf(&b, "    %s:i32 = wrap %s\n", v, acc)
			}
			fmt.Fprintf(&b, "    boundscheck mem0, %s, %d\n", ptr, off+f.wide)
			fmt.Fprintf(&b, "    store mem0[%s + %d], %s\n", ptr, off, v)
		}
	}
	sc, qn := val(), val()
	fmt.Fprintf(&b, "    %s:i32 = iconst %d\n    %s:i32 = iadd v10, %s\n", sc, step, qn, sc)
	if countUp {
		one, cn, cond := val(), val(), val()
		fmt.Fprintf(&b, "    %s:i32 = iconst 1\n    %s:i32 = iadd v11, %s\n    %s:i32 = icmp ne %s, v2\n", one, cn, one, cond, cn)
		fmt.Fprintf(&b, "    brif %s, b1(%s, %s, %s), b2\n", cond, qn, cn, acc)
	} else {
		m1, cn := val(), val()
		fmt.Fprintf(&b, "    %s:i32 = iconst -1\n    %s:i32 = iadd v11, %s\n", m1, cn, m1)
		fmt.Fprintf(&b, "    brif %s, b1(%s, %s, %s), b2(%s)\n", cn, qn, cn, acc, acc)
	}
	if countUp {
		fmt.Fprintf(&b, "b2:\n    return %s\n}\n", "v3")
	} else {
		r := val()
		fmt.Fprintf(&b, "b2(%s:i64):\n    return %s\n}\n", r, r)
	}
	return b.String()
}
