package driver_test

import (
	"bytes"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/wasmc/wasmc/backend"
	"github.com/wasmc/wasmc/driver"
	"github.com/wasmc/wasmc/internal/targets"
	"github.com/wasmc/wasmc/internal/targettest"
)

// TestBuildCPU: the code depends on Options.CPU and on nothing else about processors
// (DESIGN.md decision 12): two builds at x86-64-v3 are the same bytes, and differ from the
// x86-64-v2 build, and a level the architecture does not have is a one-line error.
func TestBuildCPU(t *testing.T) {
	isa := amd64ISA(t)
	path := filepath.Join("..", "testdata", "fac.wat")
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	for _, level := range []int{0, 2} {
		o := options(isa, level)
		o.CPU = backend.CPUX8664V3
		a, b := build(t, path, data, o), build(t, path, data, o)
		if !bytes.Equal(a, b) {
			t.Errorf("-O%d x86-64-v3: two builds differ: %d and %d bytes", level, len(a), len(b))
		}
		if bytes.Equal(a, build(t, path, data, options(isa, level))) {
			t.Errorf("-O%d: x86-64-v3 and x86-64-v2 give the same executable (entry checks different levels)", level)
		}
	}
	tg, err := targets.Lookup("linux/arm64")
	if err != nil {
		t.Fatal(err)
	}
	o := options(targettest.NeedISA(t, tg), 0)
	o.CPU = backend.CPUX8664V3
	_, err = driver.Build([]driver.Input{{Path: path, Data: data}}, o)
	if err == nil || strings.Contains(err.Error(), "\n") || !strings.Contains(err.Error(), "--cpu") {
		t.Errorf("x86-64-v3 for arm64: %v, want a one-line --cpu error", err)
	}
}

// TestNoHostCPU keeps the build host's processor out of the code: no package that
// generates code imports a package that reads CPUID (golang.org/x/sys/cpu), so the output
// depends on --cpu only, on any host.
func TestNoHostCPU(t *testing.T) {
	for _, dir := range []string{".", "../backend", "../amd64", "../arm64", "../regalloc", "../ir", "../frontend", "../rtlib"} {
		files, err := filepath.Glob(filepath.Join(dir, "*.go"))
		if err != nil || len(files) == 0 {
			t.Fatalf("%s: no Go files (%v)", dir, err)
		}
		for _, file := range files {
			if strings.HasSuffix(file, "_test.go") {
				continue
			}
			f, err := parser.ParseFile(token.NewFileSet(), file, nil, parser.ImportsOnly)
			if err != nil {
				t.Fatal(err)
			}
			for _, imp := range f.Imports {
				if p, _ := strconv.Unquote(imp.Path.Value); p == "golang.org/x/sys/cpu" || p == "internal/cpu" {
					t.Errorf("%s imports %s: the code would depend on the build host", file, p)
				}
			}
		}
	}
}
