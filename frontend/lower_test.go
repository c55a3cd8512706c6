package frontend_test

import (
	"bytes"
	"crypto/sha256"
	"errors"
	"flag"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"golang.org/x/tools/txtar"

	"github.com/wasmc/wasmc/frontend"
	"github.com/wasmc/wasmc/frontend/wat"
	"github.com/wasmc/wasmc/ir"
)

var update = flag.Bool("update", false, "rewrite golden files")

// specDir is the WebAssembly 2.0 spec test suite, shared by the team outside the repo.
const specDir = "../../shared/spec/wasm-2.0"

// largeModule is the large Go module of the benchmarks (GOOS=wasip1, 6.5 MB, 4.4k functions).
var largeModule = filepath.Join("..", "testdata", "programs", "gobig", "gobig.wasm")

func errorLines(errs []error) string {
	var b strings.Builder
	for _, e := range errs {
		b.WriteString(e.Error())
		b.WriteByte('\n')
	}
	return b.String()
}

// TestLower is the golden test of lowering: each testdata/lower/*.txtar says in its
// comment why it exists, holds a module in in.wat, and either the printed IR in want.ir
// or, for a module lowering must refuse, the error in want.err. The IR must verify and
// survive a round trip through the IR's text parser.
func TestLower(t *testing.T) {
	files, _ := filepath.Glob("testdata/lower/*.txtar")
	if len(files) == 0 {
		t.Fatal("no testdata/lower/*.txtar")
	}
	for _, path := range files {
		t.Run(strings.TrimSuffix(filepath.Base(path), ".txtar"), func(t *testing.T) {
			a, err := txtar.ParseFile(path)
			if err != nil {
				t.Fatal(err)
			}
			if len(bytes.TrimSpace(a.Comment)) == 0 {
				t.Errorf("%s: the comment must say why the case exists", path)
			}
			var src []byte
			want, wantName := "", "want.ir"
			for _, f := range a.Files {
				switch f.Name {
				case "in.wat":
					src = f.Data
				case "want.ir", "want.err":
					want, wantName = string(f.Data), f.Name
				}
			}
			m, err := wat.ParseModule("in.wat", src)
			if err != nil {
				t.Fatal(err)
			}
			if err := frontend.Validate(m); err != nil {
				t.Fatal(err)
			}
			out, err := frontend.Lower(m)
			var got string
			if wantName == "want.err" {
				var ue *frontend.UnsupportedError
				if !errors.As(err, &ue) {
					t.Fatalf("Lower: got error %v, want an *UnsupportedError", err)
				}
				got = err.Error() + "\n"
			} else {
				if err != nil {
					t.Fatal(err)
				}
				if errs := ir.VerifyModule(out); len(errs) > 0 {
					t.Errorf("lowered module does not verify:\n%s\n%s", errorLines(errs), out)
				}
				got = out.String()
				back, err := ir.Parse(got)
				if err != nil {
					t.Errorf("the printed IR does not parse: %v", err)
				} else if again := back.String(); again != got {
					t.Errorf("the printed IR does not round-trip:\n%s", cmp.Diff(got, again))
				}
			}
			if *update {
				updateSection(t, path, a, wantName, got)
				return
			}
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("%s: %s mismatch (-want +got):\n%s\nrun go test ./frontend -run TestLower -update to accept",
					path, wantName, diff)
			}
		})
	}
}

// updateSection rewrites section name of the archive at path, adding it if missing.
func updateSection(t *testing.T, path string, a *txtar.Archive, name, got string) {
	found := false
	for i := range a.Files {
		if a.Files[i].Name == name {
			a.Files[i].Data, found = []byte(got), true
		}
	}
	if !found {
		a.Files = append(a.Files, txtar.File{Name: name, Data: []byte(got)})
	}
	if err := os.WriteFile(path, txtar.Format(a), 0o644); err != nil {
		t.Fatal(err)
	}
}

// TestLowerNames checks how functions are named: the name section's names first, a
// repeated one made unique with #index; $f<index> for the others, with the same suffix
// when the section already uses that name. The text format cannot repeat a name, so the
// section is set by hand.
func TestLowerNames(t *testing.T) {
	m, err := wat.ParseModule("names.wat", []byte(`(module (func) (func) (func) (func) (func))`))
	if err != nil {
		t.Fatal(err)
	}
	m.Names = &frontend.Names{Funcs: []frontend.NameAssoc{{Index: 0, Name: "a"}, {Index: 1, Name: "a"}, {Index: 2, Name: "f3"}}}
	out, err := frontend.Lower(m)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, f := range out.Funcs {
		got = append(got, f.Name)
	}
	if want := []string{"a", "a#1", "f3", "f3#3", "f4"}; !slices.Equal(got, want) {
		t.Errorf("names %q, want %q", got, want)
	}
	if errs := ir.VerifyModule(out); len(errs) > 0 {
		t.Errorf("does not verify:\n%s", errorLines(errs))
	}
}

// TestLowerTooManyLocals: a valid body may declare 2^32-1 locals in a few bytes; lowering
// refuses more than 2^24 with a typed error instead of running out of memory.
func TestLowerTooManyLocals(t *testing.T) {
	m, err := wat.ParseModule("locals.wat", []byte(`(module (func (local i32)))`))
	if err != nil {
		t.Fatal(err)
	}
	m.Codes[0].Locals[0].Count = 1<<32 - 1
	if err := frontend.Validate(m); err != nil {
		t.Fatal(err)
	}
	_, err = frontend.Lower(m)
	if !errors.Is(err, frontend.ErrTooManyLocals) {
		t.Errorf("Lower: %v, want ErrTooManyLocals", err)
	}
}

// specFiles returns the suite's scripts. Without the suite the test is skipped, except
// under CI, where a missing suite is a failure.
func specFiles(t *testing.T) []string {
	files, _ := filepath.Glob(filepath.Join(specDir, "*.wast"))
	if len(files) == 0 {
		if os.Getenv("CI") == "true" {
			t.Fatalf("spec suite not found at %s", specDir)
		}
		t.Skipf("spec suite not found at %s", specDir)
	}
	return files
}

// TestLowerSpec lowers every module of the spec suite that must instantiate or be
// linked (module, assert_trap, assert_unlinkable and assert_uninstantiable commands)
// and verifies the IR. Nothing may be refused: SIMD is lowered too.
func TestLowerSpec(t *testing.T) {
	var lowered, failed, funcs int
	for _, file := range specFiles(t) {
		src, err := os.ReadFile(file)
		if err != nil {
			t.Fatal(err)
		}
		sc, err := wat.ParseScript(filepath.Base(file), src)
		if err != nil {
			t.Errorf("%v", err)
			continue
		}
		for _, cmd := range sc.Commands {
			if cmd.Module == nil || cmd.Kind == wat.CmdAssertMalformed || cmd.Kind == wat.CmdAssertInvalid {
				continue
			}
			where := func() string { return sc.File + ":" + strconv.Itoa(cmd.Line) }
			m, err := cmd.Module.Load()
			if err != nil {
				t.Errorf("%s: %v", where(), err)
				failed++
				continue
			}
			if err := frontend.Validate(m); err != nil {
				t.Errorf("%s: %v", where(), err)
				failed++
				continue
			}
			out, err := frontend.Lower(m)
			if err != nil {
				t.Errorf("%s: %v", where(), err)
				failed++
				continue
			}
			if errs := ir.VerifyModule(out); len(errs) > 0 {
				t.Errorf("%s: lowered module does not verify:\n%s", where(), errorLines(errs))
				failed++
				continue
			}
			lowered++
			funcs += len(out.Funcs)
		}
	}
	t.Logf("spec suite: %d modules lowered and verified (%d functions), %d failed", lowered, funcs, failed)
}

func loadLarge(tb testing.TB) (*frontend.Module, int) {
	buf, err := os.ReadFile(largeModule)
	if err != nil {
		tb.Fatal(err)
	}
	m, err := frontend.Decode(buf)
	if err != nil {
		tb.Fatal(err)
	}
	if err := frontend.Validate(m); err != nil {
		tb.Fatal(err)
	}
	return m, len(buf)
}

// TestLowerLargeModule lowers the large Go module, verifies every function, and checks
// that parallel lowering is deterministic: two runs print the same module.
func TestLowerLargeModule(t *testing.T) {
	m, _ := loadLarge(t)
	out, err := frontend.Lower(m)
	if err != nil {
		t.Fatal(err)
	}
	if errs := ir.VerifyModule(out); len(errs) > 0 {
		if len(errs) > 20 {
			errs = errs[:20]
		}
		t.Fatalf("the large module does not verify:\n%s", errorLines(errs))
	}
	if testing.Short() {
		return
	}
	first := sha256.Sum256([]byte(out.String()))
	prev := runtime.GOMAXPROCS(1)
	again, err := frontend.Lower(m)
	runtime.GOMAXPROCS(prev)
	if err != nil {
		t.Fatal(err)
	}
	if sha256.Sum256([]byte(again.String())) != first {
		t.Error("lowering with GOMAXPROCS=1 prints a different module than in parallel")
	}
	var instrs int
	for _, f := range out.Funcs {
		instrs += len(f.Instrs)
	}
	t.Logf("large module: %d functions, %d instructions", len(out.Funcs), instrs)
}

// BenchmarkLower measures lowering of the large Go module in MB/s of module.
func BenchmarkLower(b *testing.B) {
	m, size := loadLarge(b)
	b.SetBytes(int64(size))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := frontend.Lower(m); err != nil {
			b.Fatal(err)
		}
	}
}

// TestLargeModuleO2 runs the -O2 pipeline over the lowered large Go module with the
// verifier after every pass, as DESIGN.md asks of every pass in tests.
func TestLargeModuleO2(t *testing.T) {
	if testing.Short() {
		t.Skip("slow: -short")
	}
	m, _ := loadLarge(t)
	out, err := frontend.Lower(m)
	if err != nil {
		t.Fatal(err)
	}
	if err := ir.RunModule(out, ir.Config{Level: 2, Verify: true}); err != nil {
		t.Fatal(err)
	}
	if errs := ir.VerifyModule(out); len(errs) > 0 {
		t.Fatalf("after -O2: %v", errs[0])
	}
}

// BenchmarkLowerO2 measures lowering plus the -O2 pipeline, in MB/s of module.
func BenchmarkLowerO2(b *testing.B) {
	m, size := loadLarge(b)
	b.SetBytes(int64(size))
	for b.Loop() {
		out, err := frontend.Lower(m)
		if err != nil {
			b.Fatal(err)
		}
		if err := ir.RunModule(out, ir.Config{Level: 2}); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkOptimizeO2 measures the -O2 pipeline alone, in MB/s of module.
func BenchmarkOptimizeO2(b *testing.B) {
	m, size := loadLarge(b)
	b.SetBytes(int64(size))
	for b.Loop() {
		b.StopTimer()
		out, err := frontend.Lower(m)
		if err != nil {
			b.Fatal(err)
		}
		b.StartTimer()
		if err := ir.RunModule(out, ir.Config{Level: 2}); err != nil {
			b.Fatal(err)
		}
	}
}
