package wast_test

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/wasmc/wasmc/backend"
	"github.com/wasmc/wasmc/driver"
	"github.com/wasmc/wasmc/internal/runexe"
	"github.com/wasmc/wasmc/internal/targets"
	"github.com/wasmc/wasmc/internal/targettest"
	"github.com/wasmc/wasmc/wast"
)

// specFiles returns the .wast files of ../shared/spec/<level> beside the checkout. Without
// it the test skips, except under CI=true, where the suite is required.
func specFiles(t *testing.T, level string) []string {
	t.Helper()
	dir, err := filepath.Abs(filepath.Join("..", "..", "shared", "spec", level))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(dir); err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("spec suite missing under CI: %v", err)
		}
		t.Skipf("spec suite not found: %v", err)
	}
	files, err := filepath.Glob(filepath.Join(dir, "*.wast"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no .wast files in %s: %v", dir, err)
	}
	return files
}

// native is the configuration of native runs for x's target (under its emulator when the
// host's architecture differs). Every function of every script's executable goes through
// the IR verifier after each pass and the allocation checker.
func native(t *testing.T, x targettest.Exec, level int) wast.Config {
	t.Helper()
	o := driver.Options{ISA: x.ISA, OS: x.OS, Level: level, Verify: true, CheckAllocations: true}
	return wast.Config{Mode: wast.Native, Options: o, Dir: t.TempDir()}
}

// interp is the configuration of interpreter runs, with the IR verifier after each pass.
func interp(level int) wast.Config {
	return wast.Config{Mode: wast.Interp, Options: driver.Options{Level: level, Verify: true}}
}

// runSuite runs every file at cfg: nothing fails, and nothing is skipped unless skips
// are the level's (validation), except natively the SIMD scripts for a target that does
// not select vector ops (none of the linux targets now). The interpreter runs everything.
func runSuite(t *testing.T, name string, files []string, cfg wast.Config, skips bool) wast.Tally {
	var total wast.Tally
	for _, f := range files {
		tally := wast.Run(f, cfg, func(line string) { t.Errorf("%s: %s", name, line) })
		simdSkip := cfg.Mode == wast.Native && !driver.SelectsSIMD(cfg.Options.ISA) && strings.HasPrefix(filepath.Base(f), "simd_")
		if !skips && tally.Skipped > 0 && !simdSkip {
			t.Errorf("%s: %s skipped %d commands", name, filepath.Base(f), tally.Skipped)
		}
		total.Add(tally)
	}
	t.Logf("wasm-2.0 %s: %v", name, total)
	if total.Failed > 0 {
		t.Errorf("%s: %v", name, total)
	}
	return total
}

// TestSpecValidation runs the whole WebAssembly 2.0 suite at the validation level: no
// failures, and the skips are exactly the commands that need execution.
func TestSpecValidation(t *testing.T) {
	total := runSuite(t, "validation", specFiles(t, "wasm-2.0"), wast.Config{Mode: wast.Validate}, true)
	if total.Passed < 5000 {
		t.Errorf("only %d assertions passed", total.Passed)
	}
}

// TestSpecInterp runs the 2.0 suite in the IR interpreter at -O0 and -O2, with the IR
// verifier after every pass.
func TestSpecInterp(t *testing.T) {
	files := specFiles(t, "wasm-2.0")
	for _, level := range []int{0, 2} {
		if total := runSuite(t, fmt.Sprintf("interpreter -O%d", level), files, interp(level), false); total.Passed < 25000 {
			t.Errorf("-O%d: only %d assertions passed", level, total.Passed)
		}
	}
}

// TestSpecNative runs the 2.0 suite as native executables (DESIGN.md decision 11) for
// each target at -O0 and -O2, with guard pages and with explicit bounds checks, with the IR
// verifier and the allocation checker on every function.
func TestSpecNative(t *testing.T) {
	if testing.Short() {
		t.Skip("builds two executables per script and target; -short keeps the native level out of the loop")
	}
	files := specFiles(t, "wasm-2.0")
	targettest.Each(t, func(t *testing.T, x targettest.Exec) {
		for _, level := range []int{0, 2} {
			for _, b := range []backend.BoundsChecks{backend.BoundsGuard, backend.BoundsExplicit} {
				cfg := native(t, x, level)
				cfg.Options.BoundsChecks = b
				if total := runSuite(t, fmt.Sprintf("native %s -O%d --bounds-checks=%v", x.Name, level, b), files, cfg, false); total.Passed < 25000 {
					t.Errorf("-O%d --bounds-checks=%v: only %d assertions passed", level, b, total.Passed)
				}
			}
		}
	})
}

func writeScript(t *testing.T, name, src string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(p, []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

// run runs a script and returns its failure lines and tally.
func run(path string, cfg wast.Config) ([]string, wast.Tally) {
	var lines []string
	tally := wast.Run(path, cfg, func(line string) { lines = append(lines, line) })
	return lines, tally
}

// badWast holds wrong results, missing and wrong traps and a NaN of the wrong class, and
// commands after a trap.
const badWast = `
(module
  (memory 1)
  (func (export "add") (param i32 i32) (result i32) (i32.add (local.get 0) (local.get 1)))
  (func (export "div") (param i32 i32) (result i32) (i32.div_s (local.get 0) (local.get 1)))
  (func (export "f") (result f32) (f32.const nan:0x200000))
  (func $r (export "rec") (call $r))
  (func (export "load") (param i32) (result i32) (i32.load (local.get 0))))
(assert_return (invoke "add" (i32.const 1) (i32.const 2)) (i32.const 4))
(assert_return (invoke "add" (i32.const 1) (i32.const 2)) (i32.const 3))
(assert_trap (invoke "div" (i32.const 1) (i32.const 0)) "integer divide by zero")
(assert_trap (invoke "div" (i32.const 1) (i32.const 1)) "integer divide by zero")
(assert_trap (invoke "div" (i32.const 1) (i32.const 0)) "integer overflow")
(assert_return (invoke "f") (f32.const nan:arithmetic))
(assert_exhaustion (invoke "rec") "call stack exhausted")
(assert_trap (invoke "load" (i32.const 65534)) "out of bounds memory access")
(assert_return (invoke "load" (i32.const 65532)) (i32.const 0))
(invoke "div" (i32.const 1) (i32.const 0))
`

// TestOneJudge runs a script of failures natively and in the interpreter: both report the
// same failures in the same words, because one function judges both (judge.go).
func TestOneJudge(t *testing.T) {
	p := writeScript(t, "bad.wast", badWast)
	want := []string{
		"bad.wast:9: assert_return add: got [i32:3], want [i32:4]",
		"bad.wast:12: assert_trap div: no trap, want \"integer divide by zero\"",
		"bad.wast:13: assert_trap div: trap \"integer divide by zero\", want \"integer overflow\"",
		"bad.wast:14: assert_return f: got [f32:NaN(0x7fa00000)], want [f32:nan:arithmetic]",
		"bad.wast:18: action div: trap: integer divide by zero",
	}
	check := func(t *testing.T, cfg wast.Config) {
		lines, tally := run(p, cfg)
		for i := range lines {
			lines[i] = strings.TrimPrefix(lines[i], filepath.Dir(p)+string(filepath.Separator))
		}
		if !slices.Equal(lines, want) || tally != (wast.Tally{Passed: 6, Failed: 5}) {
			t.Errorf("%v: %v\n%s\nwant\n%s", cfg.Mode, tally, strings.Join(lines, "\n"), strings.Join(want, "\n"))
		}
	}
	check(t, interp(2))
	targettest.Each(t, func(t *testing.T, x targettest.Exec) { check(t, native(t, x, 2)) })
}

// TestBrokenModuleFails checks that a module that fails to instantiate fails, and so does
// every command that uses it: a broken module never turns into skips.
func TestBrokenModuleFails(t *testing.T) {
	p := writeScript(t, "broken.wast", `
(module (import "nowhere" "f" (func)) (func (export "g") (result i32) (i32.const 1)))
(assert_return (invoke "g") (i32.const 1))
(register "m")
(module (func (export "h") (result i32) (i32.const 2)))
(assert_return (invoke "h") (i32.const 2))
(module (func $s (unreachable)) (start $s) (func (export "k")))
(invoke "k")
`)
	check := func(t *testing.T, cfg wast.Config) {
		lines, tally := run(p, cfg)
		if tally != (wast.Tally{Passed: 2, Failed: 5}) {
			t.Errorf("%v: %v\n%s", cfg.Mode, tally, strings.Join(lines, "\n"))
		}
		for _, want := range []string{"broken.wast:2: module: instantiation: unknown import", "broken.wast:7: module: instantiation: trap: unreachable", "broken.wast:8: action k: module did not instantiate: trap: unreachable"} {
			if !slices.ContainsFunc(lines, func(l string) bool { return strings.Contains(l, want) }) {
				t.Errorf("%v: no line %q in\n%s", cfg.Mode, want, strings.Join(lines, "\n"))
			}
		}
	}
	check(t, interp(0))
	targettest.Each(t, func(t *testing.T, x targettest.Exec) { check(t, native(t, x, 0)) })
}

// cpuRefusal is the start of what an amd64 executable says on a CPU below x86-64-v2.
const cpuRefusal = "needs an x86-64 CPU with SSSE3, SSE4.1, SSE4.2 and POPCNT"

// TestSpecOldCPU runs the scripts that hold clz, ctz, popcnt and nearest natively on a CPU
// without LZCNT and BMI1 (qemu's Nehalem, x86-64-v2), where lzcnt and tzcnt would run as
// bsr and bsf and give wrong answers without a fault (issue 19, finding 10); and shows that
// on a CPU without SSE4.1 (Core 2), or without SSE4.2 (which vector code uses), the
// executable refuses to start, in one line.
func TestSpecOldCPU(t *testing.T) {
	tg, err := targets.Lookup("linux/amd64")
	if err != nil {
		t.Fatal(err)
	}
	isa := targettest.NeedISA(t, tg)
	if _, err := runexe.ForCPU("amd64", "Nehalem"); err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatal(err)
		}
		t.Skip(err)
	}
	var files []string
	for _, f := range specFiles(t, "wasm-2.0") {
		switch filepath.Base(f) {
		case "i32.wast", "i64.wast", "f32.wast", "f64.wast":
			files = append(files, f)
		}
	}
	for _, level := range []int{0, 2} {
		cfg := wast.Config{Mode: wast.Native, Options: driver.Options{ISA: isa, OS: tg.OS, Level: level}, Dir: t.TempDir(), CPU: "Nehalem"}
		if total := runSuite(t, fmt.Sprintf("Nehalem -O%d", level), files, cfg, false); total.Passed < 1000 {
			t.Errorf("-O%d: only %d assertions passed", level, total.Passed)
		}
	}
	cfg := wast.Config{Mode: wast.Native, Options: driver.Options{ISA: isa, OS: tg.OS, Level: 2}, Dir: t.TempDir(), CPU: "core2duo"}
	lines, _ := run(files[0], cfg)
	if len(lines) == 0 || !strings.Contains(strings.Join(lines, "\n"), cpuRefusal) {
		t.Errorf("on a Core 2: %q, want the executable to refuse the CPU", lines)
	}
	// A CPU with SSE4.1 and POPCNT but without SSE4.2 (no such processor was sold, but an
	// emulator or a hypervisor can hide it) has no pcmpgtq, which i64x2.gt_s needs.
	path := writeScript(t, "gt.wast", `(module (func (export "gt") (param v128 v128) (result v128) (i64x2.gt_s (local.get 0) (local.get 1))))
(assert_return (invoke "gt" (v128.const i64x2 1 2) (v128.const i64x2 0 3)) (v128.const i64x2 -1 0))`)
	cfg = wast.Config{Mode: wast.Native, Options: driver.Options{ISA: isa, OS: tg.OS, Level: 2}, Dir: t.TempDir(), CPU: "Nehalem,-sse4.2"}
	lines, _ = run(path, cfg)
	if len(lines) == 0 || !strings.Contains(strings.Join(lines, "\n"), cpuRefusal) {
		t.Errorf("without SSE4.2: %q, want the executable to refuse the CPU", lines)
	}
}

// simdWast mixes a module that uses SIMD with one that does not: the interpreter passes
// every command, and so do native executables for a target that selects vector ops
// (amd64, arm64); for one that does not the SIMD module and its commands are skipped,
// never passed or failed, and the other module still runs.
const simdWast = `(module
  (func (export "add") (param v128 v128) (result v128) (i32x4.add (local.get 0) (local.get 1)))
  (func (export "min") (param v128 v128) (result v128) (f32x4.min (local.get 0) (local.get 1)))
  (func (export "lane") (result i32) (i8x16.extract_lane_s 3 (v128.const i8x16 0 1 2 -3 4 5 6 7 8 9 10 11 12 13 14 15))))
(assert_return (invoke "add" (v128.const i32x4 1 2 3 -1) (v128.const i32x4 10 20 30 1)) (v128.const i32x4 11 22 33 0))
(assert_return (invoke "min" (v128.const f32x4 -0 nan 1 2) (v128.const f32x4 0 1 nan -inf))
  (v128.const f32x4 -0 nan:canonical nan:canonical -inf))
(assert_return (invoke "lane") (i32.const -3))
(module (func (export "one") (result i32) (i32.const 1)))
(assert_return (invoke "one") (i32.const 1))
`

func TestSIMDLevels(t *testing.T) {
	path := writeScript(t, "simd.wast", simdWast)
	lines, tally := run(path, interp(2))
	if len(lines) > 0 || tally != (wast.Tally{Passed: 6}) {
		t.Errorf("interpreter: %v %q, want 6 passed", tally, lines)
	}
	targettest.Each(t, func(t *testing.T, x targettest.Exec) {
		want := wast.Tally{Passed: 2, Skipped: 4}
		if driver.SelectsSIMD(x.ISA) {
			want = wast.Tally{Passed: 6}
		}
		lines, tally := run(path, native(t, x, 0))
		if len(lines) > 0 || tally != want {
			t.Errorf("native: %v %q, want %v", tally, lines, want)
		}
	})
}

// TestSIMDNative runs testdata/simd/abi.wast, v128 values through calls (register and
// stack arguments and results), spill slots, a global, select and block parameters, in
// the interpreter and natively at -O0 and -O2 on each target that selects vector ops:
// everything passes, nothing is skipped.
func TestSIMDNative(t *testing.T) {
	path := filepath.Join("..", "testdata", "simd", "abi.wast")
	for _, level := range []int{0, 2} {
		if lines, tally := run(path, interp(level)); len(lines) > 0 || tally.Failed+tally.Skipped > 0 || tally.Passed < 10 {
			t.Errorf("interpreter -O%d: %v %q", level, tally, lines)
		}
	}
	targettest.Each(t, func(t *testing.T, x targettest.Exec) {
		if !driver.SelectsSIMD(x.ISA) {
			t.Skipf("%s does not select vector ops yet", x.Name)
		}
		for _, level := range []int{0, 2} {
			for _, b := range []backend.BoundsChecks{backend.BoundsGuard, backend.BoundsExplicit} {
				cfg := native(t, x, level)
				cfg.Options.BoundsChecks = b
				if lines, tally := run(path, cfg); len(lines) > 0 || tally.Failed+tally.Skipped > 0 || tally.Passed < 10 {
					t.Errorf("native -O%d --bounds-checks=%v: %v %q", level, b, tally, lines)
				}
			}
		}
	})
}
