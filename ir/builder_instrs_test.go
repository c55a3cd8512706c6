package ir

import (
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
