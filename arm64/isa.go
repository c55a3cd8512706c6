package arm64

import (
	"github.com/wasmc/wasmc/backend"
	"github.com/wasmc/wasmc/ir"
	"github.com/wasmc/wasmc/regalloc"
)

// New returns the A64 instruction set. It assumes Armv8.0-A, the baseline of every 64-bit
// Arm processor: nothing it emits needs a later extension (popcnt goes through the
// Advanced SIMD CNT, which v8.0 has).
func New() backend.ISA { return isa{} }

// isa is stateless, so one value serves every function of a parallel build.
type isa struct{}

// Arch implements [backend.ISA].
func (isa) Arch() backend.Arch { return backend.ArchARM64 }

// RegConfig implements [backend.ISA]; see the package function [RegConfig].
func (isa) RegConfig() *regalloc.Config { return RegConfig() }

// Select implements [backend.ISA]: instruction selection (lower.go). IR it cannot lower yet
// (v128 values) is an error.
func (isa) Select(f *ir.Func, env *backend.Env) (backend.MachineFunc, error) {
	mf, err := selectFunc(f, env)
	if err != nil {
		return nil, err
	}
	return mf, nil
}
