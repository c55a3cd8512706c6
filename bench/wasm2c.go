package main

import (
	_ "embed"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
)

// wasiGlue is main and the WASI imports for a kernel wasm2c translated. It is
// embedded, and written into the work directory, so the runner does not
// depend on the directory the bench runs from.
//
//go:embed wasm2c/wasi.c
var wasiGlue []byte

// wasm2cRunner is the other way to run WebAssembly ahead of time: wabt's
// wasm2c translates the .wasm to C, and the C compiler of the native builds
// compiles it, wabt's runtime and wasiGlue with -O2 -static into an
// executable run like native's. It shows what a mature C optimizer makes of
// the same module, under the same wasm semantics (traps, 32-bit memory with
// wasm2c's default guard pages on 64-bit Linux). wabt is a bench-only
// external tool (Debian package wabt), never a dependency of wasmc.
type wasm2cRunner struct {
	cc, work string
	tools    wasm2cTools
	glue     string // wasiGlue written into work
	err      error  // why nothing can be built; every compile reports it
}

// wasm2cTools is where one wabt installation keeps what a build needs.
type wasm2cTools struct {
	wasm2c   string   // the translator
	rt       string   // the directory of the runtime sources
	sources  []string // the runtime's wasm-rt*.c in rt
	includes []string // -I directories: rt and the installation's include
}

func newWasm2cRunner(cfg config) *wasm2cRunner {
	r := &wasm2cRunner{cc: cfg.cc, work: cfg.work, glue: filepath.Join(cfg.work, "wasm2c-wasi.c")}
	if r.tools, r.err = findWasm2c(); r.err == nil {
		r.err = os.WriteFile(r.glue, wasiGlue, 0o644)
	}
	return r
}

func (*wasm2cRunner) name() string { return "wasm2c" }
func (*wasm2cRunner) close()       {}

// compile translates with the module named kernel, so the generated names
// are the same for every kernel and one glue file fits them all. The
// runtime is compiled with each kernel; it is small, and its time belongs
// to building the executable as much as the kernel's does.
func (r *wasm2cRunner) compile(k kernel) (program, error) {
	if r.err != nil {
		return nil, r.err
	}
	dir := filepath.Join(r.work, k.name+"-wasm2c")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, err
	}
	src := filepath.Join(dir, "kernel.c") // and kernel.h, which the glue includes
	if _, _, err := runTimed(exec.Command(r.tools.wasm2c, "-n", "kernel", k.wasm, "-o", src)); err != nil {
		return nil, err
	}
	out := filepath.Join(r.work, k.name+".wasm2c")
	args := []string{"-O2", "-static", "-I", dir}
	for _, inc := range r.tools.includes {
		args = append(args, "-I", inc)
	}
	args = append(args, "-o", out, src, r.glue)
	args = append(append(args, r.tools.sources...), "-lm")
	if _, _, err := runTimed(exec.Command(r.cc, args...)); err != nil {
		return nil, err
	}
	return execProgram(out), nil
}

// findWasm2c finds wasm2c on PATH and the runtime sources its installation
// ships in <prefix>/share/wabt/wasm2c (where Debian's package and wabt's own
// cmake install put them). Every wasm-rt*.c there is compiled, because the
// runtime grew new files: wasm-rt-impl.c alone up to 1.0.32 (Debian 12), then
// wasm-rt-exceptions-impl.c (1.0.33, which holds the unwind target the glue's
// trap handling sets) and wasm-rt-mem-impl.c (1.0.35, memory allocation).
func findWasm2c() (wasm2cTools, error) {
	var t wasm2cTools
	path, err := exec.LookPath("wasm2c")
	if err != nil {
		return t, fmt.Errorf("wasm2c not found on PATH (install wabt, e.g. apt-get install wabt)")
	}
	if t.wasm2c, err = filepath.EvalSymlinks(path); err != nil {
		return t, err
	}
	prefix := filepath.Dir(filepath.Dir(t.wasm2c))
	t.rt = filepath.Join(prefix, "share", "wabt", "wasm2c")
	if _, err := os.Stat(filepath.Join(t.rt, "wasm-rt-impl.c")); err != nil {
		return t, fmt.Errorf("wabt's wasm2c runtime (wasm-rt-impl.c) not found beside %s: %w", t.wasm2c, err)
	}
	if t.sources, err = filepath.Glob(filepath.Join(t.rt, "wasm-rt*.c")); err != nil {
		return t, err
	}
	// wasm-rt.h is installed as a header, not beside the runtime sources.
	t.includes = []string{t.rt, filepath.Join(prefix, "include")}
	return t, nil
}

// wasm2cVersion describes the wasm2c the runner would use, or why there is
// none, for the header of the output.
func wasm2cVersion(cc string) string {
	t, err := findWasm2c()
	if err != nil {
		return "not available: " + err.Error()
	}
	v, _ := exec.Command(t.wasm2c, "--version").Output()
	return fmt.Sprintf("wabt %s (%s, runtime %s) + %s -O2 -static", firstLine(string(v)), t.wasm2c, t.rt, cc)
}
