package amd64

import (
	"bytes"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/wasmc/wasmc/backend"
	"github.com/wasmc/wasmc/ir"
	"github.com/wasmc/wasmc/regalloc"
)

// TestCompileKeepsInstructions compiles, through backend.Compile at -O0, a function of
// 4,000 additions, the first 2,000 values all read again at the end, so that allocation spills and reloads
// around most of them, and checks that finishing moved no instruction (issue 21): Compile
// finishes through FinishDeferred, which assigns registers in place, and Encode
// interleaves the edits. Before, Finish's Apply wrote every instruction to a new place,
// the 3,980 edits among them: the array the encoder read held 7,996 instructions where
// selection had filled 4,002.
func TestCompileKeepsInstructions(t *testing.T) {
	m := liveAcross(t, 2000)
	isa := &watchISA{ISA: New()}
	if _, err := backend.Compile(m, isa, backend.Config{FastRegalloc: true}); err != nil {
		t.Fatal(err)
	}
	w := isa.mf
	t.Logf("%d instructions selected, %d edits; %d instructions after finishing (Finish called %v)",
		w.selected, w.edits, w.finished, w.applied)
	if w.edits < 2000 {
		t.Fatalf("allocation made %d edits, fewer than 2,000: the function does not test what it should", w.edits)
	}
	if w.applied || w.finished != w.selected || !w.sameArray {
		t.Errorf("finishing moved the instructions: %d selected, %d in the array encoded (Finish called %v, same array %v)",
			w.selected, w.finished, w.applied, w.sameArray)
	}
}

// TestEncodeEditsDirect encodes the function of TestCompileKeepsInstructions finished
// through FinishDeferred, and counts the calls of the ops' emit functions: the spills,
// reloads and moves of general registers, most of the edits, are appended straight to
// the code (emitter.edit), without an instruction made for each and encoded through its
// op (issue 21). Before, the 3,980 edits cost as many calls: 7,998 for 4,002 instructions,
// 4,018 now (the prologue, the epilogue and the final pass's jumps).
func TestEncodeEditsDirect(t *testing.T) {
	m := liveAcross(t, 2000)
	f, res := finishDeferred(t, m)
	calls := countEmits(t)
	if _, err := f.Encode(); err != nil {
		t.Fatal(err)
	}
	t.Logf("%d instructions, %d edits, %d calls of emit functions", len(f.Insts), len(res.Edits), *calls)
	if *calls > len(f.Insts)+30 {
		t.Errorf("%d calls of emit functions for %d instructions and %d edits: more than one an instruction, and 30 (prologue, epilogue, jumps)",
			*calls, len(f.Insts), len(res.Edits))
	}
}

// liveAcross is a module of one function of 2n additions: the first n values are each
// read again in the second half, so that allocation spills and reloads around most
// instructions.
func liveAcross(t *testing.T, n int) *ir.Module {
	var b strings.Builder
	b.WriteString("func $f(i64) -> i64 {\nb0(v0:i64):\n")
	for k := 1; k <= n; k++ {
		fmt.Fprintf(&b, "    v%d:i64 = iadd v%d, v0\n", k, k-1)
	}
	// Every value is read again at the end, so each lives across the rest.
	fmt.Fprintf(&b, "    v%d:i64 = iadd v1, v2\n", n+1)
	for k := 3; k <= n; k++ {
		fmt.Fprintf(&b, "    v%d:i64 = iadd v%d, v%d\n", n+k-1, n+k-2, k)
	}
	fmt.Fprintf(&b, "    return v%d\n}\n", 2*n-1)
	m := parseModule(t, b.String())
	m.InternType(m.Funcs[0].Sig)
	return m
}

// watchISA is an ISA whose machine functions report how Compile finishes them.
type watchISA struct {
	backend.ISA
	mf *watchFunc
}

func (w *watchISA) Select(f *ir.Func, env *backend.Env) (backend.MachineFunc, error) {
	mf, err := w.ISA.Select(f, env)
	if err != nil {
		return nil, err
	}
	w.mf = &watchFunc{mfunc: mf.(*mfunc), selected: len(mf.(*mfunc).Insts)}
	return w.mf, nil
}

// watchFunc is a machine function that records, when it is finished, whether through
// Finish and how many instructions its array then holds.
type watchFunc struct {
	*mfunc
	selected, finished, edits int
	applied, sameArray        bool
}

func (w *watchFunc) Finish(r *regalloc.Result) error {
	w.applied = true
	first := &w.Insts[0]
	err := w.mfunc.Finish(r)
	w.record(r, first)
	return err
}

// FinishDeferred is the mfunc's, if it has one.
func (w *watchFunc) FinishDeferred(r *regalloc.Result) error {
	first := &w.Insts[0]
	d, ok := any(w.mfunc).(interface {
		FinishDeferred(*regalloc.Result) error
	})
	if !ok {
		return w.Finish(r)
	}
	err := d.FinishDeferred(r)
	w.record(r, first)
	return err
}

func (w *watchFunc) record(r *regalloc.Result, first *inst) {
	w.edits, w.finished, w.sameArray = len(r.Edits), len(w.Insts), &w.Insts[0] == first
}

// deferredGlobals selects, allocates (RunFast) and finishes without moving a function of
// n global reads and writes, each an instruction with a relocation, after a loop whose
// jump is short.
func deferredGlobals(t *testing.T, n int) (*mfunc, *regalloc.Result) {
	t.Helper()
	var b strings.Builder
	b.WriteString("global $g mut i64 = iconst 0\n\nfunc $f(i64, i32) -> i64 {\nb0(v0:i64, v1:i32):\n    jump b1\nb1:\n    brif v1, b1, b2\nb2:\n")
	for k := 0; k < n; k++ {
		fmt.Fprintf(&b, "    v%d:i64 = globalget $g\n    globalset $g, v%d\n", k+2, k+2)
	}
	b.WriteString("    return v0\n}\n")
	return finishDeferred(t, parseModule(t, b.String()))
}

// selectFast selects m's first function and allocates it with RunFast.
func selectFast(t *testing.T, m *ir.Module) (*mfunc, *regalloc.Result) {
	t.Helper()
	isa := New()
	mf, err := isa.Select(m.Funcs[0], testEnv(m))
	if err != nil {
		t.Fatal(err)
	}
	res, err := regalloc.RunFast(mf, isa.RegConfig())
	if err != nil {
		t.Fatal(err)
	}
	return mf.(*mfunc), res
}

// finishDeferred selects m's first function, allocates it with RunFast and finishes it
// without moving its instructions.
func finishDeferred(t *testing.T, m *ir.Module) (*mfunc, *regalloc.Result) {
	t.Helper()
	f, res := selectFast(t, m)
	if err := f.FinishDeferred(res); err != nil {
		t.Fatal(err)
	}
	return f, res
}

// TestEncodeRelocatedOnce encodes a function of 1,000 global reads and writes, each an
// instruction with a relocation, after a loop whose jump is short, and counts the calls
// of the ops' emit functions: the final pass copies what the measuring pass encoded of an
// instruction whose only mark is a relocation, moving the relocation along with its bytes
// (issue 21), so that only the jumps are encoded twice. Before, it encoded every such
// instruction again: 2,016 calls for 1,008 instructions (1,015 now).
func TestEncodeRelocatedOnce(t *testing.T) {
	const n = 500
	f, res := deferredGlobals(t, n)
	calls := countEmits(t)
	code, err := f.Encode()
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("%d instructions, %d relocations, %d calls of emit functions", len(f.Insts), len(code.Relocs), *calls)
	if len(code.Relocs) < 2*n {
		t.Fatalf("%d relocations, fewer than %d: the function does not test what it should", len(code.Relocs), 2*n)
	}
	if *calls > len(f.Insts)+len(res.Edits)+30 {
		t.Errorf("%d calls of emit functions for %d instructions and %d edits: more than one each, and 30",
			*calls, len(f.Insts), len(res.Edits))
	}
	if want, relocs := encodeAll(f); !bytes.Equal(code.Bytes, want) || !slices.Equal(code.Relocs, relocs) {
		t.Errorf("copying the measuring pass's bytes and relocations gave other code than encoding again")
	}
}

// TestEncodeCopiesRuns encodes TestEncodeRelocatedOnce's function (1,000 global reads
// and writes after a loop) and counts the appends of the
// final pass: the instructions it copies from the measuring pass, one after another, are
// appended as one run with their relocations (issue 21). Before, each instruction was
// appended by itself: 1,012 appends; 4 now (bound 20).
func TestEncodeCopiesRuns(t *testing.T) {
	const n = 500
	f, res := deferredGlobals(t, n)
	// Encode's passes, with an emitter of the test's own to count on.
	e := &emitter{}
	heads := loopHeads(f, nil)
	f.encode(e, nil, heads, nil)
	short := e.Relax(rel8Reaches)
	kept := e.keep(nil, nil, nil)
	f.encode(e, short, heads, &kept)
	t.Logf("%d instructions and %d edits: %d runs appended", len(f.Insts), len(res.Edits), e.runs)
	if len(e.Relocs) < 2*n {
		t.Fatalf("%d relocations, fewer than %d: the function does not test what it should", len(e.Relocs), 2*n)
	}
	if e.runs > 20 {
		t.Errorf("the final pass appended %d runs of copied instructions, more than 20", e.runs)
	}
	if want, relocs := encodeAll(f); !bytes.Equal(e.a.buf, want) || !slices.Equal(e.Relocs, relocs) {
		t.Errorf("appending the measuring pass's bytes and relocations in runs gave other code than encoding again")
	}
}

// TestEncodeCopiesDirect encodes 1,000 subtractions from v0, which lives on: each copies v0 to
// the register it subtracts in (a ReuseDef's input), and counts the calls of the ops' emit
// functions. A copy between general registers, or from a slot, is appended straight to
// the code as the edits are (issue 21). Before, copyInst made its instruction and mov
// encoded it: 2,006 calls for 2,002 instructions, 999 of them copies; 1,007 now (bound:
// one an instruction that is not a copy, and 30).
func TestEncodeCopiesDirect(t *testing.T) {
	const n = 1000
	var b strings.Builder
	b.WriteString("func $f(i64, i32) -> i64 {\nb0(v0:i64, v1:i32):\n    v2:i64 = iadd v0, v0\n")
	for k := 3; k <= n+1; k++ {
		fmt.Fprintf(&b, "    v%d:i64 = isub v0, v%d\n", k, k-1)
	}
	fmt.Fprintf(&b, "    return v%d\n}\n", n+1)
	m := parseModule(t, b.String())
	f, res := finishDeferred(t, m)
	copies := 0
	for i := range f.Insts {
		if f.Insts[i].op == opCopy {
			if c, ok := f.copyInst(res.Alloc(i, 0), res.Alloc(i, 1), f.Insts[i].w); ok && c.op == opMov {
				copies++
			}
		}
	}
	if copies < n-1 {
		t.Fatalf("%d copies encoded, fewer than %d: the function does not test what it should", copies, n-1)
	}
	calls := countEmits(t)
	code, err := f.Encode()
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("%d instructions, %d of them copies encoded: %d calls of emit functions", len(f.Insts), copies, *calls)
	if *calls > len(f.Insts)-copies+30 {
		t.Errorf("%d calls of emit functions for %d instructions, %d of them copies: more than one for each other, and 30",
			*calls, len(f.Insts), copies)
	}
	if want, _ := encodeAll(f); !bytes.Equal(code.Bytes, want) {
		t.Errorf("appending the copies straight to the code gave other code than encoding their instructions")
	}
}

// countEmits makes every op's emit function count its calls into the result until the
// test ends.
func countEmits(t *testing.T) *int {
	saved := opTable
	t.Cleanup(func() { opTable = saved })
	calls := new(int)
	for k := range opTable {
		if emit := opTable[k].emit; emit != nil {
			opTable[k].emit = func(e *emitter, in *inst) { *calls++; emit(e, in) }
		}
	}
	return calls
}
