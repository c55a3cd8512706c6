package driver_test

import (
	"regexp"
	"strings"
	"testing"

	"github.com/wasmc/wasmc/backend"
	"github.com/wasmc/wasmc/internal/targettest"
)

// TestTrapBacktrace: a trap prints the wasm frames from the trapping function out to the
// entry's call, innermost first, each at its return address, from the frame records every
// function keeps; for a trap stub's call, a memory access that faults into the guard
// pages' signal handler, and one checked explicitly. A runaway recursion shows 32 frames
// and counts the rest. At -O0, so that no function is inlined into its caller.
func TestTrapBacktrace(t *testing.T) {
	targettest.Each(t, func(t *testing.T, x targettest.Exec) {
		const chain = `(module (memory 1)
  (func $main (export "_start") (call $outer (i32.const 1)))
  (func $outer (param i32) (drop (call $inner (local.get 0))))
  (func $inner (param i32) (result i32) %s))`
		frames := `\n  at \$inner\+0x[0-9a-f]+\n  at \$outer\+0x[0-9a-f]+\n  at \$main\+0x[0-9a-f]+\n$`
		for _, tc := range []struct{ name, body, trap string }{
			{"unreachable", "unreachable", "unreachable"},
			{"divide", "(i32.div_u (i32.const 1) (i32.sub (local.get 0) (i32.const 1)))", "integer divide by zero"},
			{"memory", "(i32.load (i32.mul (local.get 0) (i32.const 0x7ffffff0)))", "out of bounds memory access"},
		} {
			for _, b := range []backend.BoundsChecks{backend.BoundsGuard, backend.BoundsExplicit} {
				o := options(x.ISA, 0)
				o.BoundsChecks = b
				src := strings.Replace(chain, "%s", tc.body, 1)
				stderr, status := runExe(t, x.Runner, build(t, "chain.wat", []byte(src), o))
				want := "^wasm trap: " + tc.trap + frames
				if status != 134 || !regexp.MustCompile(want).MatchString(stderr) {
					t.Errorf("%s --bounds-checks=%v: status %d, stderr %q; want 134, %q", tc.name, b, status, stderr, want)
				}
			}
		}
		rec := `(module (func $main (export "_start") (call $r (i32.const 0)))
  (func $r (param i32) (call $r (i32.add (local.get 0) (i32.const 1)))))`
		stderr, status := runExe(t, x.Runner, build(t, "rec.wat", []byte(rec), options(x.ISA, 0)))
		want := `^wasm trap: call stack exhausted\n(  at \$r\+0x[0-9a-f]+\n){32}  \.\.\. [0-9]+ more frames\n$`
		if status != 134 || !regexp.MustCompile(want).MatchString(stderr) {
			t.Errorf("recursion: status %d, stderr %q; want 134, %q", status, stderr, want)
		}
	})
}

// TestTrapBacktraceBulk (issue 19, finding 9): a bulk memory or table instruction that
// the runtime carries out (memory.init, table.fill, table.copy, table.init, and on arm64
// memory.fill and memory.copy) and that traps is reported in the wasm function that
// executed it, as an inline instruction is: the top frame is the guest's, and no runtime
// function appears. At -O0 every frame is checked; at -O2, where the callers may be
// inlined, the top frame must still be one of them.
func TestTrapBacktraceBulk(t *testing.T) {
	targettest.Each(t, func(t *testing.T, x targettest.Exec) {
		const chain = `(module (memory 1) (table 4 funcref) (elem $e func $main) (data $d "hello")
  (func $main (export "_start") (call $outer (i32.const 1)))
  (func $outer (param i32) (call $inner (local.get 0)))
  (func $inner (param i32) %s))`
		frames := `\n  at \$inner\+0x[0-9a-f]+\n  at \$outer\+0x[0-9a-f]+\n  at \$main\+0x[0-9a-f]+\n$`
		for _, tc := range []struct{ name, body, trap string }{
			{"memory.init", "(memory.init $d (i32.const 65535) (local.get 0) (i32.const 4))", "out of bounds memory access"},
			{"memory.fill", "(memory.fill (i32.const 65535) (local.get 0) (i32.const 2))", "out of bounds memory access"},
			{"memory.copy", "(memory.copy (i32.const 0) (i32.const 65535) (i32.add (local.get 0) (i32.const 1)))", "out of bounds memory access"},
			{"table.fill", "(table.fill (i32.const 3) (ref.null func) (i32.add (local.get 0) (i32.const 1)))", "out of bounds table access"},
			{"table.copy", "(table.copy (i32.const 3) (i32.const 0) (i32.add (local.get 0) (i32.const 1)))", "out of bounds table access"},
			{"table.init", "(table.init $e (i32.const 0) (local.get 0) (i32.const 1))", "out of bounds table access"},
		} {
			for _, level := range []int{0, 2} {
				src := strings.Replace(chain, "%s", tc.body, 1)
				stderr, status := runExe(t, x.Runner, build(t, "bulk.wat", []byte(src), options(x.ISA, level)))
				want := "^wasm trap: " + tc.trap + frames
				if level == 2 {
					want = "^wasm trap: " + tc.trap + `\n  at \$(inner|outer|main)\+0x[0-9a-f]+\n`
				}
				if status != 134 || !regexp.MustCompile(want).MatchString(stderr) || strings.Contains(stderr, "wasmc_") {
					t.Errorf("%s -O%d: status %d, stderr %q; want 134, %q and no runtime frame", tc.name, level, status, stderr, want)
				}
			}
		}
	})
}
