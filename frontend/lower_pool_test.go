package frontend_test

import (
	"runtime"
	"strings"
	"testing"

	"github.com/wasmc/wasmc/frontend"
	"github.com/wasmc/wasmc/frontend/wat"
	"github.com/wasmc/wasmc/ir"
)

// TestLowerLazyDropsHugeLowerer builds and releases the body of a function of 30,000
// nested ifs (150 KB of code) and checks that nothing of its lowering stays alive after a
// collection: the pooled lowerer's tables, grown to the body, survived in the pool through
// the body's selection and allocation, the compiler's peak (issue 19); this case kept
// 12 MB alive.
func TestLowerLazyDropsHugeLowerer(t *testing.T) {
	const n = 30000
	var b strings.Builder
	b.WriteString("(module (func (param i32)\n")
	b.WriteString(strings.Repeat("local.get 0 if\n", n))
	b.WriteString(strings.Repeat("end\n", n))
	b.WriteString("))\n")
	f := lazyFunc(t, "huge.wat", b.String())
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	if err := f.Load(); err != nil {
		t.Fatal(err)
	}
	f.Release()
	runtime.GC()
	runtime.ReadMemStats(&after)
	kept := int64(after.HeapAlloc) - int64(before.HeapAlloc)
	t.Logf("%d bytes kept", kept)
	if kept > 1<<20 {
		t.Errorf("lowering a body of %d nested ifs kept %d bytes alive after its release", n, kept)
	}
}

// lazyFunc parses, validates and lowers on demand the text module src, named name, and
// returns its first function, whose body is not built yet.
func lazyFunc(t *testing.T, name, src string) *ir.Func {
	t.Helper()
	fm, err := wat.ParseModule(name, []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	if err := frontend.Validate(fm); err != nil {
		t.Fatal(err)
	}
	m, err := frontend.LowerLazy(fm)
	if err != nil {
		t.Fatal(err)
	}
	return m.Funcs[0]
}
