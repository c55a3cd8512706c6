package backend

import (
	"fmt"
	"runtime"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/wasmc/wasmc/ir"
	"github.com/wasmc/wasmc/regalloc"
)

// toyRegs is the toy ISA's allocatable registers: three, so that a few values live at
// once make the allocator spill and reload.
var toyRegs = &regalloc.Config{
	Regs:    [regalloc.NumClasses][]regalloc.PReg{regalloc.ClassInt: {0, 1, 2}},
	Scratch: [regalloc.NumClasses]regalloc.PReg{3, 4},
}

// liveValues is a function that returns early or computes n values all live to its end,
// so that allocation with three registers inserts edits all along it.
func liveValues(n int) string {
	var b strings.Builder
	b.WriteString("func $f(i32) -> i32 {\nb0(v0:i32):\n    brif v0, b1, b2\nb1:\n    return v0\nb2:\n")
	for k := 1; k <= n; k++ {
		fmt.Fprintf(&b, "    v%d:i32 = iadd v%d, v0\n", k, k-1)
	}
	sum := 0
	for k := 1; k <= n; k++ {
		fmt.Fprintf(&b, "    v%d:i32 = iadd v%d, v%d\n", n+k, sum, k)
		sum = n + k
	}
	fmt.Fprintf(&b, "    return v%d\n}\n", sum)
	return b.String()
}

// longEpilogue is the toy ISA with a return that takes more instructions than
// [ApplyRoom] leaves room for.
type longEpilogue struct{ *toyFunc }

func (t longEpilogue) Place(out []toyInst, in *toyInst, locs []regalloc.Loc) ([]toyInst, bool) {
	if in.name != "ret" {
		return t.toyFunc.Place(out, in, locs)
	}
	for range ApplyRoom + 8 {
		out = append(out, toyInst{name: "leave"})
	}
	t.toyFunc.Place(out, in, locs)
	return append(out, *in), false
}

// TestApplyRelocates applies one allocation to the same selected code held in arrays of
// two capacities: room for the edits and [ApplyRoom] more (Apply grows the array to that
// first when it has less), and room for all. The early return's epilogue takes more than
// ApplyRoom, so with the first, the new code catches up with the old there and the rest
// moves to a larger array; with the second, it is in place throughout. The code must come
// out the same.
func TestApplyRelocates(t *testing.T) {
	m, err := ir.Parse(liveValues(300))
	if err != nil {
		t.Fatal(err)
	}
	var want string
	for _, room := range []int{0, 100000} {
		tf := toySelect(m.Funcs[0])
		res, err := regalloc.Run(tf, toyRegs)
		if err != nil {
			t.Fatal(err)
		}
		if room == 0 && len(res.Edits) < 300 {
			t.Fatalf("%d edits: the case is meant to have many", len(res.Edits))
		}
		tf.Insts = append(make([]toyInst, 0, len(tf.Insts)+room), tf.Insts...)
		if err := tf.Apply(res, longEpilogue{tf}); err != nil {
			t.Fatal(err)
		}
		got := tf.format()
		if !strings.HasPrefix(got, "$f:\nb0:\n    enter\n") {
			t.Errorf("room %d: no prologue at the start:\n%s", room, got)
		}
		if room == 0 {
			want = got
		} else if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("room %d: the code differs from when Apply had no room (-no room +room):\n%s", room, diff)
		}
	}
}

// TestApplyInPlace bounds what Apply allocates per instruction when the selected code's
// array has room for the prologue and allocation inserted no edits: the code is rewritten
// in place. A second array of instructions (88 bytes each here, as on amd64) was the
// compiler's peak on a huge function at -O0 (issue 19), where allocation inserts few edits.
func TestApplyInPlace(t *testing.T) {
	const n = 20000
	var b strings.Builder
	b.WriteString("func $f(i32) -> i32 {\nb0(v0:i32):\n")
	for k := 1; k <= n; k++ {
		fmt.Fprintf(&b, "    v%d:i32 = iadd v%d, v0\n", k, k-1)
	}
	fmt.Fprintf(&b, "    return v%d\n}\n", n)
	m, err := ir.Parse(b.String())
	if err != nil {
		t.Fatal(err)
	}
	tf := toySelect(m.Funcs[0])
	res, err := regalloc.Run(tf, toyRegs)
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Edits) != 0 {
		t.Fatalf("%d edits: the case is meant to have none", len(res.Edits))
	}
	tf.Insts = append(make([]toyInst, 0, len(tf.Insts)+ApplyRoom), tf.Insts...)
	insts := len(tf.Insts)
	runtime.GC()
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	if err := tf.Apply(res, tf); err != nil {
		t.Fatal(err)
	}
	runtime.ReadMemStats(&after)
	perInst := int(after.TotalAlloc-before.TotalAlloc) / insts
	t.Logf("%d instructions: %d bytes each", insts, perInst)
	// The toy ISA's Place allocates each instruction's registers (8 bytes); the bound
	// leaves room for that and the blocks' bookkeeping, not for a second array.
	if perInst > 40 {
		t.Errorf("Apply allocated %d bytes an instruction, more than 40", perInst)
	}
}
