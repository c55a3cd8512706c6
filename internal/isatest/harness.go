// Package isatest holds the execution tests every ISA package runs: IR functions compiled by
// the ISA and run natively (or under the architecture's emulator) must give the results or
// the trap the IR interpreter gives. Each ISA supplies only how to link a test executable
// ([Harness.Link]); the cases and the comparison are written once, here.
//
// It is imported by the ISA packages' own tests, so it imports none of them (nor
// internal/targets, which does).
package isatest

import (
	"bytes"
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/wasmc/wasmc/internal/runexe"
	"github.com/wasmc/wasmc/ir"
)

// Harness runs IR modules natively for one ISA.
type Harness struct {
	// GOARCH is the executables' architecture, as GOARCH spells it.
	GOARCH string
	// Link builds an executable that calls export with args and writes each result to
	// stdout as 8 little-endian bytes, or on a trap writes the byte 'A'+code and exits
	// 134: the ISA's test runtime (its link_test.go).
	Link func(t testing.TB, m *ir.Module, export string, args []ir.Val) []byte
}

// Invocation is one call of an export.
type Invocation struct {
	Export string
	Args   []ir.Val
}

// Call is an Invocation.
func Call(export string, args ...ir.Val) Invocation { return Invocation{export, args} }

// I32, I64, F32 and F64 are argument values.
func I32(x int32) ir.Val   { return ir.I32Val(x) }
func I64(x int64) ir.Val   { return ir.I64Val(x) }
func F32(x float32) ir.Val { return ir.F32Val(x) }
func F64(x float64) ir.Val { return ir.F64Val(x) }

// Outcome is what a run produced: results, or a trap.
type Outcome struct {
	Results []ir.Val
	Trap    ir.TrapCode
}

func (o Outcome) String() string {
	if o.Trap != ir.TrapNone {
		return "trap " + o.Trap.String()
	}
	s := make([]string, len(o.Results))
	for i, r := range o.Results {
		s[i] = r.String()
	}
	return strings.Join(s, ", ")
}

// runner is how this host runs h's executables: itself, or the emulator. Without a way the
// test skips, except under CI=true, where nothing the tests need may be missing.
func (h *Harness) runner(t testing.TB) *runexe.Runner {
	t.Helper()
	r, err := runexe.For(h.GOARCH)
	if err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("under CI=true nothing the tests need may be missing: %v", err)
		}
		t.Skip(err)
	}
	return r
}

// RequireNative skips (or, under CI=true, fails) t when this host cannot run h's
// executables.
func (h *Harness) RequireNative(t testing.TB) {
	t.Helper()
	h.runner(t)
}

// RunDiff checks every invocation of the module in IR text src against the interpreter.
func (h *Harness) RunDiff(t *testing.T, src string, calls ...Invocation) {
	t.Helper()
	h.RequireNative(t)
	for _, c := range calls {
		want := interpret(t, src, c)
		got := h.RunModule(t, ParseModule(t, src), c)
		if !sameOutcome(want, got) {
			t.Errorf("%s(%v): native %v, interpreter %v", c.Export, c.Args, got, want)
			continue
		}
		t.Logf("%s(%v) = %v", c.Export, c.Args, got)
	}
}

// ParseModule parses and verifies IR text.
func ParseModule(t testing.TB, src string) *ir.Module {
	t.Helper()
	m, err := ir.Parse(src)
	if err != nil {
		t.Fatalf("parse: %v", err)
	}
	if errs := ir.VerifyModule(m); len(errs) > 0 {
		t.Fatalf("verify: %v", errors.Join(errs...))
	}
	return m
}

func interpret(t *testing.T, src string, c Invocation) Outcome {
	t.Helper()
	m := ParseModule(t, src)
	inst, err := ir.Instantiate(m, nil, ir.InterpConfig{})
	if err != nil {
		t.Fatalf("instantiate: %v", err)
	}
	res, err := inst.Invoke(c.Export, c.Args)
	var trap *ir.Trap
	if errors.As(err, &trap) {
		return Outcome{Trap: trap.Code}
	}
	if err != nil {
		t.Fatalf("interpreter: %s(%v): %v", c.Export, c.Args, err)
	}
	return Outcome{Results: res}
}

// RunModule links, writes and runs an executable for c.
func (h *Harness) RunModule(t *testing.T, m *ir.Module, c Invocation) Outcome {
	t.Helper()
	r := h.runner(t)
	exe := h.Link(t, m, c.Export, c.Args)
	// A directory per run, removed at once: t.TempDir's cleanup is far slower here.
	dir, err := os.MkdirTemp("", "wasmc-"+h.GOARCH+"-")
	if err != nil {
		t.Fatal(err)
	}
	defer os.RemoveAll(dir)
	path := filepath.Join(dir, "prog")
	if err := os.WriteFile(path, exe, 0o755); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	cmd := r.CommandContext(ctx, path)
	var stdout bytes.Buffer
	cmd.Stdout = &stdout
	err = cmd.Run()
	out := stdout.Bytes()
	var exit interface{ ExitCode() int }
	switch {
	case err == nil:
	case errors.As(err, &exit) && exit.ExitCode() == 134 && len(out) == 1:
		return Outcome{Trap: ir.TrapCode(out[0] - 'A')}
	default:
		t.Fatalf("%s(%v): %v (stdout % x)", c.Export, c.Args, err, out)
	}
	var f *ir.Func
	for _, e := range m.Exports {
		if e.Name == c.Export {
			f = m.Funcs[e.Index]
		}
	}
	if len(out) != 8*len(f.Sig.Results) {
		t.Fatalf("%s(%v): %d bytes of results for %d results", c.Export, c.Args, len(out), len(f.Sig.Results))
	}
	var o Outcome
	for i, rt := range f.Sig.Results {
		bits := binary.LittleEndian.Uint64(out[8*i:])
		if rt == ir.F32 {
			bits = uint64(uint32(bits)) // the upper half of a float register is not part of an f32
		}
		o.Results = append(o.Results, ir.Val{Type: rt, Bits: bits})
	}
	return o
}

// sameOutcome compares bit for bit, except that any NaN matches a NaN: wasm lets float ops
// return any NaN (ir/ops.go).
func sameOutcome(want, got Outcome) bool {
	if want.Trap != got.Trap || len(want.Results) != len(got.Results) {
		return false
	}
	for i, w := range want.Results {
		g := got.Results[i]
		switch w.Type {
		case ir.F32:
			if math.IsNaN(float64(math.Float32frombits(uint32(w.Bits)))) && math.IsNaN(float64(math.Float32frombits(uint32(g.Bits)))) {
				continue
			}
		case ir.F64:
			if math.IsNaN(math.Float64frombits(w.Bits)) && math.IsNaN(math.Float64frombits(g.Bits)) {
				continue
			}
		case ir.FuncRef, ir.ExternRef:
			continue // the interpreter's references are Go values
		}
		if w.Bits != g.Bits {
			return false
		}
	}
	return true
}

// Module builds IR text from lines, exporting every function named in exports.
func Module(decls string, exports ...string) string {
	var b strings.Builder
	b.WriteString(decls)
	for _, e := range exports {
		fmt.Fprintf(&b, "export %q func $%s\n", e, e)
	}
	return b.String()
}
