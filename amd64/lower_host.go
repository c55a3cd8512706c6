package amd64

import (
	"github.com/wasmc/wasmc/backend"
	"github.com/wasmc/wasmc/ir"
	"github.com/wasmc/wasmc/regalloc"
)

// Host ops exist only in the runtime (rtlib lowers its intrinsics to them): descriptor
// addresses are RIP-relative leas, host loads and stores plain moves, and a system call the
// syscall instruction with Linux's registers.

// syscallArgs are the registers of a Linux system call's arguments, in order.
var syscallArgs = [6]Reg{RDI, RSI, RDX, R10, R8, R9}

// hostOp lowers memdesc, tabledesc, datadesc, elemdesc, functab, hostload, hostload8,
// hoststore and syscall.
func (l *lowerer) hostOp(in *ir.Instr) {
	lea := func(sym backend.SymRef) {
		l.emit(inst{op: opLea, form: fRM, w: W64, nvis: 1, ops: l.ops(def(in.Results[0])), m: ripMem(sym, 0)})
	}
	switch in.Op {
	case ir.OpMemDesc:
		lea(memSym(in.Index))
	case ir.OpTableDesc:
		lea(tableSym(in.Index))
	case ir.OpDataDesc:
		lea(backend.SymRef{Kind: backend.RefData, Index: in.Index})
	case ir.OpElemDesc:
		lea(backend.SymRef{Kind: backend.RefElem, Index: in.Index})
	case ir.OpFunctab:
		lea(backend.SymRef{Kind: backend.RefFunctab})
	case ir.OpHostLoad:
		l.emit(inst{op: opMov, form: fRM, w: W64, nvis: 1,
			ops: l.ops(def(in.Results[0]), use(l.vr(in.Args[0]))), m: regMem(1, -1, 1, 0)})
	case ir.OpHostLoad8:
		l.emit(inst{op: opMovzx, form: fRM, w: W32, w2: W8, nvis: 1,
			ops: l.ops(def(in.Results[0]), use(l.vr(in.Args[0]))), m: regMem(1, -1, 1, 0)})
	case ir.OpHostStore:
		l.emit(inst{op: opMov, form: fMR, w: W64, nvis: 1,
			ops: l.ops(use(l.vr(in.Args[1])), use(l.vr(in.Args[0]))), m: regMem(1, -1, 1, 0)})
	case ir.OpHostRef, ir.OpRefBits:
		// A reference is its native bits in a general register.
		l.into(def(in.Results[0]), in.Args[0])
	case ir.OpSyscall:
		if l.env.OS == backend.OSDarwin {
			l.libcall(in)
			return
		}
		// The kernel destroys rcx and r11; marking the instruction a call makes the
		// allocator keep nothing live in any caller-saved register across it, which
		// covers both (r11 is the reserved scratch anyway).
		o := make([]regalloc.Operand, 0, 8)
		for i, a := range in.Args {
			r := preg(syscallArgs[i])
			l.into(regalloc.FixedDef(r), a)
			o = append(o, regalloc.FixedUse(r))
		}
		rax := preg(RAX)
		l.emit(inst{op: opMovImm, form: fR, w: W64, imm: int64(in.Imm), nvis: 1, ops: l.ops(regalloc.FixedDef(rax))})
		o = append(o, regalloc.FixedUse(rax), regalloc.FixedDef(rax))
		l.emit(inst{op: opSyscall, ops: o})
		l.copy(def(in.Results[0]), regalloc.FixedUse(rax), ir.I64)
	}
}

// libcallArgs are the registers of a C function's integer arguments (System V, which
// darwin/amd64 follows).
var libcallArgs = [6]Reg{RDI, RSI, RDX, RCX, R8, R9}

// libcall lowers a darwin syscall: a call of the libSystem function through its import
// slot (ir.LibcallImm), the result made Linux's (-errno on failure) by opLibcall's
// encoding. It is a call to the allocator, so nothing stays live in a caller-saved
// register across it, and the stack is 16-byte aligned at it as at every call.
func (l *lowerer) libcall(in *ir.Instr) {
	o := make([]regalloc.Operand, 0, 8)
	for i, a := range in.Args {
		r := preg(libcallArgs[i])
		l.into(regalloc.FixedDef(r), a)
		o = append(o, regalloc.FixedUse(r))
	}
	rax := preg(RAX)
	o = append(o, regalloc.FixedDef(rax))
	l.emit(inst{op: opLibcall, imm: int64(in.Imm), ops: o})
	l.copy(def(in.Results[0]), regalloc.FixedUse(rax), ir.I64)
}
