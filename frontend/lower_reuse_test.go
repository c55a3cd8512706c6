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
	perInstr, instrs := allocatedPerBuild(t, f, func(f *ir.Func) int { return len(f.Instrs) })
	size := int(unsafe.Sizeof(ir.Instr{}))
	t.Logf("%d instructions: %d bytes allocated an instruction, which is %d bytes", instrs, perInstr, size)
	if perInstr >= size {
		t.Errorf("a build allocated %d bytes an instruction, not less than the instruction's %d", perInstr, size)
	}
}

// TestLoadReusesBlocks builds and releases a body of 1,000 ifs (2,001 blocks) again and
// again, and bounds the bytes a build allocates per block (issue 21): the released body's
// array of blocks goes to the next (ir.Func.Reserve), and the pooled lowerer's Builder
// keeps its array of predecessor lists and its chunks (ir.Builder.Reset). Before, each
// build grew both arrays from nothing and started four chunks: 385 bytes a block, 129
// now (bound 150).
func TestLoadReusesBlocks(t *testing.T) {
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(1)) // the pool is per processor
	const n = 1000
	var b strings.Builder
	b.WriteString("(module (func (param i32) (result i32)\n")
	b.WriteString(strings.Repeat("local.get 0 if local.get 0 i32.const 1 i32.add local.set 0 end\n", n))
	b.WriteString("local.get 0))\n")
	f := lazyFunc(t, "ifs.wat", b.String())
	perBlock, blocks := allocatedPerBuild(t, f, func(f *ir.Func) int { return len(f.Blocks) })
	t.Logf("%d blocks: %d bytes allocated a block", blocks, perBlock)
	if perBlock > 150 {
		t.Errorf("a build allocated %d bytes a block, more than 150", perBlock)
	}
}

// allocatedPerBuild loads and releases f's body once to warm the pools, then 20 times
// more, as a worker builds one body after another, and returns the bytes a build
// allocated per unit of what count measures in the loaded body, and that count.
func allocatedPerBuild(t *testing.T, f *ir.Func, count func(*ir.Func) int) (perUnit, units int) {
	t.Helper()
	build := func() int {
		if err := f.Load(); err != nil {
			t.Fatal(err)
		}
		k := count(f)
		f.Release()
		return k
	}
	build()
	const rounds = 20
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	for range rounds {
		units = build()
	}
	runtime.ReadMemStats(&after)
	return int(after.TotalAlloc-before.TotalAlloc) / rounds / units, units
}
