package rtlib_test

import (
	"os"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/wasmc/wasmc/ir"
	"github.com/wasmc/wasmc/rtlib"
)

// TestModule checks rt.wasm's interface: every import is an intrinsic with its declared
// signature, the routines the backend calls are exported with theirs, and the custom
// sections that would make the build irreproducible are gone.
func TestModule(t *testing.T) {
	fm, m := lowerRuntime(t)
	for _, f := range m.Funcs {
		if f.Import == nil {
			continue
		}
		in, ok := rtlib.Lookup(f.Import.Name)
		if f.Import.Module != rtlib.Module || !ok {
			t.Errorf("import %q %q is not an intrinsic", f.Import.Module, f.Import.Name)
		} else if !f.Sig.Equal(in.Sig) {
			t.Errorf("intrinsic %s imported as %v, want %v", in.Name, f.Sig, in.Sig)
		}
	}
	for _, mem := range m.Memories {
		if mem.Import != nil {
			t.Errorf("rt.wasm imports memory %v: the runtime must keep its own", *mem.Import)
		}
	}
	if len(m.Memories) != rtlib.Memories || len(m.Tables) != rtlib.Tables {
		t.Errorf("rt.wasm defines %d memories and %d tables; rtlib.Memories and Tables say %d and %d",
			len(m.Memories), len(m.Tables), rtlib.Memories, rtlib.Tables)
	}
	i32, i64 := ir.I32, ir.I64
	want := map[string]ir.Signature{
		"wasmc_trap":          {Params: []ir.Type{i32, i64, i64}},
		"wasmc_memory_grow":   {Params: []ir.Type{i32, i32}, Results: []ir.Type{i32}},
		"wasmc_memory_fill":   {Params: []ir.Type{i32, i64, i32, i64}, Results: []ir.Type{i32}},
		"wasmc_memory_copy":   {Params: []ir.Type{i32, i32, i64, i64, i64}, Results: []ir.Type{i32}},
		"wasmc_memory_init":   {Params: []ir.Type{i32, i32, i64, i64, i64}, Results: []ir.Type{i32}},
		"wasmc_table_grow":    {Params: []ir.Type{i32, i64, i32}, Results: []ir.Type{i32}},
		"wasmc_table_fill":    {Params: []ir.Type{i32, i64, i64, i64}, Results: []ir.Type{i32}},
		"wasmc_table_copy":    {Params: []ir.Type{i32, i32, i64, i64, i64}, Results: []ir.Type{i32}},
		"wasmc_table_init":    {Params: []ir.Type{i32, i32, i64, i64, i64}, Results: []ir.Type{i32}},
		"wasmc_driver_value":  {Params: []ir.Type{i64}},
		"wasmc_driver_done":   {},
		"wasmc_driver_trap":   {Params: []ir.Type{i32}},
		"wasmc_driver_exit":   {},
		"wasmc_args_init":     {Params: []ir.Type{i64}},
		"wasmc_invoke_argc":   {Results: []ir.Type{i32}},
		"wasmc_invoke_usage":  {Params: []ir.Type{i32}},
		"wasmc_invoke_arg":    {Params: []ir.Type{i32, i32}, Results: []ir.Type{i64}},
		"wasmc_invoke_result": {Params: []ir.Type{i32, i64}},
		"wasmc_wasi_init":     {},
		"wasmc_wall":          {},
		"wasmc_wall_probe":    {},
	}
	// Every WASI function, exported under its own name with the witx's signature.
	for name, sig := range rtlib.WASIFunctions() {
		want[name] = sig
	}
	var got []string
	for _, e := range m.Exports {
		if e.Kind != ir.ExternFunc {
			continue
		}
		got = append(got, e.Name)
		if w, ok := want[e.Name]; !ok {
			t.Errorf("unexpected export %s", e.Name)
		} else if sig := m.Funcs[e.Index].Sig; !sig.Equal(w) {
			t.Errorf("export %s has type %v, want %v", e.Name, sig, w)
		}
	}
	if len(got) != len(want) {
		t.Errorf("function exports %v, want the %d of %v", got, len(want), want)
	}
	for _, c := range fm.Customs {
		if c.Name == "producers" || c.Name == "target_features" {
			t.Errorf("rt.wasm has a %s section, which names clang's version: rerun go generate", c.Name)
		}
	}
}

func TestLookup(t *testing.T) {
	var names []string
	for _, in := range rtlib.Intrinsics() {
		names = append(names, in.Name)
		if got, ok := rtlib.Lookup(in.Name); !ok || got.Name != in.Name {
			t.Errorf("Lookup(%q) = %v, %v", in.Name, got, ok)
		}
	}
	slices.Sort(names)
	if len(slices.Compact(names)) != len(rtlib.Intrinsics()) {
		t.Errorf("duplicate intrinsic names: %v", names)
	}
	if _, ok := rtlib.Lookup("memory_grow"); ok {
		t.Error("Lookup found an intrinsic that does not exist")
	}
	if in, _ := rtlib.Lookup("trap"); !in.NoReturn {
		t.Error("trap returns")
	}
}

// defines returns the numbers wasmc.h defines as prefix<name>, by name.
func defines(t *testing.T, prefix string) map[string]int {
	t.Helper()
	src, err := os.ReadFile("c/wasmc.h")
	if err != nil {
		t.Fatal(err)
	}
	re := regexp.MustCompile(`(?m)^#define ` + prefix + `(\w+) (\d+)`)
	out := map[string]int{}
	for _, m := range re.FindAllStringSubmatch(string(src), -1) {
		out[m[1]], _ = strconv.Atoi(m[2])
	}
	return out
}

// TestHeaderTrapCodes checks that wasmc.h numbers the trap codes as ir does: every
// ir.TrapCode but none has its name there, with its number. (TestTrapMessages checks the
// messages by running wasmc_trap.)
func TestHeaderTrapCodes(t *testing.T) {
	h := defines(t, "WASMC_TRAP_")
	n := 0
	for c := ir.TrapCode(1); !strings.HasPrefix(c.String(), "trap("); c++ {
		n++
		if v, ok := h[c.String()]; !ok || v != int(c) {
			t.Errorf("wasmc.h: WASMC_TRAP_%s is %d (defined %v), want %d", c, v, ok, c)
		}
	}
	if len(h) != n {
		t.Errorf("wasmc.h defines %d trap codes, ir has %d", len(h), n)
	}
}

// TestHeaderSyscalls checks that wasmc.h and sys.go number the syscalls alike.
func TestHeaderSyscalls(t *testing.T) {
	h := defines(t, "WASMC_SYS_")
	all := rtlib.AllSys()
	for _, s := range all {
		if v, ok := h[s.String()]; !ok || v != int(s) {
			t.Errorf("wasmc.h: WASMC_SYS_%s is %d (defined %v), want %d", s, v, ok, s)
		}
	}
	if len(h) != len(all) {
		t.Errorf("wasmc.h defines %d syscalls, sys.go %d", len(h), len(all))
	}
	layout := defines(t, "WASMC_FUNCTAB_")
	if layout["HEADER"] != rtlib.FunctabHeaderSize || layout["ENTRY"] != rtlib.FunctabEntrySize {
		t.Errorf("wasmc.h's functab layout %v differs from intrinsics.go's", layout)
	}
}
