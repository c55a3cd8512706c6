package amd64

import "github.com/wasmc/wasmc/backend"

// darwin/amd64's entry (DESIGN.md decision 9): dyld calls LC_MAIN's entry as
// main(argc, argv, envp, apple) on the main thread's stack, aligned as for any C call,
// and entry reaches the system only through libSystem's functions, called through the
// import slots dyld fills in (backend.Image.Imports). Their flags are Darwin's
// (<sys/mman.h>); the runtime's C makes every other call (rtlib/libsystem.go).

// Darwin's mmap flags.
const darwinMapPrivateAnon = 0x0002 | 0x1000 // MAP_PRIVATE | MAP_ANON

// darwinEntry calls libSystem; imports are the executable's import slots, to which it
// adds the functions it calls that the runtime's table lacks.
type darwinEntry struct {
	ref     func(Inst, backend.SymRef, int64)
	imports *[]backend.Import
}

// call calls the C function name through its import slot, with al zero (no vector
// arguments, for a variadic callee).
func (d *darwinEntry) call(a *Asm, name string) {
	i := backend.ImportSlot(d.imports, name)
	a.Emit(XorRR(W32, RAX, RAX))
	d.ref(CallM(RIPRel(0)), backend.SymRef{Kind: backend.RefImport, Index: i}, 0)
}

func (d *darwinEntry) mmapRSI(a *Asm, prot int32, fail Label) {
	a.Emit(XorRR(W32, RDI, RDI))
	a.Emit(MovRI(W32, RDX, prot))
	a.Emit(MovRI(W32, RCX, darwinMapPrivateAnon))
	a.Emit(MovRI(W64, R8, -1))
	a.Emit(XorRR(W32, R9, R9))
	d.call(a, "mmap")
	a.Emit(CmpRI(W64, RAX, -1)) // MAP_FAILED
	a.Jcc(CondE, fail)
}

func (d *darwinEntry) mprotect(a *Asm, fail Label) {
	d.call(a, "mprotect")
	a.Emit(CmpRI(W32, RAX, -1))
	a.Jcc(CondE, fail)
}

// exit calls _exit: entry's stack may be the one it mapped, and nothing of libSystem's
// needs flushing.
func (d *darwinEntry) exit(a *Asm, status int32) {
	a.Emit(MovRI(W32, RDI, status))
	d.call(a, "_exit")
}

func (d *darwinEntry) writeStderr(a *Asm, l Label, n int) {
	a.Emit(MovRI(W32, RDI, 2))
	a.EmitTo(Lea(W64, RSI, RIPRel(0)), l)
	a.Emit(MovRI(W32, RDX, int32(n)))
	d.call(a, "write")
}

// Darwin's signal handling (<sys/signal.h>, <sys/_types/_ucontext.h>, <mach/i386/
// _structs.h>; GOROOT's runtime/defs_darwin_amd64.go): struct sigaction {handler, u32
// mask, i32 flags}, stack_t {ss_sp, ss_size, i32 ss_flags}, siginfo's si_addr at 24,
// ucontext's uc_mcontext pointer at 48, and in mcontext64 the __ss registers after
// the 16 bytes of __es: rdi the fifth, rsp the eighth, rip the seventeenth.
const (
	darwinSIGBUS     = 10
	darwinSIGSEGV    = 11
	darwinSAFlags    = 0x40 | 0x1 // SA_SIGINFO | SA_ONSTACK
	darwinSiAddr     = 24
	darwinUcMcontext = 48
	darwinMcRDI      = 16 + 4*8
	darwinMcRSP      = 16 + 7*8
	darwinMcRIP      = 16 + 16*8
)

// installFaultHandler emits entry's part of guard pages on darwin (runtime_guard.go says
// what the handler does): map the alternate stack, register it, and point SIGSEGV and
// SIGBUS at handler (an access to a PROT_NONE page is SIGBUS on macOS).
func (d *darwinEntry) installFaultHandler(a *Asm, handler, fail Label) {
	a.Emit(MovRI(W32, RSI, backend.FaultStackSize))
	d.mmapRSI(a, protRW, fail)
	// stack_t and then struct sigaction in the same 32 bytes of stack, which stays
	// 16-byte aligned for the calls.
	a.Emit(SubRI(W64, RSP, 32))
	a.Emit(MovMR(W64, Mem{Base: RSP}, RAX))
	a.Emit(MovMI(W64, Mem{Base: RSP, Disp: 8}, backend.FaultStackSize))
	a.Emit(MovMI(W64, Mem{Base: RSP, Disp: 16}, 0))
	a.Emit(MovRR(W64, RDI, RSP))
	a.Emit(XorRR(W32, RSI, RSI))
	d.call(a, "sigaltstack")
	a.Emit(CmpRI(W32, RAX, -1))
	a.Jcc(CondE, fail)
	a.EmitTo(Lea(W64, RAX, RIPRel(0)), handler)
	a.Emit(MovMR(W64, Mem{Base: RSP}, RAX))
	a.Emit(MovMI(W32, Mem{Base: RSP, Disp: 8}, 0))
	a.Emit(MovMI(W32, Mem{Base: RSP, Disp: 12}, darwinSAFlags))
	for _, sig := range []int32{darwinSIGSEGV, darwinSIGBUS} {
		a.Emit(MovRI(W32, RDI, sig))
		a.Emit(MovRR(W64, RSI, RSP))
		a.Emit(XorRR(W32, RDX, RDX))
		d.call(a, "sigaction")
		a.Emit(CmpRI(W32, RAX, -1))
		a.Jcc(CondE, fail)
	}
	a.Emit(AddRI(W64, RSP, 32))
}

// faultCrash is the darwin handler's path for a fault that is no wasm access (edi the
// signal, rax the pc): as on Linux, one line with the pc, the default action restored
// and the signal sent again. The handler returns to libSystem's trampoline, a C caller,
// so it keeps the callee-saved registers it uses.
func (d *darwinEntry) faultCrash(a *Asm) {
	start, end := a.NewLabel(), a.NewLabel()
	a.Emit(Push(RBX))
	a.Emit(Push(R12))
	a.Emit(SubRI(W64, RSP, 40)) // 16-byte aligned for the calls
	a.Emit(MovRR(W32, RBX, RDI))
	a.Emit(MovRR(W64, R12, RAX))
	d.writeStderr(a, start, len(backend.FaultCrashStart))
	hexDigits(a)
	a.Emit(MovRI(W32, RDI, 2))
	a.Emit(MovRR(W64, RSI, RSP))
	a.Emit(MovRI(W32, RDX, 16))
	d.call(a, "write")
	d.writeStderr(a, end, len(backend.FaultCrashEnd))
	// struct sigaction with SIG_DFL: all zero.
	a.Emit(MovMI(W64, Mem{Base: RSP}, 0))
	a.Emit(MovMI(W64, Mem{Base: RSP, Disp: 8}, 0))
	a.Emit(MovRR(W32, RDI, RBX))
	a.Emit(MovRR(W64, RSI, RSP))
	a.Emit(XorRR(W32, RDX, RDX))
	d.call(a, "sigaction")
	d.call(a, "getpid")
	a.Emit(MovRR(W32, RDI, RAX))
	a.Emit(MovRR(W32, RSI, RBX))
	d.call(a, "kill")
	a.Emit(AddRI(W64, RSP, 40))
	a.Emit(Pop(R12))
	a.Emit(Pop(RBX))
	a.Emit(Ret())
	a.Bind(start)
	a.Data([]byte(backend.FaultCrashStart))
	a.Bind(end)
	a.Data([]byte(backend.FaultCrashEnd))
}
