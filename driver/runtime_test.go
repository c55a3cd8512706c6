package driver

import (
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"testing"

	"github.com/wasmc/wasmc/backend"
	"github.com/wasmc/wasmc/ir"
)

// TestInvokeTypeCodes holds the type codes --invoke's generated code passes to the runtime
// to the ones the runtime reads (WASMC_INVOKE_* in rtlib/c/wasmc.h): one list each side,
// same names, same numbers.
func TestInvokeTypeCodes(t *testing.T) {
	h, err := os.ReadFile(filepath.Join("..", "rtlib", "c", "wasmc.h"))
	if err != nil {
		t.Fatal(err)
	}
	defines := regexp.MustCompile(`(?m)^#define WASMC_INVOKE_(\w+) (\d+)$`).FindAllSubmatch(h, -1)
	if len(defines) != len(invokeTypes) {
		t.Errorf("wasmc.h defines %d WASMC_INVOKE_ codes, the driver knows %d types", len(defines), len(invokeTypes))
	}
	for _, d := range defines {
		code, _ := strconv.Atoi(string(d[2]))
		name := string(d[1])
		if code >= len(invokeTypes) {
			t.Errorf("WASMC_INVOKE_%s is %d: the driver has no type with that code", name, code)
			continue
		}
		if got := invokeTypes[code].String(); got != name {
			t.Errorf("WASMC_INVOKE_%s is %d, which the driver passes for %s", name, code, got)
		}
		if invokeTypeCode(invokeTypes[code]) != code {
			t.Errorf("invokeTypeCode(%s) = %d, want %d", name, invokeTypeCode(invokeTypes[code]), code)
		}
	}
	if invokeTypeCode(ir.V128) != -1 {
		t.Error("v128 has an --invoke type code")
	}
}

// TestRuntimeExports checks that rt.wasm exports, as functions of the right types, every
// routine of backend's table and every other export the driver calls.
func TestRuntimeExports(t *testing.T) {
	var names []string
	for r := range backend.NumRuntimeRoutines {
		if name := r.Export(); name != "" {
			names = append(names, name)
		} else if r != backend.RtTrap {
			t.Errorf("routine %v has no runtime export", r)
		}
	}
	names = append(append(append(names, rtTrap, rtArgsInit, rtWASIInit), invokeExports...), driverExports...)
	m, err := runtimeModule(backend.OSLinux, names)
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range names {
		if _, ok := m.Export(name, ir.ExternFunc); !ok {
			t.Errorf("rt.wasm exports no function %q", name)
		}
	}
	// The routines' operands are the IR ops' (backend.RuntimeRoutine's doc): a memory or
	// table index first, as an i32.
	for r, params := range map[backend.RuntimeRoutine]int{
		backend.RtMemoryGrow: 2, backend.RtMemoryFill: 4, backend.RtMemoryCopy: 5, backend.RtMemoryInit: 5,
		backend.RtTableGrow: 3, backend.RtTableFill: 4, backend.RtTableCopy: 5, backend.RtTableInit: 5,
	} {
		f, _ := m.Export(r.Export(), ir.ExternFunc)
		if sig := m.Funcs[f].Sig; len(sig.Params) != params || sig.Params[0] != ir.I32 {
			t.Errorf("%s (routine %v) has type %v, want %d parameters, an i32 first", r.Export(), r, sig, params)
		}
	}
}

// TestRoutineNames: every routine has a distinct dump name, and String and Export stay in
// range for numbers past the table.
func TestRoutineNames(t *testing.T) {
	seen := map[string]bool{}
	for r := range backend.NumRuntimeRoutines {
		name := r.String()
		if name == "" || seen[name] {
			t.Errorf("routine %d: name %q is empty or taken", r, name)
		}
		seen[name] = true
	}
	if r := backend.NumRuntimeRoutines; r.String() != fmt.Sprintf("routine(%d)", r) || r.Export() != "" {
		t.Errorf("routine past the table: %q, %q", r.String(), r.Export())
	}
}
