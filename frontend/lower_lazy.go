package frontend

import (
	"fmt"
	"sync"

	"github.com/wasmc/wasmc/ir"
)

// LowerLazy is [Lower] with bodies on demand (DESIGN.md decision 14): it declares the
// module at once, and gives each defined function an [ir.BodySource] that lowers its body
// when [ir.Func.Load] asks, so a compiler that loads, compiles and releases one function
// at a time never holds the IR of the whole module. m must stay unchanged while the
// result is in use: the sources read its code.
//
// An error that only a body shows (SIMD in a function, too many locals) comes from Load,
// and only for the functions that are loaded: dead-function elimination may drop one
// before anything looks at it.
func LowerLazy(m *Module) (*ir.Module, error) {
	ml := &moduleLowerer{m: m, out: &ir.Module{}}
	if err := ml.declare(); err != nil {
		return nil, err
	}
	if len(m.Codes) != len(m.Funcs) {
		return nil, fmt.Errorf("%d function declarations but %d bodies; was the module validated?", len(m.Funcs), len(m.Codes))
	}
	pool := &sync.Pool{New: func() any { return &funcLowerer{mod: ml} }}
	for fn := ml.nimported; fn < len(ml.out.Funcs); fn++ {
		ml.out.Funcs[fn].Source = &wasmBody{ml: ml, fn: fn, pool: pool}
	}
	return ml.out, nil
}

// wasmBody lowers one function's wasm code when asked. The lowerers, whose tables grow to
// the largest body seen, are pooled across functions: one per worker in the steady state.
type wasmBody struct {
	ml   *moduleLowerer
	fn   int // in the function index space
	pool *sync.Pool
}

func (b *wasmBody) Body(f *ir.Func) error {
	fl := b.pool.Get().(*funcLowerer)
	defer b.pool.Put(fl)
	err := fl.lowerInto(f, b.fn)
	fl.f, fl.b, fl.code = nil, nil, nil // keep no reference to the function
	return err
}

// Refs reads the code for call and ref.func, the only instructions of WebAssembly 2.0
// that name a function.
func (b *wasmBody) Refs(fn func(uint32)) error {
	code := &b.ml.m.Codes[b.fn-b.ml.nimported]
	var in Instr
	for pos := 0; pos < len(code.Body); {
		next, err := ReadInstr(code.Body, pos, code.Offset, &in)
		if err != nil {
			return err
		}
		if in.Op == OpCall || in.Op == OpRefFunc {
			fn(in.Idx)
		}
		pos = next
	}
	return nil
}
