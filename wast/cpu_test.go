package wast_test

import (
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/wasmc/wasmc/backend"
	"github.com/wasmc/wasmc/driver"
	"github.com/wasmc/wasmc/internal/runexe"
	"github.com/wasmc/wasmc/internal/targets"
	"github.com/wasmc/wasmc/internal/targettest"
	"github.com/wasmc/wasmc/wast"
)

// cpuRefusalV3 is what an executable built with --cpu x86-64-v3 says on a lower CPU.
const cpuRefusalV3 = "needs an x86-64-v3 CPU"

// needCPU returns the ISA of linux/amd64, skipping (failing under CI=true) when qemu
// cannot emulate processor models here.
func needCPU(t *testing.T) (targets.Target, backend.ISA) {
	t.Helper()
	tg, err := targets.Lookup("linux/amd64")
	if err != nil {
		t.Fatal(err)
	}
	isa := targettest.NeedISA(t, tg)
	if _, err := runexe.ForCPU("amd64", "Haswell"); err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatal(err)
		}
		t.Skip(err)
	}
	return tg, isa
}

// TestSpecCPUV3 runs the scripts that hold clz, ctz, shifts and rotates built with --cpu
// x86-64-v3 (lzcnt, tzcnt, shlx, shrx, sarx, rorx) on qemu's Haswell, the first x86-64-v3
// processor, whatever the host: the answers are the spec's.
func TestSpecCPUV3(t *testing.T) {
	tg, isa := needCPU(t)
	var files []string
	for _, f := range specFiles(t, "wasm-2.0") {
		switch filepath.Base(f) {
		case "i32.wast", "i64.wast":
			files = append(files, f)
		}
	}
	files = append(files, writeScript(t, "v3.wast", v3Wast))
	for _, level := range []int{0, 2} {
		cfg := wast.Config{Mode: wast.Native, Options: driver.Options{ISA: isa, OS: tg.OS, Level: level, CPU: backend.CPUX8664V3},
			Dir: t.TempDir(), CPU: "Haswell"}
		if total := runSuite(t, fmt.Sprintf("Haswell x86-64-v3 -O%d", level), files, cfg, false); total.Passed < 880 {
			t.Errorf("-O%d: only %d assertions passed", level, total.Passed)
		}
	}
}

// v3Wast holds what the spec scripts do not: a & ~b in both operand orders (andn), a not
// used twice, and rotates by constants at both widths (rorx), whose answers the spec's
// own rotate tests pass as arguments.
const v3Wast = `(module
  (func (export "andn32") (param i32 i32) (result i32) (i32.and (local.get 0) (i32.xor (local.get 1) (i32.const -1))))
  (func (export "andn64") (param i64 i64) (result i64) (i64.and (i64.xor (i64.const -1) (local.get 1)) (local.get 0)))
  (func (export "not2") (param i32 i32) (result i32) (local $n i32)
    (local.set $n (i32.xor (local.get 1) (i32.const -1)))
    (i32.add (local.get $n) (i32.and (local.get 0) (local.get $n))))
  (func (export "rotl32") (param i32) (result i32) (i32.rotl (local.get 0) (i32.const 5)))
  (func (export "rotr64") (param i64) (result i64) (i64.rotr (local.get 0) (i64.const 60))))
(assert_return (invoke "andn32" (i32.const 0xff00ff00) (i32.const 0x0ff00ff0)) (i32.const 0xf000f000))
(assert_return (invoke "andn64" (i64.const -1) (i64.const 0x00ff00ff00ff00ff)) (i64.const 0xff00ff00ff00ff00))
(assert_return (invoke "not2" (i32.const 0xff) (i32.const 0x0f)) (i32.const 0xe0))
(assert_return (invoke "rotl32" (i32.const 0x80000001)) (i32.const 0x30))
(assert_return (invoke "rotr64" (i64.const 0x8000000000000001)) (i64.const 0x18))
`

// TestCPUV3Refused starts an executable built with --cpu x86-64-v3 on processors below the
// level: each refuses in one line naming the level and --cpu x86-64-v2, and exits with
// status 1, never SIGILL and never a wrong answer (an lzcnt run as bsr). qemu's Haswell
// with one feature taken away shows that each is checked, xsave for XGETBV's AVX state.
func TestCPUV3Refused(t *testing.T) {
	tg, isa := needCPU(t)
	src := `(module (global $g (mut i32) (i32.const 1))
  (func (export "_start") (global.set $g (i32.clz (global.get $g)))))`
	exe, err := driver.Build([]driver.Input{{Path: "clz.wat", Data: []byte(src)}},
		driver.Options{ISA: isa, OS: tg.OS, Level: 2, CPU: backend.CPUX8664V3})
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "clz")
	if err := os.WriteFile(path, exe, 0o755); err != nil {
		t.Fatal(err)
	}
	for _, cpu := range []string{"Haswell", "Nehalem", "Westmere", "Haswell,-avx2", "Haswell,-bmi1", "Haswell,-bmi2",
		"Haswell,-abm", "Haswell,-fma", "Haswell,-movbe", "Haswell,-xsave"} {
		r, err := runexe.ForCPU("amd64", cpu)
		if err != nil {
			t.Fatal(err)
		}
		var stderr strings.Builder
		cmd := r.Command(path)
		cmd.Stderr = &stderr
		err = cmd.Run()
		// qemu warns about features its TCG lacks; only the executable's lines count.
		var lines []string
		for _, l := range strings.Split(strings.TrimSpace(stderr.String()), "\n") {
			if l != "" && !strings.HasPrefix(l, "qemu-") {
				lines = append(lines, l)
			}
		}
		if cpu == "Haswell" {
			if err != nil || len(lines) > 0 {
				t.Errorf("%s: %v, %q; want a clean run", cpu, err, lines)
			}
			continue
		}
		var exit *exec.ExitError
		if !errors.As(err, &exit) || exit.ExitCode() != 1 {
			t.Errorf("%s: %v, want exit status 1", cpu, err)
		}
		if len(lines) != 1 || !strings.Contains(lines[0], cpuRefusalV3) || !strings.Contains(lines[0], "--cpu x86-64-v2") {
			t.Errorf("%s: %q, want one line saying %q and naming --cpu x86-64-v2", cpu, lines, cpuRefusalV3)
		}
	}
}
