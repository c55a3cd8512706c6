package amd64

import (
	"github.com/wasmc/wasmc/backend"
	"github.com/wasmc/wasmc/ir"
	"github.com/wasmc/wasmc/regalloc"
)

// New returns the x86-64 instruction set. The code is for the processor level that
// [backend.Env.CPU] names: x86-64-v2 (SSSE3, SSE4.1, SSE4.2, POPCNT; clz and ctz are bsr
// and bsf, no AVX) by default, or x86-64-v3 (adds lzcnt, tzcnt, shlx, shrx, sarx, rorx and andn);
// process entry checks the level with CPUID.
func New() backend.ISA { return isa{} }

// isa is stateless, so one value serves every function of a parallel build.
type isa struct{}

// Arch implements [backend.ISA].
func (isa) Arch() backend.Arch { return backend.ArchAMD64 }

// RegConfig implements [backend.ISA]; see the package function [RegConfig].
func (isa) RegConfig() *regalloc.Config { return RegConfig() }

// SelectsVector implements [backend.VectorSelector]; see [SupportsVector].
func (isa) SelectsVector(op ir.Op, sh ir.Shape, signed bool) bool {
	return SupportsVector(op, sh, signed)
}

// Select implements [backend.ISA]: instruction selection (lower.go). IR it cannot lower
// (a vector op SelectsVector refuses, which the driver stops before) is an error.
func (isa) Select(f *ir.Func, env *backend.Env) (backend.MachineFunc, error) {
	mf, err := selectFunc(f, env)
	if err != nil {
		return nil, err
	}
	return mf, nil
}
