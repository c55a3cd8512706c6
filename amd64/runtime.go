package amd64

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
	// stackMargin is the room below the stack limit: for a prologue's pushes, the trap
	// routine and the runtime's trap report, which run with the limit check disabled.
	stackMargin = 64 << 10
	// exitNoMemory is the exit status when entry cannot map the stack or a memory
	// (EX_OSERR of sysexits.h): the program never started.
	exitNoMemory = 71
)

// Offsets in the runtime's own data (backend.Runtime.DataSize).
const (
	dataCatchSP  = 0  // rsp at the call of the current .wast step, 0 outside the driver
	dataCatchPC  = 8  // where a trap resumes: the current step's trap report
	dataInitalSP = 16 // rsp at process entry: argc, argv, envp, auxv (Linux)
	dataSize     = 24
	// darwin's main is given argc and argv in registers.
	dataArgc       = 24
	dataArgv       = 32
	darwinDataSize = 40
)

const (
	// noMemoryMessage is what entry says when the kernel refuses its mappings.
	noMemoryMessage = "wasmc: cannot map the program's stack, memories or tables: not enough address space (a ulimit -v?); " +
		"a memory built with --bounds-checks=guard reserves 6 GiB, one built with --bounds-checks=explicit only its maximum\n"
)

// Linux x86-64 system calls and flags that entry uses.
const (
	sysMmap      = 9
	sysMprotect  = 10
	sysExitGroup = 231
	sysWrite     = 1

	protRW         = 3
	mapPrivateAnon = 0x22
	mapNoReserve   = 0x4000
	errnoLimit     = -4095 // a syscall result at or above this, unsigned, is -errno
)

// Runtime implements [backend.ISA]: it assembles the process entry and the trap routine of
// program m, for Linux (raw system calls from _start) or darwin (main, called by dyld, and
// libSystem through import slots; runtime_darwin.go).
func (isa) Runtime(m *ir.Module, cfg backend.EntryConfig) (*backend.Runtime, error) {
	if cfg.OS != backend.OSLinux && cfg.OS != backend.OSDarwin {
		return nil, fmt.Errorf("amd64: entry: %v is not implemented yet", cfg.OS)
	}
	darwin := cfg.OS == backend.OSDarwin
	guard := cfg.BoundsChecks == backend.BoundsGuard
	for _, s := range append(append([]uint32(nil), cfg.Steps...), cfg.Trap) {
		if int(s) >= len(m.Funcs) {
			return nil, fmt.Errorf("amd64: entry: function %d of %d", s, len(m.Funcs))
		}
	}
	stack := cfg.StackSize
	if stack == 0 {
		stack = backend.DefaultStackSize
	}
	if stack%16 != 0 || stack <= 2*stackMargin || stack > 1<<31 {
		return nil, fmt.Errorf("amd64: entry: stack size %d", stack)
	}
	rt := &backend.Runtime{RoutineFunc: cfg.RoutineFunc, DataSize: dataSize, MapMemories: true}
	var a Asm
	ref := func(i Inst, sym backend.SymRef, add int64) {
		r := a.EmitRef(i)
		rt.Relocs = append(rt.Relocs, backend.Reloc{Offset: uint32(r.Off), Kind: backend.RelocPC32, Sym: sym, Addend: add + int64(r.Off-r.End)})
	}
	rtData := func(off uint32) backend.SymRef { return backend.SymRef{Kind: backend.RefRuntimeData, Index: off} }
	call := func(f uint32) { ref(CallRel32(0), backend.SymRef{Kind: backend.RefFunc, Index: f}, 0) }
	fail := a.NewLabel()
	var sys entryOS = linuxEntry{}
	var d *darwinEntry
	if darwin {
		rt.DataSize = darwinDataSize
		rt.SystemImports = cfg.SystemImports
		d = &darwinEntry{ref: ref, imports: &rt.SystemImports}
		sys = d
		// main(argc, argv, envp, apple): keep argc and argv for ArgsInit (the
		// environment follows argv's NULL), and align the stack for the calls below.
		a.Emit(Push(RBP))
		ref(MovMR(W64, RIPRel(0), RDI), rtData(dataArgc), 0)
		ref(MovMR(W64, RIPRel(0), RSI), rtData(dataArgv), 0)
	}

	// _start: refuse a CPU below the code's level, in one line rather than with SIGILL
	// or a wrong answer (runtime_cpu.go).
	cpuFail := a.NewLabel()
	checkCPU(&a, cfg.CPU, cpuFail)

	// Save the initial rsp, map the stack and switch to it.
	a.Emit(XorRR(W32, RBP, RBP))
	if !darwin {
		ref(MovMR(W64, RIPRel(0), RSP), rtData(dataInitalSP), 0)
	}
	a.Emit(MovConst(RSI, stack))
	sys.mmapRSI(&a, protRW, fail)
	a.Emit(Lea(W64, RCX, Mem{Base: RAX, Disp: stackMargin}))
	ref(MovMR(W64, RIPRel(0), RCX), backend.SymRef{Kind: backend.RefStackLimit}, 0)
	a.Emit(Lea(W64, RSP, Mem{Base: RAX, Disp: int32(stack)}))

	if n := len(m.Memories); n > 0 {
		mapState(&a, ref, backend.RefMemory, n, sys, fail)
		ref(MovRM(W64, memBaseReg, RIPRel(0)), backend.SymRef{Kind: backend.RefMemory}, 0)
	}
	if n := len(m.Tables); n > 0 {
		mapState(&a, ref, backend.RefTable, n, sys, fail)
	}
	handler, restorer, trapL := a.NewLabel(), a.NewLabel(), a.NewLabel()
	switch {
	case guard && darwin:
		d.installFaultHandler(&a, handler, fail)
	case guard:
		installFaultHandler(&a, handler, restorer, func() { linuxCheck(&a, fail) })
	}

	if cfg.ArgsInit != 0 {
		if darwin { // wasmc_args_init(argc, argv)
			ref(MovRM(W64, RDI, RIPRel(0)), rtData(dataArgc), 0)
			ref(MovRM(W64, RSI, RIPRel(0)), rtData(dataArgv), 0)
		} else { // wasmc_args_init(sp)
			ref(MovRM(W64, RDI, RIPRel(0)), rtData(dataInitalSP), 0)
		}
		call(cfg.ArgsInit - 1)
	}
	for _, s := range cfg.Steps {
		if !cfg.Driver {
			call(s)
			continue
		}
		resume, next := a.NewLabel(), a.NewLabel()
		a.EmitTo(Lea(W64, RAX, RIPRel(0)), resume)
		ref(MovMR(W64, RIPRel(0), RAX), rtData(dataCatchPC), 0)
		ref(MovMR(W64, RIPRel(0), RSP), rtData(dataCatchSP), 0)
		call(s)
		a.Jmp(next)
		a.Bind(resume) // edi holds the trap code
		call(cfg.DriverTrap)
		a.Bind(next)
	}
	sys.exit(&a, 0)
	noMemory := a.NewLabel()
	a.Bind(fail)
	sys.writeStderr(&a, noMemory, len(noMemoryMessage))
	sys.exit(&a, exitNoMemory)
	a.Bind(noMemory)
	a.Data([]byte(noMemoryMessage))
	msg := a.NewLabel()
	a.Bind(cpuFail)
	cpuMsg := cpuMessage(cfg.CPU)
	sys.writeStderr(&a, msg, len(cpuMsg))
	sys.exit(&a, 1)
	a.Bind(msg)
	a.Data([]byte(cpuMsg))
	start := "_start"
	if darwin {
		start = "wasmc.main"
	}
	rt.Symbols = append(rt.Symbols, backend.Symbol{Name: start, Size: uint64(a.Len()), Kind: backend.SymFunc})

	// The trap routine: edi holds the code, [rsp] the trap site's return address, rbp the
	// trapping function's frame pointer (a stub's call and the fault handler's resumption
	// leave it alone). It calls wasmc_trap(code, pc, fp).
	a.Align(16)
	trap := uint32(a.Len())
	a.Bind(trapL)
	if cfg.Driver {
		normal := a.NewLabel()
		ref(MovRM(W64, RAX, RIPRel(0)), rtData(dataCatchSP), 0)
		a.Emit(TestRR(W64, RAX, RAX))
		a.Jcc(CondE, normal)
		a.Emit(MovRR(W64, RSP, RAX))
		ref(JmpM(RIPRel(0)), rtData(dataCatchPC), 0)
		a.Bind(normal)
	}
	// The report is C with the prologue's stack check; the trap may be stack exhaustion
	// itself, so the check goes off for good (nothing runs after the report but exit).
	ref(MovMI(W64, RIPRel(0), 0), backend.SymRef{Kind: backend.RefStackLimit}, 0)
	a.Emit(Pop(RSI))
	a.Emit(MovRR(W64, RDX, RBP)) // the trapping function's frame record, for the backtrace
	call(cfg.Trap)
	a.Emit(Int3())
	rt.Symbols = append(rt.Symbols, backend.Symbol{Name: "wasmc.trap", Off: uint64(trap), Size: uint64(a.Len()) - uint64(trap), Kind: backend.SymFunc})
	if guard {
		h := a.Len()
		faultHandler(&a, ref, handler, restorer, trapL, len(m.Memories), d)
		rt.Symbols = append(rt.Symbols, backend.Symbol{Name: "wasmc.fault", Off: uint64(h), Size: uint64(a.Len() - h), Kind: backend.SymFunc})
	}
	for i := range rt.Routines {
		rt.Routines[i] = trap
	}
	code, err := a.Finish()
	if err != nil {
		return nil, fmt.Errorf("amd64: entry: %w", err)
	}
	rt.Bytes = code
	return rt, nil
}

// entryOS emits what entry asks of the operating system.
type entryOS interface {
	// mmapRSI maps rsi bytes, anonymous and private, with prot; the address comes back
	// in rax, or the code goes to fail.
	mmapRSI(a *Asm, prot int32, fail Label)
	// mprotect changes [rdi, rdi+rsi) to prot rdx, or goes to fail.
	mprotect(a *Asm, fail Label)
	// exit ends the process with status.
	exit(a *Asm, status int32)
	// writeStderr writes the n bytes at label l to descriptor 2.
	writeStderr(a *Asm, l Label, n int)
}

// linuxEntry makes Linux x86-64 system calls.
type linuxEntry struct{}

// linuxCheck goes to fail if the system call in rax failed (-errno).
func linuxCheck(a *Asm, fail Label) {
	a.Emit(CmpRI(W64, RAX, errnoLimit))
	a.Jcc(CondAE, fail)
}

// mmapRSI emits mmap(NULL, rsi, prot, MAP_PRIVATE|MAP_ANONYMOUS|MAP_NORESERVE, -1, 0).
func (linuxEntry) mmapRSI(a *Asm, prot int32, fail Label) {
	mmapRSI(a, prot, func() { linuxCheck(a, fail) })
}

func (linuxEntry) mprotect(a *Asm, fail Label) {
	a.Emit(MovRI(W32, RAX, sysMprotect))
	a.Emit(Syscall())
	linuxCheck(a, fail)
}

func (linuxEntry) exit(a *Asm, status int32) {
	a.Emit(MovRI(W32, RAX, sysExitGroup))
	if status == 0 {
		a.Emit(XorRR(W32, RDI, RDI))
	} else {
		a.Emit(MovRI(W32, RDI, status))
	}
	a.Emit(Syscall())
}

func (linuxEntry) writeStderr(a *Asm, l Label, n int) { writeLabel(a, l, n) }

// mmapRSI emits Linux's mmap and then checkSyscall.
func mmapRSI(a *Asm, prot int32, checkSyscall func()) {
	a.Emit(MovRI(W32, RAX, sysMmap))
	a.Emit(XorRR(W32, RDI, RDI))
	a.Emit(MovRI(W32, RDX, prot))
	a.Emit(MovRI(W32, R10, mapPrivateAnon|mapNoReserve))
	a.Emit(MovRI(W64, R8, -1))
	a.Emit(XorRR(W32, R9, R9))
	a.Emit(Syscall())
	checkSyscall()
}

// mapState emits the loop that maps each of n descriptors of kind
// (backend.Runtime.MapMemories). A memory's is {base, size, max, reserve}: it gets rtlib's
// reservation contract, reserve bytes of PROT_NONE address space (max, or the guard
// pages' reservation), the first size bytes read-write. A table's is {base, size, max, budget}. A table gets its capacity of
// 8-byte elements read-write at once: untouched pages cost nothing and read as null. One
// whose max is 0 needs no address: every access traps.
func mapState(a *Asm, ref func(Inst, backend.SymRef, int64), kind backend.RefKind, n int, sys entryOS, fail Label) {
	table := kind == backend.RefTable
	loop, skip := a.NewLabel(), a.NewLabel()
	ref(Lea(W64, RBX, RIPRel(0)), backend.SymRef{Kind: kind}, 0)
	a.Emit(MovRI(W32, R12, int32(n)))
	a.Bind(loop)
	reserve, stride := int32(24), int32(backend.MemoryDescSize)
	if table {
		reserve, stride = 16, ir.TableDescSize
	}
	a.Emit(MovRM(W64, RSI, Mem{Base: RBX, Disp: reserve}))
	a.Emit(TestRR(W64, RSI, RSI))
	a.Jcc(CondE, skip)
	prot := int32(0)
	if table {
		a.Emit(ShlRI(W64, RSI, 3))
		prot = protRW
	}
	sys.mmapRSI(a, prot, fail)
	a.Emit(MovMR(W64, Mem{Base: RBX}, RAX))
	if table {
		a.Jmp(skip)
	}
	a.Emit(MovRM(W64, RSI, Mem{Base: RBX, Disp: 8}))
	a.Emit(TestRR(W64, RSI, RSI))
	a.Jcc(CondE, skip)
	a.Emit(MovRR(W64, RDI, RAX))
	a.Emit(MovRI(W32, RDX, protRW))
	sys.mprotect(a, fail)
	a.Bind(skip)
	a.Emit(AddRI(W64, RBX, stride))
	a.Emit(SubRI(W32, R12, 1))
	a.Jcc(CondNE, loop)
}
