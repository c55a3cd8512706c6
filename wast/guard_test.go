package wast_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/wasmc/wasmc/backend"
	"github.com/wasmc/wasmc/driver"
	"github.com/wasmc/wasmc/internal/targettest"
	"github.com/wasmc/wasmc/wast"
)

// guardAccess is one wasm access instruction and the width of what it touches. lane is
// the lane immediate of the vector accesses of one lane, which also take a v128 operand.
type guardAccess struct {
	op, t string
	width uint64
	store bool
	lane  string
}

var guardAccesses = []guardAccess{
	{"i32.load", "i32", 4, false, ""}, {"i64.load", "i64", 8, false, ""}, {"f32.load", "f32", 4, false, ""},
	{"f64.load", "f64", 8, false, ""}, {"i32.load8_u", "i32", 1, false, ""}, {"i32.load16_s", "i32", 2, false, ""},
	{"i64.load8_s", "i64", 1, false, ""}, {"i64.load16_u", "i64", 2, false, ""}, {"i64.load32_s", "i64", 4, false, ""},
	{"i32.store", "i32", 4, true, ""}, {"i64.store", "i64", 8, true, ""}, {"f32.store", "f32", 4, true, ""},
	{"f64.store", "f64", 8, true, ""}, {"i32.store8", "i32", 1, true, ""}, {"i32.store16", "i32", 2, true, ""},
	{"i64.store8", "i64", 1, true, ""}, {"i64.store16", "i64", 2, true, ""}, {"i64.store32", "i64", 4, true, ""},
}

// simdAccesses are the vector accesses, for targets that select vector ops.
var simdAccesses = []guardAccess{
	{"v128.load", "v128", 16, false, ""}, {"v128.store", "v128", 16, true, ""},
	{"v128.load8x8_s", "v128", 8, false, ""}, {"v128.load32_zero", "v128", 4, false, ""},
	{"v128.load16_splat", "v128", 2, false, ""}, {"v128.load8_lane", "v128", 1, false, " 3"},
	{"v128.load64_lane", "v128", 8, false, " 1"}, {"v128.store16_lane", "v128", 2, true, " 7"},
	{"v128.store32_lane", "v128", 4, true, " 0"},
}

// zero is the constant 0 of type t.
func zero(t string) string {
	if t == "v128" {
		return "(v128.const i64x2 0 0)"
	}
	return "(" + t + ".const 0)"
}

// guardOffsets are static offsets on both sides of what guard pages cover: small ones, the
// largest whose access ends inside the guard region (no check), the smallest that ends past
// it (an explicit check), and offsets near 4 GiB.
func guardOffsets(width uint64) []uint64 {
	g := uint64(backend.GuardRegion)
	return []uint64{0, 1, 4096, 65535, g - width - 65536, g - width, g - width + 1, g, 1<<32 - 1}
}

// guardScript is a .wast script that, for each access width and offset, accesses the last
// valid byte of a one-page memory (which must work) and one byte past it (which must trap,
// leaving memory as it was), then grows the memory and does the same at the end of the
// second page. Each case has its own function, as a compiler sees one access with one
// static offset at a time. simd adds the vector accesses.
func guardScript(simd bool) string {
	const page = 65536
	var mod, before, after strings.Builder
	mod.WriteString("(module (memory 1)\n")
	mod.WriteString("  (func (export \"grow\") (result i32) (memory.grow (i32.const 1)))\n")
	mod.WriteString("  (func (export \"peek\") (param i32) (result i32) (i32.load8_u (local.get 0)))\n")
	n := 0
	accesses := guardAccesses
	if simd {
		accesses = append(accesses[:len(accesses):len(accesses)], simdAccesses...)
	}
	for _, a := range accesses {
		for _, off := range guardOffsets(a.width) {
			name := fmt.Sprintf("f%d", n)
			n++
			arg, result := "", ""
			if a.store || a.lane != "" {
				arg = " " + zero(a.t)
			}
			if a.store {
				fmt.Fprintf(&mod, "  (func (export %q) (param i32) (%s offset=%d%s (local.get 0)%s))\n", name, a.op, off, a.lane, arg)
			} else {
				result = " " + zero(a.t)
				fmt.Fprintf(&mod, "  (func (export %q) (param i32) (result %s) (%s offset=%d%s (local.get 0)%s))\n", name, a.t, a.op, off, a.lane, arg)
			}
			call := func(addr int64) string { return fmt.Sprintf("(invoke %q (i32.const %d))", name, addr) }
			trap := func(w *strings.Builder, addr int64) {
				fmt.Fprintf(w, "(assert_trap %s \"out of bounds memory access\")\n", call(addr))
			}
			for i, w := range []*strings.Builder{&before, &after} {
				size := uint64(i+1) * page
				if off+a.width > size {
					trap(w, 0)
				} else {
					last := int64(size - off - a.width)
					fmt.Fprintf(w, "(assert_return %s%s)\n", call(last), result)
					trap(w, last+1)
				}
				trap(w, -1) // the largest index: 4 GiB + offset, in the guard or past it
			}
		}
	}
	mod.WriteString(")\n")
	mod.WriteString(before.String())
	// The trapping stores wrote nothing.
	for i := page - 8; i < page; i++ {
		fmt.Fprintf(&mod, "(assert_return (invoke \"peek\" (i32.const %d)) (i32.const 0))\n", i)
	}
	mod.WriteString("(assert_return (invoke \"grow\") (i32.const 1))\n")
	mod.WriteString(after.String())
	return mod.String()
}

// TestGuardBoundaries checks every access width at the last valid byte and one past it, with
// offsets on both sides of the guard region, before and after memory.grow: in the
// interpreter, and natively with guard pages and with explicit checks. A guard-page fault
// must be reported exactly as an explicit check's trap.
func TestGuardBoundaries(t *testing.T) {
	scalar := writeScript(t, "guard.wast", guardScript(false))
	vector := writeScript(t, "guard_simd.wast", guardScript(true))
	check := func(t *testing.T, name, p string, cfg wast.Config) {
		lines, tally := run(p, cfg)
		if tally.Failed > 0 || tally.Skipped > 0 || tally.Passed < 500 {
			t.Errorf("%s: %v\n%s", name, tally, strings.Join(lines, "\n"))
		}
	}
	check(t, "interpreter", vector, interp(0))
	targettest.Each(t, func(t *testing.T, x targettest.Exec) {
		p := scalar
		if driver.SelectsSIMD(x.ISA) {
			p = vector
		}
		for _, level := range []int{0, 2} {
			for _, b := range []backend.BoundsChecks{backend.BoundsGuard, backend.BoundsExplicit} {
				cfg := native(t, x, level)
				cfg.Options.BoundsChecks = b
				check(t, fmt.Sprintf("-O%d --bounds-checks=%v", level, b), p, cfg)
			}
		}
	})
}
