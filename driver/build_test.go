package driver_test

import (
	"bytes"
	"debug/elf"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/wasmc/wasmc/backend"
	"github.com/wasmc/wasmc/driver"
	"github.com/wasmc/wasmc/internal/runexe"
	"github.com/wasmc/wasmc/internal/targets"
	"github.com/wasmc/wasmc/internal/targettest"
)

// options are what the tests build with for a linux target: its ISA, the IR verifier
// after every pass and the allocation checker on every function.
func options(isa backend.ISA, level int) driver.Options {
	return driver.Options{ISA: isa, OS: backend.OSLinux, Level: level, Verify: true, CheckAllocations: true}
}

// amd64ISA is the linux/amd64 ISA, for the tests of what does not depend on the target
// (errors, dumps).
func amd64ISA(t testing.TB) backend.ISA {
	t.Helper()
	tg, err := targets.Lookup("linux/amd64")
	if err != nil {
		t.Fatal(err)
	}
	return targettest.NeedISA(t, tg)
}

// build builds one module given as source text or bytes.
func build(t *testing.T, path string, data []byte, o driver.Options) []byte {
	t.Helper()
	exe, err := driver.Build([]driver.Input{{Path: path, Data: data}}, o)
	if err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	return exe
}

// runExe writes an executable and runs it through r; it returns its stderr and exit
// status.
func runExe(t *testing.T, r *runexe.Runner, exe []byte) (string, int) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "a.out")
	if err := os.WriteFile(path, exe, 0o755); err != nil {
		t.Fatal(err)
	}
	var stderr bytes.Buffer
	cmd := r.Command(path)
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

// notInlined is code to pad a function with, which makes it too big to inline at more
// than one call site: 51 instructions in the plan's estimate (driver/inline.go).
var notInlined = strings.Repeat(" (drop (i32.add (i32.const 1) (i32.const 2)))", 17)

// TestBuildRuns builds modules whose instantiation and _start do what the executable shows
// without WASI: return (status 0) or trap (134 and the report), at every level, for each
// target.
func TestBuildRuns(t *testing.T) {
	targettest.Each(t, testBuildRuns)
}

// callers matches the rest of a trap report after its first frame: the callers' frames,
// then " ... N more frames" past the cap (TestTrapBacktrace checks them).
const callers = `(  at \$[^\n]+\n)*(  \.\.\. [0-9]+ more frames\n)?$`

func testBuildRuns(t *testing.T, x targettest.Exec) {
	for _, tc := range []struct {
		name, wat string
		status    int
		stderr    string // a regexp
	}{
		{"returns", `(module (memory 1) (data (i32.const 0) "ab")
			(func (export "_start") (if (i32.ne (i32.load16_u (i32.const 0)) (i32.const 0x6261)) (then unreachable))))`, 0, `^$`},
		{"oob", `(module (memory 1) (func $boom (export "_start") (drop (i32.load (i32.const 70000)))))`,
			134, `^wasm trap: out of bounds memory access\n  at \$boom\+0x[0-9a-f]+\n$`},
		// The trapping callees are called from two sites and are too big to inline at
		// -O2 (driver/inline.go), so the trap is theirs at every level: inlined, it
		// would be reported in the caller.
		{"oob in a callee", `(module (memory 1)
			(func (export "_start") (drop (call $peek (i32.const 65533))) (drop (call $peek (i32.const 0))))
			(func $peek (param i32) (result i32)` + notInlined + ` (i32.load (local.get 0))))`,
			134, `^wasm trap: out of bounds memory access\n  at \$peek\+0x[0-9a-f]+\n` + callers},
		// _start, a step of process entry, inlines nothing (driver/inline.go), so a trap
		// in a small callee of it is reported in the callee.
		{"trap in a small callee of _start", `(module (func (export "_start") (drop (call $div0 (i32.const 1))))
			(func $div0 (param i32) (result i32) (i32.div_u (local.get 0) (i32.const 0))))`,
			134, `^wasm trap: integer divide by zero\n  at \$div0\+0x[0-9a-f]+\n` + callers},
		{"start traps", `(module (func $s` + notInlined + ` (i32.div_s (i32.const 1) (i32.const 0)) drop)
			(func $twice (call $s) (call $s)) (start $twice))`,
			134, `^wasm trap: integer divide by zero\n  at \$s\+0x[0-9a-f]+\n` + callers},
		{"segment out of bounds", `(module (memory 1) (data (i32.const 65535) "ab"))`,
			134, `^wasm trap: out of bounds memory access\n`},
		{"recursion", `(module (func $r (export "_start") (call $r)))`,
			134, `^wasm trap: call stack exhausted\n  at \$r\+0x[0-9a-f]+\n` + callers},
		// A frame over the 64 KiB below the stack limit must be compared before it is
		// allocated, or the trap's own call faults (exit 139).
		{"recursion, 10,000 arguments", `(module (func $r (export "_start") (call $big` + strings.Repeat(" (i32.const 7)", 10000) + `))
			(func $big (param` + strings.Repeat(" i32", 10000) + `) (call $big` + strings.Repeat(" (local.get 9999)", 10000) + `)))`,
			134, `^wasm trap: call stack exhausted\n  at \$big\+0x[0-9a-f]+\n`},
		{"recursion, 20,000 values live across the call", `(module (memory 1) (func $r (export "_start")` +
			strings.Repeat(" (i32.load (i32.const 4))", 20000) + ` (call $r)` + strings.Repeat(" (i32.add)", 19999) + ` (drop)))`,
			134, `^wasm trap: call stack exhausted\n  at \$r\+0x[0-9a-f]+\n`},
		{"grow", `(module (memory 1 3) (func (export "_start")
			(if (i32.ne (memory.grow (i32.const 2)) (i32.const 1)) (then unreachable))
			(if (i32.ne (memory.grow (i32.const 1)) (i32.const -1)) (then unreachable))
			(i32.store (i32.const 196604) (i32.const 7))))`, 0, `^$`},
	} {
		for _, level := range []int{0, 2} {
			for _, b := range []backend.BoundsChecks{backend.BoundsGuard, backend.BoundsExplicit} {
				o := options(x.ISA, level)
				o.BoundsChecks = b
				stderr, status := runExe(t, x.Runner, build(t, "m.wat", []byte(tc.wat), o))
				if status != tc.status || !regexp.MustCompile(tc.stderr).MatchString(stderr) {
					t.Errorf("%s -O%d --bounds-checks=%v: status %d, stderr %q; want %d, %q", tc.name, level, b, status, stderr, tc.status, tc.stderr)
				}
			}
		}
	}
}

// TestBuildLargeModule builds the large Go module of the frontend benchmark at -O2 twice
// for each target: with the IR verifier and the allocation checker on for every function
// (its own and the runtime's), and without. The files must be identical (the checks change
// nothing, and the build is deterministic), have no interpreter and no writable executable
// segment, and readelf must read them without a word of complaint.
func TestBuildLargeModule(t *testing.T) {
	if testing.Short() {
		t.Skip("compiles a 6.5 MB module twice per target")
	}
	targettest.EachISA(t, testBuildLargeModule)
}

func testBuildLargeModule(t *testing.T, tg targets.Target, isa backend.ISA) {
	path := filepath.Join("..", "testdata", "programs", "gobig", "gobig.wasm")
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	o := options(isa, 2)
	o.TrapUnknownImports = true
	a := build(t, path, data, o)
	o.Verify, o.CheckAllocations = false, false
	b := build(t, path, data, o)
	if !bytes.Equal(a, b) {
		t.Errorf("two builds differ: %d and %d bytes", len(a), len(b))
	}
	checkELF(t, tg, a)
	readelf(t, a)
}

// TestBuildDeterministic builds a small module twice at each level for each target.
func TestBuildDeterministic(t *testing.T) {
	targettest.EachISA(t, testBuildDeterministic)
}

func testBuildDeterministic(t *testing.T, tg targets.Target, isa backend.ISA) {
	path := filepath.Join("..", "testdata", "fac.wat")
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	for level := range 3 {
		a, b := build(t, path, data, options(isa, level)), build(t, path, data, options(isa, level))
		if !bytes.Equal(a, b) {
			t.Errorf("-O%d: two builds differ: %d and %d bytes", level, len(a), len(b))
		}
		checkELF(t, tg, a)
	}
}

// TestBuildRegalloc: -O0 allocates registers with regalloc.RunFast unless Options.Regalloc
// says otherwise, -O1 and -O2 with linear scan; the two allocators give different code.
func TestBuildRegalloc(t *testing.T) {
	isa := amd64ISA(t)
	path := filepath.Join("..", "testdata", "fac.wat")
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	exe := func(level int, ra driver.Regalloc) []byte {
		o := options(isa, level)
		o.Regalloc = ra
		return build(t, path, data, o)
	}
	if !bytes.Equal(exe(0, driver.RegallocByLevel), exe(0, driver.RegallocFast)) {
		t.Error("-O0 does not allocate with RunFast")
	}
	if bytes.Equal(exe(0, driver.RegallocFast), exe(0, driver.RegallocLinearScan)) {
		t.Error("-O0 with linear scan gives RunFast's code")
	}
	for _, level := range []int{1, 2} {
		if !bytes.Equal(exe(level, driver.RegallocByLevel), exe(level, driver.RegallocLinearScan)) {
			t.Errorf("-O%d does not allocate with linear scan", level)
		}
	}
}

// checkELF requires a static executable for tg's machine: no PT_INTERP, no segment both
// writable and executable, and an entry point inside an executable segment.
func checkELF(t *testing.T, tg targets.Target, exe []byte) {
	t.Helper()
	f, err := elf.NewFile(bytes.NewReader(exe))
	if err != nil {
		t.Fatal(err)
	}
	if want := map[backend.Arch]elf.Machine{backend.ArchAMD64: elf.EM_X86_64, backend.ArchARM64: elf.EM_AARCH64}[tg.Arch]; f.Machine != want {
		t.Errorf("machine %v, want %v for %s", f.Machine, want, tg.Name)
	}
	entryOK := false
	for _, p := range f.Progs {
		if p.Type == elf.PT_INTERP {
			t.Error("the executable has an interpreter")
		}
		if p.Flags&elf.PF_W != 0 && p.Flags&elf.PF_X != 0 {
			t.Errorf("a segment at %#x is writable and executable", p.Vaddr)
		}
		if p.Type == elf.PT_LOAD && p.Flags&elf.PF_X != 0 && f.Entry >= p.Vaddr && f.Entry < p.Vaddr+p.Memsz {
			entryOK = true
		}
	}
	if !entryOK {
		t.Errorf("entry %#x is in no executable segment", f.Entry)
	}
}

// readelf runs `readelf -a -W` and `readelf -lW`: no warnings, no INTERP. Without readelf
// the test skips, except under CI=true.
func readelf(t *testing.T, exe []byte) {
	t.Helper()
	if _, err := exec.LookPath("readelf"); err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatal("readelf is missing under CI")
		}
		t.Skip("readelf not installed (binutils)")
	}
	path := filepath.Join(t.TempDir(), "a.out")
	if err := os.WriteFile(path, exe, 0o755); err != nil {
		t.Fatal(err)
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

// TestBuildBadInput: a module that does not decode, parse, validate or lower is an error
// naming the file and where, of type *InputError where it is the module's own fault; a
// program the driver cannot build is an error too, never a panic.
func TestBuildBadInput(t *testing.T) {
	for _, tc := range []struct {
		path string
		data string
		want string // the error's start
		in   bool   // an *InputError
	}{
		{"bad.wasm", "\x00asX\x01\x00\x00\x00", "bad.wasm:0x", true},
		{"syntax.wat", "(module\n  (func (i32.bogus)))", "syntax.wat:2:", true},
		{"invalid.wat", "(module\n  (func (result i32)\n    (i64.const 1)))", "invalid.wat:3:18: func 0: type mismatch", true},
		{"reserved.wat", `(module (import "wasmc" "trap" (func)))`, "reserved.wat: import wasmc.trap", false},
		{"start.wat", `(module (func (export "_start") (param i32)))`, "start.wat: export _start has type", false},
		{"imp.wat", `(module (import "env" "f" (func)))`, `imp.wat: unknown import "env" "f"`, false},
		{"lib.wat", `(module (func (export "f")))`, "lib.wat: the module has no _start to run", false},
	} {
		o := options(amd64ISA(t), 2)
		o.RequireEntry = true
		_, err := driver.Build([]driver.Input{{Path: tc.path, Data: []byte(tc.data)}}, o)
		var ie *driver.InputError
		if err == nil || !strings.HasPrefix(err.Error(), tc.want) || errors.As(err, &ie) != tc.in || strings.Contains(err.Error(), "\n") {
			t.Errorf("%s: error %v (an InputError: %v), want %q… (an InputError: %v)", tc.path, err, errors.As(err, &ie), tc.want, tc.in)
		}
	}
	o := options(amd64ISA(t), 2)
	o.Level = 3
	if _, err := driver.Build([]driver.Input{{Path: "x.wat", Data: []byte("(module)")}}, o); err == nil || err.Error() != "-O3: the levels are 0, 1 and 2" {
		t.Errorf("-O3: %v", err)
	}
	if _, err := driver.Build(nil, options(amd64ISA(t), 2)); err == nil || !strings.Contains(err.Error(), "internal error") {
		t.Errorf("no input: %v", err)
	}
	// darwin/amd64 (experimental) builds a Mach-O, with either kind of bounds checks.
	o = options(amd64ISA(t), 2)
	o.OS = backend.OSDarwin
	for _, b := range []backend.BoundsChecks{backend.BoundsExplicit, backend.BoundsGuard} {
		o.BoundsChecks = b
		if exe, err := driver.Build([]driver.Input{{Path: "x.wat", Data: []byte("(module (memory 1))")}}, o); err != nil || len(exe) < 4 || string(exe[:4]) != "\xcf\xfa\xed\xfe" {
			t.Errorf("darwin, bounds checks %v: %v, not a 64-bit Mach-O", b, err)
		}
	}
}

// TestBuildDeepNesting builds and runs 5,000 nested loops, each closed by a conditional
// back edge, and 5,000 nested ifs: chains of forwarders as long as the module, which jump
// threading (IR and machine) and the allocator's loop analysis once walked once per link,
// a minute for 100,000 (issue 19, finding 3). BenchmarkBuildDeepNesting has the figures.
func TestBuildDeepNesting(t *testing.T) {
	targettest.Each(t, testBuildDeepNesting)
}

func testBuildDeepNesting(t *testing.T, x targettest.Exec) {
	for _, tc := range []struct{ name, wat string }{
		{"loops", deepLoops(5000)},
		{"ifs", deepIfs(5000)},
	} {
		for _, level := range []int{0, 2} {
			stderr, status := runExe(t, x.Runner, build(t, tc.name+".wat", []byte(tc.wat), options(x.ISA, level)))
			if status != 0 || stderr != "" {
				t.Errorf("%s -O%d: status %d, stderr %q", tc.name, level, status, stderr)
			}
		}
	}
}

// BenchmarkBuildDeepNesting reports the build time of 90,000 nested loops and 45,000 nested
// ifs (the text format allows nesting 100,000 deep) per byte of module, at -O0 and -O2.
func BenchmarkBuildDeepNesting(b *testing.B) {
	for _, tc := range []struct{ name, wat string }{
		{"loops", deepLoops(90000)},
		{"ifs", deepIfs(45000)},
	} {
		for _, level := range []int{0, 2} {
			b.Run(fmt.Sprintf("%s/O%d", tc.name, level), func(b *testing.B) {
				o := options(amd64ISA(b), level)
				o.Verify, o.CheckAllocations = false, false
				for b.Loop() {
					if _, err := driver.Build([]driver.Input{{Path: "m.wat", Data: []byte(tc.wat)}}, o); err != nil {
						b.Fatal(err)
					}
				}
				b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(len(tc.wat)), "ns/byte")
			})
		}
	}
}

// deepLoops is n nested loops, each left by a br_if back to itself that is never taken.
func deepLoops(n int) string {
	return `(module (func (export "_start") (local i32)` + strings.Repeat(" (loop", n) +
		strings.Repeat(" (br_if 0 (local.get 0)))", n) + `))`
}

// deepIfs is n nested ifs on a local that is zero.
func deepIfs(n int) string {
	return `(module (func (export "_start") (local i32)` + strings.Repeat(" (if (local.get 0) (then", n) +
		" (unreachable)" + strings.Repeat("))", n) + `))`
}

// TestBuildControlCharNames: names from the name section may hold any byte. One with NUL,
// a newline and a terminal escape builds (symbol tables end strings at NUL) and is reported
// escaped, so a trap report cannot be forged (issue 19, findings 5 and 9); an export named
// like a runtime export links (it once collided with rt:wasmc_trap).
func TestBuildControlCharNames(t *testing.T) {
	targettest.Each(t, func(t *testing.T, x targettest.Exec) {
		name := "a\x00b\n\x1b[31m"
		wasm := []byte("\x00asm\x01\x00\x00\x00" +
			"\x01\x04\x01\x60\x00\x00" + // type () -> ()
			"\x03\x02\x01\x00" + // func 0 of type 0
			"\x07\x1a\x02\x06_start\x00\x00\x0drt:wasmc_trap\x00\x00" + // exports
			"\x0a\x05\x01\x03\x00\x00\x0b" + // code: unreachable
			"\x00\x13\x04name\x01\x0c\x01\x00\x09" + name) // function names
		stderr, status := runExe(t, x.Runner, build(t, "names.wasm", wasm, options(x.ISA, 2)))
		want := `^wasm trap: [^\n]*\n  at \$a\\x00b\\x0a\\x1b\[31m\+0x[0-9a-f]+\n$`
		if status != 134 || !regexp.MustCompile(want).MatchString(stderr) {
			t.Errorf("status %d, stderr %q; want 134, %q", status, stderr, want)
		}
	})
}

// TestFaultNotAnAccess sends SIGSEGV to a running executable built with guard pages: the
// fault handler must not take it for a wasm access out of bounds (no trap report, no exit
// 134) but report the pc in one line and die of the signal, as it would of a fault that is
// a bug in the generated code.
func TestFaultNotAnAccess(t *testing.T) {
	targettest.Each(t, func(t *testing.T, x targettest.Exec) {
		o := options(x.ISA, 2)
		o.BoundsChecks = backend.BoundsGuard
		exe := build(t, "loop.wat", []byte(`(module (memory 1) (func (export "_start")
			(loop $l (i32.store (i32.const 0) (i32.add (i32.load (i32.const 0)) (i32.const 1))) (br $l))))`), o)
		path := filepath.Join(t.TempDir(), "loop")
		if err := os.WriteFile(path, exe, 0o755); err != nil {
			t.Fatal(err)
		}
		var stderr bytes.Buffer
		cmd := x.Runner.Command(path)
		cmd.Stderr = &stderr
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		time.Sleep(500 * time.Millisecond) // past entry, which installs the handler
		if err := cmd.Process.Signal(syscall.SIGSEGV); err != nil {
			t.Fatal(err)
		}
		err := cmd.Wait()
		var ee *exec.ExitError
		if !errors.As(err, &ee) {
			t.Fatalf("the executable ended with %v, want death by SIGSEGV", err)
		}
		ws, ok := ee.Sys().(syscall.WaitStatus)
		if !ok || !ws.Signaled() || ws.Signal() != syscall.SIGSEGV {
			t.Errorf("status %v, want killed by SIGSEGV", ee)
		}
		want := `^wasmc: fatal signal at pc 0x[0-9a-f]{16}, not a wasm memory access`
		if !regexp.MustCompile(want).MatchString(stderr.String()) {
			t.Errorf("stderr %q, want %q", stderr.String(), want)
		}
	})
}

// TestBuildProgress: Options.Progress hears each phase as it starts, in order, and the
// functions compiled during codegen up to their total.
func TestBuildProgress(t *testing.T) {
	var mu sync.Mutex
	var phases []string
	most, total := 0, 0
	o := options(amd64ISA(t), 2)
	o.Progress = func(phase string, done, n int) {
		mu.Lock()
		defer mu.Unlock()
		if len(phases) == 0 || phases[len(phases)-1] != phase {
			phases = append(phases, phase)
		}
		if phase == "codegen" {
			most, total = max(most, done), n
		}
	}
	data, err := os.ReadFile(filepath.Join("..", "testdata", "fac.wat"))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := driver.Build([]driver.Input{{Path: "fac.wat", Data: data}}, o); err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(phases, ","); got != "load,lower,link-rt,codegen,link" {
		t.Errorf("phases %s", got)
	}
	if total == 0 || most != total {
		t.Errorf("codegen reported %d of %d functions", most, total)
	}
}
