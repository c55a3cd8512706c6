package main

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"time"
)

// goStdAll are the packages `-gostd all` names: the standard-library packages
// whose own tests must pass as wasmc executables (goStdPackages in
// ../cmd/wasmc/gostd_test.go, issue 9). Their run time against Wasmtime's is
// issue 16's acceptance test for real programs rather than kernels.
var goStdAll = []string{
	"strconv", "strings", "sort", "math", "unicode/utf8", "encoding/json", "bytes", "fmt",
	"bufio", "os", "io/fs", "path/filepath", "compress/gzip", "archive/zip", "time",
}

// goStdEngines are the runners the gostd part can measure, in column order;
// wasmc first, since every ratio is its time over another's.
var goStdEngines = []string{"wasmc", "wasmtime", "wazero"}

// goStdPackage is one package whose test binary the gostd part runs.
type goStdPackage struct {
	pkg  string // import path
	dir  string // its source directory: the test's working directory and PWD
	wasm string // the test binary, built by prepareGoStd
	size int64  // bytes
}

// selectGoStd parses -gostd: import paths, "all" or "none" (the default is
// empty, which is none too: the part builds 15 test binaries and runs them
// under three runners, too long to happen unasked).
func selectGoStd(list string) []string {
	var out []string
	for name := range strings.SplitSeq(list, ",") {
		switch name = strings.TrimSpace(name); name {
		case "", "none":
		case "all":
			for _, p := range goStdAll {
				if !slices.Contains(out, p) {
					out = append(out, p)
				}
			}
		default:
			if !slices.Contains(out, name) {
				out = append(out, name)
			}
		}
	}
	return out
}

// prepareGoStd builds each package's test binary with the go on PATH before
// anything is timed, so a package that is not in GOROOT or has no tests
// stops the run (exit 2) rather than failing late.
func prepareGoStd(cfg config, pkgs []string) ([]goStdPackage, error) {
	if len(pkgs) == 0 {
		return nil, nil
	}
	goroot, err := exec.Command("go", "env", "GOROOT").Output()
	if err != nil {
		return nil, fmt.Errorf("go env GOROOT: %v", err)
	}
	src := filepath.Join(strings.TrimSpace(string(goroot)), "src")
	var out []goStdPackage
	for _, pkg := range pkgs {
		p := goStdPackage{pkg: pkg, dir: filepath.Join(src, pkg),
			wasm: filepath.Join(cfg.work, "gostd-"+strings.ReplaceAll(pkg, "/", "_")+".test.wasm")}
		if fi, err := os.Stat(p.dir); err != nil || !fi.IsDir() {
			return nil, fmt.Errorf("-gostd: %s is not a standard-library package (no %s)", pkg, p.dir)
		}
		fmt.Fprintf(os.Stderr, "gostd: go test -c %s\n", pkg)
		cmd := exec.Command("go", "test", "-c", "-o", p.wasm, pkg)
		cmd.Dir = cfg.work // outside any module: the package is std's
		cmd.Env = append(os.Environ(), "GOOS=wasip1", "GOARCH=wasm", "GOWORK=off")
		if msg, err := cmd.CombinedOutput(); err != nil {
			return nil, fmt.Errorf("building the %s test binary: %v\n%s", pkg, err, msg)
		}
		fi, err := os.Stat(p.wasm)
		if err != nil { // go test -c writes nothing for a package without tests
			return nil, fmt.Errorf("-gostd: %s: no test binary: %v", pkg, err)
		}
		p.size = fi.Size()
		out = append(out, p)
	}
	return out, nil
}

// goStdResult is one runner's result on one package.
type goStdResult struct {
	compile time.Duration   // wasmc build, or the engine's compile; never in times
	times   []time.Duration // one per run
	err     error
	stage   string // "build" or "run", for err
}

func (r goStdResult) ok() bool { return r.err == nil }

// goStdRun measures every package with every engine -n times and prints the
// tables. It reports whether anything failed.
func goStdRun(cfg config, runners []string, pkgs []goStdPackage) (failed bool) {
	var engines []string
	for _, e := range goStdEngines {
		if slices.Contains(runners, e) {
			engines = append(engines, e)
		}
	}
	if len(engines) == 0 {
		return false
	}
	self, err := os.Executable()
	if err != nil {
		fmt.Fprintln(os.Stderr, "gostd:", err)
		return true
	}
	results := make([][]goStdResult, len(pkgs))
	for i, p := range pkgs {
		results[i] = make([]goStdResult, len(engines))
		for j, e := range engines {
			fmt.Fprintf(os.Stderr, "gostd: %s: %s\n", p.pkg, e)
			if e == "wasmc" {
				results[i][j] = goStdWasmc(cfg, p)
			} else {
				results[i][j] = goStdEngine(cfg, self, e, p)
			}
		}
	}
	return printGoStdTables(os.Stdout, cfg.n, engines, pkgs, results)
}

// goStdEnv is the environment the test sees, as Go's own runner script
// (lib/wasm/go_wasip1_wasm_exec) gives it: PWD, from which the wasip1 port
// takes its working directory, and PATH, for the tests that look up commands.
func goStdEnv(p goStdPackage) []string {
	return []string{"PWD=" + p.dir, "PATH=" + os.Getenv("PATH")}
}

// goStdWasmc builds the test binary with the capabilities `wasmtime run
// --dir /::/` gives (wasmc bakes them into the executable), then times exec
// to exit in the package's directory, as TestGoStdlib runs it.
func goStdWasmc(cfg config, p goStdPackage) (r goStdResult) {
	exe := strings.TrimSuffix(p.wasm, ".wasm") + ".wasmc"
	if !cfg.keep {
		defer os.Remove(exe) // executables of big modules add up
	}
	args := []string{"build", "-O2", "--dir", "/::/"}
	for _, kv := range goStdEnv(p) {
		args = append(args, "--env", kv)
	}
	var err error
	if _, r.compile, err = runTimed(exec.Command(cfg.wasmc, append(args, p.wasm, "-o", exe)...)); err != nil {
		r.err, r.stage = fmt.Errorf("wasmc build: %w", err), "build"
		return r
	}
	for range cfg.n {
		cmd := exec.Command(exe, "-test.short")
		cmd.Dir = p.dir
		var out bytes.Buffer
		cmd.Stdout, cmd.Stderr = &out, &out
		start := time.Now()
		err := cmd.Run()
		elapsed := time.Since(start)
		if err = checkPass(out.Bytes(), err); err != nil {
			r.err, r.stage = err, "run"
			return r
		}
		r.times = append(r.times, elapsed)
	}
	return r
}

// goStdEngine compiles the test binary once in a child process (untimed as
// run time; the child reports the compile) and then runs it -n times, each
// in a fresh child that loads the compiled module and times instantiation
// plus _start, so a run starts from a new process as wasmc's does.
func goStdEngine(cfg config, self, engine string, p goStdPackage) (r goStdResult) {
	artifact := strings.TrimSuffix(p.wasm, ".wasm") + "." + engine
	if !cfg.keep {
		defer os.RemoveAll(artifact)
	}
	job := engineJob{Engine: engine, Op: "compile", Wasm: p.wasm, Artifact: artifact}
	d, out, err := runEngineChild(self, job, cfg.work)
	if err != nil {
		r.err, r.stage = fmt.Errorf("%v: %s", err, head(string(out), 4)), "build"
		return r
	}
	r.compile = d
	job.Op = "run"
	job.Args = []string{filepath.Base(p.wasm), "-test.short"}
	job.Env = goStdEnv(p)
	for range cfg.n {
		d, out, err := runEngineChild(self, job, p.dir)
		if err = checkPass(out, err); err != nil {
			r.err, r.stage = err, "run"
			return r
		}
		r.times = append(r.times, d)
	}
	return r
}

// checkPass says why a test run failed: a nonzero exit or a last line other
// than PASS, which is what `go test` itself looks at.
func checkPass(out []byte, err error) error {
	text := strings.TrimSpace(string(out))
	last := text[strings.LastIndexByte(text, '\n')+1:]
	if err == nil && last == "PASS" {
		return nil
	}
	if err == nil {
		err = fmt.Errorf("exit 0 but the last line is %q", last)
	}
	return fmt.Errorf("%v; output ends:\n%s", err, tailLines(text, 6))
}

// tailLines keeps the last n lines of s: a failing test's report is at the end.
func tailLines(s string, n int) string {
	lines := strings.Split(s, "\n")
	if len(lines) <= n {
		return s
	}
	return fmt.Sprintf("(%d lines before)\n", len(lines)-n) + strings.Join(lines[len(lines)-n:], "\n")
}
