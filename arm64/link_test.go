package arm64

import (
	"testing"

	"github.com/wasmc/wasmc/backend"
	"github.com/wasmc/wasmc/ir"
)

// A test runtime for backend.Link: just enough to run compiled IR functions as a static
// Linux executable. It is a hand-written _start that calls one function with constant
// arguments and writes its results to stdout, and hand-written runtime routines: RtTrap
// writes one letter, 'A' + the trap code, and exits with 134; RtMemoryGrow grows within
// the memory's static reservation; the others exit with 99. Everything else (state,
// descriptors, layout, relocations) is backend.Link's, which these tests thereby exercise.

const (
	stackBudget  = 1 << 20 // bytes of stack below _start's sp that wasm code may use
	reservePages = 4       // pages reserved per memory, for memgrow
	tableReserve = 64      // elements reserved per table
	exitMissing  = 99      // a runtime routine the test runtime does not implement
)

// linkProgram compiles m with backend.Compile (checking every allocation; with
// regalloc.RunFast, -O0's allocator, if fast) and builds an executable that calls export
// name with args. The code must also decode with arm64asm.
func linkProgram(t testing.TB, m *ir.Module, name string, args []ir.Val, fast bool) []byte {
	t.Helper()
	p, err := backend.Compile(m, New(), backend.Config{Check: true, FastRegalloc: fast})
	if err != nil {
		t.Fatal(err)
	}
	for i, c := range p.Code {
		if c != nil && !hasBrTable(m.Funcs[i]) {
			checkDecodes(t, m.Funcs[i].Name, c.Bytes)
		}
	}
	entry := -1
	for _, e := range m.Exports {
		if e.Name == name && e.Kind == ir.ExternFunc {
			entry = int(e.Index)
		}
	}
	if entry < 0 {
		t.Fatalf("no exported function %q", name)
	}
	img, err := backend.Link(p, backend.Target{Arch: backend.ArchARM64, OS: backend.OSLinux}, testRuntime(t, m, uint32(entry), args))
	if err != nil {
		t.Fatal(err)
	}
	b, err := backend.Write(img)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// testRuntime assembles _start, which calls function index of m with args, and the routines.
func testRuntime(t testing.TB, m *ir.Module, index uint32, args []ir.Val) *backend.Runtime {
	rt := &backend.Runtime{MemoryReserve: reservePages, TableReserve: tableReserve}
	a := &rtAsm{rt: rt}
	f := m.Funcs[index]
	conv := convOf(f.Sig)
	// _start: sp is 16-byte aligned at the entry point.
	a.Emit(SubImm(W64, X0, SP, stackBudget))
	a.str(X0, backend.SymRef{Kind: backend.RefStackLimit}, 0)
	if len(m.Memories) > 0 {
		a.ldr(memBaseReg, backend.SymRef{Kind: backend.RefMemory}, 0)
	}
	out := uint64(8*conv.stackWords()+15) &^ 15
	if out > 0 {
		a.Emit(MovImm(W64, X17, out)...)
		a.Emit(Sub(W64, SP, SP, X17))
	}
	for i, v := range args {
		loc := conv.params[i]
		switch {
		case loc.reg == NoReg:
			a.Emit(MovImm(W64, X16, v.Bits)...)
			a.Emit(Str(W64, X16, MemOff(SP, 8*loc.slot)))
		case loc.reg.IsV():
			a.Emit(MovImm(W64, X16, v.Bits)...)
			a.Emit(FmovVR(W64, loc.reg, X16))
		default:
			a.Emit(MovImm(W64, loc.reg, v.Bits)...)
		}
	}
	a.call(index)
	// Results to a buffer below the outgoing area, then write(1, buf, n) and exit_group(0).
	n := int32(len(f.Sig.Results))
	buf := (8*n + 15) &^ 15
	if buf > 0 {
		a.Emit(SubImm(W64, SP, SP, uint32(buf)))
	}
	for j, loc := range conv.results {
		dst := MemOff(SP, 8*int32(j))
		switch {
		case loc.reg == NoReg:
			a.Emit(Ldr(W64, X16, MemOff(SP, buf+8*loc.slot)))
			a.Emit(Str(W64, X16, dst))
		case loc.reg.IsV():
			a.Emit(StrV(W64, loc.reg, dst))
		default:
			a.Emit(Str(W64, loc.reg, dst))
		}
	}
	a.Emit(Movz(W64, X0, 1, 0), Mov(W64, X1, SP))
	a.Emit(MovImm(W64, X2, uint64(8*n))...)
	a.Emit(MovImm(W64, X8, sysWrite)...)
	a.Emit(Svc(0), Movz(W64, X0, 0, 0))
	a.Emit(MovImm(W64, X8, sysExitGroup)...)
	a.Emit(Svc(0))
	rt.Symbols = append(rt.Symbols, backend.Symbol{Name: "_start", Size: uint64(a.Len()), Kind: backend.SymFunc})

	for i := range rt.Routines {
		a.Align(16)
		rt.Routines[i] = uint32(a.Len())
		routine(a, backend.RuntimeRoutine(i), len(m.Memories) > 0)
	}
	code, err := a.Finish()
	if err != nil {
		t.Fatal(err)
	}
	rt.Bytes = code
	return rt
}

// exit emits exit_group(status).
func exit(a *rtAsm, status uint64) {
	a.Emit(MovImm(W64, X0, status)...)
	a.Emit(MovImm(W64, X8, sysExitGroup)...)
	a.Emit(Svc(0))
}

// routine assembles runtime routine which. A program without memories has no descriptor for
// RtMemoryGrow to refer to, nor code that calls it.
func routine(a *rtAsm, which backend.RuntimeRoutine, memories bool) {
	switch {
	case which == backend.RtMemoryGrow && !memories:
		exit(a, exitMissing)
	case which == backend.RtTrap:
		a.Emit(SubImm(W64, SP, SP, 16), AddImm(W32, X1, X0, 'A'), Strb(X1, MemOff(SP, 0)))
		a.Emit(Movz(W64, X0, 1, 0), Mov(W64, X1, SP), Movz(W64, X2, 1, 0))
		a.Emit(MovImm(W64, X8, sysWrite)...)
		a.Emit(Svc(0))
		exit(a, 134)
	case which == backend.RtMemoryGrow:
		// (mem, delta pages) -> old pages, or -1 (as an i32) past the reservation or max.
		fail := a.NewLabel()
		a.adr(X2, backend.SymRef{Kind: backend.RefMemory}, 0)
		a.Emit(Movz(W64, X4, 24, 0), Madd(W64, X2, X0, X4, X2))
		a.Emit(Ldr(W64, X3, MemOff(X2, 8)), LslImm(W64, X4, X1, 16), Add(W64, X4, X4, X3))
		a.Emit(Ldr(W64, X5, MemOff(X2, 16)), Cmp(W64, X4, X5))
		a.BCond(CondHI, fail)
		a.Emit(Str(W64, X4, MemOff(X2, 8)), LsrImm(W64, X0, X3, 16), Ret())
		a.Bind(fail)
		a.Emit(Movn(W32, X0, 0, 0), Ret())
	default:
		exit(a, exitMissing)
	}
}
