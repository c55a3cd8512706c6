package main

import (
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"sync"
	"testing"

	"github.com/wasmc/wasmc/internal/machorun"
	"github.com/wasmc/wasmc/internal/targets"
	"github.com/wasmc/wasmc/internal/targettest"
)

// checkedDarwin are the darwin executables checkDarwinStructure has read, by path.
var checkedDarwin sync.Map

// checkDarwinStructure has LLVM's readers read the darwin executable at path and
// recomputes its signature (machorun.CheckStructure), once per path: the darwin tests
// call it on every executable they build and run, so that each passes the structural
// checks, not only the samples of TestDarwinStructure.
func checkDarwinStructure(t *testing.T, path string) {
	t.Helper()
	if _, done := checkedDarwin.LoadOrStore(path, true); done {
		return
	}
	err := machorun.CheckStructure(path)
	if errors.Is(err, exec.ErrNotFound) {
		targettest.Missing(t, err)
	}
	if err != nil {
		t.Errorf("%s: %v", filepath.Base(path), err)
	}
}

// darwinTargets are the darwin targets wasmc generates code for, ready or experimental.
func darwinTargets() []targets.Target {
	var ts []targets.Target
	for _, tg := range targets.All() {
		if tg.OS.String() == "darwin" && (tg.Ready() || tg.Experimental()) {
			ts = append(ts, tg)
		}
	}
	return ts
}

// TestDarwinStructure has LLVM's Mach-O readers (llvm-objdump --macho --private-headers,
// llvm-otool -l, llvm-readobj --all) read executables that wasmc builds for each darwin
// target, and recomputes each one's code signature page by page (machorun.CheckStructure,
// which does not use backend's signing code): real programs, at -O0 and -O2, with guard
// pages and with explicit checks, and a SIMD one, not only the loader's hand-made files.
func TestDarwinStructure(t *testing.T) {
	programs := filepath.Join("..", "..", "testdata", "programs")
	builds := []struct {
		name string
		args []string
	}{
		{"wasi-c-O2", []string{filepath.Join(programs, "wasi", "c", "main.wasm"), "-O2"}},
		{"wasi-c-O0-explicit", []string{filepath.Join(programs, "wasi", "c", "main.wasm"), "-O0", "--bounds-checks=explicit"}},
		{"hello-O2-env", []string{filepath.Join(programs, "darwin", "hello.wasm"), "-O2", "--env", "K=v"}},
		{"simd-O2", []string{filepath.Join(programs, "wasi", "csimd", "intrinsics.wasm"), "-O2"}},
	}
	if testing.Short() {
		builds = builds[:2]
	}
	ts := darwinTargets()
	if len(ts) == 0 {
		t.Fatal("no darwin target generates code")
	}
	for _, tg := range ts {
		t.Run(tg.Name, func(t *testing.T) {
			for _, b := range builds {
				out := filepath.Join(t.TempDir(), b.name)
				args := append([]string{"build", "--target", tg.Name, "-o", out}, b.args...)
				if _, errs, code := runCLI(t, args...); code != 0 {
					t.Fatalf("%s: wasmc build: exit %d: %s", b.name, code, errs)
				}
				err := machorun.CheckStructure(out)
				if errors.Is(err, exec.ErrNotFound) {
					targettest.Missing(t, err)
				}
				if err != nil {
					t.Errorf("%s: %v", b.name, err)
				}
				if tg.Arch.String() == "arm64" {
					// The arm64 kernel runs only signed code: every file must carry a
					// signature that holds.
					body, _ := os.ReadFile(out)
					if err := machorun.CheckSignature(body); err != nil {
						t.Errorf("%s: signature: %v", b.name, err)
					}
				}
			}
		})
	}
}
