package amd64

import (
	"fmt"
	"runtime"
	"strings"
	"testing"
	"unsafe"

	"github.com/wasmc/wasmc/backend"
	"github.com/wasmc/wasmc/regalloc"
)

// TestCompileReusesArrays compiles one function of 2,000 instructions again and again, as
// a worker compiles a module's functions one after another, and checks what a compilation
// allocates (issue 21): the selection's array of machine instructions comes back from the
// previous function ([backend.Recycler]), so Apply rewrites it in place too, and Encode's
// measuring pass writes into lists kept from the previous one. Before, each compilation
// allocated that array, a larger one in Apply, and both passes' code and relocations
// grown from nothing: 452 bytes an instruction, where it is 241 now (the allocator's
// tables, most of the rest).
func TestCompileReusesArrays(t *testing.T) {
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(1)) // the pools are per processor
	const n = 2000
	var b strings.Builder
	b.WriteString("func $f(i64) -> i64 {\nb0(v0:i64):\n")
	for k := 1; k <= n; k++ {
		fmt.Fprintf(&b, "    v%d:i64 = iadd v%d, v0\n", k, k-1)
	}
	fmt.Fprintf(&b, "    return v%d\n}\n", n)
	m := parseModule(t, b.String())
	env := testEnv(m)
	isa := New()
	cfg := isa.RegConfig()
	compile := func() {
		mf, err := isa.Select(m.Funcs[0], env)
		if err != nil {
			t.Fatal(err)
		}
		res, err := regalloc.RunFast(mf, cfg)
		if err != nil {
			t.Fatal(err)
		}
		if err := mf.Finish(res); err != nil {
			t.Fatal(err)
		}
		if _, err := mf.Encode(); err != nil {
			t.Fatal(err)
		}
		mf.(backend.Recycler).Recycle()
	}
	compile()
	const rounds = 20
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	for range rounds {
		compile()
	}
	runtime.ReadMemStats(&after)
	perInst := int(after.TotalAlloc-before.TotalAlloc) / rounds / n
	t.Logf("%d bytes allocated an instruction", perInst)
	// Two arrays of instructions fewer than before, at least.
	if bound := 452 - 2*int(unsafe.Sizeof(inst{})); perInst > bound {
		t.Errorf("a compilation allocated %d bytes an instruction, more than %d", perInst, bound)
	}
}
