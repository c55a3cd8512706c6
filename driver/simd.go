package driver

import (
	"github.com/wasmc/wasmc/frontend"
	"github.com/wasmc/wasmc/ir"
)

// refuseSIMD stops what uses v128 in m, lowered from fm: lowering handles SIMD, but the
// backends do not select vector ops yet (issue 17). A declaration that involves v128 is
// refused now; a body built now is checked now, and one built on demand when it is built
// (simdGuard), so that a function dead-function elimination drops is never looked at.
// The error is one line naming the function and the instruction, a
// *frontend.UnsupportedError as lowering gave before it handled SIMD, never a failure in
// instruction selection.
func refuseSIMD(fm *frontend.Module, m *ir.Module) error {
	scan := frontend.NewSIMDScan(fm)
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
