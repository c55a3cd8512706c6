package main

import (
	"context"
	"crypto/rand"
	"errors"
	"os"
	"strings"
	"time"

	"github.com/bytecodealliance/wasmtime-go/v39"
	"github.com/tetratelabs/wazero"
	"github.com/tetratelabs/wazero/imports/wasi_snapshot_preview1"
	"github.com/tetratelabs/wazero/sys"
)

// The engines' side of the gostd part, run in a child process (gostdchild.go):
// compile a module into an artifact once, then run a WASI command from it with
// what `wasmtime run --dir /::/ --env K=V x.wasm ARGS` gives: the host root
// preopened as /, the environment given and nothing else, stdio inherited.

// goStdWasmStack is the wasm stack Go's runner script gives Wasmtime
// (lib/wasm/go_wasip1_wasm_exec: -W max-wasm-stack=8388608); the default
// 512 KiB is too little for some tests' recursion. It limits, it does not
// change the code Cranelift generates.
const goStdWasmStack = 8 << 20

// goStdWasmtimeEngine is Wasmtime's default configuration (Cranelift) with
// Go's stack limit; compile and run must use the same to deserialize.
func goStdWasmtimeEngine() *wasmtime.Engine {
	c := wasmtime.NewConfig()
	c.SetMaxWasmStack(goStdWasmStack)
	return wasmtime.NewEngineWithConfig(c)
}

// wasmtimeCompileTo compiles the module and writes it serialized, as
// `wasmtime compile` does; it returns the time of NewModule alone.
func wasmtimeCompileTo(wasmPath, out string) (time.Duration, error) {
	wasm, err := os.ReadFile(wasmPath)
	if err != nil {
		return 0, err
	}
	start := time.Now()
	m, err := wasmtime.NewModule(goStdWasmtimeEngine(), wasm)
	elapsed := time.Since(start)
	if err != nil {
		return elapsed, err
	}
	defer m.Close()
	b, err := m.Serialize()
	if err != nil {
		return elapsed, err
	}
	return elapsed, os.WriteFile(out, b, 0o644)
}

// wasmtimeRunCommand loads the serialized module (untimed, as `wasmtime run
// --allow-precompiled` would) and times instantiation plus _start.
func wasmtimeRunCommand(artifact string, args, env []string) (time.Duration, error) {
	engine := goStdWasmtimeEngine()
	m, err := wasmtime.NewModuleDeserializeFile(engine, artifact)
	if err != nil {
		return 0, err
	}
	defer m.Close()
	wasi := wasmtime.NewWasiConfig()
	wasi.SetArgv(args)
	var keys, values []string
	for _, kv := range env {
		k, v, _ := strings.Cut(kv, "=")
		keys, values = append(keys, k), append(values, v)
	}
	wasi.SetEnv(keys, values)
	wasi.InheritStdin()
	wasi.InheritStdout()
	wasi.InheritStderr()
	perms := wasmtime.DIR_READ | wasmtime.DIR_WRITE
	if err := wasi.PreopenDir("/", "/", perms, wasmtime.FILE_READ|wasmtime.FILE_WRITE); err != nil {
		return 0, err
	}
	store := wasmtime.NewStore(engine)
	defer store.Close()
	store.SetWasi(wasi)
	linker := wasmtime.NewLinker(engine)
	defer linker.Close()
	if err := linker.DefineWasi(); err != nil {
		return 0, err
	}
	p := &wasmtimeProgram{engine: engine, m: m}
	start := time.Now()
	err = p.start(store, linker)
	elapsed := time.Since(start)
	var werr *wasmtime.Error
	if errors.As(err, &werr) {
		if status, ok := werr.ExitStatus(); ok {
			err = childExit(status) // 0 was already turned into nil
		}
	}
	return elapsed, err
}

// goStdWazeroRuntime is the optimizing compiler with a compilation cache in
// dir, which is how a fresh process runs a module compiled by another
// (`wazero run -cachedir`, as Go's runner script calls it).
func goStdWazeroRuntime(ctx context.Context, dir string) (wazero.Runtime, error) {
	cache, err := wazero.NewCompilationCacheWithDir(dir)
	if err != nil {
		return nil, err
	}
	rt := wazero.NewRuntimeWithConfig(ctx, wazero.NewRuntimeConfigCompiler().WithCompilationCache(cache))
	if _, err := wasi_snapshot_preview1.Instantiate(ctx, rt); err != nil {
		rt.Close(ctx)
		return nil, err
	}
	return rt, nil
}

// wazeroCompileTo compiles the module into a fresh cache directory and
// returns the time of CompileModule (which writes the cache).
func wazeroCompileTo(wasmPath, dir string) (time.Duration, error) {
	wasm, err := os.ReadFile(wasmPath)
	if err != nil {
		return 0, err
	}
	ctx := context.Background()
	rt, err := goStdWazeroRuntime(ctx, dir)
	if err != nil {
		return 0, err
	}
	defer rt.Close(ctx)
	start := time.Now()
	_, err = rt.CompileModule(ctx, wasm)
	return time.Since(start), err
}

// wazeroRunCommand takes the module from the cache (untimed) and times
// instantiation, which runs _start, with the configuration `wazero run
// -mount /:/` uses: real clocks, sleep and randomness, which wazero leaves
// out unless asked.
func wazeroRunCommand(wasmPath, dir string, args, env []string) (time.Duration, error) {
	wasm, err := os.ReadFile(wasmPath)
	if err != nil {
		return 0, err
	}
	ctx := context.Background()
	rt, err := goStdWazeroRuntime(ctx, dir)
	if err != nil {
		return 0, err
	}
	defer rt.Close(ctx)
	m, err := rt.CompileModule(ctx, wasm)
	if err != nil {
		return 0, err
	}
	cfg := wazero.NewModuleConfig().WithArgs(args...).
		WithStdin(os.Stdin).WithStdout(os.Stdout).WithStderr(os.Stderr).
		WithFSConfig(wazero.NewFSConfig().WithDirMount("/", "/")).
		WithSysWalltime().WithSysNanotime().WithSysNanosleep().WithRandSource(rand.Reader)
	for _, kv := range env {
		k, v, _ := strings.Cut(kv, "=")
		cfg = cfg.WithEnv(k, v)
	}
	start := time.Now()
	mod, err := rt.InstantiateModule(ctx, m, cfg)
	elapsed := time.Since(start)
	if mod != nil {
		mod.Close(ctx)
	}
	var exit *sys.ExitError
	if errors.As(err, &exit) {
		err = nil
		if exit.ExitCode() != 0 {
			err = childExit(exit.ExitCode())
		}
	}
	return elapsed, err
}
