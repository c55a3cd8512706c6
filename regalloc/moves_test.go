package regalloc

import (
	"math/rand/v2"
	"slices"
	"testing"
)

// TestSequentialize checks random parallel moves over four registers and four slots, with
// fan-out, chains and cycles (register, slot and mixed), against their parallel meaning: after
// the edits every destination holds what its source held before, and every other location
// except the scratch register and the cycle slot is unchanged.
func TestSequentialize(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	locs := []Loc{RegLoc(0), RegLoc(1), RegLoc(2), RegLoc(3), SlotLoc(0), SlotLoc(1), SlotLoc(2), SlotLoc(3)}
	extra, memCycles := 0, 0
	for iter := 0; iter < 20000; iter++ {
		a := &allocator{
			cfg:   &Config{Scratch: [NumClasses]PReg{15, 31}},
			class: make([]Class, len(locs)),
			slots: []Class{ClassInt, ClassInt, ClassInt, ClassInt},
		}
		a.cycleSlot = [NumClasses]int32{-1, -1}
		// Random distinct destinations, each with a random source.
		var moves []pmove
		for _, j := range rng.Perm(len(locs))[:1+rng.IntN(len(locs))] {
			from := locs[rng.IntN(len(locs))]
			if from != locs[j] {
				moves = append(moves, pmove{from, locs[j], VReg(0)})
			}
		}
		if rng.IntN(2) == 0 { // a full permutation: only cycles
			moves = moves[:0]
			for i, j := range rng.Perm(len(locs)) {
				if i != j {
					moves = append(moves, pmove{locs[i], locs[j], 0})
				}
			}
		}
		edits := a.sequentialize(0, moves, nil)
		state := map[Loc]int{}
		for i, l := range locs {
			state[l] = i
		}
		for _, e := range edits {
			if e.From.IsSlot() && e.To.IsSlot() {
				t.Fatalf("slot-to-slot edit %v", e)
			}
			v, ok := state[e.From]
			if !ok {
				t.Fatalf("edit reads %v, which was never written", e.From)
			}
			state[e.To] = v
		}
		want := map[Loc]int{}
		for i, l := range locs {
			want[l] = i
		}
		for _, m := range moves {
			want[m.to] = slices.Index(locs, m.from)
		}
		for _, l := range locs {
			if state[l] != want[l] {
				t.Fatalf("moves %v: after %v, %v holds %d, want %d", moves, edits, l, state[l], want[l])
			}
		}
		if len(edits) > len(moves) {
			extra++
		}
		if a.cycleSlot[ClassInt] >= 0 {
			memCycles++
		}
	}
	if extra == 0 || memCycles == 0 {
		t.Errorf("no cycles exercised (%d extra edits, %d cycles through a slot)", extra, memCycles)
	}
}
