package arm64

import (
	"fmt"

	"github.com/wasmc/wasmc/backend"
	"github.com/wasmc/wasmc/ir"
)

// The per-target routines of DESIGN.md decision 6 that cannot be C: process entry and the
// trap routine's unwinding. Everything else the runtime does is rt.wasm's C, compiled like
// any module and bound by [backend.Runtime.RoutineFunc]; what entry does is
// [backend.EntryConfig]'s to say.

const (
	// stackMargin is the room below the stack limit: for the trap routine and the
	// runtime's trap report, which run with the limit check disabled. A prologue moves sp
	// only after its check, so it needs none.
	stackMargin = 64 << 10
	// exitNoMemory is the exit status when entry cannot map the stack or a memory
	// (EX_OSERR of sysexits.h): the program never started.
	exitNoMemory = 71
	// noMemoryMessage is what entry says when the kernel refuses its mappings.
	noMemoryMessage = "wasmc: cannot map the program's stack, memories or tables: not enough address space (a ulimit -v, or a kernel with 39-bit virtual addresses?); " +
		"a memory built with --bounds-checks=guard reserves 6 GiB, one built with --bounds-checks=explicit only its maximum\n"
)

// Offsets in the runtime's own data (backend.Runtime.DataSize).
const (
	dataCatchSP   = 0  // sp at the call of the current .wast step, 0 outside the driver
	dataCatchPC   = 8  // where a trap resumes: the current step's trap report
	dataInitialSP = 16 // sp at process entry: argc, argv, envp, auxv (Linux)
	dataSize      = 24
	// darwin's main is given argc and argv in registers.
	dataArgc       = 24
	dataArgv       = 32
	darwinDataSize = 40
)

// Linux arm64 system calls (the asm-generic table) and flags that entry uses.
const (
	sysMmap      = 222
	sysMprotect  = 226
	sysExitGroup = 94

	protRW         = 3
	mapPrivateAnon = 0x22
	mapNoReserve   = 0x4000
	errnoMax       = 4095 // a syscall result of -4095 to -1 is -errno
)

// rtAsm is an Asm that records the runtime's relocations.
type rtAsm struct {
	Asm
	rt *backend.Runtime
}

func (a *rtAsm) ref(i Inst, k backend.RelocKind, sym backend.SymRef, add int64) {
	r := a.EmitRef(i, k)
	a.rt.Relocs = append(a.rt.Relocs, backend.Reloc{Offset: uint32(r.Off), Kind: k, Sym: sym, Addend: add})
}

// adr emits rd = the address of sym+add.
func (a *rtAsm) adr(rd Reg, sym backend.SymRef, add int64) {
	a.ref(Adrp(rd, 0), backend.RelocARM64AdrpPage21, sym, add)
	a.ref(AddImm(W64, rd, rd, 0), backend.RelocARM64AddLo12, sym, add)
}

// ldr and str load and store the 8-byte word at sym+add, through x16.
func (a *rtAsm) ldr(rt Reg, sym backend.SymRef, add int64) {
	a.ref(Adrp(scratch, 0), backend.RelocARM64AdrpPage21, sym, add)
	a.ref(Ldr(W64, rt, MemOff(scratch, 0)), backend.RelocARM64Ldst64Lo12, sym, add)
}

func (a *rtAsm) str(rt Reg, sym backend.SymRef, add int64) {
	a.ref(Adrp(scratch, 0), backend.RelocARM64AdrpPage21, sym, add)
	a.ref(Str(W64, rt, MemOff(scratch, 0)), backend.RelocARM64Ldst64Lo12, sym, add)
}

func (a *rtAsm) call(f uint32) {
	a.ref(Bl(0), backend.RelocARM64Call26, backend.SymRef{Kind: backend.RefFunc, Index: f}, 0)
}

// syscall emits svc #0 for system call nr, whose arguments are in x0–x5, and a branch to
// fail when it returns -errno.
func (a *rtAsm) syscall(nr uint64, fail Label) {
	a.Emit(MovImm(W64, X8, nr)...)
	a.Emit(Svc(0), CmnImm(W64, X0, errnoMax))
	a.BCond(CondHS, fail)
}

// Runtime implements [backend.ISA]: it assembles the process entry and the trap routine of
// program m, for Linux (raw system calls from _start) or darwin (main, called by dyld, and
// libSystem through import slots; runtime_macos.go).
func (isa) Runtime(m *ir.Module, cfg backend.EntryConfig) (*backend.Runtime, error) {
	if cfg.OS != backend.OSLinux && cfg.OS != backend.OSDarwin {
		return nil, fmt.Errorf("arm64: entry: %v is not implemented yet", cfg.OS)
	}
	darwin := cfg.OS == backend.OSDarwin
	guard := cfg.BoundsChecks == backend.BoundsGuard
	for _, s := range append(append([]uint32(nil), cfg.Steps...), cfg.Trap) {
		if int(s) >= len(m.Funcs) {
			return nil, fmt.Errorf("arm64: entry: function %d of %d", s, len(m.Funcs))
		}
	}
	stack := cfg.StackSize
	if stack == 0 {
		stack = backend.DefaultStackSize
	}
	if stack%16 != 0 || stack <= 2*stackMargin || stack > 1<<31 {
		return nil, fmt.Errorf("arm64: entry: stack size %d", stack)
	}
	rt := &backend.Runtime{RoutineFunc: cfg.RoutineFunc, DataSize: dataSize, MapMemories: true}
	a := &rtAsm{rt: rt}
	rtData := func(off uint32) backend.SymRef { return backend.SymRef{Kind: backend.RefRuntimeData, Index: off} }
	limit := backend.SymRef{Kind: backend.RefStackLimit}
	fail := a.NewLabel()
	var sys entryOS = linuxEntry{}
	var d *darwinEntry
	if darwin {
		rt.DataSize = darwinDataSize
		rt.SystemImports = cfg.SystemImports
		d = &darwinEntry{imports: &rt.SystemImports}
		sys = d
		// main(argc, argv, envp, apple): keep argc and argv for ArgsInit (the
		// environment follows argv's NULL). Nothing returns to dyld: the end is _exit.
		a.str(X0, rtData(dataArgc), 0)
		a.str(X1, rtData(dataArgv), 0)
	}

	// _start: no frame record above this one (x29 and x30 zero end a backtrace); save the
	// initial sp, map the stack and switch to it.
	if darwin {
		a.Emit(Movz(W64, FP, 0, 0), Movz(W64, LR, 0, 0))
	} else {
		a.Emit(Movz(W64, FP, 0, 0), Movz(W64, LR, 0, 0), Mov(W64, X0, SP))
		a.str(X0, rtData(dataInitialSP), 0)
	}
	sys.mmap(a, stack, protRW, fail)
	a.Emit(AddImm(W64, X1, X0, stackMargin))
	a.str(X1, limit, 0)
	a.Emit(MovImm(W64, X1, stack)...)
	a.Emit(Add(W64, SP, X0, X1))

	if n := len(m.Memories); n > 0 {
		mapState(a, backend.RefMemory, n, sys, fail)
		a.ldr(memBaseReg, backend.SymRef{Kind: backend.RefMemory}, 0)
	}
	if n := len(m.Tables); n > 0 {
		mapState(a, backend.RefTable, n, sys, fail)
	}
	handler, restorer, trapL := a.NewLabel(), a.NewLabel(), a.NewLabel()
	switch {
	case guard && darwin:
		d.installFaultHandler(a, handler, fail)
	case guard:
		installFaultHandler(a, handler, restorer, fail)
	}

	if cfg.ArgsInit != 0 {
		if darwin { // wasmc_args_init(argc, argv)
			a.ldr(X0, rtData(dataArgc), 0)
			a.ldr(X1, rtData(dataArgv), 0)
		} else { // wasmc_args_init(sp)
			a.ldr(X0, rtData(dataInitialSP), 0)
		}
		a.call(cfg.ArgsInit - 1)
	}
	for _, s := range cfg.Steps {
		if !cfg.Driver {
			a.call(s)
			continue
		}
		resume, next := a.NewLabel(), a.NewLabel()
		a.EmitTo(Adr(X0, 0), resume)
		a.str(X0, rtData(dataCatchPC), 0)
		a.Emit(Mov(W64, X0, SP))
		a.str(X0, rtData(dataCatchSP), 0)
		a.call(s)
		a.B(next)
		a.Bind(resume) // w0 holds the trap code
		a.call(cfg.DriverTrap)
		a.Bind(next)
	}
	sys.exit(a, 0)
	noMemory := a.NewLabel()
	a.Bind(fail)
	sys.writeStderr(a, noMemory, len(noMemoryMessage))
	sys.exit(a, exitNoMemory)
	a.Emit(Brk(0))
	a.Bind(noMemory)
	a.data(noMemoryMessage)
	a.Align(4)
	start := "_start"
	if darwin {
		start = "wasmc.main"
	}
	rt.Symbols = append(rt.Symbols, backend.Symbol{Name: start, Size: uint64(a.Len()), Kind: backend.SymFunc})

	// The trap routine: w0 holds the code, x30 the trap site's return address, x29 the
	// trapping function's frame pointer. It calls wasmc_trap(code, pc, fp).
	a.Align(16)
	trap := uint32(a.Len())
	a.Bind(trapL)
	if cfg.Driver {
		normal := a.NewLabel()
		a.ldr(X1, rtData(dataCatchSP), 0)
		a.EmitTo(Cbz(W64, X1, 0), normal)
		a.Emit(Mov(W64, SP, X1))
		a.ldr(X1, rtData(dataCatchPC), 0)
		a.Emit(Br(X1))
		a.Bind(normal)
	}
	// The report is C with the prologue's stack check; the trap may be stack exhaustion
	// itself, so the check goes off for good (nothing runs after the report but exit).
	a.str(XZR, limit, 0)
	a.Emit(Mov(W64, X1, LR), Mov(W64, X2, FP)) // pc, and the frame record for the backtrace
	a.call(cfg.Trap)
	a.Emit(Brk(0))
	rt.Symbols = append(rt.Symbols, backend.Symbol{Name: "wasmc.trap", Off: uint64(trap), Size: uint64(a.Len()) - uint64(trap), Kind: backend.SymFunc})
	if guard {
		h := a.Len()
		faultHandler(a, handler, restorer, trapL, len(m.Memories), d)
		rt.Symbols = append(rt.Symbols, backend.Symbol{Name: "wasmc.fault", Off: uint64(h), Size: uint64(a.Len() - h), Kind: backend.SymFunc})
	}
	for i := range rt.Routines {
		rt.Routines[i] = trap
	}
	code, err := a.Finish()
	if err != nil {
		return nil, fmt.Errorf("arm64: entry: %w", err)
	}
	rt.Bytes = code
	return rt, nil
}

// entryOS emits what entry asks of the operating system.
type entryOS interface {
	// mmap maps size bytes (or x1 when size is 0), anonymous and private, with prot; the
	// address comes back in x0, or the code goes to fail.
	mmap(a *rtAsm, size, prot uint64, fail Label)
	// mprotect changes [x0, x0+x1) to prot x2, or goes to fail.
	mprotect(a *rtAsm, fail Label)
	// exit ends the process with status.
	exit(a *rtAsm, status uint64)
	// writeStderr writes the n bytes at label l to descriptor 2.
	writeStderr(a *rtAsm, l Label, n int)
}

// linuxEntry makes Linux arm64 system calls.
type linuxEntry struct{}

func (linuxEntry) mmap(a *rtAsm, size, prot uint64, fail Label) { mmap(a, size, prot, fail) }

func (linuxEntry) mprotect(a *rtAsm, fail Label) { a.syscall(sysMprotect, fail) }

func (linuxEntry) exit(a *rtAsm, status uint64) {
	if status == 0 {
		a.Emit(Movz(W64, X0, 0, 0))
	} else {
		a.Emit(MovImm(W64, X0, status)...)
	}
	a.Emit(MovImm(W64, X8, sysExitGroup)...)
	a.Emit(Svc(0))
}

func (linuxEntry) writeStderr(a *rtAsm, l Label, n int) { writeLabel(a, l, n) }

// mmap emits mmap(NULL, x1, prot, MAP_PRIVATE|MAP_ANONYMOUS|MAP_NORESERVE, -1, 0) with the
// size already in x1 when size is 0, or size otherwise; the address comes back in x0.
func mmap(a *rtAsm, size uint64, prot uint64, fail Label) {
	a.Emit(Movz(W64, X0, 0, 0))
	if size != 0 {
		a.Emit(MovImm(W64, X1, size)...)
	}
	a.Emit(MovImm(W64, X2, prot)...)
	a.Emit(MovImm(W64, X3, mapPrivateAnon|mapNoReserve)...)
	a.Emit(Movn(W64, X4, 0, 0), Movz(W64, X5, 0, 0))
	a.syscall(sysMmap, fail)
}

// mapState emits the loop that maps each of n descriptors of kind
// (backend.Runtime.MapMemories). A memory's is {base, size, max, reserve}: it gets rtlib's
// reservation contract, reserve bytes of PROT_NONE address space (max, or the guard
// pages' reservation), the first size bytes read-write. A table's is {base, size, max, budget}. A table gets its capacity of
// 8-byte elements read-write at once: untouched pages cost nothing and read as null. One
// whose max is 0 needs no address: every access traps. x19 walks the descriptors and x20
// counts them; nothing is live in them yet, and libSystem's functions keep them (AAPCS64).
func mapState(a *rtAsm, kind backend.RefKind, n int, sys entryOS, fail Label) {
	table := kind == backend.RefTable
	loop, skip := a.NewLabel(), a.NewLabel()
	a.adr(X19, backend.SymRef{Kind: kind}, 0)
	a.Emit(MovImm(W64, X20, uint64(n))...)
	a.Bind(loop)
	reserve, stride := int32(24), uint32(backend.MemoryDescSize)
	if table {
		reserve, stride = 16, ir.TableDescSize
	}
	a.Emit(Ldr(W64, X1, MemOff(X19, reserve)))
	a.EmitTo(Cbz(W64, X1, 0), skip)
	prot := uint64(0)
	if table {
		a.Emit(LslImm(W64, X1, X1, 3))
		prot = protRW
	}
	sys.mmap(a, 0, prot, fail)
	a.Emit(Str(W64, X0, MemOff(X19, 0)))
	if !table {
		a.Emit(Ldr(W64, X1, MemOff(X19, 8)))
		a.EmitTo(Cbz(W64, X1, 0), skip)
		a.Emit(MovImm(W64, X2, protRW)...)
		sys.mprotect(a, fail)
	}
	a.Bind(skip)
	a.Emit(AddImm(W64, X19, X19, stride), SubsImm(W64, X20, X20, 1))
	a.BCond(CondNE, loop)
}
