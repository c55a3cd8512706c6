package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"time"

	"github.com/tetratelabs/wazero"
	"github.com/tetratelabs/wazero/imports/wasi_snapshot_preview1"
	"github.com/tetratelabs/wazero/sys"
)

// wazeroRunner compiles with wazero's optimizing compiler. One runtime serves
// every kernel: each .wasm is compiled once, so wazero's in-runtime cache of
// compiled modules never hides a compile.
type wazeroRunner struct {
	ctx context.Context
	rt  wazero.Runtime
	err error // set when WASI could not be instantiated; every compile reports it
}

func newWazeroRunner() *wazeroRunner {
	ctx := context.Background()
	rt := newWazeroRuntime(ctx)
	_, err := wasi_snapshot_preview1.Instantiate(ctx, rt)
	return &wazeroRunner{ctx: ctx, rt: rt, err: err}
}

// newWazeroRuntime asks for the compiler explicitly: wazero falls back to its
// interpreter on platforms without one, and we want to know if that happens.
func newWazeroRuntime(ctx context.Context) wazero.Runtime {
	return wazero.NewRuntimeWithConfig(ctx, wazero.NewRuntimeConfigCompiler())
}

func (*wazeroRunner) name() string { return "wazero" }
func (r *wazeroRunner) close()     { r.rt.Close(r.ctx) }

func (r *wazeroRunner) compile(k kernel) (program, error) {
	if r.err != nil {
		return nil, r.err
	}
	wasm, err := os.ReadFile(k.wasm)
	if err != nil {
		return nil, err
	}
	m, err := r.rt.CompileModule(r.ctx, wasm)
	if err != nil {
		return nil, err
	}
	return &wazeroProgram{r: r, m: m, name: k.name}, nil
}

type wazeroProgram struct {
	r    *wazeroRunner
	m    wazero.CompiledModule
	name string
}

func (p *wazeroProgram) close() { p.m.Close(p.r.ctx) }

// run instantiates anew each time (so memory starts fresh, as in a new
// process); instantiating a WASI command runs its _start.
func (p *wazeroProgram) run() ([]byte, time.Duration, error) {
	var stdout, stderr bytes.Buffer
	cfg := wazero.NewModuleConfig().WithName("").WithArgs(p.name).WithStdout(&stdout).WithStderr(&stderr)
	start := time.Now()
	mod, err := p.r.rt.InstantiateModule(p.r.ctx, p.m, cfg)
	elapsed := time.Since(start)
	if mod != nil {
		mod.Close(p.r.ctx)
	}
	var exit *sys.ExitError
	if errors.As(err, &exit) && exit.ExitCode() == 0 {
		err = nil // proc_exit(0) is a normal end, not a failure
	}
	if err != nil {
		return stdout.Bytes(), elapsed, fmt.Errorf("%v: %s", err, head(stderr.String(), 4))
	}
	return stdout.Bytes(), elapsed, nil
}

// wazeroCompile times one CompileModule in a fresh runtime, so that the
// runtime's cache of compiled modules cannot serve a repeat.
func wazeroCompile(wasm []byte) (time.Duration, error) {
	ctx := context.Background()
	rt := newWazeroRuntime(ctx)
	defer rt.Close(ctx)
	start := time.Now()
	m, err := rt.CompileModule(ctx, wasm)
	elapsed := time.Since(start)
	if err == nil {
		m.Close(ctx)
	}
	return elapsed, err
}
