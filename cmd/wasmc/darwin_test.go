package main

import (
	"bytes"
	"errors"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/wasmc/wasmc/internal/runexe"
	"github.com/wasmc/wasmc/internal/targets"
	"github.com/wasmc/wasmc/internal/targettest"
	"github.com/wasmc/wasmc/internal/wasifixture"
)

// The experimental darwin targets (issue 18): their executables are built by the CLI
// and run through internal/machorun's loader, which does dyld's work on Linux (the
// arm64 loader under qemu on an amd64 host).

// darwinArches are the darwin targets' architectures: most tests run once for each.
var darwinArches = []string{"amd64", "arm64"}

// eachDarwin runs f as a subtest for each darwin architecture.
func eachDarwin(t *testing.T, f func(t *testing.T, arch string)) {
	for _, arch := range darwinArches {
		t.Run(arch, func(t *testing.T) { f(t, arch) })
	}
}

// darwinFlags build for darwin/arch with explicit bounds checks: guard pages are
// TestDarwinGuardPages's.
func darwinFlags(arch string) []string {
	return []string{"--target", "darwin/" + arch, "--bounds-checks=explicit"}
}

// darwinRunner returns the loader's runner for darwin/arch, or skips without gcc (the
// cross gcc for the other architecture), without qemu or on a host other than Linux
// (failing under CI=true).
func darwinRunner(t *testing.T, arch string) *runexe.Runner {
	t.Helper()
	r, err := runexe.ForOS("darwin", arch, t.TempDir())
	if err != nil {
		var missing *runexe.MissingError
		if os.Getenv("CI") != "true" && (errors.Is(err, exec.ErrNotFound) || errors.Is(err, errors.ErrUnsupported) || errors.As(err, &missing)) {
			t.Skip(err)
		}
		t.Fatal(err)
	}
	return r
}

// linuxRun builds src for linux/arch with args and runs it with runArgs, returning its
// stdout and stderr; it skips when linux/arch cannot run here.
func linuxRun(t *testing.T, arch, src string, args []string, runArgs ...string) (string, string) {
	t.Helper()
	exe := build(t, src, append(args, "--target", "linux/"+arch)...)
	lr, err := runexe.For(arch)
	if err != nil {
		t.Skip(err)
	}
	var out, errb bytes.Buffer
	c := lr.Command(exe, runArgs...)
	c.Stdout, c.Stderr = &out, &errb
	c.Run()
	return out.String(), errb.String()
}

// runDarwin runs exe through r, having checked its structure, and returns its stdout,
// stderr and exit status.
func runDarwin(t *testing.T, r *runexe.Runner, exe string, args ...string) (string, string, int) {
	t.Helper()
	checkDarwinStructure(t, exe)
	var out, errb bytes.Buffer
	c := r.Command(exe, args...)
	c.Stdout, c.Stderr = &out, &errb
	err := c.Run()
	var ee *exec.ExitError
	if errors.As(err, &ee) {
		return out.String(), errb.String(), ee.ExitCode()
	}
	if err != nil {
		t.Fatal(err)
	}
	return out.String(), errb.String(), 0
}

// TestDarwinHello builds a WASI C program for each darwin target and runs it through
// the loader: its output, arguments, environment, clocks, random bytes, stderr and exit
// status are the Linux executable's.
func TestDarwinHello(t *testing.T) { eachDarwin(t, testDarwinHello) }

func testDarwinHello(t *testing.T, arch string) {
	r := darwinRunner(t, arch)
	src := filepath.Join("..", "..", "testdata", "programs", "darwin", "hello.wasm")
	out := filepath.Join(t.TempDir(), "hello")
	_, errs, code := runCLI(t, append([]string{"build", src, "-o", out, "--env", "GREETING=hi"}, darwinFlags(arch)...)...)
	if code != 0 {
		t.Fatalf("build: exit %d: %s", code, errs)
	}
	if !strings.Contains(errs, "warning: target darwin/"+arch+" is experimental") {
		t.Errorf("build's stderr %q: want the experimental target's warning", errs)
	}
	const want = "hello from wasm\narg 1: a\narg 2: b c\narg 3: 7\nGREETING=hi\nmonotonic: ok\nrealtime: ok\nentropy: ok\n"
	stdout, stderr, status := runDarwin(t, r, out, "a", "b c", "7")
	if stdout != want || stderr != "to stderr\n" || status != 7 {
		t.Errorf("darwin: stdout %q, stderr %q, status %d; want %q, %q, 7", stdout, stderr, status, want, "to stderr\n")
	}
	// A write to a pipe without a reader fails with EPIPE (WASI's 64), Darwin's errno
	// read through __error and translated, rather than killing the process with SIGPIPE.
	pr, pw, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	pr.Close()
	var perr bytes.Buffer
	c := r.Command(out, "epipe")
	c.Stdout, c.Stderr = pw, &perr
	err = c.Run()
	pw.Close()
	if err != nil || perr.String() != "fd_write: errno 64\n" {
		t.Errorf("write to a closed pipe: %v, stderr %q; want fd_write: errno 64", err, perr.String())
	}
	// The same program for Linux says the same.
	lout, _ := linuxRun(t, arch, src, []string{"--env", "GREETING=hi"}, "a", "b c", "0")
	if got, _, status := runDarwin(t, r, out, "a", "b c", "0"); got != lout || status != 0 {
		t.Errorf("darwin: stdout %q, status %d; linux: %q, 0", got, status, lout)
	}
}

// TestDarwinArgsEnv: the command line and --env reach a darwin program, and proc_exit's
// status comes back (argcWat exits with argc plus the length of its environment).
func TestDarwinArgsEnv(t *testing.T) {
	eachDarwin(t, func(t *testing.T, arch string) {
		r := darwinRunner(t, arch)
		src := writeFile(t, "argc.wat", []byte(argcWat))
		exe := build(t, src, append([]string{"--env", "K=vv"}, darwinFlags(arch)...)...)
		if _, _, code := runDarwin(t, r, exe, "a", "b"); code != 8 {
			t.Errorf("exit status %d, want 8", code)
		}
	})
}

// trapWat divides by zero in a named function called from _start.
const trapWat = `(module
  (func $divide (export "divide") (param i32) (result i32) (i32.div_u (i32.const 1) (local.get 0)))
  (func (export "_start") (drop (call $divide (i32.const 0)))))`

// TestDarwinTrap: a trap ends a darwin program with status 134 and the report a Linux
// one prints, backtrace included.
func TestDarwinTrap(t *testing.T) {
	eachDarwin(t, func(t *testing.T, arch string) {
		r := darwinRunner(t, arch)
		src := writeFile(t, "trap.wat", []byte(trapWat))
		exe := build(t, src, darwinFlags(arch)...)
		stdout, stderr, code := runDarwin(t, r, exe)
		if code != 134 || stdout != "" || !strings.Contains(stderr, "integer divide by zero") || !strings.Contains(stderr, "divide") {
			t.Fatalf("status %d, stdout %q, stderr %q; want 134 and the trap's report", code, stdout, stderr)
		}
		if _, lerr := linuxRun(t, arch, src, []string{"--bounds-checks=explicit"}); stderr != lerr {
			t.Errorf("darwin's report %q, linux's %q", stderr, lerr)
		}
	})
}

// darwinWast exercises what a .wast executable does: results compared, traps unwound
// to the driver (which goes on), memory grown, a call_indirect of the wrong type.
const darwinWast = `(module
  (memory 1 3)
  (table 2 funcref)
  (elem (i32.const 0) $one)
  (func $one (result i32) (i32.const 1))
  (func (export "add") (param i32 i32) (result i32) (i32.add (local.get 0) (local.get 1)))
  (func (export "load") (param i32) (result i32) (i32.load (local.get 0)))
  (func (export "grow") (param i32) (result i32) (memory.grow (local.get 0)))
  (func (export "bad") (result i64) (call_indirect (result i64) (i32.const 0)))
  (func $loop (export "loop") (call $loop)))
(assert_return (invoke "add" (i32.const 2) (i32.const 3)) (i32.const 5))
(assert_trap (invoke "load" (i32.const 65535)) "out of bounds memory access")
(assert_return (invoke "grow" (i32.const 1)) (i32.const 1))
(assert_return (invoke "load" (i32.const 65535)) (i32.const 0))
(assert_return (invoke "grow" (i32.const 5)) (i32.const -1))
(assert_trap (invoke "bad") "indirect call type mismatch")
(assert_exhaustion (invoke "loop") "call stack exhausted")
(assert_return (invoke "add" (i32.const -1) (i32.const 1)) (i32.const 0))
`

// TestDarwinWast runs a script with `wasmc wast --target darwin/…`: every command
// passes through the loader, traps and stack exhaustion included.
func TestDarwinWast(t *testing.T) {
	eachDarwin(t, func(t *testing.T, arch string) {
		darwinRunner(t, arch)
		src := writeFile(t, "darwin.wast", []byte(darwinWast))
		out, errs, code := runCLI(t, append([]string{"wast"}, append(darwinFlags(arch), src)...)...)
		if code != 0 || !strings.HasSuffix(out, "9 passed, 0 failed, 0 skipped\n") {
			t.Errorf("wast: exit %d, stdout %q, stderr %q; want 9 passed (the module and 8 commands)", code, out, errs)
		}
	})
}

// TestDarwinExperimental: both darwin targets are listed as experimental.
func TestDarwinExperimental(t *testing.T) {
	out, _, code := runCLI(t, "targets")
	if code != 0 || !strings.Contains(out, "darwin/amd64   experimental\n") || !strings.Contains(out, "darwin/arm64   experimental\n") {
		t.Errorf("wasmc targets: exit %d:\n%s", code, out)
	}
}

// oobWat loads past its one page of memory from a named function.
const oobWat = `(module
  (memory 1)
  (func $load (export "load") (param i32) (result i32) (i32.load (local.get 0)))
  (func (export "_start") (drop (call $load (i32.const 70000)))))`

// TestDarwinGuardPages: with guard pages (the default), an access past a memory faults,
// and darwin's fault handler (sigaction and sigaltstack with Darwin's structures, the
// interrupted registers behind uc_mcontext) turns it into the trap a Linux executable
// reports: status 134 and the same report.
func TestDarwinGuardPages(t *testing.T) {
	eachDarwin(t, func(t *testing.T, arch string) {
		r := darwinExec(t, arch).Runner
		src := writeFile(t, "oob.wat", []byte(oobWat))
		exe := build(t, src, "--target", "darwin/"+arch)
		stdout, stderr, code := runDarwin(t, r, exe)
		_, lerr := linuxRun(t, arch, src, nil)
		if code != 134 || stdout != "" || stderr != lerr || !strings.Contains(stderr, "out of bounds memory access") {
			t.Errorf("status %d, stdout %q, stderr %q; want 134 and linux's report %q", code, stdout, stderr, lerr)
		}
	})
}

// darwinExec returns the darwin/arch target with the loader's runner, for the tests
// shared with Linux's (targettest.Exec), or skips as darwinRunner does.
func darwinExec(t *testing.T, arch string) targettest.Exec {
	t.Helper()
	r := darwinRunner(t, arch)
	tg, err := targets.Lookup("darwin/" + arch)
	if err != nil {
		t.Fatal(err)
	}
	return targettest.Exec{Target: tg, Runner: r}
}

// TestDarwinWASIPrograms runs the WASI programs of testdata/programs/wasi, built for
// each darwin target, through the loader in the fixture, as TestWASIPrograms does for Linux
// (darwin always walks paths: it has no openat2): stdout and exit status must be
// Wasmtime's, and nothing outside the preopens may change. Darwin's struct stat,
// dirent (fdopendir and readdir), open flags, errno numbers, poll and futimens all take
// part.
func TestDarwinWASIPrograms(t *testing.T) { eachDarwin(t, testDarwinWASIPrograms) }

func testDarwinWASIPrograms(t *testing.T, arch string) {
	x := darwinExec(t, arch)
	fx, err := wasifixture.Parse(filepath.Join(wasiProgramsDir, "fixture.txt"))
	if err != nil {
		t.Fatal(err)
	}
	goldens, _ := filepath.Glob(filepath.Join(wasiProgramsDir, "*", "*.golden"))
	if len(goldens) == 0 {
		t.Fatalf("no golden files under %s", wasiProgramsDir)
	}
	for _, golden := range goldens {
		rel, _ := filepath.Rel(wasiProgramsDir, golden)
		prog := strings.TrimSuffix(filepath.ToSlash(rel), ".golden")
		t.Run(prog, func(t *testing.T) {
			g, err := wasifixture.ReadGolden(golden)
			if err != nil {
				t.Fatal(err)
			}
			departFromWasmtime(g, prog)
			tree := filepath.Join(t.TempDir(), "tree")
			if err := fx.Build(tree); err != nil {
				t.Fatal(err)
			}
			exe := buildFor(t, x, strings.TrimSuffix(golden, ".golden")+".wasm", fixtureFlags(fx, tree)...)
			for _, name := range runNames(g) {
				checkRun(t, fx, tree, name, g.Runs[name], func(args []string) (string, int) {
					return runWithStdin(t, x, exe, args, fx.Stdin)
				})
			}
		})
	}
}

// TestDarwinEchoServer: the --tcplisten socket and a connection it accepts work on
// darwin (Darwin's sockaddr with sa_len, msghdr, SOL_SOCKET, accept with fcntl for
// SOCK_CLOEXEC), as TestEchoServer checks for Linux.
func TestDarwinEchoServer(t *testing.T) {
	eachDarwin(t, func(t *testing.T, arch string) { testEchoServer(t, darwinExec(t, arch)) })
}

// TestDarwinReaddirWhileDeleting: fd_readdir over fdopendir and readdir finds every one
// of 300 files that rmtree deletes as it reads, as TestReaddirWhileDeleting checks for
// Linux.
func TestDarwinReaddirWhileDeleting(t *testing.T) {
	eachDarwin(t, func(t *testing.T, arch string) { testReaddirWhileDeleting(t, darwinExec(t, arch)) })
}

// x18 is any view of register 18 in llvm-objdump's disassembly.
var x18 = regexp.MustCompile(`\b[wx]18\b`)

// TestDarwinARM64X18: no instruction of a darwin/arm64 executable (the program, the
// runtime, entry and the fault handler, with guard pages) names x18, the platform
// register Apple's arm64 ABI reserves: the kernel may change it at any time. llvm's
// disassembler is the independent reader.
func TestDarwinARM64X18(t *testing.T) {
	objdump, err := exec.LookPath("llvm-objdump-19")
	if err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatal(err)
		}
		t.Skip(err)
	}
	src := filepath.Join("..", "..", "testdata", "programs", "darwin", "hello.wasm")
	exe := build(t, src, "--target", "darwin/arm64")
	out, err := exec.Command(objdump, "-d", "--no-show-raw-insn", exe).CombinedOutput()
	if err != nil {
		t.Fatalf("llvm-objdump: %v\n%s", err, out)
	}
	lines := strings.Split(string(out), "\n")
	if len(lines) < 1000 {
		t.Fatalf("llvm-objdump disassembled %d lines: %s", len(lines), out)
	}
	bad := 0
	for _, l := range lines {
		if x18.MatchString(l) {
			if bad < 5 {
				t.Errorf("uses x18: %s", strings.TrimSpace(l))
			}
			bad++
		}
	}
	if bad > 0 {
		t.Errorf("%d instructions use x18", bad)
	}
}

// createWat creates the file "f" in its preopened directory (path_open with O_CREAT)
// and exits with path_open's errno.
const createWat = `(module
  (import "wasi_snapshot_preview1" "path_open" (func $open (param i32 i32 i32 i32 i32 i64 i64 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "proc_exit" (func $exit (param i32)))
  (memory 1)
  (data (i32.const 0) "f")
  (func (export "_start")
    (call $exit (call $open (i32.const 3) (i32.const 0) (i32.const 0) (i32.const 1)
      (i32.const 1) (i64.const 0x40) (i64.const 0) (i32.const 0) (i32.const 16)))))`

// TestDarwinCreateMode: a file a darwin program creates gets the runtime's mode 0666
// (less the umask), which openat, a variadic function, takes on the stack in Apple's
// arm64 convention rather than in x3; at -O0 and -O2, each allocator lowering the call.
func TestDarwinCreateMode(t *testing.T) {
	eachDarwin(t, func(t *testing.T, arch string) {
		x := darwinExec(t, arch)
		for _, opt := range []string{"-O0", "-O2"} {
			dir := t.TempDir()
			exe := buildFor(t, x, writeFile(t, "create.wat", []byte(createWat)), opt, "--dir", dir+"::/d")
			c := x.Runner.Command(exe)
			if out, err := c.CombinedOutput(); err != nil {
				t.Fatalf("%s: %v: %s", opt, err, out)
			}
			fi, err := os.Stat(filepath.Join(dir, "f"))
			if err != nil {
				t.Fatalf("%s: %v", opt, err)
			}
			if got, want := fi.Mode().Perm(), 0o666&^umask(t); got != want {
				t.Errorf("%s: created with mode %v, want %v", opt, got, want)
			}
		}
	})
}

// umask reads this process's umask from /proc (the loader runs on Linux only), which,
// unlike setting it to read it back, changes nothing for the tests running alongside.
func umask(t *testing.T) os.FileMode {
	b, err := os.ReadFile("/proc/self/status")
	if err != nil {
		t.Skip(err)
	}
	for _, l := range strings.Split(string(b), "\n") {
		if v, ok := strings.CutPrefix(l, "Umask:"); ok {
			m, err := strconv.ParseUint(strings.TrimSpace(v), 8, 32)
			if err != nil {
				t.Fatal(err)
			}
			return os.FileMode(m)
		}
	}
	t.Skip("no Umask in /proc/self/status")
	return 0
}

// spinWat says it is ready, from guest code, so past entry's installing the fault
// handler, and spins.
const spinWat = `(module
  (import "wasi_snapshot_preview1" "fd_write" (func $w (param i32 i32 i32 i32) (result i32)))
  (memory 1) (data (i32.const 16) "ready\n")
  (func (export "_start")
    (i32.store (i32.const 0) (i32.const 16)) (i32.store (i32.const 4) (i32.const 6))
    (drop (call $w (i32.const 1) (i32.const 0) (i32.const 1) (i32.const 8)))
    (loop (br 0))))`

// TestDarwinFaultNotAnAccess: a SIGSEGV that is no wasm access (here one sent by kill)
// takes the darwin fault handler's crash path, which calls libSystem from the handler:
// one line with the pc on stderr, then death by the signal, as on Linux
// (TestFaultNotAnAccess).
func TestDarwinFaultNotAnAccess(t *testing.T) {
	eachDarwin(t, func(t *testing.T, arch string) {
		r := darwinRunner(t, arch)
		exe := build(t, writeFile(t, "spin.wat", []byte(spinWat)), "--target", "darwin/"+arch)
		var errb bytes.Buffer
		c := r.Command(exe)
		c.Stderr = &errb
		stdout, err := c.StdoutPipe()
		if err != nil {
			t.Fatal(err)
		}
		if err := c.Start(); err != nil {
			t.Fatal(err)
		}
		ready := make([]byte, 6)
		if _, err := io.ReadFull(stdout, ready); err != nil || string(ready) != "ready\n" {
			c.Process.Kill()
			c.Wait()
			t.Fatalf("the program did not start: %q, %v; stderr %q", ready, err, errb.String())
		}
		if err := c.Process.Signal(syscall.SIGSEGV); err != nil {
			t.Fatal(err)
		}
		// A handler that returns without the default action restored would spin on.
		hung := time.AfterFunc(30*time.Second, func() { c.Process.Kill() })
		c.Wait()
		hung.Stop()
		ws := c.ProcessState.Sys().(syscall.WaitStatus)
		want := regexp.MustCompile(`^wasmc: fatal signal at pc 0x[0-9a-f]{16}, not a wasm memory access`)
		if !ws.Signaled() || ws.Signal() != syscall.SIGSEGV || !want.MatchString(errb.String()) {
			t.Errorf("SIGSEGV sent: %v, stderr %q; want death by SIGSEGV after %q", ws, errb.String(), want)
		}
	})
}
