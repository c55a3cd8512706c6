package arm64

import (
	"github.com/wasmc/wasmc/backend"
	"github.com/wasmc/wasmc/ir"
	"github.com/wasmc/wasmc/regalloc"
)

// New returns the A64 instruction set. It assumes Armv8.0-A, the baseline of every 64-bit
// Arm processor: nothing it emits needs a later extension (popcnt goes through the
// Advanced SIMD CNT, and the vector ops through Advanced SIMD, which v8.0 has).
func New() backend.ISA { return isa{} }

// isa is stateless, so one value serves every function of a parallel build.
type isa struct{}

// Arch implements [backend.ISA].
func (isa) Arch() backend.Arch { return backend.ArchARM64 }

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
