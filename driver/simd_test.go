package driver_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/wasmc/wasmc/driver"
	"github.com/wasmc/wasmc/frontend"
)

// TestBuildSIMDReachable: the backends do not select SIMD yet, so a function that uses
// it is refused, on one line naming it and the instruction, but only if the program
// reaches it: a dead one is dropped unread, as before lowering handled SIMD, so that a
// program that merely contains vector code still builds.
func TestBuildSIMDReachable(t *testing.T) {
	const vec = `(func $vec (result i32) (i32x4.extract_lane 0 (i32x4.splat (i32.const 1))))`
	for _, tc := range []struct{ name, src, want string }{
		{"dead.wat", "(module\n" + vec + "\n(func (export \"_start\")))", ""},
		{"live.wat", "(module\n" + vec + "\n(func (export \"_start\") (drop (call $vec))))",
			"live.wat:2:48: func 0 ($vec): i32x4.splat is not supported yet (simd proposal)"},
		{"table.wat", "(module (table funcref (elem $vec))\n" + vec + "\n(func (export \"_start\")))",
			"table.wat:2:48: func 0 ($vec): i32x4.splat is not supported yet (simd proposal)"},
	} {
		for _, level := range []int{0, 2} {
			o := options(amd64ISA(t), level)
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
