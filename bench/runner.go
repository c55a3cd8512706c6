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
		case "wasmc":
			rs = append(rs, wasmcRunner{wasmc: cfg.wasmc, work: cfg.work})
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

// wasmcRunner builds the kernel's .wasm with wasmc build -O2.
type wasmcRunner struct{ wasmc, work string }

func (wasmcRunner) name() string { return "wasmc" }
func (wasmcRunner) close()       {}

func (r wasmcRunner) compile(k kernel) (program, error) {
	out := filepath.Join(r.work, k.name+".wasmc")
	if _, _, err := runTimed(exec.Command(r.wasmc, "build", "-O2", k.wasm, "-o", out)); err != nil {
		return nil, fmt.Errorf("wasmc build: %w", err)
	}
	return execProgram(out), nil
}

// execProgram is an executable file run with no arguments.
type execProgram string

func (p execProgram) run() ([]byte, time.Duration, error) { return runTimed(exec.Command(string(p))) }
func (execProgram) close()                                {}
