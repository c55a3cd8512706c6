package main

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime/debug"
	"text/tabwriter"
	"time"
)

// gobigCompileTimes times compiling one large module (a Go program, so many
// functions and a big data segment) with each selected compiler, -n times,
// and prints the medians. It reports whether a compiler failed.
func gobigCompileTimes(cfg config, runners []string, path string) (failed bool, err error) {
	wasm, err := os.ReadFile(path)
	if err != nil {
		return false, err
	}
	fmt.Printf("\ncompile time of %s (%.1f MB), median of %d\n", filepath.Base(path), float64(len(wasm))/1e6, cfg.n)
	tw := tabwriter.NewWriter(os.Stdout, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "compiler\tmedian\tmin\t")
	for _, r := range runners {
		fmt.Fprintf(os.Stderr, "gobig: %s\n", r)
		compile := compileFunc(cfg, r, path, wasm)
		var times []time.Duration
		for range cfg.n {
			// Start each compile with the heap of the last one returned, so
			// the Go-hosted engines are not charged for its collection.
			debug.FreeOSMemory()
			d, err := compile()
			if err != nil {
				failed = true
				fmt.Fprintf(tw, "%s\tFAILED: %s\t\t\n", r, firstLine(err.Error()))
				times = nil
				break
			}
			times = append(times, d)
		}
		if times != nil {
			fmt.Fprintf(tw, "%s\t%s\t%s\t\n", r, secs(median(times)), secs(minDuration(times)))
		}
	}
	tw.Flush()
	fmt.Println("(wasmc: the whole `wasmc build -O2 --trap-unknown-imports` process, executable written;" +
		" wazero: CompileModule, compiler; wasmtime: NewModule)")
	return failed, nil
}

// compileFunc returns one timed compile of the module with runner r.
func compileFunc(cfg config, r, path string, wasm []byte) func() (time.Duration, error) {
	switch r {
	case "wasmc":
		out := filepath.Join(cfg.work, "gobig.wasmc")
		return func() (time.Duration, error) {
			// --trap-unknown-imports because only compile time is measured
			// here and the executable never runs: it lets the numbers exist
			// before wasmc has WASI, and once it has, WASI provides every
			// import and the flag changes nothing.
			cmd := exec.Command(cfg.wasmc, "build", "-O2", "--trap-unknown-imports", path, "-o", out)
			_, d, err := runTimed(cmd)
			return d, err
		}
	case "wazero":
		return func() (time.Duration, error) { return wazeroCompile(wasm) }
	default:
		return func() (time.Duration, error) { return wasmtimeCompile(wasm) }
	}
}

func minDuration(ds []time.Duration) time.Duration {
	m := ds[0]
	for _, d := range ds[1:] {
		m = min(m, d)
	}
	return m
}
