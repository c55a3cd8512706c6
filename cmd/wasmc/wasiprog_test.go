package main

import (
	"bytes"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/wasmc/wasmc/internal/targettest"
	"github.com/wasmc/wasmc/internal/wasifixture"
)

// wasiProgramsDir holds the WASI programs, their fixture and their goldens.
var wasiProgramsDir = filepath.Join("..", "..", "testdata", "programs", "wasi")

// TestWASIPrograms builds every program of testdata/programs/wasi that has a golden file
// for each target and runs each of its runs in a fresh copy of the fixture, once with the
// openat2 resolver and once with the component-by-component walk: stdout and the exit
// status must be what Wasmtime gave, and nothing outside the preopened directories may
// change. The main run goes through `wasmc run` as well. Another architecture's
// executables run under its emulator; the goldens are the same.
func TestWASIPrograms(t *testing.T) {
	fx, err := wasifixture.Parse(filepath.Join(wasiProgramsDir, "fixture.txt"))
	if err != nil {
		t.Fatal(err)
	}
	goldens, _ := filepath.Glob(filepath.Join(wasiProgramsDir, "*", "*.golden"))
	if len(goldens) == 0 {
		t.Fatalf("no golden files under %s", wasiProgramsDir)
	}
	// `wasmc run` caches in a directory of this test's. (t.Setenv would forbid the
	// parallel subtests; Cleanup runs after them.)
	old, had := os.LookupEnv(cacheEnv)
	os.Setenv(cacheEnv, t.TempDir())
	t.Cleanup(func() {
		if had {
			os.Setenv(cacheEnv, old)
		} else {
			os.Unsetenv(cacheEnv)
		}
	})
	targettest.Each(t, func(t *testing.T, x targettest.Exec) {
		testWASIPrograms(t, x, fx, goldens)
	})
}

func testWASIPrograms(t *testing.T, x targettest.Exec, fx *wasifixture.Fixture, goldens []string) {
	for _, golden := range goldens {
		rel, _ := filepath.Rel(wasiProgramsDir, golden)
		t.Run(strings.TrimSuffix(filepath.ToSlash(rel), ".golden"), func(t *testing.T) {
			t.Parallel()
			g, err := wasifixture.ReadGolden(golden)
			if err != nil {
				t.Fatal(err)
			}
			departFromWasmtime(g, strings.TrimSuffix(filepath.ToSlash(rel), ".golden"))
			wasm := strings.TrimSuffix(golden, ".golden") + ".wasm"
			for _, mode := range []string{"openat2", "walk"} {
				t.Run(mode, func(t *testing.T) {
					root := t.TempDir()
					tree := filepath.Join(root, "tree")
					flags := fixtureFlags(fx, tree)
					if mode == "walk" {
						flags = append(flags, "--sandbox-walk")
					}
					// --dir must exist when the executable is built; checkRun builds
					// the tree afresh at the same path for each run.
					if err := fx.Build(tree); err != nil {
						t.Fatal(err)
					}
					exe := buildFor(t, x, wasm, flags...)
					for _, name := range runNames(g) {
						checkRun(t, fx, tree, name, g.Runs[name], func(args []string) (string, int) {
							return runWithStdin(t, x, exe, args, fx.Stdin)
						})
					}
				})
			}
			if _, ok := g.Runs[wasifixture.MainRun]; ok {
				t.Run("wasmc-run", func(t *testing.T) {
					tree := filepath.Join(t.TempDir(), "tree")
					args := append(append([]string{"run", "--target", x.Name}, fixtureFlags(fx, tree)...), wasm)
					checkRun(t, fx, tree, wasifixture.MainRun, g.Runs[wasifixture.MainRun], func(progArgs []string) (string, int) {
						var out, errb bytes.Buffer
						cmd := newRootCmd()
						cmd.SetArgs(append(args, progArgs...))
						cmd.SetIn(strings.NewReader(fx.Stdin))
						cmd.SetOut(&out)
						cmd.SetErr(&errb)
						err := cmd.Execute()
						var ee *exitError
						switch {
						case err == nil:
							return out.String(), 0
						case errors.As(err, &ee):
							return out.String(), ee.code
						}
						t.Fatalf("wasmc run: %v\n%s", err, errb.String())
						return "", 0
					})
				})
			}
		})
	}
}

// departures are the runs where wasmc differs from Wasmtime by design, by program and run,
// with the status wasmc gives: proc_exit(n) exits with n for every n a native program can
// exit with (DESIGN.md decision 8), where Wasmtime's CLI refuses 126 and up with status 1.
// The goldens stay Wasmtime's, as bench/wasiref records them.
var departures = map[string]map[string]int{
	"c/oob": {"proc_exit_126": 126, "proc_exit_255": 255},
}

// departFromWasmtime applies departures to the golden of program prog.
func departFromWasmtime(g *wasifixture.Golden, prog string) {
	for run, status := range departures[prog] {
		r := g.Runs[run]
		r.Status = status
		g.Runs[run] = r
	}
}

// fixtureFlags are the capability flags that give a program the fixture built at tree.
func fixtureFlags(fx *wasifixture.Fixture, tree string) []string {
	var flags []string
	for _, p := range fx.Preopens {
		flags = append(flags, "--dir", filepath.Join(tree, p.Path)+"::"+p.Guest)
	}
	for _, e := range fx.Env {
		flags = append(flags, "--env", e)
	}
	return flags
}

func runNames(g *wasifixture.Golden) []string {
	var names []string
	for name := range g.Runs {
		names = append(names, name)
	}
	sort.Strings(names)
	return names
}

// checkRun builds the fixture afresh at tree, runs the program through exec and compares
// the outcome with want and the tree outside the preopens with what it was.
func checkRun(t *testing.T, fx *wasifixture.Fixture, tree, name string, want wasifixture.Run, exec func(args []string) (string, int)) {
	t.Helper()
	if err := os.RemoveAll(tree); err != nil {
		t.Fatal(err)
	}
	if err := fx.Build(tree); err != nil {
		t.Fatal(err)
	}
	before, err := fx.Snapshot(tree)
	if err != nil {
		t.Fatal(err)
	}
	stdout, status := exec(fx.RunArgs(name))
	after, err := fx.Snapshot(tree)
	if err != nil {
		t.Fatal(err)
	}
	if d := wasifixture.Diff(before, after); d != "" {
		t.Errorf("run %s changed the tree outside the preopened directories:\n%s", name, d)
	}
	if d := cmp.Diff(want.Stdout, stdout); d != "" {
		t.Errorf("run %s: stdout differs from Wasmtime's (-want +got):\n%s", name, d)
	}
	if status != want.Status {
		t.Errorf("run %s: exit status %d, Wasmtime's is %d", name, status, want.Status)
	}
}

// runWithStdin runs exe through x's runner with args and stdin and returns its stdout and
// exit status.
func runWithStdin(t *testing.T, x targettest.Exec, exe string, args []string, stdin string) (string, int) {
	t.Helper()
	var out, errb bytes.Buffer
	c := x.Runner.Command(exe, args...)
	c.Stdin = strings.NewReader(stdin)
	c.Stdout, c.Stderr = &out, &errb
	err := c.Run()
	var ee *exec.ExitError
	switch {
	case err == nil:
		return out.String(), 0
	case errors.As(err, &ee):
		if ee.ExitCode() < 0 {
			t.Errorf("%s killed: %v\nstderr: %s", exe, err, errb.String())
		}
		return out.String(), ee.ExitCode()
	}
	t.Fatal(err)
	return "", 0
}
