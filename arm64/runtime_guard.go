package arm64

import (
	"github.com/wasmc/wasmc/backend"
	"github.com/wasmc/wasmc/ir"
)

// Guard pages (backend/guard.go): entry installs a handler for SIGSEGV and SIGBUS on an
// alternate signal stack. A fault whose pc is in the program's functions and whose address
// is in a memory's reservation is a wasm access out of bounds: the handler rewrites the
// interrupted context so that, when the kernel resumes it, the faulting instruction seems
// to have branched with link to the trap routine with the out-of-bounds code in w0, and the
// trap is reported (or, in a .wast driver, unwound) exactly as a trap stub's. Any other
// fault is a bug in wasmc, or a signal sent by kill: the handler writes one line with the
// pc, restores the default action, sends the signal again and returns, so the process dies
// of the signal.

// Linux arm64 signal handling (the asm-generic numbers; struct layouts of
// arch/arm64/include/uapi/asm/{sigcontext,ucontext}.h).
const (
	sysWrite       = 64
	sysSigaltstack = 132
	sysRtSigaction = 134
	sysRtSigreturn = 139
	sysGetpid      = 172
	sysKill        = 129
	ucRegs         = 184 // uc_mcontext.regs: after uc_flags, uc_link, uc_stack, a 128-byte sigmask and fault_address
	ucLR           = ucRegs + 30*8
	ucPC           = ucRegs + 32*8 // after regs[31] and sp
)

// data appends the bytes of s, padded with zeros to a whole instruction.
func (a *rtAsm) data(s string) {
	a.buf = append(a.buf, s...)
	for len(a.buf)%4 != 0 {
		a.buf = append(a.buf, 0)
	}
}

// writeLabel emits write(2, the n bytes at label l); x0–x2 and x8 are its.
func writeLabel(a *rtAsm, l Label, n int) {
	a.Emit(MovImm(W64, X0, 2)...)
	a.EmitTo(Adr(X1, 0), l)
	a.Emit(MovImm(W64, X2, uint64(n))...)
	a.Emit(MovImm(W64, X8, sysWrite)...)
	a.Emit(Svc(0))
}

// installFaultHandler emits entry's part: map the alternate stack, register it, and point
// SIGSEGV and SIGBUS at handler, whose return goes through restorer.
func installFaultHandler(a *rtAsm, handler, restorer Label, fail Label) {
	mmap(a, backend.FaultStackSize, protRW, fail)
	// stack_t {ss_sp, ss_flags, ss_size} and then struct sigaction {handler, flags,
	// restorer, mask} in the same 32 bytes of stack.
	a.Emit(SubImm(W64, SP, SP, 32))
	a.Emit(Str(W64, X0, MemOff(SP, 0)), Str(W64, XZR, MemOff(SP, 8)))
	a.Emit(MovImm(W64, X1, backend.FaultStackSize)...)
	a.Emit(Str(W64, X1, MemOff(SP, 16)))
	a.Emit(Mov(W64, X0, SP), Movz(W64, X1, 0, 0))
	a.syscall(sysSigaltstack, fail)
	a.EmitTo(Adr(X0, 0), handler)
	a.Emit(Str(W64, X0, MemOff(SP, 0)))
	a.Emit(MovImm(W64, X0, backend.LinuxSAFlags)...)
	a.Emit(Str(W64, X0, MemOff(SP, 8)))
	a.EmitTo(Adr(X0, 0), restorer)
	a.Emit(Str(W64, X0, MemOff(SP, 16)), Str(W64, XZR, MemOff(SP, 24)))
	for _, sig := range []uint64{backend.LinuxSIGSEGV, backend.LinuxSIGBUS} {
		a.Emit(MovImm(W64, X0, sig)...)
		a.Emit(Mov(W64, X1, SP), Movz(W64, X2, 0, 0), Movz(W64, X3, 8, 0))
		a.syscall(sysRtSigaction, fail)
	}
	a.Emit(AddImm(W64, SP, SP, 32))
}

// faultHandler emits the handler (x0 the signal, x1 the siginfo, x2 the ucontext; every
// register is the handler's to use, since the kernel restores the interrupted ones from the
// context) and its restorer. trap is the trap routine; nmem memories are checked. With d
// the handler is darwin's (runtime_macos.go): its context's registers are behind
// uc_mcontext, it returns to libSystem's trampoline, which needs no restorer, as a C
// function, keeping x19–x28 (which the wasm path never touches), and its crash path
// calls libSystem.
func faultHandler(a *rtAsm, handler, restorer, trap Label, nmem int, d *darwinEntry) {
	crash, loop, found := a.NewLabel(), a.NewLabel(), a.NewLabel()
	regs, lr, pc, siAddr := int32(ucRegs), int32(ucLR), int32(ucPC), int32(backend.LinuxSiAddr)
	a.Align(16)
	a.Bind(handler)
	if d != nil {
		a.Emit(Ldr(W64, X2, MemOff(X2, darwinUcMcontext)))
		regs, lr, pc, siAddr = darwinMcX0, darwinMcLR, darwinMcPC, darwinSiAddr
	}
	a.Emit(Ldr(W64, X9, MemOff(X2, pc)))
	// Is the pc in a function of the program?
	a.adr(X10, backend.SymRef{Kind: backend.RefFunctab}, 0)
	a.Emit(Ldr(W64, X11, MemOff(X10, 0)))
	a.EmitTo(Cbz(W64, X11, 0), crash)
	a.Emit(Ldr(W64, X11, MemOff(X10, backend.FunctabFirstStart)), Cmp(W64, X9, X11))
	a.BCond(CondLO, crash)
	a.Emit(Ldr(W64, X11, MemOff(X10, 8)), Cmp(W64, X9, X11))
	a.BCond(CondHS, crash)
	// Is the address in a memory's reservation, base <= addr < base + reserve?
	if nmem == 0 {
		a.B(crash)
	} else {
		a.Emit(Ldr(W64, X12, MemOff(X1, siAddr)))
		a.adr(X13, backend.SymRef{Kind: backend.RefMemory}, 0)
		a.Emit(MovImm(W64, X14, uint64(nmem))...)
		a.Bind(loop)
		a.Emit(Ldr(W64, X15, MemOff(X13, 0)), Sub(W64, X15, X12, X15))
		a.Emit(Ldr(W64, X11, MemOff(X13, backend.MemoryDescReserve)), Cmp(W64, X15, X11))
		a.BCond(CondLO, found)
		a.Emit(AddImm(W64, X13, X13, backend.MemoryDescSize), SubsImm(W64, X14, X14, 1))
		a.BCond(CondNE, loop)
		a.B(crash)
	}
	// A wasm access out of bounds: resume in the trap routine with the code in w0 and, as
	// a trap stub's bl would leave it, the next instruction's address in x30.
	a.Bind(found)
	a.Emit(AddImm(W64, X9, X9, 4), Str(W64, X9, MemOff(X2, lr)))
	a.Emit(MovImm(W64, X9, uint64(ir.TrapOutOfBoundsMemory))...)
	a.Emit(Str(W64, X9, MemOff(X2, regs)))
	a.EmitTo(Adr(X9, 0), trap)
	a.Emit(Str(W64, X9, MemOff(X2, pc)), Ret())
	if d != nil {
		a.Bind(crash)
		d.faultCrash(a)
		return
	}

	// Not a wasm access: report the pc, then let the signal's default action kill the
	// process when the instruction runs again. x19–x21 survive the system calls.
	start, end, hex, digit := a.NewLabel(), a.NewLabel(), a.NewLabel(), a.NewLabel()
	a.Bind(crash)
	a.Emit(Mov(W64, X19, X0), Mov(W64, X20, X9))
	writeLabel(a, start, len(backend.FaultCrashStart))
	a.Emit(SubImm(W64, SP, SP, 32))
	a.Emit(MovImm(W64, X21, 16)...)
	a.Bind(hex)
	a.Emit(AndImm(W64, X0, X20, 15), AddImm(W64, X0, X0, '0'), CmpImm(W64, X0, '9'))
	a.BCond(CondLS, digit)
	a.Emit(AddImm(W64, X0, X0, 'a'-'9'-1))
	a.Bind(digit)
	a.Emit(SubImm(W64, X21, X21, 1), Strb(X0, MemIndex(SP, X21, ExtUXTX, false)), LsrImm(W64, X20, X20, 4))
	a.EmitTo(Cbnz(W64, X21, 0), hex)
	a.Emit(MovImm(W64, X0, 2)...)
	a.Emit(Mov(W64, X1, SP), Movz(W64, X2, 16, 0))
	a.Emit(MovImm(W64, X8, sysWrite)...)
	a.Emit(Svc(0))
	writeLabel(a, end, len(backend.FaultCrashEnd))
	// struct sigaction with SIG_DFL: all zero.
	a.Emit(Stp(W64, XZR, XZR, MemOff(SP, 0)), Stp(W64, XZR, XZR, MemOff(SP, 16)))
	a.Emit(Mov(W64, X0, X19), Mov(W64, X1, SP), Movz(W64, X2, 0, 0), Movz(W64, X3, 8, 0))
	a.Emit(MovImm(W64, X8, sysRtSigaction)...)
	a.Emit(Svc(0))
	// A signal someone sent would not come again by itself: send it again. It stays
	// pending until the handler returns and unblocks it.
	a.Emit(MovImm(W64, X8, sysGetpid)...)
	a.Emit(Svc(0), Mov(W64, X1, X19))
	a.Emit(MovImm(W64, X8, sysKill)...)
	a.Emit(Svc(0), AddImm(W64, SP, SP, 32), Ret())
	a.Bind(start)
	a.data(backend.FaultCrashStart)
	a.Bind(end)
	a.data(backend.FaultCrashEnd)

	a.Align(16)
	a.Bind(restorer)
	a.Emit(MovImm(W64, X8, sysRtSigreturn)...)
	a.Emit(Svc(0))
}
