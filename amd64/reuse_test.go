package amd64

import (
	"bytes"
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
	perInst := compileAgain(t, false)
	// Two arrays of instructions fewer than before, at least.
	if bound := 452 - 2*int(unsafe.Sizeof(inst{})); perInst > bound {
		t.Errorf("a compilation allocated %d bytes an instruction, more than %d", perInst, bound)
	}
}

// encodeAll encodes f as Encode does, but encodes every instruction in the final pass
// instead of copying the bytes (and relocations) the measuring pass found the same
// wherever they are: compileModule checks that both give the same code and relocations.
func encodeAll(f *mfunc) ([]byte, []backend.Reloc) {
	e := &emitter{}
	heads := loopHeads(f, nil)
	f.encode(e, nil, heads, nil)
	short := e.Relax(rel8Reaches)
	f.encode(e, short, heads, nil)
	return e.a.buf, e.Relocs
}

// TestEncodeOnce encodes a function of 2,000 additions and a loop, and counts the calls
// of the ops' emit functions: the final pass copies what the measuring pass encoded of
// each instruction that is the same wherever it is (issue 21), so only the jumps are
// encoded twice. Before, the final pass encoded every instruction again: 4,044 calls for
// 2,022 instructions (2,027 now).
func TestEncodeOnce(t *testing.T) {
	const n = 2000
	var b strings.Builder
	b.WriteString("func $f(i64, i32) -> i64 {\nb0(v0:i64, v1:i32):\n    v2:i64 = iadd v0, v0\n")
	for k := 3; k <= n+1; k++ {
		fmt.Fprintf(&b, "    v%d:i64 = iadd v%d, v0\n", k, k-1)
	}
	fmt.Fprintf(&b, "    jump b1(v%d)\nb1(v%d:i64):\n    v%d:i64 = iadd v%d, v0\n    brif v1, b1(v%d), b2\nb2:\n    return v%d\n}\n",
		n+1, n+2, n+3, n+2, n+3, n+3)
	mf, res := selectFast(t, parseModule(t, b.String()))
	if err := mf.Finish(res); err != nil {
		t.Fatal(err)
	}
	calls := countEmits(t)
	code, err := mf.Encode()
	if err != nil {
		t.Fatal(err)
	}
	insts := len(mf.Insts)
	t.Logf("%d instructions, %d calls of emit functions", insts, *calls)
	if *calls > insts+10 {
		t.Errorf("%d calls of emit functions for %d instructions: more than one each, and 10", *calls, insts)
	}
	if want, _ := encodeAll(mf); !bytes.Equal(code.Bytes, want) {
		t.Errorf("copying the measuring pass's bytes gave other code than encoding again")
	}
}

// TestCompileReusesResultAndOperands is TestCompileReusesArrays with the allocation's
// Result released once applied, as compileFunc does at -O0, and bounds it tighter (issue
// 21): the Result's arrays go to the next RunFast (regalloc.Result.Release), and the
// chunks of the instructions' operand lists to the next selection with the instructions
// (backend.Func.RecycleInsts). With the chunks not recycled: 46 bytes an instruction (63
// without releasing the Result either); 14 now (bound 25).
func TestCompileReusesResultAndOperands(t *testing.T) {
	perInst := compileAgain(t, true)
	if perInst > 25 {
		t.Errorf("a compilation allocated %d bytes an instruction, more than 25", perInst)
	}
}

// compileAgain compiles one function of 2,000 instructions again and again, as a worker
// compiles a module's functions one after another, releasing each allocation once it is
// applied if release, and returns the bytes a compilation allocates per instruction.
func compileAgain(t *testing.T, release bool) int {
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
		if release {
			res.Release()
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
	return perInst
}

// TestCompileSmallFunction compiles a function of four blocks again and again, as Compile
// does at -O0 (Select, RunFast, FinishDeferred, Encode, the Result released and the
// function recycled), and counts the allocations a compilation makes (issue 21): the
// lowerer with its arrays per value and per memory and its scratch (newLowerer), the
// arrays of jump threading and Assign (threadScratch), Relax's and Encode's loop heads
// come back from the function before. Most functions are small, and these were a third of
// a small function's allocations: 36 a compilation before, 25 now (bound 28).
func TestCompileSmallFunction(t *testing.T) {
	m := parseModule(t, "memory mem0 min 1\n\nfunc $f(i32, i64) -> i64 {\nb0(v0:i32, v1:i64):\n    brif v0, b1, b2\n"+
		"b1:\n    v2:i64 = iadd v1, v1\n    jump b3(v2)\nb2:\n    jump b3(v1)\nb3(v3:i64):\n    return v3\n}\n")
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
		if err := mf.(backend.Deferrer).FinishDeferred(res); err != nil {
			t.Fatal(err)
		}
		if _, err := mf.Encode(); err != nil {
			t.Fatal(err)
		}
		res.Release()
		mf.(backend.Recycler).Recycle()
	}
	compile()
	n := testing.AllocsPerRun(50, compile)
	t.Logf("%.1f allocations a compilation", n)
	if n > 28 {
		t.Errorf("a compilation made %.1f allocations, more than 28", n)
	}
}
