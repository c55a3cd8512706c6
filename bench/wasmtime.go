package main

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/bytecodealliance/wasmtime-go/v39"
)

// wasmtimeModule is the module path depVersion looks up.
const wasmtimeModule = "github.com/bytecodealliance/wasmtime-go/v39"

// wasmtimeRunner uses Wasmtime's default configuration (Cranelift, speed
// optimizations, no compile cache), the one `wasmtime run` starts from.
type wasmtimeRunner struct {
	engine *wasmtime.Engine
}

func newWasmtimeRunner() *wasmtimeRunner {
	return &wasmtimeRunner{engine: wasmtime.NewEngine()}
}

func (*wasmtimeRunner) name() string { return "wasmtime" }
func (r *wasmtimeRunner) close()     {}

func (r *wasmtimeRunner) compile(k kernel) (program, error) {
	wasm, err := os.ReadFile(k.wasm)
	if err != nil {
		return nil, err
	}
	m, err := wasmtime.NewModule(r.engine, wasm)
	if err != nil {
		return nil, err
	}
	dir, err := os.MkdirTemp("", "wasmtime-"+k.name+"-")
	if err != nil {
		return nil, err
	}
	return &wasmtimeProgram{engine: r.engine, m: m, name: k.name, dir: dir}, nil
}

type wasmtimeProgram struct {
	engine *wasmtime.Engine
	m      *wasmtime.Module
	name   string
	dir    string
}

func (p *wasmtimeProgram) close() {
	p.m.Close()
	os.RemoveAll(p.dir)
}

// run instantiates in a new store each time. wasmtime-go can send WASI
// output only to a file or to our own stdout, so stdout goes to a file that
// is read back after the timed part.
func (p *wasmtimeProgram) run() ([]byte, time.Duration, error) {
	stdoutPath, stderrPath := filepath.Join(p.dir, "stdout"), filepath.Join(p.dir, "stderr")
	wasi := wasmtime.NewWasiConfig()
	wasi.SetArgv([]string{p.name})
	if err := wasi.SetStdoutFile(stdoutPath); err != nil {
		return nil, 0, err
	}
	if err := wasi.SetStderrFile(stderrPath); err != nil {
		return nil, 0, err
	}
	store := wasmtime.NewStore(p.engine)
	defer store.Close()
	store.SetWasi(wasi)
	linker := wasmtime.NewLinker(p.engine)
	defer linker.Close()
	if err := linker.DefineWasi(); err != nil {
		return nil, 0, err
	}

	start := time.Now()
	err := p.start(store, linker)
	elapsed := time.Since(start)

	stdout, readErr := os.ReadFile(stdoutPath)
	if err != nil {
		stderr, _ := os.ReadFile(stderrPath)
		return stdout, elapsed, fmt.Errorf("%v: %s", err, head(string(stderr), 4))
	}
	return stdout, elapsed, readErr
}

func (p *wasmtimeProgram) start(store *wasmtime.Store, linker *wasmtime.Linker) error {
	inst, err := linker.Instantiate(store, p.m)
	if err != nil {
		return err
	}
	f := inst.GetFunc(store, "_start")
	if f == nil {
		return errors.New("no _start export")
	}
	_, err = f.Call(store)
	var werr *wasmtime.Error
	if errors.As(err, &werr) {
		if status, ok := werr.ExitStatus(); ok && status == 0 {
			return nil // proc_exit(0) is a normal end, not a failure
		}
	}
	return err
}

// wasmtimeCompile times one NewModule in a fresh engine (Wasmtime has no
// in-memory cache, but a fresh engine keeps the comparison with wazero fair).
func wasmtimeCompile(wasm []byte) (time.Duration, error) {
	engine := wasmtime.NewEngine()
	start := time.Now()
	m, err := wasmtime.NewModule(engine, wasm)
	elapsed := time.Since(start)
	if err == nil {
		m.Close()
	}
	return elapsed, err
}
