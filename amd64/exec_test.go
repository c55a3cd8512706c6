package amd64

import (
	"testing"

	"github.com/wasmc/wasmc/internal/isatest"
	"github.com/wasmc/wasmc/ir"
)

// Execution tests: each call of an exported function runs twice, in the IR interpreter and
// as a native executable linked with this package's test runtime (link_test.go), and the
// results or traps must agree. The cases are internal/isatest's, the same for every ISA;
// native results are compared as all 8 bytes the ABI returns, so an i32 with a dirty upper
// half fails. Another architecture's executables run under its emulator.

var harness = &isatest.Harness{GOARCH: "amd64", Link: func(t testing.TB, m *ir.Module, export string, args []ir.Val) []byte {
	return linkProgram(t, m, export, args, false)
}}

// fastHarness links with regalloc.RunFast, the allocator of -O0.
var fastHarness = &isatest.Harness{GOARCH: "amd64", Link: func(t testing.TB, m *ir.Module, export string, args []ir.Val) []byte {
	return linkProgram(t, m, export, args, true)
}}

func TestExec(t *testing.T) { harness.Run(t) }

// TestExecFast runs TestExec's cases with the code regalloc.RunFast allocates.
func TestExecFast(t *testing.T) { fastHarness.Run(t) }

// The helpers of this package's own execution tests.
var (
	call   = isatest.Call
	i32    = isatest.I32
	i64    = isatest.I64
	f32    = isatest.F32
	f64    = isatest.F64
	module = isatest.Module
)

func runDiff(t *testing.T, src string, calls ...isatest.Invocation) {
	t.Helper()
	harness.RunDiff(t, src, calls...)
}

func requireNative(t testing.TB) {
	t.Helper()
	harness.RequireNative(t)
}
