package arm64_test

import (
	"bytes"
	"context"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/wasmc/wasmc/arm64"
	"github.com/wasmc/wasmc/backend"
	"github.com/wasmc/wasmc/driver"
)

// Whole programs through driver.Build with the real process entry and trap routine
// (runtime.go) and the runtime's C: the package's other tests link a hand-written test
// runtime instead.

const entryWat = `(module
  (import "wasi_snapshot_preview1" "fd_write" (func $fd_write (param i32 i32 i32 i32) (result i32)))
  (memory (export "memory") 1 4)
  (table 4 funcref)
  (elem (i32.const 1) $fac)
  (data (i32.const 16) "grown\n")
  (type $t (func (param i64) (result i64)))
  (func $fac (export "fac") (param $n i64) (result i64)
    (if (result i64) (i64.eqz (local.get $n))
      (then (i64.const 1))
      (else (i64.mul (local.get $n) (call_indirect (type $t) (i64.sub (local.get $n) (i64.const 1)) (i32.const 1))))))
  (func $deep (export "deep") (param $n i32) (result i32)
    (i32.add (local.get $n) (call $deep (i32.add (local.get $n) (i32.const 1)))))
  (func $div (export "div") (param $a i32) (param $b i32) (result i32)
    (i32.div_s (local.get $a) (local.get $b)))
  (func (export "_start")
    (if (i32.ne (memory.grow (i32.const 2)) (i32.const 1)) (then unreachable))
    (i32.store (i32.const 0x20000) (i32.const 7))
    (i32.store (i32.const 0) (i32.const 16))
    (i32.store (i32.const 4) (i32.const 6))
    (drop (call $fd_write (i32.const 1) (i32.const 0) (i32.const 1) (i32.const 8)))))`

// runEntry builds entryWat (calling invoke with args, or _start) and runs it, returning its
// stdout, stderr and exit status.
func runEntry(t *testing.T, invoke string, args ...string) (string, string, int) {
	t.Helper()
	if !arm64.NativeOK() {
		if os.Getenv("CI") == "true" {
			t.Fatal("linux/arm64 code runs only on linux/arm64 or under qemu-aarch64-static")
		}
		t.Skip("linux/arm64 code runs only on linux/arm64 or under qemu-aarch64-static")
	}
	exe, err := driver.Build([]driver.Input{{Path: "entry.wat", Data: []byte(entryWat)}},
		driver.Options{ISA: arm64.New(), OS: backend.OSLinux, Level: 2, Invoke: invoke, Verify: true, CheckAllocations: true})
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "prog")
	if err := os.WriteFile(path, exe, 0o755); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, path, args...)
	if runtime.GOARCH != "arm64" {
		cmd = exec.CommandContext(ctx, "qemu-aarch64-static", append([]string{path}, args...)...)
	}
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err = cmd.Run()
	var exit *exec.ExitError
	switch {
	case err == nil:
		return stdout.String(), stderr.String(), 0
	case errors.As(err, &exit) && exit.ExitCode() >= 0:
		return stdout.String(), stderr.String(), exit.ExitCode()
	}
	t.Fatalf("%v (stderr %q)", err, stderr.String())
	return "", "", 0
}

func TestEntry(t *testing.T) {
	for _, c := range []struct {
		name, invoke string
		args         []string
		stdout       string
		stderr       string // a prefix
		status       int
	}{
		// Memories are mapped and grow; WASI writes through the runtime's C.
		{name: "start", stdout: "grown\n"},
		// --invoke: arguments parsed and results printed by the runtime; a table mapped
		// with its element segment applied by code; call_indirect.
		{name: "invoke", invoke: "fac", args: []string{"20"}, stdout: "2432902008176640000\n"},
		// A trap reports its kind and site and exits 134.
		{name: "trap", invoke: "div", args: []string{"1", "0"}, stderr: "wasm trap: integer divide by zero\n  at $div+0x", status: 134},
		// Unbounded recursion is a trap, never SIGSEGV.
		{name: "exhaustion", invoke: "deep", args: []string{"0"}, stderr: "wasm trap: call stack exhausted\n  at $deep+0x", status: 134},
	} {
		t.Run(c.name, func(t *testing.T) {
			stdout, stderr, status := runEntry(t, c.invoke, c.args...)
			if stdout != c.stdout || !strings.HasPrefix(stderr, c.stderr) || status != c.status {
				t.Errorf("stdout %q, stderr %q, status %d; want %q, %q…, %d", stdout, stderr, status, c.stdout, c.stderr, c.status)
			}
		})
	}
}
