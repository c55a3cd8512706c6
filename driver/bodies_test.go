package driver_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/wasmc/wasmc/driver"
	"github.com/wasmc/wasmc/frontend"
	"github.com/wasmc/wasmc/frontend/wat"
)

// invalidBodies is a command of n functions, each but the last called by the one before
// from _start on, whose bodies listed in bad are invalid, each in two ways (a local that
// does not exist, which lowering unchecked would index, then a type mismatch at the end).
// dead lists functions nothing calls, so that dead-function elimination drops them; extra
// goes into the module as is. Small bodies, so that -O2 inlines them.
func invalidBodies(n int, bad, dead []int, extra string) string {
	var s strings.Builder
	s.WriteString("(module\n" + extra + "\n")
	s.WriteString("  (func (export \"_start\") (drop (call $f0)))\n")
	for i := range n {
		fmt.Fprintf(&s, "  (func $f%d (result i32)", i)
		switch {
		case contains(bad, i):
			s.WriteString(" (i64.const 1) (drop (local.get 7))")
		case i+1 < n && !contains(dead, i+1):
			fmt.Fprintf(&s, " (i32.add (call $f%d) (i32.const %d))", i+1, i)
		default:
			fmt.Fprintf(&s, " (i32.const %d)", i)
		}
		s.WriteString(")\n")
	}
	s.WriteString(")\n")
	return s.String()
}

func contains(xs []int, x int) bool {
	for _, y := range xs {
		if x == y {
			return true
		}
	}
	return false
}

// TestBuildInvalidBody checks that a command whose bodies are validated by the codegen
// workers (issue 21) reports an invalid module as a module validated whole before the
// build does (driver.Load): the same message and position, the lowest-index invalid
// body's whatever the workers' order, before any error found later in the build, and
// for a body dead-function elimination drops; at -O0 and at -O2, whose inliner builds
// small callees' bodies into their callers; in the binary format and in text.
func TestBuildInvalidBody(t *testing.T) {
	isa := amd64ISA(t)
	const n = 400
	for _, tc := range []struct {
		name      string
		bad, dead []int
		extra     string
	}{
		{name: "high index", bad: []int{390}},
		{name: "several", bad: []int{399, 250, 120, 121}},
		{name: "dead", bad: []int{300}, dead: []int{300}},
		{name: "dead first", bad: []int{50, 300}, dead: []int{50}},
		// An import the command cannot have, found after loading, and a duplicate
		// export, which validation checks after the bodies.
		{name: "then import", bad: []int{333}, extra: `  (import "env" "f" (func))`},
		{name: "then export", bad: []int{333}, extra: `  (func (export "x")) (func (export "x"))`},
	} {
		src := invalidBodies(n, tc.bad, tc.dead, tc.extra)
		fm, err := wat.ParseModule("m.wat", []byte(src))
		if err != nil {
			t.Fatal(err)
		}
		bin := frontend.Encode(fm)
		for _, in := range []driver.Input{{Path: "m.wasm", Data: bin}, {Path: "m.wat", Data: []byte(src)}} {
			_, lerr := driver.Load(in.Path, in.Data)
			if lerr == nil || !strings.Contains(lerr.Error(), ": unknown local 7") {
				t.Fatalf("%s, %s: Load: %v, want unknown local 7", tc.name, in.Path, lerr)
			}
			for _, level := range []int{0, 2} {
				o := options(isa, level)
				o.RequireEntry = true
				exe, err := driver.Build([]driver.Input{in}, o)
				if err == nil || err.Error() != lerr.Error() || exe != nil {
					t.Errorf("%s, %s, -O%d: error %v (%d bytes of executable), want %v", tc.name, in.Path, level, err, len(exe), lerr)
				}
			}
		}
	}
}
