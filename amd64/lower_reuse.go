package amd64

import (
	"sync"

	"github.com/wasmc/wasmc/backend"
	"github.com/wasmc/wasmc/ir"
)

// lowerers holds the lowerers of selected functions for the next selections (issue 21):
// their arrays per value (the cached constants' registers and epochs), per memory, and
// the scratch of calls and branches were each made afresh for every function, a few of
// the compiler's smallest and most frequent allocations.
var lowerers sync.Pool // of *lowerer

// reuseValuesMax is the most values a lowerer's arrays may be sized for to go back to the
// pool: a huge function's would stay alive through the next function's allocation and
// encoding, the compiler's peak (issue 19).
const reuseValuesMax = 1 << 15

// newLowerer returns a lowerer of f in env, with a pooled one's arrays if there is one.
func newLowerer(f *ir.Func, env *backend.Env) *lowerer {
	l, ok := lowerers.Get().(*lowerer)
	if !ok {
		return &lowerer{f: f, env: env}
	}
	*l = lowerer{
		f: f, env: env,
		constReg: l.constReg, constEpoch: l.constEpoch, baseReg: l.baseReg, baseEpoch: l.baseEpoch,
		args: l.args[:0], fixed: l.fixed[:0], edgeArgs: l.edgeArgs[:0], edgeArgEnd: l.edgeArgEnd[:0],
		sigTypes: l.sigTypes[:0], callConv: callConv{params: l.callConv.params[:0], results: l.callConv.results[:0]},
		convSig: ir.Signature{Params: l.convSig.Params[:0], Results: l.convSig.Results[:0]},
	}
	return l
}

// release gives l, whose function is selected, to the pool, keeping only its arrays.
func (l *lowerer) release() {
	if cap(l.constReg) > reuseValuesMax || cap(l.args) > reuseValuesMax || cap(l.edgeArgs) > reuseValuesMax {
		return
	}
	*l = lowerer{
		constReg: l.constReg, constEpoch: l.constEpoch, baseReg: l.baseReg, baseEpoch: l.baseEpoch,
		args: l.args, fixed: l.fixed, edgeArgs: l.edgeArgs, edgeArgEnd: l.edgeArgEnd,
		sigTypes: l.sigTypes, callConv: l.callConv, convSig: l.convSig,
	}
	lowerers.Put(l)
}

// resize returns s with length n, in its own array when it is large enough; the caller
// writes or clears every element it reads.
func resize[T any](s []T, n int) []T {
	if cap(s) < n {
		return make([]T, n)
	}
	return s[:n]
}
