package arm64

import (
	"github.com/wasmc/wasmc/backend"
	"github.com/wasmc/wasmc/ir"
	"github.com/wasmc/wasmc/regalloc"
)

// Host ops exist only in the runtime (rtlib lowers its intrinsics to them): descriptor
// addresses are ADRP and ADD, host loads and stores plain LDR and STR, and a system call
// SVC #0 with Linux's registers (the number in x8, the arguments in x0–x5, the result or
// -errno in x0).

// syscallArgs are the registers of a Linux system call's arguments, in order.
var syscallArgs = [6]Reg{X0, X1, X2, X3, X4, X5}

// hostOp lowers memdesc, tabledesc, datadesc, elemdesc, functab, hostload, hostload8,
// hoststore, hostref, refbits and syscall.
func (l *lowerer) hostOp(in *ir.Instr) {
	adr := func(sym backend.SymRef) {
		l.emit(inst{op: opAdrSym, form: fSym, w: W64, nvis: 1, ops: l.ops(def(in.Results[0])), sym: sym})
	}
	switch in.Op {
	case ir.OpMemDesc:
		adr(memSym(in.Index))
	case ir.OpTableDesc:
		adr(tableSym(in.Index))
	case ir.OpDataDesc:
		adr(backend.SymRef{Kind: backend.RefData, Index: in.Index})
	case ir.OpElemDesc:
		adr(backend.SymRef{Kind: backend.RefElem, Index: in.Index})
	case ir.OpFunctab:
		adr(backend.SymRef{Kind: backend.RefFunctab})
	case ir.OpHostLoad:
		l.emit(inst{op: opLdr, form: fRM, w: W64, w2: W64, nvis: 1,
			ops: l.ops(def(in.Results[0]), use(l.vr(in.Args[0]))), m: regMem(1, 0)})
	case ir.OpHostLoad8:
		l.emit(inst{op: opLdr, form: fRM, w: W32, w2: W8, nvis: 1,
			ops: l.ops(def(in.Results[0]), use(l.vr(in.Args[0]))), m: regMem(1, 0)})
	case ir.OpHostStore:
		l.emit(inst{op: opStr, form: fMR, w: W64, w2: W64, nvis: 1,
			ops: l.ops(use(l.vr(in.Args[1])), use(l.vr(in.Args[0]))), m: regMem(1, 0)})
	case ir.OpHostRef, ir.OpRefBits:
		// A reference is its native bits in a general register.
		l.into(def(in.Results[0]), in.Args[0])
	case ir.OpSyscall:
		if l.env.OS == backend.OSDarwin {
			l.libcall(in)
			return
		}
		// Linux preserves every register but x0 across svc; marking the instruction a call
		// is simpler and as cheap, since system calls are rare and slow anyway.
		o := make([]regalloc.Operand, 0, 8)
		for i, a := range in.Args {
			r := preg(syscallArgs[i])
			l.into(regalloc.FixedDef(r), a)
			o = append(o, regalloc.FixedUse(r))
		}
		x8 := preg(X8)
		l.emit(l.movImm(W64, regalloc.FixedDef(x8), in.Imm))
		o = append(o, regalloc.FixedUse(x8), regalloc.FixedDef(preg(X0)))
		l.emit(inst{op: opSvc, call: true, ops: o})
		l.copy(def(in.Results[0]), regalloc.FixedUse(preg(X0)), ir.I64)
	}
}

// libcall lowers a darwin syscall: a call of the libSystem function through its import
// slot (ir.LibcallImm), the result made Linux's (-errno on failure) by opLibcall's
// encoding. Apple's arm64 convention differs from AAPCS64 in what matters here: variadic
// arguments (open's mode, fcntl's and ioctl's third) go on the stack, each in its own
// 8-byte word from [sp] up, and x18 is the platform's, which nothing of ours touches
// (abi.go). It is a call to the allocator, so nothing stays live in a caller-saved
// register across it; the wasm convention's callee-saved registers are AAPCS64's, and x28,
// memory 0's base, is callee-saved there too.
func (l *lowerer) libcall(in *ir.Instr) {
	named := len(in.Args)
	if va := ir.LibcallVarargs(in.Imm); va > 0 && va < named {
		named = va
	}
	for k, a := range in.Args[named:] {
		l.storeWord(outgoing(int32(k)), callArg{v: a, t: l.typeOf(a)})
	}
	l.mf.outWords = max(l.mf.outWords, int32(len(in.Args)-named))
	o := make([]regalloc.Operand, 0, 8)
	for i, a := range in.Args[:named] {
		r := preg(syscallArgs[i])
		l.into(regalloc.FixedDef(r), a)
		o = append(o, regalloc.FixedUse(r))
	}
	o = append(o, regalloc.FixedDef(preg(X0)))
	l.emit(inst{op: opLibcall, call: true, imm: int64(in.Imm), ops: o})
	l.copy(def(in.Results[0]), regalloc.FixedUse(preg(X0)), ir.I64)
}
