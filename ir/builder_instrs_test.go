package ir

import (
	"runtime"
	"slices"
	"testing"
)

// TestBuilderBlockInstrs: blocks' instruction lists share the Builder's chunks, yet each
// block keeps its own whether blocks are filled one after another or in turns, across
// chunks, and appending to one list outside the Builder never changes another's.
func TestBuilderBlockInstrs(t *testing.T) {
	f := NewFunc("f", Signature{})
	b := NewBuilder(f)
	entry := b.NewEntry()
	blks := []BlockID{entry, b.NewBlock(), b.NewBlock()}
	want := make([][]InstrID, len(blks))
	emit := func(k int) {
		b.SetBlock(blks[k])
		v := b.IConst(I32, uint64(k))
		want[k] = append(want[k], f.Values[v].Instr)
	}
	for range 1500 { // past a chunk
		emit(0)
	}
	for i := range 3000 {
		emit(1 + i%2) // in turns
		if i%7 == 0 {
			emit(1)
		}
	}
	for range 700 {
		emit(2)
	}
	grown := append(f.Blocks[blks[1]].Instrs, 99999)
	for k, blk := range blks {
		if !slices.Equal(f.Blocks[blk].Instrs, want[k]) {
			t.Fatalf("block %d holds %d instructions, not its %d", k, len(f.Blocks[blk].Instrs), len(want[k]))
		}
	}
	if grown[len(grown)-1] != 99999 || !slices.Equal(grown[:len(grown)-1], want[1]) {
		t.Fatal("appending to a block's list lost its instructions")
	}
}

// TestBuilderPreds: short predecessor lists come from shared chunks, and each block's
// stays its own while branches to several blocks interleave and a list outgrows its part.
func TestBuilderPreds(t *testing.T) {
	f := NewFunc("f", Signature{})
	b := NewBuilder(f)
	b.NewEntry()
	targets := []BlockID{b.NewBlock(), b.NewBlock(), b.NewBlock()}
	want := make([][]BlockID, len(targets))
	for i := range 3000 { // past a chunk of edges
		from := b.NewBlock()
		b.SetBlock(from)
		k := i % 3
		if i%5 == 0 {
			k = 0 // a list past its part
		}
		b.Jump(targets[k])
		want[k] = append(want[k], from)
	}
	for k, blk := range targets {
		var got []BlockID
		for _, e := range b.Preds(blk) {
			got = append(got, e.From)
		}
		if !slices.Equal(got, want[k]) {
			t.Fatalf("block %d has %d predecessors, want %d", k, len(got), len(want[k]))
		}
	}
}

// TestBuilderGrowsInChunks: block parameters and branch arguments added one at a time,
// as SSA construction adds them, come from the Builder's chunks rather than an array
// per list (issue 21). 1,000 joins of two parameters each, with an argument for each on
// the jump to it, took 2 allocations a join before; the bound is a tenth of that.
func TestBuilderGrowsInChunks(t *testing.T) {
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(1))
	const n = 1000
	f := NewFunc("f", Signature{})
	b := NewBuilder(f)
	entry := b.NewEntry()
	b.SetBlock(entry)
	c := b.IConst(I32, 7)
	joins := make([]BlockID, n)
	for k := range joins {
		joins[k] = b.NewBlock()
	}
	b.Jump(joins[0])
	for k := 1; k < n; k++ {
		b.SetBlock(joins[k-1])
		b.Jump(joins[k])
	}
	b.SetBlock(joins[n-1])
	b.Return()
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	for _, blk := range joins {
		for range 2 {
			b.AddParam(blk, I32)
			b.AppendArg(b.Preds(blk)[0], c)
		}
	}
	runtime.ReadMemStats(&after)
	if per := float64(after.Mallocs-before.Mallocs) / n; per > 0.2 {
		t.Errorf("%.2f allocations a join, want at most 0.2", per)
	}
	for _, blk := range joins {
		e := b.Preds(blk)[0]
		if args := f.Instrs[e.Instr].Targets[e.Succ].Args; len(f.Blocks[blk].Params) != 2 || !slices.Equal(args, []Value{c, c}) {
			t.Fatalf("block %d: params %v, arguments %v", blk, f.Blocks[blk].Params, args)
		}
	}
}

// TestBuilderReset: a Builder reset onto another function builds it as a new Builder
// would, and the body it built before, whose lists are parts of the chunks the Builder
// keeps, is unchanged by it (issue 21: a worker's Builder carries its chunks from body to
// body). The bodies interleave blocks, joins with parameters and branch arguments.
func TestBuilderReset(t *testing.T) {
	build := func(b *Builder, f *Func, seed int) {
		entry := b.NewEntry()
		b.SetBlock(entry)
		v := b.IConst(I32, uint64(seed))
		for k := range 40 {
			then, join := b.NewBlock(), b.NewBlock(I32)
			b.BrIf(v, then, nil, join, []Value{v})
			b.SetBlock(then)
			w := b.IConst(I32, uint64(seed+k))
			b.Jump(join, w)
			b.SetBlock(join)
			v = b.Params(join)[0]
			b.AddParam(join, I64)
			for _, e := range b.Preds(join) {
				b.AppendArg(e, b.IConst(I64, uint64(k)))
			}
		}
		b.Return()
	}
	fresh := func(seed int) string {
		f := NewFunc("f", Signature{})
		build(NewBuilder(f), f, seed)
		return f.String()
	}
	f1 := NewFunc("f", Signature{})
	b := NewBuilder(f1)
	build(b, f1, 1)
	want1 := f1.String()
	if want1 != fresh(1) {
		t.Fatal("the first body differs from itself built again")
	}
	f2 := NewFunc("f", Signature{})
	b.Reset(f2)
	build(b, f2, 2)
	if got := f2.String(); got != fresh(2) {
		t.Errorf("the body built after Reset:\n%s\nwant\n%s", got, fresh(2))
	}
	if got := f1.String(); got != want1 {
		t.Errorf("building another body after Reset changed the first:\n%s\nwant\n%s", got, want1)
	}
	b.Reset(nil)
	if b.Func() != nil {
		t.Error("Reset(nil) kept the function")
	}
}
