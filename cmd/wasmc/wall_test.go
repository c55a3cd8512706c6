package main

import (
	"bytes"
	"errors"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"testing"

	"github.com/wasmc/wasmc/backend"
	"github.com/wasmc/wasmc/internal/asmcheck"
	"github.com/wasmc/wasmc/internal/targets"
	"github.com/wasmc/wasmc/internal/targettest"
	"github.com/wasmc/wasmc/rtlib"
)

// The second wall (DESIGN.md decision 13; rtlib/wall.go, rtlib/c/wall.c). Its tests build
// with the hidden --os-sandbox-probe, which makes the runtime itself, after the wall is
// up, do what argv[1] says: what a compiler bug would let an escaping program do.

// probeWat imports WASI, so that its executable sets up --dir preopens, and does nothing.
const probeWat = `(module
  (import "wasi_snapshot_preview1" "proc_exit" (func (param i32)))
  (func (export "_start")))`

// probe runs exe with args and returns its stdout, stderr and wait status.
func probe(t *testing.T, x targettest.Exec, exe string, args ...string) (string, string, syscall.WaitStatus) {
	t.Helper()
	var out, errb bytes.Buffer
	c := x.Runner.Command(exe, args...)
	c.Stdout, c.Stderr = &out, &errb
	err := c.Run()
	var ee *exec.ExitError
	if err != nil && !errors.As(err, &ee) {
		t.Fatal(err)
	}
	return out.String(), errb.String(), c.ProcessState.Sys().(syscall.WaitStatus)
}

// TestWallKillsForbiddenSyscall: the runtime's own mmap, and an mprotect that makes
// memory executable, kill the process with SIGSYS once the wall is up; with
// --no-os-sandbox both succeed. Under qemu-user, which implements no seccomp, the
// executable goes on without the wall, as documented, and the test checks just that.
func TestWallKillsForbiddenSyscall(t *testing.T) {
	targettest.Each(t, testWallKillsForbiddenSyscall)
}

func testWallKillsForbiddenSyscall(t *testing.T, x targettest.Exec) {
	src := writeFile(t, "probe.wat", []byte(probeWat))
	walled := buildFor(t, x, src, "--os-sandbox-probe")
	open := buildFor(t, x, src, "--os-sandbox-probe", "--no-os-sandbox")
	for _, what := range []string{"mmap", "exec"} {
		out, errs, ws := probe(t, x, open, what)
		if ws.Signaled() || ws.ExitStatus() != 0 || out != "probe "+what+" 0\n" {
			t.Errorf("--no-os-sandbox, %s: %v, stdout %q, stderr %q; want success", what, ws, out, errs)
		}
		out, errs, ws = probe(t, x, walled, what)
		if x.Emulated() {
			// qemu-user refuses seccomp (ENOSYS), and the executable runs on.
			if ws.Signaled() || out != "probe "+what+" 0\n" {
				t.Errorf("under %s, %s: %v, stdout %q, stderr %q; want the wall down and success", x.Runner.Emulator, what, ws, out, errs)
			}
			continue
		}
		if !ws.Signaled() || ws.Signal() != syscall.SIGSYS || out != "" {
			t.Errorf("walled, %s: %v, stdout %q, stderr %q; want death by SIGSYS", what, ws, out, errs)
		}
	}
}

// TestWallLandlock: with Landlock, the runtime itself, opening a file with a plain openat
// that no WASI path resolution guards, reaches the preopened directory and nothing else
// (EACCES); with --no-os-sandbox it reaches both.
func TestWallLandlock(t *testing.T) {
	targettest.Each(t, testWallLandlock)
}

func testWallLandlock(t *testing.T, x targettest.Exec) {
	if x.Emulated() {
		t.Skipf("%s implements no Landlock: the executable runs without it", x.Runner.Emulator)
	}
	if abi, _, errno := syscall.RawSyscall(444, 0, 0, 1); errno != 0 || abi < 2 { // landlock_create_ruleset, version
		t.Skipf("this kernel has no Landlock ABI 2 or later (%d, %v): the wall goes up without it", int(abi), errno)
	}
	in, out := t.TempDir(), t.TempDir()
	for _, d := range []string{in, out} {
		if err := os.WriteFile(filepath.Join(d, "f"), []byte("x"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	src := writeFile(t, "probe.wat", []byte(probeWat))
	for _, tc := range []struct {
		flags   []string
		outside string
	}{
		{nil, "-13"}, // EACCES
		{[]string{"--no-os-sandbox"}, "0"},
	} {
		exe := buildFor(t, x, src, append([]string{"--os-sandbox-probe", "--dir", in}, tc.flags...)...)
		for path, want := range map[string]string{filepath.Join(in, "f"): "0", filepath.Join(out, "f"): tc.outside} {
			got, errs, ws := probe(t, x, exe, "open", path)
			if ws.Signaled() || ws.ExitStatus() != 0 || got != "probe open "+want+"\n" {
				t.Errorf("%v: open %s: %v, stdout %q, stderr %q; want %q", tc.flags, path, ws, got, errs, "probe open "+want)
			}
		}
	}
}

// TestWallFaultHandler: the fault handler's way out of a fault that is no wasm access
// (write, the default action back, the signal again, sigreturn) passes the wall, so a
// SIGSEGV sent to a walled executable still kills it with SIGSEGV and its report, not
// with SIGSYS; and an access out of bounds, which goes through the handler's sigreturn,
// is still the trap.
func TestWallFaultHandler(t *testing.T) {
	targettest.Each(t, testWallFaultHandler)
}

func testWallFaultHandler(t *testing.T, x targettest.Exec) {
	if x.Emulated() {
		t.Skipf("the wall is down under %s (no seccomp there)", x.Runner.Emulator)
	}
	// It says it is ready, from guest code, so past the wall, and spins.
	loop := writeFile(t, "loop.wat", []byte(`(module
  (import "wasi_snapshot_preview1" "fd_write" (func $w (param i32 i32 i32 i32) (result i32)))
  (memory 1) (data (i32.const 16) "ready\n")
  (func (export "_start")
    (i32.store (i32.const 0) (i32.const 16)) (i32.store (i32.const 4) (i32.const 6))
    (drop (call $w (i32.const 1) (i32.const 0) (i32.const 1) (i32.const 8)))
    (loop (br 0))))`))
	exe := buildFor(t, x, loop)
	var errb bytes.Buffer
	c := x.Runner.Command(exe)
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
	c.Wait()
	ws := c.ProcessState.Sys().(syscall.WaitStatus)
	if !ws.Signaled() || ws.Signal() != syscall.SIGSEGV || !strings.HasPrefix(errb.String(), backend.FaultCrashStart) {
		t.Errorf("SIGSEGV sent: %v, stderr %q; want death by SIGSEGV after %q", ws, errb.String(), backend.FaultCrashStart)
	}

	oob := writeFile(t, "oob.wat", []byte(`(module (memory 1) (func (export "_start") (drop (i32.load (i32.const 70000)))))`))
	_, errs, ws := probe(t, x, buildFor(t, x, oob))
	if ws.Signaled() || ws.ExitStatus() != 134 || !strings.Contains(errs, "out of bounds memory access") {
		t.Errorf("an access out of bounds: %v, stderr %q; want the trap, status 134", ws, errs)
	}
}

// TestWallFaultHandlerSyscalls reads every system call in each target's fault handler,
// which runs after the wall is up, from its disassembly (the number the handler loads
// into eax or x8 before syscall or svc) and requires the wall to let it through: arm64's
// handler never runs under a kernel's seccomp in these tests (qemu-user has none), so
// this is what holds it to the list.
func TestWallFaultHandlerSyscalls(t *testing.T) {
	targettest.EachISA(t, func(t *testing.T, tg targets.Target, _ backend.ISA) {
		src := writeFile(t, "oob.wat", []byte(`(module (memory 1) (func (export "_start")))`))
		exe, err := os.ReadFile(build(t, src, "--target", tg.Name, "--bounds-checks", "guard"))
		if err != nil {
			t.Fatal(err)
		}
		arch, d, err := asmcheck.ELF(exe)
		if err != nil {
			t.Fatal(err)
		}
		allowed, err := rtlib.WallSyscalls(arch)
		if err != nil {
			t.Fatal(err)
		}
		load := regexp.MustCompile(`^mov (eax|rax|x8|w8), #?(0x[0-9a-f]+|\d+)$`)
		nr, calls := int64(-1), 0
		for _, in := range d["wasmc.fault"] {
			if m := load.FindStringSubmatch(in.Text); m != nil {
				nr, _ = strconv.ParseInt(m[2], 0, 64)
				continue
			}
			if in.Text != "syscall" && in.Text != "svc #0x0" {
				continue
			}
			calls++
			if !slices.Contains(allowed, nr) {
				t.Errorf("the fault handler makes system call %d at %#x, which the wall kills", nr, in.Addr)
			}
		}
		if calls < 5 { // write, rt_sigaction, getpid, kill, rt_sigreturn
			t.Errorf("found %d system calls in the fault handler, want at least 5: %v", calls, d["wasmc.fault"])
		}
	})
}
