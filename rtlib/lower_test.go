package rtlib_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/wasmc/wasmc/ir"
	"github.com/wasmc/wasmc/rtlib"
)

// guestIR is a guest with a memory, linked first as the convention wants.
const guestIR = `memory mem0 min 1

func $main() {
b0:
    return
}
`

// TestLowerIntrinsics links the runtime with a guest, keeping every function, and checks
// that lowering leaves no import of module wasmc, a module that verifies, and calls that
// became ordinary calls.
func TestLowerIntrinsics(t *testing.T) {
	_, rt := lowerRuntime(t)
	guest, err := ir.Parse(guestIR)
	if err != nil {
		t.Fatal(err)
	}
	m, err := ir.Link([]ir.LinkInput{{Module: guest}, {Name: "rt", Module: rt}},
		ir.LinkConfig{Entries: []int{0, 1}, RequireResolved: true, ExternModules: []string{rtlib.Module}, KeepAll: true})
	if err != nil {
		t.Fatal(err)
	}
	intrinsics := 0
	for _, f := range m.Funcs {
		if f.Import != nil && f.Import.Module == rtlib.Module {
			intrinsics++
		}
	}
	if intrinsics == 0 {
		t.Fatal("the linked runtime imports no intrinsic")
	}
	sys, err := rtlib.SyscallNumbers("linux", "amd64")
	if err != nil {
		t.Fatal(err)
	}
	if err := rtlib.LowerIntrinsics(m, rtlib.Layout{RuntimeMemory: 1, GuestMemory: 0, Syscalls: sys}); err != nil {
		t.Fatal(err)
	}
	for _, f := range m.Funcs { // intrinsic bodies are built on demand
		if err := f.Load(); err != nil {
			t.Fatal(err)
		}
	}
	if errs := ir.VerifyModule(m); len(errs) > 0 {
		t.Fatal(errors.Join(errs...))
	}
	ops := map[ir.Op]bool{}
	for _, f := range m.Funcs {
		if f.Import != nil {
			t.Errorf("$%s is still imported from %s", f.Name, f.Import.Module)
		}
		for _, b := range f.Layout {
			for _, id := range f.Blocks[b].Instrs {
				in := f.Instrs[id]
				ops[in.Op] = true
				if in.Op == ir.OpCallImport {
					t.Errorf("$%s: %s", f.Name, f.InstrString(id))
				}
			}
		}
	}
	for _, op := range []ir.Op{ir.OpSyscall, ir.OpHostLoad, ir.OpHostLoad8, ir.OpHostStore, ir.OpMemDesc, ir.OpFunctab, ir.OpTrap} {
		if !ops[op] {
			t.Errorf("no lowered intrinsic uses %v", op)
		}
	}
}

// TestLowerIntrinsicsErrors: a layout outside the module and an import of a name the
// runtime does not define are errors, not panics.
func TestLowerIntrinsicsErrors(t *testing.T) {
	m, err := ir.Parse(guestIR)
	if err != nil {
		t.Fatal(err)
	}
	if err := rtlib.LowerIntrinsics(m, rtlib.Layout{RuntimeMemory: 3, GuestMemory: -1}); err == nil {
		t.Error("runtime memory 3 of 1 accepted")
	}
	bad, err := ir.Parse(`memory mem0 min 1

import func $nope() from "wasmc" "nope"
`)
	if err != nil {
		t.Fatal(err)
	}
	err = rtlib.LowerIntrinsics(bad, rtlib.Layout{GuestMemory: -1})
	if err == nil || !strings.Contains(err.Error(), "nope") {
		t.Errorf("unknown intrinsic: %v", err)
	}
}
