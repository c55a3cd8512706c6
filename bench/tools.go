package main

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime/debug"
	"strings"
	"time"
)

// buildWasmc builds cmd/wasmc from the checkout src into out. It runs in src
// because wasmc is a different module from this one.
func buildWasmc(src, out string) (string, error) {
	abs, err := filepath.Abs(out)
	if err != nil {
		return "", err
	}
	cmd := exec.Command("go", "build", "-o", abs, "./cmd/wasmc")
	cmd.Dir = src
	cmd.Env = append(os.Environ(), "GOWORK=off")
	if msg, err := cmd.CombinedOutput(); err != nil {
		return "", fmt.Errorf("building wasmc in %s: %v\n%s", src, err, msg)
	}
	return abs, nil
}

// runTimed runs cmd to completion and returns its stdout and the wall time
// from start to exit. A nonzero exit is an error carrying stderr's head.
func runTimed(cmd *exec.Cmd) ([]byte, time.Duration, error) {
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	start := time.Now()
	if err := cmd.Start(); err != nil {
		return nil, 0, err
	}
	err := cmd.Wait()
	elapsed := time.Since(start)
	if err != nil {
		return stdout.Bytes(), elapsed, fmt.Errorf("%s: %v: %s", filepath.Base(cmd.Path), err, head(stderr.String(), 4))
	}
	return stdout.Bytes(), elapsed, nil
}

// head keeps the first n lines of s, saying how many it dropped: wasmc lists
// one error per unknown import and a table footnote needs only the gist.
func head(s string, n int) string {
	lines := strings.Split(strings.TrimRight(s, "\n"), "\n")
	if len(lines) <= n {
		return strings.Join(lines, "\n")
	}
	return strings.Join(lines[:n], "\n") + fmt.Sprintf("\n(and %d more)", len(lines)-n)
}

// printVersions says what was measured, since the numbers mean little
// without it.
func printVersions(cfg config, runners []string) {
	cc, _ := exec.Command(cfg.cc, "--version").Output()
	fmt.Printf("native:   %s -O2 -static\n", firstLine(string(cc)))
	for _, r := range runners {
		switch r {
		case "wasmc", "wasmc-explicit", "wasmc-O0":
			v, _ := exec.Command(cfg.wasmc, "version").Output()
			from := cfg.wasmc
			if cfg.wasmcRev != "" {
				from = "built from " + cfg.src + " at " + cfg.wasmcRev
			}
			fmt.Printf("%-9s %s (%s) %s\n", r+":", firstLine(string(v)), from,
				strings.Join(append([]string{"build"}, wasmcFlags[r]...), " "))
		case "wasm2c":
			fmt.Printf("wasm2c:   %s\n", wasm2cVersion(cfg.cc))
		case "wazero":
			fmt.Printf("wazero:   %s, NewRuntimeConfigCompiler\n", depVersion("github.com/tetratelabs/wazero"))
		case "wasmtime":
			fmt.Printf("wasmtime: wasmtime-go %s, default config (Cranelift)\n", depVersion(wasmtimeModule))
		}
	}
	if cfg.wasmcBase != "" {
		v, _ := exec.Command(cfg.wasmcBase, "version").Output()
		fmt.Printf("wasmc(base): %s (%s), large modules only\n", firstLine(string(v)), cfg.wasmcBase)
	}
	if cfg.simd {
		fmt.Println("kernels:  .wasm built with clang-19 -O2 -msimd128 (kernels/NAME.simd.wasm); native is gcc -O2 with its own vectorization")
	}
	fmt.Printf("runs per measurement: %d (median)\n\n", cfg.n)
}

// gitRevision names the commit wasmc was built from, marked dirty when the
// tree has changes, since a checkout shared with other work often does.
func gitRevision(dir string) string {
	out, err := exec.Command("git", "-C", dir, "describe", "--always", "--dirty").Output()
	if err != nil {
		return "unknown revision"
	}
	return strings.TrimSpace(string(out))
}

func firstLine(s string) string {
	line, _, _ := strings.Cut(strings.TrimSpace(s), "\n")
	return line
}

// depVersion reads a dependency's version from the build info, which is the
// one go.mod selected, so it cannot drift from what ran.
func depVersion(path string) string {
	info, ok := debug.ReadBuildInfo()
	if !ok {
		return "(unknown version)"
	}
	for _, d := range info.Deps {
		if d.Path == path {
			return d.Version
		}
	}
	return "(unknown version)"
}
