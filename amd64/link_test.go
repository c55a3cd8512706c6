package amd64

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
	stackBudget  = 1 << 20 // bytes of stack below _start's rsp that wasm code may use
	reservePages = 4       // pages reserved per memory, for memgrow
	tableReserve = 64      // elements reserved per table
	exitMissing  = 99      // a runtime routine the test runtime does not implement
)

// linkProgram compiles m with backend.Compile (checking every allocation; with
// regalloc.RunFast, -O0's allocator, if fast) and builds an executable that calls export
// name with args. The code must also decode with x86asm.
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
	img, err := backend.Link(p, backend.Target{Arch: backend.ArchAMD64, OS: backend.OSLinux}, testRuntime(t, m, uint32(entry), args))
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
	f := m.Funcs[index]
	var a Asm
	conv := convOf(f.Sig)
	// _start: rsp is 16-byte aligned at the entry point.
	a.Emit(Lea(W64, RAX, Mem{Base: RSP, Disp: -stackBudget}))
	fixRIP(rt, &a, MovMR(W64, RIPRel(0), RAX), backend.SymRef{Kind: backend.RefStackLimit}, 0)
	if len(m.Memories) > 0 {
		fixRIP(rt, &a, MovRM(W64, memBaseReg, RIPRel(0)), backend.SymRef{Kind: backend.RefMemory}, 0)
	}
	out := (8*conv.stackWords() + 15) &^ 15
	if out > 0 {
		a.Emit(SubRI(W64, RSP, out))
	}
	for i, v := range args {
		loc := conv.params[i]
		switch {
		case loc.reg == NoReg:
			a.Emit(MovConst(R11, v.Bits))
			a.Emit(MovMR(W64, Mem{Base: RSP, Disp: 8 * loc.slot}, R11))
		case loc.reg.IsXMM():
			a.Emit(MovConst(R11, v.Bits))
			a.Emit(MovdXR(W64, loc.reg, R11))
		default:
			a.Emit(MovConst(loc.reg, v.Bits))
		}
	}
	r := a.EmitRef(CallRel32(0))
	rt.Relocs = append(rt.Relocs, backend.Reloc{Offset: uint32(r.Off), Kind: backend.RelocPC32,
		Sym: backend.SymRef{Kind: backend.RefFunc, Index: index}, Addend: int64(r.Off - r.End)})
	// Results to a buffer below the outgoing area, then write(1, buf, n) and exit_group(0).
	n := int32(len(f.Sig.Results))
	buf := (8*n + 15) &^ 15
	if buf > 0 {
		a.Emit(SubRI(W64, RSP, buf))
	}
	for j, loc := range conv.results {
		dst := Mem{Base: RSP, Disp: 8 * int32(j)}
		switch {
		case loc.reg == NoReg:
			a.Emit(MovRM(W64, R11, Mem{Base: RSP, Disp: buf + 8*loc.slot}))
			a.Emit(MovMR(W64, dst, R11))
		case loc.reg.IsXMM():
			a.Emit(MovsdMR(dst, loc.reg))
		default:
			a.Emit(MovMR(W64, dst, loc.reg))
		}
	}
	a.Emit(MovRI(W32, RAX, 1))
	a.Emit(MovRI(W32, RDI, 1))
	a.Emit(MovRR(W64, RSI, RSP))
	a.Emit(MovRI(W32, RDX, 8*n))
	a.Emit(Syscall())
	a.Emit(MovRI(W32, RAX, 231))
	a.Emit(XorRR(W32, RDI, RDI))
	a.Emit(Syscall())
	start := a.Len()
	rt.Symbols = append(rt.Symbols, backend.Symbol{Name: "_start", Size: uint64(start), Kind: backend.SymFunc})

	for i := range rt.Routines {
		a.Align(16)
		rt.Routines[i] = uint32(a.Len())
		routine(rt, &a, backend.RuntimeRoutine(i), len(m.Memories) > 0)
	}
	code, err := a.Finish()
	if err != nil {
		t.Fatal(err)
	}
	rt.Bytes = code
	return rt
}

// fixRIP emits i, whose RIP-relative field is relocated to sym+add.
func fixRIP(rt *backend.Runtime, a *Asm, i Inst, sym backend.SymRef, add int64) {
	r := a.EmitRef(i)
	rt.Relocs = append(rt.Relocs, backend.Reloc{Offset: uint32(r.Off), Kind: backend.RelocPC32, Sym: sym, Addend: add + int64(r.Off-r.End)})
}

// routine assembles runtime routine which. A program without memories has no descriptor for
// RtMemoryGrow to refer to, nor code that calls it.
func routine(rt *backend.Runtime, a *Asm, which backend.RuntimeRoutine, memories bool) {
	switch {
	case which == backend.RtMemoryGrow && !memories:
		a.Emit(MovRI(W32, RAX, 231))
		a.Emit(MovRI(W32, RDI, exitMissing))
		a.Emit(Syscall())
	case which == backend.RtTrap:
		a.Emit(Lea(W32, RAX, Mem{Base: RDI, Disp: 'A'}))
		a.Emit(Push(RAX))
		a.Emit(MovRI(W32, RAX, 1))
		a.Emit(MovRI(W32, RDI, 1))
		a.Emit(MovRR(W64, RSI, RSP))
		a.Emit(MovRI(W32, RDX, 1))
		a.Emit(Syscall())
		a.Emit(MovRI(W32, RAX, 231))
		a.Emit(MovRI(W32, RDI, 134))
		a.Emit(Syscall())
	case which == backend.RtMemoryGrow:
		// (mem, delta pages) -> old pages, or -1 (as an i32) past the reservation or max.
		fail := a.NewLabel()
		fixRIP(rt, a, Lea(W64, RCX, RIPRel(0)), backend.SymRef{Kind: backend.RefMemory}, 0)
		a.Emit(ImulRRI(W64, RDI, RDI, 24))
		a.Emit(AddRR(W64, RCX, RDI))
		a.Emit(MovRM(W64, RAX, Mem{Base: RCX, Disp: 8}))
		a.Emit(MovRR(W32, RDX, RSI))
		a.Emit(ShlRI(W64, RDX, 16))
		a.Emit(AddRR(W64, RDX, RAX))
		a.Emit(CmpRM(W64, RDX, Mem{Base: RCX, Disp: 16}))
		a.JccShort(CondA, fail)
		a.Emit(MovMR(W64, Mem{Base: RCX, Disp: 8}, RDX))
		a.Emit(ShrRI(W64, RAX, 16))
		a.Emit(Ret())
		a.Bind(fail)
		a.Emit(MovRI(W32, RAX, -1))
		a.Emit(Ret())
	default:
		a.Emit(MovRI(W32, RAX, 231))
		a.Emit(MovRI(W32, RDI, exitMissing))
		a.Emit(Syscall())
	}
}
