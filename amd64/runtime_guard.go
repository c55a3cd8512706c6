package amd64

import (
	"github.com/wasmc/wasmc/backend"
	"github.com/wasmc/wasmc/ir"
)

// Guard pages (backend/guard.go): entry installs a handler for SIGSEGV and SIGBUS on an
// alternate signal stack. A fault whose pc is in the program's functions and whose address
// is in a memory's reservation is a wasm access out of bounds: the handler rewrites the
// interrupted context so that, when the kernel resumes it, the faulting instruction seems
// to have called the trap routine with the out-of-bounds code, and the trap is reported
// (or, in a .wast driver, unwound) exactly as a trap stub's. Any other fault is a bug in
// wasmc, or a signal sent by kill: the handler writes one line with the pc, restores the
// default action, sends the signal again and returns, so the process dies of the signal.

// Linux x86-64 signal handling.
const (
	sysRtSigaction = 13
	sysRtSigreturn = 15
	sysSigaltstack = 131
	sysGetpid      = 39
	sysKill        = 62
	ucGregs        = 40 // ucontext_t.uc_mcontext.gregs, after uc_flags, uc_link, uc_stack
	ucRDI          = ucGregs + 8*8
	ucRSP          = ucGregs + 15*8
	ucRIP          = ucGregs + 16*8
)

// installFaultHandler emits entry's part: map the alternate stack, register it, and point
// SIGSEGV and SIGBUS at handler, whose return goes through restorer.
func installFaultHandler(a *Asm, handler, restorer Label, checkSyscall func()) {
	a.Emit(MovRI(W32, RSI, backend.FaultStackSize))
	mmapRSI(a, protRW, checkSyscall)
	// stack_t {ss_sp, ss_flags, ss_size} and then struct sigaction {handler, flags,
	// restorer, mask} in the same 32 bytes of stack.
	a.Emit(SubRI(W64, RSP, 32))
	a.Emit(MovMR(W64, Mem{Base: RSP}, RAX))
	a.Emit(MovMI(W64, Mem{Base: RSP, Disp: 8}, 0))
	a.Emit(MovMI(W64, Mem{Base: RSP, Disp: 16}, backend.FaultStackSize))
	a.Emit(MovRI(W32, RAX, sysSigaltstack))
	a.Emit(MovRR(W64, RDI, RSP))
	a.Emit(XorRR(W32, RSI, RSI))
	a.Emit(Syscall())
	checkSyscall()
	a.EmitTo(Lea(W64, RAX, RIPRel(0)), handler)
	a.Emit(MovMR(W64, Mem{Base: RSP}, RAX))
	a.Emit(MovMI(W64, Mem{Base: RSP, Disp: 8}, backend.LinuxSAFlags))
	a.EmitTo(Lea(W64, RAX, RIPRel(0)), restorer)
	a.Emit(MovMR(W64, Mem{Base: RSP, Disp: 16}, RAX))
	a.Emit(MovMI(W64, Mem{Base: RSP, Disp: 24}, 0))
	for _, sig := range []int32{backend.LinuxSIGSEGV, backend.LinuxSIGBUS} {
		a.Emit(MovRI(W32, RAX, sysRtSigaction))
		a.Emit(MovRI(W32, RDI, sig))
		a.Emit(MovRR(W64, RSI, RSP))
		a.Emit(XorRR(W32, RDX, RDX))
		a.Emit(MovRI(W32, R10, 8))
		a.Emit(Syscall())
		checkSyscall()
	}
	a.Emit(AddRI(W64, RSP, 32))
}

// faultHandler emits the handler (rdi the signal, rsi the siginfo, rdx the ucontext, all
// registers the handler's to use: the kernel restores the interrupted ones from the
// context) and its restorer. trap is the trap routine; nmem memories are checked. With d,
// the handler is darwin's (runtime_macos.go): its context's registers are behind
// uc_mcontext, the crash path calls libSystem, and returning goes through libSystem's
// signal trampoline, which needs no restorer.
func faultHandler(a *Asm, ref func(Inst, backend.SymRef, int64), handler, restorer, trap Label, nmem int, d *darwinEntry) {
	crash, loop, found := a.NewLabel(), a.NewLabel(), a.NewLabel()
	ctxRIP, ctxRSP, ctxRDI, siAddr := int32(ucRIP), int32(ucRSP), int32(ucRDI), int32(backend.LinuxSiAddr)
	a.Align(16)
	a.Bind(handler)
	if d != nil {
		a.Emit(MovRM(W64, RDX, Mem{Base: RDX, Disp: darwinUcMcontext}))
		ctxRIP, ctxRSP, ctxRDI, siAddr = darwinMcRIP, darwinMcRSP, darwinMcRDI, darwinSiAddr
	}
	a.Emit(MovRM(W64, RAX, Mem{Base: RDX, Disp: ctxRIP}))
	// Is the pc in a function of the program?
	ref(Lea(W64, RCX, RIPRel(0)), backend.SymRef{Kind: backend.RefFunctab}, 0)
	a.Emit(CmpMI(W64, Mem{Base: RCX}, 0))
	a.Jcc(CondE, crash)
	a.Emit(CmpRM(W64, RAX, Mem{Base: RCX, Disp: backend.FunctabFirstStart}))
	a.Jcc(CondB, crash)
	a.Emit(CmpRM(W64, RAX, Mem{Base: RCX, Disp: 8}))
	a.Jcc(CondAE, crash)
	// Is the address in a memory's reservation, base <= addr < base + reserve?
	if nmem == 0 {
		a.Jmp(crash)
	} else {
		a.Emit(MovRM(W64, R8, Mem{Base: RSI, Disp: siAddr}))
		ref(Lea(W64, R9, RIPRel(0)), backend.SymRef{Kind: backend.RefMemory}, 0)
		a.Emit(MovRI(W32, R10, int32(nmem)))
		a.Bind(loop)
		a.Emit(MovRR(W64, R11, R8))
		a.Emit(SubRM(W64, R11, Mem{Base: R9}))
		a.Emit(CmpRM(W64, R11, Mem{Base: R9, Disp: backend.MemoryDescReserve}))
		a.Jcc(CondB, found)
		a.Emit(AddRI(W64, R9, backend.MemoryDescSize))
		a.Emit(SubRI(W32, R10, 1))
		a.Jcc(CondNE, loop)
		a.Jmp(crash)
	}
	// A wasm access out of bounds: resume in the trap routine with the code in edi and, as
	// a trap stub's call would leave it, a return address on the stack: pc+1, which lies
	// inside the faulting instruction, so the report names its function.
	a.Bind(found)
	a.Emit(MovRM(W64, RCX, Mem{Base: RDX, Disp: ctxRSP}))
	a.Emit(SubRI(W64, RCX, 8))
	a.Emit(Lea(W64, R11, Mem{Base: RAX, Disp: 1}))
	a.Emit(MovMR(W64, Mem{Base: RCX}, R11))
	a.Emit(MovMR(W64, Mem{Base: RDX, Disp: ctxRSP}, RCX))
	a.Emit(MovMI(W64, Mem{Base: RDX, Disp: ctxRDI}, int32(ir.TrapOutOfBoundsMemory)))
	a.EmitTo(Lea(W64, R11, RIPRel(0)), trap)
	a.Emit(MovMR(W64, Mem{Base: RDX, Disp: ctxRIP}, R11))
	a.Emit(Ret())
	if d != nil {
		a.Bind(crash)
		d.faultCrash(a)
		return
	}

	// Not a wasm access: report the pc, then let the signal's default action kill the
	// process when the instruction runs again.
	start, end := a.NewLabel(), a.NewLabel()
	a.Bind(crash)
	a.Emit(MovRR(W32, RBX, RDI))
	a.Emit(MovRR(W64, R12, RAX))
	writeLabel(a, start, len(backend.FaultCrashStart))
	a.Emit(SubRI(W64, RSP, 32))
	hexDigits(a)
	a.Emit(MovRI(W32, RAX, sysWrite))
	a.Emit(MovRI(W32, RDI, 2))
	a.Emit(MovRR(W64, RSI, RSP))
	a.Emit(MovRI(W32, RDX, 16))
	a.Emit(Syscall())
	writeLabel(a, end, len(backend.FaultCrashEnd))
	// struct sigaction with SIG_DFL: all zero.
	for off := int32(0); off < 32; off += 8 {
		a.Emit(MovMI(W64, Mem{Base: RSP, Disp: off}, 0))
	}
	a.Emit(MovRI(W32, RAX, sysRtSigaction))
	a.Emit(MovRR(W32, RDI, RBX))
	a.Emit(MovRR(W64, RSI, RSP))
	a.Emit(XorRR(W32, RDX, RDX))
	a.Emit(MovRI(W32, R10, 8))
	a.Emit(Syscall())
	// A signal someone sent would not come again by itself: send it again. It stays
	// pending until the handler returns and unblocks it.
	a.Emit(MovRI(W32, RAX, sysGetpid))
	a.Emit(Syscall())
	a.Emit(MovRR(W32, RDI, RAX))
	a.Emit(MovRR(W32, RSI, RBX))
	a.Emit(MovRI(W32, RAX, sysKill))
	a.Emit(Syscall())
	a.Emit(AddRI(W64, RSP, 32))
	a.Emit(Ret())
	a.Bind(start)
	a.Data([]byte(backend.FaultCrashStart))
	a.Bind(end)
	a.Data([]byte(backend.FaultCrashEnd))

	a.Align(16)
	a.Bind(restorer)
	a.Emit(MovRI(W32, RAX, sysRtSigreturn))
	a.Emit(Syscall())
}

// writeLabel emits write(2, the n bytes at label l).
func writeLabel(a *Asm, l Label, n int) {
	a.Emit(MovRI(W32, RAX, sysWrite))
	a.Emit(MovRI(W32, RDI, 2))
	a.EmitTo(Lea(W64, RSI, RIPRel(0)), l)
	a.Emit(MovRI(W32, RDX, int32(n)))
	a.Emit(Syscall())
}

// hexDigits writes r12 as 16 lowercase hex digits to [rsp, rsp+16), most significant
// first, for the crash line of a fault that is no wasm access (Linux's handler and
// darwin's). It uses rax and rcx.
func hexDigits(a *Asm) {
	hex, digit := a.NewLabel(), a.NewLabel()
	a.Emit(MovRI(W32, RCX, 16))
	a.Bind(hex)
	a.Emit(MovRR(W32, RAX, R12))
	a.Emit(AndRI(W32, RAX, 15))
	a.Emit(AddRI(W32, RAX, '0'))
	a.Emit(CmpRI(W32, RAX, '9'))
	a.Jcc(CondBE, digit)
	a.Emit(AddRI(W32, RAX, 'a'-'9'-1))
	a.Bind(digit)
	a.Emit(MovMR(W8, Mem{Base: RSP, Index: RCX, Scale: 1, Disp: -1}, RAX))
	a.Emit(ShrRI(W64, R12, 4))
	a.Emit(SubRI(W32, RCX, 1))
	a.Jcc(CondNE, hex)
}
