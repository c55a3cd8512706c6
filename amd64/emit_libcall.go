package amd64

import (
	"github.com/wasmc/wasmc/backend"
	"github.com/wasmc/wasmc/ir"
)

// libcall emits a darwin system call (ir.LibcallImm): the arguments are in rdi … r9; the
// function is called through its import slot, and a failure (-1 from a function that
// sets errno) becomes minus errno, read through __error(), so that the runtime sees
// Linux's convention. al is zeroed first: a variadic callee (open, fcntl, ioctl) reads
// it as the number of vector registers holding arguments.
func (e *emitter) libcall(in *inst) {
	slot, res, errno := ir.Libcall(uint64(in.imm))
	got := func(i uint32) backend.SymRef { return backend.SymRef{Kind: backend.RefImport, Index: i} }
	e.a.Emit(XorRR(W32, RAX, RAX))
	e.ref(CallM(RIPRel(0)), got(slot), 0)
	if res == ir.LibcallRaw {
		return
	}
	if res == ir.LibcallInt {
		e.a.Emit(MovsxdRR(RAX, RAX)) // the upper half of an int result is undefined
	}
	done := e.a.NewLabel()
	e.a.Emit(CmpRI(W64, RAX, -1))
	e.a.Jcc(CondNE, done)
	e.ref(CallM(RIPRel(0)), got(errno), 0)
	e.a.Emit(MovsxdRM(RAX, Mem{Base: RAX}))
	e.a.Emit(NegR(W64, RAX))
	e.a.Bind(done)
}
