package main

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// goStdPackages are the standard-library packages whose own tests, built for wasip1,
// must pass as wasmc executables (issue 9's acceptance).
var goStdPackages = []string{
	"strconv", "strings", "sort", "math", "unicode/utf8", "encoding/json", "bytes", "fmt",
	"bufio", "os", "io/fs", "path/filepath", "compress/gzip", "archive/zip", "time",
}

// TestGoStdlib builds each package's tests with `GOOS=wasip1 GOARCH=wasm go test -c`,
// compiles them with wasmc and runs them the way Go's lib/wasm/go_wasip1_wasm_exec runs
// them under Wasmtime: the host root preopened as /, PWD the package's directory (Go's
// wasip1 port takes its working directory from it), PATH passed, -test.short. Each must
// print PASS and exit 0. It needs only the go command that runs the tests; -short skips it.
func TestGoStdlib(t *testing.T) {
	needHost(t)
	if testing.Short() {
		t.Skip("builds and runs 15 standard-library test binaries; skipped in -short mode")
	}
	goroot, err := exec.Command("go", "env", "GOROOT").Output()
	if err != nil {
		t.Fatalf("go env GOROOT: %v", err)
	}
	src := filepath.Join(strings.TrimSpace(string(goroot)), "src")
	dir := t.TempDir()
	start := time.Now()
	cmd := exec.Command("go", append([]string{"test", "-c", "-o", dir + "/"}, goStdPackages...)...)
	cmd.Env = append(os.Environ(), "GOOS=wasip1", "GOARCH=wasm")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go test -c: %v\n%s", err, out)
	}
	t.Logf("go test -c of %d packages: %.1f s", len(goStdPackages), time.Since(start).Seconds())
	for _, pkg := range goStdPackages {
		t.Run(pkg, func(t *testing.T) {
			wasm := filepath.Join(dir, filepath.Base(pkg)+".test")
			pkgDir := filepath.Join(src, pkg)
			start := time.Now()
			exe := build(t, wasm, "--dir", "/::/", "--env", "PWD="+pkgDir, "--env", "PATH="+os.Getenv("PATH"))
			built := time.Since(start)
			var out bytes.Buffer
			run := exec.Command(exe, "-test.short")
			run.Dir = pkgDir
			run.Stdout, run.Stderr = &out, &out
			start = time.Now()
			err := run.Run()
			ran := time.Since(start)
			last := strings.TrimSpace(out.String())
			if i := strings.LastIndexByte(last, '\n'); i >= 0 {
				last = last[i+1:]
			}
			if err != nil || last != "PASS" {
				t.Fatalf("%v, last line %q:\n%s", err, last, tail(out.String(), 4000))
			}
			t.Logf("PASS: wasmc build %.1f s, run %.2f s", built.Seconds(), ran.Seconds())
		})
	}
}

// tail returns the last n bytes of s.
func tail(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return "…" + s[len(s)-n:]
}
