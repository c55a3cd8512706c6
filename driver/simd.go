package driver

import (
	"github.com/wasmc/wasmc/backend"
	"github.com/wasmc/wasmc/frontend"
	"github.com/wasmc/wasmc/ir"
)

// refuseSIMD stops what uses v128 in m, lowered from fm, that isa cannot select (issue
// 17): lowering handles SIMD, but an ISA that is no backend.VectorSelector selects no
// v128 at all, and one that is may leave some vector ops out (amd64 and arm64 select
// every one). A declaration that involves v128 is refused now; a body built now is
// checked now, and one built on demand when it is built (simdGuard), so that a function
// dead-function elimination drops is never looked at. The error is one line naming the function and
// the instruction, a *frontend.UnsupportedError as lowering gave before it handled SIMD,
// never a failure in instruction selection. A nil isa refuses every v128.
func refuseSIMD(fm *frontend.Module, m *ir.Module, isa backend.ISA) error {
	scan := frontend.NewSIMDScan(fm)
	if vs, ok := isa.(backend.VectorSelector); ok && !scan.SetSelects(vs.SelectsVector) {
		return nil // the ISA selects every vector instruction
	}
	if err := scan.Decls(); err != nil {
		return err
	}
	for fn, f := range m.Funcs {
		switch {
		case f.IsImport():
		case f.Lazy():
			f.Source = &simdGuard{BodySource: f.Source, scan: scan, fn: fn}
		default:
			if err := scan.Func(fn, f.Name); err != nil {
				return err
			}
		}
	}
	return nil
}

// SelectsSIMD reports whether isa selects v128 values (and some vector ops), so that a
// script's commands may pass and expect them.
func SelectsSIMD(isa backend.ISA) bool {
	_, ok := isa.(backend.VectorSelector)
	return ok
}

// simdGuard is a body source that refuses to build a body that uses v128.
type simdGuard struct {
	ir.BodySource
	scan *frontend.SIMDScan
	fn   int // in the function index space of the scanned module
}

func (g *simdGuard) Body(f *ir.Func) error {
	if err := g.scan.Func(g.fn, f.Name); err != nil {
		return err
	}
	return g.BodySource.Body(f)
}
