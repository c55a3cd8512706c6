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
