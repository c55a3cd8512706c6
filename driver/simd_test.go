package driver_test

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/wasmc/wasmc/backend"
	"github.com/wasmc/wasmc/driver"
	"github.com/wasmc/wasmc/frontend"
	"github.com/wasmc/wasmc/internal/targets"
	"github.com/wasmc/wasmc/internal/targettest"
	"github.com/wasmc/wasmc/ir"
)

// noSplat is amd64 but for i32x4.splat, which it says it does not select: an ISA that
// selects some vector ops and not others.
type noSplat struct{ backend.ISA }

func (i noSplat) SelectsVector(op ir.Op, sh ir.Shape, signed bool) bool {
	return !(op == ir.OpVSplat && sh == ir.I32x4) && i.ISA.(backend.VectorSelector).SelectsVector(op, sh, signed)
}

// TestBuildSIMDReachable: a function that uses a vector op the ISA does not select is
// refused, on one line naming it and the instruction, but only if the program reaches
// it: a dead one is dropped unread, as before lowering handled SIMD, so that a program
// that merely contains such code still builds.
func TestBuildSIMDReachable(t *testing.T) {
	const vec = `(func $vec (result i32) (i32x4.extract_lane 0 (i32x4.splat (i32.const 1))))`
	for _, tc := range []struct{ name, src, want string }{
		{"dead.wat", "(module\n" + vec + "\n(func (export \"_start\")))", ""},
		{"live.wat", "(module\n" + vec + "\n(func (export \"_start\") (drop (call $vec))))",
			"live.wat:2:48: func 0 ($vec): i32x4.splat is not supported yet (simd proposal)"},
		{"table.wat", "(module (table funcref (elem $vec))\n" + vec + "\n(func (export \"_start\")))",
			"table.wat:2:48: func 0 ($vec): i32x4.splat is not supported yet (simd proposal)"},
		{"other.wat", "(module\n(func $vec (result i32) (i32x4.extract_lane 0 (i8x16.splat (i32.const 1))))\n(func (export \"_start\") (drop (call $vec))))", ""},
	} {
		for _, level := range []int{0, 2} {
			o := options(noSplat{amd64ISA(t)}, level)
			o.RequireEntry = true
			_, err := driver.Build([]driver.Input{{Path: tc.name, Data: []byte(tc.src)}}, o)
			switch {
			case tc.want == "" && err != nil:
				t.Errorf("%s -O%d: %v", tc.name, level, err)
			case tc.want != "" && (err == nil || err.Error() != tc.want || !errors.Is(err, frontend.ErrSIMD)):
				t.Errorf("%s -O%d: error %v, want %q", tc.name, level, err, tc.want)
			case err != nil && strings.Contains(err.Error(), "\n"):
				t.Errorf("%s -O%d: more than one line: %v", tc.name, level, err)
			}
		}
	}
}

// noVector is an ISA that selects no vector ops: arm64 with its SelectsVector hidden, as
// arm64 was before it selected them.
type noVector struct{ backend.ISA }

// TestBuildSIMDRefused: for an ISA that selects no vector ops (no backend.VectorSelector),
// every use of v128 is refused: of several functions that use it, the error names the
// first and what in it, on one line, in the form of every "not supported yet", before
// any code is generated; declarations too.
func TestBuildSIMDRefused(t *testing.T) {
	tg, err := targets.Lookup("linux/arm64")
	if err != nil {
		t.Fatal(err)
	}
	isa := noVector{targettest.NeedISA(t, tg)}
	if driver.SelectsSIMD(isa) {
		t.Fatal("noVector selects SIMD")
	}
	for _, tc := range []struct{ path, data, want string }{
		{"simd.wat", `(module (func (export "a") (local v128)) (func (export "b") (local v128)) (func (export "_start")))`,
			"simd.wat:1:40: func 0 ($f0): local of type v128 is not supported yet (simd proposal)"},
		{"simdop.wat", "(module (func (export \"_start\"))\n (func $v (export \"v\") (result i32)\n  (i32x4.extract_lane 1 (i32x4.splat (i32.const 7)))))",
			"simdop.wat:3:26: func 1 ($v): i32x4.splat is not supported yet (simd proposal)"},
		{"simdcall.wat", "(module (type $t (func (param v128)))\n (import \"env\" \"g\" (func (type $t))) (func (export \"_start\")))",
			"simdcall.wat:2:2: import \"env\" \"g\" of type [v128] -> [] is not supported yet (simd proposal)"},
	} {
		o := options(isa, 2)
		o.RequireEntry = true
		_, err := driver.Build([]driver.Input{{Path: tc.path, Data: []byte(tc.data)}}, o)
		var ie *driver.InputError
		if err == nil || err.Error() != tc.want || !errors.As(err, &ie) || !errors.Is(err, frontend.ErrSIMD) {
			t.Errorf("%s: error %v, want %q (an InputError)", tc.path, err, tc.want)
		}
	}
}

// TestBuildSIMDRuns builds vector programs and runs them on each target that selects
// vector ops, at -O0 and -O2 with both kinds of bounds checks: testdata/simd/hello.wat
// computes its greeting with vector ops; testdata/simd/loops.wasm is C loops that clang
// vectorized, whose results the same C gives on the host.
func TestBuildSIMDRuns(t *testing.T) {
	for _, tc := range []struct {
		file, invoke string
		args         []string
		want         string
	}{
		{"hello.wat", "", nil, "Hello, SIMD!\n"},
		{"loops.wasm", "run", []string{"7"}, "5293371197598938\n"},
		{"loops.wasm", "run", []string{"12345"}, "-671564058997882008\n"},
	} {
		path := filepath.Join("..", "testdata", "simd", tc.file)
		src, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		t.Run(strings.Join(append([]string{tc.file}, tc.args...), " "), func(t *testing.T) {
			targettest.Each(t, func(t *testing.T, x targettest.Exec) {
				if !driver.SelectsSIMD(x.ISA) {
					t.Skipf("%s does not select vector ops yet", x.Name)
				}
				for _, level := range []int{0, 2} {
					for _, b := range []backend.BoundsChecks{backend.BoundsGuard, backend.BoundsExplicit} {
						o := options(x.ISA, level)
						o.BoundsChecks, o.Invoke = b, tc.invoke
						exe := filepath.Join(t.TempDir(), "a.out")
						if err := os.WriteFile(exe, build(t, path, src, o), 0o755); err != nil {
							t.Fatal(err)
						}
						var stdout, stderr bytes.Buffer
						cmd := x.Runner.Command(exe, tc.args...)
						cmd.Stdout, cmd.Stderr = &stdout, &stderr
						err := cmd.Run()
						if err != nil || stdout.String() != tc.want {
							t.Errorf("%s %v -O%d --bounds-checks=%v: %v, stdout %q, stderr %q; want %q", tc.file, tc.args, level, b, err, stdout.String(), stderr.String(), tc.want)
						}
					}
				}
			})
		})
	}
}
