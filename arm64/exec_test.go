package arm64

import (
	"bytes"
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/wasmc/wasmc/ir"
)

// Execution tests: each call of an exported function runs twice, in the IR interpreter and
// as a native executable (link_test.go), and the results or traps must agree. Native results
// are compared as all 8 bytes the ABI returns, so an i32 with a dirty upper half fails. On a
// host that is not linux/arm64 the executables run under qemu-aarch64-static (binfmt may not
// be set up, so the emulator is called explicitly); the tests skip without it, except under
// CI=true, where a missing emulator fails them.

// invocation is one call of an export.
type invocation struct {
	export string
	args   []ir.Val
}

func call(export string, args ...ir.Val) invocation { return invocation{export, args} }

func i32(x int32) ir.Val   { return ir.I32Val(x) }
func i64(x int64) ir.Val   { return ir.I64Val(x) }
func f32(x float32) ir.Val { return ir.F32Val(x) }
func f64(x float64) ir.Val { return ir.F64Val(x) }

// outcome is what a run produced: results, or a trap.
type outcome struct {
	results []ir.Val
	trap    ir.TrapCode
}

func (o outcome) String() string {
	if o.trap != ir.TrapNone {
		return "trap " + o.trap.String()
	}
	s := make([]string, len(o.results))
	for i, r := range o.results {
		s[i] = r.String()
	}
	return strings.Join(s, ", ")
}

// emulator is the command that runs a linux/arm64 executable here: none on a linux/arm64
// host, else qemu-aarch64-static, or "" when there is no way.
func emulator() (cmd string, ok bool) {
	if runtime.GOOS != "linux" {
		return "", false
	}
	if runtime.GOARCH == "arm64" {
		return "", true
	}
	if _, err := exec.LookPath("qemu-aarch64-static"); err == nil {
		return "qemu-aarch64-static", true
	}
	return "", false
}

func requireNative(t testing.TB) {
	t.Helper()
	if _, ok := emulator(); ok {
		return
	}
	msg := fmt.Sprintf("linux/arm64 code runs only on linux/arm64 or under qemu-aarch64-static, not on %s/%s", runtime.GOOS, runtime.GOARCH)
	if os.Getenv("CI") == "true" {
		t.Fatal(msg)
	}
	t.Skip(msg)
}

// runCommand is the command that runs the arm64 executable at path.
func runCommand(ctx context.Context, path string) *exec.Cmd {
	if emu, _ := emulator(); emu != "" {
		return exec.CommandContext(ctx, emu, path)
	}
	return exec.CommandContext(ctx, path)
}

// runDiff checks every invocation against the interpreter.
func runDiff(t *testing.T, src string, calls ...invocation) {
	t.Helper()
	requireNative(t)
	for _, c := range calls {
		want := interpret(t, src, c)
		got := runNative(t, src, c)
		if !sameOutcome(want, got) {
			t.Errorf("%s(%v): native %v, interpreter %v", c.export, c.args, got, want)
			continue
		}
		t.Logf("%s(%v) = %v", c.export, c.args, got)
	}
}

func interpret(t *testing.T, src string, c invocation) outcome {
	t.Helper()
	m := parseModule(t, src)
	inst, err := ir.Instantiate(m, nil, ir.InterpConfig{})
	if err != nil {
		t.Fatalf("instantiate: %v", err)
	}
	res, err := inst.Invoke(c.export, c.args)
	var trap *ir.Trap
	if errors.As(err, &trap) {
		return outcome{trap: trap.Code}
	}
	if err != nil {
		t.Fatalf("interpreter: %s(%v): %v", c.export, c.args, err)
	}
	return outcome{results: res}
}

// runNative links, writes and runs an executable for c.
func runNative(t *testing.T, src string, c invocation) outcome {
	t.Helper()
	return runModule(t, parseModule(t, src), c)
}

// runModule is runNative of a module already parsed.
func runModule(t *testing.T, m *ir.Module, c invocation) outcome {
	t.Helper()
	exe := linkProgram(t, m, c.export, c.args)
	// A directory per run, removed at once: t.TempDir's cleanup is far slower here.
	dir, err := os.MkdirTemp("", "wasmc-arm64-")
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
	cmd := runCommand(ctx, path)
	var stdout bytes.Buffer
	cmd.Stdout = &stdout
	err = cmd.Run()
	out := stdout.Bytes()
	var exit *exec.ExitError
	switch {
	case err == nil:
	case errors.As(err, &exit) && exit.ExitCode() == 134 && len(out) == 1:
		return outcome{trap: ir.TrapCode(out[0] - 'A')}
	default:
		t.Fatalf("%s(%v): %v (stdout % x)", c.export, c.args, err, out)
	}
	var f *ir.Func
	for _, e := range m.Exports {
		if e.Name == c.export {
			f = m.Funcs[e.Index]
		}
	}
	if len(out) != 8*len(f.Sig.Results) {
		t.Fatalf("%s(%v): %d bytes of results for %d results", c.export, c.args, len(out), len(f.Sig.Results))
	}
	var o outcome
	for i, rt := range f.Sig.Results {
		bits := binary.LittleEndian.Uint64(out[8*i:])
		if rt == ir.F32 {
			bits = uint64(uint32(bits)) // the upper half of a d register is not part of an f32
		}
		o.results = append(o.results, ir.Val{Type: rt, Bits: bits})
	}
	return o
}

// sameOutcome compares bit for bit, except that any NaN matches a NaN: wasm lets float ops
// return any NaN (ir/ops.go).
func sameOutcome(want, got outcome) bool {
	if want.trap != got.trap || len(want.results) != len(got.results) {
		return false
	}
	for i, w := range want.results {
		g := got.results[i]
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

// module builds IR text from lines, exporting every function named in exports.
func module(decls string, exports ...string) string {
	var b strings.Builder
	b.WriteString(decls)
	for _, e := range exports {
		fmt.Fprintf(&b, "export %q func $%s\n", e, e)
	}
	return b.String()
}

func TestExecLoop(t *testing.T) {
	src := module(`
func $sum(i32) -> i32 {
b0(v0:i32):
    v1:i32 = iconst 0
    jump b1(v0, v1)
b1(v2:i32, v3:i32):
    v4:i32 = eqz v2
    brif v4, b3(v3), b2
b2:
    v5:i32 = iadd v3, v2
    v6:i32 = iconst -1
    v7:i32 = iadd v2, v6
    jump b1(v7, v5)
b3(v8:i32):
    return v8
}
`, "sum")
	runDiff(t, src, call("sum", i32(0)), call("sum", i32(10)), call("sum", i32(100000)))
}
