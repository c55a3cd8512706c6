package main

import (
	"bytes"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
)

// runCLI runs wasmc in-process and returns its output and exit status.
func runCLI(t *testing.T, args ...string) (stdout, stderr string, code int) {
	t.Helper()
	var out, errb bytes.Buffer
	code = run(args, &out, &errb)
	return out.String(), errb.String(), code
}

// specDir returns ../shared/spec/<level> beside the checkout. Without it the test skips,
// except under CI=true, where the suite is required.
func specDir(t *testing.T, level string) string {
	t.Helper()
	dir, err := filepath.Abs(filepath.Join("..", "..", "..", "shared", "spec", level))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(dir); err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("spec suite missing under CI: %v", err)
		}
		t.Skipf("spec suite not found: %v", err)
	}
	return dir
}

func writeFile(t *testing.T, name string, data []byte) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(p, data, 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestValidateExample(t *testing.T) {
	out, errs, code := runCLI(t, "validate", filepath.Join("..", "..", "testdata", "fac.wat"))
	if code != 0 || out != "" || errs != "" {
		t.Fatalf("validate fac.wat: code %d, stdout %q, stderr %q", code, out, errs)
	}
}

func TestValidateErrors(t *testing.T) {
	tests := []struct {
		name, file string
		data       []byte
		want       string // substring of stderr
	}{
		{"bad magic", "bad.wasm", []byte("\x00asX\x01\x00\x00\x00"), "bad.wasm:0x"},
		{"truncated", "trunc.wasm", []byte("\x00asm\x01\x00\x00\x00\x01\x05\x01\x60"), "trunc.wasm:0x"},
		{"text syntax", "syntax.wat", []byte("(module\n  (func (i32.bogus)))"), "syntax.wat:2:"},
		{"text invalid", "invalid.wat", []byte("(module\n  (func (result i32)\n    (i64.const 1)))"), "invalid.wat:"},
		{"binary invalid", "invalid.wasm", []byte("\x00asm\x01\x00\x00\x00" +
			"\x01\x05\x01\x60\x00\x01\x7f" + // type () -> i32
			"\x03\x02\x01\x00" + // one function
			"\x0a\x06\x01\x04\x00\x42\x01\x0b"), "invalid.wasm:0x"}, // body: i64.const 1
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := writeFile(t, tt.file, tt.data)
			_, errs, code := runCLI(t, "validate", p)
			if code != 1 {
				t.Errorf("exit status %d, want 1", code)
			}
			if !strings.Contains(errs, tt.want) || strings.Contains(errs, "panic") {
				t.Errorf("stderr %q does not contain %q", errs, tt.want)
			}
			if n := strings.Count(errs, "\n"); n != 1 {
				t.Errorf("stderr has %d lines, want 1: %q", n, errs)
			}
		})
	}
}

func TestMissingFileAndBadFlag(t *testing.T) {
	_, errs, code := runCLI(t, "validate", "no-such-file.wasm")
	if code != 1 || !strings.Contains(errs, "no-such-file.wasm") {
		t.Errorf("missing file: code %d, stderr %q", code, errs)
	}
	_, errs, code = runCLI(t, "inspect", "--no-such-flag", "x.wasm")
	if code != 1 || !strings.Contains(errs, "no-such-flag") {
		t.Errorf("bad flag: code %d, stderr %q", code, errs)
	}
}

func TestInspect(t *testing.T) {
	p := filepath.Join("..", "..", "testdata", "fac.wat")
	out, errs, code := runCLI(t, "inspect", p)
	if code != 0 {
		t.Fatalf("inspect: code %d, stderr %q", code, errs)
	}
	for _, want := range []string{"$fac_rec", "$fac_iter", `"fac_iter": func 1`, "memories (1)", "data (1)"} {
		if !strings.Contains(out, want) {
			t.Errorf("inspect output lacks %q:\n%s", want, out)
		}
	}
	out, _, code = runCLI(t, "inspect", "--json", p)
	if code != 0 || !strings.Contains(out, `"name": "fac_rec"`) {
		t.Errorf("inspect --json: code %d, output:\n%s", code, out)
	}
}

// TestSpecValidation runs the whole WebAssembly 2.0 suite at the validation level: no
// failures, and the skips are exactly the commands that need execution.
func TestSpecValidation(t *testing.T) {
	dir := specDir(t, "wasm-2.0")
	files, err := filepath.Glob(filepath.Join(dir, "*.wast"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no .wast files in %s: %v", dir, err)
	}
	out, errs, code := runCLI(t, append([]string{"wast", "--validate"}, files...)...)
	lines := strings.Split(strings.TrimSpace(out), "\n")
	last := lines[len(lines)-1]
	t.Logf("wasm-2.0 validation level: %s", last)
	if code != 0 || !strings.Contains(last, " 0 failed") {
		t.Errorf("wast: exit %d, stderr %q\n%s", code, errs, out)
	}
}

// TestSpecInterp runs the 2.0 suite in the IR interpreter at -O0 and -O2: nothing fails,
// and only the SIMD scripts skip anything (lowering has no SIMD yet).
func TestSpecInterp(t *testing.T) {
	dir := specDir(t, "wasm-2.0")
	files, err := filepath.Glob(filepath.Join(dir, "*.wast"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no .wast files in %s: %v", dir, err)
	}
	for _, level := range []int{0, 2} {
		var total wastTally
		for _, f := range files {
			tally := runWastFile(f, newInterpExec(level), nil, func(line string) { t.Errorf("-O%d: %s", level, line) })
			if tally.skipped > 0 && !strings.HasPrefix(filepath.Base(f), "simd_") {
				t.Errorf("-O%d: %s skipped %d commands", level, filepath.Base(f), tally.skipped)
			}
			total.add(tally)
		}
		t.Logf("wasm-2.0 interpreter -O%d: %d passed, %d failed, %d skipped", level, total.passed, total.failed, total.skipped)
		if total.passed < 25000 {
			t.Errorf("-O%d: only %d assertions passed", level, total.passed)
		}
	}
}

// TestSpecNative runs the 2.0 suite as native executables (decision 11) at -O0 and -O2:
// nothing fails, and only the SIMD scripts skip anything.
func TestSpecNative(t *testing.T) {
	if runtime.GOOS != "linux" || runtime.GOARCH != "amd64" {
		t.Skipf("native execution needs a linux/amd64 host, this is %s/%s", runtime.GOOS, runtime.GOARCH)
	}
	dir := specDir(t, "wasm-2.0")
	files, err := filepath.Glob(filepath.Join(dir, "*.wast"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no .wast files in %s: %v", dir, err)
	}
	target, err := parseTarget(hostTarget())
	if err != nil {
		t.Fatal(err)
	}
	checkAllocations = true // the regalloc checker on every function of the suite
	defer func() { checkAllocations = false }()
	for _, level := range []int{0, 2} {
		native := &nativeConfig{target: target, level: level, tmp: t.TempDir()}
		var total wastTally
		for _, f := range files {
			tally := runWastFile(f, nil, native, func(line string) { t.Errorf("-O%d: %s", level, line) })
			if tally.skipped > 0 && !strings.HasPrefix(filepath.Base(f), "simd_") {
				t.Errorf("-O%d: %s skipped %d commands", level, filepath.Base(f), tally.skipped)
			}
			total.add(tally)
		}
		t.Logf("wasm-2.0 native linux/amd64 -O%d: %d passed, %d failed, %d skipped", level, total.passed, total.failed, total.skipped)
		if total.passed < 25000 {
			t.Errorf("-O%d: only %d assertions passed", level, total.passed)
		}
	}
}

// TestWastNativeFailures checks that the native driver reports wrong results, missing
// and wrong traps and NaN classes as failures, and goes on after a trap.
func TestWastNativeFailures(t *testing.T) {
	if runtime.GOOS != "linux" || runtime.GOARCH != "amd64" {
		t.Skipf("native execution needs a linux/amd64 host, this is %s/%s", runtime.GOOS, runtime.GOARCH)
	}
	p := writeFile(t, "bad.wast", []byte(`
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
`))
	out, _, code := runCLI(t, "wast", p)
	want := []string{
		"bad.wast:9: assert_return add: got [i32:3], want [i32:4]",
		"bad.wast:12: assert_trap div: no trap, want \"integer divide by zero\"",
		"bad.wast:13: assert_trap div: trap \"integer divide by zero\", want \"integer overflow\"",
		"bad.wast:14: assert_return f: got [f32:NaN(0x7fa00000)], want [f32:nan:arithmetic]",
		"6 passed, 4 failed, 0 skipped",
	}
	for _, w := range want {
		if !strings.Contains(out, w) {
			t.Errorf("output lacks %q:\n%s", w, out)
		}
	}
	if code != 1 {
		t.Errorf("exit %d", code)
	}
}

// TestWastBrokenModuleFails checks that a module that fails to instantiate fails, and so
// does every command that uses it: a broken module never turns into skips.
func TestWastBrokenModuleFails(t *testing.T) {
	p := writeFile(t, "broken.wast", []byte(`
(module (import "nowhere" "f" (func)) (func (export "g") (result i32) (i32.const 1)))
(assert_return (invoke "g") (i32.const 1))
(register "m")
(module (func (export "h") (result i32) (i32.const 2)))
(assert_return (invoke "h") (i32.const 2))
`))
	out, _, code := runCLI(t, "wast", "--interp", p)
	if code != 1 || !strings.HasSuffix(out, "2 passed, 3 failed, 0 skipped\n") {
		t.Errorf("exit %d, output:\n%s", code, out)
	}
}
