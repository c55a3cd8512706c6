package ir

import (
	"fmt"
	"runtime"
	"strings"
	"testing"
	"unsafe"
)

// TestInitBodyReservesArrays builds and releases the instantiation function of 1,000 data
// segments again and again, and checks that a build allocates less than its array of
// instructions (issue 21): the body reserves its arrays ([Func.Reserve]), five
// instructions a segment, and so reuses those of the body released before. Go's programs
// have thousands of segments; growing the arrays from nothing allocated 576 bytes an
// instruction per build, 22 now.
func TestInitBodyReservesArrays(t *testing.T) {
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(1)) // the pool is per processor
	var b strings.Builder
	b.WriteString("memory mem0 min 1\n")
	for k := range 1000 {
		fmt.Fprintf(&b, "data data%d active mem0 at iconst %d \"x\"\n", k, k)
	}
	m, err := Parse(b.String())
	if err != nil {
		t.Fatal(err)
	}
	f := m.Funcs[SplitInit(m)]
	build := func() int {
		if err := f.Load(); err != nil {
			t.Fatal(err)
		}
		n := len(f.Instrs)
		f.Release()
		return n
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
	size := int(unsafe.Sizeof(Instr{}))
	t.Logf("%d instructions: %d bytes allocated an instruction, which is %d bytes", instrs, perInstr, size)
	if perInstr >= size {
		t.Errorf("a build allocated %d bytes an instruction, not less than the instruction's %d", perInstr, size)
	}
}
