package arm64

import (
	"github.com/wasmc/wasmc/backend"
	"github.com/wasmc/wasmc/ir"
)

// libcall emits a darwin system call (ir.LibcallImm): the named arguments are in x0 … x5
// and the variadic ones in the outgoing stack words (libcallLower); the function is called
// through its import slot, and a failure (-1 from a function that sets errno) becomes
// minus errno, read through __error(), so that the runtime sees Linux's convention. x16
// holds the callee's address, as a branch through a veneer would leave it.
func (e *emitter) libcall(in *inst) {
	slot, res, errno := ir.Libcall(uint64(in.imm))
	e.callImport(slot)
	if res == ir.LibcallRaw {
		return
	}
	if res == ir.LibcallInt {
		e.a.Emit(Sxtw(X0, X0)) // the upper half of an int result is undefined
	}
	done := e.a.NewLabel()
	e.a.Emit(CmnImm(W64, X0, 1))
	e.a.BCond(CondNE, done)
	e.callImport(errno)
	e.a.Emit(Ldrsw(X0, MemOff(X0, 0)), Neg(W64, X0, X0))
	e.a.Bind(done)
}

// callImport calls the function in import slot i (its __got word, which dyld fills in).
func (e *emitter) callImport(i uint32) {
	e.ldrSymTo(scratch, backend.SymRef{Kind: backend.RefImport, Index: i}, 0)
	e.a.Emit(Blr(scratch))
}
