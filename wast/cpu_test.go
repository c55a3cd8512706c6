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
	for _, level := range []int{0, 2} {
		cfg := wast.Config{Mode: wast.Native, Options: driver.Options{ISA: isa, OS: tg.OS, Level: level, CPU: backend.CPUX8664V3},
			Dir: t.TempDir(), CPU: "Haswell"}
		if total := runSuite(t, fmt.Sprintf("Haswell x86-64-v3 -O%d", level), files, cfg, false); total.Passed < 800 {
			t.Errorf("-O%d: only %d assertions passed", level, total.Passed)
		}
	}
}

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
