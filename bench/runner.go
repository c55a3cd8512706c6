package main

import (
	"fmt"
	"os/exec"
	"path/filepath"
	"time"
)

// runner turns a kernel into something runnable. The harness times compile
// on its own, so a runner's compile time never counts as run time.
type runner interface {
	name() string
	compile(k kernel) (program, error)
	close()
}

// program is one compiled kernel. run executes it once from a fresh start
// (new process or new instance) and times only the execution: exec to exit
// for executables, instantiation plus _start for the engines.
type program interface {
	run() (stdout []byte, elapsed time.Duration, err error)
	close()
}

// newRunners makes native (always first: it is the reference output) and
// then the named runners.
func newRunners(cfg config, names []string) ([]runner, error) {
	rs := []runner{nativeRunner{cc: cfg.cc, work: cfg.work}}
	for _, n := range names {
		switch n {
		case "wasmc", "wasmc-explicit", "wasmc-O0":
			rs = append(rs, wasmcRunner{label: n, wasmc: cfg.wasmc, work: cfg.work, flags: wasmcFlags[n]})
		case "wasm2c":
			rs = append(rs, newWasm2cRunner(cfg))
		case "wazero":
			rs = append(rs, newWazeroRunner())
		case "wasmtime":
			rs = append(rs, newWasmtimeRunner())
		}
	}
	return rs, nil
}

func closeRunners(rs []runner) {
	for _, r := range rs {
		r.close()
	}
}

// nativeRunner builds the kernel's C source with the host C compiler,
// statically linked like wasmc's executables, so both pay the same start-up.
type nativeRunner struct{ cc, work string }

func (nativeRunner) name() string { return "native" }
func (nativeRunner) close()       {}

func (r nativeRunner) compile(k kernel) (program, error) {
	out := filepath.Join(r.work, k.name+".native")
	if _, _, err := runTimed(exec.Command(r.cc, "-O2", "-static", "-o", out, k.c, "-lm")); err != nil {
		return nil, err
	}
	return execProgram(out), nil
}

// wasmcFlags are what each wasmc runner passes to build, the level first, kept
// in one place for the build and the header that says what ran. wasmc-explicit
// asks for a compare before each memory access instead of the default guard
// pages, so the two columns show what the guard pages save and what the
// bounds-check optimizations leave. wasmc-O0 is the fast compile tier, whose
// code issue 21 wants within 2.5x of -O2's.
var wasmcFlags = map[string][]string{
	"wasmc":          {"-O2"},
	"wasmc-explicit": {"-O2", "--bounds-checks=explicit"},
	"wasmc-O0":       {"-O0"},
}

// wasmcRunner builds the kernel's .wasm with wasmc build and flags.
type wasmcRunner struct {
	label       string // the runner's name
	wasmc, work string
	flags       []string // the level and the rest
}

func (r wasmcRunner) name() string { return r.label }
func (wasmcRunner) close()         {}

func (r wasmcRunner) compile(k kernel) (program, error) {
	out := filepath.Join(r.work, k.name+"."+r.label)
	args := append([]string{"build"}, r.flags...)
	if _, _, err := runTimed(exec.Command(r.wasmc, append(args, k.wasm, "-o", out)...)); err != nil {
		return nil, fmt.Errorf("wasmc build: %w", err)
	}
	return execProgram(out), nil
}

// execProgram is an executable file run with no arguments.
type execProgram string

func (p execProgram) run() ([]byte, time.Duration, error) { return runTimed(exec.Command(string(p))) }
func (execProgram) close()                                {}
