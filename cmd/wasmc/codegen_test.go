package main

import (
	"github.com/spf13/pflag"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/wasmc/wasmc/internal/asmcheck"
	"github.com/wasmc/wasmc/internal/targets"
	"github.com/wasmc/wasmc/internal/targettest"
)

// TestCodegen builds each testdata/codegen/*.wat at -O2 and checks its functions' machine
// code against the asmcheck lines beside them (internal/asmcheck): the stable complement of
// the isel goldens, which pins what DESIGN.md promises of -O2 code and no more. It runs,
// as a subtest per architecture, for every architecture asmcheck can disassemble whose
// linux target is ready; the others skip with the target table's reason.
func TestCodegen(t *testing.T) {
	files, err := filepath.Glob(filepath.Join("..", "..", "testdata", "codegen", "*.wat"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no testdata/codegen/*.wat (%v)", err)
	}
	for _, path := range files {
		t.Run(strings.TrimSuffix(filepath.Base(path), ".wat"), func(t *testing.T) {
			src, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			// Positions relative to the repository root, as a reader finds the file.
			checks, err := asmcheck.Parse(filepath.ToSlash(filepath.Join("testdata", "codegen", filepath.Base(path))), src)
			if err != nil {
				t.Fatal(err)
			}
			if len(checks) == 0 {
				t.Fatal("no check lines: a codegen test must check something")
			}
			for _, c := range checks {
				if !slices.Contains(asmcheck.Arches(), c.Arch) {
					t.Logf("%s:%d: %s check not run: no %s disassembler yet", c.File, c.Line, c.Arch, c.Arch)
				}
			}
			for _, arch := range asmcheck.Arches() {
				if !slices.ContainsFunc(checks, func(c asmcheck.Check) bool { return c.Arch == arch }) {
					continue
				}
				t.Run(arch, func(t *testing.T) {
					tg, err := targets.Lookup("linux/" + arch)
					if err != nil {
						t.Fatal(err)
					}
					targettest.NeedISA(t, tg)
					exe, err := buildCodegen(path, tg.Name)
					if err != nil {
						t.Fatal(err)
					}
					got, d, err := asmcheck.ELF(exe)
					if err != nil {
						t.Fatal(err)
					}
					if got != arch {
						t.Fatalf("%s built a %s executable", tg.Name, got)
					}
					for _, err := range asmcheck.Run(checks, arch, d) {
						t.Error(err)
					}
				})
			}
		})
	}
}

// boundsDirective is a codegen file's line that builds it with another --bounds-checks,
// cpuDirective one that builds it with --cpu (whose level names one architecture, so such
// a file checks that architecture only).
var (
	boundsDirective = regexp.MustCompile(`(?m)^;; bounds-checks: (\w+)$`)
	cpuDirective    = regexp.MustCompile(`(?m)^;; cpu: ([\w.-]+)$`)
)

// buildCodegen compiles the module at path at -O2 for target, as `wasmc build -O2` does
// (with the file's ";; bounds-checks: MODE" and ";; cpu: LEVEL" if it has them), without
// writing anything.
func buildCodegen(path, target string) ([]byte, error) {
	var o buildOptions
	o.register(pflag.NewFlagSet("build", pflag.ContinueOnError)) // the flags' defaults
	o.target, o.level = target, levelFlag{"2"}
	src, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	if m := boundsDirective.FindSubmatch(src); m != nil {
		o.bounds = string(m[1])
	}
	if m := cpuDirective.FindSubmatch(src); m != nil {
		o.cpu = string(m[1])
	}
	opts, err := o.options("build")
	if err != nil {
		return nil, err
	}
	opts.RequireEntry = false // the files are libraries, built for their code
	return buildFile(path, opts)
}
