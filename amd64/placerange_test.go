package amd64

import (
	"slices"
	"testing"

	"github.com/wasmc/wasmc/backend"
	"github.com/wasmc/wasmc/regalloc"
)

// placeOnly is an mfunc's Finisher without PlaceRange, so that Assign places each
// instruction through Place.
type placeOnly struct{ f *mfunc }

func (p placeOnly) Prologue(out []inst) []inst { return p.f.Prologue(out) }
func (p placeOnly) Edit(e regalloc.Edit) inst  { return p.f.Edit(e) }
func (p placeOnly) Place(out []inst, in *inst, locs []regalloc.Loc) ([]inst, bool) {
	return p.f.Place(out, in, locs)
}

// TestPlaceRangeAsPlace assigns the same allocation of a function with many spills, its
// parameter and return copies included, once through PlaceRange and once instruction by
// instruction through Place: the instructions and the blocks must come out the same.
func TestPlaceRangeAsPlace(t *testing.T) {
	m := liveAcross(t, 300)
	assign := func(viaRange bool) *mfunc {
		f, res := selectFast(t, m)
		f.layOutFrame(res)
		var fin backend.Finisher[inst] = placeOnly{f}
		if viaRange {
			fin = f
		}
		if err := f.Assign(res, fin); err != nil {
			t.Fatal(err)
		}
		return f
	}
	ranged, placed := assign(true), assign(false)
	if len(ranged.Insts) != len(placed.Insts) {
		t.Fatalf("%d instructions through PlaceRange, %d through Place", len(ranged.Insts), len(placed.Insts))
	}
	copies := 0
	for i := range ranged.Insts {
		a, b := &ranged.Insts[i], &placed.Insts[i]
		if a.op != b.op || a.regs != b.regs || !slices.Equal(a.targets, b.targets) {
			t.Fatalf("instruction %d: %s %v through PlaceRange, %s %v through Place",
				i, opTable[a.op].name, a.regs, opTable[b.op].name, b.regs)
		}
		if a.op == opCopy {
			copies++
		}
	}
	if copies == 0 {
		t.Error("no copies: the function does not test Place's part")
	}
	if !slices.Equal(ranged.Blocks, placed.Blocks) {
		t.Errorf("blocks: %v through PlaceRange, %v through Place", ranged.Blocks, placed.Blocks)
	}
}
