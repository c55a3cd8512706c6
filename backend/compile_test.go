package backend_test

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"testing"

	"github.com/wasmc/wasmc/amd64"
	"github.com/wasmc/wasmc/backend"
	"github.com/wasmc/wasmc/frontend"
	"github.com/wasmc/wasmc/ir"
)

// largeModule is the large Go module of the benchmarks: a GOOS=wasip1 program of about
// 6.5 MB and 4.4k functions, compiled from testdata/programs/gobig.
var largeModule = filepath.Join("..", "testdata", "programs", "gobig", "gobig.wasm")

// lowerLarge decodes, validates, lowers and optimizes the large module at level. The
// frontend and ir are not what these tests measure, so each level is built once.
func lowerLarge(tb testing.TB, level int) (*ir.Module, []byte) {
	tb.Helper()
	buf, err := os.ReadFile(largeModule)
	if err != nil {
		tb.Fatal(err)
	}
	m, err := lowerWasm(buf, level)
	if err != nil {
		tb.Fatal(err)
	}
	return m, buf
}

func lowerWasm(buf []byte, level int) (*ir.Module, error) {
	wm, err := frontend.Decode(buf)
	if err != nil {
		return nil, err
	}
	if err := frontend.Validate(wm); err != nil {
		return nil, err
	}
	m, err := frontend.Lower(wm)
	if err != nil {
		return nil, err
	}
	if err := ir.RunModule(m, ir.Config{Level: level}); err != nil {
		return nil, err
	}
	return m, nil
}

// TestCompileLarge compiles every function of the large module at -O0 and -O2 with the
// allocation checker on: none may fail any stage. A failure is reported per function.
func TestCompileLarge(t *testing.T) {
	if testing.Short() {
		t.Skip("the large module takes seconds to compile")
	}
	for _, level := range []int{0, 2} {
		t.Run(fmt.Sprintf("O%d", level), func(t *testing.T) {
			m, _ := lowerLarge(t, level)
			var timings backend.Timings
			p, err := backend.Compile(m, amd64.New(), backend.Config{Check: true, Timings: &timings})
			if err != nil {
				reportFuncErrors(t, err)
				return
			}
			defined := 0
			for i, f := range m.Funcs {
				if f.IsImport() != (p.Code[i] == nil) {
					t.Errorf("$%s: import %v but code %v", f.Name, f.IsImport(), p.Code[i] != nil)
				}
				if !f.IsImport() {
					defined++
				}
			}
			t.Logf("-O%d: %d functions compiled, %d bytes of code; select %v, regalloc %v, check %v, finish %v, encode %v, wall %v",
				level, defined, p.CodeSize(), timings.Select, timings.Regalloc, timings.Check, timings.Finish, timings.Encode, timings.Wall)
		})
	}
}

// reportFuncErrors lists each failing function on its own line.
func reportFuncErrors(t *testing.T, err error) {
	t.Helper()
	var errs []error
	if j, ok := err.(interface{ Unwrap() []error }); ok {
		errs = j.Unwrap()
	} else {
		errs = []error{err}
	}
	for _, e := range errs {
		var fe *backend.FuncError
		if errors.As(e, &fe) && fe.Stack != "" {
			t.Errorf("%v\n%s", fe, fe.Stack)
			continue
		}
		t.Error(e)
	}
	t.Errorf("%d functions failed", len(errs))
}

// BenchmarkCompile measures the backend alone (Compile, without frontend or IR passes) on
// the large module, in MB/s of wasm input, with the code size and functions per second.
func BenchmarkCompile(b *testing.B) {
	for _, level := range []int{0, 2} {
		b.Run(fmt.Sprintf("O%d", level), func(b *testing.B) {
			m, buf := lowerLarge(b, level)
			b.SetBytes(int64(len(buf)))
			var p *backend.Program
			for b.Loop() {
				var err error
				if p, err = backend.Compile(m, amd64.New(), backend.Config{}); err != nil {
					b.Fatal(err)
				}
			}
			defined := 0
			for _, c := range p.Code {
				if c != nil {
					defined++
				}
			}
			b.ReportMetric(float64(p.CodeSize()), "code-bytes")
			b.ReportMetric(float64(defined)*float64(b.N)/b.Elapsed().Seconds(), "funcs/s")
		})
	}
}

// TestCompileStreams compiles the large module with bodies built on demand, as the driver
// does (Config.Prepare: build, then the -O2 passes), and checks that every body is
// released once its code exists and that the code is byte for byte what compiling the
// module lowered whole gives.
func TestCompileStreams(t *testing.T) {
	if testing.Short() {
		t.Skip("the large module takes seconds to compile")
	}
	whole, buf := lowerLarge(t, 2)
	want, err := backend.Compile(whole, amd64.New(), backend.Config{})
	if err != nil {
		t.Fatal(err)
	}
	wm, err := frontend.Decode(buf)
	if err != nil {
		t.Fatal(err)
	}
	lazy, err := frontend.LowerLazy(wm)
	if err != nil {
		t.Fatal(err)
	}
	prepare := func(f *ir.Func) error {
		if err := f.Load(); err != nil {
			return err
		}
		return ir.RunPipeline(f, ir.Config{Level: 2})
	}
	got, err := backend.Compile(lazy, amd64.New(), backend.Config{Prepare: prepare})
	if err != nil {
		t.Fatal(err)
	}
	for i, f := range lazy.Funcs {
		if f.IsImport() {
			continue
		}
		if !f.Lazy() {
			t.Errorf("$%s keeps its body after compiling", f.Name)
		}
		if !bytes.Equal(got.Code[i].Bytes, want.Code[i].Bytes) || !slices.Equal(got.Code[i].Relocs, want.Code[i].Relocs) {
			t.Fatalf("$%s: the code compiled from a body built on demand differs", f.Name)
		}
	}
}
