package frontend_test

import (
	"errors"
	"strconv"
	"testing"

	"github.com/wasmc/wasmc/frontend"
	"github.com/wasmc/wasmc/frontend/wat"
	"github.com/wasmc/wasmc/ir"
)

// TestFindSIMD: what the native backends refuse is found wherever a v128 can come from,
// named with its function and instruction, and a body whose immediates merely hold the
// byte 0xFD is not mistaken for one.
func TestFindSIMD(t *testing.T) {
	for _, tc := range []struct{ name, src, want string }{
		{"none", `(module (func (result i32) (i32.const 253)) (func (result i64) (i64.const -131)))`, ""},
		{"global", `(module (global (mut i32) (i32.const 0)) (global v128 (v128.const i64x2 0 0)))`,
			"at 0x29: global 1 of type v128 is not supported yet (simd proposal)"},
		{"import", `(module (import "m" "g" (global v128)))`,
			`at 0x8: import "m" "g" of type v128 is not supported yet (simd proposal)`},
		{"local", `(module (func) (func (local v128)))`,
			"at 0x21: func 1 ($f1): local of type v128 is not supported yet (simd proposal)"},
		{"param", `(module (func) (func (param v128)))`,
			"at 0x21: func 1 ($f1): function of type [v128] -> [] is not supported yet (simd proposal)"},
		{"instr", `(module (func (result i32) (i32.const 253) (drop) (i32x4.extract_lane 2 (i32x4.splat (i32.const 1)))))`,
			"at 0x49: func 0 ($f0): i32x4.splat is not supported yet (simd proposal)"},
	} {
		m, err := wat.ParseModule(tc.name+".wat", []byte(tc.src))
		if err != nil {
			t.Fatalf("%s: %v", tc.name, err)
		}
		if err := frontend.Validate(m); err != nil {
			t.Fatalf("%s: %v", tc.name, err)
		}
		err = frontend.FindSIMD(m, func(fn int) string { return "f" + strconv.Itoa(fn) })
		got := ""
		if err != nil {
			got = err.Error()
			if !errors.Is(err, frontend.ErrSIMD) {
				t.Errorf("%s: %v does not wrap ErrSIMD", tc.name, err)
			}
		}
		if got != tc.want {
			t.Errorf("%s: FindSIMD = %q, want %q", tc.name, got, tc.want)
		}
	}
}

// TestSIMDScanSelects: with SetSelects, only the vector instructions the target does not
// select are refused; v128 declarations, locals, parameters and the other instructions
// are not, and when every instruction is selected the scan says it refuses nothing.
func TestSIMDScanSelects(t *testing.T) {
	src := `(module (global v128 (v128.const i64x2 0 0))
	  (func (param v128) (result v128) (local v128) (i8x16.splat (i32.const 1)))
	  (func (result i32) (i32x4.extract_lane 0 (i32x4.splat (i32.const 1)))))`
	m, err := wat.ParseModule("s.wat", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	if err := frontend.Validate(m); err != nil {
		t.Fatal(err)
	}
	s := frontend.NewSIMDScan(m)
	noI32Splat := func(op ir.Op, sh ir.Shape, _ bool) bool { return op != ir.OpVSplat || sh != ir.I32x4 }
	if !s.SetSelects(noI32Splat) {
		t.Error("SetSelects: nothing refused, want i32x4.splat")
	}
	if err := s.Decls(); err != nil {
		t.Errorf("Decls: %v", err)
	}
	if err := s.Func(0, "a"); err != nil {
		t.Errorf("func 0: %v", err)
	}
	want := "at 0xa8: func 1 ($b): i32x4.splat is not supported yet (simd proposal)"
	if err := s.Func(1, "b"); err == nil || err.Error() != want || !errors.Is(err, frontend.ErrSIMD) {
		t.Errorf("func 1: %v, want %q", err, want)
	}
	if frontend.NewSIMDScan(m).SetSelects(func(ir.Op, ir.Shape, bool) bool { return true }) {
		t.Error("SetSelects of everything refuses something")
	}
}
