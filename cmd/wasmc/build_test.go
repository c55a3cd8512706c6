package main

import (
	"bytes"
	"debug/elf"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"strings"
	"testing"
)

// needHost skips a test that runs linux/amd64 executables elsewhere.
func needHost(t *testing.T) {
	t.Helper()
	if runtime.GOOS != "linux" || runtime.GOARCH != "amd64" {
		t.Skipf("running the executables needs a linux/amd64 host, this is %s/%s", runtime.GOOS, runtime.GOARCH)
	}
}

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

// runExe runs an executable and returns its stderr and exit status.
func runExe(t *testing.T, path string) (string, int) {
	t.Helper()
	var stderr bytes.Buffer
	cmd := exec.Command(path)
	cmd.Stderr = &stderr
	err := cmd.Run()
	var ee *exec.ExitError
	switch {
	case err == nil:
		return stderr.String(), 0
	case errors.As(err, &ee):
		return stderr.String(), ee.ExitCode()
	}
	t.Fatal(err)
	return "", 0
}

// TestBuildRuns builds modules whose instantiation and _start do what the executable shows
// without WASI: return (status 0) or trap (134 and the report), at every level.
func TestBuildRuns(t *testing.T) {
	needHost(t)
	for _, tc := range []struct {
		name, wat string
		status    int
		stderr    string // a regexp
	}{
		{"returns", `(module (memory 1) (data (i32.const 0) "ab")
			(func (export "_start") (if (i32.ne (i32.load16_u (i32.const 0)) (i32.const 0x6261)) (then unreachable))))`, 0, `^$`},
		{"oob", `(module (memory 1) (func $boom (export "_start") (drop (i32.load (i32.const 70000)))))`,
			134, `^wasm trap: out of bounds memory access\n  at \$boom\+0x[0-9a-f]+\n$`},
		{"start traps", `(module (func $s (i32.div_s (i32.const 1) (i32.const 0)) drop) (start $s))`,
			134, `^wasm trap: integer divide by zero\n  at \$s\+0x[0-9a-f]+\n$`},
		{"segment out of bounds", `(module (memory 1) (data (i32.const 65535) "ab"))`,
			134, `^wasm trap: out of bounds memory access\n`},
		{"recursion", `(module (func $r (export "_start") (call $r)))`,
			134, `^wasm trap: call stack exhausted\n  at \$r\+0x[0-9a-f]+\n$`},
		{"grow", `(module (memory 1 3) (func (export "_start")
			(if (i32.ne (memory.grow (i32.const 2)) (i32.const 1)) (then unreachable))
			(if (i32.ne (memory.grow (i32.const 1)) (i32.const -1)) (then unreachable))
			(i32.store (i32.const 196604) (i32.const 7))))`, 0, `^$`},
	} {
		for _, level := range []string{"-O0", "-O2"} {
			src := writeFile(t, "m.wat", []byte(tc.wat))
			stderr, status := runExe(t, build(t, src, level))
			if status != tc.status || !regexp.MustCompile(tc.stderr).MatchString(stderr) {
				t.Errorf("%s %s: status %d, stderr %q; want %d, %q", tc.name, level, status, stderr, tc.status, tc.stderr)
			}
		}
	}
}

// TestBuildLargeModule builds the large Go module of the frontend benchmark at -O2 with the
// allocation checker on for every function (its own and the runtime's), twice: the files
// must be identical, have no interpreter and no writable executable segment, and readelf
// must read them without a word of complaint.
func TestBuildLargeModule(t *testing.T) {
	if testing.Short() {
		t.Skip("compiles a 6.5 MB module twice")
	}
	checkAllocations = true
	defer func() { checkAllocations = false }()
	src := filepath.Join("..", "..", "testdata", "programs", "gobig", "gobig.wasm")
	a := build(t, src, "-O2", "--trap-unknown-imports")
	b := build(t, src, "-O2", "--trap-unknown-imports")
	checkSame(t, a, b)
	checkELF(t, a)
	readelf(t, a)
}

// TestBuildDeterministic builds a small module twice at each level.
func TestBuildDeterministic(t *testing.T) {
	src := filepath.Join("..", "..", "testdata", "fac.wat")
	for _, level := range []string{"-O0", "-O1", "-O2"} {
		a, b := build(t, src, level), build(t, src, level)
		checkSame(t, a, b)
		checkELF(t, a)
	}
}

func checkSame(t *testing.T, a, b string) {
	t.Helper()
	x, err := os.ReadFile(a)
	if err != nil {
		t.Fatal(err)
	}
	y, err := os.ReadFile(b)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(x, y) {
		t.Errorf("two builds differ: %d and %d bytes", len(x), len(y))
	}
}

// checkELF requires a static executable: no PT_INTERP, no segment both writable and
// executable, and an entry point inside an executable segment.
func checkELF(t *testing.T, path string) {
	t.Helper()
	f, err := elf.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	entryOK := false
	for _, p := range f.Progs {
		if p.Type == elf.PT_INTERP {
			t.Errorf("%s has an interpreter", path)
		}
		if p.Flags&elf.PF_W != 0 && p.Flags&elf.PF_X != 0 {
			t.Errorf("%s has a writable and executable segment at %#x", path, p.Vaddr)
		}
		if p.Type == elf.PT_LOAD && p.Flags&elf.PF_X != 0 && f.Entry >= p.Vaddr && f.Entry < p.Vaddr+p.Memsz {
			entryOK = true
		}
	}
	if !entryOK {
		t.Errorf("%s: entry %#x is in no executable segment", path, f.Entry)
	}
}

// readelf runs `readelf -a -W` and `readelf -lW`: no warnings, no INTERP. Without readelf
// the test skips, except under CI=true.
func readelf(t *testing.T, path string) {
	t.Helper()
	if _, err := exec.LookPath("readelf"); err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatal("readelf is missing under CI")
		}
		t.Skip("readelf not installed (binutils)")
	}
	var stdout, stderr bytes.Buffer
	cmd := exec.Command("readelf", "-a", "-W", path)
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil || stderr.Len() > 0 || strings.Contains(stdout.String(), "Warning") {
		t.Errorf("readelf -a -W: %v\n%s", err, stderr.String())
	}
	out, err := exec.Command("readelf", "-lW", path).Output()
	if err != nil {
		t.Fatal(err)
	}
	for _, line := range strings.Split(string(out), "\n") {
		f := strings.Fields(line)
		if len(f) > 0 && f[0] == "INTERP" {
			t.Errorf("readelf -lW shows INTERP: %s", line)
		}
		if len(f) > 0 && f[0] == "LOAD" && strings.Contains(line, "W") && strings.Contains(line, " E ") {
			t.Errorf("readelf -lW shows a W+X segment: %s", line)
		}
	}
}

// TestBuildErrors: bad flags and unknown imports are clear errors naming what is wrong.
func TestBuildErrors(t *testing.T) {
	src := filepath.Join("..", "..", "testdata", "fac.wat")
	imp := writeFile(t, "imp.wat", []byte(`(module (import "env" "f" (func)) (import "env" "g" (func (param i32))))`))
	out := filepath.Join(t.TempDir(), "x")
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"build", src}, "-o OUTPUT is required"},
		{[]string{"build", src, "-o", out, "-O3"}, "-O3: the levels are 0, 1 and 2"},
		{[]string{"build", src, "-o", out, "--target", "plan9/mips"}, `unknown target "plan9/mips"`},
		{[]string{"build", src, "-o", out, "--target", "darwin/arm64"}, "not implemented yet"},
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

// TestBuildInvoke builds --invoke executables and checks their output, usage errors and
// traps.
func TestBuildInvoke(t *testing.T) {
	needHost(t)
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
		cmd := exec.Command(tc.exe, tc.args...)
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
	_, errs, code := runCLI(t, "build", src, "-o", filepath.Join(t.TempDir(), "x"), "--invoke", "nope")
	if code == 0 || !strings.Contains(errs, `exports no function "nope"`) {
		t.Errorf("--invoke nope: exit %d, %q", code, errs)
	}
}
