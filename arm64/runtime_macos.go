package arm64

import "github.com/wasmc/wasmc/backend"

// darwin/arm64's entry (DESIGN.md decision 9): dyld calls LC_MAIN's entry as
// main(argc, argv, envp, apple) on the main thread's stack, 16-byte aligned, and entry
// reaches the system only through libSystem's functions, called through the import slots
// dyld fills in (backend.Image.Imports), with Apple's arm64 convention: AAPCS64's
// registers, x18 the platform's (never written here), variadic arguments on the stack
// (none here). Their flags are Darwin's (<sys/mman.h>); the runtime's C makes every other
// call (rtlib/libsystem.go). Pages are 16 KiB on Apple silicon: mmap rounds every size
// entry asks for up, and every address it hands mprotect is one of mmap's, the size a
// multiple of 64 KiB.

// Darwin's mmap flags.
const darwinMapPrivateAnon = 0x0002 | 0x1000 // MAP_PRIVATE | MAP_ANON

// darwinEntry calls libSystem; imports are the executable's import slots, to which it
// adds the functions it calls that the runtime's table lacks.
type darwinEntry struct {
	imports *[]backend.Import
}

// call calls the C function name through its import slot (x16, as a stub would).
func (d *darwinEntry) call(a *rtAsm, name string) {
	i := backend.ImportSlot(d.imports, name)
	a.ldr(scratch, backend.SymRef{Kind: backend.RefImport, Index: i}, 0)
	a.Emit(Blr(scratch))
}

// mmap calls mmap(NULL, size, prot, MAP_PRIVATE|MAP_ANON, -1, 0); MAP_FAILED goes to fail.
func (d *darwinEntry) mmap(a *rtAsm, size, prot uint64, fail Label) {
	a.Emit(Movz(W64, X0, 0, 0))
	if size != 0 {
		a.Emit(MovImm(W64, X1, size)...)
	}
	a.Emit(MovImm(W64, X2, prot)...)
	a.Emit(MovImm(W64, X3, darwinMapPrivateAnon)...)
	a.Emit(Movn(W64, X4, 0, 0), Movz(W64, X5, 0, 0))
	d.call(a, "mmap")
	a.Emit(CmnImm(W64, X0, 1)) // MAP_FAILED
	a.BCond(CondEQ, fail)
}

func (d *darwinEntry) mprotect(a *rtAsm, fail Label) {
	d.call(a, "mprotect")
	a.Emit(CmnImm(W32, X0, 1))
	a.BCond(CondEQ, fail)
}

// exit calls _exit: entry's stack may be the one it mapped, and nothing of libSystem's
// needs flushing.
func (d *darwinEntry) exit(a *rtAsm, status uint64) {
	a.Emit(MovImm(W64, X0, status)...)
	d.call(a, "_exit")
}

func (d *darwinEntry) writeStderr(a *rtAsm, l Label, n int) {
	a.Emit(MovImm(W64, X0, 2)...)
	a.EmitTo(Adr(X1, 0), l)
	a.Emit(MovImm(W64, X2, uint64(n))...)
	d.call(a, "write")
}

// Darwin's signal handling (<sys/signal.h>, <sys/_types/_ucontext.h>, <mach/arm/
// _structs.h>; GOROOT's runtime/defs_darwin_arm64.go): struct sigaction {handler, u32
// mask, i32 flags} as libSystem's sigaction takes it, stack_t {ss_sp, ss_size, i32
// ss_flags}, siginfo's si_addr at 24, ucontext's uc_mcontext pointer at 48, and in
// mcontext64 the __ss registers after the 16 bytes of __es {far, esr, exception}:
// x[29], fp, lr, sp, pc.
const (
	darwinSIGBUS     = 10
	darwinSIGSEGV    = 11
	darwinSAFlags    = 0x40 | 0x1 // SA_SIGINFO | SA_ONSTACK
	darwinSiAddr     = 24
	darwinUcMcontext = 48
	darwinMcX0       = 16
	darwinMcLR       = darwinMcX0 + 30*8
	darwinMcPC       = darwinMcX0 + 32*8
)

// installFaultHandler emits entry's part of guard pages on darwin (runtime_guard.go says
// what the handler does): map the alternate stack, register it, and point SIGSEGV and
// SIGBUS at handler (an access to a PROT_NONE page is SIGBUS on macOS). x19 keeps the
// 32 bytes of stack that hold stack_t and then struct sigaction across the calls.
func (d *darwinEntry) installFaultHandler(a *rtAsm, handler, fail Label) {
	d.mmap(a, backend.FaultStackSize, protRW, fail)
	a.Emit(SubImm(W64, SP, SP, 32), Mov(W64, X19, SP))
	a.Emit(Str(W64, X0, MemOff(SP, 0)))
	a.Emit(MovImm(W64, X1, backend.FaultStackSize)...)
	a.Emit(Str(W64, X1, MemOff(SP, 8)), Str(W64, XZR, MemOff(SP, 16)))
	a.Emit(Mov(W64, X0, SP), Movz(W64, X1, 0, 0))
	d.call(a, "sigaltstack")
	a.Emit(CmnImm(W32, X0, 1))
	a.BCond(CondEQ, fail)
	a.EmitTo(Adr(X0, 0), handler)
	a.Emit(Str(W64, X0, MemOff(X19, 0)))
	a.Emit(MovImm(W64, X0, darwinSAFlags<<32)...) // mask 0, then flags
	a.Emit(Str(W64, X0, MemOff(X19, 8)))
	for _, sig := range []uint64{darwinSIGSEGV, darwinSIGBUS} {
		a.Emit(MovImm(W64, X0, sig)...)
		a.Emit(Mov(W64, X1, X19), Movz(W64, X2, 0, 0))
		d.call(a, "sigaction")
		a.Emit(CmnImm(W32, X0, 1))
		a.BCond(CondEQ, fail)
	}
	a.Emit(AddImm(W64, SP, SP, 32))
}

// faultCrash is the darwin handler's path for a fault that is no wasm access (x0 the
// signal, x9 the pc): as on Linux, one line with the pc, the default action restored and
// the signal sent again. The handler returns to libSystem's trampoline, a C caller, so it
// keeps the callee-saved registers it uses and its own return address.
func (d *darwinEntry) faultCrash(a *rtAsm) {
	start, end, hex, digit := a.NewLabel(), a.NewLabel(), a.NewLabel(), a.NewLabel()
	a.Emit(Stp(W64, FP, LR, MemPre(SP, -64)), Mov(W64, FP, SP))
	a.Emit(Stp(W64, X19, X20, MemOff(SP, 16)), Str(W64, X21, MemOff(SP, 32)))
	a.Emit(Mov(W64, X19, X0), Mov(W64, X20, X9))
	d.writeStderr(a, start, len(backend.FaultCrashStart))
	a.Emit(MovImm(W64, X21, 16)...)
	a.Bind(hex)
	a.Emit(AndImm(W64, X0, X20, 15), AddImm(W64, X0, X0, '0'), CmpImm(W64, X0, '9'))
	a.BCond(CondLS, digit)
	a.Emit(AddImm(W64, X0, X0, 'a'-'9'-1))
	a.Bind(digit)
	a.Emit(AddImm(W64, X1, SP, 48))
	a.Emit(SubImm(W64, X21, X21, 1), Strb(X0, MemIndex(X1, X21, ExtUXTX, false)), LsrImm(W64, X20, X20, 4))
	a.EmitTo(Cbnz(W64, X21, 0), hex)
	a.Emit(MovImm(W64, X0, 2)...)
	a.Emit(AddImm(W64, X1, SP, 48), Movz(W64, X2, 16, 0))
	d.call(a, "write")
	d.writeStderr(a, end, len(backend.FaultCrashEnd))
	// struct sigaction with SIG_DFL: all zero (the 16 bytes of the pc's digits).
	a.Emit(Stp(W64, XZR, XZR, MemOff(SP, 48)))
	a.Emit(Mov(W64, X0, X19), AddImm(W64, X1, SP, 48), Movz(W64, X2, 0, 0))
	d.call(a, "sigaction")
	d.call(a, "getpid")
	a.Emit(Mov(W64, X1, X19))
	d.call(a, "kill")
	a.Emit(Ldr(W64, X21, MemOff(SP, 32)), Ldp(W64, X19, X20, MemOff(SP, 16)))
	a.Emit(Ldp(W64, FP, LR, MemPost(SP, 64)), Ret())
	a.Bind(start)
	a.data(backend.FaultCrashStart)
	a.Bind(end)
	a.data(backend.FaultCrashEnd)
}
