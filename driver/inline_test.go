package driver

import (
	"fmt"
	"strings"
	"testing"

	"github.com/wasmc/wasmc/frontend"
)

// TestPlanInline checks which callees the plan makes inlinable, from their call sites and
// estimated sizes, on a module lowered on demand as Build lowers it: small ones wherever
// called, larger ones called from one site only, never a function that calls itself, and
// never one whose building costs more than its instructions show (a hostile module's
// million nops or locals, or a br_table with thousands of targets, each of which would
// otherwise be lowered again at every call site).
func TestPlanInline(t *testing.T) {
	pad := func(n int) string { return strings.Repeat(" (drop (i32.add (i32.const 1) (i32.const 2)))", n) }
	src := `(module
		(func $small (export "small") (param i32) (result i32) (i32.add (local.get 0) (i32.const 1)))
		(func $once (param i32) (result i32)` + pad(25) + ` (local.get 0))
		(func $twice (param i32) (result i32)` + pad(25) + ` (local.get 0))
		(func $huge_once (param i32) (result i32)` + pad(60) + ` (local.get 0))
		(func $self (param i32) (result i32)
			(if (result i32) (local.get 0) (then (call $self (i32.const 0))) (else (i32.const 1))))
		(func $wide (param i32) (block $b (br_table` + strings.Repeat(" $b", 5000) + ` (local.get 0))))
		(func $nops (param i32)` + strings.Repeat(" nop", 100000) + `)
		(func $locals (param i32) (local` + strings.Repeat(" i32", 100000) + `))
		(func $unused (param i32))
		(func (export "_start")
			(drop (call $small (call $small (call $once (call $twice (call $twice
				(call $huge_once (call $self (i32.const 3)))))))))
			(call $wide (i32.const 1)) (call $wide (i32.const 2))
			(call $nops (i32.const 1)) (call $nops (i32.const 2))
			(call $locals (i32.const 1)) (call $locals (i32.const 2))))`
	fm, err := Load("plan.wat", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	m, err := lower(fm, frontend.LowerLazy, nil)
	if err != nil {
		t.Fatal(err)
	}
	il := newInliner(m)
	want := map[string]bool{"small": true, "once": true}
	var got strings.Builder
	for i, f := range m.Funcs {
		c := il.Cost(uint32(i))
		if (c >= 0) != want[f.Name] {
			fmt.Fprintf(&got, "$%s: cost %d, inlinable %v\n", f.Name, c, want[f.Name])
		}
		if c >= 0 && il.Body(uint32(i)) == nil {
			fmt.Fprintf(&got, "$%s: no body\n", f.Name)
		}
	}
	if got.Len() > 0 {
		t.Errorf("the plan differs:\n%s", got.String())
	}
}
