package wasmgen

import (
	"errors"
	"math/rand/v2"
	"testing"

	"github.com/wasmc/wasmc/frontend"
	"github.com/wasmc/wasmc/ir"
)

// runV128 runs a module whose one exported function "f" returns the v128 that emit
// leaves, and returns its low and high halves.
func runV128(t *testing.T, emit func(f *fgen)) (lo, hi uint64) {
	t.Helper()
	g := &gen{r: rand.New(rand.NewPCG(1, 0)), m: &frontend.Module{}}
	g.m.Types = []frontend.FuncType{{Results: []frontend.ValType{frontend.V128}}}
	g.m.Funcs = []frontend.Func{{Type: 0}}
	f := &fgen{gen: g, tmp: map[frontend.ValType]int{}}
	emit(f)
	f.op(frontend.OpEnd)
	g.m.Codes = []frontend.Code{f.code()}
	g.m.Exports = []frontend.Export{{Name: "f", Kind: frontend.ExternFunc}}
	if err := frontend.Validate(g.m); err != nil {
		t.Fatal(err)
	}
	m, err := frontend.Lower(g.m)
	if err != nil {
		t.Fatal(err)
	}
	inst, err := ir.Instantiate(m, nil, ir.InterpConfig{})
	if err != nil {
		t.Fatal(err)
	}
	res, err := inst.Invoke("f", nil)
	if err != nil {
		t.Fatal(err)
	}
	return res[0].Bits, res[0].Hi
}

// TestCanonV128 checks that canonV128 replaces exactly the lanes that are NaN in the shape
// it is given: in f32x4, a negative NaN with a payload and a positive one become
// 0x7FC00000 while 1.0 and -0 stay; in f64x2, the same bits stay where the 64-bit lane is
// no NaN, though its 32-bit halves are.
func TestCanonV128(t *testing.T) {
	lanes := func(f *fgen, lo, hi uint64) {
		f.op(frontend.OpV128Const)
		f.b = le(le(f.b, lo, 8), hi, 8)
	}
	const lo, hi = 0x3F800000_FFC00001, 0x80000000_7F800001 // f32: NaN, 1.0; NaN, -0
	gotLo, gotHi := runV128(t, func(f *fgen) { lanes(f, lo, hi); f.canonV128(true) })
	if gotLo != 0x3F800000_7FC00000 || gotHi != 0x80000000_7FC00000 {
		t.Errorf("f32x4: got %#x %#x", gotLo, gotHi)
	}
	gotLo, gotHi = runV128(t, func(f *fgen) { lanes(f, lo, hi); f.canonV128(false) })
	if gotLo != lo || gotHi != hi {
		t.Errorf("f64x2 of lanes that are no f64 NaN: got %#x %#x", gotLo, gotHi)
	}
	gotLo, gotHi = runV128(t, func(f *fgen) { lanes(f, 0xFFF8000000000001, 0x4000000000000000); f.canonV128(false) })
	if gotLo != 0x7FF8000000000000 || gotHi != 0x4000000000000000 {
		t.Errorf("f64x2: got %#x %#x", gotLo, gotHi)
	}
}

// TestSIMDRuns checks, in the interpreter, that modules with SIMD mostly run to the end
// and fail only by trapping.
func TestSIMDRuns(t *testing.T) {
	const n = 200
	done := 0
	for seed := range uint64(n) {
		m, err := frontend.Lower(Generate(rand.New(rand.NewPCG(seed, 0)), Config{SIMD: true}))
		if err != nil {
			t.Fatalf("seed %d: lower: %v", seed, err)
		}
		var trap *ir.Trap
		inst, err := ir.Instantiate(m, nil, ir.InterpConfig{})
		if err == nil {
			_, err = inst.Invoke("main", nil)
		}
		switch {
		case err == nil:
			done++
		case !errors.As(err, &trap):
			t.Fatalf("seed %d: %v", seed, err)
		}
	}
	if done < n/2 {
		t.Errorf("only %d of %d modules run to the end", done, n)
	}
}
