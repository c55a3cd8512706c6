package ir

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// initEnv is a fresh set of host objects for one instantiation: the memory, table and
// globals that a case may import from "host", and a function tick that counts its
// calls in a mutable global.
type initEnv struct {
	mem                    *MemoryInst
	table                  *TableInst
	base, base64, slot, ok *GlobalInst
}

func newInitEnv() *initEnv {
	e := &initEnv{
		mem:    NewMemory(1, 4, true),
		table:  NewTable(FuncRef, 8, 16, true),
		base:   NewGlobal(I32, false, I32Val(40)),
		base64: NewGlobal(I64, false, I64Val(100)),
		slot:   NewGlobal(I32, false, I32Val(2)),
		ok:     NewGlobal(I32, true, I32Val(0)),
	}
	return e
}

func (e *initEnv) resolve(module, name string) (Extern, bool) {
	if module != "host" {
		return Extern{}, false
	}
	switch name {
	case "memory":
		return Extern{Kind: ExternMemory, Memory: e.mem}, true
	case "table":
		return Extern{Kind: ExternTable, Table: e.table}, true
	case "base":
		return Extern{Kind: ExternGlobal, Global: e.base}, true
	case "base64":
		return Extern{Kind: ExternGlobal, Global: e.base64}, true
	case "slot":
		return Extern{Kind: ExternGlobal, Global: e.slot}, true
	case "ticks":
		return Extern{Kind: ExternGlobal, Global: e.ok}, true
	case "tick":
		return Extern{Kind: ExternFunc, Func: NewHostFunc(nil, nil, func([]Val) ([]Val, error) {
			e.ok.bits++
			return nil, nil
		})}, true
	}
	return Extern{}, false
}

// state prints what the host can see of the objects it lent.
func (e *initEnv) state() string {
	var b strings.Builder
	memState(&b, "host memory", e.mem)
	tableState(&b, "host table", e.table)
	fmt.Fprintf(&b, "host ticks = %v\n", e.ok.Get())
	return b.String()
}

func memState(b *strings.Builder, what string, mem *MemoryInst) {
	fmt.Fprintf(b, "%s: %d pages", what, mem.Size())
	for i, x := range mem.data {
		if x != 0 {
			fmt.Fprintf(b, " [%d]=%#x", i, x)
		}
	}
	b.WriteByte('\n')
}

func tableState(b *strings.Builder, what string, t *TableInst) {
	fmt.Fprintf(b, "%s: %d elements", what, t.Size())
	for i, r := range t.elems {
		if r != nil {
			fmt.Fprintf(b, " [%d]=%v", i, Val{Type: t.elem, Ref: r})
		}
	}
	b.WriteByte('\n')
}

// instState prints an instance's memories, tables, globals and segments; functions are
// told apart by name, since the two instances compared hold different FuncInsts.
func instState(in *Instance) string {
	var b strings.Builder
	for i, mem := range in.mems {
		memState(&b, fmt.Sprintf("mem%d", i), mem)
	}
	for i, t := range in.tables {
		tableState(&b, fmt.Sprintf("table%d", i), t)
	}
	for i, g := range in.globals {
		fmt.Fprintf(&b, "global %d = %v\n", i, g.Get())
	}
	for i, d := range in.datas {
		fmt.Fprintf(&b, "data%d: %q dropped=%v\n", i, d, d == nil)
	}
	for i, refs := range in.elems {
		fmt.Fprintf(&b, "elem%d: %d refs dropped=%v\n", i, len(refs), refs == nil)
	}
	return b.String()
}

// initSegments has active segments of both kinds at constant and global offsets, into
// defined and imported memories and tables (one memory64), overlapping so that their
// order shows, next to passive and declarative segments; its start function reads what
// the segments wrote and overwrites one of their bytes, so it must run after them.
const initSegments = `
import memory mem0 min 1 max 4 from "host" "memory"
memory mem1 i64 min 1
import table table0 funcref min 8 max 16 from "host" "table"
table table1 funcref min 5
import global $base i32 from "host" "base"
import global $base64 i64 from "host" "base64"
import global $slot i32 from "host" "slot"
global $seen mut i32 = iconst 0
global $called mut i32 = iconst 0

func $one() -> i32 {
b0:
    v0:i32 = iconst 1
    return v0
}

func $two() -> i32 {
b0:
    v0:i32 = iconst 2
    return v0
}

func $start() {
b0:
    v0:i32 = globalget $base
    boundscheck mem0, v0, 1
    v1:i32 = load.u8 mem0[v0 + 0]
    globalset $seen, v1
    v2:i32 = iconst 2
    v3:i32 = callindirect table1, v2()
    v4:i32 = iconst 1
    v5:i32 = callindirect table0, v4()
    v6:i32 = iconst 10
    v7:i32 = imul v3, v6
    v8:i32 = iadd v7, v5
    globalset $called, v8
    v9:i64 = iconst 8
    v10:i32 = iconst 119
    boundscheck mem1, v9, 1
    store.8 mem1[v9 + 0], v10
    return
}

data data0 active mem0 at iconst 0 "\01\02\03"
data data1 passive "pp"
data data2 active mem0 at globalget $base "\2a"
data data3 active mem1 at iconst 8 "\05\06"
data data4 active mem1 at globalget $base64 "hi"
data data5 active mem0 at iconst 2 "\ff"
data data6 active mem0 at iconst 65536 ""
elem elem0 active table0 at iconst 1 funcref [reffunc $one, reffunc $two]
elem elem1 declare funcref [reffunc $two]
elem elem2 active table1 at globalget $slot funcref [reffunc $two, refnull, reffunc $one]
elem elem3 passive funcref [reffunc $one]
elem elem4 active table0 at iconst 2 funcref [reffunc $start]
elem elem5 active table0 at iconst 8 funcref []
start $start
`

// TestSplitInit instantiates each module as it is, and after SplitInit with its init
// function called: the two must end the same way (no error, or a trap of the same code)
// and leave the same state in the instance and in the memory, table and globals the
// host lent, including what segments wrote before one trapped.
func TestSplitInit(t *testing.T) {
	cases := []struct {
		name, src string
		trap      TrapCode // the trap instantiation ends in, or TrapNone
		host      []string // what the host must see afterwards, as substrings of initEnv.state
	}{
		{name: "segments", src: initSegments,
			host: []string{"[0]=0x1 [1]=0x2 [2]=0xff [40]=0x2a", "[1]=funcref:$one [2]=funcref:$start"}},
		{name: "imported_start", src: `
import func $tick() from "host" "tick"
memory mem0 min 1
data data0 active mem0 at iconst 3 "x"
start $tick
`, host: []string{"host ticks = i32:1"}},
		{name: "defined_start_calls_import", src: `
import func $tick() from "host" "tick"
func $main() {
b0:
    callimport $tick()
    callimport $tick()
    return
}
start $main
`, host: []string{"host ticks = i32:2"}},
		{name: "empty", src: `
memory mem0 min 1
func $f() {
b0:
    return
}
export "f" func $f
`},
		{name: "elem_out_of_bounds", src: `
import memory mem0 min 1 from "host" "memory"
import table table0 funcref min 8 from "host" "table"
import global $slot i32 from "host" "slot"
import func $tick() from "host" "tick"

func $eight() -> i32 {
b0:
    v0:i32 = iconst 8
    return v0
}

data data0 active mem0 at iconst 10 "\63"
elem elem0 active table0 at globalget $slot funcref [reffunc $eight]
elem elem1 active table0 at iconst 5 funcref [reffunc $eight]
elem elem2 active table0 at iconst 7 funcref [reffunc $eight, reffunc $eight]
elem elem3 active table0 at iconst 0 funcref [reffunc $eight]
start $tick
`, trap: TrapOutOfBoundsTable,
			host: []string{"host memory: 1 pages\n", "host table: 8 elements [2]=funcref:$eight [5]=funcref:$eight\n", "ticks = i32:0"}},
		{name: "data_out_of_bounds", src: `
import memory mem0 min 1 from "host" "memory"
import table table0 funcref min 8 from "host" "table"
import global $base i32 from "host" "base"
import func $tick() from "host" "tick"

func $nine() -> i32 {
b0:
    v0:i32 = iconst 9
    return v0
}

elem elem0 active table0 at iconst 6 funcref [reffunc $nine]
data data0 active mem0 at globalget $base "\64"
data data1 active mem0 at iconst 65535 "\01\02"
data data2 active mem0 at iconst 0 "\03"
start $tick
`, trap: TrapOutOfBoundsMemory,
			host: []string{"host memory: 1 pages [40]=0x64\n", "[6]=funcref:$nine\n", "ticks = i32:0"}},
		{name: "zero_length_past_the_end", src: `
import memory mem0 min 1 from "host" "memory"
data data0 active mem0 at iconst 7 "\07"
data data1 active mem0 at iconst 65537 ""
`, trap: TrapOutOfBoundsMemory, host: []string{"host memory: 1 pages [7]=0x7\n"}},
		{name: "start_traps", src: `
import memory mem0 min 1 from "host" "memory"
import func $tick() from "host" "tick"

func $start() {
b0:
    callimport $tick()
    v0:i32 = iconst 20
    v1:i32 = iconst 5
    boundscheck mem0, v0, 1
    store.8 mem0[v0 + 0], v1
    trap unreachable
}

data data0 active mem0 at iconst 21 "\06"
start $start
`, trap: TrapUnreachable, host: []string{"[20]=0x5 [21]=0x6", "ticks = i32:1"}},
	}
	// Past initChunk segments, init calls parts; the host sees the first and last bytes.
	var many strings.Builder
	many.WriteString("import memory mem0 min 1 from \"host\" \"memory\"\n")
	for i := range 2*initChunk + 5 {
		fmt.Fprintf(&many, "data data%d active mem0 at iconst %d \"\\%02x\"\n", i, i, i%251+1)
	}
	cases = append(cases, struct {
		name, src string
		trap      TrapCode
		host      []string
	}{name: "many_segments", src: many.String(), host: []string{"[0]=0x1 [1]=0x2", fmt.Sprintf("[%d]=0x%x", 2*initChunk+4, (2*initChunk+4)%251+1)}})
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			orig, err := Parse(c.src)
			if err != nil {
				t.Fatal(err)
			}
			if errs := VerifyModule(orig); len(errs) > 0 {
				t.Fatalf("the module does not verify:\n%s", errorLines(errs))
			}
			split, _ := Parse(c.src)
			idx := SplitInit(split)
			checkSplit(t, orig, split, idx)

			envA, envB := newInitEnv(), newInitEnv()
			instA, errA := Instantiate(orig, envA.resolve, InterpConfig{})
			instB, err := Instantiate(split, envB.resolve, InterpConfig{})
			if err != nil {
				t.Fatalf("instantiating the split module: %v", err)
			}
			res, errB := instB.funcs[idx].Call(nil)
			if len(res) != 0 {
				t.Errorf("init returned %v", res)
			}
			if got, want := trapCode(t, errB), trapCode(t, errA); got != want || want != c.trap {
				t.Fatalf("init ends in %v (%v), instantiation in %v (%v); want %v", got, errB, want, errA, c.trap)
			}
			if a, b := envA.state(), envB.state(); a != b {
				t.Errorf("the host sees different state (-instantiate +init):\n%s", cmp.Diff(a, b))
			}
			for _, s := range c.host {
				if !strings.Contains(envB.state(), s) {
					t.Errorf("the host state lacks %q:\n%s", s, envB.state())
				}
			}
			if instA != nil {
				if a, b := instState(instA), instState(instB); a != b {
					t.Errorf("the instances differ (-instantiate +init):\n%s", cmp.Diff(a, b))
				}
			}
		})
	}
}

// trapCode returns the code of err, which must be nil (TrapNone) or a *Trap.
func trapCode(t *testing.T, err error) TrapCode {
	t.Helper()
	if err == nil {
		return TrapNone
	}
	var trap *Trap
	if !errors.As(err, &trap) {
		t.Fatalf("%v is not a trap", err)
	}
	return trap.Code
}

// checkSplit checks what SplitInit promises about the module: it verifies and
// round-trips; no segment is active and there is no start; declarative segments and
// everything but the new last function are as they were.
func checkSplit(t *testing.T, orig, split *Module, idx uint32) {
	t.Helper()
	for _, f := range split.Funcs[len(orig.Funcs):] {
		if err := f.Load(); err != nil {
			t.Fatal(err)
		}
	}
	active := 0
	for _, d := range orig.Data {
		active += boolInt(d.Mode == Active)
	}
	for _, e := range orig.Elems {
		active += boolInt(e.Mode == Active)
	}
	parts := 0
	if active > initChunk {
		parts = (active + initChunk - 1) / initChunk
	}
	for _, f := range split.Funcs[int(idx)+1:] {
		if n := len(f.Instrs); n > 5*initChunk+1 {
			t.Errorf("$%s has %d instructions: a part applies at most %d segments", f.Name, n, initChunk)
		}
	}
	if errs := VerifyModule(split); len(errs) > 0 {
		t.Fatalf("the split module does not verify:\n%s\n%s", errorLines(errs), split)
	}
	text := split.String()
	back, err := Parse(text)
	if err != nil {
		t.Fatalf("parsing the split module: %v\n%s", err, text)
	}
	if again := back.String(); again != text {
		t.Errorf("print(parse(split)) differs:\n%s", cmp.Diff(text, again))
	}
	if int(idx) != len(orig.Funcs) || len(split.Funcs) != len(orig.Funcs)+1+parts {
		t.Fatalf("init is function %d of %d, want the first appended to %d, with %d parts after it", idx, len(split.Funcs), len(orig.Funcs), parts)
	}
	if sig := split.Funcs[idx].Sig; len(sig.Params)+len(sig.Results) != 0 || split.Funcs[idx].IsImport() {
		t.Errorf("init is %v, want a defined () -> ()", sig)
	}
	if split.HasStart {
		t.Errorf("the split module still has a start function")
	}
	for i, d := range split.Data {
		if d.Mode != Passive {
			t.Errorf("data%d is %v", i, d.Mode)
		}
		if !slices.Equal(d.Bytes, orig.Data[i].Bytes) {
			t.Errorf("data%d's bytes changed", i)
		}
	}
	for i, e := range split.Elems {
		want := orig.Elems[i].Mode
		if want == Active {
			want = Passive
		}
		if e.Mode != want || !slices.Equal(e.Elems, orig.Elems[i].Elems) || e.Type != orig.Elems[i].Type {
			t.Errorf("elem%d is %v of %v %v, was %v of %v %v", i, e.Mode, e.Type, e.Elems, orig.Elems[i].Mode, orig.Elems[i].Type, orig.Elems[i].Elems)
		}
	}
}

// TestSplitInitText pins the code SplitInit writes: per active element segment then per
// active data segment, the offset, a zero source and the length, the init and the drop;
// then the start function's call.
func TestSplitInitText(t *testing.T) {
	m, err := Parse(`
import memory mem0 min 1 from "host" "memory"
memory mem1 i64 min 1
table table0 funcref min 4
import global $base i32 from "host" "base"

func $init() {
b0:
    return
}

data data0 active mem0 at globalget $base "ab"
data data1 passive "c"
data data2 active mem1 at iconst 8 "d"
elem elem0 declare funcref [reffunc $init]
elem elem1 active table0 at iconst 1 funcref [reffunc $init, refnull]
start $init
`)
	if err != nil {
		t.Fatal(err)
	}
	idx := SplitInit(m)
	if err := m.Funcs[idx].Load(); err != nil {
		t.Fatal(err)
	}
	if errs := VerifyModule(m); len(errs) > 0 {
		t.Fatalf("the split module does not verify:\n%s", errorLines(errs))
	}
	want := `import memory mem0 min 1 from "host" "memory"
memory mem1 i64 min 1
table table0 funcref min 4
import global $base i32 from "host" "base"

func $init() {
b0:
    return
}

func $init.2() {
b0:
    v0:i32 = iconst 1
    v1:i32 = iconst 0
    v2:i32 = iconst 2
    tableinit table0, elem1, v0, v1, v2
    elemdrop elem1
    v3:i32 = globalget $base
    v4:i32 = iconst 0
    v5:i32 = iconst 2
    meminit mem0, data0, v3, v4, v5
    datadrop data0
    v6:i64 = iconst 8
    v7:i32 = iconst 0
    v8:i32 = iconst 1
    meminit mem1, data2, v6, v7, v8
    datadrop data2
    call $init()
    return
}

data data0 passive "ab"
data data1 passive "c"
data data2 passive "d"
elem elem0 declare funcref [reffunc $init]
elem elem1 passive funcref [reffunc $init, refnull]
`
	if idx != 1 {
		t.Errorf("SplitInit returned %d, want 1", idx)
	}
	if diff := cmp.Diff(want, m.String()); diff != "" {
		t.Errorf("split module (-want +got):\n%s", diff)
	}
}

// TestSplitInitNames checks that the new function never takes a name in use, and that a
// module with nothing to initialise gets a function that only returns.
func TestSplitInitNames(t *testing.T) {
	for _, c := range []struct{ src, want string }{
		{"", "init"},
		{"func $init() {\nb0:\n    return\n}\n", "init.2"},
		{"func $init() {\nb0:\n    return\n}\nfunc $\"init.2\"() {\nb0:\n    return\n}\nimport func $\"init.3\"() from \"m\" \"f\"\n", "init.4"},
	} {
		m, err := Parse(c.src)
		if err != nil {
			t.Fatal(err)
		}
		f := m.Funcs[SplitInit(m)]
		if err := f.Load(); err != nil {
			t.Fatal(err)
		}
		if f.Name != c.want {
			t.Errorf("named %q, want %q, beside %d functions", f.Name, c.want, len(m.Funcs)-1)
		}
		if got, want := f.String(), fmt.Sprintf("func %s() {\nb0:\n    return\n}\n", refName(c.want)); got != want {
			t.Errorf("got\n%swant\n%s", got, want)
		}
		if errs := VerifyModule(m); len(errs) > 0 {
			t.Errorf("does not verify:\n%s", errorLines(errs))
		}
	}
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}
