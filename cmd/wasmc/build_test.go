package main

import (
	"bytes"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/wasmc/wasmc/internal/targettest"
)

// build runs `wasmc build` with args and returns the executable's path.
func build(t *testing.T, src string, args ...string) string {
	t.Helper()
	out := filepath.Join(t.TempDir(), "a.out")
	_, errs, code := runCLI(t, append([]string{"build", src, "-o", out}, args...)...)
	if code != 0 {
		t.Fatalf("build %s: exit %d: %s", src, code, errs)
	}
	return out
}

// buildFor runs `wasmc build --target` for x's target with args and returns the
// executable's path; x.Runner runs it.
func buildFor(t *testing.T, x targettest.Exec, src string, args ...string) string {
	t.Helper()
	exe := build(t, src, append([]string{"--target", x.Name}, args...)...)
	if x.OS.String() == "darwin" {
		checkDarwinStructure(t, exe)
	}
	return exe
}

// TestBuildErrors: bad flags and unknown imports are clear errors naming what is wrong.
func TestBuildErrors(t *testing.T) {
	src := filepath.Join("..", "..", "testdata", "fac.wat")
	imp := writeFile(t, "imp.wat", []byte(`(module (import "env" "f" (func)) (import "env" "g" (func (param i32))) (func (export "_start")))`))
	out := filepath.Join(t.TempDir(), "x")
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"build", src}, "-o OUTPUT is required"},
		{[]string{"build", src, "-o", out, "-O7"}, "build: -O7: the levels are 0, 1 and 2 (-O3 and -Os mean -O2)"},
		{[]string{"build", src, "-o", out, "--target", "plan9/mips"}, `unknown target "plan9/mips"`},
		{[]string{"build", "missing.wasm", "-o", out}, "missing.wasm"},
		{[]string{"build", imp, "-o", out}, `imp.wat: unknown import "env" "f"`},
		{[]string{"build", imp, "-o", out}, `imp.wat: unknown import "env" "g"`},
	} {
		_, errs, code := runCLI(t, tc.args...)
		if code == 0 || !strings.Contains(errs, tc.want) || strings.Contains(errs, "goroutine") {
			t.Errorf("%v: exit %d, stderr %q, want %q", tc.args, code, errs, tc.want)
		}
	}
	if _, errs, code := runCLI(t, "build", imp, "-o", out, "--trap-unknown-imports"); code != 0 {
		t.Errorf("--trap-unknown-imports: exit %d: %s", code, errs)
	}
}

// BenchmarkBuild measures `wasmc build` end to end (decode, validate, lower, link with the
// runtime, the -O passes, code generation, linking, writing) on the large Go module, in
// MB/s of wasm input. Run it with -cpu 1,N for one core and all cores.
func BenchmarkBuild(b *testing.B) {
	src := filepath.Join("..", "..", "testdata", "programs", "gobig", "gobig.wasm")
	info, err := os.Stat(src)
	if err != nil {
		b.Fatal(err)
	}
	out := filepath.Join(b.TempDir(), "a.out")
	for _, level := range []string{"-O0", "-O2"} {
		b.Run(level[1:], func(b *testing.B) {
			b.SetBytes(info.Size())
			for b.Loop() {
				var stdout, stderr bytes.Buffer
				if code := run([]string{"build", src, "-o", out, level, "--trap-unknown-imports"}, &stdout, &stderr); code != 0 {
					b.Fatalf("exit %d: %s", code, stderr.String())
				}
			}
		})
	}
}

// TestBuildInvoke builds --invoke executables for each target and checks their output,
// usage errors and traps.
func TestBuildInvoke(t *testing.T) {
	targettest.Each(t, testBuildInvoke)
}

func testBuildInvoke(t *testing.T, x targettest.Exec) {
	build := func(t *testing.T, src string, args ...string) string { return buildFor(t, x, src, args...) }
	fac := build(t, filepath.Join("..", "..", "testdata", "fac.wat"), "--invoke", "fac_iter")
	src := writeFile(t, "f.wat", []byte(`(module
  (func (export "f") (param f64 f32 i32 i64) (result f64 f32 i32 i64)
    (f64.add (local.get 0) (f64.const 0.1)) (local.get 1) (local.get 2) (local.get 3))
  (func (export "div") (param i32 i32) (result i32) (i32.div_u (local.get 0) (local.get 1))))`))
	f := build(t, src, "--invoke", "f", "-O0")
	div := build(t, src, "--invoke", "div")
	for _, tc := range []struct {
		exe    string
		args   []string
		stdout string
		stderr string
		status int
	}{
		{fac, []string{"20"}, "2432902008176640000\n", "", 0},
		{fac, nil, "", "the export takes 1 arguments, the command line has 0\n", 2},
		{fac, []string{"x"}, "", `argument 1: cannot parse "x" as i64` + "\n", 2},
		{f, []string{"0.2", "1e-7", "4294967295", "-5"}, "0.30000000000000004\n1e-07\n-1\n-5\n", "", 0},
		{div, []string{"7", "2"}, "3\n", "", 0},
		{div, []string{"7", "0"}, "", "wasm trap: integer divide by zero\n", 134},
	} {
		var stdout, stderr bytes.Buffer
		cmd := x.Runner.Command(tc.exe, tc.args...)
		cmd.Stdout, cmd.Stderr = &stdout, &stderr
		err := cmd.Run()
		status := 0
		var ee *exec.ExitError
		if errors.As(err, &ee) {
			status = ee.ExitCode()
		} else if err != nil {
			t.Fatal(err)
		}
		if stdout.String() != tc.stdout || !strings.Contains(stderr.String(), tc.stderr) || status != tc.status {
			t.Errorf("%s %v: status %d, stdout %q, stderr %q; want %d, %q, %q", filepath.Base(tc.exe), tc.args, status, stdout.String(), stderr.String(), tc.status, tc.stdout, tc.stderr)
		}
	}
	_, errs, code := runCLI(t, "build", src, "-o", filepath.Join(t.TempDir(), "x"), "--target", x.Name, "--invoke", "nope")
	if code == 0 || !strings.Contains(errs, `exports no function "nope"`) {
		t.Errorf("--invoke nope: exit %d, %q", code, errs)
	}
}
