package driver_test

import (
	"fmt"
	"runtime"
	"strings"
	"testing"

	"github.com/wasmc/wasmc/driver"
	"github.com/wasmc/wasmc/frontend"
	"github.com/wasmc/wasmc/frontend/wat"
	"github.com/wasmc/wasmc/internal/targettest"
)

// Modules whose register allocation once took time and memory in the product of live
// values and blocks (issue 19, finding 2): the allocator's liveness was a set of every
// value per block, iterated to a fixed point. regalloc/hostile_test.go has the same shapes
// as machine code; these are the wasm that produce them.
var hostileLiveness = []struct {
	name string
	wat  func(n int) string
	n    int // the size TestBuildHostileLiveness builds
}{
	{"live-across-ifs", liveAcrossIfs, 20000},
	{"defined-between-ifs", definedBetweenIfs, 20000},
	{"results-tested-in-ifs", resultsTestedInIfs, 20000},
	{"nested-loops", deepLoops, 90000},
	{"locals-across-ifs", localsAcross("(if (local.get 0) (then (global.set $g (i32.const 1))))"), 20000},
	{"locals-written-in-ifs", localsAcross("(if (local.get 0) (then (local.set %d (i32.const 1))))"), 20000},
	{"locals-across-br-ifs", localsAcross("(br_if 0 (local.get 0))"), 20000},
	{"locals-across-loops", localsAcross("(loop (br_if 0 (local.get 0)))"), 20000},
}

// localsAcross returns a generator of n locals set at the top, then n copies of step
// (whose %d, if any, is the copy's local), then the sum of the locals, all in one block.
// SSA construction once recorded every local's definition in every block it looked
// through, locals × blocks entries: 20,000 locals across 20,000 ifs ran out of memory.
func localsAcross(step string) func(n int) string {
	return func(n int) string {
		var b strings.Builder
		b.WriteString("(module (memory 1) (global $g (mut i32) (i32.const 0))\n(func (export \"_start\") (local i32)")
		b.WriteString(strings.Repeat(" (local i32)", n))
		b.WriteString("\n(local.set 0 (i32.load (i32.const 0)))\n(block\n")
		for i := range n {
			fmt.Fprintf(&b, "(local.set %d (i32.load offset=%d (i32.const 0)))\n", i+1, 4*(i%16000))
		}
		for i := range n {
			if strings.Contains(step, "%d") {
				fmt.Fprintf(&b, step+"\n", i+1)
			} else {
				b.WriteString(step + "\n")
			}
		}
		b.WriteString("(local.get 1)\n")
		for i := 1; i < n; i++ {
			fmt.Fprintf(&b, "(local.get %d) i32.add\n", i+1)
		}
		b.WriteString("global.set $g)))\n")
		return b.String()
	}
}

// liveAcrossIfs is n values loaded onto the operand stack, live across n ifs on another
// value, each if storing to a global, and then summed: every value is live across every
// if, at -O0 and at -O2.
func liveAcrossIfs(n int) string {
	var b strings.Builder
	b.WriteString("(module (memory 1) (global $g (mut i32) (i32.const 0))\n(func (export \"_start\") (local i32)\n")
	b.WriteString("(local.set 0 (i32.load (i32.const 0)))\n")
	for i := range n {
		fmt.Fprintf(&b, "(i32.load offset=%d (i32.const 0))\n", 4*(i%16000))
	}
	for range n {
		b.WriteString("(if (local.get 0) (then (global.set $g (i32.const 1))))\n")
	}
	b.WriteString(strings.Repeat("i32.add\n", n-1))
	b.WriteString("global.set $g))\n")
	return b.String()
}

// definedBetweenIfs is n values loaded onto the operand stack, the k-th just before the
// k-th of n ifs, and then summed: value k lives across n-k ifs.
func definedBetweenIfs(n int) string {
	var b strings.Builder
	b.WriteString("(module (memory 1) (global $g (mut i32) (i32.const 0))\n(func (export \"_start\") (local i32)\n")
	b.WriteString("(local.set 0 (i32.load (i32.const 0)))\n")
	for i := range n {
		fmt.Fprintf(&b, "(i32.load offset=%d (i32.const 0))\n", 4*(i%16000))
		b.WriteString("(if (local.get 0) (then (global.set $g (i32.const 1))))\n")
	}
	b.WriteString(strings.Repeat("i32.add\n", n-1))
	b.WriteString("global.set $g))\n")
	return b.String()
}

// resultsTestedInIfs is a call returning n values, each then tested by an if in turn, the
// last result first: the k-th result from the top lives across k ifs.
func resultsTestedInIfs(n int) string {
	var b strings.Builder
	b.WriteString("(module (memory 1) (global $g (mut i32) (i32.const 0))\n(func $many (result")
	b.WriteString(strings.Repeat(" i32", n))
	b.WriteString(")\n")
	for i := range n {
		fmt.Fprintf(&b, "(i32.load offset=%d (i32.const 0))\n", 4*(i%16000))
	}
	b.WriteString(")\n(func (export \"_start\")\n(call $many)\n")
	b.WriteString(strings.Repeat("(if (then (global.set $g (i32.const 1))))\n", n))
	b.WriteString("))\n")
	return b.String()
}

// TestBuildHostileLivenessRuns builds small instances with the IR verifier and the
// allocation checker on, and runs them.
func TestBuildHostileLivenessRuns(t *testing.T) {
	targettest.Each(t, func(t *testing.T, x targettest.Exec) {
		for _, h := range hostileLiveness {
			for _, level := range []int{0, 2} {
				stderr, status := runExe(t, x.Runner, build(t, h.name+".wat", []byte(h.wat(300)), options(x.ISA, level)))
				if status != 0 || stderr != "" {
					t.Errorf("%s -O%d: status %d, stderr %q", h.name, level, status, stderr)
				}
			}
		}
	})
}

// TestBuildHostileLiveness builds the full-size modules and bounds the bytes the build
// allocates per byte of module text, without timing it. Before liveness went sparse,
// live-across-ifs at -O0 took 45 s and 1.8 GB of resident memory, nested-loops 7.5 GB.
func TestBuildHostileLiveness(t *testing.T) {
	if testing.Short() {
		t.Skip("builds modules of several megabytes")
	}
	isa := amd64ISA(t)
	for _, h := range hostileLiveness {
		wat := []byte(h.wat(h.n))
		for _, level := range []int{0, 2} {
			t.Run(fmt.Sprintf("%s/O%d", h.name, level), func(t *testing.T) {
				o := options(isa, level)
				o.Verify, o.CheckAllocations = false, false
				runtime.GC()
				var before, after runtime.MemStats
				runtime.ReadMemStats(&before)
				if _, err := driver.Build([]driver.Input{{Path: h.name + ".wat", Data: wat}}, o); err != nil {
					t.Fatal(err)
				}
				runtime.ReadMemStats(&after)
				perByte := float64(after.TotalAlloc-before.TotalAlloc) / float64(len(wat))
				t.Logf("%d bytes of text: %.0f bytes allocated per byte", len(wat), perByte)
				if perByte > 600 {
					t.Errorf("allocated %.0f bytes per byte of module text, more than 600", perByte)
				}
			})
		}
	}
}

// BenchmarkBuildHostileLiveness reports the build time of the hostile modules per byte of
// text, at a tenth of the size and at full size: the two stay close where the work is
// linear.
func BenchmarkBuildHostileLiveness(b *testing.B) {
	for _, h := range hostileLiveness {
		for _, n := range []int{h.n / 10, h.n} {
			wat := []byte(h.wat(n))
			for _, level := range []int{0, 2} {
				b.Run(fmt.Sprintf("%s/%d/O%d", h.name, n, level), func(b *testing.B) {
					o := options(amd64ISA(b), level)
					o.Verify, o.CheckAllocations = false, false
					for b.Loop() {
						if _, err := driver.Build([]driver.Input{{Path: "m.wat", Data: wat}}, o); err != nil {
							b.Fatal(err)
						}
					}
					b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(len(wat)), "ns/byte")
				})
			}
		}
	}
}

// TestBuildDeclaredLocals builds functions that each declare 2^24 locals in a few bytes
// and read two: lowering must cost what a body holds, not what it declares. Each function
// once allocated 16 MB of local types alone.
func TestBuildDeclaredLocals(t *testing.T) {
	var b strings.Builder
	b.WriteString("(module (global $g (mut i64) (i64.const 0))\n")
	for range 8 {
		b.WriteString("(func (local i32 i32) (global.set $g (i64.extend_i32_u (i32.add (local.get 0) (local.get 1)))))\n")
	}
	b.WriteString("(func (export \"_start\")")
	for i := range 8 {
		fmt.Fprintf(&b, " (call %d)", i)
	}
	b.WriteString("))")
	m, err := wat.ParseModule("locals.wat", []byte(b.String()))
	if err != nil {
		t.Fatal(err)
	}
	for i := range m.Codes[:8] {
		for j := range m.Codes[i].Locals {
			m.Codes[i].Locals[j].Count = 1 << 24 // the most lowering takes
		}
	}
	bin := frontend.Encode(m)
	o := options(amd64ISA(t), 2)
	o.Verify, o.CheckAllocations = false, false
	runtime.GC()
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	if _, err := driver.Build([]driver.Input{{Path: "locals.wasm", Data: bin}}, o); err != nil {
		t.Fatal(err)
	}
	runtime.ReadMemStats(&after)
	alloc := after.TotalAlloc - before.TotalAlloc
	t.Logf("%d bytes of module: %d MB allocated", len(bin), alloc>>20)
	if alloc > 32<<20 {
		t.Errorf("allocated %d MB for 8 functions declaring 2^24 locals each, more than 32 MB", alloc>>20)
	}
}
