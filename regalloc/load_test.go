package regalloc

import (
	"runtime"
	"strings"
	"testing"
)

// readerFunc is a testFunc that also implements InstrReader, counting how the allocator
// asks for instructions.
type readerFunc struct {
	*testFunc
	instr, perQuestion int // calls of Instr; of AppendOperands, Clobbers and IsCopy
}

func (f *readerFunc) Instr(i int) ([]Operand, RegSet, bool) {
	f.instr++
	return f.instrs[i].ops, f.instrs[i].clobbers, f.instrs[i].op == "copy"
}

func (f *readerFunc) AppendOperands(i int, ops []Operand) []Operand {
	f.perQuestion++
	return f.testFunc.AppendOperands(i, ops)
}

func (f *readerFunc) Clobbers(i int) RegSet { f.perQuestion++; return f.testFunc.Clobbers(i) }
func (f *readerFunc) IsCopy(i int) bool     { f.perQuestion++; return f.testFunc.IsCopy(i) }

// TestLoadReadsInstrOnce: a Func that implements InstrReader is asked once per
// instruction, by Instr, instead of three times (issue 21: the interface calls were a
// visible part of -O0's allocation), and the allocation is the same. Before, Instr was
// never called and the three questions were asked of every instruction.
func TestLoadReadsInstrOnce(t *testing.T) {
	cfg, _ := parseConfig("")
	for _, alloc := range []struct {
		name string
		run  func(Func, *Config) (*Result, error)
	}{{"Run", Run}, {"RunFast", RunFast}} {
		tf, err := parseFunc(liveAcrossIfs(50))
		if err != nil {
			t.Fatal(err)
		}
		want, err := alloc.run(tf, cfg)
		if err != nil {
			t.Fatal(err)
		}
		f := &readerFunc{testFunc: tf}
		got, err := alloc.run(f, cfg)
		if err != nil {
			t.Fatal(err)
		}
		if f.instr != len(tf.instrs) || f.perQuestion != 0 {
			t.Errorf("%s: %d instructions read by %d calls of Instr and %d of AppendOperands, Clobbers and IsCopy; want %d and 0",
				alloc.name, len(tf.instrs), f.instr, f.perQuestion, len(tf.instrs))
		}
		if g, w := tf.format(cfg, got), tf.format(cfg, want); g != w {
			t.Errorf("%s: the allocation through Instr differs:\n%s\nwant\n%s", alloc.name, g, w)
		}
	}
}

// TestLoadErrorOrder: load checks instructions in the pass that reads them, before the
// CFG is checked, yet reports a broken CFG first, as when the instructions were checked
// after it; and a successor out of range does not stop the instruction checks from
// running safely.
func TestLoadErrorOrder(t *testing.T) {
	cfg, _ := parseConfig("")
	f, err := parseFunc("b0:\n  %0:i = copy r0\n  %0:i = copy r0\n  jump b1\nb1:\n  ret %0\n")
	if err != nil {
		t.Fatal(err)
	}
	for _, run := range []func(Func, *Config) (*Result, error){Run, RunFast} {
		if _, err := run(f, cfg); err == nil || !strings.Contains(err.Error(), "defined twice") {
			t.Errorf("got %v, want %%0 defined twice", err)
		}
	}
	f.blocks[0].succs = []int{7} // and b1's predecessors no longer match
	for _, run := range []func(Func, *Config) (*Result, error){Run, RunFast} {
		if _, err := run(f, cfg); err == nil || !strings.Contains(err.Error(), "successor b7 out of range") {
			t.Errorf("got %v, want the successor out of range", err)
		}
	}
}

// TestRunFastAllocationsPerFunction bounds what RunFast allocates for a small function,
// allocated again and again as a worker does: the Result and what it holds, not the
// tables of classify and globalSlots (the values' first and last positions, the runs of
// blocks, the back edges and loops, the global values, the slot heaps) and the lists the
// allocation grows (moves, snapshots, locals), which take the previous function's arrays
// (issue 21). Before, each run made them afresh: 15 allocations a run, 9 now.
func TestRunFastAllocationsPerFunction(t *testing.T) {
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(1)) // the pool is per processor
	cfg, _ := parseConfig("")
	f, err := parseFunc("b0:\n  %0:i = copy r0\n  br %0, b1, b2\nb1:\n  jump b3(%0)\nb2:\n  jump b3(%0)\nb3(%1:i):\n  ret %1\n")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := RunFast(f, cfg); err != nil {
		t.Fatal(err)
	}
	const rounds = 100
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	for range rounds {
		if _, err := RunFast(f, cfg); err != nil {
			t.Fatal(err)
		}
	}
	runtime.ReadMemStats(&after)
	per := float64(after.Mallocs-before.Mallocs) / rounds
	t.Logf("%.2f allocations a run", per)
	if per > 10 {
		t.Errorf("RunFast made %.2f allocations a run of a small function, more than 10", per)
	}
}
