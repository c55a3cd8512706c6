package frontend_test

import (
	"runtime"
	"strings"
	"testing"
	"unsafe"

	"github.com/wasmc/wasmc/ir"
)

// TestLoadReusesReleasedArrays builds and releases the body of a function of 3,000
// additions again and again, as a worker builds one body after another, and checks that a
// build allocates less than its array of instructions (issue 21): Release hands the arrays
// of instructions and values to the next body built (ir.Func.Reserve). Before, each build
// allocated both afresh, 181 bytes an instruction, 23 now.
func TestLoadReusesReleasedArrays(t *testing.T) {
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(1)) // the pool is per processor
	const n = 3000
	var b strings.Builder
	b.WriteString("(module (func (param i32) (result i32)\nlocal.get 0\n")
	b.WriteString(strings.Repeat("local.get 0 i32.add\n", n))
	b.WriteString("))\n")
	f := lazyFunc(t, "adds.wat", b.String())
	build := func() int {
		if err := f.Load(); err != nil {
			t.Fatal(err)
		}
		k := len(f.Instrs)
		f.Release()
		return k
	}
	build()
	const rounds = 20
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	instrs := 0
	for range rounds {
		instrs = build()
	}
	runtime.ReadMemStats(&after)
	perInstr := int(after.TotalAlloc-before.TotalAlloc) / rounds / instrs
	size := int(unsafe.Sizeof(ir.Instr{}))
	t.Logf("%d instructions: %d bytes allocated an instruction, which is %d bytes", instrs, perInstr, size)
	if perInstr >= size {
		t.Errorf("a build allocated %d bytes an instruction, not less than the instruction's %d", perInstr, size)
	}
}
